/**
 * One-break broken power law (Caballero et al. 2023 form with one break):
 * E = β·C^α·(1 + (C/C_b)^(1/s))^(−γ·s), so the log-log slope moves from α to α − γ around C_b.
 * θ = (ln β, α, ln C_b, γ, ln s).
 */
import { formatExponent, formatNumber, type Law } from './law';
import { ordinaryLeastSquares } from './power';

export const brokenLaw: Law = {
  name: 'broken',
  paramNames: ['beta', 'alpha', 'c_break', 'gamma', 'sharpness'],
  inputs: 'compute',
  logPredict(theta, data, out, jac) {
    const [b, alpha, logCb, gamma, logS] = theta;
    const s = Math.exp(logS);
    for (let i = 0; i < data.n; i++) {
      const u = (data.logC[i] - logCb) / s;
      // softplus(u) = ln(1 + e^u), computed stably.
      const softplus = u > 30 ? u : Math.log1p(Math.exp(u));
      const sigma = 1 / (1 + Math.exp(-u));
      out[i] = b + alpha * data.logC[i] - gamma * s * softplus;
      if (jac) {
        const k = 5 * i;
        jac[k] = 1;
        jac[k + 1] = data.logC[i];
        jac[k + 2] = gamma * sigma;
        jac[k + 3] = -s * softplus;
        // d/d ln s of −γ s softplus(u), u = (lnC − lnCb)/s: −γ s (softplus − u σ).
        jac[k + 4] = -gamma * s * (softplus - u * sigma);
      }
    }
  },
  toParams: (t) => ({ beta: Math.exp(t[0]), alpha: t[1], c_break: Math.exp(t[2]), gamma: t[3], sharpness: Math.exp(t[4]) }),
  fromParams: (p) => Float64Array.of(Math.log(p.beta), p.alpha, Math.log(p.c_break), p.gamma, Math.log(p.sharpness)),
  starts(data) {
    const line = ordinaryLeastSquares(data);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < data.n; i++) {
      lo = Math.min(lo, data.logC[i]);
      hi = Math.max(hi, data.logC[i]);
    }
    const starts: Float64Array[] = [];
    for (const position of [0.25, 0.5, 0.75])
      for (const gamma of [-0.1, 0.1, 0.3])
        for (const logS of [Math.log(0.3), Math.log(1)]) starts.push(Float64Array.of(line[0], line[1] + (gamma > 0 ? gamma / 2 : 0), lo + position * (hi - lo), gamma, logS));
    return starts;
  },
  predict: (p, at) => p.beta * Math.pow(at.compute!, p.alpha) * Math.pow(1 + Math.pow(at.compute! / p.c_break, 1 / p.sharpness), -p.gamma * p.sharpness),
  formula: (p, digits = 3) => `E = ${formatNumber(p.beta, digits)}·C^${formatExponent(p.alpha, digits)}·(1 + (C/${formatNumber(p.c_break, digits)})^(1/${formatNumber(p.sharpness, digits)}))^(−${formatNumber(p.gamma, digits)}·${formatNumber(p.sharpness, digits)})`,
};
