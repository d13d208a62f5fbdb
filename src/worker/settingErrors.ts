/**
 * A setting that does not fit the file, in the extension's words: the panel's control and what to choose there (it
 * is shown next to the controls, never in the Problems panel, and names no command-line flag).
 */
import type { SettingError, SettingName, SettingRemedy } from '../core/errors';

const CONTROL: Record<SettingName, string> = { task: 'Task', law: 'Law', frontier: 'Frontier', group: 'Group' };

const REMEDY: Record<SettingRemedy, string> = {
  'filter-instead': ': choose a file with a task column, or split the runs with Group',
  'name-params-samples': ': choose a compute law, or name the columns as "params" and "samples" in scaling-lens.json',
  'all-or-pareto': ': choose the all or pareto frontier',
};

export function settingErrorForPanel(error: SettingError): string {
  return `${CONTROL[error.setting]}${error.value !== undefined ? ` ${error.value}` : ''}: ${error.problem}${error.remedy ? REMEDY[error.remedy] : ''}`;
}
