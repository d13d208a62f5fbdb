/** Units and wording by metric kind (issue #12 item 5): accuracy in pp, errors as given, losses in their own units. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MINUS } from '../../src/core/format';
import { countText, fittedAxisTitle, formatFittedDifference, formatMetricDifference, metricKind } from '../../src/core/metricWording';

test('metric kind from the column and its scale', () => {
  assert.equal(metricKind('acc1', { percent: false, direction: 'higher-is-better' }), 'accuracy');
  assert.equal(metricKind('top1_error', { percent: false, direction: 'lower-is-better' }), 'error');
  assert.equal(metricKind('eval_loss', { percent: false, direction: 'lower-is-better' }), 'loss');
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
  assert.equal(formatMetricDifference('accuracy', false, 0.0123, true), '+1.23 pp');
  assert.equal(formatMetricDifference('accuracy', true, -1.23, true), `${MINUS}1.23 pp`);
  assert.equal(formatMetricDifference('loss', false, -0.02, true), `${MINUS}0.02 (loss units)`);
});

test('training logs count runs and checkpoints apart', () => {
  assert.equal(countText(32, null), '32 runs');
  assert.equal(countText(1, null), '1 run');
  assert.equal(countText(29, 1680), '29 runs · 1,680 checkpoints');
});
