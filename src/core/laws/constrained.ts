/**
 * Fixed and tied parameters as a law wrapper: the fitter sees a reduced θ (the free parameters, one per tied
 * group), mapped to the full θ of the underlying law, whose Jacobian and gradient are chained back (columns of a
 * tied group summed). Everything built on laws (fits, bootstrap, holdout, predictions) works unchanged.
 * E.g. `tie alpha=beta` on the joint law gives the over-training form L = E + A/N^α + B/D^α (Gadre et al. 2024);
 * `fix alpha=-0.1` tests a published exponent.
 */
import { UsageError } from '../errors';
import type { Law, LawSpec } from './law';

/** How errors name the constraints: the CLI flags by default, or the configuration's keys. */
export interface ConstraintLabels {
  fix: string;
  tie: string;
}

export function constrainLaw(
  base: Law,
  fix: Record<string, number> = {},
  tie: [string, string][] = [],
  labels: ConstraintLabels = { fix: '--fix', tie: '--tie' },
): Law {
  const names = base.paramNames;
  const p = names.length;
  const indexOf = (name: string, what: string): number => {
    const k = names.indexOf(name);
    if (k < 0)
      throw new UsageError(
        `${what} ${name}: the ${base.name} law has no parameter "${name}" (its parameters: ${names.join(', ')})`,
      );
    return k;
  };
  // Each θ component depends on its own public parameter alone (ln x or x): read the transforms off fromParams.
  const thetaOf = (k: number, value: number): number => {
    const params = Object.fromEntries(names.map((name) => [name, 1]));
    params[names[k]] = value;
    return base.fromParams(params)[k];
  };
  const fixedTheta = new Float64Array(p).fill(NaN);
  for (const [name, value] of Object.entries(fix)) {
    const k = indexOf(name, labels.fix);
    const theta = thetaOf(k, value);
    if (!Number.isFinite(value) || !Number.isFinite(theta))
      throw new UsageError(
        `${labels.fix} ${name}=${value}: not a valid value for ${name}${Number.isFinite(value) ? ' (it must be positive)' : ''}`,
      );
    fixedTheta[k] = theta;
  }
  // Tied groups by union–find; the first parameter of a group (in the law's order) stands for it.
  const root = Array.from({ length: p }, (_, k) => k);
  const find = (k: number): number => (root[k] === k ? k : (root[k] = find(root[k])));
  for (const [a, b] of tie) {
    const ka = indexOf(a, labels.tie);
    const kb = indexOf(b, labels.tie);
    if (ka === kb) throw new UsageError(`${labels.tie} ${a}=${b}: a parameter is tied to itself`);
    if (!Number.isNaN(fixedTheta[ka]) || !Number.isNaN(fixedTheta[kb]))
      throw new UsageError(
        `${labels.tie} ${a}=${b}: ${!Number.isNaN(fixedTheta[ka]) ? a : b} is also fixed; fix both instead`,
      );
    if (thetaOf(ka, 2) !== thetaOf(kb, 2) || thetaOf(ka, 3) !== thetaOf(kb, 3))
      throw new UsageError(
        `${labels.tie} ${a}=${b}: ${a} and ${b} are not on the same scale (a coefficient and an exponent cannot be equal)`,
      );
    const [ra, rb] = [find(ka), find(kb)];
    root[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  // full θ_k = reduced[slot[k]], or the fixed value when slot[k] = −1.
  const slot = new Int32Array(p).fill(-1);
  const free: number[] = [];
  for (let k = 0; k < p; k++) {
    if (!Number.isNaN(fixedTheta[k])) continue;
    if (find(k) === k) {
      slot[k] = free.length;
      free.push(k);
    }
  }
  for (let k = 0; k < p; k++) if (Number.isNaN(fixedTheta[k]) && find(k) !== k) slot[k] = slot[find(k)];
  const q = free.length;
  if (q === 0)
    throw new UsageError(`${labels.fix}: every parameter of the ${base.name} law is fixed; leave at least one free`);
  const thetaNames = free.map((k) => names.filter((_, j) => slot[j] === slot[k]).join('='));

  const expand = (reduced: ArrayLike<number>, full = new Float64Array(p)): Float64Array => {
    for (let k = 0; k < p; k++) full[k] = slot[k] < 0 ? fixedTheta[k] : reduced[slot[k]];
    return full;
  };
  const reduce = (full: ArrayLike<number>): Float64Array =>
    Float64Array.from(free, (k) => {
      // A start for a tied group: the mean of its members' start values.
      let sum = 0;
      let count = 0;
      for (let j = 0; j < p; j++)
        if (slot[j] === slot[k]) {
          sum += full[j];
          count++;
        }
      return sum / count;
    });
  const distinct = (starts: Float64Array[]): Float64Array[] => {
    const seen = new Set<string>();
    return starts.map(reduce).filter((s) => {
      const key = Array.from(s).join(',');
      return !seen.has(key) && (seen.add(key), true);
    });
  };
  const fullTheta = new Float64Array(p);
  let fullJac = new Float64Array(0);
  const fullGradient = new Float64Array(p);
  const spec: LawSpec = {
    name: base.name,
    ...(Object.keys(fix).length ? { fix: { ...fix } } : {}),
    ...(tie.length ? { tie: tie.map(([a, b]) => [a, b] as [string, string]) } : {}),
  };
  const fused = base.fusedObjective;
  return {
    ...base,
    spec,
    thetaNames,
    fixed: { ...fix },
    logPredict(theta, data, out, jac) {
      expand(theta, fullTheta);
      if (!jac) return base.logPredict(fullTheta, data, out);
      if (fullJac.length < data.n * p) fullJac = new Float64Array(data.n * p);
      base.logPredict(fullTheta, data, out, fullJac);
      jac.fill(0, 0, data.n * q);
      for (let i = 0; i < data.n; i++)
        for (let k = 0; k < p; k++) if (slot[k] >= 0) jac[i * q + slot[k]] += fullJac[i * p + k];
    },
    fusedObjective: fused
      ? (theta, data, delta, gradient) => {
          expand(theta, fullTheta);
          const value = fused.call(base, fullTheta, data, delta, gradient ? fullGradient : undefined);
          if (gradient) {
            gradient.fill(0);
            for (let k = 0; k < p; k++) if (slot[k] >= 0) gradient[slot[k]] += fullGradient[k];
          }
          return value;
        }
      : undefined,
    // The base law's fused Gauss–Newton pass is for its full θ: the generic pass chains the Jacobian instead.
    linearise: undefined,
    toParams: (theta) => base.toParams(expand(theta)),
    fromParams: (params) => reduce(base.fromParams({ ...params, ...fix })),
    starts: (data) => distinct(base.starts(data)),
    quickStarts: base.quickStarts ? (data) => distinct(base.quickStarts!(data)) : undefined,
    atBound: base.atBound
      ? (theta, data) => base.atBound!(expand(theta), data).filter((name) => !(name in fix))
      : undefined,
  };
}
