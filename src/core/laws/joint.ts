/**
 * L = E + A/N^α + B/D^β (Hoffmann et al. 2022, "Chinchilla" approach 3). θ = (ln E, ln A, ln B, α, β);
 * ln pred = logsumexp(ln E, ln A − α ln N, ln B − β ln D), as in that paper.
 */
import { defineLaw, formatNumber, NEGLIGIBLE_SHARE, type LawData } from './law';
import { jointStarts } from './variableProjection';

const PARAM_NAMES = ['E', 'A', 'B', 'alpha', 'beta'] as const;
/** The Jacobian's row length, and the side of linearise's p × p matrices. */
const P = PARAM_NAMES.length;

export const jointLaw = defineLaw({
  name: 'joint',
  spec: { name: 'joint' },
  thetaNames: PARAM_NAMES,
  paramNames: PARAM_NAMES,
  inputs: 'params-samples',
  symbol: 'L',
  logPredict(theta, data, out, jac) {
    const logN = data.logN!;
    const logD = data.logD!;
    const e = theta[0];
    const a = theta[1];
    const b = theta[2];
    const alpha = theta[3];
    const beta = theta[4];
    // exp(ln E) is the same for every point; the shifted (log-sum-exp) form takes over only where the plain sum
    // would overflow or underflow (the fits' hot loop, as in fusedObjective).
    const expE = Math.exp(e);
    for (let i = 0; i < data.n; i++) {
      const u1 = a - alpha * logN[i];
      const u2 = b - beta * logD[i];
      let w0 = expE;
      let w1 = Math.exp(u1);
      let w2 = Math.exp(u2);
      let sum = w0 + w1 + w2;
      if (sum > 1e-300 && sum < 1e300) out[i] = Math.log(sum);
      else {
        const m = e > u1 ? (e > u2 ? e : u2) : u1 > u2 ? u1 : u2;
        w0 = Math.exp(e - m);
        w1 = Math.exp(u1 - m);
        w2 = Math.exp(u2 - m);
        sum = w0 + w1 + w2;
        out[i] = m + Math.log(sum);
      }
      if (jac) {
        const k = P * i;
        const inverse = 1 / sum;
        jac[k] = w0 * inverse;
        jac[k + 1] = w1 * inverse;
        jac[k + 2] = w2 * inverse;
        jac[k + 3] = -w1 * inverse * logN[i];
        jac[k + 4] = -w2 * inverse * logD[i];
      }
    }
  },
  fusedObjective(theta, data, delta, gradient) {
    const logN = data.logN!;
    const logD = data.logD!;
    const logE = data.logE;
    const weight = data.weight;
    const e = theta[0];
    const a = theta[1];
    const b = theta[2];
    const alpha = theta[3];
    const beta = theta[4];
    let value = 0;
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    let g3 = 0;
    let g4 = 0;
    // exp(ln E) is the same for every point; the terms stay far from overflow for any sensible θ, and the
    // shifted (log-sum-exp) form takes over where they do not.
    const expE = Math.exp(e);
    for (let i = 0; i < data.n; i++) {
      const ln = logN[i];
      const ld = logD[i];
      const u1 = a - alpha * ln;
      const u2 = b - beta * ld;
      let w0 = expE;
      let w1 = Math.exp(u1);
      let w2 = Math.exp(u2);
      let sum = w0 + w1 + w2;
      let logSum: number;
      if (sum > 1e-300 && sum < 1e300) logSum = Math.log(sum);
      else {
        const m = e > u1 ? (e > u2 ? e : u2) : u1 > u2 ? u1 : u2;
        w0 = Math.exp(e - m);
        w1 = Math.exp(u1 - m);
        w2 = Math.exp(u2 - m);
        sum = w0 + w1 + w2;
        logSum = m + Math.log(sum);
      }
      const r = logE[i] - logSum;
      // The loss is written out here as in makeObjective (objective.ts lossTerms is the reference, tested equal):
      // sharing it through a helper measured 25 % slower on bench/joint.ts.
      const w = weight ? weight[i] : 1;
      let slope: number;
      if (delta === null) {
        value += w * r * r;
        slope = 2 * w * r;
      } else if (r <= delta && r >= -delta) {
        value += w * 0.5 * r * r;
        slope = w * r;
      } else {
        value += w * delta * ((r < 0 ? -r : r) - 0.5 * delta);
        slope = w * (r < 0 ? -delta : delta);
      }
      if (gradient) {
        const k = slope / sum;
        g0 -= k * w0;
        g1 -= k * w1;
        g2 -= k * w2;
        g3 += k * w1 * ln;
        g4 += k * w2 * ld;
      }
    }
    if (gradient) {
      gradient[0] = g0;
      gradient[1] = g1;
      gradient[2] = g2;
      gradient[3] = g3;
      gradient[4] = g4;
    }
    return value;
  },
  // Written out with one local per sum (no arrays in the loop): the hot loop of bootstrap refits.
  linearise(theta, data, delta, out) {
    const logN = data.logN!;
    const logD = data.logD!;
    const logE = data.logE;
    const weight = data.weight;
    const e = theta[0];
    const a = theta[1];
    const b = theta[2];
    const alpha = theta[3];
    const beta = theta[4];
    const expE = Math.exp(e);
    let value = 0;
    let g0 = 0;
    let g1 = 0;
    let g2 = 0;
    let g3 = 0;
    let g4 = 0;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let s4 = 0;
    let m00 = 0;
    let m10 = 0;
    let m11 = 0;
    let m20 = 0;
    let m21 = 0;
    let m22 = 0;
    let m30 = 0;
    let m31 = 0;
    let m32 = 0;
    let m33 = 0;
    let m40 = 0;
    let m41 = 0;
    let m42 = 0;
    let m43 = 0;
    let m44 = 0;
    let c00 = 0;
    let c10 = 0;
    let c11 = 0;
    let c20 = 0;
    let c21 = 0;
    let c22 = 0;
    let c30 = 0;
    let c31 = 0;
    let c32 = 0;
    let c33 = 0;
    let c40 = 0;
    let c41 = 0;
    let c42 = 0;
    let c43 = 0;
    let c44 = 0;
    for (let i = 0; i < data.n; i++) {
      const u1 = a - alpha * logN[i];
      const u2 = b - beta * logD[i];
      let w0 = expE;
      let w1 = Math.exp(u1);
      let w2 = Math.exp(u2);
      let sum = w0 + w1 + w2;
      let logSum: number;
      if (sum > 1e-300 && sum < 1e300) logSum = Math.log(sum);
      else {
        const m = e > u1 ? (e > u2 ? e : u2) : u1 > u2 ? u1 : u2;
        w0 = Math.exp(e - m);
        w1 = Math.exp(u1 - m);
        w2 = Math.exp(u2 - m);
        sum = w0 + w1 + w2;
        logSum = m + Math.log(sum);
      }
      const r = logE[i] - logSum;
      const w = weight ? weight[i] : 1;
      // ρ, ψ, ρ'' and ψ(r)/r written out as in fusedObjective (lossTerms is the reference, tested equal).
      let slope: number;
      let second: number;
      let upper: number;
      if (delta === null) {
        value += w * r * r;
        slope = 2 * w * r;
        second = upper = 2 * w;
      } else if (r <= delta && r >= -delta) {
        value += w * 0.5 * r * r;
        slope = w * r;
        second = upper = w;
      } else {
        const abs = r < 0 ? -r : r;
        value += w * delta * (abs - 0.5 * delta);
        slope = w * (r < 0 ? -delta : delta);
        second = 0;
        upper = (w * delta) / abs;
      }
      // The Jacobian row d ln pred / dθ.
      const inverse = 1 / sum;
      const j0 = w0 * inverse;
      const j1 = w1 * inverse;
      const j2 = w2 * inverse;
      const j3 = -j1 * logN[i];
      const j4 = -j2 * logD[i];
      const t0 = slope * j0;
      const t1 = slope * j1;
      const t2 = slope * j2;
      const t3 = slope * j3;
      const t4 = slope * j4;
      g0 -= t0;
      g1 -= t1;
      g2 -= t2;
      g3 -= t3;
      g4 -= t4;
      s0 += t0 < 0 ? -t0 : t0;
      s1 += t1 < 0 ? -t1 : t1;
      s2 += t2 < 0 ? -t2 : t2;
      s3 += t3 < 0 ? -t3 : t3;
      s4 += t4 < 0 ? -t4 : t4;
      m00 += upper * j0 * j0;
      m10 += upper * j1 * j0;
      m11 += upper * j1 * j1;
      m20 += upper * j2 * j0;
      m21 += upper * j2 * j1;
      m22 += upper * j2 * j2;
      m30 += upper * j3 * j0;
      m31 += upper * j3 * j1;
      m32 += upper * j3 * j2;
      m33 += upper * j3 * j3;
      m40 += upper * j4 * j0;
      m41 += upper * j4 * j1;
      m42 += upper * j4 * j2;
      m43 += upper * j4 * j3;
      m44 += upper * j4 * j4;
      if (second !== 0) {
        c00 += second * j0 * j0;
        c10 += second * j1 * j0;
        c11 += second * j1 * j1;
        c20 += second * j2 * j0;
        c21 += second * j2 * j1;
        c22 += second * j2 * j2;
        c30 += second * j3 * j0;
        c31 += second * j3 * j1;
        c32 += second * j3 * j2;
        c33 += second * j3 * j3;
        c40 += second * j4 * j0;
        c41 += second * j4 * j1;
        c42 += second * j4 * j2;
        c43 += second * j4 * j3;
        c44 += second * j4 * j4;
      }
    }
    const { gradient, gradientScale, curvature, majoriser } = out;
    gradient[0] = g0;
    gradient[1] = g1;
    gradient[2] = g2;
    gradient[3] = g3;
    gradient[4] = g4;
    gradientScale[0] = s0;
    gradientScale[1] = s1;
    gradientScale[2] = s2;
    gradientScale[3] = s3;
    gradientScale[4] = s4;
    // The sums' lower triangles, row by row, mirrored into both halves.
    storeSymmetric(majoriser, [m00, m10, m11, m20, m21, m22, m30, m31, m32, m33, m40, m41, m42, m43, m44]);
    storeSymmetric(curvature, [c00, c10, c11, c20, c21, c22, c30, c31, c32, c33, c40, c41, c42, c43, c44]);
    return value;
  },
  toParams: (t) => ({ E: Math.exp(t[0]), A: Math.exp(t[1]), B: Math.exp(t[2]), alpha: t[3], beta: t[4] }),
  fromParams: (p) => Float64Array.of(Math.log(p.E), Math.log(p.A), Math.log(p.B), p.alpha, p.beta),
  // Hoffmann et al.'s grid, and the variable-projection starts (deterministic, near the global optimum).
  starts: (data) => [...chinchillaGrid(data), ...jointStarts(data, 2)],
  quickStarts: (data) => jointStarts(data, 1),
  atBound(theta, data) {
    // A term whose share of the loss is negligible at every run has its coefficient at the bound 0.
    const largest = [0, 0, 0];
    const [e, a, b, alpha, beta] = theta;
    for (let i = 0; i < data.n; i++) {
      const terms = [e, a - alpha * data.logN![i], b - beta * data.logD![i]];
      const m = Math.max(...terms);
      const weights = terms.map((u) => Math.exp(u - m));
      const sum = weights[0] + weights[1] + weights[2];
      for (let k = 0; k < 3; k++) largest[k] = Math.max(largest[k], weights[k] / sum);
    }
    return ['E', 'A', 'B'].filter((_, k) => largest[k] < NEGLIGIBLE_SHARE);
  },
  rightHandSide: (p, digits) =>
    `${formatNumber(p.E, digits)} + ${formatNumber(p.A, digits)}/N^${formatNumber(p.alpha, digits)} + ${formatNumber(p.B, digits)}/D^${formatNumber(p.beta, digits)}`,
});

/** A symmetric P × P matrix (row-major) from its lower triangle listed row by row. */
function storeSymmetric(matrix: Float64Array, lower: number[]): void {
  for (let k = 0, at = 0; k < P; k++)
    for (let l = 0; l <= k; l++, at++) {
      matrix[k * P + l] = lower[at];
      matrix[l * P + k] = lower[at];
    }
}

/** Hoffmann et al.'s initialisation grid: α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}: 4,500 starts. */
export function chinchillaGrid(_data?: LawData): Float64Array[] {
  const starts: Float64Array[] = [];
  for (const alpha of [0, 0.5, 1, 1.5, 2])
    for (const beta of [0, 0.5, 1, 1.5, 2])
      for (const e of [-1, -0.5, 0, 0.5, 1])
        for (const a of [0, 5, 10, 15, 20, 25])
          for (const b of [0, 5, 10, 15, 20, 25]) starts.push(Float64Array.of(e, a, b, alpha, beta));
  return starts;
}
