#!/usr/bin/env python3
"""Renders report.html in headless Chromium to a PNG and fails on a blank or broken page: the
screenshot must exist and show enough drawn (non-white) pixels.
Usage: check_report.py REPORT_HTML PNG_OUT"""
import shutil
import subprocess
import sys

from PIL import Image

html, png = sys.argv[1], sys.argv[2]
browser = shutil.which("chromium") or shutil.which("chromium-browser")
if browser is None:
    print("check_report: chromium not found")
    sys.exit(1)
subprocess.run(
    [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,2400",
     f"--screenshot={png}", f"file://{html}"],
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
print(f"check_report: {html} rendered to {png} ({image.size[0]}x{image.size[1]}, {share:.1%} drawn pixels)")
