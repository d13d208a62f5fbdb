/**
 * Broken neural scaling law with an additive floor (Caballero et al. 2023, BNSL) with one or two breaks:
 *   E = E∞ + β·C^α·∏ᵢ (1 + (C/C_bᵢ)^(1/sᵢ))^(−γᵢ·sᵢ)
 * (their y = a + b·x^(−c0)·∏(1 + (x/dᵢ)^(1/fᵢ))^(−cᵢ·fᵢ) with a = E∞, b = β, c0 = −α, dᵢ = C_bᵢ, cᵢ = γᵢ, fᵢ = sᵢ):
 * the log-log slope of the reducible part moves from α to α − γᵢ around each break, sᵢ sets how sharply.
 * θ = (ln E∞, ln β, α, then ln C_b, γ, ln s per break); ln pred = logsumexp(ln E∞, ln of the broken power law).
 * Starts come from a brute-force grid, as the BNSL authors fit (scipy.optimize.brute, then a local fit), over
 * ranges taken from the data; β is solved in closed form at each node.
 */
import {
  defineLaw,
  formatExponent,
  formatNumber,
  NEGLIGIBLE_SHARE,
  type Law,
  type LawData,
  type LawName,
  type LawParams,
} from './law';

const BASE_NAMES = ['e_inf', 'beta', 'alpha'] as const;
const BREAK_NAMES = [
  ['c_break', 'gamma', 'sharpness'],
  ['c_break2', 'gamma2', 'sharpness2'],
] as const;

/** θ's layout: (ln E∞, ln β, α), then (ln C_b, γ, ln s) per break, from FIRST_BREAK on. */
const FIRST_BREAK = BASE_NAMES.length;
const PER_BREAK = BREAK_NAMES[0].length;
/** Where break k's parameters start in θ. */
const breakAt = (k: number): number => FIRST_BREAK + PER_BREAK * k;

/** How many grid nodes become starts of the local fit. */
const KEEP_STARTS = 30;

