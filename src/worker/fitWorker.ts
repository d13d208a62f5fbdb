/** Fit worker (worker_threads): runs fits off the extension host's thread. One request at a time, newest wins. */
import { parentPort } from 'node:worker_threads';
import { InputError } from '../core/errors';
import { runFitJob } from '../core/fitJob';
import { readTextFile } from '../node/files';
import { parseHostToWorker, type WorkerToHost } from '../shared/protocol';

const readText = (path: string) => {
  try {
    return readTextFile(path);
  } catch {
    return undefined;
  }
};

const cancelled = new Set<number>();
const port = parentPort!;
const reply = (message: WorkerToHost) => port.postMessage(message);

port.on('message', (raw: unknown) => {
  const message = parseHostToWorker(raw);
  if (!message) return;
  if (message.type === 'cancel') {
    cancelled.add(message.id);
    return;
  }
  // Let queued cancels for this request arrive before starting each phase of the work.
  const { id, body } = message;
  const phase = (bootstrap: boolean, final: boolean, next?: () => void) =>
    setImmediate(() => {
      if (cancelled.delete(id)) return reply({ type: 'cancelled', id });
      try {
        const outcome = runFitJob(body.file, { ...body.settings, bootstrap }, readText);
        reply({ type: 'result', id, outcome, final });
        next?.();
      } catch (error) {
        const located = error instanceof InputError ? error.location : { file: body.file };
        reply({
          type: 'failed',
          id,
          problem: { file: located.file, line: located.line ?? 1, column: located.column ?? 1, message: error instanceof InputError ? error.detail : error instanceof Error ? error.message : String(error) },
        });
      }
    });
  // Quick fit first (plots update at once), then the bootstrap intervals.
  if (body.settings.bootstrap) phase(false, false, () => phase(true, true));
  else phase(false, true);
});
