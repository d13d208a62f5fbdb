/**
 * The "Fit Scaling Law" panel, laid out around the plot: a one-line heading, one compact toolbar row of settings,
 * the caveats (settings notes, warning banner), the plot at 4:3 of the panel's width with its legend, then the
 * tables in collapsible sections. State (legend toggles, open sections, settings) survives reloads via setState.
 */
import { applySettingsChange } from '../../src/core/settingsRules';
import { countText, fittedSymbol } from '../../src/core/metricWording';
import { parseTypedNumber } from '../../src/core/format';
import { assertNever } from '../../src/shared/assertNever';
import {
  parseHostToPanel,
  type ApproachesView,
  DecisionAnswer,
  DecisionAsk,
  DecisionKind,
  ExportBackground,
  FitSettings,
  HostToPanel,
  PanelStatus,
  PanelToHost,
  PlotModel,
  SuggestionsView,
  TasksView,
} from '../../src/shared/protocol';
import { drawFrontier, onThemeChange, themePlotColors, type FrontierChart } from '../shared/chart';
import { el } from '../shared/dom';
import { exportPng, exportSvg } from '../shared/exportImage';
import { renderLegend } from '../shared/legend';
import { LineChartView } from '../shared/lineChartView';
import { allocationChart, curvesChart } from '../shared/lineCharts';
import type { PlotView } from '../shared/plotData';
import { connect } from '../shared/vscodeApi';
import { settingsNotes, warningBanner } from './banner';
import { isCaveatNote } from '../shared/caveats';
import {
  budgetLabel,
  frontierPointCount,
  frontierPointsTable,
  optimalSection,
  paramsTable,
  qualityTable,
} from './sections';
import { actionsMenu, toolbarControls, type PanelAction } from './toolbar';
import { approachesChart, isoflopChart } from './decisionCharts';
import { suggestionTarget, type TaskColumn } from './decisionRows';
import {
  approachesSection,
  compareSection,
  forecastSection,
  nextRunsSection,
  tasksSection,
  type DecisionSlot,
} from './decisionSections';

interface SavedState {
  file?: string;
  settings?: FitSettings;
  /** Legend entries switched off. */
  hidden?: string[];
  /** Sections open. */
  open?: string[];
  /** The task overview's sort column and direction. */
  taskSort?: { column: TaskColumn; descending: boolean };
  /** The next runs' target C* and candidate cap, as typed ('' for the defaults). */
  suggestTarget?: string;
  suggestCap?: string;
}

const app = document.getElementById('app')!;
const vscode = connect<SavedState, PanelToHost, HostToPanel>(parseHostToPanel, (message) => {
  switch (message.type) {
    case 'initialState':
    case 'status':
      return render(message.status);
    case 'exportRequest':
      return exportFigure(message.id, message.format, message.background);
    case 'decision':
      return receiveDecision(message.answer);
    default:
      return assertNever(message, (text) => console.warn(`Scaling Lens panel: ${text}`));
  }
});
const saved = vscode.getState() ?? {};
const hidden = new Set(saved.hidden ?? []);
const open = new Set(saved.open ?? ['params']);
let taskSort: { column: TaskColumn; descending: boolean } = saved.taskSort ?? { column: 'task', descending: false };
let suggestTargetText = saved.suggestTarget ?? '';
let suggestCapText = saved.suggestCap ?? '';
/** Notes of the last settings change made here (what else it switched), until the next change. */
let localNotes: string[] = [];
let localNotesFile: string | undefined;

function resetSettings(): void {
  localNotes = [];
  vscode.postMessage({ type: 'resetSettings' });
}

const save = (patch: Partial<SavedState>) => vscode.setState({ ...(vscode.getState() ?? {}), ...patch });
const openLine = (line: number) => vscode.postMessage({ type: 'revealLine', line });

/**
 * The ready view, kept between updates: a results file that grows by a row updates the chart in place and leaves
 * the controls (and the keyboard focus in them) alone unless the settings changed.
 */
interface ReadyView {
  heading: HTMLElement;
  actions: HTMLElement;
  toolbar: HTMLElement;
  toolbarKey: string;
  caveats: HTMLElement;
  frontier: FrontierChart;
  legend: HTMLElement;
  sections: Map<string, HTMLDetailsElement>;
  /** The sections' small charts, each with its canvas, updated in place when their section is filled again. */
  charts: DetailCharts;
}

