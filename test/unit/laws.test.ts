/**
 * Every law's derivatives against central finite differences (the Jacobian of ln pred, and the objective's
 * gradient under least squares and Huber), and `predict` against exp(logPredict), table-driven over all laws,
 * including a law with fixed and tied parameters.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeObjective } from '../../src/core/fit/objective';
import { lawByName, lawData, lawFromSpec } from '../../src/core/laws/index';
import type { Law, LawData, LawParams } from '../../src/core/laws/law';
import { Random } from '../../src/core/random';

/** Each law at parameters inside its usual range, with data where every term matters. */
const cases: { name: string; law: Law; params: LawParams }[] = [
  { name: 'power', law: lawByName('power'), params: { beta: 8, alpha: -0.12 } },
  { name: 'saturating', law: lawByName('saturating'), params: { e_inf: 0.15, beta: 40, alpha: -0.3 } },
  { name: 'joint', law: lawByName('joint'), params: { E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366 } },
  { name: 'broken (one break)', law: lawByName('broken'), params: { e_inf: 0.05, beta: 5, alpha: -0.05, c_break: 1e10, gamma: 0.15, sharpness: 0.3 } },
  { name: 'broken2 (two breaks)', law: lawByName('broken2'), params: { e_inf: 0.05, beta: 5, alpha: -0.05, c_break: 1e9, gamma: 0.15, sharpness: 0.3, c_break2: 1e11, gamma2: -0.1, sharpness2: 0.5 } },
  { name: 'joint with alpha = beta tied', law: lawFromSpec({ name: 'joint', tie: [['alpha', 'beta']] }), params: { E: 1.82, A: 482, B: 2085, alpha: 0.35, beta: 0.35 } },
  { name: 'saturating with alpha fixed', law: lawFromSpec({ name: 'saturating', fix: { alpha: -0.3 } }), params: { e_inf: 0.15, beta: 40, alpha: -0.3 } },
];

function pointsFor(law: Law, params: LawParams, n = 40): LawData {
  const random = new Random(3);
  return lawData(
    Array.from({ length: n }, () => {
      const params_ = 10 ** (7.8 + random.next() * 2.4);
      const samples = 10 ** (9.5 + random.next() * 2.5);
      const compute = law.inputs === 'compute' ? 10 ** (7 + random.next() * 6) : 6 * params_ * samples;
      // Measured values scattered around the law so that residuals fall on both sides of Huber's δ.
      return { compute, params: params_, samples, error: law.predict(params, { compute, params: params_, samples }) * Math.exp(0.05 * random.normal()) };
    }),
  );
}

for (const c of cases) {
  const data = pointsFor(c.law, c.params);
  const theta = c.law.fromParams(c.params);
  const p = theta.length;

  test(`${c.name}: the Jacobian of ln pred matches central differences`, () => {
    const out = new Float64Array(data.n);
    const jac = new Float64Array(data.n * p);
    c.law.logPredict(theta, data, out, jac);
    const plus = new Float64Array(data.n);
    const minus = new Float64Array(data.n);
    for (let k = 0; k < p; k++) {
      const h = 1e-6 * Math.max(1, Math.abs(theta[k]));
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[k] += h;
      down[k] -= h;
      c.law.logPredict(up, data, plus);
      c.law.logPredict(down, data, minus);
      for (let i = 0; i < data.n; i++) {
        const numeric = (plus[i] - minus[i]) / (2 * h);
        assert.ok(Math.abs(jac[i * p + k] - numeric) <= 1e-6 * Math.max(1, Math.abs(numeric)), `d ln pred[${i}] / dθ${k} (${c.law.thetaNames[k]}): ${jac[i * p + k]} vs ${numeric}`);
      }
    }
  });

  for (const objective of [{ kind: 'ls' } as const, { kind: 'huber', delta: 0.02 } as const]) {
    test(`${c.name}: the ${objective.kind} objective's gradient matches central differences`, () => {
      const evaluate = makeObjective(c.law, data, objective);
      const gradient = new Float64Array(p);
      evaluate(theta, gradient);
      for (let k = 0; k < p; k++) {
        const h = 1e-6 * Math.max(1, Math.abs(theta[k]));
        const up = Float64Array.from(theta);
        const down = Float64Array.from(theta);
        up[k] += h;
        down[k] -= h;
        const numeric = (evaluate(up) - evaluate(down)) / (2 * h);
        assert.ok(Math.abs(gradient[k] - numeric) <= 1e-5 * Math.max(1e-3, Math.abs(numeric)), `d objective / dθ${k} (${c.law.thetaNames[k]}): ${gradient[k]} vs ${numeric}`);
      }
    });
  }

  test(`${c.name}: predict equals exp(logPredict) at every point`, () => {
    const out = new Float64Array(data.n);
    c.law.logPredict(theta, data, out);
    for (let i = 0; i < data.n; i++) {
      const at = { compute: Math.exp(data.logC[i]), params: data.logN && Math.exp(data.logN[i]), samples: data.logD && Math.exp(data.logD[i]) };
      const direct = c.law.predict(c.law.toParams(theta), at);
      assert.ok(Math.abs(direct / Math.exp(out[i]) - 1) < 1e-12, `point ${i}: ${direct} vs ${Math.exp(out[i])}`);
    }
  });

  test(`${c.name}: fromParams and toParams are inverse`, () => {
    const back = c.law.toParams(c.law.fromParams(c.params));
    for (const name of c.law.paramNames) assert.ok(Math.abs(back[name] / c.params[name] - 1) < 1e-12, `${name}: ${back[name]} vs ${c.params[name]}`);
  });
}

