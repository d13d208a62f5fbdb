/** Which decision analyses a fit asks for, with their settings (CLI flags; the panel can build the same object). */
export interface DecisionRequest {
  /** Differences between groups with bootstrap intervals, p-values and the crossing compute. */
  compare: boolean;
  /** The three Chinchilla approaches to N_opt(C) and D_opt(C). */
  approaches: boolean;
  /** Runs whose log10 compute differ by at most this share an isoFLOP budget (default 0.05). */
  isoflopTolerance?: number;
  /** A column naming each run's isoFLOP budget, instead of grouping by compute. */
  budgetColumn?: string;
  /** Forecast each training curve's final metric at its planned length. */
  forecast: boolean;
  /** Cut every curve to this fraction of its planned length first (validation). */
  cut?: number;
  /** Planned samples of a single-run training log that does not say it. */
  planned?: number;
  /** Rank candidate runs by how much they narrow the 95 % interval of the prediction at this compute. */
  suggest?: number;
  /** Largest compute of a generated candidate (default: the largest run's compute). */
  computeCap?: number;
  /** A CSV of candidate configurations (arch,samples or params,samples or compute). */
  candidates?: string;
  /** Fit every task of the file and tabulate them. */
  allTasks: boolean;
}
