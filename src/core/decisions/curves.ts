/**
 * Training curves read from a log: one curve per run (checkpoints of samples seen and error), the run's planned
 * length and its compute per sample. Layouts: OpenCLIP's learning-curve CSV (name, epoch; trained_models_info.csv
 * beside it gives samples per epoch and planned epochs), OpenCLIP results.jsonl + params.txt, clip-shapes
 * curves.jsonl + runs.csv, and any log with a run column, a samples/step column and a planned-length column or --planned.
 */
import type { AnalysisResult } from '../analysis';
import { UsageError } from '../errors';
import { numberAt } from '../ingest/numeric';
import { cellMatches, textAt } from '../ingest/cellText';
import { parseTable } from '../ingest/parse';
import { columnIndex, type Table } from '../ingest/table';
import { readArchitectureTable, type ArchitectureTable } from '../schema/architectures';
import { parseParamsTxt } from '../schema/detect';
import { toError } from '../schema/metric';
import { openclipArchitectures } from '../schema/openclipArchitectures';
import type { DatasetSpec } from '../schema/spec';
import { groupBy } from '../groupBy';

export interface LearningCurve {
  run: string;
  /** Checkpoints in increasing samples seen (epochs or steps when samples are unknown). */
  x: number[];
  error: number[];
  measured: number[];
  lines: number[];
  /** Planned length in the unit of x; null when the log does not say. */
  planned: number | null;
  /** Compute per unit of x (to place the run's end on the compute axis); null when unknown. */
  computePerX: number | null;
}

export interface CurveSet {
  curves: LearningCurve[];
  /** What x counts: 'samples seen', 'epochs', 'steps'. */
  unit: string;
  notes: string[];
}

const RUN_COLUMNS = ['run_id', 'name', 'run', 'run_name'];
const X_COLUMNS: [string, string][] = [
  ['samples_seen', 'samples seen'],
  ['samples', 'samples seen'],
  ['tokens', 'tokens seen'],
  ['epoch', 'epochs'],
  ['step', 'steps'],
  ['steps', 'steps'],
  ['iteration', 'steps'],
];
const PLANNED_COLUMNS = [
  'planned_samples',
  'total_samples',
  'planned_tokens',
  'planned_steps',
  'total_steps',
  'max_steps',
  'planned_epochs',
];
/** A curve whose last checkpoint is within 1 % of its planned length has finished. */
export const FINISHED = 0.99;

export function isFinished(curve: LearningCurve): boolean {
  return curve.planned !== null && curve.x[curve.x.length - 1] >= FINISHED * curve.planned;
}

