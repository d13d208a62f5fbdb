/**
 * The one message protocol between extension host, fit worker, eval child and webviews: discriminated unions (one
 * pair per webview, as GitLens scopes a protocol per webview), and (at the end) a validator per message that rejects
 * anything malformed: extra keys, long strings, long arrays, numbers out of range (a message from a webview is
 * untrusted input; the others must not break on a stale one). Domain types (settings, laws, hover model) come from
 * src/core and are validated with the core's own lists and checks.
 */

import { isPackedStrings, type PackedStrings } from './packedStrings';
import {
  checkBudgets,
  checkEvalCount,
  checkFrontier,
  checkLaw,
  checkName,
  checkPathText,
  MAX_BUDGETS,
} from '../core/settings';
import {
  arr,
  bool,
  checked,
  either,
  int,
  json,
  nullable,
  num,
  obj,
  oneOf,
  parser,
  record,
  refine,
  str,
  tagged,
  typed,
  type Validator,
} from './validate';
import { FIT_WARNING_KINDS } from '../core/warnings';
import type { LawName } from '../core/laws/law';
import { DEFAULT_FRONTIER, type FitSettings } from '../core/fitSettings';
import type { FitChoices } from '../core/schema/choices';
import type { HoverLaw, HoverModel, RowPrediction } from '../core/hoverPrediction';
import { DIRECTIONS, METRIC_KINDS, type MetricKind } from '../core/schema/metric';
import type { FitWarningKind } from '../core/warnings';

// The domain's own types travel as they are: the protocol imports them (as hexeditor's protocol imports its model).
export type { FitChoices, FitSettings, FitWarningKind, HoverLaw, HoverModel, MetricKind, RowPrediction };

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
  holdout: HoldoutSummary | null;
}

/** The held-out check of one group: the law refitted without the held-out runs, scored on them. */
export interface HoldoutSummary {
  fraction: number;
  nHeldout: number;
  nEvaluated: number;
  /** MAE in percentage points; null for a loss (see `mae` and `maeUnits`) or when nothing was scored. */
  maePp: number | null;
  rmseLog10: number | null;
  /** What was held out, in words ("top 20% of compute"). */
  rule: string;
  nTrain: number;
  mae: number | null;
  maeUnits: 'pp' | 'loss units';
  /** Why nothing was scored, when nothing was. */
  note: string | null;
  /** Each scored run: the metric as written, the refitted law's prediction and its 95 % interval (null without bootstrap). */
  runs: {
    line: number;
    compute: number;
    measured: number;
    predicted: number;
    low: number | null;
    high: number | null;
  }[];
}

/** A predicted compute-optimal configuration for one budget. */
export interface OptimalRow {
  group: string;
  compute: number;
  params: number;
  samples: number;
  /** N_opt, D_opt and this error come from the group's allocation law (AllocationView), with its bootstrap interval. */
  error: number;
  errorLow: number | null;
  errorHigh: number | null;
  nearest: { arch: string; params: number; samples: number; error: number } | null;
  /** When the allocation law is a joint law fitted beside a plotted compute law: the plotted law's error at this budget. */
  plotted: { error: number; low: number | null; high: number | null } | null;
}

/** Which law a group's compute-optimal rows come from (named next to them in the panel). */
export interface AllocationView {
  group: string;
  formula: string;
  /** True when it is the fitted (plotted) law itself; false for a joint law fitted beside a compute law. */
  own: boolean;
  runs: number;
  objective: string;
  plottedFormula: string;
}

/** Rows left out of the fit for bad cells (every bad row is reported, capped at 100; the rest is fitted). */
export interface RowProblemView {
  total: number;
  shown: { line: number; column: number; message: string }[];
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
  /** The metric column, and how its values and differences are worded (accuracy pp, error, loss as given). */
  metric: string;
  metricKind: MetricKind;
  percent: boolean;
  /** Training logs: distinct runs (each row is a checkpoint, counted by `runs`); null for one row per run. */
  trainingRuns: number | null;
  runLayers: RunLayer[];
  series: PlotSeries[];
  /** `law` names the law; `drawn` says how a joint law's line is placed on the compute axis (null for compute laws). */
  formulas: { group: string; text: string; converged: boolean; law: LawName; drawn: string | null }[];
  params: ParamRow[];
  groups: GroupSummary[];
  optimal: OptimalRow[];
  allocations: AllocationView[];
  rowProblems: RowProblemView | null;
  /** Learning curves (error vs samples seen per run) when the file is a training log. */
  curves: CurveSeries[];
  notes: string[];
  /** Fit warnings of every group (empty when there are none). */
  warnings: WarningView[];
  outliers: OutlierView[];
  runs: number;
  /** The decision sections computed with every fit (issue #13); the heavier ones come on request (DecisionAnswer). */
  decisions: DecisionViews;
}

// ---------- Decisions (issue #13): what the panel's decision sections show ----------

