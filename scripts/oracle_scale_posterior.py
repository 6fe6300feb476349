#!/usr/bin/env python3
"""Oracle for ScalePosterior (issue 31, item 4): the posterior of a short history's deviation SD s
given its residual SD ŝ with ν dof (ν·ŝ²/s² ~ χ²_ν) and the prior log s ~ N(log m0, τ²), by scipy's
adaptive quadrature on log s (not the grid rkat uses). Prints the 0.1, 0.5 and 0.9 quantiles of s.
Usage: oracle_scale_posterior.py M0 TAU [SHAT NU]"""
import math
import sys

from scipy import integrate, optimize

m0, tau = float(sys.argv[1]), float(sys.argv[2])
shat, nu = (float(sys.argv[3]), float(sys.argv[4])) if len(sys.argv) > 4 else (0.0, 0.0)
mu = math.log(m0)


def log_density(x):
    prior = -0.5 * ((x - mu) / tau) ** 2
    return prior - nu * x - nu * shat * shat / (2 * math.exp(2 * x)) if nu > 0 else prior


# Centre the exponent at its maximum so the integrand stays in range.
peak = -optimize.minimize_scalar(lambda x: -log_density(x), bounds=(-12, 3), method="bounded").fun
f = lambda x: math.exp(log_density(x) - peak)
total = integrate.quad(f, -12, 3, limit=200, points=[mu, math.log(shat) if shat > 0 else mu])[0]
cdf = lambda x: integrate.quad(f, -12, x, limit=200)[0] / total
for p in (0.1, 0.5, 0.9):
    x = optimize.brentq(lambda x: cdf(x) - p, -12, 3, xtol=1e-12)
    print(f"{p}: {math.exp(x):.10g}")
