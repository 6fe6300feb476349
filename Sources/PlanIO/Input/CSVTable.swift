import Foundation
import Planning

/// A CSV file with a header row, every cell remembering where it stood.
///
/// Hand-written rather than a CSV library because errors must point at FILE:LINE:COL and the
/// libraries available (SwiftCSV, CSV.swift) do not report field positions. RFC 4180: comma
/// separated, fields may be quoted with "" as an escaped quote, quoted fields may span lines,
/// CRLF or LF line ends, a UTF-8 byte-order mark is skipped, blank lines and rows of empty fields
/// (Excel's trailing rows) are ignored. `parse(_:file:separator:)` also reads `;`-separated files as
/// Excel writes them in Indonesian settings.
public struct CSVTable: Sendable {
    public struct Cell: Sendable, Equatable {
        public var text: String
        public var line: Int
        public var column: Int
        /// A workbook's typed number (`text` shows it); nil in a CSV file.
        public var number: Double? = nil
        /// A workbook's date cell (or a month heading read from its text): its month.
        public var month: Month? = nil
        /// Why a workbook cell cannot be read (an error value, a formula without its result): said
        /// when the cell is used.
        public var problem: Phrase? = nil
    }

    /// Name shown in messages (the path as given).
    public let file: String
    public let header: [String]
    public let rows: [[Cell]]

    public static func read(path: String) throws(InputError) -> CSVTable {
        try parse(try readText(path: path), file: path)
    }

    /// A file's text as UTF-8, with the messages every reader uses.
    static func readText(path: String) throws(InputError) -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw InputError(Phrase("berkas tidak ada", "no such file"), file: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(Phrase("berkas tidak dapat dibaca", "cannot read the file"), file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputError(Phrase("bukan teks UTF-8 (di Excel, simpan sebagai \"CSV UTF-8\")", "not UTF-8 text (in Excel, save as \"CSV UTF-8\")"), file: path)
        }
        return text
    }

    /// Windows-1252 (Excel's "CSV" on Windows in Western and Indonesian settings) as text: Latin-1 with
    /// 0x80–0x9F holding €, curly quotes and dashes; the five unassigned bytes are nil (not this encoding).
    static func windows1252(_ data: Data) -> String? {
        let high: [UInt32?] = [
            0x20AC, nil, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, nil, 0x017D, nil,
            nil, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, nil, 0x017E, 0x0178,
        ]
        var scalars = String.UnicodeScalarView()
        for b in data {
            let code: UInt32? = (0x80...0x9F).contains(b) ? high[Int(b) - 0x80] : UInt32(b)
            guard let code, code != 0, let u = Unicode.Scalar(code) else { return nil }
            scalars.append(u)
        }
        return String(scalars)
    }

    /// The field separator of a file from its header line: `;` when the line holds more semicolons than
    /// commas (outside quotes), else `,`.
    public static func separator(ofHeader text: Substring) -> Unicode.Scalar {
        var semicolons = 0, commas = 0, inQuotes = false
        for c in text.unicodeScalars {
            if c == "\n" && !inQuotes { break }
            if c == "\"" { inQuotes.toggle() } else if !inQuotes && c == ";" { semicolons += 1 } else if !inQuotes && c == "," { commas += 1 }
        }
        return semicolons > commas ? ";" : ","
    }

    public static func parse(_ text: String, file: String, separator: Unicode.Scalar = ",") throws(InputError) -> CSVTable {
        let records = try records(text, file: file, separator: separator)
        guard let head = records.first else { throw InputError(Phrase("berkasnya kosong (baris judul diharapkan)", "the file is empty (a header row is expected)"), file: file) }
        let header = head.map(\.text)
        var seen: [String: Int] = [:]
        for cell in head {
            if cell.text.isEmpty {
                throw InputError(Phrase("nama kolom kosong di baris judul", "empty column name in the header"), at: SourceLocation(file: file, line: cell.line, column: cell.column))
            }
            if seen[cell.text] != nil {
                throw InputError(Phrase("nama kolom ganda '\(cell.text)'", "duplicate column name '\(cell.text)'"), at: SourceLocation(file: file, line: cell.line, column: cell.column))
            }
            seen[cell.text] = 1
        }
        let body = Array(records.dropFirst())
        for r in body where r.count != header.count {
            throw InputError(
                Phrase("baris ini berisi \(r.count) kolom, padahal baris judul \(header.count)", "this row has \(r.count) fields but the header has \(header.count)"),
                at: SourceLocation(file: file, line: r[0].line, column: 1))
        }
        return CSVTable(file: file, header: header, rows: body)
    }

    /// The records of a CSV text, every cell located; blank lines and rows of empty fields left out, no
    /// header checked (a wide history may carry title rows above its header).
    static func records(_ text: String, file: String, separator: Unicode.Scalar = ",") throws(InputError) -> [[Cell]] {
        var records: [[Cell]] = []
        var record: [Cell] = []
        var field = ""
        var fieldLine = 1, fieldColumn = 1
        var line = 1, column = 1
        var inQuotes = false, quotedField = false, atFieldStart = true
        var quoteLine = 1, quoteColumn = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }

