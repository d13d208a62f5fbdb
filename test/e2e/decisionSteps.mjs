// e2e steps of the decision sections (issue #13): each opens its section on a bundled example, checks the numbers
// it shows against the CLI's --json output for the same file (the CLI is the independent path: same analysis, no
// webview, no worker), and takes a screenshot of the section. Run by scripts/run-e2e.mjs through its `step` wrapper.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { drawnFraction, pickIfAsked, quickOpen, runCommand, webviewFrame } from './steps.mjs';

/** The panel's resamples: the CLI runs with as many (`--bootstrap 200`), so intervals and p-values are the same draws. */
const PANEL_BOOTSTRAP = '200';

/** The CLI's --json output for a workspace file. */
function cli(repo, file, flags) {
  const out = execFileSync(
    process.execPath,
    [path.join(repo, 'bin', 'scaling-lens.js'), 'fit', file, ...flags, '--json'],
    { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return JSON.parse(out);
}

/** A number as the panel shows it (3 significant figures, U+2212 minus, `1e12`). */
export function shownNumber(text) {
  const value = Number(
    String(text)
      .trim()
      .replace(/\u2212/g, '-'),
  );
  if (!Number.isFinite(value)) throw new Error(`not a number: "${text}"`);
  return value;
}

/** `[a, b]` as the panel shows it. */
function shownInterval(text) {
  const match = /\[([^,\]]+), ([^\]]+)\]/.exec(text);
  if (!match) throw new Error(`no interval in "${text}"`);
  return [match[1], match[2]];
}

/** The panel's number agrees with the CLI's to its shown precision (`digits` significant figures). */
function agree(what, shown, exact, digits = 3) {
  const value = typeof shown === 'number' ? shown : shownNumber(shown);
  const tolerance = 0.51 * 10 ** (Math.floor(Math.log10(Math.abs(exact) || 1)) - digits + 1);
  if (!(Math.abs(value - exact) <= tolerance)) throw new Error(`${what}: the panel shows ${shown}, the CLI ${exact}`);
}

function agreeInterval(what, text, exact, digits = 3) {
  if (!exact) {
    if (text.trim() !== '—') throw new Error(`${what}: the panel shows ${text}, the CLI no interval`);
    return;
  }
  const [low, high] = shownInterval(text);
  agree(`${what} low`, low, exact[0], digits);
  agree(`${what} high`, high, exact[1], digits);
}

/** The mouse off the editor and the keyboard on the workbench, as panelSteps' steps start. */
async function neutral(page) {
  await page.keyboard.press('Escape');
  if ((await page.locator('.tab').count()) > 0) await page.locator('.tab').first().click();
  await page.mouse.move(5, page.viewportSize().height - 5);
}

/** Opens a workspace file and fits it in the panel, back on the default settings. */
async function fitInPanel(page, relative, ready) {
  await neutral(page);
  await quickOpen(page, relative);
  await runCommand(page, 'Fit Scaling Law');
  await pickIfAsked(page, relative);
  const panel = await webviewFrame(page, 'panel');
  await panel.waitForSelector('canvas#frontier-plot', { timeout: 120_000 });
  await panel.locator('#actions').click();
  await panel.getByText('Reset settings to defaults', { exact: true }).click();
  await panel.waitForFunction(ready, null, { timeout: 120_000 });
  return panel;
}

/** The OpenCLIP results on the default settings: the ImageNet task, the paper's laws. */
function openClipPanel(page) {
  return fitInPanel(
    page,
    'openclip/zeroshot_results.csv',
    () =>
      /imagenet1k/.test(document.querySelector('.title')?.textContent ?? '') &&
      [...document.querySelectorAll('.formula')].some((f) => f.textContent.startsWith('LAION: E = 5.86')),
  );
}

async function openSection(panel, id) {
  await panel.waitForSelector(`#section-${id}:not([hidden])`, { timeout: 120_000 });
  if (!(await panel.$eval(`#section-${id}`, (d) => d.open))) await panel.locator(`#section-${id} > summary`).click();
}

/** Cells of a table's body rows, by its aria-label. */
function tableCells(panel, label) {
  return panel.$$eval(`table[aria-label="${label}"] tbody tr`, (rows) =>
    rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim())),
  );
}

