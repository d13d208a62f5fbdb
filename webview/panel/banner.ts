/**
 * Caveats in view, above the plot: the settings notes (what was switched and why, with Reset to defaults) and a
 * compact warning banner — fit warnings, groups left unfitted, rows left out for bad cells — whose details open on
 * a click. Notes that change no number stay in the Notes section below.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { PlotModel } from '../../src/shared/protocol';
import { isCaveatNote } from '../shared/caveats';
import { el } from '../shared/dom';

export function settingsNotes(notes: string[], reset: () => void): HTMLElement | undefined {
  if (notes.length === 0) return undefined;
  const button = el('vscode-button', { secondary: '', id: 'reset-settings' }, 'Reset to defaults');
  button.addEventListener('click', reset);
  return el(
    'div',
    { class: 'settings-notes', role: 'status' },
    el('ul', {}, ...notes.map((n) => el('li', {}, n))),
    button,
  );
}

export function warningBanner(model: PlotModel, openLine: (line: number) => void): HTMLDetailsElement | undefined {
  const caveats = model.notes.filter(isCaveatNote);
  const problems = model.rowProblems;
  if (model.warnings.length === 0 && caveats.length === 0 && !problems) return undefined;
  const summary: string[] = [];
  if (problems) summary.push(`${problems.total} ${problems.total === 1 ? 'row' : 'rows'} left out`);
  const notFitted = caveats.filter((n) => /not fitted/.test(n)).length;
  if (notFitted > 0) summary.push(`${notFitted} ${notFitted === 1 ? 'group' : 'groups'} not fitted`);
  if (model.warnings.length > 0)
    summary.push(`${model.warnings.length} fit ${model.warnings.length === 1 ? 'warning' : 'warnings'}`);
  const otherCaveats = caveats.length - notFitted;
  if (otherCaveats > 0) summary.push(`${otherCaveats} ${otherCaveats === 1 ? 'note' : 'notes'} on left-out rows`);
  const opener = (line: number | undefined) => {
    if (line === undefined) return '';
    const button = el('button', { type: 'button', class: 'link' }, `line ${line}`);
    button.addEventListener('click', () => openLine(line));
    return button;
  };
  const items = [
    ...(problems?.shown ?? []).map((p) => el('li', {}, opener(p.line), `, column ${p.column}: ${p.message}`)),
    ...(problems && problems.total > problems.shown.length
      ? [el('li', {}, `… and ${problems.total - problems.shown.length} more (see the Problems panel)`)]
      : []),
    ...caveats.map((n) => el('li', {}, n)),
    ...model.warnings.map((w) =>
      el(
        'li',
        { class: `warning-${w.kind}` },
        `${w.group ? `${w.group}: ` : ''}${w.message}`,
        w.line !== undefined ? ' (' : '',
        opener(w.line),
        w.line !== undefined ? ')' : '',
      ),
    ),
  ];
  return el(
    'details',
    { class: 'banner', id: 'caveats' },
    el('summary', {}, el('span', { class: 'banner-icon', 'aria-hidden': 'true' }, '⚠'), ` ${summary.join(' · ')}`),
    el('ul', {}, ...items),
  );
}
