/** --approaches: the three Chinchilla approaches recover a = β/(α+β) from isoFLOP data drawn from a known joint law. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze, resolveSpec } from '../../src/core/analysis';
import {
  chinchillaApproaches,
  envelope,
  jointAllocation,
  type ApproachResult,
} from '../../src/core/decisions/approaches';
import { fitParabola, parabolaMinimum } from '../../src/core/decisions/isoflop';
import { fitLaw } from '../../src/core/fit/fitLaw';
import { lawByName, lawData } from '../../src/core/laws/index';
import type { LawParams } from '../../src/core/laws/law';
import { optimalAllocation } from '../../src/core/optimal';
import { Random } from '../../src/core/random';
import { loadDataset } from '../../src/core/ingest/load';
import { readTextFile } from '../../src/node/files';
import { runCli } from './cliHelper';
import { specOf, tableOf } from './decisionsHelpers';

/** Hoffmann et al.'s own Approach 3 fit: a = β/(α+β) = 0.28/0.62 = 0.4516. */
const hoffmann: LawParams = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
const hoffmannA = 0.28 / 0.62;
/** Epoch AI's replication, the truth behind examples/language-model/runs.csv: a = 0.366/0.714 = 0.5126. */
const epochA = 0.366 / (0.348 + 0.366);

/** Nine budgets × 9 sizes spanning a factor 4 either side of the true N_opt; C = 6·N·D; 0.5 % log-normal noise. */
function isoflopRuns(truth: LawParams, seed: number, withBudgetColumn = false) {
  const joint = lawByName('joint');
  const random = new Random(seed);
  const a = truth.beta / (truth.alpha + truth.beta);
  const g = ((truth.alpha * truth.A) / (truth.beta * truth.B)) ** (1 / (truth.alpha + truth.beta));
  const rows: Record<string, number | string>[] = [];
  for (const compute of [6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21]) {
    const nOpt = g * (compute / 6) ** a;
    for (let k = -4; k <= 4; k++) {
      const params = nOpt * 10 ** (0.15 * k + 0.05 * random.normal());
      // Real budgets are met only roughly: ±5 % in compute.
      const tokens = (compute * (1 + 0.05 * (random.next() - 0.5))) / (6 * params);
      const loss = joint.predict(truth, { params, samples: tokens }) * Math.exp(0.005 * random.normal());
      rows.push({
        run: `r${rows.length}`,
        params,
        tokens,
        loss,
        ...(withBudgetColumn ? { budget: `C${compute}` } : {}),
      });
    }
  }
  return rows;
}

function approachesOf(
  rows: Record<string, number | string>[],
  settings: { tolerance?: number; budgetColumn?: string } = {},
  bootstrap = 200,
) {
  const table = tableOf(rows);
  const spec = specOf({
    compute: ['6', 'params', 'tokens'],
    params: 'params',
    samples: 'tokens',
    label: 'run',
    computeModel: 'six-n',
  });
  const options = { bootstrap, seed: 1, optimal: [] };
  return chinchillaApproaches(table, analyze(table, spec, { ...options, optimal: [] }), options, settings);
}

const byName = (list: ApproachResult[], name: string) => list.find((a) => a.name === name)!;

test("isoFLOP data from Hoffmann et al.'s law: approaches 2 and 3 recover a = 0.4516 and b = 1 − a, intervals cover", () => {
  const { approaches } = approachesOf(isoflopRuns(hoffmann, 11));
  for (const name of ['Approach 2', 'Approach 3']) {
    const a = byName(approaches, name);
    assert.ok(Math.abs(a.a! - hoffmannA) < 0.03, `${name}: a = ${a.a}`);
    assert.ok(Math.abs(a.a! + a.b! - 1) < 1e-9, `${name}: with C = 6ND, b = 1 − a (${a.b})`);
    assert.ok(a.a_ci95![0] <= hoffmannA && hoffmannA <= a.a_ci95![1], `${name}: a ∈ ${a.a_ci95}`);
  }
  const one = byName(approaches, 'Approach 1');
  assert.ok(Math.abs(one.a! - hoffmannA) < 0.1, `Approach 1: a = ${one.a}`);
  const two = byName(approaches, 'Approach 2');
  assert.equal(two.isoflop!.length, 9);
  assert.ok(
    two.isoflop!.every(
      (b) => b.n_opt !== null && b.n_opt_ci95 !== null && b.n_opt_ci95[0] <= b.n_opt! && b.n_opt! <= b.n_opt_ci95[1],
    ),
  );
});

