#!/usr/bin/env python3
"""CI: open a tracking folder's tracking.xlsx in openpyxl (as its readers would) and compare its
summary sheet with tracking.csv's year rows (annual target, realised to date, prognosis), and the
monthly sheet's targets and realisations with the csv's month rows."""
import csv
import sys

import openpyxl

out = sys.argv[1]


def fail(message):
    print(f"check_tracking: {message}", file=sys.stderr)
    sys.exit(1)


with open(f"{out}/tracking.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
years = [r for r in rows if r["kind"] == "year"]
wb = openpyxl.load_workbook(f"{out}/tracking.xlsx")
summary = wb[wb.sheetnames[0]]


def number(v):
    return None if v in (None, "") else float(v)


def close(a, b, tol):
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= tol)


def rupiah_format(label):
    """Iuran stays whole rupiah in the cell, shown in the unit its label names (÷ 10^6 or ÷ 10^9)."""
    if "Rp juta" in label or "Rp million" in label:
        return "#,##0.0,,"
    if "Rp miliar" in label or "Rp billion" in label:
        return "#,##0.0,,,"
    return '"Rp "#,##0'


for i, y in enumerate(years):
    row = i + 2
    checks = [(4, "target", 0.5), (6, "realised_to_date", 0.5), (9, "prognosis", 0.5)]
    for col, key, tol in checks:
        cell = summary.cell(row=row, column=col).value
        if not close(number(cell), number(y[key]), tol):
            fail(f"{summary.title}!row {row} {key}: workbook {cell}, csv {y[key]}")
    label = summary.cell(row=row, column=3).value
    expected = rupiah_format(label) if y["metric"] == "iuran" else "#,##0"
    if summary.cell(row=row, column=4).number_format != expected:
        fail(f"{summary.title}!D{row} number format {summary.cell(row=row, column=4).number_format}, expected {expected} ({label})")
# The months: four rows a target (target, realised, capaian, capaian to date) under the month
# columns E..P, for every target with a month to show, in the summary's order.
monthly = wb[wb.sheetnames[1]] if len(wb.sheetnames) > 1 else None
shown = 0
for y in years:
    months = [r for r in rows if r["kind"] == "month" and r["region"] == y["region"] and r["segment"] == y["segment"] and r["metric"] == y["metric"]
              and r.get("branch", "") == y.get("branch", "")]
    if not any(m["target"] != "" or m["realised"] != "" for m in months):
        continue
    if monthly is None:
        fail(f"no monthly sheet for {y['region']} {y['segment']} {y['metric']}")
    first = 2 + 4 * shown
    shown += 1
    for c, m in enumerate(months):
        for line, key in ((0, "target"), (1, "realised")):
            cell = monthly.cell(row=first + line, column=c + 5).value
            if not close(number(cell), number(m[key]), 0.5):
                fail(f"{monthly.title}!row {first + line} {m['month']} {key}: workbook {cell}, csv {m[key]}")
if monthly is not None and monthly.max_row != 1 + 4 * shown:
    fail(f"{monthly.title} has {monthly.max_row - 1} rows, expected 4 for each of {shown} targets with months")
print(f"check_tracking: {out}/tracking.xlsx matches tracking.csv ({len(years)} targets, {shown} with months)")
