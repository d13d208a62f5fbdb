/**
 * One fit as the extension needs it: load a results file, fit per the panel's settings, and shape the result
 * into what the webviews draw (PlotModel) and what hovers read (HoverModel). Pure: no vscode.
 */
import type { AllocationView, CurveSeries, DecisionViews, FitOutcome, FitSettings, OptimalRow, OutlierView, PlotModel, PlotSeries, RowProblemView, RunLayer, WarningView, WorkerProblem } from '../shared/protocol';
import { analyze, resolveSpec, type AnalysisOptions, type AnalysisResult, type GroupFit, type PredictionRequest } from './analysis';
import type { Run } from './dataset';
import { packStrings } from '../shared/packedStrings';
import { decimateLogLog } from './decimate';
import { InputError, type ShouldStop } from './errors';
import { fitDecisions } from './decisions/panelViews';
import { parseFrontier } from './frontier';
import { buildHoverModel } from './hoverPrediction';
import { dirname, joinPath, loadDataset, type ParseText, type ReadText, type RealPath } from './ingest/load';
import { textAt } from './ingest/numeric';
import { columnIndex } from './ingest/table';
import type { LawName } from './laws/law';
import type { ParallelRunner } from './parallel';
import { toJson } from './report';
import { withoutUndefined } from '../shared/settings';
import { jointEnvelope } from './jointEnvelope';
import { lawByName } from './laws/index';
import { countText, fittedAxisTitle, fittedSymbol, metricKind, type MetricKind } from './metricWording';
import { fitChoices } from './schema/choices';
import { needsParamsAndSamples } from './settingsRules';
import { extent, interval95 } from './stats';

const LINE_POINTS = 48;
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
  const frontier = settings.frontier !== 'default' ? parseFrontier(settings.frontier) : needsParamsAndSamples(settings.law) ? ({ kind: 'all' } as const) : undefined;
  return {
    task: settings.task,
    metric: settings.metric,
    group: settings.group,
    law: settings.law as LawName,
    frontier,
    holdout: { kind: 'fraction', fraction: HOLDOUT_FRACTION },
    direction: settings.direction,
    // A metric whose name does not say its direction is fitted on a guess, with a warning; "Fit Scaling Law" asks.
    guessDirection: true,
    optimal: settings.budgets,
    shouldStop,
  };
}

export function runFitJob(file: string, settings: FitSettings, readText: ReadText, job: FitJobOptions = {}): FitOutcome {
  const { table, spec } = loadDataset(file, readText, { ignorePartialLastLine: true, parse: job.parse, root: job.root, realpath: job.realpath });
  const options: AnalysisOptions = { ...analysisOptions(settings, job.shouldStop), runner: job.runner };
  const resolved = resolveSpec(table, spec, options);
  const taskCol = spec.taskColumn ? columnIndex(table, spec.taskColumn) : -1;
  const tasks = taskCol >= 0 ? distinct(Array.from({ length: table.rowCount }, (_, r) => textAt(table, r, taskCol))) : [];
  // A compute law (with its interval) is drawn along a grid from the smallest run's compute past the largest budget;
  // a joint law along the same grid, at the compute-optimal allocation of each budget (jointEnvelope).
  const grid = (runs: Run[]) => {
    const [lo, hi] = extent(runs.map((r) => r.compute));
    const end = Math.max(hi * 10 ** 0.5, ...settings.budgets);
    return Array.from({ length: LINE_POINTS }, (_, k) => 10 ** (Math.log10(lo) + ((Math.log10(end) - Math.log10(lo)) * k) / (LINE_POINTS - 1)));
  };
  const predict = (runs: Run[]): PredictionRequest[] => (needsParamsAndSamples(settings.law) ? [] : grid(runs).map((compute) => ({ compute })));
  const result = analyze(table, resolved, { ...options, bootstrap: settings.bootstrap ? BOOTSTRAP_RESAMPLES : 0, holdoutBootstrap: HOLDOUT_BOOTSTRAP_RESAMPLES, seed: 0, predict });
  const trainingLog = spec.profile === 'clip-shapes-curves' || spec.profile === 'openclip-training-log';
  const curves = trainingLog ? learningCurves(result) : [];
  // Beside the fit: the group comparison (its intervals from this fit's bootstrap refits) and running jobs' forecasts.
  const readSibling = (name: string) => siblingText(readText, joinPath(dirname(file), name));
  const decisions = fitDecisions(table, resolved, result, readSibling, trainingLog);
  const model = plotModel(result, extent(result.runs.map((r) => r.compute))[1], curves, result.runs.length > 0 ? grid(result.runs) : [], decisions);
  if (trainingLog) model.trainingRuns = new Set(result.runs.map((r) => r.label)).size;
  return {
    model,
    tasks,
    choices: { ...fitChoices(table, resolved), laws: availableLaws(result), direction: result.scale.direction === 'higher-is-better' ? 'higher' : 'lower', directionAmbiguous: result.scale.directionSource === 'guessed' },
    hover: { ...buildHoverModel(result), task: resolved.filters.find((f) => f.column === spec.taskColumn)?.value ?? null },
    headerLaw: result.fits.map((f) => `${f.group ?? 'all'}: ${f.formula}`).join('  ·  '),
    statusText: statusText(result),
    // The predictions asked for here are the plot's grid: not part of the summary.
    summary: { ...(toJson({ ...result, fits: result.fits.map((f) => ({ ...f, predictions: [] })) }) as object), settings: withoutUndefined(settings) },
    problems: leftOutRows(result),
    problemsTotal: result.problems_total,
  };
}

