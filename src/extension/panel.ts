/**
 * The "Fit Scaling Law" webview panel: one per window, restored after reload by its serializer. Its actions (export,
 * copy, save, reset) are commands in the panel's title bar; settings changes come from the webview's toolbar.
 */
import * as vscode from 'vscode';
import { reconcileSettings } from '../core/settingsRules';
import { assertNever } from '../shared/assertNever';
import { PendingRequests } from '../shared/pendingRequests';
import {
  isSettings,
  parsePanelMessage,
  type DecisionAnswer,
  type DecisionAsk,
  type ExportBackground,
  type FitSettings,
  type HostToPanel,
} from '../shared/protocol';
import { askWhenAmbiguous } from './askChoices';
import { defaultSettings, type ResultsStore } from './resultsStore';
import { webviewHtml, webviewRoots } from './webviewHtml';
import { lawAsLatex, lawAsMarkdown } from './lawText';
import { revealLine } from './revealLine';
import { forgetSettings, rememberedSettings, rememberSettings } from './settingsMemory';

export const PANEL_VIEW_TYPE = 'scalingLens.panel';

interface PanelState {
  file?: string;
  settings?: unknown;
}

type ExportFormat = 'png' | 'svg';
/** The webview draws the figure off screen: a panel that has not answered by then draws nothing (no fit shown). */
const EXPORT_TIMEOUT_MS = 30_000;

export class FitPanel implements vscode.Disposable {
  private static current: FitPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private file: string | undefined;
  /** Exports asked of the webview, waiting for its image (`exportPng` / `exportSvg` with the request's id). */
  private readonly exports = new PendingRequests<{ format: ExportFormat; data: string }>();

