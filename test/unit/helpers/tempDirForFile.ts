/** Temporary folders shared by the tests of one file (node:test), removed when the file's tests end, pass or fail. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';

/** A folder for fixtures written once when the file loads. */
export function tempDirForFile(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Makes a new folder on each call, all inside one folder for the file. */
export function tempDirsForFile(prefix: string): () => string {
  const parent = tempDirForFile(prefix);
  return () => fs.mkdtempSync(path.join(parent, 'case-'));
}
