/** Small dense matrices for delta-method variances: JᵀJ of a law's Jacobian and its inverse (p ≤ 5). */

/** JᵀJ of a row-major n × p Jacobian. */
export function gram(jac: Float64Array, n: number, p: number): Float64Array {
  const out = new Float64Array(p * p);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < p; a++) {
      const ja = jac[i * p + a];
      for (let b = a; b < p; b++) out[a * p + b] += ja * jac[i * p + b];
    }
  }
  for (let a = 0; a < p; a++) for (let b = 0; b < a; b++) out[a * p + b] = out[b * p + a];
  return out;
}

/** Inverse of a p × p matrix by Gauss–Jordan with partial pivoting; null when it is singular. */
export function invert(matrix: Float64Array, p: number): Float64Array | null {
  const a = Float64Array.from(matrix);
  const inv = new Float64Array(p * p);
  for (let i = 0; i < p; i++) inv[i * p + i] = 1;
  let scale = 0;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  for (let col = 0; col < p; col++) {
    let pivot = col;
    for (let r = col + 1; r < p; r++) if (Math.abs(a[r * p + col]) > Math.abs(a[pivot * p + col])) pivot = r;
    if (!(Math.abs(a[pivot * p + col]) > 1e-13 * scale)) return null;
    if (pivot !== col) {
      for (let k = 0; k < p; k++) {
        [a[col * p + k], a[pivot * p + k]] = [a[pivot * p + k], a[col * p + k]];
        [inv[col * p + k], inv[pivot * p + k]] = [inv[pivot * p + k], inv[col * p + k]];
      }
    }
    const d = a[col * p + col];
    for (let k = 0; k < p; k++) {
      a[col * p + k] /= d;
      inv[col * p + k] /= d;
    }
    for (let r = 0; r < p; r++) {
      if (r === col) continue;
      const f = a[r * p + col];
      if (f === 0) continue;
      for (let k = 0; k < p; k++) {
        a[r * p + k] -= f * a[col * p + k];
        inv[r * p + k] -= f * inv[col * p + k];
      }
    }
  }
  return inv;
}

/** gᵀ·M·g for a p-vector g. */
export function quadraticForm(m: Float64Array, g: ArrayLike<number>, p: number): number {
  let sum = 0;
  for (let a = 0; a < p; a++) for (let b = 0; b < p; b++) sum += g[a] * m[a * p + b] * g[b];
  return sum;
}
