/**
 * Appends one result row to a CSV or JSONL results file, atomically: the new content is written to a temporary file
 * beside it, flushed, and renamed over the original under a lock file, so a crash or kill at any moment leaves the
 * file exactly as it was or with the whole new row — never a partial line.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { EvalError } from './errors';

export type RowValue = string | number | null;

/**
 * `optional` columns are dropped when an existing CSV header has no place for them; any other missing column
 * refuses the append.
 */
export function appendResultRow(file: string, row: Record<string, RowValue>, optional: ReadonlySet<string> = new Set()): void {
  const release = acquireLock(file);
  try {
    const existing = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    const content = file.toLowerCase().endsWith('.jsonl') ? appendJsonl(existing, row) : appendCsv(file, existing, row, optional);
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    const fd = fs.openSync(temporary, 'w');
    try {
      fs.writeSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    if (existing !== undefined) {
      try {
        fs.chmodSync(temporary, fs.statSync(file).mode);
      } catch {}
    }
    fs.renameSync(temporary, file);
  } finally {
    release();
  }
}

function appendJsonl(existing: string | undefined, row: Record<string, RowValue>): string {
  const prefix = existing === undefined || existing === '' || existing.endsWith('\n') ? existing ?? '' : existing + '\n';
  return prefix + JSON.stringify(row) + '\n';
}

function appendCsv(file: string, existing: string | undefined, row: Record<string, RowValue>, optional: ReadonlySet<string>): string {
  if (existing === undefined || existing.trim() === '') return [Object.keys(row).map(csvCell).join(','), csvLine(Object.keys(row), row)].join('\n') + '\n';
  const headerLine = existing.replace(/^\uFEFF/, '').split(/\r?\n/).find((line) => line.trim() !== '' && !line.startsWith('#')) ?? '';
  const header = splitCsvHeader(headerLine);
  const missing = Object.keys(row).filter((key) => !header.includes(key) && !optional.has(key) && row[key] !== null && row[key] !== '');
  if (missing.length > 0) {
    throw new EvalError(file, `its header cannot hold the result row: no column for ${missing.map((m) => `"${m}"`).join(', ')} (header: ${header.join(', ')}); write to a new file with --out`);
  }
  const newline = existing.includes('\r\n') ? '\r\n' : '\n';
  const prefix = existing.endsWith('\n') ? existing : existing + newline;
  return prefix + csvLine(header, row) + newline;
}

function csvLine(header: string[], row: Record<string, RowValue>): string {
  return header.map((column) => csvCell(row[column] ?? '')).join(',');
}

function csvCell(value: RowValue | string): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function splitCsvHeader(line: string): string[] {
  const [fields] = parseCsv(line, { relax_quotes: true }) as string[][];
  return (fields ?? []).map((f) => f.trim());
}

/** An exclusive lock file beside the results file; a lock left by a dead process is taken over. */
function acquireLock(file: string): () => void {
  const lock = `${file}.lock`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const fd = fs.openSync(lock, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return () => fs.rmSync(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new EvalError(file, `cannot lock the results file: ${(error as Error).message}`);
      const holder = Number(fs.readFileSync(lock, 'utf8'));
      if (!Number.isInteger(holder) || holder <= 0 || !alive(holder)) {
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new EvalError(file, `locked by process ${holder} (${lock}) for more than 10 s`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
