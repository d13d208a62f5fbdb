/**
 * The whole fit: table → spec (detected, then overridden) → runs → per-group frontier → law fit → bootstrap
 * intervals, held-out validation, predictions and compute-optimal allocations. Shared by the CLI and the worker.
 */
import { bootstrap } from './bootstrap';
import { extractRuns, type Run } from './dataset';
import { InputError, UsageError, type ShouldStop } from './errors';
import { fitLaw, type FitOptions, type FitResult } from './fit/fitLaw';
import { objectiveName, type Objective } from './fit/objective';
import { frontier, frontierName, type FrontierPoint, type FrontierSpec } from './frontier';
import { columnIndex, type Table } from './ingest/table';
import { cellMatches, textAt } from './ingest/numeric';
import { constrainedLaw, lawByName, lawData, type Law } from './laws/index';
import type { LawInput, LawName, LawParams } from './laws/law';
import { fitComputePerSample, optimalAllocation, sixN, type ArchitectureOption, type ComputePerSample, type OptimalAllocation } from './optimal';
import type { ParallelRunner } from './parallel';
import { describeScale, type MetricScale } from './schema/metric';
import type { DatasetSpec, Filter } from './schema/spec';
import { extent, interval95 } from './stats';

export interface PredictionRequest {
  compute?: number;
  params?: number;
  samples?: number;
  /** An architecture of the data's table: compute = its compute per sample × samples. */
  arch?: string;
}

export interface AnalysisOptions {
  metric?: string;
  task?: string;
  filters?: Filter[];
  /** A column, or null to fit all rows as one group. */
  group?: string | null;
  /** Compute as a product of columns, e.g. `gmacs*samples_seen`. */
  compute?: string;
  params?: string;
  samples?: string;
  law?: LawName;
  frontier?: FrontierSpec;
  objective?: Objective;
  bootstrap?: number;
  seed?: number;
  holdout?: number;
  /** Points to predict at, given or derived from the runs (e.g. a grid over their compute range). */
  predict?: PredictionRequest[] | ((runs: Run[]) => PredictionRequest[]);
  optimal?: number[];
  /** Polled in every long loop; a true answer abandons the analysis with Cancelled (a newer fit superseded it). */
  shouldStop?: ShouldStop;
  /** Public parameters held at a value (`--fix alpha=-0.1`); else those of the dataset's configuration. */
  fix?: Record<string, number>;
  /** Pairs of parameters constrained equal (`--tie alpha=beta`); else those of the dataset's configuration. */
  tie?: [string, string][];
  /** Spreads multi-start fits and bootstrap resamples over worker threads (same results); else this thread. */
  runner?: ParallelRunner;
}

export interface Prediction {
  at: Record<string, number | string>;
  error: number;
  ci95: [number, number] | null;
}

export interface HoldoutReport {
  fraction: number;
  n_train: number;
  n_heldout: number;
  /** Mean |predicted − measured| error, in percentage points, over held-out runs on the Pareto frontier. */
  mae_pp: number | null;
  rmse_log10: number | null;
  n_evaluated: number;
}

export interface GroupFit {
  group: string | null;
  law: LawName;
  frontier: string;
  objective: string;
  n_points: number;
  n_used: number;
  params: LawParams;
  ci95: Record<string, [number, number]> | null;
  rmse_log10: number;
  converged: boolean;
  reason: string;
  /** Iterations of the optimiser run that gave the fit (0 for a closed form). */
  iterations: number;
  /** Parameters at or near a bound of their range. */
  at_bound: string[];
  /** Why the data cannot determine the parameters, or null. */
  not_identifiable: string | null;
  formula: string;
  predictions: Prediction[];
  optimal: (OptimalAllocation & { error_ci95?: [number, number] | null })[];
  holdout?: HoldoutReport;
  notes: string[];
  /** Points the law was fitted to, with the line of the run each came from. */
  frontier_points: { compute: number; error: number; line: number }[];
  bootstrap: { resamples: number; failed: number; seed: number; notConverged: number } | null;
  /** The law's parameters refitted on each bootstrap resample (for intervals at points asked for later, e.g. a hover). */
  bootstrap_params: LawParams[] | null;
  compute_per_sample?: ComputePerSample;
}

