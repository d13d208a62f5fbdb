"""SciPy baseline for bench/joint.ts: the Chinchilla joint-law Huber fit (Hoffmann et al. 2022, approach 3).

(a) L-BFGS-B with an analytic gradient from each start of the 4,500-point grid (SciPy's default tolerances).
(b) A bootstrap of that fit done right: each resample (the same run indices as the TypeScript run, read from a
    file) refitted from the full-data optimum, the objective scaled to O(n) (Σ h_δ(r)/δ², so that L-BFGS-B's
    stopping rule (f_k − f_k+1)/max(|f_k|, |f_k+1|, 1) ≤ ftol is relative), ftol 1e-15, gtol 1e-12.
    Warm-started with the unscaled objective and default tolerances, the refits stop at once (the intervals
    collapse): the procedure Epoch AI's replication showed to be needed.
Reads the points the TypeScript run wrote; prints JSON (timings, optimum, 95 % percentile intervals).
Runs with Debian's /usr/bin/python3 (python3-scipy) or pyenv's python3; bench/joint.ts picks and names it.
"""
import json
import sys
import time

import numpy as np
import scipy
from scipy.optimize import minimize
from scipy.special import logsumexp

NAMES = ["E", "A", "B", "alpha", "beta"]


def objective_and_gradient(theta, log_n, log_d, log_l, delta, scale):
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
    return loss * scale, grad * scale


def grid():
    for alpha in [0, 0.5, 1, 1.5, 2]:
        for beta in [0, 0.5, 1, 1.5, 2]:
            for e in [-1, -0.5, 0, 0.5, 1]:
                for a in [0, 5, 10, 15, 20, 25]:
                    for b in [0, 5, 10, 15, 20, 25]:
                        yield np.array([e, a, b, alpha, beta], dtype=float)


def main():
    path, indices_path = sys.argv[1], sys.argv[2]
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    log_n, log_d, log_l = np.log(data[:, 0]), np.log(data[:, 1]), np.log(data[:, 2])
    delta = 1e-3

    t0 = time.perf_counter()
    c0 = time.process_time()
    best = None
    for start in grid():
        result = minimize(objective_and_gradient, start, args=(log_n, log_d, log_l, delta, 1.0), jac=True, method="L-BFGS-B")
        if np.isfinite(result.fun) and (best is None or result.fun < best.fun):
            best = result
    grid_seconds = time.perf_counter() - t0
    grid_cpu_seconds = time.process_time() - c0

    with open(indices_path) as f:
        resamples = json.load(f)
    scale = 1 / delta**2
    options = {"ftol": 1e-15, "gtol": 1e-12, "maxiter": 15000}
    t0 = time.perf_counter()
    c0 = time.process_time()
    thetas = []
    stopped_early = 0
    iterations = 0
    evaluations = 0
    for idx in resamples:
        idx = np.asarray(idx)
        result = minimize(objective_and_gradient, best.x, args=(log_n[idx], log_d[idx], log_l[idx], delta, scale), jac=True, method="L-BFGS-B", options=options)
        thetas.append(result.x)
        stopped_early += int(result.nit >= options["maxiter"])
        iterations += result.nit
        evaluations += result.nfev
    bootstrap_seconds = time.perf_counter() - t0
    bootstrap_cpu_seconds = time.process_time() - c0
    thetas = np.array(thetas)
    values = np.column_stack([np.exp(thetas[:, 0]), np.exp(thetas[:, 1]), np.exp(thetas[:, 2]), thetas[:, 3], thetas[:, 4]])
    intervals = {name: np.percentile(values[:, k], [2.5, 97.5]).tolist() for k, name in enumerate(NAMES)}
    print(json.dumps({
        "python": sys.version.split()[0],
        "scipy": scipy.__version__,
        "grid_seconds": grid_seconds,
        "grid_cpu_seconds": grid_cpu_seconds,
        "objective": float(best.fun),
        "theta": best.x.tolist(),
        "bootstrap_seconds": bootstrap_seconds,
        "bootstrap_cpu_seconds": bootstrap_cpu_seconds,
        "resamples": len(resamples),
        "iteration_limit_reached": stopped_early,
        "mean_iterations": iterations / len(resamples),
        "mean_evaluations": evaluations / len(resamples),
        "ci95": intervals,
    }))


if __name__ == "__main__":
    main()
