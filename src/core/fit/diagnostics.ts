/** After a fit: parameters at a bound of their range, and data that cannot pin the parameters down. */
import type { Law, LawData } from '../laws/law';
import { extent } from '../stats';

/**
 * A positive term below this share of the smallest error is at (or next to) its bound 0: the data cannot tell it from
 * 0 (optimisers stop short of the bound, e.g. E∞ = 6e-5 on data whose smallest error is 0.17).
 */
const VANISHED = 1e-3;

export function fitDiagnostics(law: Law, data: LawData, theta: Float64Array): { atBound: string[]; notIdentifiable: string | null } {
  if (data.n === 0 || !theta.every(Number.isFinite)) return { atBound: [], notIdentifiable: null };
  const params = law.toParams(theta);
  let minE = Infinity;
  for (let i = 0; i < data.n; i++) minE = Math.min(minE, Math.exp(data.logE[i]));
  const atBound: string[] = [];
  // Floors (the saturating E∞, the joint law's E) are positive by construction: a vanishing one sits at its bound 0.
  for (const floor of ['e_inf', 'E']) if (floor in params && params[floor] < VANISHED * minE) atBound.push(floor);
  if (law.inputs === 'params-samples' && data.logN && data.logD) {
    const smallestN = Math.exp(extent(data.logN)[0]);
    const smallestD = Math.exp(extent(data.logD)[0]);
    if (params.A / smallestN ** params.alpha < VANISHED * minE) atBound.push('A');
    if (params.B / smallestD ** params.beta < VANISHED * minE) atBound.push('B');
  }
  return { atBound, notIdentifiable: identifiability(law, data) };
}

function identifiability(law: Law, data: LawData): string | null {
  const p = law.paramNames.length;
  if (law.inputs === 'compute') {
    const distinct = new Set(data.logC).size;
    if (distinct === 1) return `all ${data.n} points share one compute value: the exponent is not determined`;
    if (distinct < p) return `${distinct} distinct compute values for ${p} parameters`;
    return null;
  }
  const distinctN = new Set(data.logN).size;
  const distinctD = new Set(data.logD).size;
  if (distinctN === 1) return `every run has the same parameter count: A and alpha are not determined`;
  if (distinctD === 1) return `every run has the same number of samples: B and beta are not determined`;
  const pairs = new Set(Array.from({ length: data.n }, (_, i) => `${data.logN![i]},${data.logD![i]}`)).size;
  if (pairs < p) return `${pairs} distinct (N, D) configurations for ${p} parameters`;
  return null;
}
