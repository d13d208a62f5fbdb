/**
 * An exclusive lock file beside a results file, shared by processes on one machine or on several hosts of a shared
 * filesystem. The owner's pid, host and start time are written to a private file first and published with link(2),
 * which fails when the lock exists: nobody ever sees an empty or half-written lock (link is the classic lock that
 * also holds on NFS). Only the owner removes its lock (same inode and token); a lock is stale, and taken over, when
 * its owner on this host is dead or it is older than `staleMs` (the lock is held for milliseconds).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EvalError } from './errors';

export interface LockHolder {
  pid: number;
  host: string;
  /** When the lock was taken (ms since the epoch, the owner's clock). */
  created: number;
  token: string;
}

export interface LockOptions {
  /** Give up after waiting this long for a live holder (default 120 s). */
  waitMs?: number;
  /** A lock older than this is taken over even when its owner looks alive (default 60 s). */
  staleMs?: number;
  signal?: AbortSignal;
  /** Told once when the lock is busy and waiting begins. */
  onWait?: (holder: string) => void;
}

export interface HeldLock {
  readonly path: string;
  release(): void;
}

export class LockAborted extends Error {
  constructor() {
    super('waiting for the lock was cancelled');
    this.name = 'LockAborted';
  }
}

export const DEFAULT_WAIT_MS = 120_000;
export const DEFAULT_STALE_MS = 60_000;

const host = os.hostname();

export async function acquireLock(lockPath: string, options: LockOptions = {}): Promise<HeldLock> {
  const waitMs = options.waitMs ?? DEFAULT_WAIT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const token = `${host}.${process.pid}.${randomBytes(6).toString('hex')}`;
  const content = JSON.stringify({ pid: process.pid, host, created: Date.now(), token } satisfies LockHolder) + '\n';
  // Hidden, beside the lock (link(2) needs the same filesystem); removed whatever happens.
  const privateFile = path.join(path.dirname(lockPath), `.${path.basename(lockPath)}.${token}`);
  writePrivate(lockPath, privateFile, content);
  const started = Date.now();
  let told = false;
  try {
    for (;;) {
      if (options.signal?.aborted) throw new LockAborted();
      if (tryLink(lockPath, privateFile))
        return ownedLock(lockPath, token, fs.statSync(privateFile, { bigint: true }).ino);
      const seen = inspect(lockPath);
      if (seen === undefined) continue; // released meanwhile: try again at once
      const age = Math.max(0, Date.now() - (seen.holder?.created ?? seen.mtimeMs));
      const dead = seen.holder !== undefined && seen.holder.host === host && !alive(seen.holder.pid);
      if (dead || age > staleMs) {
        breakStale(lockPath, seen, token);
        continue;
      }
      const who = describeHolder(seen, age);
      if (Date.now() - started > waitMs) {
        throw new EvalError(
          lockPath,
          `the results file is locked by ${who}; gave up after waiting ${Math.round((Date.now() - started) / 1000)} s (if that process is gone, delete the lock file)`,
        );
      }
      if (!told) options.onWait?.(who);
      told = true;
      await sleep(20 + Math.random() * 60, options.signal);
    }
  } finally {
    fs.rmSync(privateFile, { force: true });
  }
}

function writePrivate(lockPath: string, privateFile: string, content: string): void {
  try {
    fs.writeFileSync(privateFile, content, { flag: 'wx' });
  } catch (error) {
    throw new EvalError(lockPath, `cannot create a lock beside the results file (${errnoText(error)})`);
  }
}

/** True when the private file is now also the lock. */
function tryLink(lockPath: string, privateFile: string): boolean {
  try {
    fs.linkSync(privateFile, lockPath);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      // Over NFS a lost reply can report failure for a link that was made: the link count tells.
      return fs.statSync(privateFile).nlink === 2;
    }
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
      throw new EvalError(
        lockPath,
        'this filesystem does not support hard links, which the lock needs; write the results file on a local or NFS filesystem',
      );
    }
    throw new EvalError(lockPath, `cannot create the lock (${errnoText(error)})`);
  }
}

interface SeenLock {
  ino: bigint;
  content: string;
  holder?: LockHolder;
  mtimeMs: number;
}

/** The lock as it is now, or undefined when there is none. */
function inspect(lockPath: string): SeenLock | undefined {
  let fd: number;
  try {
    fd = fs.openSync(lockPath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new EvalError(lockPath, `cannot read the lock (${errnoText(error)})`);
  }
  try {
    const stat = fs.fstatSync(fd, { bigint: true });
    if (!stat.isFile())
      throw new EvalError(
        lockPath,
        `the lock path is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}: remove it (it is not a lock this program wrote)`,
      );
    const content = fs.readFileSync(fd, 'utf8');
    return { ino: stat.ino, content, holder: parseHolder(content), mtimeMs: Number(stat.mtimeMs) };
  } finally {
    fs.closeSync(fd);
  }
}

function parseHolder(content: string): LockHolder | undefined {
  try {
    const value = JSON.parse(content) as Partial<LockHolder>;
    if (
      Number.isInteger(value.pid) &&
      value.pid! > 0 &&
      typeof value.host === 'string' &&
      Number.isFinite(value.created) &&
      typeof value.token === 'string'
    )
      return value as LockHolder;
  } catch {}
  return undefined;
}

/**
 * Moves the stale lock aside and deletes it, but only if what was moved is the lock judged stale: when another
 * process took the lock in between, its lock is put back.
 */
function breakStale(lockPath: string, seen: SeenLock, token: string): void {
  const aside = `${lockPath}.stale.${token}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new EvalError(lockPath, `cannot remove a stale lock (${errnoText(error)})`);
  }
  try {
    const moved = inspect(aside);
    if (moved && (moved.ino !== seen.ino || moved.content !== seen.content)) {
      try {
        fs.linkSync(aside, lockPath);
      } catch {}
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

function ownedLock(lockPath: string, token: string, ino: bigint): HeldLock {
  return {
    path: lockPath,
    release() {
      // Ours only if it is still the same file with our token (a stale-lock takeover may have replaced it).
      let seen: SeenLock | undefined;
      try {
        seen = inspect(lockPath);
      } catch {
        return;
      }
      if (seen && seen.ino === ino && seen.holder?.token === token) fs.rmSync(lockPath, { force: true });
    },
  };
}

function describeHolder(seen: SeenLock, ageMs: number): string {
  const age = `${(ageMs / 1000).toFixed(1)} s`;
  if (!seen.holder)
    return `an unknown process (lock file written ${age} ago, content ${JSON.stringify(seen.content.slice(0, 40))})`;
  return `process ${seen.holder.pid} on host ${seen.holder.host} for ${age}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new LockAborted());
    const onAbort = () => {
      clearTimeout(timer);
      reject(new LockAborted());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function errnoText(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(error);
}
