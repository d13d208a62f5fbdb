/** A scaling law as the fitter sees it: ln E predicted from an unconstrained parameter vector θ, with its Jacobian. */
import { formatExponent, formatNumber } from '../format';

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
  /** The symbol the law's literature gives the fitted quantity: E (error) for laws of compute, L (loss) for the joint law. */
  symbol: FittedSymbol;
  /**
   * Human formula with the fitted numbers, e.g. `E = 5.86·C^−0.111`; `symbol` names the fitted quantity (default
   * the law's own), so a caller that knows the metric (a loss L, an error E) prints it without rewriting the text.
   */
  formula(params: LawParams, digits?: number, symbol?: FittedSymbol): string;
}

/** What the fitted quantity is called on the left of a formula. */
export type FittedSymbol = 'E' | 'L';

/**
 * A law as written once: its log-space formula (logPredict, with the Jacobian) and the right-hand side of its printed
 * formula. `defineLaw` derives the rest from them.
 */
export type LawDefinition = Omit<Law, 'predict' | 'formula'> & {
  /** The printed formula's right-hand side with the fitted numbers, e.g. `5.86·C^−0.111`. */
  rightHandSide(params: LawParams, digits: number): string;
};

/** A law from its definition: `predict` is exp(logPredict) at one point and every formula is printed one way. */
export function defineLaw(definition: LawDefinition): Law {
  const { rightHandSide, ...law } = definition;
  return {
    ...law,
    predict: predictFromLogPredict(law),
    formula: (params, digits = 3, symbol = law.symbol) => `${symbol} = ${rightHandSide(params, digits)}`,
  };
}

/**
 * A law's prediction at one input, E = exp(ln E) from its logPredict: the formula is written once, in log space.
 * Searches (the compute-optimal allocation) predict thousands of times with the same parameters: θ is kept for the
 * last parameter values seen.
 */
export function predictFromLogPredict(
  law: Pick<Law, 'logPredict' | 'fromParams' | 'paramNames' | 'inputs'>,
): Law['predict'] {
  const names = law.paramNames;
  const lastValues = new Float64Array(names.length).fill(NaN);
  let theta: Float64Array = new Float64Array(0);
  const point = {
    n: 1,
    logE: new Float64Array(1),
    logC: new Float64Array(1),
    logN: new Float64Array(1),
    logD: new Float64Array(1),
  } satisfies LawData;
  const prediction = new Float64Array(1);
  return (params, at) => {
    let same = theta.length > 0;
    for (let k = 0; k < names.length; k++) {
      const value = params[names[k]];
      // NaN never equals itself: parameters with a NaN are converted afresh (and predict NaN).
      if (value !== lastValues[k]) {
        same = false;
        lastValues[k] = value;
      }
    }
    if (!same) theta = law.fromParams(params);
    if (law.inputs === 'compute') point.logC[0] = Math.log(at.compute ?? NaN);
    else {
      point.logN[0] = Math.log(at.params ?? NaN);
      point.logD[0] = Math.log(at.samples ?? NaN);
    }
    law.logPredict(theta, point, prediction);
    return Math.exp(prediction[0]);
  };
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
export { formatExponent, formatNumber };

/** A term of a sum is negligible at θ when its share of every prediction is below this. */
export const NEGLIGIBLE_SHARE = 1e-3;
