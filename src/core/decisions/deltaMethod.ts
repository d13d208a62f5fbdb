/**
 * Delta-method interval of a fitted law's prediction: Var(ln Ê) ≈ s²·gᵀ(JᵀJ)⁻¹g, with J the Jacobian of ln E at the
 * fitted points, g its row at the point asked for, s² the residual variance on n − p degrees of freedom, and a
 * Student t quantile. Cheap enough to evaluate for every simulated outcome of every candidate run.
 */
import type { Law, LawData, LawInput } from '../laws/law';
import { gram, invert, quadraticForm } from './linearAlgebra';
import { tQuantile } from './tDistribution';

export interface DeltaInterval {
  logPrediction: number;
  /** Standard error of ln Ê. */
  se: number;
  dof: number;
  /** Half-width of the 95 % interval of ln Ê. */
  halfWidth: number;
}

export function pointData(law: Law, at: LawInput): LawData {
  const data: LawData = { n: 1, logE: Float64Array.of(0), logC: Float64Array.of(Math.log(at.compute ?? NaN)) };
  if (law.inputs === 'params-samples') {
    data.logN = Float64Array.of(Math.log(at.params!));
    data.logD = Float64Array.of(Math.log(at.samples!));
  }
  return data;
}

/** Null with no residual degree of freedom or a singular JᵀJ (a flat direction). */
export function deltaInterval(law: Law, theta: Float64Array, data: LawData, at: LawInput): DeltaInterval | null {
  const p = theta.length;
  const dof = data.n - p;
  if (dof < 1) return null;
  const predicted = new Float64Array(data.n);
  const jac = new Float64Array(data.n * p);
  law.logPredict(theta, data, predicted, jac);
  let rss = 0;
  for (let i = 0; i < data.n; i++) rss += (data.logE[i] - predicted[i]) ** 2;
  const inverse = invert(gram(jac, data.n, p), p);
  if (!inverse) return null;
  const out = new Float64Array(1);
  const g = new Float64Array(p);
  law.logPredict(theta, pointData(law, at), out, g);
  const se = Math.sqrt((rss / dof) * Math.max(0, quadraticForm(inverse, g, p)));
  if (!Number.isFinite(se) || !Number.isFinite(out[0])) return null;
  return { logPrediction: out[0], se, dof, halfWidth: tQuantile(0.975, dof) * se };
}
