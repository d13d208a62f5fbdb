/**
 * Reads CSV/TSV (csv-parse, or a fast split when nothing is quoted), JSONL and JSON into a Table. A bad file gets a
 * located error; a bad row (ragged, an invalid JSON line) is left out and recorded on the table, the rest is read.
 */
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { InputError, type Problem } from '../errors';
import { parseJson, parseJsonLines } from './json';
import {
  addProblem,
  columnsFromRows,
  MAX_COLUMNS,
  MAX_NOTED_LINES,
  positionOf,
  sourceLine,
  type Cell,
  type Table,
  type TableFormat,
} from './table';

export { MAX_COLUMNS } from './table';

export { parseJsonLines } from './json';

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
  const complete = completeLines(normalizeLineBreaks(text), options, format);
  if (complete.trim() === '' && text.trim() !== '')
    throw new InputError(
      { file, line: 1, column: 1 },
      'the first line has no newline yet: a header still being written is read once its line is complete',
    );
  text = complete;
  if (text.length === 0 || text.replace(/^\uFEFF/, '').trim().length === 0)
    throw new InputError(
      { file, line: 1, column: 1 },
      'the file is empty: expected a header line and at least one row',
    );
  const nul = text.slice(0, 65536).indexOf('\0');
  if (nul >= 0)
    throw new InputError(
      { file, ...positionOf(text, nul) },
      looksLikeUtf16(text)
        ? 'this looks like UTF-16 text without a byte-order mark: save it as UTF-8 (or UTF-16 with its BOM)'
        : 'this is a binary file (it contains NUL bytes): expected CSV, TSV, JSON or JSON lines text',
    );
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

/** UTF-16 without a BOM: every other byte of ASCII text is NUL. */
function looksLikeUtf16(text: string): boolean {
  const head = text.slice(0, 200);
  let nuls = 0;
  for (let i = 0; i < head.length; i++) if (head.charCodeAt(i) === 0) nuls++;
  return head.length >= 8 && Math.abs(nuls - head.length / 2) <= 2;
}

/**
 * Lone CR line breaks (classic Mac OS, some Excel exports) become LF, as editors count them; CRLF stays as it is.
 */
export function normalizeLineBreaks(text: string): string {
  // The first line break decides (a file with lone CRs has one at the end of its header): no scan of a big LF file,
  // and a CR inside a quoted cell of an LF file is left as it is.
  const head = text.length > 65536 ? text.slice(0, 65536) : text;
  const cr = head.indexOf('\r');
  const lf = head.indexOf('\n');
  if (cr < 0 || (lf >= 0 && lf < cr) || text.charCodeAt(cr + 1) === 10) return text;
  return text.replace(/\r(?!\n)/g, '\n');
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

/** A ';'-separated file whose first rows hold numbers such as `3,1`: its numbers have a decimal comma. */
export function hasDecimalCommas(text: string, delimiter: string): boolean {
  return delimiter === ';' && /(?:^|;)[+-]?\d*,\d+(?:[eE][+-]?\d+)?[ \t]*(?:;|\r?$)/m.test(text.slice(0, 65536));
}

function parseDelimited(file: string, text: string, format: 'csv' | 'tsv'): Table {
  const delimiter = delimiterOf(format, text);
  checkHeaderWidth(file, text, delimiter);
  const decimalComma = hasDecimalCommas(text, delimiter) || undefined;
  if (!text.includes('"')) return splitUnquoted(file, text, format, delimiter, decimalComma);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      bom: true,
      delimiter,
      comment: '#',
      comment_no_infix: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      trim: false,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw csvProblem(file, text, error);
  }
  if (records.length === 0)
    throw new InputError({ file, line: 1, column: 1 }, 'no header line: the file holds only comments or blank lines');
  const header = records[0].record.map((name) => name.trim());
  const headerLine = records[0].info.lines;
  checkHeader(file, header, headerLine, text, delimiter);
  const table: Table = {
    file,
    format,
    columns: header,
    data: [],
    rowCount: 0,
    lines: [],
    text,
    delimiter,
    decimalComma,
    comments: commentLines(text),
  };
  const rows: Cell[][] = [];
  for (let i = 1; i < records.length; i++) {
    const { record, info } = records[i];
    if (record.length !== header.length) {
      addProblem(table, {
        file,
        line: info.lines,
        column: 1,
        message: raggedMessage(record.length, header.length),
        severity: 'error',
      });
      continue;
    }
    rows.push(record);
    table.lines.push(info.lines);
  }
  table.data = columnsFromRows(rows, header.length, decimalComma);
  table.rowCount = rows.length;
  return table;
}

/** '#' comment lines of a quoted file (the unquoted path counts them as it indexes rows). */
function commentLines(text: string): { count: number; lines: number[] } | undefined {
  const comments = { count: 0, lines: [] as number[] };
  let line = 1;
  for (let start = 0; start < text.length; line++) {
    if (
      text.charCodeAt(start) === 35 /* # */ ||
      (line === 1 && text.charCodeAt(0) === 0xfeff && text.charCodeAt(1) === 35)
    )
      noteComment(comments, line);
    const newline = text.indexOf('\n', start);
    if (newline < 0) break;
    start = newline + 1;
  }
  return comments.count > 0 ? comments : undefined;
}

function noteComment(comments: { count: number; lines: number[] }, line: number): void {
  comments.count++;
  if (comments.lines.length < MAX_NOTED_LINES) comments.lines.push(line);
}

function raggedMessage(got: number, expected: number): string {
  return `row has ${got} fields but the header has ${expected}: a ragged row (missing or extra separators); left out`;
}