        var anyQuoted = false
        func endField() {
            anyQuoted = anyQuoted || quotedField
            record.append(Cell(text: quotedField ? field : field.trimmingCharacters(in: .whitespaces), line: fieldLine, column: fieldColumn))
            field = ""
            quotedField = false
            atFieldStart = true
        }
        func endRecord() {
            endField()
            // A blank line, or a row of empty fields (Excel's trailing rows), is no record.
            if anyQuoted || !record.allSatisfy(\.text.isEmpty) { records.append(record) }
            anyQuoted = false
            record = []
        }
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if atFieldStart {
                fieldLine = line
                fieldColumn = column
                atFieldStart = false
            }
            if inQuotes {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 2
                        column += 2
                        continue
                    }
                    inQuotes = false
                } else if c == "\n" {
                    field.unicodeScalars.append(c)
                    line += 1
                    column = 0
                } else {
                    field.unicodeScalars.append(c)
                }
            } else if c == "\"" {
                if field.trimmingCharacters(in: .whitespaces).isEmpty && !quotedField {
                    field = ""
                    inQuotes = true
                    quotedField = true
                    quoteLine = line
                    quoteColumn = column
                } else {
                    throw InputError(Phrase("tanda kutip di dalam kolom tanpa kutip (kutip seluruh kolom dan gandakan tanda kutipnya)", "a quote inside an unquoted field (quote the whole field and double the quote)"), at: SourceLocation(file: file, line: line, column: column))
                }
            } else if c == separator {
                endField()
            } else if c == "\r" {
                // CR of CRLF: the LF ends the record.
            } else if c == "\n" {
                endRecord()
                line += 1
                column = 0
            } else if quotedField {
                // After the closing quote only blanks may follow (and are not part of the value).
                if c != " " && c != "\t" {
                    throw InputError(Phrase("ada teks setelah tanda kutip penutup", "text after a closing quote"), at: SourceLocation(file: file, line: line, column: column))
                }
            } else {
                field.unicodeScalars.append(c)
            }
            column += 1
            i += 1
        }
        if inQuotes {
            throw InputError(Phrase("kolom berkutip tidak ditutup", "a quoted field is not closed"), at: SourceLocation(file: file, line: quoteLine, column: quoteColumn))
        }
        if !atFieldStart || !record.isEmpty { endRecord() }
        return records
    }

    /// Index of a column by exact name, with a "did you mean" when it is missing.
    func columnIndex(_ name: String) throws(InputError) -> Int {
        if let i = header.firstIndex(of: name) { return i }
        let guess = closestMatch(to: name, in: header), list = header.joined(separator: ", "), quoted = header.map { "'\($0)'" }.joined(separator: ", ")
        throw InputError(
            Phrase { l in
                l.t("tidak ada kolom '\(name)'", "no column '\(name)'") + (guess.map { l.t(" (maksud Anda '\($0)'?)", " (did you mean '\($0)'?)") } ?? "")
                    + l.t("; kolom: \(quoted)", "; columns: \(list)")
            }, at: SourceLocation(file: file, line: 1, column: 1))
    }

    /// "column 'y': 'abc' is not a number" (or "an empty cell …"), in both languages.
    static func cellError(_ name: String, _ text: String, isNot: (id: String, en: String)) -> Phrase {
        Phrase { l in
            let what = text.isEmpty ? l.t("sel kosong", "an empty cell") : "'\(text)'"
            return l.t("kolom '\(name)': \(what) \(isNot.id)", "column '\(name)': \(what) \(isNot.en)")
        }
    }

    /// A column's cells as numbers; a blank or non-numeric cell is an error at its location.
    public func numbers(_ name: String) throws(InputError) -> [Double] {
        let j = try columnIndex(name)
        return try rows.map { row throws(InputError) -> Double in
            let cell = row[j]
            guard let v = Self.number(cell.text) else {
                throw InputError(Self.cellError(name, cell.text, isNot: ("bukan angka", "is not a number")), at: location(cell))
            }
            return v
        }
    }

    /// A time column: plain numbers (decimal years or any other unit), or `YYYY-MM` months, taken as
    /// the end of the month (year + month/12), or `YYYY-MM-DD` dates as year + (day of year)/(days in year).
    func times(_ name: String) throws(InputError) -> [Double] {
        let j = try columnIndex(name)
        return try rows.map { row throws(InputError) -> Double in
            let cell = row[j]
            if let v = Self.number(cell.text) { return v }
            if let v = Self.decimalYear(cell.text) { return v }
            throw InputError(
                Self.cellError(name, cell.text, isNot: ("bukan angka maupun bulan YYYY-MM", "is neither a number nor a YYYY-MM month")), at: location(cell))
        }
    }

    public func location(_ cell: Cell) -> SourceLocation {
        SourceLocation(file: file, line: cell.line, column: cell.column)
    }

    /// Numbers in one grammar with the scenario reader (`ScalarText.number`): an optional sign, digits
    /// with `_` only between digits, an optional point and exponent. Digit-group separators are refused
    /// rather than guessed ("1.704.308" or "1,704,308").
    static func number(_ s: String) -> Double? { ScalarText.number(s) }

    /// `YYYY-MM` → year + month/12 (the end of the month); `YYYY-MM-DD` → year + day-of-year/days-in-year.
    static func decimalYear(_ s: String) -> Double? {
        if let m = Month(s) { return m.decimalYear }
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let m = Month(parts[0...1].joined(separator: "-")) else { return nil }
        let year = m.year, month = m.month
        guard parts[2].count == 2, let day = Int(parts[2]) else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...lengths[month - 1]).contains(day) else { return nil }
        let dayOfYear = lengths[0..<(month - 1)].reduce(0, +) + day
        return Double(year) + Double(dayOfYear) / Double(leap ? 366 : 365)
    }
}
