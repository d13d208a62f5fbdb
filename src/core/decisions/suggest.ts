/**
 * Which run next? Candidates ranked by how much training them is expected to narrow the 95 % interval of the
 * prediction at a target compute C*, per unit of compute spent. Each candidate's outcome is simulated from the
 * current law with its residual noise (30 draws), added to the runs, the frontier rebuilt and the law refitted; the
 * interval at C* is measured by the delta method on each refit. The expected ratio of widths (in log space) then
 * narrows the current interval — the bootstrap's, as the fit shows it — about the prediction.
 */
import type { AnalysisOptions, AnalysisResult, GroupAnalysis } from '../analysis';
import type { Run } from '../dataset';
import { fitLaw } from '../fit/fitLaw';
import { parseObjective } from '../fit/objective';
import { formatNumber } from '../format';
import { frontier, parseFrontier } from '../frontier';
import { parseTable } from '../ingest/parse';
import { lawByName, lawData } from '../laws/index';
import type { Law, LawInput } from '../laws/law';
import { optimalAllocation } from '../optimal';
import { Random } from '../random';
import { interval95 } from '../stats';
import { generatedCandidates, listedCandidates, type Candidate } from './candidates';
import { deltaInterval } from './deltaMethod';
import type { DatasetSpec } from '../schema/spec';

export interface Suggestion {
  config: { group: string | null; arch?: string; params?: number; samples?: number };
  compute: number;
  interval_now: [number, number];
  interval_after: [number, number];
  /** (width now − expected width after) / compute: error units narrowed per unit of compute. */
  shrink_per_compute: number;
  /** Expected width after / width now (ratio of log-space half-widths). */
  width_ratio: number;
}

export interface SuggestionReport {
  target: number;
  suggestions: Suggestion[];
  notes: string[];
}

export interface SuggestSettings {
  target: number;
  cap?: number;
  /** Candidate list file (CSV) and its text. */
  candidates?: { file: string; text: string };
  simulations?: number;
}

interface PointRun {
  compute: number;
  error: number;
  params?: number;
  samples?: number;
}

export function suggestRuns(
  spec: DatasetSpec,
  result: AnalysisResult,
  options: AnalysisOptions,
  settings: SuggestSettings,
): SuggestionReport {
  const notes: string[] = [];
  const suggestions: Suggestion[] = [];
  const random = new Random(options.seed ?? 0);
  for (const fit of result.fits) {
    const runs = result.runs.filter((r) => r.group === fit.group);
    const name = fit.group ?? 'all runs';
    const cap = settings.cap ?? Math.max(...runs.map((r) => r.compute));
    const candidates = settings.candidates
      ? listedCandidates(
          parseTable(settings.candidates.file, settings.candidates.text),
          runs,
          spec.architectures,
          fit.compute_per_sample,
        )
      : generatedCandidates(runs, cap);
    if (!settings.candidates)
      notes.push(
        `${name}: ${candidates.length} candidates — the runs' architectures × sample counts not yet trained, compute ≤ ${formatNumber(cap)}${settings.cap === undefined ? ' (the largest run; raise with --compute-cap)' : ''}`,
      );
    const ranked = rankCandidates(fit, runs, candidates, settings.target, settings.simulations ?? 30, random, notes);
    suggestions.push(...ranked);
  }
  return { target: settings.target, suggestions, notes };
}

