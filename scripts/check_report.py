#!/usr/bin/env python3
"""Checks that report.html says what targets.csv says, then renders it in headless Chromium to a PNG
and fails on a blank or broken page.

What the page says: every row of the target table (region, segment, last realisation, last target,
target, P(reach)) carries the numbers of the matching targets.csv row (region rows, in order); every
stock chart's "target YYYY: N" legend carries that segment's projection target, and its target point
sits at that height on the chart's y axis (read back from the tick labels). The screenshot must show
enough drawn (non-white) pixels.
Usage: check_report.py REPORT_HTML PNG_OUT   (targets.csv is read beside REPORT_HTML)."""
import atexit
import csv
import html as htmlmod
import os
import re
import shutil
import subprocess
import sys
import tempfile

from PIL import Image


def fail(message):
    print(f"check_report: {message}")
    sys.exit(1)


def persons(text):
    """'1.704.308' (id) or '1,704,308' (en), rupiah 'Rp 1.209.600.000', or '—' → int or None."""
    t = text.strip()
    t = t[3:] if t.startswith("Rp ") else t
    if t in ("—", ""):
        return None
    digits = t.replace(".", "").replace(",", "")
    if not re.fullmatch(r"-?\d+", digits):
        fail(f"'{text}' is not a number of persons")
    return int(digits)


def rupiah_unit(label):
    """The divisor a label's unit names: 'Penerimaan iuran (Rp miliar)' → 1e9, '(Rp juta)' → 1e6,
    '(Rp)' → None (whole rupiah)."""
    for name, divisor in [("Rp miliar", 1e9), ("Rp billion", 1e9), ("Rp juta", 1e6), ("Rp million", 1e6)]:
        if name in label:
            return divisor
    return None


def scaled(text):
    """'2.395,6' (id) or '2,395.6' (en) or '—' → float or None."""
    t = text.strip()
    if t in ("—", ""):
        return None
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})*,\d", t):
        return float(t.replace(".", "").replace(",", "."))
    if re.fullmatch(r"-?\d{1,3}(,\d{3})*\.\d", t):
        return float(t.replace(",", ""))
    fail(f"'{text}' is not a figure with one decimal")


def percent(text):
    """'50,0%' (id) or '50.0%' (en) or '—' → fraction or None."""
    t = text.strip()
    if t in ("—", ""):
        return None
    if not t.endswith("%"):
        fail(f"'{text}' is not a percentage")
    return float(t[:-1].replace(",", ".")) / 100


