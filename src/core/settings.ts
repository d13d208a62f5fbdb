/**
 * One validator per setting, shared by the CLI flags, scaling-lens.json and the webview's messages, so a setting has
 * the same bounds wherever it comes from (a `binned:1000000000` frontier is refused everywhere, not only in the panel).
 * Each returns the value or what was expected; callers add their own place (a flag, a line:column, a dropped message).
 */
import type { FrontierSpec } from './frontier';
import { LAW_NAMES, type LawName } from './laws/law';

export type Checked<T> = { ok: true; value: T } | { ok: false; expected: string };

const ok = <T>(value: T): Checked<T> => ({ ok: true, value });
const expected = <T>(text: string): Checked<T> => ({ ok: false, expected: text });

export const MIN_BINS = 2;
export const MAX_BINS = 1000;
/** Column names, task names, compute expressions. */
export const MAX_NAME_LENGTH = 256;
export const MAX_BUDGETS = 20;
export const MAX_BOOTSTRAP = 100_000;
export const MAX_PATH_LENGTH = 4096;
/** `max-pixels` bounds a decoded image (default 64 MP); 1e10 pixels is far beyond any real evaluation image. */
export const EVAL_LIMITS = { batch: 4096, threads: 256, limit: 1_000_000_000, 'max-pixels': 10_000_000_000 } as const;

/** all, pareto or binned:K with 2 ≤ K ≤ 1000. */
export function checkFrontier(value: unknown): Checked<FrontierSpec> {
  const wanted = `all, pareto or binned:K with ${MIN_BINS} ≤ K ≤ ${MAX_BINS}`;
  if (value === 'all' || value === 'pareto') return ok({ kind: value });
  const match = typeof value === 'string' ? /^binned:(\d{1,4})$/.exec(value) : null;
  const bins = match ? Number(match[1]) : NaN;
  return bins >= MIN_BINS && bins <= MAX_BINS ? ok({ kind: 'binned', bins }) : expected(wanted);
}

export function checkLaw(value: unknown): Checked<LawName> {
  return typeof value === 'string' && (LAW_NAMES as readonly string[]).includes(value)
    ? ok(value as LawName)
    : expected(`one of ${LAW_NAMES.join(', ')}`);
}

/** A column name, task name or compute expression: non-empty text of at most 256 characters without control characters. */
export function checkName(value: unknown): Checked<string> {
  return typeof value === 'string' &&
    value.length > 0 &&
    value.length <= MAX_NAME_LENGTH &&
    !/[\u0000-\u001f\u007f]/.test(value)
    ? ok(value)
    : expected(`a name of 1 to ${MAX_NAME_LENGTH} characters`);
}

/** A compute budget (and any positive scale): a finite number above 0. */
export function checkPositive(value: unknown): Checked<number> {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? ok(value) : expected('a positive number');
}

export function checkBudgets(value: unknown): Checked<number[]> {
  return Array.isArray(value) && value.length <= MAX_BUDGETS && value.every((b) => checkPositive(b).ok)
    ? ok(value as number[])
    : expected(`at most ${MAX_BUDGETS} positive compute budgets`);
}

/** Bootstrap resamples: 0 (none) to 100,000. */
export function checkBootstrap(value: unknown): Checked<number> {
  return wholeNumber(value, 0, MAX_BOOTSTRAP);
}

/** A file or folder path as text (not yet resolved): at most 4096 characters, no NUL. */
export function checkPathText(value: unknown): Checked<string> {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_PATH_LENGTH && !value.includes('\u0000')
    ? ok(value)
    : expected(`a path of 1 to ${MAX_PATH_LENGTH} characters`);
}

/** Checkpoint evaluation: images per batch, onnxruntime threads, images evaluated at most. */
export function checkEvalCount(kind: keyof typeof EVAL_LIMITS, value: unknown): Checked<number> {
  return wholeNumber(value, 1, EVAL_LIMITS[kind]);
}

function wholeNumber(value: unknown, min: number, max: number): Checked<number> {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
    ? ok(value)
    : expected(`a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}`);
}
