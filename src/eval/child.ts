/** Entry of the eval child process forked by the extension: one evaluation per process, progress as messages. */
import { parseHostToEvalChild, type EvalChildToHost } from '../shared/protocol';
import { EvalError } from './errors';
import { EvalCancelled, runEval } from './run';

const send = (message: EvalChildToHost) => process.send?.(message);
const controller = new AbortController();

process.on('message', (raw: unknown) => {
  const message = parseHostToEvalChild(raw);
  if (!message) return;
  if (message.type === 'cancel') return controller.abort();
  runEval({ ...message.request, signal: controller.signal, onProgress: (p) => send({ type: 'progress', ...p }) }).then(
    (result) => {
      send({ type: 'done', row: result.row, imagesPerSecond: result.imagesPerSecond });
      process.disconnect?.();
    },
    (error: unknown) => {
      if (error instanceof EvalCancelled) send({ type: 'cancelled' });
      else send({ type: 'failed', message: error instanceof EvalError || error instanceof Error ? error.message : String(error) });
      process.disconnect?.();
    },
  );
});
