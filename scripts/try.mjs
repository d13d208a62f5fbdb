// `npm run try`: code-server with the extension under development on the example workspace; prints the URL.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCodeServer, workbenchUrl } from './harness/codeServer.mjs';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'scaling-lens-try-'));
fs.cpSync(path.join(repo, 'examples'), workspace, { recursive: true });
const server = await startCodeServer({ workspace, port: Number(process.env.PORT ?? 8080) });
console.log(
  `Scaling Lens is running in code-server. Open:\n\n  ${workbenchUrl(server, workspace, repo)}\n\n(Ctrl+C to stop; the example workspace is a copy in ${workspace})`,
);
const stop = () => (server.stop(), process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
setInterval(() => {}, 1 << 30);
