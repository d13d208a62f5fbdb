/**
 * ONNX evaluation: the data README's known answer, atomic result rows under kill, and a located message with a
 * non-zero exit and an untouched results file for each kind of bad input.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import zlib from 'node:zlib';
import { parseTable } from '../../src/core/ingest/parse';
import { columnData } from '../../src/core/ingest/table';
import { classEmbeddings, retrieval, zeroShot } from '../../src/eval/metrics';
import { decodeImage, preprocess, resizeShortestSide } from '../../src/eval/images';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { runCli } from './cliHelper';
import { tempDirsForFile } from './helpers/tempDirForFile';

const examples = path.join(__dirname, '..', '..', 'examples', 'clip-shapes');
const modelS = path.join(examples, 'models', 'shapes_S_u256000_s4000000');
const evalset = path.join(examples, 'evalset');
const tmp = tempDirsForFile('scaling-lens-eval');

test('known answer (data README): S model on the eval set scores zero-shot top-1 0.873 and top-5 0.999', () => {
  const out = path.join(tmp(), 'results.csv');
  const { code, stdout, stderr } = runCli(['eval', '--model', modelS, '--data', evalset, '--out', out]);
  assert.equal(code, 0, stderr);
  assert.match(stdout, /zero-shot top-1 0\.873 {2}top-5 0\.999/);
  assert.match(stderr, /images\/s/, 'progress on stderr');
  const table = parseTable(out, fs.readFileSync(out, 'utf8'));
  assert.equal(table.rowCount, 1);
  assert.ok(
    ['run_id', 'params', 'samples_seen', 'total_gflops', 'zs_top1'].every((c) => table.columns.includes(c)),
    'columns the fitting side recognises',
  );
});

test('the appended rows are fitted with no configuration (the clip-shapes runs layout)', () => {
  const out = path.join(tmp(), 'results.csv');
  for (const model of ['shapes_S_u256000_s4000000', 'shapes_XL_u256000_s4000000']) {
    assert.equal(
      runCli(['eval', '--model', path.join(examples, 'models', model), '--data', evalset, '--out', out]).code,
      0,
    );
  }
  const { code, stdout, stderr } = runCli([
    'fit',
    out,
    '--group',
    'none',
    '--frontier',
    'all',
    '--bootstrap',
    '0',
    '--json',
  ]);
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
  assert.ok(
    resized.data.every((v) => v === 128),
    'a flat image stays flat',
  );
  const out = new Float32Array(3 * 24 * 24);
  preprocess({ width, height, data }, 24, [0.5, 0.5, 0.5], [0.25, 0.25, 0.25], out, 0);
  assert.ok(Math.abs(out[0] - (128 / 255 - 0.5) / 0.25) < 1e-6);
});

test('kill test: killing the eval at random moments 20 times never leaves a partial or corrupt row', async () => {
  const dir = tmp();
  const out = path.join(dir, 'results.csv');
  const bin = path.join(__dirname, '..', '..', 'bin', 'scaling-lens.js');
  const args = [
    bin,
    'eval',
    '--model',
    modelS,
    '--data',
    evalset,
    '--out',
    path.join(dir, 'timing.csv'),
    '--limit',
    '100',
  ];
  // Kill moments spread over one whole run (start-up, inference, writing), measured here on this machine.
  const timed = Date.now();
  await new Promise((resolve) => spawn(process.execPath, args, { stdio: 'ignore' }).on('exit', resolve));
  const duration = Date.now() - timed;
  let rows = 0;
  let killedMidway = 0;
  for (let attempt = 0; attempt < 20; attempt++) {
    const child = spawn(
      process.execPath,
      [bin, 'eval', '--model', modelS, '--data', evalset, '--out', out, '--limit', '100'],
      { stdio: 'ignore' },
    );
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
    else
      assert.ok(
        table.rowCount === rows || table.rowCount === rows + 1,
        `attempt ${attempt}: ${table.rowCount} rows after ${rows}`,
      );
    assert.ok(
      columnData(table, table.columns.indexOf('zs_top1')) instanceof Float64Array,
      'every zs_top1 cell is a number',
    );
    rows = table.rowCount;
  }
  assert.ok(
    killedMidway >= 5,
    `only ${killedMidway} of 20 runs were killed before finishing: the kill times are too late to test anything`,
  );
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
    const snapshot = () =>
      fs.existsSync(results)
        ? fs.statSync(results).isFile()
          ? fs.readFileSync(results, 'utf8')
          : 'not a file'
        : undefined;
    const before = snapshot();
    const { code, stderr } = runCli(['eval', '--model', model, '--data', data, '--out', results]);
    assert.equal(code, 2, stderr);
    assert.match(stderr, message);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
    assert.equal(snapshot(), before, 'results file untouched');
  });
}

badCase(
  'missing ONNX file',
  () => {
    const model = copyModel();
    fs.rmSync(path.join(model, 'text_encoder.onnx'));
    return { model, data: evalset };
  },
  /text_encoder\.onnx: missing/,
);

badCase(
  'corrupt ONNX file',
  () => {
    const model = copyModel();
    fs.writeFileSync(path.join(model, 'image_encoder.onnx'), Buffer.from('this is not a protobuf model'));
    return { model, data: evalset };
  },
  /image_encoder\.onnx: cannot load the ONNX model/,
);

badCase(
  'encoders swapped (wrong input names and types)',
  () => {
    const model = copyModel();
    fs.renameSync(path.join(model, 'image_encoder.onnx'), path.join(model, 'x.onnx'));
    fs.renameSync(path.join(model, 'text_encoder.onnx'), path.join(model, 'image_encoder.onnx'));
    fs.renameSync(path.join(model, 'x.onnx'), path.join(model, 'text_encoder.onnx'));
    return { model, data: evalset };
  },
  /image_encoder\.onnx: input "input_ids" has type int64, expected float32/,
);

badCase(
  'model.json image size disagrees with the model input shape',
  () => {
    const model = copyModel();
    const json = JSON.parse(fs.readFileSync(path.join(model, 'model.json'), 'utf8'));
    fs.writeFileSync(path.join(model, 'model.json'), JSON.stringify({ ...json, image_size: 64 }));
    return { model, data: evalset };
  },
  /has shape \[batch, 3, 32, 32\], expected \[N, 3, 64, 64\]/,
);

badCase(
  'model.json missing a field',
  () => {
    const model = copyModel();
    const json = JSON.parse(fs.readFileSync(path.join(model, 'model.json'), 'utf8'));
    delete json.context_length;
    fs.writeFileSync(path.join(model, 'model.json'), JSON.stringify(json));
    return { model, data: evalset };
  },
  /model\.json: missing field "context_length"/,
);

badCase(
  'model.json field with a wrong type',
  () => {
    const model = copyModel();
    const json = JSON.parse(fs.readFileSync(path.join(model, 'model.json'), 'utf8'));
    fs.writeFileSync(path.join(model, 'model.json'), JSON.stringify({ ...json, mean: 'imagenet' }));
    return { model, data: evalset };
  },
  /"mean" must be an array of three numbers, got "imagenet"/,
);

function copyData(count = 20): string {
  const dir = path.join(tmp(), 'data');
  fs.mkdirSync(path.join(dir, 'images'), { recursive: true });
  const lines = fs
    .readFileSync(path.join(evalset, 'labels.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(0, count + 1);
  for (const line of lines.slice(1))
    fs.copyFileSync(path.join(evalset, line.split(',')[0]), path.join(dir, line.split(',')[0]));
  fs.writeFileSync(path.join(dir, 'labels.csv'), lines.join('\n') + '\n');
  for (const f of ['classnames.txt', 'templates.txt']) fs.copyFileSync(path.join(evalset, f), path.join(dir, f));
  return dir;
}

badCase(
  'a non-image file among the images',
  () => {
    const data = copyData();
    fs.writeFileSync(path.join(data, 'images', '00003.png'), 'not an image');
    return { model: modelS, data };
  },
  /00003\.png: cannot decode the image/,
);

badCase(
  'an unreadable (missing) image',
  () => {
    const data = copyData();
    fs.rmSync(path.join(data, 'images', '00005.png'));
    return { model: modelS, data };
  },
  /00005\.png: cannot read the image \(ENOENT\)/,
);

badCase(
  'labels naming a class not in classnames.txt',
  () => {
    const data = copyData();
    const text = fs.readFileSync(path.join(data, 'labels.csv'), 'utf8').split('\n');
    text[4] = text[4].replace(/,\d+,([a-z]+) ([a-z]+),/, ',0,magenta blob,');
    fs.writeFileSync(path.join(data, 'labels.csv'), text.join('\n'));
    return { model: modelS, data };
  },
  /labels\.csv:5: classname "magenta blob" does not match label 0/,
);

badCase('an empty data folder', () => ({ model: modelS, data: tmp() }), /no images to evaluate/);

badCase(
  'a results file whose header cannot hold the row',
  () => {
    const out = path.join(tmp(), 'results.csv');
    fs.writeFileSync(out, 'step,loss\n1,2.5\n');
    return { model: modelS, data: copyData(), out };
  },
  /its header cannot hold the result row: no column for "run_id"/,
);

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
      fs.writeFileSync(
        path.join(classDir, path.basename(file, '.png') + '.jpg'),
        jpeg.encode({ data: png.data, width: png.width, height: png.height }, 95).data,
      );
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

// ---------- Hardening: bounded images, safe --out, signals, paths inside the data folder ----------

const bin = path.join(__dirname, '..', '..', 'bin', 'scaling-lens.js');

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A PNG (8-bit RGB) with the given header size and IDAT holding `raw` (filter byte + pixels per row), written by hand. */
function handMadePng(width: number, height: number, raw: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A data folder whose first image is replaced by `bytes`. */
function dataWithFirstImage(bytes: Buffer): { data: string; image: string } {
  const data = copyData(4);
  const first = fs.readFileSync(path.join(data, 'labels.csv'), 'utf8').split('\n')[1].split(',')[0];
  fs.writeFileSync(path.join(data, first), bytes);
  return { data, image: first };
}

test('decompression bomb: a 69-byte PNG claiming 20000×20000 pixels is refused from its header, without allocating it', () => {
  const bomb = handMadePng(20000, 20000, Buffer.alloc(4));
  assert.equal(bomb.length, 69);
  const { data } = dataWithFirstImage(bomb);
  const out = path.join(tmp(), 'results.csv');
  const started = Date.now();
  const result = spawnSync(
    process.execPath,
    [
      '-r',
      path.join(__dirname, 'helpers', 'reportMaxRss.cjs'),
      bin,
      'eval',
      '--model',
      modelS,
      '--data',
      data,
      '--out',
      out,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const seconds = (Date.now() - started) / 1000;
  assert.equal(result.status, 2, result.stderr);
  assert.match(
    result.stderr,
    /\.png: the image header claims 20000×20000 = 400\.0 megapixels, more than the limit of 64 megapixels \(--max-pixels\); refused before decoding/,
  );
  assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  const maxRssMb = Number(/maxrss-kb (\d+)/.exec(result.stderr)![1]) / 1024;
  // The RGBA buffer alone would be 1.6 GB; onnxruntime and the models take about 125 MB.
  assert.ok(maxRssMb < 300, `peak memory ${maxRssMb.toFixed(0)} MB`);
  assert.ok(!fs.existsSync(out), 'no row scored on a blank image');
  console.log(`# bomb refused in ${seconds.toFixed(1)} s, peak ${maxRssMb.toFixed(0)} MB`);
});

test('interlaced PNG: the expected data size follows Adam7 (pngjs decodes it); short or oversized data is refused', () => {
  const dir = tmp();
  const write = (name: string, raw: Buffer) => {
    const png = handMadePng(2, 2, raw);
    png[8 + 8 + 12] = 1; // IHDR interlace method: Adam7
    png.writeUInt32BE(crc32(png.subarray(12, 12 + 4 + 13)), 8 + 8 + 13);
    fs.writeFileSync(path.join(dir, name), png);
    return path.join(dir, name);
  };
  // 2×2 RGB in Adam7: pass 1 has the top-left pixel, pass 6 the top-right, pass 7 the bottom row: (1+3)+(1+3)+(1+6) bytes.
  const raw = Buffer.from([0, 255, 0, 0, 0, 0, 255, 0, 0, 0, 0, 255, 9, 9, 9]);
  const image = decodeImage(write('ok.png', raw));
  assert.deepEqual([...image.data], [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]);
  assert.throws(
    () => decodeImage(write('short.png', raw.subarray(0, 14))),
    /truncated PNG image data: 14 of the 15 bytes its 2×2 pixels need/,
  );
  assert.throws(
    () => decodeImage(write('bomb.png', Buffer.alloc(1 << 20))),
    /inflates to more than the 15 bytes its 2×2 pixels need/,
  );
});

test('--max-pixels lowers the limit: the 32×32 eval images are refused under 1000 pixels and accepted at 1024', () => {
  const refused = runCli(['eval', '--model', modelS, '--data', copyData(4), '--max-pixels', '1000']);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /claims 32×32 = 0\.0 megapixels, more than the limit of 0\.001 megapixels/);
  assert.equal(runCli(['eval', '--model', modelS, '--data', copyData(4), '--max-pixels', '1024']).code, 0);
  assert.match(
    runCli(['eval', '--model', modelS, '--data', evalset, '--max-pixels', '0']).stderr,
    /--max-pixels 0: expected a whole number from 1 to/,
  );
});

badCase(
  'truncated PNG image data (a complete zlib stream holding half the rows)',
  () => {
    const half = Buffer.alloc(16 * (1 + 32 * 3), 90);
    for (let row = 0; row < 16; row++) half[row * 97] = 0;
    return { model: modelS, data: dataWithFirstImage(handMadePng(32, 32, half)).data };
  },
  /\.png: cannot decode the image: truncated PNG image data: 1552 of the 3104 bytes its 32×32 pixels need/,
);

badCase(
  'a PNG cut off in the middle of the file',
  () => {
    const data = copyData(4);
    const first = fs.readFileSync(path.join(data, 'labels.csv'), 'utf8').split('\n')[1].split(',')[0];
    const bytes = fs.readFileSync(path.join(data, first));
    fs.writeFileSync(path.join(data, first), bytes.subarray(0, bytes.length >> 1));
    return { model: modelS, data };
  },
  /\.png: cannot decode the image: truncated PNG: the file ends inside its IDAT chunk/,
);

badCase(
  'a JPEG cut off in the middle of its image data',
  () => {
    const data = copyData(4);
    const first = fs.readFileSync(path.join(data, 'labels.csv'), 'utf8').split('\n')[1].split(',')[0];
    const png = PNG.sync.read(fs.readFileSync(path.join(data, first)));
    const bytes = Buffer.from(jpeg.encode({ data: png.data, width: png.width, height: png.height }, 95).data);
    fs.writeFileSync(path.join(data, first), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    return { model: modelS, data };
  },
  /\.png: cannot decode the image: marker was not found/,
);

badCase(
  'model.json pad_id that is not a token id',
  () => {
    const model = copyModel();
    const json = JSON.parse(fs.readFileSync(path.join(model, 'model.json'), 'utf8'));
    fs.writeFileSync(path.join(model, 'model.json'), JSON.stringify({ ...json, pad_id: 0.5 }));
    return { model, data: evalset };
  },
  /model\.json: "pad_id" must be a token id \(a whole number ≥ 0\), got 0\.5/,
);

badCase(
  '--out is a folder (refused before evaluating)',
  () => {
    const out = path.join(tmp(), 'results.csv');
    fs.mkdirSync(out);
    return { model: modelS, data: evalset, out };
  },
  /results\.csv: is a folder, not a results file/,
);

badCase(
  'the lock path beside --out is a folder',
  () => {
    const out = path.join(tmp(), 'results.csv');
    fs.writeFileSync(out, 'run_id,params,samples_seen,total_gflops,zs_top1,zs_top5,model,eval_data\n');
    fs.mkdirSync(`${out}.lock`);
    return { model: modelS, data: copyData(4), out };
  },
  /results\.csv\.lock: the lock path is a folder: remove it/,
);

test('eval --out a FIFO is refused at once (no hang, no lock left)', () => {
  const dir = tmp();
  const fifo = path.join(dir, 'results.csv');
  execFileSync('mkfifo', [fifo]);
  const result = spawnSync(process.execPath, [bin, 'eval', '--model', modelS, '--data', evalset, '--out', fifo], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(result.signal, null, 'it did not hang');
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /results\.csv: is a FIFO \(named pipe\): results are appended to regular files only/);
  assert.deepEqual(fs.readdirSync(dir), ['results.csv']);
});

/** Runs the CLI and sends `signal` once a line of stderr matches `when`. */
function signalWhen(
  args: string[],
  when: RegExp,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (!sent && when.test(stderr)) {
        sent = true;
        child.kill(signal);
      }
    });
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

test('SIGTERM while waiting for a locked results file: eval ends, the file and the other process’s lock are untouched', async () => {
  const dir = tmp();
  const out = path.join(dir, 'results.csv');
  const holder = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'helpers', 'lockHolder.ts'), out], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve) => holder.stdout!.on('data', resolve));
  try {
    const lock = fs.readFileSync(`${out}.lock`, 'utf8');
    const { code, stderr } = await signalWhen(
      ['eval', '--model', modelS, '--data', evalset, '--limit', '64', '--out', out],
      /is locked by process \d+ on host/,
      'SIGTERM',
    );
    assert.equal(code, 143, stderr);
    assert.match(stderr, /eval: cancelled \(SIGTERM\); the results file is unchanged/);
    assert.equal(fs.readFileSync(`${out}.lock`, 'utf8'), lock, "the holder's lock stays");
    assert.deepEqual(fs.readdirSync(dir), ['results.csv.lock'], 'no results file, journal or private lock file');
  } finally {
    holder.kill('SIGKILL');
  }
});

