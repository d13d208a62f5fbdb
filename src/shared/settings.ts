/** Fit settings after a change from the panel or a quick pick (host side; pure, so unit-tested). */
import type { FitSettings } from './protocol';

/** The settings of a file's first fit, and what the panel's "Reset settings to defaults" returns to. */
export function defaultSettings(): FitSettings {
  return { law: 'power', frontier: 'default', bootstrap: true, budgets: [] };
}

/**
 * `change` over `previous`. A stated direction belongs to its metric: when the metric changes and the direction is
 * the one carried over from before (the panel sends its whole settings), it is dropped and read again from the new
 * metric's name. New budgets without their typed text drop the old text (it would no longer match them). A key set to
 * undefined in `change` (the panel's reset) is unset: the result has no such key.
 */
export function mergeSettings(previous: FitSettings, change: Partial<FitSettings> | undefined): FitSettings {
  const merged = withoutUndefined({ ...previous, ...change });
  if (change && 'metric' in change && change.metric !== previous.metric && change.direction === previous.direction)
    delete merged.direction;
  if (change && 'budgets' in change && !('budgetText' in change)) delete merged.budgetText;
  return merged;
}

/**
 * The settings without keys whose value is undefined: what JSON keeps of them. Settings travel inside the fit's JSON
 * summary, which the host validates as JSON on receipt, so a key present but undefined would make it refuse the fit.
 */
export function withoutUndefined<T extends object>(settings: T): T {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as T;
}
