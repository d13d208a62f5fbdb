/**
 * The fit worker's decision requests (the panel's approaches, next runs and task overview): one step per timer
 * turn, so a fit requested meanwhile (a line appended) runs between two tasks of the overview instead of after all
 * 41; each step reports progress, and a superseded request stops at its next step through its flag.
 */
import { decisionSteps } from './decisionJob';
import { Cancelled } from '../core/errors';
import type { FitJobOptions } from './fitJob';
import type { ReadText } from '../core/ingest/load';
import type { DecideRequestBody, WorkerToHost } from '../shared/protocol';

export interface DecisionRunnerContext {
  readText: ReadText;
  job: Omit<FitJobOptions, 'shouldStop' | 'root'>;
  reply: (message: WorkerToHost) => void;
}

export function runDecisionRequest(id: number, body: DecideRequestBody, context: DecisionRunnerContext): void {
  const flag = new Int32Array(body.cancelFlag);
  const shouldStop = () => Atomics.load(flag, 0) !== 0;
  const answerId = body.ask.id;
  const stopped = () =>
    context.reply({ type: 'decisionResult', id, answer: { id: answerId, kind: 'failed', message: 'cancelled' } });
  const steps = decisionSteps(body.file, body.settings, body.ask, context.readText, {
    ...context.job,
    root: body.root,
    shouldStop,
  });
  const next = () =>
    setTimeout(() => {
      if (shouldStop()) return stopped();
      try {
        const step = steps.next();
        if (step.done) return context.reply({ type: 'decisionResult', id, answer: step.value });
        context.reply({
          type: 'decisionResult',
          id,
          answer: { id: answerId, kind: 'progress', done: step.value.done, total: step.value.total },
        });
        next();
      } catch (error) {
        if (error instanceof Cancelled) return stopped();
        context.reply({
          type: 'decisionResult',
          id,
          answer: { id: answerId, kind: 'failed', message: error instanceof Error ? error.message : String(error) },
        });
      }
    });
  next();
}
