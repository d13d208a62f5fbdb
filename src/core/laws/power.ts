/** E = β·C^α, linear in log space: θ = (ln β, α). */
import { defineLaw, formatExponent, formatNumber, type LawData } from './law';

const PARAM_NAMES = ['beta', 'alpha'] as const;
/** The Jacobian's row length. */
const P = PARAM_NAMES.length;

export const powerLaw = defineLaw({
  name: 'power',
  spec: { name: 'power' },
  paramNames: PARAM_NAMES,
  thetaNames: PARAM_NAMES,
  inputs: 'compute',
  symbol: 'E',
  logPredict(theta, data, out, jac) {
    for (let i = 0; i < data.n; i++) {
      out[i] = theta[0] + theta[1] * data.logC[i];
      if (jac) {
        jac[P * i] = 1;
        jac[P * i + 1] = data.logC[i];
      }
    }
  },
  toParams: (theta) => ({ beta: Math.exp(theta[0]), alpha: theta[1] }),
  fromParams: (p) => Float64Array.of(Math.log(p.beta), p.alpha),
  starts: (data) => [ordinaryLeastSquares(data)],
  rightHandSide: (p, digits) => `${formatNumber(p.beta, digits)}·C^${formatExponent(p.alpha, digits)}`,
});

/**
 * Closed-form least squares of ln E on ln C (weighted by the points' multiplicities when given): the paper's fit
 * (numpy.linalg.lstsq on log10 values gives the same line).
 */
export function ordinaryLeastSquares(data: LawData): Float64Array {
  const weight = data.weight;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < data.n; i++) {
    const w = weight ? weight[i] : 1;
    sw += w;
    sx += w * data.logC[i];
    sy += w * data.logE[i];
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < data.n; i++) {
    const w = weight ? weight[i] : 1;
    const dx = data.logC[i] - mx;
    sxx += w * dx * dx;
    sxy += w * dx * (data.logE[i] - my);
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return Float64Array.of(my - slope * mx, slope);
}
