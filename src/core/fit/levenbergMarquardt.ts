/**
 * Levenberg–Marquardt on log-space residuals for least squares and Huber losses, with stopping rules that are
 * relative to the data (never an absolute objective threshold, so a small Huber δ does not stop it at once).
 * Written here rather than taken from npm: ml-levenberg-marquardt has no robust loss, an absolute error
 * tolerance, and no stopping reason; MINPACK-style rules are what SciPy's least_squares uses too.
 *
 * Curvature: Gauss–Newton with the loss's own second derivative (2 for squares; 1 inside Huber's quadratic zone,
 * 0 outside), so Huber fits take Newton steps once the points inside the zone settle. The damping term is the
 * IRLS majoriser Σ min(1, δ/|r|)·JᵀJ (plus a little of its diagonal, for flat directions): heavily damped steps
 * are short IRLS steps, lightly damped ones Newton steps. On the Chinchilla bootstrap this takes 12 iterations
 * where Marquardt's diagonal damping took 17, IRLS alone about 100 and L-BFGS-B 65.
 */
import type { Law, LawData, Linearisation } from '../laws/law';
import { emptyLinearisation, makeLinearise } from './linearise';
import { makeObjective, type Objective } from './objective';

export interface LocalFitOptions {
  maxIterations?: number;
  /** Relative reduction of the objective (actual and predicted) below which a fit has converged. */
  ftol?: number;
  /** Largest gradient component relative to the sum of the absolute terms it is made of. */
  gtol?: number;
  /**
   * A known optimum: the fit stops (reason 'reached the known optimum') once every component is within 1e-3
   * (relative) of it, since it would only converge there. Bootstrap quick starts stop at the warm result.
   */
  knownOptimum?: Float64Array;
}

/** Defaults: tolerances near machine precision (the fits are cheap; their optimum is what the intervals rest on). */
export const LOCAL_FIT_DEFAULTS: Readonly<Required<Omit<LocalFitOptions, 'knownOptimum'>>> = {
  maxIterations: 500,
  ftol: 1e-14,
  gtol: 1e-10,
};

type CheckedLocalFitOptions = Required<Omit<LocalFitOptions, 'knownOptimum'>> & Pick<LocalFitOptions, 'knownOptimum'>;

/** The options with their defaults filled in; throws a RangeError naming the option that is out of range. */
export function checkLocalFitOptions(options: LocalFitOptions, p: number): CheckedLocalFitOptions {
  const maxIterations = options.maxIterations ?? LOCAL_FIT_DEFAULTS.maxIterations;
  const ftol = options.ftol ?? LOCAL_FIT_DEFAULTS.ftol;
  const gtol = options.gtol ?? LOCAL_FIT_DEFAULTS.gtol;
  if (!Number.isInteger(maxIterations) || maxIterations < 0)
    throw new RangeError(`Levenberg–Marquardt maxIterations must be a non-negative integer, not ${maxIterations}`);
  if (!(ftol >= 0)) throw new RangeError(`Levenberg–Marquardt ftol must be a number ≥ 0, not ${ftol}`);
  if (!(gtol >= 0)) throw new RangeError(`Levenberg–Marquardt gtol must be a number ≥ 0, not ${gtol}`);
  if (options.knownOptimum && options.knownOptimum.length !== p)
    throw new RangeError(
      `Levenberg–Marquardt knownOptimum has ${options.knownOptimum.length} components for ${p} parameters`,
    );
  return { maxIterations, ftol, gtol, knownOptimum: options.knownOptimum };
}

/** Two parameter vectors this close lie in the same basin: a fit from one converges to the other. */
export function sameBasin(x: ArrayLike<number>, y: ArrayLike<number>): boolean {
  for (let k = 0; k < x.length; k++) if (Math.abs(x[k] - y[k]) > 1e-3 * (1 + Math.abs(y[k]))) return false;
  return true;
}

