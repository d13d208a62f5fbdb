/**
 * Metric direction stated or read from a name that says it, never guessed silently; percent vs fraction from the whole
 * column (issue #9, deliverable 6). Known answers: laws generated with a known truth and refitted here by hand.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { UsageError, InputError } from '../../src/core/errors';
import { runFitJob } from '../../src/worker/fitJob';
import { toJson, toText } from '../../src/core/report';
import { decideScale, directionFromName, metricKind } from '../../src/core/schema/metric';
import { isSettings } from '../../src/shared/protocol';
import { defaultSettings, mergeSettings } from '../../src/shared/settings';
import { runCli } from './cliHelper';
import { csv, fitText, MEMORY_FILE } from './memoryFile';
import { withTempDir } from './helpers/tempDir';

const HIGHER = [
  'acc',
  'accuracy',
  'acc1',
  'eval/acc@1',
  'top1',
  'top5',
  'zs_top1',
  'top-1',
  'recall',
  'image_retrieval_recall@5',
  'precision',
  'mean_average_precision',
  'f1',
  'f1_macro',
  'map',
  'mAP',
  'score',
  'HumanEval score',
  'pass@1',
  'pass@k',
  'exact_match',
  'bleu',
  'BLEU4',
  'rouge',
  'rougeL',
  'win_rate',
];
const LOWER = [
  'loss',
  'val_loss',
  'eval/loss',
  'valLoss',
  'error',
  'top1_error',
  'err',
  'perplexity',
  'ppl',
  'wer',
  'cer',
  'bpb',
  'nll',
];
const UNKNOWN = ['MMLU', 'ImageNet 1k', 'HumanEval', 'gsm8k', 'hellaswag', 'accumulated_steps', 'passes'];

test('names that say higher is better: acc, accuracy, top1/top5, recall, precision, f1, map, score, pass@k, exact_match, bleu, rouge, win_rate', () => {
  for (const name of HIGHER) assert.equal(directionFromName(name), 'higher', name);
});

test('names that say lower is better: loss, error, err, perplexity, ppl, wer, cer, bpb, nll', () => {
  for (const name of LOWER) assert.equal(directionFromName(name), 'lower', name);
  assert.equal(metricKind('top1_error', 'lower'), 'error');
  assert.equal(metricKind('wer', 'lower'), 'error');
  assert.equal(metricKind('val_loss', 'lower'), 'loss');
  assert.equal(metricKind('perplexity', 'lower'), 'loss');
  assert.equal(metricKind('acc1', 'higher'), 'accuracy');
});

test('names that say nothing (MMLU, ImageNet 1k, HumanEval) have no direction', () => {
  for (const name of UNKNOWN) assert.equal(directionFromName(name), undefined, name);
});

/** MMLU (percent) on E = 0.4·(C/1e18)^−0.05 exactly: the truth a higher-is-better reading recovers. */
const mmluRows = Array.from({ length: 10 }, (_, i) => {
  const compute = 10 ** (18 + i * 0.4);
  return [compute.toExponential(6), (100 * (1 - 0.4 * (compute / 1e18) ** -0.05)).toFixed(6)];
});
const mmluText = csv(
  ['compute', 'loss', 'MMLU'],
  mmluRows.map(([c, m]) => [c, '2.0', m]),
);

