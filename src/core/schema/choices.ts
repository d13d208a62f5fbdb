/**
 * What else a results file could be fitted on: its metric columns and the text columns that could split runs into
 * groups. Whether a choice is ambiguous decides whether "Fit Scaling Law" asks: a known layout (OpenCLIP results,
 * clip-shapes, a scaling-lens.json entry) has made the choice already; the generic reader guessed.
 */
import { cellAt, columnData, type Table } from '../ingest/table';
import type { LawName } from '../laws/law';
import type { Direction } from './metric';
import type { DatasetSpec } from './spec';

/**
 * What else the file could be fitted on. The ambiguous flags say the reader guessed (a file of no known layout),
 * so "Fit Scaling Law" asks the user instead.
 */
export interface FitChoices {
  metric: string;
  /** Metric columns (numeric, named like a loss or a score), the one fitted first. */
  metrics: string[];
  group: string | null;
  /** Text columns with 2–12 distinct values that could group runs (e.g. dataset, model family). */
  groups: string[];
  metricAmbiguous: boolean;
  groupAmbiguous: boolean;
  /** The direction the fit used, and whether it was a guess (the metric's name does not say and none was stated). */
  direction?: Direction;
  directionAmbiguous?: boolean;
  /** Laws this file can be fitted with (the joint law needs parameters and samples for every run). */
  laws?: LawName[];
}

const METRIC_LIKE =
  /(loss|error|err\b|perplexity|ppl|nll|bpb|bits|acc|accuracy|top-?1|top-?5|recall|precision|mean_average_precision|\bmap\b|f1|auc|score)/i;
const MAX_GROUPS = 12;

export function fitChoices(table: Table, spec: DatasetSpec): FitChoices {
  const guessed = spec.profile === 'generic';
  // A layout whose metrics are score columns (E = 1 − score) offers those columns by name.
  const current = spec.scoreColumns && spec.scoreColumn ? spec.scoreColumn : spec.metric;
  const metrics = spec.scoreColumns
    ? [...spec.scoreColumns]
    : table.columns.filter((name, col) => METRIC_LIKE.test(name) && isNumericColumn(table, col));
  if (!metrics.includes(current)) metrics.unshift(current);
  else metrics.splice(0, metrics.length, current, ...metrics.filter((m) => m !== current));
  const excluded = new Set([spec.label, spec.metric, spec.taskColumn, ...spec.filters.map((f) => f.column)]);
  const groups = table.columns.filter(
    (name, col) => !excluded.has(name) && !METRIC_LIKE.test(name) && isGroupingColumn(table, col),
  );
  const group = spec.group?.column ?? null;
  if (group && !groups.includes(group)) groups.unshift(group);
  return {
    metric: current,
    metrics,
    group,
    groups,
    metricAmbiguous: guessed && metrics.length > 1,
    groupAmbiguous: guessed && group === null && groups.length > 0,
  };
}

function isNumericColumn(table: Table, col: number): boolean {
  const column = columnData(table, col);
  if (column instanceof Float64Array) return column.some((v) => !Number.isNaN(v));
  return false;
}

/** Text (not numbers) with between 2 and MAX_GROUPS distinct values over the first 10,000 rows. */
function isGroupingColumn(table: Table, col: number): boolean {
  if (columnData(table, col) instanceof Float64Array) return false;
  const seen = new Set<string>();
  for (let row = 0; row < Math.min(table.rowCount, 10_000); row++) {
    const cell = cellAt(table, row, col);
    if (cell === null || cell === '') continue;
    if (typeof cell !== 'string') return false;
    seen.add(cell);
    if (seen.size > MAX_GROUPS) return false;
  }
  return seen.size >= 2;
}
