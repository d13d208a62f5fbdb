/**
 * Appending result rows: no row lost or duplicated under contention, stale locks taken over and live ones waited
 * for, existing bytes never rewritten (any encoding, symlinks followed), a refused append leaves the file
 * byte-identical, and a row whose writer was killed mid-write is cut away by the next append.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { appendResultRow } from '../../src/eval/appendRow';
import { acquireLock } from '../../src/eval/fileLock';
import { tempDirsForFile } from './helpers/tempDirForFile';

const tmp = tempDirsForFile('scaling-lens-append');
const helpers = path.join(__dirname, 'helpers');

function run(script: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(helpers, script), ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

/** Starts the lock-holder helper and resolves once it holds the lock. */
function holdLock(file: string): Promise<ReturnType<typeof spawn>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(helpers, 'lockHolder.ts'), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (chunk) => String(chunk).includes('locked') && resolve(child));
    child.on('exit', (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
}

test('8 processes × 100 appends to one file keep all 800 rows, once each, every line whole', async () => {
  const file = path.join(tmp(), 'results.csv');
  const results = await Promise.all(
    Array.from({ length: 8 }, (_, w) => run('appendWorker.ts', [file, `w${w}`, '100'])),
  );
  results.forEach((r, w) => assert.equal(r.code, 0, `writer ${w}: ${r.stderr}`));
  const text = fs.readFileSync(file, 'utf8');
  assert.ok(text.endsWith('\n'));
  const [header, ...rows] = text.slice(0, -1).split('\n');
  assert.equal(header, 'writer,seq,value');
  assert.equal(rows.length, 800);
  assert.equal(new Set(rows).size, 800, 'no duplicates');
  for (const row of rows) assert.match(row, /^(w[0-7]),(\d+),\1-\2$/, 'a whole row');
  for (let w = 0; w < 8; w++) {
    const seqs = rows.filter((r) => r.startsWith(`w${w},`)).map((r) => Number(r.split(',')[1]));
    assert.deepEqual(
      seqs,
      Array.from({ length: 100 }, (_, i) => i),
      `writer ${w}'s rows in order`,
    );
  }
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['results.csv'], 'no lock, journal or private file left');
});

test('a lock left by a killed process is taken over', async () => {
  const file = path.join(tmp(), 'results.csv');
  fs.writeFileSync(file, 'a,b\n1,2\n');
  const holder = await holdLock(file);
  holder.kill('SIGKILL');
  await new Promise((resolve) => holder.on('exit', resolve));
  assert.ok(fs.existsSync(`${file}.lock`), 'the killed holder left its lock');
  await appendResultRow(file, { a: 3, b: 4 }, { waitMs: 30_000 });
  assert.equal(fs.readFileSync(file, 'utf8'), 'a,b\n1,2\n3,4\n');
  assert.ok(!fs.existsSync(`${file}.lock`));
});

test('a lock held by a live process is waited for, then refused with a message naming it; its lock stays', async () => {
  const file = path.join(tmp(), 'results.csv');
  fs.writeFileSync(file, 'a,b\n1,2\n');
  const holder = await holdLock(file);
  try {
    let waiting = '';
    await assert.rejects(
      appendResultRow(file, { a: 3, b: 4 }, { waitMs: 1500, onWait: (who) => (waiting = who) }),
      (error: Error) => {
        assert.match(
          error.message,
          new RegExp(
            `results\\.csv\\.lock: the results file is locked by process ${holder.pid} on host ${os.hostname()} for \\d+\\.\\d s; gave up after waiting \\d+ s`,
          ),
        );
        return true;
      },
    );
    assert.match(waiting, new RegExp(`process ${holder.pid}`));
    assert.ok(fs.existsSync(`${file}.lock`), 'the live holder keeps its lock');
    assert.equal(fs.readFileSync(file, 'utf8'), 'a,b\n1,2\n');
  } finally {
    holder.kill('SIGKILL');
  }
});

test('an empty lock file (a writer between creating and filling it) is not stale until it is old', async () => {
  const file = path.join(tmp(), 'results.csv');
  fs.writeFileSync(file, 'a\n1\n');
  fs.writeFileSync(`${file}.lock`, '');
  await assert.rejects(appendResultRow(file, { a: 2 }, { waitMs: 300 }), /locked by an unknown process/);
  assert.ok(fs.existsSync(`${file}.lock`));
  const old = new Date(Date.now() - 120_000);
  fs.utimesSync(`${file}.lock`, old, old);
  await appendResultRow(file, { a: 2 }, { waitMs: 300 });
  assert.equal(fs.readFileSync(file, 'utf8'), 'a\n1\n2\n');
});

