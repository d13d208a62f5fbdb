/** A model folder: image_encoder.onnx, text_encoder.onnx, model.json and tokenizer.json, validated before any work. */
import fs from 'node:fs';
import path from 'node:path';
import { EvalError } from './errors';
import { describeKind, readRegularText } from './regularFile';

export interface ModelConfig {
  imageSize: number;
  mean: [number, number, number];
  std: [number, number, number];
  contextLength: number;
  tokenizerFile: string;
  padId?: number;
  /** Training metadata written into the result row. */
  metadata: {
    model: string;
    run_id: string;
    dataset: string;
    params: number | null;
    gflops_per_sample: number | null;
    samples_seen: number | null;
    unique_samples: number | null;
  };
}

export interface ModelFolder {
  dir: string;
  imageEncoder: string;
  textEncoder: string;
  config: ModelConfig;
}

export function readModelFolder(dir: string): ModelFolder {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new EvalError(dir, 'no such model folder');
  const jsonFile = path.join(dir, 'model.json');
  if (!fs.existsSync(jsonFile))
    throw new EvalError(jsonFile, 'missing: a model folder needs model.json (image_size, mean, std, context_length)');
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readRegularText(jsonFile, 'model.json', 16 << 20));
  } catch (error) {
    if (error instanceof EvalError) throw error;
    throw new EvalError(jsonFile, `invalid JSON: ${(error as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new EvalError(jsonFile, 'expected a JSON object');
  const positiveInteger = (key: string) => {
    const value = raw[key];
    if (value === undefined) throw new EvalError(jsonFile, `missing field "${key}" (a positive integer)`);
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
      throw new EvalError(jsonFile, `"${key}" must be a positive integer, got ${JSON.stringify(value)}`);
    return value;
  };
  const triple = (key: string, positive: boolean) => {
    const value = raw[key];
    if (value === undefined)
      throw new EvalError(jsonFile, `missing field "${key}" (three numbers, one per RGB channel)`);
    if (
      !Array.isArray(value) ||
      value.length !== 3 ||
      !value.every((v) => typeof v === 'number' && Number.isFinite(v) && (!positive || v > 0))
    ) {
      throw new EvalError(
        jsonFile,
        `"${key}" must be an array of three ${positive ? 'positive ' : ''}numbers, got ${JSON.stringify(value)}`,
      );
    }
    return value as [number, number, number];
  };
  const optionalNumber = (key: string) => {
    const value = raw[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new EvalError(jsonFile, `"${key}" must be a number, got ${JSON.stringify(value)}`);
    return value;
  };
  const optionalString = (key: string) => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string')
      throw new EvalError(jsonFile, `"${key}" must be a string, got ${JSON.stringify(value)}`);
    return value;
  };
  const tokenizerName = optionalString('tokenizer') ?? 'tokenizer.json';
  const tokenizerCandidates = [
    path.resolve(dir, tokenizerName),
    path.resolve(dir, '..', tokenizerName),
    path.resolve(dir, '..', '..', tokenizerName),
  ];
  const tokenizerFile = tokenizerCandidates.find((p) => fs.existsSync(p));
  if (!tokenizerFile)
    throw new EvalError(
      path.join(dir, tokenizerName),
      'tokenizer not found (looked in the model folder and the two folders above it)',
    );
  const imageEncoder = path.join(dir, 'image_encoder.onnx');
  const textEncoder = path.join(dir, 'text_encoder.onnx');
  for (const file of [imageEncoder, textEncoder]) {
    if (!fs.existsSync(file))
      throw new EvalError(file, 'missing: a model folder needs image_encoder.onnx and text_encoder.onnx');
    // onnxruntime would block reading a FIFO.
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new EvalError(file, `is ${describeKind(stat)}, expected an ONNX model file`);
  }
  const runId = optionalString('run_id') ?? path.basename(dir);
  const padId = optionalNumber('pad_id');
  if (padId !== null && (!Number.isInteger(padId) || padId < 0))
    throw new EvalError(
      jsonFile,
      `"pad_id" must be a token id (a whole number ≥ 0), got ${JSON.stringify(raw.pad_id)}`,
    );
  return {
    dir,
    imageEncoder,
    textEncoder,
    config: {
      imageSize: positiveInteger('image_size'),
      mean: triple('mean', false),
      std: triple('std', true),
      contextLength: positiveInteger('context_length'),
      tokenizerFile,
      padId: padId ?? undefined,
      metadata: {
        model: optionalString('model') ?? runId,
        run_id: runId,
        dataset: optionalString('dataset') ?? '',
        params: optionalNumber('params'),
        gflops_per_sample: optionalNumber('gflops_per_sample'),
        samples_seen: optionalNumber('samples_seen'),
        unique_samples: optionalNumber('unique_samples'),
      },
    },
  };
}
