/**
 * The decision analyses shaped for the panel's sections (src/shared/protocol.ts views): the same reports the CLI
 * prints, in the panel's names, with one plain-language reading of a group comparison. Pure: no vscode.
 */
import type { AnalysisResult, GroupAnalysis } from '../core/analysis';
import { InputError, UsageError } from '../core/errors';
import { formatExponent, formatNumber, formatPValue } from '../core/format';
import type { Table } from '../core/ingest/table';
import type { DatasetSpec } from '../core/schema/spec';
import { toError } from '../core/schema/metric';
import type {
  ApproachesView,
  ApproachView,
  ComparisonPairView,
  ComparisonView,
  DecisionViews,
  ForecastRowView,
  ForecastView,
  SuggestionsView,
  TasksView,
} from '../shared/protocol';
import type { ApproachesReport } from '../core/decisions/approaches';
import { compareGroups, type ComparisonReport, type GroupComparison } from '../core/decisions/compare';
import { learningCurves } from '../core/decisions/curves';
import { forecastCurves, type ForecastReport } from '../core/decisions/forecast';
import type { TaskOverview } from '../core/decisions/overview';
import { candidateText, type SuggestionReport } from '../core/decisions/suggest';

/** p-values below this read as "the data show"; it matches the 95 % intervals shown beside them. */
const SIGNIFICANT = 0.05;
/** Suggestions per group in the "Next runs" section. */
export const SUGGESTIONS_SHOWN = 5;

const groupName = (group: string | null) => group ?? 'all runs';

/**
 * The decision sections computed with every fit: the group comparison (from the fit's bootstrap refits; differences
 * alone in a fit without them) and, for a training log, each running job's forecast.
 */
export function fitDecisions(
  table: Table,
  spec: DatasetSpec,
  result: AnalysisResult,
  readSibling: (name: string) => string | undefined,
  trainingLog: boolean,
): DecisionViews {
  const fitted = result.fits.filter((f) => f.group !== null);
  return {
    comparison: fitted.length >= 2 ? comparisonView(compareGroups(result), result.fits) : null,
    forecasts: trainingLog ? forecastsOf(table, spec, result, readSibling) : null,
    approaches: result.runs.length > 0 && result.runs.every((r) => r.params !== undefined && r.samples !== undefined),
  };
}

function forecastsOf(
  table: Table,
  spec: DatasetSpec,
  result: AnalysisResult,
  readSibling: (name: string) => string | undefined,
): ForecastView | null {
  try {
    const curves = learningCurves(table, spec, result, readSibling, undefined);
    return forecastView(forecastCurves(curves, result.scale, undefined), result);
  } catch (error) {
    // A log the forecaster cannot read (single-row runs, no samples column): no forecast section, the fit stands.
    if (error instanceof InputError || error instanceof UsageError) return null;
    throw error;
  }
}

export function comparisonView(report: ComparisonReport, fits: GroupAnalysis[]): ComparisonView {
  const pairs = new Map<string, GroupComparison[]>();
  for (const c of report.comparisons) {
    const key = c.groups.join('\u0000');
    pairs.set(key, [...(pairs.get(key) ?? []), c]);
  }
  return {
    pairs: [...pairs.values()].map((entries): ComparisonPairView => {
      const [first, second] = entries[0].groups;
      const crossing = entries[0].crossing;
      const pair: Omit<ComparisonPairView, 'reading'> = {
        first,
        second,
        resamples: entries[0].resamples,
        differences: entries.map((c) => ({
          param: c.param,
          difference: c.difference,
          low: c.ci95?.[0] ?? null,
          high: c.ci95?.[1] ?? null,
          pValue: c.p_value,
        })),
        crossing: crossing
          ? {
              compute: crossing.compute,
              interval: crossing.ci95 ? { low: crossing.ci95[0], high: crossing.ci95[1] } : null,
            }
          : null,
        rangeLow: entries[0].crossing_range[0],
        rangeHigh: entries[0].crossing_range[1],
      };
      return { ...pair, reading: comparisonReading(pair, fits) };
    }),
    notes: report.notes,
  };
}

