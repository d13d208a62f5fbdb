/** Reads CSV/TSV (csv-parse), JSONL and JSON into a Table, with located errors for every kind of bad input. */
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { InputError } from '../errors';
import { firstJsonError } from './jsonError';
import { columnsFromRows, positionOf, sourceLine, type Cell, type Table, type TableFormat } from './table';

export interface ParseOptions {
  /**
   * A last line without its newline may be a row still being written by a training job:
   * drop it instead of failing (it is read on the next change).
   */
  ignorePartialLastLine?: boolean;
}

export function formatOf(file: string): TableFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.tsv') || lower.endsWith('.tab')) return 'tsv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  if (lower.endsWith('.json')) return 'json';
  return 'csv';
}

export function parseTable(file: string, text: string, options: ParseOptions = {}): Table {
  const format = formatOf(file);
  const complete = completeLines(text, options, format);
  if (complete.trim() === '' && text.trim() !== '') throw new InputError({ file, line: 1, column: 1 }, 'the first line has no newline yet: a header still being written is read once its line is complete');
  text = complete;
  if (text.length === 0 || text.replace(/^\uFEFF/, '').trim().length === 0) throw new InputError({ file, line: 1, column: 1 }, 'the file is empty: expected a header line and at least one row');
  const nul = text.slice(0, 65536).indexOf('\0');
  if (nul >= 0) throw new InputError({ file, ...positionOf(text, nul) }, 'this is a binary file (it contains NUL bytes): expected CSV, TSV, JSON or JSON lines text');
  switch (format) {
    case 'csv':
    case 'tsv':
      return parseDelimited(file, text, format);
    case 'jsonl':
      return parseJsonLines(file, text);
    case 'json':
      return parseJson(file, text);
  }
}

/**
 * The text up to its last newline when a partial last line is to be ignored (a row still being written); empty when
 * not even the first line is complete (a header being written is not a header yet). A .json document is whole.
 */
export function completeLines(text: string, options: ParseOptions, format: TableFormat): string {
  if (!options.ignorePartialLastLine || format === 'json' || text.endsWith('\n')) return text;
  return text.slice(0, text.lastIndexOf('\n') + 1);
}

/** The delimiter of a delimited file: tab for .tsv, else judged from the header line. */
function delimiterOf(format: 'csv' | 'tsv', text: string): string {
  return format === 'tsv' ? '\t' : sniffDelimiter(text);
}

function parseDelimited(file: string, text: string, format: 'csv' | 'tsv'): Table {
  const delimiter = delimiterOf(format, text);
  checkHeaderWidth(file, text, delimiter);
  if (!text.includes('"')) return splitUnquoted(file, text, format, delimiter);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      bom: true,
      delimiter,
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      info: true,
      trim: false,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw csvProblem(file, text, error);
  }
  if (records.length === 0) throw new InputError({ file, line: 1, column: 1 }, 'no header line: the file holds only comments or blank lines');
  const header = records[0].record.map((name) => name.trim());
  const headerLine = records[0].info.lines;
  checkHeader(file, header, headerLine, text, delimiter);
  const rows: Cell[][] = new Array(records.length - 1);
  const lines: number[] = new Array(records.length - 1);
  for (let i = 1; i < records.length; i++) {
    rows[i - 1] = records[i].record;
    lines[i - 1] = records[i].info.lines;
  }
  return { file, format, columns: header, data: columnsFromRows(rows, header.length), rowCount: rows.length, lines, text, delimiter };
}

/**
 * Files without any quote character (most results files) need no CSV state machine: split lines and fields directly.
 * Same semantics as the csv-parse path (BOM, CRLF, '#' comment lines, blank lines, ragged rows), 6–10× faster on
 * million-row files (bench/parse.ts); anything quoted goes through csv-parse.
 */
