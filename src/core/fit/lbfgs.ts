/**
 * Limited-memory BFGS for smooth unconstrained objectives: the few iterations per start of a large multi-start
 * screen (local fits to convergence use levenbergMarquardt.ts). No maintained JS package offers L-BFGS with
 * analytic gradients and stopping rules comparable to SciPy's, so it is written here.
 * Stopping rules follow SciPy's L-BFGS-B defaults: relative decrease ≤ ftol, or max |gradient| ≤ gtol.
 */
export type ValueAndGradient = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  memory?: number;
  maxIterations?: number;
  ftol?: number;
  gtol?: number;
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
  const m = options.memory ?? 10;
  const maxIterations = options.maxIterations ?? 15000;
  const ftol = options.ftol ?? 2.220446049250313e-9;
  const gtol = options.gtol ?? 1e-5;
  const n = start.length;
  let x = Float64Array.from(start);
  let g = new Float64Array(n);
  let fx = f(x, g);
  let evaluations = 1;
  if (!Number.isFinite(fx)) return { x, value: fx, iterations: 0, evaluations, converged: false, reason: 'objective is not finite at the start point' };

  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(m);
  const d = new Float64Array(n);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    if (maxAbs(g) <= gtol) return { x, value: fx, iterations: iteration - 1, evaluations, converged: true, reason: 'gradient below tolerance' };
    // Two-loop recursion: d = −H·g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(S[k], d);
      axpy(-alpha[k], Y[k], d);
    }
    if (S.length > 0) {
      const last = S.length - 1;
      const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    }
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dot(Y[k], d);
      axpy(alpha[k] - beta, S[k], d);
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = dot(g, d);
    }
    // Backtracking line search with Armijo condition and quadratic/cubic interpolation.
    let step = S.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let fNew = NaN;
    let accepted = false;
    let previousStep = 0;
    let previousValue = fx;
    for (let trial = 0; trial < 40; trial++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = f(xNew, gNew);
      evaluations++;
      if (Number.isFinite(fNew) && fNew <= fx + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      const next = Number.isFinite(fNew) ? interpolate(fx, slope, step, fNew, previousStep, previousValue) : step * 0.1;
      previousStep = step;
      previousValue = fNew;
      step = Math.min(Math.max(next, step * 0.1), step * 0.5);
    }
    if (!accepted) return { x, value: fx, iterations: iteration, evaluations, converged: false, reason: 'line search failed to decrease the objective' };

    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-10 * dot(y, y)) {
      if (S.length === m) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const decrease = (fx - fNew) / Math.max(Math.abs(fx), Math.abs(fNew), 1);
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    fx = fNew;
    if (decrease <= ftol) return { x, value: fx, iterations: iteration, evaluations, converged: true, reason: 'relative reduction of the objective below tolerance' };
  }
  return { x, value: fx, iterations: maxIterations, evaluations, converged: false, reason: `iteration limit (${maxIterations}) reached` };
}

function interpolate(f0: number, slope: number, step: number, fStep: number, previousStep: number, previousValue: number): number {
  if (previousStep === 0 || !Number.isFinite(previousValue)) {
    // Minimiser of the quadratic through f(0), f'(0), f(step).
    return (-slope * step * step) / (2 * (fStep - f0 - slope * step));
  }
  // Cubic through f(0), f'(0), f(step), f(previousStep).
  const a1 = fStep - f0 - slope * step;
  const a2 = previousValue - f0 - slope * previousStep;
  const denom = step * step * previousStep * previousStep * (step - previousStep);
  const a = (previousStep * previousStep * a1 - step * step * a2) / denom;
  const b = (-previousStep * previousStep * previousStep * a1 + step * step * step * a2) / denom;
  if (a === 0) return -slope / (2 * b);
  const disc = b * b - 3 * a * slope;
  return disc < 0 ? step * 0.5 : (-b + Math.sqrt(disc)) / (3 * a);
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function axpy(scale: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += scale * x[i];
}

function maxAbs(a: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]));
  return max;
}
