/**
 * Recognises the results layouts of this field without configuration: the OpenCLIP scaling CSV (with its
 * arch_info.csv), CLIP_benchmark JSON/CSV, OpenCLIP training logs, the clip-shapes runs and curves; falls back to
 * column-name heuristics. `scaling-lens.json` overrides any of it (see config.ts).
 */
import { addColumn, columnData, columnIndex, type Table } from '../ingest/table';
import { textAt } from '../ingest/cellText';
import { openclipArchitectures } from './openclipArchitectures';
import { readArchitectureTable, type ArchitectureTable } from './architectures';
import {
  clipBenchmark,
  isClipBenchmark,
  isOpenclipResultsTable,
  openclipResultsTable,
  openclipTaskMetric,
  type SiblingReader,
} from './clipLayouts';
import type { DatasetSpec } from './spec';

export type { SiblingReader } from './clipLayouts';
export { samplesFromPretrainedTag } from './pretrainedTags';

const has = (table: Table, ...names: string[]) => names.every((n) => table.columns.includes(n));

/** The layout's spec. Never fails for want of a column: what it cannot find is `unresolved`, for flags to name. */
export interface DetectOptions {
  /** Samples seen for pretrained tags that do not say it, from scaling-lens.json's `samplesSeen`. */
  tagSamples?: Record<string, number>;
}

export function detectSpec(
  table: Table,
  sibling: SiblingReader,
  siblingText: (name: string) => string | undefined = () => undefined,
  options: DetectOptions = {},
): DatasetSpec {
  if (has(table, 'arch', 'gmacs_total', 'upstream_dataset', 'downstream_dataset'))
    return openclipResults(table, sibling);
  if (has(table, 'run_id', 'total_gflops', 'params', 'samples_seen')) return clipShapesRuns(table);
  if (has(table, 'run_id', 'step', 'samples_seen')) return clipShapesCurves(table, sibling);
  if (isClipBenchmark(table)) return clipBenchmark(table, sibling, options.tagSamples);
  if (isOpenclipResultsTable(table)) return openclipResultsTable(table, sibling, options.tagSamples);
  if (table.columns.some((c) => /zeroshot-val-top1/.test(c)) && has(table, 'epoch'))
    return openclipTrainingLog(table, siblingText);
  return generic(table);
}