/** Computed with the fit itself (cheap): the group comparison and the forecasts of running jobs. */
export interface DecisionViews {
  /** Null with fewer than two fitted groups. */
  comparison: ComparisonView | null;
  /** Null unless the file is a training log. */
  forecasts: ForecastView | null;
  /** Every run has parameters and samples: the three Chinchilla approaches can be computed (on request). */
  approaches: boolean;
}

/** One parameter's difference between two groups (first minus second), with its bootstrap interval and p-value. */
export interface ParamDifferenceView {
  param: string;
  difference: number;
  low: number | null;
  high: number | null;
  pValue: number | null;
}

export interface ComparisonPairView {
  first: string;
  second: string;
  /** Paired bootstrap draws behind the intervals (0: none yet, or no bootstrap). */
  resamples: number;
  differences: ParamDifferenceView[];
  /**
   * Where the two laws cross within [rangeLow, rangeHigh], or null when they do not; an end of its interval is null
   * when draws put the crossing below or beyond any compute, the whole interval null without draws.
   */
  crossing: { compute: number; interval: { low: number | null; high: number | null } | null } | null;
  rangeLow: number;
  rangeHigh: number;
  /** The comparison in one plain line ("the data do not show different exponents (p = 0.58)"). */
  reading: string;
}

export interface ComparisonView {
  pairs: ComparisonPairView[];
  notes: string[];
}

/** A running job's forecast final metric (metric units), and where it lands on the frontier plot (error units). */
export interface ForecastRowView {
  run: string;
  /** The fitted group the run belongs to; null when its rows are not in the fit yet (e.g. not in runs.csv). */
  group: string | null;
  colorIndex: number | null;
  samplesSeen: number;
  plannedSamples: number;
  measuredLast: number;
  predicted: number;
  low: number | null;
  high: number | null;
  /** On the frontier plot: compute at the planned length and the forecast error with its interval; null when compute is unknown. */
  plot: { compute: number; error: number; low: number | null; high: number | null } | null;
  reachesFrontier: boolean | null;
  method: string;
  calibrated: boolean;
  calibrationRuns: number;
}

export interface ForecastView {
  /** What the log's x counts (samples seen, epochs, steps). */
  unit: string;
  rows: ForecastRowView[];
  notes: string[];
}

export interface ApproachOptimalView {
  compute: number;
  nOpt: number;
  nOptLow: number | null;
  nOptHigh: number | null;
  dOpt: number;
  dOptLow: number | null;
  dOptHigh: number | null;
  tokensPerParam: number;
  tokensPerParamLow: number | null;
  tokensPerParamHigh: number | null;
}

/** One Chinchilla approach on one group: N_opt ∝ C^a, D_opt ∝ C^b. */
export interface ApproachView {
  name: string;
  method: string;
  group: string;
  a: number | null;
  aLow: number | null;
  aHigh: number | null;
  b: number | null;
  bLow: number | null;
  bHigh: number | null;
  /** N_opt = nCoefficient·C^a: the approach's line on the N_opt-vs-C plot. */
  nCoefficient: number | null;
  optimal: ApproachOptimalView[];
  /** Its points on that plot: the envelope's runs (1) or the budgets' minima with their intervals (2). */
  points: { compute: number; nOpt: number; low: number | null; high: number | null }[];
  resamples: number;
  notes: string[];
}

/** One isoFLOP budget of Approach 2: its runs, the parabola in ln N and its minimum. */
export interface IsoflopView {
  group: string;
  compute: number;
  runs: { params: number; error: number }[];
  curve: { params: number; error: number }[];
  nOpt: number | null;
  low: number | null;
  high: number | null;
  errorAtMinimum: number | null;
  problem: string | null;
}

export interface ApproachesView {
  approaches: ApproachView[];
  isoflop: IsoflopView[];
  /** Per group, the compute per sample k(N) that turns N_opt into D_opt, in words. */
  perSample: { group: string; text: string }[];
  /** Approach 2's reason, per group, when the data have no isoFLOP structure. */
  noIsoflop: { group: string; reason: string }[];
  notes: string[];
}

export interface SuggestionView {
  group: string;
  /** The candidate in words (`ViT-H-14 × 1.22e10 samples`). */
  config: string;
  compute: number;
  nowLow: number;
  nowHigh: number;
  afterLow: number;
  afterHigh: number;
  widthRatio: number;
  shrinkPerCompute: number;
}

export interface SuggestionsView {
  target: number;
  cap: number | null;
  /** The best few per group, best first. */
  rows: SuggestionView[];
  /** Candidates ranked in all. */
  ranked: number;
  notes: string[];
}

export interface TaskRowView {
  task: string;
  group: string;
  metric: string;
  law: string;
  exponentName: string;
  exponent: number;
  low: number | null;
  high: number | null;
  nPoints: number;
  nUsed: number;
  rmseLog10: number;
  holdoutMae: number | null;
  maeUnits: 'pp' | 'loss units' | null;
}

export interface TasksView {
  rows: TaskRowView[];
  failed: { task: string; reason: string }[];
  /** The held-out rule, in words. */
  holdout: string;
  notes: string[];
}

export type DecisionKind = 'approaches' | 'suggestions' | 'tasks';

