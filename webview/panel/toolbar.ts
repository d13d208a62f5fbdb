/**
 * The panel's settings as one compact toolbar row that wraps: task (a combobox filtered by typing: the OpenCLIP file
 * has 41), metric, grouping, law and frontier. A law offers only the frontiers it supports; a change that would
 * conflict switches the other setting, and the caller shows why.
 */
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-context-menu/index.js';
import { frontierChoices, LAW_LABELS, type LawName } from '../../src/core/settingsRules';
import type { FitChoices, FitSettings } from '../../src/shared/protocol';
import { el } from '../shared/dom';

/** Value of the Group select for "fit all runs as one group" (a column cannot have an empty name). */
const NO_GROUP = '';
const ALL_LAWS: LawName[] = ['power', 'saturating', 'joint', 'broken', 'broken2'];

export function toolbarControls(
  settings: FitSettings,
  tasks: string[],
  choices: FitChoices,
  change: (patch: Partial<FitSettings>) => void,
): HTMLElement[] {
  const items: HTMLElement[] = [];
  if (tasks.length > 0) {
    const task = settings.task ?? (tasks.includes('imagenet1k') ? 'imagenet1k' : tasks[0]);
    items.push(
      select(
        'Task',
        'task',
        task,
        tasks.map((t) => [t, t]),
        (value) => value !== task && change({ task: value }),
        true,
      ),
    );
  }
  if (choices.metrics.length > 1)
    items.push(
      select(
        'Metric',
        'metric',
        choices.metric,
        choices.metrics.map((m) => [m, m]),
        (metric) => change({ metric }),
      ),
    );
  if (choices.groups.length > 0) {
    const options: [string, string][] = [
      [NO_GROUP, 'none (one law)'],
      ...choices.groups.map((g): [string, string] => [g, g]),
    ];
    items.push(
      select('Group by', 'group', choices.group ?? NO_GROUP, options, (group) =>
        change({ group: group === NO_GROUP ? null : group }),
      ),
    );
  }
  const laws = choices.laws ?? ALL_LAWS;
  items.push(
    select(
      'Law',
      'law',
      settings.law,
      ALL_LAWS.filter((l) => laws.includes(l) || l === settings.law).map((l) => [l, l, LAW_LABELS[l]]),
      (law) => change({ law: law as LawName }),
    ),
  );
  items.push(
    select('Frontier', 'frontier', settings.frontier, frontierChoices(settings.law, settings.frontier), (frontier) =>
      change({ frontier }),
    ),
  );
  return items;
}

/** Options as [value, label, description?]: the description shows in the open list only, keeping the select narrow. */
type Option = [string, string] | [string, string, string];

export type PanelAction = 'exportPlot' | 'copyLatex' | 'copyMarkdown' | 'saveSummary' | 'resetSettings';

const ACTIONS: { label: string; value: PanelAction }[] = [
  { label: 'Export plot (PNG at 2×, SVG)…', value: 'exportPlot' },
  { label: 'Copy law as LaTeX', value: 'copyLatex' },
  { label: 'Copy law as Markdown', value: 'copyMarkdown' },
  { label: 'Save fit summary (JSON)', value: 'saveSummary' },
  { label: 'Reset settings to defaults', value: 'resetSettings' },
];

/**
 * The panel's actions in an overflow menu at the end of the toolbar (the same commands are in the panel's title bar
 * while it has the focus).
 */
export function actionsMenu(run: (action: PanelAction) => void): HTMLElement {
  const button = el(
    'button',
    {
      type: 'button',
      id: 'actions',
      class: 'icon-button',
      'aria-haspopup': 'menu',
      'aria-label': 'More actions: export, copy, save, reset',
      title: 'More actions: export plot, copy law, save summary, reset settings',
    },
    '⋯',
  );
  const menu = el('vscode-context-menu', { id: 'actions-menu', class: 'actions-menu' });
  menu.data = ACTIONS;
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    menu.show = !menu.show;
  });
  menu.addEventListener('vsc-context-menu-select', (event) =>
    run((event as CustomEvent<{ value: PanelAction }>).detail.value),
  );
  return el('span', { class: 'actions' }, button, menu);
}

function select(
  label: string,
  id: string,
  value: string,
  options: Option[],
  onChange: (value: string) => void,
  combobox = false,
): HTMLElement {
  const attrs: Record<string, string> = { id, 'aria-label': label, label };
  if (combobox) Object.assign(attrs, { combobox: '', filter: 'contains' });
  const option = ([v, text, description]: Option) =>
    el(
      'vscode-option',
      { value: v, ...(v === value ? { selected: '' } : {}), ...(description ? { description } : {}) },
      text,
    );
  const element = el('vscode-single-select', attrs, ...options.map(option));
  element.addEventListener('change', () => {
    const picked = element.value;
    // A combobox also reports a change when its typed filter matched nothing: keep the shown value then.
    if (options.some(([v]) => v === picked)) onChange(picked);
  });
  return el('label', { class: `control control-${id}` }, el('span', { class: 'control-label' }, label), element);
}
