/**
 * Do two groups scale differently? For each pair of groups fitted with the same law: the difference of each
 * parameter with a bootstrap 95 % interval and a two-sided bootstrap p-value (each group's runs were resampled on
 * their own, so pairing the k-th draws of two groups pairs independent resamples), and the compute at which the two
 * fitted laws cross, with the interval of the crossing over the same draws.
 *
 * A bootstrap of few points is too narrow (the resampled residuals are smaller than the errors by about (n − p)/n,
 * and the tails are Student's, not normal's): with 15 runs a group, 8 % of equal exponents came out "significant"
 * at 5 %. Each group's draws are therefore spread about its fitted value by sqrt(n / (n − p))·t(n − p)/z before
 * they are paired — with n fitted points and p parameters — which brings that rate to 3–6 % for 12 to 30 runs a
 * group (test/unit/compare.test.ts).
 */
import type { AnalysisResult, GroupAnalysis } from '../analysis';
import { formatExponent, formatNumber, formatPValue } from '../format';
import { lawByName } from '../laws/index';
import type { Law, LawParams } from '../laws/law';
import { Random } from '../random';
import { interval95 } from '../stats';
import { bootstrapPValue, unboundedInterval95 } from './bootstrapTools';
import { tQuantile } from './tDistribution';
import { groupBy } from '../groupBy';

export interface Crossing {
  compute: number;
  /** An end is null when draws put the crossing beyond any compute (the laws run parallel in those draws). */
  ci95: [number | null, number | null] | null;
}

export interface GroupComparison {
  groups: [string, string];
  param: string;
  /** Parameter of the first group minus that of the second. */
  difference: number;
  ci95: [number, number] | null;
  p_value: number | null;
  /** Where the two laws cross within crossing_range, or null when they do not. */
  crossing: Crossing | null;
  /** [smallest compute of the two groups' runs, 100 × the largest]. */
  crossing_range: [number, number];
  /** Paired bootstrap draws behind the interval and p-value. */
  resamples: number;
}

export interface ComparisonReport {
  comparisons: GroupComparison[];
  notes: string[];
}

/** How far beyond the crossing range a draw's crossing is still looked for (factors of compute). */
const WIDE_BELOW = 1e3;
const WIDE_ABOVE = 1e5;

export function compareGroups(result: AnalysisResult): ComparisonReport {
  const notes: string[] = [];
  const fits = result.fits.filter((f) => f.group !== null);
  if (fits.length < 2)
    return {
      comparisons: [],
      notes: ['only one group: nothing to compare (choose a grouping column with --group COL)'],
    };
  const comparisons: GroupComparison[] = [];
  for (const fit of fits) {
    const distinct = distinctResamples(fit.n_points);
    if (distinct < 500)
      notes.push(
        `${fit.group}: ${fit.n_points} runs allow only ${distinct} distinct bootstrap resamples (some unusable): its intervals and p-values are coarse`,
      );
  }
  for (let i = 0; i < fits.length; i++) {
    for (let j = i + 1; j < fits.length; j++) {
      const [a, b] = [fits[i], fits[j]];
      if (a.law !== b.law) {
        notes.push(`${a.group} and ${b.group} were fitted with different laws: not compared`);
        continue;
      }
      comparisons.push(...comparePair(result, a, b, notes));
    }
  }
  if (fits.some((f) => !f.bootstrap_params))
    notes.push('no bootstrap draws (--bootstrap 0): differences without intervals or p-values');
  for (const fit of fits) {
    const factor = smallSampleFactor(fit.n_used, lawByName(fit.law).paramNames.length);
    if (!Number.isFinite(factor))
      notes.push(
        `${fit.group}: ${fit.n_used} points for ${lawByName(fit.law).paramNames.length} parameters leave no residual degree of freedom: no interval or p-value`,
      );
    else if (fit.bootstrap_params)
      notes.push(
        `${fit.group}: bootstrap spread × ${formatNumber(factor)} for ${fit.n_used} fitted points (small-sample correction)`,
      );
  }
  return { comparisons, notes };
}

