/**
 * What the webviews draw of one analysis (PlotModel): run layers, each group's law line and band along a compute
 * grid, the tables, notes and warnings. Built in the worker after the analysis, from its result alone.
 */
import type { AnalysisResult, GroupAnalysis } from '../core/analysis';
import type { Run } from '../core/dataset';
import { decimateLogLog, type DecimationGrid } from '../core/decimate';
import { groupBy } from '../core/groupBy';
import { jointEnvelope } from '../core/jointEnvelope';
import { lawByName } from '../core/laws/index';
import type { LawName, LawParams } from '../core/laws/law';
import { fittedAxisTitle, fittedSymbol, metricKind, type MetricKind } from '../core/metricWording';
import { needsParamsAndSamples } from '../core/settingsRules';
import { extent, interval95 } from '../core/stats';
import { packStrings } from '../shared/packedStrings';
import type {
  AllocationView,
  CurveSeries,
  DecisionViews,
  GroupSummary,
  OptimalRow,
  OutlierView,
  ParamRow,
  PlotModel,
  PlotSeries,
  RowProblemView,
  RunLayer,
  WarningView,
} from '../shared/protocol';

const LINE_POINTS = 48;
/**
 * A group past 20,000 runs is drawn decimated: one run per cell of 500 × 320 cells over the log-log extent, one to
 * two pixels of the panel's plot (less than a run marker's 4-pixel dot), so the picture keeps every occupied spot
 * while the webview receives far fewer points (100k runs along a law: about 10k points). Every run is fitted.
 */
const PANEL_PLOT_CELLS: DecimationGrid = { limit: 20_000, columns: 500, rows: 320 };

export interface PlotModelInput {
  result: AnalysisResult;
  /** The compute budgets asked for: the law lines extrapolate to the largest. */
  budgets: number[];
  /** Learning curves of a training log (empty otherwise). */
  curves: CurveSeries[];
  /** Training logs: distinct runs (each row is a checkpoint); null for one row per run. */
  trainingRuns: number | null;
  decisions: DecisionViews;
}

export function plotModel(input: PlotModelInput): PlotModel {
  const { result } = input;
  const kind = metricKind(result.metric, result.scale);
  const grid = computeGrid(result.runs, input.budgets);
  const maxCompute = extent(result.runs.map((r) => r.compute))[1];
  const byGroup = groupBy(result.runs, (run) => run.group);
  const runLayers = result.fits.map((fit, colorIndex) =>
    runLayer(byGroup.get(fit.group) ?? [], groupName(fit), colorIndex),
  );
  const series = result.fits.flatMap((fit, colorIndex) =>
    fitSeries(fit, colorIndex, byGroup.get(fit.group) ?? [], grid, maxCompute),
  );
  return {
    // What is fitted, by metric kind (`E = 1 − acc1`, `L = eval_loss`), then the rows it is fitted on.
    title: `${fittedSymbol(kind)} = ${kind === 'accuracy' ? `1 − ${result.metric}` : result.metric}${result.filters.length ? ` · ${result.filters.map((f) => f.value).join(', ')}` : ''}`,
    file: result.file,
    xLabel: `compute C (${result.compute})`,
    yLabel: fittedAxisTitle(kind, result.metric, result.scale.percent),
    metric: result.metric,
    metricKind: kind,
    percent: result.scale.percent,
    trainingRuns: input.trainingRuns,
    allocations: allocationViews(result, kind),
    rowProblems: rowProblems(result),
    runLayers,
    series,
    formulas: result.fits.map((f) => ({
      group: groupName(f),
      text: inSymbol(f, kind),
      converged: f.converged,
      law: f.law,
      drawn: drawnAs(f),
    })),
    params: paramRows(result),
    groups: result.fits.map((f) => groupSummary(f, kind)),
    optimal: optimalRows(result),
    curves: input.curves,
    notes: plotNotes(result, runLayers),
    warnings: warningViews(result),
    outliers: outlierViews(result),
    runs: result.runs.length,
    decisions: input.decisions,
  };
}

/**
 * Where the laws are drawn: 48 computes from the smallest run's past the largest run (half a decade) or budget. A
 * compute law is evaluated there with its bootstrap interval; a joint law at the compute-optimal (N, D) of each.
 */
