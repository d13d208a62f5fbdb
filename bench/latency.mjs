// Save→plot latency on a 10,000-row results file: append a row to a watched CSV (as a training job does) and time
// until the panel in a real VS Code (code-server) shows it. Baseline in the same run: the quick fit job (the one
// that updates the plot; bootstrap intervals follow) alone on the same file, in-process. Prints both and their ratio (the rest is watcher debounce, worker hand-off and drawing).
//   node bench/latency.mjs [--rows 10000] [--repeats 5]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, makeWorkspace, startCodeServer, workbenchUrl } from '../scripts/harness/codeServer.mjs';
import { pickIfAsked, quickOpen, runCommand, waitForWorkbench, webviewFrame } from '../test/e2e/steps.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const arg = (name, fallback) => Number(process.argv[process.argv.indexOf(`--${name}`) + 1] || fallback) || fallback;
const rows = arg('rows', 10_000);
const repeats = arg('repeats', 5);

function writeResults(file) {
  const archs = [['ViT-B-32', 4.4], ['ViT-B-16', 14.8], ['ViT-L-14', 87.7], ['ViT-H-14', 191], ['ViT-g-14', 291]];
  const lines = ['arch,samples_seen,gmacs_total,gmacs,upstream_dataset,downstream_dataset,acc1,task,name'];
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < rows; i++) {
    const [arch, gmacs] = archs[i % archs.length];
    const samples = 10 ** (9.3 + 1.3 * random());
    const compute = samples * gmacs;
    const error = 5.86 * compute ** -0.111 * Math.exp(0.05 * Math.abs(random() - 0.2));
    lines.push(`${arch},${samples},${compute},${gmacs},LAION-2B,imagenet1k,${(1 - error).toFixed(5)},zeroshot_classification,run-${i}`);
  }
  fs.writeFileSync(file, lines.join('\n') + '\n');
}

async function main() {
  execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: 'ignore' });
  const workspace = makeWorkspace(repo);
  const file = path.join(workspace, 'openclip', 'big_results.csv');
  writeResults(file);

  // Baseline: the worker's quick fit (no bootstrap: what updates the plot) alone, in-process.
  const fitTimes = [];
  const jobScript = `const { runFitJob } = require(${JSON.stringify(path.join(repo, 'out', 'bench', 'fitJob.js'))}); const fs = require('fs');
    const read = (p) => { try { return fs.readFileSync(p, 'utf8'); } catch { return undefined; } };
    runFitJob(${JSON.stringify(file)}, { law: 'power', frontier: 'default', bootstrap: false, budgets: [] }, read);
    const times = []; for (let i = 0; i < ${repeats}; i++) { const t = performance.now(); runFitJob(${JSON.stringify(file)}, { law: 'power', frontier: 'default', bootstrap: false, budgets: [] }, read); times.push(performance.now() - t); }
    console.log(JSON.stringify(times));`;
  const esbuild = await import('esbuild');
  await esbuild.build({ entryPoints: { fitJob: path.join(repo, 'src', 'core', 'fitJob.ts') }, outdir: path.join(repo, 'out', 'bench'), bundle: true, platform: 'node', format: 'cjs', mainFields: ['module', 'main'], logLevel: 'error' });
  fitTimes.push(...JSON.parse(execFileSync(process.execPath, ['-e', jobScript], { encoding: 'utf8' })));

  const server = await startCodeServer({ workspace });
  const browser = await launchBrowser();
  const latencies = [];
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(workbenchUrl(server, workspace, repo));
    await waitForWorkbench(page);
    await quickOpen(page, 'openclip/big_results.csv');
    await runCommand(page, 'Fit Scaling Law');
    await pickIfAsked(page, 'openclip/big_results.csv');
    const panel = await webviewFrame(page, 'panel', 60_000);
    await panel.waitForSelector('#runs-count', { timeout: 60_000 });
    for (let i = 0; i < repeats; i++) {
      const before = Number((await panel.$eval('#runs-count', (e) => e.textContent)).split(' ')[0]);
      await page.waitForTimeout(500);
      const started = Date.now();
      fs.appendFileSync(file, `ViT-B-32,20000000000.0,148000000000.0,7.4,LAION-2B,imagenet1k,0.66,zeroshot_classification,appended-${i}\n`);
      await panel.waitForFunction((n) => Number(document.querySelector('#runs-count')?.textContent.split(' ')[0]) === n, before + 1, { timeout: 30_000 });
      latencies.push(Date.now() - started);
    }
  } finally {
    await browser.close().catch(() => {});
    server.stop();
  }
  const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  console.log(`save→plot latency, ${rows.toLocaleString('en')}-row results file, ${repeats} appends`);
  console.log(`  quick fit job alone (baseline: parse + fit without bootstrap, in-process): median ${median(fitTimes).toFixed(0)} ms (${fitTimes.map((t) => t.toFixed(0)).join(', ')})`);
  console.log(`  append → panel shows the new run: median ${median(latencies)} ms (${latencies.join(', ')}) — target < 300 ms`);
  console.log(`  ratio end-to-end / fit job: ${(median(latencies) / median(fitTimes)).toFixed(2)}`);
}

main().then(() => process.exit(0), (error) => (console.error(error), process.exit(1)));
