/**
 * Approach 2's IsoFLOP profiles (Hoffmann et al. 2022): runs grouped into compute budgets, a parabola of the error
 * in ln N per budget, its minimum N_opt with a bootstrap interval. Budgets come from a column, or from runs whose
 * compute agrees within a tolerance in log10; data without that structure gives no budgets rather than invented ones.
 */
import type { Run } from '../dataset';
import { InputError, UsageError } from '../errors';
import { textAt } from '../ingest/cellText';
import { columnIndex, type Table } from '../ingest/table';
import { groupBy } from '../groupBy';

export const DEFAULT_TOLERANCE = 0.05;
/** A budget's parabola needs at least this many runs (one residual degree of freedom) over 3 distinct sizes. */
const MIN_RUNS = 4;

export interface BudgetRuns {
  /** Geometric mean of the runs' compute. */
  compute: number;
  label: string;
  runs: Run[];
}

/** Runs grouped by a budget column, or by compute within `tolerance` (log10) of the budget's cheapest run. */
export function groupIntoBudgets(
  runs: Run[],
  tolerance: number,
  budgetColumn: string | undefined,
  table: Table,
): BudgetRuns[] {
  let groups = new Map<string, Run[]>();
  if (budgetColumn) {
    const col = columnIndex(table, budgetColumn);
    if (col < 0)
      throw new UsageError(
        `--budget: ${table.file} has no column "${budgetColumn}" (columns: ${table.columns.join(', ')})`,
      );
    groups = groupBy(runs, (run) => {
      const key = textAt(table, run.row, col);
      if (key === '')
        throw new InputError(
          { file: table.file, line: run.line, column: 1 },
          `the budget column "${budgetColumn}" is empty on this row`,
        );
      return key;
    });
  } else {
    const sorted = [...runs].sort((a, b) => a.compute - b.compute);
    let current: Run[] = [];
    for (const run of sorted) {
      if (current.length > 0 && Math.log10(run.compute / current[0].compute) > tolerance) {
        groups.set(String(groups.size), current);
        current = [];
      }
      current.push(run);
    }
    if (current.length > 0) groups.set(String(groups.size), current);
  }
  return [...groups.entries()]
    .map(([label, members]) => ({
      label,
      runs: members,
      compute: Math.exp(members.reduce((s, r) => s + Math.log(r.compute), 0) / members.length),
    }))
    .sort((a, b) => a.compute - b.compute);
}

/** Sizes at one budget must span at least this factor to trace a profile. */
const MIN_SIZE_SPAN = 2;

/** Budgets an isoFLOP parabola can be fitted to: enough runs over at least 3 sizes spanning a factor 2. */
export function profileBudgets(budgets: BudgetRuns[]): BudgetRuns[] {
  return budgets.filter((b) => {
    const sizes = b.runs.map((r) => r.params!);
    return (
      b.runs.length >= MIN_RUNS && new Set(sizes).size >= 3 && Math.max(...sizes) / Math.min(...sizes) >= MIN_SIZE_SPAN
    );
  });
}

/**
 * Data have isoFLOP structure when at least 3 budgets can be profiled and they hold at least half of the runs: a
 * few runs that happen to share compute in a scattered study do not make profiles.
 */
export function hasIsoflopStructure(profiled: BudgetRuns[], runCount: number): boolean {
  return profiled.length >= 3 && profiled.reduce((s, b) => s + b.runs.length, 0) >= runCount / 2;
}

/** error ≈ c0 + c1·x + c2·x², x = ln N − center. */
export interface Parabola {
  c0: number;
  c1: number;
  c2: number;
  center: number;
}

export function fitParabola(logN: readonly number[], error: readonly number[]): Parabola | null {
  const n = logN.length;
  const center = logN.reduce((s, v) => s + v, 0) / n;
  // Normal equations of the 3 × 3 least-squares problem, solved by Cramer's rule (well conditioned once centred).
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    t0 = 0,
    t1 = 0,
    t2 = 0;
  for (let i = 0; i < n; i++) {
    const x = logN[i] - center;
    const x2 = x * x;
    s0 += 1;
    s1 += x;
    s2 += x2;
    s3 += x2 * x;
    s4 += x2 * x2;
    t0 += error[i];
    t1 += x * error[i];
    t2 += x2 * error[i];
  }
  const det = s0 * (s2 * s4 - s3 * s3) - s1 * (s1 * s4 - s3 * s2) + s2 * (s1 * s3 - s2 * s2);
  if (!(Math.abs(det) > 1e-300)) return null;
  const c0 = (t0 * (s2 * s4 - s3 * s3) - s1 * (t1 * s4 - s3 * t2) + s2 * (t1 * s3 - s2 * t2)) / det;
  const c1 = (s0 * (t1 * s4 - s3 * t2) - t0 * (s1 * s4 - s3 * s2) + s2 * (s1 * t2 - t1 * s2)) / det;
  const c2 = (s0 * (s2 * t2 - t1 * s3) - s1 * (s1 * t2 - t1 * s2) + t0 * (s1 * s3 - s2 * s2)) / det;
  return { c0, c1, c2, center };
}

export function evaluateParabola(p: Parabola, logN: number): number {
  const x = logN - p.center;
  return p.c0 + p.c1 * x + p.c2 * x * x;
}

/** ln N at the parabola's minimum; null when it opens downward (no minimum). */
export function parabolaMinimum(p: Parabola): number | null {
  return p.c2 > 0 ? p.center - p.c1 / (2 * p.c2) : null;
}

export interface BudgetProfile {
  budget: BudgetRuns;
  parabola: Parabola;
  /** ln N_opt; null when the parabola has no minimum inside the sizes trained. */
  logNOpt: number | null;
  /** Why this budget's minimum is not used. */
  problem?: string;
  residuals: number[];
  fitted: number[];
}

export function profileOf(budget: BudgetRuns): BudgetProfile | null {
  const logN = budget.runs.map((r) => Math.log(r.params!));
  const error = budget.runs.map((r) => r.error);
  const parabola = fitParabola(logN, error);
  if (!parabola) return null;
  const fitted = logN.map((x) => evaluateParabola(parabola, x));
  const residuals = error.map((e, i) => e - fitted[i]);
  const minimum = parabolaMinimum(parabola);
  const [lo, hi] = [Math.min(...logN), Math.max(...logN)];
  let problem: string | undefined;
  if (minimum === null) problem = 'the parabola opens downward: no minimum';
  else if (minimum < lo || minimum > hi) problem = 'the minimum lies outside the model sizes trained at this budget';
  return { budget, parabola, logNOpt: problem ? null : minimum, problem, residuals, fitted };
}

/**
 * A residual-bootstrap draw of the budget's minimum: residuals (spread by sqrt(n/(n − 3)), as least-squares
 * residuals are smaller than the errors) resampled onto the fitted parabola and refitted. NaN when that draw's
 * parabola has no minimum.
 */
export function resampledMinimum(profile: BudgetProfile, next: () => number): number {
  const n = profile.residuals.length;
  const spread = Math.sqrt(n / (n - 3));
  const logN = profile.budget.runs.map((r) => Math.log(r.params!));
  const error = profile.fitted.map((f) => f + spread * profile.residuals[Math.floor(next() * n)]);
  const parabola = fitParabola(logN, error);
  const minimum = parabola ? parabolaMinimum(parabola) : null;
  return minimum ?? NaN;
}
