/**
 * Hover on a results CSV/TSV row: the law's prediction for that row with its 95% interval, the measured value and
 * the residual; on the header, the fitted laws. Rows of the current fit answer from the cached fit at once; rows
 * outside it (another task) get the law of their own task and group, fitted on demand in the worker and cached.
 */
import * as vscode from 'vscode';
import { predictAtLine } from '../core/hoverPrediction';
import { headerMarkdown, rowMarkdown, uncoveredMarkdown } from './hoverText';
import type { ResultsStore } from './resultsStore';
import type { RowFits } from './rowFits';

export const HOVER_SELECTOR: vscode.DocumentSelector = [
  { language: 'csv' },
  { language: 'tsv' },
  { pattern: '**/*.csv' },
  { pattern: '**/*.tsv' },
  { pattern: '**/*.jsonl' },
];

export class ResultsHoverProvider implements vscode.HoverProvider {
  constructor(
    private readonly store: ResultsStore,
    private readonly rowFits?: RowFits,
    /** Called when a prediction was shown (the walkthrough's "Hover a run" step is then done). */
    private readonly onShown?: () => void,
  ) {}

  provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token?: vscode.CancellationToken,
  ): vscode.Hover | Promise<vscode.Hover | undefined> | undefined {
    const file = document.uri.fsPath;
    const state = this.store.get(file);
    const line = position.line + 1;
    if (!state) return undefined;
    if (!state.outcome) {
      return state.problem
        ? new vscode.Hover(uncoveredMarkdown(state.problem.message))
        : new vscode.Hover('**Scaling Lens**: fitting…');
    }
    if (line === 1) return new vscode.Hover(headerMarkdown(state.outcome.model.formulas));
    const range = document.lineAt(position.line).range;
    const row = predictAtLine(state.outcome.hover, line);
    if (row) return this.shown(new vscode.Hover(rowMarkdown(row), range));
    if (!this.rowFits || document.lineAt(position.line).isEmptyOrWhitespace) return undefined;
    return this.rowFits.lawFor(file, line, token).then((law) => {
      if (!law || token?.isCancellationRequested) return undefined;
      if (!law.ok) return new vscode.Hover(uncoveredMarkdown(law.reason), range);
      const prediction = predictAtLine(law.model, line);
      return prediction
        ? this.shown(new vscode.Hover(rowMarkdown(prediction), range))
        : new vscode.Hover(uncoveredMarkdown('the law of this row cannot predict it (no finite prediction)'), range);
    });
  }

  private shown(hover: vscode.Hover): vscode.Hover {
    this.onShown?.();
    return hover;
  }
}