test('release removes only its own lock, not one that replaced it', async () => {
  const file = path.join(tmp(), 'results.csv');
  const first = await acquireLock(`${file}.lock`);
  // Someone judged the first lock stale and took over.
  fs.rmSync(`${file}.lock`);
  const second = await acquireLock(`${file}.lock`);
  first.release();
  assert.ok(fs.existsSync(`${file}.lock`), "the second owner's lock survives the first one's release");
  second.release();
  assert.ok(!fs.existsSync(`${file}.lock`));
});

test('a Windows-1252 file keeps its bytes; an ASCII row is appended; a non-ASCII row is refused', async () => {
  const file = path.join(tmp(), 'results.csv');
  const before = Buffer.concat([Buffer.from('name,score\n'), Buffer.from([0xe9, 0x74, 0xe9]), Buffer.from(',1\n')]);
  fs.writeFileSync(file, before);
  await appendResultRow(file, { name: 'winter', score: 2 });
  assert.deepEqual(fs.readFileSync(file), Buffer.concat([before, Buffer.from('winter,2\n')]));
  const after = fs.readFileSync(file);
  await assert.rejects(appendResultRow(file, { name: 'août', score: 3 }), /not UTF-8 \(byte 0xE9 on line 2\).*"û"/);
  assert.deepEqual(fs.readFileSync(file), after, 'byte-identical after the refusal');
});

test('UTF-8 and UTF-16 files get the row in their own encoding', async () => {
  const dir = tmp();
  const utf8 = path.join(dir, 'utf8.csv');
  fs.writeFileSync(utf8, '\uFEFFname,score\r\nété,1\r\n');
  await appendResultRow(utf8, { name: 'août', score: 2 });
  assert.equal(fs.readFileSync(utf8, 'utf8'), '\uFEFFname,score\r\nété,1\r\naoût,2\r\n');

  const utf16 = path.join(dir, 'utf16.csv');
  const before = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name,score\nété,1\n', 'utf16le')]);
  fs.writeFileSync(utf16, before);
  await appendResultRow(utf16, { name: 'août', score: 2 });
  assert.deepEqual(fs.readFileSync(utf16), Buffer.concat([before, Buffer.from('août,2\n', 'utf16le')]));

  const utf16be = path.join(dir, 'utf16be.csv');
  const beforeBe = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('name,score\n', 'utf16le').swap16()]);
  fs.writeFileSync(utf16be, beforeBe);
  await appendResultRow(utf16be, { name: 'x', score: 2 });
  assert.deepEqual(fs.readFileSync(utf16be), Buffer.concat([beforeBe, Buffer.from('x,2\n', 'utf16le').swap16()]));
});

test('existing bytes are kept: no trailing newline, semicolons, TSV, JSONL with non-ASCII escaped', async () => {
  const dir = tmp();
  const bare = path.join(dir, 'bare.csv');
  fs.writeFileSync(bare, 'a,b\n1,2');
  await appendResultRow(bare, { a: 3, b: 4 });
  assert.equal(fs.readFileSync(bare, 'utf8'), 'a,b\n1,2\n3,4\n');

  const semicolon = path.join(dir, 'semi.csv');
  fs.writeFileSync(semicolon, '# comment\n\nmodel;loss\nA;0,5\n');
  await appendResultRow(semicolon, { model: 'B;C', loss: 0.25 });
  assert.equal(fs.readFileSync(semicolon, 'utf8'), '# comment\n\nmodel;loss\nA;0,5\n"B;C";0.25\n');

  const tsv = path.join(dir, 'runs.tsv');
  await appendResultRow(tsv, { model: 'A', loss: 1 });
  await appendResultRow(tsv, { loss: 2, model: 'B' });
  assert.equal(fs.readFileSync(tsv, 'utf8'), 'model\tloss\nA\t1\nB\t2\n');

  const jsonl = path.join(dir, 'runs.jsonl');
  fs.writeFileSync(jsonl, '{"a":1}');
  await appendResultRow(jsonl, { a: 2, name: 'été' });
  const text = fs.readFileSync(jsonl, 'utf8');
  assert.equal(text, '{"a":1}\n{"a":2,"name":"\\u00e9t\\u00e9"}\n');
  assert.equal(JSON.parse(text.split('\n')[1]).name, 'été');
});