/** A table's body rows as objects by header text (columns come and go with the data: a group column, a method column). */
async function tableByHeader(panel, label) {
  const headers = await panel.$$eval(`table[aria-label="${label}"] thead th`, (ths) =>
    ths.map((th) => th.textContent.trim()),
  );
  const rows = await tableCells(panel, label);
  const column = (prefix) => {
    const i = headers.findIndex((h) => h.startsWith(prefix));
    if (i < 0) throw new Error(`table "${label}" has no column "${prefix}…": ${headers.join(' | ')}`);
    return i;
  };
  return { headers, rows, column };
}

async function sectionShot(panel, id, shots, name) {
  const section = panel.locator(`#section-${id}`);
  await section.scrollIntoViewIfNeeded();
  await panel.waitForTimeout(300);
  await section.screenshot({ path: path.join(shots, name) });
}

// ---------------------------------------------------------------------------------------------------------------

export async function compareGroupsOnOpenClip(page, workspace, repo, shots) {
  const panel = await openClipPanel(page);
  await openSection(panel, 'compare');
  // The differences come with the quick fit; the intervals and p-values with the bootstrap that follows.
  await panel.waitForFunction(
    () => /p [=<]/.test(document.querySelector('#section-compare .reading')?.textContent ?? ''),
    null,
    { timeout: 120_000 },
  );
  const reading = await panel.$eval('#section-compare .reading', (e) => e.textContent);
  const rows = await tableCells(panel, 'Group differences LAION − CLIP-WIT');
  const crossing = await panel.$eval('#section-compare .crossing', (e) => e.textContent);
  const json = cli(repo, path.join(workspace, 'openclip', 'zeroshot_results.csv'), [
    '--compare',
    '--bootstrap',
    PANEL_BOOTSTRAP,
  ]);
  const checked = [];
  for (const c of json.comparisons) {
    const row = rows.find((r) => r[0] === c.param);
    if (!row) throw new Error(`no row for ${c.param}: ${JSON.stringify(rows)}`);
    agree(`${c.param} difference`, row[1], c.difference);
    agreeInterval(`${c.param} interval`, row[2], c.ci95);
    agree(`${c.param} p-value`, row[3].replace(/^p = /, ''), c.p_value, 2);
    checked.push(
      `${c.param} ${row[1]} ${row[2]} ${row[3]} (CLI ${c.difference.toPrecision(4)} [${c.ci95.map((v) => v.toPrecision(4)).join(', ')}] p ${c.p_value.toFixed(3)})`,
    );
  }
  const alpha = json.comparisons.find((c) => c.param === 'alpha');
  const expected =
    alpha.p_value >= 0.05 ? 'the data do not show different exponents' : 'the data show different exponents';
  if (!reading.startsWith(expected)) throw new Error(`reading "${reading}" where p = ${alpha.p_value}`);
  const cross = alpha.crossing;
  const match = /cross at C = (\S+), 95 % interval \[([^,]+), ([^\]]+)\]/.exec(crossing);
  if (!cross || !match) throw new Error(`crossing: panel "${crossing}", CLI ${JSON.stringify(cross)}`);
  agree('crossing compute', match[1].replace(/,$/, ''), cross.compute);
  for (const [shown, exact, word] of [
    [match[2], cross.ci95[0], 'below any compute'],
    [match[3], cross.ci95[1], 'beyond any compute'],
  ]) {
    if (exact === null ? shown !== word : shown === word)
      throw new Error(`crossing interval end: panel "${shown}", CLI ${exact}`);
    if (exact !== null) agree('crossing interval end', shown, exact);
  }
  await sectionShot(panel, 'compare', shots, 'decision-compare-groups.png');
  console.log(`      reading: ${reading}\n      ${checked.join('\n      ')}\n      ${crossing}`);
  // The OpenCLIP runs have N and D but were not trained on isoFLOP budgets: Approach 2 says so instead of inventing them.
  await openSection(panel, 'approaches');
  await panel.waitForSelector('#section-approaches .no-isoflop', { timeout: 120_000 });
  const noIsoflop = await panel.$$eval('#section-approaches .no-isoflop', (ps) => ps.map((p) => p.textContent));
  if (!noIsoflop.some((t) => /LAION: Approach 2: no isoFLOP structure/.test(t)))
    throw new Error(`no "no isoFLOP structure" for LAION: ${noIsoflop.join(' | ')}`);
  await sectionShot(panel, 'approaches', shots, 'decision-approaches-openclip-no-isoflop.png');
  console.log(`      ${noIsoflop[0]}`);
  await panel.locator('#section-approaches > summary').click();
}

