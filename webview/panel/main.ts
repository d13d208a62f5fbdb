/** The "Fit Scaling Law" panel: settings controls, frontier / allocation / learning-curve plots, tables, notes. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { Chart } from 'chart.js';
import type { FitChoices, FitSettings, HostToWebview, PanelStatus, PlotModel } from '../../src/shared/protocol';
import { chartPng, drawAllocation, drawCurves, drawPlot, onThemeChange, updatePlot } from '../shared/chart';
import { custom, el, formatValue } from '../shared/dom';
import { connect } from '../shared/vscodeApi';

interface SavedState {
  file?: string;
  settings?: FitSettings;
}

const app = document.getElementById('app')!;
const vscode = connect<SavedState>((message: HostToWebview) => message.type === 'status' && render(message.status));

/**
 * The ready view, kept between updates: a results file that grows by a row updates the chart in place and leaves
 * the controls (and the keyboard focus in them) alone unless the settings changed.
 */
interface ReadyView {
  toolbar: HTMLElement;
  toolbarKey: string;
  heading: HTMLElement;
  frontier: Chart;
  budgets: HTMLElement;
  budgetsKey: string;
  /** Above the budget editor: parameters and fit quality. Below it: compute-optimal table, extra plots, notes. */
  tables: HTMLElement;
  below: HTMLElement;
  detailCharts: Chart[];
}

let view: ReadyView | undefined;
let shown: PanelStatus | undefined;

// A new theme: draw everything again in its colours.
onThemeChange(() => {
  if (!shown) return;
  replace();
  render(shown);
});

function render(status: PanelStatus): void {
  // What to draw again on a theme change: the last result, not a transient "fitting" state.
  if (status.kind !== 'fitting') shown = status;
  if (status.kind === 'empty') return replace(el('p', { class: 'empty' }, status.message));
  if (status.kind === 'fitting' && view) return app.classList.add('busy');
  if (status.kind === 'fitting') return replace(el('p', { class: 'empty' }, `Fitting ${status.file}…`));
  if (status.kind === 'error') {
    vscode.setState({ ...vscode.getState(), file: status.file });
    return replace(
      el('div', { class: 'error', role: 'alert' }, el('h2', {}, 'The fit could not run'), el('p', { class: 'error-message' }, status.message), el('p', {}, 'Fix the file (see the Problems panel); the panel updates when it is saved.')),
    );
  }
  vscode.setState({ file: status.model.file, settings: status.settings });
  app.classList.remove('busy');
  const model = status.model;
  const current = view ?? createView(model);
  const toolbarKey = JSON.stringify([status.settings, status.tasks, status.choices]);
  if (current.toolbarKey !== toolbarKey) {
    current.toolbar.replaceChildren(...controls(status.settings, status.tasks, status.choices));
    current.toolbarKey = toolbarKey;
  }
  const budgetsKey = JSON.stringify(status.settings);
  if (current.budgetsKey !== budgetsKey) {
    current.budgets.replaceChildren(budgetEditor(status.settings));
    current.budgetsKey = budgetsKey;
  }
  current.heading.replaceChildren(
    el('h2', { class: 'title' }, model.title),
    el('p', { class: 'file', id: 'runs-count' }, `${model.runs} runs · ${model.file.split(/[\\/]/).pop()}`),
    el('ul', { class: 'formulas', 'aria-label': 'Fitted laws' }, ...model.formulas.map((f) => el('li', { class: f.converged ? 'formula' : 'formula not-converged' }, el('strong', {}, `${f.group}: `), f.text, f.converged ? '' : ' (did not converge)'))),
  );
  const canvas = current.frontier.canvas;
  canvas.setAttribute('aria-label', `Error versus compute, log-log: ${model.formulas.map((f) => `${f.group} ${f.text}`).join('; ')}`);
  if (view) updatePlot(current.frontier, model);
  view = current;
  for (const chart of current.detailCharts) chart.destroy();
  const pointsOpen = current.tables.querySelector('details.frontier-points')?.hasAttribute('open') ?? false;
  current.tables.replaceChildren(frontierPoints(model, pointsOpen), el('h3', {}, 'Fitted parameters (95 % bootstrap intervals)'), paramsTable(model), el('h3', {}, 'Fit quality and held-out extrapolation'), qualityTable(model));
  current.detailCharts = [];
  const below = current.below;
  below.replaceChildren(optimalTable(model));
  if (model.optimal.length > 0) below.append(el('div', { class: 'plot small' }, el('canvas', { id: 'allocation-plot', role: 'img', 'aria-label': 'Compute-optimal parameters and samples against budget' })));
  if (model.curves.length > 0) below.append(el('h3', {}, 'Learning curves'), el('div', { class: 'plot' }, el('canvas', { id: 'curves-plot', role: 'img', 'aria-label': 'Learning curves: error against samples seen per run' })));
  below.append(el('ul', { class: 'notes' }, ...model.notes.map((n) => el('li', {}, n))));
  const allocation = below.querySelector<HTMLCanvasElement>('#allocation-plot');
  if (allocation) current.detailCharts.push(...[drawAllocation(allocation, model)].filter((c): c is Chart => c !== undefined));
  const curves = below.querySelector<HTMLCanvasElement>('#curves-plot');
  if (curves) current.detailCharts.push(...[drawCurves(curves, model)].filter((c): c is Chart => c !== undefined));
}

