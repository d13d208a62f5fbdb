/**
 * Re-parses a results file that grew by appended rows (a training job logging as it goes) by reading only the new
 * rows: the rows already read, and the columns already converted, are kept from the previous parse. Any other
 * change (an edit, a truncation, quotes in a CSV, a .json array) parses the whole file again. The table returned is
 * always equal to a full parse of the same text (test/unit/appendingParser.test.ts checks that).
 */
import { readJsonLines } from './json';
import {
  completeLines,
  formatOf,
  hasDecimalCommas,
  indexUnquotedRows,
  normalizeLineBreaks,
  parseTable,
  tableFromIndex,
  type ParseOptions,
  type RowIndex,
} from './parse';
import { addProblem, concatColumns, extendLazyColumn, type Table } from './table';

const MAX_FILES = 8;

interface Parsed {
  /** The complete lines parsed (the text without a partial last line). */
  text: string;
  /** Newlines in `text`: the source line the next appended row starts after. */
  lineCount: number;
  table: Table;
  /** Row index of an unquoted CSV/TSV table, grown in place. */
  index?: RowIndex;
  /** The copy handed out last: columns it read are kept for the next parse. */
  lastCopy?: Table;
  options: ParseOptions;
}

export class AppendingParser {
  private readonly files = new Map<string, Parsed>();

  /** How the last parse of each file went, for the benchmark and the log. */
  lastKind: 'full' | 'appended' | 'unchanged' = 'full';

  readonly parse = (file: string, fullText: string, options: ParseOptions): Table => {
    const text = completeLines(normalizeLineBreaks(fullText), options, formatOf(file));
    const previous = this.files.get(file);
    if (
      previous &&
      sameOptions(previous.options, options) &&
      text.length >= previous.text.length &&
      text.startsWith(previous.text)
    ) {
      keepReadColumns(previous);
      const appended = text.length === previous.text.length ? previous : this.append(previous, text);
      if (appended) {
        this.lastKind = appended === previous ? 'unchanged' : 'appended';
        return this.handOut(this.remember(file, appended));
      }
    }
    this.lastKind = 'full';
    this.files.delete(file);
    const table = parseTable(file, fullText, options);
    const parsed: Parsed = { text, lineCount: countNewlines(text, 0), table, options };
    if (table.lazy) {
      const comments = { count: table.comments?.count ?? 0, lines: table.comments?.lines.slice() ?? [] };
      parsed.index = {
        width: table.lazy.width,
        starts: table.lazy.starts,
        rowEnds: table.lazy.rowEnds,
        lines: table.lines,
        rows: table.rowCount,
        comments,
        problems: table.problems?.slice(),
        problemCount: table.problemCount,
      };
    }
    return this.handOut(this.remember(file, parsed));
  };

  /** Keeps the most recently parsed files only (each holds its text). */
  private remember(file: string, parsed: Parsed): Parsed {
    this.files.delete(file);
    this.files.set(file, parsed);
    while (this.files.size > MAX_FILES) this.files.delete(this.files.keys().next().value!);
    return parsed;
  }

  forget(file: string): void {
    this.files.delete(file);
  }

  /** The parse of `text` from the previous one, or undefined when only a full parse will do. */
  private append(previous: Parsed, text: string): Parsed | undefined {
    const from = previous.text.length;
    const tail = text.slice(from);
    const lineCount = previous.lineCount + countNewlines(tail, 0);
    const old = previous.table;
    if (previous.index && old.lazy && old.delimiter && !tail.includes('"')) {
      // Numbers with a decimal comma first seen in the appended rows change how every column reads: parse it all.
      if (old.delimiter === ';' && !old.decimalComma && from < 65536 && hasDecimalCommas(text, ';')) return undefined;
      const index = previous.index;
      indexUnquotedRows(old.file, text, from, previous.lineCount, old.delimiter, index);
      const table: Table = {
        ...tableFromIndex(old.file, old.format, old.columns, text, old.delimiter, old.decimalComma, index),
        data: old.data.slice(),
      };
      table.data = table.data.map((column, col) =>
        column === undefined ? undefined : extendLazyColumn(table, col, column, old.rowCount),
      );
      return { ...previous, text, lineCount, table, lastCopy: undefined };
    }
    if (old.format === 'jsonl') {
      if (tail.trim() === '') return { ...previous, text, lineCount };
      const added = readJsonLines(old.file, tail, previous.lineCount);
      const columns = [...old.columns, ...added.columns.filter((name) => !old.columns.includes(name))];
      const data = columns.map((name) =>
        concatColumns(
          old.data[old.columns.indexOf(name)],
          old.rowCount,
          added.data[added.columns.indexOf(name)],
          added.rowCount,
        ),
      );
      const table: Table = {
        ...old,
        text,
        columns,
        data,
        rowCount: old.rowCount + added.rowCount,
        lines: [...old.lines, ...added.lines],
        problems: old.problems?.slice(),
        problemCount: old.problemCount,
      };
      for (const problem of added.problems ?? []) addProblem(table, problem);
      table.problemCount = (old.problemCount ?? 0) + (added.problemCount ?? 0);
      return { ...previous, text, lineCount, table, lastCopy: undefined };
    }
    return undefined;
  }

  /** A copy the caller may extend (derived columns are added to it, not to the cached table). */
  private handOut(parsed: Parsed): Table {
    const table = parsed.table;
    const copy: Table = {
      ...table,
      columns: table.columns.slice(),
      data: table.data.slice(),
      lines: table.lines.slice(0, table.rowCount),
    };
    parsed.lastCopy = copy;
    return copy;
  }
}

/** Columns the last caller read from the lazy text are kept, so the next parse extends them instead of re-reading. */
function keepReadColumns(parsed: Parsed): void {
  const copy = parsed.lastCopy;
  if (!copy) return;
  const width = parsed.table.columns.length;
  for (let col = 0; col < width; col++)
    if (parsed.table.data[col] === undefined && copy.data[col] !== undefined) parsed.table.data[col] = copy.data[col];
  parsed.lastCopy = undefined;
}

function sameOptions(a: ParseOptions, b: ParseOptions): boolean {
  return Boolean(a.ignorePartialLastLine) === Boolean(b.ignorePartialLastLine);
}

function countNewlines(text: string, from: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  return count;
}
