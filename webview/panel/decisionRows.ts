/**
 * What the decision sections say, as text cells (pure: no DOM, tested in node): the group comparison, forecasts of
 * running jobs, the three Chinchilla approaches, the next runs, and the task overview with its sorting. Every number
 * goes through the one formatter; metric values and differences through the metric wording.
 */
import { formatExponent, formatNumber, formatPValue } from '../../src/core/format';
import { formatMetricDifference, formatMetricValue } from '../../src/core/metricWording';
import type {
  ApproachesView,
  ComparisonPairView,
  FitSettings,
  ForecastRowView,
  ForecastView,
  SuggestionsView,
  TaskRowView,
} from '../../src/shared/protocol';

const EXPONENTS = new Set(['alpha', 'beta', 'gamma', 'sharpness', 'gamma2', 'sharpness2']);

/** `[low, high]`, or '—' when the interval is unknown. */
export function intervalText(
  low: number | null,
  high: number | null,
  format: (value: number) => string = formatNumber,
): string {
  return low === null || high === null ? '—' : `[${format(low)}, ${format(high)}]`;
}

export function pText(p: number | null): string {
  if (p === null) return '—';
  const text = formatPValue(p);
  return text.startsWith('<') ? `p ${text}` : `p = ${text}`;
}

/** One row per shared parameter: the difference (first − second), its 95 % interval and its p-value. */
export function comparisonRows(pair: ComparisonPairView): string[][] {
  return pair.differences.map((d) => {
    const format = EXPONENTS.has(d.param) ? formatExponent : formatNumber;
    return [d.param, format(d.difference), intervalText(d.low, d.high, format), pText(d.pValue)];
  });
}

/** Where the two laws cross, with its interval, or the range searched when they do not. */
export function crossingText(pair: ComparisonPairView): string {
  if (!pair.crossing)
    return `no crossing in [${formatNumber(pair.rangeLow)}, ${formatNumber(pair.rangeHigh)}] (C_min to 100·C_max)`;
  const ci = pair.crossing.interval;
  const interval = ci
    ? `, 95 % interval [${ci.low === null ? 'below any compute' : formatNumber(ci.low)}, ${ci.high === null ? 'beyond any compute' : formatNumber(ci.high)}]`
    : '';
  return `the laws cross at C = ${formatNumber(pair.crossing.compute)}${interval}`;
}

export interface ForecastCells {
  run: string;
  group: string;
  now: string;
  forecast: string;
  verdict: string;
  method: string;
}

/** Whether a forecast reaches the frontier of the finished runs, in words. */
export function verdictText(row: ForecastRowView): string {
  if (row.reachesFrontier === null) return 'unknown (no compute for this run)';
  return row.reachesFrontier ? 'will reach the frontier' : 'will not reach the frontier';
}

export function forecastCells(view: ForecastView, percent: boolean): ForecastCells[] {
  return view.rows.map((row) => ({
    run: row.run,
    group: row.group ?? 'not fitted yet',
    now: `${formatMetricValue(percent, row.measuredLast)} at ${formatNumber(row.samplesSeen)} of ${formatNumber(row.plannedSamples)} ${view.unit}`,
    forecast: `${formatMetricValue(percent, row.predicted)} ${intervalText(row.low, row.high)}`,
    verdict: verdictText(row),
    method: `${row.method}${row.calibrated ? `, calibrated on ${row.calibrationRuns} finished runs` : ', not calibrated (interval too narrow)'}`,
  }));
}

/** One row per approach (and group, when there are several): a and b with their 95 % intervals. */
export function approachRows(view: ApproachesView): string[][] {
  const groups = new Set(view.approaches.map((a) => a.group)).size > 1;
  return view.approaches.map((a) => [
    ...(groups ? [a.group] : []),
    a.name,
    a.a === null ? 'not available' : formatExponent(a.a),
    intervalText(a.aLow, a.aHigh, formatExponent),
    a.b === null ? '—' : formatExponent(a.b),
    intervalText(a.bLow, a.bHigh, formatExponent),
  ]);
}