  static show(
    context: vscode.ExtensionContext,
    store: ResultsStore,
    log: vscode.LogOutputChannel,
    file: string,
  ): FitPanel {
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

  static registerSerializer(
    context: vscode.ExtensionContext,
    store: ResultsStore,
    log: vscode.LogOutputChannel,
  ): vscode.Disposable {
    return vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        const saved = (state ?? {}) as PanelState;
        log.info(`restoring the panel from saved state ${JSON.stringify(saved).slice(0, 300)}`);
        // Restored state comes from the webview: use its file only if it is a file of this workspace.
        const file =
          typeof saved.file === 'string' && vscode.workspace.getWorkspaceFolder(vscode.Uri.file(saved.file))
            ? saved.file
            : undefined;
        // The host's own record of the settings is newer than the webview's state, which VS Code persists lazily.
        const settings =
          (file ? rememberedSettings(context, file) : undefined) ??
          (isSettings(saved.settings) ? saved.settings : undefined);
        panel.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(context.extensionUri) };
        FitPanel.current = new FitPanel(panel, context, store, log, file);
        if (file && !store.get(file)) {
          store.setActive(file);
          const reconciled = settings ? reconcileSettings(settings) : undefined;
          void store.fit(file, reconciled?.settings, reconciled?.notes);
        }
      },
    });
  }

  /** The open panel, for its title-bar commands (panelCommands.ts). */
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
    void vscode.commands.executeCommand('setContext', 'scalingLens.panelOpen', true);
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

  private lastPosted: unknown;

  private send(message: HostToPanel): void {
    void this.panel.webview.postMessage(message);
  }

  private post(): void {
    const status = this.store.panelStatus(this.file);
    // A refit starting leaves the shown fit in place: do not send (and redraw) the same model again.
    if (status.kind === 'ready' && status.model === this.lastPosted) return;
    this.lastPosted = status.kind === 'ready' ? status.model : undefined;
    this.send({ type: 'status', status });
  }

  /** The handshake: the webview loaded (or reloaded) answers its 'ready' once, with the state to show. */
  private answerReady(id: number): void {
    const status = this.store.panelStatus(this.file);
    this.lastPosted = status.kind === 'ready' ? status.model : undefined;
    this.send({ type: 'initialState', id, status });
  }

  private async receive(raw: unknown): Promise<void> {
    const message = parsePanelMessage(raw);
    if (!message) {
      this.log.warn(`ignored a malformed message from the panel: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (message.type) {
      case 'ready':
        return this.answerReady(message.id);
      case 'settings':
        return this.applySettings(message.settings);
      case 'resetSettings':
        return this.resetSettings();
      case 'exportPlot':
        return void vscode.commands.executeCommand('scalingLens.exportPlot');
      case 'copyLaw':
        return this.copyLaw(message.format);
      case 'saveSummary':
        return this.saveSummary();
      case 'exportPng':
        return void this.exports.settle(message.id, { format: 'png', data: message.dataUrl });
      case 'exportSvg':
        return void this.exports.settle(message.id, { format: 'svg', data: message.svg });
      case 'revealLine':
        if (this.file) await revealLine(this.file, message.line);
        return;
      case 'decide':
        return this.decide(message.ask);
      default:
        return assertNever(message, (text) => this.log.warn(`panel: ${text}`));
    }
  }

  /** A decision section asked for by the webview: computed in the fit worker, its progress and answer sent back. */
  private async decide(ask: DecisionAsk): Promise<void> {
    const file = this.file;
    if (!file) return;
    const send = (answer: DecisionAnswer) => {
      if (this.file === file) this.send({ type: 'decision', answer: { ...answer, id: ask.id } });
    };
    const answer = await this.store.decide(file, ask, send);
    if (answer) send(answer);
  }

  /** Settings from the toolbar: made consistent again here (the webview is untrusted), remembered once fitted. */
  private async applySettings(settings: FitSettings): Promise<void> {
    const file = this.file;
    if (!file) return;
    const { settings: consistent, notes } = reconcileSettings(settings, {
      laws: this.store.get(file)?.outcome?.choices.laws,
    });
    const fitting = this.store.fit(file, consistent, notes);
    // A metric chosen here whose name does not say whether higher is better is asked about, as the command does.
    const first = await this.store.firstResult(file, fitting);
    const chosen = first.outcome?.choices.directionAmbiguous
      ? await askWhenAmbiguous(first.outcome.choices, vscode.workspace.asRelativePath(file), false)
      : undefined;
    const state = chosen ? await this.store.fit(file, chosen) : await fitting;
    // What was fitted in the end (the last working settings when these could not be fitted); the store's merge drops
    // a direction stated for an earlier metric.
    await rememberSettings(this.context, file, state.settings);
  }

  async resetSettings(): Promise<void> {
    const file = this.file;
    if (!file) return;
    await forgetSettings(this.context, file);
    await this.store.fit(file, {
      ...defaultSettings(),
      task: undefined,
      metric: undefined,
      group: undefined,
      budgetText: undefined,
    });
  }

  async copyLaw(format: 'latex' | 'markdown'): Promise<void> {
    const outcome = this.file ? this.store.get(this.file)?.outcome : undefined;
    if (!outcome) return;
    const text = outcome.model.formulas
      .map((f) => (format === 'latex' ? lawAsLatex(f.text) : lawAsMarkdown(f.group, f.text)))
      .join('\n');
    await vscode.env.clipboard.writeText(text);
    void vscode.window.showInformationMessage(
      `Scaling Lens: law copied as ${format === 'latex' ? 'LaTeX' : 'Markdown'}.`,
    );
  }

  async saveSummary(): Promise<void> {
    const outcome = this.file ? this.store.get(this.file)?.outcome : undefined;
    if (!this.file || !outcome) return;
    const target = vscode.Uri.file(this.file.replace(/\.[^./\\]+$/, '') + '.fit.json');
    await vscode.workspace.fs.writeFile(target, Buffer.from(JSON.stringify(outcome.summary, null, 2) + '\n'));
    const open = await vscode.window.showInformationMessage(
      `Scaling Lens: fit summary saved to ${vscode.workspace.asRelativePath(target)}.`,
      'Open',
    );
    if (open) await vscode.window.showTextDocument(target);
  }

  /** Asks the webview for the plot as an image, then where to save it. Resolves with the saved file, if any. */
  async exportPlot(
    format: ExportFormat,
    background: ExportBackground,
    target?: vscode.Uri,
  ): Promise<vscode.Uri | undefined> {
    if (!this.file) return undefined;
    const { id, answer } = this.exports.start({ timeoutMs: EXPORT_TIMEOUT_MS });
    this.send({ type: 'exportRequest', id, format, background });
    const image = await answer;
    const data = image?.format === format ? image.data : undefined;
    if (!data) {
      void vscode.window.showErrorMessage(
        'Scaling Lens: the panel did not draw the plot for export (is a fit shown?).',
      );
      return undefined;
    }
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        title: `Export the frontier plot as ${format.toUpperCase()}`,
        defaultUri: vscode.Uri.file(this.file.replace(/\.[^./\\]+$/, '') + `.frontier.${format}`),
        filters: format === 'png' ? { 'PNG image': ['png'] } : { 'SVG image': ['svg'] },
      }));
    if (!uri) return undefined;
    const bytes =
      format === 'png' ? Buffer.from(data.slice('data:image/png;base64,'.length), 'base64') : Buffer.from(data, 'utf8');
    await vscode.workspace.fs.writeFile(uri, bytes);
    void vscode.window.showInformationMessage(
      `Scaling Lens: plot exported to ${vscode.workspace.asRelativePath(uri)}.`,
    );
    return uri;
  }

  dispose(): void {
    if (FitPanel.current === this) {
      FitPanel.current = undefined;
      void vscode.commands.executeCommand('setContext', 'scalingLens.panelOpen', false);
    }
    this.exports.loseAll('the panel was closed');
    this.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
