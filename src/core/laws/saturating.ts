/** E = E∞ + β·C^α. θ = (ln E∞, ln β, α); ln pred = logsumexp(ln E∞, ln β + α ln C) keeps E∞, β positive. */
import { ordinaryLeastSquares } from './power';
import { defineLaw, formatExponent, formatNumber, logSumExp2, NEGLIGIBLE_SHARE } from './law';
import { saturatingStarts } from './variableProjection';

const PARAM_NAMES = ['e_inf', 'beta', 'alpha'] as const;
/** The Jacobian's row length. */
const P = PARAM_NAMES.length;

export const saturatingLaw = defineLaw({
  name: 'saturating',
  spec: { name: 'saturating' },
  thetaNames: PARAM_NAMES,
  paramNames: PARAM_NAMES,
  inputs: 'compute',
  symbol: 'E',
  logPredict(theta, data, out, jac) {
    const logFloor = theta[0];
    for (let i = 0; i < data.n; i++) {
      // logsumexp(ln E∞, ln β + α ln C) and the floor's share, written out: this is the fits' hot loop.
      const u = theta[1] + theta[2] * data.logC[i];
      const m = logFloor > u ? logFloor : u;
      const a = Math.exp(logFloor - m);
      const b = Math.exp(u - m);
      out[i] = m + Math.log(a + b);
      const wInf = a / (a + b);
      if (jac) {
        jac[P * i] = wInf;
        jac[P * i + 1] = 1 - wInf;
        jac[P * i + 2] = (1 - wInf) * data.logC[i];
      }
    }
  },
  toParams: (theta) => ({ e_inf: Math.exp(theta[0]), beta: Math.exp(theta[1]), alpha: theta[2] }),
  fromParams: (p) => Float64Array.of(Math.log(p.e_inf), Math.log(p.beta), p.alpha),
  starts(data) {
    let minE = Infinity;
    let meanLogC = 0;
    for (let i = 0; i < data.n; i++) {
      minE = Math.min(minE, Math.exp(data.logE[i]));
      meanLogC += data.logC[i] / data.n;
    }
    const line = ordinaryLeastSquares(data);
    const starts: Float64Array[] = [];
    for (const fraction of [0.01, 0.2, 0.5, 0.8, 0.95]) {
      const eInf = minE * fraction;
      for (const alpha of [line[1] * 0.5, line[1], line[1] * 2, -0.05, -0.3, -1]) {
        if (!(alpha < 0)) continue;
        // Pass the reducible part through the centre of the data.
        const centreE = Math.exp(line[0] + line[1] * meanLogC);
        const reducible = Math.max(centreE - eInf, centreE * 0.05);
        starts.push(Float64Array.of(Math.log(eInf), Math.log(reducible) - alpha * meanLogC, alpha));
      }
    }
    return [...starts, ...saturatingStarts(data, 2)];
  },
  quickStarts: (data) => saturatingStarts(data, 2),
  atBound(theta, data) {
    // The floor (or the power term) is at its bound 0 when its share of the error is negligible at every point.
    let floorShare = 0;
    let powerShare = 0;
    for (let i = 0; i < data.n; i++) {
      const wInf = logSumExp2(theta[0], theta[1] + theta[2] * data.logC[i])[1];
      floorShare = Math.max(floorShare, wInf);
      powerShare = Math.max(powerShare, 1 - wInf);
    }
    return [...(floorShare < NEGLIGIBLE_SHARE ? ['e_inf'] : []), ...(powerShare < NEGLIGIBLE_SHARE ? ['beta'] : [])];
  },
  rightHandSide: (p, digits) =>
    `${formatNumber(p.e_inf, digits)} + ${formatNumber(p.beta, digits)}·C^${formatExponent(p.alpha, digits)}`,
});
