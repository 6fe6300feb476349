import Fitting
import Foundation
import Planning
import ZIPFoundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// An Excel workbook (.xlsx, Office Open XML) read for its cells' values: typed numbers, dates, texts.
///
/// Built on ZIPFoundation (the zip container, inflating through zlib) and Foundation's `XMLParser`
/// (libxml2's streaming SAX parser). XMLCoder, also in the package mirror, was not taken: it builds the
/// whole document tree before decoding, and a sheet is read here cell by cell.
///
/// Hostile files are refused with one line, in bounded memory (`Limits`): the inflated bytes of every
/// part are counted while they stream (a zip's stated sizes can lie), no part may declare a DTD (so no
/// entity, external or internal, is ever expanded), elements nest at most `maxDepth` deep, and the
/// shared strings, sheets and cells have caps.
public struct Workbook {
    /// What a workbook may hold. A Kanwil's monthly realisation (6,600 rows × 120 months) is about
    /// 30 MB of sheet XML, well inside.
    public struct Limits: Sendable {
        /// The .xlsx file itself.
        public var fileBytes = 64 << 20
        /// One part (a sheet's or the shared strings' XML) once inflated.
        public var partBytes = 128 << 20
        /// Entries in the zip's directory.
        public var entries = 10_000
        /// Strings in the shared-strings table.
        public var sharedStrings = 2_000_000
        /// Cells with a value in one sheet.
        public var cells = 3_000_000
        /// Elements nested in one part.
        public var depth = 64

        public init() {}
    }

    /// A worksheet of the workbook, in tab order.
    public struct SheetInfo: Sendable {
        public var name: String
        /// The part's path in the zip (`xl/worksheets/sheet1.xml`).
        var part: String
        public var hidden: Bool
    }

    /// The file as given (messages name it).
    public let file: String
    public let sheets: [SheetInfo]
    /// The 1904 date system (Excel for Mac before 2011): serial 0 is 1 January 1904.
    public let date1904: Bool
    let limits: Limits
    let archive: Archive
    let sharedStrings: [String]
    /// Per cell format (`s` attribute, an index into cellXfs): true when its number format shows a date.
    let dateFormats: [Bool]

