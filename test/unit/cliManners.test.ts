/** CLI manners: --help for every command, --version, numbers printed with the one formatter. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from './cliHelper';
import { withTempDir } from './helpers/tempDir';

test('fit --help and eval --help describe their flags; --help and --version answer; all exit 0', () => {
  const fit = runCli(['fit', '--help']);
  assert.equal(fit.code, 0, fit.stderr);
  for (const flag of [
    '--metric',
    '--compute',
    '--params',
    '--samples',
    '--filter',
    '--group',
    '--strict',
    'COL<=V',
    'backticks',
  ])
    assert.ok(fit.stdout.includes(flag), `fit --help mentions ${flag}`);
  const evaluate = runCli(['eval', '--help']);
  assert.equal(evaluate.code, 0, evaluate.stderr);
  for (const flag of ['--model', '--data', '--out', '--threads'])
    assert.ok(evaluate.stdout.includes(flag), `eval --help mentions ${flag}`);
  const help = runCli(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /scaling-lens fit FILE\|FOLDER/);
  const version = runCli(['--version']);
  assert.equal(version.code, 0);
  assert.equal(
    version.stdout.trim(),
    `scaling-lens ${JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version}`,
  );
});

test('the nearest real configuration is printed with the number formatter (N=1.62e10, not N=16183346310.730501)', () =>
  withTempDir('scaling-lens-format', (dir) => {
    const file = path.join(dir, 'lm.csv');
    const biggest = 16183346310.730501;
    const lines = ['flops,params,tokens,loss'];
    for (const n of [biggest / 27, biggest / 9, biggest / 3, biggest])
      for (const d of [2e10, 8e10, 3e11])
        lines.push(`${6 * n * d},${n},${d},${1.69 + 406.4 / n ** 0.34 + 410.7 / d ** 0.28}`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const { code, stdout, stderr } = runCli(['fit', file, '--optimal', '1e23', '--bootstrap', '0']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /nearest real: N=1\.62e10 × /);
    assert.doesNotMatch(stdout, /16183346310/);
  }));
