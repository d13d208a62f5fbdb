/**
 * L = E + A/N^α + B/D^β (Hoffmann et al. 2022, "Chinchilla" approach 3). θ = (ln E, ln A, ln B, α, β);
 * ln pred = logsumexp(ln E, ln A − α ln N, ln B − β ln D), as in that paper.
 */
import { formatNumber, NEGLIGIBLE_SHARE, type Law, type LawData } from './law';
import { jointStarts } from './variableProjection';

export const jointLaw: Law = {
  name: 'joint',
  spec: { name: 'joint' },
  thetaNames: ['E', 'A', 'B', 'alpha', 'beta'],
  paramNames: ['E', 'A', 'B', 'alpha', 'beta'],
  inputs: 'params-samples',
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
        const k = 5 * i;
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
      // The loss is written out here as in makeObjective: sharing it through a helper measured 25 % slower
      // on bench/joint.ts.
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
  predict: (p, at) => p.E + p.A / Math.pow(at.params!, p.alpha) + p.B / Math.pow(at.samples!, p.beta),
  formula: (p, digits = 3) => `L = ${formatNumber(p.E, digits)} + ${formatNumber(p.A, digits)}/N^${formatNumber(p.alpha, digits)} + ${formatNumber(p.B, digits)}/D^${formatNumber(p.beta, digits)}`,
};

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
