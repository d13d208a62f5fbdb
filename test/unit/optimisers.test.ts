/**
 * The optimisers on problems with known minima (Rosenbrock, ill-conditioned quadratics up to condition number 1e8,
 * a robust line fit), their named steps (the L-BFGS direction against the explicit BFGS inverse-Hessian update, the
 * line search's Armijo condition), their option checks, and honest stopping.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkLbfgsOptions, lbfgs, LBFGS_DEFAULTS } from '../../src/core/fit/lbfgs';
import { CurvaturePairs, descentDirection } from '../../src/core/fit/lbfgsDirection';
import { checkLocalFitOptions, levenbergMarquardt, LOCAL_FIT_DEFAULTS } from '../../src/core/fit/levenbergMarquardt';
import { backtrackingLineSearch } from '../../src/core/fit/lineSearch';
import type { Law, LawData } from '../../src/core/laws/law';

/**
 * A least-squares problem Σ (target_i − model_i(θ))² dressed as a law, so that the fitter's own optimiser runs on
 * it: logE holds the targets and logPredict the model with its Jacobian.
 */
function problem(
  targets: number[],
  model: (theta: Float64Array, out: Float64Array, jac?: Float64Array) => void,
  p = 2,
): { law: Law; data: LawData } {
  const law = {
    name: 'power',
    spec: { name: 'power' },
    paramNames: Array.from({ length: p }, (_, k) => `t${k}`),
    thetaNames: Array.from({ length: p }, (_, k) => `t${k}`),
    inputs: 'compute',
    logPredict: (theta: Float64Array, _data: LawData, out: Float64Array, jac?: Float64Array) => model(theta, out, jac),
    toParams: (theta: ArrayLike<number>) => Object.fromEntries(Array.from(theta, (value, k) => [`t${k}`, value])),
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

/** A Householder reflection I − 2vvᵀ/vᵀv (orthogonal, symmetric), row-major: it turns the axes of a quadratic. */
function reflection(v: number[]): Float64Array {
  const d = v.length;
  const vv = v.reduce((sum, x) => sum + x * x, 0);
  return Float64Array.from(
    { length: d * d },
    (_, at) => (Math.floor(at / d) === at % d ? 1 : 0) - (2 * v[Math.floor(at / d)] * v[at % d]) / vv,
  );
}

/**
 * Residuals √λ_i·(Q(θ − c))_i with λ from 1 to `condition` (log-spaced) and Q a rotation that mixes every axis:
 * Σ r² = (θ − c)ᵀQᵀΛQ(θ − c), condition number `condition`, minimum 0 at c.
 */
function rotatedQuadratic(minimum: number[], condition: number): ReturnType<typeof problem> {
  const d = minimum.length;
  const q = reflection(minimum.map((_, k) => k + 1));
  const root = Array.from({ length: d }, (_, i) => Math.sqrt(condition ** (i / (d - 1))));
  // pred_i = −√λ_i·(Qθ)_i and target_i = −√λ_i·(Qc)_i, so that r = target − pred = √λ ⊙ Q(θ − c).
  const rotate = (x: ArrayLike<number>, i: number) => minimum.reduce((sum, _, k) => sum + q[i * d + k] * x[k], 0);
  const targets = root.map((r, i) => -r * rotate(minimum, i));
  return problem(
    targets,
    (theta, out, jac) => {
      for (let i = 0; i < d; i++) {
        out[i] = -root[i] * rotate(theta, i);
        if (jac) for (let k = 0; k < d; k++) jac[i * d + k] = -root[i] * q[i * d + k];
      }
    },
    d,
  );
}

const SIX = [1.5, -2, 0.25, 3, -0.75, 10];

const cases = [
  { name: 'Rosenbrock from (−1.2, 1)', ...rosenbrock, start: [-1.2, 1], minimum: [1, 1], tolerance: 1e-7 },
  { name: 'Rosenbrock from (2, −1)', ...rosenbrock, start: [2, -1], minimum: [1, 1], tolerance: 1e-7 },
  { name: 'quadratic with condition number 1e8', ...illConditioned, start: [3, -2], minimum: [0, 0], tolerance: 1e-9 },
  {
    name: 'rotated 6-D quadratic with condition number 1e6',
    ...rotatedQuadratic(SIX, 1e6),
    start: [0, 0, 0, 0, 0, 0],
    minimum: SIX,
    tolerance: 1e-7,
  },
];

for (const c of cases) {
  test(`Levenberg–Marquardt: ${c.name} → (${c.minimum})`, () => {
    const result = levenbergMarquardt(c.law, c.data, { kind: 'ls' }, c.start);
    assert.equal(result.converged, true, result.reason);
    assert.ok(result.iterations > 0);
    c.minimum.forEach((m, k) => assert.ok(Math.abs(result.x[k] - m) < c.tolerance, `θ${k} = ${result.x[k]}`));
  });

  test(`L-BFGS: ${c.name} → (${c.minimum})`, () => {
    const [n, p] = [c.data.n, c.start.length];
    const pred = new Float64Array(n);
    const jac = new Float64Array(n * p);
    // Σ r² and its gradient −2 Σ r·J.
    const f = (x: Float64Array, g: Float64Array) => {
      c.law.logPredict(x, c.data, pred, jac);
      g.fill(0);
      let value = 0;
      for (let i = 0; i < n; i++) {
        const r = c.data.logE[i] - pred[i];
        value += r * r;
        for (let k = 0; k < p; k++) g[k] -= 2 * r * jac[i * p + k];
      }
      return value;
    };
    const result = lbfgs(f, c.start, { ftol: 0, gtol: 1e-10, maxIterations: 5000 });
    assert.equal(result.converged, true, result.reason);
    c.minimum.forEach((m, k) =>
      assert.ok(Math.abs(result.x[k] - m) < Math.max(c.tolerance, 1e-6), `θ${k} = ${result.x[k]}`),
    );
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
  const huber = (a: number, b: number) =>
    ys.reduce(
      (s, y, i) =>
        s + ((r) => (Math.abs(r) <= delta ? 0.5 * r * r : delta * (Math.abs(r) - 0.5 * delta)))(y - a - b * xs[i]),
      0,
    );
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

/** The BFGS inverse-Hessian update H₊ = (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ with explicit matrices, from H₀ = γI. */
function bfgsInverseHessian(pairs: [number[], number[]][]): number[][] {
  const d = pairs[0][0].length;
  const dotOf = (a: number[], b: number[]) => a.reduce((sum, x, i) => sum + x * b[i], 0);
  const [sLast, yLast] = pairs[pairs.length - 1];
  const gamma = dotOf(sLast, yLast) / dotOf(yLast, yLast);
  let h = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? gamma : 0)));
  for (const [s, y] of pairs) {
    const rho = 1 / dotOf(s, y);
    const left = Array.from({ length: d }, (_, i) =>
      Array.from({ length: d }, (_, j) => (i === j ? 1 : 0) - rho * s[i] * y[j]),
    );
    const times = (a: number[][], b: number[][]) =>
      a.map((row) => b[0].map((_, j) => row.reduce((sum, x, k) => sum + x * b[k][j], 0)));
    const right = left[0].map((_, i) => left.map((row) => row[i]));
    h = times(times(left, h), right).map((row, i) => row.map((x, j) => x + rho * s[i] * s[j]));
  }
  return h;
}

const curvaturePairs: [number[], number[]][] = [
  [
    [1, 0.5, -0.2],
    [2, 0.8, -0.1],
  ],
  [
    [-0.3, 1, 0.4],
    [-0.2, 3, 0.9],
  ],
  [
    [0.1, -0.2, 0.7],
    [0.5, -0.1, 4],
  ],
];

for (const count of [1, 2, 3]) {
  test(`L-BFGS direction step with ${count} curvature pair(s) is −H·g of the explicit BFGS update`, () => {
    const pairs = new CurvaturePairs(10);
    for (const [s, y] of curvaturePairs.slice(0, count)) pairs.add(Float64Array.from(s), Float64Array.from(y));
    const g = Float64Array.of(0.3, -1.2, 0.8);
    const d = new Float64Array(3);
    const slope = descentDirection(g, pairs, d);
    const h = bfgsInverseHessian(curvaturePairs.slice(0, count));
    h.forEach((row, i) => {
      const expected = -row.reduce((sum, x, k) => sum + x * g[k], 0);
      assert.ok(
        Math.abs(d[i] - expected) < 1e-12 * Math.max(1, Math.abs(expected)),
        `d[${i}] = ${d[i]} vs ${expected}`,
      );
    });
    assert.ok(Math.abs(slope - g.reduce((sum, x, i) => sum + x * d[i], 0)) < 1e-12);
    assert.ok(slope < 0);
  });
}

test('L-BFGS direction step keeps only the latest `memory` pairs, and refuses a pair without positive curvature', () => {
  const pairs = new CurvaturePairs(2);
  for (const [s, y] of curvaturePairs) pairs.add(Float64Array.from(s), Float64Array.from(y));
  pairs.add(Float64Array.of(1, 0, 0), Float64Array.of(-1, 0, 0));
  assert.equal(pairs.size, 2);
  const g = Float64Array.of(0.3, -1.2, 0.8);
  const d = new Float64Array(3);
  descentDirection(g, pairs, d);
  const h = bfgsInverseHessian(curvaturePairs.slice(1));
  h.forEach((row, i) => assert.ok(Math.abs(d[i] + row.reduce((sum, x, k) => sum + x * g[k], 0)) < 1e-12));
  const empty = new CurvaturePairs(3);
  descentDirection(g, empty, d);
  assert.deepEqual(Array.from(d), [-0.3, 1.2, -0.8]);
});

test('line-search step: the accepted point satisfies Armijo; a direction along which f is never finite fails', () => {
  // f(x) = (x − 3)², from x = 0 along d = 10: step 1 overshoots to 10 (f 49 > 9), the interpolated step is 0.3.
  const f = (x: Float64Array, g: Float64Array) => {
    g[0] = 2 * (x[0] - 3);
    return (x[0] - 3) ** 2;
  };
  const x = Float64Array.of(0);
  const xNew = new Float64Array(1);
  const gNew = new Float64Array(1);
  const slope = -6 * 10;
  const search = backtrackingLineSearch(f, x, 9, Float64Array.of(10), slope, 1, xNew, gNew);
  assert.equal(search.accepted, true);
  assert.ok(search.value <= 9 + 1e-4 * (xNew[0] / 10) * slope);
  assert.ok(Math.abs(xNew[0] - 3) < 1e-12, `the quadratic's minimiser, exactly: ${xNew[0]}`);
  assert.equal(search.evaluations, 2);
  assert.ok(Math.abs(gNew[0]) < 1e-11, `the gradient at the accepted point: ${gNew[0]}`);
  const nowhere = backtrackingLineSearch(() => NaN, x, 9, Float64Array.of(10), slope, 1, xNew, gNew);
  assert.equal(nowhere.accepted, false);
  assert.equal(nowhere.evaluations, 40);
});

test('L-BFGS options: SciPy defaults filled in, each bad value refused by name', () => {
  assert.deepEqual(checkLbfgsOptions({}), LBFGS_DEFAULTS);
  assert.deepEqual(LBFGS_DEFAULTS, { memory: 10, maxIterations: 15000, ftol: 2.220446049250313e-9, gtol: 1e-5 });
  assert.deepEqual(checkLbfgsOptions({ memory: 3, maxIterations: undefined }), { ...LBFGS_DEFAULTS, memory: 3 });
  for (const [name, value] of [
    ['memory', 0],
    ['memory', 2.5],
    ['maxIterations', -1],
    ['ftol', -1e-9],
    ['gtol', NaN],
  ] as const) {
    assert.throws(
      () => checkLbfgsOptions({ [name]: value }),
      (error: Error) => error instanceof RangeError && error.message.includes(name),
      `${name} = ${value}`,
    );
    assert.throws(() => lbfgs(() => 0, [0], { [name]: value }), RangeError);
  }
});

test('Levenberg–Marquardt options: defaults filled in, each bad value refused by name', () => {
  assert.deepEqual(checkLocalFitOptions({}, 2), { ...LOCAL_FIT_DEFAULTS, knownOptimum: undefined });
  for (const [name, value] of [
    ['maxIterations', 1.5],
    ['ftol', -1],
    ['gtol', NaN],
    ['knownOptimum', new Float64Array(3)],
  ] as const) {
    assert.throws(
      () => checkLocalFitOptions({ [name]: value }, 2),
      (error: Error) => error instanceof RangeError && error.message.includes(name),
      `${name}`,
    );
    assert.throws(
      () => levenbergMarquardt(rosenbrock.law, rosenbrock.data, { kind: 'ls' }, [0, 0], { [name]: value }),
      RangeError,
    );
  }
});

test('L-BFGS stopped by its iteration limit says so: not converged, with the reason', () => {
  const c = cases[0];
  const result = lbfgs(
    (x, g) => {
      g[0] = -400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]);
      g[1] = 200 * (x[1] - x[0] ** 2);
      return 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
    },
    c.start,
    { maxIterations: 3 },
  );
  assert.equal(result.converged, false);
  assert.match(result.reason, /iteration limit \(3\)/);
  assert.equal(result.iterations, 3);
});
