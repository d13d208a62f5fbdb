/**
 * Validation of --forecast on real learning curves: every curve cut at 25 %, 50 % and 75 % of its length and its
 * final metric forecast from the cut, against the last value carried forward. Errors are the median |forecast −
 * final| over runs (percentage points of accuracy); coverage is the share of finals inside the 95 % interval.
 * Every forecast is leave-one-run-out: the run itself is never among the finished runs it is calibrated on.
 *   npx tsx bench/forecast.ts
 */
import { analyze, resolveSpec } from '../src/core/analysis';
import { learningCurves } from '../src/core/decisions/curves';
import { forecastCurves, type ForecasterChoice } from '../src/core/decisions/forecast';
import { dirname, joinPath, loadDataset } from '../src/core/ingest/load';
import { readTextFile } from '../src/node/files';

const datasets = [
  {
    name: 'OpenCLIP ImageNet zero-shot curves (29 runs, 6–428 checkpoints)',
    file: 'examples/openclip/imagenet_zeroshot_learning_curves.csv',
  },
  { name: 'clip-shapes curves (42 finished runs, 4 checkpoints)', file: 'examples/clip-shapes/curves.jsonl' },
];
const variants: { label: string; choice: ForecasterChoice }[] = [
  { label: 'power law per run, its own interval (uncalibrated)', choice: { calibrate: false } },
  { label: 'power law per run, calibrated on finished runs', choice: { methods: ['power-law'] } },
  { label: 'family shape (all finished runs)', choice: { methods: ['family-shape'] } },
  { label: 'family shape (runs of similar planned length)', choice: { methods: ['same-length-shape'] } },
  { label: 'last value, calibrated interval', choice: { methods: ['last-value'] } },
  { label: '**default: similar-length family shape, else all finished runs, else power law**', choice: {} },
];

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2));
for (const dataset of datasets) {
  const { table, spec } = loadDataset(dataset.file, readTextFile);
  const resolved = resolveSpec(table, spec, {});
  const result = analyze(table, resolved, { bootstrap: 0 });
  const readSibling = (name: string) => readTextFile(joinPath(dirname(dataset.file), name));
  console.log(`\n### ${dataset.name}\n`);
  console.log(
    '| forecaster | 25 %: error (pp) | coverage | 50 %: error (pp) | coverage | 75 %: error (pp) | coverage |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  const rows: string[] = [];
  let baseline = '| last value carried forward (baseline) |';
  for (const [index, variant] of variants.entries()) {
    let row = `| ${variant.label} |`;
    for (const cut of [0.25, 0.5, 0.75]) {
      const report = forecastCurves(
        learningCurves(table, resolved, result, readSibling, undefined),
        result.scale,
        cut,
        variant.choice,
      );
      const s = report.summary!;
      row += ` ${fmt(s.median_abs_error)} | ${s.coverage === null ? '—' : `${Math.round(100 * s.coverage)} %`} |`;
      if (index === 0) baseline += ` ${fmt(s.baseline_median_abs_error)} | — |`;
    }
    rows.push(row);
  }
  console.log([baseline, ...rows].join('\n'));
}
