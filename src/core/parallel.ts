/**
 * Work spread over threads without changing a result: a task is a pure function of a plain job and an item
 * index, so the same items give the same answers whichever thread runs them and in whatever order. The pool of
 * worker threads (src/node/fitPool.ts) implements ParallelRunner; without one, everything runs in this thread.
 */
import type { ShouldStop } from './errors';
import type { BootstrapJob, ResampleFit } from './bootstrap';
import type { LocalFit } from './fit/levenbergMarquardt';
import type { Screened, StartsJob } from './fit/localTasks';

export interface Tasks {
  screen: { job: StartsJob; result: Screened };
  localFit: { job: StartsJob; result: LocalFit };
  bootstrap: { job: BootstrapJob; result: ResampleFit };
}

export type TaskName = keyof Tasks;

export interface RunOptions {
  shouldStop?: ShouldStop;
  /** Rough cost of one item (points × objective evaluations): small jobs are not worth another thread. */
  workPerItem?: number;
}

export interface ParallelRunner {
  /** results[i] = task(job)(i) for i < count, in index order. Throws Cancelled when shouldStop answers true. */
  run<K extends TaskName>(task: K, job: Tasks[K]['job'], count: number, options?: RunOptions): Tasks[K]['result'][];
}
