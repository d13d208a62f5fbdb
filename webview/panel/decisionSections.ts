/**
 * The decision sections of the panel (issue #13): compare groups, the three Chinchilla approaches, forecasts of
 * running jobs, next runs, every task at a glance. The first and third come with the fit; the others are computed
 * in the fit worker when their section is opened, and show their progress until then. Text cells from decisionRows.ts.
 */
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { formatNumber, parseTypedNumber } from '../../src/core/format';
import { fittedSymbol } from '../../src/core/metricWording';
import type {
  ApproachesView,
  ComparisonView,
  ForecastView,
  PlotModel,
  SuggestionsView,
  TaskRowView,
  TasksView,
} from '../../src/shared/protocol';
import { el } from '../shared/dom';
import type { LineChartView } from '../shared/lineChartView';
import {
  approachOptimalRows,
  approachRows,
  comparisonRows,
  crossingText,
  forecastCells,
  sortTaskRows,
  suggestionRows,
  TASK_COLUMNS,
  taskCells,
  type TaskColumn,
} from './decisionRows';
import { numeric, table, text } from './sections';

/** A section computed on request: its last answer (kept while a newer one is computed), progress, or failure. */
export interface DecisionSlot<V> {
  view?: V;
  /** True while a request is out. */
  pending: boolean;
  /** Its answer is of an earlier fit of the file (a line appended, a setting changed): updated when the section is open. */
  stale?: boolean;
  progress?: { done: number; total: number };
  error?: string;
}

/**
 * A cell that may wrap between its parts but never inside an interval (`7.1e10 [5.71e10, 8.7e10]` becomes two lines
 * in a narrow panel, not three): the decision tables fit the panel's width instead of scrolling sideways.
 */
function wrappable(text: string): HTMLElement {
  return el(
    'span',
    { class: 'wrap' },
    ...text
      .split(/(\[[^\]]*\])/)
      .filter((part) => part !== '')
      .map((part) => (part.startsWith('[') ? el('span', { class: 'nowrap' }, part) : part)),
  );
}

/** A name that may break after `/`, `_` and `-` (vtab/kitti_closest_vehicle_distance) and nowhere else. */
function breakableName(name: string): (string | Node)[] {
  return name.split(/(?<=[/_-])/).flatMap((part, i) => (i === 0 ? [part] : [el('wbr'), part]));
}

const notesList = (notes: string[]) =>
  notes.length > 0 ? [el('ul', { class: 'notes' }, ...notes.map((n) => el('li', {}, n)))] : [];

/** What a section on request shows above its answer: computing, its progress, or why it failed. */
function statusLine<V>(slot: DecisionSlot<V> | undefined, what: string): HTMLElement[] {
  if (!slot)
    return [el('p', { class: 'empty' }, `Open this section to compute ${what} (in the fit worker, after the fit).`)];
  if (slot.error && !slot.stale)
    return [el('p', { class: 'error-message', role: 'alert' }, `Could not compute ${what}: ${slot.error}`)];
  if (slot.stale)
    return [
      el(
        'p',
        { class: 'hint decision-status stale', role: 'status' },
        slot.view
          ? `These are of an earlier fit of this file: updated once the fit is done and this section is open.`
          : `Open this section to compute ${what}.`,
      ),
    ];
  if (!slot.pending) return [];
  const progress = slot.progress && slot.progress.total > 0 ? ` ${slot.progress.done} of ${slot.progress.total}` : '';
  const bar =
    slot.progress && slot.progress.total > 0
      ? [
          el('progress', {
            class: 'decision-progress',
            max: String(slot.progress.total),
            value: String(slot.progress.done),
            'aria-label': `Computing ${what}`,
          }),
        ]
      : [];
  return [el('p', { class: 'hint decision-status', role: 'status' }, `Computing ${what}…${progress}`, ...bar)];
}

