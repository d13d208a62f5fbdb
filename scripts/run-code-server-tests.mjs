// Runs the in-host mocha suite (test/vscode) inside code-server's real extension host, driven by headless Chromium.
// The exit code arrives through window.codeAutomationExit; per-test results through a JSON file the suite writes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, makeWorkspace, startCodeServer, workbenchUrl } from './harness/codeServer.mjs';
import { OUTPUT, writeSummary } from './harness/summary.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const resultsFile = path.join(OUTPUT, 'vscode-results.json');
// A bound for a stuck suite, far above its run time with both cores busy.
const TIMEOUT_MS = 30 * 60_000;

async function main() {
  execFileSync(process.execPath, ['scripts/build.mjs', '--tests'], {
    cwd: repo,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  fs.rmSync(resultsFile, { force: true });
  const workspace = makeWorkspace(repo);
  let server;
  let browser;
  try {
    process.env.SCALING_LENS_TEST_RESULTS = resultsFile;
    server = await startCodeServer({ workspace });
    browser = await launchBrowser();
    const page = browser.pages()[0] ?? (await browser.newPage());
    const exitCode = new Promise((resolve) => page.exposeFunction('codeAutomationExit', (code) => resolve(code)));
    await page.goto(workbenchUrl(server, workspace, repo, path.join(repo, 'out', 'test', 'vscode', 'index.js')));
    const code = await Promise.race([
      exitCode,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`in-host tests did not finish within ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS),
      ),
    ]);
    await page.screenshot({ path: path.join(OUTPUT, 'in-host-final.png') }).catch(() => {});
    return report(code);
  } finally {
    await browser?.close().catch(() => {});
    server?.stop();
  }
}

function report(code) {
  if (!fs.existsSync(resultsFile)) {
    console.error(`in-host suite wrote no results (exit code ${code}): the test bundle did not load or crashed`);
    writeSummary('vscode', 0, 1);
    return 1;
  }
  const results = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  for (const test of results.tests) {
    console.log(
      `${test.state === 'passed' ? '  ✔' : '  ✘'} ${test.title}${test.ms !== undefined ? ` (${test.ms} ms)` : ''}`,
    );
    if (test.measured) console.log(`      ${test.measured}`);
    if (test.error)
      console.log(
        test.error
          .split('\n')
          .map((l) => `      ${l}`)
          .join('\n'),
      );
  }
  const failed = results.failed + (code !== 0 && results.failed === 0 ? 1 : 0);
  if (code !== 0 && results.failed === 0)
    console.error(`the extension host reported exit code ${code} with no failed test`);
  writeSummary('vscode', results.passed, failed);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`in-host tests could not run: ${error.stack ?? error}`);
    writeSummary('vscode', 0, 1);
    process.exit(1);
  },
);