test('SIGTERM and SIGINT during inference: eval stops, leaves no lock and no row', async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const dir = tmp();
    const out = path.join(dir, 'results.csv');
    const { code, stderr } = await signalWhen(
      ['eval', '--model', modelS, '--data', evalset, '--batch', '16', '--out', out],
      /eval: 16\/1000 images/,
      signal,
    );
    assert.equal(code, signal === 'SIGTERM' ? 143 : 130, stderr);
    assert.match(stderr, new RegExp(`cancelled \\(${signal}\\)`));
    assert.deepEqual(fs.readdirSync(dir), []);
  }
});

function labelsWithFirstFile(cell: string): { data: string; labels: string } {
  const data = copyData(4);
  const labels = path.join(data, 'labels.csv');
  const lines = fs.readFileSync(labels, 'utf8').split('\n');
  lines[1] = [cell, ...lines[1].split(',').slice(1)].join(',');
  fs.writeFileSync(labels, lines.join('\n'));
  return { data, labels };
}

badCase(
  'an empty file cell in labels.csv',
  () => ({ model: modelS, data: labelsWithFirstFile('').data }),
  /labels\.csv:2: empty "file" cell: expected the path of an image inside the data folder/,
);

badCase(
  'a labels.csv path leading out of the data folder',
  () => ({ model: modelS, data: labelsWithFirstFile('../outside.png').data }),
  /labels\.csv:2: image path "\.\.\/outside\.png" leads outside the data folder/,
);

