#!/usr/bin/env python3
# Writes the workbook fixtures of issue 33 (Tests/Fixtures/xlsx/) from the mid-year fixture's history
# with a branch (history-with-branch.csv): workbooks no rkat wrote, by openpyxl and by LibreOffice.
#   long-openpyxl.xlsx      the long layout, dates as real dates (first of the month)
#   wide-openpyxl.xlsx      the wide layout under a title row: No, Kanwil, Cabang, Segmen, Indikator, the
#                           months as real dates (mmm-yy), a Total column of formulas without cached values,
#                           the Kanwil's name merged down over its rows
#   wide-texts-id.xlsx      the wide layout, months as texts in Indonesian ("Januari 2014"), 1904 dates
#   wide.csv                the wide layout as CSV (months as YYYY-MM texts)
#   wide-id.csv             the same as Excel writes it in Indonesian settings (';', thousands dots, Sep-17)
#   wide-lo-csv.xlsx        LibreOffice: `soffice --convert-to xlsx` from wide.csv
#   wide-lo-ods.xlsx        LibreOffice: wide-openpyxl.xlsx to ODS and back to xlsx
#   wide-lo-export.csv      LibreOffice's default CSV export of wide-openpyxl.xlsx: month/day/year date
#                           headings (01/02/2014), the title row, the merged Kanwil as blanks below it
# Every one reads to the same history as history-with-branch.csv (HistoryWorkbookTests).
#   plan-edited/            with --rkat BINARY: the mid-year plan (actuals to Dec 2017, two branches, PU
#                           iuran) as rkat wrote it (plan/) and as edited alike by scripts/edit_plan.py
#                           (targets.xlsx through openpyxl, targets.json by hand): PlanWorkbookTests.
# Needs openpyxl and soffice (libreoffice-calc); the tests need neither: the files are committed.
# GPL-3.0-or-later.
import csv, datetime, os, shutil, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "Tests", "Fixtures", "midyear-2018", "history-with-branch.csv")
OUT = os.path.join(ROOT, "Tests", "Fixtures", "xlsx")
ID_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"]
ID_SHORT = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]


def rows():
    with open(SRC, newline="") as f:
        return list(csv.DictReader(f))


def wide(rs):
    """(kanwil, cabang, segment, metric) → {month: value}, keys in first-seen order."""
    months = sorted({r["date"] for r in rs})
    table = {}
    for r in rs:
        branch = r["region"] if r["region"].startswith("KC ") else ""
        key = ("Synthetica", branch, r["segment"], r["metric"])
        table.setdefault(key, {})[r["date"]] = int(r["value"])
    return months, table


def first_day(m):
    return datetime.datetime(int(m[:4]), int(m[5:7]), 1)


