/** In-host tests: the real VS Code API, the real extension, the example OpenCLIP results. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { formatNumber } from '../../src/core/format';
import { ResultsHoverProvider } from '../../src/extension/hover';
import { withTempDir } from '../unit/helpers/tempDir';
import { api, hoverText, recordMeasurement, waitFor, workspaceFile } from './helpers';

export function extensionSuite(): void {
  suite('Scaling Lens in VS Code', () => {
    const results = () => workspaceFile('openclip', 'zeroshot_results.csv');

    test("Fit Scaling Law opens the panel and fits the paper's ImageNet laws", async () => {
      const outcome = (await vscode.commands.executeCommand('scalingLens.fitScalingLaw', results())) as {
        ok: boolean;
        status?: string;
      };
      assert.equal(outcome.ok, true, JSON.stringify(outcome));
      const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
      const panelTab = tabs.find(
        (tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('scalingLens.panel'),
      );
      assert.ok(panelTab, `no Scaling Lens panel among tabs: ${tabs.map((t) => t.label).join(', ')}`);
      const { store } = await api();
      const state = store.get(results().fsPath);
      const formulas = state?.outcome?.model.formulas.map((f) => `${f.group}: ${f.text}`) ?? [];
      // Cherti et al. 2023 (PROVENANCE.md): LAION E = 5.86·C^−0.11, OpenAI CLIP-WIT E = 23.18·C^−0.16.
      assert.ok(
        formulas.some((f) => f.startsWith('LAION: E = 5.86·C^−0.111')),
        formulas.join(' | '),
      );
      assert.ok(
        formulas.some((f) => f.startsWith('CLIP-WIT: E = 23.2·C^−0.164')),
        formulas.join(' | '),
      );
    });

    test('hover on a results row shows predicted and measured accuracy', async () => {
      const document = await vscode.workspace.openTextDocument(results());
      await vscode.window.showTextDocument(document);
      // The ViT-H-14 LAION-2B 34B imagenet1k row: the paper's biggest LAION model.
      const line = findLine(document, (text) => text.startsWith('ViT-H-14,') && text.includes(',LAION-2B,imagenet1k,'));
      const hovers = (await vscode.commands.executeCommand(
        'vscode.executeHoverProvider',
        document.uri,
        new vscode.Position(line, 3),
      )) as vscode.Hover[];
      const text = hoverText(hovers);
      assert.match(text, /predicted/);
      assert.match(text, /measured/);
      const measured = Number(document.lineAt(line).text.split(',')[6]);
      // The one number formatter (3 significant figures) on every surface, the hover included.
      assert.ok(
        text.includes(`measured | ${formatNumber(measured)} |`),
        `measured acc1 ${formatNumber(measured)} not in hover:\n${text}`,
      );
      assert.match(text, /LAION/);
    });

    test('hover on the header shows the fitted law', async () => {
      const document = await vscode.workspace.openTextDocument(results());
      const hovers = (await vscode.commands.executeCommand(
        'vscode.executeHoverProvider',
        document.uri,
        new vscode.Position(0, 2),
      )) as vscode.Hover[];
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

    test('an outlying run is a warning at its row in the Problems panel, and its hover says so', async () => {
      const file = workspaceFile('outliers', 'runs_with_outlier.csv');
      const { store } = await api();
      const state = await store.fit(file.fsPath, { frontier: 'all', bootstrap: false });
      assert.ok(state.outcome, state.problem?.message);
      const diagnostics = await waitFor('an outlier warning', () => {
        const found = vscode.languages
          .getDiagnostics(file)
          .filter((d) => d.severity === vscode.DiagnosticSeverity.Warning);
        return found.length > 0 ? found : undefined;
      });
      // The generating script made run r15 (line 17) 1.6 times its law's loss.
      assert.deepEqual(
        diagnostics.map((d) => d.range.start.line),
        [16],
      );
      assert.match(diagnostics[0].message, /r15 \(line 17\) is far off the law/);
      const document = await vscode.workspace.openTextDocument(file);
      const text = hoverText(
        (await vscode.commands.executeCommand(
          'vscode.executeHoverProvider',
          document.uri,
          new vscode.Position(16, 2),
        )) as vscode.Hover[],
      );
      assert.match(text, /outlier: z = \d/);
      assert.match(text, /\(loss units\)/, 'a loss residual is not in pp');
    });

    test('files as researchers have them: CLIP_benchmark table, UTF-16, decimal commas, missing and bad cells — fits, notes and every left-out row in Problems', async () => {
      const { store } = await api();
      const fit = async (name: string, settings: Record<string, unknown> = {}) => {
        const state = await store.fit(workspaceFile('messy', name).fsPath, { bootstrap: false, ...settings });
        assert.ok(state.outcome, `${name}: ${state.problem?.message}`);
        return state.outcome;
      };
      // CLIP_benchmark's own table (real rows): epoch tags and a -quickgelu model, LAION vs OpenAI with no settings.
      const clip = await fit('clip_benchmark_results.csv');
      assert.deepEqual(clip.model.formulas.map((f) => f.group).sort(), ['CLIP-WIT', 'LAION']);
      assert.ok(
        clip.model.notes.some((n) => n.includes('laion400m_e32 = 32 epochs')),
        clip.model.notes.join(' | '),
      );
      assert.ok(
        clip.model.notes.some((n) => n.includes('ViT-B-32-quickgelu → ViT-B-32')),
        clip.model.notes.join(' | '),
      );
      // UTF-16 with BOM: "Café" and "Cafè" stay two groups.
      const utf16 = await fit('utf16_results.csv', { group: 'family' });
      assert.deepEqual(utf16.model.formulas.map((f) => f.group).sort(), ['Cafè', 'Café']);
      // ';'-separated with decimal commas.
      const semicolon = await fit('semicolon_results.csv');
      assert.equal(semicolon.model.runs, 6);
      // A missing compute cell (line 5) and a bad metric cell (line 7) are left out, a one-run group is not fitted.
      const messyFile = workspaceFile('messy', 'messy_results.csv');
      const messy = await fit('messy_results.csv', { group: 'family' });
      assert.deepEqual(
        messy.model.formulas.map((f) => f.group),
        ['a'],
      );
      assert.ok(
        messy.model.notes.some((n) => n.includes('1 row left out, no compute: no value in "flops" (line 5)')),
        messy.model.notes.join(' | '),
      );
      assert.ok(
        messy.model.notes.some((n) => n.includes('not fitted') && n.includes('"solo"')),
        messy.model.notes.join(' | '),
      );
      const diagnostics = await waitFor('the left-out rows in Problems', () => {
        const found = vscode.languages.getDiagnostics(messyFile);
        return found.length >= 2 ? found : undefined;
      });
      const bad = diagnostics.find((d) => d.severity === vscode.DiagnosticSeverity.Error);
      const skipped = diagnostics.find((d) => d.severity === vscode.DiagnosticSeverity.Information);
      assert.equal(bad?.range.start.line, 6, 'the bad cell is on line 7');
      assert.match(bad!.message, /"abc" in column "val_loss" is not a finite number/);
      assert.equal(skipped?.range.start.line, 4, 'the row without compute is on line 5');
      assert.match(skipped!.message, /left out of the fit, no compute/);
    });
  });
}

function findLine(document: vscode.TextDocument, match: (text: string) => boolean): number {
  for (let line = 0; line < document.lineCount; line++) if (match(document.lineAt(line).text)) return line;
  throw new Error('row not found');
}

export function liveSuite(): void {
  suite('Live results', () => {
    // Timings are recorded, not asserted (a test must pass with both cores busy): bench/latency.mjs measures them.
    test('a row appended by a training job appears in the fit with no manual refresh', async function () {
      const file = workspaceFile('openclip', 'zeroshot_results.csv');
      const { store } = await api();
      await vscode.commands.executeCommand('scalingLens.fitScalingLaw', file);
      const before = store.get(file.fsPath)!.outcome!.model.runs;
      const fs = await import('node:fs');
      // A new LAION ViT-B-32 run with 20B samples: appended as a training job would, without the editor.
      fs.appendFileSync(
        file.fsPath,
        'ViT-B-32,20000000000.0,148000000000.0,7.4,LAION-2B,imagenet1k,0.66,0.88,0.65,,,,zeroshot_classification,20B,appended-run.pt\n',
      );
      const started = Date.now();
      const runs = await waitFor(
        'the appended run in the fit',
        () => {
          const state = store.get(file.fsPath);
          return state?.outcome && state.outcome.model.runs === before + 1 ? state.outcome.model.runs : undefined;
        },
        60_000,
      );
      const elapsed = Date.now() - started;
      recordMeasurement(this, `appended run in the fit after ${elapsed} ms`);
      assert.equal(runs, before + 1);
    });

    test('a 100k-row results file: the host stays responsive while it is refitted, hovers answer from the cache', async function () {
      this.timeout(600_000);
      const fs = await import('node:fs');
      const file = workspaceFile('openclip', 'large_results.csv');
      fs.writeFileSync(file.fsPath, syntheticOpenClipResults(100_000));
      const { store } = await api();
      store.setActive(file.fsPath);
      await store.fit(file.fsPath, { bootstrap: false });
      // The watcher may refit the new file as well: wait for the settled fit of all rows.
      await waitFor(
        'the 100k-row fit',
        () => {
          const state = store.get(file.fsPath);
          if (state?.problem) throw new Error(state.problem.message);
          return state && !state.fitting && state.outcome?.model.runs === 100_000 ? true : undefined;
        },
        300_000,
      );
      // The extension host's event loop, sampled every 5 ms while the file (not open in an editor, as a training
      // job writes it) is refitted with bootstrap, grown by a row (superseding that refit) and fitted again.
      let longestGap = 0;
      let last = performance.now();
      const monitor = setInterval(() => {
        const now = performance.now();
        longestGap = Math.max(longestGap, now - last);
        last = now;
      }, 5);
      try {
        void store.fit(file.fsPath, { bootstrap: true });
        await new Promise((r) => setTimeout(r, 1500));
        fs.appendFileSync(
          file.fsPath,
          'ViT-B-32,20000000000.0,148000000000.0,7.4,LAION-2B,imagenet1k,0.66,zeroshot_classification,appended\n',
        );
        await waitFor(
          'the appended run in the 100k-row fit',
          () => (store.get(file.fsPath)?.outcome?.model.runs === 100_001 ? true : undefined),
          300_000,
        );
      } finally {
        clearInterval(monitor);
      }
      // Hovers answer from the cached fit, also while the worker is busy with a bootstrap of all 100k rows.
      const document = await vscode.workspace.openTextDocument(file);
      const hoverAt = async (line: number) => {
        const started = performance.now();
        const text = hoverText(
          (await vscode.commands.executeCommand(
            'vscode.executeHoverProvider',
            document.uri,
            new vscode.Position(line, 3),
          )) as vscode.Hover[],
        );
        return { text, ms: performance.now() - started };
      };
      await hoverAt(2);
      const refit = store.fit(file.fsPath, { bootstrap: true });
      const duringRefit = await hoverAt(50_000);
      const newRow = await hoverAt(100_001);
      // The provider itself (what the issue bounds at 20 ms), without the round trip through the workbench.
      const provider = new ResultsHoverProvider(store);
      const providerStarted = performance.now();
      // A row of the cached fit is answered synchronously (only rows outside the fit wait for the worker).
      const direct = provider.provideHover(document, new vscode.Position(75_000, 3)) as vscode.Hover | undefined;
      const providerMs = performance.now() - providerStarted;
      const refitState = store.get(file.fsPath)!;
      recordMeasurement(
        this,
        `100k rows: longest event-loop gap ${longestGap.toFixed(0)} ms; during a bootstrap refit: hover provider ${providerMs.toFixed(1)} ms, round trip ${duringRefit.ms.toFixed(0)} ms (appended row ${newRow.ms.toFixed(0)} ms)`,
      );
      // Off the host thread: both hovers were answered while the bootstrap refit of all 100k rows was still running.
      assert.ok(refitState.fitting, 'the hovers were answered while the refit was still running');
      assert.match(duringRefit.text, /predicted/);
      assert.match(newRow.text, /measured \| 0\.66 \|/, newRow.text);
      assert.match(hoverText(direct ? [direct] : []), /predicted/);
      await store.fit(file.fsPath, { bootstrap: false });
      await refit;
      fs.rmSync(file.fsPath);
    });

    test('files named in a scaling-lens.json are results files whatever their names, and are fitted as configured', async () => {
      const file = workspaceFile('configured', 'train_log.csv');
      const { store, resultFiles } = await api();
      assert.ok((await resultFiles()).includes(file.fsPath), 'train_log.csv matches no default glob, only the config');
      const outcome = (await vscode.commands.executeCommand('scalingLens.fitScalingLaw', file)) as { ok: boolean };
      assert.equal(outcome.ok, true);
      assert.match(store.get(file.fsPath)!.outcome!.model.title, /eval_loss/);
    });

    test('a row left out for a pretrained tag without samples seen has a Quick Fix that writes scaling-lens.json and brings it in', async () => {
      const file = workspaceFile('clip-tags', 'openclip_results.csv');
      const config = workspaceFile('clip-tags', 'scaling-lens.json');
      const fs = await import('node:fs');
      const { store } = await api();
      const before = await store.fit(file.fsPath, { bootstrap: false, group: null, frontier: 'all' });
      assert.ok(before.outcome, before.problem?.message);
      const left = await waitFor('the yfcc15m row in Problems', () =>
        vscode.languages.getDiagnostics(file).find((d) => /"yfcc15m" does not say/.test(d.message)),
      );
      assert.equal(left.range.start.line, 20, 'RN50 yfcc15m is on line 21');
      await vscode.workspace.openTextDocument(file);
      const row = new vscode.Range(left.range.start.line, 0, left.range.start.line, 1);
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        file,
        row,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => /samples seen for pretrained tag "yfcc15m"/.test(a.title));
      assert.ok(fix?.command, actions.map((a) => a.title).join(' | '));
      try {
        // The Quick Fix's own command and arguments, with the number the input box would ask for (32 epochs × 15M).
        const refit = new Promise<void>((resolve) => {
          const listener = store.onDidChange((state) => {
            if (
              state?.file === file.fsPath &&
              !state.fitting &&
              state.outcome &&
              !state.outcome.model.notes.some((n) => n.includes('"yfcc15m" does not say'))
            ) {
              listener.dispose();
              resolve();
            }
          });
        });
        const result = (await vscode.commands.executeCommand(fix.command.command, {
          ...fix.command.arguments![0],
          samples: 4.8e8,
        })) as { ok: boolean; config?: string };
        assert.equal(result.ok, true);
        assert.equal(result.config, config.fsPath);
        assert.deepEqual(JSON.parse(fs.readFileSync(config.fsPath, 'utf8')), {
          datasets: [{ file: 'openclip_results.csv', samplesSeen: { yfcc15m: 4.8e8 } }],
        });
        await refit;
        const after = store.get(file.fsPath)!.outcome!;
        assert.equal(after.model.runs, before.outcome.model.runs + 1, 'the yfcc15m run is fitted');
        assert.ok(
          after.model.notes.some((n) => n.includes('samples seen from scaling-lens.json for "yfcc15m" (4.8e8)')),
          after.model.notes.join(' | '),
        );
        await waitFor(
          'the yfcc15m problem gone',
          () => !vscode.languages.getDiagnostics(file).some((d) => /"yfcc15m" does not say/.test(d.message)),
        );
      } finally {
        fs.rmSync(config.fsPath, { force: true });
      }
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
      await waitFor(
        'the evaluated run in the fit',
        () => (store.get(runsFile.fsPath)?.outcome?.model.runs === before + 1 ? true : undefined),
        120_000,
      );
    });
  });
}

export function hostileFilesSuite(): void {
  suite('Hostile files', () => {
    test('a FIFO named arch_info.csv is a located problem, and the fit worker then fits another file', async () => {
      const fs = await import('node:fs');
      const { execFileSync } = await import('node:child_process');
      const folder = workspaceFile('fifo');
      fs.mkdirSync(folder.fsPath, { recursive: true });
      const results = vscode.Uri.joinPath(folder, 'zeroshot_results.csv');
      fs.copyFileSync(workspaceFile('openclip', 'zeroshot_results.csv').fsPath, results.fsPath);
      execFileSync('mkfifo', [vscode.Uri.joinPath(folder, 'arch_info.csv').fsPath]);
      const failed = (await vscode.commands.executeCommand('scalingLens.fitScalingLaw', results)) as {
        ok: boolean;
        problem?: { file: string; message: string };
      };
      assert.equal(failed.ok, false);
      assert.match(failed.problem!.file, /fifo\/arch_info\.csv$/);
      assert.match(failed.problem!.message, /named pipe \(FIFO\), not a regular file/);
      const next = (await vscode.commands.executeCommand(
        'scalingLens.fitScalingLaw',
        workspaceFile('openclip', 'zeroshot_results.csv'),
      )) as { ok: boolean };
      assert.equal(next.ok, true, 'the worker was not blocked by the FIFO');
      fs.rmSync(folder.fsPath, { recursive: true });
    });

    test('a scaling-lens.json join linking outside the workspace folder is refused at its line and column', async () => {
      const fs = await import('node:fs');
      const path = await import('node:path');
      const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
      await withTempDir(
        'scaling-lens-outside',
        async (outside) => {
          fs.writeFileSync(path.join(outside, 'arch.csv'), 'model,gmacs\nTOP-SECRET,1\n');
          const folder = path.join(root, 'escape');
          fs.mkdirSync(folder, { recursive: true });
          try {
            fs.symlinkSync(outside, path.join(folder, 'tables'));
            fs.writeFileSync(path.join(folder, 'runs_log.csv'), 'arch,samples,loss\nS,1e8,2\nS,1e9,1.5\n');
            const config =
              '{\n  "datasets": [\n    { "file": "runs_log.csv", "metric": "loss", "compute": "a:gmacs*samples",\n      "joins": [ { "column": "arch", "file": "tables/arch.csv", "key": "model", "as": "a" } ] }\n  ]\n}\n';
            fs.writeFileSync(path.join(folder, 'scaling-lens.json'), config);
            const outcome = (await vscode.commands.executeCommand(
              'scalingLens.fitScalingLaw',
              vscode.Uri.file(path.join(folder, 'runs_log.csv')),
            )) as { ok: boolean; problem?: { file: string; line: number; column: number; message: string } };
            assert.equal(outcome.ok, false);
            const problem = outcome.problem!;
            assert.equal(problem.file, path.join(folder, 'scaling-lens.json'));
            // Line 4 of the config; the column of the value "tables/arch.csv" (found here by searching the text).
            assert.deepEqual(
              [problem.line, problem.column],
              [4, config.split('\n')[3].indexOf('"tables/arch.csv"') + 1],
            );
            assert.match(problem.message, /is a link to .*outside/);
            assert.doesNotMatch(problem.message, /TOP-SECRET/);
          } finally {
            fs.rmSync(folder, { recursive: true, force: true });
          }
        },
        path.dirname(root),
      );
    });
  });
}

/** An OpenCLIP-style results file of `rows` runs on E = 5.86·C^−0.111 with multiplicative noise. */
function syntheticOpenClipResults(rows: number): string {
  const archs: [string, number][] = [
    ['ViT-B-32', 4.4],
    ['ViT-B-16', 14.8],
    ['ViT-L-14', 87.7],
    ['ViT-H-14', 191],
    ['ViT-g-14', 291],
  ];
  const lines = ['arch,samples_seen,gmacs_total,gmacs,upstream_dataset,downstream_dataset,acc1,task,name'];
  let seed = 1;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < rows; i++) {
    const [arch, gmacs] = archs[i % archs.length];
    const samples = 10 ** (9.3 + 1.3 * random());
    const error = 5.86 * (samples * gmacs) ** -0.111 * Math.exp(0.05 * random());
    lines.push(
      `${arch},${samples},${samples * gmacs},${gmacs},LAION-2B,imagenet1k,${(1 - error).toFixed(5)},zeroshot_classification,run-${i}`,
    );
  }
  return lines.join('\n') + '\n';
}
