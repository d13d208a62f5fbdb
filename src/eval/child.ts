/**
 * Entry of the eval child process forked by the extension: one evaluation per process, progress as messages.
 * SIGTERM/SIGINT (the host's kill after a cancel) stop it like a cancel: the results-file lock is only held inside
 * one synchronous append, so it is always released.
 */
import { parseHostToEvalChild, type EvalChildToHost } from '../shared/protocol';
import { EvalError } from './errors';
import { EvalCancelled, runEval } from './run';

const send = (message: EvalChildToHost) => {
  try {
    process.send?.(message);
  } catch {}
};
const controller = new AbortController();
let running = false;

const stop = (signal: NodeJS.Signals) => {
  controller.abort();
  process.exitCode = signal === 'SIGTERM' ? 143 : 130;
  if (!running) process.exit(signal === 'SIGTERM' ? 143 : 130);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

process.on('message', (raw: unknown) => {
  const message = parseHostToEvalChild(raw);
  if (!message) return;
  if (message.type === 'cancel') return controller.abort();
  running = true;
  runEval({ ...message.request, signal: controller.signal, onProgress: (p) => send({ type: 'progress', ...p }) }).then(
    (result) => {
      send({ type: 'done', row: result.row, imagesPerSecond: result.imagesPerSecond });
      process.disconnect?.();
    },
    (error: unknown) => {
      if (error instanceof EvalCancelled) send({ type: 'cancelled' });
      else
        send({
          type: 'failed',
          message: error instanceof EvalError || error instanceof Error ? error.message : String(error),
        });
      process.disconnect?.();
    },
  );
});
