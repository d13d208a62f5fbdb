/** The "Fit Scaling Law" webview panel: one per window, restored after reload by its serializer. */
import * as vscode from 'vscode';
import { isSettings, parseWebviewMessage, type HostToWebview } from '../shared/protocol';
import { askWhenAmbiguous } from './askChoices';
import type { ResultsStore } from './resultsStore';
import { webviewHtml, webviewRoots } from './webviewHtml';
import { lawAsLatex, lawAsMarkdown } from './lawText';
import { revealLine } from './revealLine';
import { rememberedSettings, rememberSettings } from './settingsMemory';

export const PANEL_VIEW_TYPE = 'scalingLens.panel';

interface PanelState {
  file?: string;
  settings?: unknown;
}

export class FitPanel implements vscode.Disposable {
  private static current: FitPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private file: string | undefined;

  static show(context: vscode.ExtensionContext, store: ResultsStore, log: vscode.LogOutputChannel, file: string): FitPanel {
    if (FitPanel.current) {
      FitPanel.current.file = file;
      FitPanel.current.panel.reveal(undefined, false);
      FitPanel.current.post();
      return FitPanel.current;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'Scaling Lens', vscode.ViewColumn.Beside, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: webviewRoots(context.extensionUri),
    });
    FitPanel.current = new FitPanel(panel, context, store, log, file);
    return FitPanel.current;
  }

  static registerSerializer(context: vscode.ExtensionContext, store: ResultsStore, log: vscode.LogOutputChannel): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const saved = (state ?? {}) as PanelState;
        log.info(`restoring the panel from saved state ${JSON.stringify(saved).slice(0, 300)}`);
        // Restored state comes from the webview: use its file only if it is a file of this workspace.
        const file = typeof saved.file === 'string' && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(saved.file)) ? saved.file : undefined;
        // The host's own record of the settings is newer than the webview's state, which VS Code persists lazily.
        const settings = (file ? rememberedSettings(context, file) : undefined) ?? (isSettings(saved.settings) ? saved.settings : undefined);
        panel.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(context.extensionUri) };
        FitPanel.current = new FitPanel(panel, context, store, log, file);
        if (file && !store.get(file)) {
          store.setActive(file);
          void store.fit(file, settings);
        }
      },
    });
  }

  static get instance(): FitPanel | undefined {
    return FitPanel.current;
  }

  private constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly context: vscode.ExtensionContext,
    private readonly store: ResultsStore,
    private readonly log: vscode.LogOutputChannel,
    file: string | undefined,
  ) {
    this.file = file;
    panel.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'icon.svg');
    panel.webview.html = webviewHtml(panel.webview, context.extensionUri, 'panel', 'Scaling Lens');
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((raw) => this.receive(raw)),
      store.onDidChange((state) => {
        if (!state || state.file === this.file) this.post();
      }),
    );
  }

  get currentFile(): string | undefined {
    return this.file;
  }

  private lastPosted: unknown;

  private post(): void {
    const status = this.store.panelStatus(this.file);
    // A refit starting leaves the shown fit in place: do not send (and redraw) the same model again.
    if (status.kind === 'ready' && status.model === this.lastPosted) return;
    this.lastPosted = status.kind === 'ready' ? status.model : undefined;
    const message: HostToWebview = { type: 'status', status };
    void this.panel.webview.postMessage(message);
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parseWebviewMessage(raw);
    if (!message) {
      this.log.warn(`ignored a malformed message from the panel: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        this.lastPosted = undefined;
        this.post();
        return;
      case 'settings':
        if (!this.file) return;
        {
          const file = this.file;
          const fitting = this.store.fit(file, message.settings);
          // The store's merged settings: a direction stated for an earlier metric is not remembered for a new one.
          await rememberSettings(this.context, file, this.store.get(file)!.settings);
          // A metric chosen here whose name does not say whether higher is better is asked about, as the command does.
          const first = await this.store.firstResult(file, fitting);
          const chosen = first.outcome?.choices.directionAmbiguous ? await askWhenAmbiguous(first.outcome.choices, vscode.workspace.asRelativePath(file), false) : undefined;
          if (chosen) {
            await rememberSettings(this.context, file, { ...this.store.get(file)!.settings, ...chosen });
            await this.store.fit(file, chosen);
          } else await fitting;
        }
        return;
      case 'fit':
        if (this.file) await this.store.fit(this.file);
        return;
      case 'copyLaw': {
        const outcome = this.file ? this.store.get(this.file)?.outcome : undefined;
        if (!outcome) return;
        const text = outcome.model.formulas.map((f) => (message.format === 'latex' ? lawAsLatex(f.text) : lawAsMarkdown(f.group, f.text))).join('\n');
        await vscode.env.clipboard.writeText(text);
        void vscode.window.showInformationMessage(`Scaling Lens: law copied as ${message.format === 'latex' ? 'LaTeX' : 'Markdown'}.`);
        return;
      }
      case 'saveSummary': {
        const outcome = this.file ? this.store.get(this.file)?.outcome : undefined;
        if (!this.file || !outcome) return;
        const target = vscode.Uri.file(this.file.replace(/\.[^./\\]+$/, '') + '.fit.json');
        await vscode.workspace.fs.writeFile(target, Buffer.from(JSON.stringify(outcome.summary, null, 2) + '\n'));
        const open = await vscode.window.showInformationMessage(`Scaling Lens: fit summary saved to ${vscode.workspace.asRelativePath(target)}.`, 'Open');
        if (open) await vscode.window.showTextDocument(target);
        return;
      }
      case 'exportPng': {
        if (!this.file) return;
        const target = await vscode.window.showSaveDialog({
          title: 'Export the frontier plot as PNG',
          defaultUri: vscode.Uri.file(this.file.replace(/\.[^./\\]+$/, '') + '.frontier.png'),
          filters: { 'PNG image': ['png'] },
        });
        if (!target) return;
        await vscode.workspace.fs.writeFile(target, Buffer.from(message.dataUrl.slice('data:image/png;base64,'.length), 'base64'));
        void vscode.window.showInformationMessage(`Scaling Lens: plot exported to ${vscode.workspace.asRelativePath(target)}.`);
        return;
      }
      case 'revealLine':
        if (this.file) await revealLine(this.file, message.line);
        return;
    }
  }

  dispose(): void {
    if (FitPanel.current === this) FitPanel.current = undefined;
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