export const REACHED_KNOWN_OPTIMUM = 'reached the known optimum';

export interface LocalFit {
  x: Float64Array;
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  reason: string;
}

/** Share of the majoriser's diagonal added to the damping, so that it stays positive definite in flat directions. */
const DIAGONAL_DAMPING = 1e-3;
/** Past this damping no step, however short, reduces the objective: it is at its minimum to machine precision. */
const LAMBDA_LIMIT = 1e16;
/** The damping of the first step, and the factor it grows by after a refused step (doubled each time in a row). */
const INITIAL_LAMBDA = 1e-3;
const INITIAL_NU = 2;
/** A step is accepted when it reduces the objective by more than this share of the model's predicted reduction. */
const ACCEPT_RATIO = 1e-4;

export function levenbergMarquardt(
  law: Law,
  data: LawData,
  objective: Objective,
  start: ArrayLike<number>,
  options: LocalFitOptions = {},
): LocalFit {
  const p = start.length;
  const { maxIterations, ftol, gtol, knownOptimum } = checkLocalFitOptions(options, p);
  // Trial points need the loss alone (the law's fused objective when it has one); accepted points the full pass.
  const lossAt = makeObjective(law, data, objective);
  const linearisePass = makeLinearise(law, data, objective);
  const pass = emptyLinearisation(p);
  const { gradient, gradientScale } = pass;
  const damping = new Float64Array(p);
  const system = new Float64Array(p * p);
  const step = new Float64Array(p);
  let x = Float64Array.from(start);
  let trial = new Float64Array(p);
  const linearise = (theta: Float64Array): number => {
    const value = linearisePass(theta, pass);
    dampingDiagonal(pass.majoriser, damping);
    return value;
  };

  let value = linearise(x);
  let evaluations = 1;
  const result = (iterations: number, converged: boolean, reason: string): LocalFit => ({
    x,
    value,
    iterations,
    evaluations,
    converged,
    reason,
  });
  if (!Number.isFinite(value) || !x.every(Number.isFinite))
    return result(0, false, 'objective is not finite at the start point');
  let lambda = INITIAL_LAMBDA;
  let nu = INITIAL_NU;
  /** The damping after a refused step; false when it is past its limit (no step can reduce the objective). */
  const refuse = (): boolean => {
    lambda *= nu;
    nu *= 2;
    return lambda <= LAMBDA_LIMIT;
  };
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    if (relativeGradient(gradient, gradientScale) <= gtol)
      return result(iteration - 1, true, 'gradient below tolerance (relative to its terms)');
    for (;;) {
      if (!dampedStep(pass, damping, lambda, system, step)) {
        if (!refuse()) return stalled(iteration);
        continue;
      }
      const predicted = predictedReduction(pass, step);
      for (let k = 0; k < p; k++) trial[k] = x[k] + step[k];
      const trialValue = lossAt(trial);
      evaluations++;
      const actual = value - trialValue;
      const ratio = predicted > 0 ? actual / predicted : -1;
      if (Number.isFinite(trialValue) && actual > 0 && ratio > ACCEPT_RATIO) {
        [x, trial] = [trial, x];
        const previous = value;
        value = linearise(x);
        evaluations++;
        // Nielsen's update: less damping the better the model predicted the reduction.
        lambda *= Math.max(1 / 3, 1 - Math.pow(2 * ratio - 1, 3));
        nu = INITIAL_NU;
        if (actual <= ftol * previous && predicted <= ftol * previous && ratio <= 2)
          return result(iteration, true, 'relative reduction of the objective below tolerance');
        if (knownOptimum && sameBasin(x, knownOptimum)) return result(iteration, true, REACHED_KNOWN_OPTIMUM);
        break;
      }
      // Both tiny: the objective cannot be reduced further in floating point.
      if (Math.abs(actual) <= ftol * value && predicted <= ftol * value && predicted >= 0)
        return result(iteration, true, 'relative reduction of the objective below tolerance');
      if (!refuse()) return stalled(iteration);
    }
  }
  return result(maxIterations, false, `iteration limit (${maxIterations}) reached`);

  function stalled(iteration: number): LocalFit {
    // No step decreases the objective: a minimum to machine precision when the gradient is small, else stuck.
    const relative = relativeGradient(gradient, gradientScale);
    const ok = relative <= 1e-6;
    return result(
      iteration,
      ok,
      ok
        ? 'no step decreases the objective (minimum to machine precision)'
        : `no step decreases the objective but the gradient is not small (relative ${relative.toExponential(1)})`,
    );
  }
}