    /// Opens the workbook and reads its directory, sheets, shared strings and date formats.
    public static func open(path: String, limits: Limits = Limits()) throws(InputError) -> Workbook {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else { throw InputError(Phrase("berkas tidak dapat dibaca", "cannot read the file"), file: path) }
        guard size <= limits.fileBytes else {
            throw InputError(Phrase("buku kerja lebih dari \(limits.fileBytes >> 20) MiB ditolak", "a workbook over \(limits.fileBytes >> 20) MiB is refused"), file: path)
        }
        let archive: Archive
        do { archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read) } catch {
            throw InputError(notAWorkbook, file: path)
        }
        var names: [String: Entry] = [:]
        var count = 0
        for entry in archive {
            count += 1
            guard count <= limits.entries else {
                throw InputError(Phrase("arsip zip berisi lebih dari \(limits.entries) entri: bukan buku kerja yang wajar", "the zip holds over \(limits.entries) entries: not a plausible workbook"), file: path)
            }
            names[entry.path] = entry
        }
        var reader = PartReader(file: path, archive: archive, entries: names, limits: limits)
        guard names["[Content_Types].xml"] != nil else { throw InputError(notAWorkbook, file: path) }
        // The workbook part, from the package's relationships (xl/workbook.xml in every writer seen).
        let rootRels = try reader.relationships(of: "")
        guard let workbookPart = rootRels.first(where: { $0.type.hasSuffix("/officeDocument") })?.target ?? (names["xl/workbook.xml"] != nil ? "xl/workbook.xml" : nil) else {
            throw InputError(notAWorkbook, file: path)
        }
        let book = try reader.parse(workbookPart, WorkbookHandler())
        let rels = try reader.relationships(of: workbookPart)
        var sheets: [SheetInfo] = []
        for s in book.sheets {
            guard let rel = rels.first(where: { $0.id == s.relationship }), rel.type.hasSuffix("/worksheet") else { continue }  // chart sheets, dialogs
            sheets.append(SheetInfo(name: s.name, part: rel.target, hidden: s.hidden))
        }
        guard !sheets.isEmpty else {
            throw InputError(Phrase("buku kerja tidak berisi lembar kerja", "the workbook holds no worksheet"), file: path)
        }
        var strings: [String] = []
        if let target = rels.first(where: { $0.type.hasSuffix("/sharedStrings") })?.target, names[target] != nil {
            strings = try reader.parse(target, SharedStringsHandler(limit: limits.sharedStrings)).strings
        }
        var dateFormats: [Bool] = []
        if let target = rels.first(where: { $0.type.hasSuffix("/styles") })?.target, names[target] != nil {
            let styles = try reader.parse(target, StylesHandler())
            dateFormats = styles.cellFormats.map { id in styles.customFormats[id].map(Self.isDateFormat) ?? Self.builtInDateFormats.contains(id) }
        }
        return Workbook(
            file: path, sheets: sheets, date1904: book.date1904, limits: limits, archive: archive, sharedStrings: strings, dateFormats: dateFormats)
    }

    static let notAWorkbook = Phrase(
        "bukan buku kerja .xlsx yang terbaca (arsip zip rusak atau bukan Office Open XML; simpan ulang dari Excel sebagai \"Buku Kerja Excel (.xlsx)\")",
        "not a readable .xlsx workbook (a damaged zip, or not Office Open XML; save it again from Excel as \"Excel Workbook (.xlsx)\")")

    /// The sheet named `name`, with a "did you mean" when there is none.
    public func sheet(named name: String) throws(InputError) -> SheetInfo {
        if let s = sheets.first(where: { $0.name == name }) { return s }
        let list = sheets.map { "'\($0.name)'" }.joined(separator: ", "), guess = closestMatch(to: name, in: sheets.map(\.name))
        throw InputError(
            Phrase { l in
                l.t("buku kerja tidak memiliki lembar '\(name)'", "the workbook has no sheet '\(name)'") + (guess.map { l.t(" (maksud Anda '\($0)'?)", " (did you mean '\($0)'?)") } ?? "")
                    + l.t("; lembarnya: \(list)", "; its sheets: \(list)")
            }, file: file)
    }

    /// A worksheet's cells, row by row.
    public func read(_ info: SheetInfo) throws(InputError) -> Sheet {
        var reader = PartReader(file: file, archive: archive, entries: [:], limits: limits)
        guard let entry = archive[info.part] else {
            throw InputError(Phrase("lembar '\(info.name)' tidak ada dalam arsip (\(info.part))", "sheet '\(info.name)' is missing from the archive (\(info.part))"), file: file)
        }
        reader.entries[info.part] = entry
        let handler = SheetHandler(sharedStrings: sharedStrings, dateFormats: dateFormats, date1904: date1904, cellLimit: limits.cells)
        let parsed = try reader.parse(info.part, handler, sheet: info.name)
        return Sheet(file: file, name: info.name, rows: parsed.rows, merged: parsed.merged)
    }

    /// A cell's name as Excel writes it: "F12" → (row 12, column 6); nil beyond the sheet's 1,048,576
    /// rows and 16,384 columns.
    static func reference(_ text: String) -> (row: Int, column: Int)? {
        var column = 0, row = 0, digits = false
        for u in text.utf8 {
            if (65...90).contains(u) && !digits {
                column = column * 26 + Int(u) - 64
            } else if (48...57).contains(u) {
                digits = true
                row = row * 10 + Int(u) - 48
            } else { return nil }
            guard column <= 16_384, row <= 1_048_576 else { return nil }
        }
        return column > 0 && row > 0 ? (row, column) : nil
    }

    // MARK: - Dates

    /// Built-in number formats that show a date (ECMA-376 §18.8.30, with the East Asian ids); 18–21 and
    /// 45–47 are times of day.
    static let builtInDateFormats: Set<Int> = Set(14...17).union([22]).union(27...36).union(50...58)

    /// A custom format shows a date when, outside quoted text, escapes and [colour/locale] brackets, it
    /// has a day, month or year code (`m` beside `h` or `s` is minutes: a time, not a date).
    static func isDateFormat(_ code: String) -> Bool {
        var plain = "", inQuote = false, inBracket = false, escape = false
        for c in code {
            if escape { escape = false; continue }
            if inQuote { if c == "\"" { inQuote = false }; continue }
            if inBracket { if c == "]" { inBracket = false }; continue }
            switch c {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": escape = true  // the next character is literal, padding or fill
            default: plain.append(Character(c.lowercased()))
            }
        }
        if plain.contains("y") || plain.contains("d") { return true }
        return plain.contains("m") && !plain.contains("h") && !plain.contains("s")
    }

    /// The calendar month of a date serial: the 1900 system counts 1 January 1900 as 1 and keeps Lotus'
    /// 29 February 1900 (serial 60, read as February 1900); the 1904 system counts 1 January 1904 as 0.
    /// nil before the system's first day or beyond year 9999.
    public static func month(serial: Double, date1904: Bool) -> Month? {
        guard serial.isFinite, serial >= (date1904 ? 0 : 1), serial < 2_958_466 else { return nil }
        let day = Whole.clamped(serial, .down)
        if !date1904 && day == 60 { return Month(year: 1900, month: 2) }
        // Days from 1 January 1970 (the civil-from-days algorithm works on that epoch).
        let epochDays = date1904 ? day - 24_107 : (day < 60 ? day - 25_568 : day - 25_569)
        let z = epochDays + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let m = mp < 10 ? mp + 3 : mp - 9
        return Month(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m)
    }

    // MARK: - Cells

    /// A worksheet's cells with a value, in row order; rows without any are left out.
    public struct Sheet: Sendable {
        public enum Value: Sendable, Equatable {
            case number(Double)
            /// A number shown as a date; its month (nil when out of the calendar).
            case date(serial: Double, month: Month?)
            case text(String)
            case bool(Bool)
            /// An error value (`#DIV/0!`, `#REF!`).
            case error(String)
            /// A formula saved without its result (openpyxl writes them so): nothing to read.
            case formulaWithoutValue
        }

        public struct Cell: Sendable, Equatable {
            public var row: Int
            public var column: Int
            public var value: Value
        }

        /// A merged range, first and last cell inclusive.
        public struct Range: Sendable, Equatable {
            public var firstRow, firstColumn, lastRow, lastColumn: Int
            public var name: String {
                "\(SourceLocation.columnName(firstColumn))\(firstRow):\(SourceLocation.columnName(lastColumn))\(lastRow)"
            }
        }

        public let file: String
        public let name: String
        public let rows: [[Cell]]
        public let merged: [Range]

        public func location(row: Int, column: Int) -> SourceLocation { SourceLocation(file: file, line: row, column: column, sheet: name) }
    }
}

