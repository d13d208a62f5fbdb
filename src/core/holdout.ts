/**
 * The held-out check: hold some runs out (the top fraction by compute, or the rows a filter names), refit the law
 * without them, and score each held-out run with its prediction, residual and 95 % interval (bootstrap of the refit).
 * Which held-out runs are scored: with `--frontier all`, every one; with a frontier, those on the same frontier of
 * all the group's runs (a frontier law predicts the frontier, not the runs above it).
 */
import type { Run } from './dataset';
import { UsageError } from './errors';
import { frontier, type FrontierSpec } from './frontier';
import { cellAt, columnIndex, type Table } from './ingest/table';
import type { Law, LawParams } from './laws/law';
import { differenceUnits, errorDifference, fromError, type MetricScale } from './schema/metric';
import { interval95 } from './stats';

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type HoldoutRule =
  | { kind: 'fraction'; fraction: number }
  | { kind: 'filter'; text: string; column: string; op: CompareOp; value: string };

export interface HoldoutRun {
  line: number;
  compute: number;
  /** The metric as written in the file, and the refitted law's prediction of it. */
  measured: number;
  predicted: number;
  /** 95 % interval of the prediction over bootstrap refits (null without bootstrap). */
  ci95: [number, number] | null;
  /** predicted − measured, in the metric's units as written. */
  residual: number;
  /** log10(measured error / predicted error). */
  residual_log10: number;
}

export interface HoldoutReport {
  /** What was held out, in words ("top 20% of compute", "rows where model_size>=7e9"). */
  rule: string;
  /** The rule's fraction, or the share held out by a filter. */
  fraction: number;
  filter: string | null;
  n_train: number;
  n_heldout: number;
  n_evaluated: number;
  /** Mean |predicted − measured| over scored runs: percentage points for accuracy and error rates, else the loss's units. */
  mae: number | null;
  mae_units: 'pp' | 'loss units';
  rmse_log10: number | null;
  runs: HoldoutRun[];
  /** Why no run was scored, when none was. */
  note?: string;
}

export interface HoldoutContext {
  table: Table;
  law: Law;
  frontier: FrontierSpec;
  scale: MetricScale;
  /** The law refitted on these runs (its frontier chosen among them); null when they give too few points. */
  refit(train: Run[]): LawParams | null;
  /** Bootstrap refits on the same runs, from the refit; empty without bootstrap. */
  bootstrap(train: Run[], refit: LawParams): LawParams[];
}

const OPERATORS: CompareOp[] = ['<=', '>=', '!=', '=', '<', '>'];

/** `COL<OP>VALUE`, OP one of = != < <= > >=; a column name with spaces or operators in backticks (`` `Model Size`>1e9 ``). */
export function parseHoldoutFilter(text: string): HoldoutRule {
  let column: string;
  let rest: string;
  if (text.startsWith('`')) {
    const close = text.indexOf('`', 1);
    if (close < 0) throw new UsageError(`--holdout-filter ${text}: the backquoted column name is not closed`);
    column = text.slice(1, close);
    rest = text.slice(close + 1).trimStart();
  } else {
    const at = text.search(/[<>!=]/);
    if (at <= 0)
      throw new UsageError(
        `--holdout-filter ${text}: expected COL<OP>VALUE with OP one of = != < <= > >= (e.g. params>=1e9)`,
      );
    column = text.slice(0, at).trim();
    rest = text.slice(at);
  }
  const op = OPERATORS.find((o) => rest.startsWith(o));
  if (!op || column === '')
    throw new UsageError(
      `--holdout-filter ${text}: expected COL<OP>VALUE with OP one of = != < <= > >= (e.g. params>=1e9)`,
    );
  const value = rest.slice(op.length).trim();
  if (value === '') throw new UsageError(`--holdout-filter ${text}: no value after ${op}`);
  return { kind: 'filter', text, column, op, value };
}

export function holdoutRuleName(rule: HoldoutRule): string {
  return rule.kind === 'fraction'
    ? `top ${+(rule.fraction * 100).toPrecision(3)}% of compute`
    : `rows where ${rule.text}`;
}

