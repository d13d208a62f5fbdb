/** Fitting objectives over log-space residuals r = ln E − ln Ê: least squares Σ r², or Huber Σ h_δ(r). */
import { UsageError } from '../errors';
import type { Law, LawData } from '../laws/law';

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

/**
 * The loss of one residual with its derivatives: the reference every written-out copy (the fused laws' loops,
 * makeObjective's and linearise.ts's) is tested against. ρ(r) = r² for least squares; Huber's
 * ρ(r) = r²/2 for |r| ≤ δ, δ·(|r| − δ/2) beyond. `slope` is ψ = ρ', `second` is ρ'' (0 beyond δ) and `majoriser`
 * is ψ(r)/r, the weight of iteratively reweighted least squares (ρ''(0) for r = 0).
 */
export function lossTerms(
  objective: Objective,
  r: number,
): { loss: number; slope: number; second: number; majoriser: number } {
  if (objective.kind === 'ls') return { loss: r * r, slope: 2 * r, second: 2, majoriser: 2 };
  const d = objective.delta;
  const a = Math.abs(r);
  if (a <= d) return { loss: 0.5 * r * r, slope: r, second: 1, majoriser: 1 };
  return { loss: d * (a - 0.5 * d), slope: d * Math.sign(r), second: 0, majoriser: d / a };
}

/** Loss of one residual and its derivative with respect to the residual. */
export function lossAndSlope(objective: Objective, r: number): [number, number] {
  const { loss, slope } = lossTerms(objective, r);
  return [loss, slope];
}

/** Objective value and gradient at θ. Hot loop of multi-start screens: buffers are reused and the loss is inlined. */
export function makeObjective(law: Law, data: LawData, objective: Objective) {
  const huber = objective.kind === 'huber';
  const delta = objective.kind === 'huber' ? objective.delta : 0;
  if (law.fusedObjective) {
    const fused = law.fusedObjective.bind(law);
    const fusedDelta = huber ? delta : null;
    return (theta: Float64Array, gradient?: Float64Array): number => fused(theta, data, fusedDelta, gradient);
  }
  const { p, n, pred, jac } = predictionBuffers(law, data);
  const { logE, weight } = data;
  return (theta: Float64Array, gradient?: Float64Array): number => {
    law.logPredict(theta, data, pred, gradient ? jac : undefined);
    if (gradient) gradient.fill(0);
    let value = 0;
    for (let i = 0; i < n; i++) {
      const r = logE[i] - pred[i];
      const w = weight ? weight[i] : 1;
      // The loss written out (lossTerms is the reference, tested equal): this is the screens' hot loop.
      let slope: number;
      if (!huber) {
        value += w * r * r;
        slope = 2 * w * r;
      } else if (r <= delta && r >= -delta) {
        value += w * 0.5 * r * r;
        slope = w * r;
      } else {
        value += w * delta * ((r < 0 ? -r : r) - 0.5 * delta);
        slope = w * (r < 0 ? -delta : delta);
      }
      if (gradient) for (let k = 0, base = i * p; k < p; k++) gradient[k] -= slope * jac[base + k];
    }
    return value;
  };
}

/** Scratch for logPredict on the data: the predictions and the Jacobian (n × p, p the length of θ). */
export function predictionBuffers(
  law: Law,
  data: LawData,
): { p: number; n: number; pred: Float64Array; jac: Float64Array } {
  const p = law.thetaNames.length;
  return { p, n: data.n, pred: new Float64Array(data.n), jac: new Float64Array(data.n * p) };
}
