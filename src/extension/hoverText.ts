/** The hover's text for one row (prediction, interval, measured, residual, law) and for a row no law covers. */
import * as vscode from 'vscode';
import { escapeMarkdown } from './markdown';
import { formatNumber } from '../core/format';
import { formatMetricDifference, formatMetricValue } from '../core/metricWording';
import type { RowPrediction } from '../shared/protocol';

export function rowMarkdown(row: RowPrediction): vscode.MarkdownString {
  const show = (v: number) => formatMetricValue(row.percent, v);
  const interval =
    row.lowMetric !== null && row.highMetric !== null
      ? ` (95 % interval ${show(row.lowMetric)} – ${show(row.highMetric)})`
      : '';
  const residual = formatMetricDifference(row.metricKind, row.percent, row.predictedMetric - row.measuredMetric, {
    signed: true,
  });
  const md = new vscode.MarkdownString();
  md.appendMarkdown(
    `**Scaling Lens** · ${escapeMarkdown(row.group)}${row.task ? ` · ${escapeMarkdown(row.task)}` : ''}\n\n`,
  );
  md.appendMarkdown(`| | ${escapeMarkdown(row.metric)} |\n|---|---|\n`);
  md.appendMarkdown(`| predicted | ${show(row.predictedMetric)}${interval} |\n`);
  md.appendMarkdown(`| measured | ${show(row.measuredMetric)} |\n`);
  md.appendMarkdown(`| residual | ${residual} (predicted − measured) |\n\n`);
  md.appendMarkdown(`law: \`${row.law}\` (${row.group}${row.task ? `, ${escapeMarkdown(row.task)}` : ''})`);
  if (row.outlierZ !== null)
    md.appendMarkdown(
      `\n\n**outlier: z = ${formatNumber(row.outlierZ, 2)}** (robust z-score of the log residual from the law; beyond 3.5 flags a run far off the fit)`,
    );
  return md;
}

/** A row no law covers, in one line that says why. */
export function uncoveredMarkdown(reason: string): vscode.MarkdownString {
  return new vscode.MarkdownString(`**Scaling Lens**: ${escapeMarkdown(reason)}`);
}

export function headerMarkdown(formulas: { group: string; text: string }[]): vscode.MarkdownString {
  return new vscode.MarkdownString(
    `**Scaling Lens** fitted law\n\n${formulas.map((f) => `- ${escapeMarkdown(f.group)}: \`${f.text}\``).join('\n')}`,
  );
}