export async function approachesAndNextRunsOnLanguageModel(page, workspace, repo, shots) {
  const file = path.join(workspace, 'language-model', 'runs.csv');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.copyFileSync(path.join(repo, 'examples', 'language-model', 'runs.csv'), file);
  const panel = await fitInPanel(page, 'language-model/runs.csv', () =>
    [...document.querySelectorAll('.formula')].some((f) => /^all runs: L = /.test(f.textContent)),
  );
  // Hoffmann et al.'s budget: N_opt, D_opt and D/N at 5.76e23 FLOPs, typed in the budgets field.
  await openSection(panel, 'optimal');
  const field = panel.locator('#budgets input');
  await field.click();
  await field.fill('5.76e23');
  await page.keyboard.press('Enter');
  await panel.waitForFunction(
    () => /5\.76e23/.test(document.querySelector('#section-optimal')?.textContent ?? ''),
    null,
    { timeout: 120_000 },
  );
  await openSection(panel, 'approaches');
  await panel.waitForFunction(
    () =>
      document.querySelectorAll('table[aria-label="Compute-optimal allocation by approach"] tbody tr').length === 3 &&
      !document.querySelector('#section-approaches .decision-status'),
    null,
    { timeout: 180_000 },
  );
  const rows = await tableCells(panel, 'Chinchilla approaches');
  const optimal = await tableCells(panel, 'Compute-optimal allocation by approach');
  const json = cli(repo, file, ['--approaches', '--optimal', '5.76e23', '--bootstrap', PANEL_BOOTSTRAP]);
  const lines = [];
  for (const a of json.approaches) {
    const row = rows.find((r) => r[0] === a.name);
    agree(`${a.name} a`, row[1], a.a);
    agreeInterval(`${a.name} a interval`, row[2], a.a_ci95);
    agree(`${a.name} b`, row[3], a.b);
    agreeInterval(`${a.name} b interval`, row[4], a.b_ci95);
    const o = a.optimal[0];
    const cells = optimal.find((r) => r[0] === a.name);
    for (const [i, value, ci, what] of [
      [2, o.n_opt, o.n_opt_ci95, 'N_opt'],
      [3, o.d_opt, o.d_opt_ci95, 'D_opt'],
      [4, o.tokens_per_param, o.tokens_per_param_ci95, 'D/N'],
    ]) {
      agree(`${a.name} ${what}`, cells[i].split(' ')[0], value);
      agreeInterval(`${a.name} ${what} interval`, cells[i], ci);
    }
    lines.push(`${row.join(' ')} | at ${cells.slice(1).join(' | ')}`);
  }
  const isoflop = await drawnFraction(panel, 'canvas#isoflop-plot');
  const nOpt = await drawnFraction(panel, 'canvas#approaches-plot');
  if (!(isoflop > 0.01 && nOpt > 0.01))
    throw new Error(`the approaches' plots drew little: N_opt ${nOpt}, isoFLOP ${isoflop}`);
  await sectionShot(panel, 'approaches', shots, 'decision-approaches-language-model.png');
  console.log(
    `      ${lines.join('\n      ')}\n      plots: N_opt vs C ${(nOpt * 100).toFixed(1)} %, isoFLOP ${(isoflop * 100).toFixed(1)} % of pixels drawn`,
  );
  await panel.locator('#section-approaches > summary').click();

  // Next runs for the panel's largest budget (5.76e23, the only one).
  await openSection(panel, 'next');
  await panel.waitForFunction(
    () =>
      document.querySelectorAll('table[aria-label="Next runs"] tbody tr').length > 0 &&
      !document.querySelector('#section-next .decision-status'),
    null,
    { timeout: 180_000 },
  );
  const { rows: next, column } = await tableByHeader(panel, 'Next runs');
  const [runColumn, cost, intervals, width] = [column('run'), column('cost'), column('L at C*'), column('width')];
  const suggestions = cli(repo, file, ['--suggest', '5.76e23', '--bootstrap', PANEL_BOOTSTRAP]).suggestions;
  if (next.length !== Math.min(5, suggestions.length))
    throw new Error(`${next.length} rows for ${suggestions.length} suggestions`);
  next.forEach((row, i) => {
    const s = suggestions[i];
    const [now, after] = row[intervals].split(' → ');
    agree(`suggestion ${i + 1} cost`, row[cost], s.compute);
    agreeInterval(`suggestion ${i + 1} interval now`, now, s.interval_now);
    agreeInterval(`suggestion ${i + 1} interval after`, after, s.interval_after);
    agree(`suggestion ${i + 1} width ratio`, row[width].replace('× ', ''), s.width_ratio);
    // The run in words: its architecture (or N=…) and its samples.
    const [model, samples] = row[runColumn].split(' × ');
    if (s.config.arch !== undefined && model !== s.config.arch)
      throw new Error(`suggestion ${i + 1}: panel ${row[runColumn]}, CLI ${JSON.stringify(s.config)}`);
    agree(`suggestion ${i + 1} samples`, samples.replace(/ samples$/, ''), s.config.samples);
  });
  await sectionShot(panel, 'next', shots, 'decision-next-runs.png');
  console.log(`      ${next.map((r) => r.join(' | ')).join('\n      ')}`);
}

