/** OpenCLIP training logs: results.jsonl with params.txt beside it. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from './cliHelper';

function log(withParams: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openclip-log-'));
  // num_samples is OpenCLIP's count of validation images, not samples seen.
  const lines = [1, 2, 4, 8].map((epoch, i) => JSON.stringify({ 'imagenet-zeroshot-val-top1': [0.1, 0.25, 0.33, 0.4][i], epoch, num_samples: 50000 }));
  fs.writeFileSync(path.join(dir, 'results.jsonl'), lines.join('\n') + '\n');
  if (withParams) fs.writeFileSync(path.join(dir, 'params.txt'), 'batch_size: 256\nmodel: ViT-B-32\ntrain_num_samples: 400000000\n');
  return path.join(dir, 'results.jsonl');
}

test('with params.txt: C = GMACs of the model × epoch × train_num_samples', () => {
  const { code, stdout, stderr } = runCli(['fit', log(true), '--frontier', 'all', '--bootstrap', '0', '--json']);
  assert.equal(code, 0, stderr);
  const fit = JSON.parse(stdout).fits[0];
  // ViT-B-32: 7.4 GMACs per sample (arch_info.csv of the paper); epoch 1 → 4e8 samples.
  const expected = [1, 2, 4, 8].map((epoch) => 7.4 * epoch * 4e8);
  assert.equal(fit.n_used, 4);
  // A power law through the four points: E at epoch 1's compute is close to the measured 0.9.
  const { code: c2, stdout: out2 } = runCli(['fit', log(true), '--frontier', 'all', '--bootstrap', '0', '--predict', `compute=${expected[0]}`, '--json']);
  assert.equal(c2, 0);
  const predicted = JSON.parse(out2).fits[0].predictions[0].error;
  assert.ok(Math.abs(predicted - 0.9) < 0.05, `E at the first checkpoint's compute: ${predicted}`);
});

test('without params.txt: compute is the epoch, and the output says so', () => {
  const { code, stdout } = runCli(['fit', log(false), '--bootstrap', '0']);
  assert.equal(code, 0);
  assert.match(stdout, /compute is the epoch/);
});
