/**
 * The whole fit: table → spec (detected, then overridden) → runs → per-group frontier → law fit → bootstrap
 * intervals, held-out validation, predictions and compute-optimal allocations. Shared by the CLI and the worker.
 */
import { describeLeftOut, extractRuns, type Run, type SkippedRows } from './dataset';
import { InputError, SettingError, UsageError, type Problem, type ShouldStop } from './errors';
import { formatNumber } from './format';
import { bootstrap, type RunColumns } from './bootstrap';
import { fitLaw, type FitOptions, type LawFit } from './fit/fitLaw';
import { objectiveName, type Objective } from './fit/objective';
import { fitWarnings } from './fitWarnings';
import { frontier, frontierName, type FrontierPoint, type FrontierSpec } from './frontier';
import { holdoutReport, type HoldoutReport, type HoldoutRule } from './holdout';
import { describeTable, type Table } from './ingest/table';
import { constrainedLaw, lawByName, lawData, type Law } from './laws/index';
import type { LawInput, LawName, LawParams } from './laws/law';
import {
  fitComputePerSample,
  optimalAllocation,
  sixN,
  type ArchitectureOption,
  type ComputePerSample,
  type OptimalAllocation,
} from './optimal';
import { findOutliers } from './outliers';
import { describeScale, type Direction, type MetricScale } from './schema/metric';
import { scoreMetric } from './schema/clipLayouts';
import type { ParallelRunner } from './parallel';
import type { DatasetSpec, Filter, LayoutProfile } from './schema/spec';
import { extent, interval95 } from './stats';
import type { FitWarning, Outlier } from './warnings';
import { groupBy } from './groupBy';

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
  /** Runs held out, the law refitted without them and scored on them (see holdout.ts). */
  holdout?: HoldoutRule;
  /** Bootstrap resamples of the held-out refit, for its per-run intervals (default: `bootstrap`). */
  holdoutBootstrap?: number;
  /** Whether higher or lower metric values are better; overrides the column's name. */
  direction?: Direction;
  /** A metric whose name does not state its direction is guessed, with a warning (the extension, which asks), not refused. */
  guessDirection?: boolean;
  /** Points to predict at (`--predict`), each with its bootstrap interval. */
  predict?: PredictionRequest[];
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

export type { HoldoutReport } from './holdout';

export interface GroupAnalysis {
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
  /** What makes this fit's numbers doubtful (fitWarnings.ts). */
  warnings: FitWarning[];
  /** Fitted points far off the law (robust z-score of the log10 residual beyond 3.5; outliers.ts). */
  outliers: Outlier[];
  /** Points the law was fitted to, with the line of the run each came from. */
  frontier_points: { compute: number; error: number; line: number }[];
  bootstrap: { resamples: number; failed: number; seed: number; notConverged: number } | null;
  /** The law's parameters refitted on each bootstrap resample (for intervals at points asked for later, e.g. a hover). */
  bootstrap_params: LawParams[] | null;
  compute_per_sample?: ComputePerSample;
  /** The law the compute-optimal rows come from: the fitted law itself, or a joint law fitted beside a compute-only law. */
  allocation?: { law: LawName; formula: string; params: LawParams; n_runs: number; objective: string; own: boolean };
}

export interface AnalysisResult {
  file: string;
  profile: LayoutProfile;
  metric: string;
  error_definition: string;
  scale: MetricScale;
  filters: Filter[];
  compute: string;
  notes: string[];
  /** How the metric was read, when worth a warning (a guessed direction, `%` cells, percents that look like fractions). */
  warnings: FitWarning[];
  fits: GroupAnalysis[];
  runs: Run[];
  /** Rows left out for a bad value (ragged, not a number, zero compute…), located: the first 100 of them. */
  problems: Problem[];
  /** How many rows were left out for a bad value in all. */
  problems_total: number;
  /** Rows left out because a quantity is missing on them, by reason (also in the notes). */
  left_out: SkippedRows[];
}

/** A group with fewer usable points than its law has parameters: left out (with a note) while the others are fitted. */
class TooFewPoints extends InputError {}

