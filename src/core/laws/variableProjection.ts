/**
 * Deterministic starts by variable projection. At fixed exponents the saturating and joint laws are linear in
 * their non-negative coefficients (E∞ + β·C^α; E + A·N^−α + B·D^−β), so a grid over the exponents alone, with a
 * non-negative least-squares solve for the coefficients at each node (relative errors: weights 1/E²), finds the
 * basin of the global optimum without any start guess. The log-space fit then starts from the best nodes.
 */
import type { LawData } from './law';

/** Index sets of every non-empty subset of k ≤ 3 coefficients (the candidate active sets). */
const SUBSETS = [1, 2, 3].map((k) =>
  Array.from({ length: (1 << k) - 1 }, (_, m) => [0, 1, 2].filter((j) => j < k && ((m + 1) & (1 << j)) !== 0)),
);
const subMatrix = new Float64Array(9);
const subSolution = new Float64Array(3);

/**
 * Weighted non-negative least squares from a Gram matrix, k ≤ 3 coefficients: the best feasible least-squares
 * solution over all active sets (exact for so few). Writes the coefficients into `out`; returns the residual.
 */
export function gramNonNegativeLeastSquares(
  gram: Float64Array,
  rhs: Float64Array,
  targetSquares: number,
  k: number,
  out: Float64Array,
): number {
  let bestResidual = targetSquares;
  for (let j = 0; j < k; j++) out[j] = 0;
  const subsets = SUBSETS[k - 1];
  // The full set first: when its solution is non-negative it is the constrained optimum too (a convex problem).
  for (let s = subsets.length - 1; s >= 0; s--) {
    const members = subsets[s];
    const m = members.length;
    for (let a = 0; a < m; a++) {
      subSolution[a] = rhs[members[a]];
      for (let b = 0; b < m; b++) subMatrix[a * m + b] = gram[members[a] * k + members[b]];
    }
    if (!solveSmall(subMatrix, subSolution, m)) continue;
    let feasible = true;
    let explained = 0;
    for (let a = 0; a < m; a++) {
      if (!(subSolution[a] >= 0)) feasible = false;
      explained += subSolution[a] * rhs[members[a]];
    }
    // At the least-squares solution of the subset, the residual sum of squares is yᵀy − cᵀXᵀy.
    const residual = targetSquares - explained;
    if (!feasible || !(residual < bestResidual)) continue;
    bestResidual = residual;
    for (let j = 0; j < k; j++) out[j] = 0;
    for (let a = 0; a < m; a++) out[members[a]] = subSolution[a];
    if (m === k) break;
  }
  return bestResidual;
}

/** Gaussian elimination with a pivot check on an m × m system (m ≤ 3); false when (nearly) singular. */
function solveSmall(a: Float64Array, b: Float64Array, m: number): boolean {
  for (let j = 0; j < m; j++) {
    const pivot = a[j * m + j];
    let scale = 0;
    for (let l = 0; l < m; l++) scale = Math.max(scale, Math.abs(a[j * m + l]));
    if (!(Math.abs(pivot) > 1e-12 * scale)) return false;
    for (let i = j + 1; i < m; i++) {
      const factor = a[i * m + j] / pivot;
      for (let l = j; l < m; l++) a[i * m + l] -= factor * a[j * m + l];
      b[i] -= factor * b[j];
    }
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = b[i];
    for (let l = i + 1; l < m; l++) s -= a[i * m + l] * b[l];
    b[i] = s / a[i * m + i];
  }
  for (let i = 0; i < m; i++) if (!Number.isFinite(b[i])) return false;
  return true;
}

const JOINT_EXPONENTS = [0.03, 0.08, 0.15, 0.25, 0.35, 0.5, 0.7, 1, 1.4, 2];
/** The grid is scored on at most this many points, evenly spaced through the data: it only places starts. */
const GRID_POINTS = 64;

/**
 * Columns f = X^−exponent (scaled to a largest value of 1) of one input, in one flat buffer, with the weighted
 * sums the normal equations need: computed once per exponent, without an allocation per column (this runs on
 * every bootstrap resample).
 */
class PowerColumns {
  readonly values: Float64Array;
  readonly weighted: Float64Array;
  readonly scale: Float64Array;
  readonly sum: Float64Array;
  readonly squares: Float64Array;
  readonly withTarget: Float64Array;
  private readonly exponents: number[] = [];

  constructor(
    private readonly logX: Float64Array,
    private readonly weights: Float64Array,
    private readonly target: Float64Array,
    capacity: number,
  ) {
    const n = logX.length;
    this.values = new Float64Array(capacity * n);
    this.weighted = new Float64Array(capacity * n);
    this.scale = new Float64Array(capacity);
    this.sum = new Float64Array(capacity);
    this.squares = new Float64Array(capacity);
    this.withTarget = new Float64Array(capacity);
  }