interface DetailCharts {
  allocation: LineChartView;
  curves: LineChartView;
  approaches: LineChartView;
  isoflop: LineChartView;
}

let view: ReadyView | undefined;
let shown: PanelStatus | undefined;

/**
 * The decision sections computed on request, each with the key of what it was asked for (the fit's generation and
 * its inputs): a section asks again when it is open, the fit is final, and its key changed.
 */
interface Requested<V> extends DecisionSlot<V> {
  key: string;
  askId: number;
}
const slots: {
  approaches?: Requested<ApproachesView>;
  suggestions?: Requested<SuggestionsView>;
  tasks?: Requested<TasksView>;
} = {};
/** Counts the fits shown: a decision computed for an earlier one is recomputed (once the fit is final) when its section is open. */
let generation = 0;
let generationModel: PlotModel | undefined;
let nextAskId = 1;
/** The settings change of the shown fit (the task overview's rows switch the task through it). */
let changeSettings: ((patch: Partial<FitSettings>) => void) | undefined;

// A new theme: draw everything again in its colours, the charts updated in place.
onThemeChange(() => {
  if (!shown) return;
  if (view && shown.kind === 'ready') view.frontier.recolor(themePlotColors(), shown.model);
  render(shown);
});

function plotView(): PlotView {
  return { hidden, compact: false };
}

function render(status: PanelStatus): void {
  // What to draw again on a theme change: the last result, not a transient "fitting" state.
  if (status.kind !== 'fitting') shown = status;
  if (status.kind === 'empty') return replace(el('p', { class: 'empty' }, status.message));
  if (status.kind === 'fitting' && view) return app.classList.add('busy');
  if (status.kind === 'fitting')
    return replace(el('p', { class: 'empty' }, `Fitting ${status.file.split(/[\\/]/).pop()}…`));
  if (status.kind === 'error') {
    save({ file: status.file });
    const reset = el(
      'button',
      { type: 'button', class: 'link', id: 'reset-settings' },
      'reset the settings to their defaults',
    );
    reset.addEventListener('click', resetSettings);
    return replace(
      el(
        'div',
        { class: 'error', role: 'alert' },
        el('h2', {}, 'The file could not be fitted'),
        el('p', { class: 'error-message' }, status.message),
        el(
          'p',
          {},
          'Fix the file (its problems are in the Problems panel): the panel updates when it is saved. Or ',
          reset,
          '.',
        ),
      ),
    );
  }
  save({ file: status.model.file, settings: status.settings });
  app.classList.remove('busy');
  const model = status.model;
  if (model !== generationModel) {
    // Answers of another file are never shown for this one, not even while this one's are computed.
    if (generationModel?.file !== model.file) for (const kind of DECISION_KINDS) delete slots[kind];
    generationModel = model;
    generation++;
  }
  const current = view ?? createView(model);
  const change = (patch: Partial<FitSettings>) => {
    const next = applySettingsChange(status.settings, patch, { laws: status.choices.laws });
    localNotes = next.notes;
    localNotesFile = model.file;
    showCaveats(current, model, status.settingsNotes ?? []);
    vscode.postMessage({ type: 'settings', settings: next.settings });
  };
  changeSettings = change;
  const toolbarKey = JSON.stringify([status.settings, status.tasks, status.choices]);
  if (current.toolbarKey !== toolbarKey) {
    current.toolbar.replaceChildren(...toolbarControls(status.settings, status.tasks, status.choices, change));
    current.toolbarKey = toolbarKey;
  }
  const count = countText(model.trainingRuns ?? model.runs, model.trainingRuns === null ? null : model.runs);
  current.heading.replaceChildren(
    el('h2', { class: 'title', title: model.title }, model.title),
    el('span', { class: 'file', id: 'runs-count' }, `${count} · ${model.file.split(/[\\/]/).pop()}`),
    current.actions,
  );
  showCaveats(current, model, status.settingsNotes ?? []);
  const canvas = current.frontier.chart.canvas;
  canvas.setAttribute(
    'aria-label',
    `${model.yLabel} against ${model.xLabel}, log-log: ${model.formulas.map((f) => `${f.group} ${f.text}`).join('; ')}`,
  );
  if (view) current.frontier.update(model, plotView());
  view = current;
  drawLegend(current);
  fillSections(current, model, status.settings);
  for (const kind of DECISION_KINDS) askIfNeeded(kind);
}

