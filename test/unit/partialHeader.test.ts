/** A results file whose header is still being written: a first line without its newline is not a header yet. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runFitJob } from '../../src/worker/fitJob';
import { AppendingParser } from '../../src/core/ingest/appendingParser';
import { GrowingFileReader } from '../../src/node/files';
import type { FitSettings } from '../../src/shared/protocol';
import { withTempDir } from './helpers/tempDir';

const SETTINGS: FitSettings = { law: 'power', frontier: 'all', bootstrap: false, budgets: [] };

test('a header written in pieces, then rows: every refit (as the worker does) ends in the fit of all rows', () =>
  withTempDir('scaling-lens-header', (dir) => {
    const file = path.join(dir, 'results.csv');
    const reader = new GrowingFileReader();
    const parser = new AppendingParser();
    const refit = () => {
      try {
        return { outcome: runFitJob(file, { ...SETTINGS, budgets: [] }, reader.read, { parse: parser.parse }) };
      } catch (error) {
        return { error: (error as Error).message };
      }
    };
    fs.writeFileSync(file, '');
    for (const piece of ['comp', 'ute,lo', 'ss', '\n']) {
      fs.appendFileSync(file, piece);
      const { error } = refit();
      assert.ok(error, `no fit yet after "${piece}"`);
      assert.doesNotMatch(error, /ragged|fields but the header/, `after "${piece}": ${error}`);
    }
    // Known truth: loss = 10·C^−0.1 exactly.
    const computes = [1e3, 1e4, 1e5, 1e6, 1e7];
    computes.forEach((compute, i) => {
      fs.appendFileSync(file, `${compute},${(10 * compute ** -0.1).toPrecision(12)}\n`);
      const { outcome, error } = refit();
      if (i >= 2) {
        assert.ok(outcome, `after row ${i + 1}: ${error}`);
        assert.equal(outcome.model.runs, i + 1);
      }
    });
    const { outcome } = refit();
    const alpha = outcome!.model.params.find((p) => p.name === 'alpha')!.value;
    assert.ok(Math.abs(alpha + 0.1) < 1e-6, `alpha ${alpha}`);
  }));

test('a header after a blank line is not a header until its newline either; a .json document needs no final newline', () => {
  const parser = new AppendingParser();
  const options = { ignorePartialLastLine: true };
  assert.throws(() => parser.parse('r.csv', '\ncompute,lo', options), /no newline yet/);
  const table = parser.parse('r.csv', '\ncompute,loss\n1,2\n', options);
  assert.deepEqual(table.columns, ['compute', 'loss']);
  assert.equal(table.rowCount, 1);
  // A JSON array is one document: its closing bracket on a last line without a newline belongs to it.
  const json = parser.parse('r.json', '[\n{"compute": 1, "loss": 2},\n{"compute": 10, "loss": 1}\n]', options);
  assert.equal(json.rowCount, 2);
});
