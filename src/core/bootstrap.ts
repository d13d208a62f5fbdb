/**
 * Bootstrap over runs: each resample draws runs with replacement (its own seeded stream, so the intervals do not
 * depend on how many threads ran it), rebuilds the frontier, and finds that resample's own optimum: a local fit to
 * tight, data-relative tolerances from the full-data optimum, and from the law's quick deterministic starts on
 * the resample (variable projection for the joint and saturating laws, a small grid for the broken law) in case
 * the optimum moved to another basin (it does, rarely: Huber with a small δ has nearby local optima). Resamples
 * without a usable fit are counted, never silently dropped.
 */
import { stopIfAsked, type ShouldStop } from './errors';
import { levenbergMarquardt, REACHED_KNOWN_OPTIMUM, sameBasin, type LocalFit } from './fit/levenbergMarquardt';
import { makeObjective, type Objective } from './fit/objective';
import { frontier, type FrontierPoint, type FrontierSpec } from './frontier';
import { lawFromSpec } from './laws/index';
import type { Law, LawData, LawParams, LawSpec } from './laws/law';
import { ordinaryLeastSquares } from './laws/power';
import type { ParallelRunner } from './parallel';
import { Random } from './random';

/** The runs a bootstrap resamples, as columns. */
export interface RunColumns {
  compute: Float64Array;
  error: Float64Array;
  params?: Float64Array;
  samples?: Float64Array;
}

export interface BootstrapJob {
  law: LawSpec;
  objective: Objective;
  frontier: FrontierSpec;
  runs: RunColumns;
  /** The full-data optimum: every resample's first start. */
  warmStart: Float64Array;
  seed: number;
}

export interface ResampleFit {
  /** null when the resample gave no usable fit (see failure). */
  theta: Float64Array | null;
  value: number;
  iterations: number;
  converged: boolean;
  failure: string | null;
  /** A start other than the warm start found a lower objective. */
  movedBasin: boolean;
}

export interface BootstrapOutcome<T> {
  params: LawParams[];
  derived: T[];
  /** Resamples without a usable fit (too few distinct points, no finite optimum), left out of the intervals. */
  failed: number;
  /** Resamples whose optimiser did not meet its convergence test: kept in the intervals, and counted. */
  notConverged: number;
  /** Resamples where a quick start found a better optimum than the warm start. */
  movedBasin: number;
  /** Mean iterations of the refits kept. */
  meanIterations: number;
}

/** Without quick starts of its own, a law's grid this small is screened for the two best starts. */
const SMALL_GRID = 64;
/** Points × objective evaluations of one resample, for the work estimate that decides on threads. */
const RESAMPLE_EVALUATIONS = 80;

export function bootstrap<T>(
  law: Law,
  objective: Objective,
  frontierSpec: FrontierSpec,
  runs: RunColumns,
  fullTheta: Float64Array,
  resamples: number,
  seed: number,
  options: { shouldStop?: ShouldStop; runner?: ParallelRunner },
  derive: (params: LawParams) => T,
): BootstrapOutcome<T> {
  const job: BootstrapJob = { law: law.spec, objective, frontier: frontierSpec, runs, warmStart: fullTheta, seed };
  let fits: ResampleFit[];
  if (options.runner)
    fits = options.runner.run('bootstrap', job, resamples, {
      shouldStop: options.shouldStop,
      workPerItem: runs.compute.length * RESAMPLE_EVALUATIONS,
    });
  else {
    const refit = prepareResample(job);
    fits = Array.from({ length: resamples }, (_, b) => (stopIfAsked(options.shouldStop), refit(b)));
  }
  const outcome: BootstrapOutcome<T> = {
    params: [],
    derived: [],
    failed: 0,
    notConverged: 0,
    movedBasin: 0,
    meanIterations: 0,
  };
  for (const fit of fits) {
    if (!fit.theta) {
      outcome.failed++;
      continue;
    }
    if (!fit.converged) outcome.notConverged++;
    if (fit.movedBasin) outcome.movedBasin++;
    outcome.meanIterations += fit.iterations;
    const params = law.toParams(fit.theta);
    outcome.params.push(params);
    outcome.derived.push(derive(params));
  }
  outcome.meanIterations /= Math.max(1, outcome.params.length);
  return outcome;
}