// MARK: - Parts

/// Inflates a part (bounded, DTD-free) and runs a SAX handler over it.
private struct PartReader {
    let file: String
    let archive: Archive
    var entries: [String: Entry]
    let limits: Workbook.Limits

    func inflate(_ part: String) throws(InputError) -> Data {
        guard let entry = entries[part] else { throw InputError(Workbook.notAWorkbook, file: file) }
        var data = Data()
        let cap = limits.partBytes
        let checksum: CRC32
        do {
            checksum = try archive.extract(entry, bufferSize: 64 << 10, skipCRC32: false) { chunk in
                guard data.count + chunk.count <= cap else { throw PartTooLarge() }
                data.append(chunk)
            }
        } catch is PartTooLarge {
            throw InputError(
                Phrase("bagian \(part) mengembang melebihi \(cap >> 20) MiB (bom zip?): ditolak", "part \(part) inflates beyond \(cap >> 20) MiB (a zip bomb?): refused"), file: file)
        } catch {
            throw InputError(Workbook.notAWorkbook, file: file)
        }
        guard checksum == entry.checksum else {
            throw InputError(Phrase("bagian \(part) rusak (CRC tidak cocok)", "part \(part) is damaged (its CRC does not match)"), file: file)
        }
        // Workbook parts are UTF-8 (every writer seen); UTF-16 would hide a DTD from the check below.
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) || data.prefix(4).contains(0) {
            throw InputError(Phrase("bagian \(part) bukan UTF-8: ditolak", "part \(part) is not UTF-8: refused"), file: file)
        }
        // No part of a workbook declares a DTD; refusing them keeps every entity, external or internal
        // (the billion laughs), out of the parser.
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
            throw InputError(Phrase("bagian \(part) menyatakan DTD atau entitas: ditolak", "part \(part) declares a DTD or entities: refused"), file: file)
        }
        return data
    }

    /// The relationships of `part` ("" for the package): id, type, and target resolved to a zip path.
    mutating func relationships(of part: String) throws(InputError) -> [Relationship] {
        let directory = part.split(separator: "/").dropLast().joined(separator: "/")
        let name = part.split(separator: "/").last.map(String.init) ?? ""
        let relsPath = (directory.isEmpty ? "" : directory + "/") + "_rels/" + name + ".rels"
        guard entries[relsPath] != nil else { return [] }
        let handler = try parse(relsPath, RelationshipsHandler())
        return handler.relationships.map { r in
            var target = r.target
            if r.external { return r }
            if target.hasPrefix("/") { target.removeFirst() } else if !directory.isEmpty { target = directory + "/" + target }
            // Resolve "." and ".." segments.
            var parts: [Substring] = []
            for p in target.split(separator: "/") {
                if p == ".." { _ = parts.popLast() } else if p != "." { parts.append(p) }
            }
            return Relationship(id: r.id, type: r.type, target: parts.joined(separator: "/"), external: false)
        }
    }

    @discardableResult
    func parse<H: PartHandler>(_ part: String, _ handler: H, sheet: String? = nil) throws(InputError) -> H {
        let data = try inflate(part)
        // A stream, not `XMLParser(data:)`: handed over whole, libxml2 refuses a document over 10 MB
        // (a Kanwil's sheet is 30); streamed, it parses it in chunks.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        let delegate = SAXDelegate(handler: handler, maxDepth: limits.depth)
        parser.delegate = delegate
        let ok = parser.parse()
        if let error = delegate.error {
            if let sheet, let at = error.cell {
                throw InputError(error.phrase, at: SourceLocation(file: file, line: at.row, column: at.column, sheet: sheet))
            }
            throw InputError(error.phrase.prefixed("\(part): "), file: file)
        }
        guard ok else {
            let line = parser.lineNumber, column = parser.columnNumber
            throw InputError(Phrase("bagian \(part) bukan XML yang sah (baris \(line), kolom \(column))", "part \(part) is not well-formed XML (line \(line), column \(column))"), file: file)
        }
        return handler
    }
}