def plan(rkat):
    """The mid-year plan, written by `rkat run`, then edited alike (scripts/edit_plan.py)."""
    fixture = os.path.join(ROOT, "Tests", "Fixtures", "midyear-2018")
    dest = os.path.join(OUT, "plan-edited")
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([rkat, "run", os.path.join(fixture, "scenario.yaml"), "--set", "actuals_until=2017-12",
                        "--set", "segments.PU.iuran={stated_rp: 150000, collection: 0.95}",
                        "--set", "history=" + os.path.join(fixture, "history-with-branch.csv"),
                        "--set", "branches=[{name: KC Barat, potential_share: 0.5}, {name: KC Timur}]",
                        "--draws", "200", "--out", os.path.join(tmp, "plan")], check=True, capture_output=True)
        os.makedirs(os.path.join(dest, "original"), exist_ok=True)
        for name in ("targets.xlsx", "targets.json"):
            shutil.copy(os.path.join(tmp, "plan", name), os.path.join(dest, "original", name))
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "edit_plan.py"), os.path.join(tmp, "plan"), dest], check=True)


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--rkat":
        return plan(os.path.abspath(sys.argv[2]))
    import openpyxl
    from openpyxl.utils import get_column_letter
    os.makedirs(OUT, exist_ok=True)
    rs = rows()
    months, table = wide(rs)

    # Long, dates as dates.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Realisasi"
    ws.append(["date", "region", "segment", "metric", "value", "basis", "source"])
    for r in rs:
        ws.append([first_day(r["date"]), r["region"], r["segment"], r["metric"], int(r["value"]), r["basis"], r["source"]])
        ws.cell(ws.max_row, 1).number_format = "yyyy-mm"
    wb.save(os.path.join(OUT, "long-openpyxl.xlsx"))

    # Wide, dates as dates, a title row, No and Total columns, the Kanwil merged down.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Realisasi"
    ws.append(["Realisasi Kanwil Synthetica (orang)"])
    ws.append(["No", "Kanwil", "Cabang", "Segmen", "Indikator"] + [first_day(m) for m in months] + ["Total"])
    for j in range(len(months)):
        ws.cell(2, 6 + j).number_format = "mmm-yy"
    for i, (key, values) in enumerate(table.items()):
        r = 3 + i
        row = [i + 1, key[0] if i == 0 else None, key[1] or None, key[2], key[3]] + [values.get(m) for m in months]
        ws.append(row)
        ws.cell(r, 6 + len(months)).value = "=SUM(F%d:%s%d)" % (r, get_column_letter(5 + len(months)), r)
    ws.merge_cells(start_row=3, start_column=2, end_row=2 + len(table), end_column=2)
    wb.save(os.path.join(OUT, "wide-openpyxl.xlsx"))

    # Wide, Indonesian month texts, the 1904 date system (a date cell elsewhere would shift by 1,462 days).
    wb = openpyxl.Workbook()
    from openpyxl.utils.datetime import CALENDAR_MAC_1904
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "Data"
    ws.append(["Wilayah", "Cabang", "Segmen", "Indikator"] + ["%s %s" % (ID_MONTHS[int(m[5:7]) - 1], m[:4]) for m in months])
    for key, values in table.items():
        ws.append([key[0], key[1] or None, key[2], key[3]] + [values.get(m) for m in months])
    ws2 = wb.create_sheet("Tanggal")
    ws2.append(["date", "region", "segment", "metric", "value"])
    for r in rs:
        ws2.append([first_day(r["date"]), r["region"], r["segment"], r["metric"], int(r["value"])])
    wb.save(os.path.join(OUT, "wide-texts-id.xlsx"))

    # Wide CSV, and as Excel writes it in Indonesian settings.
    with open(os.path.join(OUT, "wide.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["Kanwil", "Cabang", "Segmen", "Indikator"] + months)
        for key, values in table.items():
            w.writerow(list(key) + [values.get(m, "") for m in months])
    with open(os.path.join(OUT, "wide-id.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\r\n")
        w.writerow(["Realisasi Kanwil Synthetica"] + [""] * (3 + len(months)))
        w.writerow(["Kanwil", "Cabang", "Segmen", "Indikator"] + ["%s-%s" % (ID_SHORT[int(m[5:7]) - 1], m[2:4]) for m in months])
        for key, values in table.items():
            w.writerow(list(key) + [("{:,}".format(values[m]).replace(",", ".") if m in values else "") for m in months])

    # LibreOffice: from CSV, and through ODS.
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        sys.exit("make_xlsx_fixtures: soffice not found (apt-get install libreoffice-calc-nogui)")
    with tempfile.TemporaryDirectory() as tmp:
        def convert(src, to, name):
            subprocess.run([soffice, "--headless", "-env:UserInstallation=file://" + tmp + "/profile", "--convert-to", to, "--outdir", tmp, src],
                           check=True, capture_output=True)
            produced = os.path.join(tmp, os.path.splitext(os.path.basename(src))[0] + "." + to.split(":")[0])
            shutil.move(produced, name)
        convert(os.path.join(OUT, "wide.csv"), "xlsx", os.path.join(OUT, "wide-lo-csv.xlsx"))
        ods = os.path.join(tmp, "wide-openpyxl.ods")
        convert(os.path.join(OUT, "wide-openpyxl.xlsx"), "ods", ods)
        convert(ods, "xlsx", os.path.join(OUT, "wide-lo-ods.xlsx"))
        convert(os.path.join(OUT, "wide-openpyxl.xlsx"), "csv", os.path.join(OUT, "wide-lo-export.csv"))


if __name__ == "__main__":
    main()
