/**
 * A pool of worker threads for the fit's parallel tasks (multi-start screens and local fits, bootstrap
 * resamples), used synchronously: analyze() stays synchronous, so the calling thread hands out chunks of items,
 * works on chunks itself, and blocks in Atomics.wait while it waits, collecting results with
 * receiveMessageOnPort (both work on the CLI's main thread and inside the fit worker). Items are pure functions
 * of (job, index), so results do not depend on the number of threads.
 *
 * The pool's threads run the very file that creates them (the bundle it is part of: dist/cli.js or
 * dist/fitWorker.js, or this source under tsx), so no separate entry has to ship beside the bundles; that file
 * must not do anything at load in a pool thread other than what `isPoolThread` allows.
 */
import os from 'node:os';
import {
  isMainThread,
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  workerData,
  type MessagePort,
} from 'node:worker_threads';
import { Cancelled, stopIfAsked } from '../core/errors';
import type { ParallelRunner, RunOptions, TaskName, Tasks } from '../core/parallel';
import { TASKS } from '../core/tasks';

const ROLE = 'scaling-lens-fit-pool';
/** tsx's require hook, for threads started from source; a variable so that bundlers leave it alone. */
const TSX_HOOK = ['tsx', 'cjs'].join('/');

/** True in a pool thread: the bundle's own entry code must then stay idle. */
export const isPoolThread = !isMainThread && (workerData as { role?: string } | null)?.role === ROLE;

/** Below this much work (points × objective evaluations) a job runs in the calling thread: spawning costs more. */
const SPAWN_WORK = 2_000_000;
/** Once the threads exist, jobs of this much work are worth spreading. */
const WARM_WORK = 200_000;
/** Chunks per thread: small enough to balance a busy machine, large enough to keep messages rare. */
const CHUNKS_PER_THREAD = 4;
/** How long the caller sleeps between looks at the ports and the cancel check (ms). */
const WAIT_MS = 20;

type ToPool =
  | { type: 'job'; id: number; task: TaskName; job: unknown }
  | { type: 'chunk'; id: number; from: number; to: number }
  | { type: 'ping' };
type FromPool =
  | { type: 'done'; id: number; from: number; results: unknown[] }
  | { type: 'failed'; id: number; from: number; message: string }
  | { type: 'cancelled'; id: number; from: number }
  | { type: 'ready'; id: 0 };

/** Shared with the threads: [0] counts messages posted to the caller (it waits on it), [1] is the current job id. */
const POSTED = 0;
const CURRENT_JOB = 1;

interface PoolThread {
  worker: Worker;
  port: MessagePort;
  /** Job id whose payload this thread holds. */
  jobId: number;
  /** The chunk it is working on for the current job, or null when idle. */
  chunk: Chunk | null;
}

interface Chunk {
  from: number;
  to: number;
  done: boolean;
  /** The calling thread works (or worked) on it. */
  local: boolean;
}

export interface FitPool extends ParallelRunner {
  /** Threads that compute (the caller included). */
  readonly threads: number;
  /** Worker threads started so far (none until a job is worth them). */
  readonly started: number;
  /**
   * Starts the threads now and waits (up to `timeoutMs`) until each answers: a long-lived process (the fit
   * worker, a benchmark) pays their start-up before the first fit instead of during it. Returns how many answered.
   */
  warmUp(timeoutMs?: number): number;
  /** Ends the pool's threads (they are unref'd: they never keep a process alive). */
  close(): void;
}

