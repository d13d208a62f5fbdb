/** Draws a PlotModel with chart.js on log-log axes, in the colours of the active VS Code theme. */
import {
  Chart,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Tooltip,
  type ChartDataset,
} from 'chart.js';
import { unpackString } from '../../src/shared/packedStrings';
import type { PlotModel, PlotSeries, RunLayer } from '../../src/shared/protocol';

Chart.register(ScatterController, LineController, LineElement, PointElement, LogarithmicScale, LinearScale, Tooltip, Legend, Filler);

const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];
const MARKERS = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot'] as const;

export function themeColor(variable: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
}

export function paletteColor(index: number): string {
  return themeColor(PALETTE[index % PALETTE.length], FALLBACK[index % FALLBACK.length]);
}

function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})/i.exec(color);
  if (!hex) return color;
  const value = parseInt(hex[1], 16);
  return `rgba(${(value >> 16) & 255}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`;
}

/** Every run of a group: one marker per architecture, plain dots beyond a few thousand runs (they draw much faster). */
function runDataset(layer: RunLayer, compact: boolean): ChartDataset<'scatter'> {
  const color = paletteColor(layer.colorIndex);
  const n = layer.compute.length;
  const data = new Array<{ x: number; y: number }>(n);
  for (let i = 0; i < n; i++) data[i] = { x: layer.compute[i], y: layer.error[i] };
  return {
    type: 'scatter',
    label: layer.label,
    data,
    pointStyle: n > 2000 ? 'circle' : Array.from(layer.arch, (a) => (a < 0 ? 'circle' : MARKERS[a % MARKERS.length])),
    pointRadius: n > 2000 ? 2 : compact ? 2.5 : 4,
    backgroundColor: withAlpha(color, 0.35),
    borderColor: color,
    borderWidth: n > 2000 ? 0 : 1,
  };
}

function dataset(series: PlotSeries, compact: boolean): ChartDataset<'scatter' | 'line'> {
  const color = paletteColor(series.colorIndex);
  const data = series.points.map((p) => ({ x: p.x, y: p.y }));
  switch (series.kind) {
    case 'frontier':
      return { type: 'scatter', label: series.label, data, pointRadius: compact ? 4 : 7, pointStyle: 'crossRot', borderWidth: 2, borderColor: color, backgroundColor: color };
    case 'law':
      return { type: 'line', label: series.label, data, borderColor: color, borderWidth: 2, pointRadius: 0, fill: false };
    case 'extrapolation':
      return { type: 'line', label: series.label, data, borderColor: color, borderWidth: 2, borderDash: [6, 4], pointRadius: 0, fill: false };
    case 'band-low':
      return { type: 'line', label: series.label, data, borderWidth: 0, pointRadius: 0, fill: false };
    case 'band-high':
      return { type: 'line', label: series.label, data, borderWidth: 0, pointRadius: 0, backgroundColor: withAlpha(color, 0.15), fill: '-1' };
  }
}

/** What a point of the frontier plot stands for: its tooltip text and its source line. */
interface PointInfo {
  label: string;
  line?: number;
}

/** The model a chart shows; its tooltip and legend callbacks read the current one, so an update swaps it in place. */
interface PlotState {
  model: PlotModel;
  info: (datasetIndex: number, index: number) => PointInfo | undefined;
}

const plotStates = new WeakMap<Chart, PlotState>();

function plotState(model: PlotModel): PlotState {
  const layers = model.runLayers.length;
  return {
    model,
    info(datasetIndex, index) {
      if (datasetIndex < layers) {
        const layer = model.runLayers[datasetIndex];
        const arch = layer.arch[index] >= 0 ? `${layer.architectures[layer.arch[index]]} · ` : '';
        return { label: `${arch}${unpackString(layer.names, index) ?? `line ${layer.line[index]}`}`, line: layer.line[index] };
      }
      const point = model.series[datasetIndex - layers]?.points[index];
      return point && { label: point.label, line: point.line };
    },
  };
}

function datasets(model: PlotModel, compact: boolean): ChartDataset<'scatter'>[] {
  return [...model.runLayers.map((layer) => runDataset(layer, compact)), ...model.series.map((s) => dataset(s, compact))] as ChartDataset<'scatter'>[];
}

/** Shows a new model in an existing frontier chart without rebuilding it (a results file grew by a row). */
export function updatePlot(chart: Chart, model: PlotModel, compact = false): void {
  const state = plotStates.get(chart)!;
  Object.assign(state, plotState(model));
  chart.data.datasets = datasets(model, compact);
  chart.update('none');
}

/** Log-axis ticks: label the powers of ten only (1e10, 1e11…), as scaling-law plots do. */
function powerOfTenLabel(value: string | number): string {
  const exponent = Math.log10(Number(value));
  return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? `1e${Math.round(exponent)}` : '';
}

/**
 * Log-axis ticks for errors: label 1, 2, 3 and 5 times powers of ten (0.1, 0.2, 0.3, 0.5), leave the rest blank;
 * on a narrow range (errors between 0.8 and 1) where that would leave fewer than two labels, label every tick.
 */
function oneTwoFiveLabel(value: string | number, _index: number, ticks: { value: number }[]): string {
  const label = (v: number) => Number(v.toPrecision(2)).toString();
  return ticks.filter((t) => isOneTwoFive(t.value)).length >= 2 ? (isOneTwoFive(Number(value)) ? label(Number(value)) : '') : label(Number(value));
}

function isOneTwoFive(v: number): boolean {
  const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  return [1, 2, 3, 5].some((m) => Math.abs(mantissa - m) < 1e-6);
}

