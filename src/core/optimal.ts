/**
 * Compute-optimal allocation under C = k(N)·D: minimise the joint law L(N, C/k(N)) over N. k(N) comes from the
 * data — compute per sample as a power of parameters fitted over the architectures (CLIP: GMACs per sample), or
 * 6·N for language models — and the nearest configuration is the best of the data's own architectures.
 */
import type { Law, LawParams } from './laws/law';
import { fitLine } from './stats';

export interface ComputePerSample {
  /** k(N) = coefficient · N^exponent. */
  coefficient: number;
  exponent: number;
  source: string;
}

export interface ArchitectureOption {
  name: string;
  params: number;
  computePerSample: number;
}

export interface OptimalAllocation {
  compute: number;
  params: number;
  samples: number;
  error: number;
  nearest?: { arch: string; params: number; samples: number; error: number };
}

export function sixN(): ComputePerSample {
  return { coefficient: 6, exponent: 1, source: 'C = 6·N·D (language-model estimate)' };
}

export function fitComputePerSample(options: ArchitectureOption[], source: string): ComputePerSample | undefined {
  const usable = options.filter((o) => o.params > 0 && o.computePerSample > 0);
  if (usable.length < 2) return undefined;
  const { intercept, slope } = fitLine(
    usable.map((o) => Math.log(o.params)),
    usable.map((o) => Math.log(o.computePerSample)),
  );
  return { coefficient: Math.exp(intercept), exponent: slope, source };
}

export function optimalAllocation(
  law: Law,
  params: LawParams,
  compute: number,
  k: ComputePerSample,
  architectures: ArchitectureOption[],
  nRange: [number, number],
): OptimalAllocation {
  const lossAt = (logN: number) => {
    const n = Math.exp(logN);
    const samples = compute / (k.coefficient * Math.pow(n, k.exponent));
    return law.predict(params, { params: n, samples, compute });
  };
  // Search a wide bracket around the data's parameter range: coarse grid, then golden section.
  let lo = Math.log(nRange[0]) - Math.log(1e3);
  let hi = Math.log(nRange[1]) + Math.log(1e3);
  const steps = 200;
  let bestIndex = 0;
  let bestValue = Infinity;
  for (let s = 0; s <= steps; s++) {
    const value = lossAt(lo + ((hi - lo) * s) / steps);
    if (value < bestValue) {
      bestValue = value;
      bestIndex = s;
    }
  }
  const width = (hi - lo) / steps;
  let a = lo + (bestIndex - 1) * width;
  let b = lo + (bestIndex + 1) * width;
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let iteration = 0; iteration < 80; iteration++) {
    const c = b - ratio * (b - a);
    const d = a + ratio * (b - a);
    if (lossAt(c) < lossAt(d)) b = d;
    else a = c;
  }
  lo = (a + b) / 2;
  hi = lo;
  const n = Math.exp(lo);
  const samples = compute / (k.coefficient * Math.pow(n, k.exponent));
  const result: OptimalAllocation = { compute, params: n, samples, error: lossAt(lo) };
  let nearest: OptimalAllocation['nearest'];
  for (const arch of architectures) {
    const archSamples = compute / arch.computePerSample;
    const error = law.predict(params, { params: arch.params, samples: archSamples, compute });
    if (Number.isFinite(error) && (!nearest || error < nearest.error))
      nearest = { arch: arch.name, params: arch.params, samples: archSamples, error };
  }
  if (nearest) result.nearest = nearest;
  return result;
}
