/**
 * One fit as the extension needs it: load a results file, fit per the panel's settings, and shape the result
 * into what the webviews draw (PlotModel) and what hovers read (a prediction per source line). Pure: no vscode.
 */
import type { CurveSeries, FitOutcome, FitSettings, OptimalRow, PlotModel, PlotSeries, RowPrediction } from '../shared/protocol';
import { analyze, resolveSpec, type AnalysisOptions, type AnalysisResult, type PredictionRequest } from './analysis';
import { extractRuns, type Run } from './dataset';
import { parseFrontier } from './frontier';
import { loadDataset, type ReadText } from './ingest/load';
import { columnIndex } from './ingest/table';
import { textAt } from './ingest/numeric';
import type { LawName } from './laws/law';
import { toJson } from './report';
import { fromError } from './schema/metric';

const LINE_POINTS = 48;
const BOOTSTRAP_RESAMPLES = 200;
const HOLDOUT_FRACTION = 0.2;

export function runFitJob(file: string, settings: FitSettings, readText: ReadText): FitOutcome {
  const { table, spec } = loadDataset(file, readText, { ignorePartialLastLine: true });
  const options: AnalysisOptions = {
    task: settings.task,
    metric: settings.metric,
    law: settings.law as LawName,
    frontier: settings.frontier === 'default' ? undefined : parseFrontier(settings.frontier),
    holdout: HOLDOUT_FRACTION,
    optimal: settings.budgets,
  };
  const resolved = resolveSpec(table, spec, options);
  const taskCol = spec.taskColumn ? columnIndex(table, spec.taskColumn) : -1;
  const tasks = taskCol >= 0 ? distinct(Array.from({ length: table.rowCount }, (_, r) => textAt(table, r, taskCol))) : [];
  // The runs give the compute range; the fit then asks for the law (with intervals) along it and at every run.
  const probe = extractRuns(table, resolved);
  let lo = Infinity;
  let hi = -Infinity;
  for (const run of probe.runs) {
    lo = Math.min(lo, run.compute);
    hi = Math.max(hi, run.compute);
  }
  const end = Math.max(hi * 10 ** 0.5, ...settings.budgets);
  const grid = Array.from({ length: LINE_POINTS }, (_, k) => 10 ** (Math.log10(lo) + ((Math.log10(end) - Math.log10(lo)) * k) / (LINE_POINTS - 1)));
  const byCompute = settings.law !== 'joint';
  const predict: PredictionRequest[] = byCompute ? [...grid.map((compute) => ({ compute })), ...probe.runs.map((r) => ({ compute: r.compute }))] : probe.runs.map((r) => ({ params: r.params, samples: r.samples }));
  const result = analyze(table, resolved, { ...options, bootstrap: settings.bootstrap ? BOOTSTRAP_RESAMPLES : 0, seed: 0, predict });
  const gridCount = byCompute ? grid.length : 0;
  const curves = spec.profile === 'clip-shapes-curves' || spec.profile === 'openclip-training-log' ? learningCurves(result) : [];
  return {
    model: plotModel(result, gridCount, hi, curves),
    tasks,
    rowPredictions: rowPredictions(result, gridCount),
    headerLaw: result.fits.map((f) => `${f.group ?? 'all'}: ${f.formula}`).join('  ·  '),
    statusText: statusText(result),
    // The predictions asked for here are plot and hover internals (a grid and every row): not part of the summary.
    summary: { ...(toJson({ ...result, fits: result.fits.map((f) => ({ ...f, predictions: [] })) }) as object), settings },
  };
}

function statusText(result: AnalysisResult): string {
  const fit = result.fits[0];
  if (!fit) return 'no fit';
  const runs = result.runs.filter((r) => r.group === fit.group).length;
  return `${fit.formula.replace(/^[EL] = /, 'E = ')} · ${runs} runs`;
}

function plotModel(result: AnalysisResult, gridCount: number, maxCompute: number, curves: CurveSeries[]): PlotModel {
  const series: PlotSeries[] = [];
  const byGroup = groupRuns(result.runs);
  result.fits.forEach((fit, colorIndex) => {
    const group = fit.group ?? 'all runs';
    const runs = byGroup.get(fit.group) ?? [];
    series.push({ kind: 'runs', group, label: `${group} runs`, colorIndex, points: runs.map((r) => ({ x: r.compute, y: r.error, label: r.arch ? `${r.arch} · ${r.label}` : r.label, line: r.line })) });
    series.push({ kind: 'frontier', group, label: `${group} ${fit.frontier} frontier`, colorIndex, points: fit.frontier_points.map((p) => ({ x: p.compute, y: p.error, label: `frontier (line ${p.line})`, line: p.line })) });
    if (gridCount > 0) {
      const grid = fit.predictions.slice(0, gridCount);
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
    notes: [...result.notes, ...result.fits.flatMap((f) => f.notes.map((n) => `${f.group ?? 'all runs'}: ${n}`))],
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

function groupRuns(runs: Run[]): Map<string | null, Run[]> {
  const groups = new Map<string | null, Run[]>();
  for (const run of runs) {
    const list = groups.get(run.group);
    if (list) list.push(run);
    else groups.set(run.group, [run]);
  }
  return groups;
}

function rowPredictions(result: AnalysisResult, gridCount: number): RowPrediction[] {
  const rows: RowPrediction[] = [];
  const runIndex = new Map(result.runs.map((run, i) => [run, i]));
  const byGroup = groupRuns(result.runs);
  const metric = (e: number) => fromError(e, result.scale);
  const higherIsBetter = result.scale.direction === 'higher-is-better';
  for (const fit of result.fits) {
    const perRun = fit.predictions.slice(gridCount);
    for (const run of byGroup.get(fit.group) ?? []) {
      const p = perRun[runIndex.get(run)!];
      if (!p || !Number.isFinite(p.error)) continue;
      const [low, high] = p.ci95 ?? [null, null];
      rows.push({
        line: run.line,
        group: fit.group ?? 'all runs',
        law: fit.formula,
        metric: result.metric,
        measured: run.error,
        predicted: p.error,
        low,
        high,
        measuredMetric: run.measured,
        predictedMetric: metric(p.error),
        lowMetric: low === null || high === null ? null : metric(higherIsBetter ? high : low),
        highMetric: low === null || high === null ? null : metric(higherIsBetter ? low : high),
        percent: result.scale.percent,
      });
    }
  }
  return rows;
}

function distinct(values: string[]): string[] {
  return [...new Set(values)].filter(Boolean).sort();
}
