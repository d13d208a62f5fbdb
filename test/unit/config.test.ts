/** scaling-lens.json: a configured file is fitted as described; the shipped JSON schema accepts the same file. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors';
import { parseConfig } from '../../src/core/schema/config';
import { runCli } from './cliHelper';
import { withTempDir } from './helpers/tempDir';

test('a language-model results file described in scaling-lens.json: C = 6·N·D, joint law on params and tokens', () =>
  withTempDir('scaling-lens-config', (dir) => {
    fs.mkdirSync(path.join(dir, 'runs'));
    // Losses drawn from the Chinchilla form with the published parameters (Hoffmann et al. 2022), no noise.
    const law = (n: number, d: number) => 1.69 + 406.4 / n ** 0.34 + 410.7 / d ** 0.28;
    const lines = ['model,n_params,tokens,split,val_loss'];
    for (const n of [7e7, 1.6e8, 4e8, 1e9, 2.8e9, 7e9])
      for (const d of [5e9, 2e10, 8e10, 3e11])
        lines.push(`m${n},${n},${d},val,${law(n, d)}`, `m${n},${n},${d},train,${law(n, d) - 0.1}`);
    fs.writeFileSync(path.join(dir, 'runs', 'lm.csv'), lines.join('\n') + '\n');
    const config = {
      datasets: [
        {
          file: 'runs/*.csv',
          metric: 'val_loss',
          compute: '6*n_params*tokens',
          params: 'n_params',
          samples: 'tokens',
          filters: { split: 'val' },
          frontier: 'all',
          computeModel: 'six-n',
        },
      ],
    };
    fs.writeFileSync(path.join(dir, 'scaling-lens.json'), JSON.stringify(config, null, 2));
    const { code, stdout, stderr } = runCli([
      'fit',
      path.join(dir, 'runs', 'lm.csv'),
      '--law',
      'joint',
      '--objective',
      'huber:1e-3',
      '--bootstrap',
      '0',
      '--optimal',
      '1e21',
      '--json',
    ]);
    assert.equal(code, 0, stderr);
    const result = JSON.parse(stdout);
    assert.equal(result.profile, 'configured');
    const fit = result.fits[0];
    assert.equal(fit.n_points, 24, 'only the val rows');
    assert.ok(
      Math.abs(fit.params.E - 1.69) < 0.01 &&
        Math.abs(fit.params.alpha - 0.34) < 0.01 &&
        Math.abs(fit.params.beta - 0.28) < 0.01,
      JSON.stringify(fit.params),
    );
    const optimal = fit.optimal[0];
    assert.ok(
      Math.abs((6 * optimal.params * optimal.samples) / 1e21 - 1) < 1e-6,
      'the allocation spends the budget: 6·N·D = C',
    );
  }));

test('the JSON schema requires what the validator requires: "datasets" at the top, "file" in each entry', () => {
  const schema = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'scaling-lens.schema.json'), 'utf8'),
  );
  assert.deepEqual(schema.required, ['datasets']);
  assert.deepEqual(schema.properties.datasets.items.required, ['file']);
  const refused = (text: string, line: number, column: number, detail: string) =>
    assert.throws(
      () => parseConfig('/w/scaling-lens.json', text),
      (error: Error) =>
        error instanceof InputError &&
        error.detail === detail &&
        error.location.line === line &&
        error.location.column === column,
      detail,
    );
  refused('{}', 1, 1, '"datasets" must be an array of dataset descriptions');
  refused(JSON.stringify({ datasets: [{ metric: 'loss' }] }, null, 2), 2, 3, 'datasets[0] needs "file"');
  const accepted = parseConfig('/w/scaling-lens.json', JSON.stringify({ datasets: [{ file: 'runs.csv' }] }));
  assert.deepEqual(
    accepted.datasets.map((entry) => entry.file),
    ['runs.csv'],
    'an entry with only "file" is enough',
  );
});

test('the keys the validator accepts in an entry are the keys the JSON schema describes', () => {
  const schema = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'schema', 'scaling-lens.schema.json'), 'utf8'),
  );
  let accepted: string[] = [];
  assert.throws(
    () => parseConfig('/w/scaling-lens.json', JSON.stringify({ datasets: [{ file: 'runs.csv', metrc: 'loss' }] })),
    (error: Error) => {
      const listed =
        error instanceof InputError
          ? /^datasets\[0\]: unknown key "metrc" \(expected one of (.*)\)$/.exec(error.detail)
          : null;
      accepted = listed ? listed[1].split(', ') : [];
      return listed !== null;
    },
  );
  assert.deepEqual([...accepted].sort(), Object.keys(schema.properties.datasets.items.properties).sort());
});
