/**
 * One fit as the extension needs it: load a results file, fit per the panel's settings, and shape the result
 * into what the webviews draw (PlotModel, plotModel.ts) and what hovers read (HoverModel). Runs in the fit worker;
 * pure (no vscode), so unit-tested directly.
 */
import type { FitJobResult, FitSettings, WorkerProblem } from '../shared/protocol';
import { analyze, resolveSpec, type AnalysisOptions, type AnalysisResult } from '../core/analysis';
import { InputError, type ShouldStop } from '../core/errors';
import { fitDecisions } from './decisionViews';
import { parseFrontier } from '../core/frontier';
import { buildHoverModel } from '../core/hoverPrediction';
import { dirname, joinPath, loadDataset, type ParseText, type ReadText, type RealPath } from '../core/ingest/load';
import { textAt } from '../core/ingest/cellText';
import { withoutUndefined } from '../shared/settings';
import { columnIndex } from '../core/ingest/table';
import type { LawName } from '../core/laws/law';
import type { ParallelRunner } from '../core/parallel';
import { toJson } from '../core/report';
import { countText } from '../core/metricWording';
import { fitChoices } from '../core/schema/choices';
import { isTrainingLog } from '../core/schema/spec';
import { needsParamsAndSamples } from '../core/settingsRules';
import { learningCurves, plotModel } from './plotModel';

/** Bootstrap resamples of the panel's fits (the decision sections use as many, so they match `--bootstrap 200`). */
export const BOOTSTRAP_RESAMPLES = 200;
const HOLDOUT_FRACTION = 0.2;
/** The held-out refit's intervals: fewer resamples than the fit's own, so a 100k-run refit costs ~1.5×, not 2×. */
const HOLDOUT_BOOTSTRAP_RESAMPLES = 100;

export interface FitJobOptions {
  /** Polled in the fit's long loops: a superseded job stops with Cancelled. */
  shouldStop?: ShouldStop;
  /** Parses the results file; the worker passes one that re-parses only appended rows. */
  parse?: ParseText;
  /** Paths named in scaling-lens.json stay inside this folder (the workspace folder), also through symbolic links. */
  root?: string;
  realpath?: RealPath;
  /** Spreads multi-start fits and bootstrap resamples over worker threads (the fit worker's pool). */
  runner?: ParallelRunner;
}

/** The analysis options of the panel's settings. A joint law's default frontier is all runs (the layout's binned default has no (N, D)). */
export function analysisOptions(settings: FitSettings, shouldStop?: ShouldStop): AnalysisOptions {
  const frontier =
    settings.frontier !== 'default'
      ? parseFrontier(settings.frontier)
      : needsParamsAndSamples(settings.law)
        ? ({ kind: 'all' } as const)
        : undefined;
  return {
    task: settings.task,
    metric: settings.metric,
    group: settings.group,
    law: settings.law,
    frontier,
    holdout: { kind: 'fraction', fraction: HOLDOUT_FRACTION },
    direction: settings.direction,
    // A metric whose name does not say its direction is fitted on a guess, with a warning; "Fit Scaling Law" asks.
    guessDirection: true,
    optimal: settings.budgets,
    shouldStop,
  };
}

