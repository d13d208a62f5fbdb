/** A setting that does not fit the file, in the CLI's words: its flag, then what to type instead. */
import type { SettingError, SettingRemedy } from '../core/errors';

const REMEDY: Record<SettingRemedy, string> = {
  'filter-instead': '; use --filter COL=VALUE',
  'name-params-samples': ': name them with --params COL --samples COL',
  'all-or-pareto': ': use --frontier all or pareto',
};

export function settingErrorForCli(error: SettingError): string {
  return `--${error.setting}${error.value !== undefined ? ` ${error.value}` : ''}: ${error.problem}${error.remedy ? REMEDY[error.remedy] : ''}`;
}
