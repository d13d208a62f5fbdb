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
/**
 * Per file: where its first problem is (`line`/`column` in `file`, by default the file itself; `at` for a problem in a
 * command-line flag) and the message in full, saying what was expected; `note` when the rows are left out with a note.
 */
type Expected = {
  line: number | null;
  column: number | null;
  message: string;
  at?: string;
  args?: string[];
  file?: string;
  outcome?: 'fits' | 'note';
};
const expected: Record<string, Expected> = JSON.parse(fs.readFileSync(path.join(dir, 'expected.json'), 'utf8'));
/** Files that are not cases themselves: tables and configs the cases read. */
const supporting = ['expected.json', 'arch_info.csv', path.join('config', 'scaling-lens.json')];

test('every file in the corpus is a case with its located message, and the corpus holds at least 25', () => {
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter(
    (name) => fs.statSync(path.join(dir, name)).isFile() && !supporting.includes(name),
  );
  assert.deepEqual(
    files.sort(),
    Object.keys(expected)
      .map((name) => path.join(name))
      .sort(),
    'each malformed file has an entry in expected.json',
  );
  assert.ok(files.length >= 25, `${files.length} cases`);
  for (const [name, want] of Object.entries(expected)) {
    const located = want.at !== undefined || (want.line !== null && (want.column !== null || want.outcome === 'note'));
    assert.ok(located, `${name}: a place to report the problem at`);
  }
});

/** The message line for `want`: `scaling-lens: FILE:LINE:COLUMN: MESSAGE` (or the flag in place of the file). */
function locatedLine(name: string, want: Expected): string {
  return `scaling-lens: ${want.at ?? `${path.join(dir, want.file ?? name)}:${want.line}:${want.column}`}: ${want.message}`;
}

for (const [name, want] of Object.entries(expected)) {
  test(`bad input: ${name}`, () => {
    const file = path.join(dir, name);
    const { code, stdout, stderr } = runCli(['fit', file, '--bootstrap', '0', ...(want.args ?? [])]);
    assert.doesNotMatch(stderr + stdout, /\bNaN\b(?!" in column)/, 'no NaN shown as a number');
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    if (want.outcome === 'note') {
      assert.equal(code, 0, `exit code for ${name}; stderr: ${stderr}`);
      assert.ok(want.message.endsWith(`(line ${want.line})`), `the note names line ${want.line}`);
      assert.ok(stdout.split('\n').includes(`  note: ${want.message}`), `note for ${name}:\n${stdout}`);
      assert.match(stdout, /E = /, 'the other rows are fitted');
      return;
    }
    const reported = stderr.split('\n');
    assert.ok(
      reported.includes(locatedLine(name, want)),
      `expected the line\n${locatedLine(name, want)}\nin:\n${stderr}`,
    );
    if (want.outcome === 'fits') {
      assert.equal(code, 0, `exit code for ${name}; stderr: ${stderr}`);
      assert.match(stdout, /E = /, 'the other rows are fitted');
      assert.match(stdout, /1 row with bad values left out/, 'the report says a row was left out');
      const strict = runCli(['fit', file, '--bootstrap', '0', '--strict', ...(want.args ?? [])]);
      assert.equal(strict.code, 2, '--strict refuses a file with a bad row');
      assert.equal(strict.stdout, '', '--strict prints no fit');
      assert.ok(strict.stderr.split('\n').includes(locatedLine(name, want)), strict.stderr);
    } else {
      assert.equal(code, 2, `exit code for ${name}; stderr: ${stderr}`);
      assert.equal(stdout, '', 'nothing printed on stdout');
    }
  });
}
