/** Extension entry: wires the fit worker, results store, panel, side view, hover, diagnostics, status bar and watcher. */
import * as vscode from 'vscode';
import fs from 'node:fs';
import { askWhenAmbiguous } from './askChoices';
import { evaluateCheckpoint, type EvaluateArgs } from './evaluate';
import { openExampleWorkspace } from './examples';
import { FitService } from './fitService';
import { HOVER_SELECTOR, ResultsHoverProvider } from './hover';
import { FILES_VIEW_ID, ResultFilesTree } from './filesTree';
import { FitPanel } from './panel';
import { registerPanelCommands } from './panelCommands';
import { findResultFiles, isResultsDocument, watchResultFiles } from './resultFiles';
import { ResultsStore } from './resultsStore';
import { RowFits } from './rowFits';
import { rememberedSettings, rememberSettings } from './settingsMemory';
import { reconcileSettings } from '../core/settingsRules';
import { SIDE_VIEW_ID, SideViewProvider } from './sideView';
import { StatusBar } from './statusBar';
import { markStepDone } from './walkthrough';
import {
  GIVE_SAMPLES_SEEN,
  giveSamplesSeen,
  SAMPLES_SEEN_SELECTOR,
  SamplesSeenActions,
  type GiveSamplesSeenArgs,
} from './samplesSeenFix';

export interface ScalingLensApi {
  store: ResultsStore;
  /** The workspace's results files: the configured globs and the files named in scaling-lens.json. */
  resultFiles(): Promise<string[]>;
}

export function activate(context: vscode.ExtensionContext): ScalingLensApi {
  const log = vscode.window.createOutputChannel('Scaling Lens', { log: true });
  const diagnostics = vscode.languages.createDiagnosticCollection('scalingLens');
  const service = new FitService(vscode.Uri.joinPath(context.extensionUri, 'dist', 'fitWorker.js').fsPath, log);
  const store = new ResultsStore(service, diagnostics, log);
  context.subscriptions.push(log, diagnostics, service, store, new StatusBar(store));
  const sideView = new SideViewProvider(context, store, log);
  const filesTree = new ResultFilesTree(store);
  context.subscriptions.push(
    filesTree,
    vscode.window.createTreeView(FILES_VIEW_ID, { treeDataProvider: filesTree, showCollapseAll: false }),
  );
  void filesTree.refresh();
  // The walkthrough's "Fit" step is done when a fit has run, not when its command was merely started.
  context.subscriptions.push(store.onDidChange((state) => state?.outcome && !state.fitting && markStepDone('fitDone')));
  const isNewVersion = oncePerVersion();
  const watcher = watchResultFiles(
    (uri) => {
      if (!store.get(uri.fsPath) || !isNewVersion(uri.fsPath)) return;
      log.info(`changed on disk: ${uri.fsPath}`);
      void store.fit(uri.fsPath);
    },
    () => void filesTree.refresh(),
  );

  context.subscriptions.push(
    vscode.commands.registerCommand('scalingLens.fitScalingLaw', (target?: vscode.Uri | string) =>
      fitScalingLaw(context, store, log, target),
    ),
    vscode.commands.registerCommand('scalingLens.evaluateCheckpoint', async (args?: EvaluateArgs) => {
      const result = await evaluateCheckpoint(context, log, args);
      if (result.ok) markStepDone('evalAppended');
      return result;
    }),
    vscode.commands.registerCommand(GIVE_SAMPLES_SEEN, (args?: GiveSamplesSeenArgs) =>
      giveSamplesSeen(store, log, args),
    ),
    vscode.languages.registerCodeActionsProvider(SAMPLES_SEEN_SELECTOR, new SamplesSeenActions(), {
      providedCodeActionKinds: SamplesSeenActions.kinds,
    }),
    vscode.commands.registerCommand('scalingLens.refreshFiles', () => filesTree.refresh()),
    vscode.commands.registerCommand(
      'scalingLens.openFile',
      (uri?: vscode.Uri) => uri && vscode.window.showTextDocument(uri),
    ),
    ...registerPanelCommands(),
    vscode.commands.registerCommand('scalingLens.openExample', () => openExampleWorkspace(context)),
    FitPanel.registerSerializer(context, store, log),
    vscode.window.registerWebviewViewProvider(SIDE_VIEW_ID, sideView),
    vscode.languages.registerHoverProvider(
      HOVER_SELECTOR,
      new ResultsHoverProvider(store, new RowFits(service, store), () => markStepDone('hoverShown')),
    ),
    watcher,
  );
  // Files being fitted are also watched directly, so a training job's new row is plotted at once.
  context.subscriptions.push(store.onDidChange((state) => state && watcher.watchDirectly(state.file)));
  return { store, resultFiles: async () => (await findResultFiles()).map((uri) => uri.fsPath) };
}

/** "Fit Scaling Law": the panel on the file, its remembered settings, and the questions a guessed layout leaves. */
async function fitScalingLaw(
  context: vscode.ExtensionContext,
  store: ResultsStore,
  log: vscode.LogOutputChannel,
  target?: vscode.Uri | string,
) {
  const file = await pickResultsFile(target);
  if (!file) return undefined;
  FitPanel.show(context, store, log, file);
  store.setActive(file);
  const remembered = rememberedSettings(context, file);
  // Settings remembered by an older version may conflict (joint law with a binned frontier): reconciled, with a note.
  const reconciled = remembered ? reconcileSettings(remembered) : undefined;
  const fitted = store.fit(file, reconciled?.settings, reconciled?.notes);
  let state = await store.firstResult(file, fitted);
  // A file read by guesswork: ask what to fit (once; the answer is remembered like the panel's settings). A
  // metric direction fitted on a guess is asked until answered.
  const chosen = state.outcome
    ? await askWhenAmbiguous(state.outcome.choices, vscode.workspace.asRelativePath(file), !remembered)
    : undefined;
  if (chosen) {
    await rememberSettings(context, file, { ...state.settings, ...chosen });
    state = await store.fit(file, chosen);
  } else state = await fitted;
  return state.problem ? { ok: false, problem: state.problem } : { ok: true, status: state.outcome?.statusText };
}

/**
 * The direct watcher and the workbench watcher both report a write: true the first time a file is seen at a given
 * size and modification time, so a change is refitted once (always true when the file cannot be read).
 */
function oncePerVersion(): (file: string) => boolean {
  const lastSeen = new Map<string, string>();
  return (file) => {
    let version = '';
    try {
      const stat = fs.statSync(file);
      version = `${stat.size}:${stat.mtimeMs}`;
    } catch {}
    if (version && lastSeen.get(file) === version) return false;
    lastSeen.set(file, version);
    return true;
  };
}

async function pickResultsFile(target?: vscode.Uri | string): Promise<string | undefined> {
  if (typeof target === 'string') return target;
  if (target instanceof vscode.Uri) return target.fsPath;
  // The active tab is known before its editor reaches a just-started extension host.
  const tab = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const active =
    vscode.window.activeTextEditor?.document.uri ?? (tab instanceof vscode.TabInputText ? tab.uri : undefined);
  if (active && active.scheme === 'file' && isResultsDocument(active)) return active.fsPath;
  const files = await findResultFiles();
  if (files.length === 0) {
    void vscode.window.showWarningMessage(
      'Scaling Lens: no results files found in this workspace (CSV, JSONL or JSON; see the scalingLens.resultFiles setting).',
    );
    return undefined;
  }
  if (files.length === 1) return files[0].fsPath;
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Fit Scaling Law', placeHolder: 'Results file to fit' },
  );
  return picked?.uri.fsPath;
}

export function deactivate(): void {}
