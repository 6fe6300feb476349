#!/usr/bin/env python3
"""Oracle for `VarianceShift` (VarianceShiftTests): 96 monthly values of an AR(1) (φ 0.6) whose
innovation SD rises from 1% to 1.5% at the 61st month, seed 31, rounded to 6 decimals (written to
Tests/Fixtures/variance-shift/rise-96.txt with --write). Computed here independently with numpy: the
AR(1)'s standardised innovations at φ 0.6, without their two largest |u|, the one-sided sup-LR (each side's variance about its own mean) over the
months with 24 figures before and 12 from on, where it is reached (as an index of the whole series),
the later SD's ratio to the pooled (each side about its own mean), and the p-value by 200,000 series of independent normals through the
same trimming and search (the statistic's null distribution depends on n alone). scipy's F distribution reads the one month's ratio: with the means out, the later
variance over the earlier is F(n − τ − 1, τ − 1) under the null at a fixed month; the statistic is
LR(τ) = m·log((τ + (m − τ)F')/m) − (m − τ)·log F' in the maximum-likelihood ratio F'.
Needs numpy, scipy."""
import sys

import numpy as np
from scipy.stats import f as fdist

rng = np.random.default_rng(31)
n, phi = 96, 0.6
sd = np.where(np.arange(n) < 60, 0.01, 0.015)
e = np.zeros(n)
e[0] = rng.normal(0, 0.01)
for i in range(1, n):
    e[i] = phi * e[i - 1] + sd[i] * np.sqrt(1 - phi * phi) * rng.normal()
e = np.round(e, 6)
if "--write" in sys.argv:
    with open("Tests/Fixtures/variance-shift/rise-96.txt", "w") as fh:
        fh.write("\n".join(f"{v:.6f}" for v in e) + "\n")

u_all = np.concatenate([[e[0]], (e[1:] - phi * e[:-1]) / np.sqrt(1 - phi * phi)])
kept = np.sort(np.argsort(-np.abs(u_all), kind="stable")[2:])
u = u_all[kept]
m = n - 2
taus = np.arange(24, m - 12 + 1)


def trim(z):
    """Each row without its two largest |z|, in order."""
    k = np.sort(np.argsort(-np.abs(z), axis=1, kind="stable")[:, 2:], axis=1)
    return np.take_along_axis(z, k, axis=1)


def sup_lr(z):
    """The statistic for each series (rows of z) and where it is reached: each side's variance about its
    own mean (a step moves the innovations' mean, not their spread)."""
    z = np.atleast_2d(z)
    c1, c2 = np.cumsum(z, axis=1), np.cumsum(z * z, axis=1)
    sum_a, sq_a = c1[:, taus - 1], c2[:, taus - 1]
    sum_b, sq_b = c1[:, -1:] - sum_a, c2[:, -1:] - sq_a
    s1 = sq_a - sum_a ** 2 / taus
    s2 = sq_b - sum_b ** 2 / (m - taus)
    v1, v2 = s1 / taus, s2 / (m - taus)
    lr = m * np.log((s1 + s2) / m) - taus * np.log(v1) - (m - taus) * np.log(v2)
    lr = np.where(v2 > v1, lr, 0.0)
    k = lr.argmax(axis=1)
    return lr.max(axis=1), taus[k]


stat, tau = sup_lr(u)
stat, tau = float(stat[0]), int(tau[0])
a, b = u[:tau] - u[:tau].mean(), u[tau:] - u[tau:].mean()
ratio = np.sqrt((b @ b / (m - tau)) / ((a @ a + b @ b) / m))
print(f"left out: indices {sorted(set(range(n)) - set(kept.tolist()))}")
print(f"sup-LR {stat:.10f} at trimmed index {tau}: index {kept[tau]} of the series, {n - kept[tau]} figures from it on, SD ratio {ratio:.10f}")
# With the means out, a month's later-over-earlier variance ratio (on n − τ − 1 and τ − 1 dof) is F; the
# statistic in its terms (maximum-likelihood divisors): LR = m·log((a + bF')/m) − b·log F', F' = v2/v1.
F = (b @ b / (m - tau - 1)) / (a @ a / (tau - 1))
Fml = (b @ b / (m - tau)) / (a @ a / tau)
print(f"at that month: F {F:.10f}, one-sided F({m - tau - 1}, {tau - 1}) p {fdist.sf(F, m - tau - 1, tau - 1):.6g}, "
      f"LR from the ratio {m * np.log((tau + (m - tau) * Fml) / m) - (m - tau) * np.log(Fml):.10f}")
null = np.random.default_rng(7)
count, reps = 0, 200_000
for _ in range(reps // 10_000):
    s, _ = sup_lr(trim(null.normal(size=(10_000, n))))
    count += int((s >= stat).sum())
p = count / reps
print(f"p-value by {reps} null series: {p:.5f} (SE {np.sqrt(p * (1 - p) / reps):.5f})")
s, _ = sup_lr(trim(null.normal(size=(100_000, n))))
print(f"null 95th percentile (the 5% critical value for n = {n}): {np.quantile(s, 0.95):.4f}")
