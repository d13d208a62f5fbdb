/**
 * The decision sections' data as the panel gets it (src/worker/decisionViews.ts, src/worker/decisionJob.ts): the
 * comparison and forecasts computed with each fit, the approaches, next runs and task overview on request. Known
 * answers: generating laws of synthetic data, the language-model example's generating law (a = 0.513), the paper's
 * ImageNet exponent, runs.csv's FLOPs per sample, and the fit's own parameters as the panel shows them.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../src/core/analysis';
import { decisionSteps, runDecision } from '../../src/worker/decisionJob';
import { compareGroups } from '../../src/core/decisions/compare';
import { comparisonView, SUGGESTIONS_SHOWN } from '../../src/worker/decisionViews';
import { Cancelled } from '../../src/core/errors';
import { runFitJob } from '../../src/worker/fitJob';
import { Random } from '../../src/core/random';
import { readTextFile } from '../../src/node/files';
import {
  parseHostToPanel as parseHostMessage,
  parseWorkerMessage,
  type ApproachesView,
  type DecisionAnswer,
  type FitSettings,
  type SuggestionsView,
  type TasksView,
} from '../../src/shared/protocol';
import { logSweep, specOf, tableOf } from './decisionsHelpers';

const examples = path.join(__dirname, '..', '..', 'examples');
const defaults: FitSettings = { law: 'power', frontier: 'default', bootstrap: true, budgets: [] };

/** Two groups of 20 runs on E = 8·C^α with 2 % log-normal noise. */
function twoGroups(seed: number, alphaA: number, alphaB: number) {
  const random = new Random(seed);
  const rows: Record<string, number | string>[] = [];
  for (const [group, alpha] of [
    ['A', alphaA],
    ['B', alphaB],
  ] as const) {
    for (const c of logSweep(20, 9, 13))
      rows.push({ compute: c, loss: 8 * c ** alpha * Math.exp(0.02 * random.normal()), group });
  }
  return analyze(tableOf(rows), specOf({ group: { column: 'group' } }), { bootstrap: 300, seed });
}

test('compare groups: exponents −0.10 vs −0.20 read as different, the lower one named; equal exponents read as not shown', () => {
  const different = twoGroups(1, -0.1, -0.2);
  const view = comparisonView(compareGroups(different), different.fits);
  const pair = view.pairs[0];
  assert.deepEqual([pair.first, pair.second], ['A', 'B']);
  const alpha = pair.differences.find((d) => d.param === 'alpha')!;
  assert.ok(Math.abs(alpha.difference - 0.1) < 0.02, `difference ${alpha.difference} (truth 0.1)`);
  assert.ok(alpha.low! < alpha.difference && alpha.difference < alpha.high!);
  assert.ok(alpha.pValue! < 0.05);
  assert.match(
    pair.reading,
    /^the data show different exponents \(p [<=] [\d.]+\): alpha is lower for B: −0\.1\d* for A, −0\.[12]\d* for B$/,
  );
  // The crossing of β_a·C^α_a and β_b·C^α_b: ln C = ln(β_b/β_a) / (α_a − α_b), when it falls in the range.
  const [a, b] = different.fits;
  const expected = Math.exp(Math.log(b.params.beta / a.params.beta) / (a.params.alpha - b.params.alpha));
  if (pair.crossing) assert.ok(Math.abs(pair.crossing.compute / expected - 1) < 1e-9);
  else
    assert.ok(
      expected < pair.rangeLow || expected > pair.rangeHigh,
      `no crossing reported where ${expected} is in [${pair.rangeLow}, ${pair.rangeHigh}]`,
    );

  const same = twoGroups(2, -0.15, -0.15);
  const sameView = comparisonView(compareGroups(same), same.fits);
  const p = sameView.pairs[0].differences.find((d) => d.param === 'alpha')!.pValue!;
  assert.ok(p >= 0.05, `p = ${p} on equal exponents (seed 2)`);
  assert.match(sameView.pairs[0].reading, /^the data do not show different exponents \(p = [\d.]+\)$/);
});

