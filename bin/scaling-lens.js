#!/usr/bin/env node
// Entry of the `scaling-lens` CLI. In a source checkout the bundle is (re)built on first use, so
// `npx scaling-lens` works right after `npm ci`; a packaged copy just runs dist/cli.js.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const bundle = path.join(root, 'dist', 'cli.js');
const sources = path.join(root, 'src');

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

if (fs.existsSync(sources) && (!fs.existsSync(bundle) || newestSource(sources) > fs.statSync(bundle).mtimeMs)) {
  require('esbuild').buildSync({
    entryPoints: [path.join(sources, 'cli', 'main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    mainFields: ['module', 'main'],
    external: ['vscode', 'onnxruntime-node'],
    sourcemap: 'linked',
    logLevel: 'error',
  });
}
Promise.resolve(require(bundle).main(process.argv.slice(2))).then((code) => {
  process.exitCode = code;
});
