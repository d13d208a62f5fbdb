/**
 * One fit as the extension needs it: load a results file, fit per the panel's settings, and shape the result
 * into what the webviews draw (PlotModel) and what hovers read (HoverModel). Pure: no vscode.
 */
import type { CurveSeries, FitOutcome, FitSettings, OptimalRow, PlotModel, PlotSeries, RunLayer } from '../shared/protocol';
import { analyze, resolveSpec, type AnalysisOptions, type AnalysisResult, type PredictionRequest } from './analysis';
import type { Run } from './dataset';
import { packStrings } from '../shared/packedStrings';
import { decimateLogLog } from './decimate';
import type { ShouldStop } from './errors';
import { parseFrontier } from './frontier';
import { buildHoverModel } from './hoverPrediction';
import { loadDataset, type ParseText, type ReadText } from './ingest/load';
import { textAt } from './ingest/numeric';
import { columnIndex } from './ingest/table';
import type { LawName } from './laws/law';
import type { ParallelRunner } from './parallel';
import { toJson } from './report';
import { fitChoices } from './schema/choices';
import { extent } from './stats';

const LINE_POINTS = 48;
const BOOTSTRAP_RESAMPLES = 200;
const HOLDOUT_FRACTION = 0.2;

export interface FitJobOptions {
  /** Polled in the fit's long loops: a superseded job stops with Cancelled. */
  shouldStop?: ShouldStop;
  /** Parses the results file; the worker passes one that re-parses only appended rows. */
  parse?: ParseText;
  /** Spreads multi-start fits and bootstrap resamples over worker threads (the fit worker's pool). */
  runner?: ParallelRunner;
}

export function runFitJob(file: string, settings: FitSettings, readText: ReadText, job: FitJobOptions = {}): FitOutcome {
  const { table, spec } = loadDataset(file, readText, { ignorePartialLastLine: true, parse: job.parse });
  const options: AnalysisOptions = {
    task: settings.task,
    metric: settings.metric,
    group: settings.group,
    law: settings.law as LawName,
    frontier: settings.frontier === 'default' ? undefined : parseFrontier(settings.frontier),
    holdout: HOLDOUT_FRACTION,
    optimal: settings.budgets,
    shouldStop: job.shouldStop,
    runner: job.runner,
  };
  const resolved = resolveSpec(table, spec, options);
  const taskCol = spec.taskColumn ? columnIndex(table, spec.taskColumn) : -1;
  const tasks = taskCol >= 0 ? distinct(Array.from({ length: table.rowCount }, (_, r) => textAt(table, r, taskCol))) : [];
  // A compute law (with its interval) is drawn along a grid from the smallest run's compute past the largest budget.
  const predict = (runs: Run[]): PredictionRequest[] => {
    if (settings.law === 'joint') return [];
    const [lo, hi] = extent(runs.map((r) => r.compute));
    const end = Math.max(hi * 10 ** 0.5, ...settings.budgets);
    return Array.from({ length: LINE_POINTS }, (_, k) => ({ compute: 10 ** (Math.log10(lo) + ((Math.log10(end) - Math.log10(lo)) * k) / (LINE_POINTS - 1)) }));
  };
  const result = analyze(table, resolved, { ...options, bootstrap: settings.bootstrap ? BOOTSTRAP_RESAMPLES : 0, seed: 0, predict });
  const curves = spec.profile === 'clip-shapes-curves' || spec.profile === 'openclip-training-log' ? learningCurves(result) : [];
  return {
    model: plotModel(result, extent(result.runs.map((r) => r.compute))[1], curves),
    tasks,
    choices: fitChoices(table, resolved),
    hover: buildHoverModel(result),
    headerLaw: result.fits.map((f) => `${f.group ?? 'all'}: ${f.formula}`).join('  ·  '),
    statusText: statusText(result),
    // The predictions asked for here are the plot's grid: not part of the summary.
    summary: { ...(toJson({ ...result, fits: result.fits.map((f) => ({ ...f, predictions: [] })) }) as object), settings },
  };
}

function statusText(result: AnalysisResult): string {
  const fit = result.fits[0];
  if (!fit) return 'no fit';
  const runs = result.runs.filter((r) => r.group === fit.group).length;
  return `${fit.formula.replace(/^[EL] = /, 'E = ')} · ${runs} runs`;
}

function plotModel(result: AnalysisResult, maxCompute: number, curves: CurveSeries[]): PlotModel {
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
    }
  });
  const optimal: OptimalRow[] = result.fits.flatMap((f) =>
    f.optimal.map((o) => ({
      group: f.group ?? 'all runs',
      compute: o.compute,
      params: o.params,
      samples: o.samples,
      error: o.error,
      errorLow: o.error_ci95?.[0] ?? null,
      errorHigh: o.error_ci95?.[1] ?? null,
      nearest: o.nearest ?? null,
    })),
  );
  return {
    title: `${result.error_definition.split(';')[0]}${result.filters.length ? ` · ${result.filters.map((f) => f.value).join(', ')}` : ''}`,
    file: result.file,
    xLabel: `compute C (${result.compute})`,
    yLabel: 'error E',
    runLayers,
    series,
    formulas: result.fits.map((f) => ({ group: f.group ?? 'all runs', text: f.formula, converged: f.converged })),
    params: result.fits.flatMap((f) => Object.entries(f.params).map(([name, value]) => ({ group: f.group ?? 'all runs', name, value, low: f.ci95?.[name]?.[0] ?? null, high: f.ci95?.[name]?.[1] ?? null }))),
    groups: result.fits.map((f) => ({
      group: f.group ?? 'all runs',
      formula: f.formula,
      converged: f.converged,
      reason: f.reason,
      frontier: f.frontier,
      nPoints: f.n_points,
      nUsed: f.n_used,
      rmseLog10: f.rmse_log10,
      holdout: f.holdout ? { fraction: f.holdout.fraction, nHeldout: f.holdout.n_heldout, nEvaluated: f.holdout.n_evaluated, maePp: f.holdout.mae_pp, rmseLog10: f.holdout.rmse_log10 } : null,
    })),
    optimal,
    curves,
    notes: [
      ...result.notes,
      ...result.fits.flatMap((f) => f.notes.map((n) => `${f.group ?? 'all runs'}: ${n}`)),
      ...runLayers.filter((l) => l.compute.length < l.total).map((l) => `${l.group}: ${l.total.toLocaleString('en')} runs drawn as ${l.compute.length.toLocaleString('en')} points, one per 1–2 pixel cell of the plot (every run is fitted)`),
    ],
    warnings: [],
    outliers: [],
    runs: result.runs.length,
  };
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