export function makeBrokenLaw(breaks: 1 | 2): Law {
  const name: LawName = breaks === 1 ? 'broken' : 'broken2';
  const paramNames = [...BASE_NAMES, ...BREAK_NAMES.slice(0, breaks).flat()];
  /** The Jacobian's row length. */
  const p = paramNames.length;
  const law: Law = defineLaw({
    name,
    spec: { name },
    paramNames,
    thetaNames: paramNames,
    inputs: 'compute',
    symbol: 'E',
    logPredict(theta, data, out, jac) {
      const logFloor = theta[0];
      for (let i = 0; i < data.n; i++) {
        const x = data.logC[i];
        let u = theta[1] + theta[2] * x;
        const base = i * p;
        for (let k = 0; k < breaks; k++) {
          const at = breakAt(k);
          const gamma = theta[at + 1];
          const s = Math.exp(theta[at + 2]);
          const z = (x - theta[at]) / s;
          const softplus = z > 30 ? z : Math.log1p(Math.exp(z));
          u -= gamma * s * softplus;
          if (jac) {
            const sigma = 1 / (1 + Math.exp(-z));
            jac[base + at] = gamma * sigma;
            jac[base + at + 1] = -s * softplus;
            // d/d ln s of −γ·s·softplus(z), z = (ln C − ln C_b)/s: −γ·s·(softplus − z·σ).
            jac[base + at + 2] = -gamma * s * (softplus - z * sigma);
          }
        }
        const m = logFloor > u ? logFloor : u;
        const wFloor = Math.exp(logFloor - m);
        const wPower = Math.exp(u - m);
        const sum = wFloor + wPower;
        out[i] = m + Math.log(sum);
        if (jac) {
          const shareFloor = wFloor / sum;
          const sharePower = wPower / sum;
          jac[base] = shareFloor;
          jac[base + 1] = sharePower;
          jac[base + 2] = sharePower * x;
          for (let k = FIRST_BREAK; k < p; k++) jac[base + k] *= sharePower;
        }
      }
    },
    toParams(theta) {
      const params: LawParams = { e_inf: Math.exp(theta[0]), beta: Math.exp(theta[1]), alpha: theta[2] };
      for (let k = 0; k < breaks; k++) {
        const [cb, gamma, sharpness] = BREAK_NAMES[k];
        params[cb] = Math.exp(theta[breakAt(k)]);
        params[gamma] = theta[breakAt(k) + 1];
        params[sharpness] = Math.exp(theta[breakAt(k) + 2]);
      }
      return params;
    },
    fromParams(params) {
      const theta = new Float64Array(p);
      theta[0] = Math.log(params.e_inf);
      theta[1] = Math.log(params.beta);
      theta[2] = params.alpha;
      for (let k = 0; k < breaks; k++) {
        const [cb, gamma, sharpness] = BREAK_NAMES[k];
        theta[breakAt(k)] = Math.log(params[cb]);
        theta[breakAt(k) + 1] = params[gamma];
        theta[breakAt(k) + 2] = Math.log(params[sharpness]);
      }
      return theta;
    },
    starts: (data) => gridStarts(data, breaks, FULL_GRID, KEEP_STARTS),
    quickStarts: (data) => gridStarts(data, breaks, QUICK_GRID, 2),
    atBound(theta, data) {
      const bound: string[] = [];
      const pred = new Float64Array(data.n);
      law.logPredict(theta, data, pred);
      let floorShare = 0;
      for (let i = 0; i < data.n; i++) floorShare = Math.max(floorShare, Math.exp(theta[0] - pred[i]));
      if (floorShare < NEGLIGIBLE_SHARE) bound.push('e_inf');
      // A break outside the data is not seen by them: its position is only bounded by their range.
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < data.n; i++) {
        lo = Math.min(lo, data.logC[i]);
        hi = Math.max(hi, data.logC[i]);
      }
      for (let k = 0; k < breaks; k++)
        if (theta[breakAt(k)] < lo || theta[breakAt(k)] > hi) bound.push(BREAK_NAMES[k][0]);
      return bound;
    },
    rightHandSide(params, digits) {
      const factors = BREAK_NAMES.slice(0, breaks).map(
        ([cb, gamma, sharpness]) =>
          `·(1 + (C/${formatNumber(params[cb], digits)})^(1/${formatNumber(params[sharpness], digits)}))^(−${formatNumber(params[gamma], digits)}·${formatNumber(params[sharpness], digits)})`,
      );
      return `${formatNumber(params.e_inf, digits)} + ${formatNumber(params.beta, digits)}·C^${formatExponent(params.alpha, digits)}${factors.join('')}`;
    },
  });
  return law;
}

export const brokenLaw = makeBrokenLaw(1);
export const broken2Law = makeBrokenLaw(2);

interface Grid {
  /** E∞ as fractions of the smallest error. */
  floor: number[];
  alpha: number[];
  gamma: number[];
  /**
   * Break positions: this many, evenly spaced in log compute over the data's range widened by a quarter on each
   * side (a break just beyond the data, seen only by its onset, is what extrapolation needs to find).
   */
  positions: number;
  sharpness: number[];
}

const FULL_GRID: Grid = {
  floor: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  alpha: [0, -0.05, -0.15, -0.3, -0.6, -1],
  gamma: [-0.3, 0, 0.1, 0.3, 0.75, 2, 5],
  positions: 20,
  sharpness: [0.05, 0.25, 1],
};
const QUICK_GRID: Grid = {
  floor: [0, 0.5, 0.9],
  alpha: [0, -0.15, -0.5],
  gamma: [0, 0.3, 1, 3],
  positions: 8,
  sharpness: [0.25],
};

/** E∞ at "0" on the grid: ln 0 is not a parameter value. */
const NO_FLOOR = 1e-4;

/**
 * The best nodes of a brute-force grid over (E∞, α, and per break C_b, γ, s), β solved at each node (its
 * least-squares value in log space given the rest), scored by the squared log error. Two breaks: the best
 * one-break nodes, each with a second break placed on the grid.
 */
