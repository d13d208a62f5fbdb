/**
 * Scores an exported CLIP checkpoint with onnxruntime-node: zero-shot classification with prompt ensembling and,
 * when captions exist, retrieval. Image decoding of the next batch overlaps inference of the current one
 * (session.run works on onnxruntime's own thread). Runs in a CLI process or a forked child, never in the
 * extension host or a worker thread.
 */
import path from 'node:path';
import type * as Ort from 'onnxruntime-node';
import { appendResultRow, checkAppendTarget, type RowValue } from './appendRow';
import { readEvalSet, type EvalSet } from './dataset';
import { EvalError } from './errors';
import { LockAborted } from './fileLock';
import { decodeImage, DEFAULT_MAX_PIXELS, preprocess } from './images';
import { classEmbeddings, normalizeRows, retrieval, zeroShot } from './metrics';
import { readModelFolder, type ModelFolder } from './model';
import { loadTokenizer } from './tokenize';

export interface EvalOptions {
  model: string;
  data: string;
  out?: string;
  batch?: number;
  threads?: number;
  limit?: number;
  /** Images whose header claims more pixels are refused before decoding (default 64 MP). */
  maxPixels?: number;
  /** How long to wait for the results file's lock (default 120 s). */
  waitMs?: number;
  onProgress?: (progress: EvalProgress) => void;
  /** Told when the results file is locked by another process and the append waits. */
  onLockWait?: (holder: string) => void;
  signal?: AbortSignal;
}

export interface EvalProgress {
  done: number;
  total: number;
  imagesPerSecond: number;
  etaSeconds: number;
}

export interface EvalResult {
  row: Record<string, RowValue>;
  images: number;
  seconds: number;
  imagesPerSecond: number;
  out?: string;
}

export class EvalCancelled extends Error {
  constructor() {
    super('evaluation cancelled');
    this.name = 'EvalCancelled';
  }
}

interface Encoder {
  session: Ort.InferenceSession;
  input: string;
  output: string;
}

function loadOrt(): typeof Ort {
  // Loaded only here: the native binding must never be imported by the extension host or a worker thread.
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('onnxruntime-node') as typeof Ort;
  } catch (error) {
    throw new EvalError(
      'onnxruntime-node',
      `not available on this machine (${process.platform}-${process.arch}): ${(error as Error).message.split('\n')[0]}; evaluation needs the platform build of Scaling Lens or \`npm ci\` in a checkout`,
    );
  }
}