function createView(model: PlotModel): ReadyView {
  const toolbar = el('section', { class: 'toolbar', 'aria-label': 'Fit settings' });
  const heading = el('div', {});
  const canvas = el('canvas', { id: 'frontier-plot', role: 'img' });
  const tables = el('div', {});
  const budgets = el('div', {});
  const below = el('div', {});
  const hint = el('p', { class: 'hint' }, 'Click a run or frontier point to open its row in the results file.');
  replace(toolbar, heading, el('div', { class: 'plot' }, canvas), hint, tables, el('h3', {}, 'Compute-optimal configurations'), budgets, below);
  const frontier = drawPlot(canvas, model, false, (line) => vscode.postMessage({ type: 'revealLine', line }));
  return { toolbar, toolbarKey: '', heading, frontier, budgets, budgetsKey: '', tables, below, detailCharts: [] };
}

function button(label: string, onClick: () => void, attrs: Record<string, string> = { secondary: '' }): HTMLElement {
  const element = custom('vscode-button', attrs, label);
  element.addEventListener('click', onClick);
  return element;
}

/** Value of the Group select for "fit all runs as one group" (a column cannot have an empty name). */
const NO_GROUP = '';

function controls(settings: FitSettings, tasks: string[], choices: FitChoices): HTMLElement[] {
  const send = (patch: Partial<FitSettings>) => vscode.postMessage({ type: 'settings', settings: { ...settings, ...patch } });
  const select = (label: string, id: string, value: string, options: [string, string][], onChange: (value: string) => void) => {
    const element = custom('vscode-single-select', { id, 'aria-label': label }, ...options.map(([v, text]) => custom('vscode-option', v === value ? { value: v, selected: '' } : { value: v }, text)));
    element.addEventListener('change', () => onChange((element as HTMLElement & { value: string }).value));
    return el('label', { class: 'control' }, el('span', {}, label), element);
  };
  const items: HTMLElement[] = [];
  if (tasks.length > 0) items.push(select('Task', 'task', settings.task ?? (tasks.includes('imagenet1k') ? 'imagenet1k' : tasks[0]), tasks.map((t) => [t, t]), (task) => send({ task, metric: undefined })));
  if (choices.metrics.length > 1) items.push(select('Metric', 'metric', choices.metric, choices.metrics.map((m) => [m, m]), (metric) => send({ metric })));
  if (choices.groups.length > 0) {
    const options: [string, string][] = [[NO_GROUP, 'none (one law for all runs)'], ...choices.groups.map((g): [string, string] => [g, g])];
    items.push(select('Group by', 'group', choices.group ?? NO_GROUP, options, (group) => send({ group: group === NO_GROUP ? null : group })));
  }
  items.push(select('Law', 'law', settings.law, [['power', 'power  E = β·C^α'], ['saturating', 'saturating  E∞ + β·C^α'], ['joint', 'joint  E + A/N^α + B/D^β'], ['broken', 'broken power law']], (law) => send({ law: law as FitSettings['law'] })));
  items.push(select('Frontier', 'frontier', settings.frontier, [['default', 'default'], ['binned:5', 'binned:5 (paper)'], ['pareto', 'pareto'], ['all', 'all points']], (frontier) => send({ frontier })));
  const bootstrap = custom('vscode-checkbox', settings.bootstrap ? { id: 'bootstrap', checked: '', label: 'Bootstrap 95% band' } : { id: 'bootstrap', label: 'Bootstrap 95% band' });
  bootstrap.addEventListener('change', () => send({ bootstrap: (bootstrap as HTMLElement & { checked: boolean }).checked }));
  items.push(el('span', { class: 'control' }, bootstrap));
  items.push(
    el(
      'span',
      { class: 'control buttons' },
      button('Copy LaTeX', () => vscode.postMessage({ type: 'copyLaw', format: 'latex' })),
      button('Copy Markdown', () => vscode.postMessage({ type: 'copyLaw', format: 'markdown' })),
      button('Export PNG', () => {
        const canvas = document.getElementById('frontier-plot') as HTMLCanvasElement | null;
        if (canvas) vscode.postMessage({ type: 'exportPng', dataUrl: chartPng(canvas) });
      }),
      button('Save summary JSON', () => vscode.postMessage({ type: 'saveSummary' })),
    ),
  );
  return items;
}

