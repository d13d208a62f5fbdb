/** A parsed results file: header, cells and each row's source line, whatever the file format was. */
import type { Problem } from '../errors';

/** The widest table read: a wider header is refused before it is split (a 5-million-column line took 15 s and 900 MB). */
export const MAX_COLUMNS = 10_000;

export type Cell = string | number | boolean | null;

export type TableFormat = 'csv' | 'tsv' | 'jsonl' | 'json';

/**
 * Column storage: a column whose every cell is a plain decimal number (or empty) is a Float64Array with NaN for
 * empty cells; any other column keeps its cells as written. Million-row files then cost 8 bytes a numeric cell.
 */
export type Column = Float64Array | Cell[];

/** Unquoted delimited text, not yet split: each cell's start offset; cells are read when their column is first used. */
export interface LazyCells {
  text: string;
  width: number;
  /** starts[row * width + col]: offset of the cell's first character. */
  starts: Int32Array;
  /** Offset just past each row's last cell (before CR/LF). */
  rowEnds: Int32Array;
}

export interface Table {
  file: string;
  format: TableFormat;
  columns: string[];
  /** Columns; an entry is undefined until first use when `lazy` holds the cells. */
  data: (Column | undefined)[];
  lazy?: LazyCells;
  rowCount: number;
  /** 1-based source line where each row starts. */
  lines: number[];
  /** Source text, kept to locate a cell's column when reporting a problem. */
  text?: string;
  delimiter?: string;
  /** Rows left out while reading (ragged rows, invalid JSON lines), the first MAX_PROBLEMS of them. */
  problems?: Problem[];
  /** How many rows were left out while reading (problems holds at most MAX_PROBLEMS). */
  problemCount?: number;
  /** Lines starting with '#' that were skipped as comments: how many, and the first few. */
  comments?: { count: number; lines: number[] };
  /** A ';'-separated file whose numbers are written with a decimal comma (3,1 = 3.1). */
  decimalComma?: boolean;
  /** How the bytes were decoded, when that was a guess worth a note. */
  encodingNote?: string;
  /** A table read from a folder of files (one result per file): each row's file. */
  rowFiles?: string[];
}

/** Row problems kept per table and per analysis; the rest are counted. */
export const MAX_PROBLEMS = 100;

/** Comment lines remembered by number (the rest are counted). */
export const MAX_NOTED_LINES = 5;

/** The file a row came from (its own file when the table was read from a folder). */
export function rowFile(table: Table, row: number): string {
  return table.rowFiles?.[row] ?? table.file;
}

/** Where a cell is, for a message about it. */
export function cellLocation(table: Table, row: number, col?: number): { file: string; line: number; column: number } {
  return {
    file: rowFile(table, row),
    line: table.lines[row],
    column: col === undefined ? 1 : cellColumn(table, row, col),
  };
}

/** Records a row left out while reading, keeping the first MAX_PROBLEMS. */
export function addProblem(holder: { problems?: Problem[]; problemCount?: number }, problem: Problem): void {
  holder.problemCount = (holder.problemCount ?? 0) + 1;
  if ((holder.problems ??= []).length < MAX_PROBLEMS) holder.problems.push(problem);
}

/** A column's cells, read from the source text on first use. */
export function columnData(table: Table, col: number): Column {
  const existing = table.data[col];
  if (existing) return existing;
  const lazy = table.lazy!;
  const builder = new ColumnBuilder(table.decimalComma);
  const cellText = (row: number) => lazyCellText(lazy, row, col);
  for (let row = 0; row < table.rowCount; row++) builder.pushString(cellText(row), cellText);
  const column = builder.finish();
  table.data[col] = column;
  return column;
}

function lazyCellText(lazy: LazyCells, row: number, col: number): string {
  const { text, width, starts, rowEnds } = lazy;
  const start = starts[row * width + col];
  const end = col + 1 < width ? starts[row * width + col + 1] - 1 : rowEnds[row];
  return text.slice(start, end);
}

