/** Temporary folders for tests that are removed afterwards, also when the test throws or its promise rejects. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

/** Runs `body` with a new folder under the system's temporary folder, then removes the folder and all it holds. */
export function withTempDir<T>(prefix: string, body: (dir: string) => T): T {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  let result: T;
  try {
    result = body(dir);
  } catch (error) {
    remove();
    throw error;
  }
  if (result instanceof Promise) return result.finally(remove) as T;
  remove();
  return result;
}

/** A folder shared by every test of a file (fixtures written once at load), removed when the file's tests end. */
export function tempDirForFile(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Makes a new folder on each call, all inside one folder for the file that is removed when the file's tests end. */
export function tempDirsForFile(prefix: string): () => string {
  const parent = tempDirForFile(prefix);
  return () => fs.mkdtempSync(path.join(parent, 'case-'));
}
