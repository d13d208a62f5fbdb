/**
 * Benchmark (c): parse a 1,000,000-row results CSV into a table and read its numeric columns (what a fit does),
 * vs pandas.read_csv on the same file in the same run. Prints throughput ratio and peak memory.
 *   npx tsx bench/parse.ts [--rows 1000000]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseTable } from '../src/core/ingest/parse';
import { numberAt } from '../src/core/ingest/numeric';
import { columnData } from '../src/core/ingest/table';
import { Random } from '../src/core/random';
import { readTextFile } from '../src/node/files';

const rows = Number(process.argv[process.argv.indexOf('--rows') + 1] || 1_000_000) || 1_000_000;
const cache = path.join(__dirname, '.cache');
fs.mkdirSync(cache, { recursive: true });
const file = path.join(cache, `results-${rows}.csv`);
if (!fs.existsSync(file)) {
  const random = new Random(3);
  const archs = ['ViT-B-32', 'ViT-B-16', 'ViT-L-14', 'ViT-H-14', 'ViT-g-14'];
  const lines = ['arch,samples_seen,gmacs_total,gmacs,upstream_dataset,downstream_dataset,acc1,acc5,task'];
  for (let i = 0; i < rows; i++) {
    const samples = 10 ** (9 + 1.5 * random.next());
    const gmacs = [4.4, 14.8, 87.7, 191, 291][i % 5];
    const acc = 0.3 + 0.5 * random.next();
    lines.push(
      `${archs[i % 5]},${samples},${samples * gmacs},${gmacs},LAION-2B,imagenet1k,${acc},${Math.min(1, acc + 0.2)},zeroshot_classification`,
    );
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}
const bytes = fs.statSync(file).size;

const t0 = performance.now();
const text = readTextFile(file)!;
const table = parseTable(file, text);
let sum = 0;
const computeCol = table.columns.indexOf('gmacs_total');
const metricCol = table.columns.indexOf('acc1');
for (let row = 0; row < table.rowCount; row++)
  sum += (numberAt(table, row, computeCol, 'compute') ?? 0) * 0 + (numberAt(table, row, metricCol, 'acc1') ?? 0);
const ours = (performance.now() - t0) / 1000;
const peakMb = process.resourceUsage().maxRSS / 1024;
if (!(sum > 0) || table.rowCount !== rows) throw new Error('parse check failed');

// For the record, everything pandas does: every column materialised (numbers parsed, text interned).
const t1 = performance.now();
const full = parseTable(file, readTextFile(file)!);
for (let col = 0; col < full.columns.length; col++) columnData(full, col);
const oursAll = (performance.now() - t1) / 1000;

const baseline = JSON.parse(
  execFileSync('/usr/bin/python3', [path.join(__dirname, 'baseline_parse.py'), file], { encoding: 'utf8' }),
);
console.log(`parse ${rows.toLocaleString('en')} rows (${(bytes / 1e6).toFixed(0)} MB), 9 columns`);
console.log(
  `  Scaling Lens (read + split + the two numeric columns a fit uses): ${ours.toFixed(2)} s, ${(bytes / 1e6 / ours).toFixed(1)} MB/s, peak RSS ${peakMb.toFixed(0)} MB`,
);
console.log(
  `  pandas.read_csv: ${baseline.seconds.toFixed(2)} s, ${(bytes / 1e6 / baseline.seconds).toFixed(1)} MB/s, peak RSS ${baseline.peak_rss_mb.toFixed(0)} MB`,
);
console.log(
  `  Scaling Lens, all 9 columns materialised: ${oursAll.toFixed(2)} s, ratio ${(baseline.seconds / oursAll).toFixed(2)}× of pandas`,
);
console.log(`  throughput ratio ${(baseline.seconds / ours).toFixed(2)}× of pandas (target ≥ 0.5×)`);
