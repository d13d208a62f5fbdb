/**
 * Rows and groups that cannot be fitted do not stop the others: rows missing a quantity are skipped and counted
 * (with their first lines), bad rows are all reported (the first 100, with the total), groups too small are skipped
 * with a note; the exit code is 2 only when nothing could be fitted.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors';
import { runCli } from './cliHelper';
import { fitFiles, thrown } from './fitHelper';
import { withTempDir } from './helpers/tempDir';

const law = (c: number) => 60 * c ** -0.07;

test('rows missing compute are skipped and counted with their first lines; the rest is fitted', () => {
  const lines = ['flops,loss'];
  for (let i = 0; i < 20; i++) {
    const c = 1e18 * 2 ** i;
    lines.push(i % 3 === 1 ? `,${law(c)}` : `${c},${law(c)}`);
  }
  const result = fitFiles({ '/r.csv': lines.join('\n') + '\n' }, '/r.csv');
  const skippedLines = lines.map((l, i) => (l.startsWith(',') ? i + 1 : 0)).filter(Boolean);
  assert.equal(result.runs.length, 20 - skippedLines.length);
  const note = `${skippedLines.length} rows left out, no compute: no value in "flops" (lines ${skippedLines.slice(0, 5).join(', ')}, …)`;
  assert.ok(result.notes.includes(note), `${note}\nnot in\n${result.notes.join('\n')}`);
  assert.deepEqual(result.left_out[0].lines, skippedLines.slice(0, 5));
  assert.equal(result.problems.length, 0, 'a missing cell is not a problem');
});

test('every bad row is reported (the first 100, with the total) and the valid rows are still fitted', () => {
  const lines = ['flops,loss'];
  const bad: number[] = [];
  for (let i = 0; i < 400; i++) {
    const c = 1e18 * 1.02 ** i;
    if (i % 3 === 0) {
      lines.push(`${c},oops`);
      bad.push(lines.length);
    } else lines.push(`${c},${law(c)}`);
  }
  lines.push('1e30,2,extra'); // ragged: left out while reading
  bad.push(lines.length);
  const result = fitFiles({ '/r.csv': lines.join('\n') + '\n' }, '/r.csv');
  assert.equal(result.problems_total, bad.length);
  assert.equal(result.problems.length, 100);
  assert.equal(result.problems[0].line, lines.length, 'the ragged row, found while reading, comes first');
  assert.deepEqual(
    result.problems.slice(1).map((p) => p.line),
    bad.slice(0, 99),
  );
  assert.match(result.problems[1].message, /"oops" in column "loss" is not a finite number/);
  assert.equal(result.runs.length, 400 - (bad.length - 1));
  assert.ok(
    result.notes.some(
      (n) => n === `${bad.length} rows with bad values left out (the first 100 are listed as a problem at its line)`,
    ),
    result.notes.join('\n'),
  );
});

test('the CLI prints every bad row located on stderr, says how many more, fits the rest (exit 0)', () =>
  withTempDir('scaling-lens-left-out', (dir) => {
    const file = path.join(dir, 'results.csv');
    const lines = ['flops,loss'];
    for (let i = 0; i < 130; i++)
      lines.push(
        i < 103 && i % 1 === 0 && i >= 100
          ? `${1e18 * 1.1 ** i},n/a`
          : i < 3
            ? `${1e18 * 1.1 ** i},bad${i}`
            : `${1e18 * 1.1 ** i},${law(1e18 * 1.1 ** i)}`,
      );
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const { code, stdout, stderr } = runCli(['fit', file, '--bootstrap', '0', '--json']);
    assert.equal(code, 0, stderr);
    const located = stderr.split('\n').filter((l) => l.includes(`${file}:`));
    assert.deepEqual(
      located.map((l) => Number(l.split(`${file}:`)[1].split(':')[0])),
      [2, 3, 4, 102, 103, 104],
    );
    const json = JSON.parse(stdout);
    assert.equal(json.problems_total, 6);
    assert.equal(json.problems.length, 6);
    assert.equal(json.fits[0].n_points, 124);
  }));

test('a group with too few points is skipped with a note; the others are fitted', () => {
  const csv = 'family,flops,loss\nbig,2e18,3.1\nbig,6e18,2.8\nbig,2e19,2.55\nbig,6e19,2.35\nsolo,1e19,2.6\n';
  const result = fitFiles({ '/f.csv': csv }, '/f.csv', { group: 'family' });
  assert.deepEqual(
    result.fits.map((f) => f.group),
    ['big'],
  );
  assert.ok(
    result.notes.some((n) => n.startsWith('not fitted — group "solo": 1 usable point(s)')),
    result.notes.join('\n'),
  );
});

test('nothing fitted: exit 2 with every reason, located', () => {
  const error = thrown(() =>
    fitFiles({ '/f.csv': 'family,flops,loss\na,2e18,3.1\nb,6e18,2.8\n' }, '/f.csv', { group: 'family' }),
  );
  assert.ok(error instanceof InputError);
  assert.match(error.message, /^\/f\.csv:2:1: group "a": 1 usable point/);
  assert.match(error.related?.[0].message ?? '', /group "b": 1 usable point/);
  const noRows = thrown(() => fitFiles({ '/f.csv': 'flops,loss\n,3.1\n,2.8\n' }, '/f.csv'));
  assert.match(
    noRows.message,
    /^\/f\.csv:1:1: no usable rows: 2 rows left out, no compute: no value in "flops" \(lines 2, 3\)/,
  );
});

test('the joint law leaves out runs without parameters or samples (with a note) and fits the others', () => {
  const lines = ['flops,params,tokens,loss'];
  for (const n of [1e8, 3e8, 1e9, 3e9])
    for (const d of [2e9, 8e9, 3e10]) lines.push(`${6 * n * d},${n},${d},${1.7 + 400 / n ** 0.34 + 410 / d ** 0.28}`);
  lines.push(`3e19,,5e9,3`);
  const result = fitFiles({ '/lm.csv': lines.join('\n') + '\n' }, '/lm.csv', {
    law: 'joint',
    frontier: { kind: 'all' },
    objective: { kind: 'huber', delta: 1e-3 },
  });
  assert.equal(result.fits[0].n_points, 12);
  assert.ok(
    result.notes.some((n) =>
      n.startsWith('1 run(s) without parameters or samples seen left out of the joint law (lines 14)'),
    ),
    result.notes.join('\n'),
  );
});
