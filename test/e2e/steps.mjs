// Playwright steps against the code-server workbench, done as a user would (keyboard and mouse). Every wait is on
// something a user would see, bounded generously: the suite must pass with both cores busy.
export const isMac = false;

export async function waitForWorkbench(page) {
  await page.waitForSelector('.monaco-workbench', { timeout: 180_000 });
  await page.waitForSelector('.statusbar', { timeout: 180_000 });
}

/** Opens a workspace file with Quick Open (Ctrl+P). */
export async function quickOpen(page, name) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 60_000 });
  await input.fill(name);
  // Wait for the file search to list the file itself (recently opened entries come first).
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: name.split('/').pop() })
    .first()
    .waitFor({ state: 'visible', timeout: 60_000 });
  await page.keyboard.press('Enter');
  await page.waitForSelector(`.tab[aria-label*="${name.split('/').pop()}"]`, { timeout: 60_000 });
}

/** F1, type the command title, Enter; the palette may not list a command registered late, so retry. */
export async function runCommand(page, title, attempts = 10) {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 60_000 });
    await input.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    try {
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      // The matching row, not the top one: the palette may rank a similar command (recently used) first.
      await row.click();
      return;
    } catch {
      await page.keyboard.press('Escape');
      await page.waitForTimeout(1_000);
    }
  }
  throw new Error(`the command palette never listed "${title}"`);
}

/**
 * "Fit Scaling Law" asks for a file when no results file is the active editor (the editor may not have reached the
 * extension host yet right after Quick Open): answer as a user would.
 */
export async function pickIfAsked(page, relativePath) {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: relativePath }).first();
  try {
    await row.waitFor({ state: 'visible', timeout: 15_000 });
  } catch {
    return;
  }
  await row.click();
}

/** The content frame of a webview whose body has `bodyClass` (webviews nest: iframe.webview.ready → #active-frame). */
export async function webviewFrame(page, bodyClass, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const handle of await page.$$('iframe.webview.ready')) {
      const outer = await handle.contentFrame();
      const inner =
        outer?.childFrames().find((f) => f.name() === 'active-frame' || f.url().includes('fake.html')) ??
        outer?.childFrames()[0];
      if (!inner) continue;
      try {
        if (await inner.$(`body.${bodyClass}`)) return inner;
      } catch {}
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no ${bodyClass} webview appeared within ${timeoutMs / 1000} s`);
}

/** Waits until a chart has drawn more than `minimum` of its canvas (charts draw on animation frames), then that share. */
export async function waitForDrawn(frame, selector, minimum, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const drawn = await drawnFraction(frame, selector);
    if (drawn > minimum || Date.now() > deadline) return drawn;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Share of canvas pixels that differ from the canvas's most common colour (its background). */
export async function drawnFraction(frame, selector) {
  return frame.$eval(selector, (canvas) => {
    const context = canvas.getContext('2d');
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    const counts = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3];
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const background = Math.max(...counts.values());
    return 1 - background / (data.length / 4);
  });
}
