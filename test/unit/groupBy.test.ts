/** groupBy: the one grouping helper keeps keys in first-seen order and items in input order. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { groupBy } from '../../src/core/groupBy';

test('groups by key, keys in first-seen order, items in input order; null is a key like any other', () => {
  const runs = [
    { group: 'b', line: 2 },
    { group: null, line: 3 },
    { group: 'a', line: 4 },
    { group: 'b', line: 5 },
    { group: null, line: 6 },
  ];
  const groups = groupBy(runs, (run) => run.group);
  assert.deepEqual([...groups.keys()], ['b', null, 'a']);
  assert.deepEqual(
    [...groups.values()].map((members) => members.map((run) => run.line)),
    [[2, 5], [3, 6], [4]],
  );
  assert.equal(groupBy([], (x: number) => x).size, 0);
});
