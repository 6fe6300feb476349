#!/usr/bin/env python3
"""Off-model check (issue 31): truth-known histories of kinds rkat's model does not assume, each
replicate run through `rkat run` and through a damped-trend ETS (statsmodels) on the same figures, both
scored on the realised figure 12 and 24 months after the cut: P10–P90 coverage, the share of P50s above
the truth, and pinball skill = 1 − rkat's mean pinball loss / ETS's (levels 0.1, 0.5, 0.9).

Usage: offmodel_check.py RKAT_BINARY [--replicates N] [--only NAME[,NAME…]] [--keep DIR] [--rescaling]
The generators after `flows_growing` are variants of the same kinds (docs/uncertainty.md, "Variants"):
an independent check draws its own, so ours should not be the only ones passed.
Prints one line per generator, and a 95% interval for each figure (binomial for shares, bootstrap of
replicates for skill). Needs numpy, scipy, statsmodels. Deterministic for a given N (seeded by name).
"""
import argparse
import csv
import math
import os
import shutil
import subprocess
import sys
import tempfile
import warnings
import zlib

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore")
from statsmodels.tsa.exponential_smoothing.ets import ETSModel  # noqa: E402

CUT = (2019, 12)
POTENTIAL = 2_760_000.0  # 6.9 M × 0.4


def months(first, last):
    y, m = first
    out = []
    while (y, m) <= last:
        out.append((y, m))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def dec_year(ym):
    return ym[0] + (ym[1] - 0.5) / 12


def logistic(t, r=0.5, t0=2016.5, kappa=0.6):
    return POTENTIAL * kappa / (1 + math.exp(-r * (t - t0)))


def ar1(rng, n, phi, sd):
    d = np.zeros(n)
    d[0] = rng.normal(0, sd)
    for k in range(1, n):
        d[k] = phi * d[k - 1] + sd * math.sqrt(1 - phi * phi) * rng.normal()
    return d


# ---- generators: each returns (kind, observed [(ym, value)], truth {ym: value}) ----
ALL = months((2012, 1), (2021, 12))
IDX = {m: k for k, m in enumerate(ALL)}


def gen_dip(rng, first=(2017, 7)):
    """Logistic, 96 monthly, AR(1) φ 0.8 s 2%, a 12-month dip of −8% (in, flat, out) from `first` (by default
    ending 18 months before the cut)."""
    d = ar1(rng, len(ALL), 0.8, 0.02)
    start = IDX[first]
    dip = np.zeros(len(ALL))
    for k in range(12):
        dip[start + k] = -0.08 * min(1, (k + 1) / 3, (12 - k) / 3)
    v = {m: logistic(dec_year(m)) * (1 + d[IDX[m]] + dip[IDX[m]]) for m in ALL}
    return "stock", [(m, v[m]) for m in months((2012, 1), CUT)], v


def gen_level_shift(rng):
    """Logistic, 96 monthly, φ 0.8 s 2%: a permanent −6% level shift (over 3 months) from 2017-07 on."""
    d = ar1(rng, len(ALL), 0.8, 0.02)
    start = IDX[(2017, 7)]
    shift = np.array([-0.06 * min(1, max(0, (k - start + 1) / 3)) for k in range(len(ALL))])
    v = {m: logistic(dec_year(m)) * (1 + d[IDX[m]] + shift[IDX[m]]) for m in ALL}
    return "stock", [(m, v[m]) for m in months((2012, 1), CUT)], v


def gen_short_monthly(rng, first=(2018, 1), t0=2016.5):
    """24 monthly stocks 2018–2019 on the script's logistic, AR(1) φ 0.8 s 2% (from `first`, midpoint `t0`)."""
    d = ar1(rng, len(ALL), 0.8, 0.02)
    v = {m: logistic(dec_year(m), t0=t0) * (1 + d[IDX[m]]) for m in ALL}
    return "stock", [(m, v[m]) for m in months(first, CUT)], v


def gen_regime(rng, factor=1.2):
    """Logistic, 96 monthly, φ 0.8 s 2%: monthly growth ×`factor` from 24 months before the cut on, and after."""
    d = ar1(rng, len(ALL), 0.8, 0.02)
    level = logistic(dec_year(ALL[0]))
    base = {}
    step_from = IDX[(2018, 1)]
    for k, m in enumerate(ALL):
        if k > 0:
            inc = logistic(dec_year(m)) - logistic(dec_year(ALL[k - 1]))
            level += inc * (factor if k >= step_from else 1.0)
        base[m] = level
    v = {m: base[m] * (1 + d[IDX[m]]) for m in ALL}
    return "stock", [(m, v[m]) for m in months((2012, 1), CUT)], v


