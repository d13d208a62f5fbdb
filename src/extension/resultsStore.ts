/**
 * The extension's state of fits: per results file the settings, the latest outcome or problem, and which file is
 * active. Fits go through the worker; diagnostics and listeners (panel, side view, status bar) follow each change.
 */
import * as vscode from 'vscode';
import type { FitSettings, FitOutcome, PanelStatus, WorkerProblem } from '../shared/protocol';
import type { FitService } from './fitService';

export interface FileState {
  file: string;
  settings: FitSettings;
  outcome?: FitOutcome;
  problem?: WorkerProblem;
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
      this.diagnostics.delete(vscode.Uri.file(file));
      this.changed.fire(state);
    });
    if (!response || this.files.get(file) !== state) return this.files.get(file) ?? state;
    state.fitting = false;
    state.lastFitMs = Date.now() - started;
    if (response.ok) {
      state.outcome = response.outcome;
      state.problem = undefined;
      this.diagnostics.delete(vscode.Uri.file(file));
      this.log.info(`fitted ${file} in ${state.lastFitMs} ms: ${response.outcome.statusText}`);
    } else if (response.problem.cause === 'settings' && (previous?.outcome || !isDefault(state.settings))) {
      // Not the file's fault: keep the last fit with the settings that gave it, or fall back to the defaults.
      this.log.warn(`settings of ${file} could not be fitted: ${response.problem.message}`);
      const note = `These settings could not be fitted (${describe(state.settings)}): ${panelWording(response.problem.message)}`;
      if (!previous?.outcome) return this.fit(file, defaultSettings(), [`${note}. Showing the defaults instead.`]);
      state.settings = previous.settings;
      state.settingsNotes = [`${note}. Showing the last fit (${describe(previous.settings)}).`];
    } else {
      state.problem = response.problem;
      state.outcome = undefined;
      // The Problems panel is for the file's contents, not for settings.
      if (response.problem.cause !== 'settings') this.report(response.problem);
    }
    this.changed.fire(state);
    return state;
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

  private report(problem: WorkerProblem): void {
    const uri = vscode.Uri.file(problem.file);
    const line = Math.max(0, problem.line - 1);
    const column = Math.max(0, problem.column - 1);
    const diagnostic = new vscode.Diagnostic(new vscode.Range(line, column, line, Number.MAX_SAFE_INTEGER), problem.message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'Scaling Lens';
    this.diagnostics.set(uri, [diagnostic]);
    if (problem.file.endsWith('scaling-lens.json')) this.log.warn(`configuration problem: ${problem.message}`);
  }

  panelStatus(file: string | undefined = this.activeFile): PanelStatus {
    const state = file ? this.files.get(file) : undefined;
    if (!state) return { kind: 'empty', message: 'Run "Fit Scaling Law" on a results file (CSV, JSONL or JSON).' };
    if (state.problem) return { kind: 'error', file: state.file, message: `${state.problem.file}:${state.problem.line}:${state.problem.column}: ${state.problem.message}` };
    if (!state.outcome) return { kind: 'fitting', file: state.file };
    return { kind: 'ready', model: state.outcome.model, settings: state.settings, tasks: state.outcome.tasks, choices: state.outcome.choices, settingsNotes: state.settingsNotes };
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** `patch` over `base`; new budgets without their typed text drop the old text (it would no longer match them). */
function mergeSettings(base: FitSettings, patch: Partial<FitSettings> | undefined): FitSettings {
  const merged = { ...base, ...patch };
  if (patch && 'budgets' in patch && !('budgetText' in patch)) delete merged.budgetText;
  return merged;
}

/** A settings message worded for the panel's controls rather than the CLI's flags. */
function panelWording(message: string): string {
  return message.replace(/: name them with --params COL --samples COL/, ' (a scaling-lens.json can name their columns: "params", "samples")').replace(/--(law|frontier|task|metric|group)\b/g, '$1');
}

function isDefault(settings: FitSettings): boolean {
  const defaults = defaultSettings();
  return settings.law === defaults.law && settings.frontier === defaults.frontier && settings.task === undefined && settings.metric === undefined && settings.group === undefined;
}

function describe(settings: FitSettings): string {
  return `law ${settings.law}, frontier ${settings.frontier}${settings.task ? `, task ${settings.task}` : ''}`;
}

export function defaultSettings(): FitSettings {
  return { law: 'power', frontier: 'default', bootstrap: true, budgets: [] };
}
