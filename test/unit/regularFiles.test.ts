/**
 * Regular files only where a file is expected: FIFOs, sockets and folders named like a results file, an
 * `arch_info.csv` or a `scaling-lens.json` (in any folder searched) give a message naming them, never a hang or a
 * stack trace; files too large to read are refused before reading; a failed read never blocks later fits.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { MAX_FILE_BYTES, readRegularFile } from '../../src/node/files';
import { runCli } from './cliHelper';
import { withTempDir } from './helpers/tempDir';

const examples = path.join(__dirname, '..', '..', 'examples');

/** A folder with the OpenCLIP results (whose layout reads `arch_info.csv` beside it) under the parent folder `root`. */
function openClipFolder(root: string): { dir: string; results: string } {
  const dir = path.join(root, 'project', 'openclip');
  fs.mkdirSync(dir, { recursive: true });
  const results = path.join(dir, 'zeroshot_results.csv');
  fs.copyFileSync(path.join(examples, 'openclip', 'zeroshot_results.csv'), results);
  return { dir, results };
}

const mkfifo = (file: string) => execFileSync('mkfifo', [file]);

function assertCleanFailure(result: { code: number; stdout: string; stderr: string }, names: RegExp, kind: RegExp) {
  assert.equal(result.code, 2, `exit code (stderr: ${result.stderr})`);
  assert.match(result.stderr, names);
  assert.match(result.stderr, kind);
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
}

test('CLI: a FIFO named arch_info.csv beside the results file is named in a message (before: fit hung)', () =>
  withTempDir('scaling-lens-special', (root) => {
    const { dir, results } = openClipFolder(root);
    mkfifo(path.join(dir, 'arch_info.csv'));
    assertCleanFailure(
      runCli(['fit', results, '--bootstrap', '0']),
      /arch_info\.csv/,
      /named pipe \(FIFO\), not a regular file/,
    );
  }));

test('CLI: a FIFO named scaling-lens.json in a parent folder searched is named in a message', () =>
  withTempDir('scaling-lens-special', (root) => {
    const { results } = openClipFolder(root);
    fs.copyFileSync(
      path.join(examples, 'openclip', 'arch_info.csv'),
      path.join(path.dirname(results), 'arch_info.csv'),
    );
    mkfifo(path.join(root, 'scaling-lens.json'));
    assertCleanFailure(runCli(['fit', results, '--bootstrap', '0']), /scaling-lens\.json/, /named pipe \(FIFO\)/);
  }));

test('CLI: folders named arch_info.csv or scaling-lens.json give a message, not a stack trace (before: exit 1)', () =>
  withTempDir('scaling-lens-special', (root) => {
    const { dir, results } = openClipFolder(root);
    fs.mkdirSync(path.join(dir, 'arch_info.csv'));
    assertCleanFailure(runCli(['fit', results, '--bootstrap', '0']), /arch_info\.csv/, /a folder, not a regular file/);
    fs.rmSync(path.join(dir, 'arch_info.csv'), { recursive: true });
    fs.mkdirSync(path.join(root, 'project', 'scaling-lens.json'));
    assertCleanFailure(
      runCli(['fit', results, '--bootstrap', '0']),
      /scaling-lens\.json/,
      /a folder, not a regular file/,
    );
  }));

test('a socket where a file is expected gives a message', () =>
  withTempDir('scaling-lens-special', async (root) => {
    const { dir } = openClipFolder(root);
    const socketPath = path.join(dir, 'arch_info.csv');
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      assert.throws(() => readRegularFile(socketPath), /socket/);
    } finally {
      server.close();
    }
  }));

test('a results file over the size limit is refused from its size alone, before reading (before: ERR_STRING_TOO_LONG)', () =>
  withTempDir('scaling-lens-big', (root) => {
    const big = path.join(root, 'big_results.csv');
    // A sparse file: its size is past the limit, its blocks are never written (nor read).
    fs.writeFileSync(big, 'compute,loss\n');
    fs.truncateSync(big, 600 * 2 ** 20);
    const result = runCli(['fit', big]);
    assertCleanFailure(
      result,
      /big_results\.csv/,
      new RegExp(`the file is 600 MiB: files up to ${MAX_FILE_BYTES / 2 ** 20} MiB are read`),
    );
    assert.ok(MAX_FILE_BYTES <= 2 ** 30 && MAX_FILE_BYTES >= 2 ** 28, `limit ${MAX_FILE_BYTES}`);
    assert.throws(() => readRegularFile(big, 1000), /files up to 0\.001 MiB/);
  }));

test('fit worker: a read that fails (a FIFO) is reported and the next fit of a normal file completes', () =>
  withTempDir('scaling-lens-special', async (root) => {
    const { dir, results } = openClipFolder(root);
    mkfifo(path.join(dir, 'arch_info.csv'));
    const source = path.join(__dirname, '..', '..', 'src', 'worker', 'fitWorker.ts');
    const worker = new Worker(`require('tsx/cjs'); require(${JSON.stringify(source)});`, { eval: true });
    const replies: {
      type: string;
      id: number;
      problem?: { file: string; message: string };
      outcome?: { model: { runs: number } };
    }[] = [];
    worker.on('message', (message) => replies.push(message));
    const answer = (id: number) =>
      new Promise<(typeof replies)[number]>((resolve, reject) => {
        const started = Date.now();
        const poll = setInterval(() => {
          const found =
            replies.find((r) => r.id === id && r.type !== 'result') ??
            replies.find((r) => r.id === id && r.type === 'result');
          if (found) {
            clearInterval(poll);
            resolve(found);
          } else if (Date.now() - started > 120_000) {
            clearInterval(poll);
            reject(new Error(`no answer to fit ${id}: the worker is blocked`));
          }
        }, 20);
      });
    const fit = (id: number, file: string) =>
      worker.postMessage({
        type: 'fit',
        id,
        body: {
          file,
          root,
          settings: { law: 'power', frontier: 'default', bootstrap: false, budgets: [] },
          cancelFlag: new SharedArrayBuffer(4),
        },
      });
    try {
      fit(1, results);
      const failed = await answer(1);
      assert.equal(failed.type, 'failed');
      assert.match(failed.problem!.file, /arch_info\.csv$/);
      assert.match(failed.problem!.message, /named pipe \(FIFO\)/);
      const normal = path.join(root, 'normal', 'zeroshot_results.csv');
      fs.mkdirSync(path.dirname(normal));
      fs.copyFileSync(results, normal);
      fs.copyFileSync(path.join(examples, 'openclip', 'arch_info.csv'), path.join(root, 'normal', 'arch_info.csv'));
      fit(2, normal);
      const done = await answer(2);
      assert.equal(done.type, 'result', JSON.stringify(done.problem));
      assert.equal(done.outcome!.model.runs, 32, 'the imagenet1k rows');
    } finally {
      await worker.terminate();
    }
  }));
