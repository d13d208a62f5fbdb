/**
 * Fixed and tied parameters (`--fix`, `--tie`, and "fix"/"tie" in scaling-lens.json): the over-training form
 * L = E + A/N^α + B/D^α of Gadre et al. recovered from its own truth, a published exponent tested with a fixed
 * value (no interval for it), and every bad constraint a located or usage error with exit code 2.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { Random } from '../../src/core/random';
import { runCli } from './cliHelper';
import { tempDirForFile } from './helpers/tempDirForFile';

const dir = tempDirForFile('scaling-lens-constraints');

/** Runs on L = 1.8 + 400/N^0.34 + 1500/D^0.34 (one exponent for both terms), 1 % log-normal noise. */
const overTraining = path.join(dir, 'over_training.csv');
{
  const random = new Random(21);
  const lines = ['params,tokens,loss'];
  for (let i = 0; i < 120; i++) {
    const n = 10 ** (7.5 + 2.5 * random.next());
    const d = 10 ** (9 + 3 * random.next());
    lines.push(`${n},${d},${(1.8 + 400 / n ** 0.34 + 1500 / d ** 0.34) * Math.exp(0.01 * random.normal())}`);
  }
  fs.writeFileSync(overTraining, lines.join('\n') + '\n');
}

/** Runs on E = 8·C^−0.12 with 2 % noise. */
const powerFile = path.join(dir, 'power_results.csv');
const powerRuns: { compute: number; loss: number }[] = [];
{
  const random = new Random(22);
  for (let i = 0; i < 20; i++) {
    const compute = 10 ** (9 + (4 * i) / 19);
    powerRuns.push({ compute, loss: 8 * compute ** -0.12 * Math.exp(0.02 * random.normal()) });
  }
  fs.writeFileSync(powerFile, 'compute,loss\n' + powerRuns.map((r) => `${r.compute},${r.loss}`).join('\n') + '\n');
}

test('--tie alpha=beta fits the over-training form: one exponent for both terms, near its true 0.34', () => {
  const { code, stdout, stderr } = runCli([
    'fit',
    overTraining,
    '--law',
    'joint',
    '--tie',
    'alpha=beta',
    '--frontier',
    'all',
    '--bootstrap',
    '100',
    '--json',
  ]);
  assert.equal(code, 0, stderr);
  const fit = JSON.parse(stdout).fits[0];
  assert.equal(fit.params.alpha, fit.params.beta);
  assert.ok(Math.abs(fit.params.alpha - 0.34) < 0.02, `alpha ${fit.params.alpha}`);
  assert.ok(Math.abs(fit.params.E - 1.8) < 0.1, `E ${fit.params.E}`);
  assert.deepEqual(fit.ci95.alpha, fit.ci95.beta, 'tied parameters share their interval');
  assert.ok(fit.ci95.alpha[0] < 0.34 && 0.34 < fit.ci95.alpha[1], `interval ${fit.ci95.alpha}`);
});

test('--fix alpha=-0.1 holds α at the published value, refits β alone (its least-squares value) and gives α no interval', () => {
  const { code, stdout, stderr } = runCli([
    'fit',
    powerFile,
    '--fix',
    'alpha=-0.1',
    '--frontier',
    'all',
    '--bootstrap',
    '200',
    '--json',
  ]);
  assert.equal(code, 0, stderr);
  const fit = JSON.parse(stdout).fits[0];
  assert.equal(fit.params.alpha, -0.1);
  // With α fixed, least squares in log space has ln β = mean(ln E − α ln C).
  const expected = Math.exp(
    powerRuns.reduce((s, r) => s + Math.log(r.loss) + 0.1 * Math.log(r.compute), 0) / powerRuns.length,
  );
  assert.ok(Math.abs(fit.params.beta / expected - 1) < 1e-8, `beta ${fit.params.beta} vs ${expected}`);
  assert.deepEqual(Object.keys(fit.ci95), ['beta']);
  assert.ok(fit.notes.includes('alpha fixed at -0.1'), fit.notes.join('; '));
});

for (const [args, message] of [
  [['--fix', 'gamma=1'], /--fix gamma: the power law has no parameter "gamma" \(its parameters: beta, alpha\)/],
  [['--fix', 'alpha=abc'], /--fix alpha=abc: expected PARAM=VALUE with a number/],
  [['--fix', 'beta=-2'], /--fix beta=-2: not a valid value for beta \(it must be positive\)/],
  [['--fix', 'alpha=-0.1', '--fix', 'beta=2'], /every parameter of the power law is fixed/],
  [['--law', 'joint', '--tie', 'alpha=E'], /--tie alpha=E: alpha and E are not on the same scale/],
  [['--tie', 'alpha'], /--tie alpha: expected PARAM=PARAM/],
] as [string[], RegExp][]) {
  test(`bad constraint ${args.join(' ')}: exit 2 with a message, no stack trace`, () => {
    const file = args.includes('joint') ? overTraining : powerFile;
    const { code, stderr } = runCli(['fit', file, '--bootstrap', '0', ...args]);
    assert.equal(code, 2);
    assert.match(stderr, message);
    assert.doesNotMatch(stderr, /\n\s+at /);
  });
}

function configured(name: string, entry: Record<string, unknown>): string {
  const folder = path.join(dir, name);
  fs.mkdirSync(folder, { recursive: true });
  fs.copyFileSync(powerFile, path.join(folder, 'runs.csv'));
  fs.writeFileSync(
    path.join(folder, 'scaling-lens.json'),
    JSON.stringify(
      { datasets: [{ file: 'runs.csv', metric: 'loss', compute: 'compute', frontier: 'all', ...entry }] },
      null,
      2,
    ),
  );
  return path.join(folder, 'runs.csv');
}

test('"fix" in scaling-lens.json is applied like --fix', () => {
  const { code, stdout, stderr } = runCli([
    'fit',
    configured('fixed', { fix: { alpha: -0.1 } }),
    '--bootstrap',
    '0',
    '--json',
  ]);
  assert.equal(code, 0, stderr);
  assert.equal(JSON.parse(stdout).fits[0].params.alpha, -0.1);
});

test('a "fix" naming no parameter of the law is an error at its place in scaling-lens.json', () => {
  const { code, stderr } = runCli(['fit', configured('unknown', { fix: { gamma: 1 } }), '--bootstrap', '0']);
  assert.equal(code, 2);
  assert.match(stderr, /scaling-lens\.json:\d+:\d+: "fix" gamma: the power law has no parameter "gamma"/);
});

test('"fix" and "tie" of the wrong shape are located errors', () => {
  for (const [entry, message] of [
    [{ fix: { alpha: 'steep' } }, /scaling-lens\.json:\d+:\d+: datasets\[0\]\.fix must map law parameters to numbers/],
    [{ tie: ['alpha', 'beta'] }, /scaling-lens\.json:\d+:\d+: datasets\[0\]\.tie must be a list of parameter pairs/],
  ] as [Record<string, unknown>, RegExp][]) {
    const { code, stderr } = runCli(['fit', configured(`shape-${Object.keys(entry)[0]}`, entry), '--bootstrap', '0']);
    assert.equal(code, 2);
    assert.match(stderr, message);
  }
});
