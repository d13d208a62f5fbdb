/**
 * Multi-start fits on many runs (a 100k-row results file with compute-optimal budgets fits the joint law to every
 * run): the joint-law Huber fit (δ = 1e-3) from the 4,500-start grid, with the search on a 500-point subsample and
 * the winner refined on all points, against the same fit searching on every point (the baseline, same data, same
 * run), and how the subsampled fit's time grows with the number of runs. Prints ratios.
 *   npx tsx bench/largeFit.ts
 */
import { fitLaw } from '../src/core/fit/fitLaw';
import { lawByName, lawData } from '../src/core/laws/index';
import { Random } from '../src/core/random';

const joint = lawByName('joint');
const truth = { E: 1.82, A: 482, B: 2085, alpha: 0.348, beta: 0.366 };
const objective = { kind: 'huber', delta: 1e-3 } as const;

function runs(n: number, seed: number) {
  const random = new Random(seed);
  return Array.from({ length: n }, () => {
    const params = 10 ** (Math.log10(7e7) + random.next() * (Math.log10(1.6e10) - Math.log10(7e7)));
    const samples = 10 ** (9 + random.next() * 3);
    return {
      compute: 6 * params * samples,
      params,
      samples,
      error: joint.predict(truth, { params, samples }) * Math.exp(0.01 * random.normal()),
    };
  });
}

function timed(n: number, searchSample?: number) {
  const data = lawData(runs(n, 11));
  const started = performance.now();
  const fit = fitLaw(joint, data, objective, searchSample === undefined ? {} : { searchSample });
  return { seconds: (performance.now() - started) / 1000, fit };
}

const describe = (fit: ReturnType<typeof fitLaw>) =>
  `objective ${fit.value.toExponential(6)}, E ${fit.params.E.toFixed(3)} α ${fit.params.alpha.toFixed(4)} β ${fit.params.beta.toFixed(4)}${fit.converged ? '' : ' (NOT converged)'}`;

const everyPoint = timed(5000, Infinity);
const subsampled = timed(5000);
console.log('joint-law Huber fit from 4,500 starts (truth E 1.82, α 0.348, β 0.366; 1 % noise)');
console.log(
  `  5,000 runs, search on every point (baseline): ${everyPoint.seconds.toFixed(2)} s, ${describe(everyPoint.fit)}`,
);
console.log(
  `  5,000 runs, search on 500, refined on all:    ${subsampled.seconds.toFixed(2)} s, ${describe(subsampled.fit)}`,
);
console.log(
  `  speed-up ×${(everyPoint.seconds / subsampled.seconds).toFixed(1)}; objective relative to the baseline ${(((subsampled.fit.value - everyPoint.fit.value) / everyPoint.fit.value) * 100).toFixed(4)} %`,
);
const small = timed(5000);
for (const n of [50_000, 300_000]) {
  const large = timed(n);
  console.log(
    `  ${n.toLocaleString('en')} runs, subsampled search: ${large.seconds.toFixed(2)} s = ×${(large.seconds / small.seconds).toFixed(2)} the 5,000-run time for ×${n / 5000} the runs; ${describe(large.fit)}`,
  );
}
