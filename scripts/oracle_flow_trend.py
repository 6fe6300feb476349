#!/usr/bin/env python3
"""Oracle for FlowTrend's posterior (issue 31, item 5): log monthly acquisitions on a constant, a centred
time and 11 effect-coded month-of-year columns, with AR(1) errors; φ's posterior on the grid 0, 0.02, …,
0.98 from the restricted likelihood evaluated with the explicit correlation matrix (numpy; rkat whitens),
and the posterior means of φ, of the slope and of the log level at the last figure (+ σ̂²/2, + the log
of the month-of-year factors' mean).
Prints the figures quoted in Tests/PlanningTests/FlowTrendTests.swift for its fixed 24-month series."""
import math

import numpy as np

n = 24
pattern = [-0.12, -0.08, 0, 0.03, 0.05, 0.06, 0.04, 0, -0.03, -0.02, 0.02, 0.05]
# Growing 10% a year from 60,000 in Jan 2018, a deterministic wobble for noise.
y = np.array([60000 * math.exp(math.log(1.1) / 12 * k) * (1 + pattern[k % 12] + 0.04 * math.sin(1.7 * k) + 0.02 * math.cos(0.37 * k * k)) for k in range(n)])
u = np.log(y)
t = np.arange(n, dtype=float)
tc = t - t.mean()
S = np.array([[1.0 if k % 12 == j else (-1.0 if k % 12 == 11 else 0.0) for j in range(11)] for k in range(n)])


def posterior(X, sloped):
    grid = np.arange(0, 0.981, 0.02)
    logl, level, slope, var = [], [], [], []
    p = X.shape[1]
    for phi in grid:
        sigma = phi ** np.abs(t[:, None] - t[None, :])
        si = np.linalg.inv(sigma)
        a = X.T @ si @ X
        beta = np.linalg.solve(a, X.T @ si @ u)
        r = u - X @ beta
        rss = r @ si @ r
        logl.append(-0.5 * np.linalg.slogdet(sigma)[1] - 0.5 * np.linalg.slogdet(a)[1] - (n - p) / 2 * math.log(rss))
        b = beta[1] if sloped else 0.0
        effects = np.append(beta[2 if sloped else 1:], -beta[2 if sloped else 1:].sum())
        level.append(beta[0] + b * tc[-1] + rss / (n - p) / 2 + math.log(np.exp(effects).mean()))
        slope.append(b)
    w = np.exp(np.array(logl) - max(logl))
    w /= w.sum()
    return w @ grid, w @ np.array(slope), w @ np.array(level)


for name, X, sloped in (("line", np.column_stack([np.ones(n), tc, S]), True), ("flat", np.column_stack([np.ones(n), S]), False)):
    phi, b, level = posterior(X, sloped)
    print(f"{name}: mean phi {phi:.10g}, mean slope {b:.10g}, mean log level {level:.10g}")
