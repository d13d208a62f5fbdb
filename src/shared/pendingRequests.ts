/**
 * Requests waiting for their answer, paired by id (as vscode-hexeditor's MessageHandler pairs a reply with its
 * request): one place for ids, answers that come before the last (a quick fit, progress), timeouts, giving a request
 * up, and a peer that went away. The fit service uses it for the worker, the webviews for their handshake, the panel
 * for its exports.
 */

export interface RequestHooks<Answer> {
  /** Answers before the last one (`partial`): a quick fit before the bootstrap, a decision's progress. */
  onPartial?: (answer: Answer) => void;
  /** Give up after this long: the request resolves with undefined and `cancel` runs. None: wait for ever. */
  timeoutMs?: number;
  /** Runs when the request is given up (dropped or timed out), e.g. to set the shared flag its job polls. */
  cancel?: () => void;
  /** The answer when the peer is gone (`loseAll`, e.g. the worker exited); undefined when absent. */
  lost?: (reason: string) => Answer | undefined;
}

interface Waiting<Answer> {
  resolve: (answer: Answer | undefined) => void;
  hooks: RequestHooks<Answer>;
  timer?: ReturnType<typeof setTimeout>;
}

export class PendingRequests<Answer> {
  private lastId = 0;
  private readonly waiting = new Map<number, Waiting<Answer>>();

  /** A new request: the id to send with it, and its answer (undefined when it was given up or timed out). */
  start(hooks: RequestHooks<Answer> = {}): { id: number; answer: Promise<Answer | undefined> } {
    const id = ++this.lastId;
    const answer = new Promise<Answer | undefined>((resolve) => {
      const entry: Waiting<Answer> = { resolve, hooks };
      if (hooks.timeoutMs !== undefined) entry.timer = setTimeout(() => this.drop(id), hooks.timeoutMs);
      this.waiting.set(id, entry);
    });
    return { id, answer };
  }

  /** The last answer to `id`; false when nothing waits for it (a late answer to a request given up, or a stray id). */
  settle(id: number, answer: Answer): boolean {
    const entry = this.take(id);
    entry?.resolve(answer);
    return entry !== undefined;
  }

  /** An answer before the last one; false when nothing waits for `id`. */
  partial(id: number, answer: Answer): boolean {
    const entry = this.waiting.get(id);
    entry?.hooks.onPartial?.(answer);
    return entry !== undefined;
  }

  /** Give a request up (superseded, timed out): it resolves with undefined and its `cancel` hook runs. */
  drop(id: number): void {
    const entry = this.take(id);
    if (!entry) return;
    entry.hooks.cancel?.();
    entry.resolve(undefined);
  }

  /** One request failed without an answer (its answer was malformed): it resolves with its `lost` answer, and `cancel` runs. */
  fail(id: number, reason: string): boolean {
    const entry = this.take(id);
    if (!entry) return false;
    entry.hooks.cancel?.();
    entry.resolve(entry.hooks.lost?.(reason));
    return true;
  }

  /** The peer is gone: every waiting request resolves with its `lost` answer. */
  loseAll(reason: string): void {
    for (const id of [...this.waiting.keys()]) {
      const entry = this.take(id)!;
      entry.resolve(entry.hooks.lost?.(reason));
    }
  }

  has(id: number): boolean {
    return this.waiting.has(id);
  }

  private take(id: number): Waiting<Answer> | undefined {
    const entry = this.waiting.get(id);
    if (!entry) return undefined;
    this.waiting.delete(id);
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    return entry;
  }
}
