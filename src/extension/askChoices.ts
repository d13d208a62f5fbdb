/**
 * "Fit Scaling Law" on a file of no known layout: the reader guessed the metric among several columns, and left runs
 * ungrouped although a column could group them. Ask, as quick picks, with the guess first; Escape keeps the guess.
 * The panel opening beside takes the focus as it loads: the picks must not close when they lose it.
 */
import * as vscode from 'vscode';
import type { FitChoices, FitSettings } from '../shared/protocol';

export async function askWhenAmbiguous(choices: FitChoices, fileName: string): Promise<Partial<FitSettings> | undefined> {
  const patch: Partial<FitSettings> = {};
  if (choices.metricAmbiguous) {
    const picked = await vscode.window.showQuickPick(
      choices.metrics.map((metric, i) => ({ label: metric, description: i === 0 ? 'detected' : undefined })),
      { title: `Fit Scaling Law: which metric of ${fileName}?`, placeHolder: 'The file has several metric columns; the law is fitted to the error of the one you pick', ignoreFocusOut: true },
    );
    if (picked && picked.label !== choices.metric) patch.metric = picked.label;
  }
  if (choices.groupAmbiguous) {
    const none = { label: 'No grouping', description: 'one law for all runs', group: null as string | null };
    const picked = await vscode.window.showQuickPick([none, ...choices.groups.map((group) => ({ label: group, description: 'one law per value', group }))], {
      title: `Fit Scaling Law: group the runs of ${fileName}?`,
      placeHolder: 'Columns that could split the runs into groups, each with its own law',
      ignoreFocusOut: true,
    });
    if (picked?.group) patch.group = picked.group;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}