function openclipResults(table: Table, sibling: SiblingReader): DatasetSpec {
  const archTable = sibling('arch_info.csv');
  const notes: string[] = [];
  let architectures: ArchitectureTable | undefined;
  if (archTable) {
    architectures = readArchitectureTable(archTable).architectures;
    notes.push(`parameters from ${archTable.file} (mparams × 1e6), joined on arch`);
  }
  return {
    profile: 'openclip-results',
    taskMetric: openclipTaskMetric,
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
    return {
      profile: 'clip-shapes-curves',
      metric: 'zs_top1',
      compute: [],
      samples: 'samples_seen',
      filters: [],
      joins: [],
      label: 'run_id',
      defaultFrontier: { kind: 'pareto' },
      notes: [],
      unresolved: {
        compute:
          "training curves need runs.csv beside them (run_id, gflops_per_sample, params) to know each run's compute; none was found (or name it with --compute)",
      },
    };
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

/** OpenCLIP's params.txt: one `key: value` per line. */
export function parseParamsTxt(text: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) params.set(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  return params;
}

/**
 * OpenCLIP training log (`results.jsonl`): one line per evaluated epoch. Its `num_samples` counts validation images,
 * so samples seen come from params.txt beside it (epoch × train_num_samples) and compute from the model's GMACs.
 */
function openclipTrainingLog(table: Table, siblingText: (name: string) => string | undefined): DatasetSpec {
  const metric = table.columns.find((c) => /zeroshot-val-top1/.test(c))!;
  const paramsText = siblingText('params.txt');
  const params = paramsText === undefined ? undefined : parseParamsTxt(paramsText);
  const model = params?.get('model');
  const perEpoch = Number(params?.get('train_num_samples'));
  const architectures = openclipArchitectures();
  const arch = model ? architectures.get(model) : undefined;
  if (params && Number.isFinite(perEpoch) && perEpoch > 0 && has(table, 'epoch')) {
    const epochCol = columnIndex(table, 'epoch');
    addColumn(
      table,
      'samples_seen',
      Float64Array.from({ length: table.rowCount }, (_, row) => Number(textAt(table, row, epochCol)) * perEpoch),
    );
    const notes = [`samples seen = epoch × train_num_samples (${perEpoch}) from params.txt`];
    if (arch)
      notes.push(
        `compute = ${arch.computePerSample} GMACs per sample (${model}, OpenCLIP architecture table) × samples seen`,
      );
    else
      notes.push(
        `model "${model ?? '?'}" is not in the OpenCLIP architecture table: compute is samples seen (one architecture, so proportional to FLOPs)`,
      );
    return {
      profile: 'openclip-training-log',
      metric,
      compute: arch ? [String(arch.computePerSample), 'samples_seen'] : ['samples_seen'],
      samples: 'samples_seen',
      filters: [],
      joins: [],
      label: 'epoch',
      defaultFrontier: { kind: 'all' },
      notes,
    };
  }
  return {
    profile: 'openclip-training-log',
    metric,
    compute: ['epoch'],
    filters: [],
    joins: [],
    label: 'epoch',
    defaultFrontier: { kind: 'all' },
    notes: [
      'training log without params.txt: compute is the epoch (one model, fixed samples per epoch, so proportional to FLOPs)',
    ],
  };
}

const COMPUTE_NAMES = [
  'compute',
  'total_flops',
  'flops',
  'total_gflops',
  'gflops_total',
  'gmacs_total',
  'total_compute',
  'pf_days',
  'petaflop_days',
  'C',
];
const METRIC_NAMES = ['loss', 'eval_loss', 'val_loss', 'test_loss', 'error', 'acc1', 'accuracy', 'acc', 'top1'];

/** A known name first, else the first numeric column whose name matches (`Training FLOP`, `Model Size`). */
function findColumn(table: Table, names: string[], pattern: RegExp): string | undefined {
  return (
    names.find((n) => table.columns.includes(n)) ??
    table.columns.find((c, col) => pattern.test(c) && columnData(table, col) instanceof Float64Array)
  );
}

function generic(table: Table): DatasetSpec {
  const compute = findColumn(
    table,
    COMPUTE_NAMES,
    /(^|[^a-z])(g?flops?|compute|gmacs|pf[-_ ]?days|petaflop[-_ ]?days)([^a-z]|$)/i,
  );
  const metric =
    METRIC_NAMES.find((n) => table.columns.includes(n)) ?? table.columns.find((c) => /loss|acc|error/i.test(c));
  const params = findColumn(
    table,
    ['params', 'n_params', 'parameters', 'N'],
    /^(model[ _-]?size|n[ _-]?params|num[ _-]?params|parameters|params)\b/i,
  );
  const samples = findColumn(
    table,
    ['tokens', 'samples_seen', 'samples', 'n_tokens', 'D'],
    /(^|[^a-z])(tokens|samples)([^a-z]|$)/i,
  );
  // Names for tooltips and tables, and architectures for markers and the nearest real configuration.
  const label = ['name', 'run_name', 'run_id', 'run', 'id'].find((n) => table.columns.includes(n));
  const arch = ['arch', 'architecture', 'model_arch'].find((n) => table.columns.includes(n));
  const notes: string[] = [];
  let computeColumns: string[] = [];
  const unresolved: DatasetSpec['unresolved'] = {};
  if (compute) computeColumns = [compute];
  else if (params && samples) {
    computeColumns = ['6', params, samples];
    notes.push(`no compute column: C = 6·${params}·${samples} (the language-model estimate)`);
  } else {
    unresolved.compute = `no compute column recognised (looked for ${COMPUTE_NAMES.join(', ')}, or params and tokens): name one with --compute or in scaling-lens.json`;
  }
  if (!metric)
    unresolved.metric =
      'no metric column recognised (loss, error, accuracy…): name one with --metric or in scaling-lens.json';
  return {
    profile: 'generic',
    metric: metric ?? '',
    unresolved: unresolved.compute || unresolved.metric ? unresolved : undefined,
    compute: computeColumns,
    params,
    samples,
    label,
    arch,
    filters: [],
    joins: [],
    defaultFrontier: { kind: 'pareto' },
    computeModel: params && samples && !compute ? 'six-n' : undefined,
    notes,
  };
}
