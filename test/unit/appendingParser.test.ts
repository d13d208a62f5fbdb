/** Incremental re-parse of appended rows: after every change the table equals a full parse of the same text. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppendingParser } from '../../src/core/ingest/appendingParser';
import { parseTable } from '../../src/core/ingest/parse';
import { addColumn, cellAt, columnData, type Table } from '../../src/core/ingest/table';
import { Random } from '../../src/core/random';

const OPTIONS = { ignorePartialLastLine: true };

function snapshot(table: Table, width: number) {
  const cells = Array.from({ length: width }, (_, col) =>
    Array.from({ length: table.rowCount }, (_, row) => cellAt(table, row, col) ?? null).map((c) =>
      c === '' ? null : c,
    ),
  );
  // What reading decided besides the cells: rows left out (ragged, bad JSON lines), comment lines, decimal commas.
  const read = {
    problems: table.problems ?? [],
    problemCount: table.problemCount ?? 0,
    comments: table.comments ?? null,
    decimalComma: table.decimalComma ?? false,
  };
  return {
    columns: table.columns.slice(0, width),
    rowCount: table.rowCount,
    lines: table.lines.slice(0, table.rowCount),
    cells,
    read,
  };
}

function outcome(run: () => Table): { table?: Table; error?: string } {
  try {
    return { table: run() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Feeds each text to the appending parser and to a full parse; they must agree on every cell, line and error. */
function checkSequence(file: string, texts: string[], random: Random): { appended: number } {
  const parser = new AppendingParser();
  let appended = 0;
  for (const [step, text] of texts.entries()) {
    const incremental = outcome(() => parser.parse(file, text, OPTIONS));
    const full = outcome(() => parseTable(file, text, OPTIONS));
    assert.equal(incremental.error, full.error, `step ${step}: same error`);
    if (!incremental.table || !full.table) continue;
    if (parser.lastKind === 'appended') appended++;
    const width = full.table.columns.length;
    assert.deepEqual(
      snapshot(incremental.table, width),
      snapshot(full.table, width),
      `step ${step} (${parser.lastKind})`,
    );
    // As a fit does: read some columns (kept for the next parse) and add a derived one (must not leak into it).
    for (let col = 0; col < width; col++) if (random.next() < 0.6) columnData(incremental.table, col);
    addColumn(incremental.table, 'derived', new Float64Array(incremental.table.rowCount));
  }
  return { appended };
}

function csvRow(random: Random, i: number): string {
  const arch = ['ViT-B-32', 'ViT-L-14', 'RN50'][random.int(3)];
  const acc = random.next() < 0.05 ? '' : random.next() < 0.03 ? 'n/a' : (0.3 + 0.5 * random.next()).toFixed(4);
  return `${arch},${Math.round(1e9 * (1 + 30 * random.next()))},${acc},run-${i}`;
}

test('CSV: appended rows, partial last lines, comments, blank lines, CRLF and text in a numeric column match a full parse', () => {
  const random = new Random(7);
  for (let trial = 0; trial < 20; trial++) {
    let text = 'arch,samples_seen,acc1,name\n';
    const texts: string[] = [];
    let rows = 0;
    for (let step = 0; step < 25; step++) {
      const roll = random.next();
      if (roll < 0.7) {
        const count = 1 + random.int(5);
        for (let k = 0; k < count; k++) text += csvRow(random, rows++) + (random.next() < 0.1 ? '\r\n' : '\n');
      } else if (roll < 0.78) text += random.next() < 0.5 ? '# a comment, with commas\n' : '\n';
      else if (roll < 0.88) {
        // A row still being written: the next step finishes it.
        const row = csvRow(random, rows++);
        const cut = 1 + random.int(row.length - 1);
        texts.push(text + row.slice(0, cut));
        text += row + '\n';
      } else if (roll < 0.93)
        text = text.replace(/run-0\b/, 'run-zero'); // an edit: only a full parse will do
      else text += 'ViT-B-32,1\n'; // ragged: an error, located, until the next steps replace it
      texts.push(text);
      if (text.endsWith('ViT-B-32,1\n')) text = text.slice(0, -'ViT-B-32,1\n'.length);
    }
    const { appended } = checkSequence('/results.csv', texts, random);
    assert.ok(appended > 5, `trial ${trial}: most changes were appends read incrementally (${appended})`);
  }
});