private struct PartTooLarge: Error {}

struct Relationship {
    var id: String
    var type: String
    var target: String
    var external: Bool
}

/// A problem a handler found: its message, and the cell when it belongs to one.
struct PartError: Error {
    var phrase: Phrase
    var cell: (row: Int, column: Int)?
}

/// Receives a part's elements with their local names (prefixes dropped: writers differ in them).
protocol PartHandler: AnyObject {
    func start(_ name: Substring, _ attributes: [String: String]) throws(PartError)
    func end(_ name: Substring) throws(PartError)
    func characters(_ text: String)
}

extension PartHandler {
    func end(_ name: Substring) throws(PartError) {}
    func characters(_ text: String) {}
}

private final class SAXDelegate<H: PartHandler>: NSObject, XMLParserDelegate {
    let handler: H
    let maxDepth: Int
    var depth = 0
    var error: PartError?

    init(handler: H, maxDepth: Int) {
        self.handler = handler
        self.maxDepth = maxDepth
    }

    static func local(_ name: String) -> Substring {
        guard let colon = name.lastIndex(of: ":") else { return Substring(name) }
        return name[name.index(after: colon)...]
    }

    func fail(_ parser: XMLParser, _ e: PartError) {
        if error == nil { error = e }
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        guard error == nil else { return }
        depth += 1
        guard depth <= maxDepth else {
            return fail(parser, PartError(phrase: Phrase("elemen XML bersarang lebih dari \(maxDepth) tingkat: ditolak", "XML elements nest more than \(maxDepth) deep: refused")))
        }
        do { try handler.start(Self.local(elementName), attributes) } catch { fail(parser, error) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard error == nil else { return }
        depth -= 1
        do { try handler.end(Self.local(elementName)) } catch { fail(parser, error) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard error == nil else { return }
        handler.characters(string)
    }
}

// MARK: - Handlers

private final class RelationshipsHandler: PartHandler {
    var relationships: [Relationship] = []
    func start(_ name: Substring, _ a: [String: String]) throws(PartError) {
        guard name == "Relationship", let id = a["Id"], let type = a["Type"], let target = a["Target"] else { return }
        relationships.append(Relationship(id: id, type: type, target: target, external: a["TargetMode"] == "External"))
    }
}

private final class WorkbookHandler: PartHandler {
    var sheets: [(name: String, relationship: String, hidden: Bool)] = []
    var date1904 = false
    func start(_ name: Substring, _ a: [String: String]) throws(PartError) {
        if name == "workbookPr" { date1904 = a["date1904"] == "1" || a["date1904"] == "true" }
        if name == "sheet", let sheetName = a["name"], let rel = a.first(where: { $0.key == "r:id" || $0.key.hasSuffix(":id") })?.value {
            sheets.append((sheetName, rel, a["state"] == "hidden" || a["state"] == "veryHidden"))
        }
    }
}

/// The shared strings: each `si`'s text runs (`t`, outside phonetic `rPh` runs), concatenated.
private final class SharedStringsHandler: PartHandler {
    let limit: Int
    var strings: [String] = []
    var current = "", inText = false, inPhonetic = false
    init(limit: Int) { self.limit = limit }
    func start(_ name: Substring, _ a: [String: String]) throws(PartError) {
        switch name {
        case "si":
            guard strings.count < limit else {
                throw PartError(phrase: Phrase("tabel teks bersama berisi lebih dari \(limit) teks: ditolak", "the shared-strings table holds over \(limit) strings: refused"))
            }
            current = ""
        case "t": inText = !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }
    func end(_ name: Substring) throws(PartError) {
        switch name {
        case "si": strings.append(current)
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }
    func characters(_ text: String) { if inText { current += text } }
}

/// Number formats: custom codes by id, and each cell format's (`cellXfs`) number format id.
private final class StylesHandler: PartHandler {
    var customFormats: [Int: String] = [:]
    var cellFormats: [Int] = []
    var inCellXfs = false
    func start(_ name: Substring, _ a: [String: String]) throws(PartError) {
        switch name {
        case "numFmt": if let id = a["numFmtId"].flatMap({ Int($0) }), let code = a["formatCode"] { customFormats[id] = code }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs: cellFormats.append(a["numFmtId"].flatMap { Int($0) } ?? 0)
        default: break
        }
    }
    func end(_ name: Substring) throws(PartError) { if name == "cellXfs" { inCellXfs = false } }
}

/// A worksheet's `sheetData` and `mergeCells`.
private final class SheetHandler: PartHandler {
    typealias Cell = Workbook.Sheet.Cell
    let sharedStrings: [String]
    let dateFormats: [Bool]
    let date1904: Bool
    let cellLimit: Int
    var rows: [[Cell]] = []
    var merged: [Workbook.Sheet.Range] = []
    var count = 0

    /// The row being read, and the column of its last `c` element (with a value or not: a cell
    /// without an `r` attribute is the one after it).
    var rowNumber = 0, row: [Cell] = [], lastColumn = 0
    // The cell being read.
    var column = 0, type = "n", style = 0, hasFormula = false, value: String? = nil, inline: String? = nil
    var inValue = false, inInlineText = false, inPhonetic = false

    init(sharedStrings: [String], dateFormats: [Bool], date1904: Bool, cellLimit: Int) {
        self.sharedStrings = sharedStrings
        self.dateFormats = dateFormats
        self.date1904 = date1904
        self.cellLimit = cellLimit
    }

    func start(_ name: Substring, _ a: [String: String]) throws(PartError) {
        switch name {
        case "row":
            if let r = a["r"] {
                guard let n = Int(r), n > rowNumber, n <= 1_048_576 else {
                    throw PartError(phrase: Phrase("nomor baris '\(r)' tidak sah atau tidak urut", "row number '\(r)' is not valid or out of order"))
                }
                rowNumber = n
            } else {
                rowNumber += 1
            }
            row = []
            lastColumn = 0
        case "c":
            if let r = a["r"] {
                guard let at = Workbook.reference(r), at.row == rowNumber, at.column > lastColumn else {
                    throw PartError(phrase: Phrase("acuan sel '\(r)' tidak sah atau tidak urut", "cell reference '\(r)' is not valid or out of order"), cell: (rowNumber, lastColumn + 1))
                }
                column = at.column
            } else {
                guard lastColumn < 16_384 else {
                    throw PartError(phrase: Phrase("baris melampaui kolom terakhir lembar (XFD)", "the row runs past the sheet's last column (XFD)"), cell: (rowNumber, lastColumn))
                }
                column = lastColumn + 1
            }
            lastColumn = column
            type = a["t"] ?? "n"
            style = a["s"].flatMap { Int($0) } ?? 0
            hasFormula = false
            value = nil
            inline = nil
        case "f": hasFormula = true
        case "v": inValue = true; value = value ?? ""
        case "is": inline = ""
        case "t" where inline != nil: inInlineText = !inPhonetic
        case "rPh": inPhonetic = true
        case "mergeCell":
            let parts = (a["ref"] ?? "").split(separator: ":").map { Workbook.reference(String($0)) }
            if parts.count == 2, let a = parts[0], let b = parts[1] {
                // Either corner may come first (B2:A3 is A2:B3).
                merged.append(.init(firstRow: min(a.row, b.row), firstColumn: min(a.column, b.column), lastRow: max(a.row, b.row), lastColumn: max(a.column, b.column)))
            }
        default: break
        }
    }

    func end(_ name: Substring) throws(PartError) {
        switch name {
        case "v": inValue = false
        case "t": inInlineText = false
        case "rPh": inPhonetic = false
        case "c": if let v = try cellValue() { try append(v) }
        case "row":
            if !row.isEmpty { rows.append(row) }
            row = []
        default: break
        }
    }

    func characters(_ text: String) {
        if inValue { value! += text } else if inInlineText { inline! += text }
    }

    func append(_ v: Workbook.Sheet.Value) throws(PartError) {
        count += 1
        guard count <= cellLimit else {
            throw PartError(phrase: Phrase("lembar berisi lebih dari \(cellLimit) sel: ditolak", "the sheet holds over \(cellLimit) cells: refused"))
        }
        row.append(Cell(row: rowNumber, column: column, value: v))
    }

    func cellValue() throws(PartError) -> Workbook.Sheet.Value? {
        let at = (rowNumber, column)
        if type == "inlineStr" { return inline.map { .text($0) } ?? (hasFormula ? .formulaWithoutValue : nil) }
        // A formula's empty text result (=IF(…; ""; …)) is `t="str"` with an empty value: an empty cell.
        if type == "str", value != nil, value!.isEmpty { return nil }
        guard let raw = value, !raw.isEmpty else { return hasFormula ? .formulaWithoutValue : nil }
        switch type {
        case "s":
            guard let i = Int(raw), sharedStrings.indices.contains(i) else {
                throw PartError(phrase: Phrase("sel menunjuk teks bersama '\(raw)' yang tidak ada", "the cell points at shared string '\(raw)', which does not exist"), cell: at)
            }
            return .text(sharedStrings[i])
        case "str": return .text(raw)
        case "b": return .bool(raw == "1" || raw == "true")
        case "e": return .error(raw)
        case "d":
            // ISO 8601 (strict Open XML): the month is in the first seven characters.
            guard let m = Month(String(raw.prefix(7))) else {
                throw PartError(phrase: Phrase("tanggal '\(raw)' tidak terbaca", "date '\(raw)' cannot be read"), cell: at)
            }
            return .date(serial: .nan, month: m)
        default:
            guard let x = Double(raw.trimmingCharacters(in: .whitespaces)), x.isFinite else {
                throw PartError(phrase: Phrase("angka '\(raw)' tidak terbaca", "number '\(raw)' cannot be read"), cell: at)
            }
            if dateFormats.indices.contains(style), dateFormats[style] {
                return .date(serial: x, month: Workbook.month(serial: x, date1904: date1904))
            }
            return .number(x)
        }
    }
}
