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
import type { PlotModel, PlotSeries } from '../../src/shared/protocol';

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

function dataset(series: PlotSeries, compact: boolean, markerOf: (label: string) => (typeof MARKERS)[number]): ChartDataset<'scatter' | 'line'> | undefined {
  const color = paletteColor(series.colorIndex);
  const data = series.points.map((p) => ({ x: p.x, y: p.y }));
  switch (series.kind) {
    case 'runs':
      return {
        type: 'scatter',
        label: series.label,
        data,
        // One marker per architecture; thousands of runs get plain dots, which draw much faster.
        pointStyle: series.points.length > 2000 ? 'circle' : series.points.map((p) => markerOf(p.label)),
        pointRadius: compact ? 2.5 : 4,
        backgroundColor: withAlpha(color, 0.35),
        borderColor: color,
      };
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

/** Log-axis ticks: label the powers of ten only (1e10, 1e11…), as scaling-law plots do. */
function powerOfTenLabel(value: string | number): string {
  const exponent = Math.log10(Number(value));
  return Math.abs(exponent - Math.round(exponent)) < 1e-9 ? `1e${Math.round(exponent)}` : '';
}

/** Log-axis ticks for errors: label 1, 2, 3 and 5 times powers of ten (0.1, 0.2, 0.3, 0.5), leave the rest blank. */
function oneTwoFiveLabel(value: string | number): string {
  const v = Number(value);
  const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  return [1, 2, 3, 5].some((m) => Math.abs(mantissa - m) < 1e-6) ? Number(v.toPrecision(2)).toString() : '';
}

export function drawPlot(canvas: HTMLCanvasElement, model: PlotModel, existing: Chart | undefined, compact = false): Chart {
  existing?.destroy();
  const foreground = themeColor('--vscode-foreground', '#cccccc');
  const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const architectures = new Map<string, (typeof MARKERS)[number]>();
  const markerOf = (label: string) => {
    const arch = label.split(' · ')[0];
    if (!architectures.has(arch)) architectures.set(arch, MARKERS[architectures.size % MARKERS.length]);
    return architectures.get(arch)!;
  };
  const datasets = model.series.map((s) => dataset(s, compact, markerOf)).filter((d): d is ChartDataset<'scatter' | 'line'> => d !== undefined);
  const labels = model.series.map((s) => s.points);
  return new Chart(canvas, {
    type: 'scatter',
    data: { datasets: datasets as ChartDataset<'scatter'>[] },
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
      plugins: {
        legend: {
          display: !compact,
          position: 'bottom',
          labels: { color: foreground, filter: (item) => !/95% band|extrapolation/.test(item.text) || /95% band/.test(item.text) && item.datasetIndex !== undefined && model.series[item.datasetIndex]?.kind === 'band-high' },
        },
        tooltip: {
          callbacks: {
            label: (item) => {
              const point = labels[item.datasetIndex]?.[item.dataIndex];
              return point ? `${point.label}: C=${point.x.toExponential(3)}, E=${point.y.toFixed(4)}` : '';
            },
          },
        },
      },
    },
  });
}

/** Shared options of the secondary log-log line charts (allocation, learning curves), in theme colours. */
function logLogLineOptions(xTitle: string, yTitle: string, yTicks: (value: string | number) => string, showLegend: boolean) {
  const foreground = themeColor('--vscode-foreground', '#cccccc');
  const grid = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const axis = (title: string, callback: (value: string | number) => string) => ({
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
