import * as vscode from 'vscode';
import type { ScalingLensApi } from '../../src/extension/extension';

export function workspaceFile(...parts: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('the in-host tests need a workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...parts);
}

export async function api(): Promise<ScalingLensApi> {
  const extension = vscode.extensions.all.find((e) => e.packageJSON?.name === 'scaling-lens');
  if (!extension) throw new Error('Scaling Lens extension is not loaded');
  return (await extension.activate()) as ScalingLensApi;
}

/** Polls until `probe` gives a value; the bound is generous (a busy machine), never a measurement. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');
}

/** Attaches a measurement to the running test: the harness prints it under the test's result. */
export function recordMeasurement(context: Mocha.Context, text: string): void {
  if (context.test) (context.test as Mocha.Runnable & { measured?: string }).measured = text;
}