badCase(
  'an absolute labels.csv path',
  () => ({ model: modelS, data: labelsWithFirstFile('/etc/passwd').data }),
  /labels\.csv:2: image path "\/etc\/passwd" leads outside the data folder/,
);

badCase(
  'an image symlinked to a file outside the data folder',
  () => {
    const outside = path.join(tmp(), 'secret.png');
    fs.copyFileSync(path.join(evalset, 'images', '00001.png'), outside);
    const { data } = labelsWithFirstFile('images/link.png');
    fs.symlinkSync(outside, path.join(data, 'images', 'link.png'));
    return { model: modelS, data };
  },
  /labels\.csv:2: image path "images\/link\.png" leads outside the data folder .* \(to .*secret\.png\)/,
);

badCase(
  'labels.csv itself a symlink to a file outside the data folder',
  () => {
    const data = copyData(4);
    const outside = path.join(tmp(), 'labels.csv');
    fs.renameSync(path.join(data, 'labels.csv'), outside);
    fs.symlinkSync(outside, path.join(data, 'labels.csv'));
    return { model: modelS, data };
  },
  /labels\.csv: labels\.csv leads outside the data folder/,
);

badCase(
  'an ImageFolder class folder symlinked outside the data folder',
  () => {
    const data = tmp();
    const outside = tmp();
    fs.copyFileSync(path.join(evalset, 'images', '00001.png'), path.join(outside, 'a.png'));
    fs.mkdirSync(path.join(data, 'circle'));
    fs.copyFileSync(path.join(evalset, 'images', '00002.png'), path.join(data, 'circle', 'b.png'));
    fs.symlinkSync(outside, path.join(data, 'square'));
    return { model: modelS, data };
  },
  /square: class folder "square" leads outside the data folder/,
);

badCase(
  'a FIFO named labels.csv',
  () => {
    const data = copyData(4);
    fs.rmSync(path.join(data, 'labels.csv'));
    execFileSync('mkfifo', [path.join(data, 'labels.csv')]);
    return { model: modelS, data };
  },
  /labels\.csv: labels\.csv is a FIFO \(named pipe\), expected a regular file/,
);

test('a symlink inside the data folder to another file inside it is followed', () => {
  const { data } = labelsWithFirstFile('images/link.png');
  fs.symlinkSync('00002.png', path.join(data, 'images', 'link.png'));
  const { code, stderr } = runCli(['eval', '--model', modelS, '--data', data]);
  assert.equal(code, 0, stderr);
});
