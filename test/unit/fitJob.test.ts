/** The extension's fit job: what the panel draws and the hover reads, from the bundled examples. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { analyze, resolveSpec } from '../../src/core/analysis';
import { Cancelled } from '../../src/core/errors';
import { runFitJob } from '../../src/worker/fitJob';
import { predictAtLine } from '../../src/core/hoverPrediction';
import { loadDataset } from '../../src/core/ingest/load';
import { readTextFile } from '../../src/node/files';

const examples = path.join(__dirname, '..', '..', 'examples');

const openclipFile = path.join(examples, 'openclip', 'zeroshot_results.csv');
let openclipOutcome: ReturnType<typeof runFitJob> | undefined;
/** The OpenCLIP example's fit job (power law, default frontier, bootstrap, budgets 1e12 and 1e13), run once for the tests below. */
function openclip(): ReturnType<typeof runFitJob> {
  openclipOutcome ??= runFitJob(
    openclipFile,
    { law: 'power', frontier: 'default', bootstrap: true, budgets: [1e12, 1e13] },
    readTextFile,
  );
  return openclipOutcome;
}
const laionLayer = () => openclip().model.runLayers.find((l) => l.group === 'LAION')!;
const laionOptimal = () => openclip().model.optimal.filter((o) => o.group === 'LAION');

test('OpenCLIP: a law per group, LAION then CLIP-WIT', () => {
  assert.deepEqual(
    openclip().model.formulas.map((f) => f.group),
    ['LAION', 'CLIP-WIT'],
  );
});

test('OpenCLIP: one run per imagenet1k row, each with a hover prediction inside its interval', () => {
  const outcome = openclip();
  const rows = [...outcome.model.runLayers.flatMap((layer) => [...layer.line])].map((line) =>
    predictAtLine(outcome.hover, line),
  );
  assert.equal(rows.length, 32, 'one run per imagenet1k row');
  for (const row of rows) {
    assert.ok(
      row && row.low !== null && row.high !== null && row.low <= row.predicted && row.predicted <= row.high,
      `interval around the prediction on line ${row?.line}`,
    );
  }
});

test("OpenCLIP: the hover at a LAION row is the paper's LAION law, to 0.1 %", () => {
  // PROVENANCE.md: 5.858059·C^−0.111388.
  const laion = laionLayer();
  const row = predictAtLine(openclip().hover, laion.line[0])!;
  const paper = 5.858059 * laion.compute[0] ** -0.111388;
  assert.ok(Math.abs(row.predicted / paper - 1) < 0.001, `hover ${row.predicted} vs the paper's law ${paper}`);
});

test('OpenCLIP: the hover shows the measured value as the row writes it', () => {
  const laion = laionLayer();
  const row = predictAtLine(openclip().hover, laion.line[0])!;
  assert.equal(
    row.measuredMetric,
    Number(readTextFile(openclipFile)!.split('\n')[laion.line[0] - 1].split(',')[header(openclipFile).indexOf('acc1')]),
    'the measured value is the row as written',
  );
});

test('OpenCLIP: the header line is not a run', () => {
  assert.equal(predictAtLine(openclip().hover, 1), undefined);
});

test('OpenCLIP: one compute-optimal row per budget; a bigger budget buys both more parameters and more samples', () => {
  const optimal = laionOptimal();
  assert.equal(optimal.length, 2);
  assert.ok(
    optimal[1].params > optimal[0].params && optimal[1].samples > optimal[0].samples,
    'a bigger budget buys both more parameters and more samples',
  );
});

test('OpenCLIP: each compute-optimal row names the nearest real ViT configuration', () => {
  assert.ok(laionOptimal().every((o) => o.nearest && o.nearest.arch.startsWith('ViT')));
});

test('OpenCLIP: the dashed extrapolation of the law reaches the largest budget', () => {
  const extrapolation = openclip().model.series.find((s) => s.kind === 'extrapolation' && s.group === 'LAION')!;
  assert.ok(
    Math.max(...extrapolation.points.map((p) => p.x)) >= 1e13 * 0.999,
    'the dashed law reaches the largest budget',
  );
});

test('OpenCLIP: every plotted series has finite points above zero', () => {
  for (const series of openclip().model.series)
    assert.ok(
      series.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && p.y > 0),
      `finite points in ${series.label}`,
    );
});

test("OpenCLIP: the layout's held-out check holds out 20 % of LAION's runs", () => {
  assert.equal(openclip().model.groups.find((g) => g.group === 'LAION')!.holdout!.fraction, 0.2);
});

test('hover interval: the bootstrap refits shipped with the fit give the interval analyze computes for that compute', () => {
  const file = path.join(examples, 'openclip', 'zeroshot_results.csv');
  const outcome = runFitJob(file, { law: 'power', frontier: 'default', bootstrap: true, budgets: [] }, readTextFile);
  const laion = outcome.model.runLayers.find((l) => l.group === 'LAION')!;
  const row = predictAtLine(outcome.hover, laion.line[5])!;
  const { table, spec } = loadDataset(file, readTextFile, { ignorePartialLastLine: true });
  const resolved = resolveSpec(table, spec, {});
  const direct = analyze(table, resolved, {
    bootstrap: 200,
    seed: 0,
    predict: [{ compute: laion.compute[5] }],
  }).fits.find((f) => f.group === 'LAION')!;
  assert.ok(Math.abs(direct.predictions[0].error - row.predicted) < 1e-12);
  assert.deepEqual([row.low, row.high], direct.predictions[0].ci95);
});

test('clip-shapes training curves: learning curves per run, compute joined from runs.csv', () => {
  const file = path.join(examples, 'clip-shapes', 'curves.jsonl');
  const outcome = runFitJob(file, { law: 'power', frontier: 'default', bootstrap: false, budgets: [] }, readTextFile);
  const finished = new Set(
    readTextFile(path.join(examples, 'clip-shapes', 'runs.csv'))!
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]),
  );
  const logged = new Set(
    readTextFile(file)!
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).run_id as string),
  );
  const both = [...logged].filter((r) => finished.has(r));
  assert.equal(outcome.model.curves.length, both.length, 'one curve per logged run that finished');
  assert.ok(
    outcome.model.notes.some((n) => /not in .*runs\.csv/.test(n)),
    'says which rows were left out',
  );
  for (const curve of outcome.model.curves) {
    const xs = curve.points.map((p) => p.x);
    assert.deepEqual(
      xs,
      [...xs].sort((a, b) => a - b),
      'samples seen increase along a curve',
    );
  }
});

function header(file: string): string[] {
  return readTextFile(file)!.split('\n')[0].split(',');
}

test('a superseded fit stops at its next loop: Cancelled is thrown as soon as shouldStop answers true', () => {
  const file = path.join(examples, 'openclip', 'zeroshot_results.csv');
  let polls = 0;
  assert.throws(
    () =>
      runFitJob(file, { law: 'saturating', frontier: 'default', bootstrap: true, budgets: [] }, readTextFile, {
        shouldStop: () => ++polls > 20,
      }),
    (error: Error) => error instanceof Cancelled,
  );
  assert.equal(polls, 21, 'no work after the first true answer');
  const untouched = runFitJob(
    file,
    { law: 'saturating', frontier: 'default', bootstrap: true, budgets: [] },
    readTextFile,
    { shouldStop: () => false },
  );
  const plain = runFitJob(file, { law: 'saturating', frontier: 'default', bootstrap: true, budgets: [] }, readTextFile);
  assert.deepEqual(untouched.model.params, plain.model.params, 'polling does not change the fit');
});
