/** What the webviews receive for very large files: decimated run layers and run names packed as UTF-8. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { decimateLogLog } from '../../src/core/decimate';
import { runFitJob } from '../../src/worker/fitJob';
import { predictAtLine } from '../../src/core/hoverPrediction';
import { Random } from '../../src/core/random';
import { readTextFile } from '../../src/node/files';
import { packStrings, unpackString } from '../../src/shared/packedStrings';
import { withTempDir } from './helpers/tempDir';

test('decimation: every point of a 100k-point cloud has a drawn point within one grid cell; few points are all drawn', () => {
  const random = new Random(5);
  const n = 100_000;
  const x = Float64Array.from({ length: n }, () => 10 ** (9 + 4 * random.next()));
  const y = Float64Array.from(x, (c) => 5.86 * c ** -0.111 * Math.exp(0.3 * random.normal()));
  const kept = decimateLogLog(x, y, { limit: 20_000, columns: 300, rows: 200 })!;
  assert.ok(kept.length < n / 3 && kept.length <= 300 * 200, `${kept.length} points drawn`);
  assert.equal(new Set(kept).size, kept.length, 'no point twice');
  const lx = Array.from(x, Math.log10);
  const ly = Array.from(y, Math.log10);
  const cellX = (Math.max(...lx) - Math.min(...lx)) / 299;
  const cellY = (Math.max(...ly) - Math.min(...ly)) / 199;
  for (let probe = 0; probe < 500; probe++) {
    const i = random.int(n);
    const near = kept.some(
      (k) => Math.abs(lx[k] - lx[i]) <= cellX * 1.0001 && Math.abs(ly[k] - ly[i]) <= cellY * 1.0001,
    );
    assert.ok(near, `point ${i} has a drawn neighbour within a cell`);
  }
  assert.equal(
    decimateLogLog(x.subarray(0, 1000), y.subarray(0, 1000), { limit: 20_000, columns: 500, rows: 320 }),
    undefined,
    '1,000 points: all drawn',
  );
});

test('packed strings round-trip, including non-ASCII and empty names', () => {
  const names = ['run-1', '', 'ViT-B/32 · LAION-2B', 'エポック 10', 'emoji 🚀 run', 'x'.repeat(300)];
  const packed = packStrings(names);
  assert.deepEqual(
    names.map((_, i) => unpackString(packed, i)),
    names,
  );
  assert.equal(unpackString(packed, names.length), undefined);
  assert.equal(packed.bytes.length, Buffer.byteLength(names.join('')), 'UTF-8 bytes, nothing more');
});

test('a 30k-run file: the plot draws a decimated layer and says so; hovers still answer for runs not drawn', () =>
  withTempDir('scaling-lens-big', (dir) => {
    const file = path.join(dir, 'big_results.csv');
    const random = new Random(9);
    const lines = ['samples_seen,gmacs_total,acc1,name'];
    for (let i = 0; i < 30_000; i++) {
      const samples = 10 ** (9 + 2 * random.next());
      const error = 5.86 * (samples * 10) ** -0.111 * Math.exp(0.05 * random.next());
      lines.push(`${samples},${samples * 10},${(1 - error).toFixed(6)},run-${i}`);
    }
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const outcome = runFitJob(file, { law: 'power', frontier: 'pareto', bootstrap: false, budgets: [] }, readTextFile);
    const layer = outcome.model.runLayers[0];
    assert.equal(layer.total, 30_000);
    assert.ok(
      layer.compute.length < 30_000 &&
        layer.compute.length === layer.line.length &&
        layer.names.ends.length === layer.line.length,
    );
    assert.ok(
      outcome.model.notes.some((n) => /30,000 runs drawn as [\d,]+ points/.test(n)),
      outcome.model.notes.join('\n'),
    );
    const drawnLines = new Set(layer.line);
    const hidden = Array.from({ length: 30_000 }, (_, i) => i + 2).find((line) => !drawnLines.has(line))!;
    const row = predictAtLine(outcome.hover, hidden)!;
    assert.ok(
      row && Math.abs(row.measuredMetric - Number(lines[hidden - 1].split(',')[2])) < 1e-12,
      `hover on undrawn line ${hidden}`,
    );
  }));
