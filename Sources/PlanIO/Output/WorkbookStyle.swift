import CXLSXWriter
import Fitting
import Foundation

/// How rkat's workbooks look and print, one home for targets.xlsx and tracking.xlsx (issue 29):
/// every cell in Arial 10 (Liberation Sans where Arial is missing: the same metrics, so a column
/// wide enough here is wide enough in the planner's Excel and in LibreOffice); columns as wide as the
/// widest text they show, numbers as formatted, with a margin; pages never shrunk to fit: landscape A4
/// at 100%, a wide table prints in column groups that repeat the header row and the label columns.
enum WorkbookStyle {
    static let fontName = "Arial"
    static let fontSize = 10.0

    /// A new format in the workbook's font, top-aligned (a row with wrapped text reads from its top
    /// line); every cell is written with one (never nil), so no cell falls back to the default font,
    /// whose metrics we cannot promise.
    static func format(_ wb: UnsafeMutablePointer<lxw_workbook>, _ set: (UnsafeMutablePointer<lxw_format>) -> Void = { _ in }) -> UnsafeMutablePointer<lxw_format> {
        let f = workbook_add_format(wb)!
        format_set_font_name(f, fontName)
        format_set_font_size(f, fontSize)
        format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_TOP.rawValue))
        set(f)
        return f
    }

    /// A header cell: bold, wrapping (Widths makes its row tall enough), on the row's bottom line
    /// above its column.
    static func header(_ f: UnsafeMutablePointer<lxw_format>) {
        format_set_bold(f)
        format_set_text_wrap(f)
        format_set_align(f, UInt8(LXW_ALIGN_VERTICAL_BOTTOM.rawValue))
    }

    /// The number format of rupiah figures: whole rupiah stay in the cell (sums stay exact); the
    /// format shows them in the table's unit, one decimal (each trailing comma divides by 1,000):
    /// 2423636379963 shows as 2.423,6 under "Rp miliar" in an Indonesian Excel.
    static func rupiahNumberFormat(_ unit: RupiahUnit?) -> String {
        switch unit {
        case nil: return "\"Rp \"#,##0"
        case .juta: return "#,##0.0,,"
        case .miliar: return "#,##0.0,,,"
        }
    }

    /// Advance widths of ASCII 32–126 in thousandths of an em: Helvetica's (Adobe's AFM), which Arial
    /// and Liberation Sans share. Other characters count as the widest (1,000).
    static let regularWidths: [Int] = [
        278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
        556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
        556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
    ]
    static let boldWidths: [Int] = [
        278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
        556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
        667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
        611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584,
    ]

    /// The width of `text` in the workbook's font, in pixels at 96 dpi.
    static func pixels(_ text: String, bold: Bool = false) -> Double {
        let table = bold ? boldWidths : regularWidths
        let ems = text.unicodeScalars.reduce(0) { sum, u in
            sum + ((32...126).contains(u.value) ? table[Int(u.value) - 32] : 1000)
        }
        return Double(ems) / 1000 * fontSize * 96 / 72
    }

    /// Column widths that fit the widest text each column shows, in Excel's character units (the
    /// default font's digit, 7 px, plus 5 px of padding): the text's pixels and 8 px of margin. A
    /// header wraps (its format wraps text) at its widest word or half its length, whichever is
    /// wider, so long headers do not widen columns of short numbers; its row is made tall enough.
    struct Widths {
        var pixels: [Int: Double] = [:]
        var headers: [Int: String] = [:]
        /// Columns whose text wraps within a cap (pixels), and the cells that wrap in them.
        var caps: [Int: Double] = [:]
        var wrapped: [(row: Int, column: Int, text: String)] = []

        mutating func note(_ column: Int, _ shown: String, bold: Bool = false) {
            pixels[column] = max(pixels[column] ?? 0, WorkbookStyle.pixels(shown, bold: bold))
        }
        /// A header (row 0, bold, wrapping).
        mutating func header(_ column: Int, _ text: String) {
            headers[column] = text
            let words = text.split(separator: " ").map { WorkbookStyle.pixels(String($0), bold: true) }
            pixels[column] = max(pixels[column] ?? 0, words.max() ?? 0, WorkbookStyle.pixels(text, bold: true) / 2)
        }
        /// Text in a cell whose format wraps, in a column at most `characters` wide; its row is made
        /// as tall as its lines.
        mutating func wrapping(row: Int, column: Int, _ text: String, within characters: Double) {
            note(column, text)
            caps[column] = 7 * characters - 3
            wrapped.append((row, column, text))
        }
        static func characters(_ px: Double) -> Double { ((px + 8 - 5) / 7).rounded(.up) }

        /// Column `c`'s width in characters, as applied.
        func characters(_ c: Int, minimum: Double, maximum: Double) -> Double {
            min(max(Self.characters(min(pixels[c] ?? 0, caps[c] ?? .infinity)), minimum), maximum)
        }

        /// Sets the widths and the heights of rows with wrapped text; returns the sheet's width in pixels.
        @discardableResult
        func apply(_ ws: UnsafeMutablePointer<lxw_worksheet>, minimum: Double = 8, maximum: Double = 60) -> Double {
            var total = 0.0
            var lines: [Int: Int] = [:]
            let inside = { (c: Int) in 7 * characters(c, minimum: minimum, maximum: maximum) + 5 - 8 }
            for c in pixels.keys.sorted() {
                let chars = characters(c, minimum: minimum, maximum: maximum)
                worksheet_set_column(ws, lxw_col_t(c), lxw_col_t(c), chars, nil)
                total += 7 * chars + 5
                if let h = headers[c] { lines[0] = max(lines[0] ?? 1, Self.lines(h, within: inside(c), bold: true)) }
            }
            for w in wrapped { lines[w.row] = max(lines[w.row] ?? 1, Self.lines(w.text, within: inside(w.column), bold: false)) }
            // Rows as tall as their lines (no program is trusted to fit them on opening).
            for (row, n) in lines.sorted(by: { $0.key < $1.key }) where n > 1 {
                worksheet_set_row(ws, lxw_row_t(row), 12.75 * Double(n) + 1.5, nil)
            }
            return total
        }

        /// Lines `text` wraps into at `px` (word by word, as Excel wraps).
        static func lines(_ text: String, within px: Double, bold: Bool) -> Int {
            var lines = 1, line = 0.0
            let space = WorkbookStyle.pixels(" ", bold: bold)
            for word in text.split(separator: " ").map({ WorkbookStyle.pixels(String($0), bold: bold) }) {
                if line > 0 && line + space + word > px {
                    lines += 1
                    line = word
                } else {
                    line += (line > 0 ? space : 0) + word
                }
            }
            return lines
        }
    }

    /// The width printed across an A4 landscape page between WorkbookStyle's margins, in pixels at 96 dpi.
    static let printableWidth = (297 / 25.4 - 0.8) * 96

    /// How a sheet `width` pixels wide prints across the page: whole at 100%; shrunk to one page wide
    /// down to 80% (the 10-point font at 8 points, never less); wider, at 100% in column groups.
    enum PrintLayout: Equatable {
        case whole, scaled(percent: Int), columnGroups

        init(width: Double) {
            // A tenth in reserve: spreadsheet programs round column widths to their own units.
            let fit = (WorkbookStyle.printableWidth / (width * 1.1) * 100).rounded(.down)
            self = fit >= 100 ? .whole : fit >= 80 ? .scaled(percent: Whole.clamped(fit)) : .columnGroups
        }
    }

    /// The page of a sheet as it prints: landscape A4 laid out by PrintLayout, the header row on every
    /// page (and in column groups the first `labelColumns` columns), a footer with `footer` (plain
    /// text; its `&` escaped here) and the page number.
    static func setPage(
        _ ws: UnsafeMutablePointer<lxw_worksheet>, width: Double, footer: String, words t: Words, labelColumns: Int = 1, repeatHeader: Bool = true
    ) {
        worksheet_set_landscape(ws)
        worksheet_set_paper(ws, 9)  // A4
        if repeatHeader { worksheet_repeat_rows(ws, 0, 0) }
        switch PrintLayout(width: width) {
        case .whole: break
        case .scaled(let percent): worksheet_set_print_scale(ws, UInt16(percent))
        case .columnGroups: if labelColumns > 0 { worksheet_repeat_columns(ws, 0, lxw_col_t(labelColumns - 1)) }
        }
        worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6)
        let page = t.t("Halaman &P dari &N", "Page &P of &N")
        worksheet_set_footer(ws, "&L" + footer.replacingOccurrences(of: "&", with: "&&") + "&R" + page)
    }

    /// A sheet name Excel accepts: at most 31 characters, none of []:*?/\, not starting or ending
    /// with an apostrophe, and unlike the names already `taken` (compared as Excel does, ignoring case).
    static func sheetName(_ wanted: String, taken: inout Set<String>) -> String {
        var base = String(wanted.map { "[]:*?/\\".contains($0) ? "-" : $0 })
        while base.hasPrefix("'") { base.removeFirst() }
        if base.isEmpty { base = "Sheet" }
        var name = String(base.prefix(31))
        while name.hasSuffix("'") { name.removeLast() }
        var k = 2
        while taken.contains(name.lowercased()) {
            let suffix = " (\(k))"
            name = String(base.prefix(31 - suffix.count)) + suffix
            k += 1
        }
        taken.insert(name.lowercased())
        return name
    }
}
