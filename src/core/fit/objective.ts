/** Fitting objectives over log-space residuals r = ln E − ln Ê: least squares Σ r², or Huber Σ h_δ(r). */
import { UsageError } from '../errors';

export type Objective = { kind: 'ls' } | { kind: 'huber'; delta: number };

export function parseObjective(text: string): Objective {
  if (text === 'ls') return { kind: 'ls' };
  const match = /^huber:(.+)$/.exec(text);
  const delta = match ? Number(match[1]) : NaN;
  if (match && delta > 0 && Number.isFinite(delta)) return { kind: 'huber', delta };
  throw new UsageError(`--objective ${text}: expected ls or huber:DELTA with DELTA > 0 (e.g. huber:1e-3)`);
}

export function objectiveName(objective: Objective): string {
  return objective.kind === 'ls' ? 'ls' : `huber:${objective.delta}`;
}

/** Loss of one residual and its derivative with respect to the residual. */
export function lossAndSlope(objective: Objective, r: number): [number, number] {
  if (objective.kind === 'ls') return [r * r, 2 * r];
  const d = objective.delta;
  const a = Math.abs(r);
  return a <= d ? [0.5 * r * r, r] : [d * (a - 0.5 * d), d * Math.sign(r)];
}
