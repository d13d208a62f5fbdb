/**
 * Benchmark (a) and (b): the joint-law Huber fit (δ = 1e-3) on 240 points drawn from the Chinchilla form, from the
 * 4,500-start grid, and a 1000-resample bootstrap of it — Scaling Lens vs SciPy L-BFGS-B with an analytic gradient
 * (bench/baseline_joint.py), same points, measured in the same run. Prints ratios.
 *   npx tsx bench/joint.ts [--resamples 1000]
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fitLaw, makeObjective } from '../src/core/fit/fitLaw';
import { lbfgs } from '../src/core/fit/lbfgs';
import { chinchillaGrid } from '../src/core/laws/joint';
import { lawByName, lawData } from '../src/core/laws/index';
import { Random } from '../src/core/random';

const resamples = Number(process.argv[process.argv.indexOf('--resamples') + 1] || 1000) || 1000;
const joint = lawByName('joint');
const truth = { E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366 };
const random = new Random(2022);
const points = Array.from({ length: 240 }, () => {
  const params = 10 ** (Math.log10(7e7) + random.next() * (Math.log10(1.6e10) - Math.log10(7e7)));
  const samples = 10 ** (9.5 + random.next() * 2.5);
  return { compute: 6 * params * samples, params, samples, error: joint.predict(truth, { params, samples }) * Math.exp(0.02 * random.normal()) };
});
const cache = path.join(__dirname, '.cache');
fs.mkdirSync(cache, { recursive: true });
const dataFile = path.join(cache, 'chinchilla-240.csv');
fs.writeFileSync(dataFile, 'params,tokens,loss\n' + points.map((p) => `${p.params},${p.samples},${p.error}`).join('\n') + '\n');

const objective = { kind: 'huber', delta: 1e-3 } as const;
let t0 = performance.now();
const full = fitLaw(joint, lawData(points), objective);
const oursGrid = (performance.now() - t0) / 1000;

t0 = performance.now();
const bootRandom = new Random(7);
for (let b = 0; b < resamples; b++) {
  const sample = Array.from({ length: points.length }, () => points[bootRandom.int(points.length)]);
  fitLaw(joint, lawData(sample), objective, { starts: [full.theta] });
}
const oursBoot = (performance.now() - t0) / 1000;

// Like for like, for the record: every start run to convergence (no screening).
t0 = performance.now();
const evaluate = makeObjective(joint, lawData(points), objective);
let unscreenedBest = Infinity;
for (const start of chinchillaGrid()) unscreenedBest = Math.min(unscreenedBest, lbfgs((x, g) => evaluate(x, g), start).value);
const oursUnscreened = (performance.now() - t0) / 1000;

const baseline = JSON.parse(execFileSync('/usr/bin/python3', [path.join(__dirname, 'baseline_joint.py'), dataFile, String(resamples), '7'], { encoding: 'utf8', maxBuffer: 1 << 20 }));
const objectiveGap = (full.value - baseline.objective) / baseline.objective;
console.log(`joint-law Huber fit, 240 points, 4,500 starts (truth E 1.82, A 482, B 2085, α 0.348, β 0.366)`);
console.log(`  Scaling Lens L-BFGS: ${oursGrid.toFixed(2)} s, objective ${full.value.toExponential(6)} (${full.converged ? 'converged' : 'NOT converged'}), E ${full.params.E.toFixed(3)} A ${full.params.A.toFixed(1)} B ${full.params.B.toFixed(1)} α ${full.params.alpha.toFixed(4)} β ${full.params.beta.toFixed(4)}`);
console.log(`  SciPy L-BFGS-B (analytic gradient): ${baseline.grid_seconds.toFixed(2)} s, objective ${baseline.objective.toExponential(6)}`);
console.log(`  speed-up ×${(baseline.grid_seconds / oursGrid).toFixed(1)} (target ≥ 10×, goal 20×); objective relative to SciPy ${(objectiveGap * 100).toFixed(4)} % (target within 0.1 %)`);
console.log(`  without screening (every start to convergence, as SciPy): ${oursUnscreened.toFixed(2)} s, objective ${unscreenedBest.toExponential(6)}, speed-up ×${(baseline.grid_seconds / oursUnscreened).toFixed(1)}`);
console.log(`bootstrap, ${resamples} resamples warm-started from the full fit`);
console.log(`  Scaling Lens ${oursBoot.toFixed(2)} s; SciPy ${baseline.bootstrap_seconds.toFixed(2)} s; speed-up ×${(baseline.bootstrap_seconds / oursBoot).toFixed(1)}`);
