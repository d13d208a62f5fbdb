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
  // Let queued cancels for this request arrive before starting the work.
  setImmediate(() => {
    if (cancelled.delete(message.id)) return reply({ type: 'cancelled', id: message.id });
    try {
      const outcome = runFitJob(message.body.file, message.body.settings, readText);
      reply(cancelled.delete(message.id) ? { type: 'cancelled', id: message.id } : { type: 'result', id: message.id, outcome });
    } catch (error) {
      const located = error instanceof InputError ? error.location : { file: message.body.file };
      reply({
        type: 'failed',
        id: message.id,
        problem: { file: located.file, line: located.line ?? 1, column: located.column ?? 1, message: error instanceof InputError ? error.detail : error instanceof Error ? error.message : String(error) },
      });
    }
  });
});
