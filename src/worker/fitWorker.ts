/**
 * Fit worker (worker_threads): runs fits off the extension host's thread. One request at a time, newest wins.
 * Multi-start fits and bootstrap resamples use a pool of threads that run this same bundle (see fitPool.ts);
 * in such a thread this file only serves the pool.
 */
import { parentPort } from 'node:worker_threads';
import { Cancelled, InputError, SettingError, UsageError } from '../core/errors';
import { settingErrorForPanel } from './settingErrors';
import { runFitJob } from './fitJob';
import { runRowFitJob } from './rowFitJob';
import { AppendingParser } from '../core/ingest/appendingParser';
import { createFitPool, isPoolThread } from '../node/fitPool';
import { GrowingFileReader, realPath } from '../node/files';
import { runDecisionRequest } from './decisionRunner';
import {
  parseHostToWorker,
  ROW_FIT_CANCELLED as CANCELLED,
  type RowFitRequestBody,
  type WorkerToHost,
} from '../shared/protocol';

/** Regular files only, opened without blocking: a FIFO or a folder where a file is expected is a problem, never a hang. */
const reader = new GrowingFileReader();
const readText = reader.readDecoded;

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
  if (!message) {
    // A request the protocol rejects would otherwise leave its fit waiting for ever: answer that it failed.
    const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
    if (typeof id === 'number')
      reply({
        type: 'failed',
        id,
        problem: {
          file: '',
          line: 1,
          column: 1,
          message: 'the fit request was malformed (an extension bug): try again',
          cause: 'settings',
        },
      });
    return;
  }
  if (message.type === 'rowFit') {
    setTimeout(() => answerRowFit(message.id, message.body));
    return;
  }
  if (message.type === 'decide')
    return runDecisionRequest(message.id, message.body, {
      readText,
      job: { parse: parser.parse, realpath: realPath, runner: pool },
      reply,
    });
  const { id, body } = message;
  const flag = new Int32Array(body.cancelFlag);
  const shouldStop = () => Atomics.load(flag, 0) !== 0;
  /** One fit of the request: with or without bootstrap intervals, the last answer or not, then `next` if it succeeds. */
  const phase = ({
    bootstrap,
    final,
    next,
    delayMs = 0,
  }: {
    bootstrap: boolean;
    final: boolean;
    next?: () => void;
    delayMs?: number;
  }) =>
    setTimeout(() => {
      if (shouldStop()) return reply({ type: 'cancelled', id });
      try {
        const outcome = runFitJob(body.file, { ...body.settings, bootstrap }, readText, {
          shouldStop,
          parse: parser.parse,
          root: body.root,
          realpath: realPath,
          runner: pool,
        });
        reply({ type: 'result', id, outcome, final });
        next?.();
      } catch (error) {
        if (error instanceof Cancelled) return reply({ type: 'cancelled', id });
        const located = error instanceof InputError ? error.location : { file: body.file };
        const related =
          error instanceof InputError
            ? error.related?.map((p) => ({
                file: p.file,
                line: p.line ?? 1,
                column: p.column ?? 1,
                message: p.message,
              }))
            : undefined;
        reply({
          type: 'failed',
          id,
          problem: {
            file: located.file,
            line: located.line ?? 1,
            column: located.column ?? 1,
            message: problemText(error),
            // A flag or setting at fault (a law the file has no columns for): not a problem of the file's contents.
            cause: error instanceof UsageError ? 'settings' : 'file',
          },
          related,
        });
      }
    }, delayMs);
  // Quick fit first (plots update at once), then the bootstrap intervals, started once the quick result has had
  // time to reach the webviews: on a 2-core machine the bootstrap would otherwise compete with drawing it.
  if (body.settings.bootstrap)
    phase({
      bootstrap: false,
      final: false,
      next: () => phase({ bootstrap: true, final: true, delayMs: BOOTSTRAP_DELAY_MS }),
    });
  else phase({ bootstrap: false, final: true });
}

/**
 * A hover on a row outside the current fit: the law of that row's own task and group (the host caches the answer).
 * A hover gone before its law is ready (the mouse moved on) stops it through its flag, as superseded fits stop.
 */
function answerRowFit(id: number, body: RowFitRequestBody): void {
  const flag = body.cancelFlag ? new Int32Array(body.cancelFlag) : undefined;
  const shouldStop = () => flag !== undefined && Atomics.load(flag, 0) !== 0;
  if (shouldStop()) return reply({ type: 'rowResult', id, result: { ok: false, reason: CANCELLED } });
  try {
    reply({
      type: 'rowResult',
      id,
      result: runRowFitJob(body.file, body.settings, body.line, readText, {
        parse: parser.parse,
        shouldStop,
        root: body.root,
        realpath: realPath,
        runner: pool,
      }),
    });
  } catch (error) {
    const reason = error instanceof Cancelled ? CANCELLED : problemText(error);
    reply({ type: 'rowResult', id, result: { ok: false, reason } });
  }
}

/** What went wrong, for the panel: a file's problem without its location (the Problems panel has it), a setting in the panel's words. */
function problemText(error: unknown): string {
  if (error instanceof InputError) return error.detail;
  if (error instanceof SettingError) return settingErrorForPanel(error);
  return error instanceof Error ? error.message : String(error);
}