export function resolveSpec(table: Table, detected: DatasetSpec, options: AnalysisOptions): DatasetSpec {
  const spec: DatasetSpec = {
    ...detected,
    filters: [...detected.filters],
    notes: [...detected.notes],
    unresolved: { ...detected.unresolved },
    origins: { ...detected.origins },
  };
  if (options.task !== undefined) {
    if (!spec.taskColumn)
      throw new SettingError('task', undefined, `${table.file} has no task column`, 'filter-instead');
    spec.filters = spec.filters.filter((f) => f.column !== spec.taskColumn);
    spec.filters.push({ column: spec.taskColumn, value: options.task });
  }
  // Flags come first: a filter on a column replaces the layout's own filter on it; the flags' filters all apply.
  const userFilters = options.filters ?? [];
  spec.filters = [...spec.filters.filter((f) => !userFilters.some((u) => u.column === f.column)), ...userFilters];
  if (options.metric) {
    const score = spec.scoreColumns?.includes(options.metric) ? options.metric : undefined;
    spec.metric = score ? scoreMetric(score) : options.metric;
    spec.scoreColumn = score;
    delete spec.unresolved!.metric;
    delete spec.origins!.metric;
  } else if (spec.taskMetric && spec.taskColumn)
    spec.metric = spec.taskMetric(table, spec.filters, spec.taskColumn, detected.metric);
  if (options.compute) {
    spec.compute = [options.compute];
    if (detected.profile === 'generic') spec.computeModel = undefined; // 6·N was the guess for a file without compute
    spec.notes = spec.notes.filter((note) => !note.startsWith('no compute column'));
    delete spec.unresolved!.compute;
    delete spec.origins!.compute;
  }
  if (options.params) {
    spec.params = options.params;
    spec.paramsScale = 1;
    delete spec.origins!.params;
  }
  if (options.samples) {
    spec.samples = options.samples;
    delete spec.origins!.samples;
  }
  if (options.direction) spec.direction = options.direction;
  if (options.group === null) spec.group = undefined;
  // The layout's own grouping keeps its pools (LAION-80M/400M/2B as one LAION group) when chosen again by name.
  else if (options.group !== undefined)
    spec.group = detected.group?.column === options.group ? detected.group : { column: options.group };
  return spec;
}

export function analyze(table: Table, spec: DatasetSpec, options: AnalysisOptions = {}): AnalysisResult {
  const law = constrainedLaw(lawByName(options.law ?? 'power').name, options, spec);
  const objective: Objective = options.objective ?? { kind: 'ls' };
  const extracted = extractRuns(table, spec, { guessDirection: options.guessDirection });
  const { scale, scaleNotes, problems, problemCount } = extracted;
  let runs = extracted.runs;
  const notes = [
    ...spec.notes,
    ...describeTable(table),
    describeScale(spec.metric, scale),
    ...describeLeftOut(extracted, spec.metric),
  ];
  const warnings: FitWarning[] = scaleNotes.map((n) => ({
    kind: 'metric-scale',
    message: n.message,
    ...(n.line !== undefined ? { line: n.line } : {}),
  }));
  if (law.inputs === 'params-samples') {
    const complete = runs.filter((r) => r.params !== undefined && r.samples !== undefined);
    if (complete.length === 0)
      throw new SettingError(
        'law',
        law.name,
        `the ${law.name} law needs parameters and samples for every run, and no run has both`,
        'name-params-samples',
      );
    if (complete.length < runs.length)
      notes.push(
        `${runs.length - complete.length} run(s) without parameters or samples seen left out of the ${law.name} law (lines ${runs
          .filter((r) => !complete.includes(r))
          .slice(0, 5)
          .map((r) => r.line)
          .join(', ')}${runs.length - complete.length > 5 ? ', …' : ''})`,
      );
    runs = complete;
  }
  const groups = groupBy(runs, (run) => run.group);
  const context: GroupContext = { table, spec, law, objective, scale, k: computePerSampleModel(spec, runs), options };
  const fits: GroupAnalysis[] = [];
  const tooSmall: TooFewPoints[] = [];
  for (const [group, groupRuns] of [...groups.entries()].sort((a, b) => b[1].length - a[1].length)) {
    try {
      fits.push(fitGroup(context, group, groupRuns));
    } catch (error) {
      if (!(error instanceof TooFewPoints)) throw error;
      tooSmall.push(error);
    }
  }
  if (fits.length === 0) {
    const error = tooSmall[0];
    if (tooSmall.length > 1) error.related = [...problems, ...tooSmall.slice(1).map((e) => e.toProblem())];
    else if (problems.length > 0) error.related = problems;
    throw error;
  }
  for (const skipped of tooSmall) notes.push(`not fitted — ${skipped.detail}`);
  return {
    file: table.file,
    profile: spec.profile,
    metric: spec.metric,
    error_definition: describeScale(spec.metric, scale),
    scale,
    filters: spec.filters,
    compute: spec.compute.join(' × '),
    notes,
    warnings,
    fits,
    runs,
    problems,
    problems_total: problemCount,
    left_out: extracted.missing,
  };
}