/** The frontier plot. `onPoint` receives the source line of a clicked run or frontier point. */
export function drawPlot(canvas: HTMLCanvasElement, model: PlotModel, compact = false, onPoint?: (line: number) => void): Chart {
  const foreground = themeColor('--vscode-foreground', '#cccccc');
  const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const state = plotState(model);
  const chart = new Chart(canvas, {
    type: 'scatter',
    data: { datasets: datasets(model, compact) },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      normalized: true,
      color: foreground,
      scales: {
        x: { type: 'logarithmic', title: { display: !compact, text: model.xLabel, color: foreground }, ticks: { color: foreground, maxTicksLimit: compact ? 4 : 10, callback: powerOfTenLabel }, grid: { color: grid } },
        y: { type: 'logarithmic', title: { display: !compact, text: model.yLabel, color: foreground }, ticks: { color: foreground, callback: oneTwoFiveLabel }, grid: { color: grid } },
      },
      onClick: (_event, elements) => {
        const line = elements.length > 0 ? state.info(elements[0].datasetIndex, elements[0].index)?.line : undefined;
        if (line !== undefined) onPoint?.(line);
      },
      plugins: {
        legend: {
          display: !compact,
          position: 'bottom',
          labels: {
            color: foreground,
            // One legend entry per band (its upper edge); the extrapolation is explained by the dashes.
            filter: (item) => {
              const series = item.datasetIndex === undefined ? undefined : state.model.series[item.datasetIndex - state.model.runLayers.length];
              return !series || (series.kind !== 'extrapolation' && series.kind !== 'band-low');
            },
          },
        },
        tooltip: {
          callbacks: {
            label: (item) => {
              const info = state.info(item.datasetIndex, item.dataIndex);
              const point = item.raw as { x: number; y: number };
              return info ? `${info.label}: C=${point.x.toExponential(3)}, E=${point.y.toFixed(4)}` : '';
            },
          },
        },
      },
    },
  });
  plotStates.set(chart, state);
  return chart;
}

/** Shared options of the secondary log-log line charts (allocation, learning curves), in theme colours. */
type TickLabel = (value: string | number, index: number, ticks: { value: number }[]) => string;

function logLogLineOptions(xTitle: string, yTitle: string, yTicks: TickLabel, showLegend: boolean) {
  const foreground = themeColor('--vscode-foreground', '#cccccc');
  const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const axis = (title: string, callback: TickLabel) => ({
    type: 'logarithmic' as const,
    title: { display: true, text: title, color: foreground },
    ticks: { color: foreground, callback },
    grid: { color: grid },
  });
  return {
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    color: foreground,
    scales: { x: axis(xTitle, powerOfTenLabel), y: axis(yTitle, yTicks) },
    plugins: { legend: { display: showLegend, position: 'bottom' as const, labels: { color: foreground } } },
  };
}

/** Compute-optimal allocation: N_opt and D_opt against the budget, log-log, one pair of lines per group. */
export function drawAllocation(canvas: HTMLCanvasElement, model: PlotModel): Chart | undefined {
  if (model.optimal.length === 0) return undefined;
  const groups = [...new Set(model.optimal.map((o) => o.group))];
  const datasets = groups.flatMap((group) => {
    const colorIndex = Math.max(0, model.formulas.findIndex((f) => f.group === group));
    const rows = model.optimal.filter((o) => o.group === group).sort((a, b) => a.compute - b.compute);
    const color = paletteColor(colorIndex);
    return [
      { label: `${group}: N_opt (parameters)`, data: rows.map((o) => ({ x: o.compute, y: o.params })), borderColor: color, backgroundColor: color, pointRadius: 4 },
      { label: `${group}: D_opt (samples)`, data: rows.map((o) => ({ x: o.compute, y: o.samples })), borderColor: color, backgroundColor: color, borderDash: [6, 4], pointRadius: 4, pointStyle: 'rect' as const },
    ];
  });
  return new Chart(canvas, { type: 'line', data: { datasets }, options: logLogLineOptions('compute budget C', 'N_opt, D_opt', powerOfTenLabel, true) });
}

/** Learning curves of a training log: error against samples seen, one line per run. */
export function drawCurves(canvas: HTMLCanvasElement, model: PlotModel): Chart | undefined {
  if (model.curves.length === 0) return undefined;
  const datasets = model.curves.map((c) => ({ label: c.label, data: c.points, borderColor: withAlpha(paletteColor(c.colorIndex), 0.7), backgroundColor: paletteColor(c.colorIndex), borderWidth: 1, pointRadius: 1.5 }));
  return new Chart(canvas, { type: 'line', data: { datasets }, options: logLogLineOptions('samples seen', 'error E', oneTwoFiveLabel, model.curves.length <= 12) });
}

/** The chart as a PNG with the editor background painted in (a transparent canvas exports badly). */
export function chartPng(canvas: HTMLCanvasElement): string {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const context = out.getContext('2d')!;
  context.fillStyle = themeColor('--vscode-editor-background', '#1e1e1e');
  context.fillRect(0, 0, out.width, out.height);
  context.drawImage(canvas, 0, 0);
  return out.toDataURL('image/png');
}

/**
 * Charts read theme colours when drawn; VS Code switches theme by changing the body's class and the root's
 * `--vscode-*` variables, so watch both and redraw (once per frame) when either changes.
 */
export function onThemeChange(redraw: () => void): void {
  let scheduled = false;
  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      redraw();
    });
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
}
