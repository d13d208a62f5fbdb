/**
 * One step of a multi-step quick pick, as the VS Code UX guidelines describe them: a title with the step count
 * ("2/3" is drawn by VS Code from step/totalSteps), a Back button from the second step on, items that may still be
 * loading (the picker shows as busy), and items that run their own action (Browse…, New file…) instead of answering.
 */
import * as vscode from 'vscode';

export interface StepItem<T> extends vscode.QuickPickItem {
  /** The answer this item gives, or an action that finds it (a dialog); undefined from the action stays on the step. */
  value?: T;
  action?: () => Promise<T | undefined>;
}

export const BACK = Symbol('back');

export interface StepOptions<T> {
  title: string;
  step: number;
  totalSteps: number;
  placeholder: string;
  items: StepItem<T>[] | Promise<StepItem<T>[]>;
}

/** The picked value, BACK, or undefined when the user closed the picker. */
export async function pickStep<T>(options: StepOptions<T>): Promise<T | typeof BACK | undefined> {
  const pick = vscode.window.createQuickPick<StepItem<T>>();
  pick.title = options.title;
  pick.step = options.step;
  pick.totalSteps = options.totalSteps;
  pick.placeholder = options.placeholder;
  pick.matchOnDescription = true;
  // The panel or an editor taking the focus (a file opening) must not close a flow half done.
  pick.ignoreFocusOut = true;
  pick.buttons = options.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  pick.busy = true;
  pick.show();
  const disposables: vscode.Disposable[] = [];
  try {
    return await new Promise<T | typeof BACK | undefined>((resolve) => {
      let acting = false;
      disposables.push(
        pick.onDidTriggerButton((button) => button === vscode.QuickInputButtons.Back && resolve(BACK)),
        pick.onDidHide(() => !acting && resolve(undefined)),
        pick.onDidAccept(async () => {
          const item = pick.selectedItems[0];
          if (!item) return;
          if (!item.action) return resolve(item.value);
          acting = true;
          const value = await item.action();
          acting = false;
          if (value !== undefined) resolve(value);
          else pick.show();
        }),
      );
      void Promise.resolve(options.items).then((items) => {
        pick.items = items;
        pick.busy = false;
      });
    });
  } finally {
    for (const d of disposables) d.dispose();
    pick.dispose();
  }
}

/** Runs steps in order with Back support: each step gets the answers so far; undefined when the user cancelled. */
export async function runSteps<A>(
  steps: ((answers: Partial<A>) => Promise<Partial<A> | typeof BACK | undefined>)[],
): Promise<A | undefined> {
  const history: Partial<A>[] = [{}];
  let index = 0;
  while (index < steps.length) {
    const answer = await steps[index](history[index]);
    if (answer === undefined) return undefined;
    if (answer === BACK) {
      index = Math.max(0, index - 1);
      continue;
    }
    history[index + 1] = { ...history[index], ...answer };
    index++;
  }
  return history[steps.length] as A;
}
