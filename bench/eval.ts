/**
 * Benchmark: end-to-end evaluation throughput (decode PNG, preprocess, tokenise, infer, metrics) on the clip-shapes
 * H model and the 1000-image eval set, against raw onnxruntime inference throughput on the same images already
 * decoded into tensors, measured in the same run with the same batch size and thread count.
 *   npx tsx bench/eval.ts [--batch 64] [--threads 1]
 */
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { readEvalSet } from '../src/eval/dataset';
import { decodeImage, preprocess } from '../src/eval/images';
import { readModelFolder } from '../src/eval/model';
import { runEval } from '../src/eval/run';

const arg = (name: string, fallback: number) =>
  Number(process.argv[process.argv.indexOf(`--${name}`) + 1] || fallback) || fallback;
const batch = arg('batch', 64);
const threads = arg('threads', 1);
const examples = path.join(__dirname, '..', 'examples', 'clip-shapes');
const modelDir = path.join(examples, 'models', 'shapes_H_u256000_s4000000');
const data = path.join(examples, 'evalset');

async function rawInference(): Promise<number> {
  const model = readModelFolder(modelDir);
  const set = readEvalSet(data);
  const size = model.config.imageSize;
  const pixels = 3 * size * size;
  const tensors: ort.Tensor[] = [];
  for (let start = 0; start < set.items.length; start += batch) {
    const items = set.items.slice(start, start + batch);
    const buffer = new Float32Array(items.length * pixels);
    items.forEach((item, i) =>
      preprocess(decodeImage(item.file), size, model.config.mean, model.config.std, buffer, i * pixels),
    );
    tensors.push(new ort.Tensor('float32', buffer, [items.length, 3, size, size]));
  }
  const session = await ort.InferenceSession.create(model.imageEncoder, {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
  await session.run({ [session.inputNames[0]]: tensors[0] }); // warm-up
  const started = performance.now();
  for (const tensor of tensors) await session.run({ [session.inputNames[0]]: tensor });
  return set.items.length / ((performance.now() - started) / 1000);
}

async function main() {
  await runEval({ model: modelDir, data, batch, threads, limit: batch }); // warm-up: load, JIT
  const raw: number[] = [];
  const endToEnd: number[] = [];
  for (let round = 0; round < 3; round++) {
    raw.push(await rawInference());
    endToEnd.push((await runEval({ model: modelDir, data, batch, threads })).imagesPerSecond);
  }
  const best = (values: number[]) => Math.max(...values);
  console.log(`clip-shapes H model, 1000 images, batch ${batch}, ${threads} thread(s); best of 3 rounds`);
  console.log(
    `  raw onnxruntime inference on pre-decoded tensors: ${best(raw).toFixed(0)} images/s (${raw.map((r) => r.toFixed(0)).join(', ')})`,
  );
  console.log(
    `  end-to-end scaling-lens eval (decode, preprocess, text, infer, metrics): ${best(endToEnd).toFixed(0)} images/s (${endToEnd.map((r) => r.toFixed(0)).join(', ')})`,
  );
  console.log(`  end-to-end / raw = ${((100 * best(endToEnd)) / best(raw)).toFixed(0)} % (target ≥ 60 %)`);
}

void main();