export function learningCurves(
  table: Table,
  spec: DatasetSpec,
  result: AnalysisResult,
  readSibling: (name: string) => string | undefined,
  plannedFlag: number | undefined,
): CurveSet {
  const notes: string[] = [];
  const runCol = RUN_COLUMNS.map((c) => columnIndex(table, c)).find((c) => c >= 0) ?? -1;
  const xEntry = X_COLUMNS.find(([c]) => columnIndex(table, c) >= 0);
  if (!xEntry)
    throw new UsageError(
      `--forecast needs training curves: a column of samples seen, epochs or steps (${X_COLUMNS.map(([c]) => c).join(', ')}) in ${table.file}`,
    );
  const xCol = columnIndex(table, xEntry[0]);
  let unit = xEntry[1];
  const metricCol = columnIndex(table, spec.metric);
  const plannedCol = PLANNED_COLUMNS.map((c) => columnIndex(table, c)).find((c) => c >= 0) ?? -1;
  const filters = spec.filters.map((f) => ({ col: columnIndex(table, f.column), value: f.value }));
  const checkpoints: { run: string; x: number; measured: number; line: number; row: number; planned: number | null }[] =
    [];
  for (let row = 0; row < table.rowCount; row++) {
    if (!filters.every((f) => f.col >= 0 && cellMatches(table, row, f.col, f.value))) continue;
    const measured = numberAt(table, row, metricCol, `a value of the metric "${spec.metric}"`);
    const x = numberAt(table, row, xCol, unit);
    if (measured === null || x === null || !(x > 0)) continue;
    const run = runCol >= 0 ? textAt(table, row, runCol) : baseName(table.file);
    const planned = plannedCol >= 0 ? numberAt(table, row, plannedCol, 'planned length') : null;
    checkpoints.push({ run, x, measured, line: table.lines[row], row, planned });
  }
  const byRun = groupBy(checkpoints, (checkpoint) => checkpoint.run);
  // Compute of each row, where the analysis placed it on a real compute axis (not the epoch stand-in).
  const realCompute = !(spec.compute.length === 1 && ['epoch', 'step', 'steps'].includes(spec.compute[0]));
  const computeOfRow = new Map<number, number>();
  if (realCompute) for (const r of result.runs) computeOfRow.set(r.row, r.compute);

  const openclip = openclipCurveInfo(table, runCol, readSibling);
  const shapes = clipShapesInfo(spec);
  const trainingLog = openclipLogInfo(spec, readSibling);
  if (openclip) {
    unit = 'samples seen';
    notes.push(openclip.note);
  }
  const curves: LearningCurve[] = [];
  for (const [run, points] of byRun) {
    // Sorted by x; a checkpoint logged twice keeps its last line.
    const unique = new Map<number, (typeof points)[number]>();
    for (const p of points) unique.set(p.x, p);
    const sorted = [...unique.values()].sort((a, b) => a.x - b.x);
    const scale = openclip?.runs.get(run)?.samplesPerEpoch ?? 1;
    const x = sorted.map((p) => p.x * scale);
    const last = sorted[sorted.length - 1];
    let planned: number | null = null;
    let computePerX: number | null = null;
    const info = openclip?.runs.get(run);
    if (info) {
      planned = info.epochs * info.samplesPerEpoch;
      computePerX = info.computePerSample;
    } else if (trainingLog) {
      planned = trainingLog.planned;
      computePerX = trainingLog.computePerSample;
    } else if (shapes) {
      planned = shapes.planned(run);
      computePerX = shapes.computePerSample(run);
    }
    planned ??=
      sorted.reduce<number | null>((m, p) => (p.planned !== null ? Math.max(m ?? 0, p.planned) : m), null) ??
      plannedFlag ??
      null;
    if (computePerX === null && computeOfRow.has(last.row)) computePerX = computeOfRow.get(last.row)! / last.x;
    curves.push({
      run,
      x,
      error: sorted.map((p) => toError(p.measured, result.scale)),
      measured: sorted.map((p) => p.measured),
      lines: sorted.map((p) => p.line),
      planned,
      computePerX,
    });
  }
  if (curves.every((c) => c.x.length < 2))
    throw new UsageError(
      `--forecast needs training curves: every run of ${table.file} has a single row (a results table, not a training log)`,
    );
  if (shapes?.note) notes.push(shapes.note);
  if (trainingLog?.note) notes.push(trainingLog.note);
  return { curves, unit, notes };
}

