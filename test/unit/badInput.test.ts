/** Every malformed file in test/fixtures/bad gets a clear message at the right file:line:column and CLI exit code 2. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from './cliHelper';

const dir = path.join(__dirname, '..', 'fixtures', 'bad');
const expected: Record<string, { line: number | null; column: number | null; message: string; args?: string[]; file?: string }> = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));

test('the corpus holds at least 25 malformed files', () => {
  assert.ok(Object.keys(expected).length >= 25, `${Object.keys(expected).length} cases`);
});

for (const [name, want] of Object.entries(expected)) {
  test(`bad input: ${name}`, () => {
    const file = path.join(dir, name);
    const { code, stdout, stderr } = runCli(['fit', file, '--bootstrap', '0', ...(want.args ?? [])]);
    assert.equal(code, 2, `exit code for ${name}; stderr: ${stderr}`);
    assert.equal(stdout, '', 'nothing printed on stdout');
    assert.ok(stderr.includes(want.message), `message for ${name}:\n${stderr}`);
    assert.doesNotMatch(stderr, /\bNaN\b(?!" in column)/, 'no NaN shown as a number');
    if (want.line !== null) {
      const at = `${path.join(dir, want.file ?? name)}:${want.line}:${want.column}:`;
      assert.ok(stderr.includes(at), `expected location ${at} in:\n${stderr}`);
    }
  });
}
