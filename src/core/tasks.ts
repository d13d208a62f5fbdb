/** Every task a ParallelRunner can run, by name (a worker thread looks them up here). */
import { prepareResample } from './bootstrap';
import { prepareLocalFit, prepareScreen } from './fit/localTasks';
import type { TaskName, Tasks } from './parallel';

export const TASKS: { [K in TaskName]: (job: Tasks[K]['job']) => (i: number) => Tasks[K]['result'] } = {
  screen: prepareScreen,
  localFit: prepareLocalFit,
  bootstrap: prepareResample,
};
