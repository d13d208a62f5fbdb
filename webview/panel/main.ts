/** The "Fit Scaling Law" panel: settings controls, the frontier plot, fitted laws with intervals, notes. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import type { Chart } from 'chart.js';
import type { FitSettings, HostToWebview, PanelStatus, PlotModel } from '../../src/shared/protocol';
import { drawPlot } from '../shared/chart';
import { custom, el, formatValue } from '../shared/dom';
import { connect } from '../shared/vscodeApi';

interface SavedState {
  file?: string;
  settings?: FitSettings;
}

const app = document.getElementById('app')!;
let chart: Chart | undefined;
const vscode = connect<SavedState>((message: HostToWebview) => render(message.status));

function render(status: PanelStatus): void {
  if (status.kind === 'empty') return replace(el('p', { class: 'empty' }, status.message));
  if (status.kind === 'fitting' && chart) return app.classList.add('busy');
  if (status.kind === 'fitting') return replace(el('p', { class: 'empty' }, `Fitting ${status.file}…`));
  if (status.kind === 'error') {
    vscode.setState({ ...vscode.getState(), file: status.file });
    return replace(el('div', { class: 'error', role: 'alert' }, el('h2', {}, 'The fit could not run'), el('p', { class: 'error-message' }, status.message), el('p', {}, 'Fix the file (see the Problems panel); the panel updates when it is saved.')));
  }
  vscode.setState({ file: status.model.file, settings: status.settings });
  app.classList.remove('busy');
  replace(
    el('section', { class: 'toolbar' }, ...controls(status.settings, status.tasks)),
    el('h2', { class: 'title' }, status.model.title),
    el('ul', { class: 'formulas', 'aria-label': 'Fitted laws' }, ...status.model.formulas.map((f) => el('li', { class: f.converged ? 'formula' : 'formula not-converged' }, el('strong', {}, `${f.group}: `), f.text, f.converged ? '' : ' (did not converge)'))),
    el('div', { class: 'plot' }, el('canvas', { id: 'frontier-plot', role: 'img', 'aria-label': `Error versus compute, log-log: ${status.model.formulas.map((f) => `${f.group} ${f.text}`).join('; ')}` })),
    paramsTable(status.model),
    el('ul', { class: 'notes' }, ...status.model.notes.map((n) => el('li', {}, n))),
  );
  chart = drawPlot(document.getElementById('frontier-plot') as HTMLCanvasElement, status.model, undefined);
}

function controls(settings: FitSettings, tasks: string[]): HTMLElement[] {
  const send = (patch: Partial<FitSettings>) => vscode.postMessage({ type: 'settings', settings: { ...settings, ...patch } });
  const select = (label: string, id: string, value: string, options: [string, string][], onChange: (value: string) => void) => {
    const element = custom('vscode-single-select', { id, 'aria-label': label }, ...options.map(([v, text]) => custom('vscode-option', v === value ? { value: v, selected: '' } : { value: v }, text)));
    element.addEventListener('change', () => onChange((element as HTMLElement & { value: string }).value));
    return el('label', { class: 'control' }, el('span', {}, label), element);
  };
  const items: HTMLElement[] = [];
  if (tasks.length > 0) items.push(select('Task', 'task', settings.task ?? 'imagenet1k', tasks.map((t) => [t, t]), (task) => send({ task })));
  items.push(select('Law', 'law', settings.law, [['power', 'power  E = β·C^α'], ['saturating', 'saturating  E∞ + β·C^α'], ['joint', 'joint  E + A/N^α + B/D^β'], ['broken', 'broken power law']], (law) => send({ law: law as FitSettings['law'] })));
  items.push(select('Frontier', 'frontier', settings.frontier, [['default', 'default'], ['binned:5', 'binned:5 (paper)'], ['pareto', 'pareto'], ['all', 'all points']], (frontier) => send({ frontier })));
  const bootstrap = custom('vscode-checkbox', settings.bootstrap ? { id: 'bootstrap', checked: '', label: 'Bootstrap 95% band' } : { id: 'bootstrap', label: 'Bootstrap 95% band' });
  bootstrap.addEventListener('change', () => send({ bootstrap: (bootstrap as HTMLElement & { checked: boolean }).checked }));
  items.push(el('span', { class: 'control' }, bootstrap));
  const latex = custom('vscode-button', { secondary: '' }, 'Copy LaTeX');
  latex.addEventListener('click', () => vscode.postMessage({ type: 'copyLaw', format: 'latex' }));
  const markdown = custom('vscode-button', { secondary: '' }, 'Copy Markdown');
  markdown.addEventListener('click', () => vscode.postMessage({ type: 'copyLaw', format: 'markdown' }));
  items.push(el('span', { class: 'control buttons' }, latex, markdown));
  return items;
}

function paramsTable(model: PlotModel): HTMLElement {
  const head = el('tr', {}, el('th', {}, 'group'), el('th', {}, 'parameter'), el('th', {}, 'value'), el('th', {}, '95% interval'));
  const rows = model.params.map((p) => el('tr', {}, el('td', {}, p.group), el('td', {}, p.name), el('td', { class: 'num' }, formatValue(p.value)), el('td', { class: 'num' }, p.low === null || p.high === null ? '—' : `[${formatValue(p.low)}, ${formatValue(p.high)}]`)));
  return el('table', { class: 'params', 'aria-label': 'Fitted parameters' }, el('thead', {}, head), el('tbody', {}, ...rows));
}

function replace(...nodes: Node[]): void {
  chart?.destroy();
  chart = undefined;
  app.replaceChildren(...nodes);
}

vscode.postMessage({ type: 'ready' });