  /** The column's index for this exponent, computing it on first use. */
  index(exponent: number): number {
    const known = this.exponents.indexOf(exponent);
    if (known >= 0) return known;
    const c = this.exponents.push(exponent) - 1;
    const n = this.logX.length;
    const base = c * n;
    let largest = -Infinity;
    for (let i = 0; i < n; i++) largest = Math.max(largest, -exponent * this.logX[i]);
    let sum = 0;
    let squares = 0;
    let withTarget = 0;
    for (let i = 0; i < n; i++) {
      const f = Math.exp(-exponent * this.logX[i] - largest);
      const wf = this.weights[i] * f;
      this.values[base + i] = f;
      this.weighted[base + i] = wf;
      sum += wf;
      squares += wf * f;
      withTarget += wf * this.target[i];
    }
    this.scale[c] = Math.exp(largest);
    this.sum[c] = sum;
    this.squares[c] = squares;
    this.withTarget[c] = withTarget;
    return c;
  }
}

/**
 * Starts (ln E, ln A, ln B, α, β) for L = E + A/N^α + B/D^β: the best `count` local minima of the grid over
 * (α, β), each refined on a finer grid around it.
 */
export function jointStarts(data: LawData, count = 2): Float64Array[] {
  const points = thin(data);
  const n = points.n;
  const loss = new Float64Array(n);
  const weights = new Float64Array(n);
  let sumW = 0;
  let sumWL = 0;
  let sumWLL = 0;
  for (let i = 0; i < n; i++) {
    loss[i] = Math.exp(points.logE[i]);
    weights[i] = (points.weight ? points.weight[i] : 1) / (loss[i] * loss[i]);
    sumW += weights[i];
    sumWL += weights[i] * loss[i];
    sumWLL += weights[i] * loss[i] * loss[i];
  }
  const size = JOINT_EXPONENTS.length;
  // The grid's columns, and 5 per refinement of each of `count` minima.
  const capacity = size + 5 * count;
  const paramsColumns = new PowerColumns(points.logN!, weights, loss, capacity);
  const samplesColumns = new PowerColumns(points.logD!, weights, loss, capacity);
  const gram = new Float64Array(9);
  const rhs = new Float64Array(3);
  const coefficients = new Float64Array(3);
  /** Weighted residual of the non-negative fit of (E, A, B) at (α, β); the coefficients are left in `coefficients`. */
  const evaluate = (alpha: number, beta: number): number => {
    const a = paramsColumns.index(alpha);
    const b = samplesColumns.index(beta);
    let cross = 0;
    for (let i = 0, ia = a * n, ib = b * n; i < n; i++)
      cross += paramsColumns.weighted[ia + i] * samplesColumns.values[ib + i];
    gram[0] = sumW;
    gram[1] = gram[3] = paramsColumns.sum[a];
    gram[2] = gram[6] = samplesColumns.sum[b];
    gram[4] = paramsColumns.squares[a];
    gram[5] = gram[7] = cross;
    gram[8] = samplesColumns.squares[b];
    rhs[0] = sumWL;
    rhs[1] = paramsColumns.withTarget[a];
    rhs[2] = samplesColumns.withTarget[b];
    const residual = gramNonNegativeLeastSquares(gram, rhs, sumWLL, 3, coefficients);
    coefficients[1] /= paramsColumns.scale[a];
    coefficients[2] /= samplesColumns.scale[b];
    return residual;
  };
  const grid = new Float64Array(size * size);
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) grid[i * size + j] = evaluate(JOINT_EXPONENTS[i], JOINT_EXPONENTS[j]);
  const minima: { i: number; j: number; residual: number }[] = [];
  for (let i = 0; i < size; i++)
    for (let j = 0; j < size; j++) {
      const here = grid[i * size + j];
      let lowest = Number.isFinite(here);
      for (let di = -1; di <= 1 && lowest; di++)
        for (let dj = -1; dj <= 1; dj++) {
          const [ni, nj] = [i + di, j + dj];
          if ((di !== 0 || dj !== 0) && ni >= 0 && nj >= 0 && ni < size && nj < size && grid[ni * size + nj] < here)
            lowest = false;
        }
      if (lowest) minima.push({ i, j, residual: here });
    }
  minima.sort((a, b) => a.residual - b.residual);
  const meanLoss = sumWL / sumW;
  return minima.slice(0, count).map(({ i, j }) => {
    // Refine on a 5 × 5 grid over the cell spanning the neighbouring nodes.
    const [aLo, aHi] = [JOINT_EXPONENTS[Math.max(0, i - 1)], JOINT_EXPONENTS[Math.min(size - 1, i + 1)]];
    const [bLo, bHi] = [JOINT_EXPONENTS[Math.max(0, j - 1)], JOINT_EXPONENTS[Math.min(size - 1, j + 1)]];
    let best = { residual: Infinity, alpha: 0, beta: 0, e: 0, a: 0, b: 0 };
    for (let s = 0; s <= 4; s++)
      for (let t = 0; t <= 4; t++) {
        const alpha = aLo + ((aHi - aLo) * s) / 4;
        const beta = bLo + ((bHi - bLo) * t) / 4;
        const residual = evaluate(alpha, beta);
        if (residual < best.residual)
          best = { residual, alpha, beta, e: coefficients[0], a: coefficients[1], b: coefficients[2] };
      }
    // A coefficient at zero would be ln 0: start it where its term is 0.1 % of the loss instead.
    const tiny = 1e-3 * meanLoss;
    const e = best.e > 0 ? best.e : tiny;
    const a = best.a > 0 ? best.a : tiny * Math.exp(best.alpha * mean(points.logN!));
    const b = best.b > 0 ? best.b : tiny * Math.exp(best.beta * mean(points.logD!));
    return Float64Array.of(Math.log(e), Math.log(a), Math.log(b), best.alpha, best.beta);
  });
}

