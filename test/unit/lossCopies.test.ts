/**
 * The loss functions, table-driven: the reference (objective.ts lossTerms: least squares and Huber, with ψ, ρ'' and
 * the IRLS weight ψ(r)/r) against values worked by hand and its own finite differences, then every written-out copy
 * (makeObjective's and linearise.ts's loops, the joint law's fused objective and Gauss–Newton pass, kept inline for
 * speed) against the reference on a table of residuals, deltas and weights: value and derivatives.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyLinearisation, makeLinearise } from '../../src/core/fit/linearise';
import { lossAndSlope, lossTerms, makeObjective, type Objective } from '../../src/core/fit/objective';
import { lawByName } from '../../src/core/laws/index';
import type { Law, LawData } from '../../src/core/laws/law';

const objectives: Objective[] = [
  { kind: 'ls' },
  { kind: 'huber', delta: 1e-3 },
  { kind: 'huber', delta: 0.02 },
  { kind: 'huber', delta: 1 },
];
const deltaOf = (objective: Objective) => (objective.kind === 'huber' ? objective.delta : 1);
/** Residuals in units of δ (of 1 for least squares): zero, deep inside, at either side of the kink, far out. */
const RESIDUALS = [0, 1e-3, -0.5, 0.999, -0.999, 1.001, -1.001, 3, -40, 250];
const WEIGHTS = [1, 2.5];

test('the reference loss against values worked by hand', () => {
  const rows: [Objective, number, { loss: number; slope: number; second: number; majoriser: number }][] = [
    [{ kind: 'ls' }, 0.5, { loss: 0.25, slope: 1, second: 2, majoriser: 2 }],
    [{ kind: 'ls' }, -3, { loss: 9, slope: -6, second: 2, majoriser: 2 }],
    [{ kind: 'huber', delta: 0.1 }, 0.05, { loss: 0.00125, slope: 0.05, second: 1, majoriser: 1 }],
    [{ kind: 'huber', delta: 0.1 }, 0.1, { loss: 0.005, slope: 0.1, second: 1, majoriser: 1 }],
    [{ kind: 'huber', delta: 0.1 }, -0.5, { loss: 0.045, slope: -0.1, second: 0, majoriser: 0.2 }],
    [{ kind: 'huber', delta: 1 }, 2, { loss: 1.5, slope: 1, second: 0, majoriser: 0.5 }],
    [{ kind: 'huber', delta: 1e-3 }, 0, { loss: 0, slope: 0, second: 1, majoriser: 1 }],
  ];
  for (const [objective, r, expected] of rows) {
    const terms = lossTerms(objective, r);
    for (const key of ['loss', 'slope', 'second', 'majoriser'] as const)
      assert.ok(
        Math.abs(terms[key] - expected[key]) < 1e-15,
        `${key} at r = ${r} (${objective.kind}): ${terms[key]} vs ${expected[key]}`,
      );
    assert.deepEqual(lossAndSlope(objective, r), [terms.loss, terms.slope]);
  }
});

for (const objective of objectives) {
  test(`the reference ${objective.kind === 'ls' ? 'least-squares' : `Huber δ=${deltaOf(objective)}`} loss: ψ and ρ'' are its derivatives, ψ(r)/r its IRLS weight, continuous at the kink`, () => {
    const delta = deltaOf(objective);
    for (const unit of RESIDUALS.filter((u) => u !== 0)) {
      const r = unit * delta;
      const h = 1e-6 * delta;
      const { slope, second, majoriser } = lossTerms(objective, r);
      const numericSlope = (lossTerms(objective, r + h).loss - lossTerms(objective, r - h).loss) / (2 * h);
      assert.ok(
        Math.abs(slope - numericSlope) <= 1e-6 * Math.max(delta, Math.abs(slope)),
        `ψ(${r}) = ${slope} vs ${numericSlope}`,
      );
      if (Math.abs(Math.abs(unit) - 1) > 1e-2) {
        const numericSecond = (lossTerms(objective, r + h).slope - lossTerms(objective, r - h).slope) / (2 * h);
        assert.ok(
          Math.abs(second - numericSecond) <= 1e-6 * Math.max(1, Math.abs(second)),
          `ρ''(${r}) = ${second} vs ${numericSecond}`,
        );
      }
      assert.ok(Math.abs(majoriser - slope / r) <= 1e-12 * Math.abs(majoriser), `ψ(r)/r at ${r}`);
    }
    if (objective.kind === 'huber') {
      const below = lossTerms(objective, delta * (1 - 1e-12));
      const above = lossTerms(objective, delta * (1 + 1e-12));
      // Across the kink (r from δ(1 − 1e-12) to δ(1 + 1e-12)) ρ moves by about ψ·2e-12·δ and ψ not at all.
      assert.ok(
        Math.abs(below.loss - above.loss) < 1e-11 * delta * delta,
        `ρ jumps at δ: ${below.loss} vs ${above.loss}`,
      );
      assert.ok(Math.abs(below.slope - above.slope) < 1e-11 * delta, `ψ jumps at δ: ${below.slope} vs ${above.slope}`);
    }
  });
}

