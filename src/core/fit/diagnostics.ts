/**
 * What a converged optimiser cannot tell: whether the data determine the parameters at all (too few distinct
 * points, or a flat direction of the fit: the Jacobian's columns nearly dependent), and which parameters sit at
 * a bound of their range. Reported on LawFit so that no such fit is shown as a plain number.
 */
import { SingularValueDecomposition } from 'ml-matrix';
import type { Law, LawData } from '../laws/law';

/**
 * Below this ratio of smallest to largest singular value of the column-normalised Jacobian, a combination of
 * parameters changes the fit by less than 1e-8 of what the best-determined one does: a flat direction.
 */
const FLAT_RATIO = 1e-8;

/**
 * Why the data cannot determine the parameters at θ, or null when they can. Parameters at a bound (`atBound`,
 * reported as such) are left out: their effect vanishes by being at the bound, not for want of data.
 */
export function notIdentifiable(
  law: Law,
  data: LawData,
  theta: Float64Array,
  atBound: readonly string[] = [],
): string | null {
  const p = theta.length;
  const distinct = distinctDesignPoints(law, data);
  const what = law.inputs === 'compute' ? 'compute value' : '(N, D) pair';
  if (distinct < p)
    return `${distinct} distinct ${what}${distinct === 1 ? '' : 's'} for ${p} free parameters: the data cannot determine them`;
  const jac = new Float64Array(data.n * p);
  law.logPredict(theta, data, new Float64Array(data.n), jac);
  if (!jac.every(Number.isFinite)) return 'the law is not finite at the fitted parameters';
  const names = law.thetaNames;
  const kept = names.map((_, k) => k).filter((k) => !atBound.includes(names[k]));
  const norms = new Float64Array(p);
  for (let i = 0; i < data.n; i++) for (let k = 0; k < p; k++) norms[k] += jac[i * p + k] ** 2;
  const dead = kept.filter((k) => !(norms[k] > 0)).map((k) => names[k]);
  if (dead.length > 0)
    return `${dead.join(', ')} ${dead.length === 1 ? 'has' : 'have'} no effect on the fit at these values`;
  if (kept.length === 0) return null;
  const rows = Array.from({ length: data.n }, (_, i) => kept.map((k) => jac[i * p + k] / Math.sqrt(norms[k])));
  const svd = new SingularValueDecomposition(rows, {
    computeLeftSingularVectors: false,
    computeRightSingularVectors: true,
    autoTranspose: true,
  });
  const values = svd.diagonal;
  const largest = values[0];
  const smallest = values[values.length - 1];
  if (!(smallest > FLAT_RATIO * largest)) {
    // Every flat direction (there can be several: all runs of one size N leave E, A and α one constant).
    const involved = new Set<number>();
    values.forEach((value, column) => {
      if (value > FLAT_RATIO * largest) return;
      const direction = svd.rightSingularVectors.getColumn(column);
      direction.forEach((component, j) => Math.abs(component) > 0.3 && involved.add(kept[j]));
    });
    const flat = names.filter((_, k) => involved.has(k));
    return `flat direction: ${flat.join(', ')} ${flat.length === 1 ? 'is' : 'are'} not determined by the data (the fit changes by ${(smallest / largest).toExponential(1)} of its most sensitive direction along it)`;
  }
  return null;
}

/** How many points with distinct inputs (compute, or (N, D) for laws of params and samples). */
export function distinctDesignPoints(law: Law, data: LawData): number {
  const keys = new Set<string>();
  for (let i = 0; i < data.n; i++)
    keys.add(law.inputs === 'compute' ? String(data.logC[i]) : `${data.logN![i]},${data.logD![i]}`);
  return keys.size;
}
