/**
 * The extension's state of fits: per results file the settings, the latest outcome or problem, and which file is
 * active. Fits go through the worker; diagnostics and listeners (panel, side view, status bar) follow each change.
 */
import * as vscode from 'vscode';
import type {
  DecisionAnswer,
  DecisionAsk,
  FitSettings,
  FitJobResult,
  PanelStatus,
  WorkerProblem,
} from '../shared/protocol';
import { defaultSettings, mergeSettings } from '../shared/settings';
import type { FitService } from './fitService';
import { groupBy } from '../core/groupBy';

export { defaultSettings } from '../shared/settings';

export interface FileState {
  file: string;
  settings: FitSettings;
  outcome?: FitJobResult;
  problem?: WorkerProblem;
  /** Rows left out before the fit failed (each bad row), shown with the problem that stopped it. */
  related?: WorkerProblem[];
  fitting: boolean;
  /**
   * Settings switched on the host's side or that could not be fitted (a law the file has no columns for): said next
   * to the panel's controls. Such a failure keeps the last fit and its settings; it is not the file's problem.
   */
  settingsNotes: string[];
  /** Milliseconds from the request to the result, for the latency benchmark and the log. */
  lastFitMs?: number;
  version: number;
}

export class ResultsStore implements vscode.Disposable {
  private readonly files = new Map<string, FileState>();
  /** Files each results file's last fit put diagnostics on (its own, sibling tables, files of a folder). */
  private readonly published = new Map<string, vscode.Uri[]>();
  private activeFile: string | undefined;
  private readonly changed = new vscode.EventEmitter<FileState | undefined>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly service: FitService,
    private readonly diagnostics: vscode.DiagnosticCollection,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get active(): FileState | undefined {
    return this.activeFile ? this.files.get(this.activeFile) : undefined;
  }

  get(file: string): FileState | undefined {
    return this.files.get(file);
  }

  all(): FileState[] {
    return [...this.files.values()];
  }

  setActive(file: string): void {
    this.activeFile = file;
    this.changed.fire(this.files.get(file));
  }

  async fit(file: string, settings?: Partial<FitSettings>, settingsNotes: string[] = []): Promise<FileState> {
    const previous = this.files.get(file);
    const state: FileState = {
      file,
      settings: mergeSettings(previous?.settings ?? defaultSettings(), settings),
      outcome: previous?.outcome,
      problem: previous?.problem,
      related: previous?.related,
      fitting: true,
      settingsNotes,
      version: (previous?.version ?? 0) + 1,
    };
    this.files.set(file, state);
    this.changed.fire(state);
    const started = Date.now();
    const response = await this.service.fit(file, state.settings, (outcome) => {
      if (this.files.get(file) !== state) return;
      this.log.info(`quick fit of ${file} (no bootstrap) in ${Date.now() - started} ms`);
      state.outcome = outcome;
      state.problem = undefined;
      state.related = undefined;
      this.publish(file, [...outcome.problems, ...rowWarnings(file, outcome)]);
      this.changed.fire(state);
    });
    if (!response || this.files.get(file) !== state) return this.files.get(file) ?? state;
    state.fitting = false;
    state.lastFitMs = Date.now() - started;
    if (response.ok) {
      state.outcome = response.outcome;
      state.problem = undefined;
      state.related = undefined;
      this.publish(file, [...response.outcome.problems, ...rowWarnings(file, response.outcome)]);
      this.log.info(
        `fitted ${file} in ${state.lastFitMs} ms: ${response.outcome.statusText}${response.outcome.problemsTotal ? ` (${response.outcome.problemsTotal} row(s) with bad values left out)` : ''}`,
      );
    } else if (response.problem.cause === 'settings' && (previous?.outcome || !isDefault(state.settings))) {
      // Not the file's fault: keep the last fit with the settings that gave it, or fall back to the defaults.
      this.log.warn(`settings of ${file} could not be fitted: ${response.problem.message}`);
      const note = `These settings could not be fitted (${describe(state.settings)}): ${panelWording(response.problem.message)}`;
      if (!previous?.outcome) return this.fit(file, defaultSettings(), [`${note}. Showing the defaults instead.`]);
      state.settings = previous.settings;
      state.settingsNotes = [`${note}. Showing the last fit (${describe(previous.settings)}).`];
    } else {
      state.problem = response.problem;
      state.related = response.related;
      state.outcome = undefined;
      // The Problems panel is for the file's contents, not for settings.
      if (response.problem.cause !== 'settings') this.publish(file, [...(response.related ?? []), response.problem]);
      if (response.problem.file.endsWith('scaling-lens.json'))
        this.log.warn(`configuration problem: ${response.problem.message}`);
    }
    this.changed.fire(state);
    return state;
  }