/** Budgets as an editable comma-separated list (e.g. `1e12, 1e13, 1e14`); invalid entries are shown, not sent. */
function budgetEditor(settings: FitSettings): HTMLElement {
  const field = custom('vscode-textfield', { id: 'budgets', 'aria-label': 'Compute budgets', placeholder: 'budgets, e.g. 1e12, 1e13, 1e14', value: settings.budgets.map((b) => b.toExponential()).join(', ') });
  const hint = el('span', { class: 'hint', role: 'status' }, 'Enter compute budgets in the unit of the compute column, separated by commas; press Enter.');
  field.addEventListener('change', () => {
    const text = (field as HTMLElement & { value: string }).value;
    const parts = text.split(/[,\s]+/).filter(Boolean);
    const budgets = parts.map(Number);
    const bad = parts.filter((_, i) => !(budgets[i] > 0 && Number.isFinite(budgets[i])));
    if (bad.length > 0 || budgets.length > 20) {
      hint.textContent = bad.length > 0 ? `Not a positive number: ${bad.join(', ')}` : 'At most 20 budgets.';
      hint.classList.add('error-message');
      return;
    }
    vscode.postMessage({ type: 'settings', settings: { ...settings, budgets: budgets.sort((a, b) => a - b) } });
  });
  return el('div', { class: 'budgets' }, field, hint);
}

function table(label: string, headers: string[], rows: (string | number | null)[][]): HTMLElement {
  return el(
    'table',
    { class: 'params', 'aria-label': label },
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, ...rows.map((row) => el('tr', {}, ...row.map((cell) => el('td', { class: typeof cell === 'number' || cell === null ? 'num' : '' }, typeof cell === 'number' || cell === null ? formatValue(cell) : cell))))),
  );
}

function paramsTable(model: PlotModel): HTMLElement {
  return table('Fitted parameters', ['group', 'parameter', 'value', '95% interval'], model.params.map((p) => [p.group, p.name, p.value, p.low === null || p.high === null ? '—' : `[${formatValue(p.low)}, ${formatValue(p.high)}]`]));
}

/** The fitted points as a table, each with a button that opens its row: the plot's data for keyboard and screen readers. */
function frontierPoints(model: PlotModel, open: boolean): HTMLElement {
  const rows = model.series.filter((s) => s.kind === 'frontier').flatMap((s) => s.points.map((p) => ({ group: s.group, ...p })));
  const body = el(
    'tbody',
    {},
    ...rows.map((p) => {
      const open = p.line === undefined ? el('span', {}, '—') : button(`Open line ${p.line}`, () => vscode.postMessage({ type: 'revealLine', line: p.line! }));
      return el('tr', {}, el('td', {}, p.group), el('td', { class: 'num' }, formatValue(p.x)), el('td', { class: 'num' }, formatValue(p.y)), el('td', {}, open));
    }),
  );
  const table = el('table', { class: 'params', 'aria-label': 'Fitted frontier points' }, el('thead', {}, el('tr', {}, ...['group', 'compute C', 'error E', 'row'].map((h) => el('th', {}, h)))), body);
  return el('details', open ? { class: 'frontier-points', open: '' } : { class: 'frontier-points' }, el('summary', {}, `Fitted frontier points (${rows.length})`), table);
}

function qualityTable(model: PlotModel): HTMLElement {
  return table(
    'Fit quality',
    ['group', 'frontier', 'runs', 'points fitted', 'rmse log10 E', 'converged', 'held-out (top 20 % of compute)'],
    model.groups.map((g) => [
      g.group,
      g.frontier,
      g.nPoints,
      g.nUsed,
      g.rmseLog10,
      g.converged ? 'yes' : `no: ${g.reason}`,
      !g.holdout ? '—' : g.holdout.maePp === null ? `${g.holdout.nHeldout} runs held out, none on the frontier` : `MAE ${formatValue(g.holdout.maePp)} pp over ${g.holdout.nEvaluated} frontier runs`,
    ]),
  );
}

function optimalTable(model: PlotModel): HTMLElement {
  if (model.optimal.length === 0) return el('p', { class: 'empty' }, 'Add budgets above to predict compute-optimal configurations (needs parameters and samples per run).');
  return table(
    'Compute-optimal configurations',
    ['group', 'budget C', 'N_opt', 'D_opt', 'predicted E', '95% interval', 'nearest real configuration', 'its E'],
    model.optimal.map((o) => [
      o.group,
      o.compute,
      o.params,
      o.samples,
      o.error,
      o.errorLow === null || o.errorHigh === null ? '—' : `[${formatValue(o.errorLow)}, ${formatValue(o.errorHigh)}]`,
      o.nearest ? `${o.nearest.arch} × ${formatValue(o.nearest.samples)} samples` : '—',
      o.nearest ? o.nearest.error : null,
    ]),
  );
}

function replace(...nodes: Node[]): void {
  if (view) {
    for (const chart of [view.frontier, ...view.detailCharts]) chart.destroy();
    view = undefined;
  }
  app.replaceChildren(...nodes);
}

