/**
 * A joint law L(N, D) drawn on the error-versus-compute plot: its frontier envelope E(C), the loss at the
 * compute-optimal allocation (N, D) of each budget C under C = k(N)·D, with a 95 % band from the bootstrap refits.
 * This is the curve the joint law predicts a compute-optimal run would follow, so it is comparable with the runs.
 */
import type { GroupAnalysis } from './analysis';
import { lawByName } from './laws/index';
import type { Law, LawParams } from './laws/law';
import { optimalAllocation, type ComputePerSample } from './optimal';
import { interval95 } from './stats';

export interface EnvelopePoint {
  compute: number;
  error: number;
  ci95: [number, number] | null;
}

/** E(C) at the compute-optimal allocation along `grid`; undefined without a compute-per-sample model k(N). */
export function jointEnvelope(
  fit: GroupAnalysis,
  grid: readonly number[],
  paramsRange: [number, number],
): EnvelopePoint[] | undefined {
  const k = fit.compute_per_sample;
  if (!k) return undefined;
  const law = lawByName(fit.law);
  const along = (params: LawParams) => grid.map((compute) => optimalLoss(law, params, compute, k, paramsRange));
  const central = along(fit.params);
  const refits = (fit.bootstrap_params ?? []).map(along);
  return grid.map((compute, i) => ({
    compute,
    error: central[i],
    ci95: refits.length > 0 ? interval95(refits.map((r) => r[i]).filter(Number.isFinite)) : null,
  }));
}

/**
 * The least loss at compute C. For L = E + A/N^α + B/D^β with D = C/(c·N^γ), dL/dN = 0 gives
 * N_opt = (α·A·C^β / (γ·β·B·c^β))^(1/(α + γ·β)) in closed form (200 bootstrap refits × the plot's grid would cost
 * a second by search); where that lies outside optimalAllocation's search bracket, or for other laws, the search
 * itself answers, so the line agrees with the compute-optimal table.
 */
export function optimalLoss(
  law: Law,
  params: LawParams,
  compute: number,
  k: ComputePerSample,
  paramsRange: [number, number],
): number {
  const { A, B, alpha, beta } = params;
  const gamma = k.exponent;
  if (law.name === 'joint' && alpha > 0 && beta > 0 && gamma > 0 && A > 0 && B > 0) {
    const logN =
      (Math.log(alpha * A) + beta * Math.log(compute) - Math.log(gamma * beta * B) - beta * Math.log(k.coefficient)) /
      (alpha + gamma * beta);
    // optimalAllocation searches three decades either side of the data's parameter counts.
    if (logN > Math.log(paramsRange[0]) - Math.log(1e3) && logN < Math.log(paramsRange[1]) + Math.log(1e3)) {
      const n = Math.exp(logN);
      return law.predict(params, { params: n, samples: compute / (k.coefficient * n ** gamma), compute });
    }
  }
  return optimalAllocation(law, params, compute, k, [], paramsRange).error;
}
