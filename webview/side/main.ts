/**
 * Side view "Frontier": a compact frontier plot of the active results file, its laws (colour-keyed), the run count
 * and its caveats, wrapped to the view's width. The files are listed by the native "Results Files" tree beside it.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { countText } from '../../src/core/metricWording';
import { assertNever } from '../../src/shared/assertNever';
import {
  parseHostToSideView,
  type HostToSideView,
  type PanelStatus,
  type PlotModel,
  type SideViewToHost,
} from '../../src/shared/protocol';
import { drawFrontier, onThemeChange, themePlotColors, type FrontierChart } from '../shared/chart';
import { el } from '../shared/dom';
import { renderLegend } from '../shared/legend';
import type { PlotColors, PlotView } from '../shared/plotData';
import { connect } from '../shared/vscodeApi';
import { isCaveatNote } from '../shared/caveats';

const app = document.getElementById('app')!;
const vscode = connect<Record<string, never>, SideViewToHost, HostToSideView>(parseHostToSideView, (message) => {
  switch (message.type) {
    case 'initialState':
    case 'status':
      return render(message.status);
    default:
      return assertNever(message, (text) => console.warn(`Scaling Lens side view: ${text}`));
  }
});

const hidden = new Set<string>();
const plotView = (): PlotView => ({ hidden, compact: true });

function buttons(): HTMLElement {
  const fit = el('vscode-button', { id: 'fit' }, 'Fit Scaling Law');
  fit.addEventListener('click', () => vscode.postMessage({ type: 'fit' }));
  const evaluate = el('vscode-button', { id: 'evaluate', secondary: '' }, 'Evaluate…');
  evaluate.addEventListener('click', () => vscode.postMessage({ type: 'evaluate' }));
  return el('div', { class: 'control buttons' }, fit, evaluate);
}

/**
 * The view, made once: the compact plot's canvas (its chart drawn on the first result and then updated in place,
 * kept but hidden while a fit runs or fails), its legend and summary, and the message shown instead of them.
 */
interface SideView {
  plot: HTMLElement;
  canvas: HTMLCanvasElement;
  frontier: FrontierChart | undefined;
  legend: HTMLElement;
  summary: HTMLElement;
  message: HTMLElement;
}

const view: SideView = (() => {
  const canvas = el('canvas', { id: 'side-frontier', role: 'img', 'aria-label': 'Frontier plot' });
  const plot = el('div', { class: 'side-plot' }, canvas);
  const legend = el('div', {
    class: 'legend compact',
    role: 'group',
    'aria-label': 'Laws: click one to show or hide its group',
  });
  return { plot, canvas, frontier: undefined, legend, summary: el('div', {}), message: el('div', {}) };
})();
let shown: PanelStatus | undefined;

// A new theme: draw the plot again in its colours, updated in place.
onThemeChange(() => {
  if (!shown) return;
  if (shown.kind === 'ready') view.frontier?.recolor(sideColors(), shown.model);
  render(shown);
});

function sideColors(): PlotColors {
  return themePlotColors('--vscode-sideBar-background');
}

function drawLegend(frontier: FrontierChart): void {
  renderLegend(
    view.legend,
    frontier.data.legend.filter((e) => e.section === 'groups'),
    (key) => {
      if (hidden.has(key)) hidden.delete(key);
      else hidden.add(key);
      if (shown?.kind === 'ready') frontier.update(shown.model, plotView());
      drawLegend(frontier);
    },
    { compact: true },
  );
}

function summary(model: PlotModel): HTMLElement[] {
  const count = countText(model.trainingRuns ?? model.runs, model.trainingRuns === null ? null : model.runs);
  const caveats = [
    ...(model.rowProblems ? [`${model.rowProblems.total} rows left out for bad cells (see Problems)`] : []),
    ...model.notes.filter(isCaveatNote),
    ...model.warnings.map((w) => `${w.group ? `${w.group}: ` : ''}${w.message}`),
  ];
  return [
    el('p', { class: 'file' }, `${count} · ${model.file.split(/[\\/]/).pop()}`),
    ...(caveats.length > 0 ? [el('ul', { class: 'side-caveats' }, ...caveats.map((c) => el('li', {}, c)))] : []),
  ];
}

/** Shows the plot and its text, or the message instead of them (the plot's nodes stay, hidden). */
function showPlot(ready: boolean): void {
  if (!app.contains(view.plot)) app.replaceChildren(view.plot, view.legend, view.summary, view.message);
  for (const node of [view.plot, view.legend, view.summary]) node.hidden = !ready;
  view.message.hidden = ready;
}

function render(status: PanelStatus): void {
  shown = status;
  if (status.kind === 'ready') {
    const model = status.model;
    showPlot(true);
    view.message.replaceChildren();
    if (!view.frontier)
      view.frontier = drawFrontier(view.canvas, model, {
        compact: true,
        view: plotView(),
        colors: sideColors(),
        onPoint: (line) => vscode.postMessage({ type: 'revealLine', line }),
      });
    else view.frontier.update(model, plotView());
    drawLegend(view.frontier);
    view.summary.replaceChildren(...summary(model));
    return;
  }
  showPlot(false);
  const text =
    status.kind === 'empty'
      ? status.message
      : status.kind === 'fitting'
        ? `Fitting ${status.file.split(/[\\/]/).pop()}…`
        : status.message;
  view.message.replaceChildren(
    el('p', { class: status.kind === 'error' ? 'error-message' : 'empty' }, text),
    buttons(),
  );
}