function splitUnquoted(file: string, text: string, format: 'csv' | 'tsv', delimiter: string): Table {
  // The header: the first line that is neither blank nor a '#' comment.
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let line = 1; position < text.length; line++) {
    const newline = text.indexOf('\n', position);
    const lineEnd = newline < 0 ? text.length : newline;
    const content = text.slice(position, lineEnd).replace(/\r$/, '');
    position = lineEnd + 1;
    if (content.trim() === '' || content.startsWith('#')) continue;
    const header = content.split(delimiter).map((name) => name.trim());
    checkHeader(file, header, line, text, delimiter);
    const width = header.length;
    const estimate = Math.max(16, Math.ceil(text.length / Math.max(1, content.length + 1)));
    const index: RowIndex = { width, starts: new Int32Array(estimate * width), rowEnds: new Int32Array(estimate), lines: [], rows: 0 };
    indexUnquotedRows(file, text, position, line, delimiter, index);
    return { file, format, columns: header, data: new Array(width).fill(undefined), lazy: { text, width, starts: index.starts, rowEnds: index.rowEnds }, rowCount: index.rows, lines: index.lines, text, delimiter };
  }
  throw new InputError({ file, line: 1, column: 1 }, 'no header line: the file holds only comments or blank lines');
}

/** Where the cells of unquoted delimited rows start, grown as rows are added. */
export interface RowIndex {
  width: number;
  /** starts[row * width + col]: offset of the cell's first character. */
  starts: Int32Array;
  /** Offset just past each row's last cell (before CR/LF). */
  rowEnds: Int32Array;
  /** 1-based source line of each row. */
  lines: number[];
  rows: number;
}

/**
 * Adds the data rows of `text` from offset `position` (the start of source line `line + 1`) to the index. On a
 * ragged row it throws with the index unchanged, so a caller may keep it and try again when the file changes.
 */
export function indexUnquotedRows(file: string, text: string, position: number, line: number, delimiter: string, index: RowIndex): void {
  const sep = delimiter.charCodeAt(0);
  const length = text.length;
  const { width } = index;
  const rowsBefore = index.rows;
  let { starts, rowEnds, rows } = index;
  const lines = index.lines;
  while (position < length) {
    line++;
    let lineEnd = text.indexOf('\n', position);
    if (lineEnd < 0) lineEnd = length;
    const end = lineEnd > position && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    const lineStart = position;
    position = lineEnd + 1;
    if (end === lineStart || text.charCodeAt(lineStart) === 35 /* # */) continue;
    if (rows === rowEnds.length) {
      const grownStarts = new Int32Array(starts.length * 2);
      grownStarts.set(starts);
      starts = grownStarts;
      const grownEnds = new Int32Array(rowEnds.length * 2);
      grownEnds.set(rowEnds);
      rowEnds = grownEnds;
    }
    const base = rows * width;
    let field = 0;
    starts[base] = lineStart;
    let blank = true;
    for (let i = lineStart; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === sep) {
        field++;
        if (field < width) starts[base + field] = i + 1;
      } else if (blank && c !== 32 && c !== 9) blank = false;
    }
    if (field === 0 && blank) continue;
    if (field + 1 !== width) {
      lines.length = rowsBefore;
      throw new InputError({ file, line, column: 1 }, `row has ${field + 1} fields but the header has ${width}: a ragged row (missing or extra separators)`);
    }
    rowEnds[rows] = end;
    lines.push(line);
    rows++;
  }
  index.starts = starts;
  index.rowEnds = rowEnds;
  index.rows = rows;
}

/** The widest header read: a wider one is refused before it is split (a 5-million-column line took 15 s and 900 MB). */
export const MAX_COLUMNS = 10_000;

/** Counts the separators of the header line (the first neither blank nor a '#' comment) up to the limit. */
function checkHeaderWidth(file: string, text: string, delimiter: string): void {
  const sep = delimiter.charCodeAt(0);
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let line = 1; position < text.length; line++) {
    const newline = text.indexOf('\n', position);
    const end = newline < 0 ? text.length : newline;
    let first = position;
    while (first < end && /\s/.test(text[first])) first++;
    if (first < end && text.charCodeAt(first) !== 35 /* # */) {
      let fields = 1;
      for (let i = position; i < end; i++) {
        if (text.charCodeAt(i) !== sep) continue;
        if (++fields > MAX_COLUMNS) {
          throw new InputError({ file, line, column: i - position + 2 }, `the header has more than ${MAX_COLUMNS.toLocaleString('en')} columns: Scaling Lens reads up to ${MAX_COLUMNS.toLocaleString('en')}`);
        }
      }
      return;
    }
    position = end + 1;
  }
}

