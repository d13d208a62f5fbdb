/**
 * Draws a PlotModel with chart.js on log-log axes: datasets and legend from plotData.ts, colours from the active
 * VS Code theme (grid and axes in its muted colours, data in the contrast-checked palette of its kind), ticks and
 * tooltips in the one number format.
 */
import {
  Chart,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
  type ChartOptions,
} from 'chart.js';
import { formatNumber } from '../../src/core/format';
import { fittedSymbol } from '../../src/core/metricWording';
import type { PlotModel } from '../../src/shared/protocol';
import { themeKindOfBody, withAlpha, isHighContrast, type ThemeKind } from './palette';
import { oneTwoFiveLabel, powerOfTenLabel } from './lineCharts';
import { buildPlot, type PlotColors, type PlotData, type PlotView } from './plotData';

Chart.register(
  ScatterController,
  LineController,
  LineElement,
  PointElement,
  LogarithmicScale,
  LinearScale,
  Tooltip,
  Filler,
  Title,
);

export function themeColor(variable: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(variable).trim() || fallback;
}

export function themeKind(): ThemeKind {
  return themeKindOfBody(document.body.classList);
}

/** The plot's colours in the active theme; `background` is what the plot is drawn on (editor or side bar). */
export function themePlotColors(backgroundVariable = '--vscode-editor-background'): PlotColors {
  const kind = themeKind();
  const foreground = themeColor(
    '--vscode-foreground',
    kind === 'light' || kind === 'high-contrast-light' ? '#3b3b3b' : '#cccccc',
  );
  return {
    kind,
    foreground,
    muted: themeColor('--vscode-descriptionForeground', foreground),
    grid: withAlpha(foreground, isHighContrast(kind) ? 0.28 : 0.12),
    background: themeColor(
      backgroundVariable,
      kind === 'light' || kind === 'high-contrast-light' ? '#ffffff' : '#1f1f1f',
    ),
    warning: themeColor('--vscode-editorWarning-foreground', '#cca700'),
  };
}

/** Fixed colours for an exported image on a light or dark background (papers want light whatever the theme). */
export function exportPlotColors(background: 'light' | 'dark'): PlotColors {
  return background === 'light'
    ? {
        kind: 'light',
        foreground: '#1f1f1f',
        muted: '#555555',
        grid: 'rgba(0, 0, 0, 0.12)',
        background: '#ffffff',
        warning: '#9a5b00',
      }
    : {
        kind: 'dark',
        foreground: '#e6e6e6',
        muted: '#a8a8a8',
        grid: 'rgba(255, 255, 255, 0.14)',
        background: '#1f1f1f',
        warning: '#e0a030',
      };
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

export function frontierChartOptions(
  model: PlotModel,
  options: FrontierChartOptions,
  data: () => PlotData,
): ChartOptions<'scatter'> {
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
      title: {
        display: !!options.title,
        text: options.title ?? '',
        color: colors.foreground,
        font: { size: 15, weight: 'bold' },
        align: 'start',
      },
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
export function drawFrontier(
  canvas: HTMLCanvasElement,
  model: PlotModel,
  initial: FrontierChartOptions,
): FrontierChart {
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
