/** Which workspace files are results files: the configured globs, watched for changes with a short debounce. */
import * as vscode from 'vscode';
import { DirectWatch } from './directWatch';

export const DEFAULT_RESULT_GLOBS = ['**/*results*.csv', '**/*results*.jsonl', '**/runs.csv', '**/curves.jsonl', '**/*.tsv', '**/scaling-lens.json'];

export function resultGlobs(): string[] {
  return vscode.workspace.getConfiguration('scalingLens').get<string[]>('resultFiles', DEFAULT_RESULT_GLOBS);
}

export async function findResultFiles(): Promise<vscode.Uri[]> {
  const found = await Promise.all(resultGlobs().map((glob) => vscode.workspace.findFiles(glob, '**/node_modules/**', 200)));
  const unique = new Map(found.flat().filter((uri) => !uri.path.endsWith('scaling-lens.json')).map((uri) => [uri.toString(), uri]));
  return [...unique.values()].sort((a, b) => a.path.localeCompare(b.path));
}

export function isResultsDocument(uri: vscode.Uri): boolean {
  return /\.(csv|tsv|jsonl|json)$/i.test(uri.path) && !uri.path.endsWith('scaling-lens.json') && !uri.path.endsWith('package.json');
}

export interface ResultWatch extends vscode.Disposable {
  /** Also watch this file directly, for low-latency updates of a file being fitted. */
  watchDirectly(file: string): void;
}

/**
 * Watches the result globs. A change is reported at once (a training job's single new row is plotted without
 * waiting); further changes within `windowMs` (a burst of writes, the same write seen by several watchers) are
 * coalesced into one report at the end of the window.
 */
export function watchResultFiles(onChange: (uri: vscode.Uri) => void, onCreateOrDelete: () => void, windowMs = 40): ResultWatch {
  const windows = new Map<string, { timer: NodeJS.Timeout; pending: boolean }>();
  const close = (key: string, uri: vscode.Uri) => {
    const window = windows.get(key);
    if (!window?.pending) return void windows.delete(key);
    window.pending = false;
    window.timer = setTimeout(() => close(key, uri), windowMs);
    onChange(uri);
  };
  const schedule = (uri: vscode.Uri) => {
    const key = uri.toString();
    const window = windows.get(key);
    if (window) {
      window.pending = true;
      return;
    }
    windows.set(key, { timer: setTimeout(() => close(key, uri), windowMs), pending: false });
    onChange(uri);
  };
  const watchers = resultGlobs().map((glob) => {
    const watcher = vscode.workspace.createFileSystemWatcher(glob);
    watcher.onDidChange(schedule);
    watcher.onDidCreate((uri) => {
      schedule(uri);
      onCreateOrDelete();
    });
    watcher.onDidDelete(onCreateOrDelete);
    return watcher;
  });
  // Saves from the editor arrive here even where the file watcher is slow.
  const onSave = vscode.workspace.onDidSaveTextDocument((document) => schedule(document.uri));
  const direct = new DirectWatch(schedule);
  return {
    watchDirectly: (file) => direct.watch(file),
    dispose() {
      for (const window of windows.values()) clearTimeout(window.timer);
      for (const watcher of watchers) watcher.dispose();
      onSave.dispose();
      direct.dispose();
    },
  };
}
