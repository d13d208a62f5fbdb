/** The order of "Evaluate ONNX Checkpoint" step 3/3: results files beside the model's study first, then the rest. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insideFirst } from '../../src/core/paths';

const files = [
  '/ws/bad/nonnumeric_results.csv',
  '/ws/clip-shapes/curves.jsonl',
  '/ws/clip-shapes/runs.csv',
  '/ws/clip-shapes2/runs.csv',
  '/ws/messy/messy_results.csv',
  '/ws/openclip/zeroshot_results.csv',
];

test('files inside the folder come first, each part in the order given', () => {
  assert.deepEqual(
    insideFirst(files, (f) => f, '/ws/clip-shapes'),
    [
      '/ws/clip-shapes/curves.jsonl',
      '/ws/clip-shapes/runs.csv',
      '/ws/bad/nonnumeric_results.csv',
      '/ws/clip-shapes2/runs.csv',
      '/ws/messy/messy_results.csv',
      '/ws/openclip/zeroshot_results.csv',
    ],
  );
});

test('a sibling folder sharing the name as a prefix is not inside; no folder keeps the order', () => {
  assert.deepEqual(insideFirst(files, (f) => f, '/ws/clip-shapes2')[0], '/ws/clip-shapes2/runs.csv');
  assert.deepEqual(
    insideFirst(files, (f) => f, undefined),
    files,
  );
  assert.deepEqual(
    insideFirst(files, (f) => f, 'C:\\ws\\clip-shapes'),
    files,
    'no file there',
  );
});

test('Windows separators', () => {
  const windows = ['C:\\ws\\a\\results.csv', 'C:\\ws\\study\\runs.csv'];
  assert.deepEqual(
    insideFirst(windows, (f) => f, 'C:\\ws\\study'),
    ['C:\\ws\\study\\runs.csv', 'C:\\ws\\a\\results.csv'],
  );
});
