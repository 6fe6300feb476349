import Foundation
import Planning

/// A CSV file with a header row, every cell remembering where it stood.
///
/// Hand-written rather than a CSV library because errors must point at FILE:LINE:COL and the
/// libraries available (SwiftCSV, CSV.swift) do not report field positions. RFC 4180: comma
/// separated, fields may be quoted with "" as an escaped quote, quoted fields may span lines,
/// CRLF or LF line ends, a UTF-8 byte-order mark is skipped, blank lines are ignored.
public struct CSVTable: Sendable {
    public struct Cell: Sendable, Equatable {
        public var text: String
        public var line: Int
        public var column: Int
    }

    /// Name shown in messages (the path as given).
    public let file: String
    public let header: [String]
    public let rows: [[Cell]]

    public static func read(path: String) throws(InputError) -> CSVTable {
        try parse(try readText(path: path), file: path)
    }

    /// A file's text as UTF-8, with the messages every reader uses.
    public static func readText(path: String) throws(InputError) -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw InputError("no such file", file: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError("cannot read the file", file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError("not UTF-8 text", file: path) }
        return text
    }

    public static func parse(_ text: String, file: String) throws(InputError) -> CSVTable {
        var records: [[Cell]] = []
        var record: [Cell] = []
        var field = ""
        var fieldLine = 1, fieldColumn = 1
        var line = 1, column = 1
        var inQuotes = false, quotedField = false, atFieldStart = true
        var quoteLine = 1, quoteColumn = 1
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }

        func endField() {
            record.append(Cell(text: quotedField ? field : field.trimmingCharacters(in: .whitespaces), line: fieldLine, column: fieldColumn))
            field = ""
            quotedField = false
            atFieldStart = true
        }
        func endRecord() {
            endField()
            if !(record.count == 1 && record[0].text.isEmpty) { records.append(record) }
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
                    throw InputError("a quote inside an unquoted field (quote the whole field and double the quote)", at: SourceLocation(file: file, line: line, column: column))
                }
            } else if c == "," {
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
                    throw InputError("text after a closing quote", at: SourceLocation(file: file, line: line, column: column))
                }
            } else {
                field.unicodeScalars.append(c)
            }
            column += 1
            i += 1
        }
        if inQuotes {
            throw InputError("a quoted field is not closed", at: SourceLocation(file: file, line: quoteLine, column: quoteColumn))
        }
        if !atFieldStart || !record.isEmpty { endRecord() }
        guard let head = records.first else { throw InputError("the file is empty (a header row is expected)", file: file) }
        let header = head.map(\.text)
        var seen: [String: Int] = [:]
        for cell in head {
            if cell.text.isEmpty {
                throw InputError("empty column name in the header", at: SourceLocation(file: file, line: cell.line, column: cell.column))
            }
            if seen[cell.text] != nil {
                throw InputError("duplicate column name '\(cell.text)'", at: SourceLocation(file: file, line: cell.line, column: cell.column))
            }
            seen[cell.text] = 1
        }
        let body = Array(records.dropFirst())
        for r in body where r.count != header.count {
            throw InputError(
                "this row has \(r.count) fields but the header has \(header.count)",
                at: SourceLocation(file: file, line: r[0].line, column: 1))
        }
        return CSVTable(file: file, header: header, rows: body)
    }

    /// Index of a column by exact name, with a "did you mean" when it is missing.
    public func columnIndex(_ name: String) throws(InputError) -> Int {
        if let i = header.firstIndex(of: name) { return i }
        var message = "no column '\(name)'"
        if let guess = closestMatch(to: name, in: header) { message += " (did you mean '\(guess)'?)" }
        message += "; columns: " + header.joined(separator: ", ")
        throw InputError(message, at: SourceLocation(file: file, line: 1, column: 1))
    }

    /// A column's cells as numbers; a blank or non-numeric cell is an error at its location.
    public func numbers(_ name: String) throws(InputError) -> [Double] {
        let j = try columnIndex(name)
        return try rows.map { row throws(InputError) -> Double in
            let cell = row[j]
            guard let v = Self.number(cell.text) else {
                let what = cell.text.isEmpty ? "an empty cell" : "'\(cell.text)'"
                throw InputError("column '\(name)': \(what) is not a number", at: location(cell))
            }
            return v
        }
    }

    /// A time column: plain numbers (decimal years or any other unit), or `YYYY-MM` months, taken as
    /// the end of the month (year + month/12), or `YYYY-MM-DD` dates as year + (day of year)/(days in year).
    public func times(_ name: String) throws(InputError) -> [Double] {
        let j = try columnIndex(name)
        return try rows.map { row throws(InputError) -> Double in
            let cell = row[j]
            if let v = Self.number(cell.text) { return v }
            if let v = Self.decimalYear(cell.text) { return v }
            let what = cell.text.isEmpty ? "an empty cell" : "'\(cell.text)'"
            throw InputError("column '\(name)': \(what) is neither a number nor a YYYY-MM month", at: location(cell))
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
