/**
 * Acceptance: `scaling-lens fit --law joint --objective huber:1e-3` on a Chinchilla-form file gives bootstrap
 * intervals as wide as the spread of resamples refitted from scratch (the full 4,500-start grid, no warm start).
 * Before the fix each refit stopped at its warm start and the intervals were about 100× too narrow.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fitLaw } from '../../src/core/fit/fitLaw';
import { lawByName, lawData } from '../../src/core/laws/index';
import { Random } from '../../src/core/random';
import { createFitPool } from '../../src/node/fitPool';
import { runCli } from './cliHelper';
import { withTempDir } from './helpers/tempDir';

const joint = lawByName('joint');
const truth = { E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366 };

/** 240 runs on the Chinchilla law (Hoffmann et al. 2022): N in [7e7, 1.6e10], D in [3e9, 1e12], σ = 0.02 in ln L. */
function chinchillaRuns() {
  const random = new Random(2022);
  return Array.from({ length: 240 }, () => {
    const params = 10 ** (Math.log10(7e7) + random.next() * (Math.log10(1.6e10) - Math.log10(7e7)));
    const samples = 10 ** (9.5 + random.next() * 2.5);
    return {
      compute: 6 * params * samples,
      params,
      samples,
      error: joint.predict(truth, { params, samples }) * Math.exp(0.02 * random.normal()),
    };
  });
}

test('joint law, Huber δ = 1e-3: CLI bootstrap intervals match the spread of resamples refitted from scratch', () => {
  const runs = chinchillaRuns();
  withTempDir('scaling-lens-width', (dir) => {
    const file = path.join(dir, 'chinchilla_results.csv');
    fs.writeFileSync(
      file,
      'params,tokens,loss\n' + runs.map((r) => `${r.params},${r.samples},${r.error}`).join('\n') + '\n',
    );
    const { code, stdout, stderr } = runCli([
      'fit',
      file,
      '--law',
      'joint',
      '--objective',
      'huber:1e-3',
      '--frontier',
      'all',
      '--bootstrap',
      '300',
      '--json',
    ]);
    assert.equal(code, 0, stderr);
    const fit = JSON.parse(stdout).fits[0];
    assert.equal(fit.n_used, 240, 'all runs');
    assert.equal(fit.bootstrap.failed, 0);

    // Independent spread: resamples of the runs, each fitted by the full multi-start procedure.
    const random = new Random(77);
    const pool = createFitPool();
    const refits: Record<string, number>[] = [];
    try {
      for (let k = 0; k < 12; k++) {
        const sample = runs.map(() => runs[random.int(runs.length)]);
        refits.push(fitLaw(joint, lawData(sample), { kind: 'huber', delta: 1e-3 }, { runner: pool }).params);
      }
    } finally {
      pool.close();
    }
    // Coefficients on a log scale (their spread is skewed), exponents as they are.
    const scale = (name: string, value: number) => (['E', 'A', 'B'].includes(name) ? Math.log(value) : value);
    for (const name of ['E', 'A', 'B', 'alpha', 'beta']) {
      const values = refits.map((p) => scale(name, p[name]));
      const mean = values.reduce((s, v) => s + v, 0) / values.length;
      const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1));
      const [lo, hi] = fit.ci95[name];
      const ratio = (scale(name, hi) - scale(name, lo)) / (3.92 * sd);
      assert.ok(
        ratio > 0.4 && ratio < 2.5,
        `${name}: interval [${lo}, ${hi}] is ${ratio.toFixed(2)}× the ±1.96 sd of ${refits.length} from-scratch refits`,
      );
    }
  });
});
