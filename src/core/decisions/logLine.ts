/** Power laws y = G·x^k as least-squares lines in log space, the read-out of every approach to N_opt(C) and D_opt(C). */
import { fitLine } from '../stats';

export interface PowerLine {
  /** ln G. */
  logCoefficient: number;
  exponent: number;
}

export function fitPowerLine(x: readonly number[], y: readonly number[]): PowerLine | null {
  if (x.length < 2 || new Set(x).size < 2) return null;
  const { intercept, slope } = fitLine(x.map(Math.log), y.map(Math.log));
  if (!Number.isFinite(intercept) || !Number.isFinite(slope)) return null;
  // A constant y gives a slope of rounding error (−4e−30), not a number to print.
  return { logCoefficient: intercept, exponent: Math.abs(slope) < 1e-12 ? 0 : slope };
}

export function evaluatePowerLine(line: PowerLine, x: number): number {
  return Math.exp(line.logCoefficient + line.exponent * Math.log(x));
}
