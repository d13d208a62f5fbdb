/** Turns a table and a resolved spec into runs: one (compute, error, params?, samples?, group) per usable row. */
import { InputError, UsageError } from './errors';
import { cellMatches, hasPercentSuffix, numberAt, textAt } from './ingest/numeric';
import { cellColumn, columnIndex, type Table } from './ingest/table';
import { decideScale, toError, type MetricScale, type ScaleDecision } from './schema/metric';
import type { DatasetSpec, Join } from './schema/spec';

export interface Run {
  /** Row index in the table and its source line. */
  row: number;
  line: number;
  compute: number;
  error: number;
  /** The metric as written in the file (for hovers and tables). */
  measured: number;
  params?: number;
  samples?: number;
  unique?: number;
  group: string | null;
  arch?: string;
  label: string;
}

export interface RunSet {
  runs: Run[];
  scale: MetricScale;
  /** How the metric column was read, when worth saying (a `%` suffix, a guessed direction…). */
  scaleNotes: ScaleDecision['notes'];
  /** Rows left out because their metric cell is empty (e.g. retrieval columns on classification rows). */
  skipped: number;
  /** Rows left out because a join marked skipUnmatched found no row for them, per joined file. */
  unmatched: { file: string; rows: number }[];
}

/** A column reference: a header name, a number, `arch:params` / `arch:computePerSample`, or `<join>:<column>`. */
type Getter = (row: number) => number | null;

export interface ExtractOptions {
  /** A metric whose name does not say its direction is guessed (the extension, which then asks) instead of refused. */
  guessDirection?: boolean;
}

export function extractRuns(table: Table, spec: DatasetSpec, options: ExtractOptions = {}): RunSet {
  const metricCol = requireColumn(table, spec.metric, '--metric');
  const filters = spec.filters.map((f) => ({ col: requireColumn(table, f.column, `--filter ${f.column}=${f.value}`), value: f.value }));
  const computeGetters = spec.compute.map((ref) => numericGetter(table, spec, ref, 'compute'));
  const paramsGetter = spec.params ? numericGetter(table, spec, spec.params, 'parameter count', spec.paramsScale) : undefined;
  const samplesGetter = spec.samples ? numericGetter(table, spec, spec.samples, 'samples seen') : undefined;
  const uniqueGetter = spec.unique ? numericGetter(table, spec, spec.unique, 'unique samples') : undefined;
  const groupGetter = spec.group ? textGetter(table, spec, spec.group.column, '--group') : undefined;
  const archGetter = spec.arch ? textGetter(table, spec, spec.arch, 'architecture column') : undefined;
  const labelCol = spec.label ? columnIndex(table, spec.label) : -1;
  const pools = (spec.group?.pools ?? []).map((p) => ({ name: p.name, pattern: new RegExp(p.pattern) }));

  const selected: number[] = [];
  const measured: number[] = [];
  let skipped = 0;
  const optionalJoins = spec.joins.filter((j) => j.skipUnmatched).map((join) => ({ join, keys: joinKeys(join), col: requireColumn(table, join.column, `join on ${join.column}`), rows: 0 }));
  for (let row = 0; row < table.rowCount; row++) {
    if (!filters.every((f) => cellMatches(table, row, f.col, f.value))) continue;
    const missing = optionalJoins.find((j) => !j.keys.has(textAt(table, row, j.col)));
    if (missing) {
      missing.rows++;
      continue;
    }
    const value = numberAt(table, row, metricCol, `a value of the metric "${spec.metric}"`);
    if (value === null) {
      skipped++;
      continue;
    }
    selected.push(row);
    measured.push(value);
  }
  if (selected.length === 0) {
    const filterText = spec.filters.map((f) => `${f.column}=${f.value}`).join(', ');
    throw new InputError({ file: table.file, line: 1, column: 1 }, `no rows with a value in "${spec.metric}"${filterText ? ` where ${filterText}` : ''}`);
  }
  const { scale, notes: scaleNotes } = decideScale(spec.metric, measured, {
    file: table.file,
    direction: spec.direction,
    guessDirection: options.guessDirection,
    percentCell: (k) => hasPercentSuffix(table, selected[k], metricCol),
    locate: (k) => ({ line: table.lines[selected[k]], column: cellColumn(table, selected[k], metricCol) }),
  });

  const runs: Run[] = selected.map((row, k) => {
    const line = table.lines[row];
    const error = toError(measured[k], scale);
    if (!(error > 0)) {
      throw new InputError({ file: table.file, line, column: cellColumn(table, row, metricCol) }, `${spec.metric} = ${measured[k]} gives error ${formatPlain(error)}: a power law needs an error above 0 (${scale.kind === 'accuracy' ? 'a score below its maximum' : scale.kind === 'error' ? 'a positive error rate' : 'a positive loss'})`);
    }
    let compute = 1;
    for (const get of computeGetters) {
      const factor = get(row);
      if (factor === null) throw new InputError({ file: table.file, line, column: 1 }, `the compute (${spec.compute.join(' × ')}) is missing on this row`);
      compute *= factor;
    }
    if (!(compute > 0) || !Number.isFinite(compute)) throw new InputError({ file: table.file, line, column: 1 }, `compute ${spec.compute.join(' × ')} = ${formatPlain(compute)}: must be a positive finite number`);
    const group = groupGetter ? poolGroup(groupGetter(row), pools) : null;
    return {
      row,
      line,
      compute,
      error,
      measured: measured[k],
      params: positiveOrUndefined(paramsGetter?.(row), table, row, 'parameter count'),
      samples: positiveOrUndefined(samplesGetter?.(row), table, row, 'samples seen'),
      unique: uniqueGetter?.(row) ?? undefined,
      group,
      arch: archGetter?.(row) || undefined,
      label: labelCol >= 0 ? textAt(table, row, labelCol) : `line ${line}`,
    };
  });
  return { runs, scale, scaleNotes, skipped, unmatched: optionalJoins.filter((j) => j.rows > 0).map((j) => ({ file: j.join.table.file, rows: j.rows })) };
}

