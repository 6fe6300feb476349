import Foundation
import Testing

@testable import PlanIO

/// How workbooks print (issue 29), against outside references: Adobe's Helvetica metrics (Arial's and
/// Liberation Sans's), Excel's column unit (7 px a character + 5 px of padding at 96 dpi), Excel's
/// rules for sheet names and for trailing commas in number formats, and A4's 297 mm.
@Suite struct WorkbookStyleTests {
    /// Helvetica AFM: "0"–"9" 556, "." 278, "R" 722, "p" 556, " " 278; bold "W" 944 as regular, bold
    /// "a" 556 (regular 556), bold "b" 611 (regular 556). 10 pt at 96 dpi is 13.33 px an em.
    @Test func textIsMeasuredInArialsMetrics() {
        let em = 10.0 * 96 / 72
        #expect(abs(WorkbookStyle.pixels("0") - 0.556 * em) < 1e-9)
        #expect(abs(WorkbookStyle.pixels("Rp 1.234") - (0.722 + 0.556 + 0.278 + 0.556 + 0.278 + 3 * 0.556) * em) < 1e-9)
        #expect(abs(WorkbookStyle.pixels("b", bold: true) - 0.611 * em) < 1e-9)
        #expect(abs(WorkbookStyle.pixels("b") - 0.556 * em) < 1e-9)
        // Outside ASCII: as wide as an em (the widest a Latin glyph gets), never narrower.
        #expect(abs(WorkbookStyle.pixels("—") - em) < 1e-9)
        #expect(WorkbookStyle.pixels("é") >= WorkbookStyle.pixels("e"))
    }

    /// Excel's column unit: a width of w characters is 7w + 5 pixels. A column gets the text's pixels
    /// and 8 px of margin: 9 digits (66.7 px) need ⌈(66.7 + 8 − 5) / 7⌉ = 10 characters (75 px).
    @Test func columnsAreTheTextAndAMargin() {
        let digits = WorkbookStyle.pixels("999.999.999")
        #expect(WorkbookStyle.Widths.characters(digits) == ((digits + 3) / 7).rounded(.up))
        var w = WorkbookStyle.Widths()
        w.note(2, "1.227.147")
        w.note(2, "72.312")
        let chars = w.characters(2, minimum: 8, maximum: 60)
        #expect(7 * chars + 5 >= WorkbookStyle.pixels("1.227.147") + 8)
        #expect(7 * (chars - 1) + 5 < WorkbookStyle.pixels("1.227.147") + 8)
        // The floor and the cap.
        w.note(3, "1")
        #expect(w.characters(3, minimum: 8, maximum: 60) == 8)
        w.note(4, String(repeating: "W", count: 200))
        #expect(w.characters(4, minimum: 8, maximum: 60) == 60)
    }

    /// A header wraps at its widest word or half its length, whichever is wider; a wrapping column
    /// keeps its cap; lines are counted word by word.
    @Test func headersAndLongTextWrap() {
        var w = WorkbookStyle.Widths()
        w.header(0, "Tumbuh vs realisasi")
        let half = WorkbookStyle.pixels("Tumbuh vs realisasi", bold: true) / 2
        #expect(w.pixels[0] == max(WorkbookStyle.pixels("realisasi", bold: true), half))
        w.wrapping(row: 3, column: 1, String(repeating: "sebagian tahun ", count: 10), within: 30)
        #expect(w.characters(1, minimum: 8, maximum: 60) == 30)
        let word = WorkbookStyle.pixels("sebagian")
        #expect(WorkbookStyle.Widths.lines("sebagian tahun", within: word, bold: false) == 2)
        #expect(WorkbookStyle.Widths.lines("sebagian tahun", within: WorkbookStyle.pixels("sebagian tahun"), bold: false) == 1)
        #expect(WorkbookStyle.Widths.lines("a b c", within: WorkbookStyle.pixels("a"), bold: false) == 3)
    }

    /// A4 landscape is 297 mm; less 0.4 in a side, 10.89 in = 1,045.7 px at 96 dpi. With a tenth in
    /// reserve a sheet up to 950 px prints whole, to 1,187 px shrunk (to 80%), wider in column groups.
    @Test func aSheetPrintsWholeShrunkToEightyPercentOrInColumnGroups() {
        #expect(abs(WorkbookStyle.printableWidth - (297 / 25.4 - 0.8) * 96) < 1e-9)
        #expect(abs(WorkbookStyle.printableWidth - 1045.7) < 0.1)
        #expect(WorkbookStyle.PrintLayout(width: 900) == .whole)
        #expect(WorkbookStyle.PrintLayout(width: 950) == .whole)
        #expect(WorkbookStyle.PrintLayout(width: 1000) == .scaled(percent: 95))  // 1045.7 / 1100 = 0.951
        #expect(WorkbookStyle.PrintLayout(width: 1187) == .scaled(percent: 80))  // 0.8006
        #expect(WorkbookStyle.PrintLayout(width: 1190) == .columnGroups)  // 0.7986
        #expect(WorkbookStyle.PrintLayout(width: 5000) == .columnGroups)
    }

    /// Excel's rules: at most 31 characters, none of [ ] : * ? / \, no apostrophe at either end,
    /// unique ignoring case.
    @Test func sheetNamesAreOnesExcelAccepts() {
        var taken: Set<String> = ["ringkasan"]
        #expect(WorkbookStyle.sheetName("PU", taken: &taken) == "PU")
        #expect(WorkbookStyle.sheetName("pu", taken: &taken) == "pu (2)")
        #expect(WorkbookStyle.sheetName("Ringkasan", taken: &taken) == "Ringkasan (2)")
        #expect(WorkbookStyle.sheetName("A/B:C*D?[E]\\F", taken: &taken) == "A-B-C-D--E--F")
        #expect(WorkbookStyle.sheetName("'quoted'", taken: &taken) == "quoted")
        let long = WorkbookStyle.sheetName(String(repeating: "x", count: 40), taken: &taken)
        #expect(long.count == 31)
        let again = WorkbookStyle.sheetName(String(repeating: "x", count: 40), taken: &taken)
        #expect(again.count == 31 && again.hasSuffix(" (2)"))
    }

    /// Excel: each comma at the end of a number format divides by 1,000, so Rp juta is two and Rp
    /// miliar three; whole rupiah keep "Rp " and no decimals.
    @Test func rupiahFormatsShowTheTablesUnit() {
        func divisor(_ format: String) -> Double {
            pow(1000, Double(format.reversed().prefix { $0 == "," }.count))
        }
        #expect(divisor(WorkbookStyle.rupiahNumberFormat(.juta)) == 1e6)
        #expect(divisor(WorkbookStyle.rupiahNumberFormat(.miliar)) == 1e9)
        #expect(WorkbookStyle.rupiahNumberFormat(.juta).hasPrefix("#,##0.0"))
        #expect(WorkbookStyle.rupiahNumberFormat(nil) == "\"Rp \"#,##0")
    }
}
