/** The settings of one fit as the extension keeps them (panel toolbar, quick picks, remembered per file). */
import type { LawName } from './laws/law';
import type { Direction } from './schema/metric';

/** The frontier setting that means "the layout's own choice" (e.g. the paper's binned:5 on OpenCLIP results). */
export const DEFAULT_FRONTIER = 'default';

export interface FitSettings {
  task?: string;
  metric?: string;
  /** A column to group runs by; null fits all runs as one group; absent: the layout's own grouping. */
  group?: string | null;
  law: LawName;
  /** 'default' (the layout's own choice, e.g. the paper's binned:5), all, pareto or binned:K (checkFrontier). */
  frontier: string;
  bootstrap: boolean;
  /** Compute budgets for predicted compute-optimal configurations (and how far the plot extrapolates). */
  budgets: number[];
  /** Whether higher or lower values of `metric` (or the detected metric) are better; absent: read from its name. */
  direction?: Direction;
  /** The budgets as the user typed them (`1e20` stays `1e20`), parallel to `budgets`. */
  budgetText?: string[];
}
