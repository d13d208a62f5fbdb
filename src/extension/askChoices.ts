/**
 * "Fit Scaling Law" on a file of no known layout: the reader guessed the metric among several columns, and left runs
 * ungrouped although a column could group them; and a metric whose name does not say whether higher is better was
 * fitted on a guess. Ask, as quick-pick steps counted in the title (1/3, 2/3, 3/3), with the guess first; Escape
 * keeps the guesses (and the fit keeps its warning). The panel opening beside takes the focus as it loads: the
 * picks must not close when they lose it.
 */
import { directionFromName } from '../core/schema/metric';
import type { FitChoices, FitSettings } from '../shared/protocol';
import { BACK, pickStep, runSteps, type StepItem } from './quickSteps';

type Question = (
  answers: Partial<FitSettings>,
  step: number,
  total: number,
) => Promise<Partial<FitSettings> | typeof BACK | undefined>;

/** `layout`: ask metric and grouping (a file read by guesswork, not answered before); the direction is asked whenever it was guessed. */
export async function askWhenAmbiguous(
  choices: FitChoices,
  fileName: string,
  layout = true,
): Promise<Partial<FitSettings> | undefined> {
  const questions: Question[] = [];
  const askMetric = layout && choices.metricAmbiguous;
  if (askMetric) {
    questions.push(async (_answers, step, total) => {
      const items: StepItem<string>[] = choices.metrics.map((metric, i) => ({
        label: metric,
        description: i === 0 ? 'detected' : undefined,
        value: metric,
      }));
      const picked = await pickStep({
        title: `Fit Scaling Law: which metric of ${fileName}?`,
        step,
        totalSteps: total,
        placeholder: 'The file has several metric columns; the law is fitted to the error of the one you pick',
        items,
      });
      return picked === undefined || picked === BACK ? picked : picked !== choices.metric ? { metric: picked } : {};
    });
  }
  // The fitted metric's direction was a guess, or a metric the user may pick has a name that does not say it.
  if (choices.directionAmbiguous || (askMetric && choices.metrics.some((m) => directionFromName(m) === undefined))) {
    questions.push(async (answers, step, total) => {
      const metric = answers.metric ?? choices.metric;
      const unstated = answers.metric ? directionFromName(metric) === undefined : choices.directionAmbiguous === true;
      if (!unstated) return {};
      const guess = answers.metric ? 'higher' : (choices.direction ?? 'higher');
      const items: StepItem<'higher' | 'lower'>[] = [
        {
          label: 'Higher is better',
          description: `a score such as accuracy: error E = 1 − ${metric}`,
          value: 'higher' as const,
        },
        { label: 'Lower is better', description: `a loss or error: E = ${metric}`, value: 'lower' as const },
      ].sort((a, b) => (a.value === guess ? -1 : b.value === guess ? 1 : 0));
      if (!answers.metric) items[0].description += ' (guessed from its values)';
      const picked = await pickStep({
        title: `Fit Scaling Law: is a higher or a lower ${metric} better?`,
        step,
        totalSteps: total,
        placeholder: `The name "${metric}" does not say; the answer is remembered for ${fileName}`,
        items,
      });
      return picked === undefined || picked === BACK ? picked : { direction: picked };
    });
  }
  if (layout && choices.groupAmbiguous) {
    questions.push(async (_answers, step, total) => {
      const items: StepItem<string | null>[] = [
        { label: 'No grouping', description: 'one law for all runs', value: null },
        ...choices.groups.map((group) => ({ label: group, description: 'one law per value', value: group })),
      ];
      const picked = await pickStep({
        title: `Fit Scaling Law: group the runs of ${fileName}?`,
        step,
        totalSteps: total,
        placeholder: 'Columns that could split the runs into groups, each with its own law',
        items,
      });
      return picked === undefined || picked === BACK ? picked : picked !== null ? { group: picked } : {};
    });
  }
  if (questions.length === 0) return undefined;
  // Escape on a question keeps the guesses (nothing is changed), as before.
  const answers = await runSteps<Partial<FitSettings>>(
    questions.map((ask, i) => (so) => ask(so, i + 1, questions.length)),
  );
  return answers && Object.keys(answers).length > 0 ? answers : undefined;
}
