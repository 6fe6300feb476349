#!/usr/bin/env python3
"""Oracle for CurveFallbackTests (Tests/Fixtures/gls-fallback): a Bass curve whose GLS fit failed, kept
at its least-squares parameters (as calibration.csv prints them), with φ and s from its relative
residuals and the GLS covariance at that φ. numpy/scipy only, independent of rkat's code:

- φ̂: the exact AR(1) likelihood of the residuals maximised by scipy's minimize_scalar, then the bias
  correction (φ̂ + p/n)/(1 − (p + 2)/n);
- s: √(Σz²/(n − p)) of the Prais–Winsten residuals at that φ;
- the covariance: σ̂²·(JᵀJ)⁻¹ of the exact likelihood's residuals g·z (g the curve's geometric mean),
  J by central differences, σ̂² = Σ(g·z)²/(n − p); the standard errors printed.

Usage: scripts/oracle_gls_fallback.py [history.csv]"""
import csv, math, sys
import numpy as np
from scipy.optimize import minimize_scalar

path = sys.argv[1] if len(sys.argv) > 1 else "Tests/Fixtures/gls-fallback/history.csv"
rows = list(csv.DictReader(open(path)))
t = np.array([int(r["date"][:4]) + int(r["date"][5:7]) / 12 for r in rows])
y = np.array([float(r["value"]) for r in rows]) / (6_900_000 * 0.4)
theta = np.array([0.5724400051, 0.001671243525, 0.5070218422, 2005.121725])  # m, p, q, t0
n, k = len(y), len(theta)


def bass(th):
    m, p, q, t0 = th
    x = np.exp(-(p + q) * (t - t0))
    return m * (1 - x) / (1 + (q / p) * x)


e = y / bass(theta) - 1
ml = minimize_scalar(lambda f: n / 2 * math.log((e[0] ** 2 + (((e[1:] - f * e[:-1]) ** 2) / (1 - f * f)).sum()) / n)
                     + 0.5 * (n - 1) * math.log(1 - f * f), bounds=(0, 0.999), method="bounded", options={"xatol": 1e-10}).x
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
cov = (z0 @ z0) / (n - k) * np.linalg.inv(J.T @ J)
g = math.exp(np.log(np.abs(bass(theta))).mean())
print(f"ML φ {ml:.10f}, corrected {phi:.10f}, s {math.sqrt((z0 @ z0) / (n - k)) / g:.10f}")
print("GLS standard errors at φ:", ", ".join(f"{name} {math.sqrt(cov[j, j]):.6g}" for j, name in enumerate(["m", "p", "q", "t0"])))
