/**
 * What the frontier plot draws and what its legend says, from a PlotModel: chart.js datasets with their styles, and
 * one legend entry per mark. Pure (no DOM, no chart.js runtime), so the legend is tested to match the marks.
 *
 * Encoding: colour = group, because the fitted law, its band and its extrapolation are per group and a line can
 * only carry its identity by colour; marker shape = architecture, a property of runs only, which needs no line.
 * Filled circles with a halo are the fitted (frontier) points; hollow shapes are the other runs; rings are outliers;
 * large hollow circles on a vertical bar are running jobs' forecast final values with their 95 % intervals.
 */
import type { ChartDataset } from 'chart.js';
import { unpackString } from '../../src/shared/packedStrings';
import type { PlotModel, PlotSeries } from '../../src/shared/protocol';
import { isHighContrast, paletteColor, withAlpha, type ThemeKind } from './palette';

export type PointShape = 'circle' | 'triangle' | 'rect' | 'rectRot' | 'star' | 'crossRot' | 'cross' | 'rectRounded';

/** One shape per architecture, in order of appearance; architectures beyond these share a small dot ("other"). */
export const RUN_SHAPES: readonly PointShape[] = [
  'triangle',
  'rect',
  'rectRot',
  'star',
  'crossRot',
  'cross',
  'rectRounded',
];
/** Beyond this many drawn runs, runs are plain dots (much faster to draw) and the key says so. */
export const DOTS_BEYOND = 2000;

export interface PlotColors {
  kind: ThemeKind;
  foreground: string;
  /** Tick labels and secondary text. */
  muted: string;
  grid: string;
  background: string;
  warning: string;
}

export interface PlotView {
  /** Legend keys switched off by clicking their entries. */
  hidden: ReadonlySet<string>;
  compact: boolean;
}

export type Swatch =
  | { kind: 'group'; color: string; bandAlpha: number; highContrast: boolean }
  | { kind: 'marker'; shape: PointShape; color: string; filled: boolean; outline: string; ring?: boolean }
  | { kind: 'line'; color: string; dashed: boolean }
  | { kind: 'band'; color: string; alpha: number }
  /** A forecast: a hollow circle (filled with the background) on its interval bar. */
  | { kind: 'forecast'; color: string; fill: string };

export interface LegendEntry {
  /** What clicking the entry toggles: `group:NAME`, `frontier`, `runs`, `arch:NAME`, `line`, `extrapolation`, `band`, `outliers`, `forecasts`. */
  key: string;
  label: string;
  detail: string;
  swatch: Swatch;
  hidden: boolean;
  section: 'groups' | 'key';
}

export interface PointInfo {
  label: string;
  line?: number;
}

export interface PlotDataset {
  /** Legend keys any of which hides this dataset. */
  keys: string[];
  dataset: ChartDataset<'scatter' | 'line', { x: number; y: number }[]>;
  info: (index: number) => PointInfo | undefined;
}

export interface PlotData {
  datasets: PlotDataset[];
  legend: LegendEntry[];
}

