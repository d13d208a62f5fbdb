/**
 * Turns a table and a resolved spec into runs: one (compute, error, params?, samples?, group) per usable row. A row
 * missing a quantity the fit needs is left out and counted by reason; a row with a bad value (text in a numeric
 * column, zero compute…) is left out and reported as a located problem; the other rows are still fitted.
 */
import { InputError, SettingError, UsageError, type Problem } from './errors';
import { type CompiledExpr } from './expr/compile';
import { expressionError, type ExpressionOrigin } from './expr/origin';
import { filterChoices, formatFilter, type Filter, type FilterOp } from './expr/filter';
import { formatNumber } from './format';
import {
  addProblem,
  cellLocation,
  columnData,
  columnIndex,
  MAX_NOTED_LINES,
  MAX_PROBLEMS,
  rowFile,
  type Table,
} from './ingest/table';
import { hasPercentSuffix } from './ingest/numeric';
import { textAt } from './ingest/cellText';
import { RowValues } from './rowValues';
import { decideScale, toError, type MetricScale, type ScaleDecision } from './schema/metric';
import type { DatasetSpec } from './schema/spec';

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

/** Rows left out because a quantity is missing on them, for one reason. */
export interface SkippedRows {
  /** Which quantity: compute, metric, group… */
  quantity: string;
  reason: string;
  count: number;
  /** The first lines (MAX_NOTED_LINES) and their file. */
  lines: number[];
  file: string;
}

export interface RunSet {
  runs: Run[];
  scale: MetricScale;
  /** How the metric column was read, when worth saying (a `%` suffix, a guessed direction…). */
  scaleNotes: ScaleDecision['notes'];
  /** Rows left out because their metric cell is empty (e.g. retrieval columns on classification rows). */
  skipped: number;
  /** Their first lines. */
  skippedLines: number[];
  /** Rows left out because a join marked skipUnmatched found no row for them, per joined file. */
  unmatched: { file: string; rows: number }[];
  /** Rows left out because another quantity is missing, by reason. */
  missing: SkippedRows[];
  /** Runs kept without an optional quantity (parameters, samples seen), by reason. */
  incomplete: SkippedRows[];
  /** Rows left out for a bad value, the first MAX_PROBLEMS (parse problems of the table first), and their count. */
  problems: Problem[];
  problemCount: number;
}

const OPTIONAL = ['params', 'samples', 'unique'] as const;
const ROLE: Record<string, string> = {
  metric: 'metric',
  compute: 'compute',
  params: 'parameter count',
  samples: 'samples seen',
  unique: 'unique samples',
  group: 'group',
  filter: 'filter',
};

export interface ExtractOptions {
  /** A metric whose name does not say its direction is guessed (the extension, which then asks) instead of refused. */
  guessDirection?: boolean;
}

