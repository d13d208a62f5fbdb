/**
 * Every malformed file in test/fixtures/bad gets a clear message at the right file:line:column. A bad file (or one
 * with nothing usable) exits 2; a file with some bad rows reports each at its place on stderr and fits the others
 * (exit 0), or exits 2 with --strict; rows missing a quantity are left out with a note naming their lines.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from './cliHelper';

const dir = path.join(__dirname, '..', 'fixtures', 'bad');
type Expected = { line: number | null; column: number | null; message: string; args?: string[]; file?: string; outcome?: 'fits' | 'note' };
const expected: Record<string, Expected> = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));

test('the corpus holds at least 25 malformed files', () => {
  assert.ok(Object.keys(expected).length >= 25, `${Object.keys(expected).length} cases`);
});

for (const [name, want] of Object.entries(expected)) {
  test(`bad input: ${name}`, () => {
    const file = path.join(dir, name);
    const { code, stdout, stderr } = runCli(['fit', file, '--bootstrap', '0', ...(want.args ?? [])]);
    assert.doesNotMatch(stderr + stdout, /\bNaN\b(?!" in column)/, 'no NaN shown as a number');
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    if (want.outcome === 'note') {
      assert.equal(code, 0, `exit code for ${name}; stderr: ${stderr}`);
      assert.ok(stdout.includes(`note: ${want.message}`), `note for ${name}:\n${stdout}`);
      assert.match(stdout, /E = /, 'the other rows are fitted');
      return;
    }
    assert.ok(stderr.includes(want.message), `message for ${name}:\n${stderr}`);
    if (want.line !== null) {
      const at = `${path.join(dir, want.file ?? name)}:${want.line}:${want.column}:`;
      assert.ok(stderr.includes(at), `expected location ${at} in:\n${stderr}`);
    }
    if (want.outcome === 'fits') {
      assert.equal(code, 0, `exit code for ${name}; stderr: ${stderr}`);
      assert.match(stdout, /E = /, 'the other rows are fitted');
      assert.match(stdout, /1 row with bad values left out/, 'the report says a row was left out');
      const strict = runCli(['fit', file, '--bootstrap', '0', '--strict', ...(want.args ?? [])]);
      assert.equal(strict.code, 2, '--strict refuses a file with a bad row');
      assert.equal(strict.stdout, '', '--strict prints no fit');
      assert.ok(strict.stderr.includes(want.message), strict.stderr);
    } else {
      assert.equal(code, 2, `exit code for ${name}; stderr: ${stderr}`);
      assert.equal(stdout, '', 'nothing printed on stdout');
    }
  });
}
