/**
 * The "Results Files" tree view: the workspace's results files, each with its state as an icon and a short
 * description (fitted · 32 runs, error, fitting, not fitted), the whole message in the tooltip, and Fit / Open in
 * its context menu. A native tree (not a webview list): keyboard, screen readers and theming come with it.
 */
import * as vscode from 'vscode';
import { countText } from '../core/metricWording';
import { findResultFiles } from './resultFiles';
import type { FileState, ResultsStore } from './resultsStore';

export const FILES_VIEW_ID = 'scalingLens.files';

export class ResultFilesTree implements vscode.TreeDataProvider<vscode.Uri>, vscode.Disposable {
  private files: vscode.Uri[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: ResultsStore) {
    // Every item: which file is shown in the panel can change with any file's state.
    this.subscription = store.onDidChange(() => this.changed.fire(undefined));
  }

  /** Re-lists the workspace's results files (after files are created or deleted). */
  async refresh(): Promise<void> {
    this.files = await findResultFiles();
    void vscode.commands.executeCommand('setContext', 'scalingLens.hasResultFiles', this.files.length > 0);
    this.changed.fire(undefined);
  }

  getChildren(element?: vscode.Uri): vscode.Uri[] {
    return element ? [] : this.files;
  }

  getTreeItem(uri: vscode.Uri): vscode.TreeItem {
    const state = this.store.get(uri.fsPath);
    const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
    item.label = vscode.workspace.asRelativePath(uri);
    const look = stateLook(state, this.store.active?.file === uri.fsPath);
    item.description = look.description;
    item.iconPath = new vscode.ThemeIcon(look.icon, look.color ? new vscode.ThemeColor(look.color) : undefined);
    item.tooltip = new vscode.MarkdownString(`**${vscode.workspace.asRelativePath(uri)}**\n\n${look.tooltip}`);
    item.contextValue = `scalingLens.resultsFile.${look.state}`;
    // A click opens the file (the tree's items are files); fitting is the inline and context-menu action.
    item.command = { command: 'vscode.open', title: 'Open', arguments: [uri, { preview: true }] };
    item.accessibilityInformation = { label: `${item.label}, ${look.description}` };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

interface StateLook {
  state: 'fitted' | 'error' | 'fitting' | 'not-fitted';
  icon: string;
  color?: string;
  description: string;
  tooltip: string;
}

function stateLook(state: FileState | undefined, active: boolean): StateLook {
  const shown = active ? ' · shown in the panel' : '';
  if (!state)
    return {
      state: 'not-fitted',
      icon: 'circle-large-outline',
      description: 'not fitted',
      tooltip: 'Not fitted yet: *Fit Scaling Law* from the context menu.',
    };
  if (state.fitting)
    return { state: 'fitting', icon: 'sync~spin', description: `fitting…${shown}`, tooltip: 'A fit is running.' };
  if (state.problem) {
    const where = `line ${state.problem.line}, column ${state.problem.column}`;
    return {
      state: 'error',
      icon: 'error',
      color: 'errorForeground',
      description: `error at line ${state.problem.line}`,
      tooltip: `Cannot be fitted: ${where}: ${state.problem.message}`,
    };
  }
  const model = state.outcome?.model;
  const count = model
    ? countText(model.trainingRuns ?? model.runs, model.trainingRuns === null ? null : model.runs)
    : '';
  const leftOut = model?.rowProblems ? ` · ${model.rowProblems.total} rows left out` : '';
  const laws = model?.formulas.map((f) => `- ${f.group}: \`${f.text}\``).join('\n') ?? '';
  return {
    state: 'fitted',
    icon: model?.rowProblems ? 'warning' : 'pass',
    color: model?.rowProblems ? 'problemsWarningIcon.foreground' : 'testing.iconPassed',
    description: `${count}${leftOut}${shown}`,
    tooltip: `Fitted: ${count}${leftOut}\n\n${laws}`,
  };
}