test('joint law: the fused Gauss–Newton pass equals the one built from its Jacobian (least squares and Huber, weighted points)', () => {
  const law = lawByName('joint');
  const truth = { E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366 };
  const data = pointsFor(law, truth);
  data.weight = Float64Array.from({ length: data.n }, (_, i) => 1 + (i % 3));
  const theta = law.fromParams({ E: 1.7, A: 400, B: 2500, alpha: 0.33, beta: 0.38 });
  const p = 5;
  for (const delta of [null, 0.02]) {
    const out = { gradient: new Float64Array(p), gradientScale: new Float64Array(p), curvature: new Float64Array(p * p), majoriser: new Float64Array(p * p) };
    const value = law.linearise!(theta, data, delta, out);
    // The same sums from logPredict's Jacobian: ψ(r) = dρ/dr, ρ''(r), and ψ(r)/r for the majoriser.
    const pred = new Float64Array(data.n);
    const jac = new Float64Array(data.n * p);
    law.logPredict(theta, data, pred, jac);
    let expectedValue = 0;
    const gradient = new Float64Array(p);
    const curvature = new Float64Array(p * p);
    const majoriser = new Float64Array(p * p);
    for (let i = 0; i < data.n; i++) {
      const r = data.logE[i] - pred[i];
      const w = data.weight[i];
      const inside = delta === null || Math.abs(r) <= delta;
      expectedValue += w * (delta === null ? r * r : inside ? 0.5 * r * r : delta * (Math.abs(r) - 0.5 * delta));
      const psi = delta === null ? 2 * r : inside ? r : delta * Math.sign(r);
      const second = delta === null ? 2 : inside ? 1 : 0;
      const upper = delta === null ? 2 : inside ? 1 : delta / Math.abs(r);
      for (let k = 0; k < p; k++) {
        gradient[k] -= w * psi * jac[i * p + k];
        for (let l = 0; l < p; l++) {
          curvature[k * p + l] += w * second * jac[i * p + k] * jac[i * p + l];
          majoriser[k * p + l] += w * upper * jac[i * p + k] * jac[i * p + l];
        }
      }
    }
    const close = (a: ArrayLike<number>, b: ArrayLike<number>, what: string) => {
      for (let k = 0; k < b.length; k++) assert.ok(Math.abs(a[k] - b[k]) <= 1e-10 * Math.max(1, Math.abs(b[k])), `${what}[${k}] (δ = ${delta}): ${a[k]} vs ${b[k]}`);
    };
    close([value], [expectedValue], 'loss');
    close(out.gradient, gradient, 'gradient');
    close(out.curvature, curvature, 'curvature');
    close(out.majoriser, majoriser, 'majoriser');
  }
});
