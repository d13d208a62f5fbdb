/** What "Fit Scaling Law" asks about: metric and grouping when the file's layout is guessed, nothing for known ones. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { runFitJob } from '../../src/worker/fitJob';
import { readTextFile } from '../../src/node/files';

const repo = path.join(__dirname, '..', '..');
const languageModels = path.join(repo, 'test', 'fixtures', 'workspace', 'language-models', 'lm_results.csv');
const settings = { law: 'power' as const, frontier: 'default', bootstrap: false, budgets: [] };

test('a guessed layout with two metrics and a family column: both choices are ambiguous, the guess first', () => {
  const { choices } = runFitJob(languageModels, settings, readTextFile);
  assert.deepEqual(choices.metrics, ['loss', 'accuracy']);
  assert.deepEqual(choices.groups, ['model_family'], 'the run-name column and numeric columns are not groupings');
  assert.equal(choices.metricAmbiguous, true);
  assert.equal(choices.groupAmbiguous, true);
  assert.equal(choices.group, null);
});

test('the OpenCLIP layout has made its choices: nothing to ask', () => {
  const { choices } = runFitJob(
    path.join(repo, 'examples', 'openclip', 'zeroshot_results.csv'),
    settings,
    readTextFile,
  );
  assert.equal(choices.metricAmbiguous, false);
  assert.equal(choices.groupAmbiguous, false);
  assert.equal(choices.metric, 'acc1');
  assert.ok(choices.metrics.includes('acc5'), 'other metrics are still offered in the panel');
});

test('the answers take effect: one joint law per family, each recovering its generating irreducible loss', () => {
  // lm_results.csv was generated with L = E + 406.4/N^0.34 + 410.7/D^0.28 (Chinchilla's fit), E = 1.69 (dense) and
  // 1.60 (moe), and 0.5 % noise.
  const outcome = runFitJob(
    languageModels,
    { ...settings, law: 'joint', frontier: 'all', group: 'model_family' },
    readTextFile,
  );
  assert.deepEqual(outcome.model.formulas.map((f) => f.group).sort(), ['dense', 'moe']);
  const irreducible = Object.fromEntries(
    outcome.model.params.filter((p) => p.name === 'E').map((p) => [p.group, p.value]),
  );
  assert.ok(Math.abs(irreducible.dense - 1.69) < 0.1, `dense E = ${irreducible.dense}`);
  assert.ok(Math.abs(irreducible.moe - 1.6) < 0.1, `moe E = ${irreducible.moe}`);
  const accuracy = runFitJob(languageModels, { ...settings, metric: 'accuracy', group: null }, readTextFile);
  assert.match(accuracy.model.title, /accuracy/);
  assert.equal(accuracy.model.formulas.length, 1, 'no grouping: one law');
});

test("choosing the layout's own grouping column again keeps its pools (the paper pools LAION-80M/400M/2B)", () => {
  const file = path.join(repo, 'examples', 'openclip', 'zeroshot_results.csv');
  const chosen = runFitJob(file, { ...settings, group: 'upstream_dataset' }, readTextFile);
  assert.deepEqual(
    chosen.model.formulas.map((f) => f.group),
    ['LAION', 'CLIP-WIT'],
  );
  const none = runFitJob(file, { ...settings, group: null }, readTextFile);
  assert.deepEqual(
    none.model.formulas.map((f) => f.group),
    ['all runs'],
  );
});
