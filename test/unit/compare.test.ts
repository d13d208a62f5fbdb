/** --compare: differences of group parameters, their bootstrap p-values (calibrated on known truth) and crossings. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/core/analysis';
import { bootstrapPValue, unboundedInterval95 } from '../../src/core/decisions/bootstrapTools';
import { compareGroups, crossingIn, smallSampleFactor } from '../../src/core/decisions/compare';
import { lawByName } from '../../src/core/laws/index';
import { Random } from '../../src/core/random';
import { runCli } from './cliHelper';
import { logSweep, specOf, tableOf } from './decisionsHelpers';

/** Two groups of n runs each on E = 8·C^α (α per group), compute jittered, 3 % log-normal noise. */
function twoGroups(seed: number, n: number, alphaB: number) {
  const random = new Random(seed);
  const rows: Record<string, number | string>[] = [];
  for (const [group, alpha] of [
    ['A', -0.12],
    ['B', alphaB],
  ] as const) {
    for (const c of logSweep(n, 9, 13)) {
      const compute = c * Math.exp(0.3 * random.normal());
      rows.push({ compute, loss: 8 * compute ** alpha * Math.exp(0.03 * random.normal()), group });
    }
  }
  return analyze(tableOf(rows), specOf({ group: { column: 'group' } }), { bootstrap: 300, seed });
}

function alphaPValues(seeds: number, n: number, alphaB: number): number[] {
  return Array.from(
    { length: seeds },
    (_, s) => compareGroups(twoGroups(700 + s, n, alphaB)).comparisons.find((c) => c.param === 'alpha')!.p_value!,
  );
}

test('same exponent in both groups: p roughly uniform, 5 % false positives over 150 seeds (15 runs a group)', () => {
  const p = alphaPValues(150, 15, -0.12);
  const share = (t: number) => p.filter((v) => v < t).length / p.length;
  // Binomial sd of a 5 % rate over 150 seeds is 1.8 %: [1 %, 10 %] is more than ±2.5 sd.
  assert.ok(share(0.05) >= 0.01 && share(0.05) <= 0.1, `false positive rate ${share(0.05)}`);
  assert.ok(share(0.5) >= 0.38 && share(0.5) <= 0.62, `P(p < 0.5) = ${share(0.5)}`);
  assert.ok(share(0.25) >= 0.15 && share(0.25) <= 0.35, `P(p < 0.25) = ${share(0.25)}`);
});

test('exponents −0.12 vs −0.15 (15 runs a group): the difference is found in ≥ 80 % of 60 seeds', () => {
  const p = alphaPValues(60, 15, -0.15);
  const power = p.filter((v) => v < 0.05).length / p.length;
  assert.ok(power >= 0.8, `power ${power}`);
});

test('the difference, its interval and the crossing of two power laws match their closed forms', () => {
  const result = twoGroups(3, 20, -0.16);
  const { comparisons } = compareGroups(result);
  const alpha = comparisons.find((c) => c.param === 'alpha')!;
  const [a, b] = result.fits;
  assert.deepEqual(alpha.groups, [a.group, b.group]);
  assert.equal(alpha.difference, a.params.alpha - b.params.alpha);
  assert.ok(alpha.ci95![0] < alpha.difference && alpha.difference < alpha.ci95![1]);
  // β_a·C^α_a = β_b·C^α_b  ⇔  ln C = ln(β_b/β_a) / (α_a − α_b).
  const expected = Math.exp(Math.log(b.params.beta / a.params.beta) / (a.params.alpha - b.params.alpha));
  if (expected >= alpha.crossing_range[0] && expected <= alpha.crossing_range[1]) {
    assert.ok(Math.abs(alpha.crossing!.compute / expected - 1) < 1e-9, `${alpha.crossing!.compute} vs ${expected}`);
  } else assert.equal(alpha.crossing, null);
});