export function computeGrid(runs: Run[], budgets: number[]): number[] {
  if (runs.length === 0) return [];
  const [lo, hi] = extent(runs.map((r) => r.compute));
  const end = Math.max(hi * 10 ** 0.5, ...budgets);
  return Array.from(
    { length: LINE_POINTS },
    (_, k) => 10 ** (Math.log10(lo) + ((Math.log10(end) - Math.log10(lo)) * k) / (LINE_POINTS - 1)),
  );
}

const groupName = (fit: GroupAnalysis) => fit.group ?? 'all runs';

/** A group's frontier points, and its law along the grid: solid over the runs, dashed beyond, with its 95 % band. */
function fitSeries(
  fit: GroupAnalysis,
  colorIndex: number,
  runs: Run[],
  grid: number[],
  maxCompute: number,
): PlotSeries[] {
  const group = groupName(fit);
  const frontier: PlotSeries = {
    kind: 'frontier',
    group,
    label: `${group} ${fit.frontier} frontier`,
    colorIndex,
    points: fit.frontier_points.map((p) => ({
      x: p.compute,
      y: p.error,
      label: `frontier (line ${p.line})`,
      line: p.line,
    })),
  };
  if (needsParamsAndSamples(fit.law))
    return [frontier, ...envelopeSeries(fit, group, colorIndex, runs, grid, maxCompute)];
  if (grid.length === 0) return [frontier];
  const line = lawLine(fit, grid);
  const at = (p: (typeof line)[number], y: number) => ({ x: p.compute, y, label: fit.formula });
  const series: PlotSeries[] = [
    frontier,
    {
      kind: 'law',
      group,
      label: fit.formula,
      colorIndex,
      points: line.filter((p) => p.compute <= maxCompute).map((p) => at(p, p.error)),
    },
    {
      kind: 'extrapolation',
      group,
      label: `${group} extrapolation`,
      colorIndex,
      points: line.filter((p) => p.compute >= maxCompute * 0.999).map((p) => at(p, p.error)),
    },
  ];
  if (line.every((p) => p.ci95)) {
    series.push({
      kind: 'band-low',
      group,
      label: `${group} 95% band`,
      colorIndex,
      points: line.map((p) => at(p, p.ci95![0])),
    });
    series.push({
      kind: 'band-high',
      group,
      label: `${group} 95% band`,
      colorIndex,
      points: line.map((p) => at(p, p.ci95![1])),
    });
  }
  return series;
}

/** A compute law along the grid, with the 95 % interval of its bootstrap refits (null without bootstrap). */
function lawLine(
  fit: GroupAnalysis,
  grid: number[],
): { compute: number; error: number; ci95: [number, number] | null }[] {
  const law = lawByName(fit.law);
  const refits = fit.bootstrap_params ?? [];
  return grid.map((compute) => ({
    compute,
    error: law.predict(fit.params, { compute }),
    ci95: refits.length > 0 ? interval95(refits.map((params) => law.predict(params, { compute }))) : null,
  }));
}

/** The joint law's E(C) along the grid: solid over the runs, dashed beyond, with its band. */
function envelopeSeries(
  fit: GroupAnalysis,
  group: string,
  colorIndex: number,
  runs: Run[],
  grid: number[],
  maxCompute: number,
): PlotSeries[] {
  const params = runs.flatMap((r) => (r.params ? [r.params] : []));
  const envelope = params.length > 0 ? jointEnvelope(fit, grid, extent(params)) : undefined;
  if (!envelope) return [];
  const label = `${group}: ${fit.formula} at the compute-optimal (N, D)`;
  const points = envelope.filter((p) => Number.isFinite(p.error) && p.error > 0);
  const at = (p: (typeof points)[number], y: number) => ({ x: p.compute, y, label });
  const series: PlotSeries[] = [
    {
      kind: 'law',
      group,
      label,
      colorIndex,
      points: points.filter((p) => p.compute <= maxCompute).map((p) => at(p, p.error)),
    },
    {
      kind: 'extrapolation',
      group,
      label: `${group} extrapolation`,
      colorIndex,
      points: points.filter((p) => p.compute >= maxCompute * 0.999).map((p) => at(p, p.error)),
    },
  ];
  if (points.every((p) => p.ci95 && p.ci95[0] > 0)) {
    series.push({
      kind: 'band-low',
      group,
      label: `${group} 95% band`,
      colorIndex,
      points: points.map((p) => at(p, p.ci95![0])),
    });
    series.push({
      kind: 'band-high',
      group,
      label: `${group} 95% band`,
      colorIndex,
      points: points.map((p) => at(p, p.ci95![1])),
    });
  }
  return series;
}