/**
 * Files without any quote character (most results files) need no CSV state machine: split lines and fields directly.
 * Same semantics as the csv-parse path (BOM, CRLF, '#' comment lines, blank lines, ragged rows), 6–10× faster on
 * million-row files (bench/parse.ts); anything quoted goes through csv-parse.
 */
function splitUnquoted(
  file: string,
  text: string,
  format: 'csv' | 'tsv',
  delimiter: string,
  decimalComma: boolean | undefined,
): Table {
  // The header: the first line that is neither blank nor a '#' comment.
  let position = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const comments = { count: 0, lines: [] as number[] };
  for (let line = 1; position < text.length; line++) {
    const newline = text.indexOf('\n', position);
    const lineEnd = newline < 0 ? text.length : newline;
    const content = text.slice(position, lineEnd).replace(/\r$/, '');
    position = lineEnd + 1;
    if (content.startsWith('#')) noteComment(comments, line);
    if (content.trim() === '' || content.startsWith('#')) continue;
    const header = content.split(delimiter).map((name) => name.trim());
    checkHeader(file, header, line, text, delimiter);
    const width = header.length;
    const estimate = Math.max(16, Math.ceil(text.length / Math.max(1, content.length + 1)));
    const index: RowIndex = {
      width,
      starts: new Int32Array(estimate * width),
      rowEnds: new Int32Array(estimate),
      lines: [],
      rows: 0,
      comments,
    };
    indexUnquotedRows(file, text, position, line, delimiter, index);
    return tableFromIndex(file, format, header, text, delimiter, decimalComma, index);
  }
  throw new InputError({ file, line: 1, column: 1 }, 'no header line: the file holds only comments or blank lines');
}

/** The table an unquoted row index describes (cells are read from the text when their column is first used). */
export function tableFromIndex(
  file: string,
  format: TableFormat,
  columns: string[],
  text: string,
  delimiter: string,
  decimalComma: boolean | undefined,
  index: RowIndex,
): Table {
  const { width, starts, rowEnds, rows, lines, comments, problems, problemCount } = index;
  return {
    file,
    format,
    columns,
    data: new Array(width).fill(undefined),
    lazy: { text, width, starts, rowEnds },
    rowCount: rows,
    lines,
    text,
    delimiter,
    decimalComma,
    comments: comments.count > 0 ? { count: comments.count, lines: comments.lines.slice() } : undefined,
    problems: problems?.slice(),
    problemCount,
  };
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
  comments: { count: number; lines: number[] };
  /** Ragged rows, left out. */
  problems?: Problem[];
  problemCount?: number;
}

/**
 * Adds the data rows of `text` from offset `position` (the start of source line `line + 1`) to the index. A ragged
 * row is left out and recorded in the index's problems.
 */
export function indexUnquotedRows(
  file: string,
  text: string,
  position: number,
  line: number,
  delimiter: string,
  index: RowIndex,
): void {
  const sep = delimiter.charCodeAt(0);
  const length = text.length;
  const { width } = index;
  let { starts, rowEnds, rows } = index;
  const lines = index.lines;
  while (position < length) {
    line++;
    let lineEnd = text.indexOf('\n', position);
    if (lineEnd < 0) lineEnd = length;
    const end = lineEnd > position && text.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd;
    const lineStart = position;
    position = lineEnd + 1;
    if (end === lineStart) continue;
    if (text.charCodeAt(lineStart) === 35 /* # */) {
      noteComment(index.comments, line);
      continue;
    }
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
      addProblem(index, { file, line, column: 1, message: raggedMessage(field + 1, width), severity: 'error' });
      continue;
    }
    rowEnds[rows] = end;
    lines.push(line);
    rows++;
  }
  index.starts = starts;
  index.rowEnds = rowEnds;
  index.rows = rows;
}

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
          throw new InputError(
            { file, line, column: i - position + 2 },
            `the header has more than ${MAX_COLUMNS.toLocaleString('en')} columns: Scaling Lens reads up to ${MAX_COLUMNS.toLocaleString('en')}`,
          );
        }
      }
      return;
    }
    position = end + 1;
  }
}

/** A file named .csv may be separated by ';', tab or '|'; judge by the header line. */
function sniffDelimiter(text: string): string {
  const header =
    text
      .slice(0, 65536)
      .replace(/^\uFEFF/, '')
      .split('\n')
      .find((line) => line.trim() !== '' && !line.startsWith('#')) ?? '';
  const counts = [',', '\t', ';', '|'].map((d) => [d, header.split(d).length - 1] as const);
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
    if (name === '')
      throw new InputError(
        { file, line, column: columnOf(index) },
        `header field ${index + 1} is empty: every column needs a name`,
      );
    const first = seen.get(name);
    if (first !== undefined)
      throw new InputError(
        { file, line, column: columnOf(index) },
        `duplicate column name "${name}" (also column ${first + 1}): column names must be unique`,
      );
    seen.set(name, index);
  });
}

function csvProblem(file: string, text: string, error: unknown): InputError {
  if (error instanceof CsvError) {
    const info = error as CsvError & { lines?: number; record?: string[]; index?: number; column?: string | number };
    const line = info.lines ?? 1;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      return new InputError(
        { file, ...unclosedQuote(text) },
        'a quoted field is never closed: expected a matching " before the end of the file',
      );
    }
    if (error.code === 'CSV_INVALID_CLOSING_QUOTE' || error.code === 'INVALID_OPENING_QUOTE') {
      return new InputError(
        { file, line, column: 1 },
        `malformed quoting: ${error.message.replace(/^Invalid [^:]*: /, '')}`,
      );
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
