/**
 * Reading results files in Node (CLI, fit worker, benchmarks): regular files only, opened without blocking (a FIFO
 * or a device never hangs a read), and no larger than a string Node.js can hold.
 */
import { constants as bufferConstants, isAscii } from 'node:buffer';
import fs from 'node:fs';
import { InputError } from '../core/errors';
import { decodeBytes, type DecodedText } from '../core/ingest/decode';

/** 1 GiB, or less where a JavaScript string cannot hold that many characters (just under 512 MiB in Node.js 20–22). */
export const MAX_FILE_BYTES = Math.min(2 ** 30, Math.floor(bufferConstants.MAX_STRING_LENGTH / 2 ** 20) * 2 ** 20);

// O_NONBLOCK: opening a FIFO for reading returns at once instead of waiting for a writer (undefined on Windows).
const OPEN_FLAGS = fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0);

/** The bytes of a regular file; undefined when it does not exist. Anything else ends in a message naming the file. */
export function readRegularFile(path: string, maxBytes = MAX_FILE_BYTES): Buffer | undefined {
  let fd: number;
  try {
    fd = fs.openSync(path, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw openProblem(path, code);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile())
      throw new InputError(
        { file: path },
        `this is ${kindOf(stat)}, not a regular file: expected a file Scaling Lens can read`,
      );
    if (stat.size > maxBytes) {
      throw new InputError(
        { file: path },
        `the file is ${mebibytes(stat.size)}: files up to ${mebibytes(maxBytes)} are read (split it, or keep the runs to fit in a smaller file)`,
      );
    }
    // The size seen by fstat: bytes appended while reading are read on the next change.
    const bytes = Buffer.allocUnsafe(stat.size);
    let length = 0;
    while (length < bytes.length) {
      const read = fs.readSync(fd, bytes, length, bytes.length - length, length);
      if (read === 0) break;
      length += read;
    }
    return length === bytes.length ? bytes : bytes.subarray(0, length);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw openProblem(path, (error as NodeJS.ErrnoException).code);
  } finally {
    fs.closeSync(fd);
  }
}

function openProblem(path: string, code: string | undefined): InputError {
  switch (code) {
    case 'EISDIR':
      return new InputError(
        { file: path },
        'this is a folder, not a regular file: expected a file Scaling Lens can read',
      );
    case 'ENXIO':
      return new InputError(
        { file: path },
        'this is a socket or a device, not a regular file: expected a file Scaling Lens can read',
      );
    case 'EACCES':
    case 'EPERM':
      return new InputError({ file: path }, 'permission denied: the file cannot be read');
    case 'ELOOP':
      return new InputError({ file: path }, 'a loop of symbolic links: the file cannot be read');
    default:
      return new InputError({ file: path }, `the file cannot be read (${code ?? 'unknown error'})`);
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a named pipe (FIFO)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a file';
}

function mebibytes(bytes: number): string {
  const mib = bytes / 2 ** 20;
  return `${Number.isInteger(mib) ? mib : mib.toFixed(mib < 1 ? 3 : 1)} MiB`;
}

/** A path with symbolic links resolved; undefined when it does not exist. */
export function realPath(path: string): string | undefined {
  try {
    return fs.realpathSync.native(path);
  } catch {
    return undefined;
  }
}

/** ASCII files (most results files) are decoded as latin1: the same string, several times faster than UTF-8. */
function decode(bytes: Buffer): DecodedText {
  return isAscii(bytes) ? { text: bytes.toString('latin1'), encoding: 'utf-8' } : decodeBytes(bytes);
}

/** Text of a file, or undefined when it does not exist. */
export function readTextFile(path: string): string | undefined {
  return readDecodedFile(path)?.text;
}

/** Text of a file with the encoding it was read in (UTF-16 and Windows-1252 are decoded with a note). */
export function readDecodedFile(path: string): DecodedText | undefined {
  const bytes = readRegularFile(path);
  return bytes === undefined ? undefined : decode(bytes);
}

/** Names of the entries of a folder, or undefined when `path` is not a folder. */
export function listFolder(path: string): string[] | undefined {
  try {
    return fs.statSync(path).isDirectory() ? fs.readdirSync(path).sort() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads files that mostly grow (a training job appending rows): when a file's bytes begin with the bytes read last
 * time, only the new bytes are decoded and appended to the text read last time. The check compares every byte, so
 * an edit anywhere still gives the file's current text. Files that are not UTF-8 are decoded whole every time.
 */
export class GrowingFileReader {
  private readonly last = new Map<string, { bytes: Buffer; decoded: DecodedText }>();

  constructor(
    private readonly maxFiles = 8,
    private readonly maxBytes = MAX_FILE_BYTES,
  ) {}

  readonly read = (path: string): string | undefined => this.readDecoded(path)?.text;

  readonly readDecoded = (path: string): DecodedText | undefined => {
    let bytes: Buffer | undefined;
    try {
      bytes = readRegularFile(path, this.maxBytes);
    } finally {
      if (bytes === undefined) this.last.delete(path);
    }
    if (bytes === undefined) return undefined;
    const previous = this.last.get(path);
    const grown =
      previous &&
      previous.decoded.encoding === 'utf-8' &&
      bytes.length >= previous.bytes.length &&
      // The old text must end on a whole character (a newline) for the two parts to decode like the whole.
      previous.bytes[previous.bytes.length - 1] === 0x0a &&
      bytes.compare(previous.bytes, 0, previous.bytes.length, 0, previous.bytes.length) === 0;
    const tail = grown ? decode(bytes.subarray(previous.bytes.length)) : undefined;
    const decoded =
      grown && tail!.encoding === 'utf-8'
        ? { text: previous.decoded.text + tail!.text, encoding: 'utf-8' as const }
        : decode(bytes);
    this.last.delete(path);
    this.last.set(path, { bytes, decoded });
    while (this.last.size > this.maxFiles) this.last.delete(this.last.keys().next().value!);
    return decoded;
  };
}
