/**
 * "Scaling Lens: Evaluate ONNX Checkpoint…": pick a model folder, an eval data folder and a results file (three
 * quick-pick steps, evaluateSteps.ts), run the evaluation in a forked child process under a cancellable progress
 * notification. The appended row reaches the plots through the file watcher. Needs a trusted workspace (it runs native code on workspace files).
 */
import * as vscode from 'vscode';
import { fork } from 'node:child_process';
import path from 'node:path';
import { EVAL_LIMITS } from '../core/settings';
import { parseEvalChildMessage, parseHostToEvalChild, type EvalRequest } from '../shared/protocol';
import { askEvaluateInputs } from './evaluateSteps';
import { onnxRuntimeUnavailable } from './onnxRuntime';

export interface EvaluateArgs {
  model?: string;
  data?: string;
  out?: string;
  limit?: number;
}

export async function evaluateCheckpoint(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  args: EvaluateArgs = {},
): Promise<{ ok: boolean; message: string; row?: Record<string, unknown> }> {
  if (!vscode.workspace.isTrusted) {
    const message =
      'Evaluating a checkpoint runs onnxruntime on files of this workspace: trust the workspace first (Workspaces: Manage Workspace Trust).';
    void vscode.window.showWarningMessage(`Scaling Lens: ${message}`);
    return { ok: false, message };
  }
  const unavailable = onnxRuntimeUnavailable(context.extensionUri.fsPath);
  if (unavailable) {
    void vscode.window.showWarningMessage(`Scaling Lens: ${unavailable}`);
    return { ok: false, message: unavailable };
  }
  const inputs = await askEvaluateInputs(args);
  if (!inputs) return { ok: false, message: 'cancelled before the evaluation started' };
  const { model, data, out } = inputs;
  const request: EvalRequest = {
    model,
    data,
    out,
    limit: args.limit,
    threads: vscode.workspace.getConfiguration('scalingLens').get<number>('evalThreads', 1),
  };
  // The child ignores a request it cannot validate: say what is wrong instead of waiting for it.
  if (!parseHostToEvalChild({ type: 'run', request })) {
    const message = `cannot evaluate with these settings (scalingLens.evalThreads ${request.threads}, limit ${request.limit ?? 'none'}): threads 1–${EVAL_LIMITS.threads}, limit 1–${EVAL_LIMITS.limit.toLocaleString('en')}`;
    void vscode.window.showErrorMessage(`Scaling Lens: ${message}`);
    return { ok: false, message };
  }
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Scaling Lens: evaluating ${path.basename(model)}`,
      cancellable: true,
    },
    (progress, token) =>
      new Promise((resolve) => {
        const child = fork(vscode.Uri.joinPath(context.extensionUri, 'dist', 'evalChild.js').fsPath, [], {
          stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
        });
        let settled = false;
        const finish = (result: { ok: boolean; message: string; row?: Record<string, unknown> }) => {
          if (settled) return;
          settled = true;
          (result.ok ? log.info : log.error)(`evaluation of ${model}: ${result.message}`);
          if (result.ok) void vscode.window.showInformationMessage(`Scaling Lens: ${result.message}`);
          else if (result.message !== 'cancelled')
            void vscode.window.showErrorMessage(`Scaling Lens: evaluation failed: ${result.message}`);
          resolve(result);
        };
        child.stderr?.on('data', (chunk) => log.debug(String(chunk).trim()));
        let reported = 0;
        child.on('message', (raw) => {
          const message = parseEvalChildMessage(raw);
          if (!message) return log.warn('ignored a malformed message from the eval process');
          if (message.type === 'progress') {
            const percent = (100 * message.done) / message.total;
            progress.report({
              increment: percent - reported,
              message: `${message.done}/${message.total} images, ${message.imagesPerSecond.toFixed(0)} images/s, ETA ${message.etaSeconds.toFixed(0)} s`,
            });
            reported = percent;
          } else if (message.type === 'done') {
            const top1 = Number(message.row.zs_top1);
            finish({
              ok: true,
              message: `${message.row.model}: zero-shot top-1 ${top1.toFixed(3)}, row appended to ${vscode.workspace.asRelativePath(out)}`,
              row: message.row,
            });
          } else if (message.type === 'failed') finish({ ok: false, message: message.message });
          else finish({ ok: false, message: 'cancelled' });
        });
        child.on('exit', (code, signal) =>
          finish({ ok: false, message: `the eval process exited unexpectedly (${signal ?? `code ${code}`})` }),
        );
        token.onCancellationRequested(() => {
          child.send({ type: 'cancel' });
          setTimeout(() => child.kill(), 5000);
        });
        child.send({ type: 'run', request });
      }),
  );
}
