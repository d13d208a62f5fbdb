// Per-suite summaries in test-output/summary-<suite>.json; .ci/run adds them up into its closing line.
import fs from 'node:fs';
import path from 'node:path';

export const OUTPUT = path.resolve(process.env.SCALING_LENS_TEST_OUTPUT ?? 'test-output');

export function writeSummary(suite, passed, failed) {
  fs.mkdirSync(OUTPUT, { recursive: true });
  fs.writeFileSync(path.join(OUTPUT, `summary-${suite}.json`), JSON.stringify({ suite, passed, failed }));
  console.log(`${suite}: ${passed} passed, ${failed} failed`);
}
