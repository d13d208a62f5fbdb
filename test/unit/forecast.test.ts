/** --forecast: final metrics of running jobs from their curves, calibrated on the family's finished runs. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { CurveSet, LearningCurve } from '../../src/core/decisions/curves';
import { calibratedHalfWidth, forecastCurves, type Forecast } from '../../src/core/decisions/forecast';
import { Random } from '../../src/core/random';
import { runCli } from './cliHelper';
import { withTempDir } from './helpers/tempDir';

const lossScale = { percent: false, direction: 'lower-is-better', kind: 'loss', directionSource: 'name' } as const;

/**
 * A family on a known law: E(s) = (0.1 + 3·s^−0.3)·(1 + 0.4·(1 − s/S)) — a power law in samples seen times a
 * schedule factor that vanishes at the planned length S — with 1 % log-normal noise on every checkpoint.
 */
function family(seed: number): { curves: LearningCurve[]; finals: Map<string, number> } {
  const random = new Random(seed);
  const curves: LearningCurve[] = [];
  const finals = new Map<string, number>();
  for (const planned of [1e6, 4e6, 1.6e7]) {
    for (let k = 0; k < 10; k++) {
      const run = `run_${planned}_${k}`;
      const x = Array.from({ length: 16 }, (_, i) => (planned * (i + 1)) / 16);
      const truth = (s: number) => (0.1 + 3 * s ** -0.3) * (1 + 0.4 * (1 - s / planned));
      const error = x.map((s) => truth(s) * Math.exp(0.01 * random.normal()));
      finals.set(run, truth(planned));
      curves.push({ run, x, error, measured: error, lines: x.map((_, i) => i + 1), planned, computePerX: 1 });
    }
  }
  return { curves, finals };
}

test('cut at 50 %: forecasts land within 3 % of the generating final loss, and intervals cover ~95 % of finals', () => {
  let covered = 0;
  let total = 0;
  const relativeErrors: number[] = [];
  for (const seed of [1, 2, 3]) {
    const { curves, finals } = family(seed);
    const report = forecastCurves({ curves, unit: 'samples seen', notes: [] } satisfies CurveSet, lossScale, 0.5);
    assert.equal(report.forecasts.length, 30);
    for (const f of report.forecasts) {
      assert.equal(f.method, 'same-length-shape');
      relativeErrors.push(Math.abs(f.predicted / finals.get(f.run)! - 1));
      // Coverage is of the measured final (truth with its checkpoint noise), as a user would check it.
      if (f.ci95![0] <= f.final_measured! && f.final_measured! <= f.ci95![1]) covered++;
      total++;
    }
  }
  relativeErrors.sort((a, b) => a - b);
  assert.ok(
    relativeErrors[Math.floor(relativeErrors.length / 2)] < 0.03,
    `median relative error ${relativeErrors[45]}`,
  );
  assert.ok(covered / total >= 0.85, `coverage ${covered}/${total}`);
});

test('a running job is forecast from the finished runs; finished runs are not', () => {
  const { curves, finals } = family(4);
  const running = curves[25];
  const partial: LearningCurve = {
    ...running,
    x: running.x.slice(0, 6),
    error: running.error.slice(0, 6),
    measured: running.measured.slice(0, 6),
    lines: running.lines.slice(0, 6),
  };
  const report = forecastCurves(
    { curves: [...curves.filter((c) => c !== running), partial], unit: 'samples seen', notes: [] },
    lossScale,
    undefined,
  );
  assert.equal(report.forecasts.length, 1);
  const f = report.forecasts[0];
  assert.equal(f.run, running.run);
  assert.equal(f.samples_seen, partial.x[5]);
  assert.equal(f.planned_samples, running.planned);
  assert.equal(f.calibrated, true);
  assert.ok(
    f.ci95![0] <= finals.get(running.run)! && finals.get(running.run)! <= f.ci95![1],
    `${f.ci95} vs ${finals.get(running.run)}`,
  );
});

