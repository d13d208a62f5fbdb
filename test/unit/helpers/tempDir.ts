/** Temporary folders for tests that are removed afterwards, also when the test throws or its promise rejects. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Runs `body` with a new folder (under the system's temporary folder unless `parent` is given), then removes the
 * folder and all it holds. Free of node:test, so the in-host tests (mocha in the extension host) use it too.
 */
export function withTempDir<T>(prefix: string, body: (dir: string) => T, parent = os.tmpdir()): T {
  const dir = fs.mkdtempSync(path.join(parent, `${prefix}-`));
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