/** What every group of one analysis shares. */
interface GroupContext {
  table: Table;
  spec: DatasetSpec;
  law: Law;
  objective: Objective;
  scale: MetricScale;
  /** Compute per sample k(N), for compute-optimal allocations; undefined when it cannot be had. */
  k: ComputePerSample | undefined;
  options: AnalysisOptions;
}

/** One group's fit: its frontier, the law, intervals, held-out check, allocations, outliers and warnings, in that order. */
function fitGroup(context: GroupContext, group: string | null, runs: Run[]): GroupAnalysis {
  const { table, law, objective, options } = context;
  const notes: string[] = [];
  const frontierSpec = groupFrontier(context, runs, notes);
  const points = selectPoints(frontierSpec, runs);
  const p = law.thetaNames.length;
  if (points.length < p) {
    throw new TooFewPoints(
      { file: table.file, line: runs[0]?.line ?? 1, column: 1 },
      `${group ? `group "${group}": ` : ''}${points.length} usable point(s) on the ${frontierName(frontierSpec)} frontier but the ${law.name} law has ${p} parameters: need at least ${p}`,
    );
  }
  const fit = fitLaw(
    law,
    lawData(points),
    objective,
    fullFitOptions(law, objective, options.shouldStop, options.runner),
  );
  for (const [name, value] of Object.entries(law.fixed ?? {})) notes.push(`${name} fixed at ${value}`);
  const requests = (options.predict ?? []).map((request) => resolvePrediction(context.spec, request, law));
  const allocation = groupAllocation(context, fit, runs, notes);
  const intervals = bootstrapIntervals(context, {
    frontierSpec,
    runs,
    fit,
    fittedPoints: points.length,
    requests,
    allocation,
  });
  const predictions: Prediction[] = requests.map((r, i) => ({
    at: r.at,
    error: law.predict(fit.params, r.input),
    ci95: intervals.predictions[i],
  }));
  const optimal = allocation
    ? allocation
        .optimalFor(allocation.law, allocation.fit.params)
        .map((o, i) => ({ ...o, error_ci95: intervals.optimal[i] }))
    : [];
  const holdout = options.holdout ? groupHoldout(context, frontierSpec, runs, options.holdout) : undefined;
  const outliers = findOutliers(
    points.map((pt) => ({
      line: pt.line,
      residualLog10: Math.log10(
        pt.error / law.predict(fit.params, { compute: pt.compute, params: pt.params, samples: pt.samples }),
      ),
    })),
  );
  return {
    group,
    law: law.name,
    frontier: frontierName(frontierSpec),
    objective: objectiveName(objective),
    n_points: runs.length,
    n_used: points.length,
    params: fit.params,
    ci95: intervals.params,
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
    warnings: groupWarnings(context, { fit, points, runs, bootstrap: intervals.info, outliers }),
    outliers,
    frontier_points: points.map((pt) => ({ compute: pt.compute, error: pt.error, line: pt.line })),
    bootstrap: intervals.info,
    bootstrap_params: intervals.bootstrapParams,
    compute_per_sample: context.k,
    allocation: allocation && {
      law: allocation.law.name,
      formula: allocation.law.formula(allocation.fit.params),
      params: allocation.fit.params,
      n_runs: allocation.runs.length,
      objective: objectiveName(allocation.objective),
      own: allocation.law === law,
    },
  };
}