function poolGroup(value: string, pools: { name: string; pattern: RegExp }[]): string {
  return pools.find((p) => p.pattern.test(value))?.name ?? value;
}

function positiveOrUndefined(value: number | null | undefined, table: Table, row: number, what: string): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (!(value > 0)) throw new InputError({ file: table.file, line: table.lines[row], column: 1 }, `${what} ${value} must be positive`);
  return value;
}

function requireColumn(table: Table, name: string, flag: string): number {
  const col = columnIndex(table, name);
  if (col < 0) throw new UsageError(`${flag}: ${table.file} has no column "${name}" (columns: ${table.columns.join(', ')})`);
  return col;
}

function numericGetter(table: Table, spec: DatasetSpec, ref: string, what: string, scale = 1): Getter {
  if (/^[0-9.eE+-]+$/.test(ref) && Number.isFinite(Number(ref))) {
    const constant = Number(ref);
    return () => constant;
  }
  const [prefix, column] = splitRef(ref);
  if (prefix === 'arch') {
    if (!spec.architectures || !spec.arch) throw new UsageError(`${ref}: no architecture table is available`);
    const archCol = requireColumn(table, spec.arch, 'architecture column');
    const field = column === 'params' ? 'params' : 'computePerSample';
    return (row) => {
      const name = textAt(table, row, archCol);
      const arch = spec.architectures!.get(name);
      if (!arch) throw new InputError({ file: table.file, line: table.lines[row], column: cellColumn(table, row, archCol) }, `architecture "${name}" is not in the architecture table (${[...spec.architectures!.keys()].slice(0, 6).join(', ')}, …)`);
      return arch[field] * scale;
    };
  }
  if (prefix) {
    const join = findJoin(spec, prefix, ref);
    const lookup = joinLookup(table, join);
    const col = requireColumn(join.table, column, ref);
    return (row) => {
      const target = lookup(row);
      const value = numberAt(join.table, target, col, what);
      return value === null ? null : value * scale;
    };
  }
  const col = requireColumn(table, column, `${what} column`);
  return (row) => {
    const value = numberAt(table, row, col, what);
    return value === null ? null : value * scale;
  };
}

function textGetter(table: Table, spec: DatasetSpec, ref: string, flag: string): (row: number) => string {
  const [prefix, column] = splitRef(ref);
  if (prefix && prefix !== 'arch') {
    const join = findJoin(spec, prefix, ref);
    const lookup = joinLookup(table, join);
    const col = requireColumn(join.table, column, ref);
    return (row) => textAt(join.table, lookup(row), col);
  }
  const col = requireColumn(table, ref, flag);
  return (row) => textAt(table, row, col);
}

function splitRef(ref: string): [string | undefined, string] {
  const colon = ref.indexOf(':');
  return colon > 0 ? [ref.slice(0, colon), ref.slice(colon + 1)] : [undefined, ref];
}

function findJoin(spec: DatasetSpec, prefix: string, ref: string): Join {
  const join = spec.joins.find((j) => j.as === prefix);
  if (!join) throw new UsageError(`${ref}: no join named "${prefix}"`);
  return join;
}

function joinKeys(join: Join): Set<string> {
  const keyCol = requireColumn(join.table, join.key, `join key ${join.key}`);
  const keys = new Set<string>();
  for (let r = 0; r < join.table.rowCount; r++) keys.add(textAt(join.table, r, keyCol));
  return keys;
}

function joinLookup(table: Table, join: Join): (row: number) => number {
  const keyCol = requireColumn(table, join.column, `join on ${join.column}`);
  const targetKey = requireColumn(join.table, join.key, `join key ${join.key}`);
  const index = new Map<string, number>();
  for (let r = 0; r < join.table.rowCount; r++) index.set(textAt(join.table, r, targetKey), r);
  return (row) => {
    const key = textAt(table, row, keyCol);
    const target = index.get(key);
    if (target === undefined) throw new InputError({ file: table.file, line: table.lines[row], column: cellColumn(table, row, keyCol) }, `"${key}" has no row in ${join.table.file} (joined on ${join.key})`);
    return target;
  };
}

function formatPlain(value: number): string {
  return Number.isFinite(value) ? String(value) : 'not a number';
}