test('CLI: a metric whose name says nothing exits 2 with a message naming --direction', () =>
  withTempDir('direction', (dir) => {
    const file = path.join(dir, 'bench.csv');
    fs.writeFileSync(file, mmluText);
    const { code, stdout, stderr } = runCli(['fit', file, '--metric', 'MMLU', '--bootstrap', '0']);
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /"MMLU" does not say whether higher or lower is better: add --direction higher/);
    const stated = runCli([
      'fit',
      file,
      '--metric',
      'MMLU',
      '--direction',
      'higher',
      '--frontier',
      'all',
      '--bootstrap',
      '0',
      '--json',
    ]);
    assert.equal(stated.code, 0, stated.stderr);
    const fit = JSON.parse(stated.stdout);
    assert.equal(fit.direction, 'higher');
    assert.equal(fit.metric_kind, 'accuracy');
    assert.equal(fit.error_definition, 'E = 1 − MMLU; MMLU read as percent (divided by 100)');
    // E = 0.4·(C/1e18)^−0.05 = 0.4·1e18^0.05·C^−0.05.
    assert.ok(Math.abs(fit.fits[0].params.alpha + 0.05) < 1e-6, JSON.stringify(fit.fits[0].params));
    assert.ok(Math.abs(fit.fits[0].params.beta / (0.4 * 1e18 ** 0.05) - 1) < 1e-4);
    const wrongFlag = runCli(['fit', file, '--metric', 'MMLU', '--direction', 'up']);
    assert.equal(wrongFlag.code, 2);
    assert.match(wrongFlag.stderr, /--direction up: expected higher/);
  }));

