// Builds production bundles once and packages VSIXes with @vscode/vsce: one per platform onnxruntime-node ships
// (each carrying only its own native binary, so checkpoint evaluation works there) and a universal one without
// onnxruntime (fitting, plots and hovers; evaluation says why it is unavailable).
//   node scripts/package.mjs                      → linux-x64 (or $VSCE_TARGET), the VSIX path on the last line
//   node scripts/package.mjs --all                → every target and universal, one path per line
//   node scripts/package.mjs darwin-arm64 universal
// .vscodeignore is the universal package's list; a platform package adds its onnxruntime-node folder to it.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

export const PLATFORM_TARGETS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'win32-x64', 'win32-arm64'];
export const ALL_TARGETS = [...PLATFORM_TARGETS, 'universal'];

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const { version, name } = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

export function vsixPath(target) {
  return path.join(repo, `${name}-${target}-${version}.vsix`);
}

/** The ignore list for a target: the universal list, plus onnxruntime-node with the target's binary folder only. */
function ignoreFileFor(target) {
  const base = fs.readFileSync(path.join(repo, '.vscodeignore'), 'utf8');
  if (target === 'universal') return path.join(repo, '.vscodeignore');
  const [platform, arch] = target.split('-');
  const lines = [
    '',
    `# ${target}: onnxruntime-node with this platform's native binary only`,
    '!node_modules/onnxruntime-node/package.json',
    '!node_modules/onnxruntime-node/LICENSE',
    // (vsce lets any `!` pattern win over every exclusion, so these name the .js files, not the source maps.)
    '!node_modules/onnxruntime-node/dist/*.js',
    `!node_modules/onnxruntime-node/bin/napi-v6/${platform}/${arch}/**`,
    '!node_modules/onnxruntime-common/package.json',
    '!node_modules/onnxruntime-common/dist/cjs/**/*.js',
    // Marks dist/cjs as CommonJS inside a "type": "module" package.
    '!node_modules/onnxruntime-common/dist/cjs/package.json',
  ];
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-vscodeignore-')), '.vscodeignore');
  fs.writeFileSync(file, base + lines.join('\n') + '\n');
  return file;
}

async function packageTarget(target) {
  const ignoreFile = ignoreFileFor(target);
  const args = [
    'package',
    '--out',
    vsixPath(target),
    '--ignoreFile',
    ignoreFile,
    '--allow-missing-repository',
    '--skip-license',
    '--no-rewrite-relative-links',
  ];
  // Universal ships no node_modules: skipping vsce's dependency walk halves its time.
  if (target === 'universal') args.push('--no-dependencies');
  else args.push('--target', target);
  try {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(repo, 'node_modules', '@vscode', 'vsce', 'vsce'), ...args],
      { cwd: repo, maxBuffer: 16 << 20 },
    );
    process.stderr.write(
      stdout
        .split('\n')
        .filter((line) => line.includes('DONE'))
        .join('\n') + '\n',
    );
  } finally {
    if (ignoreFile !== path.join(repo, '.vscodeignore'))
      fs.rmSync(path.dirname(ignoreFile), { recursive: true, force: true });
  }
  return vsixPath(target);
}

/** Packages the targets, two at a time (zipping is CPU-bound; build machines have two cores). */
export async function packageTargets(targets) {
  execFileSync(process.execPath, ['scripts/build.mjs', '--production'], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const queue = [...targets];
  const done = [];
  const worker = async () => {
    for (let target = queue.shift(); target; target = queue.shift()) done.push(await packageTarget(target));
  };
  await Promise.all([worker(), worker()]);
  return targets.map(vsixPath);
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  const args = process.argv.slice(2);
  const targets = args.includes('--all')
    ? ALL_TARGETS
    : args.length > 0
      ? args
      : [process.env.VSCE_TARGET ?? 'linux-x64'];
  const unknown = targets.filter((t) => !ALL_TARGETS.includes(t));
  if (unknown.length > 0) {
    console.error(`unknown target ${unknown.join(', ')}: expected ${ALL_TARGETS.join(', ')} or --all`);
    process.exit(2);
  }
  for (const file of await packageTargets(targets)) console.log(file);
}