export function buildPlot(model: PlotModel, colors: PlotColors, view: PlotView): PlotData {
  const hc = isHighContrast(colors.kind);
  const colorOf = (index: number) => paletteColor(colors.kind, index);
  const hidden = (keys: string[]) => keys.some((k) => view.hidden.has(k));
  const architectures = architectureShapes(model);
  const drawnRuns = model.runLayers.reduce((n, l) => n + l.compute.length, 0);
  const dots = drawnRuns > DOTS_BEYOND;
  const bandAlpha = hc ? 0.35 : 0.18;
  const lineWidth = hc ? 2.5 : 2;

  const bands: PlotDataset[] = [];
  const runs: PlotDataset[] = [];
  const lines: PlotDataset[] = [];
  const fitted: PlotDataset[] = [];
  const add = (list: PlotDataset[], keys: string[], dataset: PlotDataset['dataset'], info: PlotDataset['info']) =>
    list.push({ keys, dataset: { ...dataset, hidden: hidden(keys) }, info });
  // Lines stroked segment by segment rather than through a cached Path2D, which the SVG export's context cannot
  // draw (an empty `segment` style forces it); lines here have at most a few dozen points.
  const direct = { segment: {} };

  for (const layer of model.runLayers) {
    const color = colorOf(layer.colorIndex);
    const buckets = new Map<string, number[]>();
    for (let i = 0; i < layer.compute.length; i++) {
      const name = layer.arch[i] >= 0 ? layer.architectures[layer.arch[i]] : '';
      const key = dots ? '' : architectures.has(name) ? name : name === '' ? '' : OTHER;
      const list = buckets.get(key);
      if (list) list.push(i);
      else buckets.set(key, [i]);
    }
    for (const [arch, indices] of buckets) {
      const shape: PointShape = dots || arch === '' || arch === OTHER ? 'circle' : architectures.get(arch)!;
      const keys = [`group:${layer.group}`, 'runs', ...(arch ? [`arch:${arch}`] : [])];
      const info = (k: number) => {
        const i = indices[k];
        if (i === undefined) return undefined;
        const name = layer.arch[i] >= 0 ? `${layer.architectures[layer.arch[i]]} · ` : '';
        return { label: `${name}${unpackString(layer.names, i) ?? `line ${layer.line[i]}`}`, line: layer.line[i] };
      };
      add(
        runs,
        keys,
        {
          type: 'scatter',
          label: `${layer.group} runs${arch ? ` (${arch})` : ''}`,
          data: indices.map((i) => ({ x: layer.compute[i], y: layer.error[i] })),
          pointStyle: shape,
          pointRadius: dots ? 1.8 : arch === OTHER ? 2 : view.compact ? 2.5 : 3.5,
          borderWidth: dots ? 0 : hc ? 1.5 : 1.2,
          borderColor: color,
          backgroundColor: dots ? withAlpha(color, 0.6) : withAlpha(color, hc ? 0.25 : 0.12),
        },
        info,
      );
    }
  }

  const seriesInfo = (series: PlotSeries) => (k: number) => {
    const point = series.points[k];
    return point && { label: point.label, line: point.line };
  };
  const bandLow = new Map(model.series.filter((s) => s.kind === 'band-low').map((s) => [s.group, s]));
  for (const series of model.series) {
    const color = colorOf(series.colorIndex);
    const data = series.points.map((p) => ({ x: p.x, y: p.y }));
    const group = `group:${series.group}`;
    switch (series.kind) {
      case 'band-high': {
        const low = bandLow.get(series.group);
        if (!low) break;
        const keys = [group, 'band'];
        const edge = { borderWidth: hc ? 1 : 0, borderColor: color, borderDash: [3, 3], pointRadius: 0 };
        add(
          bands,
          keys,
          {
            type: 'line',
            label: `${series.group} 95 % band`,
            data: low.points.map((p) => ({ x: p.x, y: p.y })),
            ...edge,
            ...direct,
            fill: false,
          },
          seriesInfo(low),
        );
        add(
          bands,
          keys,
          {
            type: 'line',
            label: series.label,
            data,
            ...edge,
            ...direct,
            backgroundColor: withAlpha(color, bandAlpha),
            fill: '-1',
          },
          seriesInfo(series),
        );
        break;
      }
      case 'law':
        add(
          lines,
          [group, 'line'],
          {
            type: 'line',
            label: series.label,
            data,
            borderColor: color,
            borderWidth: lineWidth,
            pointRadius: 0,
            fill: false,
            ...direct,
          },
          seriesInfo(series),
        );
        break;
      case 'extrapolation':
        add(
          lines,
          [group, 'extrapolation'],
          {
            type: 'line',
            label: series.label,
            data,
            borderColor: color,
            borderWidth: lineWidth,
            borderDash: [6, 4],
            pointRadius: 0,
            fill: false,
            ...direct,
          },
          seriesInfo(series),
        );
        break;
      case 'frontier':
        add(
          fitted,
          [group, 'frontier'],
          {
            type: 'scatter',
            label: series.label,
            data,
            pointStyle: 'circle',
            pointRadius: view.compact ? 3.5 : 5,
            borderWidth: 1.5,
            borderColor: colors.background,
            backgroundColor: color,
          },
          seriesInfo(series),
        );
        break;
      default:
        break;
    }
  }

  const outliers: PlotDataset[] = [];
  for (const group of new Set(model.outliers.map((o) => o.group))) {
    const rows = model.outliers.filter((o) => o.group === group);
    add(
      outliers,
      [`group:${group}`, 'outliers'],
      {
        type: 'scatter',
        label: `${group} outliers`,
        data: rows.map((o) => ({ x: o.compute, y: o.error })),
        pointStyle: 'circle',
        pointRadius: view.compact ? 6 : 9,
        borderWidth: 2,
        borderColor: colors.warning,
        backgroundColor: 'rgba(0, 0, 0, 0)',
      },
      (k) => rows[k] && { label: `outlier, z = ${rows[k].z.toFixed(1)} (line ${rows[k].line})`, line: rows[k].line },
    );
  }

  const forecasts = forecastMarks(model, colors, view, add);

  return {
    datasets: [...bands, ...runs, ...lines, ...fitted, ...outliers, ...forecasts],
    legend: legendEntries(model, colors, view, architectures, dots, bandAlpha),
  };
}