function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/** OpenCLIP's learning-curve CSV: trained_models_info.csv (name, arch, epochs, samples_per_epoch) beside it. */
function openclipCurveInfo(table: Table, runCol: number, readSibling: (name: string) => string | undefined) {
  if (runCol < 0 || table.columns[runCol] !== 'name' || columnIndex(table, 'epoch') < 0) return undefined;
  const text = readSibling('trained_models_info.csv');
  if (text === undefined) return undefined;
  const info = parseTable('trained_models_info.csv', text);
  const col = (name: string) => columnIndex(info, name);
  if ([col('name'), col('epochs'), col('samples_per_epoch')].some((c) => c < 0)) return undefined;
  const archText = readSibling('arch_info.csv');
  const architectures: ArchitectureTable =
    archText !== undefined
      ? readArchitectureTable(parseTable('arch_info.csv', archText)).architectures
      : openclipArchitectures();
  const runs = new Map<string, { epochs: number; samplesPerEpoch: number; computePerSample: number | null }>();
  for (let row = 0; row < info.rowCount; row++) {
    const epochs = numberAt(info, row, col('epochs'), 'planned epochs');
    const samplesPerEpoch = numberAt(info, row, col('samples_per_epoch'), 'samples per epoch');
    const arch = col('arch') >= 0 ? architectures.get(textAt(info, row, col('arch'))) : undefined;
    if (epochs !== null && samplesPerEpoch !== null)
      runs.set(textAt(info, row, col('name')), {
        epochs,
        samplesPerEpoch,
        computePerSample: arch?.computePerSample ?? null,
      });
  }
  return {
    runs,
    note: 'samples seen = epoch × samples_per_epoch and planned length = epochs × samples_per_epoch, from trained_models_info.csv; compute per sample = GMACs of the arch',
  };
}

/** clip-shapes curves.jsonl joined to runs.csv: planned samples and FLOPs per sample of each run. */
function clipShapesInfo(spec: DatasetSpec) {
  if (spec.profile !== 'clip-shapes-curves') return undefined;
  const runsTable = spec.joins.find((j) => j.as === 'run')?.table;
  if (!runsTable) return undefined;
  const col = (name: string) => columnIndex(runsTable, name);
  const rows = new Map<string, number>();
  for (let row = 0; row < runsTable.rowCount; row++) rows.set(textAt(runsTable, row, col('run_id')), row);
  const perModel = new Map<string, number>();
  if (col('model') >= 0 && col('gflops_per_sample') >= 0)
    for (let row = 0; row < runsTable.rowCount; row++)
      perModel.set(
        textAt(runsTable, row, col('model')),
        numberAt(runsTable, row, col('gflops_per_sample'), 'FLOPs per sample')!,
      );
  let fromName = 0;
  return {
    planned(run: string): number | null {
      const row = rows.get(run);
      if (row !== undefined && col('samples_seen') >= 0)
        return numberAt(runsTable, row, col('samples_seen'), 'samples seen');
      // A run still training has no row yet: its id ends in _s<planned samples> (shapes_XL_u4000_s4000000).
      const match = /_s(\d+)$/.exec(run);
      if (match) fromName++;
      return match ? Number(match[1]) : null;
    },
    computePerSample(run: string): number | null {
      const row = rows.get(run);
      if (row !== undefined && col('gflops_per_sample') >= 0)
        return numberAt(runsTable, row, col('gflops_per_sample'), 'FLOPs per sample');
      // Its model is the token of its id that names a model of runs.csv (shapes_XL_… → XL).
      const model = run.split('_').find((token) => perModel.has(token));
      return model ? perModel.get(model)! : null;
    },
    get note() {
      return fromName > 0
        ? `${fromName} run(s) not yet in ${runsTable.file}: planned samples from the run id (…_s<samples>), FLOPs per sample from its model`
        : undefined;
    },
  };
}

/** An OpenCLIP results.jsonl with params.txt: one run, planned epochs × train_num_samples. */
function openclipLogInfo(spec: DatasetSpec, readSibling: (name: string) => string | undefined) {
  if (spec.profile !== 'openclip-training-log') return undefined;
  const text = readSibling('params.txt');
  if (text === undefined) return undefined;
  const params = parseParamsTxt(text);
  const epochs = Number(params.get('epochs'));
  const perEpoch = Number(params.get('train_num_samples'));
  const perSample = spec.compute.length === 2 ? Number(spec.compute[0]) : NaN;
  const planned = epochs > 0 && perEpoch > 0 ? epochs * perEpoch : null;
  return {
    planned,
    computePerSample: Number.isFinite(perSample) ? perSample : null,
    note: planned
      ? `planned length = epochs (${epochs}) × train_num_samples (${perEpoch}) from params.txt`
      : 'params.txt gives no epochs: the planned length is unknown (give --planned SAMPLES)',
  };
}