/** The group's frontier: the one asked for, else the law's default, else all points for a small group (with notes saying so). */
function groupFrontier({ spec, law, options }: GroupContext, runs: Run[], notes: string[]): FrontierSpec {
  let frontierSpec = options.frontier ?? defaultFrontier(law, spec);
  if (!options.frontier && !spec.frontierStated && law.inputs === 'params-samples') {
    notes.push(
      `the ${law.name} law models every (N, D) run: fitted to all ${runs.length} runs (its default; --frontier pareto fits the Pareto frontier only)`,
    );
  }
  if (
    !options.frontier &&
    spec.smallGroupAllPoints &&
    runs.length <= spec.smallGroupAllPoints &&
    frontierSpec.kind !== 'all'
  ) {
    frontierSpec = { kind: 'all' };
    notes.push(
      `only ${runs.length} runs: fitted to all points instead of the ${frontierName(spec.defaultFrontier)} frontier (as the paper does for OpenAI's 3 models)`,
    );
  }
  if (law.inputs === 'params-samples' && frontierSpec.kind === 'binned')
    throw new SettingError(
      'frontier',
      frontierName(frontierSpec),
      `a binned frontier places points at bin centres of compute, which have no (N, D) for the ${law.name} law`,
      'all-or-pareto',
    );
  return frontierSpec;
}

interface GroupAllocation {
  law: Law;
  fit: LawFit;
  objective: Objective;
  runs: Run[];
  /** The compute-optimal allocation of every budget under `params` of `lawUsed`. */
  optimalFor: (lawUsed: Law, params: LawParams) => OptimalAllocation[];
}

/** The law the compute-optimal rows come from (the fitted one, or a joint law beside it), when budgets are asked for. */
function groupAllocation(
  { spec, law, objective, k, options }: GroupContext,
  fit: LawFit,
  runs: Run[],
  notes: string[],
): GroupAllocation | undefined {
  const budgets = options.optimal ?? [];
  if (budgets.length === 0) return undefined;
  const allocationLaw = allocationFit(law, fit, runs, objective, notes, options.shouldStop, options.runner);
  if (!k)
    notes.push(
      'compute-optimal allocation needs parameters and samples per run (and an architecture table or 6·N): not computed',
    );
  if (!allocationLaw) return undefined;
  const archOptions = architectureOptions(spec, runs);
  const withParams = runs.filter((r) => r.params).map((r) => r.params!);
  const nRange: [number, number] = withParams.length > 0 ? extent(withParams) : [1e6, 1e9];
  return {
    ...allocationLaw,
    optimalFor: (lawUsed, params) =>
      k ? budgets.map((c) => optimalAllocation(lawUsed, params, c, k, archOptions, nRange)) : [],
  };
}

interface Intervals {
  params: GroupAnalysis['ci95'];
  predictions: ([number, number] | null)[];
  optimal: ([number, number] | null)[];
  info: GroupAnalysis['bootstrap'];
  bootstrapParams: LawParams[] | null;
}

/** Bootstrap 95 % intervals of the parameters, the predictions asked for and the compute-optimal errors (none without resamples). */
function bootstrapIntervals(
  { law, objective, k, options }: GroupContext,
  group: {
    frontierSpec: FrontierSpec;
    runs: Run[];
    fit: LawFit;
    fittedPoints: number;
    requests: ReturnType<typeof resolvePrediction>[];
    allocation: GroupAllocation | undefined;
  },
): Intervals {
  const { frontierSpec, runs, fit, requests, allocation } = group;
  const budgets = options.optimal ?? [];
  const intervals: Intervals = {
    params: null,
    predictions: requests.map(() => null),
    optimal: budgets.map(() => null),
    info: null,
    bootstrapParams: null,
  };
  const resamples = options.bootstrap ?? 0;
  const seed = options.seed ?? 0;
  const { shouldStop, runner } = options;
  if (resamples > 0 && group.fittedPoints > law.thetaNames.length) {
    const boot = bootstrap(
      law,
      objective,
      frontierSpec,
      runColumns(runs, law),
      fit.theta,
      resamples,
      seed,
      { shouldStop, runner },
      (params) => ({
        predictions: requests.map((r) => law.predict(params, r.input)),
        optimal: allocation && allocation.law === law ? allocation.optimalFor(law, params).map((o) => o.error) : [],
      }),
    );
    // A fixed parameter has its value and no interval.
    const varying = law.paramNames.filter((name) => !(name in (law.fixed ?? {})));
    intervals.params = Object.fromEntries(
      varying.map((name) => [name, interval95(boot.params.map((s) => s[name]))]).filter(([, v]) => v !== null),
    ) as Record<string, [number, number]>;
    intervals.predictions = requests.map((_, i) => interval95(boot.derived.map((d) => d.predictions[i])));
    intervals.optimal = budgets.map((_, i) => interval95(boot.derived.map((d) => d.optimal[i] ?? NaN)));
    intervals.info = { resamples, failed: boot.failed, seed, notConverged: boot.notConverged };
    intervals.bootstrapParams = boot.params;
  }
  // A joint law fitted beside a compute-only law for the allocation has no refits in the bootstrap above (that one
  // refits the plotted law): its own bootstrap over the same runs gives the compute-optimal rows their intervals.
  if (resamples > 0 && allocation && allocation.law !== law && k) {
    const boot = bootstrap(
      allocation.law,
      allocation.objective,
      { kind: 'all' },
      runColumns(allocation.runs, allocation.law),
      allocation.fit.theta,
      resamples,
      seed,
      { shouldStop, runner },
      (params) => allocation.optimalFor(allocation.law, params).map((o) => o.error),
    );
    intervals.optimal = budgets.map((_, i) => interval95(boot.derived.map((d) => d[i])));
  }
  return intervals;
}

