/**
 * Data colours per theme kind, chosen so groups stay apart in all four (dark, light, and both high-contrast themes,
 * where the workbench's own chart colours collapse into shades of one hue): each colour keeps a contrast of at
 * least 4.5:1 with its theme's default background, any two differ by a CIE76 ΔE ≥ 25 and the first four (the
 * groups most files have) by ΔE ≥ 45.
 * Pure (no DOM): the unit test checks those numbers.
 */
export type ThemeKind = 'dark' | 'light' | 'high-contrast' | 'high-contrast-light';

export const PALETTES: Record<ThemeKind, string[]> = {
  // Okabe–Ito hues, lightened for dark backgrounds.
  dark: ['#4ea8ff', '#f0a030', '#3fc28a', '#f07ab8', '#e0d050', '#b69cff'],
  // The same hues, darkened for white backgrounds.
  light: ['#0a66c2', '#c04f00', '#0f7d45', '#b3317f', '#7a6200', '#6a4cc2'],
  'high-contrast': ['#5cb8ff', '#ffab40', '#4fe08f', '#ff80d4', '#ffe94d', '#c8a8ff'],
  'high-contrast-light': ['#0041a3', '#a33f00', '#005c27', '#8c0068', '#5c4a00', '#4b1fa6'],
};

/** The default editor background of each theme kind (Dark Modern, Light Modern, the high-contrast themes). */
export const BACKGROUNDS: Record<ThemeKind, string> = {
  dark: '#1f1f1f',
  light: '#ffffff',
  'high-contrast': '#000000',
  'high-contrast-light': '#ffffff',
};

export function themeKindOfBody(classes: { contains(name: string): boolean }): ThemeKind {
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  return classes.contains('vscode-light') ? 'light' : 'dark';
}

export function paletteColor(kind: ThemeKind, index: number): string {
  const palette = PALETTES[kind];
  return palette[((index % palette.length) + palette.length) % palette.length];
}

export function isHighContrast(kind: ThemeKind): boolean {
  return kind === 'high-contrast' || kind === 'high-contrast-light';
}

/** `#rrggbb` (or `#rgb`, `rgb(…)`, `rgba(…)`) as 0–255 channels; undefined for anything else. */
export function parseColor(color: string): [number, number, number] | undefined {
  const text = color.trim();
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i.exec(text);
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join('') : hex[1].slice(0, 6);
    const value = parseInt(digits, 16);
    return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
  }
  const rgb = /^rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/i.exec(text);
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : undefined;
}

export function withAlpha(color: string, alpha: number): string {
  const rgb = parseColor(color);
  return rgb ? `rgba(${rgb[0]}, ${rgb[1]}, ${rgb[2]}, ${alpha})` : color;
}

/** WCAG 2 relative luminance. */
export function luminance(color: string): number {
  const [r, g, b] = (parseColor(color) ?? [0, 0, 0]).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio, 1–21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** CIE76 colour difference in CIELAB (D65): about 2.3 is just noticeable, beyond 30 reads as another colour. */
export function deltaE(a: string, b: string): number {
  const [l1, a1, b1] = lab(a);
  const [l2, a2, b2] = lab(b);
  return Math.hypot(l1 - l2, a1 - a2, b1 - b2);
}

function lab(color: string): [number, number, number] {
  const [r, g, b] = (parseColor(color) ?? [0, 0, 0]).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
  const y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
  const f = (t: number) => (t > 216 / 24389 ? Math.cbrt(t) : ((24389 / 27) * t + 16) / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}
