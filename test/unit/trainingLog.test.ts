/** OpenCLIP training logs: results.jsonl with params.txt beside it. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { extractRuns } from '../../src/core/dataset';
import { loadDataset } from '../../src/core/ingest/load';
import { readTextFile } from '../../src/node/files';
import { runCli } from './cliHelper';
import { withTempDir } from './helpers/tempDir';

const epochs = [1, 2, 4, 8];
const top1 = [0.1, 0.25, 0.33, 0.4];

/** Writes the log (and params.txt when asked) into `dir`; returns the log's path. */
function writeLog(dir: string, withParams: boolean): string {
  // num_samples is OpenCLIP's count of validation images, not samples seen.
  const lines = epochs.map((epoch, i) =>
    JSON.stringify({ 'imagenet-zeroshot-val-top1': top1[i], epoch, num_samples: 50000 }),
  );
  fs.writeFileSync(path.join(dir, 'results.jsonl'), lines.join('\n') + '\n');
  if (withParams)
    fs.writeFileSync(path.join(dir, 'params.txt'), 'batch_size: 256\nmodel: ViT-B-32\ntrain_num_samples: 400000000\n');
  return path.join(dir, 'results.jsonl');
}

// ViT-B-32: 7.4 GMACs per sample (arch_info.csv of the paper); epoch k has seen k × train_num_samples = k × 4e8 samples.
const expectedSamples = epochs.map((epoch) => epoch * 4e8);
const expectedCompute = expectedSamples.map((samples) => 7.4 * samples);

test("with params.txt: each checkpoint's compute is GMACs of the model × epoch × train_num_samples", () =>
  withTempDir('openclip-log', (dir) => {
    const { table, spec } = loadDataset(writeLog(dir, true), readTextFile);
    const { runs } = extractRuns(table, spec);
    assert.deepEqual(
      runs.map((run) => run.line),
      [1, 2, 3, 4],
      'one run per checkpoint line',
    );
    assert.deepEqual(
      runs.map((run) => run.samples),
      expectedSamples,
    );
    runs.forEach((run, i) =>
      assert.ok(
        Math.abs(run.compute / expectedCompute[i] - 1) < 1e-12,
        `compute at epoch ${epochs[i]}: ${run.compute} vs ${expectedCompute[i]}`,
      ),
    );
    runs.forEach((run, i) =>
      assert.ok(
        Math.abs(run.error - [0.9, 0.75, 0.67, 0.6][i]) < 1e-12,
        `E = 1 − top-1 at epoch ${epochs[i]}: ${run.error}`,
      ),
    );
  }));

test("with params.txt: the CLI fits the four checkpoints and predicts near the measured E at the first one's compute", () =>
  withTempDir('openclip-log', (dir) => {
    const file = writeLog(dir, true);
    const { code, stdout, stderr } = runCli(['fit', file, '--frontier', 'all', '--bootstrap', '0', '--json']);
    assert.equal(code, 0, stderr);
    assert.equal(JSON.parse(stdout).fits[0].n_used, 4);
    // A power law through the four points: E at epoch 1's compute is close to the measured 0.9.
    const { code: c2, stdout: out2 } = runCli([
      'fit',
      file,
      '--frontier',
      'all',
      '--bootstrap',
      '0',
      '--predict',
      `compute=${expectedCompute[0]}`,
      '--json',
    ]);
    assert.equal(c2, 0);
    const predicted = JSON.parse(out2).fits[0].predictions[0].error;
    assert.ok(Math.abs(predicted - 0.9) < 0.05, `E at the first checkpoint's compute: ${predicted}`);
  }));

test('without params.txt: compute is the epoch, and the output says so', () =>
  withTempDir('openclip-log', (dir) => {
    const file = writeLog(dir, false);
    const { table, spec } = loadDataset(file, readTextFile);
    assert.deepEqual(
      extractRuns(table, spec).runs.map((run) => run.compute),
      epochs,
    );
    const { code, stdout } = runCli(['fit', file, '--bootstrap', '0']);
    assert.equal(code, 0);
    assert.match(stdout, /compute is the epoch/);
  }));
