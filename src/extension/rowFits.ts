/**
 * Laws for rows outside the panel's fit (every other task of a multi-task file), fitted on demand in the worker and
 * cached per file until its fit changes: the first hover on a task's row waits for one fit, every later hover on
 * any row of that task answers from the cache.
 */
import type * as vscode from 'vscode';
import { ROW_FIT_CANCELLED, type FitJobResult, type HoverModel, type RowFitResult } from '../shared/protocol';
import type { FitService } from './fitService';
import type { ResultsStore } from './resultsStore';

interface FileCache {
  /** The fit these answers were made for: a new fit (settings, edited file) empties the cache. */
  outcome: FitJobResult;
  models: HoverModel[];
  reasons: Map<number, string>;
  pending: Map<number, Promise<RowFitResult>>;
}

export type RowLaw = { ok: true; model: HoverModel; task: string | null } | { ok: false; reason: string };

export class RowFits {
  private readonly caches = new Map<string, FileCache>();

  constructor(
    private readonly service: FitService,
    private readonly store: ResultsStore,
  ) {}

  /** What is known now about `line` of `file` without asking the worker; undefined when it must be asked. */
  cached(file: string, line: number): RowLaw | undefined {
    const cache = this.cacheFor(file);
    if (!cache) return undefined;
    const model = cache.models.find((m) => hasLine(m, line));
    if (model) return { ok: true, model, task: null };
    const reason = cache.reasons.get(line);
    return reason === undefined ? undefined : { ok: false, reason };
  }

  /** The law covering `line`: from the cache, or fitted in the worker for that row's own task and group. */
  async lawFor(file: string, line: number, token?: vscode.CancellationToken): Promise<RowLaw | undefined> {
    const known = this.cached(file, line);
    if (known) return known;
    const cache = this.cacheFor(file);
    const state = this.store.get(file);
    if (!cache || !state) return undefined;
    let request = cache.pending.get(line);
    if (!request) {
      request = this.service.rowFit(file, state.settings, line, token);
      cache.pending.set(line, request);
    }
    const result = await request;
    cache.pending.delete(line);
    if (this.cacheFor(file) !== cache) return this.cached(file, line);
    if (!result.ok && result.reason === ROW_FIT_CANCELLED) return undefined;
    if (!result.ok) {
      cache.reasons.set(line, result.reason);
      return result;
    }
    cache.models.push(result.hover);
    return { ok: true, model: result.hover, task: result.task };
  }

  private cacheFor(file: string): FileCache | undefined {
    const outcome = this.store.get(file)?.outcome;
    if (!outcome) return undefined;
    const existing = this.caches.get(file);
    if (existing?.outcome === outcome) return existing;
    const fresh: FileCache = { outcome, models: [], reasons: new Map(), pending: new Map() };
    this.caches.set(file, fresh);
    return fresh;
  }
}

function hasLine(model: HoverModel, line: number): boolean {
  let lo = 0;
  let hi = model.line.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (model.line[mid] === line) return true;
    if (model.line[mid] < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
