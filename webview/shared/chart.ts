/**
 * Draws a PlotModel with chart.js on log-log axes: datasets and legend from plotData.ts, colours from the active
 * VS Code theme (grid and axes in its muted colours, data in the contrast-checked palette of its kind), ticks and
 * tooltips in the one number format.
 */
import { Chart, Filler, LinearScale, LineController, LineElement, LogarithmicScale, PointElement, ScatterController, Title, Tooltip, type ChartOptions } from 'chart.js';
import { formatNumber } from '../../src/core/format';
import { fittedSymbol } from '../../src/core/metricWording';
import type { PlotModel } from '../../src/shared/protocol';
import { paletteColor, themeKindOfBody, withAlpha, isHighContrast, type ThemeKind } from './palette';
import type { LineChartContent } from './lineChartView';
import { buildPlot, type PlotColors, type PlotData, type PlotView } from './plotData';

Chart.register(ScatterController, LineController, LineElement, PointElement, LogarithmicScale, LinearScale, Tooltip, Filler, Title);

export function themeColor(variable: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
}

export function themeKind(): ThemeKind {
  return themeKindOfBody(document.body.classList);
}

/** The plot's colours in the active theme; `background` is what the plot is drawn on (editor or side bar). */
export function themePlotColors(backgroundVariable = '--vscode-editor-background'): PlotColors {
  const kind = themeKind();
  const foreground = themeColor('--vscode-foreground', kind === 'light' || kind === 'high-contrast-light' ? '#3b3b3b' : '#cccccc');
  return {
    kind,
    foreground,
    muted: themeColor('--vscode-descriptionForeground', foreground),
    grid: withAlpha(foreground, isHighContrast(kind) ? 0.28 : 0.12),
    background: themeColor(backgroundVariable, kind === 'light' || kind === 'high-contrast-light' ? '#ffffff' : '#1f1f1f'),
    warning: themeColor('--vscode-editorWarning-foreground', '#cca700'),
  };
}

/** Fixed colours for an exported image on a light or dark background (papers want light whatever the theme). */
export function exportPlotColors(background: 'light' | 'dark'): PlotColors {
  return background === 'light'
    ? { kind: 'light', foreground: '#1f1f1f', muted: '#555555', grid: 'rgba(0, 0, 0, 0.12)', background: '#ffffff', warning: '#9a5b00' }
    : { kind: 'dark', foreground: '#e6e6e6', muted: '#a8a8a8', grid: 'rgba(255, 255, 255, 0.14)', background: '#1f1f1f', warning: '#e0a030' };
}

export function groupColor(colors: PlotColors, index: number): string {
  return paletteColor(colors.kind, index);
}

/** Log-axis ticks: the powers of ten only (1e10, 1e11…), as scaling-law plots do. */
export function powerOfTenLabel(value: string | number): string {
  const exponent = Math.log10(Number(value));
  return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? formatNumber(10 ** Math.round(exponent)) : '';
}

/**
 * Log-axis ticks for errors: 1, 2, 3 and 5 times powers of ten (0.1, 0.2, 0.3, 0.5), the rest blank; on a narrow
 * range (errors between 0.8 and 1) where that would leave fewer than two labels, every tick.
 */
export function oneTwoFiveLabel(value: string | number, _index: number, ticks: { value: number }[]): string {
  const v = Number(value);
  return ticks.filter((t) => isOneTwoFive(t.value)).length >= 2 ? (isOneTwoFive(v) ? formatNumber(v) : '') : formatNumber(v);
}

function isOneTwoFive(v: number): boolean {
  const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  return [1, 2, 3, 5].some((m) => Math.abs(mantissa - m) < 1e-6);
}

export interface FrontierChartOptions {
  compact: boolean;
  view: PlotView;
  colors: PlotColors;
  onPoint?: (line: number) => void;
  /** Export: a title above the plot, and no interaction. */
  title?: string;
  devicePixelRatio?: number;
  responsive?: boolean;
}

/** A frontier chart and the plot data it shows (its tooltips and clicks read the current data). */
export interface FrontierChart {
  chart: Chart<'scatter'>;
  data: PlotData;
  update(model: PlotModel, view: PlotView): void;
  /** New colours (a theme change) for the next `update`, which draws in them. */
  recolor(colors: PlotColors, model: PlotModel): void;
}

export function frontierChartOptions(model: PlotModel, options: FrontierChartOptions, data: () => PlotData): ChartOptions<'scatter'> {
  const { colors, compact } = options;
  const symbol = fittedSymbol(model.metricKind);
  const axis = (title: string, callback: typeof powerOfTenLabel | typeof oneTwoFiveLabel, maxTicks?: number) => ({
    type: 'logarithmic' as const,
    title: { display: !compact, text: title, color: colors.foreground },
    // Only round values are labelled (the callbacks blank the rest), so no label needs skipping: autoSkip would
    // drop labelled ticks and leave a short axis with none.
    ticks: { color: colors.muted, callback, autoSkip: false, ...(maxTicks ? { maxTicksLimit: maxTicks } : {}) },
    grid: { color: colors.grid },
    border: { color: colors.muted },
  });
  return {
    animation: false,
    responsive: options.responsive ?? true,
    maintainAspectRatio: false,
    normalized: true,
    devicePixelRatio: options.devicePixelRatio,
    // Room for the last tick label (1e14) at the right edge.
    layout: { padding: { right: compact ? 8 : 14, top: 4 } },
    color: colors.foreground,
    scales: { x: axis(model.xLabel, powerOfTenLabel, compact ? 4 : 10), y: axis(model.yLabel, oneTwoFiveLabel) },
    onClick: (_event, elements) => {
      const first = elements[0];
      const line = first ? data().datasets[first.datasetIndex]?.info(first.index)?.line : undefined;
      if (line !== undefined) options.onPoint?.(line);
    },
    plugins: {
      title: { display: !!options.title, text: options.title ?? '', color: colors.foreground, font: { size: 15, weight: 'bold' }, align: 'start' },
      tooltip: {
        enabled: !options.title,
        callbacks: {
          label: (item) => {
            const info = data().datasets[item.datasetIndex]?.info(item.dataIndex);
            const point = item.raw as { x: number; y: number };
            return info ? `${info.label}: C = ${formatNumber(point.x)}, ${symbol} = ${formatNumber(point.y)}` : '';
          },
        },
      },
    },
  };
}