export function compareSection(view: ComparisonView): HTMLElement[] {
  const parts: HTMLElement[] = [];
  for (const pair of view.pairs) {
    parts.push(el('h3', { class: 'pair' }, `${pair.first} − ${pair.second}`));
    parts.push(el('p', { class: 'reading' }, pair.reading));
    parts.push(
      table(
        `Group differences ${pair.first} − ${pair.second}`,
        [
          text('parameter'),
          numeric(`difference (${pair.first} − ${pair.second})`),
          numeric('95 % interval'),
          numeric('p-value'),
        ],
        comparisonRows(pair),
      ),
    );
    parts.push(el('p', { class: 'crossing' }, crossingText(pair)));
    parts.push(
      el(
        'p',
        { class: 'hint' },
        pair.resamples > 0
          ? `${pair.resamples} paired bootstrap draws, the groups resampled independently; two-sided p-values.`
          : 'Intervals and p-values come with the bootstrap refits.',
      ),
    );
  }
  return [...parts, ...notesList(view.notes)];
}

export function forecastSection(view: ForecastView, model: PlotModel): HTMLElement[] {
  const cells = forecastCells(view, model.percent);
  const parts: HTMLElement[] = [];
  if (cells.length > 0) {
    // The group and the method as columns only when they tell the rows apart; else said once below.
    const groups = new Set(cells.map((c) => c.group)).size > 1;
    const methods = new Set(cells.map((c) => c.method));
    parts.push(
      table(
        'Forecasts',
        [
          text('run'),
          ...(groups ? [text('group')] : []),
          numeric('now'),
          numeric(`final ${model.metric} [95 %]`),
          text('frontier'),
          ...(methods.size > 1 ? [text('how')] : []),
        ],
        cells.map((c) => [
          el('span', {}, ...breakableName(c.run)),
          ...(groups ? [c.group] : []),
          wrappable(c.now),
          wrappable(c.forecast),
          el('span', { class: c.verdict.startsWith('will reach') ? 'verdict reaches' : 'verdict' }, c.verdict),
          ...(methods.size > 1 ? [c.method] : []),
        ]),
      ),
      el(
        'p',
        { class: 'hint' },
        [
          // A running job missing from the fitted runs (not yet in runs.csv) has no group yet: drawn in the foreground colour.
          ...(groups
            ? []
            : [
                view.rows[0].group === null
                  ? 'Their group is not known yet (not among the fitted runs).'
                  : `Group: ${cells[0].group}.`,
              ]),
          ...(methods.size === 1 ? [`Forecast by ${[...methods][0]}.`] : []),
          view.rows.some((r) => r.plot)
            ? 'Drawn on the plot as hollow circles at their planned compute, with their 95 % intervals; they move as lines are appended.'
            : 'Not on the plot: the runs’ compute is not known.',
        ].join(' '),
      ),
    );
  }
  return [...parts, ...notesList(view.notes)];
}