/** Held-out runs of one group: the floor of fraction × runs with the highest compute (at least 1), or the filter's rows. */
export function splitHoldout(runs: Run[], rule: HoldoutRule, table: Table): { train: Run[]; held: Run[] } {
  if (rule.kind === 'fraction') {
    const sorted = [...runs].sort((a, b) => a.compute - b.compute || a.line - b.line);
    const nHeld = Math.min(sorted.length, Math.max(1, Math.floor(sorted.length * rule.fraction)));
    return { train: sorted.slice(0, sorted.length - nHeld), held: sorted.slice(sorted.length - nHeld) };
  }
  const col = columnIndex(table, rule.column);
  if (col < 0)
    throw new UsageError(
      `--holdout-filter ${rule.text}: ${table.file} has no column "${rule.column}" (columns: ${table.columns.join(', ')})`,
    );
  const train: Run[] = [];
  const held: Run[] = [];
  for (const run of runs) (matches(table, run, col, rule) ? held : train).push(run);
  return { train, held };
}

function matches(table: Table, run: Run, col: number, rule: Extract<HoldoutRule, { kind: 'filter' }>): boolean {
  const cell = cellAt(table, run.row, col);
  const text = cell === null ? '' : String(cell).trim();
  const left = typeof cell === 'number' ? cell : asNumber(text);
  const right = asNumber(rule.value);
  if (left !== null && right !== null) {
    switch (rule.op) {
      case '=':
        return left === right;
      case '!=':
        return left !== right;
      case '<':
        return left < right;
      case '<=':
        return left <= right;
      case '>':
        return left > right;
      case '>=':
        return left >= right;
    }
  }
  if (rule.op === '=') return text === rule.value;
  if (rule.op === '!=') return text !== rule.value;
  throw new UsageError(
    `--holdout-filter ${rule.text}: ${rule.op} compares numbers, but ${table.file}:${run.line} has ${JSON.stringify(text)} in "${rule.column}"${right === null ? ` and ${JSON.stringify(rule.value)} is not a number` : ''}`,
  );
}

function asNumber(text: string): number | null {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  return Number(text);
}

export function holdoutReport(runs: Run[], rule: HoldoutRule, context: HoldoutContext): HoldoutReport {
  const { law, scale } = context;
  const { train, held } = splitHoldout(runs, rule, context.table);
  const report: HoldoutReport = {
    rule: holdoutRuleName(rule),
    fraction: rule.kind === 'fraction' ? rule.fraction : runs.length > 0 ? held.length / runs.length : 0,
    filter: rule.kind === 'filter' ? rule.text : null,
    n_train: train.length,
    n_heldout: held.length,
    n_evaluated: 0,
    mae: null,
    mae_units: differenceUnits(scale),
    rmse_log10: null,
    runs: [],
  };
  if (held.length === 0) return { ...report, note: 'no run of this group is held out' };
  const onFrontier = new Set(
    context.frontier.kind === 'all'
      ? held
      : frontier(
          context.frontier,
          runs.map((r) => r.compute),
          runs.map((r) => r.error),
        ).map((pt) => runs[pt.source]),
  );
  const scored = held.filter((r) => onFrontier.has(r));
  if (scored.length === 0)
    return {
      ...report,
      note: `none of the ${held.length} held-out runs is on the ${context.frontier.kind} frontier of all runs`,
    };
  const refit = context.refit(train);
  if (!refit)
    return {
      ...report,
      note: `the ${train.length} runs left for the refit give too few points for the ${law.name} law`,
    };
  const refits = context.bootstrap(train, refit);
  const metric = (error: number) => fromError(error, scale);
  let absolute = 0;
  let squares = 0;
  for (const run of scored) {
    const at = { compute: run.compute, params: run.params, samples: run.samples };
    const predictedError = law.predict(refit, at);
    const interval = interval95(refits.map((params) => law.predict(params, at)));
    const ends = interval ? [metric(interval[0]), metric(interval[1])] : null;
    const predicted = metric(predictedError);
    const residualLog10 = Math.log10(run.error / predictedError);
    report.runs.push({
      line: run.line,
      compute: run.compute,
      measured: run.measured,
      predicted,
      ci95: ends ? [Math.min(ends[0], ends[1]), Math.max(ends[0], ends[1])] : null,
      residual: predicted - run.measured,
      residual_log10: residualLog10,
    });
    absolute += Math.abs(errorDifference(predictedError - run.error, scale));
    squares += residualLog10 ** 2;
  }
  report.runs.sort((a, b) => a.compute - b.compute || a.line - b.line);
  const finite = Number.isFinite(absolute) && Number.isFinite(squares);
  return {
    ...report,
    n_evaluated: scored.length,
    mae: finite ? absolute / scored.length : null,
    rmse_log10: finite ? Math.sqrt(squares / scored.length) : null,
    ...(finite ? {} : { note: 'the refitted law gives no finite prediction at the held-out runs' }),
  };
}
