/**
 * Multi-start fit of a law to log-space points. Every local fit is Levenberg–Marquardt on the loss (least squares
 * or Huber) with stopping rules relative to the data; a large Huber grid is screened first with a few L-BFGS
 * iterations per start. The result says how it ended (iterations, stopping reason), which parameters sit at a
 * bound, and whether the data determine the parameters at all. With a ParallelRunner the screen and the local
 * fits run across threads, with identical results.
 */
import type { Law, LawData, LawParams } from '../laws/law';
import { ordinaryLeastSquares } from '../laws/power';
import { stopIfAsked, type ShouldStop } from '../errors';
import type { ParallelRunner } from '../parallel';
import { notIdentifiable } from './diagnostics';
import type { LocalFit } from './levenbergMarquardt';
import { flattenStarts, prepareLocalFit, prepareScreen, type Screened, type StartsJob } from './localTasks';
import { lossAndSlope, type Objective } from './objective';

export interface LawFit {
  law: Law['name'];
  theta: Float64Array;
  params: LawParams;
  value: number;
  rmseLog10: number;
  /** Iterations of the optimiser run that produced θ (0 for a closed form). */
  iterations: number;
  converged: boolean;
  /** How the fit ended, in words. */
  reason: string;
  /** Public parameter names at or near a bound of their range (e.g. 'e_inf' of the saturating law → 0). */
  atBound: string[];
  /** Why the data cannot determine the parameters (identical compute values, a flat direction), else null. */
  notIdentifiable: string | null;
  startsTried: number;
}

const SCREEN_ABOVE = 200;
/** Beyond this many points a multi-start search runs on an evenly spaced subsample of this size. */
const SEARCH_SAMPLE = 500;
const SCREEN_ITERATIONS = 10;
const SCREEN_KEEP = 50;
/** Objective evaluations of a screen and of a local fit, for the work estimate that decides on threads. */
const SCREEN_EVALUATIONS = 15;
const LOCAL_EVALUATIONS = 40;

export interface FitOptions {
  /** Replaces the law's own multi-start grid. */
  starts?: Float64Array[];
  /** For least squares on large grids: run local fits only from this many best-scoring starts. */
  maxLocalStarts?: number;
  /** Polled between starts: a superseded fit stops within one local optimisation. */
  shouldStop?: ShouldStop;
  /** Beyond this many points the multi-start search runs on a subsample this size (default 500; Infinity: never). */
  searchSample?: number;
  /** Runs the screen and the local fits across threads. */
  runner?: ParallelRunner;
}

export function fitLaw(law: Law, data: LawData, objective: Objective, options: FitOptions = {}): LawFit {
  if (isPlainPower(law) && objective.kind === 'ls' && !options.starts) {
    const theta = ordinaryLeastSquares(data);
    return finish(
      law,
      data,
      objective,
      theta,
      { iterations: 0, converged: true, reason: 'closed-form least squares' },
      1,
    );
  }
  let starts = options.starts ?? law.starts(data);
  const startsTried = starts.length;
  const searchSample = options.searchSample ?? SEARCH_SAMPLE;
  if (data.n > searchSample && starts.length > 1) {
    // Every start on every point costs starts × n (4,500 × 100k runs for a joint law): search on a subsample, then
    // refine only the winner on all points (its local fit and the checks below use the full data).
    const rough = fitLaw(law, subsample(data, searchSample), objective, options);
    starts = [rough.theta];
  }
  const job = (list: Float64Array[], screenIterations?: number): StartsJob => ({
    law: law.spec,
    data,
    objective,
    starts: flattenStarts(list),
    screenIterations,
  });
  if (objective.kind === 'huber' && starts.length > SCREEN_ABOVE) {
    // Screened multi-start: a few L-BFGS iterations from every start, then only the most promising run to
    // convergence. On the 4,500-start Chinchilla grid this reaches the same optimum as running every start fully.
    const screened = runStarts<Screened>(
      options,
      'screen',
      job(starts, SCREEN_ITERATIONS),
      starts.length,
      data.n * SCREEN_EVALUATIONS,
      prepareScreen,
    );
    starts = screened
      .filter((r) => Number.isFinite(r.value))
      .sort((a, b) => a.value - b.value)
      .slice(0, SCREEN_KEEP)
      .map((r) => r.x);
  } else if (options.maxLocalStarts && starts.length > options.maxLocalStarts) {
    const scored = runStarts<Screened>(options, 'screen', job(starts, 0), starts.length, data.n, prepareScreen);
    starts = scored
      .filter((r) => Number.isFinite(r.value))
      .sort((a, b) => a.value - b.value)
      .slice(0, options.maxLocalStarts)
      .map((r) => r.x);
  }
  if (starts.length === 0)
    return finish(
      law,
      data,
      objective,
      new Float64Array(law.thetaNames.length).fill(NaN),
      { iterations: 0, converged: false, reason: 'the objective was not finite from any start' },
      startsTried,
    );
  const locals = runStarts<LocalFit>(
    options,
    'localFit',
    job(starts),
    starts.length,
    data.n * LOCAL_EVALUATIONS,
    prepareLocalFit,
  );
  let best: LocalFit | undefined;
  for (const local of locals)
    if (Number.isFinite(local.value) && local.x.every(Number.isFinite) && (!best || local.value < best.value))
      best = local;
  if (!best)
    return finish(
      law,
      data,
      objective,
      starts[0],
      { iterations: 0, converged: false, reason: 'the objective was not finite from any start' },
      startsTried,
    );
  return finish(law, data, objective, best.x, best, startsTried);
}