/** The approaches' tables and, below them, the two plots (their views are kept by the panel and drawn after). */
export function approachesSection(
  slot: DecisionSlot<ApproachesView> | undefined,
  model: PlotModel,
  budgetLabel: (compute: number) => string,
  plots: { approaches: LineChartView; isoflop: LineChartView },
): HTMLElement[] {
  const parts = statusLine(slot, 'the three approaches');
  const view = slot?.view;
  if (!view) return parts;
  const groups = new Set(view.approaches.map((a) => a.group)).size > 1;
  for (const k of view.perSample)
    parts.push(el('p', { class: 'hint' }, `${groups ? `${k.group}: ` : ''}N_opt ∝ C^a, D_opt ∝ C^b; ${k.text}.`));
  parts.push(
    table(
      'Chinchilla approaches',
      [
        ...(groups ? [text('group')] : []),
        text('approach'),
        numeric('a'),
        numeric('95 % interval'),
        numeric('b'),
        numeric('95 % interval'),
      ],
      approachRows(view),
    ),
  );
  const optimal = approachOptimalRows(view, budgetLabel);
  if (optimal.length > 0)
    parts.push(
      table(
        'Compute-optimal allocation by approach',
        [
          ...(groups ? [text('group')] : []),
          text('approach'),
          numeric('budget C'),
          numeric('N_opt [95 %]'),
          numeric('D_opt [95 %]'),
          numeric('D/N [95 %]'),
        ],
        optimal.map((row) => row.map((cell, i) => (i >= row.length - 3 ? wrappable(cell) : cell))),
      ),
    );
  else
    parts.push(
      el(
        'p',
        { class: 'hint' },
        'Enter budgets under “Compute-optimal configurations” for N_opt, D_opt and tokens per parameter at each.',
      ),
    );
  for (const missing of view.noIsoflop)
    parts.push(el('p', { class: 'no-isoflop' }, `${groups ? `${missing.group}: ` : ''}Approach 2: ${missing.reason}.`));
  parts.push(...plots.approaches.nodes());
  plots.isoflop.canvas.setAttribute(
    'aria-label',
    `IsoFLOP profiles: ${fittedSymbol(model.metricKind)} against parameters per budget, with their minima`,
  );
  if (view.isoflop.length > 0) parts.push(...plots.isoflop.nodes());
  const notes = [
    ...view.notes,
    ...view.approaches.flatMap((a) =>
      a.notes
        .filter((n) => !n.startsWith('no isoFLOP structure'))
        .map((n) => `${groups ? `${a.group}, ` : ''}${a.name}: ${n}`),
    ),
  ];
  return [...parts, ...notesList(notes)];
}

export interface NextRunsInput {
  target: number | null;
  /** As typed (kept as typed: `1e22` stays `1e22`). */
  targetText: string;
  capText: string;
  onChange: (targetText: string, capText: string) => void;
}

export function nextRunsSection(
  slot: DecisionSlot<SuggestionsView> | undefined,
  model: PlotModel,
  input: NextRunsInput,
): HTMLElement[] {
  const parts: HTMLElement[] = [nextRunsFields(input)];
  if (input.target === null) {
    parts.push(
      el(
        'p',
        { class: 'empty' },
        'Enter a target compute C* (or budgets under “Compute-optimal configurations”: the largest is used).',
      ),
    );
    return parts;
  }
  parts.push(...statusLine(slot, 'the next runs'));
  const view = slot?.view;
  if (!view) return parts;
  const symbol = fittedSymbol(model.metricKind);
  parts.push(
    el(
      'p',
      { class: 'hint' },
      `Candidates ranked by how much training them is expected to narrow the 95 % interval of ${symbol} at C* = ${formatNumber(view.target)} per unit of compute (${view.ranked} ranked).`,
    ),
  );
  // The group column only when it tells the rows apart; the intervals may wrap at the arrow.
  const groups = new Set(view.rows.map((r) => r.group)).size > 1;
  const rows = suggestionRows(view).map((row) => [
    ...(groups ? [row[0]] : []),
    ...row.slice(1, 4),
    wrappable(row[4]),
    row[5],
  ]);
  if (view.rows.length > 0)
    parts.push(
      table(
        'Next runs',
        [
          ...(groups ? [text('group')] : []),
          numeric('#'),
          text('run'),
          numeric('cost (compute)'),
          numeric(`${symbol} at C*, 95 %: now → after`),
          numeric('width'),
        ],
        rows,
      ),
    );
  else parts.push(el('p', { class: 'empty' }, 'No candidate to rank.'));
  return [...parts, ...notesList(view.notes)];
}