function rankCandidates(
  fit: GroupAnalysis,
  runs: Run[],
  candidates: Candidate[],
  target: number,
  simulations: number,
  random: Random,
  notes: string[],
): Suggestion[] {
  const law = lawByName(fit.law);
  const frontierSpec = parseFrontier(fit.frontier);
  const objective = parseObjective(fit.objective);
  const name = fit.group ?? 'all runs';
  const at = targetInput(law, fit, target, runs);
  if (!at) {
    notes.push(
      `${name}: the ${law.name} law needs a compute-per-sample model to place C* = ${formatNumber(target)}: no suggestions`,
    );
    return [];
  }
  const theta = law.fromParams(fit.params);
  const current = runs.map((r): PointRun => ({
    compute: r.compute,
    error: r.error,
    params: r.params,
    samples: r.samples,
  }));
  const points = selected(frontierSpec, current);
  const now = deltaInterval(law, theta, lawData(points), at);
  if (!now || !(now.halfWidth > 0)) {
    notes.push(`${name}: no interval at C* (as many points as parameters, or a flat direction): no suggestions`);
    return [];
  }
  const predicted = law.predict(fit.params, at);
  const boot = fit.bootstrap_params ? interval95(fit.bootstrap_params.map((p) => law.predict(p, at))) : null;
  const intervalNow: [number, number] = boot ?? [
    Math.exp(now.logPrediction - now.halfWidth),
    Math.exp(now.logPrediction + now.halfWidth),
  ];
  const residualSd = now.se > 0 ? residualSigma(law, theta, points) : 0;
  const usable = candidates.filter(
    (c) => law.inputs === 'compute' || (c.params !== undefined && c.samples !== undefined),
  );
  if (usable.length < candidates.length)
    notes.push(
      `${name}: ${candidates.length - usable.length} candidates without parameters and samples left out (the ${law.name} law needs both)`,
    );
  const warm = law.name === 'power' && objective.kind === 'ls' ? {} : { starts: [theta] };
  const out: Suggestion[] = [];
  for (const candidate of usable) {
    const input: LawInput = { compute: candidate.compute, params: candidate.params, samples: candidate.samples };
    const mean = law.predict(fit.params, input);
    const widths: number[] = [];
    for (let s = 0; s < simulations; s++) {
      const simulated = { ...input, compute: candidate.compute, error: mean * Math.exp(residualSd * random.normal()) };
      const newPoints = selected(frontierSpec, [...current, simulated]);
      const data = lawData(newPoints);
      const refit = fitLaw(law, data, objective, warm);
      const after = refit.theta.every(Number.isFinite) ? deltaInterval(law, refit.theta, data, at) : null;
      if (after) widths.push(after.halfWidth);
    }
    if (widths.length === 0) continue;
    const ratio = widths.reduce((s, w) => s + w, 0) / widths.length / now.halfWidth;
    const scaled = (bound: number) => predicted * Math.pow(bound / predicted, ratio);
    const intervalAfter: [number, number] = [scaled(intervalNow[0]), scaled(intervalNow[1])];
    const widthNow = intervalNow[1] - intervalNow[0];
    const difference = widthNow - (intervalAfter[1] - intervalAfter[0]);
    // A run that never reaches the frontier changes nothing: 0, not rounding error.
    const shrink = Math.abs(difference) < 1e-12 * widthNow ? 0 : difference;
    out.push({
      config: {
        group: fit.group,
        ...(candidate.arch ? { arch: candidate.arch } : {}),
        ...(candidate.params ? { params: candidate.params } : {}),
        ...(candidate.samples ? { samples: candidate.samples } : {}),
      },
      compute: candidate.compute,
      interval_now: intervalNow,
      interval_after: intervalAfter,
      shrink_per_compute: shrink / candidate.compute,
      width_ratio: ratio,
    });
  }
  return out.sort((a, b) => b.shrink_per_compute - a.shrink_per_compute);
}

/** Where the prediction at C* is made: the compute itself, or the compute-optimal (N, D) of a joint law. */
function targetInput(law: Law, fit: GroupAnalysis, target: number, runs: Run[]): LawInput | null {
  if (law.inputs === 'compute') return { compute: target };
  if (!fit.compute_per_sample) return null;
  const sizes = runs.filter((r) => r.params).map((r) => r.params!);
  const optimum = optimalAllocation(
    law,
    fit.params,
    target,
    fit.compute_per_sample,
    [],
    [Math.min(...sizes), Math.max(...sizes)],
  );
  return { compute: target, params: optimum.params, samples: optimum.samples };
}

function selected(spec: ReturnType<typeof parseFrontier>, runs: PointRun[]): PointRun[] {
  return frontier(
    spec,
    runs.map((r) => r.compute),
    runs.map((r) => r.error),
  ).map((p) => ({ ...runs[p.source], compute: p.compute, error: p.error }));
}

/** Residual standard deviation of ln E at the fit, on n − p degrees of freedom. */
function residualSigma(law: Law, theta: Float64Array, points: PointRun[]): number {
  const data = lawData(points);
  const predicted = new Float64Array(data.n);
  law.logPredict(theta, data, predicted);
  let rss = 0;
  for (let i = 0; i < data.n; i++) rss += (data.logE[i] - predicted[i]) ** 2;
  return Math.sqrt(rss / Math.max(1, data.n - theta.length));
}

/** A candidate in words, as the CLI and the panel name it: `ViT-H-14 × 1.22e10 samples`, `N = 5.01e7 × 1.26e9 samples`. */
export function candidateText(config: Suggestion['config']): string {
  const model = config.arch ?? (config.params !== undefined ? `N = ${formatNumber(config.params)}` : undefined);
  return (
    [model, config.samples !== undefined ? `${formatNumber(config.samples)} samples` : undefined]
      .filter(Boolean)
      .join(' × ') || 'a run'
  );
}

/** The "Next runs" section of the CLI's text report: the best 10 per group. */
export function suggestionText(report: SuggestionReport): string[] {
  const lines = [
    `Next runs, ranked by the expected narrowing of the 95 % interval of E at C* = ${formatNumber(report.target)} per unit of compute:`,
  ];
  const groups = [...new Set(report.suggestions.map((s) => s.config.group))];
  for (const group of groups) {
    const list = report.suggestions.filter((s) => s.config.group === group);
    lines.push(
      `  ${group ?? 'all runs'}: interval now [${formatNumber(list[0].interval_now[0])}, ${formatNumber(list[0].interval_now[1])}]`,
    );
    for (const [i, s] of list.slice(0, 10).entries()) {
      lines.push(
        `    ${String(i + 1).padStart(2)}. ${candidateText(s.config)}: compute ${formatNumber(s.compute)} → interval [${formatNumber(s.interval_after[0])}, ${formatNumber(s.interval_after[1])}] (width × ${formatNumber(s.width_ratio)}), ${formatNumber(s.shrink_per_compute)} per unit of compute`,
      );
    }
    if (list.length > 10) lines.push(`    … ${list.length - 10} more in the JSON output`);
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  return lines;
}