test('scaling-lens.json "direction" states it; anything but higher/lower is a located error', () =>
  withTempDir('direction-config', (dir) => {
    fs.writeFileSync(path.join(dir, 'bench.csv'), mmluText);
    const config = (direction: string) =>
      `{ "datasets": [\n  { "file": "bench.csv", "metric": "MMLU", "compute": "compute",\n    "frontier": "all", "direction": "${direction}" } ] }\n`;
    fs.writeFileSync(path.join(dir, 'scaling-lens.json'), config('higher'));
    const ok = runCli(['fit', path.join(dir, 'bench.csv'), '--bootstrap', '0', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.ok(Math.abs(JSON.parse(ok.stdout).fits[0].params.alpha + 0.05) < 1e-6);
    fs.writeFileSync(path.join(dir, 'scaling-lens.json'), config('up'));
    const bad = runCli(['fit', path.join(dir, 'bench.csv'), '--bootstrap', '0']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /scaling-lens\.json:3:\d+: datasets\[0\]\.direction must be "higher"/);
  }));

test('the extension fits an unstated direction on a guess, says so, and flags it for its question; a stated one is not flagged', () =>
  withTempDir('direction-job', (dir) => {
    const file = path.join(dir, 'bench.csv');
    fs.writeFileSync(file, mmluText);
    const read = (p: string) => (fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined);
    const guessed = runFitJob(
      file,
      { law: 'power', frontier: 'all', bootstrap: false, budgets: [], metric: 'MMLU' },
      read,
    );
    assert.equal(guessed.choices.directionAmbiguous, true);
    assert.equal(guessed.choices.direction, 'higher', 'values in [0, 100] suggest a score');
    assert.ok(
      guessed.model.warnings.some(
        (w) => w.kind === 'metric-scale' && /does not say whether higher or lower is better/.test(w.message),
      ),
    );
    const stated = runFitJob(
      file,
      { law: 'power', frontier: 'all', bootstrap: false, budgets: [], metric: 'MMLU', direction: 'lower' },
      read,
    );
    assert.equal(stated.choices.directionAmbiguous, false);
    assert.equal(stated.choices.direction, 'lower');
    assert.equal(stated.model.yLabel, 'loss L = MMLU (as given)');
    const named = runFitJob(
      file,
      { law: 'power', frontier: 'all', bootstrap: false, budgets: [], metric: 'loss' },
      read,
    );
    assert.equal(named.choices.directionAmbiguous, false);
  }));

test('settings: direction validated; a direction stated for one metric is not carried to another', () => {
  const base = { law: 'power' as const, frontier: 'default', bootstrap: true, budgets: [] };
  assert.ok(isSettings({ ...base, direction: 'lower' }));
  assert.ok(!isSettings({ ...base, direction: 'sideways' }));
  const stated = mergeSettings(base, { metric: 'MMLU', direction: 'higher' });
  assert.equal(stated.direction, 'higher');
  // The panel sends its whole settings with a new metric: the old direction comes along and is dropped.
  assert.equal(mergeSettings(stated, { ...stated, metric: 'HumanEval' }).direction, undefined);
  assert.equal(mergeSettings(stated, { ...stated, law: 'saturating' }).direction, 'higher', 'other changes keep it');
  assert.equal(mergeSettings(stated, { metric: 'HumanEval', direction: 'lower' }).direction, 'lower');
});

test("settings: a key set to undefined (the panel's reset) is unset, not kept as a key with no value", () => {
  const chosen = {
    law: 'saturating' as const,
    frontier: 'all',
    bootstrap: true,
    budgets: [1e20],
    budgetText: ['1e20'],
    task: 'mscoco_captions',
    metric: 'acc1',
    group: null,
    direction: 'higher' as const,
  };
  const reset = mergeSettings(chosen, {
    ...defaultSettings(),
    task: undefined,
    metric: undefined,
    group: undefined,
    budgetText: undefined,
    direction: undefined,
  });
  assert.deepEqual(reset, { law: 'power', frontier: 'default', bootstrap: true, budgets: [] });
  assert.ok(isSettings(defaultSettings()), 'the defaults pass the protocol check');
  const first = defaultSettings();
  first.budgets.push(1e20);
  assert.deepEqual(defaultSettings().budgets, [], 'each call gives its own settings');
  assert.deepEqual(Object.keys(reset).sort(), ['bootstrap', 'budgets', 'frontier', 'law']);
});

test('a stated direction overrides the name, with a note', () => {
  const text = csv(
    ['compute', 'acc'],
    [
      [1e18, 0.5],
      [1e19, 0.4],
      [1e20, 0.3],
    ],
  );
  const result = fitText(text, { direction: 'lower', frontier: { kind: 'all' } });
  assert.equal(result.scale.direction, 'lower-is-better');
  assert.ok(result.warnings.some((w) => /by its name, but the stated direction \(lower\) is used/.test(w.message)));
});

// ---- percent vs fraction ----

const locate = (i: number) => ({ line: i + 2, column: 5 });
const decide = (column: string, values: number[], percentCell?: (i: number) => boolean) =>
  decideScale(column, values, { file: 'f.csv', locate, percentCell });

test('all values in [0, 1]: a fraction; some above 1 (fewer than 90 % ≤ 1): percent', () => {
  assert.equal(decide('acc', [0.1, 0.5, 0.99]).scale.percent, false);
  assert.equal(decide('acc', [12, 50.5, 99]).scale.percent, true);
  assert.equal(decide('top1_err', [0.5, 12, 40]).scale.percent, true);
  // A loss is read as given whatever its values.
  const loss = decide('val_loss', [0.5, 3.2, 250]);
  assert.equal(loss.scale.percent, false);
  assert.equal(loss.scale.kind, 'loss');
});

test('a column mixing fractions and percents (a typo 1.61 among fractions) is a located error naming the odd cell', () => {
  const values = [0.3, 0.34, 0.38, 0.42, 0.46, 0.5, 0.54, 1.61, 0.62, 0.66, 0.7];
  assert.throws(
    () => decide('acc', values),
    (error: Error) =>
      error instanceof InputError &&
      error.location.line === 9 &&
      /acc mixes fractions and percents: 10 of 11 values are in \[0, 1\] but 1 is above 1 \(1\.61 at line 9:5\)/.test(
        error.message,
      ),
  );
  // CLI: exit 2 at the cell.
  withTempDir('mixed', (dir) => {
    const file = path.join(dir, 'mixed.csv');
    fs.writeFileSync(
      file,
      csv(
        ['compute', 'acc'],
        values.map((v, i) => [10 ** (18 + i / 4), v]),
      ),
    );
    const { code, stderr } = runCli(['fit', file, '--bootstrap', '0']);
    assert.equal(code, 2);
    assert.ok(stderr.includes(`${file}:9:`), stderr);
    assert.match(stderr, /1\.61 at line 9/);
  });
});

test('percent cells that look like fractions among larger values are noted at their line', () => {
  const decision = decide('accuracy', [0.2, 34, 38, 42, 46, 50]);
  assert.equal(decision.scale.percent, true);
  assert.equal(decision.notes[0].line, 2);
  assert.match(decision.notes[0].message, /0\.2 at line 2:5\) is read as under 1 %/);
});

test('a bounded metric outside [0, 100] is a located error', () => {
  assert.throws(
    () => decide('acc', [0.5, 101, 0.7]),
    (error: Error) =>
      error instanceof InputError && error.location.line === 3 && /acc = 101 is outside \[0, 100\]/.test(error.message),
  );
  assert.throws(
    () => decide('top1_err', [0.5, -0.1]),
    (error: Error) => error instanceof InputError && /outside \[0, 100\]/.test(error.message),
  );
  assert.throws(
    () => decideScale('MMLU', [50], { file: 'f.csv', locate }),
    (error: Error) => error instanceof UsageError,
  );
});

test('cells with a % suffix are read as percent, with a note (0.2% is 0.002, not 0.2)', () => {
  const decision = decide('accuracy', [0.2, 0.5, 0.9], () => true);
  assert.equal(decision.scale.percent, true);
  assert.match(decision.notes[0].message, /every accuracy cell is written with a % suffix/);
  // The smoke file: accuracy 49%…56%, read as percent: E = 0.51 … 0.44.
  const file = path.join(__dirname, '..', 'fixtures', 'metric', 'percent_suffix.csv');
  const { code, stdout } = runCli(['fit', file, '--frontier', 'all', '--bootstrap', '0', '--json']);
  assert.equal(code, 0);
  const result = JSON.parse(stdout);
  assert.match(result.warnings[0].message, /% suffix/);
  const text = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(','));
  // Independent check: OLS of log E on log C with E = 1 − value/100.
  const x = text.map(([c]) => Math.log(Number(c)));
  const y = text.map(([, a]) => Math.log(1 - Number(a.replace('%', '')) / 100));
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  const slope = x.reduce((s, v, i) => s + (v - mx) * (y[i] - my), 0) / x.reduce((s, v) => s + (v - mx) ** 2, 0);
  assert.ok(Math.abs(result.fits[0].params.alpha - slope) < 1e-9, `${result.fits[0].params.alpha} vs ${slope}`);
});

