/**
 * Protocol fuzz: each parser of src/shared/protocol.ts gets ≥ 10,000 messages: valid ones (built here from the
 * documented bounds, all accepted), valid ones with one mutation that makes them invalid by construction (an extra
 * key, a required key removed, a wrong type, NaN, a string or array one past its cap, a number out of range, a
 * typed array of another kind; all refused) and random values (never a whole message: all refused). No parser throws.
 * "Invalid" is defined here, by the mutation, with the bounds written out below, not by the validators under test.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Random } from '../../src/core/random';
import { packStrings } from '../../src/shared/packedStrings';
import type { FitSettings } from '../../src/shared/protocol';
import {
  parseEvalChildMessage,
  parseHostToEvalChild,
  parseHostToPanel,
  parseHostToSideView,
  parseHostToWorker,
  parsePanelMessage,
  parseSideViewMessage,
  parseWorkerMessage,
} from '../../src/shared/protocol';

type Json = unknown;
type Path = (string | number)[];

const LAWS = ['power', 'saturating', 'joint', 'broken', 'broken2'];
const WARNING_KINDS = [
  'positive-exponent',
  'few-points',
  'at-bound',
  'not-identifiable',
  'not-converged',
  'bootstrap-failures',
  'outlier',
  'metric-scale',
];

class Gen {
  constructor(readonly random: Random) {}
  int = (lo: number, hi: number) => lo + this.random.int(hi - lo + 1);
  bool = () => this.random.next() < 0.5;
  /** The item or, half the time, null (a nullable field). */
  maybe = <T>(item: () => T): T | null => (this.bool() ? null : item());
  chance = (p: number) => this.random.next() < p;
  pick = <T>(items: readonly T[]): T => items[this.random.int(items.length)];
  text = (max = 12, min = 0) =>
    Array.from({ length: this.int(min, Math.min(max, 12)) }, () => this.pick([...'abcXYZ09 _-.éλ→'])).join('');
  name = () => this.text(12, 1);
  real = () => (this.bool() ? 1 : -1) * 10 ** (this.random.next() * 40 - 20);
  positive = () => 10 ** (this.random.next() * 40 - 20);
  list = <T>(max: number, item: () => T) => Array.from({ length: this.int(0, max) }, item);
  floats = (n: number) => Float64Array.from({ length: n }, () => this.real());
}

function settings(g: Gen): Json {
  const value: Record<string, Json> = {
    law: g.pick(LAWS),
    frontier: g.pick(['default', 'all', 'pareto', `binned:${g.int(2, 1000)}`]),
    bootstrap: g.bool(),
    budgets: g.list(20, g.positive),
  };
  if (g.bool()) value.task = g.name();
  if (g.bool()) value.metric = g.name();
  if (g.bool()) value.group = g.bool() ? null : g.name();
  if (g.bool()) value.direction = g.pick(['higher', 'lower']);
  if (g.bool()) value.budgetText = (value.budgets as number[]).map(() => g.text(12, 1));
  return value;
}

