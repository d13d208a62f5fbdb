// Runs the in-host suite (test/vscode) in desktop VS Code through @vscode/test-electron. It downloads VS Code, so it
// is for machines with internet; CI here runs the same suite in code-server (scripts/run-code-server-tests.mjs).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { makeWorkspace } from './harness/codeServer.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
execFileSync(process.execPath, ['scripts/build.mjs', '--tests'], { cwd: repo, stdio: 'inherit' });
const workspace = makeWorkspace(repo);
await runTests({
  version: '1.100.3',
  extensionDevelopmentPath: repo,
  extensionTestsPath: path.join(repo, 'out', 'test', 'vscode', 'index.js'),
  launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
});