export interface AnalysisResult {
  file: string;
  profile: string;
  metric: string;
  error_definition: string;
  scale: MetricScale;
  filters: Filter[];
  compute: string;
  notes: string[];
  fits: GroupFit[];
  runs: Run[];
}

export function resolveSpec(table: Table, detected: DatasetSpec, options: AnalysisOptions): DatasetSpec {
  const spec: DatasetSpec = { ...detected, filters: [...detected.filters], notes: [...detected.notes] };
  if (options.task !== undefined) {
    if (!spec.taskColumn) throw new UsageError(`--task: ${table.file} has no task column; use --filter COL=VALUE`);
    spec.filters = spec.filters.filter((f) => f.column !== spec.taskColumn);
    spec.filters.push({ column: spec.taskColumn, value: options.task });
  }
  for (const filter of options.filters ?? []) {
    spec.filters = spec.filters.filter((f) => f.column !== filter.column);
    spec.filters.push(filter);
  }
  if (options.metric) spec.metric = options.metric;
  else if (spec.profile === 'openclip-results') spec.metric = openclipMetric(table, spec.filters);
  if (options.compute) spec.compute = options.compute.split('*').map((s) => s.trim()).filter(Boolean);
  if (options.params) {
    spec.params = options.params;
    spec.paramsScale = 1;
  }
  if (options.samples) spec.samples = options.samples;
  if (options.group === null) spec.group = undefined;
  // The layout's own grouping keeps its pools (LAION-80M/400M/2B as one LAION group) when chosen again by name.
  else if (options.group !== undefined) spec.group = detected.group?.column === options.group ? detected.group : { column: options.group };
  return spec;
}

/** The paper's metric per task: 1 − acc1 for classification, 1 − image R@5 for retrieval, 1 − mAP for VOC multilabel. */
function openclipMetric(table: Table, filters: Filter[]): string {
  const taskCol = columnIndex(table, 'task');
  const dataset = filters.find((f) => f.column === 'downstream_dataset')?.value;
  if (dataset === 'voc2007_multilabel') return 'mean_average_precision';
  if (taskCol >= 0) {
    let row = -1;
    for (let r = 0; r < table.rowCount && row < 0; r++) if (filters.every((f) => cellMatches(table, r, columnIndex(table, f.column), f.value))) row = r;
    if (row >= 0 && textAt(table, row, taskCol) === 'zeroshot_retrieval') return 'image_retrieval_recall@5';
  }
  return 'acc1';
}

export function analyze(table: Table, spec: DatasetSpec, options: AnalysisOptions = {}): AnalysisResult {
  const law = constrainedLaw(lawByName(options.law ?? 'power').name, options, spec);
  const objective: Objective = options.objective ?? { kind: 'ls' };
  const { runs, scale, skipped, unmatched } = extractRuns(table, spec);
  const notes = [...spec.notes, describeScale(spec.metric, scale)];
  if (skipped > 0) notes.push(`${skipped} row(s) without a value in ${spec.metric} left out`);
  for (const u of unmatched) notes.push(`${u.rows} row(s) of runs not in ${u.file} left out (runs still training?)`);
  if (law.inputs === 'params-samples' && runs.some((r) => r.params === undefined || r.samples === undefined)) {
    throw new UsageError(`--law ${law.name} needs parameters and samples for every run: name them with --params COL --samples COL`);
  }
  const groups = new Map<string | null, Run[]>();
  for (const run of runs) {
    const list = groups.get(run.group);
    if (list) list.push(run);
    else groups.set(run.group, [run]);
  }
  const k = computePerSampleModel(spec, runs);
  // Points derived from the runs are the same for every group (one grid over all runs' compute).
  const groupOptions: GroupOptions = { ...options, predict: typeof options.predict === 'function' ? options.predict(runs) : (options.predict ?? []) };
  const fits = [...groups.entries()]
    .sort((a, b) => b[1].length - a[1].length)
    .map(([group, groupRuns]) => fitGroup(table, spec, law, objective, group, groupRuns, groupOptions, k));
  return {
    file: table.file,
    profile: spec.profile,
    metric: spec.metric,
    error_definition: describeScale(spec.metric, scale),
    scale,
    filters: spec.filters,
    compute: spec.compute.join(' × '),
    notes,
    fits,
    runs,
  };
}

