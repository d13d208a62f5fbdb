/**
 * The held-out check (issue #9, deliverable 5): which runs are held out, which are scored, and that they are scored
 * with the law refitted without them. Known answers: an ordinary least-squares line in log space computed here.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../src/core/errors';
import { parseHoldoutFilter, type HoldoutRule } from '../../src/core/holdout';
import { Random } from '../../src/core/random';
import { toText } from '../../src/core/report';
import { runCli } from './cliHelper';
import { csv, fitText } from './memoryFile';
import { withTempDir } from './helpers/tempDir';

/** 17 runs on E = 6·C^−0.1 with 3 % log noise; `size` and `family` columns for filters. */
function runs17(metric: 'acc' | 'loss' = 'acc') {
  const random = new Random(3);
  return Array.from({ length: 17 }, (_, i) => {
    const compute = 10 ** (9 + i * 0.25);
    const error = 6 * compute ** -0.1 * Math.exp(0.03 * random.normal());
    return {
      line: i + 2,
      compute,
      error,
      size: (i % 5) * 1e9,
      family: i % 2 ? 'dense' : 'moe',
      value: metric === 'acc' ? 1 - error : error,
    };
  });
}

function text(runs: ReturnType<typeof runs17>, metric: 'acc' | 'loss' = 'acc') {
  return csv(
    ['compute', metric, 'size', 'family'],
    runs.map((r) => [r.compute.toExponential(12), r.value.toPrecision(12), r.size, r.family]),
  );
}

/** OLS of ln E on ln C: the refit a power law without the held-out runs must give. */
function ols(points: { compute: number; error: number }[]) {
  const x = points.map((p) => Math.log(p.compute));
  const y = points.map((p) => Math.log(p.error));
  const mx = x.reduce((s, v) => s + v, 0) / x.length;
  const my = y.reduce((s, v) => s + v, 0) / y.length;
  const slope = x.reduce((s, v, i) => s + (v - mx) * (y[i] - my), 0) / x.reduce((s, v) => s + (v - mx) ** 2, 0);
  return (compute: number) => Math.exp(my + slope * (Math.log(compute) - mx));
}

const fraction = (f: number): HoldoutRule => ({ kind: 'fraction', fraction: f });

test('--holdout FRACTION holds out the floor of fraction × runs by compute (0.18 of 17 → 3, not 4), at least 1', () => {
  const runs = runs17();
  const result = fitText(text(runs), { frontier: { kind: 'all' }, holdout: fraction(0.18) });
  const h = result.fits[0].holdout!;
  assert.equal(h.n_heldout, 3);
  assert.equal(h.n_train, 14);
  assert.deepEqual(
    h.runs.map((r) => r.line),
    [16, 17, 18],
    'the three runs with the most compute',
  );
  assert.equal(
    fitText(text(runs), { frontier: { kind: 'all' }, holdout: fraction(0.01) }).fits[0].holdout!.n_heldout,
    1,
  );
});

test('--frontier all: every held-out run is scored, with the law refitted without them (and --predict uses the full fit)', () => {
  const runs = runs17();
  const result = fitText(text(runs), {
    frontier: { kind: 'all' },
    holdout: fraction(0.18),
    bootstrap: 0,
    predict: [{ compute: 1e14 }],
  });
  const fit = result.fits[0];
  const h = fit.holdout!;
  assert.equal(h.n_evaluated, 3);
  const refit = ols(runs.slice(0, 14));
  let abs = 0;
  let squares = 0;
  for (const run of h.runs) {
    const truth = runs.find((r) => r.line === run.line)!;
    const predictedError = refit(truth.compute);
    assert.ok(
      Math.abs(run.predicted - (1 - predictedError)) < 1e-9,
      `line ${run.line}: ${run.predicted} vs ${1 - predictedError}`,
    );
    assert.ok(Math.abs(run.measured - truth.value) < 1e-9);
    assert.ok(Math.abs(run.residual - (run.predicted - run.measured)) < 1e-12);
    assert.equal(run.ci95, null, 'no bootstrap, no interval');
    abs += Math.abs(predictedError - truth.error) * 100;
    squares += Math.log10(truth.error / predictedError) ** 2;
  }
  assert.equal(h.mae_units, 'pp');
  assert.ok(Math.abs(h.mae! - abs / 3) < 1e-9, `MAE ${h.mae} vs ${abs / 3}`);
  assert.ok(Math.abs(h.rmse_log10! - Math.sqrt(squares / 3)) < 1e-9);
  // Predictions asked for come from the fit on all 17 runs.
  assert.ok(Math.abs(fit.predictions[0].error - ols(runs)(1e14)) < 1e-12);
  assert.match(
    toText(result),
    /held out: top 18% of compute, 3 of 17 runs; law refitted on the other 14; 3 scored: MAE [\d.]+ pp/,
  );
});

