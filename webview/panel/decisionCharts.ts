/**
 * The small plots of the "Chinchilla approaches" section, in theme colours: N_opt against compute for the three
 * approaches (each approach's points and its fitted line N_opt = k·C^a over the runs and the budgets), and the
 * IsoFLOP profiles of Approach 2 (each budget's runs, its parabola in ln N and the minimum).
 */
import { formatNumber } from '../../src/core/format';
import type { ApproachesView } from '../../src/shared/protocol';
import { PALETTES, paletteColor, withAlpha } from '../shared/palette';
import type { PlotColors } from '../shared/plotData';
import {
  logLogLineOptions,
  oneTwoFiveLabel,
  powerOfTenLabel,
  type KeyEntry,
  type LineChartContent,
  type XY,
} from '../shared/lineCharts';

/**
 * Approach 3's line is dashed: on data like the language-model example it lies on Approach 2's (a = 0.512 vs 0.511),
 * and a solid line would hide the other.
 */
const approachDash = (name: string) => (name === 'Approach 3' ? [6, 4] : []);

/** N_opt against compute for the three approaches: each approach's points and its fitted line, with their key. */
export function approachesChart(
  view: ApproachesView,
  budgets: number[],
  colors: PlotColors,
): LineChartContent | undefined {
  const drawn = view.approaches.filter((a) => a.points.length > 0 || (a.a !== null && a.nCoefficient !== null));
  if (drawn.length === 0) return undefined;
  const names = [...new Set(view.approaches.map((a) => a.name))];
  const groups = [...new Set(view.approaches.map((a) => a.group))];
  // One colour per approach and group (the groups' points told apart too).
  const approachColor = (a: ApproachesView['approaches'][number]) =>
    paletteColor(colors.kind, names.indexOf(a.name) + names.length * groups.indexOf(a.group));
  const computes = [...drawn.flatMap((a) => a.points.map((p) => p.compute)), ...budgets];
  const [lo, hi] = [Math.min(...computes), Math.max(...computes)];
  const datasets = drawn.flatMap((a) => {
    const color = approachColor(a);
    const label = groups.length > 1 ? `${a.group}: ${a.name}` : a.name;
    const dash = approachDash(a.name);
    const sets = [];
    if (a.points.length > 0)
      sets.push({
        label: `${label} points`,
        data: a.points.map((p) => ({ x: p.compute, y: p.nOpt })),
        showLine: false,
        borderColor: color,
        backgroundColor: withAlpha(color, 0.25),
        pointRadius: 3.5,
        pointStyle: a.name === 'Approach 2' ? ('rectRot' as const) : ('circle' as const),
      });
    if (a.a !== null && a.nCoefficient !== null && Number.isFinite(lo) && hi > lo) {
      const line = [lo, hi].map((c) => ({ x: c, y: a.nCoefficient! * Math.pow(c, a.a!) }));
      // chart.js draws the lowest `order` on top: the later approaches' (dashed) lines over the earlier ones.
      sets.push({
        label: `${label}: N_opt ∝ C^${formatNumber(a.a)}`,
        data: line,
        borderColor: color,
        backgroundColor: color,
        borderWidth: 2,
        borderDash: dash,
        pointRadius: 0,
        order: -names.indexOf(a.name),
      });
    }
    return sets;
  });
  const options = logLogLineOptions(colors, {
    x: 'compute C',
    y: 'N_opt (parameters)',
    yTicks: powerOfTenLabel,
    legend: false,
  });
  const key: KeyEntry[] = [
    ...drawn.map((a) => ({
      label: `${groups.length > 1 ? `${a.group}: ` : ''}${a.name}${a.a !== null ? `: N_opt ∝ C^${formatNumber(a.a)}` : ''}${a.points.length > 0 ? (a.name === 'Approach 2' ? ' (budget minima ◆)' : ' (envelope runs ●)') : ''}`,
      swatch: { kind: 'line' as const, color: approachColor(a), dashed: approachDash(a.name).length > 0 },
    })),
  ];
  return { datasets, options, key };
}

/** Budgets beyond the palette's colours (9 on the language-model example, 6 colours) are dashed: no two look alike. */
const budgetDash = (index: number) => (index >= PALETTES.dark.length ? [6, 4] : []);

/** Approach 2's IsoFLOP profiles: each budget's runs, its parabola and its minimum, with their key. */
export function isoflopChart(view: ApproachesView, symbol: string, colors: PlotColors): LineChartContent | undefined {
  if (view.isoflop.length === 0) return undefined;
  const groups = new Set(view.isoflop.map((b) => b.group)).size > 1;
  const datasets = view.isoflop.flatMap((budget, index) => {
    const color = paletteColor(colors.kind, index);
    const name = `${groups ? `${budget.group}: ` : ''}C ≈ ${formatNumber(budget.compute)}`;
    const sets = [
      {
        label: name,
        data: budget.curve.filter((c) => c.error > 0).map((c) => ({ x: c.params, y: c.error })),
        borderColor: color,
        backgroundColor: color,
        borderWidth: 1.5,
        borderDash: budgetDash(index),
        pointRadius: 0,
      },
      {
        label: '',
        data: budget.runs.map((r) => ({ x: r.params, y: r.error })),
        showLine: false,
        borderColor: color,
        backgroundColor: withAlpha(color, 0.2),
        pointRadius: 3,
      },
    ];
    if (budget.nOpt !== null && budget.errorAtMinimum !== null && budget.errorAtMinimum > 0) {
      sets.push({
        label: `${name}: minimum`,
        data: [{ x: budget.nOpt, y: budget.errorAtMinimum }],
        showLine: false,
        borderColor: color,
        backgroundColor: color,
        borderWidth: 2,
        pointRadius: 7,
        pointStyle: 'crossRot',
      } as never);
    }
    return sets;
  });
  const options = logLogLineOptions(colors, {
    x: 'parameters N',
    y: `${symbol} at the budget`,
    yTicks: oneTwoFiveLabel,
    legend: false,
  });
  const key: KeyEntry[] = [
    ...view.isoflop.map((budget, index) => ({
      label: `${groups ? `${budget.group}: ` : ''}C ≈ ${formatNumber(budget.compute)}`,
      swatch: { kind: 'line' as const, color: paletteColor(colors.kind, index), dashed: budgetDash(index).length > 0 },
    })),
    {
      label: 'run',
      swatch: {
        kind: 'marker' as const,
        shape: 'circle',
        color: colors.foreground,
        filled: false,
        outline: colors.foreground,
      },
    },
    {
      label: 'parabola’s minimum',
      swatch: {
        kind: 'marker' as const,
        shape: 'crossRot',
        color: colors.foreground,
        filled: false,
        outline: colors.foreground,
      },
    },
  ];
  options.plugins.tooltip = {
    callbacks: {
      label: (item: { dataset: { label?: string }; raw: unknown }) =>
        `${item.dataset.label || 'run'}: N = ${formatNumber((item.raw as XY).x)}, ${symbol} = ${formatNumber((item.raw as XY).y)}`,
    },
  };
  return { datasets, options, key };
}