/** A file named .csv may be semicolon- or tab-separated; judge by the header line. */
function sniffDelimiter(text: string): string {
  const header = text.slice(0, 65536).replace(/^\uFEFF/, '').split('\n').find((line) => line.trim() !== '' && !line.startsWith('#')) ?? '';
  const counts = [',', '\t', ';'].map((d) => [d, header.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

function checkHeader(file: string, header: string[], line: number, text: string, delimiter: string): void {
  const seen = new Map<string, number>();
  const headerText = sourceLine(text.replace(/^\uFEFF/, ''), line);
  const columnOf = (field: number) => {
    let col = 1;
    for (let f = 0; f < field; f++) col = headerText.indexOf(delimiter, col - 1) + 2;
    return col;
  };
  header.forEach((name, index) => {
    if (name === '') throw new InputError({ file, line, column: columnOf(index) }, `header field ${index + 1} is empty: every column needs a name`);
    const first = seen.get(name);
    if (first !== undefined) throw new InputError({ file, line, column: columnOf(index) }, `duplicate column name "${name}" (also column ${first + 1}): column names must be unique`);
    seen.set(name, index);
  });
}

function csvProblem(file: string, text: string, error: unknown): InputError {
  if (error instanceof CsvError) {
    const info = error as CsvError & { lines?: number; record?: string[]; index?: number; column?: string | number };
    const line = info.lines ?? 1;
    if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
      const got = info.record?.length ?? 0;
      const expected = /expected (\d+)/.exec(error.message)?.[1];
      return new InputError({ file, line, column: 1 }, `row has ${got} fields but the header has ${expected ?? 'a different number'}: a ragged row (missing or extra separators)`);
    }
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      return new InputError({ file, ...unclosedQuote(text) }, 'a quoted field is never closed: expected a matching " before the end of the file');
    }
    if (error.code === 'CSV_INVALID_CLOSING_QUOTE' || error.code === 'INVALID_OPENING_QUOTE') {
      return new InputError({ file, line, column: 1 }, `malformed quoting: ${error.message.replace(/^Invalid [^:]*: /, '')}`);
    }
    return new InputError({ file, line, column: 1 }, error.message);
  }
  return new InputError({ file, line: 1, column: 1 }, error instanceof Error ? error.message : String(error));
}

/** Position of the quote that opens a field and is never closed ("" inside a field toggles twice). */
function unclosedQuote(text: string): { line: number; column: number } {
  let open = -1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 34) open = open < 0 ? i : -1;
  return open < 0 ? { line: 1, column: 1 } : positionOf(text, open);
}

/** JSON lines; `lineOffset` numbers the lines of a fragment that starts after that many lines of its file. */
export function parseJsonLines(file: string, text: string, lineOffset = 0): Table {
  const columns: string[] = [];
  const columnIndex = new Map<string, number>();
  const objects: { value: Record<string, Cell>; line: number }[] = [];
  const rawLines = text.replace(/^\uFEFF/, '').split('\n');
  rawLines.forEach((raw, index) => {
    const line = lineOffset + index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('//')) return;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      const located = firstJsonError(trimmed);
      const indent = raw.length - raw.trimStart().length;
      throw new InputError({ file, line, column: located ? located.offset + 1 + indent : 1 }, `invalid JSON on this line: ${located?.message ?? jsonErrorText(error)}`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new InputError({ file, line, column: 1 }, 'expected a JSON object on each line');
    const flat = flatten(value as Record<string, unknown>);
    for (const key of Object.keys(flat)) {
      if (!columnIndex.has(key)) {
        columnIndex.set(key, columns.length);
        columns.push(key);
      }
    }
    if (columns.length > MAX_COLUMNS) throw new InputError({ file, line, column: 1 }, `the records have more than ${MAX_COLUMNS.toLocaleString('en')} distinct keys: Scaling Lens reads up to ${MAX_COLUMNS.toLocaleString('en')} columns`);
    objects.push({ value: flat, line });
  });
  if (objects.length === 0) throw new InputError({ file, line: 1, column: 1 }, 'no JSON objects in this JSON-lines file');
  const rows = objects.map(({ value }) => columns.map((c) => value[c] ?? null));
  return { file, format: 'jsonl', columns, data: columnsFromRows(rows, columns.length), rowCount: rows.length, lines: objects.map((o) => o.line), text };
}

