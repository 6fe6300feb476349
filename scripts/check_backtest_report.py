#!/usr/bin/env python3
"""Checks that a backtest's report.html says what backtest.csv says, then renders it in headless
Chromium to a PNG and fails on a blank or broken page.

What the page says: the table of scored actuals has one row per backtest.csv row, in order, with the
same origin month count, method and horizon; there is one fan chart per stock cell of the csv.
Usage: check_backtest_report.py REPORT_HTML PNG_OUT   (backtest.csv is read beside REPORT_HTML)."""
import csv
import os
import re
import shutil
import subprocess
import sys

from PIL import Image


def fail(message):
    print(f"check_backtest_report: {message}")
    sys.exit(1)


html, png = sys.argv[1], sys.argv[2]
page = open(html, encoding="utf-8").read()
rows = list(csv.DictReader(open(os.path.join(os.path.dirname(os.path.abspath(html)), "backtest.csv"), newline="")))
tables = re.findall(r'<table class="small">(.*?)</table>', page, re.S)
if len(tables) != 1:
    fail(f"{len(tables)} tables of scored actuals")
cells = [re.findall(r"<td[^>]*>(.*?)</td>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", tables[0], re.S)]
cells = [c for c in cells if c]  # the header row has no <td>
if len(cells) != len(rows):
    fail(f"the table has {len(cells)} rows, backtest.csv {len(rows)}")
for c, r in zip(cells, rows):
    if c[4] != r["horizon"] or c[1] != r["region"] or c[2] != r["segment"]:
        fail(f"table row {c} does not match csv row {r}")
charts = len(re.findall(r"<figure><svg", page))
stock_cells = {(r["region"], r["segment"]) for r in rows}
if charts < len(stock_cells):
    fail(f"{charts} charts for {len(stock_cells)} scored cells")

browser = shutil.which("chromium") or shutil.which("chromium-browser")
if browser is None:
    fail("chromium not found")
subprocess.run(
    [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,2400",
     f"--screenshot={png}", f"file://{os.path.abspath(html)}"],
    check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
image = Image.open(png).convert("L")
histogram = image.histogram()
share = sum(histogram[:200]) / (image.size[0] * image.size[1])
if share < 0.02:
    fail(f"{png} looks blank ({share:.2%} drawn pixels)")
print(f"check_backtest_report: {html} says what backtest.csv says ({len(rows)} rows, {charts} charts) and rendered to {png} "
      f"({image.size[0]}x{image.size[1]}, {share:.1%} drawn pixels)")
