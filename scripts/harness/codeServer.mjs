// Starts code-server (real VS Code 1.100.3) on loopback with isolated dirs, and headless Chromium to drive it.
// Everything started here is killed as a process group on stop(), also when a step fails.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureCodeServer } from './install-code-server.mjs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function portTaken(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Starts code-server; rejects within `timeoutMs` with the reason (port taken, binary missing, crashed, no health). */
export async function startCodeServer({
  workspace,
  port,
  extensionsDir,
  log = console.error,
  timeoutMs = 60_000,
  installExtensions = [],
}) {
  const entry = ensureCodeServer({ log });
  port ??= await freePort();
  if (await portTaken(port)) throw new Error(`port ${port} is already in use: cannot start code-server there`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-cs-'));
  const dirs = {
    home: path.join(root, 'home'),
    data: path.join(root, 'user-data'),
    ext: extensionsDir ?? path.join(root, 'extensions'),
    xdg: path.join(root, 'xdg'),
  };
  for (const dir of Object.values(dirs)) fs.mkdirSync(dir, { recursive: true });
  // A quiet start: no welcome page or walkthrough taking the focus from the steps under test.
  fs.mkdirSync(path.join(dirs.data, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(dirs.data, 'User', 'settings.json'),
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
      },
      null,
      2,
    ),
  );
  const env = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: path.join(dirs.xdg, 'config'),
    XDG_DATA_HOME: path.join(dirs.xdg, 'data'),
    XDG_CACHE_HOME: path.join(dirs.xdg, 'cache'),
  };
  for (const key of Object.keys(env)) if (key.startsWith('VSCODE_') || key.startsWith('npm_')) delete env[key];
  const common = ['--user-data-dir', dirs.data, '--extensions-dir', dirs.ext];
  for (const vsix of installExtensions) {
    const result = spawnSync(process.execPath, [entry, ...common, '--install-extension', vsix, '--force'], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (result.status !== 0)
      throw new Error(`installing ${vsix} into code-server failed: ${result.stderr || result.stdout}`);
    log(result.stdout.trim().split('\n').pop());
  }
  const logFile = path.join(root, 'code-server.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      entry,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      ...common,
      workspace,
    ],
    {
      env,
      detached: true,
      stdio: ['ignore', out, out],
    },
  );
  let exited = null;
  child.once('exit', (code, signal) => (exited = { code, signal }));
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited)
      throw new Error(
        `code-server exited during start-up (${JSON.stringify(exited)}); log:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`,
      );
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return { port, url: `http://127.0.0.1:${port}`, logFile, root, stop };
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(
    `code-server did not answer /healthz on port ${port} within ${timeoutMs / 1000} s; log:\n${fs.readFileSync(logFile, 'utf8').slice(-2000)}`,
  );
}

export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  const { chromium } = await import('playwright-core');
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-chromium-'));
  const context = await Promise.race([
    chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1600, height: 1000 },
    }),
    new Promise((_, reject) => setTimeout(() => reject(new Error('Chromium did not start within 60 s')), 60_000)),
  ]);
  return context;
}

/** The code-server URL that opens `workspace` with the extension under development (and optionally its tests). */
export function workbenchUrl(server, workspace, extensionPath, testsPath) {
  const remote = (p) => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [['extensionDevelopmentPath', remote(extensionPath)]];
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  return `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** A fresh workspace: a copy of the example data and the test fixtures, so tests may write to it. */
export function makeWorkspace(repo) {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-ws-'));
  fs.cpSync(path.join(repo, 'examples', 'openclip'), path.join(workspace, 'openclip'), { recursive: true });
  fs.cpSync(path.join(repo, 'test', 'fixtures', 'workspace'), workspace, { recursive: true });
  const shapes = path.join(repo, 'examples', 'clip-shapes');
  for (const part of ['runs.csv', 'tokenizer.json', 'evalset', path.join('models', 'shapes_S_u256000_s4000000')]) {
    fs.cpSync(path.join(shapes, part), path.join(workspace, 'clip-shapes', part), { recursive: true });
  }
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(
    path.join(workspace, '.vscode', 'settings.json'),
    JSON.stringify(
      { 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'workbench.tips.enabled': false },
      null,
      2,
    ),
  );
  return workspace;
}