/**
 * A column already read from a lazy table, extended by the rows from `from` on (rows appended to the file).
 * Undefined when a numeric column meets text: it is then read again whole on first use. Rows are written into
 * spare capacity behind the column (grown by half when full), so a file growing by a row does not copy its columns;
 * an earlier view of the column keeps its own length and values.
 */
export function extendLazyColumn(table: Table, col: number, column: Column, from: number): Column | undefined {
  const lazy = table.lazy!;
  if (column instanceof Float64Array) {
    const rows = table.rowCount;
    let out: Float64Array;
    if (column.byteOffset === 0 && column.buffer.byteLength >= rows * 8) out = new Float64Array(column.buffer, 0, rows);
    else {
      out = new Float64Array(new ArrayBuffer(Math.ceil(rows * 1.5) * 8), 0, rows);
      out.set(column.subarray(0, from));
    }
    for (let row = from; row < rows; row++) {
      const text = lazyCellText(lazy, row, col);
      if (text.length === 0) out[row] = NaN;
      else if (looksNumeric(text)) out[row] = +text;
      else if (table.decimalComma && isDecimalCommaNumber(text)) out[row] = decimalCommaValue(text);
      else return undefined;
    }
    return out;
  }
  // Text cells are pushed in place: earlier tables that share the array read only their own rows.
  column.length = from;
  for (let row = from; row < table.rowCount; row++) column.push(lazyCellText(lazy, row, col));
  return column;
}

/** Two row ranges of a column, one after the other (rows appended to a JSON-lines file); null fills a missing side. */
export function concatColumns(
  head: Column | undefined,
  headRows: number,
  tail: Column | undefined,
  tailRows: number,
): Column {
  const headNumeric = head === undefined || head instanceof Float64Array;
  const tailNumeric = tail === undefined || tail instanceof Float64Array;
  if (headNumeric && tailNumeric) {
    const out = new Float64Array(headRows + tailRows).fill(NaN);
    if (head) out.set(head.subarray(0, headRows));
    if (tail) out.set(tail.subarray(0, tailRows), headRows);
    return out;
  }
  const cells = (column: Column | undefined, rows: number): Cell[] =>
    column === undefined
      ? new Array<Cell>(rows).fill(null)
      : column instanceof Float64Array
        ? Array.from(column.subarray(0, rows), (v) => (Number.isNaN(v) ? null : v))
        : column.slice(0, rows);
  return [...cells(head, headRows), ...cells(tail, tailRows)];
}

export function cellAt(table: Table, row: number, col: number): Cell {
  const column = columnData(table, col);
  if (column instanceof Float64Array) {
    const value = column[row];
    return Number.isNaN(value) ? null : value;
  }
  return column[row] ?? null;
}

/**
 * Whether a string is a plain decimal number as results files write them (no hex, no Infinity, no spaces), fast for
 * the hot path: unary + accepts exactly plain decimals except surrounding white space, hex/octal/binary prefixes and
 * Infinity, which are ruled out by looking at three characters.
 */
function looksNumeric(text: string): boolean {
  const value = +text;
  if (!(value - value === 0)) return false; // NaN or ±Infinity
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  if (first <= 32 || last <= 32) return false;
  const second = text.length > 1 ? text.charCodeAt(1) | 32 : 0;
  return second !== 120 && second !== 111 && second !== 98; // x, o, b
}

/** A number written with a decimal comma, as in a ';'-separated file from a European locale: `3,1`, `-0,25`, `1,5e-3`. */
export function isDecimalCommaNumber(text: string): boolean {
  return /^[+-]?\d*,\d+(?:[eE][+-]?\d+)?$/.test(text);
}

export function decimalCommaValue(text: string): number {
  return Number(text.replace(',', '.'));
}

/** Builds one column cell by cell: numeric while every cell is, text (interned) from the first cell that is not. */
export class ColumnBuilder {
  private numbers: Float64Array = new Float64Array(1024);
  private cells: Cell[] | undefined;
  private readonly interned = new Map<string, string>();
  length = 0;

  /** `decimalComma`: cells such as `3,1` are numbers (a ';'-separated file). */
  constructor(private readonly decimalComma = false) {}

