/**
 * Where will a running job end? Each running curve's final error at its planned length, with a 95 % interval,
 * and whether it will reach the frontier of the finished runs.
 *
 * Forecasters, in order of preference, each calibrated on the family's finished runs (the other curves of the file
 * that reached their planned length), every one of which is cut where the running one stands and forecast the same way:
 *  - family shape: ln E(final) = ln E(now) − median over finished runs of ln(E(f)/E(final)) at the same fraction f
 *    of the planned length (learning-rate schedules make late training fall faster than any power law says), over
 *    the finished runs planned within ×1.5 of this one (same schedule length), else over all of them;
 *  - power law: E = E∞ + β·s^α fitted to the run's own checkpoints, shifted by the finished runs' median log error.
 * The interval is the split-conformal quantile of the leave-one-run-out errors (a t interval on their spread below
 * 19 runs). A curve fit's own interval ignores that checkpoints are autocorrelated and is far too narrow
 * (bench/forecast.ts measures it: 30–41 % coverage): it is given only when no finished run can calibrate, flagged.
 */
import { fitLaw } from '../fit/fitLaw';
import { formatNumber } from '../format';
import { lawByName, lawData } from '../laws/index';
import { fromError, type MetricScale } from '../schema/metric';
import { quantile } from '../stats';
import { isFinished, type CurveSet, type LearningCurve } from './curves';
import { deltaInterval } from './deltaMethod';
import { tQuantile } from './tDistribution';

export type ForecastMethod = 'family-shape' | 'same-length-shape' | 'power-law' | 'last-value';

/** Default order of preference: the most specific family first (bench/forecast.ts compares them). */
const METHODS: readonly ForecastMethod[] = ['same-length-shape', 'family-shape', 'power-law'];
/** Runs planned within this factor of each other share a learning-rate schedule's shape closely enough. */
const SAME_LENGTH = 1.5;

export interface Forecast {
  run: string;
  /** Where the run stands (samples seen, or the log's unit). */
  samples_seen: number;
  planned_samples: number;
  /** The metric as logged at the last checkpoint, and its forecast at the planned length (metric units). */
  measured_last: number;
  predicted: number;
  ci95: [number, number] | null;
  /** Not beaten by any finished run using no more compute; null when compute is unknown. */
  reaches_frontier: boolean | null;
  method: ForecastMethod;
  /** Whether the interval's width was measured on finished runs. */
  calibrated: boolean;
  /** Finished runs whose errors calibrated the forecast. */
  calibration_runs: number;
  planned_compute: number | null;
  /** With --cut: the metric the run actually ended at. */
  final_measured?: number;
}

export interface ForecastSummary {
  runs: number;
  /** Median |forecast − final| and the same for the last value carried forward, in pp for accuracy-like metrics. */
  median_abs_error: number;
  baseline_median_abs_error: number;
  unit: string;
  /** Share of finals inside their 95 % interval. */
  coverage: number | null;
}

export interface ForecastReport {
  forecasts: Forecast[];
  unit: string;
  cut: number | null;
  summary: ForecastSummary | null;
  notes: string[];
}

/** Fewer calibration residuals than this and a method is not used. */
const MIN_CALIBRATION = 3;
const saturating = lawByName('saturating');

interface Estimate {
  logError: number;
  method: ForecastMethod;
  halfWidth: number | null;
  calibrated: boolean;
  calibrationRuns: number;
}

/** For validation (bench/forecast.ts): restrict the forecasters, or skip calibration (the curve fit's own interval). */
export interface ForecasterChoice {
  methods?: readonly ForecastMethod[];
  calibrate?: boolean;
}