function comparePair(result: AnalysisResult, a: GroupAnalysis, b: GroupAnalysis, notes: string[]): GroupComparison[] {
  const law = lawByName(a.law);
  const drawsA = widenedDraws(law, a);
  // Every group's bootstrap runs from the same seed, so equal-sized groups resample the same run indices in the same
  // order: pairing draw k with draw k would couple them. A seeded shuffle of one side pairs independent resamples.
  const pairing = new Random(((b.bootstrap?.seed ?? 0) ^ 0x5bd1e995) >>> 0);
  const drawsB = shuffled(widenedDraws(law, b), () => pairing.next());
  const pairs = Math.min(drawsA.length, drawsB.length);
  const range = crossingRange(result, a, b);
  let crossing: Crossing | null = null;
  if (law.inputs === 'compute') {
    const point = crossingIn(law, a.params, b.params, range[0], range[1]);
    if (point.length > 1)
      notes.push(
        `${a.group} and ${b.group}: the laws cross ${point.length} times in the range; the first crossing is reported`,
      );
    if (point.length > 0) {
      const target = point[0];
      const drawCrossings = Array.from({ length: pairs }, (_, k) =>
        drawCrossing(law, drawsA[k], drawsB[k], range, target),
      );
      crossing = { compute: target, ci95: pairs > 0 ? unboundedInterval95(drawCrossings) : null };
    }
  } else notes.push(`the ${law.name} law is not a function of compute alone: no crossing compute`);
  return law.paramNames.map((param) => {
    const draws = Array.from({ length: pairs }, (_, k) => drawsA[k][param] - drawsB[k][param]);
    return {
      groups: [a.group!, b.group!],
      param,
      difference: a.params[param] - b.params[param],
      ci95: pairs > 0 ? interval95(draws) : null,
      p_value: pairs > 0 ? bootstrapPValue(draws) : null,
      crossing,
      crossing_range: range,
      resamples: pairs,
    };
  });
}

/** Small-sample factor of a group's bootstrap spread: sqrt(n / (n − p))·t₀.₉₇₅(n − p)/z₀.₉₇₅; Infinity with n ≤ p. */
export function smallSampleFactor(points: number, parameters: number): number {
  const dof = points - parameters;
  return dof < 1 ? Infinity : Math.sqrt(points / dof) * (tQuantile(0.975, dof) / 1.959963984540054);
}

/** A group's bootstrap draws spread about its fit by the small-sample factor (in θ, the law's own coordinates: ln β, α…). */
function widenedDraws(law: Law, fit: GroupAnalysis): LawParams[] {
  const factor = smallSampleFactor(fit.n_used, law.paramNames.length);
  if (!fit.bootstrap_params || !Number.isFinite(factor)) return [];
  const center = law.fromParams(fit.params);
  return fit.bootstrap_params.map((draw) => {
    const theta = law.fromParams(draw);
    for (let k = 0; k < theta.length; k++) theta[k] = center[k] + factor * (theta[k] - center[k]);
    return law.toParams(theta);
  });
}

function crossingRange(result: AnalysisResult, a: GroupAnalysis, b: GroupAnalysis): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const run of result.runs) {
    if (run.group !== a.group && run.group !== b.group) continue;
    lo = Math.min(lo, run.compute);
    hi = Math.max(hi, run.compute);
  }
  return [lo, 100 * hi];
}

/** ln E_a − ln E_b at compute e^x. */
function logGap(law: Law, a: LawParams, b: LawParams, x: number): number {
  const compute = Math.exp(x);
  return Math.log(law.predict(a, { compute })) - Math.log(law.predict(b, { compute }));
}

