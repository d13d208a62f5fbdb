/**
 * Fit warnings and outliers (issue #9, deliverable 7), one test per kind, and the joint law's default of all runs
 * (deliverable 4). Known answers: generating truths, and the robust z-score recomputed here from its definition.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fitLaw, type LawFit } from '../../src/core/fit/fitLaw';
import { fitWarnings } from '../../src/core/fitWarnings';
import { runFitJob } from '../../src/worker/fitJob';
import { predictAtLine } from '../../src/core/hoverPrediction';
import { lawByName, lawData } from '../../src/core/laws/index';
import type { LawParams } from '../../src/core/laws/law';
import { findOutliers } from '../../src/core/outliers';
import { Random } from '../../src/core/random';
import { toJson, toText } from '../../src/core/report';
import { csv, fitText } from './memoryFile';
import { withTempDir } from './helpers/tempDir';

const sweep = (n: number, from = 18, step = 0.25) => Array.from({ length: n }, (_, i) => 10 ** (from + i * step));
const lossFile = (points: { compute: number; loss: number }[]) =>
  csv(
    ['compute', 'loss'],
    points.map((p) => [p.compute.toExponential(12), p.loss.toPrecision(12)]),
  );
const kinds = (warnings: { kind: string }[]) => warnings.map((w) => w.kind);

test('positive exponent: a loss rising with compute is flagged; a falling one is not', () => {
  const rising = fitText(lossFile(sweep(8).map((compute) => ({ compute, loss: 0.1 * compute ** 0.05 }))), {
    frontier: { kind: 'all' },
  });
  const warning = rising.fits[0].warnings.find((w) => w.kind === 'positive-exponent');
  assert.ok(warning, kinds(rising.fits[0].warnings).join());
  assert.match(warning.message, /the fitted loss rises with compute \(alpha = 0\.05 > 0\)/);
  const falling = fitText(lossFile(sweep(8).map((compute) => ({ compute, loss: 10 * compute ** -0.05 }))), {
    frontier: { kind: 'all' },
  });
  assert.deepEqual(kinds(falling.fits[0].warnings), []);
});

test('positive exponent, joint law: a negative alpha (loss rising with parameters) is flagged', () => {
  const joint = lawByName('joint');
  const params: LawParams = { E: 1.7, A: 400, B: 400, alpha: -0.1, beta: 0.3 };
  const points = [1e8, 1e9, 1e10].flatMap((n) =>
    [1e10, 1e11, 1e12].map((d) => ({ compute: 6 * n * d, params: n, samples: d, line: 2 })),
  );
  const warnings = fitWarnings({
    law: joint,
    fit: fitResult('joint', params),
    points,
    noun: 'loss',
    bootstrap: null,
    outliers: [],
    runName: String,
  });
  assert.deepEqual(kinds(warnings), ['positive-exponent']);
  assert.match(warnings[0].message, /rises with parameters \(alpha = −0\.1 < 0\)/);
});

test('few points: fewer than parameters + 2 is flagged (3 points for the power law), 4 are not', () => {
  const three = fitText(
    lossFile(sweep(3).map((compute) => ({ compute, loss: 10 * compute ** -0.05 * (compute > 1e18 ? 1.01 : 1) }))),
    { frontier: { kind: 'all' } },
  );
  assert.ok(kinds(three.fits[0].warnings).includes('few-points'));
  assert.match(
    three.fits[0].warnings.find((w) => w.kind === 'few-points')!.message,
    /3 points for a law with 2 parameters \(fewer than 4\)/,
  );
  const four = fitText(lossFile(sweep(4).map((compute) => ({ compute, loss: 10 * compute ** -0.05 }))), {
    frontier: { kind: 'all' },
  });
  assert.ok(!kinds(four.fits[0].warnings).includes('few-points'));
});

test('parameter at a bound: a saturating law on floorless power-law data drives E∞ towards 0 and says so', () => {
  const points = sweep(12).map((compute) => ({ compute, loss: 20 * compute ** -0.1 }));
  const result = fitText(lossFile(points), { law: 'saturating', frontier: { kind: 'all' } });
  const fit = result.fits[0];
  assert.ok(fit.params.e_inf < 1e-3 * Math.min(...points.map((p) => p.loss)), `E∞ ${fit.params.e_inf}`);
  const warning = fit.warnings.find((w) => w.kind === 'at-bound');
  assert.ok(warning, kinds(fit.warnings).join());
  assert.match(warning.message, /^e_inf = .* is at its bound 0: the data show no floor/);
  // With a floor in the data, none.
  const floored = fitText(lossFile(sweep(12).map((compute) => ({ compute, loss: 1.5 + 20 * compute ** -0.1 }))), {
    law: 'saturating',
    frontier: { kind: 'all' },
  });
  assert.ok(!kinds(floored.fits[0].warnings).includes('at-bound'), floored.fits[0].formula);
});

test('not identifiable: runs that all share one compute value', () => {
  const result = fitText(
    csv(
      ['compute', 'loss'],
      [
        [1e20, 2.1],
        [1e20, 2.0],
        [1e20, 2.3],
        [1e20, 2.2],
        [1e20, 2.05],
      ],
    ),
    { frontier: { kind: 'all' } },
  );
  const warning = result.fits[0].warnings.find((w) => w.kind === 'not-identifiable');
  assert.ok(warning, kinds(result.fits[0].warnings).join());
  assert.match(warning.message, /1 distinct compute value for 2 free parameters/);
  const fit = fitLaw(
    lawByName('joint'),
    lawData(
      [2, 3, 4, 5, 6, 7].map((k) => ({ compute: 6e9 * 10 ** k, params: 1e9, samples: 10 ** k, error: 2 + 1 / k })),
    ),
    { kind: 'ls' },
  );
  assert.match(
    fit.notIdentifiable!,
    /E, A, alpha are not determined/,
    'one parameter count: E, A and α are one constant',
  );
});

test('not converged: the stopping reason and iterations are in the warning', () => {
  const params = { beta: 5, alpha: -0.1 };
  const fit = {
    ...fitResult('power', params),
    converged: false,
    reason: 'iteration limit (2000) reached',
    iterations: 2000,
  };
  const warnings = fitWarnings({
    law: lawByName('power'),
    fit,
    points: [
      { compute: 1e10, line: 2 },
      { compute: 1e12, line: 3 },
      { compute: 1e14, line: 4 },
      { compute: 1e16, line: 5 },
    ],
    noun: 'error',
    bootstrap: null,
    outliers: [],
    runName: String,
  });
  assert.deepEqual(kinds(warnings), ['not-converged']);
  assert.match(warnings[0].message, /did not converge \(iteration limit \(2000\) reached, 2000 iterations\)/);
});

test('bootstrap failures: resamples without a usable fit are counted in a warning', () => {
  const result = fitText(
    lossFile(sweep(3).map((compute, i) => ({ compute, loss: 10 * compute ** -0.05 * (1 + 0.01 * i) }))),
    { frontier: { kind: 'all' }, bootstrap: 200, seed: 2 },
  );
  const fit = result.fits[0];
  assert.ok(fit.bootstrap!.failed > 0, 'three runs: some resamples repeat one run');
  const warning = fit.warnings.find((w) => w.kind === 'bootstrap-failures')!;
  assert.equal(
    warning.message,
    `${fit.bootstrap!.failed} of 200 bootstrap resamples gave no usable fit and were left out of the intervals`,
  );
});

/** 30 runs on E = 8·C^−0.1 with 1 % log noise; the run on line 17 is three times off (its compute 1000× wrong, say). */
function withOutlier() {
  const random = new Random(11);
  const points = sweep(30, 9, 0.2).map((compute) => ({
    compute,
    loss: 8 * compute ** -0.1 * Math.exp(0.01 * random.normal()),
  }));
  points[15].loss *= 3;
  return points;
}

