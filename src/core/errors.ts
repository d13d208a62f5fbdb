/** Where in a source a problem lies. Lines and columns are 1-based, as editors show them. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

export type Severity = 'error' | 'warning';

/** A problem found in user input, with its place: the form every bad-input path reports in. */
export interface Problem extends SourceLocation {
  message: string;
  severity: Severity;
}

export function formatLocation(location: SourceLocation): string {
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.line !== undefined && location.column !== undefined) text += `:${location.column}`;
  return text;
}

/** Bad input: thrown by parsing and analysis, caught at the edges (CLI exit 2, diagnostics, panel error state). */
export class InputError extends Error {
  /** Problems found before this one (rows left out) that the user should see with it. */
  related?: Problem[];

  constructor(
    readonly location: SourceLocation,
    readonly detail: string,
  ) {
    super(`${formatLocation(location)}: ${detail}`);
    this.name = 'InputError';
  }

  toProblem(): Problem {
    return { ...this.location, message: this.detail, severity: 'error' };
  }
}

/** A command-line flag or setting at fault (not a place in a file). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The setting a SettingError is about. */
export type SettingName = 'task' | 'law' | 'frontier' | 'group';
/** What the user can do about a SettingError: each surface names it in its own terms (flags, panel controls). */
export type SettingRemedy = 'filter-instead' | 'name-params-samples' | 'all-or-pareto';

/**
 * A setting that does not fit this file (a law it has no columns for, a task where it has no task column). The core
 * says what is wrong, neutrally, and names the setting as data; the CLI words it with its flag and what to type
 * (cli/settingErrors.ts), the extension with its own controls (worker/settingErrors.ts): no flag in the panel.
 */
export class SettingError extends UsageError {
  constructor(
    readonly setting: SettingName,
    /** The setting's value, when it has one worth repeating (`joint`, `binned:5`, a column name). */
    readonly value: string | undefined,
    readonly problem: string,
    readonly remedy?: SettingRemedy,
  ) {
    super(problem);
    this.name = 'SettingError';
  }
}

/** A newer request superseded this computation: thrown from its loops so the worker moves on at once. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

/** Polled by long loops (multi-start fits, bootstrap resamples); throws Cancelled when it answers true. */
export type ShouldStop = () => boolean;

export function stopIfAsked(shouldStop: ShouldStop | undefined): void {
  if (shouldStop?.()) throw new Cancelled();
}
