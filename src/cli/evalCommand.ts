/** `scaling-lens eval`: score an exported CLIP checkpoint and append its result row. */
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors';
import { runCancellable, waitSeconds, type CommandResult } from './cancellable';
import { checkEvalCount } from '../core/settings';
import { EvalCancelled, runEval } from '../eval/run';

export async function runEvalCommand(argv: string[]): Promise<CommandResult> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        model: { type: 'string' },
        data: { type: 'string' },
        out: { type: 'string' },
        batch: { type: 'string' },
        threads: { type: 'string' },
        limit: { type: 'string' },
        'max-pixels': { type: 'string' },
        wait: { type: 'string' },
        json: { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (!values.model || !values.data) throw new UsageError('eval needs --model DIR and --data DIR');
  // The shared validators: the same bounds as an eval request from the extension.
  const positive = (
    flag: 'batch' | 'threads' | 'limit' | 'max-pixels',
    text: string | undefined,
    fallback: number | undefined,
  ) => {
    if (text === undefined) return fallback;
    const checked = checkEvalCount(flag, text.trim() === '' ? NaN : Number(text));
    if (!checked.ok) throw new UsageError(`--${flag} ${text}: expected ${checked.expected}`);
    return checked.value;
  };
  if (values.out && !/\.(csv|tsv|jsonl)$/i.test(values.out))
    throw new UsageError(`--out ${values.out}: expected a .csv, .tsv or .jsonl results file`);
  const maxPixels = positive('max-pixels', values['max-pixels'], undefined);
  const waitMs = waitSeconds(values.wait);
  const { model, data } = values;
  let lastReport = 0;
  return runCancellable(
    async (signal) => {
      const result = await runEval({
        model,
        data,
        out: values.out,
        batch: positive('batch', values.batch, 64),
        threads: positive('threads', values.threads, 1),
        limit: positive('limit', values.limit, undefined),
        maxPixels,
        waitMs,
        signal,
        onLockWait: (holder) => process.stderr.write(`eval: ${values.out} is locked by ${holder}; waiting\n`),
        onProgress: (p) => {
          const now = Date.now();
          if (now - lastReport < 1000 && p.done < p.total) return;
          lastReport = now;
          process.stderr.write(
            `eval: ${p.done}/${p.total} images, ${p.imagesPerSecond.toFixed(0)} images/s, ETA ${p.etaSeconds.toFixed(1)} s\n`,
          );
        },
      });
      if (values.json)
        return {
          output: JSON.stringify({ ...result.row, images_per_second: result.imagesPerSecond }, null, 2),
          code: 0,
        };
      const r = result.row;
      const lines = [
        `${r.model} (${r.run_id}) on ${r.eval_data}: ${result.images} images, ${result.seconds.toFixed(1)} s, ${result.imagesPerSecond.toFixed(0)} images/s`,
        `  zero-shot top-1 ${(r.zs_top1 as number).toFixed(3)}  top-5 ${(r.zs_top5 as number).toFixed(3)}  mean per-class recall ${(r.mean_per_class_recall as number).toFixed(3)}`,
      ];
      if (r.i2t_r1 !== null)
        lines.push(
          `  retrieval image→text R@1 ${(r.i2t_r1 as number).toFixed(3)}  R@5 ${(r.i2t_r5 as number).toFixed(3)}  text→image R@5 ${(r.t2i_r5 as number).toFixed(3)}`,
        );
      if (result.out) lines.push(`  appended to ${result.out}`);
      return { output: lines.join('\n'), code: 0 };
    },
    (error) => error instanceof EvalCancelled,
    (signal) => `eval: cancelled (${signal}); the results file is unchanged`,
  );
}
