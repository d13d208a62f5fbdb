/** Units and wording by metric kind (issue #12 item 5): accuracy in pp, errors as given, losses in their own units. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MINUS } from '../../src/core/format';
import { decideScale } from '../../src/core/schema/metric';
import {
  countText,
  fittedAxisTitle,
  formatFittedDifference,
  formatMetricDifference,
  metricKind,
} from '../../src/core/metricWording';

test('metric kind from the column and its scale, as the scale was decided from the column', () => {
  const kind = (column: string, values: number[]) =>
    metricKind(column, decideScale(column, values, { file: 'f.csv', locate: () => ({ line: 2, column: 1 }) }).scale);
  assert.equal(kind('acc1', [0.5, 0.7]), 'accuracy');
  assert.equal(kind('top1_error', [0.5, 0.3]), 'error');
  assert.equal(kind('eval_loss', [3.1, 2.7]), 'loss');
});

test('axis titles say what is plotted and how it comes from the column', () => {
  assert.equal(fittedAxisTitle('accuracy', 'acc1', false), 'error E = 1 − acc1');
  assert.equal(fittedAxisTitle('accuracy', 'top1', true), 'error E = 1 − top1 / 100');
  assert.equal(fittedAxisTitle('loss', 'eval_loss', false), 'loss L = eval_loss (as given)');
});

test('differences: pp for accuracies and percent errors, plain for fraction errors, loss units for losses — never pp for a loss', () => {
  assert.equal(formatFittedDifference('accuracy', false, 0.00874), '0.874 pp');
  assert.equal(formatFittedDifference('accuracy', true, 0.00874), '0.874 pp');
  assert.equal(formatFittedDifference('error', false, 0.00874), '0.00874');
  assert.equal(formatFittedDifference('loss', false, 0.0564), '0.0564 (loss units)');
  assert.equal(formatMetricDifference('accuracy', false, 0.0123, { signed: true }), '+1.23 pp');
  assert.equal(formatMetricDifference('accuracy', true, -1.23, { signed: true }), `${MINUS}1.23 pp`);
  assert.equal(formatMetricDifference('loss', false, -0.02, { signed: true }), `${MINUS}0.02 (loss units)`);
});

test('training logs count runs and checkpoints apart', () => {
  assert.equal(countText(32, null), '32 runs');
  assert.equal(countText(1, null), '1 run');
  assert.equal(countText(29, 1680), '29 runs · 1,680 checkpoints');
});
