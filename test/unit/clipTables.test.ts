/**
 * The public CLIP result tables as they are published (fixtures: real rows of LAION-AI/CLIP_benchmark's
 * benchmark/benchmark.csv and of mlfoundations/open_clip's docs/openclip_results.csv and docs/model_profile.csv; see
 * test/fixtures/clip/README.md). Known answers: the tags' own meaning, and a from-scratch refit in this file with the
 * paper's GMACs (examples/openclip/arch_info.csv).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { findArchitecture, readArchitectureTable } from '../../src/core/schema/architectures';
import { openclipArchitectures } from '../../src/core/schema/openclipArchitectures';
import { readPretrainedTag } from '../../src/core/schema/pretrainedTags';
import { parseTable } from '../../src/core/ingest/parse';
import { runCli } from './cliHelper';
import { powerLawByHand } from './fitHelper';
import { withTempDir } from './helpers/tempDir';

const fixtures = path.join(__dirname, '..', 'fixtures', 'clip');
const benchmarkCsv = path.join(fixtures, 'benchmark', 'benchmark.csv');

const tagStyles: [string, number | undefined][] = [
  ['laion2b_s34b_b79k', 34e9],
  ['laion2b_s32b_b82k', 32e9],
  ['laion400m_e31', 31 * 407e6],
  ['laion400m_e32', 32 * 407e6],
  ['laion2b_e16', 16 * 2.32e9],
  ['laion5b_s13b_b90k', 13e9],
  ['frozen_laion5b_s13b_b90k', 13e9],
  ['datacomp_xl_s13b_b90k', 13e9],
  ['datacomp_s34b_b86k', 34e9],
  ['commonpool_m_s128m_b4k', 128e6],
  ['commonpool_s_clip_s13m_b4k', 13e6],
  ['laion2b_s29b_b131k_ft_soup', 29e9],
  ['openai', 12.8e9],
  ['yfcc15m', undefined],
  ['metaclip_400m', undefined],
  ['dfn5b', undefined],
  ['webli', undefined],
];
for (const [tag, samples] of tagStyles) {
  test(`pretrained tag ${tag}: ${samples === undefined ? 'says nothing about samples seen' : `${samples} samples seen`}`, () => {
    assert.equal(readPretrainedTag(tag)?.samples, samples);
  });
}

test('-quickgelu (and hf-hub: names) map to the base architecture; other variants do not', () => {
  const table = openclipArchitectures();
  assert.equal(findArchitecture(table, 'ViT-B-32-quickgelu'), table.get('ViT-B-32'));
  assert.equal(findArchitecture(table, 'RN50-quickgelu'), table.get('RN50'));
  assert.equal(findArchitecture(table, 'hf-hub:laion/ViT-L-14'), table.get('ViT-L-14'));
  assert.equal(findArchitecture(table, 'ViT-B-32-256'), undefined, 'another resolution is another compute');
});

test('an architecture table with gflops (OpenCLIP model_profile.csv) is read in GMACs: 1 MAC = 2 FLOPs', () => {
  const file = path.join(fixtures, 'openclip', 'model_profile.csv');
  const { architectures, note } = readArchitectureTable(parseTable(file, fs.readFileSync(file, 'utf8')));
  // model_profile.csv: ViT-B-32 14.78 GFLOPs, 151.28 M params; the paper's arch_info.csv: 7.4 GMACs.
  assert.equal(architectures.get('ViT-B-32')!.computePerSample, 14.78 / 2);
  assert.equal(architectures.get('ViT-B-32')!.params, 151.28e6);
  assert.match(note, /gflops ÷ 2 = GMACs \(1 MAC = 2 FLOPs/);
});

/** The paper's GMACs per sample, read here from its data file (not from the code's table). */
function paperGmacs(): Map<string, number> {
  const lines = fs
    .readFileSync(path.join(__dirname, '..', '..', 'examples', 'openclip', 'arch_info.csv'), 'utf8')
    .trim()
    .split('\n');
  const header = lines[0].split(',');
  return new Map(
    lines
      .slice(1)
      .map((l) => l.split(','))
      .map((cells) => [cells[header.indexOf('model')], Number(cells[header.indexOf('gmacs')])]),
  );
}

