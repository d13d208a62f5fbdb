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

/** Watches the result globs; calls `onChange` once per burst of writes to a file (a training job appending rows). */
export function watchResultFiles(onChange: (uri: vscode.Uri) => void, onCreateOrDelete: () => void, debounceMs = 40): ResultWatch {
  const timers = new Map<string, NodeJS.Timeout>();
  const schedule = (uri: vscode.Uri) => {
    const key = uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => (timers.delete(key), onChange(uri)), debounceMs));
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
      for (const timer of timers.values()) clearTimeout(timer);
      for (const watcher of watchers) watcher.dispose();
      onSave.dispose();
      direct.dispose();
    },
  };
}