/** A pool using every core: the calling thread and cores − 1 worker threads, spawned on the first large job. */
export function createFitPool(options: { threads?: number } = {}): FitPool {
  const threads = Math.max(1, options.threads ?? os.availableParallelism());
  const signal = new Int32Array(new SharedArrayBuffer(8));
  const pool: PoolThread[] = [];
  let jobCounter = 0;
  let closed = false;

  const spawn = () => {
    while (pool.length < threads - 1) {
      const { port1, port2 } = new MessageChannel();
      const data = { role: ROLE, port: port2, signal };
      // Under tsx (tests, benches) this file is TypeScript: the thread registers tsx's require hook first.
      const worker = __filename.endsWith('.ts')
        ? new Worker(`require(${JSON.stringify(require.resolve(TSX_HOOK))}); require(${JSON.stringify(__filename)});`, {
            eval: true,
            workerData: data,
            transferList: [port2],
          })
        : new Worker(__filename, { workerData: data, transferList: [port2] });
      worker.unref();
      port1.unref();
      pool.push({ worker, port: port1, jobId: 0, chunk: null });
    }
  };

  const run = <K extends TaskName>(
    task: K,
    job: Tasks[K]['job'],
    count: number,
    runOptions: RunOptions = {},
  ): Tasks[K]['result'][] => {
    const { shouldStop } = runOptions;
    stopIfAsked(shouldStop);
    const work = count * (runOptions.workPerItem ?? Infinity);
    if (closed || threads < 2 || count < 2 || work < (pool.length > 0 ? WARM_WORK : SPAWN_WORK))
      return runHere(task, job, count, shouldStop);
    spawn();
    const id = ++jobCounter;
    Atomics.store(signal, CURRENT_JOB, id);
    const size = Math.max(1, Math.ceil(count / (threads * CHUNKS_PER_THREAD)));
    const queue: Chunk[] = [];
    for (let from = 0; from < count; from += size)
      queue.push({ from, to: Math.min(count, from + size), done: false, local: false });
    const chunks = [...queue];
    const results = new Array<Tasks[K]['result']>(count);
    let here: ((i: number) => Tasks[K]['result']) | undefined;
    let failure: string | undefined;

    const assign = (thread: PoolThread) => {
      const chunk = queue.shift();
      thread.chunk = chunk ?? null;
      if (!chunk) return;
      if (thread.jobId !== id) {
        thread.port.postMessage({ type: 'job', id, task, job } satisfies ToPool);
        thread.jobId = id;
      }
      thread.port.postMessage({ type: 'chunk', id, from: chunk.from, to: chunk.to } satisfies ToPool);
    };
    const drain = () => {
      for (const thread of pool) {
        for (let received = receiveMessageOnPort(thread.port); received; received = receiveMessageOnPort(thread.port)) {
          const message = received.message as FromPool;
          if (message.type === 'ready' || message.id !== id) continue; // a late answer to a ping or an earlier job
          const chunk = chunks.find((c) => c.from === message.from)!;
          if (message.type === 'done' && !chunk.done) {
            message.results.forEach((r, k) => (results[chunk.from + k] = r as Tasks[K]['result']));
            chunk.done = true;
          } else if (message.type === 'failed') failure ??= message.message;
          if (thread.chunk === chunk) thread.chunk = null;
        }
        if (!thread.chunk && failure === undefined) assign(thread);
      }
    };

    try {
      for (const thread of pool) assign(thread);
      for (;;) {
        const seen = Atomics.load(signal, POSTED);
        drain();
        if (failure !== undefined) throw new Error(`fit pool thread: ${failure}`);
        if (shouldStop?.()) throw new Cancelled();
        // Work here on a queued chunk or, when none is left, on the oldest chunk a thread still holds (a slow or
        // lost thread must not hold the fit up; results are deterministic, so the first answer wins).
        const chunk = queue.shift() ?? chunks.find((c) => !c.done && !c.local);
        if (chunk) {
          chunk.local = true;
          here ??= TASKS[task](job);
          for (let i = chunk.from; i < chunk.to && !chunk.done; i++) {
            if (shouldStop?.()) throw new Cancelled();
            results[i] = here(i);
            drain();
          }
          chunk.done = true;
          continue;
        }
        if (chunks.every((c) => c.done)) return results;
        Atomics.wait(signal, POSTED, seen, WAIT_MS);
      }
    } finally {
      // Threads still on a chunk of this job abandon it at their next item.
      Atomics.store(signal, CURRENT_JOB, 0);
      for (const thread of pool) thread.chunk = null;
    }
  };

  const warmUp = (timeoutMs = 60_000): number => {
    if (closed || threads < 2) return 0;
    spawn();
    for (const thread of pool) thread.port.postMessage({ type: 'ping' } satisfies ToPool);
    let ready = 0;
    const deadline = performance.now() + timeoutMs;
    while (ready < pool.length && performance.now() < deadline) {
      const seen = Atomics.load(signal, POSTED);
      for (const thread of pool)
        for (let received = receiveMessageOnPort(thread.port); received; received = receiveMessageOnPort(thread.port))
          if ((received.message as FromPool).type === 'ready') ready++;
      if (ready < pool.length) Atomics.wait(signal, POSTED, seen, WAIT_MS);
    }
    return ready;
  };

  return {
    threads,
    get started() {
      return pool.length;
    },
    run,
    warmUp,
    close() {
      closed = true;
      for (const thread of pool) void thread.worker.terminate();
      pool.length = 0;
    },
  };
}

function runHere<K extends TaskName>(
  task: K,
  job: Tasks[K]['job'],
  count: number,
  shouldStop: (() => boolean) | undefined,
): Tasks[K]['result'][] {
  const item = TASKS[task](job);
  return Array.from({ length: count }, (_, i) => (stopIfAsked(shouldStop), item(i)));
}

/** The pool thread's side: prepare each job once, run the chunks asked for, post results and wake the caller. */
function serve(port: MessagePort, signal: Int32Array): void {
  let prepared: { id: number; item?: (i: number) => unknown; error?: string } = { id: 0 };
  const post = (message: FromPool) => {
    port.postMessage(message);
    Atomics.add(signal, POSTED, 1);
    Atomics.notify(signal, POSTED);
  };
  port.on('message', (message: ToPool) => {
    if (message.type === 'ping') return post({ type: 'ready', id: 0 });
    if (message.type === 'job') {
      try {
        prepared = {
          id: message.id,
          item: (TASKS[message.task] as (job: unknown) => (i: number) => unknown)(message.job),
        };
      } catch (error) {
        prepared = { id: message.id, error: error instanceof Error ? error.message : String(error) };
      }
      return;
    }
    const { id, from, to } = message;
    if (Atomics.load(signal, CURRENT_JOB) !== id) return post({ type: 'cancelled', id, from });
    if (prepared.id !== id || !prepared.item)
      return post({ type: 'failed', id, from, message: prepared.error ?? 'no job for this chunk' });
    const results: unknown[] = [];
    try {
      for (let i = from; i < to; i++) {
        if (Atomics.load(signal, CURRENT_JOB) !== id) return post({ type: 'cancelled', id, from });
        results.push(prepared.item(i));
      }
    } catch (error) {
      return post({ type: 'failed', id, from, message: error instanceof Error ? error.message : String(error) });
    }
    post({ type: 'done', id, from, results });
  });
}

if (isPoolThread) {
  const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
  serve(port, signal);
}
