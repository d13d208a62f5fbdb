/** Cells read as text: a cell's text as written, and whether a cell matches a filter value. */
import { cellAt, type Table } from './table';

/** The cell's text ('' for an empty cell; a number read by the parser as its decimal text). */
export function textAt(table: Table, row: number, col: number): string {
  const cell = cellAt(table, row, col);
  return cell === null ? '' : String(cell);
}

/** Whether a cell matches a filter value: as numbers when both are numbers (3e9 matches 3000000000), else as text. */
export function cellMatches(table: Table, row: number, col: number, value: string): boolean {
  const cell = cellAt(table, row, col);
  if (typeof cell === 'number') return value.trim() !== '' && Number(value) === cell;
  return textAt(table, row, col) === value;
}