function gridStarts(data: LawData, breaks: 1 | 2, grid: Grid, keep: number): Float64Array[] {
  const n = data.n;
  let lo = Infinity;
  let hi = -Infinity;
  let minE = Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, data.logC[i]);
    hi = Math.max(hi, data.logC[i]);
    minE = Math.min(minE, Math.exp(data.logE[i]));
  }
  const span = Math.max(hi - lo, 1e-9);
  const positions = Array.from(
    { length: grid.positions },
    (_, k) => lo - span / 4 + (1.5 * span * (k + 0.5)) / grid.positions,
  );
  // Σ γ·s·softplus per point for each (position, γ, s) is shared by every floor and slope.
  const breakShape = (position: number, gamma: number, s: number) =>
    Float64Array.from(data.logC, (x) => {
      const z = (x - position) / s;
      return gamma * s * (z > 30 ? z : Math.log1p(Math.exp(z)));
    });
  const shapes: { theta: number[]; drop: Float64Array }[] = [];
  for (const position of positions)
    for (const gamma of grid.gamma)
      for (const s of grid.sharpness)
        shapes.push({ theta: [position, gamma, Math.log(s)], drop: breakShape(position, gamma, s) });
  const shapesPerPosition = grid.gamma.length * grid.sharpness.length;

  const reducible = new Float64Array(n);
  const shape = new Float64Array(n);
  /** Score of a node: β from the mean of ln(E − E∞) − shape, then Σ (ln(E∞ + β·e^shape) − ln E)². */
  const score = (logFloor: number, alpha: number, drop: Float64Array): { logBeta: number; value: number } => {
    const floor = Math.exp(logFloor);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      shape[i] = alpha * data.logC[i] - drop[i];
      sum += reducible[i] - shape[i];
    }
    const logBeta = sum / n;
    let value = 0;
    for (let i = 0; i < n; i++) {
      const r = Math.log(floor + Math.exp(logBeta + shape[i])) - data.logE[i];
      value += r * r;
    }
    return { logBeta, value };
  };

  const oneBreak = new Best(breaks === 1 ? keep : 8);
  // The best node at each break position too: a break seen only by its onset scores poorly on a coarse grid
  // (its position and sharpness off by a step) but is the right basin for the local fit.
  const atPosition = positions.map(() => new Best(1));
  for (const fraction of grid.floor) {
    const logFloor = Math.log(Math.max(fraction, NO_FLOOR) * minE);
    for (let i = 0; i < n; i++) reducible[i] = Math.log(Math.exp(data.logE[i]) - Math.exp(logFloor));
    for (const alpha of grid.alpha)
      shapes.forEach(({ theta, drop }, k) => {
        const { logBeta, value } = score(logFloor, alpha, drop);
        const node = { theta: Float64Array.of(logFloor, logBeta, alpha, ...theta), value };
        oneBreak.offer(node);
        atPosition[Math.floor(k / shapesPerPosition)].offer(node);
      });
  }
  if (breaks === 1) return distinctStarts([...oneBreak.nodes, ...atPosition.flatMap((b) => b.nodes)]);
  // A second break on the grid, after each of the best one-break nodes.
  const best = new Best(keep);
  const combined = new Float64Array(n);
  for (const node of oneBreak.nodes) {
    const [logFloor, , alpha, position, gamma, logS] = node.theta;
    const first = breakShape(position, gamma, Math.exp(logS));
    for (let i = 0; i < n; i++) reducible[i] = Math.log(Math.exp(data.logE[i]) - Math.exp(logFloor));
    for (const second of shapes) {
      for (let i = 0; i < n; i++) combined[i] = first[i] + second.drop[i];
      const { logBeta, value } = score(logFloor, alpha, combined);
      best.offer({ theta: Float64Array.of(logFloor, logBeta, alpha, position, gamma, logS, ...second.theta), value });
    }
  }
  return best.nodes.map((node) => node.theta);
}

interface GridNode {
  theta: Float64Array;
  value: number;
}

/** The `size` lowest-scoring nodes offered, in order. */
class Best {
  readonly nodes: GridNode[] = [];
  constructor(private readonly size: number) {}

  offer(node: GridNode): void {
    if (!Number.isFinite(node.value)) return;
    if (this.nodes.length === this.size && node.value >= this.nodes[this.size - 1].value) return;
    let at = this.nodes.length;
    while (at > 0 && this.nodes[at - 1].value > node.value) at--;
    this.nodes.splice(at, 0, node);
    if (this.nodes.length > this.size) this.nodes.pop();
  }
}

function distinctStarts(nodes: GridNode[]): Float64Array[] {
  const seen = new Set<string>();
  return nodes
    .map((node) => node.theta)
    .filter((theta) => {
      const key = theta.join(',');
      return !seen.has(key) && (seen.add(key), true);
    });
}
