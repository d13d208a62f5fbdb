/**
 * Settings that cannot fail: which frontiers each law offers, and how a change that would conflict with another
 * setting switches that setting (with a note saying so) instead of ending in an error. Used by the panel (what to
 * offer, what a change does) and the host (remembered settings from an older version are reconciled the same way).
 */
import type { FitSettings } from './fitSettings';
import type { LawName } from './laws/law';

export type { LawName };

/** Each law's formula, shown beside its name where there is room. */
export const LAW_LABELS: Record<LawName, string> = {
  power: 'E = β·C^α',
  saturating: 'E = E∞ + β·C^α',
  joint: 'L = E + A/N^α + B/D^β',
  broken: 'E = a + b·C^−c0·(1 + (C/d)^(1/f))^(−c·f)',
  broken2: 'broken power law with 2 breaks',
};

/** Laws of parameters and samples (not compute alone): fitted to runs' (N, D), so a binned frontier (bin centres of compute) has nothing to give them. */
export function needsParamsAndSamples(law: LawName): boolean {
  return law === 'joint';
}

export function isBinned(frontier: string): boolean {
  return frontier.startsWith('binned:');
}

/** The frontiers a law offers, with the panel's labels; a custom binned:K already chosen stays listed. */
export function frontierChoices(law: LawName, current: string): [string, string, string][] {
  if (needsParamsAndSamples(law))
    return [
      ['default', 'default', 'all runs, for this law'],
      ['all', 'all runs', 'every run'],
      ['pareto', 'pareto', 'runs better than every cheaper run'],
    ];
  const choices: [string, string, string][] = [
    ['default', 'default', "the file layout's (the paper's binned:5 for OpenCLIP)"],
    ['binned:5', 'binned:5', 'least error in 5 bins of log compute (the paper)'],
    ['pareto', 'pareto', 'runs better than every cheaper run'],
    ['all', 'all runs', 'every run'],
  ];
  if (isBinned(current) && current !== 'binned:5')
    choices.splice(2, 0, [current, current, 'least error per bin of log compute']);
  return choices;
}

export interface SettingsChange {
  settings: FitSettings;
  /** What was switched besides the change asked for, and why (shown next to the controls). */
  notes: string[];
}

export interface SettingsContext {
  /** Laws the file can be fitted with (the joint law needs parameters and samples per run); all when unknown. */
  laws?: readonly LawName[];
}

/**
 * `current` with `patch` applied, then made consistent: the setting the user just changed wins, the other one
 * switches, and each switch is explained.
 */
export function applySettingsChange(
  current: FitSettings,
  patch: Partial<FitSettings>,
  context: SettingsContext = {},
): SettingsChange {
  const notes: string[] = [];
  const next: FitSettings = { ...current, ...patch };
  if ('task' in patch && patch.task !== current.task && !('metric' in patch)) next.metric = undefined;
  if (patch.law && context.laws && !context.laws.includes(patch.law)) {
    next.law = current.law;
    notes.push(
      `The ${patch.law} law needs parameters and samples for every run, which this file does not give: law kept at ${current.law}.`,
    );
  }
  if (needsParamsAndSamples(next.law) && isBinned(next.frontier)) {
    if (patch.frontier && !patch.law) {
      next.law = 'power';
      notes.push(
        `Law switched to power: a ${next.frontier} frontier places points at bin centres of compute, which have no parameters and samples for the ${current.law} law.`,
      );
    } else {
      notes.push(
        `Frontier switched from ${next.frontier} to the ${next.law} law's default (all runs): a binned frontier has no parameters and samples to fit it to.`,
      );
      next.frontier = 'default';
    }
  }
  // Intervals in every table come from the bootstrap; the panel shows or hides the band without refitting.
  next.bootstrap = true;
  return { settings: next, notes };
}

/** Settings from elsewhere (remembered from an older version, restored webview state) made consistent the same way. */
export function reconcileSettings(settings: FitSettings, context: SettingsContext = {}): SettingsChange {
  const change = applySettingsChange(settings, {}, context);
  if (context.laws && !context.laws.includes(change.settings.law)) {
    change.notes.push(
      `The ${change.settings.law} law needs parameters and samples for every run, which this file does not give: back to the power law.`,
    );
    change.settings = applySettingsChange({ ...change.settings, law: 'power' }, {}, context).settings;
  }
  return change;
}
