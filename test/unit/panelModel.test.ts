/**
 * What the panel shows, from the core (issue #12 items 4, 5, 8): the joint law drawn as its compute-optimal envelope,
 * compute-optimal rows with intervals and the law that produced them named, hover laws for rows of other tasks,
 * training logs counted as runs and checkpoints.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { analyze, resolveSpec } from '../../src/core/analysis';
import { runFitJob } from '../../src/worker/fitJob';
import { predictAtLine } from '../../src/core/hoverPrediction';
import { loadDataset } from '../../src/core/ingest/load';
import { optimalLoss } from '../../src/core/jointEnvelope';
import { lawByName } from '../../src/core/laws/index';
import { optimalAllocation } from '../../src/core/optimal';
import { runRowFitJob } from '../../src/worker/rowFitJob';
import { readTextFile } from '../../src/node/files';
import { withTempDir } from './helpers/tempDir';

const examples = path.join(__dirname, '..', '..', 'examples');
const openclip = path.join(examples, 'openclip', 'zeroshot_results.csv');
const lines = () => readTextFile(openclip)!.split('\n');

test("joint law envelope: the closed-form optimum agrees with optimal.ts's grid + golden-section search", () => {
  const joint = lawByName('joint');
  // Chinchilla-like parameters (Hoffmann et al. 2022, approach 3) with C = 6·N·D.
  const params = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
  const k = { coefficient: 6, exponent: 1, source: '6·N' };
  for (const compute of [1e18, 1e21, 1e24]) {
    const searched = optimalAllocation(joint, params, compute, k, [], [1e7, 1e11]).error;
    const closed = optimalLoss(joint, params, compute, k, [1e7, 1e11]);
    assert.ok(Math.abs(closed / searched - 1) < 1e-9, `C = ${compute}: ${closed} vs ${searched}`);
  }
});

test('choosing the joint law on the OpenCLIP file draws a fit (with band) and says which group could not be fitted', () => {
  const { model } = runFitJob(
    openclip,
    { law: 'joint', frontier: 'default', bootstrap: true, budgets: [] },
    readTextFile,
  );
  const law = model.series.find((s) => s.kind === 'law' && s.group === 'LAION')!;
  assert.ok(law && law.points.length > 10, 'the LAION joint law is drawn');
  const low = model.series.find((s) => s.kind === 'band-low' && s.group === 'LAION')!;
  const high = model.series.find((s) => s.kind === 'band-high' && s.group === 'LAION')!;
  for (const p of law.points) {
    const i = low.points.findIndex((q) => q.x === p.x);
    assert.ok(low.points[i].y <= p.y * 1.0001 && p.y <= high.points[i].y * 1.0001, `band around the law at C = ${p.x}`);
  }
  // The drawn curve falls with compute, as a law fitted to falling errors must.
  assert.ok(law.points.at(-1)!.y < law.points[0].y);
  assert.ok(
    model.notes.some((n) => /not fitted.*CLIP-WIT/.test(n)),
    model.notes.join('\n'),
  );
  assert.match(model.formulas[0].drawn!, /compute-optimal/);
});

test('compute-optimal rows under the power law: the joint law that gives them is named, and every row has intervals', () => {
  const { model } = runFitJob(
    openclip,
    { law: 'power', frontier: 'default', bootstrap: true, budgets: [1e12, 1e14] },
    readTextFile,
  );
  const allocation = model.allocations.find((a) => a.group === 'LAION')!;
  assert.equal(allocation.own, false);
  assert.match(allocation.formula, /^E = .*\/N\^.*\/D\^/, 'in the symbol of the fitted error (an accuracy file)');
  assert.equal(allocation.plottedFormula, 'E = 5.86·C^−0.111');
  const rows = model.optimal.filter((o) => o.group === 'LAION');
  assert.equal(rows.length, 2);
  for (const row of rows) {
    assert.ok(
      row.errorLow !== null && row.errorHigh !== null && row.errorLow <= row.error && row.error <= row.errorHigh,
      `joint interval at ${row.compute}`,
    );
    // The plotted law's own prediction: the paper's LAION law at C (PROVENANCE.md: 5.858059·C^−0.111388), to 0.1 %.
    assert.ok(Math.abs(row.plotted!.error / (5.858059 * row.compute ** -0.111388) - 1) < 1e-3);
    assert.ok(row.plotted!.low! <= row.plotted!.error && row.plotted!.error <= row.plotted!.high!);
  }
});

test('hover on a row of another task: the law of that task, fitted on demand, predicts it as the task fitted directly does', () => {
  const all = lines();
  const line = all.findIndex((l) => l.startsWith('ViT-H-14,') && l.includes(',LAION-2B,imagenet_robustness,')) + 1;
  assert.ok(line > 1);
  const settings = { law: 'power' as const, frontier: 'default', bootstrap: true, budgets: [] };
  const answer = runRowFitJob(openclip, settings, line, readTextFile);
  assert.ok(answer.ok, answer.ok ? '' : answer.reason);
  if (!answer.ok) return;
  assert.equal(answer.task, 'imagenet_robustness');
  const row = predictAtLine(answer.hover, line)!;
  assert.equal(row.group, 'LAION');
  // Independently: the same task fitted through analyze with the prediction asked at this row's compute.
  const { table, spec } = loadDataset(openclip, readTextFile, {});
  const resolved = resolveSpec(table, spec, { task: 'imagenet_robustness' });
  const direct = analyze(table, resolved, {
    task: 'imagenet_robustness',
    bootstrap: 200,
    seed: 0,
    predict: [{ compute: Number(all[line - 1].split(',')[2]) }],
  }).fits.find((f) => f.group === 'LAION')!;
  assert.ok(Math.abs(direct.predictions[0].error / row.predicted - 1) < 1e-9);
  assert.deepEqual([row.low, row.high], direct.predictions[0].ci95);
  assert.equal(row.task, 'imagenet_robustness');
});

test('a row no law can cover says why in one line', () => {
  const settings = { law: 'power' as const, frontier: 'default', bootstrap: false, budgets: [] };
  const header = runRowFitJob(openclip, settings, 1, readTextFile);
  assert.deepEqual(header.ok, false);
  // A retrieval task row has no acc1: its own task's metric (image retrieval recall) is fitted instead, so it is covered.
  const all = lines();
  const retrieval = all.findIndex((l) => l.includes(',mscoco_captions,')) + 1;
  const answer = runRowFitJob(openclip, settings, retrieval, readTextFile);
  assert.ok(answer.ok && predictAtLine(answer.hover, retrieval), 'the retrieval row is predicted by the retrieval law');
});

test('a training log counts its runs and its checkpoints apart', () => {
  const { model, statusText } = runFitJob(
    path.join(examples, 'clip-shapes', 'curves.jsonl'),
    { law: 'power', frontier: 'default', bootstrap: false, budgets: [] },
    readTextFile,
  );
  const logged = new Set(model.curves.map((c) => c.label));
  assert.equal(model.trainingRuns, logged.size);
  assert.equal(
    model.runs,
    model.curves.reduce((n, c) => n + c.points.length, 0),
    'every checkpoint is a fitted row',
  );
  assert.ok(model.runs > model.trainingRuns!);
  assert.match(statusText, /runs$/);
});

test('the metric kind words the axis: an accuracy file plots its error, with the column named', () => {
  const { model } = runFitJob(
    openclip,
    { law: 'power', frontier: 'default', bootstrap: false, budgets: [] },
    readTextFile,
  );
  assert.equal(model.metricKind, 'accuracy');
  assert.equal(model.yLabel, 'error E = 1 − acc1');
  assert.equal(model.title, 'E = 1 − acc1 · imagenet1k');
  assert.ok(
    !model.notes.some((n) => /read as a fraction/.test(n)),
    'how the metric is read is in the title, not a note',
  );
});

test('a loss file is worded as a loss: L on the axis and in the title, the held-out MAE in loss units (never "read as a fraction", never pp)', () => {
  const file = path.join(__dirname, '..', 'fixtures', 'workspace', 'configured', 'train_log.csv');
  const { model } = runFitJob(file, { law: 'power', frontier: 'default', bootstrap: false, budgets: [] }, readTextFile);
  assert.equal(model.metricKind, 'loss');
  assert.equal(model.yLabel, 'loss L = eval_loss (as given)');
  assert.equal(model.title, 'L = eval_loss');
  assert.match(model.formulas[0].text, /^L = /, 'the law in the loss symbol too');
  assert.ok(!model.notes.some((n) => /fraction|percent/.test(n)), model.notes.join('\n'));
});

test("a row of the panel's own task that its fit left out is explained without fitting again", () => {
  const file = path.join(__dirname, '..', 'fixtures', 'workspace', 'configured', 'train_log.csv');
  const text = readTextFile(file)!;
  // A copy with one row whose loss is empty: not a run of the fit.
  withTempDir('scaling-lens-row', (dir) => {
    const copy = path.join(dir, 'train_log.csv');
    fs.writeFileSync(copy, text.replace(/^(1000,3\.0000e\+17,)8\.7463,/m, '$1,'));
    fs.copyFileSync(path.join(path.dirname(file), 'scaling-lens.json'), path.join(dir, 'scaling-lens.json'));
    let polls = 0;
    const answer = runRowFitJob(
      copy,
      { law: 'power', frontier: 'default', bootstrap: true, budgets: [] },
      2,
      readTextFile,
      { shouldStop: () => (polls++, false) },
    );
    assert.deepEqual(answer, { ok: false, reason: 'this row has no value in eval_loss, which this fit is fitted to' });
    assert.equal(polls, 0, 'no fit ran');
  });
});