test('outliers: a run far off the law has a robust z-score beyond 3.5, computed as the definition says', () => {
  const points = withOutlier();
  const result = fitText(lossFile(points), { frontier: { kind: 'all' } });
  const fit = result.fits[0];
  assert.equal(fit.outliers.length, 1);
  assert.equal(fit.outliers[0].line, 17);
  // Independent: residuals from the fitted law, median, MAD × 1.4826.
  const residuals = points.map((p) => Math.log10(p.loss / (fit.params.beta * p.compute ** fit.params.alpha)));
  const sorted = [...residuals].sort((a, b) => a - b);
  const med = (sorted[14] + sorted[15]) / 2;
  const deviations = residuals.map((r) => Math.abs(r - med)).sort((a, b) => a - b);
  const mad = (deviations[14] + deviations[15]) / 2;
  // The spread is floored at 0.005 in log10 (README: a run must be about 4 % off its law to be flagged).
  const z = (residuals[15] - med) / Math.max(1.4826 * mad, 0.005);
  assert.ok(Math.abs(fit.outliers[0].z / z - 1) < 1e-8, `${fit.outliers[0].z} vs ${z}`);
  assert.ok(Math.abs(fit.outliers[0].residual_log10 - residuals[15]) < 1e-12);
  assert.ok(
    residuals.every((r, i) => i === 15 || Math.abs((r - med) / Math.max(1.4826 * mad, 0.005)) <= 3.5),
    'no other run flagged, none missed',
  );
  const warning = fit.warnings.find((w) => w.kind === 'outlier')!;
  assert.equal(warning.line, 17);
  assert.match(warning.message, /the run on line 17 is far off the law: above it by a factor 2\.\d+ .*robust z = \d/);
  const json = toJson(result) as { fits: { outliers: { line: number; residual_log10: number; z: number }[] }[] };
  assert.deepEqual(Object.keys(json.fits[0].outliers[0]), ['line', 'residual_log10', 'z']);
  assert.match(toText(result), /warning: the run on line 17 is far off the law/);
});

