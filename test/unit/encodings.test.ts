/**
 * Files as they come: UTF-16 (LE/BE, with BOM), Windows-1252, lone CR line ends, ';' with decimal commas, '|' and
 * tab separators, '#' comment lines, JSON keys that are Object.prototype names, and JSON nested beyond the limit.
 * Each reads as the same table as a plain UTF-8 CSV of the same rows (or fails with a located message).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { decodeBytes } from '../../src/core/ingest/decode';
import { parseTable } from '../../src/core/ingest/parse';
import { cellAt, type Table } from '../../src/core/ingest/table';
import { InputError } from '../../src/core/errors';
import { runCli } from './cliHelper';
import { fitFiles, thrown } from './fitHelper';

const ROWS = [
  ['2e+18', '3.1', 'Café'],
  ['6e+18', '2.8', 'Café'],
  ['2e+19', '2.55', 'Cafè'],
  ['6e+19', '2.35', 'Cafè'],
];
const PLAIN = ['flops,val_loss,family', ...ROWS.map((r) => r.join(','))].join('\n') + '\n';

function cells(table: Table): (string | number | boolean | null)[][] {
  return Array.from({ length: table.rowCount }, (_, row) => table.columns.map((_, col) => cellAt(table, row, col)));
}

function sameAsPlain(table: Table): void {
  const plain = parseTable('/plain.csv', PLAIN);
  assert.deepEqual(table.columns, plain.columns);
  assert.deepEqual(cells(table), cells(plain));
  assert.deepEqual(table.lines, plain.lines);
}

function utf16(text: string, endian: 'le' | 'be'): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  if (endian === 'be') for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1], le[i]];
  return Buffer.concat([Buffer.from(endian === 'le' ? [0xff, 0xfe] : [0xfe, 0xff]), le]);
}

test('UTF-16 LE with its BOM (Excel "Unicode text")', () => {
  const decoded = decodeBytes(utf16(PLAIN, 'le'));
  assert.equal(decoded.encoding, 'utf-16le');
  sameAsPlain(parseTable('/u.csv', decoded.text));
});

test('UTF-16 BE with its BOM', () => {
  const decoded = decodeBytes(utf16(PLAIN, 'be'));
  assert.equal(decoded.encoding, 'utf-16be');
  sameAsPlain(parseTable('/u.csv', decoded.text));
});

test('UTF-16 without a BOM is refused with a located message that says what it is', () => {
  const error = thrown(() => parseTable('/u.csv', Buffer.from(PLAIN, 'utf16le').toString('latin1')));
  assert.ok(error instanceof InputError);
  assert.match(error.message, /^\/u\.csv:1:2: this looks like UTF-16 text without a byte-order mark/);
});

test('invalid UTF-8 is read as Windows-1252, with a note: Café and Cafè stay two groups', () => {
  const bytes = Buffer.from(PLAIN, 'latin1'); // é = 0xE9, è = 0xE8: not UTF-8
  const decoded = decodeBytes(bytes);
  assert.equal(decoded.encoding, 'windows-1252');
  sameAsPlain(parseTable('/w.csv', decoded.text));
  // A byte that differs between Windows-1252 and Latin-1: 0x80 is the euro sign.
  assert.equal(decodeBytes(Uint8Array.from([0x80, 0x41])).text, '€A');
  const result = fitFiles({ '/w.csv': bytes }, '/w.csv', { group: 'family', frontier: { kind: 'all' } });
  assert.deepEqual(result.fits.map((f) => f.group).sort(), ['Cafè', 'Café']);
  assert.ok(
    result.notes.some((n) => /not valid UTF-8: read as Windows-1252/.test(n)),
    result.notes.join(' | '),
  );
});

test('UTF-8 (with BOM, or cut in the middle of a character at the very end) stays UTF-8', () => {
  assert.equal(decodeBytes(Buffer.from('\uFEFF' + PLAIN, 'utf8')).encoding, 'utf-8');
  const cut = Buffer.from(PLAIN + 'é', 'utf8').subarray(0, -1);
  assert.equal(decodeBytes(cut).encoding, 'utf-8');
});

test('lone CR line ends (classic Mac, some Excel exports)', () => {
  sameAsPlain(parseTable('/cr.csv', PLAIN.replace(/\n/g, '\r')));
  sameAsPlain(parseTable('/crlf.csv', PLAIN.replace(/\n/g, '\r\n')));
});

test('";" separated with decimal commas, with a note', () => {
  const text = PLAIN.replace(/,/g, ';').replace(/(\d)\.(\d)/g, '$1,$2');
  const table = parseTable('/s.csv', text);
  sameAsPlain(table);
  assert.equal(table.decimalComma, true);
  const result = fitFiles({ '/s.csv': text }, '/s.csv');
  assert.ok(
    result.notes.some((n) => n.includes('decimal comma')),
    result.notes.join(' | '),
  );
  // The quoted path (csv-parse) reads them the same way.
  sameAsPlain(parseTable('/q.csv', text.replace('Café', '"Café"')));
});

test('"|" and tab separators are sniffed', () => {
  sameAsPlain(parseTable('/p.csv', PLAIN.replace(/,/g, '|')));
  sameAsPlain(parseTable('/t.csv', PLAIN.replace(/,/g, '\t')));
});

test('"#" comment lines are skipped and counted in a note with their lines', () => {
  const text = `# exported by a notebook\n${PLAIN.split('\n')[0]}\n${ROWS[0].join(',')}\n#${ROWS[1].join(',')}\n${ROWS.slice(
    2,
  )
    .map((r) => r.join(','))
    .join('\n')}\n`;
  const table = parseTable('/c.csv', text);
  assert.deepEqual(table.comments, { count: 2, lines: [1, 4] });
  const quoted = parseTable('/cq.csv', text.replace('Café', '"Café"'));
  assert.deepEqual(quoted.comments, table.comments, 'the quoted path counts them the same');
  const result = fitFiles({ '/c.csv': text }, '/c.csv');
  assert.ok(
    result.notes.includes('2 lines starting with # skipped as comments (lines 1, 4)'),
    result.notes.join(' | '),
  );
});

test('JSON keys are own properties: a missing "constructor" or "toString" is empty, "__proto__" is a column', () => {
  const lines = [
    { flops: 1e18, loss: 3, toString: 'x' },
    { flops: 1e19, loss: 2.5, constructor: 'y' },
    JSON.parse('{"flops": 1e20, "loss": 2.2, "__proto__": "z"}'),
  ];
  const jsonl = lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
  for (const table of [
    parseTable('/k.jsonl', jsonl),
    parseTable('/k.json', `[${lines.map((l) => JSON.stringify(l)).join(',')}]`),
  ]) {
    const column = (name: string) =>
      Array.from({ length: table.rowCount }, (_, row) => cellAt(table, row, table.columns.indexOf(name)));
    assert.deepEqual(column('toString'), ['x', null, null]);
    assert.deepEqual(column('constructor'), [null, 'y', null]);
    assert.deepEqual(column('__proto__'), [null, null, 'z']);
  }
  const grouped = fitFiles({ '/k.jsonl': jsonl.replace('"toString":"x"', '"constructor":"y"') }, '/k.jsonl', {
    group: 'constructor',
    frontier: { kind: 'all' },
  });
  assert.deepEqual(
    grouped.fits.map((f) => f.group),
    ['y'],
  );
  assert.ok(
    grouped.notes.some((n) => n.includes('1 row left out, no group: no value in "constructor" (line 3)')),
    grouped.notes.join(' | '),
  );
});

test('JSON nested beyond the depth limit: a located error, no stack overflow (the 100,000-deep smoke file)', () => {
  const deep = '[{"flops":1e18,"loss":3,"meta":' + '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000) + '}]';
  const error = thrown(() => parseTable('/deep.json', deep));
  assert.ok(error instanceof InputError, String(error));
  assert.match(error.message, /^\/deep\.json:1:\d+: nested more than 32 levels deep/);
  const file = path.join(__dirname, '..', 'fixtures', 'deep.json');
  fs.writeFileSync(file, deep);
  try {
    const { code, stderr } = runCli(['fit', file, '--bootstrap', '0']);
    assert.equal(code, 2);
    assert.match(stderr, /deep\.json:1:\d+: nested more than 32 levels deep/);
    assert.doesNotMatch(stderr, /Maximum call stack|\n\s+at /);
  } finally {
    fs.rmSync(file);
  }
  // One deep line of a JSON-lines file is left out; the others are read.
  const jsonl =
    '{"flops":1e18,"loss":3}\n{"meta":' + '{"a":'.repeat(50) + '1' + '}'.repeat(50) + '}\n{"flops":1e19,"loss":2.5}\n';
  const table = parseTable('/d.jsonl', jsonl);
  assert.equal(table.rowCount, 2);
  assert.equal(table.problems?.[0].line, 2);
});
