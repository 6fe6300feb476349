#!/usr/bin/env python3
"""CI: open a tracking folder's tracking.xlsx in openpyxl (as its readers would) and compare its
summary sheet with tracking.csv's year rows (annual target, realised to date, prognosis, P(reach)),
and each target sheet's monthly targets and realisations with the csv's month rows."""
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


for i, y in enumerate(years):
    row = i + 2
    checks = [(4, "target", 0.5), (6, "realised_to_date", 0.5), (9, "prognosis", 0.5)]
    for col, key, tol in checks:
        cell = summary.cell(row=row, column=col).value
        if not close(number(cell), number(y[key]), tol):
            fail(f"{summary.title}!row {row} {key}: workbook {cell}, csv {y[key]}")
    if summary.cell(row=row, column=4).number_format != ('"Rp "#,##0' if y["metric"] == "iuran" else "#,##0"):
        fail(f"{summary.title}!D{row} number format {summary.cell(row=row, column=4).number_format}")
for k, y in enumerate(years):
    sheet = wb[wb.sheetnames[k + 1]]
    # Branch targets (column branch) have rows of their own under the Kanwil's region.
    months = [r for r in rows if r["kind"] == "month" and r["region"] == y["region"] and r["segment"] == y["segment"] and r["metric"] == y["metric"]
              and r.get("branch", "") == y.get("branch", "")]
    for c, m in enumerate(months):
        for line, key in ((2, "target"), (3, "realised")):
            cell = sheet.cell(row=line, column=c + 2).value
            if not close(number(cell), number(m[key]), 0.5):
                fail(f"{sheet.title}!{m['month']} {key}: workbook {cell}, csv {m[key]}")
print(f"check_tracking: {out}/tracking.xlsx matches tracking.csv ({len(years)} targets)")
