/**
 * The Quick Fix for rows the public CLIP tables leave out because their pretrained tag does not say how many samples
 * were seen (`yfcc15m`): asks for the number and writes it to scaling-lens.json's `samplesSeen`, then refits.
 */
import * as vscode from 'vscode';
import fs from 'node:fs';
import path from 'node:path';
import { parseSampleCount, withTagSamples } from '../core/schema/configEdit';
import { InputError } from '../core/errors';
import type { ResultsStore } from './resultsStore';

export const GIVE_SAMPLES_SEEN = 'scalingLens.giveSamplesSeen';
/** Result tables and CLIP_benchmark's JSON outputs, where the left-out rows are. */
export const SAMPLES_SEEN_SELECTOR: vscode.DocumentSelector = [{ pattern: '**/*.{csv,tsv,jsonl,json}' }];

/** The message core gives a row left out for its tag (src/core/schema/pretrainedTags.ts, unknownTagReason). */
const UNKNOWN_TAG = /pretrained tag "([^"]+)" does not say how many samples were seen/;

export interface GiveSamplesSeenArgs {
  file: string;
  tag: string;
  /** The number, when a caller (a test, a script) knows it: no input box. */
  samples?: number;
}

export class SamplesSeenActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const tags = new Map<string, vscode.Diagnostic[]>();
    for (const diagnostic of context.diagnostics) {
      const tag = diagnostic.source === 'Scaling Lens' ? UNKNOWN_TAG.exec(diagnostic.message)?.[1] : undefined;
      if (tag) tags.set(tag, [...(tags.get(tag) ?? []), diagnostic]);
    }
    return [...tags].map(([tag, diagnostics]) => {
      const action = new vscode.CodeAction(
        `Give samples seen for pretrained tag "${tag}" in scaling-lens.json…`,
        vscode.CodeActionKind.QuickFix,
      );
      action.diagnostics = diagnostics;
      action.isPreferred = true;
      action.command = {
        command: GIVE_SAMPLES_SEEN,
        title: action.title,
        arguments: [{ file: document.uri.fsPath, tag } satisfies GiveSamplesSeenArgs],
      };
      return action;
    });
  }
}

/** The tags left out in a file, from its diagnostics (for the command run from the palette). */
function leftOutTags(file: string): string[] {
  const found = vscode.languages
    .getDiagnostics(vscode.Uri.file(file))
    .map((d) => (d.source === 'Scaling Lens' ? UNKNOWN_TAG.exec(d.message)?.[1] : undefined));
  return [...new Set(found.filter((tag): tag is string => tag !== undefined))];
}

/** The nearest scaling-lens.json from the file's folder up to its workspace folder; beside the file when there is none. */
function configFor(file: string): string {
  const root = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file))?.uri.fsPath ?? path.dirname(file);
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'scaling-lens.json');
    if (fs.existsSync(candidate)) return candidate;
    if (dir === root || path.dirname(dir) === dir || !dir.startsWith(root)) break;
  }
  return path.join(path.dirname(file), 'scaling-lens.json');
}

export async function giveSamplesSeen(
  store: ResultsStore,
  log: vscode.LogOutputChannel,
  args?: GiveSamplesSeenArgs,
): Promise<{ ok: boolean; config?: string; message?: string }> {
  const file = args?.file ?? store.active?.file;
  if (!file) return { ok: false, message: 'no results file' };
  let tag = args?.tag;
  if (!tag) {
    const tags = leftOutTags(file);
    if (tags.length === 0) {
      void vscode.window.showInformationMessage(
        'Scaling Lens: no rows of this file are left out for a pretrained tag without samples seen.',
      );
      return { ok: false, message: 'no tags' };
    }
    tag =
      tags.length === 1
        ? tags[0]
        : await vscode.window.showQuickPick(tags, {
            title: 'Give Samples Seen',
            placeHolder: 'Pretrained tag whose rows are left out',
          });
    if (!tag) return { ok: false, message: 'cancelled' };
  }
  const typed =
    args?.samples !== undefined
      ? String(args.samples)
      : await vscode.window.showInputBox({
          title: `Samples seen for pretrained tag "${tag}"`,
          prompt: 'How many image-text pairs the model saw in training (epochs × dataset size), e.g. 4.8e8 or 12.8B',
          validateInput: (text) =>
            parseSampleCount(text) === null ? 'a positive number of samples: 4.8e8, 480M, 12.8B' : undefined,
        });
  const samples = typed === undefined ? null : parseSampleCount(typed);
  if (samples === null) return { ok: false, message: 'cancelled' };
  const config = configFor(file);
  const uri = vscode.Uri.file(config);
  try {
    if (fs.existsSync(config)) {
      // Through the editor's document, so an open (even unsaved) config is edited as shown and stays undoable.
      const document = await vscode.workspace.openTextDocument(uri);
      const text = withTagSamples(config, document.getText(), file, tag, samples);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
      if (!(await vscode.workspace.applyEdit(edit)) || !(await document.save()))
        throw new Error(`could not write ${config}`);
    } else {
      await vscode.workspace.fs.writeFile(uri, Buffer.from(withTagSamples(config, undefined, file, tag, samples)));
    }
  } catch (error) {
    const message =
      error instanceof InputError
        ? `${error.message} (fix scaling-lens.json first)`
        : String(error instanceof Error ? error.message : error);
    log.error(`samples seen for "${tag}": ${message}`);
    void vscode.window.showErrorMessage(`Scaling Lens: ${message}`);
    return { ok: false, message };
  }
  log.info(`samples seen for pretrained tag "${tag}" = ${samples} written to ${config}`);
  void store.fit(file);
  return { ok: true, config };
}
