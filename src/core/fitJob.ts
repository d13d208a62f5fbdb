/**
 * One fit as the extension needs it: load a results file, fit per the panel's settings, and shape the result
 * into what the webviews draw (PlotModel) and what hovers read (a prediction per source line). Pure: no vscode.
 */
import type { FitOutcome, FitSettings, PlotModel, PlotSeries, RowPrediction } from '../shared/protocol';
import { analyze, resolveSpec, type AnalysisResult, type PredictionRequest } from './analysis';
import { parseFrontier } from './frontier';
import { loadDataset, type ReadText } from './ingest/load';
import { columnIndex } from './ingest/table';
import { textAt } from './ingest/numeric';
import { formatNumber, type LawName } from './laws/law';
import { fromError } from './schema/metric';

const LINE_POINTS = 48;
const BOOTSTRAP_RESAMPLES = 200;

export function runFitJob(file: string, settings: FitSettings, readText: ReadText): FitOutcome {
  const { table, spec } = loadDataset(file, readText, { ignorePartialLastLine: true });
  const options = { task: settings.task, metric: settings.metric, law: settings.law as LawName, frontier: settings.frontier === 'default' ? undefined : parseFrontier(settings.frontier) };
  const resolved = resolveSpec(table, spec, options);
  const taskCol = spec.taskColumn ? columnIndex(table, spec.taskColumn) : -1;
  const tasks = taskCol >= 0 ? distinct(Array.from({ length: table.rowCount }, (_, r) => textAt(table, r, taskCol))) : [];
  // First pass finds the compute range; the second asks for the law (with intervals) along it and at every run.
  const probe = analyze(table, resolved, { ...options, bootstrap: 0 });
  const computes = probe.runs.map((r) => r.compute);
  const lo = Math.min(...computes);
  const hi = Math.max(...computes);
  const grid = Array.from({ length: LINE_POINTS }, (_, k) => 10 ** (Math.log10(lo) + ((Math.log10(hi) + 0.5 - Math.log10(lo)) * k) / (LINE_POINTS - 1)));
  const byCompute = settings.law !== 'joint';
  const predict: PredictionRequest[] = byCompute ? [...grid.map((compute) => ({ compute })), ...probe.runs.map((r) => ({ compute: r.compute }))] : probe.runs.map((r) => ({ params: r.params, samples: r.samples }));
  const result = analyze(table, resolved, { ...options, bootstrap: settings.bootstrap ? BOOTSTRAP_RESAMPLES : 0, seed: 0, predict });
  return {
    model: plotModel(result, byCompute ? grid.length : 0, hi),
    tasks,
    rowPredictions: rowPredictions(result, byCompute ? grid.length : 0),
    headerLaw: result.fits.map((f) => `${f.group ?? 'all'}: ${f.formula}`).join('  ·  '),
    statusText: statusText(result),
  };
}

function statusText(result: AnalysisResult): string {
  const fit = result.fits[0];
  if (!fit) return 'no fit';
  return `${fit.formula.replace(/^[EL] = /, 'E = ')} · ${fit.n_points} runs`;
}

function plotModel(result: AnalysisResult, gridCount: number, maxCompute: number): PlotModel {
  const series: PlotSeries[] = [];
  result.fits.forEach((fit, colorIndex) => {
    const group = fit.group ?? 'all runs';
    const runs = result.runs.filter((r) => (r.group ?? null) === fit.group);
    series.push({ kind: 'runs', group, label: `${group} runs`, colorIndex, points: runs.map((r) => ({ x: r.compute, y: r.error, label: r.arch ? `${r.arch} · ${r.label}` : r.label, line: r.line })) });
    series.push({ kind: 'frontier', group, label: `${group} ${fit.frontier} frontier`, colorIndex, points: fit.frontier_points.map((p) => ({ x: p.compute, y: p.error, label: `frontier (line ${p.line})`, line: p.line })) });
    if (gridCount > 0) {
      const grid = fit.predictions.slice(0, gridCount);
      const inRange = grid.filter((p) => (p.at.compute as number) <= maxCompute);
      const beyond = grid.filter((p) => (p.at.compute as number) >= maxCompute);
      const point = (p: (typeof grid)[number], y: number) => ({ x: p.at.compute as number, y, label: fit.formula });
      series.push({ kind: 'law', group, label: fit.formula, colorIndex, points: inRange.map((p) => point(p, p.error)) });
      series.push({ kind: 'extrapolation', group, label: `${group} extrapolation`, colorIndex, points: beyond.map((p) => point(p, p.error)) });
      if (grid.every((p) => p.ci95)) {
        series.push({ kind: 'band-low', group, label: `${group} 95% band`, colorIndex, points: grid.map((p) => point(p, p.ci95![0])) });
        series.push({ kind: 'band-high', group, label: `${group} 95% band`, colorIndex, points: grid.map((p) => point(p, p.ci95![1])) });
      }
    }
  });
  return {
    title: `${result.error_definition.split(';')[0]}${result.filters.length ? ` · ${result.filters.map((f) => f.value).join(', ')}` : ''}`,
    file: result.file,
    xLabel: `compute C (${result.compute})`,
    yLabel: 'error E',
    series,
    formulas: result.fits.map((f) => ({ group: f.group ?? 'all runs', text: f.formula, converged: f.converged })),
    params: result.fits.flatMap((f) =>
      Object.entries(f.params).map(([name, value]) => ({ group: f.group ?? 'all runs', name, value, low: f.ci95?.[name]?.[0] ?? null, high: f.ci95?.[name]?.[1] ?? null })),
    ),
    notes: [...result.notes, ...result.fits.flatMap((f) => f.notes.map((n) => `${f.group ?? 'all runs'}: ${n}`))],
    runs: result.runs.length,
  };
}

function rowPredictions(result: AnalysisResult, gridCount: number): RowPrediction[] {
  const rows: RowPrediction[] = [];
  const runIndex = new Map(result.runs.map((run, i) => [run, i]));
  for (const fit of result.fits) {
    const runs = result.runs.filter((r) => r.group === fit.group);
    const perRun = fit.predictions.slice(gridCount);
    runs.forEach((run) => {
      const p = perRun[runIndex.get(run)!];
      if (!p || !Number.isFinite(p.error)) return;
      const metric = (e: number) => fromError(e, result.scale);
      const low = p.ci95 ? p.ci95[0] : null;
      const high = p.ci95 ? p.ci95[1] : null;
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
        lowMetric: high === null ? null : metric(result.scale.direction === 'higher-is-better' ? high : low!),
        highMetric: low === null ? null : metric(result.scale.direction === 'higher-is-better' ? low : high!),
        percent: result.scale.percent,
      });
    });
  }
  return rows;
}

function distinct(values: string[]): string[] {
  return [...new Set(values)].filter(Boolean).sort();
}

export { formatNumber };
