/**
 * Appends one result row to a CSV, TSV or JSONL results file without rewriting a byte of it: under the lock file,
 * the header is checked, the row is encoded in the file's own encoding and written by one write(2) on an O_APPEND
 * descriptor, then fsync'd. A journal written before the row lets the next appender cut away the part of a row whose
 * writer was killed mid-write, so a kill at any moment leaves the file as it was or with the whole new row. A
 * symlink is followed: the row goes to its target.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { EvalError } from './errors';
import { encodeForFile, endsWithNewline, readFileStart, type FileEncoding } from './fileEncoding';
import { acquireLock, errnoText, type LockOptions } from './fileLock';
import { describeKind } from './regularFile';

export type RowValue = string | number | null;
/** `append --json` may also write booleans. */
export type AppendValue = RowValue | boolean;

export interface AppendOptions extends LockOptions {
  /** Columns dropped when an existing CSV header has no place for them (any other missing column refuses). */
  optional?: ReadonlySet<string>;
  /** The row must have exactly the header's columns (the `append` command). */
  exact?: boolean;
}

export interface AppendOutcome {
  /** The file written (the symlink's target for a link). */
  target: string;
  /** The file did not exist and was created with a header. */
  created: boolean;
  /** Bytes of a row whose writer was killed mid-write, cut away before appending. */
  repairedBytes: number;
}

/** A header line longer than this is refused (a results file's header is a few hundred bytes). */
export const MAX_HEADER_BYTES = 1 << 20;

const { O_RDWR, O_RDONLY, O_APPEND, O_CREAT, O_EXCL, O_NONBLOCK } = fs.constants;

export async function appendResultRow(
  file: string,
  row: Record<string, AppendValue>,
  options: AppendOptions = {},
): Promise<AppendOutcome> {
  const format = formatOf(file);
  checkRow(file, row);
  const target = resolveTarget(file);
  const lock = await acquireLock(`${target}.lock`, options);
  try {
    return appendLocked(file, target, format, row, options);
  } finally {
    lock.release();
  }
}

/**
 * The checks an append will make, done before a long evaluation so a bad `--out` fails at once: a writable place,
 * a regular file if it exists, a header that can hold a row with these columns. Reads only.
 */
export function checkAppendTarget(
  file: string,
  row: Record<string, AppendValue>,
  options: Pick<AppendOptions, 'optional' | 'exact'> = {},
): void {
  const format = formatOf(file);
  checkRow(file, row);
  const target = resolveTarget(file);
  let fd: number;
  try {
    fd = fs.openSync(target, O_RDONLY | O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw openError(file, error);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw notRegular(file, stat);
    if (stat.size > 0) encodeRow(file, fd, stat.size, format, row, options);
  } finally {
    fs.closeSync(fd);
  }
}

type Format = 'csv' | 'tsv' | 'jsonl';

function formatOf(file: string): Format {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.csv' || extension === '.tsv' || extension === '.jsonl') return extension.slice(1) as Format;
  throw new EvalError(file, 'expected a .csv, .tsv or .jsonl results file');
}

/** Keys and values that make one whole line: no control characters (a row is one line), finite numbers. */
function checkRow(file: string, row: Record<string, AppendValue>): void {
  const keys = Object.keys(row);
  if (keys.length === 0) throw new EvalError(file, 'the row has no values');
  for (const key of keys) {
    if (key.trim() === '') throw new EvalError(file, 'a column name in the row is empty');
    if (CONTROL.test(key))
      throw new EvalError(
        file,
        `column name ${JSON.stringify(key)} has a control character (a row must stay one line)`,
      );
    const value = row[key];
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new EvalError(file, `"${key}" is ${value}: only finite numbers are written`);
    if (typeof value === 'string' && CONTROL.test(value))
      throw new EvalError(
        file,
        `the value of "${key}" has a control character (a row must stay one line): ${JSON.stringify(value)}`,
      );
  }
}

const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

/** Where the row goes: a symlink's final target (existing or not), in a folder that exists. */
function resolveTarget(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      throw new EvalError(
        file,
        code === 'ENOTDIR'
          ? 'a part of the path is a file, not a folder'
          : `cannot resolve the path (${errnoText(error)})`,
      );
  }
  // Absent, or a symlink to an absent file: follow the links to the path to create.
  let current = path.resolve(file);
  for (let hops = 0; ; hops++) {
    if (hops > 40) throw new EvalError(file, 'too many levels of symbolic links');
    let link: string;
    try {
      link = fs.readlinkSync(current);
    } catch {
      break;
    }
    current = path.resolve(path.dirname(current), link);
  }
  const folder = path.dirname(current);
  let realFolder: string;
  try {
    realFolder = fs.realpathSync(folder);
  } catch {
    throw new EvalError(file, `its folder ${folder} does not exist`);
  }
  if (!fs.statSync(realFolder).isDirectory()) throw new EvalError(file, `${folder} is not a folder`);
  return path.join(realFolder, path.basename(current));
}

