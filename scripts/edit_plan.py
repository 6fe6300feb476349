#!/usr/bin/env python3
# Edits an approved plan twice, the same way: targets.xlsx with openpyxl, as a planner would in the
# workbook (month cells only, and the summary left alone), and targets.json by hand with the totals
# it then needs (targets.json states every annual figure and TOTAL; the workbook's are re-derived).
#   PU acquisitions   1,000 moved from January to February (the year unchanged)
#   JAKON acquisitions March + 5,000 (the year and the TOTAL follow)
#   PU active          December + 2,000 (a stock: the year is December)
#   the first branch's first flow: January + 100 (the branch's year and TOTAL follow)
# `rkat track` on the two must give the same tracking (issue 33; CI runs this on the mid-year plan).
# Usage: scripts/edit_plan.py PLAN_DIR OUT_DIR   (writes OUT_DIR/targets.xlsx and OUT_DIR/targets.json)
# GPL-3.0-or-later.
import json, os, sys

import openpyxl

plan, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
doc = json.load(open(os.path.join(plan, "targets.json"), encoding="utf-8"))
year = doc["plan_year"]
wb = openpyxl.load_workbook(os.path.join(plan, "targets.xlsx"))
anchor = wb["rkat_plan"]
cells = {}  # (region, branch, segment, metric, month) -> (sheet, cell)
# The table's header follows the head rows (3, or more for a national plan or one with issued rows).
header_row = next(r for r, row in enumerate(anchor.iter_rows(values_only=True), start=1) if row[0] == "sheet")
header = [c.value for c in anchor[header_row]]
for row in anchor.iter_rows(min_row=header_row + 1, values_only=True):
    r = dict(zip(header, row))
    cells[(r["region"], r["branch"] or "", r["segment"], r["metric"], r["month"] or "")] = (r["sheet"], r["cell"])


def workbook_add(region, branch, segment, metric, month, delta):
    sheet, cell = cells[(region, branch, segment, metric, month)]
    wb[sheet][cell].value = wb[sheet][cell].value + delta


def projection(region, segment, metric):
    return next(t for t in doc["targets"] if (t["region"], t["segment"], t["metric"], t["basis"]) == (region, segment, metric, "projection"))


def json_add(row, month, delta, annual=True):
    row["months"][month]["target"] += delta
    if annual:
        row["target"] += delta


region = doc["targets"][0]["region"]
m = lambda k: "%d-%02d" % (year, k)
# PU acquisitions: a month's target moved.
workbook_add(region, "", "PU", "acquisitions", m(1), -1000)
workbook_add(region, "", "PU", "acquisitions", m(2), +1000)
pu = projection(region, "PU", "acquisitions")
json_add(pu, m(1), -1000)
json_add(pu, m(2), +1000)
# JAKON acquisitions: March raised; the year and the region's TOTAL follow.
workbook_add(region, "", "JAKON", "acquisitions", m(3), +5000)
json_add(projection(region, "JAKON", "acquisitions"), m(3), +5000)
for t in doc["targets"]:
    if (t["region"], t["segment"], t["metric"], t["basis"]) == (region, "TOTAL", "acquisitions", "projection"):
        t["target"] += 5000
        if t.get("months"):
            t["months"][m(3)]["target"] += 5000
# PU active: December raised (a stock's year is its December).
workbook_add(region, "", "PU", "active", m(12), +2000)
active = projection(region, "PU", "active")
active["months"][m(12)]["target"] += 2000
active["target"] += 2000
for t in doc["targets"]:
    if (t["region"], t["segment"], t["metric"], t["basis"]) == (region, "TOTAL", "active", "projection"):
        t["target"] += 2000
        if t.get("months"):
            t["months"][m(12)]["target"] += 2000
# The first branch's first flow target: January + 100.
b = next((b for b in doc["branches"] if b["metric"] != "active" and b["metric"] != "iuran"), None)
if b is not None:
    workbook_add(b["region"], b["branch"], b["segment"], b["metric"], m(1), +100)
    b["months"][m(1)] += 100
    b["target"] += 100
    # The branch's TOTAL follows (the workbook re-derives it from the branch's segments).
    for t in doc["branches"]:
        if (t["region"], t["branch"], t["segment"], t["metric"]) == (b["region"], b["branch"], "TOTAL", b["metric"]):
            t["target"] += 100
            t["months"][m(1)] += 100
wb.save(os.path.join(out, "targets.xlsx"))
json.dump(doc, open(os.path.join(out, "targets.json"), "w", encoding="utf-8"), indent=2, ensure_ascii=False)
print("edit_plan: %s/targets.xlsx and targets.json edited alike" % out)