test('--out through a symlink appends to its target and leaves the link a link', async () => {
  const dir = tmp();
  fs.mkdirSync(path.join(dir, 'store'));
  const target = path.join(dir, 'store', 'data.csv');
  fs.writeFileSync(target, 'a\n1\n');
  const link = path.join(dir, 'results.csv');
  fs.symlinkSync(path.join('store', 'data.csv'), link);
  const outcome = await appendResultRow(link, { a: 2 });
  assert.equal(outcome.target, target);
  assert.ok(fs.lstatSync(link).isSymbolicLink());
  assert.equal(fs.readFileSync(target, 'utf8'), 'a\n1\n2\n');

  const dangling = path.join(dir, 'new.csv');
  fs.symlinkSync(path.join('store', 'created.csv'), dangling);
  await appendResultRow(dangling, { a: 1 });
  assert.ok(fs.lstatSync(dangling).isSymbolicLink());
  assert.equal(fs.readFileSync(path.join(dir, 'store', 'created.csv'), 'utf8'), 'a\n1\n');
});

test('a row cut short by a writer killed mid-write is removed by the next append', async () => {
  const file = path.join(tmp(), 'results.csv');
  fs.writeFileSync(file, 'a,b\n1,2\n');
  const stat = fs.statSync(file, { bigint: true });
  // What a killed appender leaves: its lock (dead pid), its journal, and part of its row.
  fs.writeFileSync(
    `${file}.lock`,
    JSON.stringify({ pid: 999_999_999, host: os.hostname(), created: Date.now(), token: 'x' }),
  );
  fs.writeFileSync(
    `${file}.lock.journal`,
    JSON.stringify({ dev: String(stat.dev), ino: String(stat.ino), size: 8, length: 12 }),
  );
  fs.appendFileSync(file, '33333');
  const outcome = await appendResultRow(file, { a: 5, b: 6 });
  assert.equal(outcome.repairedBytes, 5);
  assert.equal(fs.readFileSync(file, 'utf8'), 'a,b\n1,2\n5,6\n');
  assert.ok(!fs.existsSync(`${file}.lock.journal`));

  // A journal whose row was written whole (killed after the write, before removing it) changes nothing.
  fs.writeFileSync(
    `${file}.lock.journal`,
    JSON.stringify({ dev: String(stat.dev), ino: String(stat.ino), size: 8, length: 4 }),
  );
  assert.equal((await appendResultRow(file, { a: 7, b: 8 })).repairedBytes, 0);
  assert.equal(fs.readFileSync(file, 'utf8'), 'a,b\n1,2\n5,6\n7,8\n');
});

test('refused appends: the file is byte-identical and the message names the problem', async () => {
  const dir = tmp();
  const file = path.join(dir, 'results.csv');
  const before = 'step,loss\n1,2.5\n';
  fs.writeFileSync(file, before);
  const refusals: [Record<string, string | number | null>, RegExp][] = [
    [{ run_id: 'x', loss: 1 }, /its header cannot hold the result row: no column for "run_id"/],
    [{ step: 2, loss: NaN }, /"loss" is NaN: only finite numbers are written/],
    [{ step: 2, loss: 'a\nb' }, /control character/],
  ];
  for (const [row, message] of refusals) {
    await assert.rejects(appendResultRow(file, row), message);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
  }
  await assert.rejects(appendResultRow(file, { step: 2 }, { exact: true }), /no value for "loss"/);
  assert.equal(fs.readFileSync(file, 'utf8'), before);
  assert.deepEqual(fs.readdirSync(dir), ['results.csv'], 'no lock or journal left');
});

test('a FIFO, a folder, or a folder in place of the lock: a message, never a hang or a stack trace', async () => {
  const dir = tmp();
  const fifo = path.join(dir, 'fifo.csv');
  execFileSync('mkfifo', [fifo]);
  await assert.rejects(
    appendResultRow(fifo, { a: 1 }),
    /fifo\.csv: is a FIFO \(named pipe\): results are appended to regular files only/,
  );
  fs.mkdirSync(path.join(dir, 'folder.csv'));
  await assert.rejects(
    appendResultRow(path.join(dir, 'folder.csv'), { a: 1 }),
    /folder\.csv: is a folder, not a results file/,
  );
  const file = path.join(dir, 'results.csv');
  fs.writeFileSync(file, 'a\n1\n');
  fs.mkdirSync(`${file}.lock`);
  await assert.rejects(appendResultRow(file, { a: 2 }), /results\.csv\.lock: the lock path is a folder: remove it/);
  assert.equal(fs.readFileSync(file, 'utf8'), 'a\n1\n');
  await assert.rejects(
    appendResultRow(path.join(dir, 'missing', 'results.csv'), { a: 1 }),
    /its folder .*missing does not exist/,
  );
  await assert.rejects(
    appendResultRow(path.join(dir, 'results.txt'), { a: 1 }),
    /expected a \.csv, \.tsv or \.jsonl results file/,
  );
});
