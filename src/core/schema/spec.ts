/** What to fit in a table: which columns are compute, error, params, samples, group — resolved before any number is read. */
import type { SourceLocation } from '../errors';
import type { ArchitectureTable } from './architectures';
import type { ExpressionOrigin } from '../expr/origin';
import type { Filter } from '../expr/filter';
import type { FrontierSpec } from '../frontier';
import type { Table } from '../ingest/table';
import type { Direction } from './metric';

export type { Filter } from '../expr/filter';

/** The quantities a spec names by expression. */
export type QuantityName = 'metric' | 'compute' | 'params' | 'samples' | 'unique';

/** Groups by a column; `pools` merge several values into one group (the paper pools LAION-80M/400M/2B). */
export interface GroupRule {
  column: string;
  pools?: { name: string; pattern: string }[];
}

/** A lookup table joined on a key column, e.g. `arch` → `arch_info.csv` `model`. */
export interface Join {
  column: string;
  table: Table;
  key: string;
  /** Joined columns are named `<as>:<column>`. */
  as: string;
  /** Rows whose key is not in the joined table are left out (and counted) instead of being an error. */
  skipUnmatched?: boolean;
}

/** The known layouts a file is read as ('configured': a scaling-lens.json entry; 'generic': the heuristics). */
export type LayoutProfile =
  | 'openclip-results'
  | 'openclip-results-table'
  | 'clip-benchmark'
  | 'clip-shapes-runs'
  | 'clip-shapes-curves'
  | 'openclip-training-log'
  | 'configured'
  | 'generic';

/** A training log: one row per checkpoint of a run (its learning curve), not one row per finished run. */
export function isTrainingLog(spec: { profile: LayoutProfile }): boolean {
  return spec.profile === 'clip-shapes-curves' || spec.profile === 'openclip-training-log';
}

export interface DatasetSpec {
  /** Which known layout was recognised. */
  profile: LayoutProfile;
  /** A column, or an expression such as `1 - MMLU`. */
  metric: string;
  /** C is the product of these factors, each a column or an expression (`` `FLOPs (1E21)` * 1e21 ``). */
  compute: string[];
  /** A column or an expression; also samples and unique. */
  params?: string;
  /** Multiplies the params column (e.g. 1e6 for `mparams`). */
  paramsScale?: number;
  samples?: string;
  unique?: string;
  group?: GroupRule;
  filters: Filter[];
  joins: Join[];
  /** Named expressions (scaling-lens.json `derived`), usable by name wherever a column is. */
  derived?: Record<string, string>;
  /** Where quantities and filters were written (scaling-lens.json), for problems located in that file. */
  origins?: Partial<Record<QuantityName | 'group' | 'filters', ExpressionOrigin>> & {
    derived?: Record<string, ExpressionOrigin>;
  };
  /**
   * What the layout could not find by itself (no compute column…): an error only if no flag or scaling-lens.json
   * names it, since flags come first.
   */
  unresolved?: Partial<Record<'metric' | 'compute', string>>;
  /** Why a column derived by the layout is empty on a row (e.g. a pretrained tag that says nothing about samples seen). */
  missingReasons?: Record<string, (row: number) => string>;
  /** Score columns (higher is better) the layout offers as metrics, E = 1 − score (OpenCLIP's per-dataset columns). */
  scoreColumns?: string[];
  /** The score column the metric is made of. */
  scoreColumn?: string;
  arch?: string;
  label?: string;
  /** Column whose value selects the downstream task (OpenCLIP `downstream_dataset`). */
  taskColumn?: string;
  /**
   * The layout's metric for the rows the filters select, when no metric is asked for (OpenCLIP: the paper's
   * metric per task, e.g. image R@5 for retrieval); `fallback` when it has none for them.
   */
  taskMetric?: (table: Table, filters: Filter[], taskColumn: string, fallback: string) => string;
  architectures?: ArchitectureTable;
  defaultFrontier: FrontierSpec;
  /** The frontier was asked for (scaling-lens.json), not a layout's default: it then applies to every law. */
  frontierStated?: boolean;
  /** Whether higher or lower values of the metric are better, when stated (flag, config); else read from its name. */
  direction?: Direction;
  /** Groups this small get all their points instead of the default frontier (the paper's choice for OpenAI's 3 models). */
  smallGroupAllPoints?: number;
  /** Law parameters held at a value, and pairs constrained equal (scaling-lens.json `fix`, `tie`), and where. */
  fix?: Record<string, number>;
  tie?: [string, string][];
  constraintsAt?: SourceLocation;
  /** Compute per sample as a function of params comes from the arch table (CLIP) or 6·N (language models). */
  computeModel?: 'architectures' | 'six-n';
  notes: string[];
}
