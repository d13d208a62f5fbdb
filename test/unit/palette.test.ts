/** The data palettes per theme kind: readable on the theme's background and distinct from each other (issue #12 item 7). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  BACKGROUNDS,
  contrastRatio,
  deltaE,
  PALETTES,
  themeKindOfBody,
  type ThemeKind,
} from '../../webview/shared/palette';

const kinds = Object.keys(PALETTES) as ThemeKind[];

test('the WCAG formulas give their known values (black on white 21:1, white on white 1:1, #767676 on white 4.54:1)', () => {
  assert.equal(contrastRatio('#000000', '#ffffff'), 21);
  assert.equal(contrastRatio('#ffffff', '#ffffff'), 1);
  assert.ok(Math.abs(contrastRatio('#767676', '#ffffff') - 4.54) < 0.01);
  assert.ok(Math.abs(deltaE('#000000', '#ffffff') - 100) < 0.01, 'L* from 0 to 100');
});

for (const kind of kinds) {
  test(`${kind}: every colour keeps 4.5:1 against ${BACKGROUNDS[kind]}, any two differ by ΔE ≥ 25, the first four by ΔE ≥ 45`, () => {
    const palette = PALETTES[kind];
    for (const color of palette)
      assert.ok(
        contrastRatio(color, BACKGROUNDS[kind]) >= 4.5,
        `${color}: ${contrastRatio(color, BACKGROUNDS[kind]).toFixed(2)}:1`,
      );
    for (let i = 0; i < palette.length; i++) {
      for (let j = i + 1; j < palette.length; j++) {
        const d = deltaE(palette[i], palette[j]);
        assert.ok(d >= (i < 4 && j < 4 ? 45 : 25), `${palette[i]} vs ${palette[j]}: ΔE ${d.toFixed(1)}`);
      }
    }
  });
}

test('the theme kind comes from the body class VS Code sets', () => {
  const classes = (...names: string[]) => ({ contains: (n: string) => names.includes(n) });
  assert.equal(themeKindOfBody(classes('vscode-light')), 'light');
  assert.equal(themeKindOfBody(classes('vscode-dark')), 'dark');
  assert.equal(themeKindOfBody(classes('vscode-high-contrast')), 'high-contrast');
  assert.equal(themeKindOfBody(classes('vscode-high-contrast', 'vscode-high-contrast-light')), 'high-contrast-light');
});
