/** How a metric column turns into an error to fit: accuracy-like → 1 − value; losses and errors stay. Percent detected. */
export type MetricDirection = 'higher-is-better' | 'lower-is-better';

const HIGHER = /(acc|accuracy|top-?1|top-?5|recall|precision|mean_average_precision|\bmap\b|f1|auc|score|r@|r1|r5|r10)/i;
const LOWER = /(loss|error|err\b|perplexity|ppl|nll|bpb|bits)/i;

export function metricDirection(column: string): MetricDirection {
  if (LOWER.test(column)) return 'lower-is-better';
  if (HIGHER.test(column)) return 'higher-is-better';
  return 'lower-is-better';
}

export interface MetricScale {
  percent: boolean;
  direction: MetricDirection;
}

/** Percent when any value exceeds 1 for a bounded metric (accuracy-like); losses are left unscaled. */
export function detectScale(column: string, values: readonly number[]): MetricScale {
  const direction = metricDirection(column);
  const bounded = direction === 'higher-is-better' || /error|err\b/i.test(column);
  const percent = bounded && values.some((v) => v > 1) && values.every((v) => v <= 100);
  return { percent, direction };
}

export function toError(value: number, scale: MetricScale): number {
  const fraction = scale.percent ? value / 100 : value;
  return scale.direction === 'higher-is-better' ? 1 - fraction : fraction;
}

export function fromError(error: number, scale: MetricScale): number {
  const fraction = scale.direction === 'higher-is-better' ? 1 - error : error;
  return scale.percent ? fraction * 100 : fraction;
}

export function describeScale(column: string, scale: MetricScale): string {
  const unit = scale.percent ? 'percent (divided by 100)' : 'a fraction';
  return scale.direction === 'higher-is-better' ? `E = 1 − ${column}; ${column} read as ${unit}` : `E = ${column}; read as ${unit}`;
}