export function extractRuns(table: Table, spec: DatasetSpec, options: ExtractOptions = {}): RunSet {
  requireResolved(table, spec);
  const values = new RowValues(table, spec);
  const origin = (
    quantity: 'metric' | 'compute' | 'params' | 'samples' | 'unique' | 'group',
    flag: string,
  ): ExpressionOrigin => spec.origins?.[quantity] ?? { label: flag };
  const metric = values.quantity(spec.metric, origin('metric', '--metric'), `a value of the metric "${spec.metric}"`);
  const filters = spec.filters.map((filter) => ({ filter, matches: compileFilter(values, filter) }));
  const compute = spec.compute.map((factor) => values.quantity(factor, origin('compute', '--compute'), 'compute'));
  const optional = OPTIONAL.map((name) => ({
    name,
    quantity: spec[name] ? values.quantity(spec[name]!, origin(name, `--${name}`), ROLE[name]) : undefined,
    scale: name === 'params' ? (spec.paramsScale ?? 1) : 1,
  }));
  const group = spec.group ? values.text(spec.group.column) : undefined;
  if (spec.group && !group) throw new SettingError('group', spec.group.column, values.unknownName(spec.group.column));
  const arch = spec.arch ? values.text(spec.arch) : undefined;
  const labelCol = spec.label ? columnIndex(table, spec.label) : -1;
  const pools = (spec.group?.pools ?? []).map((p) => ({ name: p.name, pattern: new RegExp(p.pattern) }));
  const optionalJoins = spec.joins
    .filter((j) => j.skipUnmatched)
    .map((join) => ({ join, keys: joinKeys(join.table, join.key), key: values.text(join.column), rows: 0 }));
  for (const j of optionalJoins)
    if (!j.key) throw new UsageError(`join on ${j.join.column}: ${values.unknownName(j.join.column)}`);

  const problems = { problems: [...(table.problems ?? [])], problemCount: table.problemCount ?? 0 };
  const report = (error: unknown) => {
    if (!(error instanceof InputError)) throw error;
    addProblem(problems, error.toProblem());
  };
  const missing = new Map<string, SkippedRows>();
  const incomplete = new Map<string, SkippedRows>();
  const count = (into: Map<string, SkippedRows>, row: number, quantity: string, reason: string) => {
    const key = `${quantity}\u0000${reason}`;
    let entry = into.get(key);
    if (!entry) into.set(key, (entry = { quantity, reason, count: 0, lines: [], file: rowFile(table, row) }));
    entry.count++;
    if (entry.lines.length < MAX_NOTED_LINES) entry.lines.push(table.lines[row]);
  };
  const skip = (row: number, quantity: string, reason: string) => count(missing, row, quantity, reason);

  // First pass: the rows the filters keep that have a metric value (the metric's scale is judged on all of them).
  const selected: number[] = [];
  const measured: number[] = [];
  const skippedLines: number[] = [];
  let skipped = 0;
  for (let row = 0; row < table.rowCount; row++) {
    try {
      if (!filters.every((f) => f.matches(row))) continue;
      const unmatched = optionalJoins.find((j) => !j.keys.has(j.key!(row)));
      if (unmatched) {
        unmatched.rows++;
        continue;
      }
      const value = metric.value(row);
      if (!Number.isFinite(value)) {
        const verdict = metric.explain(row);
        if (verdict.kind === 'invalid')
          throw new InputError(
            cellLocation(
              table,
              row,
              columnIndex(table, spec.metric) >= 0 ? columnIndex(table, spec.metric) : undefined,
            ),
            `the metric ${spec.metric}: ${verdict.reason}`,
          );
        skipped++;
        if (skippedLines.length < MAX_NOTED_LINES) skippedLines.push(table.lines[row]);
        continue;
      }
      selected.push(row);
      measured.push(value);
    } catch (error) {
      report(error);
    }
  }
  const leftOut = {
    skipped,
    skippedLines,
    missing: [...missing.values()],
    incomplete: [],
    unmatched: optionalJoins.filter((j) => j.rows > 0).map((j) => ({ file: j.join.table.file, rows: j.rows })),
    ...problems,
  };
  if (selected.length === 0) throw nothingUsable(table, spec, leftOut, 0);
  // The metric's direction and percent vs fraction are decided from the whole column (a `%` cell, a typo among fractions).
  const metricCol = columnIndex(table, spec.metric);
  const { scale, notes: scaleNotes } = decideScale(spec.metric, measured, {
    file: table.file,
    direction: spec.direction,
    guessDirection: options.guessDirection,
    percentCell: (k) => metricCol >= 0 && hasPercentSuffix(table, selected[k], metricCol),
    locate: (k) => {
      const { line, column } = cellLocation(table, selected[k], metricCol >= 0 ? metricCol : undefined);
      return { line, column };
    },
  });

  const runs: Run[] = [];
  selected.forEach((row, k) => {
    try {
      const line = table.lines[row];
      const error = toError(measured[k], scale);
      if (!(error > 0)) {
        throw new InputError(
          cellLocation(table, row, metricCol >= 0 ? metricCol : undefined),
          `${spec.metric} = ${measured[k]} gives error ${formatPlain(error)}: a power law needs an error above 0 (${scale.kind === 'accuracy' ? 'a score below its maximum' : scale.kind === 'error' ? 'a positive error rate' : 'a positive loss'}); left out`,
        );
      }
      const c = product(compute, row, table, spec);
      if (c === undefined) return skip(row, 'compute', firstMissing(compute, row));
      let groupName: string | null = null;
      if (group) {
        const text = group(row);
        if (text === '') return skip(row, 'group', `no value in "${spec.group!.column}"`);
        groupName = poolGroup(text, pools);
      }
      const values: Partial<Record<(typeof OPTIONAL)[number], number>> = {};
      for (const { name, quantity, scale: factor } of optional) {
        if (!quantity) continue;
        const value = quantity.value(row);
        if (Number.isNaN(value)) {
          const verdict = quantity.explain(row);
          if (verdict.kind === 'invalid')
            throw new InputError(cellLocation(table, row), `${ROLE[name]} ${spec[name]}: ${verdict.reason}; left out`);
          count(incomplete, row, name, verdict.reason);
          continue;
        }
        if (name !== 'unique' && !(value > 0 && Number.isFinite(value)))
          throw new InputError(
            cellLocation(table, row),
            `${ROLE[name]} ${formatPlain(value)} must be positive; left out`,
          );
        values[name] = value * factor;
      }
      // One object shape for every run (all fields set at once).
      const run: Run = {
        row,
        line,
        compute: c,
        error,
        measured: measured[k],
        params: values.params,
        samples: values.samples,
        unique: values.unique,
        group: groupName,
        arch: arch?.(row) || undefined,
        label: labelCol >= 0 ? textAt(table, row, labelCol) : `line ${line}`,
      };
      runs.push(run);
    } catch (error) {
      report(error);
    }
  });
  const result: RunSet = {
    runs,
    scale,
    scaleNotes,
    skipped,
    skippedLines,
    unmatched: optionalJoins.filter((j) => j.rows > 0).map((j) => ({ file: j.join.table.file, rows: j.rows })),
    missing: [...missing.values()].sort((a, b) => b.count - a.count),
    incomplete: [...incomplete.values()].sort((a, b) => b.count - a.count),
    problems: problems.problems,
    problemCount: problems.problemCount,
  };
  if (runs.length === 0) throw nothingUsable(table, spec, result, selected.length);
  return result;
}