/** The exponent a comparison is read on: α when the law has one, else its first parameter. */
function exponentOf(params: readonly string[]): string {
  return params.includes('alpha') ? 'alpha' : params[0];
}

/**
 * One line that says what the comparison shows: whether the data tell the exponents apart at the 5 % level (the
 * level of the 95 % intervals beside it), and which group's is the lower when they do.
 */
export function comparisonReading(pair: Omit<ComparisonPairView, 'reading'>, fits: GroupAnalysis[]): string {
  const name = exponentOf(pair.differences.map((d) => d.param));
  const difference = pair.differences.find((d) => d.param === name);
  if (!difference) return 'no common parameter to compare';
  const word = name === 'alpha' ? 'exponents' : `values of ${name}`;
  if (difference.pValue === null) {
    return pair.resamples === 0
      ? `${name} differs by ${formatExponent(difference.difference)}; no interval or p-value without bootstrap refits of both groups`
      : `${name} differs by ${formatExponent(difference.difference)}; too few bootstrap draws for a p-value`;
  }
  const p = formatPValue(difference.pValue);
  if (difference.pValue >= SIGNIFICANT)
    return `the data do not show different ${word} (p ${p.startsWith('<') ? p : `= ${p}`})`;
  const valueOf = (group: string) => fits.find((f) => groupName(f.group) === group)?.params[name];
  const [a, b] = [valueOf(pair.first), valueOf(pair.second)];
  const lower = difference.difference < 0 ? pair.first : pair.second;
  const values =
    a !== undefined && b !== undefined
      ? `: ${formatExponent(a)} for ${pair.first}, ${formatExponent(b)} for ${pair.second}`
      : '';
  return `the data show different ${word} (p ${p.startsWith('<') ? p : `= ${p}`}): ${name} is lower for ${lower}${values}`;
}

/** Each running job's forecast, placed on the frontier plot in error units where its compute is known. */
export function forecastView(report: ForecastReport, result: AnalysisResult): ForecastView {
  const groupOfRun = new Map<string, string | null>();
  for (const run of result.runs) if (!groupOfRun.has(run.label)) groupOfRun.set(run.label, run.group);
  const colorOf = (group: string | null) => result.fits.findIndex((f) => f.group === group);
  const rows = report.forecasts.map((f): ForecastRowView => {
    const known = groupOfRun.has(f.run);
    const group = known ? groupOfRun.get(f.run)! : undefined;
    const color = group === undefined ? -1 : colorOf(group);
    const bounds = f.ci95
      ? [toError(f.ci95[0], result.scale), toError(f.ci95[1], result.scale)].sort((x, y) => x - y)
      : null;
    const error = toError(f.predicted, result.scale);
    return {
      run: f.run,
      group: group === undefined ? null : groupName(group),
      colorIndex: color >= 0 ? color : null,
      samplesSeen: f.samples_seen,
      plannedSamples: f.planned_samples,
      measuredLast: f.measured_last,
      predicted: f.predicted,
      low: f.ci95?.[0] ?? null,
      high: f.ci95?.[1] ?? null,
      // A forecast error at or below 0 (an accuracy forecast at 100 %) has no place on a log axis.
      plot:
        f.planned_compute !== null && f.planned_compute > 0 && error > 0
          ? {
              compute: f.planned_compute,
              error,
              low: bounds && bounds[0] > 0 ? bounds[0] : null,
              high: bounds ? bounds[1] : null,
            }
          : null,
      reachesFrontier: f.reaches_frontier,
      method: f.method,
      calibrated: f.calibrated,
      calibrationRuns: f.calibration_runs,
    };
  });
  return { unit: report.unit, rows, notes: report.notes };
}

const interval = (ci: [number, number] | null | undefined) => ({ low: ci?.[0] ?? null, high: ci?.[1] ?? null });

