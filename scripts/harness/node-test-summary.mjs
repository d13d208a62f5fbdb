// node --test reporter: counts leaf tests and writes test-output/summary-unit.json for .ci/run's closing line.
import fs from 'node:fs';
import path from 'node:path';

export default async function* summaryReporter(source) {
  let passed = 0;
  let failed = 0;
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    if (event.data.details?.type === 'suite') continue;
    if (event.data.skip || event.data.todo) continue;
    if (event.type === 'test:pass') passed++;
    else failed++;
  }
  const out = path.resolve(process.env.SCALING_LENS_TEST_OUTPUT ?? 'test-output');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'summary-unit.json'), JSON.stringify({ suite: 'unit', passed, failed }));
  yield `unit: ${passed} passed, ${failed} failed\n`;
}
