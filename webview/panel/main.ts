/**
 * The "Fit Scaling Law" panel, laid out around the plot: a one-line heading, one compact toolbar row of settings,
 * the caveats (settings notes, warning banner), the plot at 4:3 of the panel's width with its legend, then the
 * tables in collapsible sections. State (legend toggles, open sections, settings) survives reloads via setState.
 */
import type { Chart } from 'chart.js';
import { applySettingsChange } from '../../src/core/settingsRules';
import { countText } from '../../src/core/metricWording';
import type { ExportBackground, FitSettings, HostToWebview, PanelStatus, PlotModel } from '../../src/shared/protocol';
import { drawAllocation, drawCurves, drawFrontier, onThemeChange, themePlotColors, type FrontierChart } from '../shared/chart';
import { el } from '../shared/dom';
import { exportPng, exportSvg } from '../shared/exportImage';
import { renderLegend } from '../shared/legend';
import type { PlotView } from '../shared/plotData';
import { connect } from '../shared/vscodeApi';
import { settingsNotes, warningBanner } from './banner';
import { isCaveatNote } from '../shared/caveats';
import { frontierPointCount, frontierPointsTable, optimalSection, paramsTable, qualityTable } from './sections';
import { actionsMenu, toolbarControls, type PanelAction } from './toolbar';

interface SavedState {
  file?: string;
  settings?: FitSettings;
  /** Legend entries switched off. */
  hidden?: string[];
  /** Sections open. */
  open?: string[];
}

const app = document.getElementById('app')!;
const vscode = connect<SavedState>((message: HostToWebview) => {
  if (message.type === 'status') render(message.status);
  else if (message.type === 'exportRequest') exportFigure(message.format, message.background);
});
const saved = vscode.getState() ?? {};
const hidden = new Set(saved.hidden ?? []);
const open = new Set(saved.open ?? ['params']);
/** Notes of the last settings change made here (what else it switched), until the next change. */
let localNotes: string[] = [];
let localNotesFile: string | undefined;

function resetSettings(): void {
  localNotes = [];
  vscode.postMessage({ type: 'resetSettings' });
}

const save = (patch: Partial<SavedState>) => vscode.setState({ ...(vscode.getState() ?? {}), ...patch });
const openLine = (line: number) => vscode.postMessage({ type: 'revealLine', line });

/**
 * The ready view, kept between updates: a results file that grows by a row updates the chart in place and leaves
 * the controls (and the keyboard focus in them) alone unless the settings changed.
 */
interface ReadyView {
  heading: HTMLElement;
  actions: HTMLElement;
  toolbar: HTMLElement;
  toolbarKey: string;
  caveats: HTMLElement;
  frontier: FrontierChart;
  legend: HTMLElement;
  sections: Map<string, HTMLDetailsElement>;
  detailCharts: Chart<'line', { x: number; y: number }[]>[];
}

let view: ReadyView | undefined;
let shown: PanelStatus | undefined;

// A new theme: draw everything again in its colours.
onThemeChange(() => {
  if (!shown) return;
  replace();
  render(shown);
});

function plotView(): PlotView {
  return { hidden, compact: false };
}