export function forecastCurves(
  set: CurveSet,
  scale: MetricScale,
  cut: number | undefined,
  choice: ForecasterChoice = {},
): ForecastReport {
  const notes = [...set.notes];
  const finished = set.curves.filter(isFinished);
  const targets: { curve: LearningCurve; truth?: number; family: LearningCurve[] }[] = [];
  if (cut !== undefined) {
    for (const curve of set.curves) {
      if (curve.planned !== null && !isFinished(curve)) continue;
      const length = curve.planned ?? curve.x[curve.x.length - 1];
      const kept = cutAt(curve, cut * length);
      if (kept && kept.x.length > 0)
        targets.push({
          curve: { ...kept, planned: length },
          truth: curve.error[curve.error.length - 1],
          family: finished.filter((f) => f !== curve),
        });
    }
    const skipped = set.curves.length - targets.length;
    if (skipped > 0)
      notes.push(
        `${skipped} run(s) not finished or without a checkpoint before ${formatNumber(cut * 100)} % of their length: not validated`,
      );
  } else {
    for (const curve of set.curves)
      if (!isFinished(curve) && curve.planned !== null) targets.push({ curve, family: finished });
    const unplanned = set.curves.filter((c) => c.planned === null).length;
    if (unplanned > 0)
      notes.push(
        `${unplanned} run(s) without a planned length (a planned_samples column, params.txt epochs, or --planned SAMPLES): not forecast`,
      );
    if (targets.length === 0)
      notes.push(
        `all ${finished.length} runs with a planned length have finished: nothing to forecast (--cut FRACTION validates the forecaster on them)`,
      );
  }
  const cache = new Map<string, number | null>();
  const forecasts: Forecast[] = [];
  for (const { curve, truth, family } of targets) {
    const estimate =
      choice.calibrate === false ? uncalibrated(curve) : forecastOne(curve, family, cache, choice.methods ?? METHODS);
    const last = curve.x.length - 1;
    const toMetric = (logError: number) => fromError(Math.exp(logError), scale);
    const interval =
      estimate.halfWidth === null
        ? null
        : ([toMetric(estimate.logError - estimate.halfWidth), toMetric(estimate.logError + estimate.halfWidth)].sort(
            (a, b) => a - b,
          ) as [number, number]);
    const plannedCompute = curve.computePerX === null ? null : curve.computePerX * curve.planned!;
    forecasts.push({
      run: curve.run,
      samples_seen: curve.x[last],
      planned_samples: curve.planned!,
      measured_last: curve.measured[last],
      predicted: toMetric(estimate.logError),
      ci95: interval,
      reaches_frontier: reachesFrontier(Math.exp(estimate.logError), plannedCompute, family),
      method: estimate.method,
      calibrated: estimate.calibrated,
      calibration_runs: estimate.calibrationRuns,
      planned_compute: plannedCompute,
      ...(truth === undefined ? {} : { final_measured: fromError(truth, scale) }),
    });
  }
  if (forecasts.some((f) => !f.calibrated && f.ci95))
    notes.push(
      'fewer than 3 finished runs to calibrate on: intervals from the curve fit alone, which ignores that checkpoints are autocorrelated and is too narrow',
    );
  return {
    forecasts,
    unit: set.unit,
    cut: cut ?? null,
    summary: cut === undefined ? null : summarise(forecasts, scale),
    notes,
  };
}

/** The checkpoints at or before `limit`, or null when none is. */
function cutAt(curve: LearningCurve, limit: number): LearningCurve | null {
  const n = curve.x.filter((x) => x <= limit * (1 + 1e-9)).length;
  if (n === 0) return null;
  return {
    ...curve,
    x: curve.x.slice(0, n),
    error: curve.error.slice(0, n),
    measured: curve.measured.slice(0, n),
    lines: curve.lines.slice(0, n),
  };
}

/** The first method, in order of preference, that the family can calibrate (at least 3 leave-one-out errors). */
function forecastOne(
  curve: LearningCurve,
  family: LearningCurve[],
  cache: Map<string, number | null>,
  methods: readonly ForecastMethod[],
): Estimate {
  const fraction = curve.x[curve.x.length - 1] / curve.planned!;
  for (const method of methods) {
    const base = baseForecast(method, curve, family, cache);
    if (base === null) continue;
    // Leave-one-run-out: each finished run cut at the same fraction, forecast from the rest of the family.
    const residuals: number[] = [];
    for (const other of family) {
      const cut = cutAt(other, fraction * other.planned!);
      if (!cut) continue;
      const forecast = baseForecast(
        method,
        cut,
        family.filter((f) => f !== other),
        cache,
      );
      const final = other.error[other.error.length - 1];
      if (forecast !== null && final > 0) residuals.push(Math.log(final) - forecast);
    }
    if (residuals.length < MIN_CALIBRATION) continue;
    // The last value is carried forward as it is; the other forecasts are shifted by the family's median error.
    const shift =
      method === 'last-value'
        ? 0
        : quantile(
            [...residuals].sort((a, b) => a - b),
            0.5,
          );
    return {
      logError: base + shift,
      method,
      halfWidth: calibratedHalfWidth(residuals, shift),
      calibrated: true,
      calibrationRuns: residuals.length,
    };
  }
  return uncalibrated(curve);
}

