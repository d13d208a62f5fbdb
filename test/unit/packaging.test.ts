/**
 * Packaging and recipes: the extension's onnxruntime check (what the universal VSIX says instead of crashing), and
 * the README's Slurm recipe being the very script `.ci/run` submits.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { onnxRuntimeUnavailable } from '../../src/extension/onnxRuntime';
import { withTempDir } from './helpers/tempDir';

const repo = path.join(__dirname, '..', '..');

test('evaluation is available only where the platform binding is installed; otherwise a message says why', () =>
  withTempDir('scaling-lens-ext', (extension) => {
    const message = onnxRuntimeUnavailable(extension);
    assert.match(
      message!,
      new RegExp(`does not include for ${process.platform}-${process.arch} \\(the universal VSIX has none\\)`),
    );
    assert.match(message!, /Fitting, plots and hovers work without it/);
    const binding = path.join(
      extension,
      'node_modules',
      'onnxruntime-node',
      'bin',
      'napi-v6',
      process.platform,
      process.arch,
      'onnxruntime_binding.node',
    );
    fs.mkdirSync(path.dirname(binding), { recursive: true });
    fs.writeFileSync(binding, '');
    assert.equal(onnxRuntimeUnavailable(extension), undefined);
    // This checkout (npm ci) has the binding: the in-host tests can evaluate.
    assert.equal(onnxRuntimeUnavailable(repo), undefined);
  }));

test("the README's Slurm recipe is scripts/slurm/eval-array.sbatch, which .ci/run submits", () => {
  const readme = fs.readFileSync(path.join(repo, 'README.md'), 'utf8');
  const script = fs.readFileSync(path.join(repo, 'scripts', 'slurm', 'eval-array.sbatch'), 'utf8');
  const section = readme.slice(readme.indexOf('### A Slurm array job over checkpoints'));
  const block = /```bash\n([\s\S]*?)```/.exec(section)?.[1];
  assert.equal(block, script);
  assert.match(fs.readFileSync(path.join(repo, '.ci', 'run'), 'utf8'), /check slurm .*scripts\/slurm\/ci-check\.sh/);
  assert.match(
    fs.readFileSync(path.join(repo, 'scripts', 'slurm', 'ci-check.sh'), 'utf8'),
    /scripts\/slurm\/eval-array\.sbatch/,
  );
});