function paramRows(result: AnalysisResult): ParamRow[] {
  return result.fits.flatMap((f) =>
    Object.entries(f.params).map(([name, value]) => ({
      group: groupName(f),
      name,
      value,
      low: f.ci95?.[name]?.[0] ?? null,
      high: f.ci95?.[name]?.[1] ?? null,
    })),
  );
}

function groupSummary(f: GroupAnalysis, kind: MetricKind): GroupSummary {
  return {
    group: groupName(f),
    formula: inSymbol(f, kind),
    converged: f.converged,
    reason: f.reason,
    frontier: f.frontier,
    nPoints: f.n_points,
    nUsed: f.n_used,
    rmseLog10: f.rmse_log10,
    holdout: f.holdout
      ? {
          fraction: f.holdout.fraction,
          nHeldout: f.holdout.n_heldout,
          nEvaluated: f.holdout.n_evaluated,
          // Percentage points only for accuracy and error rates: a loss's MAE is in `mae`, in its own units.
          maePp: f.holdout.mae_units === 'pp' ? f.holdout.mae : null,
          rmseLog10: f.holdout.rmse_log10,
          rule: f.holdout.rule,
          nTrain: f.holdout.n_train,
          mae: f.holdout.mae,
          maeUnits: f.holdout.mae_units,
          note: f.holdout.note ?? null,
          runs: f.holdout.runs.map((r) => ({
            line: r.line,
            compute: r.compute,
            measured: r.measured,
            predicted: r.predicted,
            low: r.ci95?.[0] ?? null,
            high: r.ci95?.[1] ?? null,
          })),
        }
      : null,
  };
}

function optimalRows(result: AnalysisResult): OptimalRow[] {
  return result.fits.flatMap((f) => {
    const plotted = f.allocation && !f.allocation.own ? plottedAt(f) : undefined;
    return f.optimal.map((o) => ({
      group: groupName(f),
      compute: o.compute,
      params: o.params,
      samples: o.samples,
      error: o.error,
      errorLow: o.error_ci95?.[0] ?? null,
      errorHigh: o.error_ci95?.[1] ?? null,
      nearest: o.nearest ?? null,
      plotted: plotted?.(o.compute) ?? null,
    }));
  });
}

function allocationViews(result: AnalysisResult, kind: MetricKind): AllocationView[] {
  return result.fits.flatMap((f) =>
    f.allocation && f.optimal.length > 0
      ? [
          {
            group: groupName(f),
            formula: inSymbol(f.allocation, kind),
            own: f.allocation.own,
            runs: f.allocation.n_runs,
            objective: f.allocation.objective,
            plottedFormula: inSymbol(f, kind),
          },
        ]
      : [],
  );
}

function plotNotes(result: AnalysisResult, runLayers: RunLayer[]): string[] {
  return [
    // How the metric is read is said by the title and the y-axis title, in the metric's own wording.
    ...result.notes.filter((n) => n !== result.error_definition),
    ...result.fits.flatMap((f) => f.notes.map((n) => `${groupName(f)}: ${n}`)),
    ...runLayers
      .filter((l) => l.compute.length < l.total)
      .map(
        (l) =>
          `${l.group}: ${l.total.toLocaleString('en')} runs drawn as ${l.compute.length.toLocaleString('en')} points, one per 1–2 pixel cell of the plot (every run is fitted)`,
      ),
  ];
}

function warningViews(result: AnalysisResult): WarningView[] {
  return [
    ...result.warnings.map((w) => ({ group: null, ...w })),
    ...result.fits.flatMap((f) => f.warnings.map((w) => ({ group: groupName(f), ...w }))),
  ];
}

/** Outliers are fitted points: found at their frontier point (for a binned frontier, the bin centre). */
function outlierViews(result: AnalysisResult): OutlierView[] {
  return result.fits.flatMap((f) =>
    f.outliers.map((o) => {
      const point = f.frontier_points.find((p) => p.line === o.line)!;
      return {
        group: groupName(f),
        line: o.line,
        compute: point.compute,
        error: point.error,
        z: o.z,
        residualLog10: o.residual_log10,
      };
    }),
  );
}