/** The power law itself (no fixed or tied parameter): least squares has a closed form. */
function isPlainPower(law: Law): boolean {
  return law.name === 'power' && law.thetaNames.length === 2;
}

function runStarts<R>(
  options: FitOptions,
  task: 'screen' | 'localFit',
  job: StartsJob,
  count: number,
  workPerItem: number,
  prepare: (job: StartsJob) => (i: number) => R,
): R[] {
  if (options.runner)
    return options.runner.run(task, job, count, { shouldStop: options.shouldStop, workPerItem }) as R[];
  const run = prepare(job);
  return Array.from({ length: count }, (_, i) => (stopIfAsked(options.shouldStop), run(i)));
}

/** The fit's summary numbers and its honest account: convergence, parameters at a bound, identifiability. */
export function finish(
  law: Law,
  data: LawData,
  objective: Objective,
  theta: Float64Array,
  end: { iterations: number; converged: boolean; reason: string },
  startsTried: number,
): LawFit {
  const pred = new Float64Array(data.n);
  law.logPredict(theta, data, pred);
  let value = 0;
  let squares = 0;
  let count = 0;
  for (let i = 0; i < data.n; i++) {
    const r = data.logE[i] - pred[i];
    const w = data.weight ? data.weight[i] : 1;
    value += w * lossAndSlope(objective, r)[0];
    squares += w * r * r;
    count += w;
  }
  const rmseLog10 = Math.sqrt(squares / Math.max(1, count)) / Math.LN10;
  const allFinite = theta.every(Number.isFinite) && Number.isFinite(value);
  const atBound = allFinite && law.atBound ? law.atBound(theta, data) : [];
  const flat = allFinite ? notIdentifiable(law, data, theta, atBound) : null;
  let converged = end.converged && allFinite;
  let reason = allFinite ? end.reason : 'parameters are not finite';
  if (flat && converged) {
    converged = false;
    reason = `${end.reason}, but ${flat}`;
  }
  return {
    law: law.name,
    theta,
    params: law.toParams(theta),
    value,
    rmseLog10,
    iterations: end.iterations,
    converged,
    reason,
    atBound,
    notIdentifiable: flat,
    startsTried,
  };
}

/** `size` points evenly spaced through the data (every (n/size)-th), for a multi-start search on large data. */
function subsample(data: LawData, size: number): LawData {
  const step = data.n / size;
  const pick = (values: Float64Array | undefined) =>
    values && Float64Array.from({ length: size }, (_, k) => values[Math.floor(k * step)]);
  return { n: size, logE: pick(data.logE)!, logC: pick(data.logC)!, logN: pick(data.logN), logD: pick(data.logD) };
}