function parseJson(file: string, text: string): Table {
  const body = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    // Some tools write JSON lines into a .json file: accept that when the first line is a whole object.
    if (looksLikeJsonLines(body)) return { ...parseJsonLines(file, text), format: 'json' };
    const located = firstJsonError(body);
    throw new InputError({ file, ...(located ? positionOf(body, located.offset) : { line: 1, column: 1 }) }, `invalid JSON: ${located?.message ?? jsonErrorText(error)}`);
  }
  const items = Array.isArray(value) ? value : [value];
  const starts = Array.isArray(value) ? elementLines(body) : [1];
  const columns: string[] = [];
  const seen = new Set<string>();
  const flats = items.map((item, i) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) throw new InputError({ file, line: starts[i] ?? 1, column: 1 }, `element ${i + 1} is not an object: expected an array of result objects or one result object`);
    const flat = flatten(item as Record<string, unknown>);
    for (const key of Object.keys(flat)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
    if (columns.length > MAX_COLUMNS) throw new InputError({ file, line: starts[i] ?? 1, column: 1 }, `the records have more than ${MAX_COLUMNS.toLocaleString('en')} distinct keys: Scaling Lens reads up to ${MAX_COLUMNS.toLocaleString('en')} columns`);
    return flat;
  });
  if (flats.length === 0) throw new InputError({ file, line: 1, column: 1 }, 'the JSON array is empty: expected result objects');
  const rows = flats.map((f) => columns.map((c) => f[c] ?? null));
  return { file, format: 'json', columns, data: columnsFromRows(rows, columns.length), rowCount: rows.length, lines: flats.map((_, i) => starts[i] ?? 1), text };
}

/**
 * Nested objects become dotted columns; a nested key also stands under its own name when that
 * does not clash, so CLIP_benchmark's `metrics.acc1` is found as `acc1`.
 */
function flatten(object: Record<string, unknown>, prefix = '', out: Record<string, Cell> = {}, leaves: Map<string, number> = new Map()): Record<string, Cell> {
  for (const [key, value] of Object.entries(object)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      flatten(value as Record<string, unknown>, name, out, leaves);
    } else {
      const cell: Cell = value === null || value === undefined ? null : typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' ? value : JSON.stringify(value);
      out[name] = cell;
      if (prefix) leaves.set(key, (leaves.get(key) ?? 0) + 1);
    }
  }
  if (!prefix) {
    for (const [name, value] of Object.entries(out)) {
      const leaf = name.slice(name.lastIndexOf('.') + 1);
      if (name.includes('.') && leaves.get(leaf) === 1 && !(leaf in out)) out[leaf] = value;
    }
  }
  return out;
}

function looksLikeJsonLines(body: string): boolean {
  const first = body.trimStart().split('\n', 1)[0].trim();
  if (!first.startsWith('{')) return false;
  try {
    JSON.parse(first);
    return true;
  } catch {
    return false;
  }
}

/** 1-based start line of each top-level element of a JSON array. */
function elementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectingElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') continue;
    if (depth === 1 && expectingElement && ch !== ']') {
      lines.push(line);
      expectingElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectingElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectingElement = true;
  }
  return lines;
}

function jsonErrorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '');
}