/** A decision section's request (sent when its section is open and the fit is final); `id` pairs the answer with it. */
export type DecisionAsk =
  | { id: number; kind: 'approaches' }
  /** Rank candidate runs for the interval at compute `target`; generated candidates up to `cap` (null: the largest run). */
  | { id: number; kind: 'suggestions'; target: number; cap: number | null }
  | { id: number; kind: 'tasks' };

export type DecisionAnswer =
  | { id: number; kind: 'approaches'; view: ApproachesView }
  | { id: number; kind: 'suggestions'; view: SuggestionsView }
  | { id: number; kind: 'tasks'; view: TasksView }
  | { id: number; kind: 'progress'; done: number; total: number }
  | { id: number; kind: 'failed'; message: string };

export type PanelStatus =
  | { kind: 'empty'; message: string }
  | { kind: 'fitting'; file: string }
  /** `settingsNotes`: settings the host switched or could not fit (shown next to the controls, never in Problems). */
  /** `final`: false while the bootstrap that follows a quick fit runs (absent: final). */
  | {
      kind: 'ready';
      model: PlotModel;
      settings: FitSettings;
      tasks: string[];
      choices: FitChoices;
      settingsNotes?: string[];
      final?: boolean;
    }
  | { kind: 'error'; file: string; message: string };

export type ExportBackground = 'light' | 'dark' | 'theme';

// ---------- Webviews: one protocol per webview ----------

/** The handshake: a webview, once loaded, says it is ready once; the host answers once with the state to show. */
export interface ReadyRequest {
  type: 'ready';
  id: number;
}

/** The answer to a webview's ReadyRequest (same id). */
export interface InitialState {
  type: 'initialState';
  id: number;
  status: PanelStatus;
}

/** The shown fit's state, whenever it changes. */
export interface StatusNotification {
  type: 'status';
  status: PanelStatus;
}

export interface RevealLine {
  type: 'revealLine';
  line: number;
}

/** Host → "Fit Scaling Law" panel. */
export type HostToPanel =
  | InitialState
  | StatusNotification
  /** "Export Plot": draw the frontier plot at 2× on this background; answered by exportPng / exportSvg with this id. */
  | { type: 'exportRequest'; id: number; format: 'png' | 'svg'; background: ExportBackground }
  /** A decision section's answer (or its progress) to a `decide` request. */
  | { type: 'decision'; answer: DecisionAnswer };

/** "Fit Scaling Law" panel → host. */
export type PanelToHost =
  | ReadyRequest
  | { type: 'settings'; settings: FitSettings }
  | { type: 'copyLaw'; format: 'latex' | 'markdown' }
  | { type: 'saveSummary' }
  /** The plot drawn for an exportRequest (same id). */
  | { type: 'exportPng'; id: number; dataUrl: string }
  | { type: 'exportSvg'; id: number; svg: string }
  /** Back to the default settings (and forget the ones remembered for this file). */
  | { type: 'resetSettings' }
  /** The panel's Actions menu: run "Export Plot" (its format and background picker, then the save dialog). */
  | { type: 'exportPlot' }
  | RevealLine
  /** Compute a decision section of the shown fit (a newer request of the same kind supersedes an older one). */
  | { type: 'decide'; ask: DecisionAsk };

/** Host → side view "Frontier". */
export type HostToSideView = InitialState | StatusNotification;

/** Side view "Frontier" → host: its two buttons and a click on a run. */
export type SideViewToHost = ReadyRequest | { type: 'fit' } | { type: 'evaluate' } | RevealLine;

// ---------- Host ↔ fit worker ----------

export interface FitRequestBody {
  file: string;
  /** The workspace folder: paths named in scaling-lens.json must resolve inside it. */
  root: string;
  settings: FitSettings;
  /**
   * One Int32 the host sets to 1 to cancel. A fit runs synchronously in the worker, so a 'cancel' message would
   * only be read after it; the fit's loops poll this shared flag instead and stop within one local optimisation.
   */
  cancelFlag: SharedArrayBuffer;
}

/**
 * A fit of the file (a superseded one is cancelled through its body's shared flag, not by a message), or the law of
 * one row's own task and group, for a hover on a row outside the current fit.
 */
export type HostToWorker =
  | { type: 'fit'; id: number; body: FitRequestBody }
  | { type: 'rowFit'; id: number; body: RowFitRequestBody }
  | { type: 'decide'; id: number; body: DecideRequestBody };

/** A decision section of a file's fit, computed in the worker after the fit (cancelled through its flag when superseded). */
export interface DecideRequestBody {
  file: string;
  root: string;
  settings: FitSettings;
  ask: DecisionAsk;
  cancelFlag: SharedArrayBuffer;
}

/** A row's own law for a hover; the host sets the flag when the hover is gone (the mouse moved on). */
export interface RowFitRequestBody {
  file: string;
  /** The workspace folder: paths named in scaling-lens.json must resolve inside it. */
  root: string;
  settings: FitSettings;
  line: number;
  cancelFlag?: SharedArrayBuffer;
}