function plotModel(g: Gen): Json {
  const runLayers = g.list(3, () => {
    const n = g.int(0, 5);
    return {
      group: g.text(),
      label: g.text(),
      colorIndex: g.int(0, 9),
      total: n + g.int(0, 3),
      compute: g.floats(n),
      error: g.floats(n),
      line: Int32Array.from({ length: n }, () => g.int(1, 1e6)),
      arch: Int16Array.from({ length: n }, () => g.int(-1, 3)),
      architectures: g.list(3, g.text),
      names: packStrings(g.bool() ? [] : Array.from({ length: n }, g.text)),
    };
  });
  const point = () =>
    g.bool()
      ? { x: g.real(), y: g.real(), label: g.text() }
      : { x: g.real(), y: g.real(), label: g.text(), line: g.int(1, 1e6) };
  return {
    title: g.text(),
    file: g.text(),
    xLabel: g.text(),
    yLabel: g.text(),
    metric: g.text(),
    metricKind: g.pick(['accuracy', 'error', 'loss']),
    percent: g.bool(),
    trainingRuns: g.bool() ? null : g.int(0, 99),
    allocations: g.list(2, () => ({
      group: g.text(),
      formula: g.text(),
      own: g.bool(),
      runs: g.int(0, 99),
      objective: g.text(),
      plottedFormula: g.text(),
    })),
    rowProblems: g.bool()
      ? null
      : {
          total: g.int(0, 1e6),
          shown: g.list(2, () => ({ line: g.int(1, 1e6), column: g.int(1, 1e3), message: g.text() })),
        },
    runLayers,
    series: g.list(3, () => ({
      kind: g.pick(['frontier', 'law', 'band-low', 'band-high', 'extrapolation']),
      group: g.text(),
      label: g.text(),
      colorIndex: g.int(0, 9),
      points: g.list(4, point),
    })),
    formulas: g.list(2, () => ({
      group: g.text(),
      text: g.text(),
      converged: g.bool(),
      law: g.pick(LAWS),
      drawn: g.maybe(g.text),
    })),
    params: g.list(3, () => ({
      group: g.text(),
      name: g.name(),
      value: g.real(),
      low: g.maybe(g.real),
      high: g.maybe(g.real),
    })),
    groups: g.list(2, () => ({
      group: g.text(),
      formula: g.text(),
      converged: g.bool(),
      reason: g.text(),
      frontier: g.text(),
      nPoints: g.int(0, 99),
      nUsed: g.int(0, 99),
      rmseLog10: g.positive(),
      holdout: g.bool()
        ? null
        : {
            fraction: g.random.next(),
            nHeldout: g.int(0, 9),
            nEvaluated: g.int(0, 9),
            maePp: g.maybe(g.positive),
            rmseLog10: g.maybe(g.positive),
            rule: g.text(),
            nTrain: g.int(0, 99),
            mae: g.maybe(g.positive),
            maeUnits: g.pick(['pp', 'loss units']),
            note: g.maybe(g.text),
            runs: g.list(2, () => ({
              line: g.int(1, 1e6),
              compute: g.positive(),
              measured: g.real(),
              predicted: g.real(),
              low: g.maybe(g.real),
              high: g.maybe(g.real),
            })),
          },
    })),
    optimal: g.list(2, () => ({
      group: g.text(),
      compute: g.positive(),
      params: g.positive(),
      samples: g.positive(),
      error: g.positive(),
      errorLow: g.maybe(g.positive),
      errorHigh: g.maybe(g.positive),
      nearest: g.bool() ? null : { arch: g.text(), params: g.positive(), samples: g.positive(), error: g.positive() },
      plotted: g.bool() ? null : { error: g.positive(), low: g.maybe(g.positive), high: g.maybe(g.positive) },
    })),
    curves: g.list(2, () => ({
      label: g.text(),
      group: g.text(),
      colorIndex: g.int(0, 9),
      points: g.list(3, () => ({ x: g.real(), y: g.real() })),
    })),
    notes: g.list(3, g.text),
    warnings: g.list(2, () =>
      g.bool()
        ? { group: g.maybe(g.text), kind: g.pick(WARNING_KINDS), message: g.text() }
        : { group: g.text(), kind: g.pick(WARNING_KINDS), message: g.text(), line: g.int(1, 1e6) },
    ),
    outliers: g.list(2, () => ({
      group: g.text(),
      line: g.int(1, 1e6),
      compute: g.positive(),
      error: g.positive(),
      z: g.real(),
      residualLog10: g.real(),
    })),
    runs: g.int(0, 1e6),
    decisions: decisionViews(g),
  };
}

const maybe = <T>(g: Gen, value: () => T): T | null => (g.bool() ? null : value());

/** The decision sections that come with a fit: the group comparison, the forecasts, whether approaches apply. */
function decisionViews(g: Gen): Json {
  const comparison = () => ({
    pairs: g.list(2, () => ({
      first: g.text(),
      second: g.text(),
      resamples: g.int(0, 1000),
      differences: g.list(3, () => ({
        param: g.name(),
        difference: g.real(),
        low: maybe(g, g.real),
        high: maybe(g, g.real),
        pValue: maybe(g, () => g.random.next()),
      })),
      crossing: maybe(g, () => ({
        compute: g.positive(),
        interval: maybe(g, () => ({ low: maybe(g, g.positive), high: maybe(g, g.positive) })),
      })),
      rangeLow: g.positive(),
      rangeHigh: g.positive(),
      reading: g.text(),
    })),
    notes: g.list(2, g.text),
  });
  const forecasts = () => ({
    unit: g.text(),
    rows: g.list(2, () => ({
      run: g.text(),
      group: maybe(g, g.text),
      colorIndex: maybe(g, () => g.int(0, 9)),
      samplesSeen: g.positive(),
      plannedSamples: g.positive(),
      measuredLast: g.real(),
      predicted: g.real(),
      low: maybe(g, g.real),
      high: maybe(g, g.real),
      plot: maybe(g, () => ({
        compute: g.positive(),
        error: g.positive(),
        low: maybe(g, g.positive),
        high: maybe(g, g.positive),
      })),
      reachesFrontier: maybe(g, g.bool),
      method: g.text(),
      calibrated: g.bool(),
      calibrationRuns: g.int(0, 99),
    })),
    notes: g.list(2, g.text),
  });
  return { comparison: maybe(g, comparison), forecasts: maybe(g, forecasts), approaches: g.bool() };
}

/** A decision section's request from the panel. */
function decisionAsk(g: Gen): Json {
  const id = g.int(0, 1e9);
  return g.pick([
    () => ({ id, kind: 'approaches' }),
    () => ({ id, kind: 'tasks' }),
    () => ({ id, kind: 'suggestions', target: g.positive(), cap: maybe(g, g.positive) }),
  ])();
}