test("the panel's fit of OpenCLIP carries the group comparison: the difference of the parameters it shows, intervals only with the bootstrap", () => {
  const file = path.join(examples, 'openclip', 'zeroshot_results.csv');
  const final = runFitJob(file, defaults, readTextFile).model;
  const param = (group: string, name: string) => final.params.find((p) => p.group === group && p.name === name)!.value;
  const pair = final.decisions.comparison!.pairs[0];
  const alpha = pair.differences.find((d) => d.param === 'alpha')!;
  assert.equal(alpha.difference, param('LAION', 'alpha') - param('CLIP-WIT', 'alpha'));
  assert.ok(
    alpha.low! < alpha.difference && alpha.difference < alpha.high! && alpha.pValue! > 0.05,
    JSON.stringify(alpha),
  );
  // The paper's exponents (−0.111, −0.164) cross where 5.86·C^−0.111 = 23.2·C^−0.164: ln C = ln(23.2/5.86)/0.0524 ≈ 26.3.
  assert.ok(
    Math.abs(
      Math.log(pair.crossing!.compute) -
        Math.log(param('CLIP-WIT', 'beta') / param('LAION', 'beta')) /
          (param('LAION', 'alpha') - param('CLIP-WIT', 'alpha')),
    ) < 1e-6,
  );
  assert.match(pair.reading, /^the data do not show different exponents \(p = 0\.\d+\)$/);
  const quick = runFitJob(file, { ...defaults, bootstrap: false }, readTextFile).model.decisions.comparison!.pairs[0];
  assert.equal(quick.differences.find((d) => d.param === 'alpha')!.difference, alpha.difference);
  assert.ok(
    quick.differences.every((d) => d.low === null && d.pValue === null) &&
      quick.crossing!.interval === null &&
      quick.resamples === 0,
  );
  assert.match(quick.reading, /no interval or p-value without bootstrap/);
  // One group: nothing to compare, no section.
  assert.equal(
    runFitJob(file, { ...defaults, bootstrap: false, group: null }, readTextFile).model.decisions.comparison,
    null,
  );
});

test('forecasts of the clip-shapes curves: each running job placed at its planned compute (runs.csv FLOPs per sample × 4e6), in error units', () => {
  const model = runFitJob(
    path.join(examples, 'clip-shapes', 'curves.jsonl'),
    { ...defaults, bootstrap: false },
    readTextFile,
  ).model;
  const view = model.decisions.forecasts!;
  assert.equal(view.unit, 'samples seen');
  assert.deepEqual(view.rows.map((r) => r.run).sort(), [
    'shapes-noisy_XL_u256000_s4000000',
    'shapes_XL_u32000_s4000000',
    'shapes_XL_u4000_s4000000',
  ]);
  // XL's gflops_per_sample in runs.csv, read here on its own.
  const runs = fs
    .readFileSync(path.join(examples, 'clip-shapes', 'runs.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const xl = Number(runs.find((r) => r[2] === 'XL')![runs[0].indexOf('gflops_per_sample')]);
  for (const row of view.rows) {
    assert.equal(row.plannedSamples, 4e6);
    assert.ok(Math.abs(row.plot!.compute - 4e6 * xl) < 1e-6, `${row.plot!.compute} vs ${4e6 * xl}`);
    // zs_top1 is an accuracy: the plot's error is 1 − the forecast, its interval the complements, in order.
    assert.ok(Math.abs(row.plot!.error - (1 - row.predicted)) < 1e-12);
    assert.ok(Math.abs(row.plot!.low! - (1 - row.high!)) < 1e-12 && Math.abs(row.plot!.high! - (1 - row.low!)) < 1e-12);
    assert.ok(row.plot!.low! < row.plot!.error && row.plot!.error < row.plot!.high!);
    // Not in runs.csv yet, so in no fitted group: drawn in the foreground colour.
    assert.equal(row.group, null);
    assert.equal(row.colorIndex, null);
    assert.ok(row.calibrated && row.calibrationRuns > 3);
  }
  // A results table is no training log: no forecast section.
  assert.equal(
    runFitJob(path.join(examples, 'clip-shapes', 'runs.csv'), { ...defaults, bootstrap: false }, readTextFile).model
      .decisions.forecasts,
    null,
  );
});

test('forecast of an OpenCLIP results.jsonl + params.txt: at epochs × train_num_samples, compute = GMACs of the model × samples', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'panel-forecast-'));
  // Top-1 on a saturating power law in epochs: error 0.2 + 0.7·epoch^−0.5.
  const acc = (epoch: number) => 1 - (0.2 + 0.7 * epoch ** -0.5);
  fs.writeFileSync(
    path.join(dir, 'results.jsonl'),
    [1, 2, 3, 4, 5, 6].map((epoch) => JSON.stringify({ 'imagenet-zeroshot-val-top1': acc(epoch), epoch })).join('\n') +
      '\n',
  );
  fs.writeFileSync(path.join(dir, 'params.txt'), 'model: ViT-B-32\ntrain_num_samples: 1000000\nepochs: 20\n');
  const model = runFitJob(path.join(dir, 'results.jsonl'), { ...defaults, bootstrap: false }, readTextFile).model;
  const [row] = model.decisions.forecasts!.rows;
  assert.equal(row.plannedSamples, 20e6);
  assert.ok(Math.abs(row.predicted - acc(20)) < 1e-3, `${row.predicted} vs ${acc(20)}`);
  assert.equal(row.calibrated, false);
  // ViT-B-32: 7.4 GMACs per sample (gmacs in the paper's arch_info.csv).
  assert.ok(Math.abs(row.plot!.compute / (7.4 * 20e6) - 1) < 1e-9, `${row.plot!.compute}`);
  assert.equal(row.reachesFrontier, null, 'no finished run to compare with');
});

