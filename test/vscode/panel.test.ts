/** In-host tests of issue #12's host side: settings problems stay out of Problems; a hover on another task's row. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, hoverText, waitFor, workspaceFile } from './helpers';

export function panelSuite(): void {
  suite('Panel companions', () => {
    test('a law the file has no columns for is a settings problem: no Problems entry, the last fit kept, a note', async () => {
      const file = workspaceFile('configured', 'train_log.csv');
      const { store } = await api();
      const first = (await vscode.commands.executeCommand('scalingLens.fitScalingLaw', file)) as { ok: boolean };
      assert.equal(first.ok, true);
      const formula = store.get(file.fsPath)!.outcome!.model.formulas[0].text;
      // train_log.csv has no parameter or sample counts: the joint law cannot be fitted to it.
      const state = await store.fit(file.fsPath, { law: 'joint', frontier: 'all' });
      assert.equal(state.problem, undefined, 'not a problem of the file');
      assert.equal(state.settings.law, 'power', 'back on the settings that fitted');
      assert.equal(state.outcome?.model.formulas[0].text, formula, 'the last fit is still shown');
      assert.match(state.settingsNotes.join(' '), /could not be fitted.*joint/);
      assert.deepEqual(vscode.languages.getDiagnostics(file), [], 'nothing in the Problems panel');
    });

    test("a hover on a row of another task shows the prediction of that task's own law", async function () {
      this.timeout(120_000);
      const file = workspaceFile('openclip', 'zeroshot_results.csv');
      const { store } = await api();
      await vscode.commands.executeCommand('scalingLens.fitScalingLaw', file);
      await waitFor('the final fit', () => (store.get(file.fsPath)?.fitting === false ? true : undefined), 60_000);
      const document = await vscode.workspace.openTextDocument(file);
      let line = -1;
      for (let i = 0; i < document.lineCount && line < 0; i++)
        if (document.lineAt(i).text.includes(',LAION-2B,imagenet_robustness,')) line = i;
      assert.ok(line > 0);
      const hovers = (await vscode.commands.executeCommand(
        'vscode.executeHoverProvider',
        document.uri,
        new vscode.Position(line, 3),
      )) as vscode.Hover[];
      // The Markdown source escapes the file's text (imagenet\_robustness): compare what is rendered.
      const text = hoverText(hovers).replace(/\\(.)/g, '$1');
      assert.match(text, /predicted/);
      assert.match(text, /imagenet_robustness/);
      assert.match(text, /LAION/);
    });
  });
}