/** A decision section's answer (or progress) from the worker, forwarded to the panel. */
function decisionAnswer(g: Gen): Json {
  const id = g.int(0, 1e9);
  const interval = () => (g.bool() ? [null, null] : [g.real(), g.real()]);
  const approaches = () => ({
    approaches: g.list(3, () => {
      const [aLow, aHigh] = interval();
      const [bLow, bHigh] = interval();
      return {
        name: g.text(),
        method: g.text(),
        group: g.text(),
        a: maybe(g, g.real),
        aLow,
        aHigh,
        b: maybe(g, g.real),
        bLow,
        bHigh,
        nCoefficient: maybe(g, g.positive),
        optimal: g.list(2, () => ({
          compute: g.positive(),
          nOpt: g.positive(),
          nOptLow: maybe(g, g.positive),
          nOptHigh: maybe(g, g.positive),
          dOpt: g.positive(),
          dOptLow: maybe(g, g.positive),
          dOptHigh: maybe(g, g.positive),
          tokensPerParam: g.positive(),
          tokensPerParamLow: maybe(g, g.positive),
          tokensPerParamHigh: maybe(g, g.positive),
        })),
        points: g.list(3, () => ({
          compute: g.positive(),
          nOpt: g.positive(),
          low: maybe(g, g.positive),
          high: maybe(g, g.positive),
        })),
        resamples: g.int(0, 1000),
        notes: g.list(2, g.text),
      };
    }),
    isoflop: g.list(2, () => ({
      group: g.text(),
      compute: g.positive(),
      runs: g.list(3, () => ({ params: g.positive(), error: g.positive() })),
      curve: g.list(3, () => ({ params: g.positive(), error: g.real() })),
      nOpt: maybe(g, g.positive),
      low: maybe(g, g.positive),
      high: maybe(g, g.positive),
      errorAtMinimum: maybe(g, g.real),
      problem: maybe(g, g.text),
    })),
    perSample: g.list(2, () => ({ group: g.text(), text: g.text() })),
    noIsoflop: g.list(2, () => ({ group: g.text(), reason: g.text() })),
    notes: g.list(2, g.text),
  });
  const suggestions = () => ({
    target: g.positive(),
    cap: maybe(g, g.positive),
    rows: g.list(3, () => ({
      group: g.text(),
      config: g.text(),
      compute: g.positive(),
      nowLow: g.real(),
      nowHigh: g.real(),
      afterLow: g.real(),
      afterHigh: g.real(),
      widthRatio: g.positive(),
      shrinkPerCompute: g.real(),
    })),
    ranked: g.int(0, 999),
    notes: g.list(2, g.text),
  });
  const tasks = () => ({
    rows: g.list(3, () => ({
      task: g.text(),
      group: g.text(),
      metric: g.text(),
      law: g.pick(LAWS),
      exponentName: g.name(),
      exponent: g.real(),
      low: maybe(g, g.real),
      high: maybe(g, g.real),
      nPoints: g.int(0, 99),
      nUsed: g.int(0, 99),
      rmseLog10: g.positive(),
      holdoutMae: maybe(g, g.positive),
      maeUnits: g.pick([null, 'pp', 'loss units']),
    })),
    failed: g.list(2, () => ({ task: g.text(), reason: g.text() })),
    holdout: g.text(),
    notes: g.list(2, g.text),
  });
  return g.pick([
    () => ({ id, kind: 'approaches', view: approaches() }),
    () => ({ id, kind: 'suggestions', view: suggestions() }),
    () => ({ id, kind: 'tasks', view: tasks() }),
    () => {
      const total = g.int(0, 99);
      return { id, kind: 'progress', done: g.int(0, total), total };
    },
    () => ({ id, kind: 'failed', message: g.text() }),
  ])();
}

function choices(g: Gen): Json {
  const value: Record<string, Json> = {
    metric: g.text(),
    metrics: g.list(3, g.text),
    group: g.maybe(g.text),
    groups: g.list(3, g.text),
    metricAmbiguous: g.bool(),
    groupAmbiguous: g.bool(),
  };
  if (g.bool()) value.direction = g.pick(['higher', 'lower']);
  if (g.bool()) value.directionAmbiguous = g.bool();
  if (g.bool()) value.laws = g.list(5, () => g.pick(LAWS));
  return value;
}

function json(g: Gen, depth: number): Json {
  const kind = depth <= 0 ? g.int(0, 3) : g.int(0, 5);
  if (kind === 0) return null;
  if (kind === 1) return g.bool();
  if (kind === 2) return g.real();
  if (kind === 3) return g.text();
  if (kind === 4) return g.list(3, () => json(g, depth - 1));
  return Object.fromEntries(g.list(3, () => [g.name(), json(g, depth - 1)]));
}

function hover(g: Gen): Json {
  const n = g.int(0, 6);
  return {
    metric: g.text(),
    percent: g.bool(),
    higherIsBetter: g.bool(),
    metricKind: g.pick(['accuracy', 'error', 'loss']),
    ...(g.bool() ? { task: g.maybe(g.text) } : {}),
    laws: g.list(2, () => ({
      group: g.text(),
      law: g.pick(LAWS),
      formula: g.text(),
      params: g.floats(g.int(1, 4)),
      bootstrap: g.floats(g.int(0, 8)),
    })),
    line: Int32Array.from({ length: n }, () => g.int(1, 1e6)),
    law: Int32Array.from({ length: n }, () => g.int(0, 1)),
    compute: g.floats(n),
    params: g.floats(n),
    samples: g.floats(n),
    measured: g.floats(n),
    outlierZ: g.floats(n),
  };
}

