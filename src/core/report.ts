/** Fit summaries: the documented JSON shape (CLI --json, the panel's saved summary) and a readable report per group. */
import type { AnalysisResult, GroupAnalysis } from './analysis';
import { filterData, formatFilter } from './expr/filter';
import { formatNumber } from './format';
import type { HoldoutReport } from './holdout';

export function toJson(result: AnalysisResult): unknown {
  return {
    file: result.file,
    profile: result.profile,
    metric: result.metric,
    error_definition: result.error_definition,
    direction: result.scale.direction === 'higher-is-better' ? 'higher' : 'lower',
    metric_kind: result.scale.kind,
    compute: result.compute,
    filters: result.filters.map(filterData),
    notes: result.notes,
    warnings: result.warnings,
    problems: result.problems.map((p) => ({ file: p.file, line: p.line, column: p.column, message: p.message })),
    problems_total: result.problems_total,
    fits: result.fits.map((fit) => ({
      group: fit.group,
      law: fit.law,
      frontier: fit.frontier,
      objective: fit.objective,
      n_points: fit.n_points,
      n_used: fit.n_used,
      params: fit.params,
      ci95: fit.ci95,
      rmse_log10: fit.rmse_log10,
      converged: fit.converged,
      reason: fit.reason,
      formula: fit.formula,
      predictions: fit.predictions,
      optimal: fit.optimal,
      holdout: fit.holdout,
      bootstrap: fit.bootstrap,
      notes: fit.notes,
      warnings: fit.warnings,
      outliers: fit.outliers,
    })),
  };
}

export function toText(result: AnalysisResult): string {
  const lines: string[] = [];
  lines.push(`${result.file}  (${result.profile})`);
  lines.push(`  error: ${result.error_definition}`);
  lines.push(`  compute: C = ${result.compute}`);
  if (result.filters.length) lines.push(`  rows: ${result.filters.map(formatFilter).join(', ')}`);
  for (const note of result.notes) if (note !== result.error_definition) lines.push(`  note: ${note}`);
  for (const warning of result.warnings) lines.push(`  warning: ${warning.message}`);
  for (const fit of result.fits) lines.push('', ...groupText(fit, result));
  return lines.join('\n');
}

function groupText(fit: GroupAnalysis, result: AnalysisResult): string[] {
  const lines = [
    `${fit.group ?? 'all runs'} — ${fit.law} law, ${fit.frontier} frontier, ${fit.objective}: ${fit.n_points} runs, ${fit.n_used} points fitted`,
  ];
  lines.push(`  ${fit.formula}`);
  const width = Math.max(...Object.keys(fit.params).map((k) => k.length));
  for (const [name, value] of Object.entries(fit.params)) {
    const ci = fit.ci95?.[name];
    lines.push(
      `  ${name.padEnd(width)}  ${formatNumber(value, 5).padStart(11)}${ci ? `   95% CI [${formatNumber(ci[0], 4)}, ${formatNumber(ci[1], 4)}]` : ''}`,
    );
  }
  lines.push(
    `  rmse (log10 E): ${formatNumber(fit.rmse_log10, 3)} · ${fit.converged ? 'converged' : 'NOT converged'}: ${fit.reason}`,
  );
  if (fit.bootstrap)
    lines.push(`  bootstrap: ${fit.bootstrap.resamples} resamples of runs, seed ${fit.bootstrap.seed}`);
  for (const note of fit.notes) lines.push(`  note: ${note}`);
  for (const warning of fit.warnings) lines.push(`  warning: ${warning.message}`);
  const percentLabel = result.scale.kind === 'accuracy' ? result.metric : undefined;
  if (fit.predictions.length) lines.push(`  predictions${fit.holdout ? ' (from the fit on all runs)' : ''}:`);
  for (const p of fit.predictions) {
    const at = Object.entries(p.at)
      .map(([k, v]) => `${k}=${typeof v === 'number' ? formatNumber(v, 4) : v}`)
      .join(' ');
    const ci = p.ci95 ? ` 95% CI [${formatNumber(p.ci95[0], 4)}, ${formatNumber(p.ci95[1], 4)}]` : '';
    const score = percentLabel ? `  (${percentLabel} ${(100 * (1 - p.error)).toFixed(2)}%)` : '';
    lines.push(`    ${at}: ${result.scale.kind === 'loss' ? 'L' : 'E'} = ${formatNumber(p.error, 4)}${ci}${score}`);
  }
  if (fit.optimal.length) lines.push('  compute-optimal allocation:');
  for (const o of fit.optimal) {
    const nearest = o.nearest
      ? `; nearest real: ${o.nearest.arch} × ${formatNumber(o.nearest.samples, 3)} samples → E ${formatNumber(o.nearest.error, 4)}`
      : '';
    lines.push(
      `    C=${formatNumber(o.compute, 3)}: N_opt ${formatNumber(o.params, 3)}, D_opt ${formatNumber(o.samples, 3)}, E ${formatNumber(o.error, 4)}${nearest}`,
    );
  }
  if (fit.holdout) lines.push(...holdoutText(fit.holdout, fit));
  return lines;
}

/** Held-out runs listed one per line up to this many. */
const HOLDOUT_RUNS_SHOWN = 20;

function holdoutText(h: HoldoutReport, fit: GroupAnalysis): string[] {
  const head = `  held out: ${h.rule}, ${h.n_heldout} of ${fit.n_points} runs; law refitted on the other ${h.n_train}`;
  if (h.mae === null) return [`${head}; nothing scored: ${h.note ?? 'no prediction'}`];
  const scored =
    fit.frontier === 'all'
      ? `${h.n_evaluated} scored`
      : `${h.n_evaluated} scored (on the ${fit.frontier} frontier of all runs)`;
  const mae = h.mae_units === 'pp' ? `MAE ${formatNumber(h.mae)} pp` : `MAE ${formatNumber(h.mae)} (${h.mae_units})`;
  const lines = [`${head}; ${scored}: ${mae}, rmse log10 ${formatNumber(h.rmse_log10 ?? NaN)}`];
  for (const run of h.runs.slice(0, HOLDOUT_RUNS_SHOWN)) {
    const ci = run.ci95 ? ` 95% CI [${formatNumber(run.ci95[0], 4)}, ${formatNumber(run.ci95[1], 4)}]` : '';
    lines.push(
      `    line ${run.line}: measured ${formatNumber(run.measured, 4)}, predicted ${formatNumber(run.predicted, 4)}${ci}`,
    );
  }
  if (h.runs.length > HOLDOUT_RUNS_SHOWN) lines.push(`    … ${h.runs.length - HOLDOUT_RUNS_SHOWN} more in --json`);
  return lines;
}