def gen_short(rng, noise=0.02):
    """Five December stocks 2015–2019 on a logistic (κ 1, r 0.35, t₀ 2019), independent 2% noise (`noise`)."""
    f = lambda m: logistic(dec_year(m), r=0.35, t0=2019.0, kappa=1.0)
    v = {m: f(m) * (1 + rng.normal(0, noise)) for m in ALL}
    return "stock", [((y, 12), v[(y, 12)]) for y in range(2015, 2020)], v


def gen_diffusion(rng):
    """Stochastic diffusion: the logistic's growth rate is itself random, r(t) = 0.5·exp(u(t)) with u a
    monthly AR(1) (φ 0.95, SD 0.3), so the stock wanders off any one curve for good (no pull back), plus
    1% independent reporting noise; 96 monthly figures."""
    u = ar1(rng, len(ALL), 0.95, 0.3)
    kappa = 0.6 * POTENTIAL
    a = logistic(dec_year(ALL[0]))
    base = {}
    for k, m in enumerate(ALL):
        if k > 0:
            r = 0.5 * math.exp(u[k]) / 12
            a += r * a * (1 - a / kappa)
        base[m] = a
    v = {m: base[m] * (1 + rng.normal(0, 0.01)) for m in ALL}
    return "stock", [(m, v[m]) for m in months((2012, 1), CUT)], v


def gen_noise_growth(rng):
    """Logistic, 96 monthly, AR(1) φ 0.8 whose s grows from 1% to 4% over the last three years (2017 on,
    and after): a whole-history s is too small for the future (issue 31, item 3's case)."""
    step = IDX[(2017, 1)]
    d = np.zeros(len(ALL))
    for k in range(len(ALL)):
        sd = 0.01 if k < step else 0.04
        d[k] = (0.8 * d[k - 1] if k > 0 else 0.0) + sd * math.sqrt(1 - 0.64) * rng.normal()
    v = {m: logistic(dec_year(m)) * (1 + d[IDX[m]]) for m in ALL}
    return "stock", [(m, v[m]) for m in months((2012, 1), CUT)], v


def flows(rng, growth):
    seasonal = [-0.12, -0.08, 0, 0.03, 0.05, 0.06, 0.04, 0, -0.03, -0.02, 0.02, 0.05]
    g = rng.uniform(*growth) if growth else 0.0
    d = ar1(rng, len(ALL), 0.6, 0.06)
    v = {m: 60_000 * math.exp(g * (dec_year(m) - 2019.5)) * (1 + seasonal[m[1] - 1] + d[IDX[m]]) for m in ALL}
    return "flow", [(m, v[m]) for m in months((2018, 1), CUT)], v


GENERATORS = {
    "dip": gen_dip,
    "regime": gen_regime,
    "short": gen_short,
    "diffusion": gen_diffusion,
    "noise_growth": gen_noise_growth,
    "flows_flat": lambda rng: flows(rng, None),
    "flows_growing": lambda rng: flows(rng, (0.05, 0.15)),
    # variants of the same kinds (a later check's: other breaks, a slowdown, noisier and monthly short histories)
    "dip_late": lambda rng: gen_dip(rng, first=(2018, 7)),  # ending 6 months before the cut
    "level_shift": gen_level_shift,
    "slowdown": lambda rng: gen_regime(rng, factor=0.8),
    "short_noisy": lambda rng: gen_short(rng, noise=0.06),
    "short_monthly": gen_short_monthly,
    "short_monthly_36": lambda rng: gen_short_monthly(rng, first=(2017, 1)),  # 36 monthly stocks 2017–2019
    "short_monthly_early": lambda rng: gen_short_monthly(rng, t0=2022.0),  # 24 monthly, well before the midpoint
    "flows_declining": lambda rng: flows(rng, (-0.15, -0.05)),
}

SCORED = [(2020, 12), (2021, 12)]
LEVELS = [0.1, 0.5, 0.9]
Z90 = 1.2815515655446004


