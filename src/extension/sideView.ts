/**
 * The activity-bar "Frontier" view: a compact frontier plot of the active results file with its laws. The files
 * themselves are listed beside it in the native "Results Files" tree (filesTree.ts).
 */
import * as vscode from 'vscode';
import { assertNever } from '../shared/assertNever';
import { parseSideViewMessage, type HostToSideView, type SideViewToHost } from '../shared/protocol';
import type { ResultsStore } from './resultsStore';
import { revealLine } from './revealLine';
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
      const message = parseSideViewMessage(raw);
      if (!message)
        return this.log.warn(`ignored a malformed message from the side view: ${JSON.stringify(raw)?.slice(0, 200)}`);
      this.receive(message);
    });
    view.onDidChangeVisibility(() => {
      this.lastPosted = undefined;
      this.post();
    });
  }

  private receive(message: SideViewToHost): void {
    switch (message.type) {
      case 'ready': {
        // The handshake: answered once, with the state to show.
        const status = this.store.panelStatus();
        this.lastPosted = status.kind === 'ready' ? status.model : undefined;
        return this.send({ type: 'initialState', id: message.id, status });
      }
      case 'fit':
        return void vscode.commands.executeCommand('scalingLens.fitScalingLaw');
      case 'evaluate':
        return void vscode.commands.executeCommand('scalingLens.evaluateCheckpoint');
      case 'revealLine': {
        const file = this.store.active?.file;
        if (file) void revealLine(file, message.line);
        return;
      }
      default:
        return assertNever(message, (text) => this.log.warn(`side view: ${text}`));
    }
  }

  private send(message: HostToSideView): void {
    void this.view?.webview.postMessage(message);
  }

  private lastPosted: unknown;

  private post(): void {
    if (!this.view) return;
    const status = this.store.panelStatus();
    // The same model (a refit starting): nothing new to draw, as redrawing thousands of points is not free.
    if (status.kind === 'ready' && status.model === this.lastPosted) return;
    this.lastPosted = status.kind === 'ready' ? status.model : undefined;
    this.send({ type: 'status', status });
  }
}