test('reaches the frontier: unless a finished run that used no more compute ended lower', () => {
  const curve = (run: string, planned: number, last: number, level: number): LearningCurve => {
    const x = Array.from({ length: 8 }, (_, i) => ((i + 1) * planned) / 8).slice(0, last);
    const error = x.map((s) => level + 2 * s ** -0.5);
    return { run, x, error, measured: error, lines: x.map((_, i) => i + 1), planned, computePerX: 1 };
  };
  // One finished run: 1e6 samples, ending at 0.3 + 2e−3.
  const finished = curve('done', 1e6, 8, 0.3);
  const report = forecastCurves(
    {
      curves: [finished, curve('better', 2e6, 5, 0.2), curve('worse', 2e6, 5, 0.4), curve('cheaper', 5e5, 5, 0.4)],
      unit: 'samples seen',
      notes: [],
    },
    lossScale,
    undefined,
  );
  const byRun = new Map(report.forecasts.map((f) => [f.run, f]));
  assert.ok(Math.abs(byRun.get('better')!.predicted - (0.2 + 2 * 2e6 ** -0.5)) < 1e-3);
  assert.equal(byRun.get('better')!.reaches_frontier, true);
  assert.equal(byRun.get('worse')!.reaches_frontier, false);
  // Less compute than any finished run: nothing beats it.
  assert.equal(byRun.get('cheaper')!.reaches_frontier, true);
});

test('split-conformal half-width: the ⌈0.95·(m+1)⌉-th smallest deviation; a t interval below 19 runs', () => {
  const residuals = Array.from({ length: 39 }, (_, i) => (i % 2 === 0 ? 1 : -1) * (i + 1) * 0.01);
  // m = 39: rank ⌈0.95·40⌉ = 38 → the 38th smallest |r| = 0.38.
  assert.ok(Math.abs(calibratedHalfWidth(residuals, 0) - 0.38) < 1e-12);
  const few = [0.1, -0.1, 0.2, -0.2];
  // mean 0, sd sqrt(0.1/3) = 0.182574; t₀.₉₇₅(3) = 3.182446 (SciPy); × sqrt(1.25).
  assert.ok(Math.abs(calibratedHalfWidth(few, 0) - 3.182446 * 0.182574 * Math.sqrt(1.25)) < 1e-5);
});

test("the paper's learning curves cut at 50 %: last value off by a median 8.68 pp; the forecast by under a third of that, intervals cover ≥ 90 %", () => {
  const { code, stdout, stderr } = runCli([
    'fit',
    'examples/openclip/imagenet_zeroshot_learning_curves.csv',
    '--bootstrap',
    '0',
    '--forecast',
    '--cut',
    '0.5',
    '--json',
  ]);
  assert.equal(code, 0, stderr);
  const json = JSON.parse(stdout);
  assert.equal(json.forecasts.length, 29);
  // Independent check (Python over the CSV): median over the 29 runs of final − last acc at epoch ≤ half = 8.68 pp.
  assert.ok(
    Math.abs(json.forecast_summary.baseline_median_abs_error - 8.68) < 1e-6,
    `${json.forecast_summary.baseline_median_abs_error}`,
  );
  assert.ok(json.forecast_summary.median_abs_error < 8.68 / 3, `${json.forecast_summary.median_abs_error}`);
  assert.ok(json.forecast_summary.coverage >= 0.9, `${json.forecast_summary.coverage}`);
  const f: Forecast = json.forecasts.find(
    (x: Forecast) => x.run === 'Model-B-32_Data-400M_Samples-13B_lr-1e-3_bs-86k.pt',
  );
  // trained_models_info.csv: 32 epochs × 413,000,000 samples; the cut keeps epoch 16.
  assert.equal(f.planned_samples, 32 * 413000000);
  assert.equal(f.samples_seen, 16 * 413000000);
  for (const key of ['run', 'samples_seen', 'planned_samples', 'predicted', 'ci95', 'reaches_frontier'])
    assert.ok(key in f, key);
});