test('with a frontier, the held-out runs on the same frontier of all runs are scored (Pareto: those beating every cheaper run)', () => {
  const runs = runs17();
  // Push two of the top runs above the frontier: they are held out but not scored.
  runs[14].value = 0.2;
  runs[16].value = 0.2;
  runs[14].error = 0.8;
  runs[16].error = 0.8;
  const result = fitText(text(runs), { holdout: fraction(0.18) });
  const fit = result.fits[0];
  assert.equal(fit.frontier, 'pareto');
  let best = Infinity;
  const onFrontier = runs.filter((r) => (r.error < best ? ((best = r.error), true) : false)).map((r) => r.line);
  const expected = [16, 17, 18].filter((line) => onFrontier.includes(line));
  assert.ok(expected.length > 0 && expected.length < 3, `some held-out runs on the frontier, not all: ${expected}`);
  assert.deepEqual(
    fit.holdout!.runs.map((r) => r.line),
    expected,
  );
  assert.equal(fit.holdout!.n_heldout, 3);
  assert.equal(fit.holdout!.n_evaluated, expected.length);
  // Refitted on the Pareto frontier of the 14 training runs.
  let trainBest = Infinity;
  const trainFrontier = runs.slice(0, 14).filter((r) => (r.error < trainBest ? ((trainBest = r.error), true) : false));
  const refit = ols(trainFrontier);
  for (const run of fit.holdout!.runs) assert.ok(Math.abs(run.predicted - (1 - refit(run.compute))) < 1e-9);
});

test('--holdout-filter: = != < <= > >= (numeric when both sides are numbers), text = and !=, backquoted names', () => {
  const runs = runs17();
  const held = (filter: string) =>
    fitText(text(runs), { frontier: { kind: 'all' }, holdout: parseHoldoutFilter(filter) }).fits[0].holdout!.runs.map(
      (r) => r.line,
    );
  const lines = (keep: (r: (typeof runs)[number]) => boolean) => runs.filter(keep).map((r) => r.line);
  assert.deepEqual(
    held('size=3e9'),
    lines((r) => r.size === 3e9),
  );
  assert.deepEqual(
    held('size=3000000000'),
    lines((r) => r.size === 3e9),
    '3e9 and 3000000000 are the same number',
  );
  assert.deepEqual(
    held('size!=0'),
    lines((r) => r.size !== 0),
  );
  assert.deepEqual(
    held('size<2e9'),
    lines((r) => r.size < 2e9),
  );
  assert.deepEqual(
    held('size<=2e9'),
    lines((r) => r.size <= 2e9),
  );
  assert.deepEqual(
    held('size>2e9'),
    lines((r) => r.size > 2e9),
  );
  assert.deepEqual(
    held('size>=2e9'),
    lines((r) => r.size >= 2e9),
  );
  assert.deepEqual(
    held('family=moe'),
    lines((r) => r.family === 'moe'),
  );
  assert.deepEqual(
    held('family!=moe'),
    lines((r) => r.family !== 'moe'),
  );
  assert.deepEqual(
    held('`size` > 3e9'),
    lines((r) => r.size > 3e9),
  );
  const result = fitText(text(runs), { frontier: { kind: 'all' }, holdout: parseHoldoutFilter('size>=3e9') });
  assert.equal(result.fits[0].holdout!.filter, 'size>=3e9');
  assert.equal(result.fits[0].holdout!.n_train + result.fits[0].holdout!.n_heldout, 17);
  // Scored with the law refitted on the other runs.
  const refit = ols(runs.filter((r) => r.size < 3e9));
  for (const run of result.fits[0].holdout!.runs) assert.ok(Math.abs(run.predicted - (1 - refit(run.compute))) < 1e-9);
});

