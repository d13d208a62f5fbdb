/** Data drawn from each law with known parameters and log-normal noise: fits recover them; bootstrap intervals cover. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitLaw } from '../../src/core/fit/fitLaw';
import { lawByName, lawData } from '../../src/core/laws/index';
import type { LawParams } from '../../src/core/laws/law';
import { Random } from '../../src/core/random';
import { analyze } from '../../src/core/analysis';
import { bootstrap } from '../../src/core/bootstrap';
import { interval95 } from '../../src/core/stats';
import { createFitPool } from '../../src/node/fitPool';
import type { Table } from '../../src/core/ingest/table';
import type { DatasetSpec } from '../../src/core/schema/spec';

function computeSweep(n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, (_, i) => 10 ** (lo + ((hi - lo) * i) / (n - 1)));
}

test('power law: β = 8, α = −0.12 recovered within 3 % and 0.005 (σ = 2 % noise, 30 points)', () => {
  const random = new Random(1);
  const truth = { beta: 8, alpha: -0.12 };
  const points = computeSweep(30, 9, 13).map((compute) => ({
    compute,
    error: truth.beta * compute ** truth.alpha * Math.exp(0.02 * random.normal()),
  }));
  const fit = fitLaw(lawByName('power'), lawData(points), { kind: 'ls' });
  assert.ok(Math.abs(fit.params.beta / truth.beta - 1) < 0.03, `beta ${fit.params.beta}`);
  assert.ok(Math.abs(fit.params.alpha - truth.alpha) < 0.005, `alpha ${fit.params.alpha}`);
});

test('power law with Huber loss ignores a gross outlier that pulls least squares away', () => {
  const random = new Random(2);
  const points = computeSweep(25, 9, 13).map((compute) => ({
    compute,
    error: 8 * compute ** -0.12 * Math.exp(0.01 * random.normal()),
  }));
  points[24].error *= 3;
  const ls = fitLaw(lawByName('power'), lawData(points), { kind: 'ls' });
  const huber = fitLaw(
    lawByName('power'),
    lawData(points),
    { kind: 'huber', delta: 0.01 },
    { starts: [lawByName('power').fromParams({ beta: 1, alpha: 0 })] },
  );
  assert.ok(Math.abs(huber.params.alpha + 0.12) < 0.003, `huber alpha ${huber.params.alpha}`);
  assert.ok(
    Math.abs(ls.params.alpha + 0.12) > Math.abs(huber.params.alpha + 0.12),
    'least squares is pulled further by the outlier',
  );
  assert.equal(huber.converged, true, huber.reason);
});

test('saturating law: E∞ = 0.15, β = 40, α = −0.3 recovered (σ = 1 % noise)', () => {
  const random = new Random(3);
  const truth = { e_inf: 0.15, beta: 40, alpha: -0.3 };
  const points = computeSweep(40, 3, 11).map((compute) => ({
    compute,
    error: (truth.e_inf + truth.beta * compute ** truth.alpha) * Math.exp(0.01 * random.normal()),
  }));
  const fit = fitLaw(lawByName('saturating'), lawData(points), { kind: 'ls' });
  assert.equal(fit.converged, true, fit.reason);
  assert.ok(Math.abs(fit.params.e_inf / truth.e_inf - 1) < 0.05, `e_inf ${fit.params.e_inf}`);
  assert.ok(Math.abs(fit.params.alpha - truth.alpha) < 0.03, `alpha ${fit.params.alpha}`);
});

test('joint law (Chinchilla form): E 1.82, A 482, B 2085, α 0.348, β 0.366 recovered with Huber δ = 1e-3', () => {
  const fit = fitLaw(lawByName('joint'), lawData(chinchillaRuns(240, new Random(4))), { kind: 'huber', delta: 1e-3 });
  assert.equal(fit.converged, true, fit.reason);
  assert.ok(Math.abs(fit.params.E / chinchilla.E - 1) < 0.05, `E ${fit.params.E}`);
  assert.ok(Math.abs(fit.params.alpha - chinchilla.alpha) < 0.03, `alpha ${fit.params.alpha}`);
  assert.ok(Math.abs(fit.params.beta - chinchilla.beta) < 0.03, `beta ${fit.params.beta}`);
});

test('joint law on 50k runs (multi-start search on a subsample, refined on all): Chinchilla parameters recovered', () => {
  const fit = fitLaw(lawByName('joint'), lawData(chinchillaRuns(50_000, new Random(8))), {
    kind: 'huber',
    delta: 1e-3,
  });
  assert.equal(fit.converged, true, fit.reason);
  assert.ok(Math.abs(fit.params.E / chinchilla.E - 1) < 0.02, `E ${fit.params.E}`);
  assert.ok(Math.abs(fit.params.alpha - chinchilla.alpha) < 0.01, `alpha ${fit.params.alpha}`);
  assert.ok(Math.abs(fit.params.beta - chinchilla.beta) < 0.01, `beta ${fit.params.beta}`);
});

test('broken power law: the slope change around C_b is found', () => {
  const broken = lawByName('broken');
  const truth = { e_inf: 0, beta: 5, alpha: -0.05, c_break: 1e10, gamma: 0.15, sharpness: 0.3 };
  const random = new Random(5);
  const points = computeSweep(40, 7, 13).map((compute) => ({
    compute,
    error: broken.predict(truth, { compute }) * Math.exp(0.005 * random.normal()),
  }));
  const fit = fitLaw(broken, lawData(points), { kind: 'ls' });
  assert.ok(Math.abs(fit.params.alpha - truth.alpha) < 0.02, `alpha ${fit.params.alpha}`);
  assert.ok(
    Math.abs(fit.params.alpha - fit.params.gamma - (truth.alpha - truth.gamma)) < 0.02,
    `late slope ${fit.params.alpha - fit.params.gamma}`,
  );
  assert.ok(Math.abs(Math.log10(fit.params.c_break) - 10) < 0.5, `break at ${fit.params.c_break}`);
});

function syntheticTable(points: { compute: number; error: number }[]): { table: Table; spec: DatasetSpec } {
  const table: Table = {
    file: 'synthetic.csv',
    format: 'csv',
    columns: ['compute', 'loss'],
    data: [Float64Array.from(points, (p) => p.compute), Float64Array.from(points, (p) => p.error)],
    rowCount: points.length,
    lines: points.map((_, i) => i + 2),
  };
  const spec: DatasetSpec = {
    profile: 'configured',
    metric: 'loss',
    compute: ['compute'],
    filters: [],
    joins: [],
    defaultFrontier: { kind: 'all' },
    notes: [],
  };
  return { table, spec };
}

test('bootstrap 95 % intervals cover the true α and a prediction in ≥ 90 % of 200 seeded repetitions', () => {
  const truth = { beta: 8, alpha: -0.12 };
  let alphaCovered = 0;
  let predictionCovered = 0;
  const target = 1e14;
  for (let rep = 0; rep < 200; rep++) {
    const random = new Random(1000 + rep);
    const points = computeSweep(25, 9, 13).map((compute) => ({
      compute,
      error: truth.beta * compute ** truth.alpha * Math.exp(0.03 * random.normal()),
    }));
    const { table, spec } = syntheticTable(points);
    const result = analyze(table, spec, { bootstrap: 1000, seed: rep, predict: [{ compute: target }] });
    const [lo, hi] = result.fits[0].ci95!.alpha;
    if (lo <= truth.alpha && truth.alpha <= hi) alphaCovered++;
    const [plo, phi] = result.fits[0].predictions[0].ci95!;
    const trueError = truth.beta * target ** truth.alpha;
    if (plo <= trueError && trueError <= phi) predictionCovered++;
  }
  assert.ok(alphaCovered >= 180, `α covered in ${alphaCovered}/200`);
  assert.ok(predictionCovered >= 180, `prediction covered in ${predictionCovered}/200`);
});

test('bootstrap is reproducible for a seed and differs across seeds', () => {
  const random = new Random(9);
  const points = computeSweep(20, 9, 13).map((compute) => ({
    compute,
    error: 8 * compute ** -0.12 * Math.exp(0.03 * random.normal()),
  }));
  const { table, spec } = syntheticTable(points);
  const a = analyze(table, spec, { bootstrap: 300, seed: 7 }).fits[0].ci95;
  const b = analyze(table, spec, { bootstrap: 300, seed: 7 }).fits[0].ci95;
  const c = analyze(table, spec, { bootstrap: 300, seed: 8 }).fits[0].ci95;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});

/**
 * Bootstrap coverage on known truths: for each law and objective, 100 data sets drawn from the law with log-normal
 * noise, each fitted and bootstrapped (200 resamples: enough for the 2.5 % and 97.5 % quantiles, and it keeps the
 * suite fast; with 1000 the coverage is the same within a few repetitions); every parameter's 95 % interval must
 * hold the truth in at least 90 of the 100. The joint law uses Chinchilla-like N and D and σ = 0.02.
 */
