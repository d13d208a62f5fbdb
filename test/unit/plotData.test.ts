/** The frontier plot's datasets and legend (webview/shared/plotData.ts, pure): every legend entry matches the marks it explains. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { runFitJob } from '../../src/worker/fitJob';
import { readTextFile } from '../../src/node/files';
import type { PlotModel } from '../../src/shared/protocol';
import { PALETTES } from '../../webview/shared/palette';
import { DARK_PLOT_COLORS } from './helpers/plotColors';
import { buildPlot, DOTS_BEYOND, RUN_SHAPES, type PlotDataset } from '../../webview/shared/plotData';

const examples = path.join(__dirname, '..', '..', 'examples');
const colors = DARK_PLOT_COLORS;
const openclip = (): PlotModel =>
  runFitJob(
    path.join(examples, 'openclip', 'zeroshot_results.csv'),
    { law: 'power', frontier: 'default', bootstrap: true, budgets: [] },
    readTextFile,
  ).model;
const style = (d: PlotDataset) => d.dataset as unknown as Record<string, unknown>;

test('OpenCLIP: one legend entry per group with its law, colour and counts; one key entry per architecture shape', () => {
  const model = openclip();
  const { datasets, legend } = buildPlot(model, colors, { hidden: new Set(), compact: false });
  const groups = legend.filter((e) => e.section === 'groups');
  assert.deepEqual(
    groups.map((e) => e.label),
    ['LAION: E = 5.86·C^−0.111', 'CLIP-WIT: E = 23.2·C^−0.164'],
  );
  assert.match(groups[0].detail, /^29 runs · binned:5 frontier, 5 points fitted/);
  for (const entry of groups) {
    const law = datasets.find((d) => d.keys.includes(entry.key) && d.keys.includes('line'))!;
    assert.equal(
      entry.swatch.kind === 'group' && entry.swatch.color,
      style(law).borderColor,
      `${entry.label}: swatch colour is its law's colour`,
    );
  }
  // The five architectures of the paper's runs, each drawn with the shape its key entry shows.
  const arch = legend.filter((e) => e.key.startsWith('arch:'));
  assert.deepEqual(arch.map((e) => e.label).sort(), ['ViT-B-16', 'ViT-B-32', 'ViT-H-14', 'ViT-L-14', 'ViT-g-14']);
  for (const entry of arch) {
    const marks = datasets.filter((d) => d.keys.includes(entry.key));
    assert.ok(marks.length > 0, `${entry.label} has runs`);
    for (const mark of marks)
      assert.equal(
        style(mark).pointStyle,
        entry.swatch.kind === 'marker' && entry.swatch.shape,
        `${entry.label} shape`,
      );
  }
  assert.equal(
    new Set(arch.map((e) => e.swatch.kind === 'marker' && e.swatch.shape)).size,
    arch.length,
    'a shape per architecture',
  );
});

test('every dataset is explained by a legend entry, and every entry stands for drawn marks of its style', () => {
  const model = openclip();
  const { datasets, legend } = buildPlot(model, colors, { hidden: new Set(), compact: false });
  const keys = new Set(legend.map((e) => e.key));
  for (const d of datasets)
    assert.ok(
      d.keys.some((k) => keys.has(k) && !k.startsWith('group:')),
      `${d.dataset.label}: explained by a key entry`,
    );
  for (const entry of legend)
    assert.ok(
      datasets.some((d) => d.keys.includes(entry.key)),
      `${entry.label}: has marks`,
    );
  const fitted = datasets.filter((d) => d.keys.includes('frontier'));
  assert.ok(
    fitted.every((d) => style(d).pointStyle === 'circle' && style(d).borderColor === colors.background),
    'fitted points: circles with a halo',
  );
  assert.deepEqual(
    fitted.map((d) => style(d).backgroundColor),
    PALETTES.dark.slice(0, 2),
    'filled in their group colour',
  );
  assert.deepEqual(legend.find((e) => e.key === 'frontier')!.swatch, {
    kind: 'marker',
    shape: 'circle',
    color: colors.foreground,
    filled: true,
    outline: colors.background,
  });
  const dashed = datasets.filter((d) => d.keys.includes('extrapolation'));
  assert.ok(
    dashed.length === 2 && dashed.every((d) => Array.isArray(style(d).borderDash)),
    'extrapolation drawn dashed',
  );
  assert.deepEqual(legend.find((e) => e.key === 'extrapolation')!.swatch, {
    kind: 'line',
    color: colors.foreground,
    dashed: true,
  });
  assert.ok(
    datasets.filter((d) => d.keys.includes('line')).every((d) => style(d).borderDash === undefined),
    'fitted law drawn solid',
  );
  const bands = datasets.filter((d) => d.keys.includes('band'));
  assert.equal(bands.length, 4, 'a lower and an upper edge per group');
  assert.ok(
    bands.some((d) => style(d).fill === '-1'),
    'the upper edge fills down to the lower one',
  );
});

test('clicking an entry hides exactly its marks: a group, an architecture, the band', () => {
  const model = openclip();
  const all = buildPlot(model, colors, { hidden: new Set(), compact: false });
  assert.ok(all.datasets.every((d) => !d.dataset.hidden));
  for (const key of ['group:LAION', 'arch:ViT-B-32', 'band']) {
    const { datasets, legend } = buildPlot(model, colors, { hidden: new Set([key]), compact: false });
    assert.equal(legend.find((e) => e.key === key)!.hidden, true);
    for (const d of datasets) assert.equal(!!d.dataset.hidden, d.keys.includes(key), `${key}: ${d.dataset.label}`);
  }
});

test('colours: groups take the palette of the theme kind, and the light theme has its own', () => {
  const model = openclip();
  const light = buildPlot(
    model,
    { ...colors, kind: 'light', background: '#ffffff' },
    { hidden: new Set(), compact: false },
  );
  const groups = light.legend
    .filter((e) => e.section === 'groups')
    .map((e) => (e.swatch.kind === 'group' ? e.swatch.color : ''));
  assert.deepEqual(groups, PALETTES.light.slice(0, 2));
});

test('many runs: plain dots and a single "run" key entry instead of architecture shapes; outliers get rings and an entry', () => {
  const model = openclip();
  const layer = model.runLayers[0];
  const n = DOTS_BEYOND + 1;
  const big: PlotModel = {
    ...model,
    runLayers: [
      {
        ...layer,
        compute: new Float64Array(n).fill(1e11),
        error: new Float64Array(n).fill(0.3),
        line: new Int32Array(n).fill(2),
        arch: new Int16Array(n).fill(0),
        names: { bytes: new Uint8Array(0), ends: new Uint32Array(0) } as never,
      },
    ],
    outliers: [{ group: 'LAION', line: 5, compute: 2e11, error: 0.5, z: 5.1, residualLog10: 0.2 }],
  };
  const { datasets, legend } = buildPlot(big, colors, { hidden: new Set(), compact: false });
  assert.ok(!legend.some((e) => e.key.startsWith('arch:')));
  assert.equal(legend.find((e) => e.key === 'runs')?.label, 'run');
  assert.ok(datasets.filter((d) => d.keys.includes('runs')).every((d) => style(d).pointStyle === 'circle'));
  const rings = datasets.find((d) => d.keys.includes('outliers'))!;
  assert.equal(style(rings).borderColor, colors.warning);
  assert.match(rings.info(0)!.label, /z = 5\.1/);
  assert.equal(legend.find((e) => e.key === 'outliers')?.swatch.kind, 'marker');
  assert.ok(RUN_SHAPES.length >= 5);
});

test('forecasts of running jobs: a hollow circle at each forecast on its interval bar, a key entry that hides them all', () => {
  const model = runFitJob(
    path.join(examples, 'clip-shapes', 'curves.jsonl'),
    { law: 'power', frontier: 'default', bootstrap: false, budgets: [] },
    readTextFile,
  ).model;
  const rows = model.decisions.forecasts!.rows;
  const { datasets, legend } = buildPlot(model, colors, { hidden: new Set(), compact: false });
  const marks = datasets.filter((d) => d.keys.includes('forecasts'));
  const bars = marks.filter((d) => d.dataset.type === 'line');
  const circles = marks.filter((d) => d.dataset.type === 'scatter');
  assert.equal(bars.length, rows.length, 'a bar per forecast');
  for (const row of rows) {
    const bar = bars.find((d) => d.dataset.label === `${row.run} forecast interval`)!;
    assert.deepEqual(bar.dataset.data, [
      { x: row.plot!.compute, y: row.plot!.low },
      { x: row.plot!.compute, y: row.plot!.high },
    ]);
    assert.equal(style(bar).pointStyle, 'line', 'caps at both ends');
  }
  // Runs not fitted yet (not in runs.csv): one set of circles in the foreground colour, filled with the background.
  assert.equal(circles.length, 1);
  assert.deepEqual(
    circles[0].dataset.data,
    rows.map((r) => ({ x: r.plot!.compute, y: r.plot!.error })),
  );
  assert.equal(style(circles[0]).borderColor, colors.foreground);
  assert.equal(style(circles[0]).backgroundColor, colors.background);
  assert.match(circles[0].info(0)!.label, /forecast at its planned length, does not reach the frontier/);
  // Drawn last: on top of runs, laws and bands.
  assert.deepEqual(datasets.slice(-marks.length), marks);
  const entry = legend.find((e) => e.key === 'forecasts')!;
  assert.deepEqual(entry.swatch, { kind: 'forecast', color: colors.foreground, fill: colors.background });
  const hidden = buildPlot(model, colors, { hidden: new Set(['forecasts']), compact: false });
  assert.ok(hidden.datasets.filter((d) => d.keys.includes('forecasts')).every((d) => d.dataset.hidden));
  assert.ok(hidden.datasets.filter((d) => !d.keys.includes('forecasts')).every((d) => !d.dataset.hidden));
  // A file with no running job has no forecast marks and no key entry.
  assert.ok(
    !buildPlot(openclip(), colors, { hidden: new Set(), compact: false }).legend.some((e) => e.key === 'forecasts'),
  );
});

test('a forecast of a fitted group takes its colour and hides with its group', () => {
  const model = openclip();
  const row = {
    run: 'ViT-H-14 running',
    group: 'CLIP-WIT',
    colorIndex: 1,
    samplesSeen: 1e9,
    plannedSamples: 1.28e10,
    measuredLast: 0.6,
    predicted: 0.75,
    low: 0.72,
    high: 0.78,
    plot: { compute: 3e12, error: 0.25, low: 0.22, high: 0.28 },
    reachesFrontier: true,
    method: 'family-shape',
    calibrated: true,
    calibrationRuns: 5,
  };
  const withForecast: PlotModel = {
    ...model,
    decisions: { ...model.decisions, forecasts: { unit: 'samples seen', rows: [row], notes: [] } },
  };
  const { datasets } = buildPlot(withForecast, colors, { hidden: new Set(['group:CLIP-WIT']), compact: false });
  const marks = datasets.filter((d) => d.keys.includes('forecasts'));
  assert.equal(marks.length, 2);
  assert.ok(marks.every((d) => style(d).borderColor === PALETTES.dark[1] && d.dataset.hidden));
  assert.match(marks[1].info(0)!.label, /reaches the frontier/);
});