/** A law's formula with the fitted quantity's symbol of this metric (`L = …` for a loss, `E = …` for an error). */
function inSymbol(fit: { law: LawName; params: LawParams }, kind: MetricKind): string {
  return lawByName(fit.law).formula(fit.params, undefined, fittedSymbol(kind));
}

/** How the plotted line relates to the law, for the legend. */
function drawnAs(fit: GroupAnalysis): string | null {
  if (!needsParamsAndSamples(fit.law)) return null;
  if (!fit.compute_per_sample) return 'not drawn: no compute per sample to place (N, D) at a compute';
  return `drawn at the compute-optimal (N, D) of each C, C = k(N)·D with k from the ${fit.compute_per_sample.source}`;
}

/** The plotted compute law's prediction at a budget with its bootstrap interval, beside a hidden joint law's allocation. */
function plottedAt(fit: GroupAnalysis): ((compute: number) => OptimalRow['plotted']) | undefined {
  const law = lawByName(fit.law);
  if (law.inputs !== 'compute') return undefined;
  return (compute) => {
    const refits = (fit.bootstrap_params ?? []).map((params) => law.predict(params, { compute }));
    const interval = refits.length > 0 ? interval95(refits) : null;
    return { error: law.predict(fit.params, { compute }), low: interval?.[0] ?? null, high: interval?.[1] ?? null };
  };
}

/**
 * Rows left out of the fit for bad cells, when the analysis collects them (every bad row, capped) instead of
 * stopping at the first: the panel keeps plot and controls and says how many rows were left out.
 */
function rowProblems(result: AnalysisResult): RowProblemView | null {
  // The ingest change names them AnalysisResult.problems (at most 100) and problems_total (all of them).
  const { problems: collected, problems_total: total } = result as AnalysisResult & {
    problems?: { line?: number; column?: number; message: string }[];
    problems_total?: number;
  };
  if (!collected || collected.length === 0) return null;
  return {
    total: total ?? collected.length,
    shown: collected.slice(0, 100).map((p) => ({ line: p.line ?? 1, column: p.column ?? 1, message: p.message })),
  };
}

/** Error against samples seen for each run of a training log, one series per run. */
export function learningCurves(result: AnalysisResult): CurveSeries[] {
  const byLabel = groupBy(result.runs, (run) => run.label);
  const groups = result.fits.map((f) => f.group);
  return [...byLabel.entries()].map(([label, runs]) => ({
    label,
    group: runs[0].group ?? 'all runs',
    colorIndex: Math.max(0, groups.indexOf(runs[0].group)),
    points: runs.map((r) => ({ x: r.samples ?? r.compute, y: r.error })).sort((a, b) => a.x - b.x),
  }));
}

/** A group's runs as typed columns; past PANEL_PLOT_CELLS.limit runs, only those decimateLogLog keeps (all are fitted). */
function runLayer(runs: Run[], group: string, colorIndex: number): RunLayer {
  const all = runs.length;
  const compute = new Float64Array(all);
  const error = new Float64Array(all);
  for (let i = 0; i < all; i++) {
    compute[i] = runs[i].compute;
    error[i] = runs[i].error;
  }
  const drawn = decimateLogLog(compute, error, PANEL_PLOT_CELLS);
  const n = drawn ? drawn.length : all;
  const pick = (k: number) => (drawn ? drawn[k] : k);
  const layer: RunLayer = {
    group,
    label: `${group} runs`,
    colorIndex,
    total: all,
    compute: drawn ? new Float64Array(n) : compute,
    error: drawn ? new Float64Array(n) : error,
    line: new Int32Array(n),
    arch: new Int16Array(n),
    architectures: [],
    names: packStrings([]),
  };
  const archIndex = new Map<string, number>();
  const names: string[] = [];
  let named = false;
  for (let k = 0; k < n; k++) {
    const run = runs[pick(k)];
    if (drawn) {
      layer.compute[k] = run.compute;
      layer.error[k] = run.error;
    }
    layer.line[k] = run.line;
    let index = -1;
    if (run.arch) {
      index = archIndex.get(run.arch) ?? -1;
      if (index < 0 && layer.architectures.length < 32_000) {
        index = layer.architectures.push(run.arch) - 1;
        archIndex.set(run.arch, index);
      }
    }
    layer.arch[k] = index;
    names.push(run.label);
    named ||= run.label !== `line ${run.line}`;
  }
  if (named) layer.names = packStrings(names);
  return layer;
}
