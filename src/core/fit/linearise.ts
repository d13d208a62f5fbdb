/**
 * One Gauss–Newton pass of Levenberg–Marquardt at θ (the loss, its gradient, the curvature Σ w·ρ''·JᵀJ and the IRLS
 * majoriser Σ w·ψ(r)/r·JᵀJ): the law's fused pass when it has one, else built here from its Jacobian.
 */
import type { Law, LawData, Linearisation } from '../laws/law';
import { predictionBuffers, type Objective } from './objective';

export type LinearisePass = (theta: Float64Array, out: Linearisation) => number;

export function emptyLinearisation(p: number): Linearisation {
  return {
    gradient: new Float64Array(p),
    gradientScale: new Float64Array(p),
    curvature: new Float64Array(p * p),
    majoriser: new Float64Array(p * p),
  };
}

export function makeLinearise(law: Law, data: LawData, objective: Objective): LinearisePass {
  const delta = objective.kind === 'huber' ? objective.delta : null;
  if (law.linearise) {
    const fused = law.linearise.bind(law);
    return (theta, out) => fused(theta, data, delta, out);
  }
  const { p, n, pred, jac } = predictionBuffers(law, data);
  const { logE, weight } = data;
  const huber = delta !== null;
  const d = delta ?? 0;
  return (theta, { gradient, gradientScale, curvature, majoriser }) => {
    law.logPredict(theta, data, pred, jac);
    gradient.fill(0);
    gradientScale.fill(0);
    curvature.fill(0);
    majoriser.fill(0);
    let value = 0;
    for (let i = 0; i < n; i++) {
      const r = logE[i] - pred[i];
      const w = weight ? weight[i] : 1;
      // The loss ρ(r), ψ = ρ', ρ'' and ψ(r)/r, written out (objective.ts lossTerms is the reference, tested equal).
      let loss: number;
      let slope: number;
      let second: number;
      let upper: number;
      if (!huber) {
        loss = r * r;
        slope = 2 * r;
        second = 2;
        upper = 2;
      } else if (r <= d && r >= -d) {
        loss = 0.5 * r * r;
        slope = r;
        second = 1;
        upper = 1;
      } else {
        const a = r < 0 ? -r : r;
        loss = d * (a - 0.5 * d);
        slope = r < 0 ? -d : d;
        second = 0;
        upper = d / a;
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
}