def rkat_quantiles(binary, kind, observed, workdir, rescaling=False, sets=()):
    seg = "PU"
    metric = "active" if kind == "stock" else "acquisitions"
    with open(os.path.join(workdir, "history.csv"), "w") as f:
        f.write("date,region,segment,metric,value\n")
        for (y, m), x in observed:
            f.write(f"{y:04d}-{m:02d},R,{seg},{metric},{int(round(x))}\n")
    segment = "    model: auto\n    lapse_rate_per_year: 0.2\n" if kind == "stock" else "    flow_only: true\n"
    with open(os.path.join(workdir, "scenario.yaml"), "w") as f:
        f.write(
            "name: check\nregion: R\nactuals_until: 2019-12\nhorizon: 2021-12\nhistory: history.csv\n"
            "potential:\n  total: 6900000\n  shares: {PU: 0.4}\n  basis: test\n  as_of: 2018-01\n  growth_per_year: 0\n"
            f"segments:\n  PU:\n{segment}uncertainty:\n  draws: 200\n  seed: 1\n{'  rescaling: true' + chr(10) if rescaling else ''}"
            "targets:\n  plan_year: 2020\n")
    out = os.path.join(workdir, "out")
    shutil.rmtree(out, ignore_errors=True)
    extra = [a for s in sets for a in ("--set", s)]
    r = subprocess.run([binary, "run", os.path.join(workdir, "scenario.yaml"), "--out", out, "--threads", "1", "--lang", "en"] + extra,
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None
    q = {}
    with open(os.path.join(out, "uncertainty.csv")) as f:
        for row in csv.DictReader(f):
            if row["segment"] == seg and row["metric"] == metric:
                y, m = map(int, row["month"].split("-"))
                q[(y, m)] = [float(row["p10"]), float(row["p50"]), float(row["p90"])]
    return [q.get(m) for m in SCORED]


def ets_quantiles(kind, observed):
    """Damped additive-trend ETS on log values (additive seasonal for monthly flows), 80% prediction
    interval from statsmodels' simulation-free formulae; annual points forecast 1 and 2 steps."""
    y = pd.Series(np.log(np.array([x for _, x in observed])))
    annual = len(observed) < 12 or observed[1][0][1] == observed[0][0][1]
    try:
        if annual:
            model = ETSModel(y, error="add", trend="add", damped_trend=True)
            steps = [1, 2]
        elif kind == "flow":
            model = ETSModel(y, error="add", trend="add", damped_trend=True, seasonal="add", seasonal_periods=12)
            steps = [12, 24]
        else:
            model = ETSModel(y, error="add", trend="add", damped_trend=True)
            steps = [12, 24]
        fit = model.fit(disp=False, maxiter=2000)
        pred = fit.get_prediction(start=len(y), end=len(y) + max(steps) - 1).summary_frame(alpha=0.2)
        out = []
        for h in steps:
            row = pred.iloc[h - 1]
            out.append([math.exp(row["pi_lower"]), math.exp(row["mean"]), math.exp(row["pi_upper"])])
        return out
    except Exception:
        return None


def pinball(y, q):
    return sum((t * (y - x) if y >= x else (t - 1) * (y - x)) for x, t in zip(q, LEVELS)) / len(LEVELS)


def share_interval(k, n):
    p = k / n
    half = 1.96 * math.sqrt(max(p * (1 - p), 1e-9) / n)
    return p, p - half, p + half


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("--replicates", type=int, default=100)
    ap.add_argument("--only", default="")
    ap.add_argument("--keep")
    ap.add_argument("--rescaling", action="store_true", help="run rkat with uncertainty.rescaling: true")
    ap.add_argument("--set", action="append", default=[], dest="sets", metavar="KEY=VALUE",
                    help="passed to rkat run as --set (repeatable), e.g. what the planner would state about the truth's break")
    a = ap.parse_args()
    names = [n for n in GENERATORS if not a.only or n in a.only.split(",")]
    work = a.keep or tempfile.mkdtemp(prefix="rkat-offmodel-")
    os.makedirs(work, exist_ok=True)
    print("generator | h | rkat P10–P90 | rkat P50 above | ETS P10–P90 | skill vs ETS (95%) | n")
    for name in names:
        rng = np.random.default_rng(zlib.crc32(name.encode()))
        rows = []  # per replicate, per horizon: (inside, above, rkat loss, ets inside, ets loss)
        for r in range(a.replicates):
            kind, observed, truth = GENERATORS[name](rng)
            q = rkat_quantiles(a.binary, kind, observed, work, rescaling=a.rescaling, sets=a.sets)
            e = ets_quantiles(kind, observed)
            if q is None or e is None or any(x is None for x in q):
                continue
            rows.append([(q[j][0] <= truth[m] <= q[j][2], q[j][1] > truth[m], pinball(truth[m], q[j]) / truth[m],
                          e[j][0] <= truth[m] <= e[j][2], pinball(truth[m], e[j]) / truth[m]) for j, m in enumerate(SCORED)])
        n = len(rows)
        if n == 0:
            print(f"{name} | no replicate ran")
            continue
        boot = np.random.default_rng(7)
        for j, h in enumerate([12, 24]):
            inside = sum(r[j][0] for r in rows)
            above = sum(r[j][1] for r in rows)
            ets_in = sum(r[j][3] for r in rows)
            lr = np.array([r[j][2] for r in rows])
            le = np.array([r[j][4] for r in rows])
            skill = 1 - lr.sum() / le.sum()
            bs = []
            for _ in range(2000):
                i = boot.integers(0, n, n)
                bs.append(1 - lr[i].sum() / le[i].sum())
            lo, hi = np.percentile(bs, [2.5, 97.5])
            c = share_interval(inside, n)
            print(f"{name} | {h} | {c[0]:.2f} ({c[1]:.2f}–{c[2]:.2f}) | {above / n:.2f} | {ets_in / n:.2f} | "
                  f"{skill:+.2f} ({lo:+.2f} to {hi:+.2f}) | {n}")
        sys.stdout.flush()
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
