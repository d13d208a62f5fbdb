/**
 * Recognises the results layouts of this field without configuration: the OpenCLIP scaling CSV (with its
 * arch_info.csv), CLIP_benchmark JSON/CSV, OpenCLIP training logs, the clip-shapes runs and curves; falls back to
 * column-name heuristics. `scaling-lens.json` overrides any of it (see config.ts).
 */
import { InputError } from '../errors';
import { addColumn, columnIndex, type Table } from '../ingest/table';
import { textAt } from '../ingest/numeric';
import { openclipArchitectures } from './openclipArchitectures';
import { readArchitectureTable, type ArchitectureTable } from './architectures';
import type { DatasetSpec } from './spec';

/** Reads a file that sits beside the results file; undefined when it does not exist. */
export type SiblingReader = (name: string) => Table | undefined;

const has = (table: Table, ...names: string[]) => names.every((n) => table.columns.includes(n));

export function detectSpec(table: Table, sibling: SiblingReader, siblingText: (name: string) => string | undefined = () => undefined): DatasetSpec {
  if (has(table, 'arch', 'gmacs_total', 'upstream_dataset', 'downstream_dataset')) return openclipResults(table, sibling);
  if (has(table, 'run_id', 'total_gflops', 'params', 'samples_seen')) return clipShapesRuns(table);
  if (has(table, 'run_id', 'step', 'samples_seen')) return clipShapesCurves(table, sibling);
  if (has(table, 'dataset', 'model', 'pretrained') && table.columns.some((c) => /acc1|recall@/.test(c))) return clipBenchmark(table, sibling);
  if (table.columns.some((c) => /zeroshot-val-top1/.test(c)) && has(table, 'epoch')) return openclipTrainingLog(table, siblingText);
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

/**
 * Samples seen from an OpenCLIP pretrained tag: `laion2b_s34b_b79k` → 34e9, `..._s13b_...` → 13e9; `openai` → 1.28e10
 * (the value the paper uses for OpenAI's models). Other tags (epoch-based, e.g. `laion400m_e32`) give NaN.
 */
export function samplesFromPretrainedTag(tag: string): number {
  if (tag === 'openai') return 1.28e10;
  const match = /(?:^|_)s(\d+(?:\.\d+)?)([bmk])(?:_|$)/i.exec(tag);
  if (!match) return NaN;
  return Number(match[1]) * { b: 1e9, m: 1e6, k: 1e3 }[match[2].toLowerCase() as 'b' | 'm' | 'k'];
}

function clipBenchmark(table: Table, sibling: SiblingReader): DatasetSpec {
  const metric = table.columns.includes('acc1') ? 'acc1' : table.columns.find((c) => /image_retrieval_recall@5/.test(c)) ?? 'acc1';
  const notes: string[] = ['CLIP_benchmark results: compute = GMACs per sample of the model × samples seen'];
  if (!table.columns.includes('samples_seen')) {
    const pretrained = columnIndex(table, 'pretrained');
    addColumn(table, 'samples_seen', Float64Array.from({ length: table.rowCount }, (_, row) => samplesFromPretrainedTag(textAt(table, row, pretrained))));
    notes.push('samples seen read from the pretrained tag (…_s34b_… = 34e9; openai = 1.28e10); other tags need a samples_seen column');
  }
  const archTable = sibling('arch_info.csv');
  const architectures = archTable ? readArchitectureTable(archTable) : openclipArchitectures();
  notes.push(archTable ? `GMACs and parameters from ${archTable.file}` : 'GMACs and parameters from the OpenCLIP architecture table of Cherti et al. (built in)');
  return {
    profile: 'clip-benchmark',
    metric,
    compute: ['arch:computePerSample', 'samples_seen'],
    params: 'arch:params',
    samples: 'samples_seen',
    group: { column: 'pretrained', pools: [{ name: 'LAION', pattern: '^laion' }, { name: 'CLIP-WIT', pattern: '^openai$' }] },
    filters: table.columns.includes('dataset') && hasValue(table, 'dataset', 'imagenet1k') ? [{ column: 'dataset', value: 'imagenet1k' }] : [],
    joins: [],
    arch: 'model',
    label: 'pretrained',
    taskColumn: 'dataset',
    architectures,
    defaultFrontier: { kind: 'pareto' },
    smallGroupAllPoints: 5,
    computeModel: 'architectures',
    notes,
  };
}

function hasValue(table: Table, column: string, value: string): boolean {
  const col = columnIndex(table, column);
  for (let row = 0; row < table.rowCount; row++) if (textAt(table, row, col) === value) return true;
  return false;
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
    addColumn(table, 'samples_seen', Float64Array.from({ length: table.rowCount }, (_, row) => Number(textAt(table, row, epochCol)) * perEpoch));
    const notes = [`samples seen = epoch × train_num_samples (${perEpoch}) from params.txt`];
    if (arch) notes.push(`compute = ${arch.computePerSample} GMACs per sample (${model}, OpenCLIP architecture table) × samples seen`);
    else notes.push(`model "${model ?? '?'}" is not in the OpenCLIP architecture table: compute is samples seen (one architecture, so proportional to FLOPs)`);
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
    notes: ['training log without params.txt: compute is the epoch (one model, fixed samples per epoch, so proportional to FLOPs)'],
  };
}

const COMPUTE_NAMES = ['compute', 'total_flops', 'flops', 'total_gflops', 'gflops_total', 'gmacs_total', 'total_compute', 'pf_days', 'petaflop_days', 'C'];
const METRIC_NAMES = ['loss', 'eval_loss', 'val_loss', 'test_loss', 'error', 'acc1', 'accuracy', 'acc', 'top1'];

function generic(table: Table): DatasetSpec {
  const compute = COMPUTE_NAMES.find((n) => table.columns.includes(n));
  const metric = METRIC_NAMES.find((n) => table.columns.includes(n)) ?? table.columns.find((c) => /loss|acc|error/i.test(c));
  const params = ['params', 'n_params', 'parameters', 'N'].find((n) => table.columns.includes(n));
  const samples = ['tokens', 'samples_seen', 'samples', 'n_tokens', 'D'].find((n) => table.columns.includes(n));
  // Names for tooltips and tables, and architectures for markers and the nearest real configuration.
  const label = ['name', 'run_name', 'run_id', 'run', 'id'].find((n) => table.columns.includes(n));
  const arch = ['arch', 'architecture', 'model_arch'].find((n) => table.columns.includes(n));
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
    label,
    arch,
    filters: [],
    joins: [],
    defaultFrontier: { kind: 'pareto' },
    computeModel: params && samples && !compute ? 'six-n' : undefined,
    notes,
  };
}