export interface WorkerProblem {
  file: string;
  line: number;
  column: number;
  message: string;
  /** 'error' when absent; 'info' for rows left out because a cell is missing (a hint, not a fault). */
  severity?: 'error' | 'warning' | 'info';
  /**
   * 'settings' when the panel's settings cannot be fitted (not the file's fault): shown next to the controls and
   * never put in the Problems panel, which is for the file's contents. Absent means 'file'.
   */
  cause?: 'file' | 'settings';
}

/** The reason of a row fit stopped because its hover was gone (not an answer to cache). */
export const ROW_FIT_CANCELLED = 'cancelled';

/** The answer to a row fit: the hover model of that row's task, or one line saying why no law covers the row. */
export type RowFitResult = { ok: true; task: string | null; hover: HoverModel } | { ok: false; reason: string };

export interface FitJobResult {
  model: PlotModel;
  tasks: string[];
  choices: FitChoices;
  /** What a hover needs to predict any row of the file from the cached fit, without asking the worker. */
  hover: HoverModel;
  headerLaw: string;
  statusText: string;
  /** The CLI's --json summary of the same fit, saved beside the results file on request. */
  summary: unknown;
  /**
   * Rows left out of this fit, for the Problems panel: each row with a bad value (an error, the first 100), and one
   * entry per reason rows were skipped for a missing cell (info, at the first such row).
   */
  problems: WorkerProblem[];
  /** Rows with a bad value in all (problems lists at most 100). */
  problemsTotal: number;
}

export type WorkerToHost =
  /** `final: false` is the quick fit without bootstrap, sent first so plots update at once; the final one follows. */
  | { type: 'result'; id: number; outcome: FitJobResult; final: boolean }
  | { type: 'failed'; id: number; problem: WorkerProblem; related?: WorkerProblem[] }
  | { type: 'cancelled'; id: number }
  | { type: 'rowResult'; id: number; result: RowFitResult }
  /** A decide request's answer; `progress` answers come before the last one. */
  | { type: 'decisionResult'; id: number; answer: DecisionAnswer };

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

// ---------- Validators: one entry per message, every field checked (src/shared/validate.ts) ----------

/** Text the host produces (titles, formulas, notes, group names from the file) and how many items it sends. */
const TEXT = str(100_000);
const MANY = 1_000_000;
/** Runs per layer, rows per hover model: typed columns. */
const RUNS = 50_000_000;
const LINE = int(0, 2 ** 31 - 1);
const REAL = num(-Number.MAX_VALUE, Number.MAX_VALUE);
const COUNT = int(0, Number.MAX_SAFE_INTEGER);
const ID = int(0, Number.MAX_SAFE_INTEGER);
const PATH = checked(checkPathText);
const NAME = checked(checkName);
const LAW = checked(checkLaw);
const WARNING_KIND = oneOf(...FIT_WARNING_KINDS);
const METRIC_KIND = oneOf(...METRIC_KINDS);
const DIRECTION = oneOf(...DIRECTIONS);

/** Settings from an untrusted source (a webview message, restored webview or workspace state): the shared validators. */
const SETTINGS: Validator<FitSettings> = refine(
  obj(
    {
      law: LAW,
      frontier: either(
        oneOf(DEFAULT_FRONTIER),
        refine(str(20), (text) => checkFrontier(text).ok),
      ),
      bootstrap: bool,
      budgets: checked(checkBudgets),
    },
    { task: NAME, metric: NAME, group: nullable(NAME), direction: DIRECTION, budgetText: arr(str(40), MAX_BUDGETS) },
  ),
  // The typed text of each budget, when kept, is parallel to the budgets.
  (settings) => settings.budgetText === undefined || settings.budgetText.length === settings.budgets.length,
);

const PACKED_STRINGS: Validator<PackedStrings> = refine(
  obj({ bytes: typed(Uint8Array, 1 << 30), ends: typed(Uint32Array, RUNS) }),
  isPackedStrings,
);

const RUN_LAYER: Validator<RunLayer> = refine(
  obj({
    group: TEXT,
    label: TEXT,
    colorIndex: COUNT,
    total: COUNT,
    compute: typed(Float64Array, RUNS),
    error: typed(Float64Array, RUNS),
    line: typed(Int32Array, RUNS),
    arch: typed(Int16Array, RUNS),
    architectures: arr(TEXT, 32_767),
    names: PACKED_STRINGS,
  }),
  (layer) => {
    const n = layer.compute.length;
    return (
      layer.error.length === n &&
      layer.line.length === n &&
      layer.arch.length === n &&
      layer.total >= n &&
      (layer.names.ends.length === 0 || layer.names.ends.length === n)
    );
  },
);

