/**
 * A whitelist interpreter for parsed expressions (never eval or Function): each node becomes a closure over the
 * row index. A row without a usable value is told apart as missing (an empty cell: the row is skipped and counted)
 * or invalid (arithmetic that fails on it, e.g. a division by zero: reported as a problem).
 */
import { formatNumber } from '../format';
import { FUNCTIONS, type Expr } from './syntax';

/** A number per row, NaN when the row has none (an empty cell); a cell that is not a number throws an InputError. */
export interface RowQuantity {
  value(row: number): number;
  /** Why value(row) is NaN, e.g. `the column "flops" is empty`. */
  whyMissing(row: number): string;
}

export type Verdict = { kind: 'missing'; reason: string } | { kind: 'invalid'; reason: string };

export interface CompiledExpr extends RowQuantity {
  /** Why value(row) is not a finite number. */
  explain(row: number): Verdict;
}

export function compileExpr(expr: Expr, resolve: (name: string) => RowQuantity): CompiledExpr {
  const value = build(expr, resolve);
  const explain = (row: number): Verdict =>
    explainAt(expr, resolve, row).verdict ?? { kind: 'invalid', reason: 'not a finite number' };
  return { value, explain, whyMissing: (row) => explain(row).reason };
}

/** A single quantity as a compiled expression (a column named whole). */
export function compileLeaf(quantity: RowQuantity): CompiledExpr {
  return {
    value: (row) => quantity.value(row),
    whyMissing: (row) => quantity.whyMissing(row),
    explain: (row) =>
      Number.isNaN(quantity.value(row))
        ? { kind: 'missing', reason: quantity.whyMissing(row) }
        : { kind: 'invalid', reason: 'not a finite number' },
  };
}

type RowFunction = (row: number) => number;

function build(expr: Expr, resolve: (name: string) => RowQuantity): RowFunction {
  switch (expr.kind) {
    case 'number': {
      const constant = expr.value;
      return () => constant;
    }
    case 'name': {
      const quantity = resolve(expr.name);
      return (row) => quantity.value(row);
    }
    case 'negate': {
      const argument = build(expr.argument, resolve);
      return (row) => -argument(row);
    }
    case 'binary': {
      const left = build(expr.left, resolve);
      const right = build(expr.right, resolve);
      switch (expr.operator) {
        case '+':
          return (row) => left(row) + right(row);
        case '-':
          return (row) => left(row) - right(row);
        case '*':
          return (row) => left(row) * right(row);
        case '/':
          return (row) => left(row) / right(row);
        case '**':
          return (row) => left(row) ** right(row);
      }
      break;
    }
    case 'call': {
      const fn = FUNCTIONS[expr.fn] as (...values: number[]) => number;
      const args = expr.args.map((arg) => build(arg, resolve));
      if (args.length === 1) {
        const [only] = args;
        return (row) => fn(only(row));
      }
      return (row) => fn(...args.map((arg) => arg(row)));
    }
  }
  throw new Error(`unknown expression node ${(expr as { kind: string }).kind}`);
}

/** Evaluates with reasons: the first missing input, or the operation that gave no finite number. */
function explainAt(
  expr: Expr,
  resolve: (name: string) => RowQuantity,
  row: number,
): { value: number; verdict?: Verdict } {
  switch (expr.kind) {
    case 'number':
      return { value: expr.value };
    case 'name': {
      const quantity = resolve(expr.name);
      const value = quantity.value(row);
      return Number.isNaN(value)
        ? { value, verdict: { kind: 'missing', reason: quantity.whyMissing(row) } }
        : { value };
    }
    case 'negate': {
      const inner = explainAt(expr.argument, resolve, row);
      return { value: -inner.value, verdict: inner.verdict };
    }
    case 'binary': {
      const left = explainAt(expr.left, resolve, row);
      if (left.verdict) return left;
      const right = explainAt(expr.right, resolve, row);
      if (right.verdict) return right;
      const a = left.value;
      const b = right.value;
      const computed =
        expr.operator === '+'
          ? a + b
          : expr.operator === '-'
            ? a - b
            : expr.operator === '*'
              ? a * b
              : expr.operator === '/'
                ? a / b
                : a ** b;
      if (Number.isFinite(computed)) return { value: computed };
      const reason =
        expr.operator === '/' && b === 0
          ? `division by zero (${formatNumber(a)} / 0)`
          : `${formatNumber(a)} ${expr.operator} ${formatNumber(b)} is not a finite number`;
      return { value: computed, verdict: { kind: 'invalid', reason } };
    }
    case 'call': {
      const values: number[] = [];
      for (const arg of expr.args) {
        const inner = explainAt(arg, resolve, row);
        if (inner.verdict) return inner;
        values.push(inner.value);
      }
      const value = (FUNCTIONS[expr.fn] as (...v: number[]) => number)(...values);
      if (Number.isFinite(value)) return { value };
      const x = values[0];
      const reason =
        (expr.fn === 'log' || expr.fn === 'log10') && x <= 0
          ? `${expr.fn} of ${formatNumber(x)} (needs a positive number)`
          : expr.fn === 'sqrt' && x < 0
            ? `sqrt of ${formatNumber(x)} (needs a number ≥ 0)`
            : `${expr.fn}(${values.map((v) => formatNumber(v)).join(', ')}) is not a finite number`;
      return { value, verdict: { kind: 'invalid', reason } };
    }
  }
}