function appendLocked(
  file: string,
  target: string,
  format: Format,
  row: Record<string, AppendValue>,
  options: AppendOptions,
): AppendOutcome {
  const { fd, created } = openForAppend(file, target);
  let written = false;
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    if (!stat.isFile()) throw notRegular(file, stat);
    const repairedBytes = repairInterruptedAppend(target, fd, stat);
    const size = repairedBytes > 0 ? fs.fstatSync(fd).size : Number(stat.size);
    const bytes = size === 0 ? newFileBytes(format, row) : encodeRow(file, fd, size, format, row, options);
    const journal = writeJournal(target, stat, size, bytes.length);
    writeWhole(file, fd, bytes, size);
    written = true;
    fs.rmSync(journal, { force: true });
    return { target, created, repairedBytes };
  } finally {
    fs.closeSync(fd);
    // A file this append created holds nothing of anyone else's: remove it when the append failed.
    if (created && !written) fs.rmSync(target, { force: true });
  }
}

function openForAppend(file: string, target: string): { fd: number; created: boolean } {
  // O_NONBLOCK: opening a FIFO must not wait for a reader; it is then refused by fstat.
  const flags = O_RDWR | O_APPEND | O_NONBLOCK;
  for (let attempt = 0; ; attempt++) {
    try {
      return { fd: fs.openSync(target, flags), created: false };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw openError(file, error);
    }
    try {
      return { fd: fs.openSync(target, flags | O_CREAT | O_EXCL, 0o666), created: true };
    } catch (error) {
      // Created by a writer that does not take the lock: open it as it is.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw openError(file, error);
    }
  }
}

function notRegular(file: string, stat: fs.Stats | fs.BigIntStats): EvalError {
  return new EvalError(
    file,
    stat.isDirectory()
      ? 'is a folder, not a results file'
      : `is ${describeKind(stat)}: results are appended to regular files only`,
  );
}

function openError(file: string, error: unknown): EvalError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EISDIR') return new EvalError(file, 'is a folder, not a results file');
  if (code === 'ENXIO') return new EvalError(file, 'is a socket or device, not a results file');
  if (code === 'EACCES' || code === 'EPERM') return new EvalError(file, 'no permission to write the results file');
  if (code === 'EROFS') return new EvalError(file, 'the results file is on a read-only filesystem');
  return new EvalError(file, `cannot open the results file (${errnoText(error)})`);
}

/** One write(2): with O_APPEND it lands at the end whatever else was written; a short write is undone. */
function writeWhole(file: string, fd: number, bytes: Buffer, size: number): void {
  let count = 0;
  try {
    count = fs.writeSync(fd, bytes);
    if (count === bytes.length) fs.fsyncSync(fd);
  } catch (error) {
    undo(fd, size);
    throw new EvalError(file, `writing the row failed (${errnoText(error)}); the file is as it was`);
  }
  if (count !== bytes.length) {
    undo(fd, size);
    throw new EvalError(
      file,
      `only ${count} of ${bytes.length} bytes of the row could be written (disk full?); the file is as it was`,
    );
  }
}

function undo(fd: number, size: number): void {
  try {
    fs.ftruncateSync(fd, size);
  } catch {}
}

// ---------- The journal: what an append is about to write, for the next appender if this one is killed ----------

function journalPath(target: string): string {
  return `${target}.lock.journal`;
}

