/** --all-tasks: one row per task × group over the paper's 41 downstream datasets. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allTasks, type TaskRow } from '../../src/core/decisions/overview';
import { Random } from '../../src/core/random';
import { runCli } from './cliHelper';
import { logSweep, specOf, tableOf } from './decisionsHelpers';

test("the paper's results: 41 tasks × 2 groups, each task with its own metric, the published exponents", () => {
  const { code, stdout, stderr } = runCli([
    'fit',
    'examples/openclip/zeroshot_results.csv',
    '--bootstrap',
    '100',
    '--all-tasks',
    '--json',
  ]);
  assert.equal(code, 0, stderr);
  const tasks: TaskRow[] = JSON.parse(stdout).tasks;
  assert.equal(new Set(tasks.map((t) => t.task)).size, 41);
  assert.equal(tasks.length, 82);
  const row = (task: string, group: string) => tasks.find((t) => t.task === task && t.group === group)!;
  // figures.ipynb of Cherti et al. (PROVENANCE.md): α per task, LAION (binned) and CLIP-WIT (3 points).
  for (const [task, laion, wit] of [
    ['imagenet1k', -0.111388, -0.163775],
    ['imagenet_robustness', -0.125541, -0.237843],
    ['mscoco_captions', -0.079434, -0.050759],
    ['flickr30k', -0.189157, -0.102849],
  ] as const) {
    assert.ok(
      Math.abs(row(task, 'LAION').params.alpha - laion) < 5e-4,
      `${task} LAION α ${row(task, 'LAION').params.alpha}`,
    );
    assert.ok(
      Math.abs(row(task, 'CLIP-WIT').params.alpha - wit) < 5e-4,
      `${task} CLIP-WIT α ${row(task, 'CLIP-WIT').params.alpha}`,
    );
  }
  assert.equal(row('mscoco_captions', 'LAION').metric, 'image_retrieval_recall@5');
  assert.equal(row('voc2007_multilabel', 'LAION').metric, 'mean_average_precision');
  const imagenet = row('imagenet1k', 'LAION');
  for (const key of ['task', 'group', 'law', 'params', 'ci95', 'n_points', 'rmse_log10', 'holdout_mae'])
    assert.ok(key in imagenet, key);
  assert.equal(imagenet.n_points, 29);
  assert.equal(imagenet.n_used, 5);
  assert.ok(imagenet.ci95!.alpha[0] < imagenet.params.alpha && imagenet.params.alpha < imagenet.ci95!.alpha[1]);
  assert.ok(imagenet.holdout_mae !== null && imagenet.holdout_mae > 0);
  const text = runCli(['fit', 'examples/openclip/zeroshot_results.csv', '--bootstrap', '0', '--all-tasks']);
  assert.match(text.stdout, /Every task at a glance:\n\s+task\s+group\s+metric\s+exponent/);
  assert.match(text.stdout, /mscoco_captions\s+LAION\s+image_retrieval_recall@5\s+alpha −0\.0794/);
});

test('a task that cannot be fitted is listed with its reason; the others are fitted', () => {
  const random = new Random(2);
  const rows: Record<string, number | string>[] = [];
  for (const task of ['good', 'perfect']) {
    // Every 'perfect' run scores 1: an error of 0 on each row, which no power law can fit (each row is a bad row).
    for (const compute of logSweep(8, 9, 12))
      rows.push({
        task,
        compute,
        acc: task === 'perfect' ? 1 : 1 - 0.5 * (compute / 1e9) ** -0.1 * Math.exp(0.01 * random.normal()),
      });
  }
  const overview = allTasks(tableOf(rows), specOf({ metric: 'acc', taskColumn: 'task' }), { bootstrap: 0 });
  assert.deepEqual(
    overview.tasks.map((t) => t.task),
    ['good'],
  );
  assert.equal(overview.failed[0].task, 'perfect');
  assert.match(overview.failed[0].reason, /no usable rows/);
});

test('a file without a task column: --all-tasks is refused with exit 2', () => {
  const { code, stderr } = runCli(['fit', 'examples/language-model/runs.csv', '--bootstrap', '0', '--all-tasks']);
  assert.equal(code, 2);
  assert.match(stderr, /--all-tasks: .*runs\.csv has no task column/);
});
