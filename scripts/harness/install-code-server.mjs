// Installs code-server@4.100.3 (VS Code 1.100.3) into a cache outside the repository, once.
// Its install fetches a ripgrep binary from GitHub; we pre-seed that download cache with Debian's rg.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export function codeServerDir() {
  const cache = process.env.SCALING_LENS_CACHE ?? path.join(os.homedir(), '.cache', 'scaling-lens');
  return path.join(cache, `code-server-${CODE_SERVER_VERSION}`);
}

export function codeServerBin() {
  return path.join(codeServerDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function seedRipgrepCache() {
  const rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((p) => fs.existsSync(p));
  if (!rg) throw new Error('ripgrep not found: apt-get install -y ripgrep');
  const cacheDir = path.join(os.tmpdir(), 'vscode-ripgrep-cache-1.15.11');
  const archive = path.join(cacheDir, RIPGREP_ARCHIVE);
  if (fs.existsSync(archive)) return;
  fs.mkdirSync(cacheDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-'));
  fs.mkdirSync(path.join(staging, 'bin'));
  fs.copyFileSync(rg, path.join(staging, 'bin', 'rg'));
  fs.chmodSync(path.join(staging, 'bin', 'rg'), 0o755);
  // The extractor looks for the binary under bin/ or at the top level; ship both.
  fs.copyFileSync(rg, path.join(staging, 'rg'));
  execFileSync('tar', ['-czf', archive, '-C', staging, 'bin', 'rg']);
}

export function ensureCodeServer({ log = console.error } = {}) {
  if (fs.existsSync(codeServerBin())) return codeServerBin();
  seedRipgrepCache();
  const dir = codeServerDir();
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }));
  log(`installing code-server@${CODE_SERVER_VERSION} into ${dir} (about a minute, once)`);
  // Our .npmrc sets ignore-scripts for the project; code-server needs its install scripts (native modules, VS Code).
  const env = { ...process.env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' };
  for (const key of Object.keys(env)) if (/^npm_config_(ignore_scripts|allow_scripts)$/i.test(key)) delete env[key];
  const npm = (args) =>
    spawnSync('npm', [...args, '--no-audit', '--no-fund'], {
      cwd: dir,
      stdio: ['ignore', 'inherit', 'inherit'],
      env,
      timeout: 10 * 60 * 1000,
    });
  let result = npm(['install', `code-server@${CODE_SERVER_VERSION}`]);
  // npm >= 11.19 skips dependency install scripts until approved: approve them for this private cache, then run them.
  if (
    result.status === 0 &&
    spawnSync('npm', ['help', 'install-scripts'], { cwd: dir, env, stdio: 'ignore' }).status === 0
  ) {
    result = npm(['install-scripts', 'approve', '--all']);
    if (result.status === 0) result = npm(['rebuild']);
  }
  if (result.status !== 0 || !fs.existsSync(codeServerBin())) {
    throw new Error(
      `code-server install failed (exit ${result.status}); see npm output above. Needs Debian libkrb5-dev and a C++ toolchain.`,
    );
  }
  return codeServerBin();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureCodeServer());
}
