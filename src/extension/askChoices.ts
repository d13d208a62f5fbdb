/**
 * "Fit Scaling Law" on a file of no known layout: the reader guessed the metric among several columns, and left runs
 * ungrouped although a column could group them; and a metric whose name does not say whether higher is better was
 * fitted on a guess. Ask, as quick picks, with the guess first; Escape keeps the guess (and the fit keeps its warning).
 * The panel opening beside takes the focus as it loads: the picks must not close when they lose it.
 */
import * as vscode from 'vscode';
import { directionFromName } from '../core/schema/metric';
import type { FitChoices, FitSettings } from '../shared/protocol';

/** `layout`: ask metric and grouping (a file read by guesswork, not answered before); the direction is asked whenever it was guessed. */
export async function askWhenAmbiguous(choices: FitChoices, fileName: string, layout = true): Promise<Partial<FitSettings> | undefined> {
  const patch: Partial<FitSettings> = {};
  if (layout && choices.metricAmbiguous) {
    const picked = await vscode.window.showQuickPick(
      choices.metrics.map((metric, i) => ({ label: metric, description: i === 0 ? 'detected' : undefined })),
      { title: `Fit Scaling Law: which metric of ${fileName}?`, placeHolder: 'The file has several metric columns; the law is fitted to the error of the one you pick', ignoreFocusOut: true },
    );
    if (picked && picked.label !== choices.metric) patch.metric = picked.label;
  }
  const metric = patch.metric ?? choices.metric;
  // A metric picked just now is asked about unless its name says; the fitted one, if its direction was a guess.
  const unstated = patch.metric ? directionFromName(metric) === undefined : choices.directionAmbiguous === true;
  if (unstated) {
    const guess = patch.metric ? 'higher' : (choices.direction ?? 'higher');
    const options = [
      { label: 'Higher is better', description: `a score such as accuracy: error E = 1 − ${metric}`, direction: 'higher' as const },
      { label: 'Lower is better', description: `a loss or error: E = ${metric}`, direction: 'lower' as const },
    ].sort((a, b) => (a.direction === guess ? -1 : b.direction === guess ? 1 : 0));
    if (!patch.metric) options[0].description += ' (guessed from its values)';
    const picked = await vscode.window.showQuickPick(options, {
      title: `Fit Scaling Law: is a higher or a lower ${metric} better?`,
      placeHolder: `The name "${metric}" does not say; the answer is remembered for ${fileName}`,
      ignoreFocusOut: true,
    });
    if (picked) patch.direction = picked.direction;
  }
  if (layout && choices.groupAmbiguous) {
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
