/**
 * ONNX evaluation: the data README's known answer, atomic result rows under kill, and a located message with a
 * non-zero exit and an untouched results file for each kind of bad input.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parseTable } from '../../src/core/ingest/parse';
import { columnData } from '../../src/core/ingest/table';
import { classEmbeddings, retrieval, zeroShot } from '../../src/eval/metrics';
import { preprocess, resizeShortestSide } from '../../src/eval/images';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { runCli } from './cliHelper';

const examples = path.join(__dirname, '..', '..', 'examples', 'clip-shapes');
const modelS = path.join(examples, 'models', 'shapes_S_u256000_s4000000');
const evalset = path.join(examples, 'evalset');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-eval-'));

test('known answer (data README): S model on the eval set scores zero-shot top-1 0.873 and top-5 0.999', () => {
  const out = path.join(tmp(), 'results.csv');
  const { code, stdout, stderr } = runCli(['eval', '--model', modelS, '--data', evalset, '--out', out]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /zero-shot top-1 0\.873 {2}top-5 0\.999/);
  assert.match(stderr, /images\/s/, 'progress on stderr');
  const table = parseTable(out, fs.readFileSync(out, 'utf8'));
  assert.equal(table.rowCount, 1);
  assert.ok(['run_id', 'params', 'samples_seen', 'total_gflops', 'zs_top1'].every((c) => table.columns.includes(c)), 'columns the fitting side recognises');
});

test('the appended rows are fitted with no configuration (the clip-shapes runs layout)', () => {
  const out = path.join(tmp(), 'results.csv');
  for (const model of ['shapes_S_u256000_s4000000', 'shapes_XL_u256000_s4000000']) {
    assert.equal(runCli(['eval', '--model', path.join(examples, 'models', model), '--data', evalset, '--out', out]).code, 0);
  }
  const { code, stdout, stderr } = runCli(['fit', out, '--group', 'none', '--frontier', 'all', '--bootstrap', '0', '--json']);
  assert.equal(code, 0, stderr);
  const result = JSON.parse(stdout);
  assert.equal(result.profile, 'clip-shapes-runs');
  assert.equal(result.fits[0].n_points, 2);
});

test('zero-shot metrics and prompt ensembling on a hand-made example', () => {
  // Two classes along x and y; each class has two templates whose normalised mean points along its axis.
  const templates = Float32Array.from([1, 0.2, 2, -0.4, 0.1, 1, -0.3, 3]);
  const classes = classEmbeddings(templates, 2, 2, 2);
  assert.ok(classes[0] > 0.99 && Math.abs(classes[1]) < 0.1);
  const images = Float32Array.from([1, 0, 0, 1, 0.8, 0.6, 0.6, 0.8]);
  const metrics = zeroShot(images, classes, [0, 1, 1, 1], 2);
  assert.equal(metrics.top1, 0.75);
  assert.equal(metrics.top5, 1);
  assert.equal(metrics.meanPerClassRecall, (1 + 2 / 3) / 2);
  const r = retrieval(images, Float32Array.from([1, 0, 0, 1]), [0, 1, 1, 0], 2);
  assert.equal(r.imageToTextR1, 0.5);
  assert.equal(r.textToImageR5, 1);
});

test('preprocessing: shortest side to the model size, centre crop, normalisation', () => {
  const width = 64;
  const height = 48;
  const data = new Uint8Array(width * height * 3).fill(128);
  const resized = resizeShortestSide({ width, height, data }, 24);
  assert.deepEqual([resized.width, resized.height], [32, 24]);
  assert.ok(resized.data.every((v) => v === 128), 'a flat image stays flat');
  const out = new Float32Array(3 * 24 * 24);
  preprocess({ width, height, data }, 24, [0.5, 0.5, 0.5], [0.25, 0.25, 0.25], out, 0);
  assert.ok(Math.abs(out[0] - (128 / 255 - 0.5) / 0.25) < 1e-6);
});

test('kill test: killing the eval at random moments 20 times never leaves a partial or corrupt row', async () => {
  const dir = tmp();
  const out = path.join(dir, 'results.csv');
  const bin = path.join(__dirname, '..', '..', 'bin', 'scaling-lens.js');
  const args = [bin, 'eval', '--model', modelS, '--data', evalset, '--out', path.join(dir, 'timing.csv'), '--limit', '100'];
  // Kill moments spread over one whole run (start-up, inference, writing), measured here on this machine.
  const timed = Date.now();
  await new Promise((resolve) => spawn(process.execPath, args, { stdio: 'ignore' }).on('exit', resolve));
  const duration = Date.now() - timed;
  let rows = 0;
  let killedMidway = 0;
  for (let attempt = 0; attempt < 20; attempt++) {
    const child = spawn(process.execPath, [bin, 'eval', '--model', modelS, '--data', evalset, '--out', out, '--limit', '100'], { stdio: 'ignore' });
    const delay = duration * (0.3 + 0.8 * ((attempt + Math.random()) / 20));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const timer = setTimeout(() => child.kill('SIGKILL'), delay);
    const code = await exited;
    clearTimeout(timer);
    if (code !== 0) killedMidway++;
    if (!fs.existsSync(out)) {
      assert.notEqual(code, 0, 'a finished run wrote its row');
      continue;
    }
    const text = fs.readFileSync(out, 'utf8');
    assert.ok(text.endsWith('\n'), `attempt ${attempt}: the file ends in the middle of a line`);
    const table = parseTable(out, text);
    // Killed: the old file or the old file plus one whole row (the kill came after the rename). Finished: one more row.
    if (code === 0) assert.equal(table.rowCount, rows + 1, `attempt ${attempt}`);
    else assert.ok(table.rowCount === rows || table.rowCount === rows + 1, `attempt ${attempt}: ${table.rowCount} rows after ${rows}`);
    assert.ok(columnData(table, table.columns.indexOf('zs_top1')) instanceof Float64Array, 'every zs_top1 cell is a number');
    rows = table.rowCount;
  }
  assert.ok(killedMidway >= 5, `only ${killedMidway} of 20 runs were killed before finishing: the kill times are too late to test anything`);
});

function copyModel(): string {
  const dir = path.join(tmp(), 'model');
  fs.cpSync(modelS, dir, { recursive: true });
  fs.copyFileSync(path.join(examples, 'tokenizer.json'), path.join(dir, 'tokenizer.json'));
  return dir;
}

function badCase(name: string, setup: () => { model: string; data: string; out?: string }, message: RegExp): void {
  test(`bad eval input: ${name}`, () => {
    const { model, data, out } = setup();
    const results = out ?? path.join(tmp(), 'results.csv');
    const before = fs.existsSync(results) ? fs.readFileSync(results, 'utf8') : undefined;
    const { code, stderr } = runCli(['eval', '--model', model, '--data', data, '--out', results]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, message);
    assert.equal(fs.existsSync(results) ? fs.readFileSync(results, 'utf8') : undefined, before, 'results file untouched');
  });
}

badCase('missing ONNX file', () => {
  const model = copyModel();
  fs.rmSync(path.join(model, 'text_encoder.onnx'));
  return { model, data: evalset };
}, /text_encoder\.onnx: missing/);

badCase('corrupt ONNX file', () => {
  const model = copyModel();
  fs.writeFileSync(path.join(model, 'image_encoder.onnx'), Buffer.from('this is not a protobuf model'));
  return { model, data: evalset };
}, /image_encoder\.onnx: cannot load the ONNX model/);

badCase('encoders swapped (wrong input names and types)', () => {
  const model = copyModel();
  fs.renameSync(path.join(model, 'image_encoder.onnx'), path.join(model, 'x.onnx'));
  fs.renameSync(path.join(model, 'text_encoder.onnx'), path.join(model, 'image_encoder.onnx'));
  fs.renameSync(path.join(model, 'x.onnx'), path.join(model, 'text_encoder.onnx'));
  return { model, data: evalset };
}, /image_encoder\.onnx: input "input_ids" has type int64, expected float32/);

badCase('model.json image size disagrees with the model input shape', () => {
  const model = copyModel();
  const json = JSON.parse(fs.readFileSync(path.join(model, 'model.json'), 'utf8'));
  fs.writeFileSync(path.join(model, 'model.json'), JSON.stringify({ ...json, image_size: 64 }));
  return { model, data: evalset };
}, /has shape \[batch, 3, 32, 32\], expected \[N, 3, 64, 64\]/);

badCase('model.json missing a field', () => {
  const model = copyModel();
  const json = JSON.parse(fs.readFileSync(path.join(model, 'model.json'), 'utf8'));
  delete json.context_length;
  fs.writeFileSync(path.join(model, 'model.json'), JSON.stringify(json));
  return { model, data: evalset };
}, /model\.json: missing field "context_length"/);

badCase('model.json field with a wrong type', () => {
  const model = copyModel();
  const json = JSON.parse(fs.readFileSync(path.join(model, 'model.json'), 'utf8'));
  fs.writeFileSync(path.join(model, 'model.json'), JSON.stringify({ ...json, mean: 'imagenet' }));
  return { model, data: evalset };
}, /"mean" must be an array of three numbers, got "imagenet"/);

function copyData(count = 20): string {
  const dir = path.join(tmp(), 'data');
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
  const lines = fs.readFileSync(path.join(evalset, 'labels.csv'), 'utf8').trim().split('\n').slice(0, count + 1);
  for (const line of lines.slice(1)) fs.copyFileSync(path.join(evalset, line.split(',')[0]), path.join(dir, line.split(',')[0]));
  fs.writeFileSync(path.join(dir, 'labels.csv'), lines.join('\n') + '\n');
  for (const f of ['classnames.txt', 'templates.txt']) fs.copyFileSync(path.join(evalset, f), path.join(dir, f));
  return dir;
}

badCase('a non-image file among the images', () => {
  const data = copyData();
  fs.writeFileSync(path.join(data, 'images', '00003.png'), 'not an image');
  return { model: modelS, data };
}, /00003\.png: cannot decode the image/);

badCase('an unreadable (missing) image', () => {
  const data = copyData();
  fs.rmSync(path.join(data, 'images', '00005.png'));
  return { model: modelS, data };
}, /00005\.png: cannot read the image \(ENOENT\)/);

badCase('labels naming a class not in classnames.txt', () => {
  const data = copyData();
  const text = fs.readFileSync(path.join(data, 'labels.csv'), 'utf8').split('\n');
  text[4] = text[4].replace(/,\d+,([a-z]+) ([a-z]+),/, ',0,magenta blob,');
  fs.writeFileSync(path.join(data, 'labels.csv'), text.join('\n'));
  return { model: modelS, data };
}, /labels\.csv:5: classname "magenta blob" does not match label 0/);

badCase('an empty data folder', () => ({ model: modelS, data: tmp() }), /no images to evaluate/);

badCase('a results file whose header cannot hold the row', () => {
  const out = path.join(tmp(), 'results.csv');
  fs.writeFileSync(out, 'step,loss\n1,2.5\n');
  return { model: modelS, data: copyData(), out };
}, /its header cannot hold the result row: no column for "run_id"/);

/** The eval set rebuilt as an ImageFolder (a sub-folder per class), as PNG or re-encoded as JPEG. */
function imageFolder(format: 'png' | 'jpeg'): string {
  const dir = path.join(tmp(), 'imagefolder');
  const lines = fs.readFileSync(path.join(evalset, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  for (const line of lines) {
    const [file, , classname] = line.split(',');
    const classDir = path.join(dir, classname.replace(/ /g, '_'));
    fs.mkdirSync(classDir, { recursive: true });
    const source = path.join(evalset, file);
    if (format === 'png') fs.copyFileSync(source, path.join(classDir, path.basename(file)));
    else {
      const png = PNG.sync.read(fs.readFileSync(source));
      fs.writeFileSync(path.join(classDir, path.basename(file, '.png') + '.jpg'), jpeg.encode({ data: png.data, width: png.width, height: png.height }, 95).data);
    }
  }
  fs.copyFileSync(path.join(evalset, 'templates.txt'), path.join(dir, 'templates.txt'));
  return dir;
}

test('ImageFolder layout: the same 1000 PNG images give the known answer (class names from folder names)', () => {
  const { code, stdout, stderr } = runCli(['eval', '--model', modelS, '--data', imageFolder('png'), '--json']);
  assert.equal(code, 0, stderr);
  const row = JSON.parse(stdout);
  assert.equal(row.zs_top1.toFixed(3), '0.873');
  assert.equal(row.zs_top5.toFixed(3), '0.999');
  assert.equal(row.i2t_r1, null, 'no captions, no retrieval');
});

test('JPEG decoding: the eval set re-encoded as JPEG (quality 95) scores within 3 points of the PNG answer', () => {
  const { code, stdout, stderr } = runCli(['eval', '--model', modelS, '--data', imageFolder('jpeg'), '--json']);
  assert.equal(code, 0, stderr);
  const row = JSON.parse(stdout);
  assert.ok(Math.abs(row.zs_top1 - 0.873) < 0.03, `top-1 ${row.zs_top1}`);
});
