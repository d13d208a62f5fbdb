/**
 * The panel's heavier decision sections, computed in the fit worker on request after the fit: the three Chinchilla
 * approaches, the next runs to train, every task at a glance. Each is a generator that yields its progress between
 * steps (the 41 tasks of the OpenCLIP file one at a time), so the worker can answer a newer fit in between. Pure: no
 * vscode; the same analyses, seeds and resample counts as `scaling-lens fit … --bootstrap 200`.
 */
import type { DecisionAnswer, DecisionAsk, FitSettings } from '../shared/protocol';
import { analyze, resolveSpec, type AnalysisOptions } from '../core/analysis';
import { chinchillaApproaches } from '../core/decisions/approaches';
import { fitTask, overviewOf, taskNames, type TaskOverview, type TaskRow } from '../core/decisions/overview';
import { approachesView, suggestionsView, tasksView } from './decisionViews';
import { suggestRuns } from '../core/decisions/suggest';
import { InputError, UsageError } from '../core/errors';
import { analysisOptions, BOOTSTRAP_RESAMPLES, type FitJobOptions } from './fitJob';
import { loadDataset, type ReadText } from '../core/ingest/load';

export interface DecisionProgress {
  done: number;
  total: number;
}

/**
 * Steps of one decision: yields progress, returns the answer (a `failed` answer for input the analysis refuses).
 * Cancelled (from `job.shouldStop`) propagates.
 */
export function* decisionSteps(
  file: string,
  settings: FitSettings,
  ask: DecisionAsk,
  readText: ReadText,
  job: FitJobOptions = {},
): Generator<DecisionProgress, DecisionAnswer> {
  try {
    return yield* stepsOf(file, settings, ask, readText, job);
  } catch (error) {
    if (error instanceof InputError || error instanceof UsageError)
      return { id: ask.id, kind: 'failed', message: error instanceof InputError ? error.detail : error.message };
    throw error;
  }
}

function* stepsOf(
  file: string,
  settings: FitSettings,
  ask: DecisionAsk,
  readText: ReadText,
  job: FitJobOptions,
): Generator<DecisionProgress, DecisionAnswer> {
  const { table, spec } = loadDataset(file, readText, {
    ignorePartialLastLine: true,
    parse: job.parse,
    root: job.root,
    realpath: job.realpath,
  });
  const base: AnalysisOptions = {
    ...analysisOptions(settings, job.shouldStop),
    runner: job.runner,
    holdout: undefined,
    predict: [],
    seed: 0,
  };
  if (ask.kind === 'approaches') {
    // The approaches use the runs and groups only: one fit without bootstrap, then their own resamples.
    const resolved = resolveSpec(table, spec, base);
    const result = analyze(table, resolved, { ...base, bootstrap: 0 });
    const report = chinchillaApproaches(
      table,
      result,
      { ...base, bootstrap: BOOTSTRAP_RESAMPLES, optimal: settings.budgets },
      {},
    );
    return { id: ask.id, kind: 'approaches', view: approachesView(report) };
  }
  if (ask.kind === 'suggestions') {
    const options = { ...base, bootstrap: BOOTSTRAP_RESAMPLES, optimal: [] };
    const resolved = resolveSpec(table, spec, options);
    const result = analyze(table, resolved, options);
    const report = suggestRuns(resolved, result, options, { target: ask.target, cap: ask.cap ?? undefined });
    return { id: ask.id, kind: 'suggestions', view: suggestionsView(report, ask.cap) };
  }
  // Every task with its own metric (the panel's metric was chosen for its task), the top 20 % of compute held out.
  const options: AnalysisOptions = {
    ...analysisOptions({ ...settings, task: undefined, metric: undefined, direction: undefined }, job.shouldStop),
    runner: job.runner,
    bootstrap: BOOTSTRAP_RESAMPLES,
    holdoutBootstrap: 0,
    seed: 0,
    predict: [],
  };
  const resolved = resolveSpec(table, spec, options);
  const tasks = taskNames(table, resolved);
  const rows: TaskRow[] = [];
  const failed: TaskOverview['failed'] = [];
  for (const [done, task] of tasks.entries()) {
    yield { done, total: tasks.length };
    const outcome = fitTask(table, resolved, options, task);
    if ('reason' in outcome) failed.push({ task, reason: outcome.reason });
    else rows.push(...outcome.rows);
  }
  return { id: ask.id, kind: 'tasks', view: tasksView(overviewOf(rows, failed, options)) };
}

/** All steps at once (tests, and callers that need no progress). */
export function runDecision(
  file: string,
  settings: FitSettings,
  ask: DecisionAsk,
  readText: ReadText,
  job: FitJobOptions = {},
  onProgress?: (progress: DecisionProgress) => void,
): DecisionAnswer {
  const steps = decisionSteps(file, settings, ask, readText, job);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    onProgress?.(step.value);
  }
}
