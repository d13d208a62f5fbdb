/** In-host tests: the real VS Code API, the real extension, the example OpenCLIP results. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { api, hoverText, waitFor, workspaceFile } from './helpers';

export function extensionSuite(): void {
  suite('Scaling Lens in VS Code', () => {
    const results = () => workspaceFile('openclip', 'zeroshot_results.csv');

    test('Fit Scaling Law opens the panel and fits the paper\'s ImageNet laws', async () => {
      const outcome = (await vscode.commands.executeCommand('scalingLens.fitScalingLaw', results())) as { ok: boolean; status?: string };
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
      const panelTab = tabs.find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('scalingLens.panel'));
      assert.ok(panelTab, `no Scaling Lens panel among tabs: ${tabs.map((t) => t.label).join(', ')}`);
      const { store } = await api();
      const state = store.get(results().fsPath);
      const formulas = state?.outcome?.model.formulas.map((f) => `${f.group}: ${f.text}`) ?? [];
      // Cherti et al. 2023 (PROVENANCE.md): LAION E = 5.86·C^−0.11, OpenAI CLIP-WIT E = 23.18·C^−0.16.
      assert.ok(formulas.some((f) => f.startsWith('LAION: E = 5.86·C^−0.111')), formulas.join(' | '));
      assert.ok(formulas.some((f) => f.startsWith('CLIP-WIT: E = 23.2·C^−0.164')), formulas.join(' | '));
    });

    test('hover on a results row shows predicted and measured accuracy', async () => {
      const document = await vscode.workspace.openTextDocument(results());
      await vscode.window.showTextDocument(document);
      // The ViT-H-14 LAION-2B 34B imagenet1k row: the paper's biggest LAION model.
      const line = findLine(document, (text) => text.startsWith('ViT-H-14,') && text.includes(',LAION-2B,imagenet1k,'));
      const hovers = (await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, new vscode.Position(line, 3))) as vscode.Hover[];
      const text = hoverText(hovers);
      assert.match(text, /predicted/);
      assert.match(text, /measured/);
      const measured = Number(document.lineAt(line).text.split(',')[6]);
      assert.ok(text.includes(measured.toFixed(4)), `measured acc1 ${measured.toFixed(4)} not in hover:\n${text}`);
      assert.match(text, /LAION/);
    });

    test('hover on the header shows the fitted law', async () => {
      const document = await vscode.workspace.openTextDocument(results());
      const hovers = (await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, new vscode.Position(0, 2))) as vscode.Hover[];
      assert.match(hoverText(hovers), /E = 5\.86·C\^−0\.111/);
    });

    test('a malformed results file puts a located diagnostic in the Problems panel', async () => {
      const bad = workspaceFile('bad', 'nonnumeric_results.csv');
      const outcome = (await vscode.commands.executeCommand('scalingLens.fitScalingLaw', bad)) as { ok: boolean };
      assert.equal(outcome.ok, false);
      const diagnostics = await waitFor('a diagnostic', () => {
        const found = vscode.languages.getDiagnostics(bad);
        return found.length > 0 ? found : undefined;
      });
      assert.equal(diagnostics[0].range.start.line, 2, 'the bad cell is on line 3');
      assert.match(diagnostics[0].message, /not a finite number/);
    });
  });
}

function findLine(document: vscode.TextDocument, match: (text: string) => boolean): number {
  for (let line = 0; line < document.lineCount; line++) if (match(document.lineAt(line).text)) return line;
  throw new Error('row not found');
}
