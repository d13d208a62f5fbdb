/**
 * The three approaches of Hoffmann et al. (2022) to the compute-optimal model size N_opt ∝ C^a and data
 * D_opt ∝ C^b, on one dataset of (params, samples, metric) runs:
 *   1. the envelope: at each compute, the run (or checkpoint) with the lowest error; power fits of its N and D;
 *   2. IsoFLOP profiles: a parabola in ln N per compute budget, its minimum, a power fit of those minima;
 *   3. the joint law L = E + A/N^α + B/D^β fitted to every run (Huber δ = 1e-3, as they did): a = β/(α + eβ).
 * Intervals: bootstrap over runs (1, 3) and over each budget's residuals (2). D_opt follows from N_opt through the
 * data's compute per sample k(N) = c·N^e (6·N for language models: e = 1, so b = 1 − a).
 */
import type { AnalysisOptions, AnalysisResult, GroupAnalysis } from '../analysis';
import type { Run } from '../dataset';
import { UsageError } from '../errors';
import { fitLaw, type LawFit } from '../fit/fitLaw';
import { formatExponent, formatNumber } from '../format';
import { frontier } from '../frontier';
import type { Table } from '../ingest/table';
import { lawByName, lawData } from '../laws/index';
import { fitComputePerSample, type ComputePerSample } from '../optimal';
import { Random } from '../random';
import { interval95 } from '../stats';
import {
  evaluateParabola,
  groupIntoBudgets,
  hasIsoflopStructure,
  profileBudgets,
  profileOf,
  resampledMinimum,
  DEFAULT_TOLERANCE,
  type BudgetProfile,
} from './isoflop';
import { evaluatePowerLine, fitPowerLine, type PowerLine } from './logLine';
import { groupBy } from '../groupBy';

export interface ApproachOptimal {
  compute: number;
  n_opt: number;
  n_opt_ci95: [number, number] | null;
  d_opt: number;
  d_opt_ci95: [number, number] | null;
  tokens_per_param: number;
  tokens_per_param_ci95: [number, number] | null;
}

/** A point of the N_opt-vs-C plot: a run of the envelope (1) or a budget's minimum (2). */
export interface NOptPoint {
  compute: number;
  n_opt: number;
  d_opt: number;
  n_opt_ci95?: [number, number] | null;
  line?: number;
}

export interface IsoflopCurve {
  compute: number;
  runs: { params: number; samples: number; error: number; line: number }[];
  /** The fitted parabola drawn over the sizes trained. */
  curve: { params: number; error: number }[];
  n_opt: number | null;
  n_opt_ci95: [number, number] | null;
  error_at_minimum: number | null;
  /** Why this budget's minimum was not used. */
  problem?: string;
}

export interface ApproachResult {
  name: string;
  method: string;
  group: string | null;
  /** N_opt ∝ C^a and D_opt ∝ C^b; null when the approach cannot be applied to these data (see notes). */
  a: number | null;
  a_ci95: [number, number] | null;
  b: number | null;
  b_ci95: [number, number] | null;
  /** N_opt = n_coefficient·C^a, D_opt = d_coefficient·C^b. */
  n_coefficient: number | null;
  d_coefficient: number | null;
  optimal: ApproachOptimal[];
  points: NOptPoint[];
  /** Approach 2 only: every budget's runs, parabola and minimum. */
  isoflop?: IsoflopCurve[];
  resamples: number;
  notes: string[];
}

export interface ApproachesReport {
  approaches: ApproachResult[];
  compute_per_sample: { group: string | null; coefficient: number; exponent: number; source: string }[];
  notes: string[];
}

export interface ApproachSettings {
  tolerance?: number;
  budgetColumn?: string;
}

/** Parameters of the optimal-allocation lines of one estimate (a point fit or a bootstrap draw). */
interface Allocation {
  n: PowerLine;
  d: PowerLine;
}

const HUBER = { kind: 'huber', delta: 1e-3 } as const;
/** Fewer envelope points than this give a line but no bootstrap interval. */
const MIN_ENVELOPE_FOR_INTERVAL = 5;

