/**
 * The one number formatter of every surface (CLI, panel, side view, hover, exports): 3 significant figures,
 * `1e12` / `6.76e8` beyond 1e4 or below 1e-3, U+2212 minus, no trailing zeros.
 */

/** Typographic minus: a hyphen-minus in a formula reads as a dash. */
export const MINUS = '\u2212';

/** `value` to `digits` significant figures: 0.161, 5.86, 2.2e3 → 2200, 6.76e8, 1e12, 1.62e10, −0.111; '—' when not finite. */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  const sign = value < 0 ? MINUS : '';
  const rounded = Number(abs.toPrecision(digits));
  if (rounded >= 1e4 || rounded < 1e-3) {
    const [mantissa, exponent] = abs.toExponential(digits - 1).split('e');
    const exp = Number(exponent);
    return `${sign}${Number(mantissa)}e${exp < 0 ? MINUS : ''}${Math.abs(exp)}`;
  }
  return `${sign}${rounded}`;
}

/**
 * An exponent (or any number whose small differences matter): as formatNumber, with more digits (up to 5) when
 * rounding would hide them, so −1.004 is not shown as −1 and 0.1001 not as 0.1.
 */
export function formatExponent(value: number, digits = 3): string {
  if (!Number.isFinite(value) || value === 0) return formatNumber(value, digits);
  for (let d = digits; d < 5; d++) {
    const shown = Number(value.toPrecision(d));
    if (significantDigits(shown) >= digits || shown === value) return formatNumber(value, d);
  }
  return formatNumber(value, 5);
}

/** Significant digits of a number as JavaScript prints it shortest (1.004 → 4, −1 → 1, 0.05 → 1). */
function significantDigits(value: number): number {
  const [mantissa] = Math.abs(value).toExponential().split('e');
  return mantissa.replace('.', '').length;
}

/** p-values: 2 significant figures, "< 0.001" below. */
export function formatPValue(p: number): string {
  return p < 0.001 ? '< 0.001' : formatNumber(p, 2);
}

/** A number as the user typed it is kept (a budget `1e20` stays `1e20`); only numbers computed here are formatted. */
export function parseTypedNumber(text: string): number | null {
  const trimmed = text.trim().replace(MINUS, '-');
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}
