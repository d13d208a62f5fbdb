/**
 * "Fit Scaling Law" on a file of no known layout: the reader guessed the metric among several columns, and left runs
 * ungrouped although a column could group them. Ask, as quick-pick steps counted in the title (1/2, 2/2), with the
 * guess first; Escape keeps the guess. The panel opening beside takes the focus as it loads: the picks must not
 * close when they lose it.
 */
import type { FitChoices, FitSettings } from '../shared/protocol';
import { BACK, pickStep, runSteps, type StepItem } from './quickSteps';

type Question = (step: number, total: number) => Promise<Partial<FitSettings> | typeof BACK | undefined>;

export async function askWhenAmbiguous(choices: FitChoices, fileName: string): Promise<Partial<FitSettings> | undefined> {
  const questions: Question[] = [];
  if (choices.metricAmbiguous) {
    questions.push(async (step, total) => {
      const items: StepItem<string>[] = choices.metrics.map((metric, i) => ({ label: metric, description: i === 0 ? 'detected' : undefined, value: metric }));
      const picked = await pickStep({ title: `Fit Scaling Law: which metric of ${fileName}?`, step, totalSteps: total, placeholder: 'The file has several metric columns; the law is fitted to the error of the one you pick', items });
      return picked === undefined || picked === BACK ? picked : picked !== choices.metric ? { metric: picked } : {};
    });
  }
  if (choices.groupAmbiguous) {
    questions.push(async (step, total) => {
      const items: StepItem<string | null>[] = [
        { label: 'No grouping', description: 'one law for all runs', value: null },
        ...choices.groups.map((group) => ({ label: group, description: 'one law per value', value: group })),
      ];
      const picked = await pickStep({ title: `Fit Scaling Law: group the runs of ${fileName}?`, step, totalSteps: total, placeholder: 'Columns that could split the runs into groups, each with its own law', items });
      return picked === undefined || picked === BACK ? picked : picked !== null ? { group: picked } : {};
    });
  }
  if (questions.length === 0) return undefined;
  // Escape on a question keeps the guesses (nothing is changed), as before.
  const answers = await runSteps<Partial<FitSettings>>(questions.map((ask, i) => () => ask(i + 1, questions.length)));
  return answers && Object.keys(answers).length > 0 ? answers : undefined;
}