/** The frontier plot. `onPoint` receives the source line of a clicked run or fitted point. */
export function drawFrontier(canvas: HTMLCanvasElement, model: PlotModel, initial: FrontierChartOptions): FrontierChart {
  let options = initial;
  let data = buildPlot(model, options.colors, options.view);
  const chart = new Chart(canvas, {
    type: 'scatter',
    data: { datasets: data.datasets.map((d) => d.dataset) as never },
    options: frontierChartOptions(model, options, () => data),
  });
  return {
    chart,
    get data() {
      return data;
    },
    update(next: PlotModel, view: PlotView) {
      data = buildPlot(next, options.colors, view);
      chart.data.datasets = data.datasets.map((d) => d.dataset) as never;
      const scales = chart.options.scales as Record<string, { title: { text: string } }>;
      scales.x.title.text = next.xLabel;
      scales.y.title.text = next.yLabel;
      chart.update('none');
    },
    recolor(colors: PlotColors, next: PlotModel) {
      options = { ...options, colors };
      chart.options = frontierChartOptions(next, options, () => data);
    },
  };
}

export type TickLabel = (value: string | number, index: number, ticks: { value: number }[]) => string;

/** A secondary chart's axes (titles, the y axis's tick labels) and whether chart.js draws its legend. */
export interface LineAxes {
  x: string;
  y: string;
  yTicks: TickLabel;
  legend: boolean;
}

/** Shared options of the secondary log-log line charts (allocation, learning curves, approaches), in theme colours. */
export function logLogLineOptions(colors: PlotColors, { x: xTitle, y: yTitle, yTicks, legend: showLegend }: LineAxes) {
  const axis = (title: string, callback: TickLabel) => ({
    type: 'logarithmic' as const,
    title: { display: true, text: title, color: colors.foreground },
    ticks: { color: colors.muted, callback, autoSkip: false },
    grid: { color: colors.grid },
    border: { color: colors.muted },
  });
  return {
    animation: false as const,
    responsive: true,
    maintainAspectRatio: false,
    color: colors.foreground,
    scales: { x: axis(xTitle, powerOfTenLabel), y: axis(yTitle, yTicks) },
    plugins: {
      legend: { display: showLegend, position: 'bottom' as const, labels: { color: colors.foreground, usePointStyle: true } },
      tooltip: { callbacks: { label: (item: { dataset: { label?: string }; raw: unknown }) => `${item.dataset.label ?? ''}: ${formatNumber((item.raw as { y: number }).y)} at C = ${formatNumber((item.raw as { x: number }).x)}` } },
    },
  };
}

/** Compute-optimal allocation: N_opt and D_opt against the budget, log-log, one pair of lines per group. */
export function allocationChart(model: PlotModel, colors: PlotColors): LineChartContent | undefined {
  if (model.optimal.length === 0) return undefined;
  const groups = [...new Set(model.optimal.map((o) => o.group))];
  const datasets = groups.flatMap((group) => {
    const colorIndex = model.series.find((s) => s.group === group)?.colorIndex ?? Math.max(0, model.formulas.findIndex((f) => f.group === group));
    const rows = model.optimal.filter((o) => o.group === group).sort((a, b) => a.compute - b.compute);
    const color = groupColor(colors, colorIndex);
    return [
      { label: `${group}: N_opt (parameters)`, data: rows.map((o) => ({ x: o.compute, y: o.params })), borderColor: color, backgroundColor: color, pointRadius: 4, pointStyle: 'circle' as const },
      { label: `${group}: D_opt (samples)`, data: rows.map((o) => ({ x: o.compute, y: o.samples })), borderColor: color, backgroundColor: color, borderDash: [6, 4], pointRadius: 4, pointStyle: 'rect' as const },
    ];
  });
  return { datasets, options: logLogLineOptions(colors, { x: 'compute budget C', y: 'N_opt, D_opt', yTicks: powerOfTenLabel, legend: true }) };
}

/** Learning curves of a training log: error against samples seen, one line per run. */
export function curvesChart(model: PlotModel, colors: PlotColors): LineChartContent | undefined {
  if (model.curves.length === 0) return undefined;
  const datasets = model.curves.map((c) => ({ label: c.label, data: c.points, borderColor: withAlpha(groupColor(colors, c.colorIndex), 0.7), backgroundColor: groupColor(colors, c.colorIndex), borderWidth: 1, pointRadius: 1.5 }));
  return { datasets, options: logLogLineOptions(colors, { x: 'samples seen', y: model.yLabel, yTicks: oneTwoFiveLabel, legend: model.curves.length <= 12 }) };
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
