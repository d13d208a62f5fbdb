/**
 * The one message protocol between extension host, fit worker and webviews: discriminated unions, and a
 * validator per direction that rejects anything malformed (a message from a webview is untrusted input).
 */

import { isPackedStrings, type PackedStrings } from './packedStrings';
import type { FitWarningKind } from '../core/warnings';
import type { LawName } from '../core/laws/law';

// ---------- Plot model: what a webview draws (computed on the host side, drawn as is) ----------

export interface PlotPoint {
  x: number;
  y: number;
  label: string;
  line?: number;
}

export interface PlotSeries {
  kind: 'frontier' | 'law' | 'band-low' | 'band-high' | 'extrapolation';
  group: string;
  label: string;
  /** Index into the theme palette: same group, same colour. */
  colorIndex: number;
  points: PlotPoint[];
}

/**
 * Every run of one group, columnar. Typed arrays cross the worker boundary by structured clone and reach the
 * webview as binary buffers (VS Code does not JSON-encode them), which keeps 100k-run files cheap to ship.
 */
export interface RunLayer {
  group: string;
  label: string;
  colorIndex: number;
  /** Runs in the group; the columns below hold fewer when a very large group is drawn decimated. */
  total: number;
  compute: Float64Array;
  error: Float64Array;
  /** 1-based source line of each run (the plot reveals it on click). */
  line: Int32Array;
  /** Index into `architectures` per run; -1 when the file names none. */
  arch: Int16Array;
  architectures: string[];
  /** Run names for tooltips; none when the file has no name column (tooltips then show the line). */
  names: PackedStrings;
}

export interface ParamRow {
  group: string;
  name: string;
  value: number;
  low: number | null;
  high: number | null;
}

/** Fit quality and held-out extrapolation per group. */
export interface GroupSummary {
  group: string;
  formula: string;
  converged: boolean;
  reason: string;
  frontier: string;
  nPoints: number;
  nUsed: number;
  rmseLog10: number;
  holdout: { fraction: number; nHeldout: number; nEvaluated: number; maePp: number | null; rmseLog10: number | null } | null;
}

/** A predicted compute-optimal configuration for one budget. */
export interface OptimalRow {
  group: string;
  compute: number;
  params: number;
  samples: number;
  error: number;
  errorLow: number | null;
  errorHigh: number | null;
  nearest: { arch: string; params: number; samples: number; error: number } | null;
}

export interface CurveSeries {
  label: string;
  group: string;
  colorIndex: number;
  points: { x: number; y: number }[];
}

/** A fit warning as the panel's banner and details list show it. */
export interface WarningView {
  group: string | null;
  kind: FitWarningKind;
  message: string;
  line?: number;
}

/** An outlying run, marked on the plot (and in the hover). */
export interface OutlierView {
  group: string;
  line: number;
  compute: number;
  error: number;
  z: number;
  residualLog10: number;
}

export interface PlotModel {
  title: string;
  file: string;
  xLabel: string;
  yLabel: string;
  runLayers: RunLayer[];
  series: PlotSeries[];
  formulas: { group: string; text: string; converged: boolean }[];
  params: ParamRow[];
  groups: GroupSummary[];
  optimal: OptimalRow[];
  /** Learning curves (error vs samples seen per run) when the file is a training log. */
  curves: CurveSeries[];
  notes: string[];
  /** Fit warnings of every group (empty when there are none). */
  warnings: WarningView[];
  outliers: OutlierView[];
  runs: number;
}

export interface FitSettings {
  task?: string;
  metric?: string;
  /** A column to group runs by; null fits all runs as one group; absent: the layout's own grouping. */
  group?: string | null;
  law: 'power' | 'saturating' | 'joint' | 'broken';
  /** 'default' (the layout's own choice, e.g. the paper's binned:5), all, pareto or binned:K. */
  frontier: string;
  bootstrap: boolean;
  /** Compute budgets for predicted compute-optimal configurations (and how far the plot extrapolates). */
  budgets: number[];
}

export type PanelStatus =
  | { kind: 'empty'; message: string }
  | { kind: 'fitting'; file: string }
  | { kind: 'ready'; model: PlotModel; settings: FitSettings; tasks: string[]; choices: FitChoices }
  | { kind: 'error'; file: string; message: string };

// ---------- Host → webview ----------

/** A watched results file as the side view lists it. */
export interface WatchedFile {
  name: string;
  state: 'fitted' | 'error' | 'fitting' | 'not fitted';
  runs: number | null;
  problem: string | null;
  active: boolean;
}

export type HostToWebview =
  | { type: 'status'; status: PanelStatus; files?: WatchedFile[] }
  /** The side view's file list alone (a file started or finished fitting), without resending the plot. */
  | { type: 'files'; files: WatchedFile[] };

// ---------- Webview → host ----------

export type WebviewToHost =
  | { type: 'ready' }
  | { type: 'settings'; settings: FitSettings }
  | { type: 'fit' }
  | { type: 'evaluate' }
  /** Fit one of the side view's watched files, by its index in the list the host sent (never a path). */
  | { type: 'fitFile'; index: number }
  | { type: 'copyLaw'; format: 'latex' | 'markdown' }
  | { type: 'saveSummary' }
  | { type: 'exportPng'; dataUrl: string }
  | { type: 'revealLine'; line: number };