export function chinchillaApproaches(
  table: Table,
  result: AnalysisResult,
  options: AnalysisOptions,
  settings: ApproachSettings,
): ApproachesReport {
  const approaches: ApproachResult[] = [];
  const perSample: ApproachesReport['compute_per_sample'] = [];
  const notes: string[] = [];
  for (const fit of result.fits) {
    const runs = result.runs.filter((r) => r.group === fit.group);
    if (runs.some((r) => r.params === undefined || r.samples === undefined)) {
      throw new UsageError(
        '--approaches needs the parameters and samples (or tokens) of every run: name them with --params COL --samples COL',
      );
    }
    const k = fit.compute_per_sample ?? computePerSampleFromRuns(runs);
    if (!k) {
      notes.push(
        `${fit.group ?? 'all runs'}: compute per sample k(N) cannot be fitted (one model size): approaches not computed`,
      );
      continue;
    }
    perSample.push({ group: fit.group, coefficient: k.coefficient, exponent: k.exponent, source: k.source });
    const finals = finalRuns(runs);
    if (finals.length < runs.length)
      notes.push(
        `${fit.group ?? 'all runs'}: ${runs.length} rows are checkpoints of ${finals.length} runs (same label and size): approach 1 uses every checkpoint, approaches 2 and 3 each run's last`,
      );
    const budgets = options.optimal ?? [];
    const resamples = options.bootstrap ?? 0;
    const seed = options.seed ?? 0;
    const tolerance = settings.tolerance ?? DEFAULT_TOLERANCE;
    approaches.push(
      envelopeApproach(fit, runs, tolerance, budgets, resamples, seed),
      isoflopApproach(table, fit, finals, k, tolerance, settings.budgetColumn, budgets, resamples, seed),
      jointApproach(fit, finals, k, budgets, resamples, seed),
    );
  }
  return { approaches, compute_per_sample: perSample, notes };
}

/** k(N) from the runs themselves: compute ÷ samples against params. */
function computePerSampleFromRuns(runs: Run[]): ComputePerSample | undefined {
  return fitComputePerSample(
    runs.map((r) => ({ name: '', params: r.params!, computePerSample: r.compute / r.samples! })),
    'runs (compute ÷ samples)',
  );
}

/** Rows with the same label and model size are checkpoints of one run (OpenAI's three models share the label "openai"). */
function runKey(run: Run): string {
  return `${run.label}\u0000${run.params}`;
}

/** Each run's last (most samples) checkpoint stands for the run. */
export function finalRuns(runs: Run[]): Run[] {
  const byRun = new Map<string, Run>();
  for (const run of runs) {
    const kept = byRun.get(runKey(run));
    if (!kept || run.samples! > kept.samples!) byRun.set(runKey(run), run);
  }
  return [...byRun.values()];
}

// ---------------------------------------------------------------------------------------------------------------
// Approach 1: the envelope.

/**
 * At each compute (runs within the tolerance merged, as checkpoints of many runs rarely share one exactly), the
 * lowest error; kept when it beats every cheaper compute (the Pareto frontier of those minima).
 */
export function envelope(runs: Run[], tolerance: number): Run[] {
  const sorted = [...runs].sort((a, b) => a.compute - b.compute);
  const minima: Run[] = [];
  let start = 0;
  while (start < sorted.length) {
    let end = start;
    let best = sorted[start];
    while (end + 1 < sorted.length && Math.log10(sorted[end + 1].compute / sorted[start].compute) <= tolerance) {
      end++;
      if (sorted[end].error < best.error) best = sorted[end];
    }
    minima.push(best);
    start = end + 1;
  }
  return frontier(
    { kind: 'pareto' },
    minima.map((r) => r.compute),
    minima.map((r) => r.error),
  ).map((p) => minima[p.source]);
}

function envelopeAllocation(runs: Run[], tolerance: number): { allocation: Allocation | null; points: Run[] } {
  const points = envelope(runs, tolerance);
  if (points.length < 3) return { allocation: null, points };
  const compute = points.map((p) => p.compute);
  const n = fitPowerLine(
    compute,
    points.map((p) => p.params!),
  );
  const d = fitPowerLine(
    compute,
    points.map((p) => p.samples!),
  );
  return { allocation: n && d ? { n, d } : null, points };
}

