#!/usr/bin/env python3
"""Oracle for CurveFallbackTests (Tests/Fixtures/gls-fallback): a Bass curve whose GLS fit failed, kept
at its least-squares parameters (as calibration.csv prints them), with φ and s from its relative
residuals and the GLS covariance at that φ. numpy/scipy only, independent of rkat's code:

- φ̂: the exact AR(1) likelihood of the residuals maximised by scipy's minimize_scalar, then the bias
  correction (φ̂ + p/n)/(1 − (p + 2)/n);
- s: √(Σz²/(n − p)) of the Prais–Winsten residuals at that φ;
- the covariance: σ̂²·(JᵀJ)⁻¹ of the exact likelihood's residuals g·z (g the curve's geometric mean),
  J by central differences, σ̂² = Σ(g·z)²/(n − p); the standard errors printed.

With --seasonal: the same figures times 1 + S(month of year) (CurveFallbackTests.pattern), each
rounded to a whole member, and the kept curve rkat's least-squares fit to them. The pattern is then
estimated as the month-of-year means of the relative residuals, centred, and tested by the F form of
the likelihood ratio of the concentrated AR(1) likelihoods at their own ML φ (11 and n − 13 dof);
φ, s (n − p − 11 dof) and the covariance are computed on the residuals less it and on the figures
divided by 1 + S.

Usage: scripts/oracle_gls_fallback.py [--seasonal] [history.csv]"""
import csv, math, sys
import numpy as np
from scipy.optimize import minimize_scalar
from scipy.stats import f as fisher

args = [a for a in sys.argv[1:] if a != "--seasonal"]
seasonal = "--seasonal" in sys.argv[1:]
path = args[0] if args else "Tests/Fixtures/gls-fallback/history.csv"
rows = list(csv.DictReader(open(path)))
t = np.array([int(r["date"][:4]) + int(r["date"][5:7]) / 12 for r in rows])
month = np.array([int(r["date"][5:7]) for r in rows])
y = np.array([float(r["value"]) for r in rows])
if seasonal:
    pattern = np.array([-0.03, -0.02, -0.01, 0, 0.01, 0.015, 0.02, 0.015, 0.01, 0, -0.01, 0])
    y = np.floor(y * (1 + pattern[month - 1]) + 0.5)
    theta = np.array([0.577165445652588, 0.0034981756944476084, 0.4980664480794867, 2006.4901604535742])
else:
    theta = np.array([0.5724400051, 0.001671243525, 0.5070218422, 2005.121725])  # m, p, q, t0
y = y / (6_900_000 * 0.4)
n, k = len(y), len(theta)


def bass(th):
    m, p, q, t0 = th
    x = np.exp(-(p + q) * (t - t0))
    return m * (1 - x) / (1 + (q / p) * x)


def ml_phi(r):
    """The exact AR(1) likelihood's φ (σ² concentrated out) and that concentrated log-likelihood."""
    nll = lambda f: len(r) / 2 * math.log((r[0] ** 2 + (((r[1:] - f * r[:-1]) ** 2) / (1 - f * f)).sum()) / len(r)) \
        + 0.5 * (len(r) - 1) * math.log(1 - f * f)
    f = minimize_scalar(nll, bounds=(0, 0.999), method="bounded", options={"xatol": 1e-10}).x
    return f, -nll(f)


e = y / bass(theta) - 1
dof = n - k
if seasonal:
    means = np.array([e[month == m].mean() for m in range(1, 13)])
    effects = means - means.mean()
    s_of = effects[month - 1]
    (_, l0), (_, l1) = ml_phi(e), ml_phi(e - s_of)
    F = (math.exp(2 * max(l1 - l0, 0) / n) - 1) * (n - 13) / 11
    print(f"effects (%): {', '.join(f'{100 * x:.4f}' for x in effects)}; F {F:.4f} on 11 and {n - 13} dof, p {fisher.sf(F, 11, n - 13):.3g}")
    e = e - s_of
    y = y / (1 + s_of)
    dof = n - k - 11
ml, _ = ml_phi(e)
phi = min((ml + k / n) / (1 - (k + 2) / n), 0.99)


def gz(th):
    f = bass(th)
    r = y / f - 1
    z = np.concatenate([[r[0]], (r[1:] - phi * r[:-1]) / math.sqrt(1 - phi * phi)])
    return z * math.exp(np.log(np.abs(f)).mean())


z0 = gz(theta)
J = np.zeros((n, k))
for j in range(k):
    h = 1e-6 * max(abs(theta[j]), 1e-3)
    up, down = theta.copy(), theta.copy()
    up[j] += h
    down[j] -= h
    J[:, j] = (gz(up) - gz(down)) / (2 * h)
cov = (z0 @ z0) / dof * np.linalg.inv(J.T @ J)
g = math.exp(np.log(np.abs(bass(theta))).mean())
# s: the Prais–Winsten residuals of e (net of S) at φ.
pw = np.concatenate([[e[0]], (e[1:] - phi * e[:-1]) / math.sqrt(1 - phi * phi)])
print(f"ML φ {ml:.10f}, corrected {phi:.10f}, s {math.sqrt((pw @ pw) / dof):.10f} ({dof} dof)")
print("GLS standard errors at φ:", ", ".join(f"{name} {math.sqrt(cov[j, j]):.6g}" for j, name in enumerate(["m", "p", "q", "t0"])))
print(f"jump-off deviation (the last figure's, net of its month) {e[-1]:.10f}")