/** Every compute in [lo, hi] where the two laws cross: sign changes on a log grid, refined by bisection. */
export function crossingIn(law: Law, a: LawParams, b: LawParams, lo: number, hi: number, steps = 240): number[] {
  const x0 = Math.log(lo);
  const x1 = Math.log(hi);
  const found: number[] = [];
  let prevX = x0;
  let prevGap = logGap(law, a, b, x0);
  for (let s = 1; s <= steps; s++) {
    const x = x0 + ((x1 - x0) * s) / steps;
    const gap = logGap(law, a, b, x);
    if (Number.isFinite(prevGap) && Number.isFinite(gap) && (prevGap === 0 || prevGap * gap < 0))
      found.push(Math.exp(bisect(law, a, b, prevX, x, prevGap)));
    prevX = x;
    prevGap = gap;
  }
  return found;
}

function bisect(law: Law, a: LawParams, b: LawParams, lo: number, hi: number, gapLo: number): number {
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    const gap = logGap(law, a, b, mid);
    if (gap === 0) return mid;
    if (gap * gapLo < 0) hi = mid;
    else {
      lo = mid;
      gapLo = gap;
    }
  }
  return (lo + hi) / 2;
}

/**
 * One draw's crossing: the one nearest (in log compute) the fitted laws' crossing, looked for well beyond the
 * range; none there counts as ±Infinity on the side where the laws get closer (the crossing lies beyond it).
 */
function drawCrossing(law: Law, a: LawParams, b: LawParams, range: [number, number], target: number): number {
  const lo = range[0] / WIDE_BELOW;
  const hi = range[1] * WIDE_ABOVE;
  const found = crossingIn(law, a, b, lo, hi, 360);
  if (found.length > 0)
    return found.reduce((best, c) => (Math.abs(Math.log(c / target)) < Math.abs(Math.log(best / target)) ? c : best));
  const gapLo = Math.abs(logGap(law, a, b, Math.log(lo)));
  const gapHi = Math.abs(logGap(law, a, b, Math.log(hi)));
  if (!Number.isFinite(gapLo) || !Number.isFinite(gapHi)) return NaN;
  return gapHi < gapLo ? Infinity : -Infinity;
}

function shuffled<T>(items: T[], next: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Distinct multisets of n runs drawn from n: C(2n − 1, n). */
function distinctResamples(n: number): number {
  let count = 1;
  for (let k = 1; k <= n; k++) {
    count = (count * (n - 1 + k)) / k;
    if (count > 1e6) return Infinity;
  }
  return Math.round(count);
}

/** The "Compare groups" section of the CLI's text report. */
export function comparisonText(report: ComparisonReport): string[] {
  const lines = ['Compare groups (bootstrap, groups resampled independently):'];
  const pairs = groupBy(report.comparisons, (c) => c.groups.join('\u0000'));
  for (const entries of pairs.values()) {
    const [a, b] = entries[0].groups;
    lines.push(`  ${a} − ${b}${entries[0].resamples > 0 ? ` (${entries[0].resamples} paired draws)` : ''}:`);
    for (const c of entries) {
      const ci = c.ci95 ? `  95% CI [${formatNumber(c.ci95[0])}, ${formatNumber(c.ci95[1])}]` : '';
      const p = c.p_value === null ? '' : `  p = ${formatPValue(c.p_value)}`;
      lines.push(`    ${c.param.padEnd(8)} ${formatExponent(c.difference).padStart(10)}${ci}${p}`);
    }
    const crossing = entries[0].crossing;
    const [lo, hi] = entries[0].crossing_range;
    if (!crossing)
      lines.push(`    crossing: no crossing in [${formatNumber(lo)}, ${formatNumber(hi)}] (C_min to 100·C_max)`);
    else {
      const ci = crossing.ci95
        ? `  95% CI [${crossing.ci95[0] === null ? 'below any compute' : formatNumber(crossing.ci95[0])}, ${crossing.ci95[1] === null ? 'beyond any compute' : formatNumber(crossing.ci95[1])}]`
        : '';
      lines.push(`    the laws cross at C = ${formatNumber(crossing.compute)}${ci}`);
    }
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  return lines;
}

export { formatPValue };
