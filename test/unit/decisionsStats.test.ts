/** Numerical helpers of the decision analyses against SciPy 1.17 (scipy.stats.t) and exact algebra. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gram, invert, quadraticForm } from '../../src/core/decisions/linearAlgebra';
import { tCdf, tQuantile } from '../../src/core/decisions/tDistribution';

test("Student t quantiles and CDF equal SciPy's to 1e-9", () => {
  // scipy.stats.t.ppf(0.975, [1, 2, 4, 7, 25]); t.cdf(-2.5, 4); t.ppf(0.9, 3)
  const expected: [number, number][] = [
    [1, 12.70620474],
    [2, 4.30265273],
    [4, 2.77644511],
    [7, 2.36462425],
    [25, 2.05953855],
  ];
  for (const [dof, q] of expected)
    assert.ok(Math.abs(tQuantile(0.975, dof) - q) < 1e-8, `dof ${dof}: ${tQuantile(0.975, dof)}`);
  assert.ok(Math.abs(tCdf(-2.5, 4) - 0.03338327240599407) < 1e-12);
  assert.ok(Math.abs(tQuantile(0.9, 3) - 1.637744353696209) < 1e-9);
  assert.ok(Math.abs(tQuantile(0.025, 5) + tQuantile(0.975, 5)) < 1e-12, 'symmetric');
  assert.ok(Number.isNaN(tQuantile(1, 3)));
});

test('Gram matrix, inverse and quadratic form of a small Jacobian', () => {
  // J = [[1, 0], [1, 1], [1, 2]]: JᵀJ = [[3, 3], [3, 5]], inverse [[5, −3], [−3, 3]] / 6.
  const jtj = gram(Float64Array.of(1, 0, 1, 1, 1, 2), 3, 2);
  assert.deepEqual(Array.from(jtj), [3, 3, 3, 5]);
  const inverse = invert(jtj, 2)!;
  [5 / 6, -0.5, -0.5, 0.5].forEach((v, i) => assert.ok(Math.abs(inverse[i] - v) < 1e-12));
  assert.ok(Math.abs(quadraticForm(inverse, [1, 3], 2) - (5 / 6 - 3 + 4.5)) < 1e-12);
  assert.equal(invert(Float64Array.of(1, 2, 2, 4), 2), null, 'singular');
});
