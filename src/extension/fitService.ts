/** Owns the fit worker: one request in flight per file, a newer request supersedes an older one, a crash restarts it. */
import * as vscode from 'vscode';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { parseHostToWorker, parseWorkerMessage, type DecisionAnswer, type DecisionAsk, type FitOutcome, type FitSettings, type HostToWorker, type RowFitResult, type WorkerProblem } from '../shared/protocol';

/** The workspace folder holding the file (the file's own folder outside any): the boundary of its scaling-lens.json. */
function rootOf(file: string): string {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath ?? path.dirname(file);
}

export type FitResponse = { ok: true; outcome: FitOutcome } | { ok: false; problem: WorkerProblem; related?: WorkerProblem[] };

export class FitService implements vscode.Disposable {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, { file: string; cancelFlag: Int32Array; resolve: (response: FitResponse | undefined) => void; onPartial?: (outcome: FitOutcome) => void }>();
  private readonly latestForFile = new Map<string, number>();
  private readonly pendingRows = new Map<number, (result: RowFitResult) => void>();
  private readonly pendingDecisions = new Map<number, { key: string; cancelFlag: Int32Array; resolve: (answer: DecisionAnswer | undefined) => void; onProgress?: (answer: DecisionAnswer) => void }>();

  constructor(
    private readonly workerPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Resolves with the final fit, or undefined when a newer request for the same file superseded it.
   * `onPartial` receives the quick fit (no bootstrap) that comes first.
   */
  fit(file: string, settings: FitSettings, onPartial?: (outcome: FitOutcome) => void): Promise<FitResponse | undefined> {
    const id = this.nextId++;
    const previous = this.latestForFile.get(file);
    if (previous !== undefined && this.pending.has(previous)) this.cancel(previous);
    this.latestForFile.set(file, id);
    const cancelFlag = new SharedArrayBuffer(4);
    const request: HostToWorker = { type: 'fit', id, body: { file, root: rootOf(file), settings, cancelFlag } };
    // The worker ignores what it cannot validate: refuse it here, with a message, instead of waiting forever.
    if (!parseHostToWorker(request)) return Promise.resolve({ ok: false, problem: { file, line: 1, column: 1, message: `cannot fit with these settings: ${JSON.stringify(settings).slice(0, 200)}` } });
    return new Promise((resolve) => {
      this.pending.set(id, { file, cancelFlag: new Int32Array(cancelFlag), resolve, onPartial });
      this.ensureWorker().postMessage(request);
    });
  }

  /** The law of one row's own task and group (a hover on a row outside the current fit), fitted in the worker. */
  rowFit(file: string, settings: FitSettings, line: number, token?: vscode.CancellationToken): Promise<RowFitResult> {
    const id = this.nextId++;
    const cancelFlag = new SharedArrayBuffer(4);
    // The hover gone (the mouse moved on): its fit stops at its next loop, so hovers swept over many tasks' rows
    // do not queue a fit each in front of the next real fit.
    token?.onCancellationRequested(() => Atomics.store(new Int32Array(cancelFlag), 0, 1));
    const request: HostToWorker = { type: 'rowFit', id, body: { file, root: rootOf(file), settings, line, cancelFlag } };
    if (!parseHostToWorker(request)) return Promise.resolve({ ok: false, reason: `cannot fit this row with these settings: ${JSON.stringify(settings).slice(0, 200)}` });
    return new Promise((resolve) => {
      this.pendingRows.set(id, resolve);
      this.ensureWorker().postMessage(request);
    });
  }

  /**
   * A decision section of a file's fit (approaches, next runs, every task), computed in the worker after the fit.
   * Resolves with its answer, or undefined when a newer request of the same kind for the file superseded it;
   * `onProgress` receives the progress answers that come first.
   */
  decide(file: string, settings: FitSettings, ask: DecisionAsk, onProgress?: (answer: DecisionAnswer) => void): Promise<DecisionAnswer | undefined> {
    const key = `${ask.kind}\u0000${file}`;
    for (const [id, waiting] of this.pendingDecisions) {
      if (waiting.key !== key) continue;
      Atomics.store(waiting.cancelFlag, 0, 1);
      waiting.resolve(undefined);
      this.pendingDecisions.delete(id);
    }
    const id = this.nextId++;
    const cancelFlag = new SharedArrayBuffer(4);
    const request: HostToWorker = { type: 'decide', id, body: { file, root: rootOf(file), settings, ask, cancelFlag } };
    if (!parseHostToWorker(request)) return Promise.resolve({ id: ask.id, kind: 'failed', message: 'the request could not be sent to the fit worker (an extension bug)' });
    return new Promise((resolve) => {
      this.pendingDecisions.set(id, { key, cancelFlag: new Int32Array(cancelFlag), resolve, onProgress });
      this.ensureWorker().postMessage(request);
    });
  }

  /** The worker stays warm: the superseded fit sees its flag in its next loop and the worker moves on. */
  private cancel(id: number): void {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    Atomics.store(waiting.cancelFlag, 0, 1);
    waiting.resolve(undefined);
    this.pending.delete(id);
  }

  /**
   * A worker message the protocol rejects (an extension bug) still ends the request it answers: a fit ends in a
   * failure and a row fit says why, instead of waiting for ever.
   */
  private refuse(raw: unknown): void {
    const { id, type } = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown; type?: unknown }) : {};
    this.log.error(`refused a malformed ${typeof type === 'string' ? `"${type.slice(0, 40)}" ` : ''}message from the fit worker (request ${String(id).slice(0, 20)})`);
    if (typeof id !== 'number') return;
    const row = this.pendingRows.get(id);
    if (row) {
      this.pendingRows.delete(id);
      return row({ ok: false, reason: 'the fit worker sent a malformed answer (an extension bug)' });
    }
    const waiting = this.pending.get(id);
    if (!waiting) return;
    this.pending.delete(id);
    Atomics.store(waiting.cancelFlag, 0, 1); // its bootstrap, if still to come, is not wanted any more
    waiting.resolve({ ok: false, problem: { file: waiting.file, line: 1, column: 1, message: 'the fit worker sent a malformed answer (an extension bug; see the Scaling Lens log): try again' } });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerPath);
    worker.on('message', (raw: unknown) => {
      const message = parseWorkerMessage(raw);
      if (!message) return this.refuse(raw);
      if (message.type === 'rowResult') {
        this.pendingRows.get(message.id)?.(message.result);
        return void this.pendingRows.delete(message.id);
      }
      if (message.type === 'decisionResult') {
        const waiting = this.pendingDecisions.get(message.id);
        if (message.answer.kind === 'progress') return waiting?.onProgress?.(message.answer);
        waiting?.resolve(message.answer);
        return void this.pendingDecisions.delete(message.id);
      }
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      if (message.type === 'result' && !message.final) return waiting.onPartial?.(message.outcome);
      this.pending.delete(message.id);
      if (message.type === 'result') waiting.resolve({ ok: true, outcome: message.outcome });
      else if (message.type === 'failed') waiting.resolve({ ok: false, problem: message.problem, related: message.related });
      else waiting.resolve(undefined);
    });
    worker.on('error', (error) => this.log.error(`fit worker error: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (code !== 0) this.log.error(`fit worker exited with code ${code}; restarting on the next fit`);
      for (const [id, waiting] of this.pending) {
        waiting.resolve({ ok: false, problem: { file: waiting.file, line: 1, column: 1, message: `the fit worker stopped (exit code ${code}); try again` } });
        this.pending.delete(id);
      }
      for (const [id, resolve] of this.pendingRows) {
        resolve({ ok: false, reason: `the fit worker stopped (exit code ${code})` });
        this.pendingRows.delete(id);
      }
      for (const [id, waiting] of this.pendingDecisions) {
        waiting.resolve({ id: 0, kind: 'failed', message: `the fit worker stopped (exit code ${code}); open the section again to retry` });
        this.pendingDecisions.delete(id);
      }
    });
    this.worker = worker;
    return worker;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
