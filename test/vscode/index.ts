/**
 * In-host test entry in @vscode/test-electron's convention: `run()` runs the mocha suite inside the extension host.
 * Per-test results go to a JSON file beside this bundle, because the harness cannot read mocha's console output.
 */
import fs from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { registerSuites } from './suites';

export function run(): Promise<void> {
  // Generous: the suite must pass with both cores busy (timings are recorded, not asserted).
  const mocha = new Mocha({ ui: 'tdd', timeout: 300_000, color: false });
  mocha.suite.emit('pre-require', globalThis, 'in-host-suite', mocha);
  registerSuites();
  const results: { title: string; state: 'passed' | 'failed'; error?: string; ms?: number; measured?: string }[] = [];
  const resultsFile =
    process.env.SCALING_LENS_TEST_RESULTS ??
    path.join(__dirname, '..', '..', '..', 'test-output', 'vscode-results.json');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
      fs.writeFileSync(
        resultsFile,
        JSON.stringify(
          {
            passed: results.filter((r) => r.state === 'passed').length,
            failed: results.filter((r) => r.state === 'failed').length,
            tests: results,
          },
          null,
          2,
        ),
      );
      if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) =>
      results.push({ title: test.fullTitle(), state: 'passed', ms: test.duration, measured: measuredBy(test) }),
    );
    runner.on('fail', (test, error) =>
      results.push({
        title: test.fullTitle(),
        state: 'failed',
        error: String(error?.stack ?? error),
        measured: measuredBy(test),
      }),
    );
  });
}

/** What a test measured (set with `recordMeasurement`), printed under its result by the harness. */
function measuredBy(test: Mocha.Runnable): string | undefined {
  return (test as Mocha.Runnable & { measured?: string }).measured;
}
