/**
 * Multi-start fit of a law to log-space points. Least squares runs ml-levenberg-marquardt from each start
 * (closed form for the power law); Huber runs L-BFGS. The best start is polished by L-BFGS, whose stopping
 * rule decides whether the fit converged, and the reason is kept.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import type { Law, LawData, LawParams } from '../laws/law';
import { ordinaryLeastSquares } from '../laws/power';
import { stopIfAsked, type ShouldStop } from '../errors';
import { fitDiagnostics } from './diagnostics';
import { lbfgs } from './lbfgs';
import { lossAndSlope, type Objective } from './objective';


export interface FitResult {
  law: Law['name'];
  theta: Float64Array;
  params: LawParams;
  value: number;
  rmseLog10: number;
  converged: boolean;
  reason: string;
  startsTried: number;
  /** Iterations of the local optimisation that won (and of its polish). */
  iterations: number;
  /** Parameters at or next to a bound of their range (e.g. the saturating floor E∞ → 0). */
  atBound: string[];
  /** Why the data cannot pin the parameters down (one compute value, too few distinct points), or null. */
  notIdentifiable: string | null;
}

const SCREEN_ABOVE = 200;
/** Beyond this many points a multi-start search runs on an evenly spaced subsample of this size. */
const SEARCH_SAMPLE = 500;
const SCREEN_ITERATIONS = 10;
const SCREEN_KEEP = 50;

export interface FitOptions {
  /** Replaces the law's own multi-start grid (bootstrap resamples start from the full-data fit). */
  starts?: Float64Array[];
  /** For least squares on large grids: run LM only from this many best-scoring starts. */
  maxLocalStarts?: number;
  /**
   * Polish the best start to tight tolerances and check stationarity (default). Bootstrap refits, warm-started at
   * the full-data optimum, skip it and use the optimiser's own stopping rule.
   */
  polish?: boolean;
  /** Polled between starts: a superseded fit stops within one local optimisation. */
  shouldStop?: ShouldStop;
  /** Beyond this many points the multi-start search runs on a subsample this size (default 500; Infinity: never). */
  searchSample?: number;
}

/** Objective value and gradient at θ. Hot loop of every fit: buffers are reused and the loss is inlined. */
export function makeObjective(law: Law, data: LawData, objective: Objective) {
  const p = law.paramNames.length;
  const n = data.n;
  const pred = new Float64Array(n);
  const jac = new Float64Array(n * p);
  const logE = data.logE;
  const huber = objective.kind === 'huber';
  const delta = objective.kind === 'huber' ? objective.delta : 0;
  if (law.fusedObjective) {
    const fused = law.fusedObjective.bind(law);
    const fusedDelta = huber ? delta : null;
    return (theta: Float64Array, gradient?: Float64Array): number => fused(theta, data, fusedDelta, gradient);
  }
  return (theta: Float64Array, gradient?: Float64Array): number => {
    law.logPredict(theta, data, pred, gradient ? jac : undefined);
    if (gradient) gradient.fill(0);
    let value = 0;
    for (let i = 0; i < n; i++) {
      const r = logE[i] - pred[i];
      let slope: number;
      if (!huber) {
        value += r * r;
        slope = 2 * r;
      } else if (r <= delta && r >= -delta) {
        value += 0.5 * r * r;
        slope = r;
      } else {
        value += delta * ((r < 0 ? -r : r) - 0.5 * delta);
        slope = r < 0 ? -delta : delta;
      }
      if (gradient) for (let k = 0, base = i * p; k < p; k++) gradient[k] -= slope * jac[base + k];
    }
    return value;
  };
}

