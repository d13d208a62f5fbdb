/** Reading results files in Node (CLI, fit worker, benchmarks). */
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import { decodeBytes, type DecodedText } from '../core/ingest/decode';

/** Text of a file, or undefined when it does not exist. */
export function readTextFile(path: string): string | undefined {
  return readDecodedFile(path)?.text;
}

/**
 * Text of a file with the encoding it was read in, or undefined when it does not exist. ASCII files (most results
 * files) are decoded as latin1, which gives the same string and is several times faster than UTF-8 decoding.
 */
export function readDecodedFile(path: string): DecodedText | undefined {
  const bytes = readBytes(path);
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

function readBytes(path: string): Buffer | undefined {
  try {
    return fs.readFileSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    if (code === 'EISDIR') throw new Error(`${path} is a folder, not a results file`);
    throw error;
  }
}

function decode(bytes: Buffer): DecodedText {
  return isAscii(bytes) ? { text: bytes.toString('latin1'), encoding: 'utf-8' } : decodeBytes(bytes);
}

/**
 * Reads files that mostly grow (a training job appending rows): when a file's bytes begin with the bytes read last
 * time, only the new bytes are decoded and appended to the text read last time. The check compares every byte, so
 * an edit anywhere still gives the file's current text. Files that are not UTF-8 are decoded whole every time.
 */
export class GrowingFileReader {
  private readonly last = new Map<string, { bytes: Buffer; decoded: DecodedText }>();

  constructor(private readonly maxFiles = 8) {}

  readonly read = (path: string): string | undefined => this.readDecoded(path)?.text;

  readonly readDecoded = (path: string): DecodedText | undefined => {
    let bytes: Buffer | undefined;
    try {
      bytes = readBytes(path);
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
    const decoded = grown && tail!.encoding === 'utf-8' ? { text: previous.decoded.text + tail!.text, encoding: 'utf-8' as const } : decode(bytes);
    this.last.delete(path);
    this.last.set(path, { bytes, decoded });
    while (this.last.size > this.maxFiles) this.last.delete(this.last.keys().next().value!);
    return decoded;
  };
}