/** Rows left out, for the Problems panel: every bad row (the first 100) and, per reason, the first row skipped for it. */
function leftOutRows(result: AnalysisResult): WorkerProblem[] {
  const problems: WorkerProblem[] = result.problems.map((p) => ({ file: p.file, line: p.line ?? 1, column: p.column ?? 1, message: p.message }));
  for (const skipped of result.left_out) {
    const lines = skipped.lines.length > 1 ? ` (lines ${skipped.lines.join(', ')}${skipped.count > skipped.lines.length ? ', …' : ''})` : '';
    problems.push({ file: skipped.file, line: skipped.lines[0] ?? 1, column: 1, severity: 'info', message: `${skipped.count} row${skipped.count === 1 ? '' : 's'} left out of the fit, no ${skipped.quantity}: ${skipped.reason}${lines}` });
  }
  return problems;
}

/** The joint law needs parameters and samples for every run; the compute laws fit any file. */
function availableLaws(result: AnalysisResult): FitSettings['law'][] {
  const compute: FitSettings['law'][] = ['power', 'saturating', 'broken', 'broken2'];
  const withNd = result.runs.length > 0 && result.runs.every((r) => r.params !== undefined && r.samples !== undefined);
  return withNd || result.fits.some((f) => needsParamsAndSamples(f.law)) ? [...compute.slice(0, 2), 'joint', ...compute.slice(2)] : compute;
}

/** Every group's law in a line (`LAION E = 5.86·C^−0.111 · CLIP-WIT E = 23.2·C^−0.164 · 32 runs`). */
function statusText(result: AnalysisResult): string {
  if (result.fits.length === 0) return 'no fit';
  const laws = result.fits.map((f) => (result.fits.length > 1 ? `${f.group ?? 'all runs'} ${f.formula}` : f.formula));
  return `${laws.join(' · ')} · ${countText(result.runs.length, null)}`;
}

