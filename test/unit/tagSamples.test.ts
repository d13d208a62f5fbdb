/**
 * scaling-lens.json `samplesSeen`: samples seen for pretrained tags that do not say it (`yfcc15m`) bring the
 * rows the public CLIP tables leave out into the fit; the layout's own rules stay. Known answers: the fixture's own
 * FLOPs column and the value written in the config.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors';
import { loadDataset } from '../../src/core/ingest/load';
import { findConfigEntry, parseConfig } from '../../src/core/schema/config';
import { parseSampleCount, withTagSamples } from '../../src/core/schema/configEdit';
import { columnData, columnIndex } from '../../src/core/ingest/table';
import { readTextFile } from '../../src/node/files';
import { runCli } from './cliHelper';
import { withTempDir } from './helpers/tempDir';

const fixtures = path.join(__dirname, '..', 'fixtures', 'clip', 'openclip');
/** Every run as one group, no bootstrap: the runs fitted are the rows read. */
const ALL_RUNS_AS_JSON = ['--group', 'none', '--frontier', 'all', '--bootstrap', '0', '--json'];

function withConfig(config: unknown, body: (file: string, configFile: string) => void): void {
  withTempDir('tag-samples', (dir) => {
    for (const name of ['openclip_results.csv', 'model_profile.csv'])
      fs.copyFileSync(path.join(fixtures, name), path.join(dir, name));
    const configFile = path.join(dir, 'scaling-lens.json');
    fs.writeFileSync(configFile, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
    body(path.join(dir, 'openclip_results.csv'), configFile);
  });
}

test('samplesSeen for a tag that says nothing brings its rows in, at the given samples seen, and keeps the layout', () => {
  const before = runCli(['fit', path.join(fixtures, 'openclip_results.csv'), ...ALL_RUNS_AS_JSON]);
  assert.equal(before.code, 0, before.stderr);
  withConfig({ datasets: [{ file: 'openclip_results.csv', samplesSeen: { yfcc15m: 4.8e8 } }] }, (file) => {
    const { table, spec } = loadDataset(file, readTextFile);
    assert.equal(spec.profile, 'openclip-results-table', 'an entry that names no metric or compute keeps the layout');
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    const yfccRow = lines.findIndex((line) => line.split(',')[1] === 'yfcc15m') - 1;
    assert.ok(yfccRow >= 0);
    const samples = columnData(table, columnIndex(table, 'samples_seen')) as Float64Array;
    assert.equal(samples[yfccRow], 4.8e8);
    // Other tags are still read from the tag: laion2b_s34b_b79k = 34e9.
    const s34b = lines.findIndex((line) => line.split(',')[1] === 'laion2b_s34b_b79k') - 1;
    assert.equal(samples[s34b], 34e9);

    const after = runCli(['fit', file, ...ALL_RUNS_AS_JSON]);
    assert.equal(after.code, 0, after.stderr);
    const [was, now] = [JSON.parse(before.stdout), JSON.parse(after.stdout)];
    assert.equal(now.fits[0].n_points, was.fits[0].n_points + 1, 'one more run fitted');
    assert.ok(was.notes.some((n: string) => n.includes('"yfcc15m" does not say')));
    assert.ok(!now.notes.some((n: string) => n.includes('"yfcc15m" does not say')), now.notes.join(' | '));
    assert.ok(
      now.notes.some((n: string) => n.includes('samples seen from scaling-lens.json for "yfcc15m" (4.8e8)')),
      now.notes.join(' | '),
    );
  });
});

test('samplesSeen that is not a positive number is refused at its line and column', () => {
  const text = '{\n  "datasets": [\n    { "file": "openclip_results.csv", "samplesSeen": { "yfcc15m": -3 } }\n  ]\n}\n';
  withConfig(text, (file, configFile) => {
    const { code, stderr } = runCli(['fit', file, '--bootstrap', '0']);
    assert.equal(code, 2, stderr);
    const column = text.split('\n')[2].indexOf('-3') + 1;
    assert.ok(stderr.includes(`${configFile}:3:${column}:`), stderr);
    assert.match(stderr, /samplesSeen "yfcc15m": expected a positive number of samples seen/);
  });
  withConfig({ datasets: [{ file: 'openclip_results.csv', samplesSeen: [4.8e8] }] }, (file) => {
    const { code, stderr } = runCli(['fit', file, '--bootstrap', '0']);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /samplesSeen must map pretrained tags to samples seen/);
  });
});

const sampleCounts: [string, number | null][] = [
  ['4.8e8', 4.8e8],
  ['480M', 480e6],
  ['12.8B', 12.8e9],
  ['34b', 34e9],
  ['1,280,000', 1.28e6],
  ['2k', 2000],
  ['0', null],
  ['-5', null],
  ['12 epochs', null],
  ['', null],
];
for (const [text, expected] of sampleCounts) {
  test(`a typed count of samples: "${text}" → ${expected}`, () => assert.equal(parseSampleCount(text), expected));
}

test('withTagSamples starts a config, adds to the entry that names the file, or adds an entry; the result is valid', () => {
  const configFile = '/ws/clip/scaling-lens.json';
  const results = '/ws/clip/tables/openclip_results.csv';
  const started = withTagSamples(configFile, undefined, results, 'yfcc15m', 4.8e8);
  assert.deepEqual(JSON.parse(started), {
    datasets: [{ file: 'tables/openclip_results.csv', samplesSeen: { yfcc15m: 4.8e8 } }],
  });

  const named = JSON.stringify(
    {
      datasets: [
        { file: 'other.csv', metric: 'loss' },
        { file: 'tables/*.csv', samplesSeen: { webli: 1e10 }, filters: ['dataset=imagenet1k'] },
      ],
    },
    null,
    2,
  );
  const added = JSON.parse(withTagSamples(configFile, named, results, 'yfcc15m', 4.8e8));
  assert.deepEqual(added.datasets[1], {
    file: 'tables/*.csv',
    samplesSeen: { webli: 1e10, yfcc15m: 4.8e8 },
    filters: ['dataset=imagenet1k'],
  });
  assert.deepEqual(added.datasets[0], { file: 'other.csv', metric: 'loss' }, 'the other entry is untouched');

  const unnamed = JSON.stringify({ datasets: [{ file: 'other.csv', metric: 'loss' }] });
  const appended = JSON.parse(withTagSamples(configFile, unnamed, results, 'yfcc15m', 4.8e8));
  assert.deepEqual(appended.datasets, [
    { file: 'other.csv', metric: 'loss' },
    { file: 'tables/openclip_results.csv', samplesSeen: { yfcc15m: 4.8e8 } },
  ]);

  for (const text of [started, JSON.stringify(added), JSON.stringify(appended)]) {
    const config = parseConfig(configFile, text);
    assert.equal(findConfigEntry(config, configFile, results)?.samplesSeen?.yfcc15m, 4.8e8);
  }
  assert.throws(
    () => withTagSamples(configFile, '{"datasets": [ {"file": 3} ]}', results, 'yfcc15m', 4.8e8),
    InputError,
  );
});
