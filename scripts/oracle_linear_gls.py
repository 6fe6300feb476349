#!/usr/bin/env python3
"""Oracle for LinearGLS (issue 31, item 5): a linear regression with continuous-time AR(1) errors at a
given φ, by statsmodels' GLS with the explicit correlation matrix Σᵢⱼ = φ^|tᵢ − tⱼ| (not the
Prais–Winsten whitening rkat uses): coefficients, their standard errors (scale RSS/(n − p)), and the
restricted log-likelihood −½·log|Σ| − ½·log|XᵀΣ⁻¹X| − (n − p)/2·log RSS, from the matrices themselves.
Usage: oracle_linear_gls.py  (prints the fixed case quoted in Tests/FittingTests/LinearGLSTests.swift)"""
import numpy as np
import statsmodels.api as sm

# Irregular months (a gap of 2 and of 3), a constant, a centred time and one effect-coded column.
t = np.array([0, 1, 2, 3, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16], dtype=float)
y = np.array([4.10, 4.18, 4.05, 4.22, 4.30, 4.27, 4.41, 4.35, 4.38, 4.52, 4.47, 4.60, 4.55, 4.66])
x2 = np.array([1, -1, 0, 1, -1, 0, 1, -1, 0, 1, -1, 0, 1, -1], dtype=float)
X = np.column_stack([np.ones_like(t), t - t.mean(), x2])
for phi in (0.0, 0.6, 0.9):
    sigma = phi ** np.abs(t[:, None] - t[None, :])
    fit = sm.GLS(y, X, sigma=sigma).fit()
    si = np.linalg.inv(sigma)
    r = y - X @ fit.params
    rss = r @ si @ r
    n, p = X.shape
    restricted = -0.5 * np.linalg.slogdet(sigma)[1] - 0.5 * np.linalg.slogdet(X.T @ si @ X)[1] - (n - p) / 2 * np.log(rss)
    print(f"phi {phi}: beta {[f'{b:.12g}' for b in fit.params]} se {[f'{b:.12g}' for b in fit.bse]} rss {rss:.12g} restricted {restricted:.12g}")
