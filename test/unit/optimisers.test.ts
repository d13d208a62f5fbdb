/** The optimisers on problems with known minima: Rosenbrock, an ill-conditioned quadratic, and honest stopping. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lbfgs } from '../../src/core/fit/lbfgs';
import { levenbergMarquardt } from '../../src/core/fit/levenbergMarquardt';
import type { Law, LawData } from '../../src/core/laws/law';

/**
 * A least-squares problem Σ (target_i − model_i(θ))² dressed as a law, so that the fitter's own optimiser runs on
 * it: logE holds the targets and logPredict the model with its Jacobian.
 */
function problem(targets: number[], model: (theta: Float64Array, out: Float64Array, jac?: Float64Array) => void): { law: Law; data: LawData } {
  const p = 2;
  const law = {
    name: 'power',
    spec: { name: 'power' },
    paramNames: Array.from({ length: p }, (_, k) => `t${k}`),
    thetaNames: Array.from({ length: p }, (_, k) => `t${k}`),
    inputs: 'compute',
    logPredict: (theta: Float64Array, _data: LawData, out: Float64Array, jac?: Float64Array) => model(theta, out, jac),
    toParams: (theta: ArrayLike<number>) => ({ t0: theta[0], t1: theta[1] }),
    fromParams: () => new Float64Array(p),
    starts: () => [],
    predict: () => NaN,
    formula: () => '',
  } as unknown as Law;
  const n = targets.length;
  return { law, data: { n, logE: Float64Array.from(targets), logC: new Float64Array(n) } };
}

/** Rosenbrock as residuals: 10·(y − x²) and 1 − x; minimum 0 at (1, 1). */
const rosenbrock = problem([0, 1], (theta, out, jac) => {
  const [x, y] = theta;
  out[0] = -10 * (y - x * x);
  out[1] = x;
  if (jac) jac.set([20 * x, -10, 1, 0]);
});

/** Residuals √λ·θ_k with λ = 1 and 1e8: a quadratic with condition number 1e8; minimum at 0. */
const illConditioned = problem([0, 0], (theta, out, jac) => {
  out[0] = theta[0];
  out[1] = 1e4 * theta[1];
  if (jac) jac.set([1, 0, 0, 1e4]);
});

const cases = [
  { name: 'Rosenbrock from (−1.2, 1)', ...rosenbrock, start: [-1.2, 1], minimum: [1, 1], tolerance: 1e-7 },
  { name: 'Rosenbrock from (2, −1)', ...rosenbrock, start: [2, -1], minimum: [1, 1], tolerance: 1e-7 },
  { name: 'quadratic with condition number 1e8', ...illConditioned, start: [3, -2], minimum: [0, 0], tolerance: 1e-9 },
];

for (const c of cases) {
  test(`Levenberg–Marquardt: ${c.name} → (${c.minimum})`, () => {
    const result = levenbergMarquardt(c.law, c.data, { kind: 'ls' }, c.start);
    assert.equal(result.converged, true, result.reason);
    assert.ok(result.iterations > 0);
    c.minimum.forEach((m, k) => assert.ok(Math.abs(result.x[k] - m) < c.tolerance, `θ${k} = ${result.x[k]}`));
  });

  test(`L-BFGS: ${c.name} → (${c.minimum})`, () => {
    const pred = new Float64Array(2);
    const jac = new Float64Array(4);
    // Σ r² and its gradient −2 Σ r·J.
    const f = (x: Float64Array, g: Float64Array) => {
      c.law.logPredict(x, c.data, pred, jac);
      g.fill(0);
      let value = 0;
      for (let i = 0; i < 2; i++) {
        const r = c.data.logE[i] - pred[i];
        value += r * r;
        for (let k = 0; k < 2; k++) g[k] -= 2 * r * jac[i * 2 + k];
      }
      return value;
    };
    const result = lbfgs(f, c.start, { ftol: 0, gtol: 1e-10, maxIterations: 5000 });
    assert.equal(result.converged, true, result.reason);
    c.minimum.forEach((m, k) => assert.ok(Math.abs(result.x[k] - m) < Math.max(c.tolerance, 1e-6), `θ${k} = ${result.x[k]}`));
  });
}

test('Levenberg–Marquardt under a Huber loss reaches the minimum of a robust line fit (known by enumeration)', () => {
  // A line through 6 points with one gross outlier. With δ far below the residuals Huber is ≈ least absolute
  // deviations, whose optimum passes through two data points: enumerate all pairs for the reference.
  const xs = [0, 1, 2, 3, 4, 5];
  const ys = [0.1, 1.05, 1.95, 3.1, 9, 5.02];
  const line = problem(ys, (theta, out, jac) => {
    xs.forEach((x, i) => {
      out[i] = theta[0] + theta[1] * x;
      if (jac) jac.set([1, x], 2 * i);
    });
  });
  line.data.n = xs.length;
  line.data.logC = new Float64Array(xs.length);
  const delta = 1e-6;
  const huber = (a: number, b: number) => ys.reduce((s, y, i) => s + ((r) => (Math.abs(r) <= delta ? 0.5 * r * r : delta * (Math.abs(r) - 0.5 * delta)))(y - a - b * xs[i]), 0);
  let reference = Infinity;
  for (let i = 0; i < xs.length; i++)
    for (let j = i + 1; j < xs.length; j++) {
      const b = (ys[j] - ys[i]) / (xs[j] - xs[i]);
      reference = Math.min(reference, huber(ys[i] - b * xs[i], b));
    }
  const result = levenbergMarquardt(line.law, line.data, { kind: 'huber', delta }, [0, 0]);
  assert.equal(result.converged, true, result.reason);
  assert.ok(result.value <= reference * (1 + 1e-6), `objective ${result.value} vs best ${reference}`);
});

test('a fit stopped by its iteration limit says so: not converged, with the reason', () => {
  const result = levenbergMarquardt(rosenbrock.law, rosenbrock.data, { kind: 'ls' }, [-1.2, 1], { maxIterations: 2 });
  assert.equal(result.converged, false);
  assert.match(result.reason, /iteration limit/);
  assert.equal(result.iterations, 2);
});

test('a start where the objective is not finite is reported, not fitted', () => {
  const result = levenbergMarquardt(rosenbrock.law, rosenbrock.data, { kind: 'ls' }, [NaN, 1]);
  assert.equal(result.converged, false);
  assert.match(result.reason, /not finite/);
});