/** The damping's diagonal: the majoriser's, floored so that a parameter the data do not move still gets a finite step. */
function dampingDiagonal(majoriser: Float64Array, damping: Float64Array): void {
  const p = damping.length;
  let largest = 0;
  for (let k = 0; k < p; k++) largest = Math.max(largest, majoriser[k * p + k]);
  for (let k = 0; k < p; k++) damping[k] = Math.max(majoriser[k * p + k], 1e-12 * largest, 1e-300);
}

/**
 * The step s solving (curvature + λ·majoriser + λ·DIAGONAL_DAMPING·diag(damping))·s = −gradient into `step`;
 * false when that system is not positive definite (more damping needed).
 */
export function dampedStep(
  { gradient, curvature, majoriser }: Linearisation,
  damping: Float64Array,
  lambda: number,
  system: Float64Array,
  step: Float64Array,
): boolean {
  const p = step.length;
  for (let k = 0; k < p; k++) {
    for (let l = 0; l < p; l++) system[k * p + l] = curvature[k * p + l] + lambda * majoriser[k * p + l];
    system[k * p + k] += lambda * DIAGONAL_DAMPING * damping[k];
    step[k] = -gradient[k];
  }
  return choleskySolve(system, step, p);
}

/** The reduction the quadratic model predicts for a step s: −(gᵀs + ½ sᵀHs), H the curvature. */
function predictedReduction({ gradient, curvature }: Linearisation, step: Float64Array): number {
  const p = step.length;
  let gs = 0;
  let sHs = 0;
  for (let k = 0; k < p; k++) {
    gs += gradient[k] * step[k];
    let row = 0;
    for (let l = 0; l < p; l++) row += curvature[k * p + l] * step[l];
    sHs += step[k] * row;
  }
  return -(gs + 0.5 * sHs);
}

/** max_k |g_k| / Σ_i |ψ_i·J_ik|: how far the gradient is from cancelling, independent of the objective's scale. */
function relativeGradient(gradient: Float64Array, scale: Float64Array): number {
  let worst = 0;
  for (let k = 0; k < gradient.length; k++) {
    const g = Math.abs(gradient[k]);
    if (g === 0) continue;
    worst = Math.max(worst, scale[k] > 0 ? g / scale[k] : Infinity);
  }
  return worst;
}

/** Solves A·x = b in place (b becomes x) for symmetric positive definite A (p × p, row-major); false if not SPD. */
export function choleskySolve(a: Float64Array, b: Float64Array, p: number): boolean {
  for (let j = 0; j < p; j++) {
    let d = a[j * p + j];
    for (let k = 0; k < j; k++) d -= a[j * p + k] * a[j * p + k];
    if (!(d > 0) || !Number.isFinite(d)) return false;
    const root = Math.sqrt(d);
    a[j * p + j] = root;
    for (let i = j + 1; i < p; i++) {
      let s = a[i * p + j];
      for (let k = 0; k < j; k++) s -= a[i * p + k] * a[j * p + k];
      a[i * p + j] = s / root;
    }
  }
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= a[i * p + k] * b[k];
    b[i] = s / a[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < p; k++) s -= a[k * p + i] * b[k];
    b[i] = s / a[i * p + i];
  }
  return true;
}
