/** Ctrl-C and a scheduler's SIGTERM for the commands that write results files (eval, append). */
import { UsageError } from '../core/errors';

export interface CommandResult {
  output: string;
  code: number;
}

/**
 * Runs a command's work with SIGINT and SIGTERM wired to an AbortSignal: the work stops at its next step (a lock is
 * only ever held inside one synchronous append, so it is released), and the cancellation it reports becomes exit
 * 130 or 143 with `message`. A second signal ends the process at once (the handlers are `once`).
 */
export async function runCancellable(
  work: (signal: AbortSignal) => Promise<CommandResult>,
  isCancellation: (error: unknown) => boolean,
  message: (signal: NodeJS.Signals) => string,
): Promise<CommandResult> {
  const controller = new AbortController();
  let signalled = 'SIGINT' as NodeJS.Signals;
  const cancel = (signal: NodeJS.Signals) => {
    signalled = signal;
    controller.abort();
  };
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  try {
    return await work(controller.signal);
  } catch (error) {
    if (isCancellation(error)) return { output: message(signalled), code: signalled === 'SIGTERM' ? 143 : 130 };
    throw error;
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}

/** `--wait SECONDS`: how long to wait for a locked results file. */
export function waitSeconds(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value >= 0) || !Number.isFinite(value))
    throw new UsageError(`--wait ${text}: expected a number of seconds ≥ 0`);
  return value * 1000;
}
