/** Frontier selection against hand-computed answers (numpy.histogram/digitize semantics worked out by hand). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frontier } from '../../src/core/frontier';
import { Random } from '../../src/core/random';

test('pareto keeps runs that beat every cheaper run', () => {
  const compute = [1, 2, 3, 4, 5];
  const error = [0.5, 0.6, 0.4, 0.45, 0.3];
  assert.deepEqual(
    frontier({ kind: 'pareto' }, compute, error).map((p) => p.source),
    [0, 2, 4],
  );
});

test('binned:2 over log10 C from min to max + 0.1: minimum error per bin at the bin centre', () => {
  // log10 C = 0, 1, 2, 3 → range [0, 3.1], width 1.55: bin 0 holds 0, 1; bin 1 holds 2, 3.
  const compute = [1, 10, 100, 1000];
  const error = [0.5, 0.4, 0.35, 0.2];
  const points = frontier({ kind: 'binned', bins: 2 }, compute, error);
  assert.deepEqual(
    points.map((p) => p.source),
    [1, 3],
  );
  assert.ok(Math.abs(Math.log10(points[0].compute) - 0.775) < 1e-12);
  assert.ok(Math.abs(Math.log10(points[1].compute) - 2.325) < 1e-12);
});

test('binned frontier skips empty bins', () => {
  const compute = [1, 1.5, 1e6];
  const error = [0.5, 0.4, 0.1];
  const points = frontier({ kind: 'binned', bins: 5 }, compute, error);
  assert.equal(points.length, 2);
});

test('binned frontier of 300k runs (beyond what Math.min(...values) can take): each bin keeps its lowest error', () => {
  const random = new Random(21);
  const n = 300_000;
  const compute = Float64Array.from({ length: n }, () => 10 ** (9 + 4 * random.next()));
  const error = Float64Array.from(compute, (c) => 5.86 * c ** -0.111 * Math.exp(0.2 * random.next()));
  const points = frontier({ kind: 'binned', bins: 5 }, compute, error);
  assert.equal(points.length, 5);
  const logs = Array.from(compute, Math.log10);
  const lo = logs.reduce((a, b) => Math.min(a, b));
  const width = (logs.reduce((a, b) => Math.max(a, b)) + 0.1 - lo) / 5;
  points.forEach((point, k) => {
    const inBin = logs
      .map((l, i) => [l, error[i]] as const)
      .filter(([l]) => l >= lo + k * width && (k === 4 || l < lo + (k + 1) * width));
    assert.equal(
      point.error,
      inBin.reduce((best, [, e]) => Math.min(best, e), Infinity),
      `bin ${k}`,
    );
  });
});
