"""SciPy baseline for bench/joint.ts: the Chinchilla joint-law Huber fit (Hoffmann et al. 2022, approach 3).

L-BFGS-B with an analytic gradient from each start of the 4,500-point grid; then a bootstrap of that fit
(resample points, refit from the full-data optimum). Reads the same points as the TypeScript run; prints JSON.
Run with Debian's /usr/bin/python3 (python3-scipy, python3-numpy).
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import logsumexp


def objective_and_gradient(theta, log_n, log_d, log_l, delta):
    e, a, b, alpha, beta = theta
    terms = np.stack([np.full_like(log_n, e), a - alpha * log_n, b - beta * log_d])
    pred = logsumexp(terms, axis=0)
    weights = np.exp(terms - pred)
    r = log_l - pred
    absr = np.abs(r)
    quadratic = absr <= delta
    loss = np.where(quadratic, 0.5 * r * r, delta * (absr - 0.5 * delta)).sum()
    slope = np.where(quadratic, r, delta * np.sign(r))
    grad = -np.array([
        (slope * weights[0]).sum(),
        (slope * weights[1]).sum(),
        (slope * weights[2]).sum(),
        (slope * weights[1] * -log_n).sum(),
        (slope * weights[2] * -log_d).sum(),
    ])
    return loss, grad


def grid():
    for alpha in [0, 0.5, 1, 1.5, 2]:
        for beta in [0, 0.5, 1, 1.5, 2]:
            for e in [-1, -0.5, 0, 0.5, 1]:
                for a in [0, 5, 10, 15, 20, 25]:
                    for b in [0, 5, 10, 15, 20, 25]:
                        yield np.array([e, a, b, alpha, beta], dtype=float)


def fit(log_n, log_d, log_l, delta, starts):
    best = None
    for start in starts:
        result = minimize(objective_and_gradient, start, args=(log_n, log_d, log_l, delta), jac=True, method="L-BFGS-B")
        if np.isfinite(result.fun) and (best is None or result.fun < best.fun):
            best = result
    return best


def main():
    path, resamples, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    log_n, log_d, log_l = np.log(data[:, 0]), np.log(data[:, 1]), np.log(data[:, 2])
    delta = 1e-3
    t0 = time.perf_counter()
    best = fit(log_n, log_d, log_l, delta, grid())
    grid_seconds = time.perf_counter() - t0
    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    for _ in range(resamples):
        idx = rng.integers(0, len(log_n), len(log_n))
        fit(log_n[idx], log_d[idx], log_l[idx], delta, [best.x])
    bootstrap_seconds = time.perf_counter() - t0
    print(json.dumps({"grid_seconds": grid_seconds, "objective": float(best.fun), "theta": best.x.tolist(), "bootstrap_seconds": bootstrap_seconds, "resamples": resamples}))


if __name__ == "__main__":
    main()