function showCaveats(current: ReadyView, model: PlotModel, hostNotes: string[]): void {
  // A note of a change made here belongs to the file it was made on.
  if (localNotesFile !== model.file) localNotes = [];
  const notes = [...new Set([...localNotes, ...hostNotes])];
  const wasOpen = current.caveats.querySelector<HTMLDetailsElement>('details#caveats')?.open ?? false;
  const banner = warningBanner(model, openLine);
  if (banner && wasOpen) banner.open = true;
  current.caveats.replaceChildren(
    ...[settingsNotes(notes, resetSettings), banner].filter((n): n is HTMLElement => n !== undefined),
  );
}

function drawLegend(current: ReadyView): void {
  renderLegend(current.legend, current.frontier.data.legend, (key) => {
    if (hidden.has(key)) hidden.delete(key);
    else hidden.add(key);
    save({ hidden: [...hidden] });
    if (shown?.kind === 'ready') current.frontier.update(shown.model, plotView());
    drawLegend(current);
  });
}

const SECTIONS: [string, string][] = [
  ['params', 'Fitted laws and parameters'],
  ['quality', 'Fit quality and held-out extrapolation'],
  ['compare', 'Compare groups'],
  ['optimal', 'Compute-optimal configurations'],
  ['approaches', 'Chinchilla approaches'],
  ['forecasts', 'Forecasts of running jobs'],
  ['curves', 'Learning curves'],
  ['next', 'Next runs'],
  ['tasks', 'Every task at a glance'],
  ['points', 'Fitted frontier points'],
  ['notes', 'Notes'],
];

/** The sections computed on request, by the decision they show. */
const DECISION_KINDS: DecisionKind[] = ['approaches', 'suggestions', 'tasks'];
const SECTION_OF: Record<DecisionKind, string> = { approaches: 'approaches', suggestions: 'next', tasks: 'tasks' };

function createView(model: PlotModel): ReadyView {
  const heading = el('header', { class: 'heading' });
  const toolbar = el('section', { class: 'toolbar', 'aria-label': 'Fit settings' });
  const caveats = el('div', { class: 'caveats' });
  const canvas = el('canvas', { id: 'frontier-plot', role: 'img' });
  const legend = el('div', {
    class: 'legend',
    role: 'group',
    'aria-label': 'Legend: click an entry to show or hide it',
  });
  const hint = el('p', { class: 'hint' }, 'Click a run or fitted point to open its row in the results file.');
  const sections = new Map<string, HTMLDetailsElement>();
  for (const [id, title] of SECTIONS) {
    const details = el(
      'details',
      { class: `section section-${id}${id === 'points' ? ' frontier-points' : ''}`, id: `section-${id}` },
      el('summary', {}, title),
    );
    details.open = open.has(id);
    details.addEventListener('toggle', () => {
      if (details.open) open.add(id);
      else open.delete(id);
      save({ open: [...open] });
      const kind = DECISION_KINDS.find((k) => SECTION_OF[k] === id);
      if (kind && details.open) askIfNeeded(kind);
    });
    sections.set(id, details);
  }
  replace(heading, toolbar, caveats, el('div', { class: 'plot frontier' }, canvas), legend, hint, ...sections.values());
  const frontier = drawFrontier(canvas, model, {
    compact: false,
    view: plotView(),
    colors: themePlotColors(),
    onPoint: openLine,
  });
  const charts: DetailCharts = {
    allocation: new LineChartView('allocation-plot', 'Compute-optimal parameters and samples against budget', {
      key: false,
    }),
    curves: new LineChartView('curves-plot', 'Learning curves: error against samples seen per run', { key: false }),
    approaches: new LineChartView('approaches-plot', 'N_opt against compute for the three approaches', { key: true }),
    isoflop: new LineChartView('isoflop-plot', 'IsoFLOP profiles against parameters per budget, with their minima', {
      key: true,
    }),
  };
  return {
    heading,
    actions: actionsMenu(runAction),
    toolbar,
    toolbarKey: '',
    caveats,
    frontier,
    legend,
    sections,
    charts,
  };
}

function fillSection(current: ReadyView, id: string, content: Node[], summary?: string): void {
  const details = current.sections.get(id)!;
  details.hidden = content.length === 0;
  const title = SECTIONS.find(([s]) => s === id)![1];
  details.replaceChildren(
    el('summary', {}, summary ? `${title} ${summary}` : title),
    el('div', { class: 'section-body' }, ...content),
  );
}

