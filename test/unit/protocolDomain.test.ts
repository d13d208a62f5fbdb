/** The protocol's validators accept exactly what the domain accepts: built from its own lists and parsers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFrontier } from '../../src/core/frontier';
import { LAW_NAMES } from '../../src/core/laws/law';
import { UsageError } from '../../src/core/errors';
import { isSettings } from '../../src/shared/protocol';

const settings = (patch: object) => ({ law: 'power', frontier: 'default', bootstrap: false, budgets: [], ...patch });

function domainAccepts(frontier: string): boolean {
  try {
    parseFrontier(frontier);
    return true;
  } catch (error) {
    assert.ok(error instanceof UsageError, `${frontier}: ${String(error)}`);
    return false;
  }
}

test('protocol: a frontier is valid in a webview message exactly when --frontier accepts it (binned:0 and binned:1 too)', () => {
  const frontiers = [
    'all',
    'pareto',
    'binned:0',
    'binned:1',
    'binned:2',
    'binned:5',
    'binned:1000',
    'binned:1001',
    'binned:01',
    'binned:-3',
    'binned:2.5',
    'binned:',
    'binned',
    'Pareto',
    ' all',
    'all ',
    'binned:99999',
    '',
  ];
  for (const frontier of frontiers) assert.equal(isSettings(settings({ frontier })), domainAccepts(frontier), frontier);
  // Which of them the domain takes is known from its bounds (2 ≤ K ≤ 1000), not from the code under test.
  assert.deepEqual(frontiers.filter(domainAccepts), ['all', 'pareto', 'binned:2', 'binned:5', 'binned:1000']);
  // 'default' is the settings' own word for the layout's choice: not a --frontier value.
  assert.equal(isSettings(settings({ frontier: 'default' })), true);
  assert.equal(domainAccepts('default'), false);
});

test('protocol: every law the domain names is a valid setting, and nothing else', () => {
  for (const law of LAW_NAMES) assert.equal(isSettings(settings({ law })), true, law);
  for (const law of ['Power', 'chinchilla', 'broken3', '', 'toString'])
    assert.equal(isSettings(settings({ law })), false, law);
});

test('protocol: a stated direction is higher or lower, as --direction', () => {
  assert.equal(isSettings(settings({ direction: 'higher' })), true);
  assert.equal(isSettings(settings({ direction: 'lower' })), true);
  assert.equal(isSettings(settings({ direction: 'higher-is-better' })), false);
});
