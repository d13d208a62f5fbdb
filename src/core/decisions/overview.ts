/**
 * Every task at a glance: the file's analysis repeated for each value of its task column (OpenCLIP's 41 downstream
 * datasets), one row per task × group with the exponent, its interval, points, fit quality and held-out error.
 */
import { holdoutRuleName, type HoldoutRule } from '../holdout';
import { analyze, resolveSpec, type AnalysisOptions, type GroupAnalysis } from '../analysis';
import { InputError, UsageError } from '../errors';
import { formatExponent, formatNumber } from '../format';
import { textAt } from '../ingest/cellText';
import { columnIndex, type Table } from '../ingest/table';
import type { LawParams } from '../laws/law';
import type { DatasetSpec } from '../schema/spec';

export interface TaskRow {
  task: string;
  group: string | null;
  metric: string;
  law: string;
  params: LawParams;
  ci95: Record<string, [number, number]> | null;
  /** Runs of the group, and the points the law was fitted to. */
  n_points: number;
  n_used: number;
  rmse_log10: number;
  /** Mean absolute error of the held-out runs (percentage points for accuracy-like metrics); null when none was scored. */
  holdout_mae: number | null;
  /** Its units: `pp` for accuracies and error rates, `loss units` for a loss; null with no MAE. */
  holdout_mae_units: 'pp' | 'loss units' | null;
}

export interface TaskOverview {
  tasks: TaskRow[];
  /** Tasks the analysis could not fit, with the reason. */
  failed: { task: string; reason: string }[];
  /** The held-out rule every task was checked with, in words. */
  holdout: string;
  notes: string[];
}

/** The top 20 % of compute held out when the user asked for no held-out check. */
const DEFAULT_HOLDOUT = 0.2;

export function allTasks(table: Table, spec: DatasetSpec, options: AnalysisOptions): TaskOverview {
  const rows: TaskRow[] = [];
  const failed: TaskOverview['failed'] = [];
  for (const task of taskNames(table, spec)) {
    const outcome = fitTask(table, spec, options, task);
    if ('reason' in outcome) failed.push({ task, reason: outcome.reason });
    else rows.push(...outcome.rows);
  }
  return overviewOf(rows, failed, options);
}

/** The file's tasks in order of first appearance (an error without a task column). */
export function taskNames(table: Table, spec: DatasetSpec): string[] {
  if (!spec.taskColumn)
    throw new UsageError(
      `--all-tasks: ${table.file} has no task column (OpenCLIP's downstream_dataset, CLIP_benchmark's dataset)`,
    );
  const taskCol = columnIndex(table, spec.taskColumn);
  const tasks: string[] = [];
  const seen = new Set<string>();
  for (let row = 0; row < table.rowCount; row++) {
    const task = textAt(table, row, taskCol);
    if (task !== '' && !seen.has(task)) {
      seen.add(task);
      tasks.push(task);
    }
  }
  return tasks;
}

/** One task's rows (one per group), or why it could not be fitted. The panel's worker calls it task by task. */
export function fitTask(
  table: Table,
  spec: DatasetSpec,
  options: AnalysisOptions,
  task: string,
): { rows: TaskRow[] } | { reason: string } {
  const taskOptions: AnalysisOptions = { ...options, task, holdout: holdoutRule(options), predict: [], optimal: [] };
  try {
    const result = analyze(table, resolveSpec(table, spec, taskOptions), taskOptions);
    return { rows: result.fits.map((fit) => rowOf(task, result.metric, fit)) };
  } catch (error) {
    if (!(error instanceof InputError || error instanceof UsageError)) throw error;
    return { reason: error.message };
  }
}

/** The overview of the tasks' rows and failures. */
export function overviewOf(rows: TaskRow[], failed: TaskOverview['failed'], options: AnalysisOptions): TaskOverview {
  const notes =
    options.holdout === undefined
      ? [
          `held-out error: the top ${formatNumber(DEFAULT_HOLDOUT * 100)} % of compute held out (--holdout FRACTION to change)`,
        ]
      : [];
  return { tasks: rows, failed, holdout: holdoutRuleName(holdoutRule(options)), notes };
}

function holdoutRule(options: AnalysisOptions): HoldoutRule {
  return options.holdout ?? { kind: 'fraction', fraction: DEFAULT_HOLDOUT };
}

function rowOf(task: string, metric: string, fit: GroupAnalysis): TaskRow {
  const mae = holdoutMae(fit);
  return {
    task,
    group: fit.group,
    metric,
    law: fit.law,
    params: fit.params,
    ci95: fit.ci95,
    n_points: fit.n_points,
    n_used: fit.n_used,
    rmse_log10: fit.rmse_log10,
    holdout_mae: mae,
    holdout_mae_units: mae === null ? null : (fit.holdout?.mae_units ?? null),
  };
}

/** The held-out report's mean absolute error (in pp for accuracy-like metrics, else the metric's units). */
function holdoutMae(fit: GroupAnalysis): number | null {
  const value = fit.holdout?.mae ?? null;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The overview table of the CLI's text report. */
export function overviewText(overview: TaskOverview): string[] {
  const lines = ['Every task at a glance:'];
  const exponentOf = (row: TaskRow) => Object.keys(row.params).find((k) => k === 'alpha') ?? Object.keys(row.params)[0];
  const header = ['task', 'group', 'metric', 'exponent', '95% CI', 'runs', 'fitted', 'rmse log10', 'held-out MAE'];
  const body = overview.tasks.map((row) => {
    const name = exponentOf(row);
    const ci = row.ci95?.[name];
    return [
      row.task,
      row.group ?? 'all',
      row.metric,
      `${name} ${formatExponent(row.params[name])}`,
      ci ? `[${formatNumber(ci[0])}, ${formatNumber(ci[1])}]` : '—',
      String(row.n_points),
      String(row.n_used),
      formatNumber(row.rmse_log10),
      row.holdout_mae === null ? '—' : formatNumber(row.holdout_mae),
    ];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)));
  for (const r of [header, ...body])
    lines.push(
      '  ' +
        r
          .map((cell, c) => cell.padEnd(widths[c]))
          .join('  ')
          .trimEnd(),
    );
  for (const f of overview.failed) lines.push(`  ${f.task}: not fitted — ${f.reason}`);
  for (const note of overview.notes) lines.push(`  note: ${note}`);
  return lines;
}