test("over 12 seeds, approach 2's and 3's a intervals cover the truth in most and centre on it", () => {
  const estimates: Record<string, number[]> = { 'Approach 2': [], 'Approach 3': [] };
  let covered = 0;
  for (let seed = 0; seed < 12; seed++) {
    const { approaches } = approachesOf(isoflopRuns(hoffmann, 100 + seed), {}, 100);
    for (const name of Object.keys(estimates)) {
      const a = byName(approaches, name);
      estimates[name].push(a.a!);
      if (a.a_ci95![0] <= hoffmannA && hoffmannA <= a.a_ci95![1]) covered++;
    }
  }
  for (const [name, values] of Object.entries(estimates)) {
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    assert.ok(Math.abs(mean - hoffmannA) < 0.01, `${name}: mean a ${mean}`);
  }
  assert.ok(covered >= 20, `covered in ${covered} of 24`);
});

test('a budget column groups runs whose compute differs by more than any tolerance', () => {
  const rows = isoflopRuns(hoffmann, 12, true);
  const byTolerance = byName(approachesOf(rows, { tolerance: 0.001 }).approaches, 'Approach 2');
  assert.equal(byTolerance.a, null);
  assert.match(byTolerance.notes[0], /no isoFLOP structure/);
  const byColumn = byName(approachesOf(rows, { budgetColumn: 'budget' }).approaches, 'Approach 2');
  assert.ok(Math.abs(byColumn.a! - hoffmannA) < 0.03, `a = ${byColumn.a}`);
});

test('runs of random (N, D) have no isoFLOP structure: approach 2 says so and invents no budgets', () => {
  const joint = lawByName('joint');
  const random = new Random(5);
  const rows = Array.from({ length: 60 }, (_, i) => {
    const params = 10 ** (8 + 2 * random.next());
    const tokens = 10 ** (9 + 2.5 * random.next());
    return {
      run: `r${i}`,
      params,
      tokens,
      loss: joint.predict(hoffmann, { params, samples: tokens }) * Math.exp(0.005 * random.normal()),
    };
  });
  const { approaches } = approachesOf(rows);
  const two = byName(approaches, 'Approach 2');
  assert.equal(two.a, null);
  assert.equal(two.isoflop, undefined);
  assert.match(two.notes[0], /no isoFLOP structure/);
  // Approach 3 needs no structure: it still recovers a.
  assert.ok(Math.abs(byName(approaches, 'Approach 3').a! - hoffmannA) < 0.05);
});

test("approach 3's bootstrap finds each resample's own optimum: its spread matches refits from the full grid", () => {
  const rows = isoflopRuns(hoffmann, 13);
  const three = byName(approachesOf(rows).approaches, 'Approach 3');
  const joint = lawByName('joint');
  const random = new Random(99);
  const refits: number[] = [];
  for (let b = 0; b < 24; b++) {
    const sample = Array.from({ length: rows.length }, () => rows[random.int(rows.length)]);
    const fit = fitLaw(
      joint,
      lawData(
        sample.map((r) => ({
          compute: 6 * (r.params as number) * (r.tokens as number),
          error: r.loss as number,
          params: r.params as number,
          samples: r.tokens as number,
        })),
      ),
      { kind: 'huber', delta: 1e-3 },
    );
    refits.push(fit.params.beta / (fit.params.alpha + fit.params.beta));
  }
  refits.sort((x, y) => x - y);
  // The 20th–80th percentile spread of 24 from-scratch refits against the bootstrap's 95 % width: for a normal
  // distribution the width is 3.92/1.68 = 2.3 times the spread (a collapsed bootstrap gives a small fraction of it).
  const refitSpread = refits[19] - refits[4];
  const width = three.a_ci95![1] - three.a_ci95![0];
  assert.ok(
    width > 1.2 * refitSpread && width < 4.5 * refitSpread,
    `bootstrap 95 % width ${width}, refits' 20–80 % spread ${refitSpread}`,
  );
});