export async function forecastsOnClipShapesCurves(page, workspace, repo, shots) {
  const file = path.join(workspace, 'clip-shapes', 'curves.jsonl');
  fs.copyFileSync(path.join(repo, 'examples', 'clip-shapes', 'curves.jsonl'), file);
  const panel = await fitInPanel(page, 'clip-shapes/curves.jsonl', () =>
    /checkpoints/.test(document.querySelector('#runs-count')?.textContent ?? ''),
  );
  await openSection(panel, 'forecasts');
  await panel.waitForSelector('table[aria-label="Forecasts"] tbody tr', { timeout: 120_000 });
  const check = async (label) => {
    const { rows, column } = await tableByHeader(panel, 'Forecasts');
    const [now, final, frontier] = [column('now'), column('final'), column('frontier')];
    const forecasts = cli(repo, file, ['--forecast']).forecasts;
    if (rows.length !== forecasts.length)
      throw new Error(`${label}: ${rows.length} rows, the CLI ${forecasts.length} forecasts`);
    for (const f of forecasts) {
      const row = rows.find((r) => r[0] === f.run);
      if (!row) throw new Error(`${label}: no row for ${f.run}`);
      const [value, interval] = [row[final].split(' ')[0], row[final].slice(row[final].indexOf('['))];
      agree(`${f.run} forecast`, value, f.predicted);
      agreeInterval(`${f.run} interval`, interval, f.ci95);
      agree(`${f.run} samples seen`, /at (\S+) of/.exec(row[now])[1], f.samples_seen);
      const verdict =
        f.reaches_frontier === null
          ? 'unknown'
          : f.reaches_frontier
            ? 'will reach the frontier'
            : 'will not reach the frontier';
      if (!row[frontier].startsWith(verdict))
        throw new Error(`${f.run}: panel "${row[frontier]}", CLI reaches_frontier ${f.reaches_frontier}`);
    }
    return rows;
  };
  const before = await check('before');
  // The markers: a legend key entry, and the plot changes when it hides them.
  await panel.waitForSelector('.legend-entry[data-key="forecasts"]', { timeout: 30_000 });
  const shown = await drawnFraction(panel, 'canvas#frontier-plot');
  await panel.locator('.legend-entry[data-key="forecasts"]').click();
  await panel.waitForTimeout(500);
  const hidden = await drawnFraction(panel, 'canvas#frontier-plot');
  await panel.locator('.legend-entry[data-key="forecasts"]').click();
  if (!(shown > hidden)) throw new Error(`hiding the forecasts changed no pixel (${shown} vs ${hidden})`);
  const plotShot = async (name) => {
    const plot = panel.locator('div.plot.frontier');
    await plot.scrollIntoViewIfNeeded();
    await panel.waitForTimeout(300);
    const [a, b] = [await plot.boundingBox(), await panel.locator('div.legend').boundingBox()];
    // Element boxes inside a frame are in page coordinates: the plot and its legend in one picture.
    if (a && b)
      await page.screenshot({
        path: path.join(shots, name),
        clip: { x: a.x, y: a.y, width: a.width, height: b.y + b.height - a.y },
      });
    else await plot.screenshot({ path: path.join(shots, name) });
  };
  await plotShot('decision-forecasts-plot.png');
  await sectionShot(panel, 'forecasts', shots, 'decision-forecasts-section.png');
  // A running job logs its next checkpoint: the forecast moves.
  const run = 'shapes_XL_u4000_s4000000';
  fs.appendFileSync(
    file,
    JSON.stringify({
      run_id: run,
      step: 366,
      samples_seen: 2998272,
      train_loss: 1.2,
      lr: 0.0004,
      zs_top1: 0.79,
      zs_top5: 0.99,
      i2t_r1: 0.5,
      i2t_r5: 0.9,
      t2i_r5: 0.9,
    }) + '\n',
  );
  await panel.waitForFunction(
    (name) =>
      [...document.querySelectorAll('table[aria-label="Forecasts"] tbody tr')].some(
        (tr) => tr.textContent.startsWith(name) && /at 3e6 of 4e6/.test(tr.textContent),
      ),
    run,
    { timeout: 120_000 },
  );
  const after = await check('after the append');
  await plotShot('decision-forecasts-plot-after-append.png');
  const line = (rows) =>
    rows
      .find((r) => r[0] === run)
      .slice(1)
      .join(' → ');
  console.log(
    `      ${before.map((r) => r.join(' | ')).join('\n      ')}\n      after appending a checkpoint at 3e6: ${line(before)}  ⇒  ${line(after)}\n      drawn ${(shown * 100).toFixed(2)} % with the forecasts, ${(hidden * 100).toFixed(2)} % without`,
  );
}

