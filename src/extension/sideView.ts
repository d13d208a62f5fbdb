/** The activity-bar side view: compact frontier plot of the active results file, its law, and Fit / Evaluate buttons. */
import * as vscode from 'vscode';
import { parseWebviewMessage, type HostToWebview } from '../shared/protocol';
import type { ResultsStore } from './resultsStore';
import { webviewHtml, webviewRoots } from './webviewHtml';

export const SIDE_VIEW_ID = 'scalingLens.sideView';

export class SideViewProvider implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly store: ResultsStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    context.subscriptions.push(store.onDidChange(() => this.post()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.context.extensionUri) };
    view.webview.html = webviewHtml(view.webview, this.context.extensionUri, 'side', 'Scaling Lens');
    view.webview.onDidReceiveMessage((raw) => {
      const message = parseWebviewMessage(raw);
      if (!message) return this.log.warn('ignored a malformed message from the side view');
      if (message.type === 'ready') this.post();
      else if (message.type === 'fit') void vscode.commands.executeCommand('scalingLens.fitScalingLaw');
    });
    view.onDidChangeVisibility(() => this.post());
  }

  private post(): void {
    if (!this.view) return;
    const message: HostToWebview = { type: 'status', status: this.store.panelStatus() };
    void this.view.webview.postMessage(message);
  }
}
