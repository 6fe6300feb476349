#!/usr/bin/env python3
"""Checks that workbooks print readable (issue 29), as Excel and LibreOffice lay them out, without
either: opens each .xlsx in openpyxl and, on every sheet,
  - something to show below the header row, and a name Excel accepts (at most 31 characters);
  - landscape A4, never fitted to a page: a print scale of at least 80%, so the 10-point font prints
    at 8 points or more; every cell's font at least 10 points in Arial (metric-compatible with
    Liberation Sans, measured here);
  - no "###": every number, formatted by its cell's number format, fits its column's width in pixels
    (Excel: width × 7 px, the default font's digit), measured in Liberation Sans 10 pt at 96 dpi with
    FreeType (PIL) and 4 px of cell padding;
  - text that wraps fits its row: the row is as tall as the lines the text wraps into; text that does
    not wrap is never cut by a filled cell to its right.
Usage: check_print.py FILE.xlsx... (exit 1 with the first failure)."""
import glob
import os
import re
import sys

import openpyxl
from openpyxl.utils import get_column_letter
from PIL import ImageFont


def fail(message):
    print(f"check_print: {message}", file=sys.stderr)
    sys.exit(1)


def font_file(bold):
    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    found = glob.glob(f"/usr/share/fonts/**/{name}", recursive=True)
    if not found:
        fail(f"{name} not found (Debian: apt-get install fonts-liberation)")
    return found[0]


PX_PER_PT = 96 / 72
fonts = {}


def pixels(text, bold=False, size=10):
    key = (bold, size)
    if key not in fonts:
        # FreeType at 1,000 units a size, scaled: sub-pixel widths as the layout engines sum them.
        fonts[key] = ImageFont.truetype(font_file(bold), 1000)
    return fonts[key].getlength(text) / 1000 * size * PX_PER_PT


def grouped(whole):
    return f"{whole:,}"


def formatted(value, number_format):
    """The text a number shows with the workbook's number formats (en-US separators: the same
    number of characters as the Indonesian ones)."""
    f = number_format
    if f in ("General",):
        return repr(value)
    if f == "0.0%":
        return f"{value * 100:.1f}%"
    m = re.fullmatch(r'(?:"Rp "|)#,##0(\.0)?(,*)', f)
    if not m:
        fail(f"number format {f!r} is not one this check can render")
    divisor = 1000 ** len(m.group(2))
    prefix = "Rp " if f.startswith('"Rp "') else ""
    v = value / divisor
    text = f"{v:,.1f}" if m.group(1) else f"{round(v):,}"
    return prefix + text


def column_pixels(sheet, column):
    width = sheet.column_dimensions[get_column_letter(column)].width
    # openpyxl reports 13.0 for a column without a width of its own; Excel's default is 8.43.
    if width is None or not sheet.column_dimensions[get_column_letter(column)].customWidth:
        width = 8.43
    return int(width * 7 + 0.5)


def wrapped_lines(text, px, bold):
    lines, line = 1, 0.0
    space = pixels(" ", bold)
    for word in text.split(" "):
        w = pixels(word, bold)
        if line > 0 and line + space + w > px:
            lines, line = lines + 1, w
        else:
            line += (space if line > 0 else 0) + w
    return lines + text.count("\n")


def check(path):
    book = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    names = set()
    for sheet in book.worksheets:
        name = sheet.title
        if sheet.sheet_state != "visible":
            continue  # a hidden sheet (targets.xlsx's plan anchor) does not print
        where = f"{os.path.basename(path)}:{name}"
        if len(name) > 31 or re.search(r"[\[\]:*?/\\]", name) or name.lower() in names:
            fail(f"{where}: not a sheet name Excel accepts")
        names.add(name.lower())
        if not any(c.value not in (None, "") for row in sheet.iter_rows(min_row=2) for c in row):
            fail(f"{where}: nothing below the header row (an empty sheet)")
        ps = sheet.page_setup
        if ps.orientation != "landscape" or str(ps.paperSize) != "9":
            fail(f"{where}: prints {ps.orientation} on paper {ps.paperSize}, expected landscape A4 (9)")
        if sheet.sheet_properties.pageSetUpPr is not None and sheet.sheet_properties.pageSetUpPr.fitToPage:
            fail(f"{where}: fitted to a page (its font shrinks without a floor)")
        scale = ps.scale or 100
        merged = {}
        for r in sheet.merged_cells.ranges:
            merged[(r.min_row, r.min_col)] = sum(column_pixels(sheet, c) for c in range(r.min_col, r.max_col + 1))
            for row in range(r.min_row, r.max_row + 1):
                for col in range(r.min_col, r.max_col + 1):
                    if (row, col) != (r.min_row, r.min_col):
                        merged[(row, col)] = None
        cached = values[name]
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value in (None, ""):
                    continue
                at = f"{where}!{cell.coordinate}"
                size = cell.font.sz or 11
                if cell.font.name != "Arial" or size < 10:
                    fail(f"{at}: font {cell.font.name} {size} pt, expected Arial 10")
                if size * scale / 100 < 8:
                    fail(f"{at}: prints at {size * scale / 100:.1f} pt (scale {scale}%)")
                bold = bool(cell.font.b)
                width = merged.get((cell.row, cell.column), column_pixels(sheet, cell.column))
                if width is None:
                    continue
                value = cell.value
                if isinstance(value, str) and value.startswith("="):
                    value = cached[cell.coordinate].value
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    text = formatted(value, cell.number_format)
                    if pixels(text, bold) + 4 > width:
                        fail(f"{at}: {text!r} needs {pixels(text, bold) + 4:.0f} px, its column has {width} (Excel shows ###)")
                    continue
                text = str(value)
                if cell.alignment.wrap_text:
                    lines = wrapped_lines(text, width - 4, bold)
                    height = sheet.row_dimensions[cell.row].height or 12.75
                    if height < 12.75 * lines:
                        fail(f"{at}: {text[:40]!r}… wraps into {lines} lines, its row is {height} pt tall")
                elif pixels(text, bold) + 4 > width:
                    right = sheet.cell(row=cell.row, column=cell.column + 1).value
                    if right not in (None, ""):
                        fail(f"{at}: {text[:40]!r} is cut by the filled cell to its right ({width} px for {pixels(text, bold):.0f})")


if len(sys.argv) < 2:
    fail("usage: check_print.py FILE.xlsx...")
for p in sys.argv[1:]:
    check(p)
print(f"check_print: {len(sys.argv) - 1} workbook(s) print readable (no ###, nothing under 8 pt, no empty sheet)")