const path = () => `/work/${'x'.repeat(3)}/results.csv`;

/** Per parser: valid messages, which keys may be absent, which objects are open maps, and its bounds. */
interface Target {
  name: string;
  parse: (value: unknown) => unknown;
  valid: (g: Gen) => Json;
  /** Dotted paths (indices as []) of keys that may be absent. */
  optional: RegExp[];
  /** Paths under which any key and any JSON is fine (a fit summary, an eval row). */
  open: RegExp[];
  /** Strings: [path, longest allowed]. */
  stringCaps: [RegExp, number][];
  /** Small arrays: [path, most items]. */
  arrayCaps: [RegExp, number][];
  /** Numbers out of range at a path (every one invalid there). */
  outOfRange: [RegExp, number[]][];
}

const NAME_CAP = 256;
const HOST_TEXT_CAP = 100_000;
const PATH_CAP = 4096;

const SETTINGS_OPTIONAL = /settings\.(task|metric|group|direction|budgetText)$/;
const CHOICES_OPTIONAL = /choices\.(direction|directionAmbiguous|laws)$/;
const HOVER_OPTIONAL = /hover\.task$/;
const PROBLEM_OPTIONAL = /(problem|problems\[\]|related\[\])\.(severity|cause)$/;
const problem = (g: Gen) => ({
  file: g.text(),
  line: g.int(1, 1e6),
  column: g.int(1, 1e3),
  message: g.text(),
  ...(g.bool() ? { severity: g.pick(['error', 'warning', 'info']) } : {}),
  ...(g.bool() ? { cause: g.pick(['file', 'settings']) } : {}),
});
const SETTINGS_RANGES: [RegExp, number[]][] = [[/settings\.budgets\[\]$/, [0, -1]]];
const SETTINGS_STRINGS: [RegExp, number][] = [
  [/settings\.(task|metric|group)$/, NAME_CAP],
  [/settings\.budgetText\[\]$/, 40],
];

/** The fit's state, as a notification or as the answer to a webview's handshake. */
function hostStatus(g: Gen): object {
  const status = g.pick([
    () => ({ kind: 'empty', message: g.text() }),
    () => ({ kind: 'fitting', file: g.text() }),
    () => ({ kind: 'error', file: g.text(), message: g.text() }),
    () => ({
      kind: 'ready',
      model: plotModel(g),
      settings: settings(g),
      tasks: g.list(3, g.text),
      choices: choices(g),
      ...(g.bool() ? { settingsNotes: g.list(2, g.text) } : {}),
      ...(g.bool() ? { final: g.bool() } : {}),
    }),
  ])();
  return g.bool() ? { type: 'status', status } : { type: 'initialState', id: g.int(0, 1e9), status };
}

/** What a fit's status may leave out and how long its strings and lists may be: the same for both webviews. */
const HOST_STATUS_RULES: Pick<Target, 'optional' | 'open' | 'stringCaps' | 'arrayCaps'> = {
  optional: [
    /^status\.(settingsNotes|final)$/,
    SETTINGS_OPTIONAL,
    CHOICES_OPTIONAL,
    /points\[\]\.line$/,
    /warnings\[\]\.line$/,
  ],
  open: [],
  stringCaps: [...SETTINGS_STRINGS, [/./, HOST_TEXT_CAP]],
  arrayCaps: [[/settings\.budgets$/, 20]],
};