/** Compute as the product of its factors: undefined when one is missing; a located error when it is not positive. */
function product(factors: CompiledExpr[], row: number, table: Table, spec: DatasetSpec): number | undefined {
  let compute = 1;
  for (const factor of factors) {
    const value = factor.value(row);
    if (Number.isNaN(value) && factor.explain(row).kind === 'missing') return undefined;
    if (!Number.isFinite(value))
      throw new InputError(
        cellLocation(table, row),
        `compute ${spec.compute.join(' × ')}: ${factor.explain(row).reason}; left out`,
      );
    compute *= value;
  }
  if (!(compute > 0) || !Number.isFinite(compute))
    throw new InputError(
      cellLocation(table, row),
      `compute ${spec.compute.join(' × ')} = ${formatPlain(compute)}: must be a positive finite number; left out`,
    );
  return compute;
}

function firstMissing(factors: CompiledExpr[], row: number): string {
  for (const factor of factors) if (Number.isNaN(factor.value(row))) return factor.whyMissing(row);
  return 'not a number';
}

/** No row could be used: the reasons, with the rows' problems as related ones. */
function nothingUsable(
  table: Table,
  spec: DatasetSpec,
  result: Pick<
    RunSet,
    'skipped' | 'skippedLines' | 'missing' | 'incomplete' | 'problemCount' | 'unmatched' | 'problems'
  >,
  withMetric: number,
): InputError {
  const filterText = spec.filters.map(formatFilter).join(', ');
  const reasons = describeLeftOut(result, spec.metric);
  const message =
    withMetric === 0 && result.problemCount === 0
      ? `no rows with a value in "${spec.metric}"${filterText ? ` where ${filterText}` : ''}${reasons.length ? `; ${reasons.join('; ')}` : ''}`
      : `no usable rows${filterText ? ` where ${filterText}` : ''}: ${reasons.join('; ')}`;
  const error = new InputError({ file: table.file, line: 1, column: 1 }, message);
  if (result.problems.length > 0) error.related = result.problems;
  return error;
}

/** One line per reason rows were left out, with the first lines: what the notes and the Problems panel say. */
export function describeLeftOut(
  result: Pick<RunSet, 'skipped' | 'skippedLines' | 'missing' | 'incomplete' | 'problemCount' | 'unmatched'>,
  metric?: string,
): string[] {
  const notes: string[] = [];
  const rows = (n: number) => `${n.toLocaleString('en')} row${n === 1 ? '' : 's'}`;
  const at = (lines: number[], count: number) =>
    lines.length ? ` (line${lines.length > 1 ? 's' : ''} ${lines.join(', ')}${count > lines.length ? ', …' : ''})` : '';
  if (result.skipped > 0)
    notes.push(
      `${rows(result.skipped)} without a value in ${metric ?? 'the metric'} left out${at(result.skippedLines, result.skipped)}`,
    );
  const shown = result.missing.slice(0, 8);
  for (const m of shown)
    notes.push(`${rows(m.count)} left out, no ${ROLE[m.quantity] ?? m.quantity}: ${m.reason}${at(m.lines, m.count)}`);
  const more = result.missing.slice(8).reduce((n, m) => n + m.count, 0);
  if (more > 0) notes.push(`${rows(more)} left out for ${result.missing.length - 8} other reasons`);
  for (const m of result.incomplete.slice(0, 8))
    notes.push(
      `${rows(m.count).replace('row', 'run')} kept without ${ROLE[m.quantity] ?? m.quantity}: ${m.reason}${at(m.lines, m.count)}`,
    );
  for (const u of result.unmatched)
    notes.push(`${rows(u.rows)} of runs not in ${u.file} left out (runs still training?)`);
  if (result.problemCount > 0)
    notes.push(
      `${rows(result.problemCount)} with bad values left out (${result.problemCount > MAX_PROBLEMS ? `the first ${MAX_PROBLEMS} are` : 'each is'} listed as a problem at its line)`,
    );
  return notes;
}

