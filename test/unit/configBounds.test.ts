/**
 * Bounded settings and paths that stay inside: one validator per setting for the CLI, scaling-lens.json and the
 * panel's messages; bounded `file` patterns matched without backtracking; every path from scaling-lens.json inside
 * the config's folder (CLI) or the workspace folder (fit worker), also through symbolic links.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { minimatch } from 'minimatch';
import { runFitJob } from '../../src/worker/fitJob';
import { globProblem, matchGlob } from '../../src/core/glob';
import { loadDataset } from '../../src/core/ingest/load';
import { parseConfig } from '../../src/core/schema/config';
import { GrowingFileReader, readTextFile, realPath } from '../../src/node/files';
import { isSettings } from '../../src/shared/protocol';
import { Random } from '../../src/core/random';
import { runCli } from './cliHelper';
import { withTempDir } from './helpers/tempDir';

const fixtures = path.join(__dirname, '..', 'fixtures', 'config-bounds');

/** 1-based line and column of the first occurrence of `needle` in `text` (found here, not by the code under test). */
function lineColumn(text: string, needle: string): string {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} in the config`);
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}

test('the smoke config asking for binned:100000000 is refused at its frontier value (before: fit hung)', () => {
  const config = path.join(fixtures, 'huge_bins', 'scaling-lens.json');
  const { code, stderr } = runCli(['fit', path.join(fixtures, 'huge_bins', 'runs.csv'), '--bootstrap', '0']);
  assert.equal(code, 2, stderr);
  const at = lineColumn(fs.readFileSync(config, 'utf8'), '"binned:100000000"');
  assert.ok(
    stderr.includes(
      `${config}:${at}: datasets[0].frontier "binned:100000000": expected all, pareto or binned:K with 2 ≤ K ≤ 1000`,
    ),
    stderr,
  );
});

test('binned:K: 2 ≤ K ≤ 1000 from the CLI, scaling-lens.json and the panel alike', () =>
  withTempDir('scaling-lens-bins', (dir) => {
    fs.copyFileSync(path.join(fixtures, 'huge_bins', 'runs.csv'), path.join(dir, 'runs.csv'));
    const write = (frontier: string) =>
      fs.writeFileSync(
        path.join(dir, 'scaling-lens.json'),
        JSON.stringify({ datasets: [{ file: 'runs.csv', metric: 'val_loss', compute: 'flops', frontier }] }),
      );
    const fit = (...flags: string[]) => runCli(['fit', path.join(dir, 'runs.csv'), '--bootstrap', '0', ...flags]);
    for (const [frontier, valid] of [
      ['binned:1', false],
      ['binned:2', true],
      ['binned:1000', true],
      ['binned:1001', false],
      ['binned:1000000000', false],
      ['pareto', true],
      ['Pareto', false],
    ] as const) {
      write(frontier);
      const viaConfig = fit();
      fs.rmSync(path.join(dir, 'scaling-lens.json'));
      const viaFlag = fit('--frontier', frontier, '--metric', 'val_loss', '--compute', 'flops');
      if (valid) {
        assert.equal(viaConfig.code, 0, `config ${frontier}: ${viaConfig.stderr}`);
        assert.equal(viaFlag.code, 0, `--frontier ${frontier}: ${viaFlag.stderr}`);
      } else {
        assert.equal(viaConfig.code, 2, `config ${frontier}`);
        assert.match(viaConfig.stderr, /expected all, pareto or binned:K with 2 ≤ K ≤ 1000/);
        assert.equal(viaFlag.code, 2, `--frontier ${frontier}`);
        assert.match(viaFlag.stderr, /expected all, pareto or binned:K with 2 ≤ K ≤ 1000/);
      }
      assert.equal(isSettings({ law: 'power', frontier, bootstrap: true, budgets: [] }), valid, `panel ${frontier}`);
    }
    assert.equal(fit('--bootstrap', '100001').code, 2, 'bootstrap resamples are bounded too');
  }));

test('file patterns: 40 × "**/" and other unbounded patterns are refused at their place in the config', () => {
  const text = JSON.stringify(
    { datasets: [{ file: `${'**/'.repeat(40)}*.csv`, metric: 'loss', compute: 'flops' }] },
    null,
    2,
  );
  assert.throws(
    () => parseConfig('/w/scaling-lens.json', text),
    (error: Error) =>
      error.message.startsWith(`/w/scaling-lens.json:${lineColumn(text, '"**/')}: datasets[0].file`) &&
      /"\*\*": at most 4/.test(error.message),
  );
  for (const [file, reason] of [
    [`${'a/'.repeat(40)}x.csv`, /folders deep/],
    ['x'.repeat(300), /characters: at most 256/],
    ['../x.csv', /outside its folder/],
    ['/etc/*.csv', /outside its folder/],
  ] as const) {
    assert.throws(
      () => parseConfig('c.json', JSON.stringify({ datasets: [{ file, metric: 'loss', compute: 'flops' }] })),
      reason,
      file,
    );
  }
  assert.equal(globProblem('runs/**/*.csv'), undefined);
});

test('file patterns match as minimatch does (an independent glob implementation) on random patterns and paths', () => {
  const random = new Random(11);
  const pick = <T>(items: readonly T[]) => items[random.int(items.length)];
  const names = ['a', 'b', 'ab', 'results.csv', 'x.csv', 'runs'];
  const parts = ['a', 'b', '*', '?', '**', 'a*', '*.csv', 'r*s', 'results.csv', '*b*'];
  let matches = 0;
  for (let i = 0; i < 5000; i++) {
    const pattern = Array.from({ length: 1 + random.int(4) }, () => pick(parts)).join('/');
    const file = Array.from({ length: 1 + random.int(5) }, () => pick(names)).join('/');
    const expected = minimatch(file, pattern, { dot: true });
    assert.equal(matchGlob(pattern, file), expected, `${pattern} vs ${file}`);
    if (expected) matches++;
  }
  assert.ok(matches > 200, `both outcomes are exercised (${matches} matches)`);
  // 4 globstars over a 64-folder path that does not match: answered by the segment table, not by backtracking.
  assert.equal(
    matchGlob('**/a/**/b/**/c/**/d.csv', Array.from({ length: 64 }, () => 'a/b/c').join('/') + '/e.csv'),
    false,
  );
});

/** A workspace with a results file described by scaling-lens.json, and a secret file beside the workspace. */
function workspace(base: string, join: string, architectures?: string) {
  const root = path.join(base, 'workspace');
  fs.mkdirSync(path.join(root, 'tables'), { recursive: true });
  fs.writeFileSync(path.join(base, 'secret.csv'), 'model,gmacs,mparams\nTOP-SECRET-LINE,1,1\n');
  fs.writeFileSync(path.join(root, 'tables', 'arch.csv'), 'model,gmacs,mparams\nS,1,10\nM,4,40\nL,16,160\n');
  const rows = [
    'arch,samples,loss',
    ...['S', 'M', 'L'].flatMap((arch, i) =>
      [1e8, 1e9].map((samples) => `${arch},${samples},${(10 * (4 ** i * samples) ** -0.1).toPrecision(8)}`),
    ),
  ];
  fs.writeFileSync(path.join(root, 'runs.csv'), rows.join('\n') + '\n');
  const entry: Record<string, unknown> = {
    file: 'runs.csv',
    metric: 'loss',
    compute: 'a:gmacs*samples',
    joins: [{ column: 'arch', file: join, key: 'model', as: 'a' }],
  };
  if (architectures)
    entry.architectures = { file: architectures, name: 'model', computePerSample: 'gmacs', params: 'mparams' };
  const config = JSON.stringify({ datasets: [entry] }, null, 2);
  fs.writeFileSync(path.join(root, 'scaling-lens.json'), config);
  return {
    base,
    root,
    results: path.join(root, 'runs.csv'),
    config: path.join(root, 'scaling-lens.json'),
    text: config,
  };
}

test('joins and architectures: "../" and absolute paths are refused at their line and column, in the CLI and the worker', () => {
  for (const [join, architectures, refused] of [
    ['../secret.csv', undefined, '"../secret.csv"'],
    [
      path.join(os.tmpdir(), 'x', '..', 'secret.csv'),
      undefined,
      JSON.stringify(path.join(os.tmpdir(), 'x', '..', 'secret.csv')),
    ],
    ['tables/arch.csv', '../secret.csv', '"../secret.csv"'],
  ] as const) {
    withTempDir('scaling-lens-inside', (base) => {
      const ws = workspace(base, join, architectures);
      const at = lineColumn(ws.text, refused);
      const cli = runCli(['fit', ws.results, '--bootstrap', '0']);
      assert.equal(cli.code, 2, cli.stderr);
      assert.ok(cli.stderr.startsWith(`scaling-lens: ${ws.config}:${at}: `), cli.stderr);
      assert.doesNotMatch(cli.stderr, /TOP-SECRET/);
      assert.throws(
        () =>
          runFitJob(
            ws.results,
            { law: 'power', frontier: 'all', bootstrap: false, budgets: [] },
            new GrowingFileReader().read,
            { root: ws.root, realpath: realPath },
          ),
        (error: Error) => error.message.startsWith(`${ws.config}:${at}:`),
      );
    });
  }
});

test('symbolic links: a join linking outside the folder is refused; one linking inside is read', () =>
  withTempDir('scaling-lens-inside', (base) => {
    const ws = workspace(base, 'tables/link.csv');
    fs.symlinkSync(path.join(ws.base, 'secret.csv'), path.join(ws.root, 'tables', 'link.csv'));
    const at = lineColumn(ws.text, '"tables/link.csv"');
    const cli = runCli(['fit', ws.results, '--bootstrap', '0']);
    assert.equal(cli.code, 2, cli.stderr);
    assert.ok(
      cli.stderr.includes(
        `${ws.config}:${at}: "tables/link.csv" is a link to ${fs.realpathSync(path.join(ws.base, 'secret.csv'))}, outside`,
      ),
      cli.stderr,
    );
    assert.doesNotMatch(cli.stderr, /TOP-SECRET/);
    // A linked folder on the way counts too.
    fs.rmSync(path.join(ws.root, 'tables'), { recursive: true });
    fs.mkdirSync(path.join(ws.base, 'elsewhere'));
    fs.writeFileSync(path.join(ws.base, 'elsewhere', 'link.csv'), 'model,gmacs,mparams\nS,1,10\n');
    fs.symlinkSync(path.join(ws.base, 'elsewhere'), path.join(ws.root, 'tables'));
    assert.throws(
      () => loadDataset(ws.results, readTextFile, { realpath: realPath }),
      /is a link to .*elsewhere.*, outside/,
    );
    // Linked inside the workspace: fine.
    fs.rmSync(path.join(ws.root, 'tables'));
    fs.mkdirSync(path.join(ws.root, 'shared'));
    fs.writeFileSync(path.join(ws.root, 'shared', 'link.csv'), 'model,gmacs,mparams\nS,1,10\nM,4,40\nL,16,160\n');
    fs.symlinkSync(path.join(ws.root, 'shared'), path.join(ws.root, 'tables'));
    const ok = runCli(['fit', ws.results, '--bootstrap', '0', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    // Known truth: loss = 10·(gmacs·samples)^−0.1 exactly.
    assert.ok(Math.abs(JSON.parse(ok.stdout).fits[0].params.alpha + 0.1) < 1e-6, ok.stdout.slice(0, 300));
  }));

test('the worker looks for scaling-lens.json no higher than the workspace folder', () =>
  withTempDir('scaling-lens-inside', (base) => {
    const ws = workspace(base, 'tables/arch.csv');
    // A config above the workspace folder that would describe runs.csv differently is not applied.
    fs.renameSync(ws.config, path.join(ws.base, 'scaling-lens.json'));
    fs.writeFileSync(
      path.join(ws.base, 'scaling-lens.json'),
      JSON.stringify({ datasets: [{ file: 'workspace/runs.csv', metric: 'no_such_column', compute: 'samples' }] }),
    );
    const inWorker = loadDataset(ws.results, readTextFile, { root: ws.root, realpath: realPath }).spec;
    assert.notEqual(inWorker.profile, 'configured', 'the config above the root is not read');
    assert.notEqual(inWorker.metric, 'no_such_column');
    const inCli = loadDataset(ws.results, readTextFile, { realpath: realPath }).spec;
    assert.equal(inCli.profile, 'configured', 'the CLI still looks further up and applies it');
    assert.equal(inCli.metric, 'no_such_column');
  }));

test('eval counts: the CLI flags take the bounds an eval request from the extension has', () => {
  for (const [flag, bad] of [
    ['--threads', '257'],
    ['--threads', '0'],
    ['--batch', '4097'],
    ['--limit', '1.5'],
    ['--limit', ''],
  ] as const) {
    const { code, stderr } = runCli(['eval', '--model', 'm', '--data', 'd', flag, bad]);
    assert.equal(code, 2, `${flag} ${bad}`);
    assert.match(stderr, new RegExp(`${flag} ${bad}: expected a whole number from 1 to`));
  }
});
