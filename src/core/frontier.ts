/** Which runs a law is fitted to: all of them, the strict Pareto frontier, or the paper's binned minimum. */
import { UsageError } from './errors';
import { checkFrontier } from './settings';
import { extent } from './stats';

export type FrontierSpec = { kind: 'all' } | { kind: 'pareto' } | { kind: 'binned'; bins: number };

export interface FrontierPoint {
  /** Compute at which the point is placed (the bin centre for binned frontiers). */
  compute: number;
  error: number;
  /** Index of the run the point came from. */
  source: number;
}

/** The --frontier flag (the one validator the config and the webview use too: src/core/settings.ts). */
export function parseFrontier(text: string): FrontierSpec {
  const checked = checkFrontier(text);
  if (!checked.ok) throw new UsageError(`--frontier ${text}: expected ${checked.expected}`);
  return checked.value;
}

export function frontierName(spec: FrontierSpec): string {
  return spec.kind === 'binned' ? `binned:${spec.bins}` : spec.kind;
}

export function frontier(spec: FrontierSpec, compute: ArrayLike<number>, error: ArrayLike<number>): FrontierPoint[] {
  const n = compute.length;
  switch (spec.kind) {
    case 'all':
      return Array.from({ length: n }, (_, i) => ({ compute: compute[i], error: error[i], source: i }));
    case 'pareto':
      return paretoFrontier(compute, error);
    case 'binned':
      return binnedFrontier(spec.bins, compute, error);
  }
}

/** Running minimum of error over increasing compute: a run is kept when it beats every cheaper run. */
function paretoFrontier(compute: ArrayLike<number>, error: ArrayLike<number>): FrontierPoint[] {
  const order = Array.from({ length: compute.length }, (_, i) => i).sort(
    (a, b) => compute[a] - compute[b] || error[a] - error[b],
  );
  const points: FrontierPoint[] = [];
  let best = Infinity;
  for (const i of order) {
    if (error[i] < best) {
      best = error[i];
      points.push({ compute: compute[i], error: error[i], source: i });
    }
  }
  return points;
}

/**
 * The paper's procedure (figures.ipynb): K equal-width bins over log10 C from min to max + 0.1
 * (numpy.histogram edges, numpy.digitize assignment), the minimum log10 E in each bin placed at the bin centre.
 */
function binnedFrontier(bins: number, compute: ArrayLike<number>, error: ArrayLike<number>): FrontierPoint[] {
  const n = compute.length;
  if (n === 0) return [];
  const x = Array.from({ length: n }, (_, i) => Math.log10(compute[i]));
  const [lo, max] = extent(x);
  const hi = max + 0.1;
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, k) => lo + k * width);
  const best: (number | undefined)[] = new Array(bins).fill(undefined);
  for (let i = 0; i < n; i++) {
    // numpy.digitize(x, edges) − 1: the last edge with edges[k] <= x.
    let k = 0;
    while (k + 1 < bins && edges[k + 1] <= x[i]) k++;
    if (best[k] === undefined || error[i] < error[best[k]!]) best[k] = i;
  }
  const points: FrontierPoint[] = [];
  for (let k = 0; k < bins; k++) {
    const i = best[k];
    if (i === undefined) continue;
    points.push({ compute: 10 ** ((edges[k] + edges[k + 1]) / 2), error: error[i], source: i });
  }
  return points;
}
