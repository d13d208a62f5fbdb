/**
 * The panel's collapsible sections below the plot: fitted parameters, fit quality and held-out check, compute-optimal
 * configurations (with the law that produces them named), fitted frontier points, notes. Every number goes through
 * the one formatter; tables scroll inside their section, never the panel.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { formatExponent, formatNumber, parseTypedNumber } from '../../src/core/format';
import { fittedSymbol, formatFittedDifference } from '../../src/core/metricWording';
import type { FitSettings, OptimalRow, PlotModel } from '../../src/shared/protocol';
import { el } from '../shared/dom';

type Cell = string | Node;

const EXPONENTS = new Set(['alpha', 'beta', 'gamma', 'sharpness']);

export function interval(low: number | null, high: number | null): string {
  return low === null || high === null ? '—' : `[${formatNumber(low)}, ${formatNumber(high)}]`;
}

/** A table's column: its header, and whether its cells are numbers (aligned right). */
export interface Column {
  header: string;
  numeric: boolean;
}

export const text = (header: string): Column => ({ header, numeric: false });
export const numeric = (header: string): Column => ({ header, numeric: true });

/** A table inside a horizontally scrolling wrapper: a wide table scrolls within its section, not the panel. */
export function table(label: string, columns: Column[], rows: Cell[][]): HTMLElement {
  return el(
    'div',
    { class: 'table-scroll' },
    el(
      'table',
      { class: 'params', 'aria-label': label },
      el('thead', {}, el('tr', {}, ...columns.map((c) => el('th', { scope: 'col' }, c.header)))),
      el(
        'tbody',
        {},
        ...rows.map((row) =>
          el('tr', {}, ...row.map((cell, i) => el('td', columns[i]?.numeric ? { class: 'num' } : {}, cell))),
        ),
      ),
    ),
  );
}

export function paramsTable(model: PlotModel): HTMLElement {
  return table(
    'Fitted parameters',
    [text('group'), text('law'), text('parameter'), numeric('value'), numeric('95 % interval')],
    model.params.map((p) => {
      const law = model.formulas.find((f) => f.group === p.group)?.law ?? '';
      const show = EXPONENTS.has(p.name) ? formatExponent : formatNumber;
      return [
        p.group,
        law,
        p.name,
        show(p.value),
        p.low === null || p.high === null ? '—' : `[${show(p.low)}, ${show(p.high)}]`,
      ];
    }),
  );
}

export function qualityTable(model: PlotModel): HTMLElement {
  const mae = (maePp: number) => formatFittedDifference(model.metricKind, model.percent, maePp / 100);
  return table(
    'Fit quality',
    [
      text('group'),
      text('frontier'),
      numeric('runs'),
      numeric('points fitted'),
      numeric('rmse log10'),
      text('converged'),
      text('held-out (top 20 % of compute)'),
    ],
    model.groups.map((g) => [
      g.group,
      g.frontier,
      // Counts as they are (3 significant figures would make 1312 runs "1310").
      g.nPoints.toLocaleString('en'),
      g.nUsed.toLocaleString('en'),
      formatNumber(g.rmseLog10),
      g.converged ? 'yes' : `no: ${g.reason}`,
      !g.holdout
        ? '—'
        : g.holdout.maePp === null
          ? `${g.holdout.nHeldout} runs held out, none on the frontier`
          : `MAE ${mae(g.holdout.maePp)} over ${g.holdout.nEvaluated} frontier runs`,
    ]),
  );
}

/** Budgets as typed (`1e20` stays `1e20`), from the settings; others in the one format. */
export function budgetLabel(settings: FitSettings, compute: number): string {
  const i = settings.budgets.indexOf(compute);
  return i >= 0 && settings.budgetText?.[i] ? settings.budgetText[i] : formatNumber(compute);
}

