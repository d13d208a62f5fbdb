/** Bootstrap read-outs shared by the decision analyses: two-sided p-values and percentile intervals that may be unbounded. */
import { quantile } from '../stats';

/**
 * Two-sided bootstrap p-value of "the difference is 0" from draws of the difference: twice the smaller tail beyond
 * 0, with the +1 of a Monte Carlo p-value so that 0 is never printed. It is below 0.05 when 0 lies outside the
 * 95 % percentile interval (up to that +1 and the interval's interpolation).
 */
export function bootstrapPValue(draws: readonly number[]): number | null {
  const finite = draws.filter(Number.isFinite);
  if (finite.length < 20) return null;
  let below = 0;
  let above = 0;
  for (const d of finite) {
    if (d <= 0) below++;
    if (d >= 0) above++;
  }
  return Math.min(1, (2 * (Math.min(below, above) + 1)) / (finite.length + 1));
}

/**
 * 95 % percentile interval of values that may be ±Infinity (a crossing beyond every compute); an infinite end is
 * null. NaN values are left out; null with fewer than 20 values.
 */
export function unboundedInterval95(values: readonly number[]): [number | null, number | null] | null {
  const kept = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (kept.length < 20) return null;
  const at = (q: number) => {
    const position = (kept.length - 1) * q;
    const lo = kept[Math.floor(position)];
    const hi = kept[Math.ceil(position)];
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return Number.isFinite(lo) ? hi : lo;
    return quantile(kept, q);
  };
  const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);
  return [finiteOrNull(at(0.025)), finiteOrNull(at(0.975))];
}