def body_rows(table):
    """The text of each <td> of each row of an HTML table that has any (header rows have none)."""
    out = []
    for tr in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        cells = [htmlmod.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
        if cells:
            out.append(cells)
    return out


def csv_persons(v):
    return None if v == "" else round(float(v))


html, png = sys.argv[1], sys.argv[2]
page = open(html, encoding="utf-8").read()
csv_path = os.path.join(os.path.dirname(os.path.abspath(html)), "targets.csv")
rows = [r for r in csv.DictReader(open(csv_path, newline="")) if r["branch"] == ""]

# The target table: the first table after the "Target YYYY" / "Targets YYYY" heading.
m = re.search(r"<h2>Targets? (\d{4})</h2>\s*(?:<div class=\"wide\">)?<table[^>]*>(.*?)</table>", page, re.S)
if m is None:
    fail("no target table")
year = m.group(1)
table_rows = body_rows(m.group(2))
if len(table_rows) != len(rows):
    fail(f"the target table has {len(table_rows)} rows, targets.csv {len(rows)}")


def check_row(where, cells, r, figures, p_column):
    """A table row against its targets.csv row: region and segment, each (column, label, csv key)
    figure, and P(reach) in `p_column`. Iuran in the unit its label (column 2) names ("Penerimaan
    iuran (Rp miliar)": 2.395,6), or in whole rupiah ("Rp 1.209.600.000") when it says "(Rp)";
    members without a unit."""
    if cells[0] != r["region"] or cells[1] != r["segment"]:
        fail(f"{where}: reads {cells[0]} {cells[1]}")
    unit = rupiah_unit(cells[2]) if r["metric"] == "iuran" else None
    for column, label, key in figures:
        text, expected = cells[column], csv_persons(r[key])
        if r["metric"] == "iuran" and unit is None and not text.startswith("Rp ") and text != "—":
            fail(f"{where}: {label} reads {text} under {cells[2]}")
        if unit is not None:
            shown = scaled(text)
            if (shown is None) != (expected is None) or (shown is not None and abs(shown - expected / unit) > 0.05 + 1e-9):
                fail(f"{where}: {label} {text} != csv {expected} in units of {unit:g}")
        elif persons(text) != expected:
            fail(f"{where}: {label} {text} != csv {expected}")
    p = percent(cells[p_column])
    if (p is None) != (r["p_reach"] == ""):
        fail(f"{where}: P(reach) {cells[p_column]} but csv '{r['p_reach']}'")
    if p is not None and abs(p - float(r["p_reach"])) > 0.0005 + 1e-9:
        fail(f"{where}: P(reach) {cells[p_column]} != csv {r['p_reach']}")


for i, (cells, r) in enumerate(zip(table_rows, rows), start=1):
    where = f"target table row {i} ({r['region']} {r['segment']} {r['metric']} {r['basis']})"
    check_row(where, cells, r, [(4, "last realisation", "last_realisation"), (5, "last target", "last_target"), (6, "target", "target")], 7)

# The branch table (Kantor Cabang), when targets.csv has branch rows: every row's target, P(reach)
# and twelve months equal to the csv's branch rows, in the same order.
branch_rows = [r for r in csv.DictReader(open(csv_path, newline="")) if r["branch"] != ""]
bm = re.search(r"<h2>(?:Target cabang|Branch targets) (\d{4})</h2>\s*<table[^>]*>(.*?)</table>", page, re.S)
if branch_rows and bm is None:
    fail("targets.csv has branch rows but the report has no branch table")
if bm is not None:
    cells_by_row = body_rows(bm.group(2))
    if len(cells_by_row) != len(branch_rows):
        fail(f"the branch table has {len(cells_by_row)} rows, targets.csv {len(branch_rows)} branch rows")
    month_columns = [c for c in branch_rows[0].keys() if re.fullmatch(rf"{year}-\d\d", c)]
    for i, (cells, r) in enumerate(zip(cells_by_row, branch_rows), start=1):
        where = f"branch table row {i} ({r['branch']} {r['segment']} {r['metric']})"
        # The label: region · branch · segment · metric.
        if cells[0].split(" · ")[:3] != [r["region"], r["branch"], r["segment"]]:
            fail(f"{where}: reads {cells[0]}")
        if persons(cells[1]) != csv_persons(r["target"]):
            fail(f"{where}: target {cells[1]} != csv {r['target']}")
        p = percent(cells[2])
        if (p is None) != (r["p_reach"] == "") or (p is not None and abs(p - float(r["p_reach"])) > 0.0005 + 1e-9):
            fail(f"{where}: P(reach) {cells[2]} != csv '{r['p_reach']}'")
        for k, column in enumerate(month_columns):
            if persons(cells[3 + k]) != csv_persons(r[column]):
                fail(f"{where}: {column} {cells[3 + k]} != csv {r[column]}")

# Stock charts: the legend "target YYYY: N" and the point's height against the y-axis ticks.
charts = 0
for svg in re.findall(r"<svg.*?</svg>", page, re.S):
    legend = re.search(r'class="legend">target (\d{4}): ([^<]*)<', svg)
    if legend is None:
        continue
    title = htmlmod.unescape(re.search(r'class="chart-title">([^<]*)<', svg).group(1))
    region, segment = title.split(" — ")[0].split(" · ")
    expected = [r for r in rows if r["region"] == region and r["segment"] == segment and r["metric"] == "active" and r["basis"] == "projection"]
    if len(expected) != 1:
        fail(f"chart {title}: no projection active target in targets.csv")
    target = round(float(expected[0]["target"]))
    if legend.group(1) != year or persons(legend.group(2)) != target:
        fail(f"chart {title}: legend 'target {legend.group(1)}: {legend.group(2)}' != csv {target}")
    # y ticks: (pixel, value); the tick text sits 4 px below its grid line.
    ticks = [(float(y) - 4, persons(v)) for y, v in re.findall(r'<text x="[^"]*" y="([^"]*)" text-anchor="end" class="tick">([^<]*)<', svg)]
    if len(ticks) < 2:
        fail(f"chart {title}: fewer than two y ticks")
    (y0, v0), (y1, v1) = ticks[0], ticks[-1]
    per_pixel = (v1 - v0) / (y1 - y0)
    # The target point: drawn in the target colour, away from the legend line.
    legend_y = float(re.search(r'<text x="[^"]*" y="([^"]*)" class="legend">target', svg).group(1))
    points = [float(cy) for cy in re.findall(r'<circle cx="[^"]*" cy="([^"]*)" r="3.5" fill="white" stroke="#E69F00"', svg)]
    points = [cy for cy in points if abs(cy - (legend_y - 3)) > 0.01]
    if len(points) != 1:
        fail(f"chart {title}: {len(points)} target points")
    at = v0 + (points[0] - y0) * per_pixel
    # Coordinates are written to 0.1 px: allow a quarter pixel.
    if abs(at - target) > 0.25 * abs(per_pixel):
        fail(f"chart {title}: the target point sits at {at:,.0f}, csv {target:,}")
    charts += 1
if charts == 0 and any(r["metric"] == "active" and r["basis"] == "projection" for r in rows):
    fail("no chart carries a target")

# The summary for management (issue 29): its table carries the projection rows of targets.csv
# (target, P(reach)), in order; printed, it is page one on its own.
sm = re.search(r'<section class="summary">(.*?)</section>', page, re.S)
if sm is None:
    fail("no summary section")
summary_rows = body_rows(re.search(r'<table class="summary-targets">(.*?)</table>', sm.group(1), re.S).group(1))
projection_rows = [r for r in rows if r["basis"] == "projection"]
if len(projection_rows) > 16:  # ReportSummary.maximumRows: then the totals only
    projection_rows = [r for r in projection_rows if r["segment"] == "TOTAL"]
if len(summary_rows) != len(projection_rows):
    fail(f"the summary has {len(summary_rows)} target rows, targets.csv {len(projection_rows)} on the projection's basis")
for i, (cells, r) in enumerate(zip(summary_rows, projection_rows), start=1):
    check_row(f"summary row {i} ({r['region']} {r['segment']} {r['metric']})", cells, r, [(3, "target", "target")], 4)

browser = shutil.which("chromium") or shutil.which("chromium-browser")
if browser is None:
    print("check_report: chromium not found")
    sys.exit(1)
# A profile of its own: CI runs two checks at a time, and two Chromiums on one profile hand off to
# each other instead of rendering.
profile = tempfile.mkdtemp(prefix="check_report-")
atexit.register(shutil.rmtree, profile, True)
# Printed on A4 (the page's @page rule): the summary's last line on page one, the details from page two.
import pypdf  # noqa: E402 (CI installs it beside chromium)

pdf_path = os.path.splitext(png)[0] + ".pdf"
subprocess.run(
    [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", "--no-pdf-header-footer", f"--print-to-pdf={pdf_path}", f"file://{os.path.abspath(html)}"],
    check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
pages = pypdf.PdfReader(pdf_path).pages
closing = htmlmod.unescape(re.findall(r'<p class="note">([^<]*)</p>', sm.group(1))[-1])
first = re.sub(r"\s+", " ", pages[0].extract_text())
if closing.split(":")[0] not in first:
    fail(f"printed, the summary does not end on page one (no '{closing}')")
after = re.search(r"<h2>([^<]*)</h2>", page[sm.end():])
if after and htmlmod.unescape(after.group(1)) in first:
    fail(f"printed, page one goes on past the summary ('{after.group(1)}')")
if len(pages) < 2:
    fail("printed, the report is one page: the details are missing")
subprocess.run(
    [browser, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}", "--hide-scrollbars", "--window-size=1000,2400",
     f"--screenshot={png}", f"file://{os.path.abspath(html)}"],
    check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
image = Image.open(png).convert("L")
histogram = image.histogram()  # 256 counts of gray levels
drawn = sum(histogram[:200])
share = drawn / (image.size[0] * image.size[1])
# A page with its charts and tables draws several percent of the pixels; a blank or error page
# draws almost none.
if share < 0.02:
    print(f"check_report: {png} looks blank ({share:.2%} drawn pixels)")
    sys.exit(1)
print(f"check_report: {html} says what targets.csv says ({len(rows)} targets, {len(branch_rows)} branch rows, {charts} charts, "
      f"a summary of {len(summary_rows)} rows on printed page one of {len(pages)}) and rendered to {png} "
      f"({image.size[0]}x{image.size[1]}, {share:.1%} drawn pixels)")