export function runFitJob(
  file: string,
  settings: FitSettings,
  readText: ReadText,
  job: FitJobOptions = {},
): FitJobResult {
  const { table, spec } = loadDataset(file, readText, {
    ignorePartialLastLine: true,
    parse: job.parse,
    root: job.root,
    realpath: job.realpath,
  });
  const options: AnalysisOptions = { ...analysisOptions(settings, job.shouldStop), runner: job.runner };
  const resolved = resolveSpec(table, spec, options);
  const taskCol = spec.taskColumn ? columnIndex(table, spec.taskColumn) : -1;
  const tasks =
    taskCol >= 0 ? distinct(Array.from({ length: table.rowCount }, (_, r) => textAt(table, r, taskCol))) : [];
  const result = analyze(table, resolved, {
    ...options,
    bootstrap: settings.bootstrap ? BOOTSTRAP_RESAMPLES : 0,
    holdoutBootstrap: HOLDOUT_BOOTSTRAP_RESAMPLES,
    seed: 0,
  });
  const trainingLog = isTrainingLog(spec);
  // Beside the fit: the group comparison (its intervals from this fit's bootstrap refits) and running jobs' forecasts.
  const readSibling = (name: string) => siblingText(readText, joinPath(dirname(file), name));
  const decisions = fitDecisions(table, resolved, result, readSibling, trainingLog);
  const model = plotModel({
    result,
    budgets: settings.budgets,
    curves: trainingLog ? learningCurves(result) : [],
    trainingRuns: trainingLog ? new Set(result.runs.map((r) => r.label)).size : null,
    decisions,
  });
  return {
    model,
    tasks,
    choices: {
      ...fitChoices(table, resolved),
      laws: availableLaws(result),
      direction: result.scale.direction === 'higher-is-better' ? 'higher' : 'lower',
      directionAmbiguous: result.scale.directionSource === 'guessed',
    },
    hover: {
      ...buildHoverModel(result),
      task: resolved.filters.find((f) => f.column === spec.taskColumn)?.value ?? null,
    },
    headerLaw: result.fits.map((f) => `${f.group ?? 'all'}: ${f.formula}`).join('  ·  '),
    statusText: statusText(result),
    // JSON, as saved: settings merged from the panel may carry keys set to undefined, which no JSON value holds.
    summary: { ...(toJson(result) as object), settings: withoutUndefined(settings) },
    problems: leftOutRows(result),
    problemsTotal: result.problems_total,
  };
}

/** Rows left out, for the Problems panel: every bad row (the first 100) and, per reason, the first row skipped for it. */
function leftOutRows(result: AnalysisResult): WorkerProblem[] {
  const problems: WorkerProblem[] = result.problems.map((p) => ({
    file: p.file,
    line: p.line ?? 1,
    column: p.column ?? 1,
    message: p.message,
  }));
  for (const skipped of result.left_out) {
    const lines =
      skipped.lines.length > 1
        ? ` (lines ${skipped.lines.join(', ')}${skipped.count > skipped.lines.length ? ', …' : ''})`
        : '';
    problems.push({
      file: skipped.file,
      line: skipped.lines[0] ?? 1,
      column: 1,
      severity: 'info',
      message: `${skipped.count} row${skipped.count === 1 ? '' : 's'} left out of the fit, no ${skipped.quantity}: ${skipped.reason}${lines}`,
    });
  }
  return problems;
}

/** The joint law needs parameters and samples for every run; the compute laws fit any file. */
function availableLaws(result: AnalysisResult): LawName[] {
  const compute: LawName[] = ['power', 'saturating', 'broken', 'broken2'];
  const withNd = result.runs.length > 0 && result.runs.every((r) => r.params !== undefined && r.samples !== undefined);
  return withNd || result.fits.some((f) => needsParamsAndSamples(f.law))
    ? [...compute.slice(0, 2), 'joint', ...compute.slice(2)]
    : compute;
}

/** Every group's law in a line (`LAION E = 5.86·C^−0.111 · CLIP-WIT E = 23.2·C^−0.164 · 32 runs`). */
function statusText(result: AnalysisResult): string {
  if (result.fits.length === 0) return 'no fit';
  const laws = result.fits.map((f) => (result.fits.length > 1 ? `${f.group ?? 'all runs'} ${f.formula}` : f.formula));
  return `${laws.join(' · ')} · ${countText(result.runs.length, null)}`;
}

/** A file beside the results file (params.txt, trained_models_info.csv), or undefined when it cannot be read. */
function siblingText(readText: ReadText, path: string): string | undefined {
  try {
    const text = readText(path);
    return typeof text === 'string' ? text : text?.text;
  } catch (error) {
    if (error instanceof InputError) return undefined;
    throw error;
  }
}

function distinct(values: string[]): string[] {
  return [...new Set(values)].filter(Boolean).sort();
}