const PLOT_POINT: Validator<PlotPoint> = obj({ x: REAL, y: REAL, label: TEXT }, { line: LINE });
const PLOT_SERIES: Validator<PlotSeries> = obj({
  kind: oneOf('frontier', 'law', 'band-low', 'band-high', 'extrapolation'),
  group: TEXT,
  label: TEXT,
  colorIndex: COUNT,
  points: arr(PLOT_POINT, MANY),
});
const PARAM_ROW: Validator<ParamRow> = obj({
  group: TEXT,
  name: TEXT,
  value: REAL,
  low: nullable(REAL),
  high: nullable(REAL),
});
const GROUP_SUMMARY: Validator<GroupSummary> = obj({
  group: TEXT,
  formula: TEXT,
  converged: bool,
  reason: TEXT,
  frontier: TEXT,
  nPoints: COUNT,
  nUsed: COUNT,
  rmseLog10: REAL,
  holdout: nullable(
    obj({
      fraction: num(0, 1),
      nHeldout: COUNT,
      nEvaluated: COUNT,
      maePp: nullable(REAL),
      rmseLog10: nullable(REAL),
      rule: TEXT,
      nTrain: COUNT,
      mae: nullable(REAL),
      maeUnits: oneOf('pp', 'loss units'),
      note: nullable(TEXT),
      runs: arr(
        obj({ line: LINE, compute: REAL, measured: REAL, predicted: REAL, low: nullable(REAL), high: nullable(REAL) }),
        MANY,
      ),
    }),
  ),
});
const OPTIMAL_ROW: Validator<OptimalRow> = obj({
  group: TEXT,
  compute: REAL,
  params: REAL,
  samples: REAL,
  error: REAL,
  errorLow: nullable(REAL),
  errorHigh: nullable(REAL),
  nearest: nullable(obj({ arch: TEXT, params: REAL, samples: REAL, error: REAL })),
  plotted: nullable(obj({ error: REAL, low: nullable(REAL), high: nullable(REAL) })),
});
const ALLOCATION_VIEW: Validator<AllocationView> = obj({
  group: TEXT,
  formula: TEXT,
  own: bool,
  runs: COUNT,
  objective: TEXT,
  plottedFormula: TEXT,
});
const ROW_PROBLEM_VIEW: Validator<RowProblemView> = obj({
  total: COUNT,
  shown: arr(obj({ line: LINE, column: LINE, message: TEXT }), 1_000),
});
const CURVE_SERIES: Validator<CurveSeries> = obj({
  label: TEXT,
  group: TEXT,
  colorIndex: COUNT,
  points: arr(obj({ x: REAL, y: REAL }), MANY),
});
const WARNING_VIEW: Validator<WarningView> = obj(
  { group: nullable(TEXT), kind: WARNING_KIND, message: TEXT },
  { line: LINE },
);
const OUTLIER_VIEW: Validator<OutlierView> = obj({
  group: TEXT,
  line: LINE,
  compute: REAL,
  error: REAL,
  z: REAL,
  residualLog10: REAL,
});

const OPTIONAL_REAL = nullable(REAL);
const PARAM_DIFFERENCE_VIEW: Validator<ParamDifferenceView> = obj({
  param: TEXT,
  difference: REAL,
  low: OPTIONAL_REAL,
  high: OPTIONAL_REAL,
  pValue: nullable(num(0, 1)),
});
const COMPARISON_VIEW: Validator<ComparisonView> = obj({
  pairs: arr(
    obj({
      first: TEXT,
      second: TEXT,
      resamples: COUNT,
      differences: arr(PARAM_DIFFERENCE_VIEW, 64),
      crossing: nullable(obj({ compute: REAL, interval: nullable(obj({ low: OPTIONAL_REAL, high: OPTIONAL_REAL })) })),
      rangeLow: REAL,
      rangeHigh: REAL,
      reading: TEXT,
    }),
    MANY,
  ),
  notes: arr(TEXT, MANY),
});
const FORECAST_ROW_VIEW: Validator<ForecastRowView> = obj({
  run: TEXT,
  group: nullable(TEXT),
  colorIndex: nullable(COUNT),
  samplesSeen: REAL,
  plannedSamples: REAL,
  measuredLast: REAL,
  predicted: REAL,
  low: OPTIONAL_REAL,
  high: OPTIONAL_REAL,
  plot: nullable(obj({ compute: REAL, error: REAL, low: OPTIONAL_REAL, high: OPTIONAL_REAL })),
  reachesFrontier: nullable(bool),
  method: TEXT,
  calibrated: bool,
  calibrationRuns: COUNT,
});
const FORECAST_VIEW: Validator<ForecastView> = obj({
  unit: TEXT,
  rows: arr(FORECAST_ROW_VIEW, MANY),
  notes: arr(TEXT, MANY),
});
const DECISION_VIEWS: Validator<DecisionViews> = obj({
  comparison: nullable(COMPARISON_VIEW),
  forecasts: nullable(FORECAST_VIEW),
  approaches: bool,
});

const PLOT_MODEL: Validator<PlotModel> = obj({
  title: TEXT,
  file: TEXT,
  xLabel: TEXT,
  yLabel: TEXT,
  metric: TEXT,
  metricKind: METRIC_KIND,
  percent: bool,
  trainingRuns: nullable(COUNT),
  allocations: arr(ALLOCATION_VIEW, MANY),
  rowProblems: nullable(ROW_PROBLEM_VIEW),
  runLayers: arr(RUN_LAYER, 10_000),
  series: arr(PLOT_SERIES, MANY),
  formulas: arr(obj({ group: TEXT, text: TEXT, converged: bool, law: LAW, drawn: nullable(TEXT) }), MANY),
  params: arr(PARAM_ROW, MANY),
  groups: arr(GROUP_SUMMARY, MANY),
  optimal: arr(OPTIMAL_ROW, MANY),
  curves: arr(CURVE_SERIES, MANY),
  notes: arr(TEXT, MANY),
  warnings: arr(WARNING_VIEW, MANY),
  outliers: arr(OUTLIER_VIEW, MANY),
  runs: COUNT,
  decisions: DECISION_VIEWS,
});

