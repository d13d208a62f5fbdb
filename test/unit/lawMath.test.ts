/**
 * Every law's math, table-driven over all laws (a law with fixed and tied parameters too) and several parameter
 * points each: the Jacobian of ln pred and the objective's gradient (least squares and Huber) against central finite
 * differences, `predict` against exp(logPredict) and against the law's published closed form, and the printed formula.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeObjective } from '../../src/core/fit/objective';
import { lawByName, lawData, lawFromSpec } from '../../src/core/laws/index';
import type { Law, LawData, LawInput, LawParams } from '../../src/core/laws/law';
import { Random } from '../../src/core/random';

/** The published forms, written out independently of the laws' log-space code. */
const softplusDrop = (c: number, cb: number, gamma: number, s: number) =>
  Math.pow(1 + Math.pow(c / cb, 1 / s), -gamma * s);
const closedForm: Record<string, (p: LawParams, at: LawInput) => number> = {
  power: (p, at) => p.beta * Math.pow(at.compute!, p.alpha),
  saturating: (p, at) => p.e_inf + p.beta * Math.pow(at.compute!, p.alpha),
  joint: (p, at) => p.E + p.A / Math.pow(at.params!, p.alpha) + p.B / Math.pow(at.samples!, p.beta),
  broken: (p, at) =>
    p.e_inf + p.beta * Math.pow(at.compute!, p.alpha) * softplusDrop(at.compute!, p.c_break, p.gamma, p.sharpness),
  broken2: (p, at) =>
    p.e_inf +
    p.beta *
      Math.pow(at.compute!, p.alpha) *
      softplusDrop(at.compute!, p.c_break, p.gamma, p.sharpness) *
      softplusDrop(at.compute!, p.c_break2, p.gamma2, p.sharpness2),
};

const chinchilla = { E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366 };
const oneBreak = { e_inf: 0.05, beta: 5, alpha: -0.05, c_break: 1e10, gamma: 0.15, sharpness: 0.3 };

/**
 * Each law at parameter points inside its usual range (the first: every term matters), at a term's bound, and
 * where its log-sum-exp takes the shifted path (sums beyond 1e±300).
 */
const cases: { name: string; law: Law; points: { where: string; params: LawParams }[] }[] = [
  {
    name: 'power',
    law: lawByName('power'),
    points: [
      { where: 'typical', params: { beta: 8, alpha: -0.12 } },
      { where: 'steep', params: { beta: 0.5, alpha: -0.6 } },
      { where: 'rising', params: { beta: 120, alpha: 0.05 } },
    ],
  },
  {
    name: 'saturating',
    law: lawByName('saturating'),
    points: [
      { where: 'typical', params: { e_inf: 0.15, beta: 40, alpha: -0.3 } },
      { where: 'negligible floor', params: { e_inf: 1e-9, beta: 40, alpha: -0.3 } },
      { where: 'floor dominant', params: { e_inf: 0.5, beta: 1e-3, alpha: -0.05 } },
    ],
  },
  {
    name: 'joint',
    law: lawByName('joint'),
    points: [
      { where: 'Chinchilla', params: chinchilla },
      { where: 'data-limited', params: { E: 0.5, A: 50, B: 8000, alpha: 0.2, beta: 0.45 } },
      { where: 'sum above 1e300', params: { E: 2e303, A: 3e303, B: 4e303, alpha: 0.01, beta: 0.02 } },
      { where: 'sum below 1e-300', params: { E: 1e-301, A: 1e-301, B: 1e-301, alpha: -0.01, beta: 0.01 } },
    ],
  },
  {
    name: 'broken (one break)',
    law: lawByName('broken'),
    points: [
      { where: 'break inside the data', params: oneBreak },
      { where: 'sharp break', params: { ...oneBreak, sharpness: 0.05, gamma: 0.4 } },
      { where: 'break beyond the data, slope rising', params: { ...oneBreak, c_break: 1e15, gamma: -0.2 } },
    ],
  },
  {
    name: 'broken2 (two breaks)',
    law: lawByName('broken2'),
    points: [
      {
        where: 'both breaks inside',
        params: { ...oneBreak, c_break: 1e9, c_break2: 1e11, gamma2: -0.1, sharpness2: 0.5 },
      },
      { where: 'second break far', params: { ...oneBreak, c_break2: 1e16, gamma2: 0.5, sharpness2: 2 } },
    ],
  },
  {
    name: 'joint with alpha = beta tied',
    law: lawFromSpec({ name: 'joint', tie: [['alpha', 'beta']] }),
    points: [
      { where: 'typical', params: { E: 1.82, A: 482, B: 2085, alpha: 0.35, beta: 0.35 } },
      { where: 'data-limited', params: { E: 0.5, A: 50, B: 8000, alpha: 0.3, beta: 0.3 } },
    ],
  },
  {
    name: 'saturating with alpha fixed',
    law: lawFromSpec({ name: 'saturating', fix: { alpha: -0.3 } }),
    points: [
      { where: 'typical', params: { e_inf: 0.15, beta: 40, alpha: -0.3 } },
      { where: 'negligible floor', params: { e_inf: 1e-9, beta: 40, alpha: -0.3 } },
    ],
  },
];