function answer<V>(
  file: string,
  settings: FitSettings,
  ask: Parameters<typeof runDecision>[2],
  progress?: (p: { done: number; total: number }) => void,
): V {
  const result = runDecision(path.join(examples, file), settings, ask, readTextFile, {}, progress);
  assert.notEqual(result.kind, 'failed', JSON.stringify(result));
  assert.equal(result.id, ask.id);
  assertValid(result);
  return (result as Extract<DecisionAnswer, { view: unknown }>).view as V;
}

/** Every answer passes the validators on its way: worker → host → webview. */
function assertValid(result: DecisionAnswer): void {
  assert.ok(parseWorkerMessage({ type: 'decisionResult', id: 1, answer: result }), 'worker → host');
  assert.ok(parseHostMessage({ type: 'decision', answer: result }), 'host → webview');
}

test('the three approaches on the language-model example: Approaches 2 and 3 recover the generating a = 0.513, the isoFLOP budgets drawn', () => {
  const view = answer<ApproachesView>(
    'language-model/runs.csv',
    { ...defaults, budgets: [5.76e23] },
    { id: 7, kind: 'approaches' },
  );
  assert.deepEqual(
    view.approaches.map((a) => a.name),
    ['Approach 1', 'Approach 2', 'Approach 3'],
  );
  for (const a of view.approaches.slice(1)) {
    assert.ok(a.aLow! <= 0.5126 && 0.5126 <= a.aHigh!, `${a.name}: a = ${a.a} [${a.aLow}, ${a.aHigh}] misses 0.5126`);
    // C = 6·N·D: b = 1 − a.
    assert.ok(Math.abs(a.a! + a.b! - 1) < 1e-9);
    const [o] = a.optimal;
    assert.equal(o.compute, 5.76e23);
    // D_opt = C / (6·N_opt), and the line N_opt = k·C^a passes through it.
    assert.ok(Math.abs(o.dOpt / (5.76e23 / (6 * o.nOpt)) - 1) < 1e-9);
    assert.ok(Math.abs((a.nCoefficient! * 5.76e23 ** a.a!) / o.nOpt - 1) < 1e-9);
    assert.ok(Math.abs(o.tokensPerParam - o.dOpt / o.nOpt) < 1e-9 * o.tokensPerParam);
  }
  // Hoffmann et al.'s nine budgets, each with its parabola and its minimum inside the sizes trained.
  assert.deepEqual(
    view.isoflop.map((b) => Number(b.compute.toPrecision(1))),
    [6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21],
  );
  for (const b of view.isoflop) {
    const sizes = b.runs.map((r) => r.params);
    assert.ok(b.nOpt! >= Math.min(...sizes) && b.nOpt! <= Math.max(...sizes));
    assert.ok(b.curve.length > 10);
  }
  assert.deepEqual(view.noIsoflop, []);
  assert.match(view.perSample[0].text, /k\(N\) = 6·N\^1/);
});

