import { spawnSync } from 'node:child_process';
import path from 'node:path';

const bin = path.join(__dirname, '..', '..', 'bin', 'scaling-lens.js');

/** Runs the CLI; a run that hangs is killed after a generous bound (exit code -1) instead of hanging the suite. */
export function runCli(args: string[], timeoutMs = 180_000): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
