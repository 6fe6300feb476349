# The scipy oracle of SerialCorrelationTests.relativeFitIsTheExactLikelihoodMatchingScipy: GLS with
# relative continuous-time AR(1) errors fitted by the exact likelihood (dense matrices, no recursion).
import numpy as np
from scipy.stats import multivariate_normal
from scipy.optimize import minimize
def prof(theta, f, t, y, phi):
    fv = f(theta, t)
    if np.any(fv <= 0): return 1e10
    e = y/fv - 1
    R = phi**np.abs(t[:,None]-t[None,:]) if phi>0 else np.eye(len(t))
    s2 = e @ np.linalg.solve(R, e) / len(t)
    D = np.diag(fv)
    return -multivariate_normal(fv, s2*D@R@D).logpdf(y)
def fit(f, t, y, phi, x0):
    best=None
    for k in range(3):
        r = minimize(prof, x0 if best is None else best.x, args=(f,t,y,phi), method='Nelder-Mead', options=dict(xatol=1e-12, fatol=1e-14, maxiter=200000, maxfev=200000))
        best = r
    r = minimize(prof, best.x, args=(f,t,y,phi), method='BFGS', options=dict(gtol=1e-10))
    if r.fun < best.fun: best = r
    return best
# 1: linear, relative, φ 0.6
t = np.array([0, 1, 2, 3, 5, 6, 8, 9, 10, 12, 13, 15.])
y = np.array([10.2, 10.9, 12.1, 12.8, 14.9, 16.3, 18.1, 18.8, 20.4, 22.6, 23.1, 25.9])
lin = lambda th, t: th[0] + th[1]*t
r = fit(lin, t, y, 0.6, [10,1]); print("linear phi0.6", repr(r.x.tolist()), -r.fun)
# least squares on whitened relative residuals only (the old objective)
def ls(theta, f, t, y, phi):
    fv=f(theta,t); e=y/fv-1; R=phi**np.abs(t[:,None]-t[None,:]); return e@np.linalg.solve(R,e)
r2 = minimize(ls, [10,1], args=(lin,t,y,0.6), method='Nelder-Mead', options=dict(xatol=1e-12, fatol=1e-16, maxiter=100000)); print("old objective", r2.x.tolist())
# 2: national-like: Dec active (millions) 2015-2022, months index, linear in time, φ 0.997
m = np.array([0,3,18,20,32,36,48,60,63,66,68,72,84.])
yy = np.array([19.0,19.0,22.8,23.8,28.6,30.46,34.17,29.98,27.79,28.7,29.2,30.66,35.86])
r = fit(lin, m, yy, 0.997, [19, 0.2]); print("national linear phi0.997", repr(r.x.tolist()), -r.fun)
r2 = minimize(ls, [19,0.2], args=(lin,m,yy,0.997), method='Nelder-Mead', options=dict(xatol=1e-12, fatol=1e-18, maxiter=100000)); print("old objective", r2.x.tolist(), r2.fun)
