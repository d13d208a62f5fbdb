/**
 * Hover predictions from a cached fit: the fit job ships each group's law with its bootstrap refits and the runs'
 * coordinates; a hover evaluates the law (and the refits, for the 95 % interval) at one row on demand. That keeps
 * the fit job free of a prediction per row, and the hover never waits on the worker.
 */
import type { AnalysisResult } from './analysis';
import { lawByName } from './laws/index';
import type { LawName, LawParams } from './laws/law';
import { fromError, toError, type MetricKind } from './schema/metric';
import { interval95 } from './stats';

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
  metricKind: MetricKind;
  /** The task the laws were fitted on, when the file has tasks (a hover names it). */
  task?: string | null;
  laws: HoverLaw[];
  line: Int32Array;
  /** Index into `laws` per run. */
  law: Int32Array;
  compute: Float64Array;
  /** NaN where the file has no parameter count / samples seen for the run. */
  params: Float64Array;
  samples: Float64Array;
  measured: Float64Array;
  /** Robust z-score of the run's residual where it is an outlier of its fit, NaN elsewhere. */
  outlierZ: Float64Array;
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
  metricKind: MetricKind;
  task: string | null;
  /** The run's robust z-score when it is an outlier of its fit. */
  outlierZ: number | null;
}

export function buildHoverModel(result: AnalysisResult): HoverModel {
  const laws: HoverLaw[] = result.fits.map((fit) => {
    const names = lawByName(fit.law).paramNames;
    const samples = fit.bootstrap_params ?? [];
    const bootstrap = new Float64Array(samples.length * names.length);
    samples.forEach((params, s) => names.forEach((name, k) => (bootstrap[s * names.length + k] = params[name])));
    return {
      group: fit.group ?? 'all runs',
      law: fit.law,
      formula: fit.formula,
      params: Float64Array.from(names, (name) => fit.params[name]),
      bootstrap,
    };
  });
  const lawOfGroup = new Map(result.fits.map((fit, i) => [fit.group, i]));
  const order = result.runs.map((_, i) => i).sort((a, b) => result.runs[a].line - result.runs[b].line);
  const n = order.length;
  const model: HoverModel = {
    metric: result.metric,
    percent: result.scale.percent,
    higherIsBetter: result.scale.direction === 'higher-is-better',
    metricKind: result.scale.kind,
    laws,
    line: new Int32Array(n),
    law: new Int32Array(n),
    compute: new Float64Array(n),
    params: new Float64Array(n),
    samples: new Float64Array(n),
    measured: new Float64Array(n),
    outlierZ: new Float64Array(n).fill(NaN),
  };
  const outlierZ = new Map(
    result.fits.flatMap((fit) => fit.outliers.map((o) => [`${fit.group}\u0000${o.line}`, o.z] as const)),
  );
  order.forEach((runIndex, k) => {
    const run = result.runs[runIndex];
    model.line[k] = run.line;
    model.law[k] = lawOfGroup.get(run.group) ?? -1;
    model.compute[k] = run.compute;
    model.params[k] = run.params ?? NaN;
    model.samples[k] = run.samples ?? NaN;
    model.measured[k] = run.measured;
    model.outlierZ[k] = outlierZ.get(`${run.group}\u0000${run.line}`) ?? NaN;
  });
  return model;
}

/** The law's prediction for the run on a 1-based source line, or undefined when that line is not a fitted run. */
export function predictAtLine(model: HoverModel, line: number): RowPrediction | undefined {
  const k = findLine(model.line, line);
  if (k < 0 || model.law[k] < 0) return undefined;
  const hoverLaw = model.laws[model.law[k]];
  const law = lawByName(hoverLaw.law);
  const names = law.paramNames;
  const asParams = (values: Float64Array, offset: number): LawParams =>
    Object.fromEntries(names.map((name, i) => [name, values[offset + i]]));
  const at = {
    compute: model.compute[k],
    params: orUndefined(model.params[k]),
    samples: orUndefined(model.samples[k]),
  };
  const predicted = law.predict(asParams(hoverLaw.params, 0), at);
  if (!Number.isFinite(predicted)) return undefined;
  const refits: number[] = [];
  for (let offset = 0; offset + names.length <= hoverLaw.bootstrap.length; offset += names.length)
    refits.push(law.predict(asParams(hoverLaw.bootstrap, offset), at));
  const [low, high] = interval95(refits) ?? [null, null];
  const scale = {
    percent: model.percent,
    direction: model.higherIsBetter ? ('higher-is-better' as const) : ('lower-is-better' as const),
  };
  const metric = (error: number) => fromError(error, scale);
  const measured = model.measured[k];
  return {
    line,
    group: hoverLaw.group,
    law: hoverLaw.formula,
    metric: model.metric,
    measured: toError(measured, scale),
    predicted,
    low,
    high,
    measuredMetric: measured,
    predictedMetric: metric(predicted),
    // Error and a higher-is-better metric run in opposite directions: the interval's ends swap.
    lowMetric: low === null || high === null ? null : metric(model.higherIsBetter ? high : low),
    highMetric: low === null || high === null ? null : metric(model.higherIsBetter ? low : high),
    percent: model.percent,
    metricKind: model.metricKind,
    task: model.task ?? null,
    outlierZ: Number.isNaN(model.outlierZ[k]) ? null : model.outlierZ[k],
  };
}

function orUndefined(value: number): number | undefined {
  return Number.isNaN(value) ? undefined : value;
}

/** Binary search in ascending lines; −1 when absent. */
function findLine(lines: Int32Array, line: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid] === line) return mid;
    if (lines[mid] < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
