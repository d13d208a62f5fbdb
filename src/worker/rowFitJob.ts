/**
 * A hover on a row outside the panel's fit (another task of the OpenCLIP file, say): fit the law of that row's own
 * task and group with the panel's law and frontier, and return what the hover needs for every run of that task.
 * Pure: the worker runs it on request and the host caches the answer per task.
 */
import type { FitSettings, HoverModel } from '../shared/protocol';
import { analyze, resolveSpec } from '../core/analysis';
import { InputError, UsageError } from '../core/errors';
import { analysisOptions, type FitJobOptions } from './fitJob';
import { buildHoverModel } from '../core/hoverPrediction';
import { loadDataset, type ReadText } from '../core/ingest/load';
import { cellMatches, textAt } from '../core/ingest/cellText';
import { columnIndex, type Table } from '../core/ingest/table';

const BOOTSTRAP_RESAMPLES = 200;

export type RowFitOutcome = { ok: true; task: string | null; hover: HoverModel } | { ok: false; reason: string };

export function runRowFitJob(
  file: string,
  settings: FitSettings,
  line: number,
  readText: ReadText,
  job: FitJobOptions = {},
): RowFitOutcome {
  const { table, spec } = loadDataset(file, readText, {
    ignorePartialLastLine: true,
    parse: job.parse,
    root: job.root,
    realpath: job.realpath,
  });
  const row = rowAtLine(table, line);
  if (row < 0) return { ok: false, reason: `line ${line} is not a data row of this file` };
  const taskCol = spec.taskColumn ? columnIndex(table, spec.taskColumn) : -1;
  const task = taskCol >= 0 ? textAt(table, row, taskCol) || null : null;
  // A row of the panel's own task (or of a file without tasks) that the panel's fit left out: say why, without
  // fitting again (on a 100k-row file a refit per hovered row would cost seconds each).
  try {
    const current = resolveSpec(table, spec, analysisOptions(settings));
    const currentTask = current.filters.find((f) => f.column === spec.taskColumn)?.value ?? null;
    if (task === null || task === currentTask)
      return {
        ok: false,
        reason: whyNotFitted(table, row, current.metric, current.filters, task ? `task ${task}` : 'this fit'),
      };
  } catch (error) {
    if (!(error instanceof InputError || error instanceof UsageError)) throw error;
  }
  // Another task has its own metric (retrieval recall instead of accuracy): the layout picks it again.
  const own: FitSettings = {
    ...settings,
    task: task ?? settings.task,
    metric: task !== null && task !== settings.task ? undefined : settings.metric,
    budgets: [],
  };
  const options = { ...analysisOptions(own, job.shouldStop), runner: job.runner, holdout: undefined, optimal: [] };
  const where = task ? `task ${task}` : 'this fit';
  try {
    const resolved = resolveSpec(table, spec, options);
    const result = analyze(table, resolved, { ...options, bootstrap: BOOTSTRAP_RESAMPLES, seed: 0 });
    const hover = buildHoverModel(result);
    hover.task = task;
    if (hover.line.includes(line)) return { ok: true, task, hover };
    return { ok: false, reason: whyNotFitted(table, row, resolved.metric, resolved.filters, where) };
  } catch (error) {
    if (error instanceof InputError || error instanceof UsageError)
      return {
        ok: false,
        reason: `no law for ${where}: ${error instanceof InputError ? error.detail : error.message}`,
      };
    throw error;
  }
}

function whyNotFitted(
  table: Table,
  row: number,
  metric: string,
  filters: { column: string; value: string }[],
  where: string,
): string {
  const metricCol = columnIndex(table, metric);
  if (metricCol >= 0 && textAt(table, row, metricCol).trim() === '')
    return `this row has no value in ${metric}, which ${where} is fitted to`;
  const failing = filters.find((f) => !cellMatches(table, row, columnIndex(table, f.column), f.value));
  if (failing) return `this row is filtered out of ${where} (${failing.column} = ${failing.value})`;
  return `this row is not among the runs of ${where}`;
}

/** The table row starting on a 1-based source line (binary search over ascending lines); −1 when none does. */
function rowAtLine(table: Table, line: number): number {
  let lo = 0;
  let hi = table.rowCount - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (table.lines[mid] === line) return mid;
    if (table.lines[mid] < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
