/**
 * The panel's actions as commands, shown in its title bar (icons) and its "…" menu while the panel is active:
 * Export Plot (PNG at 2× or SVG, on a light, dark or the theme's background), Copy Law as LaTeX / Markdown, Save Fit
 * Summary, Reset Settings.
 */
import * as vscode from 'vscode';
import type { ExportBackground } from '../shared/protocol';
import { FitPanel } from './panel';

interface ExportChoice extends vscode.QuickPickItem {
  format: 'png' | 'svg';
  background: ExportBackground;
}

const EXPORT_CHOICES: ExportChoice[] = [
  {
    label: 'PNG, light background',
    description: '2× resolution · for papers and slides',
    format: 'png',
    background: 'light',
  },
  { label: 'PNG, dark background', description: '2× resolution', format: 'png', background: 'dark' },
  {
    label: "PNG, the theme's background",
    description: '2× resolution · as the panel shows it',
    format: 'png',
    background: 'theme',
  },
  { label: 'SVG, light background', description: 'vector image', format: 'svg', background: 'light' },
  { label: 'SVG, dark background', description: 'vector image', format: 'svg', background: 'dark' },
];

function panelOrWarn(): FitPanel | undefined {
  const panel = FitPanel.instance;
  if (!panel) void vscode.window.showWarningMessage('Scaling Lens: open the panel first (Fit Scaling Law).');
  return panel;
}

export function registerPanelCommands(): vscode.Disposable[] {
  return [
    /** `options` lets a test export without the pickers: { format, background, target }. */
    vscode.commands.registerCommand(
      'scalingLens.exportPlot',
      async (options?: { format: 'png' | 'svg'; background: ExportBackground; target?: string }) => {
        const panel = panelOrWarn();
        if (!panel) return undefined;
        const choice =
          options ??
          (await vscode.window.showQuickPick(EXPORT_CHOICES, {
            title: 'Export the frontier plot',
            placeHolder: 'Format and background (title, axis titles and legend are included)',
          }));
        if (!choice) return undefined;
        const saved = await panel.exportPlot(
          choice.format,
          choice.background,
          options?.target ? vscode.Uri.file(options.target) : undefined,
        );
        return saved?.fsPath;
      },
    ),
    vscode.commands.registerCommand('scalingLens.copyLawLatex', () => panelOrWarn()?.copyLaw('latex')),
    vscode.commands.registerCommand('scalingLens.copyLawMarkdown', () => panelOrWarn()?.copyLaw('markdown')),
    vscode.commands.registerCommand('scalingLens.saveSummary', () => panelOrWarn()?.saveSummary()),
    vscode.commands.registerCommand('scalingLens.resetSettings', () => panelOrWarn()?.resetSettings()),
  ];
}