function envelopeApproach(
  fit: GroupAnalysis,
  runs: Run[],
  tolerance: number,
  budgets: number[],
  resamples: number,
  seed: number,
): ApproachResult {
  const { allocation, points } = envelopeAllocation(runs, tolerance);
  const base = emptyApproach(
    'Approach 1',
    'minimum error over runs at each compute; power fits of its N and D',
    fit.group,
  );
  base.points = points.map((p) => ({ compute: p.compute, n_opt: p.params!, d_opt: p.samples!, line: p.line }));
  if (!allocation)
    return { ...base, notes: [`the envelope has ${points.length} point(s): at least 3 are needed for a power fit`] };
  if (points.length < MIN_ENVELOPE_FOR_INTERVAL) {
    return summarise(
      {
        ...base,
        notes: [
          `only ${points.length} points on the envelope: a line through them, without an interval (resamples rarely keep them all)`,
        ],
      },
      allocation,
      [],
      0,
      budgets,
    );
  }
  const random = new Random(seed);
  const draws: Allocation[] = [];
  const byRun = [...groupBy(runs, runKey).values()];
  for (let b = 0; b < resamples; b++) {
    // Resample whole runs (with their checkpoints), as runs are the independent units.
    const sample = Array.from({ length: byRun.length }, () => byRun[random.int(byRun.length)]).flat();
    const draw = envelopeAllocation(sample, tolerance).allocation;
    if (draw) draws.push(draw);
  }
  return summarise(base, allocation, draws, resamples, budgets);
}

// ---------------------------------------------------------------------------------------------------------------
// Approach 2: IsoFLOP profiles.

function isoflopApproach(
  table: Table,
  fit: GroupAnalysis,
  runs: Run[],
  k: ComputePerSample,
  tolerance: number,
  budgetColumn: string | undefined,
  budgets: number[],
  resamples: number,
  seed: number,
): ApproachResult {
  const base = emptyApproach(
    'Approach 2',
    'IsoFLOP profiles: a parabola in ln N per compute budget; power fit of the minima',
    fit.group,
  );
  const all = groupIntoBudgets(runs, tolerance, budgetColumn, table);
  const usable = profileBudgets(all);
  const how = budgetColumn
    ? `budgets from the column "${budgetColumn}"`
    : `runs sharing compute within 10^±${formatNumber(tolerance)}`;
  if (!hasIsoflopStructure(usable, runs.length)) {
    const inBudgets = usable.reduce((s, b) => s + b.runs.length, 0);
    return {
      ...base,
      notes: [
        `no isoFLOP structure: ${usable.length} of ${all.length} compute budgets (${how}) hold ≥ 4 runs of ≥ 3 model sizes spanning ×2, with ${inBudgets} of ${runs.length} runs; approach 2 needs at least 3 such budgets holding half of the runs`,
      ],
    };
  }
  const profiles = usable.map(profileOf).filter((p): p is BudgetProfile => p !== null);
  const used = profiles.filter((p) => p.logNOpt !== null);
  const notes = [
    `${usable.length} budgets (${how}); ${all.length - usable.length} with too few runs or sizes left out`,
  ];
  for (const p of profiles)
    if (p.problem) notes.push(`budget C ≈ ${formatNumber(p.budget.compute)}: ${p.problem}; left out of the fit`);
  const allocationOf = (logNOpt: number[], compute: number[]): Allocation | null => {
    const n = fitPowerLine(compute, logNOpt.map(Math.exp));
    return n ? { n, d: dLineFromN(n, k) } : null;
  };
  const compute = used.map((p) => p.budget.compute);
  const allocation =
    used.length >= 2
      ? allocationOf(
          used.map((p) => p.logNOpt!),
          compute,
        )
      : null;
  const random = new Random(seed);
  const minimumDraws: number[][] = used.map(() => []);
  const draws: Allocation[] = [];
  for (let b = 0; b < resamples; b++) {
    const minima = used.map((p) => resampledMinimum(p, () => random.next()));
    minima.forEach((m, i) => minimumDraws[i].push(m));
    if (minima.every(Number.isFinite)) {
      const draw = allocationOf(minima, compute);
      if (draw) draws.push(draw);
    }
  }
  const isoflop: IsoflopCurve[] = profiles.map((p) => {
    const index = used.indexOf(p);
    const logN = p.budget.runs.map((r) => Math.log(r.params!));
    const [lo, hi] = [Math.min(...logN), Math.max(...logN)];
    const ci = index >= 0 ? interval95(minimumDraws[index].map(Math.exp)) : null;
    return {
      compute: p.budget.compute,
      runs: p.budget.runs.map((r) => ({ params: r.params!, samples: r.samples!, error: r.error, line: r.line })),
      curve: Array.from({ length: 25 }, (_, s) => lo + ((hi - lo) * s) / 24).map((x) => ({
        params: Math.exp(x),
        error: evaluateParabola(p.parabola, x),
      })),
      n_opt: p.logNOpt === null ? null : Math.exp(p.logNOpt),
      n_opt_ci95: ci,
      error_at_minimum: p.logNOpt === null ? null : evaluateParabola(p.parabola, p.logNOpt),
      problem: p.problem,
    };
  });
  base.isoflop = isoflop;
  base.points = isoflop
    .filter((c) => c.n_opt !== null)
    .map((c) => ({
      compute: c.compute,
      n_opt: c.n_opt!,
      d_opt: c.compute / perSample(k, c.n_opt!),
      n_opt_ci95: c.n_opt_ci95,
    }));
  if (!allocation)
    return {
      ...base,
      notes: [...notes, `${used.length} budget minimum(s) inside the sizes trained: at least 2 are needed`],
    };
  if (draws.length < resamples)
    notes.push(
      `${resamples - draws.length} of ${resamples} bootstrap draws had a budget whose parabola opened downward; left out`,
    );
  return summarise({ ...base, notes }, allocation, draws, resamples, budgets);
}

