#!/usr/bin/env python3
"""Opens targets.xlsx in openpyxl, as a reader of the file would, and checks it against targets.csv:
sheets, the number format of every numeric column (persons #,##0, growth and coverage 0.0%, P(reach)
0.0%), frozen panes, SUM totals with cached values, and equal numbers in every numeric column.
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
all_rows = list(csv.DictReader(open(f"{out}/targets.csv", newline="")))
rows = [r for r in all_rows if r["branch"] == ""]

# rkat's plan anchor (a hidden last sheet, read back by `rkat track --plan targets.xlsx`) is no
# printed table: checked apart below; the visible sheets are the tables.
anchor_sheets = [ws.title for ws in formulas.worksheets if ws.sheet_state != "visible"]
if anchor_sheets != ["rkat_plan"] or formulas.sheetnames[-1] != "rkat_plan":
    fail(f"hidden sheets {anchor_sheets}, expected the plan anchor rkat_plan, last")
anchor = formulas["rkat_plan"]
if [anchor.cell(1, 1).value, anchor.cell(1, 2).value] != ["schema", "rkat-plan/1"]:
    fail("rkat_plan: no schema rkat-plan/1")
# The head rows (schema, scenario, plan_year; a national plan's plan_level; issued and proposals where
# targets were issued) run down to the table's header, `sheet | cell | …`.
head = {}
header_row = None
for r, row in enumerate(anchor.iter_rows(values_only=True), start=1):
    if row[0] == "sheet":
        header_row = r
        break
    head[row[0]] = row[1]
if header_row is None:
    fail("rkat_plan: no header row")
# Every anchored figure stands where the anchor says, with the value it keeps.
for row in anchor.iter_rows(min_row=header_row + 1, values_only=True):
    sheet, cell, original = row[0], row[1], row[-1]
    if values[sheet][cell].value != original:
        fail(f"rkat_plan: {sheet}!{cell} holds {values[sheet][cell].value}, the anchor keeps {original}")
# Each issued row's proposal: the summary's projection cell holds the figure the anchor keeps.
for entry in filter(None, (head.get("proposals") or "").split(";")):
    issued, rest = entry.split(">")
    cell, written = rest.split("=")
    summary = values.sheetnames[0]
    if values[summary][cell].value != float(written):
        fail(f"rkat_plan: proposal {summary}!{cell} holds {values[summary][cell].value}, the anchor keeps {written}")
formulas_names = [n for n in formulas.sheetnames if n not in anchor_sheets]
summary_name = formulas_names[0]
if summary_name not in ("Ringkasan", "Summary"):
    fail(f"first sheet is {summary_name}")
if formulas_names[-1] not in ("Asal Data", "Provenance"):
    fail(f"last sheet is {formulas_names[-1]}")
summary = formulas[summary_name]
if summary.freeze_panes != "B2":
    fail(f"summary freeze panes {summary.freeze_panes}")
if len(list(summary.iter_rows(min_row=2))) != len(rows):
    fail("summary rows differ from targets.csv")
# Summary columns E..N: (letter, csv column, number format, tolerance against the csv's rounding:
# half its last decimal, plus a hair for a value that sits on the half, 0.3207625 written 0.320763).
SUMMARY = [
    ("E", "last_realisation", "#,##0", 0.005),
    ("F", "last_target", "#,##0", 0.005),
    ("G", "target", "#,##0", 0),
    ("H", "growth_vs_realisation", "0.0%", 5.001e-7),
    ("I", "growth_vs_target", "0.0%", 5.001e-7),
    ("J", "coverage", "0.0%", 5.001e-7),
    ("K", "p_reach", "0.0%", 5.001e-5),
    ("L", "p10", "#,##0", 0.005),
    ("M", "p50", "#,##0", 0.005),
    ("N", "p90", "#,##0", 0.005),
]

def rupiah_format(label):
    """The number format of iuran under its label's unit: whole rupiah stay in the cell, shown in Rp
    juta (two trailing commas: ÷ 10^6) or Rp miliar (three: ÷ 10^9)."""
    if "Rp juta" in label or "Rp million" in label:
        return "#,##0.0,,"
    if "Rp miliar" in label or "Rp billion" in label:
        return "#,##0.0,,,"
    return '"Rp "#,##0'


# One unit for the workbook's iuran, named in the indicator's label (column C of the summary).
labels = [summary[f"C{i}"].value or "" for i in range(2, summary.max_row + 1)]
RUPIAH = next((rupiah_format(l) for l in labels if "(Rp" in l), '"Rp "#,##0')
formats_seen = set()
for i, r in enumerate(rows, start=2):
    for letter, column, number_format, tolerance in SUMMARY:
        cell = summary[f"{letter}{i}"]
        if r[column] == "":
            if cell.value is not None:
                fail(f"{letter}{i} {cell.value} but csv {column} is empty")
            continue
        if cell.value is None:
            fail(f"{letter}{i} is empty but csv {column} is {r[column]}")
        # Iuran rows carry rupiah where the others carry persons.
        expected = RUPIAH if r["metric"] == "iuran" and number_format == "#,##0" else number_format
        if cell.number_format != expected:
            fail(f"{letter}{i} ({column}) number format {cell.number_format}, expected {expected}")
        formats_seen.add(letter)
        if abs(float(cell.value) - float(r[column])) > tolerance:
            fail(f"{letter}{i} ({column}) {cell.value} != csv {r[column]}")
# Growth needs last year's realisation, which a history may lack (e.g. kalteng-2025): then no H.
if "G" not in formats_seen or ("H" not in formats_seen and any(r["growth_vs_realisation"] for r in rows)):
    fail("no target or growth figures to check")

# The plan-year ledger: every target row of a segment sheet carries, under each month's column, the
# month figure targets.csv gives under the same month (realised or projected; empty stays empty).
month_columns = [h for h in rows[0].keys() if len(h) == 7 and h[4] == "-" and h[:4].isdigit()] if rows else []
if len(month_columns) != 12:
    fail(f"targets.csv has {len(month_columns)} month columns, expected 12")

def month_tuple(values):
    return tuple(None if v in (None, "") else round(float(v), 2) for v in values)

checked = 0
branch_sheets = [n for n in formulas_names[1:-1] if n in ("Cabang", "Branches")]
for name in branch_sheets:
    # Branch targets: each row's target and months equal targets.csv's branch row.
    sheet = formulas[name]
    csv_branches = {(r["branch"], r["segment"], r["metric"].lower()): r for r in all_rows if r["branch"]}
    seen = 0
    for row in range(2, sheet.max_row + 1):
        branch, segment = sheet.cell(row=row, column=2).value, sheet.cell(row=row, column=3).value
        matches = [r for (b, s, m), r in csv_branches.items() if b == branch and s == segment and float(r["target"]) == sheet.cell(row=row, column=5).value]
        if not matches:
            fail(f"{name}!row {row}: {branch} {segment} target {sheet.cell(row=row, column=5).value} is in no branch row of targets.csv")
        months = month_tuple(sheet.cell(row=row, column=c).value for c in range(7, 19))
        if months != month_tuple(matches[0][m] for m in month_columns):
            fail(f"{name}!row {row}: months {months} differ from targets.csv")
        # A branch with its own history: own projection (T) and gap (U) as targets.csv says; a branch
        # whose months run from its members: the start and the growth (target − start), after them.
        own_columns = ((20, "own_target"), (21, "gap_vs_own")) if any(sheet.cell(row=1, column=20).value == h for h in ("Proyeksi sendiri", "Own projection")) else ()
        first_start = 23 if own_columns else 20
        has_start = str(sheet.cell(row=1, column=first_start).value or "").startswith(("Peserta awal", "Members "))
        for column, key in own_columns:
            want, cell = matches[0].get(key, ""), sheet.cell(row=row, column=column).value
            if (want == "") != (cell is None) or (want != "" and abs(float(want) - float(cell)) > 0.005):
                fail(f"{name}!row {row}: {key} {cell} != csv '{want}'")
        start = matches[0].get("branch_start", "")
        if has_start:
            cell, growth = sheet.cell(row=row, column=first_start).value, sheet.cell(row=row, column=first_start + 1).value
            if (start == "") != (cell is None) or (start != "" and (abs(float(start) - float(cell)) > 0.005 or abs(float(matches[0]["target"]) - float(start) - float(growth)) > 0.005)):
                fail(f"{name}!row {row}: start {cell} / growth {growth} != csv '{start}' (target {matches[0]['target']})")
        elif start != "":
            fail(f"{name}!row {row}: targets.csv has a start {start} the sheet does not show")
        seen += 1
    if seen != len(csv_branches):
        fail(f"{name}: {seen} branch rows, targets.csv has {len(csv_branches)}")
# An issued target's split (sheet "Alokasi"/"Allocation", issue 34): its shares are allocation.csv's.
allocation_sheets = [n for n in formulas_names[1:-1] if n in ("Alokasi", "Allocation")]
for name in allocation_sheets:
    rows_csv = list(csv.DictReader(open(f"{out}/allocation.csv", newline="")))
    expected = sorted((r["region"], int(r["allocated"])) for r in rows_csv if r["region"] != "ALL")
    national = sorted(int(r["allocated"]) for r in rows_csv if r["region"] == "ALL")
    shown = [row for row in values[name].iter_rows(min_row=2, values_only=True) if row[1] is not None and isinstance(row[4], (int, float))]
    units = sorted((row[1], int(row[4])) for row in shown if row[1] not in ("Jumlah (terbit)", "Total (issued)"))
    issued = sorted(int(row[4]) for row in shown if row[1] in ("Jumlah (terbit)", "Total (issued)"))
    if units != expected or issued != national:
        fail(f"{name}: shares {units} / issued {issued}, allocation.csv has {expected} / {national}")
# The tiers' sheets (issue 34: "Nasional"/"Kanwil"/"Provinsi"), each row a TOTAL row of targets.csv:
# its target, P(tercapai) and band; the total over the regions is named after its tier.
tier_names = ("Nasional", "National", "Kanwil", "Provinsi", "Province")
tier_sheets = [n for n in formulas_names[1:-1] if n in tier_names]
totals_csv = {(r["region"], r["metric"]): r for r in rows if r["segment"] == "TOTAL" and r["basis"] == "projection" and r["branch"] == ""}
def tier_metric(label):
    """The indicator of a tier sheet's row from its label (Indonesian or English, long or short)."""
    text = str(label).lower()
    for key, metric in (("iuran", "iuran"), ("reaktiv", "reactivations"), ("reactiv", "reactivations"), ("akuisisi", "acquisitions"), ("acquisition", "acquisitions"), ("aktif", "active"), ("active", "active")):
        if key in text:
            return metric
    return text
