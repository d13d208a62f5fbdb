/**
 * What a name or an expression means on each row of a table: a column, a joined column (`<join>:<column>`), the
 * architecture table (`arch:params`, `arch:computePerSample`), a derived column of scaling-lens.json, or an
 * expression over those. Unknown names are errors at their character, listing the columns.
 */
import { InputError, UsageError } from './errors';
import { compileExpr, compileLeaf, type CompiledExpr, type RowQuantity } from './expr/compile';
import { expressionError, type ExpressionOrigin } from './expr/origin';
import { ExpressionSyntaxError, namesIn, parseExpression } from './expr/syntax';
import { numberAt } from './ingest/numeric';
import { textAt } from './ingest/cellText';
import { cellAt, columnData, columnIndex, type Cell, type Table } from './ingest/table';
import { findArchitecture, type Architecture } from './schema/architectures';
import type { DatasetSpec, Join } from './schema/spec';

/** Reads a cell of some table for a row of the results table (the row itself, or its joined row). */
interface CellRef {
  table: Table;
  col: number;
  /** The row of `table` for a results row, or -1 when a join finds none. */
  row(row: number): number;
  whyNoRow(row: number): string;
}

export class RowValues {
  private readonly joinIndex = new Map<string, (row: number) => number>();
  private readonly compiling = new Set<string>();

  constructor(
    readonly table: Table,
    readonly spec: DatasetSpec,
  ) {}

  /** A quantity named by a column, a reference or an expression; `what` says what it is for in messages. */
  quantity(text: string, origin: ExpressionOrigin, what: string): CompiledExpr {
    const direct = this.leaf(text, what);
    if (direct) {
      this.requireNumbers(text, origin, text, 1);
      return compileLeaf(direct);
    }
    let expr;
    try {
      expr = parseExpression(text);
    } catch (error) {
      if (error instanceof ExpressionSyntaxError) throw expressionError(origin, text, error.column, error.detail);
      throw error;
    }
    for (const name of namesIn(expr)) {
      if (!this.leaf(name.name, what)) throw expressionError(origin, text, name.start + 1, this.unknownName(name.name));
      this.requireNumbers(name.name, origin, text, name.start + 1);
    }
    return compileExpr(expr, (name) => this.leaf(name, what)!);
  }

  /** Whether a name is a column, a reference or a derived column (not an expression). */
  knows(name: string): boolean {
    return this.cellRef(name) !== undefined || name in (this.spec.derived ?? {}) || this.archField(name) !== undefined;
  }

  /** Text of a column or joined column per row; undefined when the name is neither. */
  text(name: string): ((row: number) => string) | undefined {
    const ref = this.cellRef(name);
    if (!ref) return undefined;
    return (row) => {
      const target = ref.row(row);
      return target < 0 ? '' : textAt(ref.table, target, ref.col);
    };
  }

  /** The cell of a column or joined column per row (a number when the column is numeric). */
  cell(name: string): ((row: number) => Cell) | undefined {
    const ref = this.cellRef(name);
    if (!ref) return undefined;
    return (row) => {
      const target = ref.row(row);
      return target < 0 ? null : cellAt(ref.table, target, ref.col);
    };
  }

  /** A column holding text only (no cell reads as a number): comparing it with < is a mistake worth saying. */
  textOnly(name: string): { example: string; line: number } | undefined {
    const ref = this.cellRef(name);
    if (!ref || columnData(ref.table, ref.col) instanceof Float64Array) return undefined;
    let example: { example: string; line: number } | undefined;
    for (let row = 0; row < ref.table.rowCount; row++) {
      const cell = cellAt(ref.table, row, ref.col);
      if (cell === null || cell === '') continue;
      if (typeof cell === 'number' || /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?%?\s*$/.test(String(cell)))
        return undefined;
      example ??= { example: String(cell), line: ref.table.lines[row] };
    }
    return example;
  }

  /** A column of text only cannot be a number: said at once, not as a problem on every row. */
  private requireNumbers(name: string, origin: ExpressionOrigin, text: string, column: number): void {
    const textual = this.textOnly(name);
    if (textual)
      throw expressionError(
        origin,
        text,
        column,
        `column "${name}" holds text (e.g. ${JSON.stringify(textual.example)} on line ${textual.line}), not numbers`,
      );
  }

  unknownName(name: string): string {
    const columns = this.names();
    const close = closestName(name, columns);
    const shown =
      columns
        .slice(0, 24)
        .map((c) => JSON.stringify(c))
        .join(', ') + (columns.length > 24 ? `, … (${columns.length} in all)` : '');
    return `no column "${name}"${close ? ` (did you mean "${close}"?)` : ''}: the columns are ${shown}`;
  }

  names(): string[] {
    const names = [...this.table.columns, ...Object.keys(this.spec.derived ?? {})];
    if (this.spec.architectures && this.spec.arch) names.push('arch:params', 'arch:computePerSample');
    for (const join of this.spec.joins) names.push(...join.table.columns.map((c) => `${join.as}:${c}`));
    return names;
  }