test('--holdout-filter: a comparison on text, an unknown column, a malformed rule: clear errors', () => {
  const runs = runs17();
  assert.throws(
    () => fitText(text(runs), { frontier: { kind: 'all' }, holdout: parseHoldoutFilter('family<dense') }),
    (e: Error) => e instanceof UsageError && /< compares numbers, but .*:2 has "moe" in "family"/.test(e.message),
  );
  assert.throws(
    () => fitText(text(runs), { holdout: parseHoldoutFilter('nope=1') }),
    (e: Error) => e instanceof UsageError && /no column "nope" \(columns: compute, acc, size, family\)/.test(e.message),
  );
  assert.throws(() => parseHoldoutFilter('size'), /expected COL<OP>VALUE/);
  assert.throws(() => parseHoldoutFilter('size>='), /no value after >=/);
  assert.throws(() => parseHoldoutFilter('`size>1'), /not closed/);
});

test('held-out intervals: a bootstrap of the refit gives each scored run a 95 % interval around its prediction', () => {
  const result = fitText(text(runs17()), {
    frontier: { kind: 'all' },
    holdout: fraction(0.18),
    bootstrap: 200,
    seed: 1,
  });
  for (const run of result.fits[0].holdout!.runs) {
    assert.ok(run.ci95, `an interval on line ${run.line}`);
    assert.ok(run.ci95[0] < run.predicted && run.predicted < run.ci95[1], `${run.ci95} around ${run.predicted}`);
  }
});

test("a loss: MAE in the loss's own units, never pp", () => {
  const runs = runs17('loss');
  const result = fitText(text(runs, 'loss'), { frontier: { kind: 'all' }, holdout: fraction(0.18) });
  const h = result.fits[0].holdout!;
  assert.equal(h.mae_units, 'loss units');
  const refit = ols(runs.slice(0, 14));
  const mae = runs.slice(14).reduce((s, r) => s + Math.abs(refit(r.compute) - r.error), 0) / 3;
  assert.ok(Math.abs(h.mae! - mae) < 1e-9, `${h.mae} vs ${mae}`);
  const output = toText(result);
  assert.match(output, /MAE [\d.]+ \(loss units\)/);
  assert.doesNotMatch(output, /\bpp\b/);
});

test('CLI: --holdout and --holdout-filter together, or a fraction outside (0, 1), exit 2', () =>
  withTempDir('holdout', (dir) => {
    const file = path.join(dir, 'runs.csv');
    fs.writeFileSync(file, text(runs17()));
    const both = runCli(['fit', file, '--holdout', '0.2', '--holdout-filter', 'size>1']);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /give one rule for the held-out runs, not both/);
    assert.equal(runCli(['fit', file, '--holdout', '1.5']).code, 2);
    const json = runCli([
      'fit',
      file,
      '--holdout-filter',
      'size>=3e9',
      '--frontier',
      'all',
      '--bootstrap',
      '50',
      '--json',
    ]);
    assert.equal(json.code, 0, json.stderr);
    const h = JSON.parse(json.stdout).fits[0].holdout;
    assert.deepEqual(Object.keys(h.runs[0]), [
      'line',
      'compute',
      'measured',
      'predicted',
      'ci95',
      'residual',
      'residual_log10',
    ]);
    assert.equal(typeof h.mae, 'number');
    assert.equal(typeof h.rmse_log10, 'number');
  }));
