/** --suggest: candidate runs ranked by the expected narrowing of the interval at C*, checked on known-truth studies. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../src/core/analysis';
import { generatedCandidates, listedCandidates } from '../../src/core/decisions/candidates';
import { deltaInterval } from '../../src/core/decisions/deltaMethod';
import { suggestRuns, type Suggestion } from '../../src/core/decisions/suggest';
import { tQuantile } from '../../src/core/decisions/tDistribution';
import { parseTable } from '../../src/core/ingest/parse';
import { fitLaw } from '../../src/core/fit/fitLaw';
import { lawByName, lawData } from '../../src/core/laws/index';
import { Random } from '../../src/core/random';
import { runCli } from './cliHelper';
import { logSweep, specOf, tableOf } from './decisionsHelpers';
import { withTempDir } from './helpers/tempDir';

const archs = [1, 3, 10, 30, 100].map((k, i) => ({ arch: `A${i}`, k, params: k * 1e6 }));
const counts = [1e8, 3e8, 1e9, 3e9, 1e10];
const grid = archs.flatMap((a) => counts.map((samples) => ({ ...a, samples, compute: a.k * samples })));
const truth = (compute: number) => 8 * compute ** -0.12;
const spec = specOf({ params: 'params', samples: 'samples', arch: 'arch' });

const target = 1e14;
const power = lawByName('power');

/** Width of the 95 % band at C* of a least-squares power law through the points (the textbook t band). */
function bandWidth(points: { compute: number; error: number }[]): number {
  const data = lawData(points);
  const fit = fitLaw(power, data, { kind: 'ls' });
  const d = deltaInterval(power, fit.theta, data, { compute: target })!;
  return Math.exp(d.logPrediction + d.halfWidth) - Math.exp(d.logPrediction - d.halfWidth);
}

/**
 * A known-truth study: E = 8·C^−0.12, 5 architectures × 5 sample counts, 10 of the 25 trained with 3 % noise —
 * each architecture at two random sample counts, so that every architecture and count is in the data — and the
 * 15 others ranked for C* = 1e14.
 */
