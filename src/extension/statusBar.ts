/**
 * Status bar item, on the right (it is about the active results file, not the whole workspace): every group's
 * exponent and the run count (`$(graph-line) LAION α −0.111 · CLIP-WIT α −0.164 · 32 runs`), a tooltip with each
 * group's law, and whether a fit is running or failed. Clicking it opens the panel.
 */
import * as vscode from 'vscode';
import { escapeMarkdown } from './markdown';
import { formatExponent } from '../core/format';
import { countText } from '../core/metricWording';
import type { PlotModel } from '../shared/protocol';
import type { ResultsStore } from './resultsStore';

/** Beyond this many groups the text counts laws instead of listing them (the tooltip lists all). */
const LISTED_GROUPS = 3;

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('scalingLens.status', vscode.StatusBarAlignment.Right, 100);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: ResultsStore) {
    this.item.name = 'Scaling Lens';
    this.item.command = 'scalingLens.fitScalingLaw';
    this.subscription = store.onDidChange(() => this.update());
  }

  private update(): void {
    const state = this.store.active;
    if (!state) return this.item.hide();
    const model = state.outcome?.model;
    const summary = model ? statusSummary(model) : 'Scaling Lens';
    if (state.fitting) this.item.text = `$(sync~spin) ${summary}`;
    else if (state.problem) this.item.text = '$(error) Scaling Lens: fit failed';
    else this.item.text = `$(graph-line) ${summary}`;
    this.item.tooltip = state.problem
      ? `Scaling Lens: ${state.problem.message}`
      : model
        ? statusTooltip(model, state.fitting)
        : 'Scaling Lens: fitting…';
    this.item.accessibilityInformation = {
      label: `Scaling Lens: ${state.problem ? 'fit failed' : summary}`,
      role: 'button',
    };
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}

/** `LAION α −0.111 · CLIP-WIT α −0.164 · 32 runs`: each group's exponent of compute (or its law), then the runs. */
export function statusSummary(model: PlotModel): string {
  const count = countText(model.trainingRuns ?? model.runs, model.trainingRuns === null ? null : model.runs);
  if (model.formulas.length > LISTED_GROUPS) return `${model.formulas.length} laws · ${count}`;
  const laws = model.formulas.map((f) => {
    const alpha = f.law !== 'joint' ? model.params.find((p) => p.group === f.group && p.name === 'alpha') : undefined;
    const law = alpha ? `α ${formatExponent(alpha.value)}` : f.law === 'joint' ? 'L(N, D)' : f.text;
    return model.formulas.length > 1 || f.group !== 'all runs' ? `${f.group} ${law}` : law;
  });
  return `${laws.join(' · ')} · ${count}`;
}

function statusTooltip(model: PlotModel, fitting: boolean): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`**Scaling Lens** · ${escapeMarkdown(model.title)}${fitting ? ' · refitting…' : ''}\n\n`);
  md.appendMarkdown('| group | law | runs | fitted points |\n|---|---|---|---|\n');
  for (const group of model.groups)
    md.appendMarkdown(
      `| ${escapeMarkdown(group.group)} | \`${group.formula}\` | ${group.nPoints} | ${group.nUsed} (${group.frontier}) |\n`,
    );
  md.appendMarkdown(`\n${escapeMarkdown(model.file.split(/[\\/]/).pop() ?? model.file)} · click to open the panel`);
  return md;
}