const targets: Target[] = [
  {
    name: 'panel → host',
    parse: parsePanelMessage,
    valid: (g) =>
      g.pick([
        () => ({ type: g.pick(['saveSummary', 'resetSettings', 'exportPlot']) }),
        () => ({ type: 'ready', id: g.int(0, 1e9) }),
        () => ({
          type: 'exportSvg',
          id: g.int(0, 1e9),
          svg: `<svg xmlns="http://www.w3.org/2000/svg">${g.text()}</svg>`,
        }),
        () => ({ type: 'settings', settings: settings(g) }),
        () => ({ type: 'copyLaw', format: g.pick(['latex', 'markdown']) }),
        () => ({
          type: 'exportPng',
          id: g.int(0, 1e9),
          dataUrl: `data:image/png;base64,${'iVBORw0KGgo'.repeat(g.int(0, 4))}`,
        }),
        () => ({ type: 'revealLine', line: g.int(1, 1e6) }),
        () => ({ type: 'decide', ask: decisionAsk(g) }),
      ])(),
    optional: [SETTINGS_OPTIONAL],
    open: [],
    stringCaps: SETTINGS_STRINGS,
    arrayCaps: [[/settings\.budgets$/, 20]],
    outOfRange: [
      ...SETTINGS_RANGES,
      [/^id$/, [-1, 0.5]],
      [/^line$/, [0, -3, 1.5]],
      [/^ask\.(target|cap)$/, [0, -1]],
      [/^ask\.id$/, [-1, 0.5]],
    ],
  },
  {
    name: 'side view → host',
    parse: parseSideViewMessage,
    valid: (g) =>
      g.pick([
        () => ({ type: g.pick(['fit', 'evaluate']) }),
        () => ({ type: 'ready', id: g.int(0, 1e9) }),
        () => ({ type: 'revealLine', line: g.int(1, 1e6) }),
      ])(),
    optional: [],
    open: [],
    stringCaps: [],
    arrayCaps: [],
    outOfRange: [
      [/^id$/, [-1, 0.5]],
      [/^line$/, [0, -3, 1.5]],
    ],
  },
  {
    name: 'host → panel',
    parse: parseHostToPanel,
    valid: (g) =>
      g.chance(0.2)
        ? {
            type: 'exportRequest',
            id: g.int(0, 1e9),
            format: g.pick(['png', 'svg']),
            background: g.pick(['light', 'dark', 'theme']),
          }
        : g.chance(0.2)
          ? { type: 'decision', answer: decisionAnswer(g) }
          : hostStatus(g),
    ...HOST_STATUS_RULES,
    outOfRange: [
      [/^(imagesPerSecond|etaSeconds)$/, [-1]],
      [/^(done|total)$/, [-1, 0.5]],
      [/^id$/, [-1, 0.5]],
    ],
  },
  {
    name: 'host → side view',
    parse: parseHostToSideView,
    valid: hostStatus,
    ...HOST_STATUS_RULES,
    outOfRange: [[/^id$/, [-1, 0.5]]],
  },
  {
    name: 'worker → host',
    parse: parseWorkerMessage,
    valid: (g) =>
      g.pick([
        () => ({
          type: 'result',
          id: g.int(0, 1e9),
          final: g.bool(),
          outcome: {
            model: plotModel(g),
            tasks: g.list(3, g.text),
            choices: choices(g),
            hover: hover(g),
            headerLaw: g.text(),
            statusText: g.text(),
            summary: json(g, 3),
            problems: g.list(2, () => problem(g)),
            problemsTotal: g.int(0, 1e6),
          },
        }),
        () => ({
          type: 'failed',
          id: g.int(0, 1e9),
          problem: problem(g),
          ...(g.bool() ? { related: g.list(2, () => problem(g)) } : {}),
        }),
        () => ({ type: 'cancelled', id: g.int(0, 1e9) }),
        () => ({
          type: 'rowResult',
          id: g.int(0, 1e9),
          result: g.bool() ? { ok: true, task: g.maybe(g.text), hover: hover(g) } : { ok: false, reason: g.text() },
        }),
        () => ({ type: 'decisionResult', id: g.int(0, 1e9), answer: decisionAnswer(g) }),
      ])(),
    optional: [
      /points\[\]\.line$/,
      /warnings\[\]\.line$/,
      CHOICES_OPTIONAL,
      HOVER_OPTIONAL,
      PROBLEM_OPTIONAL,
      /^related$/,
    ],
    open: [/^outcome\.summary/],
    stringCaps: [
      [/^outcome\.summary/, Infinity],
      [/./, HOST_TEXT_CAP],
    ],
    arrayCaps: [],
    outOfRange: [
      [/^id$/, [-1, 0.5]],
      [/problem\.(line|column)$/, [0, -1]],
      [/colorIndex$/, [-1]],
      [/pValue$/, [1.5, -0.1]],
      [/answer\.(id|done|total)$/, [-1, 0.5]],
      [/view\.(target|cap)$/, [0, -1]],
    ],
  },
  {
    name: 'host → worker',
    parse: parseHostToWorker,
    valid: (g) =>
      g.pick([
        () => ({
          type: 'fit',
          id: g.int(0, 1e9),
          body: { file: path(), root: '/work', settings: settings(g), cancelFlag: new SharedArrayBuffer(4) },
        }),
        () => ({
          type: 'rowFit',
          id: g.int(0, 1e9),
          body: {
            file: path(),
            root: '/work',
            settings: settings(g),
            line: g.int(1, 1e6),
            ...(g.bool() ? { cancelFlag: new SharedArrayBuffer(4) } : {}),
          },
        }),
        () => ({
          type: 'decide',
          id: g.int(0, 1e9),
          body: {
            file: path(),
            root: '/work',
            settings: settings(g),
            ask: decisionAsk(g),
            cancelFlag: new SharedArrayBuffer(4),
          },
        }),
      ])(),
    optional: [SETTINGS_OPTIONAL, /body\.cancelFlag$/],
    open: [],
    stringCaps: [...SETTINGS_STRINGS, [/body\.(file|root)$/, PATH_CAP]],
    arrayCaps: [[/settings\.budgets$/, 20]],
    outOfRange: [...SETTINGS_RANGES, [/^id$/, [-1, 0.5]], [/ask\.(target|cap)$/, [0, -1]], [/ask\.id$/, [-1, 0.5]]],
  },
  {
    name: 'host → eval child',
    parse: parseHostToEvalChild,
    valid: (g) => {
      if (g.chance(0.2)) return { type: 'cancel' };
      const request: Record<string, Json> = { model: path(), data: path(), out: path() };
      if (g.bool()) request.batch = g.int(1, 4096);
      if (g.bool()) request.threads = g.int(1, 256);
      if (g.bool()) request.limit = g.int(1, 1e9);
      return { type: 'run', request };
    },
    optional: [/request\.(batch|threads|limit)$/],
    open: [],
    stringCaps: [[/request\.(model|data|out)$/, PATH_CAP]],
    arrayCaps: [],
    outOfRange: [
      [/request\.batch$/, [0, 4097, 1.5, -1]],
      [/request\.threads$/, [0, 257, 2.5]],
      [/request\.limit$/, [0, 1e9 + 1, 0.5]],
    ],
  },
  {
    name: 'eval child → host',
    parse: parseEvalChildMessage,
    valid: (g) =>
      g.pick([
        () => {
          const total = g.int(1, 1e5);
          return {
            type: 'progress',
            done: g.int(0, total),
            total,
            imagesPerSecond: g.positive(),
            etaSeconds: g.positive(),
          };
        },
        () => ({
          type: 'done',
          row: Object.fromEntries(g.list(12, () => [g.name(), g.pick([() => g.text(), () => g.real(), () => null])()])),
          imagesPerSecond: g.positive(),
        }),
        () => ({ type: 'failed', message: g.text() }),
        () => ({ type: 'cancelled' }),
      ])(),
    optional: [],
    open: [/^row(\.|$)/],
    stringCaps: [
      [/^row\./, 10_000],
      [/^message$/, 10_000],
    ],
    arrayCaps: [],
    outOfRange: [
      [/^(imagesPerSecond|etaSeconds)$/, [-1]],
      [/^(done|total)$/, [-1, 0.5]],
    ],
  },
];

