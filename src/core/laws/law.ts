/** A scaling law as the fitter sees it: ln E predicted from an unconstrained parameter vector θ, with its Jacobian. */
/** Every law by name: the one list the CLI, scaling-lens.json and the message validators check against. */
export const LAW_NAMES = ['power', 'saturating', 'joint', 'broken', 'broken2'] as const;

export type LawName = (typeof LAW_NAMES)[number];

/** Points in log space (natural logs). */
export interface LawData {
  n: number;
  logE: Float64Array;
  logC: Float64Array;
  logN?: Float64Array;
  logD?: Float64Array;
  /** How many times each point counts (a bootstrap resample's repeated runs, stored once); 1 when absent. */
  weight?: Float64Array;
}

/** Where to evaluate a law: at a compute, or at (params, samples) for the joint law. */
export interface LawInput {
  compute?: number;
  params?: number;
  samples?: number;
}

export type LawParams = Record<string, number>;

/** A law as data (structured-cloneable, so a worker thread can rebuild it): its name, fixed and tied parameters. */
export interface LawSpec {
  name: LawName;
  /** Public parameters held at a value (e.g. alpha = −0.1 to test a published exponent). */
  fix?: Record<string, number>;
  /** Pairs of public parameters constrained equal (e.g. [alpha, beta]: L = E + A/N^α + B/D^α). */
  tie?: [string, string][];
}

export interface Law {
  name: LawName;
  spec: LawSpec;
  /** Public parameter names, in the JSON output's order. */
  paramNames: readonly string[];
  /** What each component of θ is (the free parameters, by public name); paramNames when none is fixed or tied. */
  thetaNames: readonly string[];
  inputs: 'compute' | 'params-samples';
  /** ln prediction per point into `out`; when `jac` is given, d ln pred / dθ row-major (n × θ length). */
  logPredict(theta: Float64Array, data: LawData, out: Float64Array, jac?: Float64Array): void;
  toParams(theta: ArrayLike<number>): LawParams;
  fromParams(params: LawParams): Float64Array;
  /**
   * Optional fused objective (value, and gradient when given) for least squares (delta = null) or Huber(delta):
   * the hot loop of large multi-start fits, without the Jacobian buffer.
   */
  fusedObjective?(theta: Float64Array, data: LawData, delta: number | null, gradient?: Float64Array): number;
  /**
   * Optional fused Gauss–Newton pass for Levenberg–Marquardt (its hot loop on bootstrap resamples): the loss
   * (least squares for delta = null, else Huber(delta)), and into `out` its gradient, the sums of the gradient's
   * absolute terms, the curvature Σ w·ρ''·JᵀJ and the IRLS majoriser Σ w·ψ(r)/r·JᵀJ (both p × p, row-major).
   */
  linearise?(theta: Float64Array, data: LawData, delta: number | null, out: Linearisation): number;
  /** Multi-start grid of θ vectors. */
  starts(data: LawData): Float64Array[];
  /**
   * A few starts from the data alone, cheap enough to try on every bootstrap resample beside the warm start
   * (default: the `starts` grid when it is small, screened by objective).
   */
  quickStarts?(data: LawData): Float64Array[];
  /** Public parameters at or near a bound of their range at θ (e.g. a floor negligible at every point). */
  atBound?(theta: Float64Array, data: LawData): string[];
  /** Public parameters held fixed, with their values: reported with no interval. */
  fixed?: Readonly<Record<string, number>>;
  predict(params: LawParams, at: LawInput): number;
  /** Human formula with the fitted numbers, e.g. `E = 5.86·C^−0.111`. */
  formula(params: LawParams, digits?: number): string;
}

/** What one Gauss–Newton pass of Levenberg–Marquardt needs at θ. */
export interface Linearisation {
  gradient: Float64Array;
  gradientScale: Float64Array;
  curvature: Float64Array;
  majoriser: Float64Array;
}

/** ln(e^u + e^v) and the weight of u in it, without overflow. */
export function logSumExp2(u: number, v: number): [value: number, weightU: number] {
  const m = u > v ? u : v;
  const eu = Math.exp(u - m);
  const ev = Math.exp(v - m);
  return [m + Math.log(eu + ev), eu / (eu + ev)];
}

/** Formulas use the project's one number formatter. */
export { formatExponent, formatNumber } from '../format';

export function logLinspace(lo: number, hi: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => lo + ((hi - lo) * k) / Math.max(1, count - 1));
}

/** A term of a sum is negligible at θ when its share of every prediction is below this. */
export const NEGLIGIBLE_SHARE = 1e-3;