function render(status: PanelStatus): void {
  // What to draw again on a theme change: the last result, not a transient "fitting" state.
  if (status.kind !== 'fitting') shown = status;
  if (status.kind === 'empty') return replace(el('p', { class: 'empty' }, status.message));
  if (status.kind === 'fitting' && view) return app.classList.add('busy');
  if (status.kind === 'fitting') return replace(el('p', { class: 'empty' }, `Fitting ${status.file.split(/[\\/]/).pop()}…`));
  if (status.kind === 'error') {
    save({ file: status.file });
    const reset = el('button', { type: 'button', class: 'link', id: 'reset-settings' }, 'reset the settings to their defaults');
    reset.addEventListener('click', resetSettings);
    return replace(
      el(
        'div',
        { class: 'error', role: 'alert' },
        el('h2', {}, 'The file could not be fitted'),
        el('p', { class: 'error-message' }, status.message),
        el('p', {}, 'Fix the file (its problems are in the Problems panel): the panel updates when it is saved. Or ', reset, '.'),
      ),
    );
  }
  save({ file: status.model.file, settings: status.settings });
  app.classList.remove('busy');
  const model = status.model;
  const current = view ?? createView(model);
  const change = (patch: Partial<FitSettings>) => {
    const next = applySettingsChange(status.settings, patch, { laws: status.choices.laws });
    localNotes = next.notes;
    localNotesFile = model.file;
    showCaveats(current, model, status.settingsNotes ?? []);
    vscode.postMessage({ type: 'settings', settings: next.settings });
  };
  const toolbarKey = JSON.stringify([status.settings, status.tasks, status.choices]);
  if (current.toolbarKey !== toolbarKey) {
    current.toolbar.replaceChildren(...toolbarControls(status.settings, status.tasks, status.choices, change));
    current.toolbarKey = toolbarKey;
  }
  const count = countText(model.trainingRuns ?? model.runs, model.trainingRuns === null ? null : model.runs);
  current.heading.replaceChildren(el('h2', { class: 'title', title: model.title }, model.title), el('span', { class: 'file', id: 'runs-count' }, `${count} · ${model.file.split(/[\\/]/).pop()}`), current.actions);
  showCaveats(current, model, status.settingsNotes ?? []);
  const canvas = current.frontier.chart.canvas;
  canvas.setAttribute('aria-label', `${model.yLabel} against ${model.xLabel}, log-log: ${model.formulas.map((f) => `${f.group} ${f.text}`).join('; ')}`);
  if (view) current.frontier.update(model, plotView());
  view = current;
  drawLegend(current);
  fillSections(current, model, status.settings);
}

function showCaveats(current: ReadyView, model: PlotModel, hostNotes: string[]): void {
  // A note of a change made here belongs to the file it was made on.
  if (localNotesFile !== model.file) localNotes = [];
  const notes = [...new Set([...localNotes, ...hostNotes])];
  const wasOpen = current.caveats.querySelector<HTMLDetailsElement>('details#caveats')?.open ?? false;
  const banner = warningBanner(model, openLine);
  if (banner && wasOpen) banner.open = true;
  current.caveats.replaceChildren(...[settingsNotes(notes, resetSettings), banner].filter((n): n is HTMLElement => n !== undefined));
}

function drawLegend(current: ReadyView): void {
  renderLegend(current.legend, current.frontier.data.legend, (key) => {
    if (hidden.has(key)) hidden.delete(key);
    else hidden.add(key);
    save({ hidden: [...hidden] });
    if (shown?.kind === 'ready') current.frontier.update(shown.model, plotView());
    drawLegend(current);
  });
}

const SECTIONS: [string, string][] = [
  ['params', 'Fitted laws and parameters'],
  ['quality', 'Fit quality and held-out extrapolation'],
  ['optimal', 'Compute-optimal configurations'],
  ['curves', 'Learning curves'],
  ['points', 'Fitted frontier points'],
  ['notes', 'Notes'],
];

function createView(model: PlotModel): ReadyView {
  const heading = el('header', { class: 'heading' });
  const toolbar = el('section', { class: 'toolbar', 'aria-label': 'Fit settings' });
  const caveats = el('div', { class: 'caveats' });
  const canvas = el('canvas', { id: 'frontier-plot', role: 'img' });
  const legend = el('div', { class: 'legend', role: 'group', 'aria-label': 'Legend: click an entry to show or hide it' });
  const hint = el('p', { class: 'hint' }, 'Click a run or fitted point to open its row in the results file.');
  const sections = new Map<string, HTMLDetailsElement>();
  for (const [id, title] of SECTIONS) {
    const details = el('details', { class: `section section-${id}${id === 'points' ? ' frontier-points' : ''}`, id: `section-${id}` }, el('summary', {}, title));
    details.open = open.has(id);
    details.addEventListener('toggle', () => {
      if (details.open) open.add(id);
      else open.delete(id);
      save({ open: [...open] });
    });
    sections.set(id, details);
  }
  replace(heading, toolbar, caveats, el('div', { class: 'plot frontier' }, canvas), legend, hint, ...sections.values());
  const frontier = drawFrontier(canvas, model, { compact: false, view: plotView(), colors: themePlotColors(), onPoint: openLine });
  return { heading, actions: actionsMenu(runAction), toolbar, toolbarKey: '', caveats, frontier, legend, sections, detailCharts: [] };
}