  private leaf(name: string, what: string): RowQuantity | undefined {
    const ref = this.cellRef(name);
    if (ref) return this.numericCell(ref, name, what);
    const derived = this.spec.derived?.[name];
    if (derived !== undefined) return this.derivedQuantity(name, derived);
    const field = this.archField(name);
    if (field) return this.archQuantity(field);
    return undefined;
  }

  private numericCell(ref: CellRef, name: string, what: string): RowQuantity {
    const reason = this.spec.missingReasons?.[name];
    const column = ref.table === this.table ? columnData(ref.table, ref.col) : undefined;
    if (column instanceof Float64Array) {
      return { value: (row) => column[row], whyMissing: reason ?? (() => `no value in "${name}"`) };
    }
    return {
      value: (row) => {
        const target = ref.row(row);
        if (target < 0) return NaN;
        return numberAt(ref.table, target, ref.col, what) ?? NaN;
      },
      whyMissing: (row) => (ref.row(row) < 0 ? ref.whyNoRow(row) : reason ? reason(row) : `no value in "${name}"`),
    };
  }

  private derivedQuantity(name: string, text: string): RowQuantity {
    if (this.compiling.has(name))
      throw new UsageError(`derived column "${name}" refers to itself (through ${[...this.compiling].join(' → ')})`);
    this.compiling.add(name);
    try {
      const origin = this.spec.origins?.derived?.[name] ?? { label: `derived "${name}"` };
      return this.quantity(text, origin, `a value of ${name}`);
    } finally {
      this.compiling.delete(name);
    }
  }

  private archField(name: string): 'params' | 'computePerSample' | undefined {
    if (!name.startsWith('arch:') || !this.spec.architectures || !this.spec.arch) return undefined;
    const field = name.slice(5);
    return field === 'params'
      ? 'params'
      : field === 'computePerSample' || field === 'gmacs'
        ? 'computePerSample'
        : undefined;
  }

  private archQuantity(field: 'params' | 'computePerSample'): RowQuantity {
    const architectures = this.spec.architectures!;
    const names = this.text(this.spec.arch!);
    if (!names) throw new UsageError(`architecture column "${this.spec.arch}": ${this.unknownName(this.spec.arch!)}`);
    const cache = new Map<string, Architecture | undefined>();
    const lookup = (row: number) => {
      const name = names(row);
      if (!cache.has(name)) cache.set(name, findArchitecture(architectures, name));
      return cache.get(name);
    };
    return {
      value: (row) => lookup(row)?.[field] ?? NaN,
      whyMissing: (row) =>
        names(row) === ''
          ? `no value in "${this.spec.arch}"`
          : `architecture "${names(row)}" is not in the architecture table`,
    };
  }

  /** A column of the table, or `<join>:<column>` of a joined table. */
  private cellRef(name: string): CellRef | undefined {
    const col = columnIndex(this.table, name);
    if (col >= 0) return { table: this.table, col, row: (row) => row, whyNoRow: () => '' };
    const colon = name.indexOf(':');
    if (colon <= 0) return undefined;
    const join = this.spec.joins.find((j) => j.as === name.slice(0, colon));
    if (!join) return undefined;
    const joinedCol = columnIndex(join.table, name.slice(colon + 1));
    if (joinedCol < 0) return undefined;
    const lookup = this.joinLookup(join);
    const keys = this.text(join.column)!;
    return {
      table: join.table,
      col: joinedCol,
      row: lookup,
      whyNoRow: (row) => `"${keys(row)}" has no row in ${join.table.file} (joined on ${join.key})`,
    };
  }

  private joinLookup(join: Join): (row: number) => number {
    const known = this.joinIndex.get(join.as);
    if (known) return known;
    const keyCol = columnIndex(this.table, join.column);
    if (keyCol < 0) throw new UsageError(`join on ${join.column}: ${this.table.file} has no column "${join.column}"`);
    const targetKey = columnIndex(join.table, join.key);
    if (targetKey < 0)
      throw new InputError(
        { file: join.table.file, line: 1, column: 1 },
        `join key "${join.key}" is not a column of this table (columns: ${join.table.columns.join(', ')})`,
      );
    const index = new Map<string, number>();
    for (let r = 0; r < join.table.rowCount; r++) index.set(textAt(join.table, r, targetKey), r);
    const lookup = (row: number) => index.get(textAt(this.table, row, keyCol)) ?? -1;
    this.joinIndex.set(join.as, lookup);
    return lookup;
  }
}

/** A column the user probably meant: the same but for case and punctuation, or one or two letters away. */
function closestName(name: string, columns: string[]): string | undefined {
  const folded = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const same = columns.find((c) => folded(c) === folded(name));
  if (same || name.length < 4) return same;
  let best: { column: string; distance: number } | undefined;
  for (const column of columns.slice(0, 5000)) {
    const distance = editDistance(name.toLowerCase(), column.toLowerCase(), 2);
    if (distance <= 2 && (!best || distance < best.distance)) best = { column, distance };
  }
  return best?.column;
}

/** Levenshtein distance, or limit + 1 once it is certain to exceed the limit. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      rowMin = Math.min(rowMin, current[j]);
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}
