/** The activity-bar side view: compact frontier plot of the active results file, its law, watched files, Fit / Evaluate. */
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostToWebview, type WatchedFile } from '../shared/protocol';
import { findResultFiles } from './resultFiles';
import type { ResultsStore } from './resultsStore';
import { revealLine } from './revealLine';
import { webviewHtml, webviewRoots } from './webviewHtml';

export const SIDE_VIEW_ID = 'scalingLens.sideView';

export class SideViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private files: vscode.Uri[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: ResultsStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    context.subscriptions.push(store.onDidChange(() => this.post()));
  }

  /** Re-lists the workspace's results files (after files are created or deleted). */
  async refreshFiles(): Promise<void> {
    this.files = await findResultFiles();
    this.post();
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.context.extensionUri) };
    view.webview.html = webviewHtml(view.webview, this.context.extensionUri, 'side', 'Scaling Lens');
    view.webview.onDidReceiveMessage((raw) => {
      const message = parseWebviewMessage(raw);
      if (!message) return this.log.warn(`ignored a malformed message from the side view: ${JSON.stringify(raw)?.slice(0, 200)}`);
      if (message.type === 'ready') {
        // Show what is known now; the file list (a workspace search, slow right after a reload) follows.
        this.lastPosted = undefined;
        this.post();
        void this.refreshFiles();
      }
      else if (message.type === 'fit') void vscode.commands.executeCommand('scalingLens.fitScalingLaw');
      else if (message.type === 'evaluate') void vscode.commands.executeCommand('scalingLens.evaluateCheckpoint');
      else if (message.type === 'revealLine') {
        const file = this.store.active?.file;
        if (file) void revealLine(file, message.line);
      } else if (message.type === 'fitFile') {
        const file = this.files[message.index];
        if (file) void vscode.commands.executeCommand('scalingLens.fitScalingLaw', file);
      }
    });
    view.onDidChangeVisibility(() => {
      this.lastPosted = undefined;
      this.post();
    });
  }

  private lastPosted: unknown;
  private lastFiles = '';

  private post(): void {
    if (!this.view) return;
    const active = this.store.active?.file;
    const files: WatchedFile[] = this.files.map((uri) => {
      const state = this.store.get(uri.fsPath);
      return {
        name: vscode.workspace.asRelativePath(uri),
        state: !state ? 'not fitted' : state.fitting ? 'fitting' : state.problem ? 'error' : 'fitted',
        runs: state?.outcome?.model.runs ?? null,
        problem: state?.problem ? `line ${state.problem.line}: ${state.problem.message}` : null,
        active: uri.fsPath === active,
      };
    });
    const status = this.store.panelStatus();
    const filesKey = JSON.stringify(files);
    // The same model (a refit starting): send the file list alone, as redrawing thousands of points is not free.
    const sameModel = status.kind === 'ready' && status.model === this.lastPosted;
    if (sameModel && filesKey === this.lastFiles) return;
    this.lastFiles = filesKey;
    if (sameModel) return void this.view.webview.postMessage({ type: 'files', files } satisfies HostToWebview);
    this.lastPosted = status.kind === 'ready' ? status.model : undefined;
    const message: HostToWebview = { type: 'status', status, files };
    void this.view.webview.postMessage(message);
  }
}