const FIT_CHOICES: Validator<FitChoices> = obj(
  {
    metric: TEXT,
    metrics: arr(TEXT, MANY),
    group: nullable(TEXT),
    groups: arr(TEXT, MANY),
    metricAmbiguous: bool,
    groupAmbiguous: bool,
  },
  { direction: DIRECTION, directionAmbiguous: bool, laws: arr(LAW, 8) },
);

const PANEL_STATUS: Validator<PanelStatus> = tagged<PanelStatus, 'kind'>('kind', {
  empty: obj({ kind: oneOf('empty'), message: TEXT }),
  fitting: obj({ kind: oneOf('fitting'), file: TEXT }),
  ready: obj(
    { kind: oneOf('ready'), model: PLOT_MODEL, settings: SETTINGS, tasks: arr(TEXT, MANY), choices: FIT_CHOICES },
    { settingsNotes: arr(TEXT, 100), final: bool },
  ),
  error: obj({ kind: oneOf('error'), file: TEXT, message: TEXT }),
});

const APPROACH_OPTIMAL_VIEW: Validator<ApproachOptimalView> = obj({
  compute: REAL,
  nOpt: REAL,
  nOptLow: OPTIONAL_REAL,
  nOptHigh: OPTIONAL_REAL,
  dOpt: REAL,
  dOptLow: OPTIONAL_REAL,
  dOptHigh: OPTIONAL_REAL,
  tokensPerParam: REAL,
  tokensPerParamLow: OPTIONAL_REAL,
  tokensPerParamHigh: OPTIONAL_REAL,
});
const APPROACH_VIEW: Validator<ApproachView> = obj({
  name: TEXT,
  method: TEXT,
  group: TEXT,
  a: OPTIONAL_REAL,
  aLow: OPTIONAL_REAL,
  aHigh: OPTIONAL_REAL,
  b: OPTIONAL_REAL,
  bLow: OPTIONAL_REAL,
  bHigh: OPTIONAL_REAL,
  nCoefficient: OPTIONAL_REAL,
  optimal: arr(APPROACH_OPTIMAL_VIEW, MANY),
  points: arr(obj({ compute: REAL, nOpt: REAL, low: OPTIONAL_REAL, high: OPTIONAL_REAL }), MANY),
  resamples: COUNT,
  notes: arr(TEXT, MANY),
});
const PARAMS_ERROR = obj({ params: REAL, error: REAL });
const ISOFLOP_VIEW: Validator<IsoflopView> = obj({
  group: TEXT,
  compute: REAL,
  runs: arr(PARAMS_ERROR, MANY),
  curve: arr(PARAMS_ERROR, MANY),
  nOpt: OPTIONAL_REAL,
  low: OPTIONAL_REAL,
  high: OPTIONAL_REAL,
  errorAtMinimum: OPTIONAL_REAL,
  problem: nullable(TEXT),
});
const APPROACHES_VIEW: Validator<ApproachesView> = obj({
  approaches: arr(APPROACH_VIEW, MANY),
  isoflop: arr(ISOFLOP_VIEW, MANY),
  perSample: arr(obj({ group: TEXT, text: TEXT }), MANY),
  noIsoflop: arr(obj({ group: TEXT, reason: TEXT }), MANY),
  notes: arr(TEXT, MANY),
});
const SUGGESTION_VIEW: Validator<SuggestionView> = obj({
  group: TEXT,
  config: TEXT,
  compute: REAL,
  nowLow: REAL,
  nowHigh: REAL,
  afterLow: REAL,
  afterHigh: REAL,
  widthRatio: REAL,
  shrinkPerCompute: REAL,
});
const POSITIVE = refine(REAL, (value) => value > 0);
const SUGGESTIONS_VIEW: Validator<SuggestionsView> = obj({
  target: POSITIVE,
  cap: nullable(POSITIVE),
  rows: arr(SUGGESTION_VIEW, MANY),
  ranked: COUNT,
  notes: arr(TEXT, MANY),
});
const TASK_ROW_VIEW: Validator<TaskRowView> = obj({
  task: TEXT,
  group: TEXT,
  metric: TEXT,
  law: TEXT,
  exponentName: TEXT,
  exponent: REAL,
  low: OPTIONAL_REAL,
  high: OPTIONAL_REAL,
  nPoints: COUNT,
  nUsed: COUNT,
  rmseLog10: REAL,
  holdoutMae: OPTIONAL_REAL,
  maeUnits: nullable(oneOf('pp', 'loss units')),
});
const TASKS_VIEW: Validator<TasksView> = obj({
  rows: arr(TASK_ROW_VIEW, MANY),
  failed: arr(obj({ task: TEXT, reason: TEXT }), MANY),
  holdout: TEXT,
  notes: arr(TEXT, MANY),
});

