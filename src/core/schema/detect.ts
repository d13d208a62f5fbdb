/**
 * Recognises the results layouts of this field without configuration: the OpenCLIP scaling CSV (with its
 * arch_info.csv), CLIP_benchmark JSON/CSV, OpenCLIP training logs, the clip-shapes runs and curves; falls back to
 * column-name heuristics. `scaling-lens.json` overrides any of it (see config.ts).
 */
import { InputError } from '../errors';
import type { Table } from '../ingest/table';
import { readArchitectureTable, type ArchitectureTable } from './architectures';
import type { DatasetSpec } from './spec';

/** Reads a file that sits beside the results file; undefined when it does not exist. */
export type SiblingReader = (name: string) => Table | undefined;

const has = (table: Table, ...names: string[]) => names.every((n) => table.columns.includes(n));

export function detectSpec(table: Table, sibling: SiblingReader): DatasetSpec {
  if (has(table, 'arch', 'gmacs_total', 'upstream_dataset', 'downstream_dataset')) return openclipResults(table, sibling);
  if (has(table, 'run_id', 'total_gflops', 'params', 'samples_seen')) return clipShapesRuns(table);
  if (has(table, 'run_id', 'step', 'samples_seen')) return clipShapesCurves(table, sibling);
  if (has(table, 'dataset', 'model', 'pretrained') && table.columns.some((c) => /acc1|recall@/.test(c))) return clipBenchmark(table);
  if (table.columns.some((c) => /zeroshot-val-top1/.test(c)) && has(table, 'epoch')) return openclipTrainingLog(table);
  return generic(table);
}

function openclipResults(table: Table, sibling: SiblingReader): DatasetSpec {
  const archTable = sibling('arch_info.csv');
  const notes: string[] = [];
  let architectures: ArchitectureTable | undefined;
  if (archTable) {
    architectures = readArchitectureTable(archTable);
    notes.push(`parameters from ${archTable.file} (mparams × 1e6), joined on arch`);
  }
  return {
    profile: 'openclip-results',
    metric: 'acc1',
    compute: ['gmacs_total'],
    samples: 'samples_seen',
    params: architectures ? 'arch:params' : undefined,
    group: { column: 'upstream_dataset', pools: [{ name: 'LAION', pattern: '^LAION-' }] },
    filters: [{ column: 'downstream_dataset', value: 'imagenet1k' }],
    joins: [],
    arch: 'arch',
    label: 'name',
    taskColumn: 'downstream_dataset',
    architectures,
    defaultFrontier: { kind: 'binned', bins: 5 },
    smallGroupAllPoints: 5,
    computeModel: 'architectures',
    notes,
  };
}

function clipShapesRuns(table: Table): DatasetSpec {
  return {
    profile: 'clip-shapes-runs',
    metric: 'zs_top1',
    compute: ['total_gflops'],
    params: 'params',
    samples: 'samples_seen',
    unique: has(table, 'unique_samples') ? 'unique_samples' : undefined,
    group: has(table, 'dataset') ? { column: 'dataset' } : undefined,
    filters: [],
    joins: [],
    arch: 'model',
    label: 'run_id',
    defaultFrontier: { kind: 'pareto' },
    computeModel: 'architectures',
    notes: ['compute = total_gflops (FLOPs, where the paper uses GMACs)'],
  };
}

function clipShapesCurves(table: Table, sibling: SiblingReader): DatasetSpec {
  const runs = sibling('runs.csv');
  if (!runs || !has(runs, 'run_id', 'gflops_per_sample')) {
    throw new InputError({ file: table.file, line: 1, column: 1 }, 'training curves need runs.csv beside them (run_id, gflops_per_sample, params) to know each run\'s compute; none was found');
  }
  return {
    profile: 'clip-shapes-curves',
    metric: 'zs_top1',
    compute: ['run:gflops_per_sample', 'samples_seen'],
    params: 'run:params',
    samples: 'samples_seen',
    group: { column: 'run:dataset' },
    filters: [],
    // Runs still training (or stopped) log curves but have no row in runs.csv yet: left out, and counted.
    joins: [{ column: 'run_id', table: runs, key: 'run_id', as: 'run', skipUnmatched: true }],
    arch: 'run:model',
    label: 'run_id',
    defaultFrontier: { kind: 'pareto' },
    notes: [`compute = gflops_per_sample (from ${runs.file}) × samples_seen`],
  };
}

function clipBenchmark(table: Table): DatasetSpec {
  const metric = table.columns.includes('acc1') ? 'acc1' : table.columns.find((c) => /image_retrieval_recall@5/.test(c)) ?? 'acc1';
  return {
    profile: 'clip-benchmark',
    metric,
    compute: ['gmacs_total'],
    samples: 'samples_seen',
    group: { column: 'pretrained' },
    filters: [],
    joins: [],
    arch: 'model',
    label: 'model',
    taskColumn: 'dataset',
    defaultFrontier: { kind: 'pareto' },
    notes: ['CLIP_benchmark output: compute needs `gmacs_total` or a scaling-lens.json `compute` expression'],
  };
}

function openclipTrainingLog(table: Table): DatasetSpec {
  const metric = table.columns.find((c) => /zeroshot-val-top1/.test(c))!;
  return {
    profile: 'openclip-training-log',
    metric,
    compute: [has(table, 'num_samples') ? 'num_samples' : 'epoch'],
    samples: has(table, 'num_samples') ? 'num_samples' : undefined,
    filters: [],
    joins: [],
    label: 'epoch',
    defaultFrontier: { kind: 'all' },
    notes: ['training log: compute is samples seen (one architecture, so proportional to FLOPs)'],
  };
}

const COMPUTE_NAMES = ['compute', 'total_flops', 'flops', 'total_gflops', 'gflops_total', 'gmacs_total', 'total_compute', 'pf_days', 'petaflop_days', 'C'];
const METRIC_NAMES = ['loss', 'eval_loss', 'val_loss', 'test_loss', 'error', 'acc1', 'accuracy', 'acc', 'top1'];

function generic(table: Table): DatasetSpec {
  const compute = COMPUTE_NAMES.find((n) => table.columns.includes(n));
  const metric = METRIC_NAMES.find((n) => table.columns.includes(n)) ?? table.columns.find((c) => /loss|acc|error/i.test(c));
  const params = ['params', 'n_params', 'parameters', 'N'].find((n) => table.columns.includes(n));
  const samples = ['tokens', 'samples_seen', 'samples', 'n_tokens', 'D'].find((n) => table.columns.includes(n));
  const notes: string[] = [];
  let computeColumns: string[];
  if (compute) computeColumns = [compute];
  else if (params && samples) {
    computeColumns = ['6', params, samples];
    notes.push(`no compute column: C = 6·${params}·${samples} (the language-model estimate)`);
  } else {
    throw new InputError({ file: table.file, line: 1, column: 1 }, `no compute column recognised (looked for ${COMPUTE_NAMES.join(', ')}, or params and tokens): name one with --compute or in scaling-lens.json`);
  }
  if (!metric) throw new InputError({ file: table.file, line: 1, column: 1 }, 'no metric column recognised (loss, error, accuracy…): name one with --metric or in scaling-lens.json');
  return {
    profile: 'generic',
    metric,
    compute: computeColumns,
    params,
    samples,
    filters: [],
    joins: [],
    defaultFrontier: { kind: 'pareto' },
    computeModel: params && samples && !compute ? 'six-n' : undefined,
    notes,
  };
}
