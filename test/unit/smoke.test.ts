/** The smoke set of awkward real-world files (test/fixtures/smoke): each fits, or fails located with exit 2. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from './cliHelper';

const dir = path.join(__dirname, '..', 'fixtures', 'smoke');

const cases: [
  file: string,
  args: string[],
  expect: { fits: string[]; note?: string } | { error: string; at: string },
][] = [
  [
    'constructor_key.jsonl',
    ['--group', 'constructor'],
    { fits: ['x'], note: '1 row left out, no group: no value in "constructor" (line 1)' },
  ],
  ['empty.csv', [], { error: 'the file is empty', at: '1:1' }],
  ['header_only.csv', [], { error: 'no rows with a value in "val_loss"', at: '1:1' }],
  ['lone_cr.csv', [], { fits: ['all runs'] }],
  [
    'missing_compute_cells.csv',
    [],
    { fits: ['all runs'], note: '1 row left out, no compute: no value in "flops" (line 4)' },
  ],
  [
    'one_member_family.csv',
    ['--group', 'family'],
    { fits: ['big'], note: 'not fitted — group "solo": 1 usable point(s)' },
  ],
  ['percent_suffix.csv', [], { fits: ['all runs'] }],
  ['semicolon_decimal_comma.csv', [], { fits: ['all runs'], note: 'numbers with a decimal comma (3,1 = 3.1)' }],
  ['spaces_in_headers.csv', ['--compute', '`Training FLOP`', '--metric', 'Final Loss'], { fits: ['all runs'] }],
  ['utf16_bom.csv', [], { fits: ['all runs'] }],
  ['wide_header.csv', [], { fits: ['all runs'] }],
];

for (const [file, args, expect] of cases) {
  test(`smoke: ${file} ${args.join(' ')}`, () => {
    const full = path.join(dir, file);
    const { code, stdout, stderr } = runCli(['fit', full, '--bootstrap', '0', '--json', ...args]);
    assert.doesNotMatch(stderr, /\n\s+at |RangeError|TypeError/, 'no stack trace');
    if ('error' in expect) {
      assert.equal(code, 2);
      assert.ok(stderr.includes(`${full}:${expect.at}: ${expect.error}`), stderr);
      return;
    }
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout);
    assert.deepEqual(
      result.fits.map((f: { group: string | null }) => f.group ?? 'all runs'),
      expect.fits,
    );
    for (const fit of result.fits) assert.ok(fit.params.alpha < 0, `${file}: error falls with compute`);
    if (expect.note)
      assert.ok(
        result.notes.some((n: string) => n.startsWith(expect.note!)),
        result.notes.join('\n'),
      );
  });
}