/** A decision request from a webview: a kind and, for the next runs, a positive target and cap. */
const DECISION_ASK: Validator<DecisionAsk> = tagged<DecisionAsk, 'kind'>('kind', {
  approaches: obj({ id: ID, kind: oneOf('approaches') }),
  suggestions: obj({ id: ID, kind: oneOf('suggestions'), target: POSITIVE, cap: nullable(POSITIVE) }),
  tasks: obj({ id: ID, kind: oneOf('tasks') }),
});
const DECISION_ANSWER: Validator<DecisionAnswer> = tagged<DecisionAnswer, 'kind'>('kind', {
  approaches: obj({ id: ID, kind: oneOf('approaches'), view: APPROACHES_VIEW }),
  suggestions: obj({ id: ID, kind: oneOf('suggestions'), view: SUGGESTIONS_VIEW }),
  tasks: obj({ id: ID, kind: oneOf('tasks'), view: TASKS_VIEW }),
  progress: refine(obj({ id: ID, kind: oneOf('progress'), done: COUNT, total: COUNT }), (p) => p.done <= p.total),
  failed: obj({ id: ID, kind: oneOf('failed'), message: TEXT }),
});

const READY_REQUEST: Validator<ReadyRequest> = obj({ type: oneOf('ready'), id: ID });
const INITIAL_STATE: Validator<InitialState> = obj({ type: oneOf('initialState'), id: ID, status: PANEL_STATUS });
const STATUS_NOTIFICATION: Validator<StatusNotification> = obj({ type: oneOf('status'), status: PANEL_STATUS });
const REVEAL_LINE: Validator<RevealLine> = obj({ type: oneOf('revealLine'), line: int(1, 2 ** 31 - 1) });

const HOST_TO_PANEL: Validator<HostToPanel> = tagged<HostToPanel, 'type'>('type', {
  initialState: INITIAL_STATE,
  status: STATUS_NOTIFICATION,
  exportRequest: obj({
    type: oneOf('exportRequest'),
    id: ID,
    format: oneOf('png', 'svg'),
    background: oneOf('light', 'dark', 'theme'),
  }),
  decision: obj({ type: oneOf('decision'), answer: DECISION_ANSWER }),
});

/** What the panel may ask: small, and never a path. */
const PANEL_TO_HOST: Validator<PanelToHost> = tagged<PanelToHost, 'type'>('type', {
  ready: READY_REQUEST,
  settings: obj({ type: oneOf('settings'), settings: SETTINGS }),
  copyLaw: obj({ type: oneOf('copyLaw'), format: oneOf('latex', 'markdown') }),
  saveSummary: obj({ type: oneOf('saveSummary') }),
  exportPng: obj({
    type: oneOf('exportPng'),
    id: ID,
    dataUrl: str(20_000_000, { pattern: /^data:image\/png;base64,[A-Za-z0-9+/]*={0,2}$/ }),
  }),
  exportSvg: obj({ type: oneOf('exportSvg'), id: ID, svg: str(20_000_000, { pattern: /^<svg[\s>]/ }) }),
  resetSettings: obj({ type: oneOf('resetSettings') }),
  exportPlot: obj({ type: oneOf('exportPlot') }),
  revealLine: REVEAL_LINE,
  decide: obj({ type: oneOf('decide'), ask: DECISION_ASK }),
});

const HOST_TO_SIDE_VIEW: Validator<HostToSideView> = tagged<HostToSideView, 'type'>('type', {
  initialState: INITIAL_STATE,
  status: STATUS_NOTIFICATION,
});

const SIDE_VIEW_TO_HOST: Validator<SideViewToHost> = tagged<SideViewToHost, 'type'>('type', {
  ready: READY_REQUEST,
  fit: obj({ type: oneOf('fit') }),
  evaluate: obj({ type: oneOf('evaluate') }),
  revealLine: REVEAL_LINE,
});

const HOVER_LAW: Validator<HoverLaw> = obj({
  group: TEXT,
  law: LAW,
  formula: TEXT,
  params: typed(Float64Array, 64),
  bootstrap: typed(Float64Array, 64 * 100_000),
});

const HOVER_MODEL: Validator<HoverModel> = refine(
  obj(
    {
      metric: TEXT,
      percent: bool,
      higherIsBetter: bool,
      metricKind: METRIC_KIND,
      laws: arr(HOVER_LAW, 10_000),
      line: typed(Int32Array, RUNS),
      law: typed(Int32Array, RUNS),
      compute: typed(Float64Array, RUNS),
      params: typed(Float64Array, RUNS),
      samples: typed(Float64Array, RUNS),
      measured: typed(Float64Array, RUNS),
      outlierZ: typed(Float64Array, RUNS),
    },
    { task: nullable(TEXT) },
  ),
  (model) =>
    [model.law, model.compute, model.params, model.samples, model.measured, model.outlierZ].every(
      (column) => column.length === model.line.length,
    ),
);

