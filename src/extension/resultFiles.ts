/** Which workspace files are results files: the configured globs, watched for changes with a short debounce. */
import * as vscode from 'vscode';
import { globProblem, normalizeGlob } from '../core/glob';
import { parseConfig } from '../core/schema/config';
import { DirectWatch } from './directWatch';

const MAX_CONFIG_BYTES = 1 << 20;
const MAX_RESULT_GLOBS = 50;

export const DEFAULT_RESULT_GLOBS = [
  '**/*results*.csv',
  '**/*results*.jsonl',
  '**/runs.csv',
  '**/curves.jsonl',
  '**/*.tsv',
  '**/benchmark*.csv',
  '**/benchmark*.json',
  '**/scaling-lens.json',
];

const reportedGlobs = new Set<string>();

/** The scalingLens.resultFiles patterns, bounded as scaling-lens.json's are (a refused one is reported once). */
export function resultGlobs(): string[] {
  const configured = vscode.workspace.getConfiguration('scalingLens').get<unknown>('resultFiles', DEFAULT_RESULT_GLOBS);
  const globs = Array.isArray(configured) ? configured.slice(0, MAX_RESULT_GLOBS) : DEFAULT_RESULT_GLOBS;
  return globs.flatMap((glob) => {
    const problem = typeof glob === 'string' ? globProblem(glob, false) : 'not a string';
    if (!problem) return [normalizeGlob(glob as string)];
    const shown = String(glob).slice(0, 80);
    if (!reportedGlobs.has(shown)) {
      reportedGlobs.add(shown);
      void vscode.window.showWarningMessage(
        `Scaling Lens: the scalingLens.resultFiles pattern "${shown}" is ignored: ${problem}.`,
      );
    }
    return [];
  });
}

/** The `file` patterns of every dataset in the workspace's scaling-lens.json files, relative to each. */
export async function configuredPatterns(): Promise<vscode.RelativePattern[]> {
  const configs = await vscode.workspace.findFiles('**/scaling-lens.json', '**/node_modules/**', 50);
  const patterns = await Promise.all(
    configs.map(async (uri) => {
      try {
        // Regular files only (a FIFO named scaling-lens.json would block the read), of a sane size.
        const stat = await vscode.workspace.fs.stat(uri);
        if ((stat.type & vscode.FileType.File) === 0 || stat.size > MAX_CONFIG_BYTES) return [];
        const config = parseConfig(uri.fsPath, Buffer.from(await vscode.workspace.fs.readFile(uri)).toString('utf8'));
        return config.datasets.map(
          (entry) => new vscode.RelativePattern(vscode.Uri.joinPath(uri, '..'), normalizeGlob(entry.file)),
        );
      } catch {
        return []; // A broken config is reported when a file it describes is fitted.
      }
    }),
  );
  return patterns.flat();
}

export async function findResultFiles(): Promise<vscode.Uri[]> {
  const globs: vscode.GlobPattern[] = [...resultGlobs(), ...(await configuredPatterns())];
  const found = await Promise.all(globs.map((glob) => vscode.workspace.findFiles(glob, '**/node_modules/**', 200)));
  const unique = new Map(
    found
      .flat()
      .filter((uri) => !uri.path.endsWith('scaling-lens.json'))
      .map((uri) => [uri.toString(), uri]),
  );
  return [...unique.values()].sort((a, b) => a.path.localeCompare(b.path));
}

export function isResultsDocument(uri: vscode.Uri): boolean {
  return (
    /\.(csv|tsv|jsonl|json)$/i.test(uri.path) &&
    !uri.path.endsWith('scaling-lens.json') &&
    !uri.path.endsWith('package.json')
  );
}

export interface ResultWatch extends vscode.Disposable {
  /** Also watch this file directly, for low-latency updates of a file being fitted. */
  watchDirectly(file: string): void;
}

type Watch = (uri: vscode.Uri) => void;

function watchPattern(
  pattern: vscode.GlobPattern,
  schedule: Watch,
  onCreateOrDelete: () => void,
): vscode.FileSystemWatcher {
  const watcher = vscode.workspace.createFileSystemWatcher(pattern);
  watcher.onDidChange(schedule);
  watcher.onDidCreate((uri) => {
    schedule(uri);
    onCreateOrDelete();
  });
  watcher.onDidDelete(onCreateOrDelete);
  return watcher;
}

/**
 * Watches the result globs. A change is reported at once (a training job's single new row is plotted without
 * waiting); further changes within `windowMs` (a burst of writes, the same write seen by several watchers) are
 * coalesced into one report at the end of the window.
 */
export function watchResultFiles(
  onChange: (uri: vscode.Uri) => void,
  onCreateOrDelete: () => void,
  windowMs = 40,
): ResultWatch {
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
  const watchers = resultGlobs().map((glob) => watchPattern(glob, schedule, onCreateOrDelete));
  // Files named in scaling-lens.json are results files whatever their names; re-read when a config changes.
  let configured: vscode.FileSystemWatcher[] = [];
  let disposed = false;
  const watchConfigured = async () => {
    const patterns = await configuredPatterns();
    if (disposed) return;
    for (const watcher of configured) watcher.dispose();
    configured = patterns.map((pattern) => watchPattern(pattern, schedule, onCreateOrDelete));
  };
  void watchConfigured();
  const configWatcher = vscode.workspace.createFileSystemWatcher('**/scaling-lens.json');
  configWatcher.onDidChange(() => void watchConfigured());
  configWatcher.onDidCreate(() => void watchConfigured());
  configWatcher.onDidDelete(() => void watchConfigured());
  // Saves from the editor arrive here even where the file watcher is slow.
  const onSave = vscode.workspace.onDidSaveTextDocument((document) => schedule(document.uri));
  const direct = new DirectWatch(schedule);
  return {
    watchDirectly: (file) => direct.watch(file),
    dispose() {
      for (const window of windows.values()) clearTimeout(window.timer);
      disposed = true;
      for (const watcher of [...watchers, ...configured, configWatcher]) watcher.dispose();
      onSave.dispose();
      direct.dispose();
    },
  };
}
