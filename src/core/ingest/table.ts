/** A parsed results file: header, cells and each row's source line, whatever the file format was. */
export type Cell = string | number | boolean | null;

export type TableFormat = 'csv' | 'tsv' | 'jsonl' | 'json';

export interface Table {
  file: string;
  format: TableFormat;
  columns: string[];
  rows: Cell[][];
  /** 1-based source line where each row starts. */
  lines: number[];
  /** Source text, kept to locate a cell's column when reporting a problem. */
  text?: string;
  delimiter?: string;
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
