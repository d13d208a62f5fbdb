// Hover cost on a 100k-row results file: the prediction for a row from the cached fit (law + 200 bootstrap refits),
// as the hover provider computes it, against the baseline it avoids, measured in the same run: the quick fit job
// (no bootstrap) a hover would wait for if it asked the worker. Moved here from the in-host test, which now records
// timings without asserting them (tests must pass on a busy machine).
//   npx tsx bench/hover.ts [rows]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runFitJob } from '../src/worker/fitJob';
import { predictAtLine } from '../src/core/hoverPrediction';
import { readTextFile } from '../src/node/files';

const rows = Number(process.argv[2] ?? 100_000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-hover-'));
const file = path.join(dir, 'large_results.csv');
const archs: [string, number][] = [
  ['ViT-B-32', 4.4],
  ['ViT-B-16', 14.8],
  ['ViT-L-14', 87.7],
  ['ViT-H-14', 191],
  ['ViT-g-14', 291],
];
const lines = ['arch,samples_seen,gmacs_total,gmacs,upstream_dataset,downstream_dataset,acc1,task,name'];
let seed = 1;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
for (let i = 0; i < rows; i++) {
  const [arch, gmacs] = archs[i % archs.length];
  const samples = 10 ** (9.3 + 1.3 * random());
  lines.push(
    `${arch},${samples},${samples * gmacs},${gmacs},LAION-2B,imagenet1k,${(1 - 5.86 * (samples * gmacs) ** -0.111 * Math.exp(0.05 * random())).toFixed(5)},zeroshot_classification,run-${i}`,
  );
}
fs.writeFileSync(file, lines.join('\n') + '\n');

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];
const settings = { law: 'power' as const, frontier: 'default', budgets: [] };

const fits: number[] = [];
for (let i = 0; i < 3; i++) {
  const started = performance.now();
  runFitJob(file, { ...settings, bootstrap: false }, readTextFile);
  fits.push(performance.now() - started);
}
const outcome = runFitJob(file, { ...settings, bootstrap: true }, readTextFile);
const hovers: number[] = [];
for (let i = 0; i < 2000; i++) {
  const line = 2 + Math.floor(random() * rows);
  const started = performance.now();
  const row = predictAtLine(outcome.hover, line);
  hovers.push(performance.now() - started);
  if (!row || row.low === null) throw new Error(`no prediction with an interval for line ${line}`);
}
const fitMs = median(fits);
const hoverMs = median(hovers);
console.log(
  `hover on ${rows.toLocaleString('en')} rows (200 bootstrap refits): median ${hoverMs.toFixed(3)} ms, p99 ${quantile(hovers, 0.99).toFixed(3)} ms`,
);
console.log(`baseline, the quick fit job a hover would otherwise wait for: median ${fitMs.toFixed(0)} ms`);
console.log(`ratio: a hover costs 1/${Math.round(fitMs / hoverMs).toLocaleString('en')} of a refit`);
fs.rmSync(dir, { recursive: true });
