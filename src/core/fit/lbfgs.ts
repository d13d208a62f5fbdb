/**
 * Limited-memory BFGS for smooth unconstrained objectives: the few iterations per start of a large multi-start
 * screen (local fits to convergence use levenbergMarquardt.ts). No maintained JS package offers L-BFGS with
 * analytic gradients and stopping rules comparable to SciPy's, so it is written here: this driver, its direction
 * step (lbfgsDirection.ts, the two-loop recursion) and its line-search step (lineSearch.ts).
 */
import { CurvaturePairs, descentDirection } from './lbfgsDirection';
import { backtrackingLineSearch } from './lineSearch';
import { maxAbs } from './vector';

export type ValueAndGradient = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  /** Curvature pairs kept for the inverse-Hessian approximation. */
  memory?: number;
  maxIterations?: number;
  /** Stop when an iteration's decrease relative to max(|f|, |f₊|, 1) is at most this. */
  ftol?: number;
  /** Stop when the largest gradient component is at most this (absolute). */
  gtol?: number;
}

/** SciPy's L-BFGS-B defaults (maxcor, maxiter, ftol = 1e4·machine ε for factr 1e7, gtol = pgtol). */
export const LBFGS_DEFAULTS: Readonly<Required<LbfgsOptions>> = {
  memory: 10,
  maxIterations: 15000,
  ftol: 2.220446049250313e-9,
  gtol: 1e-5,
};

/** The options with their defaults filled in; throws a RangeError naming the option that is out of range. */
export function checkLbfgsOptions(options: LbfgsOptions = {}): Required<LbfgsOptions> {
  const checked = {
    memory: options.memory ?? LBFGS_DEFAULTS.memory,
    maxIterations: options.maxIterations ?? LBFGS_DEFAULTS.maxIterations,
    ftol: options.ftol ?? LBFGS_DEFAULTS.ftol,
    gtol: options.gtol ?? LBFGS_DEFAULTS.gtol,
  };
  if (!Number.isInteger(checked.memory) || checked.memory < 1)
    throw new RangeError(`L-BFGS memory must be a positive integer, not ${checked.memory}`);
  if (!Number.isInteger(checked.maxIterations) || checked.maxIterations < 0)
    throw new RangeError(`L-BFGS maxIterations must be a non-negative integer, not ${checked.maxIterations}`);
  if (!(checked.ftol >= 0)) throw new RangeError(`L-BFGS ftol must be a number ≥ 0, not ${checked.ftol}`);
  if (!(checked.gtol >= 0)) throw new RangeError(`L-BFGS gtol must be a number ≥ 0, not ${checked.gtol}`);
  return checked;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: string;
}

export function lbfgs(f: ValueAndGradient, start: ArrayLike<number>, options: LbfgsOptions = {}): LbfgsResult {
  const { memory, maxIterations, ftol, gtol } = checkLbfgsOptions(options);
  const n = start.length;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  const result = (iterations: number, converged: boolean, reason: string): LbfgsResult => ({
    x,
    value: fx,
    iterations,
    evaluations,
    converged,
    reason,
  });
  if (!Number.isFinite(fx)) return result(0, false, 'objective is not finite at the start point');

  const pairs = new CurvaturePairs(memory);
  const d = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    if (maxAbs(g) <= gtol) return result(iteration - 1, true, 'gradient below tolerance');
    const slope = descentDirection(g, pairs, d);
    // Without curvature pairs the direction has no scale: a first step of length at most 1 along −g.
    const firstStep = pairs.size === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    const search = backtrackingLineSearch(f, x, fx, d, slope, firstStep, xNew, gNew);
    evaluations += search.evaluations;
    if (!search.accepted) return result(iteration, false, 'line search failed to decrease the objective');

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    pairs.add(s, y);
    const decrease = (fx - search.value) / Math.max(Math.abs(fx), Math.abs(search.value), 1);
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = search.value;
    if (decrease <= ftol) return result(iteration, true, 'relative reduction of the objective below tolerance');
  }
  return result(maxIterations, false, `iteration limit (${maxIterations}) reached`);
}
