/** The warnings of one group's fit: what makes its numbers doubtful, each said once in words a user can act on. */
import type { LawFit } from './fit/fitLaw';
import { formatExponent, formatNumber } from './format';
import type { Law, LawInput } from './laws/law';
import type { FitWarning, Outlier } from './warnings';

export interface FittedPoint {
  compute: number;
  params?: number;
  samples?: number;
  line: number;
}

export interface WarningInput {
  law: Law;
  fit: LawFit;
  points: readonly FittedPoint[];
  /** "error" or "loss", as the metric's kind reads. */
  noun: string;
  bootstrap: { resamples: number; failed: number; notConverged?: number } | null;
  outliers: readonly Outlier[];
  /** A run's name for messages (its label, or its line). */
  runName: (line: number) => string;
}

export function fitWarnings(input: WarningInput): FitWarning[] {
  const { law, fit, points, noun } = input;
  const warnings: FitWarning[] = [];
  const p = law.paramNames.length;
  if (!fit.converged)
    warnings.push({
      kind: 'not-converged',
      message: `the fit did not converge (${fit.reason}${fit.iterations ? `, ${fit.iterations} iterations` : ''}): its parameters are not an optimum`,
    });
  if (fit.notIdentifiable)
    warnings.push({ kind: 'not-identifiable', message: `the data cannot pin the law down: ${fit.notIdentifiable}` });
  if (points.length < p + 2) {
    warnings.push({
      kind: 'few-points',
      message: `${points.length} point${points.length === 1 ? '' : 's'} for a law with ${p} parameters (fewer than ${p + 2}): the fit ${points.length <= p ? 'interpolates' : 'is close to an interpolation'} and its intervals are not meaningful`,
    });
  }
  for (const name of fit.atBound) {
    warnings.push({
      kind: 'at-bound',
      message: `${name} = ${formatNumber(fit.params[name])} is at its bound 0: ${name === 'e_inf' || name === 'E' ? `the data show no floor, so the ${noun} floor is not determined` : `its term vanishes`}; its interval is not meaningful`,
    });
  }
  warnings.push(...risingWarnings(law, fit, points, noun));
  if (input.bootstrap && input.bootstrap.failed > 0) {
    warnings.push({
      kind: 'bootstrap-failures',
      message: `${input.bootstrap.failed} of ${input.bootstrap.resamples} bootstrap resamples gave no usable fit and were left out of the intervals`,
    });
  }
  if (input.bootstrap?.notConverged) {
    warnings.push({
      kind: 'bootstrap-failures',
      message: `${input.bootstrap.notConverged} of ${input.bootstrap.resamples} bootstrap refits did not meet the convergence test (kept in the intervals)`,
    });
  }
  for (const o of input.outliers) {
    warnings.push({
      kind: 'outlier',
      line: o.line,
      message: `${input.runName(o.line)} is far off the law: ${o.residual_log10 > 0 ? 'above' : 'below'} it by a factor ${formatNumber(10 ** Math.abs(o.residual_log10))} (log10 residual ${formatNumber(o.residual_log10)}, robust z = ${formatNumber(o.z, 2)})`,
    });
  }
  return warnings;
}

/** The fitted error rising with compute (or with N or D for the joint law) at the largest fitted values. */
function risingWarnings(law: Law, fit: LawFit, points: readonly FittedPoint[], noun: string): FitWarning[] {
  if (points.length === 0 || !fit.theta.every(Number.isFinite)) return [];
  const slope = (at: LawInput, key: keyof LawInput) => {
    const step = 1.01;
    const base = law.predict(fit.params, at);
    const moved = law.predict(fit.params, { ...at, [key]: at[key]! * step });
    return (Math.log(moved) - Math.log(base)) / Math.log(step);
  };
  const largest = (key: keyof FittedPoint) =>
    points.reduce((m, pt) => Math.max(m, (pt[key] as number | undefined) ?? -Infinity), -Infinity);
  const named = (name: string) => (name in fit.params ? `${name} = ${formatExponent(fit.params[name])}` : '');
  if (law.inputs === 'compute') {
    const at = { compute: largest('compute') };
    const local = slope(at, 'compute');
    if (!(local > 1e-9)) return [];
    const exponent =
      law.name === 'power' || law.name === 'saturating'
        ? named('alpha')
        : `local exponent ${formatExponent(local)} at C = ${formatNumber(at.compute)}`;
    return [
      {
        kind: 'positive-exponent',
        message: `the fitted ${noun} rises with compute (${exponent} > 0): more compute would make it worse, which a scaling law does not expect`,
      },
    ];
  }
  const at = { params: largest('params'), samples: largest('samples') };
  const out: FitWarning[] = [];
  for (const [key, what, exponent] of [
    ['params', 'parameters', 'alpha'],
    ['samples', 'samples', 'beta'],
  ] as const) {
    if (!Number.isFinite(at[key]) || !(slope(at, key) > 1e-9)) continue;
    out.push({
      kind: 'positive-exponent',
      message: `the fitted ${noun} rises with ${what} (${named(exponent) || 'its exponent'} < 0): more ${what} would make it worse, which a scaling law does not expect`,
    });
  }
  return out;
}