test('wording by kind: a loss is "as given", an error rate is an error, an accuracy is 1 − it', () => {
  const rows = [
    [1e18, 3.1],
    [1e19, 2.8],
    [1e20, 2.6],
    [1e21, 2.45],
  ];
  const loss = fitText(csv(['compute', 'val_loss'], rows), { frontier: { kind: 'all' } });
  assert.equal(loss.error_definition, 'E = val_loss (loss, as given)');
  assert.doesNotMatch(toText(loss), /read as a fraction/);
  assert.equal((toJson(loss) as { metric_kind: string }).metric_kind, 'loss');
  const error = fitText(
    csv(
      ['compute', 'loss', 'top1_err'],
      rows.map(([c, v]) => [c, v, v / 10]),
    ),
    { metric: 'top1_err', frontier: { kind: 'all' } },
  );
  assert.equal(error.error_definition, 'E = top1_err (error, read as a fraction)');
  const accuracy = fitText(
    csv(
      ['compute', 'acc1'],
      rows.map(([c, v]) => [c, 1 - v / 10]),
    ),
    { frontier: { kind: 'all' } },
  );
  assert.equal(accuracy.error_definition, 'E = 1 − acc1; acc1 read as a fraction');
  assert.equal(MEMORY_FILE, accuracy.file);
});

test('a metric written as one minus a score (1 - MMLU, 1 - `ImageNet 1k`, 100 - acc) is an error rate: lower is better', () => {
  for (const metric of ['1 - MMLU', '1 - `ImageNet 1k`', '100 - acc', '1.0 − HumanEval']) {
    assert.equal(directionFromName(metric), 'lower', metric);
    assert.equal(metricKind(metric, 'lower'), 'error', metric);
  }
  assert.equal(directionFromName('1 - MMLU * 2'), undefined, 'an expression beyond one minus a term says nothing');
});
