/**
 * The decision analyses run after a fit, as the CLI asks for them: each returns plain JSON-ready data (for the
 * --json output and the panel) and prints its own text section.
 */
import type { AnalysisOptions, AnalysisResult } from '../analysis';
import type { Table } from '../ingest/table';
import type { DatasetSpec } from '../schema/spec';
import { compareGroups, comparisonText } from './compare';
import { approachesText, chinchillaApproaches } from './approaches';
import { learningCurves } from './curves';
import { forecastCurves, forecastText } from './forecast';
import { allTasks, overviewText } from './overview';
import type { DecisionRequest } from './request';
import { suggestionText, suggestRuns } from './suggest';
import { UsageError } from '../errors';

export interface DecisionContext {
  table: Table;
  /** The spec the analysis used (after flags). */
  spec: DatasetSpec;
  result: AnalysisResult;
  options: AnalysisOptions;
  /** Reads a file beside the results file (params.txt, trained_models_info.csv…); undefined when absent. */
  readSibling: (name: string) => string | undefined;
  /** Reads a file named on the command line (--candidates). */
  readFile: (path: string) => string | undefined;
}

export interface DecisionOutput {
  /** Fields appended to the --json output. */
  json: Record<string, unknown>;
  /** Sections appended to the text report. */
  text: string[];
}

export function decide(context: DecisionContext, request: DecisionRequest): DecisionOutput {
  const json: Record<string, unknown> = {};
  const text: string[] = [];
  if (request.compare) {
    const report = compareGroups(context.result);
    json.comparisons = report.comparisons;
    json.comparison_notes = report.notes;
    text.push('', ...comparisonText(report));
  }
  if (request.approaches) {
    const report = chinchillaApproaches(context.table, context.result, context.options, {
      tolerance: request.isoflopTolerance,
      budgetColumn: request.budgetColumn,
    });
    json.approaches = report.approaches;
    json.approaches_compute_per_sample = report.compute_per_sample;
    json.approaches_notes = report.notes;
    text.push('', ...approachesText(report));
  }
  if (request.forecast) {
    const curves = learningCurves(context.table, context.spec, context.result, context.readSibling, request.planned);
    const report = forecastCurves(curves, context.result.scale, request.cut);
    json.forecasts = report.forecasts;
    json.forecast_summary = report.summary;
    json.forecast_notes = report.notes;
    text.push('', ...forecastText(report, context.result.metric));
  }
  if (request.suggest !== undefined) {
    const candidatesText = request.candidates === undefined ? undefined : context.readFile(request.candidates);
    if (request.candidates !== undefined && candidatesText === undefined)
      throw new UsageError(`--candidates ${request.candidates}: no such file`);
    const report = suggestRuns(context.spec, context.result, context.options, {
      target: request.suggest,
      cap: request.computeCap,
      candidates: request.candidates === undefined ? undefined : { file: request.candidates, text: candidatesText! },
    });
    json.suggestions = report.suggestions;
    json.suggestion_notes = report.notes;
    text.push('', ...suggestionText(report));
  }
  if (request.allTasks) {
    const overview = allTasks(context.table, context.spec, context.options);
    json.tasks = overview.tasks;
    json.tasks_failed = overview.failed;
    text.push('', ...overviewText(overview));
  }
  return { json, text };
}
