/**
 * What a user must know about a number the tool printed: fit warnings (CLI text, JSON `warnings`, the panel's banner,
 * the Problems panel where a row is concerned) and outlying runs.
 */
export const FIT_WARNING_KINDS = [
  /** The fitted error falls with compute the wrong way (error exponent > 0). */
  'positive-exponent',
  /** Fewer points than the law's parameters + 2: the fit is close to an interpolation. */
  'few-points',
  /** A parameter at or near a bound of its range (e.g. the saturating floor E∞ → 0). */
  'at-bound',
  /** Flat directions: the data cannot pin a parameter down (identical compute values, too few distinct points). */
  'not-identifiable',
  /** The optimiser stopped without meeting its convergence test. */
  'not-converged',
  /** Bootstrap resamples that gave no usable fit. */
  'bootstrap-failures',
  /** A run far off the fitted law (robust z-score of its log-space residual beyond 3.5). */
  'outlier',
  /** How the metric column was read (direction, percent vs fraction) needed a decision worth stating. */
  'metric-scale',
] as const;

export type FitWarningKind = (typeof FIT_WARNING_KINDS)[number];

export interface FitWarning {
  kind: FitWarningKind;
  message: string;
  /** Source line of the run concerned, when one run is. */
  line?: number;
}

/** A run whose log10 residual from the fitted law has a robust (median/MAD) z-score beyond the threshold. */
export interface Outlier {
  line: number;
  residual_log10: number;
  z: number;
}
