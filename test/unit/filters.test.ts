/**
 * Filters: every operator keeps exactly the rows a plain JavaScript predicate over the fixture keeps; several are
 * ANDed; comparisons on text say so; scaling-lens.json takes the same strings (and the older object form).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFilter } from '../../src/core/expr/filter';
import { fitFiles, thrown } from './fitHelper';

interface Row {
  name: string;
  family: string;
  params: number;
  flops: number;
  loss: number;
}
const ROWS: Row[] = [
  { name: 'a1', family: 'llama', params: 1e9, flops: 1e19, loss: 2.9 },
  { name: 'a2', family: 'llama', params: 7e9, flops: 3e19, loss: 2.6 },
  { name: 'a3', family: 'llama', params: 13e9, flops: 1e20, loss: 2.4 },
  { name: 'b1', family: 'gpt', params: 1e9, flops: 2e19, loss: 2.8 },
  { name: 'b2', family: 'gpt', params: 7e9, flops: 6e19, loss: 2.5 },
  { name: 'b3', family: 'gpt', params: 3e10, flops: 2e20, loss: 2.3 },
  { name: 'c1', family: 'mamba', params: 7e9, flops: 5e19, loss: 2.55 },
  { name: 'c2', family: 'mamba', params: 3e9, flops: 4e19, loss: 2.7 },
];
const CSV =
  [
    'name,Model Family,params,Training FLOP,loss',
    ...ROWS.map((r) => `${r.name},${r.family},${r.params},${r.flops},${r.loss}`),
  ].join('\n') + '\n';
const files = { '/runs.csv': CSV };

/** Names of the runs a set of filters keeps (all rows as one group, every run kept: the `all` frontier). */
function kept(...filters: string[]): string[] {
  const result = fitFiles(files, '/runs.csv', {
    filters: filters.map(parseFilter),
    frontier: { kind: 'all' },
    group: null,
  });
  return result.runs.map((r) => r.label).sort();
}
const expect = (predicate: (r: Row) => boolean) =>
  ROWS.filter(predicate)
    .map((r) => r.name)
    .sort();

const cases: [string, (r: Row) => boolean][] = [
  ['Model Family=llama', (r) => r.family === 'llama'],
  ['Model Family!=llama', (r) => r.family !== 'llama'],
  ['Model Family=llama|gpt', (r) => r.family === 'llama' || r.family === 'gpt'],
  ['Model Family!=llama|gpt', (r) => r.family !== 'llama' && r.family !== 'gpt'],
  ['params=7e9', (r) => r.params === 7e9],
  ['params=7000000000', (r) => r.params === 7e9],
  ['params!=7e9', (r) => r.params !== 7e9],
  ['params<7e9', (r) => r.params < 7e9],
  ['params<=7e9', (r) => r.params <= 7e9],
  ['params>7e9', (r) => r.params > 7e9],
  ['params>=7e9', (r) => r.params >= 7e9],
  ['`Training FLOP`>3e19', (r) => r.flops > 3e19],
  ['`Training FLOP` / (6 * params) >= 1e9', (r) => r.flops / (6 * r.params) >= 1e9],
  ['loss<2.6', (r) => r.loss < 2.6],
];
for (const [filter, predicate] of cases) {
  test(`filter ${filter}`, () => {
    assert.deepEqual(kept(filter), expect(predicate));
  });
}

test('several filters are ANDed', () => {
  assert.deepEqual(
    kept('Model Family!=mamba', 'params<=7e9', '`Training FLOP`>1e19'),
    expect((r) => r.family !== 'mamba' && r.params <= 7e9 && r.flops > 1e19),
  );
});

test('a < filter on a text column, and a < filter with a word, say what is wrong', () => {
  assert.match(
    thrown(() => kept('Model Family<5')).message,
    /column "Model Family" holds text \(e\.g\. "llama" on line 2\), so < cannot compare it: use = or !=/,
  );
  assert.match(thrown(() => kept('params<many')).message, /< compares numbers, and "many" is not a number/);
  assert.match(thrown(() => kept('famly=llama')).message, /no column "famly"/);
  assert.match(thrown(() => parseFilter('llama')).message, /expected COLUMN=VALUE/);
});

test('scaling-lens.json filters: strings with any operator, and the object form', () => {
  const config = (filters: unknown) =>
    JSON.stringify({ datasets: [{ file: 'runs.csv', metric: 'loss', compute: '`Training FLOP`', filters }] });
  const run = (filters: unknown) =>
    fitFiles({ ...files, '/scaling-lens.json': config(filters) }, '/runs.csv', { frontier: { kind: 'all' } })
      .runs.map((r) => r.label)
      .sort();
  assert.deepEqual(
    run(['Model Family=llama|gpt', 'params<1e10']),
    expect((r) => (r.family === 'llama' || r.family === 'gpt') && r.params < 1e10),
  );
  assert.deepEqual(
    run({ 'Model Family': 'gpt' }),
    expect((r) => r.family === 'gpt'),
  );
  // A filter string that does not parse is located in scaling-lens.json.
  const error = thrown(() => run(['params<']));
  assert.match(error.message, /^\/scaling-lens\.json:1:\d+: filter "params<": expected a number after </);
});

test('dropping the K highest-loss points is a filter on the metric (the README recipe)', () => {
  // The two highest losses are 2.9 and 2.8: keep loss < 2.8.
  assert.deepEqual(
    kept('loss<2.8'),
    expect((r) => r.loss < 2.8),
  );
  assert.equal(kept('loss<2.8').length, ROWS.length - 2);
});
