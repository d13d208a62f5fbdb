/**
 * Reproduces Cherti et al. (CVPR 2023) from the authors' own results CSV. Known answers: the fits and the
 * prediction table stored in the repository's figures.ipynb, as recorded in PROVENANCE.md.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { analyze, resolveSpec, type AnalysisOptions } from '../../src/core/analysis';
import { loadDataset } from '../../src/core/ingest/load';
import { cellAt } from '../../src/core/ingest/table';
import { readTextFile } from '../../src/node/files';
import { runCli } from './cliHelper';

const file = path.join(__dirname, '..', '..', 'examples', 'openclip', 'zeroshot_results.csv');

function fit(options: AnalysisOptions = {}) {
  const { table, spec } = loadDataset(file, readTextFile);
  return analyze(table, resolveSpec(table, spec, options), options);
}

function law(result: ReturnType<typeof fit>, group: string) {
  const found = result.fits.find((f) => f.group === group);
  assert.ok(found, `no ${group} fit among ${result.fits.map((f) => f.group).join(', ')}`);
  return found;
}

const published = [
  { task: 'imagenet1k', group: 'LAION', beta: 5.858059, alpha: -0.111388 },
  { task: 'imagenet1k', group: 'CLIP-WIT', beta: 23.183551, alpha: -0.163775 },
  { task: 'mscoco_captions', group: 'LAION', beta: 2.74972, alpha: -0.079434 },
  { task: 'mscoco_captions', group: 'CLIP-WIT', beta: 1.588605, alpha: -0.050759 },
  { task: 'imagenet_robustness', group: 'LAION', beta: 11.608666, alpha: -0.125541 },
  { task: 'flickr30k', group: 'LAION', beta: 15.505964, alpha: -0.189157 },
];

for (const p of published) {
  test(`${p.task} ${p.group}: E = ${p.beta.toFixed(3)}·C^${p.alpha.toFixed(4)} (β within 0.5 %, α within 0.0005)`, () => {
    const result = fit({ task: p.task });
    const f = law(result, p.group);
    assert.ok(Math.abs(f.params.beta / p.beta - 1) < 0.005, `beta ${f.params.beta}`);
    assert.ok(Math.abs(f.params.alpha - p.alpha) < 0.0005, `alpha ${f.params.alpha}`);
    assert.equal(f.converged, true);
  });
}

test('defaults: LAION pools 80M/400M/2B with the binned:5 frontier; CLIP-WIT uses its 3 points and says so', () => {
  const result = fit();
  const laion = law(result, 'LAION');
  const wit = law(result, 'CLIP-WIT');
  assert.equal(laion.n_points, 29);
  assert.equal(laion.frontier, 'binned:5');
  assert.equal(laion.n_used, 5);
  assert.equal(wit.n_points, 3);
  assert.equal(wit.frontier, 'all');
  assert.ok(wit.notes.some((n) => /3 runs/.test(n)));
  assert.equal(result.metric, 'acc1');
});

test('retrieval tasks use 1 − image_retrieval_recall@5', () => {
  assert.equal(fit({ task: 'mscoco_captions' }).metric, 'image_retrieval_recall@5');
});

// PROVENANCE.md, cell 6: predictions for arch × samples seen, "actual" = min error over LAION datasets with the same
// arch and samples_seen_pretty; MAE over the 11 matched configs.
const SAMPLES: Record<string, number> = { '3B': 80000415 * 32, '13B': 407332084 * 32, '34B': 407332084 * 84 };

for (const [task, mae] of [
  ['imagenet1k', 0.8743712188927529],
  ['mscoco_captions', 0.5884335758552488],
] as const) {
  test(`${task}: prediction table MAE ${mae.toFixed(3)} pp over 11 configs`, () => {
    const { table, spec } = loadDataset(file, readTextFile);
    const resolved = resolveSpec(table, spec, { task });
    const metricCol = table.columns.indexOf(resolved.metric);
    const cell = (row: number, name: string) => cellAt(table, row, table.columns.indexOf(name));
    const actual = new Map<string, number>();
    for (let row = 0; row < table.rowCount; row++) {
      if (cell(row, 'downstream_dataset') !== task || !String(cell(row, 'upstream_dataset')).startsWith('LAION'))
        continue;
      const key = `${cell(row, 'arch')}|${cell(row, 'samples_seen_pretty')}`;
      const error = 1 - Number(cellAt(table, row, metricCol));
      actual.set(key, Math.min(actual.get(key) ?? Infinity, error));
    }
    const requests = [...actual.keys()].map((key) => {
      const [arch, pretty] = key.split('|');
      return { arch, samples: SAMPLES[pretty] };
    });
    const result = analyze(table, resolved, { task, predict: requests, bootstrap: 0 });
    const laion = law(result, 'LAION');
    assert.equal(requests.length, 11);
    const errors = laion.predictions.map((p, i) => Math.abs(p.error - actual.get([...actual.keys()][i])!) * 100);
    const got = errors.reduce((s, e) => s + e, 0) / errors.length;
    assert.ok(Math.abs(got - mae) < 1e-6, `MAE ${got}`);
  });
}

test('ViT-G-14 at 68B samples: predicted ImageNet accuracy 81.92 % (CLI)', () => {
  const { code, stdout } = runCli([
    'fit',
    file,
    '--predict',
    `arch=ViT-G-14,samples=${2 * 407332084 * 84}`,
    '--bootstrap',
    '200',
    '--json',
  ]);
  assert.equal(code, 0);
  const output = JSON.parse(stdout);
  const laion = output.fits.find((f: { group: string }) => f.group === 'LAION');
  const accuracy = (1 - laion.predictions[0].error) * 100;
  assert.ok(Math.abs(accuracy - 81.923599) < 0.001, `accuracy ${accuracy}`);
  const [lo, hi] = laion.predictions[0].ci95;
  assert.ok(lo < laion.predictions[0].error && laion.predictions[0].error < hi, 'the interval holds the estimate');
});

test('--json has the documented shape', () => {
  const { code, stdout } = runCli([
    'fit',
    file,
    '--predict',
    'compute=1e12',
    '--optimal',
    '1e13',
    '--bootstrap',
    '100',
    '--json',
  ]);
  assert.equal(code, 0);
  const { fits } = JSON.parse(stdout);
  for (const f of fits) {
    assert.ok(f.group === null || typeof f.group === 'string');
    assert.equal(f.law, 'power');
    assert.ok(Number.isInteger(f.n_points) && Number.isInteger(f.n_used));
    assert.deepEqual(Object.keys(f.params), ['beta', 'alpha']);
    assert.equal(typeof f.rmse_log10, 'number');
    assert.equal(typeof f.converged, 'boolean');
    assert.ok(f.ci95 === null || Array.isArray(f.ci95.beta));
    assert.deepEqual(f.predictions[0].at, { compute: 1e12 });
    assert.equal(typeof f.predictions[0].error, 'number');
  }
  const laion = fits.find((f: { group: string }) => f.group === 'LAION');
  const o = laion.optimal[0];
  assert.equal(o.compute, 1e13);
  for (const key of ['params', 'samples', 'error']) assert.ok(Number.isFinite(o[key]) && o[key] > 0, key);
});