  /** `recover(i)` gives back cell i as written, when the column must turn to text. */
  push(cell: Cell, recover: (row: number) => Cell): void {
    if (this.cells === undefined) {
      let value: number | undefined;
      if (cell === null || cell === '') value = NaN;
      else if (typeof cell === 'number' && Number.isFinite(cell)) value = cell;
      else if (typeof cell === 'string' && looksNumeric(cell)) value = +cell;
      else if (typeof cell === 'string' && this.decimalComma && isDecimalCommaNumber(cell))
        value = decimalCommaValue(cell);
      if (value !== undefined) return this.appendNumber(value);
      this.cells = Array.from({ length: this.length }, (_, row) => this.intern(recover(row)));
    }
    this.cells.push(this.intern(cell));
    this.length++;
  }

  /** The CSV hot path: a cell as written, without the union-typed checks of push. */
  pushString(text: string, recover: (row: number) => Cell): void {
    if (this.cells === undefined) {
      if (text.length === 0) return this.appendNumber(NaN);
      if (looksNumeric(text)) return this.appendNumber(+text);
      if (this.decimalComma && isDecimalCommaNumber(text)) return this.appendNumber(decimalCommaValue(text));
      this.cells = Array.from({ length: this.length }, (_, row) => this.intern(recover(row)));
    }
    this.cells.push(this.intern(text));
    this.length++;
  }

  private appendNumber(value: number): void {
    if (this.length === this.numbers.length) {
      const grown = new Float64Array(this.numbers.length * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    this.numbers[this.length++] = value;
  }

  private intern(cell: Cell): Cell {
    if (typeof cell !== 'string' || cell.length > 64) return cell;
    const known = this.interned.get(cell);
    if (known !== undefined) return known;
    if (this.interned.size < 100_000) this.interned.set(cell, cell);
    return cell;
  }

  finish(): Column {
    return this.cells ?? this.numbers.slice(0, this.length);
  }
}

/** Columns from rows of cells (the JSON and quoted-CSV paths). */
export function columnsFromRows(rows: Cell[][], width: number, decimalComma = false): Column[] {
  return Array.from({ length: width }, (_, col) => {
    const builder = new ColumnBuilder(decimalComma);
    for (const row of rows) builder.push(row[col] ?? null, (r) => rows[r][col] ?? null);
    return builder.finish();
  });
}

/** Adds a derived column (e.g. samples seen parsed from a pretrained tag). */
export function addColumn(table: Table, name: string, column: Column): void {
  table.columns.push(name);
  table.data.push(column);
}

export function columnIndex(table: Table, name: string): number {
  return table.columns.indexOf(name);
}

/** 1-based character column where cell `col` of row `row` starts in its source line (1 when unknown). */
export function cellColumn(table: Table, row: number, col: number): number {
  if (!table.text || !table.delimiter) return 1;
  const lineText = sourceLine(table.text, table.lines[row]);
  let field = 0;
  let quoted = false;
  for (let i = 0; i < lineText.length; i++) {
    if (field === col) return i + 1;
    const ch = lineText[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === table.delimiter) field++;
  }
  return field === col ? lineText.length + 1 : 1;
}

/** The text of a 1-based line. */
export function sourceLine(text: string, line: number): string {
  let start = 0;
  for (let current = 1; current < line; current++) {
    const next = text.indexOf('\n', start);
    if (next < 0) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

/** 1-based line and column of a character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** What reading the file decided that the user should know: its encoding, decimal commas, comment lines. */
export function describeTable(table: Table): string[] {
  const notes: string[] = [];
  if (table.encodingNote) notes.push(table.encodingNote);
  if (table.decimalComma) notes.push('numbers with a decimal comma (3,1 = 3.1), as this file is separated by ";"');
  const comments = table.comments;
  if (comments && comments.count > 0) {
    const lines = `${comments.lines.join(', ')}${comments.count > comments.lines.length ? ', …' : ''}`;
    notes.push(
      `${comments.count} line${comments.count === 1 ? '' : 's'} starting with # skipped as comment${comments.count === 1 ? '' : 's'} (line${comments.lines.length === 1 ? '' : 's'} ${lines})`,
    );
  }
  return notes;
}