  /** A decision section of the file's current fit, with the settings it was fitted with (undefined: superseded). */
  decide(
    file: string,
    ask: DecisionAsk,
    onProgress?: (answer: DecisionAnswer) => void,
  ): Promise<DecisionAnswer | undefined> {
    const state = this.files.get(file);
    if (!state?.outcome) return Promise.resolve({ id: ask.id, kind: 'failed', message: 'no fit of this file yet' });
    return this.service.decide(file, state.settings, ask, onProgress);
  }

  /**
   * The first result (quick fit or problem) of a fit of `file`, before its bootstrap intervals: what the panel shows
   * first. `fitting` is that fit: whatever it ends with, the wait ends too.
   */
  firstResult(file: string, fitting: Promise<FileState>): Promise<FileState> {
    const previous = this.files.get(file)?.outcome;
    return new Promise((resolve) => {
      const listener = this.onDidChange((state) => {
        if (!state || state.file !== file || (!state.problem && (!state.outcome || state.outcome === previous))) return;
        listener.dispose();
        resolve(state);
      });
      void fitting.then((state) => {
        listener.dispose();
        resolve(state);
      });
    });
  }

  /**
   * Every problem of a fit in the Problems panel, each at its own file and line: rows with bad values (errors), rows
   * skipped for a missing cell (information), or the error that stopped the fit. The previous fit's are replaced.
   */
  private publish(file: string, problems: WorkerProblem[]): void {
    for (const uri of this.published.get(file) ?? []) this.diagnostics.delete(uri);
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const [file, fileProblems] of groupBy(problems, (problem) => problem.file)) {
      byFile.set(
        file,
        fileProblems.map((problem) => {
          const line = Math.max(0, problem.line - 1);
          const column = Math.max(0, problem.column - 1);
          const severity =
            problem.severity === 'info'
              ? vscode.DiagnosticSeverity.Information
              : problem.severity === 'warning'
                ? vscode.DiagnosticSeverity.Warning
                : vscode.DiagnosticSeverity.Error;
          const diagnostic = new vscode.Diagnostic(
            new vscode.Range(line, column, line, Number.MAX_SAFE_INTEGER),
            problem.message,
            severity,
          );
          diagnostic.source = 'Scaling Lens';
          return diagnostic;
        }),
      );
    }
    const uris = [...byFile.keys()].map((path) => vscode.Uri.file(path));
    uris.forEach((uri, i) => this.diagnostics.set(uri, [...byFile.values()][i]));
    this.published.set(file, uris);
  }

  panelStatus(file: string | undefined = this.activeFile): PanelStatus {
    const state = file ? this.files.get(file) : undefined;
    if (!state) return { kind: 'empty', message: 'Run "Fit Scaling Law" on a results file (CSV, JSONL or JSON).' };
    if (state.problem) {
      // The rows left out first (the first few), then what stopped the fit: together they say why nothing was fitted.
      const shown = [...(state.related ?? []).slice(0, 5), state.problem].map(
        (p) => `${p.file}:${p.line}:${p.column}: ${p.message}`,
      );
      const more =
        (state.related?.length ?? 0) > 5 ? [`… and ${state.related!.length - 5} more (see the Problems panel)`] : [];
      return { kind: 'error', file: state.file, message: [...shown, ...more].join('\n') };
    }
    if (!state.outcome) return { kind: 'fitting', file: state.file };
    return {
      kind: 'ready',
      model: state.outcome.model,
      settings: state.settings,
      tasks: state.outcome.tasks,
      choices: state.outcome.choices,
      settingsNotes: state.settingsNotes,
      final: !state.fitting,
    };
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Rows flagged in the Problems panel at most (a file with thousands of odd rows says so in the panel). */
const MAX_ROW_WARNINGS = 100;

/** Fit warnings about one run (an outlier, a percent cell that looks like a fraction) as warnings at its row. */
function rowWarnings(file: string, outcome: FitJobResult): WorkerProblem[] {
  return outcome.model.warnings
    .filter((w) => w.line !== undefined)
    .slice(0, MAX_ROW_WARNINGS)
    .map((w) => ({
      file,
      line: w.line!,
      column: 1,
      message: `${w.group ? `${w.group}: ` : ''}${w.message}`,
      severity: 'warning',
    }));
}

/** A settings message worded for the panel's controls rather than the CLI's flags. */
function panelWording(message: string): string {
  return message
    .replace(
      /: name them with --params COL --samples COL/,
      ' (a scaling-lens.json can name their columns: "params", "samples")',
    )
    .replace(/--(law|frontier|task|metric|group)\b/g, '$1');
}

function isDefault(settings: FitSettings): boolean {
  const defaults = defaultSettings();
  return (
    settings.law === defaults.law &&
    settings.frontier === defaults.frontier &&
    settings.task === undefined &&
    settings.metric === undefined &&
    settings.group === undefined
  );
}

function describe(settings: FitSettings): string {
  return `law ${settings.law}, frontier ${settings.frontier}${settings.task ? `, task ${settings.task}` : ''}`;
}
