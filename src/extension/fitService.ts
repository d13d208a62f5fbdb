/** Owns the fit worker: one request in flight per file, a newer request supersedes an older one, a crash restarts it. */
import * as vscode from 'vscode';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { PendingRequests, type RequestHooks } from '../shared/pendingRequests';
import {
  parseHostToWorker,
  parseWorkerMessage,
  type DecisionAnswer,
  type DecisionAsk,
  type FitJobResult,
  type FitSettings,
  type HostToWorker,
  type RowFitResult,
  type WorkerProblem,
  type WorkerToHost,
} from '../shared/protocol';

/** The workspace folder holding the file (the file's own folder outside any): the boundary of its scaling-lens.json. */
function rootOf(file: string): string {
  return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath ?? path.dirname(file);
}

export type FitResponse =
  { ok: true; outcome: FitJobResult } | { ok: false; problem: WorkerProblem; related?: WorkerProblem[] };

/** Sets a job's shared flag, which its loops poll (a fit runs synchronously in the worker: a message would wait). */
function cancelFlag(): { buffer: SharedArrayBuffer; set: () => void } {
  const buffer = new SharedArrayBuffer(4);
  return { buffer, set: () => Atomics.store(new Int32Array(buffer), 0, 1) };
}

/**
 * Fits take as long as the data need (a 100k-run bootstrap: minutes), so worker requests have no timeout: a newer
 * request supersedes an older one (its flag set), and a worker that exits fails every request waiting on it.
 */
export class FitService implements vscode.Disposable {
  private worker: Worker | undefined;
  private readonly requests = new PendingRequests<WorkerToHost>();
  /** The request in flight per file (fits) and per file and decision kind (decisions): a newer one supersedes it. */
  private readonly latest = new Map<string, number>();

