/**
 * The units of work a multi-start fit is made of, as functions of a plain job (structured-cloneable, so a worker
 * thread can run them): a short L-BFGS screen from a start, or a local fit to convergence from a start.
 */
import { lawFromSpec } from '../laws/index';
import type { LawData, LawSpec } from '../laws/law';
import { lbfgs } from './lbfgs';
import { levenbergMarquardt, type LocalFit } from './levenbergMarquardt';
import { makeObjective, type Objective } from './objective';

export interface StartsJob {
  law: LawSpec;
  data: LawData;
  objective: Objective;
  /** Start vectors, concatenated (count × θ length). */
  starts: Float64Array;
  /** For the screen: L-BFGS iterations from each start. */
  screenIterations?: number;
}

export interface Screened {
  x: Float64Array;
  value: number;
}

export function flattenStarts(starts: Float64Array[]): Float64Array {
  const p = starts[0]?.length ?? 0;
  const flat = new Float64Array(starts.length * p);
  starts.forEach((s, i) => flat.set(s, i * p));
  return flat;
}

export function prepareScreen(job: StartsJob): (i: number) => Screened {
  const law = lawFromSpec(job.law);
  const p = law.thetaNames.length;
  const evaluate = makeObjective(law, job.data, job.objective);
  return (i) => {
    const result = lbfgs((x, g) => evaluate(x, g), job.starts.subarray(i * p, i * p + p), {
      maxIterations: job.screenIterations ?? 10,
    });
    return { x: result.x, value: result.value };
  };
}

export function prepareLocalFit(job: StartsJob): (i: number) => LocalFit {
  const law = lawFromSpec(job.law);
  const p = law.thetaNames.length;
  return (i) => levenbergMarquardt(law, job.data, job.objective, job.starts.subarray(i * p, i * p + p));
}
