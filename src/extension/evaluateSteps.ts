/**
 * "Evaluate ONNX Checkpoint…" as three quick-pick steps: 1/3 the model folder (checkpoints found in the workspace
 * first), 2/3 the evaluation data (eval sets found first), 3/3 the results file to append the row to (existing
 * results files first, "New file…" last). Every step has Browse…; nothing here offers to overwrite a file, because
 * the evaluation only ever appends.
 */
import * as vscode from 'vscode';
import fs from 'node:fs';
import path from 'node:path';
import { formatNumber } from '../core/format';
import { insideFirst } from '../core/paths';
import { BACK, pickStep, runSteps, type StepItem } from './quickSteps';
import { findResultFiles } from './resultFiles';

export interface EvaluateInputs {
  model: string;
  data: string;
  out: string;
}

const TITLE = 'Evaluate ONNX Checkpoint';
const EXCLUDE = '**/{node_modules,.git}/**';

export function askEvaluateInputs(given: Partial<EvaluateInputs> = {}): Promise<EvaluateInputs | undefined> {
  const steps = [
    (answers: Partial<EvaluateInputs>) => (given.model ? Promise.resolve({ model: given.model }) : stepModel(answers)),
    (answers: Partial<EvaluateInputs>) => (given.data ? Promise.resolve({ data: given.data }) : stepData(answers)),
    (answers: Partial<EvaluateInputs>) => (given.out ? Promise.resolve({ out: given.out }) : stepResults(answers)),
  ];
  return runSteps<EvaluateInputs>(steps);
}

async function stepModel(
  _answers: Partial<EvaluateInputs>,
): Promise<Partial<EvaluateInputs> | typeof BACK | undefined> {
  const model = await pickStep<string>({
    title: `${TITLE}: model folder`,
    step: 1,
    totalSteps: 3,
    placeholder: 'A folder with image_encoder.onnx, text_encoder.onnx and model.json',
    items: folderItems('**/image_encoder.onnx', 'image_encoder.onnx', describeModel).then((found) => [
      ...found,
      browseItem('Model folder (image_encoder.onnx, text_encoder.onnx, model.json)', found.length === 0),
    ]),
  });
  return model === undefined || model === BACK ? model : { model };
}

async function stepData(_answers: Partial<EvaluateInputs>): Promise<Partial<EvaluateInputs> | typeof BACK | undefined> {
  const data = await pickStep<string>({
    title: `${TITLE}: evaluation data`,
    step: 2,
    totalSteps: 3,
    placeholder: 'A folder with labels.csv + classnames.txt + templates.txt, or one sub-folder of images per class',
    items: folderItems('**/labels.csv', 'labels.csv', describeEvalSet).then((found) => [
      ...found,
      browseItem('Evaluation data folder', found.length === 0),
    ]),
  });
  return data === undefined || data === BACK ? data : { data };
}

async function stepResults(
  answers: Partial<EvaluateInputs>,
): Promise<Partial<EvaluateInputs> | typeof BACK | undefined> {
  const near = answers.model ? path.dirname(path.dirname(answers.model)) : undefined;
  const items = findResultFiles().then((files): StepItem<string>[] => {
    // Results files beside the model's folders first (a study's runs.csv). One line each (what is done with the file
    // is the step's placeholder): a workspace of a dozen results files still shows "New file…" without scrolling.
    const results = insideFirst(
      files.filter((uri) => /\.(csv|jsonl)$/i.test(uri.fsPath)),
      (uri) => uri.fsPath,
      near,
    ).map((uri) => ({
      label: `$(table) ${path.basename(uri.fsPath)}`,
      description: vscode.workspace.asRelativePath(path.dirname(uri.fsPath)),
      value: uri.fsPath,
    }));
    return [
      ...results,
      { label: '', kind: vscode.QuickPickItemKind.Separator },
      {
        label: '$(folder-opened) Browse…',
        description: 'an existing CSV or JSONL file elsewhere',
        action: browseResultsFile,
      },
      {
        label: '$(new-file) New file…',
        description: 'a results file to create with this first row',
        action: () => newResultsFile(near),
      },
    ];
  });
  const out = await pickStep<string>({
    title: `${TITLE}: results file`,
    step: 3,
    totalSteps: 3,
    placeholder: 'The results file the new row is appended to (never overwritten)',
    items,
  });
  return out === undefined || out === BACK ? out : { out };
}

/** Folders holding `marker`, found in the workspace: the checkpoints or eval sets a user most likely means. */
async function folderItems(
  glob: string,
  marker: string,
  describe: (folder: string) => string | undefined,
): Promise<StepItem<string>[]> {
  const found = await vscode.workspace.findFiles(glob, EXCLUDE, 50);
  return found
    .map((uri) => path.dirname(uri.fsPath))
    .sort()
    .map((folder) => ({
      label: `$(folder) ${path.basename(folder)}`,
      description: vscode.workspace.asRelativePath(path.dirname(folder)),
      detail: describe(folder) ?? `has ${marker}`,
      value: folder,
    }));
}

function browseItem(title: string, only: boolean): StepItem<string> {
  return {
    label: '$(folder-opened) Browse…',
    description: only ? 'none found in this workspace' : 'a folder elsewhere',
    action: async () =>
      (
        await vscode.window.showOpenDialog({
          title,
          canSelectFolders: true,
          canSelectFiles: false,
          canSelectMany: false,
          defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        })
      )?.[0]?.fsPath,
  };
}

async function browseResultsFile(): Promise<string | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Results file to append the row to',
    canSelectFiles: true,
    canSelectMany: false,
    filters: { Results: ['csv', 'jsonl'] },
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0]?.fsPath;
}

/** A name for a results file to create: an existing one is accepted too (the row is appended to it, never overwritten). */
async function newResultsFile(near: string | undefined): Promise<string | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? near ?? process.cwd();
  const suggestion = path.relative(root, path.join(near ?? root, 'eval_results.csv'));
  const name = await vscode.window.showInputBox({
    title: `${TITLE}: new results file`,
    prompt: 'Path of the new results file, relative to the workspace folder',
    value: suggestion,
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (!/\.(csv|jsonl)$/i.test(text.trim())) return 'A .csv or .jsonl file';
      return fs.existsSync(path.resolve(root, text.trim()))
        ? {
            message: 'This file exists: the row will be appended to it.',
            severity: vscode.InputBoxValidationSeverity.Info,
          }
        : undefined;
    },
  });
  return name ? path.resolve(root, name.trim()) : undefined;
}

function describeModel(folder: string): string | undefined {
  const meta = readJson(path.join(folder, 'model.json'));
  if (!meta) return undefined;
  const parts = [
    meta.model,
    meta.dataset,
    typeof meta.samples_seen === 'number' ? `${formatNumber(meta.samples_seen)} samples seen` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

function describeEvalSet(folder: string): string | undefined {
  try {
    const rows = fs.readFileSync(path.join(folder, 'labels.csv'), 'utf8').trim().split('\n').length - 1;
    return `${rows} images (labels.csv)`;
  } catch {
    return undefined;
  }
}

function readJson(file: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
