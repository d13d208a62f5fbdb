/** Status bar item: the active law (`E = 5.86·C^−0.111 · 29 runs`) and whether a fit is running or failed. */
import * as vscode from 'vscode';
import type { ResultsStore } from './resultsStore';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('scalingLens.status', vscode.StatusBarAlignment.Left, 10);
  private readonly subscription: vscode.Disposable;

  constructor(private readonly store: ResultsStore) {
    this.item.name = 'Scaling Lens';
    this.item.command = 'scalingLens.fitScalingLaw';
    this.subscription = store.onDidChange(() => this.update());
  }

  private update(): void {
    const state = this.store.active;
    if (!state) return this.item.hide();
    if (state.fitting) this.item.text = `$(sync~spin) ${state.outcome?.statusText ?? 'Scaling Lens: fitting…'}`;
    else if (state.problem) this.item.text = '$(error) Scaling Lens: fit failed';
    else this.item.text = `$(graph-line) ${state.outcome?.statusText ?? ''}`;
    this.item.tooltip = state.problem ? state.problem.message : state.outcome?.headerLaw;
    this.item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
