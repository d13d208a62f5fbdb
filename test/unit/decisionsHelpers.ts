/** Synthetic tables for the decision analyses' known-truth tests: rows of numbers and strings, one column each. */
import type { Cell, Table } from '../../src/core/ingest/table';
import type { DatasetSpec } from '../../src/core/schema/spec';

export function tableOf(rows: Record<string, number | string>[], file = 'synthetic.csv'): Table {
  const columns = Object.keys(rows[0]);
  return {
    file,
    format: 'csv',
    columns,
    data: columns.map((c) =>
      typeof rows[0][c] === 'number' ? Float64Array.from(rows, (r) => r[c] as number) : rows.map((r) => r[c] as Cell),
    ),
    rowCount: rows.length,
    lines: rows.map((_, i) => i + 2),
  };
}

export function specOf(overrides: Partial<DatasetSpec>): DatasetSpec {
  return {
    profile: 'configured',
    metric: 'loss',
    compute: ['compute'],
    filters: [],
    joins: [],
    defaultFrontier: { kind: 'all' },
    notes: [],
    ...overrides,
  };
}

/** Compute values evenly spaced in log10 between lo and hi. */
export function logSweep(n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, (_, i) => 10 ** (lo + ((hi - lo) * i) / (n - 1)));
}