/** Forecasts of running jobs that can be placed on the plot (their compute is known). */
function placedForecasts(model: PlotModel) {
  return (model.decisions.forecasts?.rows ?? []).filter((r) => r.plot !== null);
}

/**
 * Each running job's forecast at its planned compute: its 95 % interval as a vertical bar with caps, and a large
 * hollow circle (filled with the background, so the bar does not cross it) at the forecast, in its group's colour
 * (the foreground when its group is not fitted yet).
 */
function forecastMarks(
  model: PlotModel,
  colors: PlotColors,
  view: PlotView,
  add: (list: PlotDataset[], keys: string[], dataset: PlotDataset['dataset'], info: PlotDataset['info']) => void,
): PlotDataset[] {
  const marks: PlotDataset[] = [];
  const rows = placedForecasts(model);
  const colorOf = (index: number | null) => (index === null ? colors.foreground : paletteColor(colors.kind, index));
  const keysOf = (group: string | null) => ['forecasts', ...(group !== null ? [`group:${group}`] : [])];
  const describe = (row: (typeof rows)[number]) =>
    `${row.run}: forecast at its planned length${row.reachesFrontier === null ? '' : row.reachesFrontier ? ', reaches the frontier' : ', does not reach the frontier'}`;
  for (const row of rows) {
    const plot = row.plot!;
    if (plot.low === null || plot.high === null) continue;
    add(
      marks,
      keysOf(row.group),
      {
        type: 'line',
        label: `${row.run} forecast interval`,
        data: [
          { x: plot.compute, y: plot.low },
          { x: plot.compute, y: plot.high },
        ],
        borderColor: colorOf(row.colorIndex),
        borderWidth: 1.5,
        pointStyle: 'line',
        pointRadius: view.compact ? 3 : 5,
        pointBorderWidth: 1.5,
        fill: false,
        segment: {},
      },
      () => ({ label: `${describe(row)}, 95 % interval` }),
    );
  }
  for (const group of new Set(rows.map((r) => r.group))) {
    const inGroup = rows.filter((r) => r.group === group);
    add(
      marks,
      keysOf(group),
      {
        type: 'scatter',
        label: `${group ?? 'running jobs'} forecasts`,
        data: inGroup.map((r) => ({ x: r.plot!.compute, y: r.plot!.error })),
        pointStyle: 'circle',
        pointRadius: view.compact ? 4.5 : 6.5,
        borderWidth: 2,
        borderColor: colorOf(inGroup[0].colorIndex),
        backgroundColor: colors.background,
      },
      (k) => inGroup[k] && { label: describe(inGroup[k]) },
    );
  }
  return marks;
}

const OTHER = '\u0000other';

