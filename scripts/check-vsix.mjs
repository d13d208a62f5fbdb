// Packages every VSIX (scripts/package.mjs --all; an up-to-date linux-x64 VSIX from the e2e step is reused) and
// checks what each contains: a platform VSIX carries exactly its own onnxruntime-node binary folder and says its
// target in the manifest; the universal VSIX carries no node_modules at all; no bundle loads onnxruntime at
// activation. Then it runs the packaged CLI: from the linux-x64 VSIX an evaluation works, from the universal one
// fitting works and evaluation says why it is unavailable. Exit 1 with every problem listed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { ALL_TARGETS, PLATFORM_TARGETS, packageTargets, vsixPath } from './package.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const problems = [];
const fail = (message) => problems.push(message);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Entries of a zip as a map name → uncompressed size, and a reader for small text entries. */
function readZip(file) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      const entries = new Map();
      const texts = new Map();
      zip.on('entry', (entry) => {
        entries.set(entry.fileName, entry.uncompressedSize);
        const wanted =
          entry.fileName === 'extension.vsixmanifest' || /^extension\/dist\/[^/]+\.js$/.test(entry.fileName);
        if (!wanted) return zip.readEntry();
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          const chunks = [];
          stream.on('data', (chunk) => chunks.push(chunk));
          stream.on('end', () => {
            texts.set(entry.fileName, Buffer.concat(chunks).toString('utf8'));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve({ entries, texts }));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

function extract(file, into) {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on('entry', (entry) => {
        const target = path.join(into, entry.fileName);
        if (!target.startsWith(into + path.sep))
          return reject(new Error(`zip entry outside the folder: ${entry.fileName}`));
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        fs.mkdirSync(path.dirname(target), { recursive: true });
        zip.openReadStream(entry, (streamError, stream) => {
          if (streamError) return reject(streamError);
          stream.pipe(fs.createWriteStream(target)).on('finish', () => zip.readEntry());
        });
      });
      zip.on('end', resolve);
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const REQUIRED = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/fitWorker.js',
  'extension/dist/cli.js',
  'extension/dist/evalChild.js',
  'extension/dist/webview/panel.js',
  'extension/dist/webview/side.js',
  'extension/bin/scaling-lens.js',
];
const ORT_BIN = 'extension/node_modules/onnxruntime-node/bin/';
const loadsOrt = /require\(["']onnxruntime-node["']\)/;

async function checkContents(target) {
  const file = vsixPath(target);
  const { entries, texts } = await readZip(file);
  const names = [...entries.keys()];
  for (const name of REQUIRED) if (!entries.has(name)) fail(`${target}: missing ${name}`);
  const maps = names.filter((n) => n.endsWith('.map'));
  if (maps.length > 0) fail(`${target}: ships ${maps.length} source maps (${maps[0]}, …)`);
  for (const bundle of ['extension.js', 'fitWorker.js']) {
    if (loadsOrt.test(texts.get(`extension/dist/${bundle}`) ?? ''))
      fail(`${target}: dist/${bundle} loads onnxruntime-node (activation must not depend on it)`);
  }
  const manifest = texts.get('extension.vsixmanifest') ?? '';
  const declared = /TargetPlatform="([^"]+)"/.exec(manifest)?.[1];
  if (target === 'universal') {
    const modules = names.filter((n) => n.startsWith('extension/node_modules/'));
    if (modules.length > 0) fail(`universal: ships ${modules.length} node_modules files (${modules[0]}, …)`);
    if (declared) fail(`universal: the manifest declares target ${declared}`);
    return { target, files: names.length, binaries: 0 };
  }
  if (declared !== target) fail(`${target}: the manifest declares target ${declared ?? 'none'}`);
  const [platform, arch] = target.split('-');
  const own = `${ORT_BIN}napi-v6/${platform}/${arch}/`;
  const shipped = names.filter((n) => n.startsWith(ORT_BIN) && !n.endsWith('/'));
  const foreign = shipped.filter((n) => !n.startsWith(own));
  if (foreign.length > 0) fail(`${target}: ships other platforms' binaries: ${foreign.join(', ')}`);
  const sourceDir = path.join(repo, 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', platform, arch);
  const expected = fs
    .readdirSync(sourceDir)
    .map((f) => own + f)
    .sort();
  const got = shipped.filter((n) => n.startsWith(own)).sort();
  if (JSON.stringify(got) !== JSON.stringify(expected))
    fail(`${target}: binaries ${got.join(', ')}; expected ${expected.join(', ')}`);
  for (const f of expected) {
    const size = fs.statSync(path.join(sourceDir, path.basename(f))).size;
    if (entries.has(f) && entries.get(f) !== size)
      fail(`${target}: ${f} is ${entries.get(f)} bytes, the package's is ${size}`);
  }
  for (const js of [
    'extension/node_modules/onnxruntime-node/dist/index.js',
    'extension/node_modules/onnxruntime-node/dist/binding.js',
    'extension/node_modules/onnxruntime-common/dist/cjs/index.js',
    'extension/node_modules/onnxruntime-common/dist/cjs/package.json',
  ]) {
    if (!entries.has(js)) fail(`${target}: missing ${js}`);
  }
  return { target, files: names.length, binaries: got.length };
}

function run(cli, args) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });
}

/** The packaged CLI as a user of each VSIX runs it. */
async function checkRuns() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-vsix-'));
  try {
    const host = `${process.platform}-${process.arch}`;
    if (PLATFORM_TARGETS.includes(host)) {
      const dir = path.join(root, host);
      await extract(vsixPath(host), dir);
      const ext = path.join(dir, 'extension');
      const result = run(path.join(ext, 'bin', 'scaling-lens.js'), [
        'eval',
        '--model',
        path.join(ext, 'examples/clip-shapes/models/shapes_S_u256000_s4000000'),
        '--data',
        path.join(ext, 'examples/clip-shapes/evalset'),
        '--limit',
        '100',
        '--json',
      ]);
      if (result.status !== 0) fail(`${host}: the packaged eval failed: ${result.stderr.trim().split('\n').pop()}`);
      else console.log(`  ${host}: packaged eval ran (zs_top1 ${JSON.parse(result.stdout).zs_top1} on 100 images)`);
    }
    const dir = path.join(root, 'universal');
    await extract(vsixPath('universal'), dir);
    const ext = path.join(dir, 'extension');
    const cli = path.join(ext, 'bin', 'scaling-lens.js');
    const fit = run(cli, [
      'fit',
      path.join(ext, 'examples/openclip/zeroshot_results.csv'),
      '--bootstrap',
      '0',
      '--json',
    ]);
    if (fit.status !== 0) fail(`universal: the packaged fit failed: ${fit.stderr.trim()}`);
    else console.log(`  universal: packaged fit ran (${JSON.parse(fit.stdout).fits.length} fits)`);
    const evaluation = run(cli, [
      'eval',
      '--model',
      path.join(ext, 'examples/clip-shapes/models/shapes_S_u256000_s4000000'),
      '--data',
      path.join(ext, 'examples/clip-shapes/evalset'),
    ]);
    if (evaluation.status !== 2 || !/onnxruntime-node: not available on this machine/.test(evaluation.stderr))
      fail(
        `universal: eval should say onnxruntime is unavailable (exit 2), got exit ${evaluation.status}: ${evaluation.stderr.trim()}`,
      );
    else console.log(`  universal: eval refused: ${evaluation.stderr.trim().slice(0, 140)}…`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const started = Date.now();
const built = fs.existsSync(path.join(repo, 'dist')) ? newestMtime(path.join(repo, 'src')) : Infinity;
const reuse = (target) =>
  fs.existsSync(vsixPath(target)) &&
  fs.statSync(vsixPath(target)).mtimeMs > Math.max(built, fs.statSync(path.join(repo, 'package.json')).mtimeMs);
const toPackage = ALL_TARGETS.filter((t) => !(t === 'linux-x64' && reuse(t)));
await packageTargets(toPackage);
console.log(
  `packaged ${toPackage.join(', ')} in ${((Date.now() - started) / 1000).toFixed(0)} s${toPackage.length < ALL_TARGETS.length ? ' (reused the linux-x64 VSIX of the e2e step)' : ''}`,
);
for (const target of ALL_TARGETS) {
  const { files, binaries } = await checkContents(target);
  console.log(
    `  ${path.basename(vsixPath(target))}: ${files} files, ${binaries} onnxruntime binary files, ${(fs.statSync(vsixPath(target)).size / 1e6).toFixed(1)} MB`,
  );
}
await checkRuns();
if (problems.length > 0) {
  for (const problem of problems) console.error(`FAIL ${problem}`);
  process.exit(1);
}
console.log(`all ${ALL_TARGETS.length} VSIXes check out`);
