/** What the decision sections say (webview/panel/decisionRows.ts, pure): crossings, p-values, forecasts, approaches, next runs, task sorting. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  ApproachesView,
  ComparisonPairView,
  FitSettings,
  ForecastView,
  SuggestionsView,
  TaskRowView,
} from '../../src/shared/protocol';
import {
  approachOptimalRows,
  approachRows,
  comparisonRows,
  crossingText,
  forecastCells,
  pText,
  sortTaskRows,
  suggestionRows,
  suggestionTarget,
  taskCells,
} from '../../webview/panel/decisionRows';

const pair = (overrides: Partial<ComparisonPairView> = {}): ComparisonPairView => ({
  first: 'LAION',
  second: 'CLIP-WIT',
  resamples: 176,
  differences: [
    { param: 'beta', difference: -17.3254, low: -1053.11, high: 21.38, pValue: 0.6327 },
    { param: 'alpha', difference: 0.052386, low: -0.215387, high: 0.237125, pValue: 0.58757 },
  ],
  crossing: { compute: 2.5367e11, interval: { low: null, high: 1.0423e14 } },
  rangeLow: 1.8086e10,
  rangeHigh: 6.6315e14,
  reading: '',
  ...overrides,
});

test('comparison rows: exponents with their extra digits, intervals, p-values; the crossing with open interval ends in words', () => {
  assert.deepEqual(comparisonRows(pair()), [
    ['beta', '−17.3', '[−1050, 21.4]', 'p = 0.63'],
    ['alpha', '0.0524', '[−0.215, 0.237]', 'p = 0.59'],
  ]);
  assert.equal(crossingText(pair()), 'the laws cross at C = 2.54e11, 95 % interval [below any compute, 1.04e14]');
  assert.equal(crossingText(pair({ crossing: { compute: 3e12, interval: null } })), 'the laws cross at C = 3e12');
  assert.equal(crossingText(pair({ crossing: null })), 'no crossing in [1.81e10, 6.63e14] (C_min to 100·C_max)');
  assert.equal(pText(0.0004), 'p < 0.001');
  assert.equal(pText(null), '—');
});

test('forecast cells: the metric as the file writes it, and whether the run will reach the frontier', () => {
  const laionRun: ForecastView['rows'][number] = {
    run: 'b',
    group: 'LAION',
    colorIndex: 0,
    samplesSeen: 6e6,
    plannedSamples: 2e7,
    measuredLast: 61.2,
    predicted: 70.4,
    low: null,
    high: null,
    plot: null,
    reachesFrontier: true,
    method: 'power-law',
    calibrated: false,
    calibrationRuns: 0,
  };
  const view: ForecastView = {
    unit: 'samples seen',
    rows: [
      {
        run: 'a',
        group: null,
        colorIndex: null,
        samplesSeen: 1998848,
        plannedSamples: 4e6,
        measuredLast: 0.7145,
        predicted: 0.82596,
        low: 0.69495,
        high: 0.9007,
        plot: null,
        reachesFrontier: false,
        method: 'same-length-shape',
        calibrated: true,
        calibrationRuns: 42,
      },
      laionRun,
      {
        ...laionRun,
        run: 'c',
        low: 65,
        high: 75,
        reachesFrontier: null,
        method: 'family-shape',
        calibrated: true,
        calibrationRuns: 5,
      },
    ],
    notes: [],
  };
  const [a, b, c] = forecastCells(view, false);
  assert.deepEqual(a, {
    run: 'a',
    group: 'not fitted yet',
    now: '0.715 at 2e6 of 4e6 samples seen',
    forecast: '0.826 [0.695, 0.901]',
    verdict: 'will not reach the frontier',
    method: 'same-length-shape, calibrated on 42 finished runs',
  });
  assert.equal(b.verdict, 'will reach the frontier');
  assert.equal(b.forecast, '70.4 —');
  assert.match(b.method, /not calibrated/);
  assert.equal(c.verdict, 'unknown (no compute for this run)');
  assert.equal(forecastCells(view, true)[1].now, '61.2 % at 6e6 of 2e7 samples seen');
});

test('approach rows: a and b with intervals, "not available" where an approach does not apply; N_opt, D_opt, D/N per budget as typed', () => {
  const base = { method: '', group: 'all runs', nCoefficient: null, points: [], resamples: 0, notes: [] };
  const view: ApproachesView = {
    approaches: [
      {
        ...base,
        name: 'Approach 2',
        a: 0.5108,
        aLow: 0.4861,
        aHigh: 0.5352,
        b: 0.4892,
        bLow: 0.4648,
        bHigh: 0.5139,
        optimal: [
          {
            compute: 5.76e23,
            nOpt: 7.1e10,
            nOptLow: 5.6e10,
            nOptHigh: 8.96e10,
            dOpt: 1.35e12,
            dOptLow: 1.07e12,
            dOptHigh: 1.71e12,
            tokensPerParam: 19.01,
            tokensPerParamLow: 12,
            tokensPerParamHigh: 30.6,
          },
        ],
      },
      { ...base, name: 'Approach 1', a: null, aLow: null, aHigh: null, b: null, bLow: null, bHigh: null, optimal: [] },
    ],
    isoflop: [],
    perSample: [],
    noIsoflop: [],
    notes: [],
  };
  assert.deepEqual(approachRows(view), [
    ['Approach 2', '0.511', '[0.486, 0.535]', '0.489', '[0.465, 0.514]'],
    ['Approach 1', 'not available', '—', '—', '—'],
  ]);
  assert.deepEqual(
    approachOptimalRows(view, () => '5.76e23 as typed'),
    [['Approach 2', '5.76e23 as typed', '7.1e10 [5.6e10, 8.96e10]', '1.35e12 [1.07e12, 1.71e12]', '19 [12, 30.6]']],
  );
  // Several groups: a group column first.
  const two = { ...view, approaches: [view.approaches[0], { ...view.approaches[0], group: 'B' }] };
  assert.equal(approachRows(two)[1][0], 'B');
});

test('next runs: ranked within each group, the interval now → after and the width ratio; C* is the typed target, else the largest budget', () => {
  const row = {
    config: 'ViT-H-14 × 1.22e10 samples',
    compute: 2.33e12,
    nowLow: 0.193,
    nowHigh: 0.241,
    afterLow: 0.191,
    afterHigh: 0.246,
    widthRatio: 1.14,
    shrinkPerCompute: -3.1e-15,
  };
  const view: SuggestionsView = {
    target: 1e13,
    cap: null,
    rows: [
      { ...row, group: 'A' },
      { ...row, group: 'A' },
      { ...row, group: 'B' },
    ],
    ranked: 3,
    notes: [],
  };
  assert.deepEqual(
    suggestionRows(view).map((r) => r.slice(0, 2)),
    [
      ['A', '1'],
      ['A', '2'],
      ['B', '1'],
    ],
  );
  assert.deepEqual(suggestionRows(view)[0].slice(2), [
    'ViT-H-14 × 1.22e10 samples',
    '2.33e12',
    '[0.193, 0.241] → [0.191, 0.246]',
    '× 1.14',
  ]);
  const settings: FitSettings = { law: 'power', frontier: 'default', bootstrap: true, budgets: [1e12, 1e14, 1e13] };
  assert.equal(suggestionTarget(settings, null), 1e14);
  assert.equal(suggestionTarget(settings, 5e20), 5e20);
  assert.equal(suggestionTarget({ ...settings, budgets: [] }, null), null);
});

const task = (
  name: string,
  group: string,
  exponent: number,
  low: number | null,
  high: number | null,
  mae: number | null,
): TaskRowView => ({
  task: name,
  group,
  metric: 'acc1',
  law: 'power',
  exponentName: 'alpha',
  exponent,
  low,
  high,
  nPoints: 29,
  nUsed: 5,
  rmseLog10: 0.019,
  holdoutMae: mae,
  maeUnits: mae === null ? null : 'pp',
});

test("task overview: sorted by any column, unknown values last in both directions, ties in the file's order", () => {
  const rows = [
    task('cars', 'LAION', -0.2, -0.3, -0.1, 1.2),
    task('pcam', 'LAION', 0.011, null, null, null),
    task('imagenet1k', 'LAION', -0.111, -0.138, -0.0876, 0.82),
    task('imagenet1k', 'CLIP-WIT', -0.164, -0.176, -0.144, 1.17),
  ];
  const order = (column: Parameters<typeof sortTaskRows>[1], descending: boolean) =>
    sortTaskRows(rows, column, descending).map((r) => `${r.task}/${r.group}`);
  assert.deepEqual(order('exponent', false), ['cars/LAION', 'imagenet1k/CLIP-WIT', 'imagenet1k/LAION', 'pcam/LAION']);
  assert.deepEqual(order('exponent', true), ['pcam/LAION', 'imagenet1k/LAION', 'imagenet1k/CLIP-WIT', 'cars/LAION']);
  // By interval width: 0.032 (CLIP-WIT), 0.0504 (LAION), 0.2 (cars); pcam has none and comes last either way.
  assert.deepEqual(order('width', false), ['imagenet1k/CLIP-WIT', 'imagenet1k/LAION', 'cars/LAION', 'pcam/LAION']);
  assert.deepEqual(order('width', true), ['cars/LAION', 'imagenet1k/LAION', 'imagenet1k/CLIP-WIT', 'pcam/LAION']);
  assert.deepEqual(order('holdout', true), ['cars/LAION', 'imagenet1k/CLIP-WIT', 'imagenet1k/LAION', 'pcam/LAION']);
  assert.deepEqual(order('task', false), ['cars/LAION', 'imagenet1k/LAION', 'imagenet1k/CLIP-WIT', 'pcam/LAION']);
  assert.deepEqual(taskCells(rows[2]), [
    'imagenet1k',
    'LAION',
    'alpha −0.111',
    '[−0.138, −0.0876]',
    '29 / 5',
    '0.019',
    '0.82 pp',
  ]);
  assert.equal(taskCells(rows[2], true)[2], '−0.111');
  assert.equal(taskCells(rows[1])[6], '—');
  assert.equal(taskCells({ ...rows[2], maeUnits: 'loss units', holdoutMae: 0.031 })[6], '0.031 (loss units)');
});