export function approachesView(report: ApproachesReport): ApproachesView {
  const approaches = report.approaches.map((a): ApproachView => {
    const ia = interval(a.a_ci95);
    const ib = interval(a.b_ci95);
    return {
      name: a.name,
      method: a.method,
      group: groupName(a.group),
      a: a.a,
      aLow: ia.low,
      aHigh: ia.high,
      b: a.b,
      bLow: ib.low,
      bHigh: ib.high,
      nCoefficient: a.n_coefficient,
      optimal: a.optimal.map((o) => ({
        compute: o.compute,
        nOpt: o.n_opt,
        nOptLow: o.n_opt_ci95?.[0] ?? null,
        nOptHigh: o.n_opt_ci95?.[1] ?? null,
        dOpt: o.d_opt,
        dOptLow: o.d_opt_ci95?.[0] ?? null,
        dOptHigh: o.d_opt_ci95?.[1] ?? null,
        tokensPerParam: o.tokens_per_param,
        tokensPerParamLow: o.tokens_per_param_ci95?.[0] ?? null,
        tokensPerParamHigh: o.tokens_per_param_ci95?.[1] ?? null,
      })),
      points: a.points.map((p) => ({ compute: p.compute, nOpt: p.n_opt, ...interval(p.n_opt_ci95) })),
      resamples: a.resamples,
      notes: a.notes,
    };
  });
  const isoflop = report.approaches.flatMap((a) =>
    (a.isoflop ?? []).map((budget) => ({
      group: groupName(a.group),
      compute: budget.compute,
      runs: budget.runs.map((r) => ({ params: r.params, error: r.error })),
      curve: budget.curve.filter((c) => Number.isFinite(c.error)),
      nOpt: budget.n_opt,
      ...interval(budget.n_opt_ci95),
      errorAtMinimum: budget.error_at_minimum,
      problem: budget.problem ?? null,
    })),
  );
  const noIsoflop = report.approaches
    .filter((a) => a.name === 'Approach 2' && a.a === null && a.notes.some((n) => n.startsWith('no isoFLOP structure')))
    .map((a) => ({ group: groupName(a.group), reason: a.notes.find((n) => n.startsWith('no isoFLOP structure'))! }));
  const perSample = report.compute_per_sample.map((k) => ({
    group: groupName(k.group),
    text: `compute per sample k(N) = ${formatNumber(k.coefficient)}·N^${formatExponent(k.exponent)}, from ${k.source}`,
  }));
  return { approaches, isoflop, perSample, noIsoflop, notes: report.notes };
}

/** The best few suggestions of each group (the report ranks them best first), each in words. */
export function suggestionsView(
  report: SuggestionReport,
  cap: number | null,
  perGroup = SUGGESTIONS_SHOWN,
): SuggestionsView {
  const shown = new Map<string, number>();
  const rows: SuggestionsView['rows'] = [];
  for (const s of report.suggestions) {
    const group = groupName(s.config.group);
    const count = shown.get(group) ?? 0;
    if (count >= perGroup) continue;
    shown.set(group, count + 1);
    rows.push({
      group,
      config: candidateText(s.config),
      compute: s.compute,
      nowLow: s.interval_now[0],
      nowHigh: s.interval_now[1],
      afterLow: s.interval_after[0],
      afterHigh: s.interval_after[1],
      widthRatio: s.width_ratio,
      shrinkPerCompute: s.shrink_per_compute,
    });
  }
  return { target: report.target, cap, rows, ranked: report.suggestions.length, notes: report.notes };
}

/** One row per task × group with the exponent (α when the law has one) and its interval. */
export function tasksView(overview: TaskOverview): TasksView {
  return {
    rows: overview.tasks.map((row) => {
      const name = exponentOf(Object.keys(row.params));
      const ci = row.ci95?.[name];
      return {
        task: row.task,
        group: groupName(row.group),
        metric: row.metric,
        law: row.law,
        exponentName: name,
        exponent: row.params[name],
        low: ci?.[0] ?? null,
        high: ci?.[1] ?? null,
        nPoints: row.n_points,
        nUsed: row.n_used,
        rmseLog10: row.rmse_log10,
        holdoutMae: row.holdout_mae,
        maeUnits: row.holdout_mae_units,
      };
    }),
    failed: overview.failed,
    holdout: overview.holdout,
    notes: overview.notes,
  };
}