test('outliers of a frontier fit are among its fitted points: a run far above a Pareto frontier is not one', () => {
  const result = fitText(lossFile(withOutlier()), {});
  const fit = result.fits[0];
  assert.equal(fit.frontier, 'pareto');
  assert.ok(!fit.frontier_points.some((p) => p.line === 17), 'the high run is not on the frontier');
  assert.ok(!fit.outliers.some((o) => o.line === 17));
});

test('outliers: fewer than 8 points, or a near-perfect fit, flag nothing', () => {
  // Seven points, one a factor 10 off: too few for a median and MAD to say so.
  assert.deepEqual(
    findOutliers([0, 0.01, -0.01, 0.005, -0.005, 0, 1].map((r, i) => ({ line: i + 2, residualLog10: r }))),
    [],
  );
  const exact = Array.from({ length: 10 }, (_, i) => ({ line: i + 2, residualLog10: i * 1e-15 }));
  assert.deepEqual(findOutliers(exact), [], 'rounding noise on a law through its points is no outlier');
  // A run 3 % off a fit whose other runs sit within 0.05 %: with the spread floored at 0.005, z = 0.0128 / 0.005 ≈ 2.6.
  const tight = Array.from({ length: 10 }, (_, i) => ({ line: i + 2, residualLog10: (i % 2 ? 1 : -1) * 2e-4 }));
  tight.push({ line: 12, residualLog10: Math.log10(1.03) });
  assert.deepEqual(findOutliers(tight), []);
});

test('outliers reach the plot model, the panel warnings and the hover ("outlier: z = …")', () =>
  withTempDir('outliers', (dir) => {
    const file = path.join(dir, 'runs.csv');
    fs.writeFileSync(file, lossFile(withOutlier()));
    const outcome = runFitJob(file, { law: 'power', frontier: 'all', bootstrap: false, budgets: [] }, (p) =>
      fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : undefined,
    );
    assert.equal(outcome.model.outliers.length, 1);
    const [outlier] = outcome.model.outliers;
    assert.equal(outlier.line, 17);
    assert.equal(outlier.group, 'all runs');
    assert.ok(outlier.z > 3.5);
    assert.ok(outcome.model.warnings.some((w) => w.kind === 'outlier' && w.line === 17 && w.group === 'all runs'));
    assert.equal(outcome.model.yLabel, 'loss L = loss (as given)');
    assert.equal(predictAtLine(outcome.hover, 17)!.outlierZ, outlier.z);
    assert.equal(predictAtLine(outcome.hover, 16)!.outlierZ, null);
  }));

test('defaults: the joint law fits all runs of a group unless a frontier is asked for, and says so', () => {
  const random = new Random(4);
  const chinchilla = { E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366 };
  const joint = lawByName('joint');
  const rows = Array.from({ length: 60 }, () => {
    const n = 10 ** (7.8 + random.next() * 2.4);
    const d = 10 ** (9 + random.next() * 3);
    return [
      n.toExponential(8),
      d.toExponential(8),
      (joint.predict(chinchilla, { params: n, samples: d }) * Math.exp(0.01 * random.normal())).toPrecision(8),
    ];
  });
  const text = csv(['params', 'tokens', 'loss'], rows);
  const byDefault = fitText(text, { law: 'joint', objective: { kind: 'huber', delta: 1e-3 } });
  assert.equal(byDefault.fits[0].frontier, 'all');
  assert.equal(byDefault.fits[0].n_used, 60);
  assert.ok(byDefault.fits[0].notes.some((n) => /fitted to all 60 runs \(its default; --frontier pareto/.test(n)));
  const pareto = fitText(text, {
    law: 'joint',
    objective: { kind: 'huber', delta: 1e-3 },
    frontier: { kind: 'pareto' },
  });
  assert.equal(pareto.fits[0].frontier, 'pareto');
  assert.ok(pareto.fits[0].n_used < 60);
  // A compute law on the same file keeps the layout's Pareto default.
  assert.equal(fitText(text).fits[0].frontier, 'pareto');
});

function fitResult(law: 'power' | 'joint', params: LawParams): LawFit {
  return {
    law,
    theta: lawByName(law).fromParams(params),
    params,
    value: 0,
    rmseLog10: 0,
    converged: true,
    reason: 'test',
    startsTried: 1,
    iterations: 10,
    atBound: [],
    notIdentifiable: null,
  };
}