test("the joint law's closed-form allocation equals a numerical minimisation, also for k(N) = c·N^1.41 (CLIP)", () => {
  const joint = lawByName('joint');
  for (const k of [
    { coefficient: 6, exponent: 1, source: '' },
    { coefficient: 5.2e-11, exponent: 1.41, source: '' },
  ]) {
    const allocation = jointAllocation(hoffmann, k)!;
    for (const compute of [1e20, 1e24]) {
      const numeric = optimalAllocation(joint, hoffmann, compute, k, [], [1e8, 1e10]);
      const closed = Math.exp(allocation.n.logCoefficient + allocation.n.exponent * Math.log(compute));
      assert.ok(
        Math.abs(closed / numeric.params - 1) < 1e-6,
        `k exponent ${k.exponent}, C ${compute}: ${closed} vs ${numeric.params}`,
      );
    }
    assert.ok(Math.abs(allocation.n.exponent - 0.28 / (0.34 + k.exponent * 0.28)) < 1e-12);
  }
});

test("a parabola's minimum is found exactly; the envelope keeps the best run of each compute", () => {
  const x = [1, 2, 3, 4, 5].map(Math.log);
  const p = fitParabola(
    x,
    x.map((v) => 3 + 2 * (v - 1.2) ** 2),
  )!;
  assert.ok(Math.abs(parabolaMinimum(p)! - 1.2) < 1e-9);
  const runs = [
    { compute: 1e10, error: 0.5, params: 1, samples: 1 },
    { compute: 1.01e10, error: 0.4, params: 2, samples: 1 },
    { compute: 1e11, error: 0.45, params: 3, samples: 1 },
    { compute: 1e12, error: 0.3, params: 4, samples: 1 },
  ].map((r, i) => ({ ...r, row: i, line: i + 2, measured: r.error, group: null, label: `r${i}` }));
  assert.deepEqual(
    envelope(runs, 0.05).map((r) => r.params),
    [2, 4],
  );
});

test('the bundled language-model example: approaches 2 and 3 give the generating a = 0.5126 within 0.02', () => {
  const { table, spec } = loadDataset('examples/language-model/runs.csv', readTextFile);
  const options = { bootstrap: 200, seed: 0, optimal: [5.76e23] };
  const result = analyze(table, resolveSpec(table, spec, options), { ...options, bootstrap: 0, optimal: [] });
  const { approaches } = chinchillaApproaches(table, result, options, {});
  for (const name of ['Approach 2', 'Approach 3']) {
    const a = byName(approaches, name);
    assert.ok(Math.abs(a.a! - epochA) < 0.02, `${name}: a = ${a.a}`);
    assert.ok(a.a_ci95![0] <= epochA && epochA <= a.a_ci95![1], `${name}: ${a.a_ci95}`);
    // Chinchilla's budget (5.76e23 FLOPs): ~20 tokens per parameter under this law.
    assert.ok(
      a.optimal[0].tokens_per_param > 12 && a.optimal[0].tokens_per_param < 30,
      `${name}: D/N ${a.optimal[0].tokens_per_param}`,
    );
  }
  const one = byName(approaches, 'Approach 1');
  assert.ok(one.a_ci95![0] <= epochA && epochA <= one.a_ci95![1], `Approach 1: ${one.a_ci95}`);
});

test('CLI --approaches --json: one entry per approach with a, b, intervals and the optimum at each budget', () => {
  const { code, stdout, stderr } = runCli([
    'fit',
    'examples/language-model/runs.csv',
    '--approaches',
    '--optimal',
    '1e22',
    '--bootstrap',
    '100',
    '--json',
  ]);
  assert.equal(code, 0, stderr);
  const json = JSON.parse(stdout);
  assert.deepEqual(
    json.approaches.map((a: ApproachResult) => a.name),
    ['Approach 1', 'Approach 2', 'Approach 3'],
  );
  for (const a of json.approaches) {
    for (const key of ['a', 'a_ci95', 'b', 'b_ci95', 'optimal']) assert.ok(key in a, key);
    assert.equal(a.optimal[0].compute, 1e22);
  }
  const text = runCli(['fit', 'examples/language-model/runs.csv', '--approaches', '--bootstrap', '50']);
  assert.match(text.stdout, /Approach 2: a = 0\.5\d+ \[/);
});