test('crossings: two laws crossing at 1e11 are found there; parallel laws never cross', () => {
  const power = lawByName('power');
  // 2·C^−0.1 = β·C^−0.15 at C = 1e11  ⇒  β = 2·1e11^0.05.
  const found = crossingIn(power, { beta: 2, alpha: -0.1 }, { beta: 2 * 1e11 ** 0.05, alpha: -0.15 }, 1e9, 1e14);
  assert.equal(found.length, 1);
  assert.ok(Math.abs(Math.log10(found[0]) - 11) < 1e-9, `${found[0]}`);
  assert.deepEqual(crossingIn(power, { beta: 2, alpha: -0.1 }, { beta: 3, alpha: -0.1 }, 1e9, 1e14), []);
});

test('small-sample factor: sqrt(n/(n − p))·t(n − p)/z, infinite without a residual degree of freedom', () => {
  // t₀.₉₇₅(3) = 3.182446 (SciPy): sqrt(5/3)·3.182446/1.959964 = 2.09620.
  assert.ok(Math.abs(smallSampleFactor(5, 2) - 2.0962) < 1e-4, `${smallSampleFactor(5, 2)}`);
  assert.equal(smallSampleFactor(2, 2), Infinity);
  assert.ok(Math.abs(smallSampleFactor(1e6, 2) - 1) < 1e-3);
});

test('p-value and unbounded interval read-outs', () => {
  const symmetric = Array.from({ length: 999 }, (_, i) => i - 499);
  assert.ok(Math.abs(bootstrapPValue(symmetric)! - 1) < 0.01);
  const allPositive = Array.from({ length: 999 }, (_, i) => i + 1);
  assert.equal(bootstrapPValue(allPositive), 2 / 1000);
  const withInfinity = [...Array.from({ length: 90 }, (_, i) => i + 1), ...Array(10).fill(Infinity)];
  // numpy.percentile(..., 2.5) of 1..90 and ten infinities: position 2.475 → 3.475; the top 2.5 % are infinite.
  assert.deepEqual(unboundedInterval95(withInfinity), [3.475, null]);
});

test('one group only: nothing to compare, said so', () => {
  const random = new Random(1);
  const rows = logSweep(10, 9, 13).map((compute) => ({
    compute,
    loss: 8 * compute ** -0.1 * Math.exp(0.02 * random.normal()),
  }));
  const report = compareGroups(analyze(tableOf(rows), specOf({}), { bootstrap: 100 }));
  assert.equal(report.comparisons.length, 0);
  assert.match(report.notes[0], /only one group/);
});

test("CLI --compare on the paper's ImageNet results: the JSON shape, and 3 OpenAI runs leave the exponents indistinguishable", () => {
  const { code, stdout, stderr } = runCli([
    'fit',
    'examples/openclip/zeroshot_results.csv',
    '--compare',
    '--bootstrap',
    '300',
    '--json',
  ]);
  assert.equal(code, 0, stderr);
  const json = JSON.parse(stdout);
  const alpha = json.comparisons.find((c: { param: string }) => c.param === 'alpha');
  assert.deepEqual(alpha.groups, ['LAION', 'CLIP-WIT']);
  // The paper's fits: −0.111388 − (−0.163775) = 0.052387.
  assert.ok(Math.abs(alpha.difference - 0.052387) < 5e-4, `${alpha.difference}`);
  for (const key of ['groups', 'param', 'difference', 'ci95', 'p_value', 'crossing']) assert.ok(key in alpha, key);
  // With 3 points and 2 parameters the CLIP-WIT fit has one residual degree of freedom (t₀.₉₇₅ = 12.7).
  assert.ok(alpha.p_value > 0.05, `p ${alpha.p_value}`);
  assert.ok(alpha.ci95[0] < 0 && 0 < alpha.ci95[1]);
  // The two laws cross where 5.86·C^−0.111 = 23.2·C^−0.164: ln C = ln(23.18/5.858)/0.0524 → C ≈ 2.5e11.
  assert.ok(
    Math.abs(Math.log10(alpha.crossing.compute) - Math.log10(Math.exp(Math.log(23.183551 / 5.858059) / 0.052387))) <
      0.02,
  );
});
