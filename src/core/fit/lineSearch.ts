/**
 * The line-search step of L-BFGS: backtracking from a first trial step until the Armijo condition holds, each new
 * trial at the minimiser of a quadratic or cubic interpolating what is known of f along the direction.
 */
import type { ValueAndGradient } from './lbfgs';

/** Sufficient decrease: f(x + t·d) ≤ f(x) + ARMIJO·t·gᵀd. */
const ARMIJO = 1e-4;
/** Trial steps before the search gives up (each at most half the previous: t shrinks by 2⁴⁰ at least). */
const MAX_TRIALS = 40;
/** Each new trial step lies within [SHRINK_MIN, SHRINK_MAX] times the previous one. */
const SHRINK_MIN = 0.1;
const SHRINK_MAX = 0.5;

export interface LineSearchResult {
  accepted: boolean;
  /** f at the accepted point (written to xNew, with its gradient in gNew); NaN or a larger value when not accepted. */
  value: number;
  evaluations: number;
}

/**
 * Backtracks along d from x (where f is fx with slope gᵀd < 0) starting at `step`: the accepted point goes to xNew
 * and its gradient to gNew.
 */
export function backtrackingLineSearch(
  f: ValueAndGradient,
  x: Float64Array,
  fx: number,
  d: Float64Array,
  slope: number,
  step: number,
  xNew: Float64Array,
  gNew: Float64Array,
): LineSearchResult {
  const n = x.length;
  let value = NaN;
  let previousStep = 0;
  let previousValue = fx;
  for (let trial = 0; trial < MAX_TRIALS; trial++) {
    for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
    value = f(xNew, gNew);
    if (Number.isFinite(value) && value <= fx + ARMIJO * step * slope)
      return { accepted: true, value, evaluations: trial + 1 };
    const next = Number.isFinite(value)
      ? interpolatedStep(fx, slope, step, value, previousStep, previousValue)
      : step * SHRINK_MIN;
    previousStep = step;
    previousValue = value;
    step = Math.min(Math.max(next, step * SHRINK_MIN), step * SHRINK_MAX);
  }
  return { accepted: false, value, evaluations: MAX_TRIALS };
}

/**
 * The minimiser along the line of the quadratic through f(0), f'(0) and f(step), or once a previous trial is known
 * the cubic through f(previousStep) as well.
 */
export function interpolatedStep(
  f0: number,
  slope: number,
  step: number,
  fStep: number,
  previousStep: number,
  previousValue: number,
): number {
  if (previousStep === 0 || !Number.isFinite(previousValue)) {
    return (-slope * step * step) / (2 * (fStep - f0 - slope * step));
  }
  const a1 = fStep - f0 - slope * step;
  const a2 = previousValue - f0 - slope * previousStep;
  const denom = step * step * previousStep * previousStep * (step - previousStep);
  const a = (previousStep * previousStep * a1 - step * step * a2) / denom;
  const b = (-previousStep * previousStep * previousStep * a1 + step * step * step * a2) / denom;
  if (a === 0) return -slope / (2 * b);
  const disc = b * b - 3 * a * slope;
  return disc < 0 ? step * 0.5 : (-b + Math.sqrt(disc)) / (3 * a);
}