/** Starts (ln E∞, ln β, α) for E = E∞ + β·C^α: the best local minima of a grid over α < 0. */
export function saturatingStarts(data: LawData, count = 2): Float64Array[] {
  const points = thin(data);
  const n = points.n;
  const error = new Float64Array(n);
  const weights = new Float64Array(n);
  let sumWEE = 0;
  for (let i = 0; i < n; i++) {
    error[i] = Math.exp(points.logE[i]);
    weights[i] = (points.weight ? points.weight[i] : 1) / (error[i] * error[i]);
    sumWEE += weights[i] * error[i] * error[i];
  }
  const exponents = Array.from(
    { length: 48 },
    (_, k) => -Math.exp(Math.log(0.005) + ((Math.log(3) - Math.log(0.005)) * k) / 47),
  );
  let sumW = 0;
  let sumWE = 0;
  for (let i = 0; i < n; i++) {
    sumW += weights[i];
    sumWE += weights[i] * error[i];
  }
  const gram = new Float64Array(4);
  const rhs = new Float64Array(2);
  const coefficients = new Float64Array(2);
  const nodes = exponents.map((alpha) => {
    // Σ w·f, Σ w·f², Σ w·f·E for f = C^α scaled by its largest value (no arrays: this runs per resample).
    let largest = 0;
    for (let i = 0; i < n; i++) largest = Math.max(largest, alpha * points.logC[i]);
    let sum = 0;
    let squares = 0;
    let withError = 0;
    for (let i = 0; i < n; i++) {
      const f = Math.exp(alpha * points.logC[i] - largest);
      const wf = weights[i] * f;
      sum += wf;
      squares += wf * f;
      withError += wf * error[i];
    }
    gram[0] = sumW;
    gram[1] = gram[2] = sum;
    gram[3] = squares;
    rhs[0] = sumWE;
    rhs[1] = withError;
    const residual = gramNonNegativeLeastSquares(gram, rhs, sumWEE, 2, coefficients);
    return { residual, eInf: coefficients[0], beta: coefficients[1] / Math.exp(largest), alpha };
  });
  const minima = nodes
    .map((node, k) => ({ node, k }))
    .filter(
      ({ node, k }) =>
        Number.isFinite(node.residual) &&
        (k === 0 || nodes[k - 1].residual >= node.residual) &&
        (k === nodes.length - 1 || nodes[k + 1].residual >= node.residual),
    );
  minima.sort((a, b) => a.node.residual - b.node.residual);
  let minError = Infinity;
  for (let i = 0; i < n; i++) minError = Math.min(minError, error[i]);
  const meanLogC = mean(points.logC);
  return minima.slice(0, count).map(({ node }) => {
    const eInf = node.eInf > 0 ? node.eInf : 1e-3 * minError;
    const beta = node.beta > 0 ? node.beta : 1e-3 * minError * Math.exp(-node.alpha * meanLogC);
    return Float64Array.of(Math.log(eInf), Math.log(beta), node.alpha);
  });
}

/** At most GRID_POINTS points, evenly spaced through the data. */
function thin(data: LawData): LawData {
  if (data.n <= GRID_POINTS) return data;
  const step = data.n / GRID_POINTS;
  const pick = (values: Float64Array | undefined) =>
    values && Float64Array.from({ length: GRID_POINTS }, (_, k) => values[Math.floor(k * step)]);
  return {
    n: GRID_POINTS,
    logE: pick(data.logE)!,
    logC: pick(data.logC)!,
    logN: pick(data.logN),
    logD: pick(data.logD),
    weight: pick(data.weight),
  };
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}
