/** Settings that cannot fail (issue #12 item 2): a conflicting change switches the other setting and says why. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applySettingsChange, frontierChoices, reconcileSettings } from '../../src/core/settingsRules';
import type { FitSettings } from '../../src/shared/protocol';

const base: FitSettings = { law: 'power', frontier: 'binned:5', bootstrap: true, budgets: [] };

test('the joint law offers only the frontiers it supports (all runs, pareto); compute laws offer binned too', () => {
  assert.deepEqual(
    frontierChoices('joint', 'default').map(([v]) => v),
    ['default', 'all', 'pareto'],
  );
  assert.deepEqual(
    frontierChoices('power', 'default').map(([v]) => v),
    ['default', 'binned:5', 'pareto', 'all'],
  );
  assert.ok(
    frontierChoices('power', 'binned:8').some(([v]) => v === 'binned:8'),
    'a custom K chosen before stays listed',
  );
});

test('choosing the joint law with a binned frontier switches the frontier, with a note', () => {
  const { settings, notes } = applySettingsChange(base, { law: 'joint' });
  assert.equal(settings.law, 'joint');
  assert.equal(settings.frontier, 'default');
  assert.equal(notes.length, 1);
  assert.match(notes[0], /Frontier switched from binned:5/);
});

test('choosing a binned frontier under the joint law switches the law to power, with a note', () => {
  const { settings, notes } = applySettingsChange({ ...base, law: 'joint', frontier: 'all' }, { frontier: 'binned:5' });
  assert.equal(settings.frontier, 'binned:5');
  assert.equal(settings.law, 'power');
  assert.match(notes[0], /Law switched to power/);
});

test('a law the file cannot be fitted with is refused, with a note; a consistent change gives no note', () => {
  const refused = applySettingsChange(base, { law: 'joint' }, { laws: ['power', 'saturating', 'broken'] });
  assert.equal(refused.settings.law, 'power');
  assert.match(refused.notes[0], /needs parameters and samples/);
  assert.deepEqual(applySettingsChange(base, { law: 'saturating' }).notes, []);
});

test('a new task forgets the metric of the old one; intervals are always computed (bootstrap on)', () => {
  const { settings } = applySettingsChange(
    { ...base, task: 'imagenet1k', metric: 'acc1', bootstrap: false },
    { task: 'mscoco_captions' },
  );
  assert.equal(settings.task, 'mscoco_captions');
  assert.equal(settings.metric, undefined);
  assert.equal(settings.bootstrap, true);
});

test('settings remembered by an older version (joint law with the binned frontier) are reconciled, not kept failing', () => {
  const { settings, notes } = reconcileSettings({ ...base, law: 'joint' });
  assert.deepEqual([settings.law, settings.frontier], ['joint', 'default']);
  assert.equal(notes.length, 1);
  const noJoint = reconcileSettings(
    { ...base, law: 'joint', frontier: 'all' },
    { laws: ['power', 'saturating', 'broken'] },
  );
  assert.equal(noJoint.settings.law, 'power');
});
