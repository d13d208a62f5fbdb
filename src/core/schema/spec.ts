/** What to fit in a table: which columns are compute, error, params, samples, group — resolved before any number is read. */
import type { SourceLocation } from '../errors';
import type { ArchitectureTable } from './architectures';
import type { FrontierSpec } from '../frontier';
import type { Table } from '../ingest/table';

export interface Filter {
  column: string;
  value: string;
}

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

export interface DatasetSpec {
  /** Which known layout was recognised ('configured' for scaling-lens.json, 'generic' for heuristics). */
  profile: string;
  metric: string;
  /** Product of these columns is the compute C (after joins). */
  compute: string[];
  params?: string;
  /** Multiplies the params column (e.g. 1e6 for `mparams`). */
  paramsScale?: number;
  samples?: string;
  unique?: string;
  group?: GroupRule;
  filters: Filter[];
  joins: Join[];
  arch?: string;
  label?: string;
  /** Column whose value selects the downstream task (OpenCLIP `downstream_dataset`). */
  taskColumn?: string;
  architectures?: ArchitectureTable;
  defaultFrontier: FrontierSpec;
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
