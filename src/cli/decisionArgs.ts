/** Flags of the decision analyses (`--compare`, `--approaches`, `--forecast`, `--suggest`, `--all-tasks`) for `scaling-lens fit`. */
import { UsageError } from '../core/errors';
import type { DecisionRequest } from '../core/decisions/request';

/** Merged into the fit command's util.parseArgs options. */
export const DECISION_FLAGS = {
  compare: { type: 'boolean' },
  approaches: { type: 'boolean' },
  'isoflop-tolerance': { type: 'string' },
  budget: { type: 'string' },
  forecast: { type: 'boolean' },
  cut: { type: 'string' },
  planned: { type: 'string' },
  suggest: { type: 'string' },
  'compute-cap': { type: 'string' },
  candidates: { type: 'string' },
  'all-tasks': { type: 'boolean' },
} as const;

type FlagValues = Partial<Record<keyof typeof DECISION_FLAGS, string | boolean | undefined>>;

export function parseDecisionArgs(values: FlagValues): DecisionRequest {
  const text = (name: keyof typeof DECISION_FLAGS) =>
    typeof values[name] === 'string' ? (values[name] as string) : undefined;
  const request: DecisionRequest = {
    compare: values.compare === true,
    approaches: values.approaches === true,
    isoflopTolerance:
      text('isoflop-tolerance') === undefined ? undefined : positive('--isoflop-tolerance', text('isoflop-tolerance')!),
    budgetColumn: text('budget'),
    forecast: values.forecast === true,
    cut: text('cut') === undefined ? undefined : fraction('--cut', text('cut')!),
    planned: text('planned') === undefined ? undefined : positive('--planned', text('planned')!),
    suggest: text('suggest') === undefined ? undefined : positive('--suggest', text('suggest')!),
    computeCap: text('compute-cap') === undefined ? undefined : positive('--compute-cap', text('compute-cap')!),
    candidates: text('candidates'),
    allTasks: values['all-tasks'] === true,
  };
  if (!request.approaches && (request.isoflopTolerance !== undefined || request.budgetColumn !== undefined))
    throw new UsageError('--isoflop-tolerance and --budget go with --approaches');
  if (!request.forecast && (request.cut !== undefined || request.planned !== undefined))
    throw new UsageError('--cut and --planned go with --forecast');
  if (request.suggest === undefined && (request.computeCap !== undefined || request.candidates !== undefined))
    throw new UsageError('--compute-cap and --candidates go with --suggest C');
  return request;
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) throw new UsageError(`${flag} ${text}: expected a positive number`);
  return value;
}

function fraction(flag: string, text: string): number {
  const value = Number(text);
  if (!(value > 0 && value < 1)) throw new UsageError(`${flag} ${text}: expected a fraction between 0 and 1`);
  return value;
}
