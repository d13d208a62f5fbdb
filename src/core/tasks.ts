/** Every task a ParallelRunner can run, by name (a worker thread looks them up here), and the in-thread runner. */
import { prepareResample } from './bootstrap';
import { stopIfAsked } from './errors';
import { prepareLocalFit, prepareScreen } from './fit/localTasks';
import type { ParallelRunner, TaskName, Tasks } from './parallel';

export const TASKS: { [K in TaskName]: (job: Tasks[K]['job']) => (i: number) => Tasks[K]['result'] } = {
  screen: prepareScreen,
  localFit: prepareLocalFit,
  bootstrap: prepareResample,
};

/** Runs every item in this thread, in order. */
export const inThreadRunner: ParallelRunner = {
  run(task, job, count, options = {}) {
    const item = TASKS[task](job);
    return Array.from({ length: count }, (_, i) => (stopIfAsked(options.shouldStop), item(i)));
  },
};