/** A row filter: `=`/`!=` on a column compare its text (or numbers when both sides are), `<`… compare numbers. */
function compileFilter(values: RowValues, filter: Filter): (row: number) => boolean {
  const op = filter.op ?? '=';
  const text = formatFilter(filter);
  const origin: ExpressionOrigin = filter.origin ?? { label: '--filter' };
  const fail = (detail: string) => expressionError(origin, text, 1, detail);
  const choices = filterChoices(filter);
  const cell = values.cell(filter.column);
  if (cell && (op === '=' || op === '!=')) {
    const numbers = choices.map((c) => (c.trim() !== '' && Number.isFinite(Number(c)) ? Number(c) : undefined));
    const col = columnIndex(values.table, filter.column);
    if (col >= 0 && choices.length === 1) {
      // The common case, a column of the file equal to one value: read its storage directly.
      const column = columnData(values.table, col);
      const [choice] = choices;
      const number = numbers[0];
      const hit =
        column instanceof Float64Array
          ? (row: number) => column[row] === number
          : (row: number) => {
              const v = column[row];
              return typeof v === 'number' ? v === number : (v === null || v === undefined ? '' : String(v)) === choice;
            };
      return op === '=' ? hit : (row) => !hit(row);
    }
    return (row) => {
      const value = cell(row);
      const hit = choices.some((choice, i) =>
        typeof value === 'number' ? numbers[i] === value : (value === null ? '' : String(value)) === choice,
      );
      return op === '=' ? hit : !hit;
    };
  }
  if (!cell && !values.knows(filter.column) && !/[-+*/()`\s]/.test(filter.column))
    throw fail(values.unknownName(filter.column));
  const bounds = choices.map((c) => Number(c));
  choices.forEach((choice, i) => {
    if (choice.trim() === '' || !Number.isFinite(bounds[i]))
      throw fail(
        `${op} ${cell ? 'compares numbers' : `on an expression compares numbers`}, and "${choice}" is not a number`,
      );
  });
  const textual = values.textOnly(filter.column);
  if (textual)
    throw fail(
      `column "${filter.column}" holds text (e.g. ${JSON.stringify(textual.example)} on line ${textual.line}), so ${op} cannot compare it: use = or != (A|B|C for any of several values)`,
    );
  const quantity = values.quantity(filter.column, origin, 'a number to filter on');
  const compare: Record<FilterOp, (a: number, b: number) => boolean> = {
    '=': (a, b) => a === b,
    '!=': (a, b) => a !== b,
    '<': (a, b) => a < b,
    '<=': (a, b) => a <= b,
    '>': (a, b) => a > b,
    '>=': (a, b) => a >= b,
  };
  const test = compare[op];
  return (row) => {
    const value = quantity.value(row);
    if (Number.isNaN(value)) return op === '!=';
    return op === '!=' ? bounds.every((b) => test(value, b)) : bounds.some((b) => test(value, b));
  };
}

/** A spec whose layout found no compute or metric, and no flag or scaling-lens.json named one. */
function requireResolved(table: Table, spec: DatasetSpec): void {
  const message = spec.unresolved?.compute ?? spec.unresolved?.metric;
  if (message) throw new InputError({ file: table.file, line: 1, column: 1 }, message);
}

function poolGroup(value: string, pools: { name: string; pattern: RegExp }[]): string {
  return pools.find((p) => p.pattern.test(value))?.name ?? value;
}

function joinKeys(table: Table, key: string): Set<string> {
  const keyCol = columnIndex(table, key);
  if (keyCol < 0)
    throw new InputError(
      { file: table.file, line: 1, column: 1 },
      `join key "${key}" is not a column of this table (columns: ${table.columns.join(', ')})`,
    );
  const keys = new Set<string>();
  for (let r = 0; r < table.rowCount; r++) keys.add(textAt(table, r, keyCol));
  return keys;
}

function formatPlain(value: number): string {
  return Number.isFinite(value) ? formatNumber(value) : 'not a number';
}