function perSample(k: ComputePerSample, params: number): number {
  return k.coefficient * Math.pow(params, k.exponent);
}

/** D_opt = C / k(N_opt): ln D = −ln c − e·ln G + (1 − e·a)·ln C. */
function dLineFromN(n: PowerLine, k: ComputePerSample): PowerLine {
  return {
    logCoefficient: -Math.log(k.coefficient) - k.exponent * n.logCoefficient,
    exponent: 1 - k.exponent * n.exponent,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Approach 3: the joint law.

/**
 * Minimising E + A·N^−α + B·D^−β on C = c·N^e·D: N^(α+eβ) = (αA / (eβB))·(C/c)^β, so N_opt ∝ C^(β/(α+eβ)).
 * Null when the fitted exponents give no interior minimum (α or β ≤ 0).
 */
export function jointAllocation(params: Record<string, number>, k: ComputePerSample): Allocation | null {
  const { A, B, alpha, beta } = params;
  const e = k.exponent;
  if (!(alpha > 0 && beta > 0 && A > 0 && B > 0 && e > 0)) return null;
  const power = alpha + e * beta;
  const n: PowerLine = {
    logCoefficient: (Math.log((alpha * A) / (e * beta * B)) - beta * Math.log(k.coefficient)) / power,
    exponent: beta / power,
  };
  return { n, d: dLineFromN(n, k) };
}

function jointApproach(
  fit: GroupAnalysis,
  runs: Run[],
  k: ComputePerSample,
  budgets: number[],
  resamples: number,
  seed: number,
): ApproachResult {
  const base = emptyApproach(
    'Approach 3',
    'joint law L = E + A/N^α + B/D^β on every run (Huber δ = 1e-3); a = β/(α + eβ)',
    fit.group,
  );
  const joint = lawByName('joint');
  if (runs.length < joint.paramNames.length + 1)
    return {
      ...base,
      notes: [`${runs.length} run${runs.length === 1 ? '' : 's'}: the joint law's 5 parameters need at least 6`],
    };
  const full = fitLaw(joint, lawData(runs), HUBER);
  const notes = [`${joint.formula(full.params)}${full.converged ? '' : ` — not converged: ${full.reason}`}`];
  const allocation = jointAllocation(full.params, k);
  if (!allocation)
    return { ...base, notes: [...notes, 'the fitted exponents give no compute-optimal size (α or β ≤ 0)'] };
  const random = new Random(seed);
  const draws: Allocation[] = [];
  for (let b = 0; b < resamples; b++) {
    const sample = Array.from({ length: runs.length }, () => runs[random.int(runs.length)]);
    const refit = refitJoint(sample, full);
    const draw = refit && jointAllocation(refit.params, k);
    if (draw) draws.push(draw);
  }
  return summarise({ ...base, notes }, allocation, draws, resamples, budgets);
}

/**
 * A resample's own optimum: L-BFGS from the full-data optimum and from four starts around it, each polished to tight
 * tolerances (a warm start alone stops at once on a Huber objective of ~1e-3 and collapses the interval).
 */
function refitJoint(runs: Run[], full: LawFit): LawFit | null {
  const joint = lawByName('joint');
  const t = full.theta;
  const starts = [
    t,
    ...[
      [0, 0, 0, 0.1, 0.1],
      [0, 0, 0, -0.1, -0.1],
      [0, 1, -1, 0.05, -0.05],
      [0, -1, 1, -0.05, 0.05],
    ].map((shift) => Float64Array.from(t, (v, i) => v + shift[i])),
  ];
  const fit = fitLaw(joint, lawData(runs), HUBER, { starts });
  return fit.theta.every(Number.isFinite) ? fit : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared by the three approaches: an empty result and the summary of a fitted allocation.

function emptyApproach(name: string, method: string, group: string | null): ApproachResult {
  return {
    name,
    method,
    group,
    a: null,
    a_ci95: null,
    b: null,
    b_ci95: null,
    n_coefficient: null,
    d_coefficient: null,
    optimal: [],
    points: [],
    resamples: 0,
    notes: [],
  };
}

function summarise(
  base: ApproachResult,
  allocation: Allocation,
  draws: Allocation[],
  resamples: number,
  budgets: number[],
): ApproachResult {
  const optimal = budgets.map((compute): ApproachOptimal => {
    const n = evaluatePowerLine(allocation.n, compute);
    const d = evaluatePowerLine(allocation.d, compute);
    return {
      compute,
      n_opt: n,
      n_opt_ci95: interval95(draws.map((a) => evaluatePowerLine(a.n, compute))),
      d_opt: d,
      d_opt_ci95: interval95(draws.map((a) => evaluatePowerLine(a.d, compute))),
      tokens_per_param: d / n,
      tokens_per_param_ci95: interval95(
        draws.map((a) => evaluatePowerLine(a.d, compute) / evaluatePowerLine(a.n, compute)),
      ),
    };
  });
  const notes = [...base.notes];
  if (resamples > 0 && draws.length < resamples * 0.9)
    notes.push(`only ${draws.length} of ${resamples} bootstrap draws gave an estimate`);
  return {
    ...base,
    a: allocation.n.exponent,
    a_ci95: interval95(draws.map((a) => a.n.exponent)),
    b: allocation.d.exponent,
    b_ci95: interval95(draws.map((a) => a.d.exponent)),
    n_coefficient: Math.exp(allocation.n.logCoefficient),
    d_coefficient: Math.exp(allocation.d.logCoefficient),
    optimal,
    resamples: draws.length,
    notes,
  };
}

/** The approaches table of the CLI's text report. */
export function approachesText(report: ApproachesReport): string[] {
  const lines = ['Compute-optimal scaling, three approaches (Hoffmann et al. 2022): N_opt ∝ C^a, D_opt ∝ C^b'];
  const groups = [...new Set(report.approaches.map((a) => a.group))];
  for (const group of groups) {
    const k = report.compute_per_sample.find((c) => c.group === group);
    lines.push(
      `  ${group ?? 'all runs'}${k ? ` (compute per sample k(N) = ${formatNumber(k.coefficient)}·N^${formatExponent(k.exponent)}, from ${k.source})` : ''}:`,
    );
    const ci = (v: [number, number] | null) => (v ? ` [${formatNumber(v[0])}, ${formatNumber(v[1])}]` : '');
    for (const a of report.approaches.filter((x) => x.group === group)) {
      const estimate =
        a.a === null
          ? 'not available'
          : `a = ${formatExponent(a.a)}${ci(a.a_ci95)}   b = ${formatExponent(a.b!)}${ci(a.b_ci95)}`;
      lines.push(`    ${a.name}: ${estimate}`);
      lines.push(`      ${a.method}`);
      for (const o of a.optimal) {
        const range = (v: [number, number] | null) => (v ? ` [${formatNumber(v[0])}, ${formatNumber(v[1])}]` : '');
        lines.push(
          `      C = ${formatNumber(o.compute)}: N_opt ${formatNumber(o.n_opt)}${range(o.n_opt_ci95)}, D_opt ${formatNumber(o.d_opt)}${range(o.d_opt_ci95)}, D/N ${formatNumber(o.tokens_per_param)}${range(o.tokens_per_param_ci95)}`,
        );
      }
      for (const note of a.notes) lines.push(`      note: ${note}`);
    }
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  if (report.approaches.length > 0)
    lines.push("  95 % intervals: bootstrap over runs (1, 3) and over each budget's residuals (2)");
  return lines;
}