/**
 * Half-width of the 95 % interval from calibration errors r: the ⌈0.95·(m + 1)⌉-th smallest |r − shift| (split
 * conformal: covers a new run with probability ≥ 95 % when runs are exchangeable); below 19 runs that rank does not
 * exist and t₀.₉₇₅(m − 1)·sd·sqrt(1 + 1/m) is used.
 */
export function calibratedHalfWidth(residuals: number[], shift: number): number {
  const m = residuals.length;
  const deviations = residuals.map((r) => Math.abs(r - shift)).sort((a, b) => a - b);
  const rank = Math.ceil(0.95 * (m + 1));
  if (rank <= m) return deviations[rank - 1];
  const mean = residuals.reduce((s, r) => s + r, 0) / m;
  const sd = Math.sqrt(residuals.reduce((s, r) => s + (r - mean) ** 2, 0) / (m - 1));
  return tQuantile(0.975, m - 1) * sd * Math.sqrt(1 + 1 / m);
}

/** ln Ê at the planned length before calibration; null when the method cannot be applied. */
function baseForecast(
  method: ForecastMethod,
  curve: LearningCurve,
  family: LearningCurve[],
  cache: Map<string, number | null>,
): number | null {
  if (method === 'family-shape') return familyShapeForecast(curve, family);
  if (method === 'same-length-shape')
    return familyShapeForecast(
      curve,
      family.filter((f) => Math.abs(Math.log(f.planned! / curve.planned!)) <= Math.log(SAME_LENGTH)),
    );
  if (method === 'last-value')
    return curve.error[curve.error.length - 1] > 0 ? Math.log(curve.error[curve.error.length - 1]) : null;
  const key = `${curve.run}\u0000${curve.x.length}\u0000${curve.planned}`;
  if (!cache.has(key)) cache.set(key, powerLawForecast(curve)?.logPrediction ?? null);
  return cache.get(key)!;
}

function familyShapeForecast(curve: LearningCurve, family: LearningCurve[]): number | null {
  const last = curve.x.length - 1;
  const fraction = curve.x[last] / curve.planned!;
  const drops = family
    .map((f) => dropFrom(f, fraction))
    .filter((d): d is number => d !== null)
    .sort((a, b) => a - b);
  if (drops.length < MIN_CALIBRATION || !(curve.error[last] > 0)) return null;
  return Math.log(curve.error[last]) - quantile(drops, 0.5);
}

/** ln(E(f)/E(final)) of a finished run at fraction f of its length, interpolated in ln f; null before its first checkpoint. */
function dropFrom(run: LearningCurve, fraction: number): number | null {
  const n = run.x.length;
  const final = run.error[n - 1];
  const f = run.x.map((x) => x / run.planned!);
  if (fraction < f[0] * (1 - 1e-9) || !(final > 0)) return null;
  if (fraction >= f[n - 1]) return 0;
  let k = 0;
  while (k + 1 < n && f[k + 1] < fraction) k++;
  const t = (Math.log(fraction) - Math.log(f[k])) / (Math.log(f[k + 1]) - Math.log(f[k]));
  const logE =
    Math.log(run.error[k]) + Math.max(0, Math.min(1, t)) * (Math.log(run.error[k + 1]) - Math.log(run.error[k]));
  return logE - Math.log(final);
}

/**
 * E = E∞ + β·s^α fitted to the checkpoints (needs 4: one residual degree of freedom), evaluated at the planned
 * length. Long logs are thinned to 40 checkpoints evenly spaced in ln s (the last kept), and Levenberg–Marquardt
 * runs from the 5 best of the law's starts: calibration refits every finished run at every cut.
 */
function powerLawForecast(curve: LearningCurve) {
  if (curve.x.length < saturating.paramNames.length + 1 || curve.error.some((e) => !(e > 0))) return null;
  const kept = thinInLog(curve.x, MAX_FIT_POINTS);
  const data = lawData(kept.map((i) => ({ compute: curve.x[i], error: curve.error[i] })));
  const fit = fitLaw(saturating, data, { kind: 'ls' }, { maxLocalStarts: 5 });
  if (!fit.theta.every(Number.isFinite)) return null;
  return (
    deltaInterval(saturating, fit.theta, data, { compute: curve.planned! }) ?? {
      logPrediction: Math.log(saturating.predict(fit.params, { compute: curve.planned! })),
      halfWidth: NaN,
      se: NaN,
      dof: 0,
    }
  );
}

const MAX_FIT_POINTS = 40;