const LAWS = ['power', 'saturating', 'joint', 'broken'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates fit settings from an untrusted source (a webview message, restored webview state). */
export function isSettings(value: unknown): value is FitSettings {
  return (
    isRecord(value) &&
    typeof value.law === 'string' &&
    LAWS.includes(value.law) &&
    typeof value.frontier === 'string' &&
    /^(default|all|pareto|binned:\d{1,3})$/.test(value.frontier) &&
    typeof value.bootstrap === 'boolean' &&
    Array.isArray(value.budgets) &&
    value.budgets.length <= 20 &&
    value.budgets.every((b) => typeof b === 'number' && Number.isFinite(b) && b > 0) &&
    (value.task === undefined || (typeof value.task === 'string' && value.task.length < 200)) &&
    (value.metric === undefined || (typeof value.metric === 'string' && value.metric.length < 200)) &&
    (value.group === undefined || value.group === null || (typeof value.group === 'string' && value.group.length < 200))
  );
}

/** Validates a message received from a webview; undefined for anything not in the protocol. */
export function parseWebviewMessage(value: unknown): WebviewToHost | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  switch (value.type) {
    case 'ready':
    case 'fit':
    case 'evaluate':
      return { type: value.type };
    case 'fitFile':
      return Number.isInteger(value.index) && (value.index as number) >= 0 && (value.index as number) < 10_000 ? { type: 'fitFile', index: value.index as number } : undefined;
    case 'settings':
      return isSettings(value.settings) ? { type: 'settings', settings: value.settings } : undefined;
    case 'copyLaw':
      return value.format === 'latex' || value.format === 'markdown' ? { type: 'copyLaw', format: value.format } : undefined;
    case 'saveSummary':
      return { type: 'saveSummary' };
    case 'exportPng':
      return typeof value.dataUrl === 'string' && value.dataUrl.startsWith('data:image/png;base64,') && value.dataUrl.length < 20_000_000 ? { type: 'exportPng', dataUrl: value.dataUrl } : undefined;
    case 'revealLine':
      return Number.isInteger(value.line) && (value.line as number) > 0 ? { type: 'revealLine', line: value.line as number } : undefined;
    default:
      return undefined;
  }
}

/** Validates a message received from the host (the webview trusts its host, but a stale or foreign message must not break it). */
export function parseHostMessage(value: unknown): HostToWebview | undefined {
  if (isRecord(value) && value.type === 'files') return Array.isArray(value.files) && value.files.every((f) => isRecord(f) && typeof f.name === 'string') ? (value as unknown as HostToWebview) : undefined;
  if (!isRecord(value) || value.type !== 'status' || !isRecord(value.status) || typeof value.status.kind !== 'string') return undefined;
  if (value.status.kind === 'ready' && !isPlotModel(value.status.model)) return undefined;
  return value as unknown as HostToWebview;
}

/** The parts of a plot model a chart indexes into: equal-length typed columns per run layer, point arrays per series. */
export function isPlotModel(value: unknown): value is PlotModel {
  return (
    isRecord(value) &&
    Array.isArray(value.runLayers) &&
    value.runLayers.every((layer: unknown) => {
      if (!isRecord(layer) || !(layer.compute instanceof Float64Array) || !(layer.error instanceof Float64Array) || !(layer.line instanceof Int32Array) || !(layer.arch instanceof Int16Array)) return false;
      const n = layer.compute.length;
      return layer.error.length === n && layer.line.length === n && layer.arch.length === n && Array.isArray(layer.architectures) && isPackedStrings(layer.names) && (layer.names.ends.length === 0 || layer.names.ends.length === n);
    }) &&
    Array.isArray(value.series) &&
    value.series.every((s: unknown) => isRecord(s) && Array.isArray(s.points)) &&
    Array.isArray(value.formulas)
  );
}

function isHoverModel(value: unknown): value is HoverModel {
  if (!isRecord(value) || !Array.isArray(value.laws) || !(value.line instanceof Int32Array) || !(value.law instanceof Int32Array)) return false;
  const n = value.line.length;
  return [value.law, value.compute, value.params, value.samples, value.measured].every((column) => ArrayBuffer.isView(column) && (column as Float64Array).length === n);
}

// ---------- Host ↔ fit worker ----------

export interface FitRequestBody {
  file: string;
  settings: FitSettings;
  /**
   * One Int32 the host sets to 1 to cancel. A fit runs synchronously in the worker, so a 'cancel' message would
   * only be read after it; the fit's loops poll this shared flag instead and stop within one local optimisation.
   */
  cancelFlag: SharedArrayBuffer;
}

/** The only request; a superseded one is cancelled through its body's shared flag, not by a message. */
export type HostToWorker = { type: 'fit'; id: number; body: FitRequestBody };

export interface WorkerProblem {
  file: string;
  line: number;
  column: number;
  message: string;
}