export async function everyTaskOnOpenClip(page, workspace, repo, shots) {
  const panel = await openClipPanel(page);
  await openSection(panel, 'tasks');
  // Progress first (41 tasks fitted in the worker, one at a time), then the table.
  const progress = await panel
    .waitForSelector('#section-tasks .decision-status, table[aria-label="Every task"]', { timeout: 120_000 })
    .then((e) => e.textContent());
  await panel.waitForFunction(
    () =>
      document.querySelectorAll('table[aria-label="Every task"] tbody tr').length > 0 &&
      !document.querySelector('#section-tasks .decision-status'),
    null,
    { timeout: 300_000 },
  );
  const rows = await tableCells(panel, 'Every task');
  const json = cli(repo, path.join(workspace, 'openclip', 'zeroshot_results.csv'), [
    '--all-tasks',
    '--bootstrap',
    PANEL_BOOTSTRAP,
    '--holdout',
    '0.2',
  ]);
  if (rows.length !== json.tasks.length) throw new Error(`${rows.length} rows, the CLI ${json.tasks.length}`);
  for (const t of json.tasks) {
    const row = rows.find((r) => r[0] === t.task && r[1] === (t.group ?? 'all runs'));
    if (!row) throw new Error(`no row for ${t.task} × ${t.group}`);
    agree(`${t.task} ${t.group} alpha`, row[2].replace(/^alpha /, ''), t.params.alpha);
    agreeInterval(`${t.task} ${t.group} interval`, row[3], t.ci95?.alpha);
    if (row[4] !== `${t.n_points} / ${t.n_used}`)
      throw new Error(`${t.task} ${t.group}: points ${row[4]} vs ${t.n_points} / ${t.n_used}`);
    agree(`${t.task} ${t.group} rmse`, row[5], t.rmse_log10);
    if (t.holdout_mae === null && row[6] !== '—') throw new Error(`${t.task} ${t.group}: MAE ${row[6]}, the CLI none`);
    if (t.holdout_mae !== null) agree(`${t.task} ${t.group} MAE`, row[6].replace(/ pp$/, ''), t.holdout_mae);
  }
  // Sorted by exponent (a click: ascending... a second click: descending), then a row shows its task.
  await panel.locator('button.sort[data-column="exponent"]').click();
  const exponents = (await tableCells(panel, 'Every task')).map((r) => shownNumber(r[2].replace(/^alpha /, '')));
  const sorted = [...exponents].sort((a, b) => b - a);
  const descending = exponents.every((v, i) => v === sorted[i]);
  if (!descending && !exponents.every((v, i) => v === [...sorted].reverse()[i]))
    throw new Error(`not sorted by exponent: ${exponents.join(', ')}`);
  await sectionShot(panel, 'tasks', shots, 'decision-every-task.png');
  const cars = panel.locator('table[aria-label="Every task"] tbody tr[data-task="cars"]').first();
  await cars.scrollIntoViewIfNeeded();
  await cars.click();
  await panel.waitForFunction(
    () =>
      /cars/.test(document.querySelector('.title')?.textContent ?? '') &&
      document.querySelector('#task')?.value === 'cars',
    null,
    { timeout: 120_000 },
  );
  const title = await panel.$eval('.title', (t) => t.textContent);
  console.log(
    `      first seen: ${progress.trim().slice(0, 60)}; ${rows.length} rows (41 tasks × 2 groups) equal to the CLI's; sorted by exponent ${descending ? 'descending' : 'ascending'} (${exponents[0]} … ${exponents.at(-1)}); row "cars" → ${title}`,
  );
  console.log(
    `      ${rows
      .slice(0, 4)
      .map((r) => r.join(' | '))
      .join('\n      ')}`,
  );
}