/** Indices of at most `count` values evenly spaced in ln x (increasing x), always keeping the first and last. */
function thinInLog(x: number[], count: number): number[] {
  if (x.length <= count) return x.map((_, i) => i);
  const lo = Math.log(x[0]);
  const hi = Math.log(x[x.length - 1]);
  const kept = new Set<number>();
  let j = 0;
  for (let k = 0; k < count; k++) {
    const target = lo + ((hi - lo) * k) / (count - 1);
    while (j + 1 < x.length && Math.log(x[j + 1]) <= target) j++;
    kept.add(j);
  }
  kept.add(x.length - 1);
  return [...kept].sort((a, b) => a - b);
}

function uncalibrated(curve: LearningCurve): Estimate {
  const fit = powerLawForecast(curve);
  if (fit && Number.isFinite(fit.logPrediction))
    return {
      logError: fit.logPrediction,
      method: 'power-law',
      halfWidth: Number.isFinite(fit.halfWidth) ? fit.halfWidth : null,
      calibrated: false,
      calibrationRuns: 0,
    };
  const last = curve.error[curve.error.length - 1];
  return { logError: Math.log(last), method: 'last-value', halfWidth: null, calibrated: false, calibrationRuns: 0 };
}

/** Not dominated: no finished run that used no more compute ended with a lower error. */
function reachesFrontier(error: number, compute: number | null, family: LearningCurve[]): boolean | null {
  if (compute === null) return null;
  const ends = family
    .filter((f) => f.computePerX !== null)
    .map((f) => ({ compute: f.computePerX! * f.x[f.x.length - 1], error: f.error[f.error.length - 1] }));
  if (ends.length === 0) return null;
  return !ends.some((e) => e.compute <= compute * (1 + 1e-9) && e.error < error);
}

function summarise(forecasts: Forecast[], scale: MetricScale): ForecastSummary | null {
  const scored = forecasts.filter((f) => f.final_measured !== undefined);
  if (scored.length === 0) return null;
  // Accuracy-like fractions are compared in percentage points.
  const factor = scale.direction === 'higher-is-better' && !scale.percent ? 100 : 1;
  const median = (values: number[]) =>
    quantile(
      [...values].sort((a, b) => a - b),
      0.5,
    );
  const withInterval = scored.filter((f) => f.ci95);
  return {
    runs: scored.length,
    median_abs_error: median(scored.map((f) => factor * Math.abs(f.predicted - f.final_measured!))),
    baseline_median_abs_error: median(scored.map((f) => factor * Math.abs(f.measured_last - f.final_measured!))),
    unit: scale.direction === 'higher-is-better' ? 'pp' : 'metric units',
    coverage:
      withInterval.length === 0
        ? null
        : withInterval.filter((f) => f.ci95![0] <= f.final_measured! && f.final_measured! <= f.ci95![1]).length /
          withInterval.length,
  };
}

/** The "Forecasts" section of the CLI's text report. */
export function forecastText(report: ForecastReport, metric: string): string[] {
  const lines = [
    report.cut === null
      ? `Forecasts of ${metric} at each running job's planned length:`
      : `Forecasts from every curve cut at ${formatNumber(report.cut * 100)} % of its length (validation):`,
  ];
  for (const f of report.forecasts) {
    const ci = f.ci95
      ? ` 95% CI [${formatNumber(f.ci95[0])}, ${formatNumber(f.ci95[1])}]${f.calibrated ? '' : ' (not calibrated)'}`
      : '';
    const frontier =
      f.reaches_frontier === null ? '' : f.reaches_frontier ? '; reaches the frontier' : '; below the frontier';
    const actual = f.final_measured === undefined ? '' : `; actual ${formatNumber(f.final_measured)}`;
    lines.push(
      `  ${f.run}: ${formatNumber(f.measured_last)} at ${formatNumber(f.samples_seen)} of ${formatNumber(f.planned_samples)} ${report.unit} → ${formatNumber(f.predicted)}${ci} (${f.method}${f.calibrated ? `, calibrated on ${f.calibration_runs} finished runs` : ''})${frontier}${actual}`,
    );
  }
  if (report.summary) {
    const s = report.summary;
    lines.push(
      `  ${s.runs} runs: median |error| ${formatNumber(s.median_abs_error)} ${s.unit} (last value carried forward: ${formatNumber(s.baseline_median_abs_error)} ${s.unit}); 95 % interval coverage ${s.coverage === null ? '—' : `${formatNumber(100 * s.coverage)} %`}`,
    );
  }
  for (const note of report.notes) lines.push(`  note: ${note}`);
  return lines;
}
