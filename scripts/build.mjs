// One build for every bundle: extension host (cjs/node, `vscode` external), fit worker (node),
// CLI (node), webviews (browser). onnxruntime-node stays external: it loads native binaries at run time.
import * as esbuild from 'esbuild';
import fs from 'node:fs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'info',
  legalComments: 'none',
};

const node = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  mainFields: ['module', 'main'],
  external: ['vscode', 'onnxruntime-node'],
};

export const builds = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { fitWorker: 'src/worker/fitWorker.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { evalChild: 'src/eval/child.ts' }, outdir: 'dist' },
  {
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: { panel: 'webview/panel/main.ts', side: 'webview/side/main.ts' },
    outdir: 'dist/webview',
  },
];

export const testBuilds = [
  {
    ...node,
    entryPoints: { index: 'test/vscode/index.ts' },
    outdir: 'out/test/vscode',
    external: ['vscode', 'mocha', 'onnxruntime-node'],
  },
];

const all = process.argv.includes('--tests') ? [...builds, ...testBuilds] : builds;

if (watch) {
  for (const options of all) await (await esbuild.context(options)).watch();
} else {
  fs.rmSync('dist', { recursive: true, force: true });
  await Promise.all(all.map((options) => esbuild.build(options)));
}