/** The refit of resample b, as a function of the job alone (a worker thread runs the same code). */
export function prepareResample(job: BootstrapJob): (b: number) => ResampleFit {
  const law = lawFromSpec(job.law);
  const p = law.thetaNames.length;
  const { runs } = job;
  const total = runs.compute.length;
  const closedForm = law.name === 'power' && p === 2 && job.objective.kind === 'ls';
  // Runs with the same inputs share a design id (computed once): a resample's distinct points are its distinct ids.
  const design = designIds(law, runs);
  const seen = new Uint8Array(total);
  const slot = new Int32Array(total);
  return (b) => {
    const pick = resampleIndices(job.seed, b, total);
    const compute = new Float64Array(total);
    const error = new Float64Array(total);
    for (let k = 0; k < total; k++) {
      compute[k] = runs.compute[pick[k]];
      error[k] = runs.error[pick[k]];
    }
    const points = frontier(job.frontier, compute, error);
    // A run drawn several times is one point with that weight: the same fit on about 2/3 of the points.
    slot.fill(-1);
    const kept: FrontierPoint[] = [];
    const weights: number[] = [];
    for (const pt of points) {
      const run = pick[pt.source];
      if (slot[run] < 0) {
        slot[run] = kept.length;
        kept.push(pt);
        weights.push(0);
      }
      weights[slot[run]]++;
    }
    const m = kept.length;
    const data: LawData = {
      n: m,
      logE: new Float64Array(m),
      logC: new Float64Array(m),
      weight: Float64Array.from(weights),
    };
    if (runs.params && runs.samples) {
      data.logN = new Float64Array(m);
      data.logD = new Float64Array(m);
    }
    seen.fill(0);
    let distinct = 0;
    kept.forEach((pt, j) => {
      const run = pick[pt.source];
      data.logE[j] = Math.log(pt.error);
      // The frontier's compute (a bin centre for binned frontiers), not necessarily the run's.
      data.logC[j] = Math.log(pt.compute);
      if (data.logN) {
        data.logN[j] = Math.log(runs.params![run]);
        data.logD![j] = Math.log(runs.samples![run]);
      }
      if (!seen[design[run]]) {
        seen[design[run]] = 1;
        distinct++;
      }
    });
    if (distinct < Math.max(2, Math.min(p, points.length)) || m < p)
      return failed(`${distinct} distinct point(s) for ${p} parameters`);
    if (closedForm) {
      const theta = ordinaryLeastSquares(data);
      return { theta, value: NaN, iterations: 0, converged: true, failure: null, movedBasin: false };
    }
    const warm = levenbergMarquardt(law, data, job.objective, job.warmStart);
    let best: LocalFit | null = usable(warm) ? warm : null;
    let movedBasin = false;
    for (const start of quickStarts(law, data, job.objective)) {
      if (best && sameBasin(start, best.x)) continue;
      // A quick start that comes within reach of the warm result would only converge there: it stops.
      const local = levenbergMarquardt(law, data, job.objective, start, { knownOptimum: best?.x });
      if (local.reason === REACHED_KNOWN_OPTIMUM) continue;
      if (usable(local) && (!best || local.value < best.value)) {
        // Counted as a move when the objective improves beyond rounding.
        movedBasin ||= best !== null && local.value < best.value * (1 - 1e-9);
        best = local;
      }
    }
    if (!best) return failed(warm.reason);
    return {
      theta: best.x,
      value: best.value,
      iterations: best.iterations,
      converged: best.converged,
      failure: null,
      movedBasin,
    };
  };
}

/** Per run, the index of the first run with the same inputs (compute, or N and D). */
function designIds(law: Law, runs: RunColumns): Int32Array {
  const first = new Map<string, number>();
  return Int32Array.from(runs.compute, (compute, i) => {
    const key = law.inputs === 'compute' ? String(compute) : `${runs.params![i]},${runs.samples![i]}`;
    if (!first.has(key)) first.set(key, i);
    return first.get(key)!;
  });
}

/** The runs drawn (with replacement) for resample b of a bootstrap with this seed. */
export function resampleIndices(seed: number, b: number, total: number): Int32Array {
  const random = Random.stream(seed, b);
  return Int32Array.from({ length: total }, () => random.int(total));
}

function failed(reason: string): ResampleFit {
  return { theta: null, value: NaN, iterations: 0, converged: false, failure: reason, movedBasin: false };
}

function usable(fit: LocalFit): boolean {
  return Number.isFinite(fit.value) && fit.x.every(Number.isFinite);
}

/** The law's quick starts on this resample; else its grid when small, screened for the two best by objective. */
function quickStarts(law: Law, data: LawData, objective: Objective): Float64Array[] {
  if (law.quickStarts) return law.quickStarts(data);
  const grid = law.starts(data);
  if (grid.length <= 1 || grid.length > SMALL_GRID) return [];
  const evaluate = makeObjective(law, data, objective);
  return grid
    .map((start) => ({ start, value: evaluate(start) }))
    .filter((s) => Number.isFinite(s.value))
    .sort((a, b) => a.value - b.value)
    .slice(0, 2)
    .map((s) => s.start);
}
