/** Side view: compact frontier plot of the active results file, the current law, watched files, Fit / Evaluate. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { Chart } from 'chart.js';
import type { HostToWebview, PanelStatus, WatchedFile } from '../../src/shared/protocol';
import { drawPlot, onThemeChange, updatePlot } from '../shared/chart';
import { custom, el } from '../shared/dom';
import { connect } from '../shared/vscodeApi';

const app = document.getElementById('app')!;
const vscode = connect<Record<string, never>>((message: HostToWebview) => {
  if (message.type === 'files') return showFiles(message.files);
  render(message.status, message.files ?? []);
});

/** A new file list with the plot unchanged. */
function showFiles(files: WatchedFile[]): void {
  if (!shown) return;
  shown = { ...shown, files };
  if (view) view.files.replaceChildren(fileList(files));
  else render(shown.status, files);
}

function buttons(): HTMLElement {
  const fit = custom('vscode-button', { id: 'fit' }, 'Fit Scaling Law');
  fit.addEventListener('click', () => vscode.postMessage({ type: 'fit' }));
  const evaluate = custom('vscode-button', { id: 'evaluate', secondary: '' }, 'Evaluate…');
  evaluate.addEventListener('click', () => vscode.postMessage({ type: 'evaluate' }));
  return el('div', { class: 'control buttons' }, fit, evaluate);
}

function fileList(files: WatchedFile[]): HTMLElement {
  if (files.length === 0) return el('p', { class: 'empty' }, 'No results files in this workspace yet.');
  return el(
    'ul',
    { class: 'files', 'aria-label': 'Watched results files' },
    ...files.map((file, index) => {
      const detail = file.state === 'fitted' ? `${file.runs} runs` : file.state === 'error' ? `error: ${file.problem}` : file.state;
      const link = el('a', { href: '#', class: file.active ? 'file active' : 'file', title: `Fit ${file.name}` }, file.name);
      link.addEventListener('click', (event) => {
        event.preventDefault();
        vscode.postMessage({ type: 'fitFile', index });
      });
      return el('li', { class: `state-${file.state.replace(' ', '-')}` }, link, el('span', { class: 'detail' }, ` · ${detail}`));
    }),
  );
}

/** The compact plot is kept between updates and redrawn in place; the text around it is small and rebuilt. */
interface ReadyView {
  chart: Chart;
  summary: HTMLElement;
  files: HTMLElement;
}

let view: ReadyView | undefined;
let shown: { status: PanelStatus; files: WatchedFile[] } | undefined;

// A new theme: draw the plot again in its colours.
onThemeChange(() => {
  if (!shown) return;
  view?.chart.destroy();
  view = undefined;
  render(shown.status, shown.files);
});

function render(status: PanelStatus, files: WatchedFile[]): void {
  shown = { status, files };
  if (status.kind === 'ready') {
    const model = status.model;
    if (!view) {
      const canvas = el('canvas', { id: 'side-frontier', role: 'img', 'aria-label': 'Frontier plot' });
      const summary = el('div', {});
      const list = el('div', {});
      app.replaceChildren(el('div', { class: 'side-plot' }, canvas), summary, buttons(), el('h3', {}, 'Results files'), list);
      view = { chart: drawPlot(canvas, model, true, (line) => vscode.postMessage({ type: 'revealLine', line })), summary, files: list };
    } else updatePlot(view.chart, model, true);
    view.summary.replaceChildren(
      el('ul', { class: 'formulas' }, ...model.formulas.map((f) => el('li', { class: 'formula' }, el('strong', {}, `${f.group}: `), f.text))),
      el('p', { class: 'file' }, `${model.runs} runs · ${model.file.split(/[\\/]/).pop()}`),
    );
    view.files.replaceChildren(fileList(files));
    return;
  }
  view?.chart.destroy();
  view = undefined;
  const text = status.kind === 'empty' ? status.message : status.kind === 'fitting' ? `Fitting ${status.file}…` : status.message;
  app.replaceChildren(el('p', { class: status.kind === 'error' ? 'error-message' : 'empty' }, text), buttons(), el('h3', {}, 'Results files'), fileList(files));
}
