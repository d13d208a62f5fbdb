/** Header width limit: a header wider than 10,000 columns is refused, located, before it is split. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MAX_COLUMNS, parseTable } from '../../src/core/ingest/parse';
import { runCli } from './cliHelper';
import { withTempDir } from './helpers/tempDir';

test('a 5-million-column header: exit 2 at the first column past the limit (before: 15 s and 904 MB)', () =>
  withTempDir('scaling-lens-wide', (dir) => {
    const file = path.join(dir, 'wide_results.csv');
    const names = Array.from({ length: 5_000_000 }, (_, i) => `c${i}`);
    fs.writeFileSync(file, `# a comment line first\n${names.join(',')}\n${names.map(() => '1').join(',')}\n`);
    const { code, stderr } = runCli(['fit', file]);
    assert.equal(code, 2, stderr);
    // The 10,001st name starts after the first 10,000 names and their commas.
    const column = names.slice(0, MAX_COLUMNS).join(',').length + 2;
    assert.ok(stderr.includes(`wide_results.csv:2:${column}: the header has more than 10,000 columns`), stderr);
  }));

test('exactly 10,000 columns are read; 10,001 are not; quoted CSV, JSON lines and JSON too', () => {
  const header = (n: number) => Array.from({ length: n }, (_, i) => `c${i}`);
  const csv = (n: number) =>
    `${header(n).join(',')}\n${header(n)
      .map(() => '1')
      .join(',')}\n`;
  assert.equal(parseTable('ok.csv', csv(MAX_COLUMNS)).columns.length, MAX_COLUMNS);
  assert.throws(
    () => parseTable('wide.csv', csv(MAX_COLUMNS + 1)),
    /wide\.csv:1:\d+: the header has more than 10,000 columns/,
  );
  assert.throws(
    () => parseTable('wide.csv', `"quoted",${csv(MAX_COLUMNS + 1)}`),
    /the header has more than 10,000 columns/,
  );
  const record = (n: number) => JSON.stringify(Object.fromEntries(header(n).map((name) => [name, 1])));
  assert.throws(
    () => parseTable('wide.jsonl', `${record(10)}\n${record(MAX_COLUMNS + 1)}\n`),
    /wide\.jsonl:2:1: the records have more than 10,000 distinct keys/,
  );
  assert.throws(
    () => parseTable('wide.json', `[${record(MAX_COLUMNS + 1)}]`),
    /wide\.json:1:1: the records have more than 10,000 distinct keys/,
  );
});