async function openEncoder(
  ort: typeof Ort,
  file: string,
  threads: number,
  expect: { type: string; rank: number; dims: (number | null)[] },
): Promise<Encoder> {
  let session: Ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(file, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (error) {
    throw new EvalError(file, `cannot load the ONNX model: ${(error as Error).message.split('\n')[0]}`);
  }
  if (session.inputNames.length !== 1)
    throw new EvalError(
      file,
      `expected one input, found ${session.inputNames.length} (${session.inputNames.join(', ')})`,
    );
  const metadata = (
    session as unknown as { inputMetadata?: { name: string; type?: string; shape?: (number | string)[] }[] }
  ).inputMetadata?.[0];
  if (metadata?.type && metadata.type !== expect.type)
    throw new EvalError(file, `input "${session.inputNames[0]}" has type ${metadata.type}, expected ${expect.type}`);
  if (metadata?.shape) {
    if (metadata.shape.length !== expect.rank)
      throw new EvalError(
        file,
        `input "${session.inputNames[0]}" has shape [${metadata.shape.join(', ')}], expected rank ${expect.rank} [${expect.dims.map((d) => d ?? 'N').join(', ')}]`,
      );
    metadata.shape.forEach((dim, i) => {
      const want = expect.dims[i];
      if (want !== null && typeof dim === 'number' && dim !== want)
        throw new EvalError(
          file,
          `input "${session.inputNames[0]}" has shape [${metadata.shape!.join(', ')}], expected [${expect.dims.map((d) => d ?? 'N').join(', ')}] (from model.json)`,
        );
    });
  }
  return { session, input: session.inputNames[0], output: session.outputNames[0] };
}

async function embed(encoder: Encoder, tensor: Ort.Tensor, file: string): Promise<{ data: Float32Array; dim: number }> {
  let outputs: Ort.InferenceSession.OnnxValueMapType;
  try {
    outputs = await encoder.session.run({ [encoder.input]: tensor });
  } catch (error) {
    throw new EvalError(file, `inference failed: ${(error as Error).message.split('\n')[0]}`);
  }
  const output = outputs[encoder.output] as Ort.Tensor;
  if (output.dims.length !== 2)
    throw new EvalError(file, `output "${encoder.output}" has shape [${output.dims.join(', ')}], expected [N, dim]`);
  return { data: Float32Array.from(output.data as Float32Array), dim: output.dims[1] };
}

async function embedTexts(
  ort: typeof Ort,
  model: ModelFolder,
  encoder: Encoder,
  texts: string[],
  batch: number,
): Promise<{ data: Float32Array; dim: number }> {
  const tokenizer = loadTokenizer(model.config.tokenizerFile, model.config.contextLength, model.config.padId);
  const ctx = model.config.contextLength;
  const parts: Float32Array[] = [];
  let dim = 0;
  for (let start = 0; start < texts.length; start += batch) {
    const chunk = texts.slice(start, start + batch);
    const ids = tokenizer.encode(chunk);
    const result = await embed(encoder, new ort.Tensor('int64', ids, [chunk.length, ctx]), model.textEncoder);
    parts.push(result.data);
    dim = result.dim;
  }
  return { data: concat(parts), dim };
}

export async function runEval(options: EvalOptions): Promise<EvalResult> {
  const batch = options.batch ?? 64;
  const threads = options.threads ?? 1;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const model = readModelFolder(options.model);
  const set = readEvalSet(options.data, options.limit);
  // A results file that cannot take the row is refused now, not after the evaluation.
  if (options.out)
    checkAppendTarget(options.out, resultRow(model, set, { top1: 0, top5: 0, meanPerClassRecall: 0 }, 0), {
      optional: OPTIONAL_COLUMNS,
    });
  const { imageSize: size, mean, std, contextLength } = model.config;
  const ort = loadOrt();
  const imageEncoder = await openEncoder(ort, model.imageEncoder, threads, {
    type: 'float32',
    rank: 4,
    dims: [null, 3, size, size],
  });
  const textEncoder = await openEncoder(ort, model.textEncoder, threads, {
    type: 'int64',
    rank: 2,
    dims: [null, contextLength],
  });
  const started = performance.now();

  const prompts = set.classnames.flatMap((name) => set.templates.map((t) => t.replaceAll('{c}', name)));
  const promptEmbeddings = await embedTexts(ort, model, textEncoder, prompts, 256);
  const classes = classEmbeddings(
    promptEmbeddings.data,
    set.classnames.length,
    set.templates.length,
    promptEmbeddings.dim,
  );

  const total = set.items.length;
  const pixels = 3 * size * size;
  const decodeBatch = (start: number) => {
    const items = set.items.slice(start, start + batch);
    const data = new Float32Array(items.length * pixels);
    items.forEach((item, i) => preprocess(decodeImage(item.file, maxPixels), size, mean, std, data, i * pixels));
    return new ort.Tensor('float32', data, [items.length, 3, size, size]);
  };
  let dim = 0;
  const imageParts: Float32Array[] = [];
  let next = decodeBatch(0);
  for (let start = 0; start < total; start += batch) {
    if (options.signal?.aborted) throw new EvalCancelled();
    const running = embed(imageEncoder, next, model.imageEncoder);
    // Decode the next batch while onnxruntime works on this one.
    if (start + batch < total) next = decodeBatch(start + batch);
    const result = await running;
    imageParts.push(result.data);
    dim = result.dim;
    const done = Math.min(total, start + batch);
    const rate = done / ((performance.now() - started) / 1000);
    options.onProgress?.({ done, total, imagesPerSecond: rate, etaSeconds: (total - done) / rate });
  }
  if (dim !== promptEmbeddings.dim)
    throw new EvalError(
      model.dir,
      `image embeddings have ${dim} dimensions but text embeddings ${promptEmbeddings.dim}: the encoders do not belong together`,
    );
  const images = normalizeRows(concat(imageParts), dim);

  const zs = zeroShot(
    images,
    classes,
    set.items.map((i) => i.label),
    dim,
  );
  const row = resultRow(model, set, zs, total);
  if (set.hasCaptions) {
    const captions = [...new Set(set.items.map((i) => i.caption ?? ''))];
    const captionIndex = new Map(captions.map((c, i) => [c, i]));
    const captionEmbeddings = await embedTexts(ort, model, textEncoder, captions, 256);
    normalizeRows(captionEmbeddings.data, dim);
    const r = retrieval(
      images,
      captionEmbeddings.data,
      set.items.map((i) => captionIndex.get(i.caption ?? '')!),
      dim,
    );
    Object.assign(row, {
      i2t_r1: round(r.imageToTextR1),
      i2t_r5: round(r.imageToTextR5),
      t2i_r5: round(r.textToImageR5),
    });
  }
  const seconds = (performance.now() - started) / 1000;
  if (options.signal?.aborted) throw new EvalCancelled();
  if (options.out) {
    try {
      await appendResultRow(options.out, row, {
        optional: OPTIONAL_COLUMNS,
        signal: options.signal,
        waitMs: options.waitMs,
        onWait: options.onLockWait,
      });
    } catch (error) {
      if (error instanceof LockAborted) throw new EvalCancelled();
      throw error;
    }
  }
  return { row, images: total, seconds, imagesPerSecond: total / seconds, out: options.out };
}

function concat(parts: Float32Array[]): Float32Array {
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

/** Columns a fit does not need: left out when appending to an existing file (e.g. a training runs.csv) without them. */
const OPTIONAL_COLUMNS = new Set([
  'mean_per_class_recall',
  'i2t_r1',
  'i2t_r5',
  't2i_r5',
  'eval_data',
  'eval_images',
  'model_dir',
  'evaluated_at',
  'gflops_per_sample',
  'unique_samples',
  'dataset',
]);

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function resultRow(
  model: ModelFolder,
  set: EvalSet,
  zs: ReturnType<typeof zeroShot>,
  images: number,
): Record<string, RowValue> {
  const m = model.config.metadata;
  const total = m.gflops_per_sample !== null && m.samples_seen !== null ? m.gflops_per_sample * m.samples_seen : null;
  // Column names match clip-shapes runs.csv, so the fitting side recognises the file with no configuration.
  return {
    run_id: m.run_id,
    dataset: m.dataset,
    model: m.model,
    params: m.params,
    gflops_per_sample: m.gflops_per_sample,
    unique_samples: m.unique_samples,
    samples_seen: m.samples_seen,
    total_gflops: total === null ? null : round(total),
    zs_top1: round(zs.top1),
    zs_top5: round(zs.top5),
    mean_per_class_recall: round(zs.meanPerClassRecall),
    i2t_r1: null,
    i2t_r5: null,
    t2i_r5: null,
    eval_data: set.name,
    eval_images: images,
    model_dir: path.basename(model.dir),
    evaluated_at: new Date().toISOString(),
  };
}
