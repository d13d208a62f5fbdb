/**
 * Benchmark: the cost of refusing hostile images. Decodes the 1000 eval-set PNGs with `decodeImage` (regular-file
 * read, header pixel limit, a check that the compressed data holds every row, then pngjs) against pngjs on the same
 * bytes read with readFileSync (what decoding cost before the checks), in alternating rounds of the same run.
 *   npx tsx bench/imageDecode.ts [--rounds 5]
 */
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { readEvalSet } from '../src/eval/dataset';
import { decodeImage } from '../src/eval/images';

const rounds = Number(process.argv[process.argv.indexOf('--rounds') + 1] || 5) || 5;
const files = readEvalSet(path.join(__dirname, '..', 'examples', 'clip-shapes', 'evalset')).items.map(
  (item) => item.file,
);

function time(decode: (file: string) => void): number {
  const started = performance.now();
  for (const file of files) decode(file);
  return performance.now() - started;
}

const checked: number[] = [];
const plain: number[] = [];
time((f) => decodeImage(f)); // warm-up
for (let round = 0; round < rounds; round++) {
  plain.push(time((f) => PNG.sync.read(fs.readFileSync(f))));
  checked.push(time((f) => decodeImage(f)));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const perImage = (ms: number) => `${((ms / files.length) * 1000).toFixed(0)} µs`;
console.log(
  `${files.length} PNGs, median of ${rounds} rounds: pngjs alone ${perImage(median(plain))}/image, decodeImage with checks ${perImage(median(checked))}/image, ratio ×${(median(checked) / median(plain)).toFixed(2)}`,
);
