/**
 * Row filters as written on the command line and in scaling-lens.json: `COL=V`, `COL!=V`, `COL<V`, `COL<=V`,
 * `COL>V`, `COL>=V`, `COL=A|B|C` (any of). The left side is a column name (in backticks when it holds an operator
 * character) or an expression (`` `Training FLOP`>1e19 ``).
 */
import type { ExpressionOrigin } from './origin';
import { ExpressionSyntaxError } from './syntax';

export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface Filter {
  /** A column name, or an expression for the numeric comparisons. */
  column: string;
  /** '=' when absent. */
  op?: FilterOp;
  /** The value compared with; `A|B|C` for = and != means any of them. */
  value: string;
  /** Where it was written, when in a file (scaling-lens.json). */
  origin?: ExpressionOrigin;
}

/** Parses `LEFT op VALUE`; the operator is the first one outside backticks. */
export function parseFilter(text: string): Filter {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '`') quoted = !quoted;
    if (quoted || !'=!<>'.includes(ch)) continue;
    const next = text[i + 1];
    let op: FilterOp;
    let length = 1;
    if (ch === '!') {
      if (next !== '=') continue;
      op = '!=';
      length = 2;
    } else if (ch === '=') {
      op = '=';
      if (next === '=') length = 2;
    } else {
      op = next === '=' ? (`${ch}=` as FilterOp) : (ch as FilterOp);
      length = next === '=' ? 2 : 1;
    }
    const left = text.slice(0, i).trim();
    if (left === '') throw new ExpressionSyntaxError(1, `expected a column name before ${op}`);
    const value = text.slice(i + length).trim();
    if (value === '' && op !== '=' && op !== '!=')
      throw new ExpressionSyntaxError(i + length + 1, `expected a number after ${op}`);
    return { column: /^`[^`]+`$/.test(left) ? left.slice(1, -1) : left, op, value };
  }
  throw new ExpressionSyntaxError(text.length + 1, 'expected COLUMN=VALUE (or !=, <, <=, >, >=)');
}

/** A filter as plain data (for JSON summaries). */
export function filterData(filter: Filter): { column: string; op: FilterOp; value: string } {
  return { column: filter.column, op: filter.op ?? '=', value: filter.value };
}

export function formatFilter(filter: Filter): string {
  return `${filter.column}${filter.op ?? '='}${filter.value}`;
}

/** The values a filter accepts: `A|B|C` for = and != (any of them), else the one value. */
export function filterChoices(filter: Filter): string[] {
  const op = filter.op ?? '=';
  return op === '=' || op === '!=' ? filter.value.split('|') : [filter.value];
}
