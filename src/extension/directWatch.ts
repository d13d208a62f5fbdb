/**
 * Low-latency change events for the files being fitted: node's fs.watch (inotify) reports a write within
 * milliseconds, where the workbench file watcher batches events for a few hundred. A file replaced by rename
 * (atomic writers, our own eval) is watched again under its name.
 */
import fs from 'node:fs';
import * as vscode from 'vscode';

export class DirectWatch implements vscode.Disposable {
  private readonly watchers = new Map<string, fs.FSWatcher>();

  constructor(private readonly onChange: (uri: vscode.Uri) => void) {}

  watch(file: string): void {
    if (this.watchers.has(file)) return;
    try {
      const watcher = fs.watch(file, { persistent: false }, (event) => {
        this.onChange(vscode.Uri.file(file));
        if (event === 'rename') {
          // The name may now point at a new inode: re-arm on it.
          this.unwatch(file);
          setTimeout(() => fs.existsSync(file) && this.watch(file), 20);
        }
      });
      watcher.on('error', () => this.unwatch(file));
      this.watchers.set(file, watcher);
    } catch {
      // Not watchable (remote or virtual file system): the workbench watcher still covers it.
    }
  }

  private unwatch(file: string): void {
    this.watchers.get(file)?.close();
    this.watchers.delete(file);
  }

  dispose(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }
}