function nextRunsFields(input: NextRunsInput): HTMLElement {
  const target = el('vscode-textfield', {
    id: 'suggest-target',
    'aria-label': 'Target compute C*',
    placeholder: 'largest budget',
    value: input.targetText,
  });
  const cap = el('vscode-textfield', {
    id: 'suggest-cap',
    'aria-label': 'Largest compute of a candidate',
    placeholder: 'largest run',
    value: input.capText,
  });
  const hint = el('span', { class: 'hint', role: 'status' }, 'Enter applies.');
  const apply = () => {
    const [t, c] = [target, cap].map((f) => (f as HTMLElement & { value: string }).value.trim());
    const bad = [t, c].filter((text) => text !== '' && !((parseTypedNumber(text) ?? 0) > 0));
    if (bad.length > 0) {
      hint.textContent = `Not a positive number: ${bad.join(', ')}`;
      hint.classList.add('error-message');
      return;
    }
    input.onChange(t, c);
  };
  target.addEventListener('change', apply);
  cap.addEventListener('change', apply);
  return el(
    'div',
    { class: 'budgets next-runs' },
    el('label', { class: 'control-label', for: 'suggest-target' }, 'Target C*'),
    target,
    el('label', { class: 'control-label', for: 'suggest-cap' }, 'Candidates up to'),
    cap,
    hint,
  );
}

export interface TaskTableInput {
  sort: { column: TaskColumn; descending: boolean };
  currentTask: string | undefined;
  onSort: (column: TaskColumn) => void;
  onPick: (task: string) => void;
}

export function tasksSection(slot: DecisionSlot<TasksView> | undefined, input: TaskTableInput): HTMLElement[] {
  const parts = statusLine(slot, 'every task');
  const view = slot?.view;
  if (!view) return parts;
  parts.push(
    el(
      'p',
      { class: 'hint' },
      `${new Set(view.rows.map((r) => r.task)).size} tasks × groups; held-out check: ${view.holdout}. Click a column to sort, a row to show its task.`,
    ),
  );
  parts.push(taskTable(sortTaskRows(view.rows, input.sort.column, input.sort.descending), input));
  for (const failed of view.failed)
    parts.push(el('p', { class: 'hint' }, `${failed.task}: not fitted — ${failed.reason}`));
  return [...parts, ...notesList(view.notes)];
}

function taskTable(rows: TaskRowView[], input: TaskTableInput): HTMLElement {
  // One exponent for every row (α of the paper's law): its name in the header, the cells only numbers.
  const names = new Set(rows.map((r) => r.exponentName));
  const nameInHeader = names.size === 1;
  const header = TASK_COLUMNS.map(({ column, label: plain }) => {
    const label = column === 'exponent' && nameInHeader ? [...names][0] : plain;
    const sorted = input.sort.column === column;
    const button = el(
      'button',
      { type: 'button', class: 'link sort', 'data-column': column },
      `${label}${sorted ? (input.sort.descending ? ' ▼' : ' ▲') : ''}`,
    );
    button.addEventListener('click', () => input.onSort(column));
    return el(
      'th',
      { scope: 'col', 'aria-sort': sorted ? (input.sort.descending ? 'descending' : 'ascending') : 'none' },
      button,
    );
  });
  const body = rows.map((row) => {
    const cells = taskCells(row, nameInHeader);
    const pick = el(
      'button',
      { type: 'button', class: 'link task-pick', title: `Show ${row.task} in the panel` },
      ...breakableName(cells[0]),
    );
    const tr = el(
      'tr',
      { class: `task-row${row.task === input.currentTask ? ' current' : ''}`, 'data-task': row.task },
      el('td', {}, pick),
      ...cells.slice(1).map((cell, i) => el('td', TASK_COLUMNS[i + 1].numeric ? { class: 'num' } : {}, cell)),
    );
    tr.addEventListener('click', () => input.onPick(row.task));
    return tr;
  });
  // 82 rows of the OpenCLIP file: a scrolling box with the header kept in view, not a page-long section.
  return el(
    'div',
    { class: 'table-scroll tasks-scroll' },
    el(
      'table',
      { class: 'params tasks', 'aria-label': 'Every task' },
      el('thead', {}, el('tr', {}, ...header)),
      el('tbody', {}, ...body),
    ),
  );
}
