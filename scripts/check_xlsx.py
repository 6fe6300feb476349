#!/usr/bin/env python3
"""Opens targets.xlsx in openpyxl, as a reader of the file would, and checks it against targets.csv:
sheets, number formats, frozen panes, SUM totals with cached values, and equal numbers.
Usage: check_xlsx.py OUTPUT_DIR   (exit 1 with a message on the first mismatch)."""
import csv
import sys

import openpyxl


def fail(message):
    print(f"check_xlsx: {message}")
    sys.exit(1)


out = sys.argv[1]
formulas = openpyxl.load_workbook(f"{out}/targets.xlsx")
values = openpyxl.load_workbook(f"{out}/targets.xlsx", data_only=True)
rows = [r for r in csv.DictReader(open(f"{out}/targets.csv", newline="")) if r["branch"] == ""]

summary_name = formulas.sheetnames[0]
if summary_name not in ("Ringkasan", "Summary"):
    fail(f"first sheet is {summary_name}")
if formulas.sheetnames[-1] not in ("Asal Data", "Provenance"):
    fail(f"last sheet is {formulas.sheetnames[-1]}")
summary = formulas[summary_name]
if summary.freeze_panes != "B2":
    fail(f"summary freeze panes {summary.freeze_panes}")
if len(list(summary.iter_rows(min_row=2))) != len(rows):
    fail("summary rows differ from targets.csv")
for i, r in enumerate(rows, start=2):
    cell = summary.cell(row=i, column=7)
    if cell.number_format != "#,##0":
        fail(f"G{i} number format {cell.number_format}")
    if float(cell.value) != float(r["target"]):
        fail(f"G{i} {cell.value} != csv {r['target']}")
    p = summary.cell(row=i, column=11).value
    if r["p_reach"] and abs(float(p) - float(r["p_reach"])) > 5e-5:
        fail(f"K{i} {p} != csv {r['p_reach']}")

checked = 0
for name in formulas.sheetnames[1:-1]:
    sheet, cached = formulas[name], values[name]
    if sheet.freeze_panes != "B2":
        fail(f"{name} freeze panes {sheet.freeze_panes}")
    for row in range(2, sheet.max_row + 1):
        total = sheet.cell(row=row, column=14).value
        if isinstance(total, str) and total.startswith("=SUM("):
            months = [sheet.cell(row=row, column=c).value for c in range(2, 14)]
            if cached.cell(row=row, column=14).value != sum(months):
                fail(f"{name}!N{row}: cached {cached.cell(row=row, column=14).value} != sum {sum(months)}")
            checked += 1
if checked == 0:
    fail("no SUM totals found")
print(f"check_xlsx: {out}/targets.xlsx matches targets.csv ({len(rows)} targets, {checked} SUM totals)")