function fillSections(current: ReadyView, model: PlotModel, settings: FitSettings): void {
  const colors = themePlotColors();
  fillSection(current, 'params', [paramsTable(model)]);
  fillSection(current, 'quality', [qualityTable(model)]);
  fillSection(
    current,
    'optimal',
    optimalSection(model, settings, current.charts.allocation.nodes(), (budgets, budgetText) =>
      vscode.postMessage({ type: 'settings', settings: { ...settings, budgets, budgetText } }),
    ),
    model.optimal.length > 0 ? `(${new Set(model.optimal.map((o) => o.compute)).size} budgets)` : undefined,
  );
  fillSection(current, 'curves', model.curves.length > 0 ? current.charts.curves.nodes() : []);
  fillSection(current, 'points', [frontierPointsTable(model, openLine)], `(${frontierPointCount(model)})`);
  const decisions = model.decisions;
  fillSection(
    current,
    'compare',
    decisions.comparison ? compareSection(decisions.comparison) : [],
    decisions.comparison
      ? `(${decisions.comparison.pairs.map((p) => `${p.first} − ${p.second}`).join(', ')})`
      : undefined,
  );
  fillSection(
    current,
    'forecasts',
    decisions.forecasts ? forecastSection(decisions.forecasts, model) : [],
    decisions.forecasts ? `(${decisions.forecasts.rows.length} running)` : undefined,
  );
  for (const kind of DECISION_KINDS) fillDecision(current, kind);
  const notes = model.notes.filter((n) => !isCaveatNote(n));
  fillSection(
    current,
    'notes',
    notes.length > 0 ? [el('ul', { class: 'notes' }, ...notes.map((n) => el('li', {}, n)))] : [],
    `(${notes.length})`,
  );
  current.charts.allocation.show(allocationChart(model, colors));
  current.charts.curves.show(curvesChart(model, colors));
}

/** Whether a decision section applies to the shown fit (a section that does not is hidden). */
function applies(kind: DecisionKind, status: Extract<PanelStatus, { kind: 'ready' }>): boolean {
  if (kind === 'approaches') return status.model.decisions.approaches;
  if (kind === 'tasks') return status.tasks.length >= 2;
  return status.model.formulas.length > 0;
}

/** The next runs' C* and cap: as typed, else the largest budget and the largest run. */
function suggestionInputs(settings: FitSettings): { target: number | null; cap: number | null } {
  return {
    target: suggestionTarget(settings, parseTypedNumber(suggestTargetText)),
    cap: parseTypedNumber(suggestCapText),
  };
}

/** What a decision is asked for: the fit's generation and the decision's own inputs. */
function decisionKey(kind: DecisionKind, status: Extract<PanelStatus, { kind: 'ready' }>): string | undefined {
  if (kind !== 'suggestions') return `${generation}`;
  const { target, cap } = suggestionInputs(status.settings);
  return target === null ? undefined : `${generation}|${target}|${cap}`;
}

/** Asks the worker (through the host) for a decision whose section is open, once the fit is final. */
function askIfNeeded(kind: DecisionKind): void {
  if (shown?.kind !== 'ready' || !view || shown.final === false || !open.has(SECTION_OF[kind]) || !applies(kind, shown))
    return;
  const key = decisionKey(kind, shown);
  const slot = slots[kind];
  if (key === undefined || slot?.key === key) return;
  const askId = nextAskId++;
  let ask: DecisionAsk;
  if (kind === 'suggestions') {
    const { target, cap } = suggestionInputs(shown.settings);
    ask = { id: askId, kind, target: target!, cap };
  } else ask = { id: askId, kind };
  // The last answer stays in view (marked as being recomputed) until the new one comes.
  slots[kind] = { key, askId, view: slot?.view as never, pending: true };
  vscode.postMessage({ type: 'decide', ask });
  fillDecision(view, kind);
}

function receiveDecision(answer: DecisionAnswer): void {
  const kind = DECISION_KINDS.find((k) => slots[k]?.askId === answer.id);
  const slot = kind && slots[kind];
  if (!kind || !slot) return;
  if (answer.kind === 'progress') slot.progress = { done: answer.done, total: answer.total };
  else if (answer.kind === 'failed')
    Object.assign(slot, { pending: false, error: answer.message, progress: undefined });
  else Object.assign(slot, { pending: false, error: undefined, progress: undefined, view: answer.view });
  if (view) fillDecision(view, kind);
}

