/** Fit settings per results file, kept in the workspace state: the panel's choices survive reloads and re-runs. */
import * as vscode from 'vscode';
import { isSettings, type FitSettings } from '../shared/protocol';

function key(file: string): string {
  return `scalingLens.settings:${file}`;
}

export function rememberedSettings(context: vscode.ExtensionContext, file: string): FitSettings | undefined {
  const value = context.workspaceState.get<unknown>(key(file));
  return isSettings(value) ? value : undefined;
}

export function rememberSettings(context: vscode.ExtensionContext, file: string, settings: FitSettings): Thenable<void> {
  return context.workspaceState.update(key(file), settings);
}

export function forgetSettings(context: vscode.ExtensionContext, file: string): Thenable<void> {
  return context.workspaceState.update(key(file), undefined);
}
