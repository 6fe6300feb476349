#!/usr/bin/env python3
"""Oracle for `ReportingNoise` and `NoisyReading` (ReportingNoiseTests, NoisyReadingTests): an AR(1)
state (φ 0.95, SD 3%) plus 1% white noise, 60 months, seed 31, rounded to 6 decimals (written to
Tests/Fixtures/reporting-noise/ar1-noise-60.txt with --write), fitted by statsmodels' SARIMAX with
measurement error and, on the same Kalman likelihood, by scipy; the AR(1) alone by scipy's bounded
search on its exact likelihood; one point's likelihood by scipy's multivariate normal.
Needs numpy, scipy, statsmodels."""
import sys
import warnings

import numpy as np
from scipy.optimize import minimize, minimize_scalar
from scipy.stats import multivariate_normal

warnings.filterwarnings("ignore")
import statsmodels.api as sm  # noqa: E402

rng = np.random.default_rng(31)
n = 60
x = np.zeros(n)
x[0] = rng.normal(0, 0.03)
for i in range(1, n):
    x[i] = 0.95 * x[i - 1] + 0.03 * np.sqrt(1 - 0.95**2) * rng.normal()
e = np.round(x + rng.normal(0, 0.01, n), 6)
if "--write" in sys.argv:
    with open("Tests/Fixtures/reporting-noise/ar1-noise-60.txt", "w") as f:
        f.write("\n".join(f"{v:.6f}" for v in e) + "\n")

m = sm.tsa.SARIMAX(e, order=(1, 0, 0), measurement_error=True, trend="n")
r = m.fit(disp=False, method="lbfgs", maxiter=2000)
r = m.fit(start_params=r.params, disp=False, method="nm", maxiter=20000)
r = m.fit(start_params=r.params, disp=False, method="bfgs", maxiter=2000)
phi, noise, innovation = r.params
print(f"statsmodels: φ {phi:.9f}, measurement variance {noise:.8e}, innovation variance {innovation:.8e}, llf {r.llf:.9f}")
print(f"  state SD {np.sqrt(innovation / (1 - phi**2)):.10f}, noise SD {np.sqrt(noise):.11f}")


def kalman(e, phi, q):
    """The concentrated exact likelihood (σ² out) of state + noise at (φ, q), and σ̂²."""
    mean, p, s, logs = 0.0, 1 - q, 0.0, 0.0
    for i, v in enumerate(e):
        if i > 0:
            mean *= phi
            p = phi * phi * p + (1 - q) * (1 - phi * phi)
        f = p + q
        d = v - mean
        s += d * d / f
        logs += np.log(f)
        k = p / f
        mean += k * d
        p *= q / f
    var = s / len(e)
    return -len(e) / 2 * (np.log(2 * np.pi * var) + 1) - logs / 2, var


res = minimize(lambda z: -kalman(e, z[0], z[1])[0], [0.95, 0.05], bounds=[(0, 0.995), (0, 0.95)],
               method="L-BFGS-B", options={"ftol": 1e-14, "gtol": 1e-10})
print(f"scipy: φ {res.x[0]:.8f}, q {res.x[1]:.8f}, ℓ {-res.fun:.9f}, σ̂² {kalman(e, *res.x)[1]:.12f}")
ar = minimize_scalar(lambda ph: -kalman(e, ph, 0)[0], bounds=(0, 0.999), method="bounded", options={"xatol": 1e-10})
print(f"AR(1): φ {ar.x:.9f}, ℓ {-ar.fun:.9f}")
state = 2e-4 / (1 - 0.81)
idx = np.arange(n)
cov = state * 0.9 ** np.abs(idx[:, None] - idx[None, :]) + 1e-4 * np.eye(n)
print(f"at φ 0.9, noise 1e-4, innovation 2e-4: ℓ {multivariate_normal(np.zeros(n), cov).logpdf(e):.9f}")