/** The tags of the fixture, read by hand. */
const SAMPLES: Record<string, number> = {
  laion2b_s34b_b79k: 34e9,
  laion2b_s12b_b42k: 12e9,
  laion2b_s32b_b79k: 32e9,
  laion2b_s32b_b82k: 32e9,
  laion400m_e32: 32 * 407e6,
  laion2b_e16: 16 * 2.32e9,
  openai: 12.8e9,
};

test('CLIP_benchmark benchmark.csv (epoch tags, a -quickgelu model) fits LAION vs OpenAI with no flags, as a refit by hand', () => {
  const { code, stdout, stderr } = runCli(['fit', benchmarkCsv, '--bootstrap', '0', '--json']);
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout);
  assert.equal(result.profile, 'clip-benchmark');
  assert.ok(
    result.notes.some((n: string) => n.includes('ViT-B-32-quickgelu → ViT-B-32')),
    result.notes.join(' | '),
  );
  // By hand: the imagenet1k rows, C = the paper's GMACs × samples from the tag, E = 1 − acc1.
  const gmacs = paperGmacs();
  const lines = fs.readFileSync(benchmarkCsv, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const col = (cells: string[], name: string) => cells[header.indexOf(name)];
  const runs = lines
    .slice(1)
    .map((l) => l.split(','))
    .filter((cells) => col(cells, 'dataset') === 'imagenet1k')
    .map((cells) => ({
      group: col(cells, 'pretrained') === 'openai' ? 'CLIP-WIT' : 'LAION',
      compute: gmacs.get(col(cells, 'model').replace('-quickgelu', ''))! * SAMPLES[col(cells, 'pretrained')],
      error: 1 - Number(col(cells, 'acc1')),
    }));
  const laion = runs.filter((r) => r.group === 'LAION').sort((a, b) => a.compute - b.compute);
  const frontier = laion.filter((r, i) => laion.slice(0, i).every((earlier) => earlier.error > r.error)); // the Pareto frontier
  const wit = runs.filter((r) => r.group === 'CLIP-WIT'); // 4 runs: all points, as the paper does for OpenAI
  for (const [group, points, n] of [
    ['LAION', frontier, 9],
    ['CLIP-WIT', wit, 4],
  ] as const) {
    const fit = result.fits.find((f: { group: string }) => f.group === group);
    assert.equal(fit.n_points, n, group);
    assert.equal(fit.n_used, points.length, group);
    const byHand = powerLawByHand(points);
    assert.ok(Math.abs(fit.params.alpha - byHand.alpha) < 1e-9, `${group}: ${fit.params.alpha} vs ${byHand.alpha}`);
    assert.ok(Math.abs(fit.params.beta / byHand.beta - 1) < 1e-9, group);
  }
});

test('a folder of CLIP_benchmark JSON outputs (one per model × dataset) is one input, fitted like the table', () => {
  const folder = runCli(['fit', path.join(fixtures, 'outputs'), '--bootstrap', '0', '--json']);
  const table = runCli(['fit', benchmarkCsv, '--bootstrap', '0', '--json']);
  assert.equal(folder.code, 0, folder.stderr);
  const fromFolder = JSON.parse(folder.stdout);
  const fromTable = JSON.parse(table.stdout);
  assert.equal(fromFolder.profile, 'clip-benchmark');
  for (const group of ['LAION', 'CLIP-WIT']) {
    const a = fromFolder.fits.find((f: { group: string }) => f.group === group);
    const b = fromTable.fits.find((f: { group: string }) => f.group === group);
    assert.equal(a.n_points, b.n_points, group);
    assert.ok(Math.abs(a.params.alpha - b.params.alpha) < 1e-12, group);
  }
});