/** N_opt, D_opt and tokens per parameter (D/N) at each budget, per approach, each with its interval. */
export function approachOptimalRows(view: ApproachesView, budgetLabel: (compute: number) => string): string[][] {
  const groups = new Set(view.approaches.map((a) => a.group)).size > 1;
  return view.approaches.flatMap((a) =>
    a.optimal.map((o) => [
      ...(groups ? [a.group] : []),
      a.name,
      budgetLabel(o.compute),
      `${formatNumber(o.nOpt)} ${intervalText(o.nOptLow, o.nOptHigh)}`,
      `${formatNumber(o.dOpt)} ${intervalText(o.dOptLow, o.dOptHigh)}`,
      `${formatNumber(o.tokensPerParam)} ${intervalText(o.tokensPerParamLow, o.tokensPerParamHigh)}`,
    ]),
  );
}

/** The next runs: rank within the group, configuration, cost, the interval of the prediction at C* now → after, the width's ratio. */
export function suggestionRows(view: SuggestionsView): string[][] {
  const rank = new Map<string, number>();
  return view.rows.map((s) => {
    const r = (rank.get(s.group) ?? 0) + 1;
    rank.set(s.group, r);
    return [
      s.group,
      String(r),
      s.config,
      formatNumber(s.compute),
      `${intervalText(s.nowLow, s.nowHigh)} → ${intervalText(s.afterLow, s.afterHigh)}`,
      `× ${formatNumber(s.widthRatio)}`,
    ];
  });
}

/** C* of the next runs: the typed target, else the panel's largest budget; null when there is neither. */
export function suggestionTarget(settings: FitSettings, typed: number | null): number | null {
  if (typed !== null) return typed;
  return settings.budgets.length > 0 ? Math.max(...settings.budgets) : null;
}

export type TaskColumn = 'task' | 'group' | 'exponent' | 'width' | 'points' | 'rmse' | 'holdout';

export const TASK_COLUMNS: { column: TaskColumn; label: string; numeric: boolean }[] = [
  { column: 'task', label: 'task', numeric: false },
  { column: 'group', label: 'group', numeric: false },
  { column: 'exponent', label: 'exponent', numeric: true },
  { column: 'width', label: '95 % interval', numeric: true },
  { column: 'points', label: 'runs / fitted', numeric: true },
  { column: 'rmse', label: 'rmse log10', numeric: true },
  { column: 'holdout', label: 'held-out MAE', numeric: true },
];

/** The value a column sorts by (the interval by its width); null sorts last whichever the direction. */
function sortValue(row: TaskRowView, column: TaskColumn): string | number | null {
  switch (column) {
    case 'task':
      return row.task;
    case 'group':
      return row.group;
    case 'exponent':
      return row.exponent;
    case 'width':
      return row.low === null || row.high === null ? null : row.high - row.low;
    case 'points':
      return row.nPoints;
    case 'rmse':
      return row.rmseLog10;
    case 'holdout':
      return row.holdoutMae;
  }
}

/** Rows sorted by a column (stable: ties keep the file's order), unknown values last. */
export function sortTaskRows(rows: readonly TaskRowView[], column: TaskColumn, descending: boolean): TaskRowView[] {
  return rows
    .map((row, index) => ({ row, index, value: sortValue(row, column) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null)
        return a.value === b.value ? a.index - b.index : a.value === null ? 1 : -1;
      const order =
        typeof a.value === 'string' ? a.value.localeCompare(b.value as string) : a.value - (b.value as number);
      return (descending ? -order : order) || a.index - b.index;
    })
    .map((entry) => entry.row);
}

/** A row's cells; the exponent's name is left out when the column's header says it (every row has the same). */
export function taskCells(row: TaskRowView, nameInHeader = false): string[] {
  return [
    row.task,
    row.group,
    nameInHeader ? formatExponent(row.exponent) : `${row.exponentName} ${formatExponent(row.exponent)}`,
    intervalText(row.low, row.high),
    `${row.nPoints.toLocaleString('en')} / ${row.nUsed.toLocaleString('en')}`,
    formatNumber(row.rmseLog10),
    row.holdoutMae === null
      ? '—'
      : formatMetricDifference(row.maeUnits === 'loss units' ? 'loss' : 'accuracy', true, row.holdoutMae),
  ];
}
