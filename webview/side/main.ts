/** Side view: compact frontier plot of the active results file, the current law, watched files, Fit / Evaluate. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { Chart } from 'chart.js';
import type { HostToWebview, PanelStatus, WatchedFile } from '../../src/shared/protocol';
import { drawPlot } from '../shared/chart';
import { custom, el } from '../shared/dom';
import { connect } from '../shared/vscodeApi';

const app = document.getElementById('app')!;
let chart: Chart | undefined;
const vscode = connect<Record<string, never>>((message: HostToWebview) => render(message.status, message.files ?? []));

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

function render(status: PanelStatus, files: WatchedFile[]): void {
  chart?.destroy();
  chart = undefined;
  if (status.kind === 'ready') {
    app.replaceChildren(
      el('div', { class: 'side-plot' }, el('canvas', { id: 'side-frontier', role: 'img', 'aria-label': 'Frontier plot' })),
      el('ul', { class: 'formulas' }, ...status.model.formulas.map((f) => el('li', { class: 'formula' }, el('strong', {}, `${f.group}: `), f.text))),
      el('p', { class: 'file' }, `${status.model.runs} runs · ${status.model.file.split(/[\\/]/).pop()}`),
      buttons(),
      el('h3', {}, 'Results files'),
      fileList(files),
    );
    chart = drawPlot(document.getElementById('side-frontier') as HTMLCanvasElement, status.model, undefined, true);
    return;
  }
  const text = status.kind === 'empty' ? status.message : status.kind === 'fitting' ? `Fitting ${status.file}…` : status.message;
  app.replaceChildren(el('p', { class: status.kind === 'error' ? 'error-message' : 'empty' }, text), buttons(), el('h3', {}, 'Results files'), fileList(files));
}

