/**
 * Reading evaluation inputs safely: regular files only (a FIFO, socket or folder gets a message instead of a hang),
 * a size limit checked before reading, and paths that stay inside their folder after symlinks are resolved.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EvalError } from './errors';

export function describeKind(stat: fs.Stats | fs.BigIntStats): string {
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/** The bytes of a regular file of at most `maxBytes`; `what` names it in messages ("the image", "labels.csv"). */
export function readRegularFile(file: string, what: string, maxBytes: number): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    throw new EvalError(file, `cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) throw new EvalError(file, `${what} is ${describeKind(stat)}, expected a regular file`);
    if (stat.size > maxBytes)
      throw new EvalError(file, `${what} is ${megabytes(stat.size)}, more than the ${megabytes(maxBytes)} limit`);
    return fs.readFileSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function readRegularText(file: string, what: string, maxBytes: number): string {
  return readRegularFile(file, what, maxBytes).toString('utf8');
}

/**
 * The real path of `file` (symlinks resolved), refused unless it lies inside the real path of `folder`. A file that
 * does not exist keeps its lexical path (after the same check), so reading it reports ENOENT.
 */
export function realPathInside(folder: string, file: string, where: string, what: string): string {
  const realFolder = fs.realpathSync(folder);
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    real = path.resolve(realFolder, path.relative(folder, file));
  }
  const relative = path.relative(realFolder, real);
  if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    throw new EvalError(where, `${what} leads outside the data folder ${realFolder} (to ${real})`);
  }
  return real;
}

function megabytes(bytes: number): string {
  return `${(bytes / (1 << 20)).toFixed(bytes < 1 << 20 ? 2 : 0)} MiB`;
}
