/**
 * Honest convergence: a fit says how it ended (iterations, reason), which parameters sit at a bound, and when the
 * data cannot determine the parameters (identical compute values, a flat direction); the bootstrap summary counts
 * resamples that failed or did not converge. Never a silent number.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../src/core/analysis';
import { fitLaw } from '../../src/core/fit/fitLaw';
import type { Table } from '../../src/core/ingest/table';
import { lawByName, lawData } from '../../src/core/laws/index';
import { Random } from '../../src/core/random';
import type { DatasetSpec } from '../../src/core/schema/spec';

function table(points: { compute: number; error: number }[]): { table: Table; spec: DatasetSpec } {
  return {
    table: {
      file: 'runs.csv',
      format: 'csv',
      columns: ['compute', 'loss'],
      data: [Float64Array.from(points, (p) => p.compute), Float64Array.from(points, (p) => p.error)],
      rowCount: points.length,
      lines: points.map((_, i) => i + 2),
    },
    spec: {
      profile: 'configured',
      metric: 'loss',
      compute: ['compute'],
      filters: [],
      joins: [],
      defaultFrontier: { kind: 'all' },
      notes: [],
    },
  };
}

test('identical compute values: the power law is not identifiable and not reported as converged; every resample fails', () => {
  const random = new Random(1);
  const points = Array.from({ length: 12 }, () => ({ compute: 1e18, error: 2.5 * Math.exp(0.01 * random.normal()) }));
  const { table: t, spec } = table(points);
  const fit = analyze(t, spec, { bootstrap: 100 }).fits[0];
  assert.equal(fit.converged, false);
  assert.match(fit.not_identifiable!, /1 distinct compute value for 2 free parameters/);
  assert.match(fit.reason, /cannot determine/);
  assert.deepEqual(fit.bootstrap, { resamples: 100, failed: 100, seed: 0, notConverged: 0 });
  assert.equal(fit.ci95 && Object.keys(fit.ci95).length, 0, 'no interval from no usable resample');
});

test('two compute values for the three-parameter saturating law: not identifiable', () => {
  const points = [1e15, 1e15, 1e15, 1e16, 1e16, 1e16].map((compute, i) => ({ compute, error: 0.3 + 0.01 * (i % 3) }));
  const fit = fitLaw(lawByName('saturating'), lawData(points), { kind: 'ls' });
  assert.equal(fit.converged, false);
  assert.match(fit.notIdentifiable!, /2 distinct compute values for 3 free parameters/);
});

test('a flat direction (every run the same size N): A and α of the joint law are not determined', () => {
  const random = new Random(2);
  const joint = lawByName('joint');
  const truth = { E: 1.8, A: 400, B: 2000, alpha: 0.34, beta: 0.36 };
  // The closed form, not joint.predict: every point of the flat valley fits equally well, so which one the fit
  // reaches (and which parameter lands at a bound) turns on the data's last bits; they are pinned here.
  const points = Array.from({ length: 40 }, () => {
    const samples = 10 ** (9.5 + 2.5 * random.next());
    const loss = truth.E + truth.A / Math.pow(1e9, truth.alpha) + truth.B / Math.pow(samples, truth.beta);
    return { compute: 6e9 * samples, params: 1e9, samples, error: loss * Math.exp(0.01 * random.normal()) };
  });
  const fit = fitLaw(joint, lawData(points), { kind: 'huber', delta: 1e-3 });
  assert.equal(fit.converged, false, fit.reason);
  assert.match(fit.notIdentifiable!, /flat direction: .*A.*alpha.* not determined/);
});

test('a saturating fit to data that steepen (no floor) puts E∞ at its bound 0 and says so; a power fit has no bound', () => {
  // ln E bends down as compute grows: any floor would only bend it the other way.
  const points = Array.from({ length: 30 }, (_, i) => {
    const compute = 10 ** (9 + (4 * i) / 29);
    return { compute, error: 8 * compute ** -0.12 * Math.exp(-0.01 * (i / 10) ** 2) };
  });
  const saturating = fitLaw(lawByName('saturating'), lawData(points), { kind: 'ls' });
  assert.deepEqual(saturating.atBound, ['e_inf'], `E∞ = ${saturating.params.e_inf}`);
  assert.ok(saturating.iterations > 0);
  const power = fitLaw(lawByName('power'), lawData(points), { kind: 'ls' });
  assert.deepEqual(power.atBound, []);
  assert.equal(power.iterations, 0, 'closed form');
  assert.equal(power.notIdentifiable, null);
  assert.equal(power.converged, true);
});

test('a well-posed fit: converged, iterations counted, nothing at a bound, identifiable', () => {
  const random = new Random(4);
  const truth = { e_inf: 0.15, beta: 40, alpha: -0.3 };
  const law = lawByName('saturating');
  const points = Array.from({ length: 40 }, (_, i) => {
    const compute = 10 ** (3 + (8 * i) / 39);
    return { compute, error: law.predict(truth, { compute }) * Math.exp(0.01 * random.normal()) };
  });
  const fit = fitLaw(law, lawData(points), { kind: 'huber', delta: 1e-3 });
  assert.equal(fit.converged, true, fit.reason);
  assert.ok(fit.iterations > 0 && fit.iterations < 500, `${fit.iterations} iterations`);
  assert.deepEqual(fit.atBound, []);
  assert.equal(fit.notIdentifiable, null);
});

test('an over-parameterised fit that hits the iteration limit is reported as not converged, and so are its resamples', () => {
  // The BNSL authors' 4-digit-addition example (14 fitted points) with a two-break law: 9 parameters.
  const x = [160, 192, 256, 320, 384, 448, 480, 512, 544, 576, 608, 640, 672, 736];
  const y = [
    2.13809046, 2.11813418, 2.08955508, 2.06988398, 2.05404987, 2.03837089, 2.02814281, 2.00496872, 1.95576149,
    1.86313841, 1.70891537, 1.50637664, 1.29754721, 0.96559684,
  ];
  const { table: t, spec } = table(x.map((compute, i) => ({ compute, error: y[i] })));
  const fit = analyze(t, spec, { law: 'broken2', bootstrap: 40 }).fits[0];
  assert.equal(fit.converged, false);
  assert.match(fit.reason, /iteration limit|not determined/);
  assert.ok(fit.bootstrap!.notConverged + fit.bootstrap!.failed > 0, JSON.stringify(fit.bootstrap));
  assert.ok(
    fit.warnings.some(
      (w) => w.kind === 'bootstrap-failures' && /did not meet the convergence test|gave no usable fit/.test(w.message),
    ),
    JSON.stringify(fit.warnings),
  );
});