function writeJournal(target: string, stat: fs.BigIntStats, size: number, length: number): string {
  const journal = journalPath(target);
  const fd = fs.openSync(journal, 'w');
  try {
    fs.writeSync(fd, JSON.stringify({ dev: String(stat.dev), ino: String(stat.ino), size, length }));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return journal;
}

/**
 * A journal left behind means its writer died holding the lock, maybe mid-write: when the file has grown by part
 * of that row only, the part is cut away. Returns the bytes removed.
 */
function repairInterruptedAppend(target: string, fd: number, stat: fs.BigIntStats): number {
  const journal = journalPath(target);
  let entry: { dev?: unknown; ino?: unknown; size?: unknown; length?: unknown };
  try {
    entry = JSON.parse(fs.readFileSync(journal, 'utf8'));
  } catch (error) {
    // Absent (the usual case), or cut short: its writer died before writing the row.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') fs.rmSync(journal, { force: true });
    return 0;
  }
  let removed = 0;
  const size = Number(stat.size);
  if (
    entry.dev === String(stat.dev) &&
    entry.ino === String(stat.ino) &&
    typeof entry.size === 'number' &&
    typeof entry.length === 'number'
  ) {
    if (size > entry.size && size < entry.size + entry.length) {
      fs.ftruncateSync(fd, entry.size);
      fs.fsyncSync(fd);
      removed = size - entry.size;
    }
  }
  fs.rmSync(journal, { force: true });
  return removed;
}

// ---------- Encoding the row ----------

function newFileBytes(format: Format, row: Record<string, AppendValue>): Buffer {
  if (format === 'jsonl') return Buffer.from(asciiJson(row) + '\n');
  const delimiter = format === 'tsv' ? '\t' : ',';
  const columns = Object.keys(row);
  return Buffer.from(
    `${columns.map((c) => csvCell(c, delimiter)).join(delimiter)}\n${csvLine(columns, row, delimiter)}\n`,
    'utf8',
  );
}

/** The bytes to append to a non-empty file: the row (after a line break when the file lacks a final one). */
function encodeRow(
  file: string,
  fd: number,
  size: number,
  format: Format,
  row: Record<string, AppendValue>,
  options: Pick<AppendOptions, 'optional' | 'exact'>,
): Buffer {
  const start = readFileStart(fd, size, MAX_HEADER_BYTES);
  const firstLine = findHeaderLine(file, start);
  const newline = firstLine?.crlf ? '\r\n' : '\n';
  let line: string;
  if (format === 'jsonl') line = asciiJson(row);
  else {
    if (!firstLine)
      throw new EvalError(
        file,
        'has no header line (only blank or # comment lines): cannot tell which column is which',
      );
    const delimiter = format === 'tsv' ? '\t' : sniffDelimiter(firstLine.text);
    const header = splitHeader(file, firstLine.text, delimiter);
    checkColumns(file, header, row, options);
    line = csvLine(header, row, delimiter);
  }
  const prefix = endsWithNewline(fd, size, start.encoding) ? '' : newline;
  return encodeForFile(file, fd, size, start.encoding as FileEncoding, prefix + line + newline);
}

/** The first line that is not blank or a # comment, and whether it ends in CRLF. */
function findHeaderLine(
  file: string,
  start: ReturnType<typeof readFileStart>,
): { text: string; crlf: boolean } | undefined {
  let position = 0;
  const text = start.text;
  while (position < text.length) {
    const end = text.indexOf('\n', position);
    if (end < 0 && !start.complete)
      throw new EvalError(
        file,
        `its first line is longer than ${MAX_HEADER_BYTES / (1 << 20)} MiB: not a results header`,
      );
    const raw = text.slice(position, end < 0 ? text.length : end);
    const crlf = raw.endsWith('\r');
    const line = crlf ? raw.slice(0, -1) : raw;
    if (line.trim() !== '' && !line.startsWith('#')) return { text: line, crlf };
    if (end < 0) break;
    position = end + 1;
  }
  return undefined;
}

/** As the parser judges a .csv: comma, tab or semicolon, whichever the header has most of. */
function sniffDelimiter(header: string): string {
  const counts = [',', '\t', ';'].map((d) => [d, header.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

function splitHeader(file: string, line: string, delimiter: string): string[] {
  try {
    const [fields] = parseCsv(line, { delimiter, relax_quotes: true }) as string[][];
    return (fields ?? []).map((f) => f.trim());
  } catch (error) {
    throw new EvalError(`${file}:1`, `cannot read the header: ${(error as Error).message}`);
  }
}

function checkColumns(
  file: string,
  header: string[],
  row: Record<string, AppendValue>,
  options: Pick<AppendOptions, 'optional' | 'exact'>,
): void {
  const optional = options.optional ?? new Set<string>();
  const keys = Object.keys(row);
  const missing = keys.filter(
    (key) => !header.includes(key) && (options.exact || (!optional.has(key) && row[key] !== null && row[key] !== '')),
  );
  const unfilled = options.exact ? header.filter((column) => !(column in row)) : [];
  if (missing.length === 0 && unfilled.length === 0) return;
  const parts = [];
  if (missing.length > 0) parts.push(`no column for ${missing.map((m) => `"${m}"`).join(', ')}`);
  if (unfilled.length > 0) parts.push(`no value for ${unfilled.map((m) => `"${m}"`).join(', ')}`);
  throw new EvalError(
    file,
    `its header cannot hold the result row: ${parts.join('; ')} (header: ${header.join(', ')}); write to a new file`,
  );
}

function csvLine(header: string[], row: Record<string, AppendValue>, delimiter: string): string {
  return header.map((column) => csvCell(row[column] ?? '', delimiter)).join(delimiter);
}

function csvCell(value: AppendValue, delimiter: string): string {
  const text = value === null ? '' : String(value);
  return text.includes(delimiter) || text.includes('"') ? `"${text.replace(/"/g, '""')}"` : text;
}

/** JSON with every non-ASCII character escaped: the line is the same bytes in any ASCII-compatible encoding. */
function asciiJson(row: Record<string, AppendValue>): string {
  return JSON.stringify(row).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
