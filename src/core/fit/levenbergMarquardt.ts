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
import type { Law, LawData } from '../laws/law';
import type { Objective } from './objective';

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

const DEFAULT_FTOL = 1e-14;
const DEFAULT_GTOL = 1e-10;
/** Share of the majoriser's diagonal added to the damping, so that it stays positive definite in flat directions. */
const DIAGONAL_DAMPING = 1e-3;
/** Past this damping no step, however short, reduces the objective: it is at its minimum to machine precision. */
const LAMBDA_LIMIT = 1e16;

export function levenbergMarquardt(law: Law, data: LawData, objective: Objective, start: ArrayLike<number>, options: LocalFitOptions = {}): LocalFit {
  const p = start.length;
  const n = data.n;
  const maxIterations = options.maxIterations ?? 500;
  const ftol = options.ftol ?? DEFAULT_FTOL;
  const gtol = options.gtol ?? DEFAULT_GTOL;
  const huber = objective.kind === 'huber';
  const delta = huber ? objective.delta : 0;
  const logE = data.logE;
  const weight = data.weight;
  const pred = new Float64Array(n);
  const jac = new Float64Array(n * p);
  const gradient = new Float64Array(p);
  const gradientScale = new Float64Array(p);
  const curvature = new Float64Array(p * p);
  const majoriser = new Float64Array(p * p);
  const damping = new Float64Array(p);
  const system = new Float64Array(p * p);
  const step = new Float64Array(p);
  let x = Float64Array.from(start);
  let trial = new Float64Array(p);

  // Trial points need the loss alone: the law's fused objective when it has one (no prediction buffer).
  const fused = law.fusedObjective;
  const fusedDelta = huber ? delta : null;
  const lossAt = (theta: Float64Array): number => {
    if (fused) return fused.call(law, theta, data, fusedDelta);
    law.logPredict(theta, data, pred);
    let value = 0;
    for (let i = 0; i < n; i++) {
      const r = logE[i] - pred[i];
      const w = weight ? weight[i] : 1;
      if (!huber) value += w * r * r;
      else if (r <= delta && r >= -delta) value += w * 0.5 * r * r;
      else value += w * delta * ((r < 0 ? -r : r) - 0.5 * delta);
    }
    return value;
  };

  const fusedPass = law.linearise;
  const pass = { gradient, gradientScale, curvature, majoriser };
  /** Loss, gradient, Gauss–Newton curvature and the majoriser (the damping term) at θ, from the Jacobian. */
  const genericPass = (theta: Float64Array): number => {
    law.logPredict(theta, data, pred, jac);
    gradient.fill(0);
    gradientScale.fill(0);
    curvature.fill(0);
    majoriser.fill(0);
    let value = 0;
    for (let i = 0; i < n; i++) {
      const r = logE[i] - pred[i];
      const w = weight ? weight[i] : 1;
      let loss: number;
      let slope: number;
      let second: number;
      let upper: number;
      if (!huber) {
        loss = r * r;
        slope = 2 * r;
        second = 2;
        upper = 2;
      } else if (r <= delta && r >= -delta) {
        loss = 0.5 * r * r;
        slope = r;
        second = 1;
        upper = 1;
      } else {
        const a = r < 0 ? -r : r;
        loss = delta * (a - 0.5 * delta);
        slope = r < 0 ? -delta : delta;
        second = 0;
        upper = delta / a;
      }
      value += w * loss;
      slope *= w;
      second *= w;
      upper *= w;
      const base = i * p;
      for (let k = 0; k < p; k++) {
        const jk = jac[base + k];
        // d loss / dθ = −ψ(r)·d pred / dθ.
        gradient[k] -= slope * jk;
        gradientScale[k] += Math.abs(slope * jk);
        for (let l = 0; l <= k; l++) {
          const product = jk * jac[base + l];
          if (second !== 0) curvature[k * p + l] += second * product;
          majoriser[k * p + l] += upper * product;
        }
      }
    }
    for (let k = 0; k < p; k++)
      for (let l = 0; l < k; l++) {
        curvature[l * p + k] = curvature[k * p + l];
        majoriser[l * p + k] = majoriser[k * p + l];
      }
    return value;
  };
  /** The pass (the law's fused one when it has it), and the damping's diagonal floor. */
  const linearise = (theta: Float64Array): number => {
    const value = fusedPass ? fusedPass.call(law, theta, data, fusedDelta, pass) : genericPass(theta);
    let largest = 0;
    for (let k = 0; k < p; k++) largest = Math.max(largest, majoriser[k * p + k]);
    // A parameter the data do not move at all still gets a finite step length.
    for (let k = 0; k < p; k++) damping[k] = Math.max(majoriser[k * p + k], 1e-12 * largest, 1e-300);
    return value;
  };

  let value = linearise(x);
  let evaluations = 1;
  if (!Number.isFinite(value) || !x.every(Number.isFinite)) return done(x, value, 0, evaluations, false, 'objective is not finite at the start point');
  let lambda = 1e-3;
  let nu = 2;
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    if (relativeGradient(gradient, gradientScale) <= gtol) return done(x, value, iteration - 1, evaluations, true, 'gradient below tolerance (relative to its terms)');
    let accepted = false;
    while (!accepted) {
      for (let k = 0; k < p; k++) {
        for (let l = 0; l < p; l++) system[k * p + l] = curvature[k * p + l] + lambda * majoriser[k * p + l];
        system[k * p + k] += lambda * DIAGONAL_DAMPING * damping[k];
        step[k] = -gradient[k];
      }
      if (!choleskySolve(system, step, p)) {
        lambda = lambda * nu;
        nu *= 2;
        if (lambda > LAMBDA_LIMIT) return stalled(iteration);
        continue;
      }
      // Predicted reduction of the quadratic model: −(gᵀs + ½ sᵀHs).
      let gs = 0;
      let sHs = 0;
      for (let k = 0; k < p; k++) {
        gs += gradient[k] * step[k];
        let row = 0;
        for (let l = 0; l < p; l++) row += curvature[k * p + l] * step[l];
        sHs += step[k] * row;
      }
      const predicted = -(gs + 0.5 * sHs);
      for (let k = 0; k < p; k++) trial[k] = x[k] + step[k];
      const trialValue = lossAt(trial);
      evaluations++;
      const actual = value - trialValue;
      const ratio = predicted > 0 ? actual / predicted : -1;
      if (Number.isFinite(trialValue) && actual > 0 && ratio > 1e-4) {
        accepted = true;
        [x, trial] = [trial, x];
        const previous = value;
        value = linearise(x);
        evaluations++;
        lambda *= Math.max(1 / 3, 1 - Math.pow(2 * ratio - 1, 3));
        nu = 2;
        if (actual <= ftol * previous && predicted <= ftol * previous && ratio <= 2) return done(x, value, iteration, evaluations, true, 'relative reduction of the objective below tolerance');
        if (options.knownOptimum && sameBasin(x, options.knownOptimum)) return done(x, value, iteration, evaluations, true, REACHED_KNOWN_OPTIMUM);
      } else {
        // Both tiny: the objective cannot be reduced further in floating point.
        if (Math.abs(actual) <= ftol * value && predicted <= ftol * value && predicted >= 0) return done(x, value, iteration, evaluations, true, 'relative reduction of the objective below tolerance');
        lambda *= nu;
        nu *= 2;
        if (lambda > LAMBDA_LIMIT) return stalled(iteration);
      }
    }
  }
  return done(x, value, maxIterations, evaluations, false, `iteration limit (${maxIterations}) reached`);

  function stalled(iteration: number): LocalFit {
    // No step decreases the objective: a minimum to machine precision when the gradient is small, else stuck.
    const relative = relativeGradient(gradient, gradientScale);
    const ok = relative <= 1e-6;
    return done(x, value, iteration, evaluations, ok, ok ? 'no step decreases the objective (minimum to machine precision)' : `no step decreases the objective but the gradient is not small (relative ${relative.toExponential(1)})`);
  }
}

function done(x: Float64Array, value: number, iterations: number, evaluations: number, converged: boolean, reason: string): LocalFit {
  return { x, value, iterations, evaluations, converged, reason };
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
