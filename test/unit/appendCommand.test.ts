/**
 * `scaling-lens append`: creates a file with its header, appends rows typed as asked, refuses a header mismatch
 * (file byte-identical, exit 2, no stack trace), waits for a live lock and then names its holder.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from './cliHelper';
import { tempDirsForFile } from './helpers/tempDirForFile';

const tmp = tempDirsForFile('scaling-lens-append-cli');

test('append creates the file with a header, then appends rows in header order', () => {
  const file = path.join(tmp(), 'train.csv');
  let result = runCli(['append', file, 'compute=100', 'loss=2.5', 'run=a,b']);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /appended a row to .*train\.csv \(created with a header\)/);
  result = runCli(['append', file, 'run=c', 'loss=2.25', 'compute=200']);
  assert.equal(result.code, 0, result.stderr);
  assert.equal(fs.readFileSync(file, 'utf8'), 'compute,loss,run\n100,2.5,"a,b"\n200,2.25,c\n');
  // The fitting side reads it with no configuration.
  const fit = runCli(['fit', file, '--group', 'none', '--frontier', 'all', '--bootstrap', '0', '--json']);
  assert.equal(fit.code, 0, fit.stderr);
  assert.equal(JSON.parse(fit.stdout).fits[0].n_points, 2);
});

test('append --json and JSONL values: numbers, booleans and null stay typed', () => {
  const dir = tmp();
  const jsonl = path.join(dir, 'log.jsonl');
  assert.equal(runCli(['append', jsonl, 'step=1', 'loss=2.5e-1', 'ok=true', 'note=null', 'name=007']).code, 0);
  assert.equal(runCli(['append', jsonl, '--json', '{"step": 2, "loss": 0.2, "ok": false, "note": "é"}']).code, 0);
  const rows = fs
    .readFileSync(jsonl, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
  assert.deepEqual(rows, [
    { step: 1, loss: 0.25, ok: true, note: null, name: '007' },
    { step: 2, loss: 0.2, ok: false, note: 'é' },
  ]);
  const csv = path.join(dir, 'runs.csv');
  assert.equal(runCli(['append', csv, '--json', '{"a": 1, "b": "x"}']).code, 0);
  assert.equal(fs.readFileSync(csv, 'utf8'), 'a,b\n1,x\n');
});

test('a header mismatch is refused with a message; the file is byte-identical', () => {
  const file = path.join(tmp(), 'train.csv');
  fs.writeFileSync(file, 'step,loss\r\n1,2.5\r\n');
  const before = fs.readFileSync(file);
  for (const [args, message] of [
    [
      ['stepp=2', 'loss=2'],
      /train\.csv: its header cannot hold the result row: no column for "stepp"; no value for "step" \(header: step, loss\)/,
    ],
    [['step=2'], /no value for "loss"/],
    [['step=2', 'loss=2', 'lr=0.1'], /no column for "lr"/],
  ] as const) {
    const { code, stderr } = runCli(['append', file, ...args]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^scaling-lens append: /);
    assert.match(stderr, message);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(fs.readFileSync(file), before);
  }
  assert.equal(runCli(['append', file, 'loss=2', 'step=2']).code, 0);
  assert.equal(fs.readFileSync(file, 'utf8'), 'step,loss\r\n1,2.5\r\n2,2\r\n');
});

test('usage errors: exit 2 with a message; --help: exit 0', () => {
  const file = path.join(tmp(), 'x.csv');
  for (const [args, message] of [
    [['append'], /append needs a results file/],
    [['append', file], /append needs the row: KEY=VALUE pairs or --json/],
    [['append', file, 'novalue'], /"novalue": expected KEY=VALUE/],
    [['append', file, '=1'], /"=1": expected KEY=VALUE/],
    [['append', file, 'a=1', 'a=2'], /"a" is given twice/],
    [['append', file, 'a=1', '--json', '{"a":1}'], /KEY=VALUE pairs or --json, not both/],
    [['append', file, '--json', '[1]'], /--json: expected a JSON object/],
    [
      ['append', file, '--json', '{"a": {"b": 1}}'],
      /the value of "a" must be a string, number, boolean or null, got an object/,
    ],
    [['append', file, '--json', '{a:1}'], /--json: not valid JSON/],
    [['append', file, 'a=1', '--wait=-1'], /--wait -1: expected a number of seconds ≥ 0/],
    [['append', path.join(path.dirname(file), 'x.txt'), 'a=1'], /expected a \.csv, \.tsv or \.jsonl results file/],
  ] as const) {
    const { code, stderr } = runCli([...args]);
    assert.equal(code, 2, `${args.join(' ')}: ${stderr}`);
    assert.match(stderr, message);
    assert.doesNotMatch(stderr, /\n\s+at /);
  }
  assert.ok(!fs.existsSync(file), 'nothing created by a refused command');
  const help = runCli(['append', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /usage: scaling-lens append FILE KEY=VALUE\.\.\./);
});

test('a live lock: append waits --wait seconds, then fails naming the holder (pid, host, age); SIGTERM while waiting ends it', async () => {
  const file = path.join(tmp(), 'results.csv');
  fs.writeFileSync(file, 'a\n1\n');
  const holder = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'helpers', 'lockHolder.ts'), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => holder.stdout!.on('data', resolve));
  try {
    const { code, stderr } = runCli(['append', file, 'a=2', '--wait', '1']);
    assert.equal(code, 2, stderr);
    assert.match(
      stderr,
      new RegExp(
        `append: .*results\\.csv is locked by process ${holder.pid} on host ${os.hostname()} for \\d+\\.\\d s; waiting`,
      ),
    );
    assert.match(
      stderr,
      new RegExp(
        `results\\.csv\\.lock: the results file is locked by process ${holder.pid} on host ${os.hostname()} for \\d+\\.\\d s; gave up after waiting 1 s`,
      ),
    );
    const signalled = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(
        process.execPath,
        [path.join(__dirname, '..', '..', 'bin', 'scaling-lens.js'), 'append', file, 'a=3'],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let err = '';
      let sent = false;
      child.stderr.on('data', (chunk) => {
        err += chunk;
        if (!sent && /; waiting/.test(err)) {
          sent = true;
          child.kill('SIGTERM');
        }
      });
      child.on('exit', (exitCode) => resolve({ code: exitCode, stderr: err }));
    });
    assert.equal(signalled.code, 143, signalled.stderr);
    assert.match(signalled.stderr, /append: cancelled \(SIGTERM\) while waiting for the lock; the file is unchanged/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'a\n1\n');
  } finally {
    holder.kill('SIGKILL');
  }
});
