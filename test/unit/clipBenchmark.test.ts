/** CLIP_benchmark results (one record per model × dataset) are fitted with no configuration. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { samplesFromPretrainedTag } from '../../src/core/schema/detect';
import { runCli } from './cliHelper';
import { withTempDir } from './helpers/tempDir';

test('samples seen from OpenCLIP pretrained tags', () => {
  assert.equal(samplesFromPretrainedTag('laion2b_s34b_b79k'), 34e9);
  assert.equal(samplesFromPretrainedTag('laion400m_s13b_b51k'), 13e9);
  assert.equal(samplesFromPretrainedTag('openai'), 1.28e10);
  assert.equal(
    samplesFromPretrainedTag('laion400m_e32'),
    32 * 407e6,
    'epoch tags: epochs × the LAION-400M release (407M pairs)',
  );
  assert.ok(Number.isNaN(samplesFromPretrainedTag('yfcc15m')), 'a tag that does not say');
});

test("the paper's ImageNet results written as CLIP_benchmark records give the paper's laws", () => {
  // Rewrite the OpenCLIP results as CLIP_benchmark output: model, pretrained tag, task, metrics{acc1, acc5}.
  const csv = fs
    .readFileSync(path.join(__dirname, '..', '..', 'examples', 'openclip', 'zeroshot_results.csv'), 'utf8')
    .trim()
    .split('\n');
  const header = csv[0].split(',');
  const col = (name: string) => header.indexOf(name);
  const records = csv
    .slice(1)
    .map((line) => line.split(','))
    .filter((cells) => cells[col('downstream_dataset')] === 'imagenet1k')
    .map((cells) => {
      const upstream = cells[col('upstream_dataset')];
      const billions = Number(cells[col('samples_seen')]) / 1e9;
      const pretrained =
        upstream === 'CLIP-WIT' ? 'openai' : `${upstream.toLowerCase().replace('-', '')}_s${billions.toFixed(3)}b_b86k`;
      return {
        dataset: 'imagenet1k',
        model: cells[col('arch')],
        pretrained,
        task: 'zeroshot_classification',
        metrics: { acc1: Number(cells[col('acc1')]), acc5: Number(cells[col('acc5')]) },
      };
    });
  withTempDir('clip-benchmark', (dir) => {
    const file = path.join(dir, 'benchmark.json');
    fs.writeFileSync(file, JSON.stringify(records, null, 2));
    const { code, stdout, stderr } = runCli(['fit', file, '--bootstrap', '0', '--json']);
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout);
    assert.equal(result.profile, 'clip-benchmark');
    const laion = result.fits.find((f: { group: string }) => f.group === 'LAION');
    const wit = result.fits.find((f: { group: string }) => f.group === 'CLIP-WIT');
    assert.equal(laion.n_points, 29);
    assert.equal(wit.n_points, 3);
    // Same runs, compute from the architecture table × samples seen from the tag (3 decimals of billions).
    assert.ok(Math.abs(laion.params.alpha - -0.111388) < 0.0005, `LAION alpha ${laion.params.alpha}`);
    assert.ok(Math.abs(wit.params.alpha - -0.163775) < 0.0005, `CLIP-WIT alpha ${wit.params.alpha}`);
  });
});