/** A decision's slot, marked stale when its answer is of an earlier fit of the file (kept in view until the new one comes). */
function currentSlot<K extends DecisionKind>(
  kind: K,
  status: Extract<PanelStatus, { kind: 'ready' }>,
): (typeof slots)[K] {
  const slot = slots[kind];
  return slot && { ...slot, stale: !slot.pending && slot.key !== decisionKey(kind, status) };
}

function fillDecision(current: ReadyView, kind: DecisionKind): void {
  if (shown?.kind !== 'ready') return;
  const status = shown;
  const id = SECTION_OF[kind];
  if (!applies(kind, status)) {
    if (kind === 'approaches') for (const chart of [current.charts.approaches, current.charts.isoflop]) chart.clear();
    return fillSection(current, id, []);
  }
  const busy = (slot: DecisionSlot<unknown> | undefined) =>
    slot?.pending
      ? slot.progress
        ? `(computing ${slot.progress.done}/${slot.progress.total}…)`
        : '(computing…)'
      : slot?.stale
        ? '(of an earlier fit)'
        : undefined;
  if (kind === 'approaches') {
    const slot = currentSlot('approaches', status);
    fillSection(
      current,
      id,
      approachesSection(slot, status.model, (compute) => budgetLabel(status.settings, compute), current.charts),
      busy(slot) ??
        (slot?.view
          ? `(${slot.view.approaches.filter((a) => a.a !== null).length} of ${slot.view.approaches.length} estimates)`
          : '(on request)'),
    );
    const colors = themePlotColors();
    current.charts.approaches.show(slot?.view && approachesChart(slot.view, status.settings.budgets, colors));
    current.charts.isoflop.show(slot?.view && isoflopChart(slot.view, fittedSymbol(status.model.metricKind), colors));
  } else if (kind === 'suggestions') {
    const slot = currentSlot('suggestions', status);
    const { target } = suggestionInputs(status.settings);
    const input = {
      target,
      targetText: suggestTargetText,
      capText: suggestCapText,
      onChange: (targetText: string, capText: string) => {
        suggestTargetText = targetText;
        suggestCapText = capText;
        save({ suggestTarget: targetText, suggestCap: capText });
        askIfNeeded('suggestions');
        if (view) fillDecision(view, 'suggestions');
      },
    };
    fillSection(
      current,
      id,
      nextRunsSection(slot, status.model, input),
      busy(slot) ?? (target !== null ? `(C* = ${budgetLabel(status.settings, target)})` : undefined),
    );
  } else {
    const slot = currentSlot('tasks', status);
    const input = {
      sort: taskSort,
      currentTask: status.settings.task ?? (status.tasks.includes('imagenet1k') ? 'imagenet1k' : status.tasks[0]),
      onSort: (column: TaskColumn) => {
        taskSort = {
          column,
          descending: taskSort.column === column ? !taskSort.descending : column !== 'task' && column !== 'group',
        };
        save({ taskSort });
        if (view) fillDecision(view, 'tasks');
      },
      onPick: (task: string) => changeSettings?.({ task }),
    };
    fillSection(
      current,
      id,
      tasksSection(slot, input),
      busy(slot) ??
        (slot?.view
          ? `(${new Set(slot.view.rows.map((r) => r.task)).size} tasks)`
          : `(${status.tasks.length} tasks, on request)`),
    );
  }
}

function runAction(action: PanelAction): void {
  if (action === 'copyLatex' || action === 'copyMarkdown')
    vscode.postMessage({ type: 'copyLaw', format: action === 'copyLatex' ? 'latex' : 'markdown' });
  else if (action === 'resetSettings') resetSettings();
  else vscode.postMessage({ type: action });
}

/** "Export Plot" from the title bar: the figure drawn off screen and sent to the host to save. */
function exportFigure(id: number, format: 'png' | 'svg', background: ExportBackground): void {
  if (shown?.kind !== 'ready' || !view) return;
  const width = view.frontier.chart.canvas.clientWidth;
  try {
    if (format === 'png')
      vscode.postMessage({ type: 'exportPng', id, dataUrl: exportPng(shown.model, plotView(), background, width) });
    else vscode.postMessage({ type: 'exportSvg', id, svg: exportSvg(shown.model, plotView(), background, width) });
  } catch (error) {
    console.error('export failed', error);
  }
}

function replace(...nodes: Node[]): void {
  if (view) {
    view.frontier.chart.destroy();
    for (const chart of Object.values(view.charts)) chart.clear();
    view = undefined;
  }
  app.replaceChildren(...nodes);
}
