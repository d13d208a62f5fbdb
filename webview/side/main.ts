/** Side view: compact frontier plot of the active results file, the current law, and a Fit button. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { Chart } from 'chart.js';
import type { HostToWebview, PanelStatus } from '../../src/shared/protocol';
import { drawPlot } from '../shared/chart';
import { custom, el } from '../shared/dom';
import { connect } from '../shared/vscodeApi';

const app = document.getElementById('app')!;
let chart: Chart | undefined;
const vscode = connect<Record<string, never>>((message: HostToWebview) => render(message.status));

function fitButton(): HTMLElement {
  const button = custom('vscode-button', { id: 'fit' }, 'Fit Scaling Law');
  button.addEventListener('click', () => vscode.postMessage({ type: 'fit' }));
  return button;
}

function render(status: PanelStatus): void {
  chart?.destroy();
  chart = undefined;
  if (status.kind === 'ready') {
    app.replaceChildren(
      el('div', { class: 'side-plot' }, el('canvas', { id: 'side-frontier', role: 'img', 'aria-label': 'Frontier plot' })),
      el('ul', { class: 'formulas' }, ...status.model.formulas.map((f) => el('li', { class: 'formula' }, el('strong', {}, `${f.group}: `), f.text))),
      el('p', { class: 'file' }, `${status.model.runs} runs · ${status.model.file.split(/[\\/]/).pop()}`),
      fitButton(),
    );
    chart = drawPlot(document.getElementById('side-frontier') as HTMLCanvasElement, status.model, undefined, true);
    return;
  }
  const text = status.kind === 'empty' ? status.message : status.kind === 'fitting' ? `Fitting ${status.file}…` : status.message;
  app.replaceChildren(el('p', { class: status.kind === 'error' ? 'error-message' : 'empty' }, text), fitButton());
}

vscode.postMessage({ type: 'ready' });