  constructor(
    private readonly workerPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /**
   * Resolves with the final fit, or undefined when a newer request for the same file superseded it.
   * `onPartial` receives the quick fit (no bootstrap) that comes first.
   */
  async fit(
    file: string,
    settings: FitSettings,
    onPartial?: (outcome: FitJobResult) => void,
  ): Promise<FitResponse | undefined> {
    const flag = cancelFlag();
    const answer = this.send(
      `fit\u0000${file}`,
      (id) => ({ type: 'fit', id, body: { file, root: rootOf(file), settings, cancelFlag: flag.buffer } }),
      {
        cancel: flag.set,
        onPartial: (message) => message.type === 'result' && onPartial?.(message.outcome),
        lost: (reason) => ({
          type: 'failed',
          id: 0,
          problem: { file, line: 1, column: 1, message: `the fit worker failed (${reason}); try again` },
        }),
      },
    );
    // The worker ignores what it cannot validate: refuse it here, with a message, instead of waiting forever.
    if (!answer)
      return {
        ok: false,
        problem: {
          file,
          line: 1,
          column: 1,
          message: `cannot fit with these settings: ${JSON.stringify(settings).slice(0, 200)}`,
        },
      };
    const message = await answer;
    if (message?.type === 'result') return { ok: true, outcome: message.outcome };
    if (message?.type === 'failed') return { ok: false, problem: message.problem, related: message.related };
    return undefined;
  }

  /** The law of one row's own task and group (a hover on a row outside the current fit), fitted in the worker. */
  async rowFit(
    file: string,
    settings: FitSettings,
    line: number,
    token?: vscode.CancellationToken,
  ): Promise<RowFitResult> {
    const flag = cancelFlag();
    // The hover gone (the mouse moved on): its fit stops at its next loop, so hovers swept over many tasks' rows
    // do not queue a fit each in front of the next real fit.
    token?.onCancellationRequested(flag.set);
    const answer = this.send(
      undefined,
      (id) => ({ type: 'rowFit', id, body: { file, root: rootOf(file), settings, line, cancelFlag: flag.buffer } }),
      {
        lost: (reason) => ({
          type: 'rowResult',
          id: 0,
          result: { ok: false, reason: `the fit worker failed (${reason})` },
        }),
      },
    );
    if (!answer)
      return {
        ok: false,
        reason: `cannot fit this row with these settings: ${JSON.stringify(settings).slice(0, 200)}`,
      };
    const message = await answer;
    return message?.type === 'rowResult' ? message.result : { ok: false, reason: 'no answer from the fit worker' };
  }

  /**
   * A decision section of a file's fit (approaches, next runs, every task), computed in the worker after the fit.
   * Resolves with its answer, or undefined when a newer request of the same kind for the file superseded it;
   * `onProgress` receives the progress answers that come first.
   */
  async decide(
    file: string,
    settings: FitSettings,
    ask: DecisionAsk,
    onProgress?: (answer: DecisionAnswer) => void,
  ): Promise<DecisionAnswer | undefined> {
    const flag = cancelFlag();
    const answer = this.send(
      `${ask.kind}\u0000${file}`,
      (id) => ({ type: 'decide', id, body: { file, root: rootOf(file), settings, ask, cancelFlag: flag.buffer } }),
      {
        cancel: flag.set,
        onPartial: (message) => message.type === 'decisionResult' && onProgress?.(message.answer),
        lost: (reason) => ({
          type: 'decisionResult',
          id: 0,
          answer: {
            id: 0,
            kind: 'failed',
            message: `the fit worker failed (${reason}); open the section again to retry`,
          },
        }),
      },
    );
    if (!answer)
      return {
        id: ask.id,
        kind: 'failed',
        message: 'the request could not be sent to the fit worker (an extension bug)',
      };
    const message = await answer;
    return message?.type === 'decisionResult' ? message.answer : undefined;
  }

  /**
   * Sends a request (the one in flight under the same `supersedes` key is given up first); undefined when the
   * request fails the protocol's validator (never sent).
   */
  private send(
    supersedes: string | undefined,
    request: (id: number) => HostToWorker,
    hooks: RequestHooks<WorkerToHost>,
  ): Promise<WorkerToHost | undefined> | undefined {
    const previous = supersedes !== undefined ? this.latest.get(supersedes) : undefined;
    if (previous !== undefined) this.requests.drop(previous);
    const { id, answer } = this.requests.start(hooks);
    const message = request(id);
    if (!parseHostToWorker(message)) {
      this.requests.drop(id);
      return undefined;
    }
    if (supersedes !== undefined) this.latest.set(supersedes, id);
    this.ensureWorker().postMessage(message);
    return answer;
  }

  private receive(raw: unknown): void {
    const message = parseWorkerMessage(raw);
    if (!message) return this.refuse(raw);
    // The quick fit before the bootstrap, and a decision's progress, come before the last answer.
    const partial =
      (message.type === 'result' && !message.final) ||
      (message.type === 'decisionResult' && message.answer.kind === 'progress');
    if (partial) this.requests.partial(message.id, message);
    else this.requests.settle(message.id, message);
  }

  /**
   * A worker message the protocol rejects (an extension bug) still ends the request it answers: a fit ends in a
   * failure and a row fit says why, instead of waiting for ever.
   */
  private refuse(raw: unknown): void {
    const { id, type } = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown; type?: unknown }) : {};
    this.log.error(
      `refused a malformed ${typeof type === 'string' ? `"${type.slice(0, 40)}" ` : ''}message from the fit worker (request ${String(id).slice(0, 20)})`,
    );
    if (typeof id === 'number')
      this.requests.fail(id, 'it sent a malformed answer, an extension bug: see the Scaling Lens log');
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.workerPath);
    worker.on('message', (raw: unknown) => this.receive(raw));
    worker.on('error', (error) => this.log.error(`fit worker error: ${error.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      if (code !== 0) this.log.error(`fit worker exited with code ${code}; restarting on the next fit`);
      this.latest.clear();
      this.requests.loseAll(`exit code ${code}`);
    });
    this.worker = worker;
    return worker;
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }
}
