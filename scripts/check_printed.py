#!/usr/bin/env python3
"""Prints workbooks as a planner would (issue 29): through LibreOffice to PDF, then reads the PDF with
PyMuPDF: no "###" anywhere, no text under 8 pt (the size as printed, after any print scale), and
renders each page to PNG beside the PDF for a look. CI checks the same rules without LibreOffice
(scripts/check_print.py); this is the check by the real thing, run by hand:

    apt-get install libreoffice-calc fonts-liberation fonts-crosextra-carlito; pip install pymupdf
    scripts/check_printed.py OUTDIR FILE.xlsx...

(Carlito stands in for Calibri, the default font Excel measures column widths in; without it
LibreOffice measures in a wider font and columns only get wider.)"""
import os
import shutil
import subprocess
import sys

import pymupdf


def fail(message):
    print(f"check_printed: {message}", file=sys.stderr)
    sys.exit(1)


if len(sys.argv) < 3:
    fail("usage: check_printed.py OUTDIR FILE.xlsx...")
out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for path in sys.argv[2:]:
    name = os.path.splitext(os.path.basename(os.path.dirname(os.path.abspath(path))) + "-" + os.path.basename(path))[0]
    copy = os.path.join(out, name + ".xlsx")
    shutil.copyfile(path, copy)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", out, copy], check=True, capture_output=True)
    pdf = pymupdf.open(os.path.join(out, name + ".pdf"))
    smallest = None
    for number, page in enumerate(pdf, start=1):
        text = page.get_text()
        if "###" in text:
            fail(f"{name} page {number}: '###' (a number wider than its column)")
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                for span in line["spans"]:
                    if span["text"].strip():
                        smallest = span["size"] if smallest is None else min(smallest, span["size"])
                        if span["size"] < 7.95:
                            fail(f"{name} page {number}: {span['text'][:30]!r} prints at {span['size']:.1f} pt")
        page.get_pixmap(dpi=60).save(os.path.join(out, f"{name}-{number}.png"))
    print(f"check_printed: {name}: {pdf.page_count} pages, smallest text {smallest:.1f} pt, no ###")
