/**
 * The text encoding of an existing results file, so an appended row is written in the file's own encoding and its
 * existing bytes are never re-encoded: UTF-8 (with or without BOM), UTF-16 with a BOM, or an unknown single-byte
 * encoding (Windows-1252, Latin-1, …) that takes ASCII rows only.
 */
import { isAscii } from 'node:buffer';
import fs from 'node:fs';
import { EvalError } from './errors';

const CHUNK = 1 << 20;

export type FileEncoding = 'utf8' | 'utf16le' | 'utf16be' | 'single-byte';

export interface FileStart {
  encoding: FileEncoding;
  /** Decoded text of the first bytes (at most `limit`), BOM removed. */
  text: string;
  /** The whole file was read. */
  complete: boolean;
}

/** Reads and decodes the start of the file (up to `limit` bytes). */
export function readFileStart(fd: number, size: number, limit: number): FileStart {
  const length = Math.min(size, limit);
  const bytes = Buffer.alloc(length);
  const read = fs.readSync(fd, bytes, 0, length, 0);
  const head = bytes.subarray(0, read);
  const complete = read === size;
  if (head[0] === 0xff && head[1] === 0xfe)
    return { encoding: 'utf16le', text: head.subarray(2, evenLength(read)).toString('utf16le'), complete };
  if (head[0] === 0xfe && head[1] === 0xff)
    return { encoding: 'utf16be', text: swapped(head.subarray(2, evenLength(read))).toString('utf16le'), complete };
  const body = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    // stream: a character cut at the end of the window is not an error.
    return { encoding: 'utf8', text: utf8.decode(body, { stream: !complete }), complete };
  } catch {
    return { encoding: 'single-byte', text: body.toString('latin1'), complete };
  }
}

/** Whether the file's last character is a line feed. */
export function endsWithNewline(fd: number, size: number, encoding: FileEncoding): boolean {
  const width = encoding === 'utf16le' || encoding === 'utf16be' ? 2 : 1;
  if (size < width) return false;
  const tail = Buffer.alloc(width);
  fs.readSync(fd, tail, 0, width, size - width);
  if (encoding === 'utf16le') return tail[0] === 0x0a && tail[1] === 0;
  if (encoding === 'utf16be') return tail[0] === 0 && tail[1] === 0x0a;
  return tail[0] === 0x0a;
}

/**
 * The bytes of `text` in the file's encoding. Non-ASCII text goes into a UTF-8 file only after the whole file has
 * been checked to be UTF-8 (its start alone could be ASCII); into a single-byte file it is refused, since the
 * encoding cannot be known.
 */
export function encodeForFile(file: string, fd: number, size: number, encoding: FileEncoding, text: string): Buffer {
  if (encoding === 'utf16le') return Buffer.from(text, 'utf16le');
  if (encoding === 'utf16be') return swapped(Buffer.from(text, 'utf16le'));
  const bytes = Buffer.from(text, 'utf8');
  if (isAscii(bytes)) return bytes;
  const invalid =
    encoding === 'single-byte' ? (firstInvalidUtf8(fd, size) ?? { line: 1, byte: 0 }) : firstInvalidUtf8(fd, size);
  if (invalid) {
    const sample = [...text]
      .filter((c) => c.charCodeAt(0) > 0x7f)
      .slice(0, 8)
      .join('');
    throw new EvalError(
      file,
      `the file is not UTF-8 (byte 0x${invalid.byte.toString(16).toUpperCase().padStart(2, '0')} on line ${invalid.line}), so its encoding is unknown, and the row has non-ASCII text ("${sample}") that cannot be written compatibly: convert the file to UTF-8 or use ASCII values`,
    );
  }
  return bytes;
}

/** Scans the file in chunks; the line and value of the first byte that is not valid UTF-8, if any. */
function firstInvalidUtf8(fd: number, size: number): { line: number; byte: number } | undefined {
  const chunk = Buffer.alloc(CHUNK);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  for (let position = 0; position < size;) {
    const read = fs.readSync(fd, chunk, 0, Math.min(chunk.length, size - position), position);
    if (read === 0) break;
    const part = chunk.subarray(0, read);
    try {
      decoder.decode(part, { stream: position + read < size });
    } catch {
      return locateInvalid(fd, size, position, line);
    }
    for (let i = 0; i < read; i++) if (part[i] === 0x0a) line++;
    position += read;
  }
  return undefined;
}

/** The decoder only says that a chunk failed: walk its characters to find the byte. */
function locateInvalid(
  fd: number,
  size: number,
  chunkStart: number,
  lineAtChunk: number,
): { line: number; byte: number } {
  const window = Buffer.alloc(Math.min(size - chunkStart, CHUNK));
  const bytes = window.subarray(0, fs.readSync(fd, window, 0, window.length, chunkStart));
  let line = lineAtChunk;
  let i = 0;
  // Continuation bytes of a character begun in the previous chunk.
  while (i < 3 && bytes[i] >= 0x80 && bytes[i] <= 0xbf) i++;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return { line, byte: bytes[i] };
    if (bytes[i] === 0x0a) line++;
    i += length;
  }
  return { line: lineAtChunk, byte: bytes[0] };
}

/** Length of the valid UTF-8 sequence at `i`, or 0 when it is invalid. */
function sequenceLength(bytes: Buffer, i: number): number {
  const lead = bytes[i];
  const length =
    lead < 0x80
      ? 1
      : lead >= 0xc2 && lead <= 0xdf
        ? 2
        : lead >= 0xe0 && lead <= 0xef
          ? 3
          : lead >= 0xf0 && lead <= 0xf4
            ? 4
            : 0;
  if (length <= 1 || i + length > bytes.length) return length === 1 ? 1 : 0;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + length));
    return length;
  } catch {
    return 0;
  }
}

function evenLength(length: number): number {
  return length - (length % 2);
}

function swapped(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  return copy.swap16();
}
