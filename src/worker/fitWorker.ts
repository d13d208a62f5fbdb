/**
 * Fit worker (worker_threads): runs fits off the extension host's thread. One request at a time, newest wins.
 * Multi-start fits and bootstrap resamples use a pool of threads that run this same bundle (see fitPool.ts);
 * in such a thread this file only serves the pool.
 */
import { parentPort } from 'node:worker_threads';
import { Cancelled, InputError } from '../core/errors';
import { runFitJob } from '../core/fitJob';
import { AppendingParser } from '../core/ingest/appendingParser';
import { createFitPool, isPoolThread } from '../node/fitPool';
import { GrowingFileReader } from '../node/files';
import { parseHostToWorker, type WorkerToHost } from '../shared/protocol';

const reader = new GrowingFileReader();
const readText = (path: string) => {
  try {
    return reader.read(path);
  } catch {
    return undefined;
  }
};

/** Results files seen by this worker: a training job appending rows costs only the new rows' parse. */
const parser = new AppendingParser();
const BOOTSTRAP_DELAY_MS = 250;
const port = parentPort!;
const reply = (message: WorkerToHost) => port.postMessage(message);

/** Every core for the fits; its threads start with the first large job and stay warm. */
const pool = isPoolThread ? undefined : createFitPool();
if (!isPoolThread) port.on('message', onRequest);

function onRequest(raw: unknown): void {
  const message = parseHostToWorker(raw);
  if (!message) return;
  const { id, body } = message;
  const flag = new Int32Array(body.cancelFlag);
  const shouldStop = () => Atomics.load(flag, 0) !== 0;
  const phase = (bootstrap: boolean, final: boolean, next?: () => void, delayMs = 0) =>
    setTimeout(() => {
      if (shouldStop()) return reply({ type: 'cancelled', id });
      try {
        const outcome = runFitJob(body.file, { ...body.settings, bootstrap }, readText, { shouldStop, parse: parser.parse, runner: pool });
        reply({ type: 'result', id, outcome, final });
        next?.();
      } catch (error) {
        if (error instanceof Cancelled) return reply({ type: 'cancelled', id });
        const located = error instanceof InputError ? error.location : { file: body.file };
        reply({
          type: 'failed',
          id,
          problem: { file: located.file, line: located.line ?? 1, column: located.column ?? 1, message: error instanceof InputError ? error.detail : error instanceof Error ? error.message : String(error) },
        });
      }
    }, delayMs);
  // Quick fit first (plots update at once), then the bootstrap intervals, started once the quick result has had
  // time to reach the webviews: on a 2-core machine the bootstrap would otherwise compete with drawing it.
  if (body.settings.bootstrap) phase(false, false, () => phase(true, true, undefined, BOOTSTRAP_DELAY_MS));
  else phase(false, true);
}
