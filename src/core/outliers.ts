/**
 * Runs far off the fitted law: the modified z-score of Iglewicz and Hoaglin on log10 residuals,
 * z = (r − median) / (1.4826 · MAD), flagged beyond 3.5. Computed over the points the law was fitted to: with
 * `--frontier all` every run of the group; with a frontier, its points (runs above a frontier law are above by design).
 */
import { median } from './stats';
import type { Outlier } from './warnings';

export const OUTLIER_Z = 3.5;
/** MAD → standard deviation for normal residuals. */
const MAD_TO_SD = 1.4826;
/**
 * Median and MAD mean little on fewer points: the paper's binned:5 frontier (5 points, 3 degrees of freedom after a
 * 2-parameter law) flagged runs 3 % off its law at z ≈ 5.
 */
export const OUTLIER_MIN_POINTS = 8;
/**
 * Smallest spread (log10) the z-score divides by: on a near-perfect fit (a law through its points) the MAD is
 * rounding noise. Evaluation noise of scaling results is about 1 %, so a run must be at least 3.5 × 0.005 = 0.0175
 * in log10 (about 4 %) off its law to be flagged.
 */
const MIN_SPREAD_LOG10 = 5e-3;

export interface Residual {
  line: number;
  /** log10(measured error / predicted error). */
  residualLog10: number;
}

export function findOutliers(residuals: readonly Residual[], threshold = OUTLIER_Z): Outlier[] {
  const finite = residuals.filter((r) => Number.isFinite(r.residualLog10));
  if (finite.length < OUTLIER_MIN_POINTS) return [];
  const values = finite.map((r) => r.residualLog10);
  const centre = median(values);
  const spread = Math.max(MAD_TO_SD * median(values.map((v) => Math.abs(v - centre))), MIN_SPREAD_LOG10);
  return finite
    .map((r) => ({ line: r.line, residual_log10: r.residualLog10, z: (r.residualLog10 - centre) / spread }))
    .filter((o) => Math.abs(o.z) > threshold)
    .sort((a, b) => Math.abs(b.z) - Math.abs(a.z));
}
