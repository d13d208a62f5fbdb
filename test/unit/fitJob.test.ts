/** The extension's fit job: what the panel draws and the hover reads, from the bundled examples. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { runFitJob } from '../../src/core/fitJob';
import { readTextFile } from '../../src/node/files';

const examples = path.join(__dirname, '..', '..', 'examples');

test('OpenCLIP: law per group, a prediction for every fitted row, compute-optimal rows for the budgets', () => {
  const file = path.join(examples, 'openclip', 'zeroshot_results.csv');
  const outcome = runFitJob(file, { law: 'power', frontier: 'default', bootstrap: true, budgets: [1e12, 1e13] }, readTextFile);
  assert.deepEqual(outcome.model.formulas.map((f) => f.group), ['LAION', 'CLIP-WIT']);
  assert.equal(outcome.rowPredictions.length, 32, 'one prediction per imagenet1k run');
  for (const row of outcome.rowPredictions) {
    assert.ok(row.low !== null && row.high !== null && row.low <= row.predicted && row.predicted <= row.high, `interval around the prediction on line ${row.line}`);
  }
  const laionOptimal = outcome.model.optimal.filter((o) => o.group === 'LAION');
  assert.equal(laionOptimal.length, 2);
  assert.ok(laionOptimal[1].params > laionOptimal[0].params && laionOptimal[1].samples > laionOptimal[0].samples, 'a bigger budget buys both more parameters and more samples');
  assert.ok(laionOptimal.every((o) => o.nearest && o.nearest.arch.startsWith('ViT')));
  const extrapolation = outcome.model.series.find((s) => s.kind === 'extrapolation' && s.group === 'LAION')!;
  assert.ok(Math.max(...extrapolation.points.map((p) => p.x)) >= 1e13 * 0.999, 'the dashed law reaches the largest budget');
  for (const series of outcome.model.series) assert.ok(series.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && p.y > 0), `finite points in ${series.label}`);
  assert.equal(outcome.model.groups.find((g) => g.group === 'LAION')!.holdout!.fraction, 0.2);
});

test('clip-shapes training curves: learning curves per run, compute joined from runs.csv', () => {
  const file = path.join(examples, 'clip-shapes', 'curves.jsonl');
  const outcome = runFitJob(file, { law: 'power', frontier: 'default', bootstrap: false, budgets: [] }, readTextFile);
  const finished = new Set(readTextFile(path.join(examples, 'clip-shapes', 'runs.csv'))!.trim().split('\n').slice(1).map((l) => l.split(',')[0]));
  const logged = new Set(readTextFile(file)!.trim().split('\n').map((l) => JSON.parse(l).run_id as string));
  const both = [...logged].filter((r) => finished.has(r));
  assert.equal(outcome.model.curves.length, both.length, 'one curve per logged run that finished');
  assert.ok(outcome.model.notes.some((n) => /not in .*runs\.csv/.test(n)), 'says which rows were left out');
  for (const curve of outcome.model.curves) {
    const xs = curve.points.map((p) => p.x);
    assert.deepEqual(xs, [...xs].sort((a, b) => a - b), 'samples seen increase along a curve');
  }
});
