/**
 * The direction step of L-BFGS: the last few curvature pairs (s, y) and the two-loop recursion that applies their
 * inverse-Hessian approximation to the gradient (Nocedal & Wright, Algorithm 7.4), d = −H·g.
 */
import { axpy, dot } from './vector';

/** Curvature pairs s = x₊ − x, y = g₊ − g of the latest accepted steps, oldest first, at most `capacity`. */
export class CurvaturePairs {
  readonly s: Float64Array[] = [];
  readonly y: Float64Array[] = [];
  /** 1 / (sᵀy) per pair. */
  readonly rho: number[] = [];
  /** The two-loop recursion's coefficients, one per pair. */
  readonly alpha: Float64Array;

  constructor(readonly capacity: number) {
    this.alpha = new Float64Array(capacity);
  }

  get size(): number {
    return this.s.length;
  }

  /**
   * Keeps the pair when it has enough positive curvature (sᵀy > 1e-10·yᵀy) for H to stay positive definite,
   * dropping the oldest when full; otherwise H keeps its previous pairs.
   */
  add(s: Float64Array, y: Float64Array): void {
    const sy = dot(s, y);
    if (!(sy > 1e-10 * dot(y, y))) return;
    if (this.s.length === this.capacity) {
      this.s.shift();
      this.y.shift();
      this.rho.shift();
    }
    this.s.push(s);
    this.y.push(y);
    this.rho.push(1 / sy);
  }

  clear(): void {
    this.s.length = this.y.length = this.rho.length = 0;
  }
}

/**
 * d = −H·g by the two-loop recursion, H₀ = γ·I with γ = sᵀy / yᵀy of the latest pair (the identity when there is
 * none). Returns the slope gᵀd; when that is not negative (numerical trouble) the pairs are dropped and d is the
 * steepest descent −g instead.
 */
export function descentDirection(gradient: Float64Array, pairs: CurvaturePairs, direction: Float64Array): number {
  const { s: S, y: Y, rho, alpha } = pairs;
  const n = gradient.length;
  for (let i = 0; i < n; i++) direction[i] = -gradient[i];
  for (let k = S.length - 1; k >= 0; k--) {
    alpha[k] = rho[k] * dot(S[k], direction);
    axpy(-alpha[k], Y[k], direction);
  }
  if (S.length > 0) {
    const last = S.length - 1;
    const gamma = dot(S[last], Y[last]) / dot(Y[last], Y[last]);
    for (let i = 0; i < n; i++) direction[i] *= gamma;
  }
  for (let k = 0; k < S.length; k++) {
    const beta = rho[k] * dot(Y[k], direction);
    axpy(alpha[k] - beta, S[k], direction);
  }
  const slope = dot(gradient, direction);
  if (slope < 0) return slope;
  pairs.clear();
  for (let i = 0; i < n; i++) direction[i] = -gradient[i];
  return dot(gradient, direction);
}