type GroupOptions = Omit<AnalysisOptions, 'predict'> & { predict: PredictionRequest[] };

function fitGroup(table: Table, spec: DatasetSpec, law: Law, objective: Objective, group: string | null, runs: Run[], options: GroupOptions, k: ComputePerSample | undefined): GroupFit {
  const notes: string[] = [];
  let frontierSpec = options.frontier ?? spec.defaultFrontier;
  if (!options.frontier && spec.smallGroupAllPoints && runs.length <= spec.smallGroupAllPoints && frontierSpec.kind !== 'all') {
    frontierSpec = { kind: 'all' };
    notes.push(`only ${runs.length} runs: fitted to all points instead of the ${frontierName(spec.defaultFrontier)} frontier (as the paper does for OpenAI's 3 models)`);
  }
  if (law.inputs === 'params-samples' && frontierSpec.kind === 'binned') throw new UsageError(`--frontier binned:K places points at bin centres of compute, which has no (N, D): use all or pareto with --law ${law.name}`);
  const points = selectPoints(frontierSpec, runs);
  const p = law.thetaNames.length;
  if (points.length < p) {
    throw new InputError({ file: table.file, line: runs[0]?.line ?? 1, column: 1 }, `${group ? `group "${group}": ` : ''}${points.length} usable point(s) on the ${frontierName(frontierSpec)} frontier but the ${law.name} law has ${p} parameters: need at least ${p}`);
  }
  const shouldStop = options.shouldStop;
  const runner = options.runner;
  const fit = fitLaw(law, lawData(points), objective, fullFitOptions(law, objective, shouldStop, runner));
  for (const [name, value] of Object.entries(law.fixed ?? {})) notes.push(`${name} fixed at ${value}`);
  if (points.length === p) notes.push(`as many points as parameters: the fit interpolates and its intervals are not meaningful`);
  const requests = options.predict.map((request) => resolvePrediction(spec, request, law));
  const optimalBudgets = options.optimal ?? [];
  const archOptions = architectureOptions(spec, runs);
  const allocationLaw = optimalBudgets.length > 0 ? allocationFit(law, fit, runs, objective, notes, shouldStop, runner) : undefined;

  const withParams = runs.filter((r) => r.params).map((r) => r.params!);
  const nRange: [number, number] = withParams.length > 0 ? extent(withParams) : [1e6, 1e9];
  const optimalFor = (lawUsed: Law, params: LawParams) => (k && allocationLaw ? optimalBudgets.map((c) => optimalAllocation(lawUsed, params, c, k, archOptions, nRange)) : []);
  if (optimalBudgets.length > 0 && !k) notes.push('compute-optimal allocation needs parameters and samples per run (and an architecture table or 6·N): not computed');

  let ci95: GroupFit['ci95'] = null;
  let predictionIntervals: ([number, number] | null)[] = requests.map(() => null);
  let optimalIntervals: ([number, number] | null)[] = optimalBudgets.map(() => null);
  let bootstrapInfo: GroupFit['bootstrap'] = null;
  let bootstrapParams: LawParams[] | null = null;
  const resamples = options.bootstrap ?? 0;
  if (resamples > 0 && points.length > p) {
    const seed = options.seed ?? 0;
    const columns = { compute: Float64Array.from(runs, (r) => r.compute), error: Float64Array.from(runs, (r) => r.error), ...(law.inputs === 'params-samples' ? { params: Float64Array.from(runs, (r) => r.params!), samples: Float64Array.from(runs, (r) => r.samples!) } : {}) };
    const boot = bootstrap(law, objective, frontierSpec, columns, fit.theta, resamples, seed, { shouldStop, runner }, (params) => ({
      predictions: requests.map((r) => law.predict(params, r.input)),
      optimal: allocationLaw && allocationLaw.law === law ? optimalFor(law, params).map((o) => o.error) : [],
    }));
    // A fixed parameter has its value and no interval.
    const varying = law.paramNames.filter((name) => !(name in (law.fixed ?? {})));
    ci95 = Object.fromEntries(varying.map((name) => [name, interval95(boot.params.map((s) => s[name]))]).filter(([, v]) => v !== null)) as Record<string, [number, number]>;
    predictionIntervals = requests.map((_, i) => interval95(boot.derived.map((d) => d.predictions[i])));
    optimalIntervals = optimalBudgets.map((_, i) => interval95(boot.derived.map((d) => d.optimal[i] ?? NaN)));
    bootstrapInfo = { resamples, failed: boot.failed, seed, notConverged: boot.notConverged };
    bootstrapParams = boot.params;
    if (boot.failed > 0) notes.push(`${boot.failed} of ${resamples} bootstrap resamples did not give a usable fit and were left out`);
    if (boot.notConverged > 0) notes.push(`${boot.notConverged} of ${resamples} bootstrap refits did not meet the convergence test (kept in the intervals)`);
  }

  const predictions: Prediction[] = requests.map((r, i) => ({ at: r.at, error: law.predict(fit.params, r.input), ci95: predictionIntervals[i] }));
  const optimal = allocationLaw ? optimalFor(allocationLaw.law, allocationLaw.fit.params).map((o, i) => ({ ...o, error_ci95: optimalIntervals[i] })) : [];
  const holdout = options.holdout ? holdoutReport(law, objective, frontierSpec, runs, options.holdout, shouldStop, runner) : undefined;
  return {
    group,
    law: law.name,
    frontier: frontierName(frontierSpec),
    objective: objectiveName(objective),
    n_points: runs.length,
    n_used: points.length,
    params: fit.params,
    ci95,
    rmse_log10: fit.rmseLog10,
    converged: fit.converged,
    reason: fit.reason,
    iterations: fit.iterations,
    at_bound: fit.atBound,
    not_identifiable: fit.notIdentifiable,
    formula: law.formula(fit.params),
    predictions,
    optimal,
    holdout,
    notes,
    frontier_points: points.map((pt) => ({ compute: pt.compute, error: pt.error, line: pt.line })),
    bootstrap: bootstrapInfo,
    bootstrap_params: bootstrapParams,
    compute_per_sample: k,
  };
}