function pointsFor(law: Law, params: LawParams, n = 40): LawData {
  const random = new Random(3);
  return lawData(
    Array.from({ length: n }, () => {
      const params_ = 10 ** (7.8 + random.next() * 2.4);
      const samples = 10 ** (9.5 + random.next() * 2.5);
      const compute = law.inputs === 'compute' ? 10 ** (7 + random.next() * 6) : 6 * params_ * samples;
      // Measured values scattered around the law so that residuals fall on both sides of Huber's δ.
      return {
        compute,
        params: params_,
        samples,
        error: law.predict(params, { compute, params: params_, samples }) * Math.exp(0.05 * random.normal()),
      };
    }),
  );
}

/** The input of point i of log-space data. */
const inputAt = (data: LawData, i: number): LawInput => ({
  compute: Math.exp(data.logC[i]),
  params: data.logN && Math.exp(data.logN[i]),
  samples: data.logD && Math.exp(data.logD[i]),
});

for (const c of cases) {
  for (const point of c.points) {
    const data = pointsFor(c.law, point.params);
    const theta = c.law.fromParams(point.params);
    const p = theta.length;
    const label = `${c.name} (${point.where})`;

    test(`${label}: the Jacobian of ln pred matches central differences`, () => {
      assert.equal(p, c.law.thetaNames.length);
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
          assert.ok(
            Math.abs(jac[i * p + k] - numeric) <= 1e-6 * Math.max(1, Math.abs(numeric)),
            `d ln pred[${i}] / dθ${k} (${c.law.thetaNames[k]}): ${jac[i * p + k]} vs ${numeric}`,
          );
        }
      }
    });

    for (const objective of [{ kind: 'ls' } as const, { kind: 'huber', delta: 0.02 } as const]) {
      test(`${label}: the ${objective.kind} objective's gradient matches central differences`, () => {
        const evaluate = makeObjective(c.law, data, objective);
        const gradient = new Float64Array(p);
        evaluate(theta, gradient);
        for (let k = 0; k < p; k++) {
          // A step relative to θ_k, at most 1e-5: θ_k near 700 (the shifted log-sum-exp) is an exponent, not a scale.
          const h = Math.min(1e-5, 1e-6 * Math.max(1, Math.abs(theta[k])));
          const up = Float64Array.from(theta);
          const down = Float64Array.from(theta);
          up[k] += h;
          down[k] -= h;
          const numeric = (evaluate(up) - evaluate(down)) / (2 * h);
          assert.ok(
            Math.abs(gradient[k] - numeric) <= 1e-5 * Math.max(1e-3, Math.abs(numeric)),
            `d objective / dθ${k} (${c.law.thetaNames[k]}): ${gradient[k]} vs ${numeric}`,
          );
        }
      });
    }

    test(`${label}: predict equals exp(logPredict) at every point`, () => {
      const out = new Float64Array(data.n);
      c.law.logPredict(theta, data, out);
      for (let i = 0; i < data.n; i++) {
        const direct = c.law.predict(c.law.toParams(theta), inputAt(data, i));
        assert.ok(Math.abs(direct / Math.exp(out[i]) - 1) < 1e-12, `point ${i}: ${direct} vs ${Math.exp(out[i])}`);
      }
    });

    test(`${label}: predict equals the law's published closed form`, () => {
      const form = closedForm[c.law.name];
      for (let i = 0; i < data.n; i++) {
        const at = inputAt(data, i);
        const expected = form(point.params, at);
        const predicted = c.law.predict(point.params, at);
        assert.ok(Number.isFinite(expected) && expected > 0);
        assert.ok(Math.abs(predicted / expected - 1) < 1e-12, `point ${i}: ${predicted} vs ${expected}`);
      }
    });

    test(`${label}: fromParams and toParams are inverse`, () => {
      const back = c.law.toParams(c.law.fromParams(point.params));
      for (const name of c.law.paramNames)
        assert.ok(
          Math.abs(back[name] / point.params[name] - 1) < 1e-12,
          `${name}: ${back[name]} vs ${point.params[name]}`,
        );
    });
  }

  test(`${c.name}: the formula names the fitted quantity by the law's symbol, or by the one asked for`, () => {
    const params = c.points[0].params;
    const own = c.law.formula(params);
    assert.equal(own.slice(0, 4), `${c.law.symbol} = `);
    for (const symbol of ['E', 'L'] as const)
      assert.equal(c.law.formula(params, 3, symbol), `${symbol} = ${own.slice(4)}`);
    // Every fitted number is printed: changing one parameter changes the text.
    for (const name of c.law.paramNames.filter((n) => !(n in (c.law.fixed ?? {}))))
      assert.notEqual(c.law.formula({ ...params, [name]: params[name] * 1.7 + 0.3 }), own, name);
  });
}