/** The held-out check: the law refitted without the held-out runs (with its own bootstrap), scored on them. */
function groupHoldout(
  { table, law, objective, scale, options }: GroupContext,
  frontierSpec: FrontierSpec,
  runs: Run[],
  rule: HoldoutRule,
): HoldoutReport | undefined {
  const p = law.thetaNames.length;
  const resamples = options.bootstrap ?? 0;
  const { shouldStop, runner } = options;
  return holdoutReport(runs, rule, {
    table,
    law,
    frontier: frontierSpec,
    scale,
    refit: (train) => {
      const trainPoints = selectPoints(frontierSpec, train);
      return trainPoints.length < p
        ? null
        : fitLaw(law, lawData(trainPoints), objective, fullFitOptions(law, objective, shouldStop, runner)).params;
    },
    bootstrap: (train, refit) => {
      const holdoutResamples = resamples === 0 ? 0 : (options.holdoutBootstrap ?? resamples);
      if (holdoutResamples === 0 || selectPoints(frontierSpec, train).length <= p) return [];
      return bootstrap(
        law,
        objective,
        frontierSpec,
        runColumns(train, law),
        law.fromParams(refit),
        holdoutResamples,
        options.seed ?? 0,
        { shouldStop, runner },
        () => null,
      ).params;
    },
  });
}

function groupWarnings(
  { law, scale }: GroupContext,
  group: {
    fit: LawFit;
    points: SelectedPoint[];
    runs: Run[];
    bootstrap: GroupAnalysis['bootstrap'];
    outliers: Outlier[];
  },
): FitWarning[] {
  const labels = new Map(group.runs.map((r) => [r.line, r.label]));
  return fitWarnings({
    law,
    fit: group.fit,
    points: group.points,
    noun: scale.kind === 'loss' ? 'loss' : 'error',
    bootstrap: group.bootstrap,
    outliers: group.outliers,
    runName: (line) => {
      const label = labels.get(line);
      return label && label !== `line ${line}` ? `${label} (line ${line})` : `the run on line ${line}`;
    },
  });
}

/**
 * The frontier a law is fitted to when none is asked for: the joint law models every (N, D) run, so all runs (as
 * Chinchilla's approach 3); compute laws, the layout's default (the paper's binned:5, Pareto elsewhere, all for
 * training logs). A frontier stated in scaling-lens.json applies to every law.
 */
export function defaultFrontier(law: Law, spec: DatasetSpec): FrontierSpec {
  if (law.inputs === 'params-samples' && !spec.frontierStated) return { kind: 'all' };
  return spec.defaultFrontier;
}

/** A fit from the law's own multi-start grid; least squares runs LM from the 60 best-scoring of the joint law's 4,500. */
function fullFitOptions(
  law: Law,
  objective: Objective,
  shouldStop: ShouldStop | undefined,
  runner: ParallelRunner | undefined,
): FitOptions {
  return law.name === 'joint' && objective.kind === 'ls'
    ? { maxLocalStarts: 60, shouldStop, runner }
    : { shouldStop, runner };
}

interface SelectedPoint extends FrontierPoint {
  line: number;
  params?: number;
  samples?: number;
}