/**
 * One point where the law predicts pred with Jacobian row J; the measured value sits r above it. The expected
 * objective and Gauss–Newton pass follow from the reference: w·ρ(r), −w·ψ(r)·J, w·ρ''(r)·JJᵀ, w·ψ(r)/r·JJᵀ.
 */
function onePoint(law: Law, theta: Float64Array, input: Omit<LawData, 'n' | 'logE'>, r: number, w: number) {
  const p = theta.length;
  const data: LawData = { n: 1, logE: new Float64Array(1), ...input, weight: Float64Array.of(w) };
  const pred = new Float64Array(1);
  const jac = new Float64Array(p);
  law.logPredict(theta, data, pred, jac);
  data.logE[0] = pred[0] + r;
  return { data, residual: data.logE[0] - pred[0], jac };
}

/** Each copy, by where it is: the generic loops (a law without fused code: power) and the joint law's fused ones. */
const copies: { name: string; law: Law; theta: Float64Array; input: Omit<LawData, 'n' | 'logE'> }[] = [
  {
    name: "makeObjective's and linearise.ts's loops (power law)",
    law: lawByName('power'),
    theta: Float64Array.of(0.3, -0.1),
    input: { logC: Float64Array.of(Math.log(1e10)) },
  },
  {
    name: "the joint law's fusedObjective and linearise",
    law: lawByName('joint'),
    theta: lawByName('joint').fromParams({ E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366 }),
    input: { logC: Float64Array.of(0), logN: Float64Array.of(Math.log(1e9)), logD: Float64Array.of(Math.log(2e10)) },
  },
];

for (const copy of copies) {
  for (const objective of objectives) {
    test(`${copy.name} agree with the reference loss (${objective.kind === 'ls' ? 'least squares' : `Huber δ=${deltaOf(objective)}`}): value, gradient, curvature, majoriser`, () => {
      assert.equal(
        copy.law.fusedObjective !== undefined,
        copy.law.name === 'joint',
        'the joint law runs its fused copies, the power law the generic ones',
      );
      const p = copy.theta.length;
      for (const unit of RESIDUALS)
        for (const w of WEIGHTS) {
          const { data, residual, jac } = onePoint(copy.law, copy.theta, copy.input, unit * deltaOf(objective), w);
          const reference = lossTerms(objective, residual);
          const where = `r = ${residual}, w = ${w}`;
          const close = (actual: number, expected: number, what: string) =>
            assert.ok(
              Math.abs(actual - expected) <= 1e-12 * Math.max(1e-300, Math.abs(expected)) || actual === expected,
              `${what} at ${where}: ${actual} vs ${expected}`,
            );

          const gradient = new Float64Array(p);
          const value = makeObjective(copy.law, data, objective)(copy.theta, gradient);
          close(value, w * reference.loss, 'objective');
          for (let k = 0; k < p; k++) close(gradient[k], -w * reference.slope * jac[k], `gradient[${k}]`);

          const pass = emptyLinearisation(p);
          close(makeLinearise(copy.law, data, objective)(copy.theta, pass), w * reference.loss, 'Gauss–Newton loss');
          for (let k = 0; k < p; k++) {
            close(pass.gradient[k], -w * reference.slope * jac[k], `Gauss–Newton gradient[${k}]`);
            close(pass.gradientScale[k], Math.abs(w * reference.slope * jac[k]), `gradient scale[${k}]`);
            for (let l = 0; l < p; l++) {
              close(pass.curvature[k * p + l], w * reference.second * jac[k] * jac[l], `curvature[${k}, ${l}]`);
              close(pass.majoriser[k * p + l], w * reference.majoriser * jac[k] * jac[l], `majoriser[${k}, ${l}]`);
            }
          }
        }
    });
  }
}