/** A fit from the law's own multi-start grid; least squares runs LM from the 60 best-scoring of the joint law's 4,500. */
function fullFitOptions(law: Law, objective: Objective, shouldStop: ShouldStop | undefined, runner: ParallelRunner | undefined): FitOptions {
  return law.name === 'joint' && objective.kind === 'ls' ? { maxLocalStarts: 60, shouldStop, runner } : { shouldStop, runner };
}

interface SelectedPoint extends FrontierPoint {
  line: number;
  params?: number;
  samples?: number;
}

function selectPoints(spec: FrontierSpec, runs: Run[]): SelectedPoint[] {
  return frontier(spec, runs.map((r) => r.compute), runs.map((r) => r.error)).map((pt) => {
    const run = runs[pt.source];
    return { ...pt, line: run.line, params: run.params, samples: run.samples };
  });
}

function resolvePrediction(spec: DatasetSpec, request: PredictionRequest, law: Law): { at: Record<string, number | string>; input: LawInput } {
  if (request.arch !== undefined) {
    const arch = spec.architectures?.get(request.arch);
    if (!arch) throw new UsageError(`--predict arch=${request.arch}: not in the architecture table${spec.architectures ? ` (${[...spec.architectures.keys()].join(', ')})` : ' (none was found beside the results file)'}`);
    if (request.samples === undefined) throw new UsageError(`--predict arch=${request.arch}: also give samples=D`);
    const compute = arch.computePerSample * request.samples;
    return { at: { arch: request.arch, samples: request.samples, compute, params: arch.params }, input: { compute, params: arch.params, samples: request.samples } };
  }
  if (law.inputs === 'compute') {
    if (request.compute === undefined) throw new UsageError(`--predict: the ${law.name} law is a function of compute: use --predict compute=C`);
    return { at: { compute: request.compute }, input: { compute: request.compute } };
  }
  if (request.params === undefined || request.samples === undefined) throw new UsageError(`--predict: the ${law.name} law needs params=N,samples=D`);
  return { at: { params: request.params, samples: request.samples }, input: { params: request.params, samples: request.samples } };
}

