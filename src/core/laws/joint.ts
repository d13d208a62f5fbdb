/**
 * L = E + A/N^α + B/D^β (Hoffmann et al. 2022, "Chinchilla" approach 3). θ = (ln E, ln A, ln B, α, β);
 * ln pred = logsumexp(ln E, ln A − α ln N, ln B − β ln D), as in that paper.
 */
import { formatNumber, type Law, type LawData } from './law';

export const jointLaw: Law = {
  name: 'joint',
  paramNames: ['E', 'A', 'B', 'alpha', 'beta'],
  inputs: 'params-samples',
  logPredict(theta, data, out, jac) {
    const logN = data.logN!;
    const logD = data.logD!;
    const [e, a, b, alpha, beta] = theta;
    for (let i = 0; i < data.n; i++) {
      const u0 = e;
      const u1 = a - alpha * logN[i];
      const u2 = b - beta * logD[i];
      const m = Math.max(u0, u1, u2);
      const w0 = Math.exp(u0 - m);
      const w1 = Math.exp(u1 - m);
      const w2 = Math.exp(u2 - m);
      const sum = w0 + w1 + w2;
      out[i] = m + Math.log(sum);
      if (jac) {
        const k = 5 * i;
        jac[k] = w0 / sum;
        jac[k + 1] = w1 / sum;
        jac[k + 2] = w2 / sum;
        jac[k + 3] = (-w1 / sum) * logN[i];
        jac[k + 4] = (-w2 / sum) * logD[i];
      }
    }
  },
  toParams: (t) => ({ E: Math.exp(t[0]), A: Math.exp(t[1]), B: Math.exp(t[2]), alpha: t[3], beta: t[4] }),
  fromParams: (p) => Float64Array.of(Math.log(p.E), Math.log(p.A), Math.log(p.B), p.alpha, p.beta),
  starts: (data) => chinchillaGrid(data),
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
