/** Numeric views of table columns, with a located error for every cell that is not a usable number. */
import { InputError } from '../errors';
import {
  cellAt,
  cellLocation,
  columnData,
  decimalCommaValue,
  isDecimalCommaNumber,
  type Cell,
  type Table,
} from './table';

/** Number in a cell, null when the cell is empty; anything else that is not a finite number is an error. */
export function numberAt(table: Table, row: number, col: number, what: string): number | null {
  const column = columnData(table, col);
  if (column instanceof Float64Array) {
    const value = column[row];
    return value === value ? value : null;
  }
  const cell: Cell = column[row] ?? null;
  if (cell === null || cell === '') return null;
  const value =
    typeof cell === 'number'
      ? cell
      : typeof cell === 'string'
        ? table.decimalComma && isDecimalCommaNumber(cell.trim())
          ? decimalCommaValue(cell.trim())
          : parseNumber(cell)
        : NaN;
  if (!Number.isFinite(value)) {
    const shown =
      typeof cell === 'string' ? JSON.stringify(cell.length > 40 ? cell.slice(0, 40) + '…' : cell) : String(cell);
    throw new InputError(
      cellLocation(table, row, col),
      `${shown} in column "${table.columns[col]}" is not a finite number: expected ${what}`,
    );
  }
  return value;
}

function parseNumber(text: string): number {
  const trimmed = text.trim();
  if (trimmed === '') return NaN;
  // Number() accepts '0x10' and 'Infinity'; results files hold decimal numbers, possibly with a trailing %.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?%?$/.test(trimmed)) return NaN;
  return trimmed.endsWith('%') ? Number(trimmed.slice(0, -1)) : Number(trimmed);
}

/** Whether a cell was written with a `%` suffix (`85.1%`): numberAt reads it as 85.1, the metric scale as percent. */
export function hasPercentSuffix(table: Table, row: number, col: number): boolean {
  const cell = cellAt(table, row, col);
  return typeof cell === 'string' && cell.trimEnd().endsWith('%');
}