/** Refit without the highest-compute fraction of runs; score predictions on held-out runs that lie on the Pareto frontier. */
function holdoutReport(law: Law, objective: Objective, frontierSpec: FrontierSpec, runs: Run[], fraction: number, shouldStop: ShouldStop | undefined, runner: ParallelRunner | undefined): HoldoutReport {
  const sorted = [...runs].sort((a, b) => a.compute - b.compute);
  const nHeld = Math.max(1, Math.ceil(sorted.length * fraction));
  const train = sorted.slice(0, sorted.length - nHeld);
  const held = sorted.slice(sorted.length - nHeld);
  const empty: HoldoutReport = { fraction, n_train: train.length, n_heldout: held.length, mae_pp: null, rmse_log10: null, n_evaluated: 0 };
  const points = selectPoints(frontierSpec, train);
  if (points.length < law.thetaNames.length) return empty;
  const fit = fitLaw(law, lawData(points), objective, fullFitOptions(law, objective, shouldStop, runner));
  const onFrontier = new Set(frontier({ kind: 'pareto' }, sorted.map((r) => r.compute), sorted.map((r) => r.error)).map((pt) => sorted[pt.source]));
  const evaluated = held.filter((r) => onFrontier.has(r));
  if (evaluated.length === 0) return empty;
  let abs = 0;
  let squares = 0;
  for (const run of evaluated) {
    const predicted = law.predict(fit.params, { compute: run.compute, params: run.params, samples: run.samples });
    abs += Math.abs(predicted - run.error) * 100;
    squares += Math.log10(predicted / run.error) ** 2;
  }
  return { ...empty, mae_pp: abs / evaluated.length, rmse_log10: Math.sqrt(squares / evaluated.length), n_evaluated: evaluated.length };
}

/** Allocation needs L(N, D): the joint law itself, or a joint fit beside a compute-only law. */
function allocationFit(law: Law, fit: FitResult, runs: Run[], objective: Objective, notes: string[], shouldStop: ShouldStop | undefined, runner: ParallelRunner | undefined): { law: Law; fit: FitResult } | undefined {
  if (law.inputs === 'params-samples') return { law, fit };
  const usable = runs.filter((r) => r.params && r.samples);
  const joint = lawByName('joint');
  if (usable.length < joint.paramNames.length + 1) return undefined;
  const jointFit = fitLaw(joint, lawData(usable), objective.kind === 'ls' ? { kind: 'huber', delta: 1e-3 } : objective, { shouldStop, runner });
  notes.push(`compute-optimal allocation from a joint law fitted to all ${usable.length} runs (Huber δ=1e-3): ${joint.formula(jointFit.params)}${jointFit.converged ? '' : ' — did not converge'}`);
  return { law: joint, fit: jointFit };
}

function computePerSampleModel(spec: DatasetSpec, runs: Run[]): ComputePerSample | undefined {
  if (spec.computeModel === 'six-n') return sixN();
  const options = architectureOptions(spec, runs);
  return fitComputePerSample(options, spec.architectures ? 'architecture table' : 'runs (compute ÷ samples)');
}

function architectureOptions(spec: DatasetSpec, runs: Run[]): ArchitectureOption[] {
  if (spec.architectures) return [...spec.architectures.values()].map((a) => ({ name: a.name, params: a.params, computePerSample: a.computePerSample }));
  const byName = new Map<string, ArchitectureOption>();
  for (const run of runs) {
    if (!run.params || !run.samples) continue;
    const name = run.arch ?? `N=${run.params}`;
    if (!byName.has(name)) byName.set(name, { name, params: run.params, computePerSample: run.compute / run.samples });
  }
  return [...byName.values()];
}