function plotModel(result: AnalysisResult, maxCompute: number, curves: CurveSeries[], grid: number[], decisions: DecisionViews): PlotModel {
  const kind = metricKind(result.metric, result.scale);
  const series: PlotSeries[] = [];
  const runLayers: RunLayer[] = [];
  const byGroup = groupRuns(result.runs);
  result.fits.forEach((fit, colorIndex) => {
    const group = fit.group ?? 'all runs';
    runLayers.push(runLayer(byGroup.get(fit.group) ?? [], group, colorIndex));
    series.push({ kind: 'frontier', group, label: `${group} ${fit.frontier} frontier`, colorIndex, points: fit.frontier_points.map((p) => ({ x: p.compute, y: p.error, label: `frontier (line ${p.line})`, line: p.line })) });
    if (fit.predictions.length > 0) {
      const grid = fit.predictions;
      const point = (p: (typeof grid)[number], y: number) => ({ x: p.at.compute as number, y, label: fit.formula });
      series.push({ kind: 'law', group, label: fit.formula, colorIndex, points: grid.filter((p) => (p.at.compute as number) <= maxCompute).map((p) => point(p, p.error)) });
      series.push({ kind: 'extrapolation', group, label: `${group} extrapolation`, colorIndex, points: grid.filter((p) => (p.at.compute as number) >= maxCompute * 0.999).map((p) => point(p, p.error)) });
      if (grid.every((p) => p.ci95)) {
        series.push({ kind: 'band-low', group, label: `${group} 95% band`, colorIndex, points: grid.map((p) => point(p, p.ci95![0])) });
        series.push({ kind: 'band-high', group, label: `${group} 95% band`, colorIndex, points: grid.map((p) => point(p, p.ci95![1])) });
      }
    } else if (needsParamsAndSamples(fit.law)) series.push(...envelopeSeries(fit, group, colorIndex, byGroup.get(fit.group) ?? [], grid, maxCompute));
  });
  const optimal: OptimalRow[] = result.fits.flatMap((f) => {
    const plotted = f.allocation && !f.allocation.own ? plottedAt(f) : undefined;
    return f.optimal.map((o) => ({
      group: f.group ?? 'all runs',
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
  const allocations: AllocationView[] = result.fits.flatMap((f) =>
    f.allocation && f.optimal.length > 0
      ? [{ group: f.group ?? 'all runs', formula: inSymbol(f.allocation.formula, kind), own: f.allocation.own, runs: f.allocation.n_runs, objective: f.allocation.objective, plottedFormula: inSymbol(f.formula, kind) }]
      : [],
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
    trainingRuns: null,
    allocations,
    rowProblems: rowProblems(result),
    runLayers,
    series,
    formulas: result.fits.map((f) => ({ group: f.group ?? 'all runs', text: inSymbol(f.formula, kind), converged: f.converged, law: f.law, drawn: drawnAs(f) })),
    params: result.fits.flatMap((f) => Object.entries(f.params).map(([name, value]) => ({ group: f.group ?? 'all runs', name, value, low: f.ci95?.[name]?.[0] ?? null, high: f.ci95?.[name]?.[1] ?? null }))),
    groups: result.fits.map((f) => ({
      group: f.group ?? 'all runs',
      formula: inSymbol(f.formula, kind),
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
            runs: f.holdout.runs.map((r) => ({ line: r.line, compute: r.compute, measured: r.measured, predicted: r.predicted, low: r.ci95?.[0] ?? null, high: r.ci95?.[1] ?? null })),
          }
        : null,
    })),
    optimal,
    curves,
    notes: [
      // How the metric is read is said by the title and the y-axis title, in the metric's own wording.
      ...result.notes.filter((n) => n !== result.error_definition),
      ...result.fits.flatMap((f) => f.notes.map((n) => `${f.group ?? 'all runs'}: ${n}`)),
      ...runLayers.filter((l) => l.compute.length < l.total).map((l) => `${l.group}: ${l.total.toLocaleString('en')} runs drawn as ${l.compute.length.toLocaleString('en')} points, one per 1–2 pixel cell of the plot (every run is fitted)`),
    ],
    warnings: warningViews(result),
    outliers: outlierViews(result),
    runs: result.runs.length,
    decisions,
  };
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

function warningViews(result: AnalysisResult): WarningView[] {
  return [...result.warnings.map((w) => ({ group: null, ...w })), ...result.fits.flatMap((f) => f.warnings.map((w) => ({ group: f.group ?? 'all runs', ...w })))];
}

/** Outliers are fitted points: found at their frontier point (for a binned frontier, the bin centre). */
function outlierViews(result: AnalysisResult): OutlierView[] {
  return result.fits.flatMap((f) =>
    f.outliers.map((o) => {
      const point = f.frontier_points.find((p) => p.line === o.line)!;
      return { group: f.group ?? 'all runs', line: o.line, compute: point.compute, error: point.error, z: o.z, residualLog10: o.residual_log10 };
    }),
  );
}

/** A law's formula with the fitted quantity's symbol of this metric (`L = …` for a loss, `E = …` for an error). */
function inSymbol(formula: string, kind: MetricKind): string {
  return formula.replace(/^[EL] = /, `${fittedSymbol(kind)} = `);
}

/** How the plotted line relates to the law, for the legend. */
function drawnAs(fit: GroupFit): string | null {
  if (!needsParamsAndSamples(fit.law)) return null;
  if (!fit.compute_per_sample) return 'not drawn: no compute per sample to place (N, D) at a compute';
  return `drawn at the compute-optimal (N, D) of each C, C = k(N)·D with k from the ${fit.compute_per_sample.source}`;
}

/** The joint law's E(C) along the grid: solid over the runs, dashed beyond, with its band. */
function envelopeSeries(fit: GroupFit, group: string, colorIndex: number, runs: Run[], grid: number[], maxCompute: number): PlotSeries[] {
  const params = runs.flatMap((r) => (r.params ? [r.params] : []));
  const envelope = params.length > 0 ? jointEnvelope(fit, grid, extent(params)) : undefined;
  if (!envelope) return [];
  const label = `${group}: ${fit.formula} at the compute-optimal (N, D)`;
  const points = envelope.filter((p) => Number.isFinite(p.error) && p.error > 0);
  const at = (p: (typeof points)[number], y: number) => ({ x: p.compute, y, label });
  const series: PlotSeries[] = [
    { kind: 'law', group, label, colorIndex, points: points.filter((p) => p.compute <= maxCompute).map((p) => at(p, p.error)) },
    { kind: 'extrapolation', group, label: `${group} extrapolation`, colorIndex, points: points.filter((p) => p.compute >= maxCompute * 0.999).map((p) => at(p, p.error)) },
  ];
  if (points.every((p) => p.ci95 && p.ci95[0] > 0)) {
    series.push({ kind: 'band-low', group, label: `${group} 95% band`, colorIndex, points: points.map((p) => at(p, p.ci95![0])) });
    series.push({ kind: 'band-high', group, label: `${group} 95% band`, colorIndex, points: points.map((p) => at(p, p.ci95![1])) });
  }
  return series;
}

/** The plotted compute law's prediction at a budget with its bootstrap interval, beside a hidden joint law's allocation. */
function plottedAt(fit: GroupFit): ((compute: number) => OptimalRow['plotted']) | undefined {
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
  const { problems: collected, problems_total: total } = result as AnalysisResult & { problems?: { line?: number; column?: number; message: string }[]; problems_total?: number };
  if (!collected || collected.length === 0) return null;
  return { total: total ?? collected.length, shown: collected.slice(0, 100).map((p) => ({ line: p.line ?? 1, column: p.column ?? 1, message: p.message })) };
}

/** Error against samples seen for each run of a training log, one series per run. */
function learningCurves(result: AnalysisResult): CurveSeries[] {
  const byLabel = new Map<string, Run[]>();
  for (const run of result.runs) {
    const list = byLabel.get(run.label);
    if (list) list.push(run);
    else byLabel.set(run.label, [run]);
  }
  const groups = result.fits.map((f) => f.group);
  return [...byLabel.entries()].map(([label, runs]) => ({
    label,
    group: runs[0].group ?? 'all runs',
    colorIndex: Math.max(0, groups.indexOf(runs[0].group)),
    points: runs.map((r) => ({ x: r.samples ?? r.compute, y: r.error })).sort((a, b) => a.x - b.x),
  }));
}

/** A group's runs as typed columns; past DRAW_ALL_UP_TO runs, only those decimateLogLog keeps (all are fitted). */
function runLayer(runs: Run[], group: string, colorIndex: number): RunLayer {
  const all = runs.length;
  const compute = new Float64Array(all);
  const error = new Float64Array(all);
  for (let i = 0; i < all; i++) {
    compute[i] = runs[i].compute;
    error[i] = runs[i].error;
  }
  const drawn = decimateLogLog(compute, error);
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

function groupRuns(runs: Run[]): Map<string | null, Run[]> {
  const groups = new Map<string | null, Run[]>();
  for (const run of runs) {
    const list = groups.get(run.group);
    if (list) list.push(run);
    else groups.set(run.group, [run]);
  }
  return groups;
}

function distinct(values: string[]): string[] {
  return [...new Set(values)].filter(Boolean).sort();
}
