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

/** Only settings that pass the protocol's validator are kept (no extra keys, no oversized strings). */
export function rememberSettings(
  context: vscode.ExtensionContext,
  file: string,
  settings: FitSettings,
): Thenable<void> {
  return isSettings(settings) ? context.workspaceState.update(key(file), settings) : Promise.resolve();
}

export function forgetSettings(context: vscode.ExtensionContext, file: string): Thenable<void> {
  return context.workspaceState.update(key(file), undefined);
}