const COVERAGE_REPETITIONS = 100;
const COVERAGE_RESAMPLES = 200;
const coverageCases: {
  law: string;
  truth: LawParams;
  n: number;
  draw: (random: Random, i: number, n: number) => { compute: number; params?: number; samples?: number };
}[] = [
  {
    law: 'power',
    truth: { beta: 8, alpha: -0.12 },
    n: 25,
    draw: (_, i, n) => ({ compute: 10 ** (9 + (4 * i) / (n - 1)) }),
  },
  {
    law: 'saturating',
    truth: { e_inf: 0.15, beta: 40, alpha: -0.3 },
    n: 60,
    draw: (_, i, n) => ({ compute: 10 ** (3 + (8 * i) / (n - 1)) }),
  },
  {
    law: 'joint',
    truth: { E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366 },
    n: 120,
    draw: (random) => {
      const params = 10 ** (Math.log10(7e7) + random.next() * (Math.log10(1.6e10) - Math.log10(7e7)));
      const samples = 10 ** (9.5 + random.next() * 2.5);
      return { compute: 6 * params * samples, params, samples };
    },
  },
];

for (const c of coverageCases)
  for (const objective of [{ kind: 'ls' } as const, { kind: 'huber', delta: 1e-3 } as const]) {
    test(`bootstrap coverage, ${c.law} law, ${objective.kind === 'ls' ? 'least squares' : 'Huber δ = 1e-3'}: each 95 % interval holds the truth in ≥ 90 of ${COVERAGE_REPETITIONS} repetitions`, () => {
      const law = lawByName(c.law);
      const pool = createFitPool();
      const covered = Object.fromEntries(law.paramNames.map((name) => [name, 0]));
      try {
        for (let rep = 0; rep < COVERAGE_REPETITIONS; rep++) {
          const random = new Random(5000 + rep);
          const points = Array.from({ length: c.n }, (_, i) => {
            const at = c.draw(random, i, c.n);
            return { ...at, error: law.predict(c.truth, at) * Math.exp(0.02 * random.normal()) };
          });
          const data = lawData(points);
          // The full fit from the law's deterministic starts (the coverage is the bootstrap's to prove).
          const fit = fitLaw(law, data, objective, { starts: law.quickStarts?.(data), runner: pool });
          const runs = {
            compute: Float64Array.from(points, (p) => p.compute),
            error: Float64Array.from(points, (p) => p.error),
            ...(law.inputs === 'params-samples'
              ? {
                  params: Float64Array.from(points, (p) => p.params!),
                  samples: Float64Array.from(points, (p) => p.samples!),
                }
              : {}),
          };
          const boot = bootstrap(
            law,
            objective,
            { kind: 'all' },
            runs,
            fit.theta,
            COVERAGE_RESAMPLES,
            rep,
            { runner: pool },
            () => null,
          );
          assert.equal(boot.failed, 0);
          for (const name of law.paramNames) {
            const [lo, hi] = interval95(boot.params.map((p) => p[name]))!;
            if (lo <= c.truth[name] && c.truth[name] <= hi) covered[name]++;
          }
        }
      } finally {
        pool.close();
      }
      for (const name of law.paramNames)
        assert.ok(
          covered[name] >= 90,
          `${name} covered in ${covered[name]}/${COVERAGE_REPETITIONS} (${JSON.stringify(covered)})`,
        );
    });
  }

/** Chinchilla's fit (Hoffmann et al. 2022): the truth the joint-law tests recover. */
const chinchilla: LawParams = { E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366 };

/** Runs with N log-uniform in [7e7, 1.6e10], D in [1e9, 1e12], loss on the Chinchilla law with 0.5 % noise. */
function chinchillaRuns(n: number, random: Random) {
  const joint = lawByName('joint');
  return Array.from({ length: n }, () => {
    const params = 10 ** (Math.log10(7e7) + random.next() * (Math.log10(1.6e10) - Math.log10(7e7)));
    const samples = 10 ** (9 + random.next() * 3);
    return {
      compute: 6 * params * samples,
      params,
      samples,
      error: joint.predict(chinchilla, { params, samples }) * Math.exp(0.005 * random.normal()),
    };
  });
}