/** The budgets' editor, which law the numbers come from, the table, and `allocationPlot` (its nodes) below it. */
export function optimalSection(
  model: PlotModel,
  settings: FitSettings,
  allocationPlot: HTMLElement[],
  onBudgets: (budgets: number[], text: string[]) => void,
): HTMLElement[] {
  const parts: HTMLElement[] = [budgetEditor(settings, onBudgets)];
  if (model.optimal.length === 0) {
    parts.push(
      el(
        'p',
        { class: 'empty' },
        settings.budgets.length > 0
          ? 'No compute-optimal configuration: the runs need parameters and samples (see the notes).'
          : 'Enter budgets to predict compute-optimal configurations (needs parameters and samples per run).',
      ),
    );
    return parts;
  }
  const symbol = fittedSymbol(model.metricKind);
  // Which law each number comes from, said before the numbers.
  for (const a of model.allocations) {
    parts.push(
      el(
        'p',
        { class: 'law-source' },
        a.own
          ? `${a.group}: N_opt, D_opt and ${symbol} from the fitted joint law ${a.formula}.`
          : `${a.group}: N_opt, D_opt and ${symbol} from a joint law fitted beside the plotted one, to all ${a.runs} runs (${a.objective}): ${a.formula}. The plotted law ${a.plottedFormula} gives its own ${symbol} in the last column.`,
      ),
    );
  }
  const plotted = model.optimal.some((o) => o.plotted);
  const columns = [
    text('group'),
    numeric('budget C'),
    numeric('N_opt'),
    numeric('D_opt'),
    numeric(`${symbol} (joint law) [95 %]`),
    ...(plotted ? [numeric(`${symbol} (plotted law) [95 %]`)] : []),
    text('nearest real configuration'),
  ];
  const rows = model.optimal.map((o: OptimalRow) => [
    o.group,
    budgetLabel(settings, o.compute),
    formatNumber(o.params),
    formatNumber(o.samples),
    `${formatNumber(o.error)} ${interval(o.errorLow, o.errorHigh)}`,
    ...(plotted
      ? [o.plotted ? `${formatNumber(o.plotted.error)} ${interval(o.plotted.low, o.plotted.high)}` : '—']
      : []),
    o.nearest
      ? `${o.nearest.arch} × ${formatNumber(o.nearest.samples)} samples (${symbol} ${formatNumber(o.nearest.error)})`
      : '—',
  ]);
  parts.push(table('Compute-optimal configurations', columns, rows));
  parts.push(...allocationPlot);
  return parts;
}

/** Budgets as an editable comma-separated list (e.g. `1e12, 1e13, 1e14`), kept as typed; invalid entries are shown, not sent. */
function budgetEditor(settings: FitSettings, onBudgets: (budgets: number[], text: string[]) => void): HTMLElement {
  const typed = settings.budgetText ?? settings.budgets.map((b) => formatNumber(b));
  const field = el('vscode-textfield', {
    id: 'budgets',
    'aria-label': 'Compute budgets',
    placeholder: 'e.g. 1e12, 1e13, 1e14',
    value: typed.join(', '),
  });
  const hint = el(
    'span',
    { class: 'hint', role: 'status' },
    'Budgets in the unit of the compute column, separated by commas; Enter applies.',
  );
  field.addEventListener('change', () => {
    const parts = field.value.split(/[,;\s]+/).filter(Boolean);
    const values = parts.map((p) => parseTypedNumber(p));
    const bad = parts.filter((_, i) => !(values[i] !== null && values[i]! > 0));
    if (bad.length > 0 || parts.length > 20) {
      hint.textContent = bad.length > 0 ? `Not a positive number: ${bad.join(', ')}` : 'At most 20 budgets.';
      hint.classList.add('error-message');
      return;
    }
    const pairs = parts.map((text, i) => ({ text, value: values[i]! })).sort((a, b) => a.value - b.value);
    onBudgets(
      pairs.map((p) => p.value),
      pairs.map((p) => p.text),
    );
  });
  return el(
    'div',
    { class: 'budgets' },
    el('label', { class: 'control-label', for: 'budgets' }, 'Budgets C'),
    field,
    hint,
  );
}

/** The fitted points as a table, each with a button that opens its row: the plot's data for keyboard and screen readers. */
export function frontierPointsTable(model: PlotModel, openLine: (line: number) => void): HTMLElement {
  const symbol = fittedSymbol(model.metricKind);
  const rows = model.series
    .filter((s) => s.kind === 'frontier')
    .flatMap((s) => s.points.map((p) => ({ group: s.group, ...p })));
  return table(
    'Fitted frontier points',
    [text('group'), numeric('compute C'), numeric(symbol), text('row')],
    rows.map((p) => {
      if (p.line === undefined) return [p.group, formatNumber(p.x), formatNumber(p.y), '—'];
      const open = el('vscode-button', { secondary: '' }, `Open line ${p.line}`);
      open.addEventListener('click', () => openLine(p.line!));
      return [p.group, formatNumber(p.x), formatNumber(p.y), open];
    }),
  );
}

export function frontierPointCount(model: PlotModel): number {
  return model.series.filter((s) => s.kind === 'frontier').reduce((n, s) => n + s.points.length, 0);
}
