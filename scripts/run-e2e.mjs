// End-to-end: package the VSIX, install it into code-server, and use the extension through the UI as a person would.
// Each step is a test; a failing step saves a screenshot. Screenshots go to test-output/e2e/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, makeWorkspace, startCodeServer } from './harness/codeServer.mjs';
import { OUTPUT, writeSummary } from './harness/summary.mjs';
import { drawnFraction, quickOpen, runCommand, waitForWorkbench, webviewFrame } from '../test/e2e/steps.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const shots = path.join(OUTPUT, 'e2e');

function packageVsix() {
  const existing = process.env.SCALING_LENS_VSIX;
  if (existing) return existing;
  const out = execFileSync(process.execPath, ['scripts/package.mjs'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out.trim().split('\n').pop();
}

async function main() {
  fs.rmSync(shots, { recursive: true, force: true });
  fs.mkdirSync(shots, { recursive: true });
  const vsix = packageVsix();
  const workspace = makeWorkspace(repo);
  const results = [];
  let server;
  let browser;
  try {
    server = await startCodeServer({ workspace, installExtensions: [vsix] });
    browser = await launchBrowser();
    const page = browser.pages()[0] ?? (await browser.newPage());
    page.setDefaultTimeout(30_000);
    const consoleLog = fs.createWriteStream(path.join(shots, 'console.log'));
    page.on('console', (message) => consoleLog.write(`[${message.type()}] ${message.text()}\n`));
    page.on('pageerror', (error) => consoleLog.write(`[pageerror] ${error.stack ?? error}\n`));
    const step = async (name, body) => {
      const started = Date.now();
      try {
        await body();
        await page.screenshot({ path: path.join(shots, `${name}.png`) });
        results.push({ name, ok: true });
        console.log(`  ✔ ${name} (${Date.now() - started} ms)`);
      } catch (error) {
        await page.screenshot({ path: path.join(shots, `FAILED-${name}.png`) }).catch(() => {});
        results.push({ name, ok: false });
        console.log(`  ✘ ${name}\n      ${String(error?.stack ?? error).split('\n').join('\n      ')}`);
      }
    };

    await step('workbench-loads', async () => {
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await waitForWorkbench(page);
    });

    let panel;
    await step('palette-fit-scaling-law-draws-chart', async () => {
      await quickOpen(page, 'openclip/zeroshot_results.csv');
      await runCommand(page, 'Fit Scaling Law');
      panel = await webviewFrame(page, 'panel');
      await panel.waitForSelector('canvas#frontier-plot', { timeout: 30_000 });
      await panel.waitForFunction(() => document.querySelectorAll('.formula').length >= 2, null, { timeout: 30_000 });
      const formulas = await panel.$$eval('.formula', (items) => items.map((i) => i.textContent));
      if (!formulas.some((f) => f.includes('LAION') && f.includes('5.86'))) throw new Error(`LAION formula missing: ${formulas.join(' | ')}`);
      if (!formulas.some((f) => f.includes('CLIP-WIT') && f.includes('23.2'))) throw new Error(`CLIP-WIT formula missing: ${formulas.join(' | ')}`);
      const drawn = await drawnFraction(panel, 'canvas#frontier-plot');
      if (!(drawn > 0.01)) throw new Error(`the chart drew almost nothing (${(drawn * 100).toFixed(2)}% of pixels)`);
      console.log(`      chart: ${(drawn * 100).toFixed(1)}% of pixels drawn; ${formulas.join(' | ')}`);
    });

    await step('side-view-draws-chart', async () => {
      await page.locator('.activitybar [aria-label^="Scaling Lens"]').first().click();
      const side = await webviewFrame(page, 'side');
      await side.waitForSelector('canvas#side-frontier', { timeout: 30_000 });
      await page.waitForTimeout(300);
      const drawn = await drawnFraction(side, 'canvas#side-frontier');
      if (!(drawn > 0.01)) throw new Error(`the side chart drew almost nothing (${(drawn * 100).toFixed(2)}%)`);
      const text = await side.$eval('body', (b) => b.textContent);
      if (!text.includes('5.86')) throw new Error(`side view shows no law: ${text}`);
      console.log(`      side chart: ${(drawn * 100).toFixed(1)}% of pixels drawn`);
    });

    await step('hover-on-csv-row-shows-prediction', async () => {
      const lines = fs.readFileSync(path.join(workspace, 'openclip', 'zeroshot_results.csv'), 'utf8').split('\n');
      const line = lines.findIndex((l) => l.startsWith('ViT-H-14,') && l.includes(',LAION-2B,imagenet1k,')) + 1;
      await page.locator('.tab[aria-label*="zeroshot_results.csv"]').first().click();
      await page.keyboard.press('Control+G');
      await page.keyboard.type(String(line));
      await page.keyboard.press('Enter');
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      const hover = page.locator('.monaco-hover:visible').first();
      await hover.waitFor({ state: 'visible', timeout: 10_000 });
      const text = await hover.innerText();
      if (!/predicted/.test(text) || !/measured/.test(text)) throw new Error(`hover text lacks predicted/measured: ${text}`);
      console.log(`      hover: ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
    });
  } finally {
    await browser?.close().catch(() => {});
    server?.stop();
  }
  const passed = results.filter((r) => r.ok).length;
  writeSummary('e2e', passed, results.length - passed);
  return passed === results.length ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`e2e could not run: ${error.stack ?? error}`);
    writeSummary('e2e', 0, 1);
    process.exit(1);
  },
);