test('JSON lines: appended records with new keys and mixed types match a full parse', () => {
  const random = new Random(11);
  let text = '';
  const texts: string[] = [];
  for (let step = 0; step < 60; step++) {
    const record: Record<string, unknown> = {
      run_id: `r${step % 7}`,
      step: step * 100,
      loss: 3 * Math.exp(-step / 30),
    };
    if (step > 20) record.acc1 = step % 9 === 0 ? 'nan' : step / 100;
    if (step > 40) record.metrics = { top5: step / 90 };
    text += JSON.stringify(record) + '\n';
    if (step % 5 === 4) texts.push(text + '{"run_id": "r1", "st'); // partial line
    texts.push(text);
  }
  const { appended } = checkSequence('/curves.jsonl', texts, random);
  assert.ok(appended > 40, `appends read incrementally (${appended})`);
});

test('quoted CSV falls back to a full parse and still matches', () => {
  const random = new Random(3);
  const texts = [
    'arch,note,acc1\nViT-B-32,"a, b",0.5\n',
    'arch,note,acc1\nViT-B-32,"a, b",0.5\nViT-L-14,plain,0.6\n',
    'arch,note,acc1\nViT-B-32,"a, b",0.5\nViT-L-14,plain,0.6\nRN50,"x",0.4\n',
  ];
  checkSequence('/quoted.csv', texts, random);
  const plain = ['a,b\n1,2\n', 'a,b\n1,2\n3,"4"\n', 'a,b\n1,2\n3,"4"\n5,6\n'];
  checkSequence('/plain-then-quoted.csv', plain, random);
});

test('";" with decimal commas (first seen in an appended row), lone CR line ends and "|" separators match a full parse', () => {
  const random = new Random(5);
  for (const [file, header, row, end] of [
    [
      '/semicolon.csv',
      'arch;samples_seen;acc1;name',
      (i: number) => `ViT-B-32;${1000 + i};${i < 6 ? i : `0,${100 + i}`};run-${i}`,
      '\n',
    ],
    ['/cr.csv', 'arch,samples_seen,acc1,name', (i: number) => `RN50,${1000 + i},0.${100 + i},run-${i}`, '\r'],
    ['/pipe.csv', 'arch|samples_seen|acc1|name', (i: number) => `RN50|${1000 + i}|0.${100 + i}|run-${i}`, '\n'],
  ] as const) {
    let text = header + end;
    const texts: string[] = [];
    for (let i = 0; i < 30; i++) {
      text += row(i) + end;
      if (i % 7 === 3) text += `# checkpoint ${i}` + end;
      if (i % 11 === 5) text += 'ragged' + end;
      texts.push(text);
    }
    const { appended } = checkSequence(file, texts, random);
    assert.ok(appended > 10, `${file}: appends read incrementally (${appended})`);
  }
});

test('JSON lines: appended invalid lines are left out as problems, as a full parse does', () => {
  const random = new Random(13);
  let text = '';
  const texts: string[] = [];
  for (let step = 0; step < 40; step++) {
    text +=
      step % 9 === 4
        ? '{"run_id": "r1", "step": oops}\n'
        : step % 13 === 6
          ? '[1, 2]\n'
          : JSON.stringify({ run_id: `r${step % 3}`, step, loss: 3 / (step + 1) }) + '\n';
    texts.push(text);
  }
  checkSequence('/bad-lines.jsonl', texts, random);
});
