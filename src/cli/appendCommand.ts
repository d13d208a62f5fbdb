/** `scaling-lens append FILE KEY=VALUE…`: one row appended under the lock, for training scripts and cluster jobs. */
import { parseArgs } from 'node:util';
import { UsageError } from '../core/errors';
import { appendResultRow, type AppendValue } from '../eval/appendRow';
import { LockAborted } from '../eval/fileLock';
import { runCancellable, waitSeconds, type CommandResult } from './cancellable';

export const APPEND_USAGE = `usage: scaling-lens append FILE KEY=VALUE... [--wait SECONDS]
       scaling-lens append FILE --json '{"KEY": VALUE, ...}' [--wait SECONDS]

Appends one row to FILE (.csv, .tsv or .jsonl) as the eval command does: under a lock file, with one write, so
many processes or cluster jobs can append to one file at once and a kill never leaves a partial row. A missing
file is created with a header from the keys; an existing CSV/TSV header must have exactly the row's keys. In a
.jsonl file, values that are JSON numbers, true, false or null are written as such, the rest as strings.

  --json TEXT     the row as a JSON object of strings, numbers, booleans and nulls
  --wait SECONDS  how long to wait for the lock held by another process (default 120)`;

export async function runAppendCommand(argv: string[]): Promise<CommandResult> {
  if (argv.includes('--help') || argv.includes('-h')) return { output: APPEND_USAGE, code: 0 };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'string' }, wait: { type: 'string' } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [file, ...pairs] = positionals;
  if (!file) throw new UsageError('append needs a results file and the row (KEY=VALUE pairs or --json)');
  if (pairs.length === 0 && values.json === undefined)
    throw new UsageError("append needs the row: KEY=VALUE pairs or --json '{...}'");
  if (pairs.length > 0 && values.json !== undefined)
    throw new UsageError('append takes KEY=VALUE pairs or --json, not both');
  const jsonl = file.toLowerCase().endsWith('.jsonl');
  const row = values.json !== undefined ? parseJsonRow(values.json) : parsePairs(pairs, jsonl);
  return runCancellable(
    async (signal) => {
      const outcome = await appendResultRow(file, row, {
        exact: true,
        waitMs: waitSeconds(values.wait),
        signal,
        onWait: (holder) => process.stderr.write(`append: ${file} is locked by ${holder}; waiting\n`),
      });
      const notes = [
        outcome.created ? (jsonl ? 'created' : 'created with a header') : '',
        outcome.repairedBytes > 0
          ? `first removed ${outcome.repairedBytes} bytes of a row whose writer was killed mid-write`
          : '',
      ].filter(Boolean);
      return { output: `appended a row to ${file}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`, code: 0 };
    },
    (error) => error instanceof LockAborted,
    (signal) => `append: cancelled (${signal}) while waiting for the lock; the file is unchanged`,
  );
}

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

function parsePairs(pairs: string[], jsonl: boolean): Record<string, AppendValue> {
  // No prototype: a key named __proto__ is a column like any other.
  const row: Record<string, AppendValue> = Object.create(null);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`"${pair}": expected KEY=VALUE`);
    const key = pair.slice(0, eq);
    if (Object.hasOwn(row, key)) throw new UsageError(`"${key}" is given twice`);
    row[key] = jsonl ? jsonlValue(pair.slice(eq + 1)) : pair.slice(eq + 1);
  }
  return row;
}

function jsonlValue(text: string): AppendValue {
  if (JSON_NUMBER.test(text)) {
    const value = Number(text);
    if (Number.isFinite(value)) return value;
  }
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  return text;
}

function parseJsonRow(text: string): Record<string, AppendValue> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--json: not valid JSON (${(error as Error).message})`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new UsageError('--json: expected a JSON object, one key per column');
  const row: Record<string, AppendValue> = Object.create(null);
  for (const [key, cell] of Object.entries(value)) {
    if (cell !== null && typeof cell !== 'string' && typeof cell !== 'number' && typeof cell !== 'boolean') {
      throw new UsageError(
        `--json: the value of "${key}" must be a string, number, boolean or null, got ${Array.isArray(cell) ? 'an array' : 'an object'}`,
      );
    }
    row[key] = cell;
  }
  return row;
}
