/**
 * How a metric is named and its differences are worded on every surface (axis titles, MAE, hovers, tables): an
 * accuracy-like column is fitted as its error 1 − value and differences are percentage points; an error column stays
 * an error (pp when the file writes percent, a fraction otherwise); a loss is left in its own units, as given.
 */
import { formatNumber } from './format';
import type { MetricKind, MetricScale } from './schema/metric';

export type { MetricKind };

/** The metric's kind as its scale was decided (src/core/schema/metric.ts: by its name, or as stated). */
export function metricKind(_column: string, scale: MetricScale): MetricKind {
  return scale.kind;
}

/** The fitted quantity's symbol: E for errors (of accuracies too), L for a loss. */
export function fittedSymbol(kind: MetricKind): 'E' | 'L' {
  return kind === 'loss' ? 'L' : 'E';
}

/** The y-axis title of a frontier plot: what is drawn, and how it comes from the file's column. */
export function fittedAxisTitle(kind: MetricKind, metric: string, percent: boolean): string {
  if (kind === 'accuracy') return `error E = 1 − ${metric}${percent ? ' / 100' : ''}`;
  if (kind === 'error') return `error E = ${metric}${percent ? ' / 100' : ''}`;
  return `loss L = ${metric} (as given)`;
}

/**
 * A difference of two values of the metric as the file writes them: percentage points for accuracies and for errors
 * written in percent (`+0.874 pp`), a plain number for an error written as a fraction, the loss's own units for a loss.
 */
export function formatMetricDifference(
  kind: MetricKind,
  percent: boolean,
  difference: number,
  { signed = false }: { signed?: boolean } = {},
): string {
  const sign = (text: string) => (signed && difference > 0 ? `+${text}` : text);
  if (kind === 'accuracy') return `${sign(formatNumber(percent ? difference : difference * 100))} pp`;
  if (kind === 'error') return percent ? `${sign(formatNumber(difference))} pp` : sign(formatNumber(difference));
  return `${sign(formatNumber(difference))} (loss units)`;
}

/** A difference of fitted values (errors as fractions, or losses), worded as formatMetricDifference: a MAE. */
export function formatFittedDifference(
  kind: MetricKind,
  percent: boolean,
  difference: number,
  options: { signed?: boolean } = {},
): string {
  return formatMetricDifference(kind, percent, percent ? difference * 100 : difference, options);
}

/** A value of the metric as the file writes it: `81.9 %` for percent columns, else the number. */
export function formatMetricValue(percent: boolean, value: number): string {
  return percent ? `${formatNumber(value)} %` : formatNumber(value);
}

/** Runs and, for training logs (one row per checkpoint), checkpoints counted apart: `29 runs · 168 checkpoints`. */
export function countText(runs: number, checkpoints: number | null): string {
  const plural = (n: number, word: string) => `${n.toLocaleString('en')} ${word}${n === 1 ? '' : 's'}`;
  return checkpoints === null ? plural(runs, 'run') : `${plural(runs, 'run')} · ${plural(checkpoints, 'checkpoint')}`;
}
