/**
 * Hover on a results CSV/TSV row: the cached law's prediction for that row with its 95% interval, the measured
 * value and the residual; on the header, the fitted laws. Answers from the cache only, never waits on a fit.
 */
import * as vscode from 'vscode';
import { formatNumber } from '../core/format';
import { predictAtLine } from '../core/hoverPrediction';
import type { RowPrediction } from '../shared/protocol';
import type { ResultsStore } from './resultsStore';

export const HOVER_SELECTOR: vscode.DocumentSelector = [
  { language: 'csv' },
  { language: 'tsv' },
  { pattern: '**/*.csv' },
  { pattern: '**/*.tsv' },
  { pattern: '**/*.jsonl' },
];

export class ResultsHoverProvider implements vscode.HoverProvider {
  constructor(private readonly store: ResultsStore) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const state = this.store.get(document.uri.fsPath);
    const line = position.line + 1;
    if (!state) return undefined;
    if (!state.outcome) {
      return state.problem ? new vscode.Hover(`**Scaling Lens**: ${state.problem.message}`) : new vscode.Hover('**Scaling Lens**: fitting…');
    }
    if (line === 1) return new vscode.Hover(new vscode.MarkdownString(`**Scaling Lens** fitted law\n\n${state.outcome.model.formulas.map((f) => `- ${f.group}: \`${f.text}\``).join('\n')}`));
    const row = predictAtLine(state.outcome.hover, line);
    if (!row) return new vscode.Hover(`Scaling Lens: this row is not in the current fit (${state.outcome.model.title}).`);
    return new vscode.Hover(rowMarkdown(row), document.lineAt(position.line).range);
  }
}

function rowMarkdown(row: RowPrediction): vscode.MarkdownString {
  const show = (v: number) => (row.percent ? `${v.toFixed(2)}%` : v.toFixed(4));
  // Accuracy and error rates differ in percentage points; a loss in its own units.
  const difference = row.predictedMetric - row.measuredMetric;
  const residual = row.kind === 'loss' ? `${difference >= 0 ? '+' : '−'}${formatNumber(Math.abs(difference))} (loss units)` : `${difference * (row.percent ? 1 : 100) >= 0 ? '+' : '−'}${Math.abs(difference * (row.percent ? 1 : 100)).toFixed(2)} pp`;
  const interval = row.lowMetric !== null && row.highMetric !== null ? ` (95% CI ${show(row.lowMetric)} – ${show(row.highMetric)})` : '';
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**Scaling Lens** · ${row.group}\n\n`);
  md.appendMarkdown(`| | ${row.metric} |\n|---|---|\n`);
  md.appendMarkdown(`| predicted | ${show(row.predictedMetric)}${interval} |\n`);
  md.appendMarkdown(`| measured | ${show(row.measuredMetric)} |\n`);
  md.appendMarkdown(`| residual | ${residual} (predicted − measured) |\n\n`);
  md.appendMarkdown(`law: \`${row.law}\``);
  if (row.outlierZ !== null) md.appendMarkdown(`\n\n**outlier: z = ${formatNumber(row.outlierZ, 2)}** (robust z-score of the log residual from the law; beyond 3.5 flags a run far off the fit)`);
  return md;
}
