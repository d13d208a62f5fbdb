/**
 * The panel's small charts as data (webview/shared/lineCharts.ts, webview/panel/decisionCharts.ts; pure):
 * each draws the numbers of the analysis it shows, and every key entry looks like the marks it explains.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { runDecision } from '../../src/worker/decisionJob';
import { runFitJob } from '../../src/worker/fitJob';
import { readTextFile } from '../../src/node/files';
import type { ApproachesView, DecisionAnswer, FitSettings } from '../../src/shared/protocol';
import { approachesChart, isoflopChart } from '../../webview/panel/decisionCharts';
import {
  allocationChart,
  oneTwoFiveLabel,
  powerOfTenLabel,
  type LineChartContent,
} from '../../webview/shared/lineCharts';
import { PALETTES } from '../../webview/shared/palette';
import { DARK_PLOT_COLORS } from './helpers/plotColors';
import { buildPlot } from '../../webview/shared/plotData';

const examples = path.join(__dirname, '..', '..', 'examples');
const colors = DARK_PLOT_COLORS;
const languageModel = path.join(examples, 'language-model', 'runs.csv');
const budgets = [1e22, 5.76e23];
const settings: FitSettings = { law: 'power', frontier: 'default', bootstrap: false, budgets };
const style = (dataset: LineChartContent['datasets'][number]) =>
  dataset as unknown as { borderColor: string; borderDash?: number[] };
const dashed = (dataset: LineChartContent['datasets'][number]) => (style(dataset).borderDash ?? []).length > 0;

function approaches(): ApproachesView {
  const answer = runDecision(languageModel, settings, { id: 1, kind: 'approaches' }, readTextFile, {});
  assert.notEqual(answer.kind, 'failed', JSON.stringify(answer));
  return (answer as Extract<DecisionAnswer, { view: unknown }>).view as ApproachesView;
}

test('allocation: N_opt and D_opt of every optimal row at its budget, in its group’s colour on the frontier plot, D_opt dashed', () => {
  const model = runFitJob(languageModel, settings, readTextFile).model;
  assert.ok(model.optimal.length > 0, 'budgets give optimal rows');
  const chart = allocationChart(model, colors)!;
  const legend = buildPlot(model, colors, { hidden: new Set(), compact: false }).legend.filter(
    (e) => e.section === 'groups',
  );
  const groups = [...new Set(model.optimal.map((o) => o.group))];
  assert.equal(chart.datasets.length, 2 * groups.length);
  for (const group of groups) {
    const rows = model.optimal.filter((o) => o.group === group);
    const [nOpt, dOpt] = chart.datasets.filter((d) => d.label?.startsWith(`${group}: `));
    assert.deepEqual(
      nOpt.data.map((p) => p.x).sort((a, b) => a - b),
      budgets,
    );
    for (const row of rows) {
      assert.equal(nOpt.data.find((p) => p.x === row.compute)?.y, row.params);
      assert.equal(dOpt.data.find((p) => p.x === row.compute)?.y, row.samples);
    }
    assert.deepEqual([dashed(nOpt), dashed(dOpt)], [false, true]);
    const entry = legend.find((e) => e.label.startsWith(group)) ?? legend[0];
    assert.equal(
      entry.swatch.kind === 'group' && entry.swatch.color,
      style(nOpt).borderColor,
      `${group}: the frontier plot's colour`,
    );
  }
  assert.equal(allocationChart({ ...model, optimal: [] }, colors), undefined, 'no budgets, no chart');
});

test('approaches: each line N_opt = k·C^a passes through its approach’s N_opt at the budget; Approach 3 dashed; one key entry per approach in its colour', () => {
  const view = approaches();
  const chart = approachesChart(view, budgets, colors)!;
  const lines = chart.datasets.filter((d) => d.label?.includes('N_opt ∝'));
  assert.equal(lines.length, view.approaches.filter((a) => a.a !== null).length);
  for (const a of view.approaches.filter((a) => a.a !== null)) {
    const line = lines.find((d) => d.label!.startsWith(`${a.name}:`))!;
    // Straight in log-log: interpolate its two ends at the budget.
    const [p, q] = line.data;
    const at = (c: number) =>
      Math.exp(
        Math.log(p.y) +
          ((Math.log(c) - Math.log(p.x)) * (Math.log(q.y) - Math.log(p.y))) / (Math.log(q.x) - Math.log(p.x)),
      );
    for (const o of a.optimal) assert.ok(Math.abs(at(o.compute) / o.nOpt - 1) < 1e-9, `${a.name} at ${o.compute}`);
    assert.equal(dashed(line), a.name === 'Approach 3', `${a.name} dash`);
    const key = chart.key!.find((k) => k.label.startsWith(a.name))!;
    assert.deepEqual(key.swatch, { kind: 'line', color: style(line).borderColor, dashed: dashed(line) });
  }
});

test('isoFLOP: a parabola per budget, its minimum marked; budgets beyond the palette dashed, each key entry like its curve', () => {
  const view = approaches();
  const chart = isoflopChart(view, 'L', colors)!;
  assert.ok(view.isoflop.length > PALETTES.dark.length, 'more budgets than colours (the case the dashes are for)');
  const curves = chart.datasets.filter((d) => d.label && !d.label.endsWith(': minimum'));
  assert.equal(curves.length, view.isoflop.length);
  view.isoflop.forEach((budget, index) => {
    const curve = curves[index];
    assert.deepEqual(
      curve.data.map((p) => p.x),
      budget.curve.filter((c) => c.error > 0).map((c) => c.params),
    );
    const key = chart.key![index];
    assert.deepEqual(key.swatch, { kind: 'line', color: style(curve).borderColor, dashed: dashed(curve) });
    assert.equal(dashed(curve), index >= PALETTES.dark.length);
    const minimum = chart.datasets.find((d) => d.label === `${curve.label}: minimum`)!;
    assert.deepEqual(minimum.data, [{ x: budget.nOpt, y: budget.errorAtMinimum }]);
  });
  assert.equal(isoflopChart({ ...view, isoflop: [] }, 'L', colors), undefined);
});

test('axis labels: powers of ten only; 1, 2, 3, 5 × 10^k when two of them show, else every tick', () => {
  assert.notEqual(powerOfTenLabel(1e11), '');
  assert.equal(powerOfTenLabel(2e11), '');
  const wide = [0.1, 0.2, 0.3, 0.4, 0.5].map((value) => ({ value }));
  assert.deepEqual(
    wide.map((t, i) => oneTwoFiveLabel(t.value, i, wide) !== ''),
    [true, true, true, false, true],
  );
  const narrow = [0.85, 0.9, 0.95].map((value) => ({ value }));
  assert.ok(narrow.every((t, i) => oneTwoFiveLabel(t.value, i, narrow) !== ''));
});
