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

export function liveSuite(): void {
  suite('Live results', () => {
    test('a row appended by a training job appears in the fit within 1 s, with no manual refresh', async () => {
      const file = workspaceFile('openclip', 'zeroshot_results.csv');
      const { store } = await api();
      await vscode.commands.executeCommand('scalingLens.fitScalingLaw', file);
      const before = store.get(file.fsPath)!.outcome!.model.runs;
      const fs = await import('node:fs');
      // A new LAION ViT-B-32 run with 20B samples: appended as a training job would, without the editor.
      fs.appendFileSync(file.fsPath, 'ViT-B-32,20000000000.0,148000000000.0,7.4,LAION-2B,imagenet1k,0.66,0.88,0.65,,,,zeroshot_classification,20B,appended-run.pt\n');
      const started = Date.now();
      const runs = await waitFor('the appended run in the fit', () => {
        const state = store.get(file.fsPath);
        return state?.outcome && state.outcome.model.runs === before + 1 ? state.outcome.model.runs : undefined;
      }, 5000);
      const elapsed = Date.now() - started;
      assert.equal(runs, before + 1);
      assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    });

    test('evaluating the clip-shapes S checkpoint through the command appends a row and the fit gains a point', async () => {
      const runsFile = workspaceFile('clip-shapes', 'runs.csv');
      const { store } = await api();
      await vscode.commands.executeCommand('scalingLens.fitScalingLaw', runsFile);
      const before = store.get(runsFile.fsPath)!.outcome!.model.runs;
      const linesBefore = (await vscode.workspace.fs.readFile(runsFile)).toString().trim().split('\n').length;
      const result = (await vscode.commands.executeCommand('scalingLens.evaluateCheckpoint', {
        model: workspaceFile('clip-shapes', 'models', 'shapes_S_u256000_s4000000').fsPath,
        data: workspaceFile('clip-shapes', 'evalset').fsPath,
        out: runsFile.fsPath,
      })) as { ok: boolean; message: string; row?: Record<string, unknown> };
      assert.equal(result.ok, true, result.message);
      assert.equal(Number(result.row?.zs_top1).toFixed(3), '0.873', 'the known answer of the data README');
      const linesAfter = (await vscode.workspace.fs.readFile(runsFile)).toString().trim().split('\n').length;
      assert.equal(linesAfter, linesBefore + 1);
      await waitFor('the evaluated run in the fit', () => (store.get(runsFile.fsPath)?.outcome?.model.runs === before + 1 ? true : undefined), 5000);
    });
  });
}