function study(seed: number) {
  const random = new Random(seed + 100);
  const permutation = [0, 1, 2, 3, 4]
    .map((i) => ({ i, r: random.next() }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.i);
  const offset = 1 + random.int(4);
  const chosen = archs.flatMap((_, a) => [permutation[a], (permutation[a] + offset) % 5].map((c) => grid[a * 5 + c]));
  /** Training a configuration: a fresh draw from the truth. */
  const train = (g: (typeof grid)[number]) => ({
    compute: g.compute,
    loss: truth(g.compute) * Math.exp(0.03 * random.normal()),
    arch: g.arch,
    params: g.params,
    samples: g.samples,
  });
  const rows = chosen.map(train);
  const fitted = (r: typeof rows) =>
    analyze(tableOf(r), spec, { bootstrap: 200, seed, predict: [{ compute: target }] });
  const result = fitted(rows);
  const { suggestions } = suggestRuns(spec, result, { seed }, { target, cap: 1e12 });
  const configOf = (s: Suggestion) => grid.find((x) => x.arch === s.config.arch && x.samples === s.config.samples)!;
  return { rows, fitted, train, suggestions, configOf };
}

const points = (rows: { compute: number; loss: number }[]) => rows.map((r) => ({ compute: r.compute, error: r.loss }));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

test('50 known-truth studies: training the top suggestion narrows the interval at C* more per unit of compute than the median candidate in most', (t) => {
  let wins = 0;
  for (let seed = 0; seed < 50; seed++) {
    const { rows, train, suggestions, configOf } = study(seed);
    assert.equal(suggestions.length, 15, 'the 15 configurations not trained, all under the cap');
    for (let i = 1; i < suggestions.length; i++)
      assert.ok(suggestions[i - 1].shrink_per_compute >= suggestions[i].shrink_per_compute, 'best first');
    // What training each candidate does to the interval, on average over 16 trainings (outcomes from the truth,
    // not from the fitted law the ranking simulated from).
    const now = bandWidth(points(rows));
    const actual = suggestions.map((s) => {
      let narrowing = 0;
      for (let d = 0; d < 16; d++) narrowing += now - bandWidth(points([...rows, train(configOf(s))]));
      return narrowing / 16 / s.compute;
    });
    if (actual[0] > median(actual)) wins++;
  }
  t.diagnostic(`top suggestion beat the median candidate in ${wins} of 50 studies`);
  assert.ok(wins >= 40, `top suggestion beat the median candidate in ${wins} of 50 seeds`);
});

test('the expected interval after training matches the bootstrap interval after one real training (15 studies)', (t) => {
  const ratios: number[] = [];
  for (let seed = 0; seed < 15; seed++) {
    const { rows, fitted, train, suggestions, configOf } = study(seed);
    for (const s of suggestions.slice(0, 5)) {
      const ci = fitted([...rows, train(configOf(s))]).fits[0].predictions[0].ci95!;
      ratios.push((s.interval_after[1] - s.interval_after[0]) / (ci[1] - ci[0]));
    }
  }
  const m = median(ratios);
  t.diagnostic(
    `expected width after / bootstrap width after real training: median ${m.toFixed(3)} over ${ratios.length} trainings`,
  );
  assert.ok(m > 0.85 && m < 1.15, `predicted/actual width: median ${m}`);
});

test('delta method for a power law equals the textbook band t·s·sqrt(1/n + (x* − x̄)²/Sxx)', () => {
  const random = new Random(3);
  const data = lawData(
    logSweep(12, 9, 13).map((compute) => ({ compute, error: truth(compute) * Math.exp(0.05 * random.normal()) })),
  );
  const { OLS, s } = (() => {
    const x = Array.from(data.logC);
    const y = Array.from(data.logE);
    const mx = x.reduce((a, b) => a + b) / x.length;
    const my = y.reduce((a, b) => a + b) / y.length;
    const sxx = x.reduce((a, v) => a + (v - mx) ** 2, 0);
    const slope = x.reduce((a, v, i) => a + (v - mx) * (y[i] - my), 0) / sxx;
    const rss = y.reduce((a, v, i) => a + (v - (my + slope * (x[i] - mx))) ** 2, 0);
    return { OLS: { mx, my, sxx, slope }, s: Math.sqrt(rss / (x.length - 2)) };
  })();
  const fit = Float64Array.of(OLS.my - OLS.slope * OLS.mx, OLS.slope);
  const xStar = Math.log(1e15);
  const expected = tQuantile(0.975, 10) * s * Math.sqrt(1 / 12 + (xStar - OLS.mx) ** 2 / OLS.sxx);
  const delta = deltaInterval(power, fit, data, { compute: 1e15 })!;
  assert.ok(Math.abs(delta.halfWidth / expected - 1) < 1e-9, `${delta.halfWidth} vs ${expected}`);
});

test("generated candidates: the runs' architectures × sample counts not yet trained, up to the cap", () => {
  const rows = [grid[0], grid[6], grid[12]].map((g) => ({
    compute: g.compute,
    loss: truth(g.compute),
    arch: g.arch,
    params: g.params,
    samples: g.samples,
  }));
  const result = analyze(tableOf(rows), spec, { bootstrap: 0 });
  const candidates = generatedCandidates(result.runs, 3e9);
  // Trained: A0 × 1e8, A1 × 3e8, A2 × 1e9 (k = 1, 3, 10). The other 6 of 3 × 3 all cost k·s ≤ 3e9 (A1 × 1e9 and
  // A2 × 3e8 exactly 3e9).
  assert.deepEqual(
    candidates.map((c) => `${c.arch}×${c.samples}`).sort(),
    ['A0×1000000000', 'A0×300000000', 'A1×100000000', 'A1×1000000000', 'A2×100000000', 'A2×300000000'].sort(),
  );
  assert.equal(generatedCandidates(result.runs, 1e9).length, 4);
  assert.ok(candidates.every((c) => c.compute <= 3e9));
});

test("a candidate list: arch + samples from the runs' compute per sample, params + samples through k(N), bad rows located", () => {
  const rows = grid
    .slice(0, 8)
    .map((g) => ({ compute: g.compute, loss: truth(g.compute), arch: g.arch, params: g.params, samples: g.samples }));
  const result = analyze(tableOf(rows), spec, { bootstrap: 0 });
  const list = listedCandidates(parseTable('list.csv', 'arch,samples\nA1,5e9\n'), result.runs, undefined, undefined);
  assert.deepEqual(list, [{ arch: 'A1', params: 3e6, samples: 5e9, compute: 1.5e10 }]);
  const viaK = listedCandidates(parseTable('list.csv', 'params,samples\n1e9,2e10\n'), result.runs, undefined, {
    coefficient: 6,
    exponent: 1,
    source: '',
  });
  assert.equal(viaK[0].compute, 6 * 1e9 * 2e10);
  assert.throws(
    () => listedCandidates(parseTable('list.csv', 'arch,samples\nA1,1e9\nZ9,1e9\n'), result.runs, undefined, undefined),
    /list\.csv:3:1: architecture "Z9"/,
  );
});

test('CLI --suggest --json: suggestions best first with config, compute, intervals now and after', () =>
  withTempDir('suggest', (dir) => {
    const random = new Random(8);
    const lines = [
      'arch,params,samples,compute,loss',
      ...grid
        .filter((_, i) => i % 2 === 0)
        .map(
          (g) =>
            `${g.arch},${g.params},${g.samples},${g.compute},${(truth(g.compute) * Math.exp(0.03 * random.normal())).toFixed(6)}`,
        ),
    ];
    fs.writeFileSync(path.join(dir, 'runs.csv'), lines.join('\n') + '\n');
    const { code, stdout, stderr } = runCli([
      'fit',
      path.join(dir, 'runs.csv'),
      '--frontier',
      'all',
      '--bootstrap',
      '200',
      '--suggest',
      '1e14',
      '--compute-cap',
      '1e12',
      '--json',
    ]);
    assert.equal(code, 0, stderr);
    const suggestions: Suggestion[] = JSON.parse(stdout).suggestions;
    assert.equal(suggestions.length, 12);
    for (const s of suggestions) {
      for (const key of ['config', 'compute', 'interval_now', 'interval_after', 'shrink_per_compute'])
        assert.ok(key in s, key);
      assert.ok(s.compute <= 1e12);
    }
    for (let i = 1; i < suggestions.length; i++)
      assert.ok(suggestions[i - 1].shrink_per_compute >= suggestions[i].shrink_per_compute);
    const missing = runCli([
      'fit',
      path.join(dir, 'runs.csv'),
      '--bootstrap',
      '0',
      '--suggest',
      '1e14',
      '--candidates',
      path.join(dir, 'none.csv'),
    ]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--candidates .*none\.csv: no such file/);
  }));