/**
 * What else the file could be fitted on. The ambiguous flags say the reader guessed (a file of no known layout),
 * so "Fit Scaling Law" asks the user instead.
 */
export interface FitChoices {
  metric: string;
  /** Metric columns (numeric, named like a loss or a score), the one fitted first. */
  metrics: string[];
  group: string | null;
  /** Text columns with 2–12 distinct values that could group runs (e.g. dataset, model family). */
  groups: string[];
  metricAmbiguous: boolean;
  groupAmbiguous: boolean;
}

export interface FitOutcome {
  model: PlotModel;
  tasks: string[];
  choices: FitChoices;
  /** What a hover needs to predict any row of the file from the cached fit, without asking the worker. */
  hover: HoverModel;
  headerLaw: string;
  statusText: string;
  /** The CLI's --json summary of the same fit, saved beside the results file on request. */
  summary: unknown;
}

/** One group's fitted law and its bootstrap refits, as parameter vectors in the law's own order. */
export interface HoverLaw {
  group: string;
  law: LawName;
  formula: string;
  params: Float64Array;
  /** resamples × params, row-major; empty without bootstrap. */
  bootstrap: Float64Array;
}

/** The fitted runs, sorted by source line, and the laws they belong to. */
export interface HoverModel {
  metric: string;
  percent: boolean;
  higherIsBetter: boolean;
  laws: HoverLaw[];
  line: Int32Array;
  /** Index into `laws` per run. */
  law: Int32Array;
  compute: Float64Array;
  /** NaN where the file has no parameter count / samples seen for the run. */
  params: Float64Array;
  samples: Float64Array;
  measured: Float64Array;
}

/** The prediction for one row, as the hover shows it. */
export interface RowPrediction {
  line: number;
  group: string;
  law: string;
  metric: string;
  measured: number;
  predicted: number;
  low: number | null;
  high: number | null;
  /** Predicted and measured as the metric is written (e.g. accuracy), for display. */
  predictedMetric: number;
  measuredMetric: number;
  lowMetric: number | null;
  highMetric: number | null;
  percent: boolean;
}

export type WorkerToHost =
  /** `final: false` is the quick fit without bootstrap, sent first so plots update at once; the final one follows. */
  | { type: 'result'; id: number; outcome: FitOutcome; final: boolean }
  | { type: 'failed'; id: number; problem: WorkerProblem }
  | { type: 'cancelled'; id: number };

export function parseWorkerMessage(value: unknown): WorkerToHost | undefined {
  if (!isRecord(value) || typeof value.id !== 'number') return undefined;
  if (value.type === 'result' && isRecord(value.outcome) && isRecord(value.outcome.choices) && isPlotModel(value.outcome.model) && isHoverModel(value.outcome.hover)) return value as unknown as WorkerToHost;
  if (value.type === 'failed' && isRecord(value.problem) && typeof value.problem.message === 'string') return value as unknown as WorkerToHost;
  if (value.type === 'cancelled') return value as unknown as WorkerToHost;
  return undefined;
}

export function parseHostToWorker(value: unknown): HostToWorker | undefined {
  if (!isRecord(value) || typeof value.id !== 'number') return undefined;
  if (value.type === 'fit' && isRecord(value.body) && typeof value.body.file === 'string' && isSettings(value.body.settings) && value.body.cancelFlag instanceof SharedArrayBuffer && value.body.cancelFlag.byteLength >= 4) {
    return value as unknown as HostToWorker;
  }
  return undefined;
}

// ---------- Host ↔ eval child process (child_process.fork: onnxruntime never runs in the host) ----------

export interface EvalRequest {
  model: string;
  data: string;
  out: string;
  batch?: number;
  threads?: number;
  limit?: number;
}

export type HostToEvalChild = { type: 'run'; request: EvalRequest } | { type: 'cancel' };

export type EvalChildToHost =
  | { type: 'progress'; done: number; total: number; imagesPerSecond: number; etaSeconds: number }
  | { type: 'done'; row: Record<string, string | number | null>; imagesPerSecond: number }
  | { type: 'failed'; message: string }
  | { type: 'cancelled' };

export function parseEvalChildMessage(value: unknown): EvalChildToHost | undefined {
  if (!isRecord(value) || typeof value.type !== 'string') return undefined;
  switch (value.type) {
    case 'progress':
      return typeof value.done === 'number' && typeof value.total === 'number' ? (value as unknown as EvalChildToHost) : undefined;
    case 'done':
      return isRecord(value.row) ? (value as unknown as EvalChildToHost) : undefined;
    case 'failed':
      return typeof value.message === 'string' ? (value as unknown as EvalChildToHost) : undefined;
    case 'cancelled':
      return { type: 'cancelled' };
    default:
      return undefined;
  }
}

export function parseHostToEvalChild(value: unknown): HostToEvalChild | undefined {
  if (!isRecord(value)) return undefined;
  if (value.type === 'cancel') return { type: 'cancel' };
  if (value.type === 'run' && isRecord(value.request) && typeof value.request.model === 'string' && typeof value.request.data === 'string' && typeof value.request.out === 'string') {
    return value as unknown as HostToEvalChild;
  }
  return undefined;
}