export function fitLaw(law: Law, data: LawData, objective: Objective, options: FitOptions = {}): FitResult {
  if (law.name === 'power' && objective.kind === 'ls' && !options.starts) {
    const theta = ordinaryLeastSquares(data);
    return finish(law, data, objective, theta, true, 'closed-form least squares', 1, 0);
  }
  let starts = options.starts ?? law.starts(data);
  const startsTried = starts.length;
  const searchSample = options.searchSample ?? SEARCH_SAMPLE;
  if (data.n > searchSample && starts.length > 1) {
    // Every start on every point costs starts × n (4,500 × 100k runs for a joint law): search on a subsample, then
    // refine only the winner on all points (the refinement and its convergence check below use the full data).
    const rough = fitLaw(law, subsample(data, searchSample), objective, { ...options, polish: false });
    starts = [rough.theta];
  }
  const evaluate = makeObjective(law, data, objective);
  if (objective.kind === 'huber' && starts.length > SCREEN_ABOVE) {
    // Screened multi-start: a few L-BFGS iterations from every start, then only the most promising run to
    // convergence. On the 4,500-start Chinchilla grid this reaches the same optimum as running every start fully.
    starts = starts
      .map((start) => (stopIfAsked(options.shouldStop), lbfgs((x, g) => evaluate(x, g), start, { maxIterations: SCREEN_ITERATIONS })))
      .filter((r) => Number.isFinite(r.value))
      .sort((a, b) => a.value - b.value)
      .slice(0, SCREEN_KEEP)
      .map((r) => r.x);
  } else if (options.maxLocalStarts && starts.length > options.maxLocalStarts) {
    const scored = starts.map((s) => ({ s, v: evaluate(s) })).filter((x) => Number.isFinite(x.v));
    scored.sort((a, b) => a.v - b.v);
    starts = scored.slice(0, options.maxLocalStarts).map((x) => x.s);
  }
  let best: { theta: Float64Array; value: number; converged: boolean; reason: string; iterations: number } | undefined;
  for (const start of starts) {
    stopIfAsked(options.shouldStop);
    const local = objective.kind === 'ls' ? { ...levenbergMarquardtFrom(law, data, start), converged: true, reason: 'Levenberg–Marquardt' } : lbfgs((x, g) => evaluate(x, g), start);
    const value = evaluate(local.x);
    if (Number.isFinite(value) && (!best || value < best.value)) best = { theta: local.x, value, converged: local.converged, reason: local.reason, iterations: local.iterations };
  }
  if (!best) return finish(law, data, objective, starts[0] ?? new Float64Array(law.paramNames.length), false, 'the objective was not finite from any start', startsTried, 0);
  if (options.polish === false) return finish(law, data, objective, best.theta, best.converged, best.reason, startsTried, best.iterations);
  const polished = lbfgs((x, g) => evaluate(x, g), best.theta, { gtol: 1e-9, ftol: 1e-15, maxIterations: 2000 });
  const theta = polished.value <= best.value ? polished.x : best.theta;
  const gradientOk = checkStationary(evaluate, theta);
  const converged = gradientOk.ok;
  return finish(law, data, objective, theta, converged, converged ? polished.reason : `not stationary: largest gradient component ${gradientOk.largest.toExponential(2)} (${polished.reason})`, startsTried, best.iterations + polished.iterations);
}

/** A fit has converged when the objective's gradient at its optimum is small relative to the objective's scale. */
function checkStationary(evaluate: (theta: Float64Array, gradient?: Float64Array) => number, theta: Float64Array) {
  const gradient = new Float64Array(theta.length);
  const value = evaluate(theta, gradient);
  let largest = 0;
  for (const g of gradient) largest = Math.max(largest, Math.abs(g));
  return { ok: Number.isFinite(value) && largest <= 1e-4 * Math.max(1e-3, Math.sqrt(Math.abs(value))), largest };
}

function levenbergMarquardtFrom(law: Law, data: LawData, start: Float64Array): { x: Float64Array; iterations: number } {
  const p = start.length;
  const pred = new Float64Array(data.n);
  const jac = new Float64Array(data.n * p);
  const theta = new Float64Array(p);
  const x = Array.from({ length: data.n }, (_, i) => i);
  // The library evaluates the model one x at a time: compute all points once per parameter vector.
  let cachedFor: number[] | undefined;
  const refresh = (params: number[]) => {
    if (cachedFor && cachedFor.every((v, k) => v === params[k])) return;
    theta.set(params);
    law.logPredict(theta, data, pred, jac);
    cachedFor = params.slice();
  };
  try {
    const result = levenbergMarquardt({ x, y: Array.from(data.logE) }, (params: number[]) => {
      refresh(params);
      return (i: number) => pred[i];
    }, {
      initialValues: Array.from(start),
      maxIterations: 200,
      errorTolerance: 1e-12,
      damping: 1e-3,
      jacobianFunction: (params: number[]) => {
        refresh(params);
        return (i: number) => Array.from(jac.subarray(i * p, i * p + p));
      },
    });
    return { x: Float64Array.from(result.parameterValues), iterations: result.iterations };
  } catch {
    return { x: Float64Array.from(start), iterations: 0 };
  }
}

function finish(law: Law, data: LawData, objective: Objective, theta: Float64Array, converged: boolean, reason: string, startsTried: number, iterations: number): FitResult {
  const pred = new Float64Array(data.n);
  law.logPredict(theta, data, pred);
  let value = 0;
  let squares = 0;
  for (let i = 0; i < data.n; i++) {
    const r = data.logE[i] - pred[i];
    value += lossAndSlope(objective, r)[0];
    squares += r * r;
  }
  const rmseLog10 = Math.sqrt(squares / Math.max(1, data.n)) / Math.LN10;
  const allFinite = theta.every(Number.isFinite) && Number.isFinite(value);
  return {
    law: law.name,
    theta,
    params: law.toParams(theta),
    value,
    rmseLog10,
    converged: converged && allFinite,
    reason: allFinite ? reason : 'parameters are not finite',
    startsTried,
    iterations,
    ...fitDiagnostics(law, data, theta),
  };
}

/** `size` points evenly spaced through the data (every (n/size)-th), for a multi-start search on large data. */
function subsample(data: LawData, size: number): LawData {
  const step = data.n / size;
  const pick = (values: Float64Array | undefined) => values && Float64Array.from({ length: size }, (_, k) => values[Math.floor(k * step)]);
  return { n: size, logE: pick(data.logE)!, logC: pick(data.logC)!, logN: pick(data.logN), logD: pick(data.logD) };
}
