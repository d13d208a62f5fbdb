/**
 * Completion of the walkthrough's steps by what the user did, not by opening the step: context keys the steps'
 * `completionEvents` wait for (`onContext:scalingLens.fitDone` …), set when a fit ran, a prediction was hovered,
 * an evaluation appended a row.
 */
import * as vscode from 'vscode';

export type WalkthroughEvent = 'fitDone' | 'hoverShown' | 'evalAppended';

const done = new Set<WalkthroughEvent>();

export function markStepDone(event: WalkthroughEvent): void {
  if (done.has(event)) return;
  done.add(event);
  void vscode.commands.executeCommand('setContext', `scalingLens.${event}`, true);
}