// ---------- Mutations: each makes a valid message invalid ----------

function isPlain(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !ArrayBuffer.isView(value) &&
    !(value instanceof SharedArrayBuffer) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

const dotted = (path: Path) =>
  path.map((key, i) => (typeof key === 'number' ? '[]' : i === 0 ? key : `.${key}`)).join('');

/** Every node of the message with its path. */
function nodes(value: unknown, path: Path = [], out: { path: Path; value: unknown }[] = []) {
  out.push({ path, value });
  if (Array.isArray(value)) value.forEach((item, i) => nodes(item, [...path, i], out));
  else if (isPlain(value)) for (const [key, item] of Object.entries(value)) nodes(item, [...path, key], out);
  return out;
}

function clone(value: unknown): unknown {
  return structuredClone(value);
}

function setAt(root: unknown, path: Path, replace: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replace(root);
  const copy = clone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  const next = replace(node[last]);
  if (next === DELETE) delete node[last];
  else node[last] = next;
  return copy;
}

const DELETE = Symbol('delete');

/** One invalidating mutation of a valid message, or undefined when this kind does not apply to it. */
function mutate(target: Target, message: unknown, g: Gen): { kind: string; value: unknown } | undefined {
  const all = nodes(message);
  const inOpen = (path: Path) => target.open.some((re) => re.test(dotted(path)));
  const kind = g.int(0, 9);
  switch (kind) {
    case 0: {
      // An extra key on a strict object.
      const objects = all.filter((n) => isPlain(n.value) && !inOpen(n.path));
      const at = g.pick(objects);
      return {
        kind: `extra key at ${dotted(at.path)}`,
        value: setAt(message, at.path, (o) => ({
          ...(o as object),
          [`extra_${g.int(0, 99)}`]: g.pick([1, 'x', null]),
        })),
      };
    }
    case 1: {
      // A required key removed.
      const keys = all.filter(
        (n) =>
          n.path.length > 0 &&
          typeof n.path[n.path.length - 1] === 'string' &&
          !inOpen(n.path) &&
          !target.optional.some((re) => re.test(dotted(n.path))),
      );
      if (keys.length === 0) return undefined;
      const at = g.pick(keys);
      return { kind: `required ${dotted(at.path)} removed`, value: setAt(message, at.path, () => DELETE) };
    }
    case 2: {
      // A leaf of the wrong type: no field takes an object where a string, number, boolean or null is.
      const leaves = all.filter(
        (n) =>
          n.path.length > 0 &&
          (n.value === null || ['string', 'number', 'boolean'].includes(typeof n.value)) &&
          !inOpen(n.path),
      );
      if (leaves.length === 0) return undefined;
      const at = g.pick(leaves);
      return {
        kind: `wrong type at ${dotted(at.path)}`,
        value: setAt(message, at.path, () => g.pick([{}, [], { value: 1 }])),
      };
    }
    case 3: {
      // NaN or ±Infinity in a number (open maps too: they take finite numbers only).
      const numbers = all.filter((n) => typeof n.value === 'number');
      if (numbers.length === 0) return undefined;
      const at = g.pick(numbers);
      return {
        kind: `non-finite at ${dotted(at.path)}`,
        value: setAt(message, at.path, () => g.pick([NaN, Infinity, -Infinity])),
      };
    }
    case 4: {
      // A string one past its cap.
      const strings = all
        .filter((n) => typeof n.value === 'string' && n.path.length > 0)
        .map((n) => ({ ...n, cap: target.stringCaps.find(([re]) => re.test(dotted(n.path)))?.[1] }))
        .filter((n) => n.cap !== undefined && Number.isFinite(n.cap));
      if (strings.length === 0) return undefined;
      const at = g.pick(strings);
      return {
        kind: `string past ${at.cap} at ${dotted(at.path)}`,
        value: setAt(message, at.path, () => 'y'.repeat(at.cap! + 1)),
      };
    }
    case 5: {
      // An array one past its cap.
      const arrays = all
        .filter((n) => Array.isArray(n.value))
        .map((n) => ({ ...n, cap: target.arrayCaps.find(([re]) => re.test(dotted(n.path)))?.[1] }))
        .filter((n) => n.cap !== undefined);
      if (arrays.length === 0) return undefined;
      const at = g.pick(arrays);
      return {
        kind: `array past ${at.cap} at ${dotted(at.path)}`,
        value: setAt(message, at.path, () => Array.from({ length: at.cap! + 1 }, () => 1)),
      };
    }
    case 6: {
      // A number out of its range.
      const numbers = all
        .filter((n) => typeof n.value === 'number')
        .map((n) => ({ ...n, bad: target.outOfRange.find(([re]) => re.test(dotted(n.path)))?.[1] }))
        .filter((n) => n.bad);
      if (numbers.length === 0) return undefined;
      const at = g.pick(numbers);
      const bad = g.pick(at.bad!);
      return { kind: `${bad} at ${dotted(at.path)}`, value: setAt(message, at.path, () => bad) };
    }
    case 7: {
      // A typed array (or the shared cancel flag) of another kind.
      const views = all.filter((n) => ArrayBuffer.isView(n.value) || n.value instanceof SharedArrayBuffer);
      if (views.length === 0) return undefined;
      const at = g.pick(views);
      return {
        kind: `other typed array at ${dotted(at.path)}`,
        value: setAt(message, at.path, (old) =>
          old instanceof SharedArrayBuffer
            ? new ArrayBuffer(4)
            : old instanceof Float32Array
              ? new Float64Array(0)
              : new Float32Array((old as Float64Array).length),
        ),
      };
    }
    case 8:
      // An unknown message type, or a tag of another message.
      return {
        kind: 'unknown type',
        value: setAt(message, ['type'], () =>
          g.pick(['', 'Ready', 'status ', 'eval', '__proto__', 'constructor', 'toString']),
        ),
      };
    default:
      // Not an object at all.
      return { kind: 'not an object', value: g.pick([null, 0, 'ready', [message], true]) };
  }
}

/** Random values that are never a whole message: non-objects, or objects with a key no message has. */
function randomJunk(g: Gen): unknown {
  if (g.chance(0.3))
    return g.pick([
      undefined,
      null,
      1,
      NaN,
      '',
      'x',
      [],
      [1, 2],
      new Float64Array(2),
      new Date(0),
      Object.create(null),
    ]);
  const keys = [
    'type',
    'settings',
    'index',
    'line',
    'id',
    'body',
    'status',
    'files',
    'request',
    'row',
    'message',
    'done',
    'total',
    'outcome',
    'kind',
  ];
  const value: Record<string, unknown> = Object.fromEntries(g.list(4, () => [g.pick(keys), json(g, 2)]));
  if (g.bool())
    value.type = g.pick([
      'ready',
      'settings',
      'fit',
      'status',
      'files',
      'result',
      'failed',
      'cancelled',
      'run',
      'cancel',
      'progress',
      'done',
    ]);
  value[`~junk${g.int(0, 9)}`] = json(g, 1);
  return value;
}

for (const target of targets) {
  test(`protocol fuzz: ${target.name}: valid accepted, mutated and random refused, never an exception`, () => {
    const g = new Gen(new Random(target.name.length * 7919));
    const counts = { valid: 0, mutated: 0, junk: 0 };
    const kinds = new Set<string>();
    const parse = (value: unknown, what: () => string) => {
      try {
        return target.parse(value);
      } catch (error) {
        assert.fail(`${what()}: threw ${(error as Error).message}`);
      }
    };
    while (counts.valid < 4000) {
      const message = target.valid(g);
      assert.notEqual(
        parse(message, () => 'valid'),
        undefined,
        `a valid message was refused: ${describe(message)}`,
      );
      counts.valid++;
    }
    while (counts.mutated < 4000) {
      const message = target.valid(g);
      const mutation = mutate(target, message, g);
      if (!mutation) continue;
      kinds.add(mutation.kind.replace(/ at .*| past .*/, ''));
      assert.equal(
        parse(mutation.value, () => mutation.kind),
        undefined,
        `accepted after ${mutation.kind}: ${describe(mutation.value)}`,
      );
      counts.mutated++;
    }
    while (counts.junk < 2000) {
      const junk = randomJunk(g);
      assert.equal(
        parse(junk, () => 'junk'),
        undefined,
        `accepted random ${describe(junk)}`,
      );
      counts.junk++;
    }
    assert.ok(counts.valid + counts.mutated + counts.junk >= 10_000);
    assert.ok(kinds.size >= 6, `mutation kinds exercised: ${[...kinds].join(', ')}`);
  });
}

test("protocol: the issue's cases, one by one", () => {
  // Eval progress without imagesPerSecond (the host then threw on .toFixed).
  assert.equal(parseEvalChildMessage({ type: 'progress', done: 1, total: 2, etaSeconds: 1 }), undefined);
  assert.ok(parseEvalChildMessage({ type: 'progress', done: 1, total: 2, imagesPerSecond: 10, etaSeconds: 1 }));
  // Eval request counts.
  const request = { model: '/m', data: '/d', out: '/o.csv' };
  assert.ok(parseHostToEvalChild({ type: 'run', request: { ...request, threads: 1, batch: 64, limit: 10 } }));
  for (const bad of [{ threads: 0 }, { threads: 1e6 }, { batch: -1 }, { batch: 1e9 }, { limit: 0 }, { limit: 'all' }])
    assert.equal(
      parseHostToEvalChild({ type: 'run', request: { ...request, ...bad } }),
      undefined,
      JSON.stringify(bad),
    );
  // Webview settings with an extra key or a 1 MB string are refused, so never persisted.
  const settingsMessage = {
    type: 'settings',
    settings: { law: 'power', frontier: 'pareto', bootstrap: true, budgets: [] },
  };
  assert.ok(parsePanelMessage(settingsMessage));
  assert.equal(
    parsePanelMessage({ ...settingsMessage, settings: { ...settingsMessage.settings, note: 'x' } }),
    undefined,
  );
  assert.equal(
    parsePanelMessage({ ...settingsMessage, settings: { ...settingsMessage.settings, metric: 'm'.repeat(1 << 20) } }),
    undefined,
  );
  assert.equal(parsePanelMessage({ ...settingsMessage, extra: 1 }), undefined);
  // Each webview's protocol is its own: the side view cannot send the panel's settings, the panel has no 'evaluate'.
  assert.equal(parseSideViewMessage(settingsMessage), undefined);
  assert.equal(parsePanelMessage({ type: 'evaluate' }), undefined);
  assert.equal(parseHostToSideView({ type: 'exportRequest', id: 1, format: 'png', background: 'light' }), undefined);
});

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_key, v) =>
      ArrayBuffer.isView(v)
        ? `${v.constructor.name}(${(v as Float64Array).length})`
        : typeof v === 'number' && !Number.isFinite(v)
          ? String(v)
          : v,
    );
    return (text ?? String(value)).slice(0, 400);
  } catch {
    return String(value);
  }
}