for name in tier_sheets:
    shown = [row for row in values[name].iter_rows(min_row=2, values_only=True) if isinstance(row[2], (int, float))]
    if not shown:
        fail(f"{name}: no rows")
    for row in shown:
        region = "ALL" if row[0] in tier_names else row[0]
        want = totals_csv.get((region, tier_metric(row[1])))
        if want is None or int(want["target"]) != int(row[2]) or abs(float(want["p10"]) - row[4]) > 0.01 or abs(float(want["p90"]) - row[6]) > 0.01:
            fail(f"{name}: row {row[:7]} is not targets.csv's {want and (want['target'], want['p10'], want['p90'])}")
for name in formulas_names[1:-1]:
    if name in branch_sheets or name in allocation_sheets or name in tier_sheets:
        continue
    # Segment sheets carry members; the "Iuran" sheet every segment's iuran, in rupiah.
    iuran_sheet = name == "Iuran"
    mine = [r for r in rows if r["branch"] == "" and ((r["metric"] == "iuran") if iuran_sheet else (r["segment"] == name and r["metric"] != "iuran"))]
    unit = RUPIAH if iuran_sheet else "#,##0"
    csv_months = {month_tuple(r[m] for m in month_columns) for r in mine}
    sheet, cached = formulas[name], values[name]
    if sheet.freeze_panes != "B2":
        fail(f"{name} freeze panes {sheet.freeze_panes}")
    for row in range(2, sheet.max_row + 1):
        # Monthly figures (B..M) and the total (N) are persons.
        for c in range(2, 15):
            cell = sheet.cell(row=row, column=c)
            if cell.value is not None and cell.number_format != unit:
                fail(f"{name}!{cell.coordinate} number format {cell.number_format}, expected {unit}")
        label = sheet.cell(row=row, column=1).value
        if isinstance(label, str) and " · " in label and not label.startswith(" "):
            cells = month_tuple(sheet.cell(row=row, column=c).value for c in range(2, 14))
            if cells not in csv_months:
                fail(f"{name}!row {row} ({label}): months {cells} are no row of targets.csv under the same months")
        total = sheet.cell(row=row, column=14).value
        if isinstance(total, str) and total.startswith("=SUM("):
            months = [sheet.cell(row=row, column=c).value or 0 for c in range(2, 14)]
            if cached.cell(row=row, column=14).value != sum(months):
                fail(f"{name}!N{row}: cached {cached.cell(row=row, column=14).value} != sum {sum(months)}")
            # A flow target's months add up to one of the segment's acquisition targets in targets.csv.
            annual = {float(r["target"]) for r in mine if r["metric"] != "active"}  # every flow (only active is a stock)
            if float(sum(months)) not in annual:
                fail(f"{name}!row {row}: months sum to {sum(months)}, not a flow target of {name} in targets.csv")
            checked += 1
if checked == 0:
    fail("no SUM totals found")

# Every sheet prints: landscape A4, header row repeated (not on the provenance sheet), a footer with
# the scenario, plan year and page number. Widths, fonts and scale: scripts/check_print.py.
for name in formulas_names:
    sheet = formulas[name]
    ps = sheet.page_setup
    if ps.orientation != "landscape":
        fail(f"{name}: orientation {ps.orientation}, expected landscape")
    if str(ps.paperSize) != "9":
        fail(f"{name}: paper size {ps.paperSize}, expected 9 (A4)")
    if name != formulas_names[-1] and sheet.print_title_rows not in ("1:1", "$1:$1"):
        fail(f"{name}: header row not repeated on each page ({sheet.print_title_rows})")
    left, right = sheet.oddFooter.left.text or "", sheet.oddFooter.right.text or ""
    if "RKAT" not in left or "&P" not in right:
        fail(f"{name}: footer '{left}' / '{right}' lacks the scenario, plan year or page number")
print(f"check_xlsx: {out}/targets.xlsx matches targets.csv ({len(rows)} targets, {checked} SUM totals); every sheet prints landscape A4 with its header and footer")