test('clip-shapes: the three runs still training are forecast at the planned samples their ids carry', () => {
  const { code, stdout, stderr } = runCli([
    'fit',
    'examples/clip-shapes/curves.jsonl',
    '--bootstrap',
    '0',
    '--forecast',
    '--json',
  ]);
  assert.equal(code, 0, stderr);
  const forecasts: Forecast[] = JSON.parse(stdout).forecasts;
  assert.deepEqual(forecasts.map((f) => f.run).sort(), [
    'shapes-noisy_XL_u256000_s4000000',
    'shapes_XL_u32000_s4000000',
    'shapes_XL_u4000_s4000000',
  ]);
  for (const f of forecasts) {
    assert.equal(f.planned_samples, 4e6);
    assert.equal(f.samples_seen, 1998848);
    assert.ok(f.ci95![0] <= f.predicted && f.predicted <= f.ci95![1]);
    assert.ok(f.predicted > 0 && f.predicted < 1, 'top-1 accuracy, as logged');
    // FLOPs per sample of XL (runs.csv) × 4e6 samples.
    assert.ok(f.planned_compute! > 0);
  }
});

function trainingLog(dir: string, lines: object[], params?: string): string {
  fs.writeFileSync(path.join(dir, 'results.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  if (params) fs.writeFileSync(path.join(dir, 'params.txt'), params);
  return path.join(dir, 'results.jsonl');
}

test('an OpenCLIP results.jsonl with params.txt and no family: a curve-fit forecast at epochs × train_num_samples, flagged as not calibrated', () =>
  withTempDir('forecast', (dir) => {
    // Top-1 from 0.1 at epoch 1 towards 0.8 (an error of 0.2 + 0.7·epoch^−0.5).
    const acc = (epoch: number) => 1 - (0.2 + 0.7 * epoch ** -0.5);
    const file = trainingLog(
      dir,
      [1, 2, 3, 4, 5, 6].map((epoch) => ({ 'imagenet-zeroshot-val-top1': acc(epoch), epoch })),
      'model: ViT-B-32\ntrain_num_samples: 1000000\nepochs: 20\n',
    );
    const { code, stdout, stderr } = runCli(['fit', file, '--bootstrap', '0', '--forecast', '--json']);
    assert.equal(code, 0, stderr);
    const json = JSON.parse(stdout);
    const f: Forecast = json.forecasts[0];
    assert.equal(f.planned_samples, 20e6);
    assert.equal(f.samples_seen, 6e6);
    assert.equal(f.calibrated, false);
    assert.equal(f.method, 'power-law');
    // Noise-free checkpoints on a saturating power law: the fit extrapolates it exactly.
    assert.ok(Math.abs(f.predicted - acc(20)) < 1e-3, `${f.predicted} vs ${acc(20)}`);
    assert.ok(json.forecast_notes.some((n: string) => /not calibrated|too narrow/.test(n)));
  }));

test('any step log: the planned length from --planned; a results table without checkpoints is refused', () =>
  withTempDir('forecast', (dir) => {
    const file = path.join(dir, 'log.csv');
    fs.writeFileSync(
      file,
      'step,flops,loss\n' +
        [100, 200, 300, 400, 500].map((s) => `${s},${s * 1e15},${(2 + 30 * s ** -0.5).toFixed(6)}`).join('\n') +
        '\n',
    );
    const withPlan = runCli(['fit', file, '--bootstrap', '0', '--forecast', '--planned', '2000', '--json']);
    assert.equal(withPlan.code, 0, withPlan.stderr);
    const f: Forecast = JSON.parse(withPlan.stdout).forecasts[0];
    assert.equal(f.planned_samples, 2000);
    assert.equal(f.planned_compute, 2000 * 1e15);
    assert.ok(Math.abs(f.predicted - (2 + 30 * 2000 ** -0.5)) < 0.01, `${f.predicted}`);
    const without = runCli(['fit', file, '--bootstrap', '0', '--forecast']);
    assert.equal(without.code, 0);
    assert.match(without.stdout, /without a planned length/);
    const table = runCli(['fit', 'examples/openclip/zeroshot_results.csv', '--bootstrap', '0', '--forecast']);
    assert.equal(table.code, 2);
    assert.match(table.stderr, /--forecast needs training curves/);
    const cutAlone = runCli(['fit', file, '--cut', '0.5']);
    assert.equal(cutAlone.code, 2);
    assert.match(cutAlone.stderr, /--cut and --planned go with --forecast/);
  }));
