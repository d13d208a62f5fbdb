/**
 * The panel's small log-log line charts as data (allocation, learning curves; the approaches' in
 * panel/decisionCharts.ts): datasets, options in theme colours and the key's entries, with the axes' tick labels.
 * Pure (no DOM), so tested under node; LineChartView draws them.
 */
import type { ChartDataset, ChartOptions } from 'chart.js';
import { formatNumber } from '../../src/core/format';
import type { PlotModel } from '../../src/shared/protocol';
import { paletteColor, withAlpha } from './palette';
import type { PlotColors, Swatch } from './plotData';

export type XY = { x: number; y: number };

/** What a line chart shows: its datasets, its options, and (for the charts with an HTML key) the key's entries. */
export interface LineChartContent {
  datasets: ChartDataset<'line', XY[]>[];
  options: ChartOptions<'line'>;
  key?: KeyEntry[];
}

export interface KeyEntry {
  label: string;
  swatch: Swatch;
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
  return ticks.filter((t) => isOneTwoFive(t.value)).length >= 2
    ? isOneTwoFive(v)
      ? formatNumber(v)
      : ''
    : formatNumber(v);
}

function isOneTwoFive(v: number): boolean {
  const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  return [1, 2, 3, 5].some((m) => Math.abs(mantissa - m) < 1e-6);
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
      legend: {
        display: showLegend,
        position: 'bottom' as const,
        labels: { color: colors.foreground, usePointStyle: true },
      },
      tooltip: {
        callbacks: {
          label: (item: { dataset: { label?: string }; raw: unknown }) =>
            `${item.dataset.label ?? ''}: ${formatNumber((item.raw as { y: number }).y)} at C = ${formatNumber((item.raw as { x: number }).x)}`,
        },
      },
    },
  };
}

/** Compute-optimal allocation: N_opt and D_opt against the budget, log-log, one pair of lines per group. */
export function allocationChart(model: PlotModel, colors: PlotColors): LineChartContent | undefined {
  if (model.optimal.length === 0) return undefined;
  const groups = [...new Set(model.optimal.map((o) => o.group))];
  const datasets = groups.flatMap((group) => {
    const colorIndex =
      model.series.find((s) => s.group === group)?.colorIndex ??
      Math.max(
        0,
        model.formulas.findIndex((f) => f.group === group),
      );
    const rows = model.optimal.filter((o) => o.group === group).sort((a, b) => a.compute - b.compute);
    const color = groupColor(colors, colorIndex);
    return [
      {
        label: `${group}: N_opt (parameters)`,
        data: rows.map((o) => ({ x: o.compute, y: o.params })),
        borderColor: color,
        backgroundColor: color,
        pointRadius: 4,
        pointStyle: 'circle' as const,
      },
      {
        label: `${group}: D_opt (samples)`,
        data: rows.map((o) => ({ x: o.compute, y: o.samples })),
        borderColor: color,
        backgroundColor: color,
        borderDash: [6, 4],
        pointRadius: 4,
        pointStyle: 'rect' as const,
      },
    ];
  });
  return {
    datasets,
    options: logLogLineOptions(colors, {
      x: 'compute budget C',
      y: 'N_opt, D_opt',
      yTicks: powerOfTenLabel,
      legend: true,
    }),
  };
}

/** Learning curves of a training log: error against samples seen, one line per run. */
export function curvesChart(model: PlotModel, colors: PlotColors): LineChartContent | undefined {
  if (model.curves.length === 0) return undefined;
  const datasets = model.curves.map((c) => ({
    label: c.label,
    data: c.points,
    borderColor: withAlpha(groupColor(colors, c.colorIndex), 0.7),
    backgroundColor: groupColor(colors, c.colorIndex),
    borderWidth: 1,
    pointRadius: 1.5,
  }));
  return {
    datasets,
    options: logLogLineOptions(colors, {
      x: 'samples seen',
      y: model.yLabel,
      yTicks: oneTwoFiveLabel,
      legend: model.curves.length <= 12,
    }),
  };
}