const WORKER_PROBLEM: Validator<WorkerProblem> = obj(
  { file: TEXT, line: int(1, 2 ** 31 - 1), column: int(1, 2 ** 31 - 1), message: TEXT },
  { severity: oneOf('error', 'warning', 'info'), cause: oneOf('file', 'settings') },
);

const FIT_JOB_RESULT: Validator<FitJobResult> = obj({
  model: PLOT_MODEL,
  tasks: arr(TEXT, MANY),
  choices: FIT_CHOICES,
  hover: HOVER_MODEL,
  headerLaw: TEXT,
  statusText: TEXT,
  summary: json(32, 10 * MANY),
  problems: arr(WORKER_PROBLEM, 1_000),
  problemsTotal: COUNT,
});

const WORKER_TO_HOST: Validator<WorkerToHost> = tagged<WorkerToHost, 'type'>('type', {
  result: obj({ type: oneOf('result'), id: ID, outcome: FIT_JOB_RESULT, final: bool }),
  failed: obj({ type: oneOf('failed'), id: ID, problem: WORKER_PROBLEM }, { related: arr(WORKER_PROBLEM, 1_000) }),
  cancelled: obj({ type: oneOf('cancelled'), id: ID }),
  rowResult: obj({
    type: oneOf('rowResult'),
    id: ID,
    result: either(
      obj({ ok: oneOf(true), task: nullable(TEXT), hover: HOVER_MODEL }),
      obj({ ok: oneOf(false), reason: TEXT }),
    ),
  }),
  decisionResult: obj({ type: oneOf('decisionResult'), id: ID, answer: DECISION_ANSWER }),
});

const CANCEL_FLAG: Validator<SharedArrayBuffer> = (value): value is SharedArrayBuffer =>
  typeof SharedArrayBuffer === 'function' &&
  value instanceof SharedArrayBuffer &&
  value.byteLength >= 4 &&
  value.byteLength <= 64;

const HOST_TO_WORKER: Validator<HostToWorker> = tagged<HostToWorker, 'type'>('type', {
  fit: obj({
    type: oneOf('fit'),
    id: ID,
    body: obj({ file: PATH, root: PATH, settings: SETTINGS, cancelFlag: CANCEL_FLAG }),
  }),
  rowFit: obj({
    type: oneOf('rowFit'),
    id: ID,
    body: obj({ file: PATH, root: PATH, settings: SETTINGS, line: int(1, 2 ** 31 - 1) }, { cancelFlag: CANCEL_FLAG }),
  }),
  decide: obj({
    type: oneOf('decide'),
    id: ID,
    body: obj({ file: PATH, root: PATH, settings: SETTINGS, ask: DECISION_ASK, cancelFlag: CANCEL_FLAG }),
  }),
});

const EVAL_REQUEST: Validator<EvalRequest> = obj(
  { model: PATH, data: PATH, out: PATH },
  {
    batch: checked((v) => checkEvalCount('batch', v)),
    threads: checked((v) => checkEvalCount('threads', v)),
    limit: checked((v) => checkEvalCount('limit', v)),
  },
);

const HOST_TO_EVAL_CHILD: Validator<HostToEvalChild> = tagged<HostToEvalChild, 'type'>('type', {
  run: obj({ type: oneOf('run'), request: EVAL_REQUEST }),
  cancel: obj({ type: oneOf('cancel') }),
});

const RATE = num(0, Number.MAX_VALUE);

const EVAL_CHILD_TO_HOST: Validator<EvalChildToHost> = tagged<EvalChildToHost, 'type'>('type', {
  progress: refine(
    obj({
      type: oneOf('progress'),
      done: COUNT,
      total: int(1, Number.MAX_SAFE_INTEGER),
      imagesPerSecond: RATE,
      etaSeconds: RATE,
    }),
    (p) => p.done <= p.total,
  ),
  done: obj({
    type: oneOf('done'),
    row: record(NAME, either(nullable(str(10_000)), REAL), 200),
    imagesPerSecond: RATE,
  }),
  failed: obj({ type: oneOf('failed'), message: str(10_000) }),
  cancelled: obj({ type: oneOf('cancelled') }),
});

/** Fit settings from an untrusted source (a webview message, restored webview state, the workspace state). */
export const isSettings = SETTINGS;
/** A message received from a webview; undefined for anything not in its protocol. */
export const parsePanelMessage = parser(PANEL_TO_HOST);
export const parseSideViewMessage = parser(SIDE_VIEW_TO_HOST);
/** A message received from the host (a webview trusts its host, but a stale or foreign message must not break it). */
export const parseHostToPanel = parser(HOST_TO_PANEL);
export const parseHostToSideView = parser(HOST_TO_SIDE_VIEW);
export const parseWorkerMessage = parser(WORKER_TO_HOST);
export const parseHostToWorker = parser(HOST_TO_WORKER);
export const parseEvalChildMessage = parser(EVAL_CHILD_TO_HOST);
export const parseHostToEvalChild = parser(HOST_TO_EVAL_CHILD);