test('the joint law is written L (a loss), the laws of compute E (an error), as in their papers', () => {
  assert.equal(lawByName('joint').formula(chinchilla), 'L = 1.82 + 482/N^0.348 + 2090/D^0.366');
  assert.equal(lawByName('power').formula({ beta: 5.86, alpha: -0.111 }), 'E = 5.86·C^−0.111');
  assert.equal(lawByName('saturating').formula({ e_inf: 0.15, beta: 40, alpha: -0.3 }), 'E = 0.15 + 40·C^−0.3');
});

test('joint law: the fused Gauss–Newton pass equals the one built from its Jacobian (least squares and Huber, weighted points)', () => {
  const law = lawByName('joint');
  const truth = { E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366 };
  const data = pointsFor(law, truth);
  data.weight = Float64Array.from({ length: data.n }, (_, i) => 1 + (i % 3));
  const theta = law.fromParams({ E: 1.7, A: 400, B: 2500, alpha: 0.33, beta: 0.38 });
  const p = law.paramNames.length;
  for (const delta of [null, 0.02]) {
    const out = {
      gradient: new Float64Array(p),
      gradientScale: new Float64Array(p),
      curvature: new Float64Array(p * p),
      majoriser: new Float64Array(p * p),
    };
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
      for (let k = 0; k < b.length; k++)
        assert.ok(
          Math.abs(a[k] - b[k]) <= 1e-10 * Math.max(1, Math.abs(b[k])),
          `${what}[${k}] (δ = ${delta}): ${a[k]} vs ${b[k]}`,
        );
    };
    close([value], [expectedValue], 'loss');
    close(out.gradient, gradient, 'gradient');
    close(out.curvature, curvature, 'curvature');
    close(out.majoriser, majoriser, 'majoriser');
  }
});