test('a CLIP_benchmark row with a tag that says nothing about samples seen is left out with a note naming the tag', () =>
  withTempDir('clip-benchmark-tags', (dir) => {
    const file = path.join(dir, 'benchmark.csv');
    const text = fs.readFileSync(benchmarkCsv, 'utf8');
    fs.writeFileSync(file, text + '0.2811,0.5,0.28,imagenet1k,RN50,yfcc15m,zeroshot_classification,,,,RN50 yfcc15m\n');
    const { code, stdout, stderr } = runCli(['fit', file, '--bootstrap', '0']);
    assert.equal(code, 0, stderr);
    const line = text.trim().split('\n').length + 1;
    assert.ok(
      stdout.includes(
        `1 row left out, no compute: pretrained tag "yfcc15m" does not say how many samples were seen (line ${line})`,
      ),
      stdout,
    );
  }));

test('OpenCLIP openclip_results.csv is recognised: E = 1 − ImageNet 1k, C = FLOPs ÷ 2 × samples from the tag, groups by data', () => {
  const file = path.join(fixtures, 'openclip', 'openclip_results.csv');
  const { code, stdout, stderr } = runCli(['fit', file, '--bootstrap', '0', '--json']);
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout);
  assert.equal(result.profile, 'openclip-results-table');
  assert.equal(result.metric, '1 - `ImageNet 1k`');
  assert.deepEqual(result.fits.map((f: { group: string }) => f.group).sort(), [
    'CLIP-WIT',
    'CommonPool',
    'DataComp',
    'LAION',
  ]);
  assert.ok(
    result.notes.some((n: string) => n.includes('pretrained tag "yfcc15m" does not say how many samples were seen')),
    result.notes.join(' | '),
  );
  // The ViT-B-32 laion2b_s34b_b79k row, by hand: 14.78 GFLOPs / 2 × 34e9 samples, E = 1 − 0.6656.
  const rows = fs
    .readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  const header = rows[0];
  const row = rows.find((cells) => cells[0] === 'ViT-B-32' && cells[1] === 'laion2b_s34b_b79k')!;
  const compute = (Number(row[header.indexOf('FLOPs (B)')]) / 2) * 34e9;
  const error = 1 - Number(row[header.indexOf('ImageNet 1k')]);
  const laion = result.fits.find((f: { group: string }) => f.group === 'LAION');
  const predicted = laion.params.beta * compute ** laion.params.alpha;
  assert.ok(Math.abs(Math.log10(predicted / error)) < 0.05, `the law passes near the row: ${predicted} vs ${error}`);
  // Another dataset's score column as the metric.
  const cars = runCli(['fit', file, '--metric', 'Stanford Cars', '--bootstrap', '0', '--json']);
  assert.equal(cars.code, 0, cars.stderr);
  assert.equal(JSON.parse(cars.stdout).metric, '1 - `Stanford Cars`');
});

test("the extension offers the OpenCLIP table's score columns as metrics, by name", async () => {
  const { runFitJob } = await import('../../src/worker/fitJob');
  const { readDecodedFile } = await import('../../src/node/files');
  const file = path.join(fixtures, 'openclip', 'openclip_results.csv');
  const settings = { law: 'power' as const, frontier: 'default', bootstrap: false, budgets: [] };
  const outcome = runFitJob(file, settings, readDecodedFile);
  assert.equal(outcome.choices.metric, 'ImageNet 1k');
  assert.ok(
    outcome.choices.metrics.includes('Stanford Cars') &&
      outcome.choices.metrics.includes('Average perf. on 38 datasets'),
    outcome.choices.metrics.join(', '),
  );
  const cars = runFitJob(file, { ...settings, metric: 'Stanford Cars' }, readDecodedFile);
  assert.equal(cars.choices.metric, 'Stanford Cars');
  assert.ok(
    cars.problems.some((p) => p.severity === 'info' && p.message.includes('"yfcc15m"')),
    'the skipped rows are a Problems-panel entry',
  );
});
