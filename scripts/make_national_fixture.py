#!/usr/bin/env python3
"""Writes Tests/Fixtures/nasional-2018/: three synthetic Kanwil (monthly PU stocks and acquisitions,
JAKON acquisitions, Jan 2014 - Jun 2018) whose deviations share half of their monthly innovations
(a national component, eta 0.5), and the national file that includes them (issue 34). Every figure
is made up (source: synthetic). Run from the repository's root; the output is fixed by its seed."""
import math, random, os

out = "Tests/Fixtures/nasional-2018"
rng = random.Random(34)
kanwil = [("Barat", 900_000, 0.45, 0.55, 2015.2), ("Tengah", 600_000, 0.40, 0.60, 2015.8), ("Timur", 400_000, 0.35, 0.50, 2016.3)]
months = [(y, m) for y in range(2014, 2019) for m in range(1, 13) if (y, m) <= (2018, 6)]
eta, phi, sd = 0.5, 0.8, 0.02
dev = {k[0]: rng.gauss(0, sd) for k in kanwil}
rows = {k[0]: [] for k in kanwil}
for (y, m) in months:
    t = y + (m - 0.5) / 12
    for name, potential, kappa, r, t0 in kanwil:
        active = potential * kappa / (1 + math.exp(-r * 1.6 * (t - t0))) * (1 + dev[name])
        acquired = active * 0.04 * (1 + rng.gauss(0, 0.05))
        jakon = potential * 0.02 * (1 + 0.06 * (y - 2016)) * (1 + 0.1 * math.sin(2 * math.pi * m / 12)) * (1 + rng.gauss(0, 0.06))
        d = f"{y}-{m:02d}"
        rows[name] += [f"{d},{name},PU,active,{round(active)},active members at the month's end,synthetic",
                       f"{d},{name},PU,acquisitions,{round(acquired)},acquisitions in the month,synthetic",
                       f"{d},{name},JAKON,acquisitions,{round(jakon)},acquisitions in the month,synthetic"]
    common = rng.gauss(0, 1)
    for name in dev:
        z = math.sqrt(eta) * common + math.sqrt(1 - eta) * rng.gauss(0, 1)
        dev[name] = phi * dev[name] + sd * math.sqrt(1 - phi * phi) * z
for name, potential, *_ in kanwil:
    low = name.lower()
    with open(f"{out}/{low}-history.csv", "w") as f:
        f.write("date,region,segment,metric,value,basis,source\n" + "\n".join(rows[name]) + "\n")
    with open(f"{out}/{low}.yaml", "w") as f:
        f.write(f"""# Synthetic Kanwil {name} (scripts/make_national_fixture.py): every figure is made up.
name: kanwil-{low}-2018
region: {name}
actuals_until: 2018-06
horizon: 2018-12
history: {low}-history.csv
potential:
  total: {potential}
  basis: synthetic
  as_of: 2018-01
  growth_per_year: 0.0
  shares:
    PU: 1.0
segments:
  PU:
    model: logistic
    lapse_rate_per_year: 0.3
    ceiling: potential
  JAKON:
    flow_only: true
uncertainty:
  draws: 200
  seed: 5
targets:
  plan_year: 2018
""")
with open(f"{out}/nasional.yaml", "w") as f:
    f.write("""# A national plan from three synthetic Kanwil files (issue 34): each keeps its own history,
# segments and levers; they run together with these draws and this seed.
name: nasional-2018
description: Synthetic national RKAT 2018 from three Kanwil files.
includes:
  - barat.yaml
  - tengah.yaml
  - timur.yaml
uncertainty:
  draws: 1000
  seed: 11
targets:
  plan_year: 2018
  confidence: 0.5
  issued: {active: 760000}
  allocation: equal_stretch
""")