/** Architectures in order of first appearance, each with its shape; the ones beyond RUN_SHAPES are "other". */
function architectureShapes(model: PlotModel): Map<string, PointShape> {
  const shapes = new Map<string, PointShape>();
  for (const layer of model.runLayers) {
    for (let i = 0; i < layer.arch.length && shapes.size < RUN_SHAPES.length; i++) {
      const name = layer.arch[i] >= 0 ? layer.architectures[layer.arch[i]] : '';
      if (name && !shapes.has(name)) shapes.set(name, RUN_SHAPES[shapes.size]);
    }
  }
  return shapes;
}

function legendEntries(
  model: PlotModel,
  colors: PlotColors,
  view: PlotView,
  architectures: Map<string, PointShape>,
  dots: boolean,
  bandAlpha: number,
): LegendEntry[] {
  const hc = isHighContrast(colors.kind);
  const entries: LegendEntry[] = [];
  const entry = (key: string, label: string, detail: string, swatch: Swatch, section: LegendEntry['section']) =>
    entries.push({ key, label, detail, swatch, hidden: view.hidden.has(key), section });
  const kinds = new Set(model.series.map((s) => `${s.kind}`));
  for (const formula of model.formulas) {
    const group = model.groups.find((g) => g.group === formula.group);
    const colorIndex =
      model.series.find((s) => s.group === formula.group)?.colorIndex ??
      model.runLayers.find((l) => l.group === formula.group)?.colorIndex ??
      0;
    const counts = group
      ? `${group.nPoints} runs · ${group.frontier === 'all' ? 'all runs' : `${group.frontier} frontier`}, ${group.nUsed} points fitted`
      : '';
    const detail = [counts, formula.drawn ?? '', formula.converged ? '' : 'did not converge']
      .filter(Boolean)
      .join(' · ');
    entry(
      `group:${formula.group}`,
      `${formula.group}: ${formula.text}`,
      detail,
      { kind: 'group', color: paletteColor(colors.kind, colorIndex), bandAlpha, highContrast: hc },
      'groups',
    );
  }
  const neutral = colors.foreground;
  if (kinds.has('frontier'))
    entry(
      'frontier',
      'fitted point',
      'on the frontier the law is fitted to',
      { kind: 'marker', shape: 'circle', color: neutral, filled: true, outline: colors.background },
      'key',
    );
  if (dots || architectures.size === 0)
    entry(
      'runs',
      'run',
      dots ? 'every run, as a dot (many runs)' : 'every run of the file',
      { kind: 'marker', shape: 'circle', color: neutral, filled: dots, outline: neutral },
      'key',
    );
  else {
    for (const [name, shape] of architectures)
      entry(
        `arch:${name}`,
        name,
        'run of this architecture',
        { kind: 'marker', shape, color: neutral, filled: false, outline: neutral },
        'key',
      );
    const others = model.runLayers.some((l) =>
      Array.from(l.arch).some((a) => a >= 0 && !architectures.has(l.architectures[a])),
    );
    if (others)
      entry(
        `arch:${OTHER}`,
        'other architectures',
        'runs of the remaining architectures',
        { kind: 'marker', shape: 'circle', color: neutral, filled: false, outline: neutral },
        'key',
      );
  }
  if (kinds.has('law'))
    entry('line', 'fitted law', 'over the runs’ compute', { kind: 'line', color: neutral, dashed: false }, 'key');
  if (kinds.has('extrapolation'))
    entry(
      'extrapolation',
      'extrapolation',
      'beyond the largest run',
      { kind: 'line', color: neutral, dashed: true },
      'key',
    );
  if (kinds.has('band-high'))
    entry(
      'band',
      '95 % band',
      'bootstrap interval of the law (tables keep their intervals)',
      { kind: 'band', color: neutral, alpha: bandAlpha },
      'key',
    );
  if (placedForecasts(model).length > 0)
    entry(
      'forecasts',
      'forecast',
      'a running job’s final value at its planned length, with its 95 % interval',
      { kind: 'forecast', color: neutral, fill: colors.background },
      'key',
    );
  if (model.outliers.length > 0)
    entry(
      'outliers',
      'outlier',
      'far off the fitted law (robust |z| > 3.5)',
      { kind: 'marker', shape: 'circle', color: colors.warning, filled: false, outline: colors.warning, ring: true },
      'key',
    );
  return entries;
}