function fillSection(current: ReadyView, id: string, content: Node[], summary?: string): void {
  const details = current.sections.get(id)!;
  details.hidden = content.length === 0;
  const title = SECTIONS.find(([s]) => s === id)![1];
  details.replaceChildren(el('summary', {}, summary ? `${title} ${summary}` : title), el('div', { class: 'section-body' }, ...content));
}

function fillSections(current: ReadyView, model: PlotModel, settings: FitSettings): void {
  for (const chart of current.detailCharts) chart.destroy();
  current.detailCharts = [];
  const colors = themePlotColors();
  fillSection(current, 'params', [paramsTable(model)]);
  fillSection(current, 'quality', [qualityTable(model)]);
  fillSection(
    current,
    'optimal',
    optimalSection(model, settings, (budgets, budgetText) => vscode.postMessage({ type: 'settings', settings: { ...settings, budgets, budgetText } })),
    model.optimal.length > 0 ? `(${new Set(model.optimal.map((o) => o.compute)).size} budgets)` : undefined,
  );
  fillSection(current, 'curves', model.curves.length > 0 ? [el('div', { class: 'plot small' }, el('canvas', { id: 'curves-plot', role: 'img', 'aria-label': 'Learning curves: error against samples seen per run' }))] : []);
  fillSection(current, 'points', [frontierPointsTable(model, openLine)], `(${frontierPointCount(model)})`);
  const notes = model.notes.filter((n) => !isCaveatNote(n));
  fillSection(current, 'notes', notes.length > 0 ? [el('ul', { class: 'notes' }, ...notes.map((n) => el('li', {}, n)))] : [], `(${notes.length})`);
  const allocation = app.querySelector<HTMLCanvasElement>('#allocation-plot');
  const allocationChart = allocation && drawAllocation(allocation, model, colors);
  if (allocationChart) current.detailCharts.push(allocationChart);
  const curves = app.querySelector<HTMLCanvasElement>('#curves-plot');
  const curvesChart = curves && drawCurves(curves, model, colors);
  if (curvesChart) current.detailCharts.push(curvesChart);
}

function runAction(action: PanelAction): void {
  if (action === 'copyLatex' || action === 'copyMarkdown') vscode.postMessage({ type: 'copyLaw', format: action === 'copyLatex' ? 'latex' : 'markdown' });
  else if (action === 'resetSettings') resetSettings();
  else vscode.postMessage({ type: action });
}

/** "Export Plot" from the title bar: the figure drawn off screen and sent to the host to save. */
function exportFigure(format: 'png' | 'svg', background: ExportBackground): void {
  if (shown?.kind !== 'ready' || !view) return;
  const width = view.frontier.chart.canvas.clientWidth;
  try {
    if (format === 'png') vscode.postMessage({ type: 'exportPng', dataUrl: exportPng(shown.model, plotView(), background, width) });
    else vscode.postMessage({ type: 'exportSvg', svg: exportSvg(shown.model, plotView(), background, width) });
  } catch (error) {
    console.error('export failed', error);
  }
}

function replace(...nodes: Node[]): void {
  if (view) {
    for (const chart of [view.frontier.chart, ...view.detailCharts]) chart.destroy();
    view = undefined;
  }
  app.replaceChildren(...nodes);
}
