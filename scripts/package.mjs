// Builds production bundles and packages a linux-x64 VSIX with @vscode/vsce. onnxruntime-node is shipped as a
// package (its native binary for the target only, per .vscodeignore), not bundled.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const target = process.env.VSCE_TARGET ?? 'linux-x64';
const { version, name } = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
const out = path.join(repo, `${name}-${target}-${version}.vsix`);

execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
execFileSync(process.execPath, [path.join(repo, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--target', target, '--out', out, '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links'], { cwd: repo, stdio: 'inherit' });
console.log(out);