function selectPoints(spec: FrontierSpec, runs: Run[]): SelectedPoint[] {
  return frontier(
    spec,
    runs.map((r) => r.compute),
    runs.map((r) => r.error),
  ).map((pt) => {
    const run = runs[pt.source];
    return { ...pt, line: run.line, params: run.params, samples: run.samples };
  });
}

function resolvePrediction(
  spec: DatasetSpec,
  request: PredictionRequest,
  law: Law,
): { at: Record<string, number | string>; input: LawInput } {
  if (request.arch !== undefined) {
    const arch = spec.architectures?.get(request.arch);
    if (!arch)
      throw new UsageError(
        `--predict arch=${request.arch}: not in the architecture table${spec.architectures ? ` (${[...spec.architectures.keys()].join(', ')})` : ' (none was found beside the results file)'}`,
      );
    if (request.samples === undefined) throw new UsageError(`--predict arch=${request.arch}: also give samples=D`);
    const compute = arch.computePerSample * request.samples;
    return {
      at: { arch: request.arch, samples: request.samples, compute, params: arch.params },
      input: { compute, params: arch.params, samples: request.samples },
    };
  }
  if (law.inputs === 'compute') {
    if (request.compute === undefined)
      throw new UsageError(`--predict: the ${law.name} law is a function of compute: use --predict compute=C`);
    return { at: { compute: request.compute }, input: { compute: request.compute } };
  }
  if (request.params === undefined || request.samples === undefined)
    throw new UsageError(`--predict: the ${law.name} law needs params=N,samples=D`);
  return {
    at: { params: request.params, samples: request.samples },
    input: { params: request.params, samples: request.samples },
  };
}

/** The runs as the bootstrap resamples them: columns (shipped to the pool's threads as they are). */
function runColumns(runs: Run[], law: Law): RunColumns {
  const columns: RunColumns = {
    compute: Float64Array.from(runs, (r) => r.compute),
    error: Float64Array.from(runs, (r) => r.error),
  };
  if (law.inputs === 'params-samples') {
    columns.params = Float64Array.from(runs, (r) => r.params!);
    columns.samples = Float64Array.from(runs, (r) => r.samples!);
  }
  return columns;
}

/** Allocation needs L(N, D): the joint law itself, or a joint fit beside a compute-only law. */
function allocationFit(
  law: Law,
  fit: LawFit,
  runs: Run[],
  objective: Objective,
  notes: string[],
  shouldStop: ShouldStop | undefined,
  runner: ParallelRunner | undefined,
): { law: Law; fit: LawFit; objective: Objective; runs: Run[] } | undefined {
  if (law.inputs === 'params-samples') return { law, fit, objective, runs };
  const usable = runs.filter((r) => r.params && r.samples);
  const joint = lawByName('joint');
  if (usable.length < joint.paramNames.length + 1) return undefined;
  const jointObjective: Objective = objective.kind === 'ls' ? { kind: 'huber', delta: 1e-3 } : objective;
  const jointFit = fitLaw(joint, lawData(usable), jointObjective, { shouldStop, runner });
  notes.push(
    `compute-optimal allocation from a joint law fitted to all ${usable.length} runs (Huber δ=1e-3): ${joint.formula(jointFit.params)}${jointFit.converged ? '' : ' — did not converge'}`,
  );
  return { law: joint, fit: jointFit, objective: jointObjective, runs: usable };
}

function computePerSampleModel(spec: DatasetSpec, runs: Run[]): ComputePerSample | undefined {
  if (spec.computeModel === 'six-n') return sixN();
  const options = architectureOptions(spec, runs);
  return fitComputePerSample(options, spec.architectures ? 'architecture table' : 'runs (compute ÷ samples)');
}

function architectureOptions(spec: DatasetSpec, runs: Run[]): ArchitectureOption[] {
  if (spec.architectures)
    return [...spec.architectures.values()].map((a) => ({
      name: a.name,
      params: a.params,
      computePerSample: a.computePerSample,
    }));
  const byName = new Map<string, ArchitectureOption>();
  for (const run of runs) {
    if (!run.params || !run.samples) continue;
    const key = run.arch ?? String(run.params);
    if (!byName.has(key))
      byName.set(key, {
        name: run.arch ?? `N=${formatNumber(run.params)}`,
        params: run.params,
        computePerSample: run.compute / run.samples,
      });
  }
  return [...byName.values()];
}