test('the approaches on OpenCLIP: its runs have N and D but no isoFLOP budgets, and Approach 2 says so for each group', () => {
  const view = answer<ApproachesView>('openclip/zeroshot_results.csv', defaults, { id: 8, kind: 'approaches' });
  assert.deepEqual(
    view.noIsoflop.map((n) => n.group),
    ['LAION', 'CLIP-WIT'],
  );
  assert.ok(view.noIsoflop.every((n) => /^no isoFLOP structure: /.test(n.reason)));
  assert.ok(view.approaches.filter((a) => a.name === 'Approach 2').every((a) => a.a === null && a.points.length === 0));
  assert.deepEqual(view.isoflop, []);
});

test('next runs: the best five per group, best first, each a candidate in words with its cost and narrower interval', () => {
  const view = answer<SuggestionsView>('language-model/runs.csv', defaults, {
    id: 9,
    kind: 'suggestions',
    target: 1e22,
    cap: null,
  });
  assert.equal(view.target, 1e22);
  assert.equal(view.rows.length, SUGGESTIONS_SHOWN);
  assert.ok(view.ranked > SUGGESTIONS_SHOWN);
  for (let i = 1; i < view.rows.length; i++)
    assert.ok(view.rows[i - 1].shrinkPerCompute >= view.rows[i].shrinkPerCompute);
  for (const s of view.rows) {
    assert.match(s.config, /^N=[\d.e]+ × [\d.e]+ samples$/);
    // The interval after is the current one narrowed about the prediction by the width ratio (in log space).
    assert.ok(s.widthRatio < 1 && s.afterLow > s.nowLow && s.afterHigh < s.nowHigh, JSON.stringify(s));
    // A candidate's cost is its compute C = 6·N·D.
    const [n, d] = s.config.match(/[\d.]+e\d+/g)!.map(Number);
    assert.ok(Math.abs(s.compute / (6 * n * d) - 1) < 0.01, `${s.compute} vs 6·${n}·${d}`);
  }
});

test("every task at a glance: 41 OpenCLIP tasks × 2 groups with progress per task; ImageNet's row is the paper's fit", () => {
  const seen: number[] = [];
  const view = answer<TasksView>(
    'openclip/zeroshot_results.csv',
    { ...defaults, task: 'mscoco_captions', metric: 'image_retrieval_recall@5' },
    { id: 10, kind: 'tasks' },
    (p) => {
      assert.equal(p.total, 41);
      seen.push(p.done);
    },
  );
  assert.deepEqual(
    seen,
    Array.from({ length: 41 }, (_, i) => i),
  );
  assert.equal(new Set(view.rows.map((r) => r.task)).size + view.failed.length, 41);
  assert.equal(view.rows.length, 82);
  // The paper's ImageNet exponents (Cherti et al. Table: LAION −0.11, CLIP-WIT −0.16), each task with its own metric.
  const imagenet = view.rows.filter((r) => r.task === 'imagenet1k');
  assert.ok(Math.abs(imagenet.find((r) => r.group === 'LAION')!.exponent - -0.1114) < 0.0005);
  assert.ok(Math.abs(imagenet.find((r) => r.group === 'CLIP-WIT')!.exponent - -0.1638) < 0.0005);
  assert.equal(imagenet[0].metric, 'acc1');
  assert.equal(view.rows.find((r) => r.task === 'mscoco_captions')!.metric, 'image_retrieval_recall@5');
  assert.ok(view.rows.every((r) => r.exponentName === 'alpha' && (r.holdoutMae === null || r.maeUnits === 'pp')));
  assert.match(view.holdout, /20%/);
});

test('a decision stops at its next step when superseded, and refuses a file without tasks with a reason', () => {
  let calls = 0;
  const steps = decisionSteps(
    path.join(examples, 'openclip', 'zeroshot_results.csv'),
    defaults,
    { id: 1, kind: 'tasks' },
    readTextFile,
    { shouldStop: () => ++calls > 40 },
  );
  assert.throws(() => {
    for (let step = steps.next(); !step.done; step = steps.next());
  }, Cancelled);
  const refused = runDecision(
    path.join(examples, 'language-model', 'runs.csv'),
    defaults,
    { id: 2, kind: 'tasks' },
    readTextFile,
  );
  assert.equal(refused.kind, 'failed');
  assert.match((refused as { message: string }).message, /no task column/);
  assertValid(refused);
});
