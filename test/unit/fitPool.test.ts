/**
 * The worker-thread pool: the same intervals and optimum whatever the number of threads, cancellation that stops
 * a job and leaves the pool usable, and a pool that never keeps a process alive.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { bootstrap } from '../../src/core/bootstrap';
import { Cancelled } from '../../src/core/errors';
import { fitLaw } from '../../src/core/fit/fitLaw';
import { lawByName, lawData } from '../../src/core/laws/index';
import { Random } from '../../src/core/random';
import { createFitPool } from '../../src/node/fitPool';

const joint = lawByName('joint');
const truth = { E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366 };
const objective = { kind: 'huber', delta: 1e-3 } as const;

function chinchillaRuns(n: number, seed: number) {
  const random = new Random(seed);
  return Array.from({ length: n }, () => {
    const params = 10 ** (Math.log10(7e7) + random.next() * (Math.log10(1.6e10) - Math.log10(7e7)));
    const samples = 10 ** (9.5 + random.next() * 2.5);
    return {
      compute: 6 * params * samples,
      params,
      samples,
      error: joint.predict(truth, { params, samples }) * Math.exp(0.02 * random.normal()),
    };
  });
}

const runs = chinchillaRuns(240, 11);
const columns = {
  compute: Float64Array.from(runs, (r) => r.compute),
  error: Float64Array.from(runs, (r) => r.error),
  params: Float64Array.from(runs, (r) => r.params),
  samples: Float64Array.from(runs, (r) => r.samples),
};

test('bootstrap refits and the multi-start optimum are identical in this thread and on 2 or 3 threads', () => {
  const alone = fitLaw(joint, lawData(runs), objective);
  // 150 resamples of 240 runs: enough work for the pool to start its threads.
  const reference = bootstrap(joint, objective, { kind: 'all' }, columns, alone.theta, 150, 5, {}, (p) => p);
  for (const threads of [3, 2]) {
    const pool = createFitPool({ threads });
    try {
      if (threads === 3) {
        const fit = fitLaw(joint, lawData(runs), objective, { runner: pool });
        assert.deepEqual(Array.from(fit.theta), Array.from(alone.theta), `optimum on ${threads} threads`);
      }
      const spread = bootstrap(
        joint,
        objective,
        { kind: 'all' },
        columns,
        alone.theta,
        150,
        5,
        { runner: pool },
        (p) => p,
      );
      assert.deepEqual(spread.params, reference.params, `refits on ${threads} threads`);
      assert.equal(spread.failed, reference.failed);
      assert.equal(spread.notConverged, reference.notConverged);
      assert.equal(pool.started, threads - 1, 'the work ran on the pool threads too');
    } finally {
      pool.close();
    }
  }
});

test('a stop request ends a pooled job with Cancelled, and the pool then runs the next job', () => {
  const pool = createFitPool({ threads: 2 });
  try {
    let polls = 0;
    assert.throws(
      () =>
        bootstrap(
          joint,
          objective,
          { kind: 'all' },
          columns,
          joint.fromParams(truth),
          400,
          1,
          { runner: pool, shouldStop: () => ++polls > 5 },
          (p) => p,
        ),
      Cancelled,
    );
    const after = bootstrap(
      joint,
      objective,
      { kind: 'all' },
      columns,
      joint.fromParams(truth),
      120,
      1,
      { runner: pool },
      (p) => p,
    );
    const direct = bootstrap(joint, objective, { kind: 'all' }, columns, joint.fromParams(truth), 120, 1, {}, (p) => p);
    assert.deepEqual(after.params, direct.params);
  } finally {
    pool.close();
  }
});

test('a process that used the pool exits by itself (its threads never keep it alive)', () => {
  const script = `
    const { createFitPool } = require(${JSON.stringify(path.join(__dirname, '..', '..', 'src', 'node', 'fitPool.ts'))});
    const pool = createFitPool({ threads: 2 });
    const job = { law: { name: 'power' }, data: { n: 3, logE: Float64Array.of(1, 0.5, 0.2), logC: Float64Array.of(1, 2, 3) }, objective: { kind: 'huber', delta: 0.1 }, starts: new Float64Array(2 * 64) };
    const results = pool.run('localFit', job, 64, { workPerItem: 1e9 });
    console.log(results.length);
  `;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(result.status, 0, result.stderr);
  assert.equal(result.stdout.trim(), '64');
});
