/** Control characters from results files (ANSI escapes in group names) reach the terminal escaped, never raw. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { terminalSafe } from '../../src/core/terminalText';
import { runCli } from './cliHelper';
import { withTempDir } from './helpers/tempDir';

const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('terminalSafe: controls, C1 and bidirectional overrides become \\u escapes; tabs, newlines and text stay', () => {
  assert.equal(
    terminalSafe('a\u001b[31mred\u001b[0m\tb\nc\rd\u009b2Je\u202eevil'),
    'a\\u001b[31mred\\u001b[0m\tb\nc\\u000dd\\u009b2Je\\u202eevil',
  );
  assert.equal(terminalSafe('ViT-B/32 · 5.86·C^−0.111 été 日本'), 'ViT-B/32 · 5.86·C^−0.111 été 日本');
});

test('CLI: ANSI escapes in group names are escaped in text output, kept as data in --json, escaped in errors', () =>
  withTempDir('scaling-lens-ansi', (dir) => {
    const file = path.join(dir, 'results.csv');
    const evil = 'fam\u001b[2J\u001b]0;owned\u0007\u009b31m\r';
    const rows = ['compute,loss,family'];
    for (const [family, scale] of [
      [evil, 10],
      ['plain', 12],
    ] as const)
      for (const c of [1e3, 1e4, 1e5, 1e6]) rows.push(`${c},${scale * c ** -0.1},"${family}"`);
    fs.writeFileSync(file, rows.join('\n') + '\n');
    const text = runCli(['fit', file, '--group', 'family', '--bootstrap', '0']);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stdout, RAW_CONTROL);
    assert.ok(text.stdout.includes('fam\\u001b[2J\\u001b]0;owned\\u0007\\u009b31m\\u000d'), text.stdout);
    const json = runCli(['fit', file, '--group', 'family', '--bootstrap', '0', '--json']);
    assert.equal(json.code, 0, json.stderr);
    assert.doesNotMatch(json.stdout, RAW_CONTROL);
    assert.ok(
      JSON.parse(json.stdout).fits.some((f: { group: string }) => f.group === evil),
      'the JSON value is the name as written',
    );
    fs.writeFileSync(file, `compute,loss\n1e3,"\u001b[31mbad"\n`);
    const bad = runCli(['fit', file]);
    assert.equal(bad.code, 2);
    assert.doesNotMatch(bad.stderr, RAW_CONTROL);
  }));