test('protocol: real fits of the bundled examples pass every validator on their way (worker → host → webviews)', async () => {
  const { runFitJob } = await import('../../src/worker/fitJob');
  const { readTextFile } = await import('../../src/node/files');
  const examples = `${__dirname}/../../examples`;
  const cases: [string, Partial<FitSettings>][] = [
    ['openclip/zeroshot_results.csv', { bootstrap: true, budgets: [1e12, 1e13] }],
    [
      'openclip/zeroshot_results.csv',
      { bootstrap: false, law: 'saturating', frontier: 'pareto', task: 'mscoco_captions' },
    ],
    ['clip-shapes/runs.csv', { bootstrap: false, law: 'joint', frontier: 'all', budgets: [1e9] }],
    ['clip-shapes/curves.jsonl', { bootstrap: false }],
    // The panel's "Reset settings to defaults": keys present with the value undefined (a JSON summary has no such key).
    [
      'openclip/zeroshot_results.csv',
      { bootstrap: false, task: undefined, metric: undefined, group: undefined, budgetText: undefined },
    ],
  ];
  for (const [file, overrides] of cases) {
    const settings: FitSettings = { law: 'power', frontier: 'default', bootstrap: false, budgets: [], ...overrides };
    const outcome = runFitJob(`${examples}/${file}`, settings, readTextFile);
    assert.ok(parseWorkerMessage({ type: 'result', id: 1, final: true, outcome }), `worker result of ${file}`);
    const status = { kind: 'ready', model: outcome.model, settings, tasks: outcome.tasks, choices: outcome.choices };
    assert.ok(parseHostToPanel({ type: 'status', status }), `panel status of ${file}`);
    assert.ok(parseHostToSideView({ type: 'initialState', id: 3, status }), `side view's initial state of ${file}`);
    assert.ok(
      parseHostToWorker({
        type: 'fit',
        id: 2,
        body: { file, root: examples, settings, cancelFlag: new SharedArrayBuffer(4) },
      }),
    );
  }
});

test('protocol: a fit with settings merged in the panel (keys set to undefined, as "Reset settings" sends) passes the worker → host validator', async () => {
  const { runFitJob } = await import('../../src/worker/fitJob');
  const { readTextFile } = await import('../../src/node/files');
  // What the host's store merges after "Reset settings to defaults": the reset keys are present and undefined.
  const settings: FitSettings = {
    law: 'power',
    frontier: 'default',
    bootstrap: false,
    budgets: [5.76e23],
    task: undefined,
    metric: undefined,
    group: undefined,
    budgetText: ['5.76e23'],
  };
  const outcome = runFitJob(`${__dirname}/../../examples/language-model/runs.csv`, settings, readTextFile);
  assert.ok(parseWorkerMessage({ type: 'result', id: 1, final: true, outcome }), 'the result reaches the host');
  assert.deepEqual(Object.keys((outcome.summary as { settings: object }).settings).sort(), [
    'bootstrap',
    'budgetText',
    'budgets',
    'frontier',
    'law',
  ]);
});
