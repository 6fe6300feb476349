import Fitting
import Foundation
import Planning

/// A history file read into `Planning.History`, with the warnings found in it.
public struct HistoryReport: Sendable {
    public var history: History
    /// One line each, `FILE:LINE: message` where a line is known, in line order. Warnings point at
    /// figures that look inconsistent; they are never fixed silently: the figures stay as given.
    public var warnings: [Phrase]
    /// How the file was read (separator, number marks, encoding), said in run.json.
    public var format: HistoryFormat

    public init(history: History, warnings: [Phrase], format: HistoryFormat = HistoryFormat()) {
        self.history = history
        self.warnings = warnings
        self.format = format
    }
}

/// How a history file was read: comma-separated with a decimal point (the documented format), or
/// `;`-separated as Excel writes CSV in Indonesian settings (`,` the decimal mark, `.` between thousands:
/// 86.500 is 86500); UTF-8 or Windows-1252.
public struct HistoryFormat: Sendable, Equatable {
    var semicolon: Bool = false
    var windows1252: Bool = false
    /// Read from this sheet of an .xlsx workbook: typed numbers and dates, no text guessed.
    var sheet: String? = nil
    /// Months as columns (HistoryGrid).
    var wide: Bool = false
    /// Columns of a wide table left unread (a row number, a year's total), by heading.
    var ignoredColumns: [String] = []
    /// How a wide table's headings or blanks were read, where a reading was needed (said in run.json).
    var notes: [Phrase] = []

    public init(semicolon: Bool = false, windows1252: Bool = false, sheet: String? = nil, wide: Bool = false) {
        self.semicolon = semicolon
        self.windows1252 = windows1252
        self.sheet = sheet
        self.wide = wide
    }

    public var separator: Unicode.Scalar { semicolon ? ";" : "," }

    /// One line for run.json (English) and the workbook's provenance (the reader's language).
    public var description: String { phrase.english }

    public var phrase: Phrase {
        let semicolon = semicolon, encoding = windows1252 ? "Windows-1252" : "UTF-8"
        let layout = wide ? Phrase("; tata letak lebar: bulan sebagai kolom", "; wide layout: months as columns") : Phrase("", "")
        let ignored = ignoredColumns.isEmpty ? Phrase("", "") : Phrase(
            "; kolom tidak dibaca: " + ignoredColumns.map { "'\($0)'" }.joined(separator: ", "),
            "; columns not read: " + ignoredColumns.map { "'\($0)'" }.joined(separator: ", "))
        let notes = notes
        if let sheet {
            return Phrase { l in
                l.t("buku kerja .xlsx, lembar '\(sheet)': angka dan tanggal bertipe, tanpa tebakan", ".xlsx workbook, sheet '\(sheet)': typed numbers and dates, nothing guessed")
                    + layout.text(indonesian: l.indonesian) + ignored.text(indonesian: l.indonesian) + notes.map { "; " + $0.text(indonesian: l.indonesian) }.joined()
            }
        }
        return Phrase { l in
            (semicolon
                ? l.t("berpemisah ';' (Excel, pengaturan Indonesia): ',' tanda desimal dan '.' pemisah ribuan",
                      "';'-separated (Excel, Indonesian settings): ',' is the decimal mark and '.' separates thousands")
                : l.t("berpemisah ',': angka saja, tanpa pemisah ribuan", "','-separated: digits only, no digit-group separators"))
                + l.t("; pengodean \(encoding)", "; encoding \(encoding)") + layout.text(indonesian: l.indonesian) + ignored.text(indonesian: l.indonesian)
                + notes.map { "; " + $0.text(indonesian: l.indonesian) }.joined()
        }
    }
}

/// The regions and segments a scenario declares: history rows naming others are ignored, with a
/// warning, unless the name is close to a declared one (a typo), which is an error.
public struct DeclaredNames: Sendable {
    public var regions: [String]
    public var segments: [String]
    /// Company segments (unit: companies): never summed with persons against a stated TOTAL.
    public var companies: Set<String>

    public init(regions: [String], segments: [String], companies: Set<String> = []) {
        self.regions = regions
        self.segments = segments
        self.companies = companies
    }
}

/// Reads a history CSV in long format: one row per date × region × segment × metric.
///
///     date,region,segment,metric,value,basis,source
///     2017-09,Sumbagut,PU,active,726119,BPJS TK active members,seed 000 (Antara 20 Oct 2017)
///
/// Columns are found by name, in any order; `basis` and `source` are optional, any other column is an
/// error. Errors are `InputError`s located at the offending cell (`FILE:LINE:COL: message`).
///
/// Warnings (the data stay as given):
/// - a `TOTAL` row that differs by more than 0.5 from the sum of at least two other segments with the
///   same date, region and metric;
/// - an `acquisitions_ytd` figure that falls within a calendar year (same region and segment);
/// - an `active` figure above the `potential` of the same month, region and segment.
public enum HistoryReader {
    static let requiredColumns = ["date", "region", "segment", "metric", "value"]
    static let optionalColumns = ["basis", "source"]
    /// The largest value a row may give (persons and counts; Indonesia has under 3·10⁸ people), so that
    /// sums and ratios of history figures stay finite.
    static let maxValue = 1e9
    /// Iuran and its targets, in rupiah.
    static let maxRupiah = 1e15

    public static func read(path: String, declared: DeclaredNames? = nil) throws(InputError) -> HistoryReport {
        try read(HistorySource(path: path), declared: declared)
    }

    /// A CSV file (long, or wide with months as columns) or an .xlsx workbook (HistoryGrid).
    public static func read(_ source: HistorySource, declared: DeclaredNames? = nil) throws(InputError) -> HistoryReport {
        let path = source.path
        guard !path.unicodeScalars.contains("\u{0}") else { throw InputError(Phrase("jalurnya memuat karakter NUL", "the path contains a NUL character")) }
        guard FileManager.default.fileExists(atPath: path) else { throw InputError(Phrase { l in l.t("berkas tidak ada", "no such file") }, file: path) }
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) else {
            throw InputError(Phrase { l in l.t("berkas tidak dapat dibaca", "cannot read the file") }, file: path)
        }
        // What the file is, from its first bytes: a zip (.xlsx), an Excel 97–2003 compound file, or text.
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || data.starts(with: [0x50, 0x4B, 0x05, 0x06]) || path.lowercased().hasSuffix(".xlsx") {
            return try HistoryGrid.readWorkbook(source, declared: declared)
        }
        if data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw InputError(Phrase("buku kerja Excel 97–2003 (.xls) tidak terbaca: simpan sebagai .xlsx atau CSV", "an Excel 97–2003 workbook (.xls) cannot be read: save it as .xlsx or CSV"), file: path)
        }
        if source.sheet != nil {
            throw InputError(Phrase("history.sheet: hanya buku kerja .xlsx yang memiliki lembar; berkas ini CSV", "history.sheet: only an .xlsx workbook has sheets; this file is CSV"), file: path)
        }
        // The common file (no quotes, no lone CR) is read line by line as it streams, each row checked
        // as it comes, so an error near the top is reported without reading the rest; others go
        // through CSVTable (quoted fields may span lines).
        let simple = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Bool in
            let b = raw.bindMemory(to: UInt8.self)
            guard find(UInt8(ascii: "\""), in: b, from: 0) == nil else { return false }
            var i = 0
            while let r = find(UInt8(ascii: "\r"), in: b, from: i) {
                guard r + 1 < b.count, b[r + 1] == UInt8(ascii: "\n") else { return false }
                i = r + 1
            }
            return true
        }
        let headerEnd = data.firstIndex(of: UInt8(ascii: "\n")) ?? data.endIndex
        let headerLine = String(decoding: data[data.startIndex..<headerEnd], as: UTF8.self)
        let semicolon = CSVTable.separator(ofHeader: Substring(headerLine)) == ";"
        // Not the long header (date … value): a wide table, or title rows above a header (HistoryGrid).
        let headerNames = Set(headerLine.split(separator: semicolon ? ";" : ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\"\u{FEFF}")).lowercased()
        })
        if source.layout == .wide || (source.layout == .auto && !(headerNames.contains("date") && headerNames.contains("value"))) {
            let windows1252 = String(data: data, encoding: .utf8) == nil
            guard let text = String(data: data, encoding: .utf8) ?? CSVTable.windows1252(data) else {
                throw InputError(Phrase { l in l.t("bukan teks UTF-8 (di Excel, simpan sebagai \"CSV UTF-8\")", "not UTF-8 text (in Excel, save as \"CSV UTF-8\")") }, file: path)
            }
            let format = HistoryFormat(semicolon: semicolon, windows1252: windows1252)
            if let report = try HistoryGrid.readCSV(text, source: source, format: format, declared: declared) { return report }
            // No wide header: read as the long layout, whose messages name the columns it needs.
            return try parse(text, file: path, format: format, declared: declared)
        }
        if simple && !semicolon {
            do {
                return try stream(data, file: path, declared: declared)
            } catch where error.message == notUTF8 && error.location == nil {
                // Read again below as Windows-1252.
            }
        }
        if let text = String(data: data, encoding: .utf8) {
            return try parse(text, file: path, format: HistoryFormat(semicolon: semicolon), declared: declared)
        }
        guard let text = CSVTable.windows1252(data) else {
            throw InputError(Phrase { l in l.t("bukan teks UTF-8 (di Excel, simpan sebagai \"CSV UTF-8\")", "not UTF-8 text (in Excel, save as \"CSV UTF-8\")") }, file: path)
        }
        return try parse(text, file: path, format: HistoryFormat(semicolon: semicolon, windows1252: true), declared: declared)
    }

    static let notUTF8 = "not UTF-8 text"

    /// The first `byte` at or after `from` (memchr).
    @inline(__always) static func find(_ byte: UInt8, in b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard from < b.count, let base = b.baseAddress, let p = memchr(base + from, Int32(byte), b.count - from) else { return nil }
        return base.distance(to: p.assumingMemoryBound(to: UInt8.self))
    }

    /// No byte ≥ 0x80, eight at a time.
    static func isASCII(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = b.baseAddress else { return true }
        var i = 0
        while i + 8 <= b.count {
            if UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < b.count { if b[i] >= 0x80 { return false }; i += 1 }
        return true
    }

    /// The rows of a file without quotes, checked one by one as they are split.
    static func stream(_ data: Data, file: String, declared: DeclaredNames? = nil) throws(InputError) -> HistoryReport {
        var checker: RowChecker? = nil
        var header: [String] = []
        let result: InputError? = data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> InputError? in
            let b = raw.bindMemory(to: UInt8.self)
            var start = 0, line = 0
            if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { start = 3 }
            while start < b.count {
                line += 1
                var end = find(UInt8(ascii: "\n"), in: b, from: start) ?? b.count
                let next = end + 1
                if end > start, b[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                let bytes = UnsafeBufferPointer(rebasing: b[start..<end])
                start = next
                let ascii = isASCII(bytes)
                if !ascii, String(validating: bytes, as: UTF8.self) == nil { return InputError(notUTF8, file: file) }
                // Fields: split at commas; a field's column counts Unicode scalars, as CSVTable does.
                var cells: [CSVTable.Cell] = []
                var fieldStart = 0, column = 1
                while fieldStart <= bytes.count {
                    let k = find(UInt8(ascii: ","), in: bytes, from: fieldStart) ?? bytes.count
                    let slice = UnsafeBufferPointer(rebasing: bytes[fieldStart..<k])
                    var text = String(decoding: slice, as: UTF8.self)
                    if let f = slice.first, let l = slice.last, f == 0x20 || f == 0x09 || f >= 0x80 || l == 0x20 || l == 0x09 || l >= 0x80 {
                        text = text.trimmingCharacters(in: .whitespaces)
                    }
                    cells.append(CSVTable.Cell(text: text, line: line, column: column))
                    column += ascii ? slice.count + 1 : text.unicodeScalars.count + 1 + (slice.count - text.utf8.count)
                    fieldStart = k + 1
                }
                if cells.allSatisfy(\.text.isEmpty) { continue }  // a blank line, or a row of empty fields
                if checker == nil {
                    // The header, through CSVTable for its checks and messages.
                    do {
                        let headerText = String(decoding: bytes, as: UTF8.self)
                        let table = try CSVTable.parse(headerText, file: file)
                        header = table.header
                        checker = RowChecker(file: file, columns: try Columns(table, text: headerText), declared: declared)
                    } catch let error as InputError {
                        return error
                    } catch {
                        return InputError("\(error)", file: file)
                    }
                    continue
                }
                guard cells.count == header.count else {
                    let fields = cells.count, expected = header.count
                    return InputError(
                        Phrase { l in l.t("baris ini berisi \(fields) kolom, padahal baris judul \(expected)", "this row has \(fields) fields but the header has \(expected)") },
                        at: SourceLocation(file: file, line: line, column: 1))
                }
                do { try checker!.add(cells) } catch let error as InputError { return error } catch { return InputError("\(error)", file: file) }
            }
            return nil
        }
        if let result { throw result }
        guard let checker else { throw InputError(Phrase { l in l.t("berkasnya kosong (baris judul diharapkan)", "the file is empty (a header row is expected)") }, file: file) }
        return try checker.report()
    }

    public static func parse(
        _ text: String, file: String, format: HistoryFormat = HistoryFormat(), declared: DeclaredNames? = nil
    ) throws(InputError) -> HistoryReport {
        let table = try CSVTable.parse(text, file: file, separator: format.separator)
        var checker = RowChecker(file: table.file, columns: try Columns(table, text: text), declared: declared, format: format)
        for row in table.rows { try checker.add(row) }
        return try checker.report()
    }

    /// Checks rows one at a time and keeps their observations.
    struct RowChecker {
        let file: String
        let columns: Columns
        let declared: DeclaredNames?
        let format: HistoryFormat
        /// The workbook's sheet: cells are located as `FILE!SHEET!F12` and values must be typed numbers.
        var sheet: String? { format.sheet }
        var observations: [History.Observation] = []
        var firstLine: [Key: Int] = [:]
        /// Rows whose region or segment the scenario does not declare, by "region 'X'" / "segment 'X'".
        var ignored: [(kind: String, name: String, rows: Int, firstLine: Int)] = []
        var ignoredIndex: [String: Int] = [:]

        init(file: String, columns: Columns, declared: DeclaredNames? = nil, format: HistoryFormat = HistoryFormat()) {
            self.file = file
            self.columns = columns
            self.declared = declared
            self.format = format
        }

        /// A region or segment the scenario does not declare: an error when close to a declared name.
        mutating func checkDeclared(_ cell: CSVTable.Cell, kind: String, known: [String]) throws(InputError) -> Bool {
            guard !known.contains(cell.text), !(kind == "segment" && cell.text == History.totalSegment) else { return true }
            // A name already ignored: counted without matching it against the declared names again.
            if let i = ignoredIndex["\(kind)\u{1F}\(cell.text)"] {
                ignored[i].rows += 1
                return false
            }
            // Close = a typo: one edit in a short name (PMI beside PU is another segment), a fifth of a long one.
            if let guess = closestMatch(to: cell.text, in: known, maxDistance: { max(1, $0.count / 5) }) {
                let list = known.joined(separator: ", ")
                throw InputError(
                    Phrase { l in
                        l.t("\(kind == "region" ? "wilayah" : "segmen") '\(cell.text)' tidak ada dalam skenario (maksud Anda '\(guess)'?); \(kind == "region" ? "wilayah" : "segmen"): \(list)",
                            "\(kind) '\(cell.text)' is not in the scenario (did you mean '\(guess)'?); \(kind)s: \(list)")
                    },
                    at: location(cell))
            }
            ignoredIndex["\(kind)\u{1F}\(cell.text)"] = ignored.count
            ignored.append((kind, cell.text, 1, cell.line))
            return false
        }

        func location(_ cell: CSVTable.Cell) -> SourceLocation { SourceLocation(file: file, line: cell.line, column: cell.column, sheet: sheet) }

        mutating func add(_ row: [CSVTable.Cell]) throws(InputError) {
            for cell in row { if let problem = cell.problem { throw InputError(problem, at: location(cell)) } }
            let dateCell = row[columns.date]
            guard let month = dateCell.month ?? Month(dateCell.text) else {
                let shown = dateCell.text
                throw InputError(
                    Phrase { l in
                        let q = shown.isEmpty ? l.t("(kosong)", "(empty)") : "'\(shown)'"
                        return l.t("tanggal \(q) bukan bulan YYYY-MM", "date \(q) is not a YYYY-MM month")
                    }, at: location(dateCell))
            }
            let regionCell = row[columns.region]
            guard !regionCell.text.isEmpty else { throw InputError(Phrase { l in l.t("wilayah kosong", "empty region") }, at: location(regionCell)) }
            let segmentCell = row[columns.segment]
            guard !segmentCell.text.isEmpty else { throw InputError(Phrase { l in l.t("segmen kosong", "empty segment") }, at: location(segmentCell)) }
            let metricCell = row[columns.metric]
            guard let metric = History.Metric(rawValue: metricCell.text) else {
                throw InputError(unknownMetricMessage(metricCell.text), at: location(metricCell))
            }
            if let declared {
                let regionKnown = try checkDeclared(regionCell, kind: "region", known: declared.regions)
                if regionKnown { _ = try checkDeclared(segmentCell, kind: "segment", known: declared.segments) }
            }
            let valueCell = row[columns.value]
            if valueCell.number == nil && valueCell.month != nil && sheet != nil {
                let shown = valueCell.text
                throw InputError(
                    Phrase { l in
                        l.t("sel berformat tanggal (\(shown)) di tempat angka: ubah formatnya menjadi angka",
                            "a cell formatted as a date (\(shown)) where a figure belongs: format it as a number")
                    }, at: location(valueCell))
            }
            if valueCell.number == nil && sheet != nil && !valueCell.text.isEmpty {
                let shown = valueCell.text
                throw InputError(
                    Phrase { l in
                        l.t("sel teks '\(shown)' di tempat angka (di Excel: ubah menjadi angka, tanpa tanda kutip di depannya)",
                            "a text cell '\(shown)' where a number belongs (in Excel: convert it to a number, no leading apostrophe)")
                    }, at: location(valueCell))
            }
            let value = try count(valueCell, format: format, at: location(valueCell), unit: metric.isRupiah ? "rupiah" : "persons")
            let text = valueCell.text
            guard value >= 0 else {
                throw InputError(
                    Phrase { l in l.t("nilai \(text) negatif (jumlah orang dan hitungan tidak bisa negatif)", "value \(text) is negative (persons and counts cannot be)") },
                    at: location(valueCell))
            }
            guard value <= (metric.isRupiah ? maxRupiah : maxValue) else {
                let rupiah = metric.isRupiah
                throw InputError(
                    Phrase { l in
                        rupiah
                            ? l.t("nilai \(text) di atas 1e15 (angka rupiah paling banyak Rp 1e15)", "value \(text) is above 1e15 (rupiah figures are at most Rp 1e15)")
                            : l.t("nilai \(text) di atas 1e9 (jumlah orang dan hitungan paling banyak 1e9)", "value \(text) is above 1e9 (persons and counts are at most 1e9)")
                    }, at: location(valueCell))
            }

            let line = valueCell.line
            let key = Key(month: month, region: regionCell.text, segment: segmentCell.text, metric: metric)
            if let first = firstLine[key] {
                throw InputError(
                    Phrase { l in
                        sheet == nil
                            ? l.t("baris ganda: \(month) \(key.region) \(key.segment) '\(metric.rawValue)' sudah ada di baris \(first)",
                                  "duplicate row: \(month) \(key.region) \(key.segment) \(metric.rawValue) is already given on line \(first)")
                            : l.t("angka ganda: \(month) \(key.region) \(key.segment) '\(metric.rawValue)' sudah ada di baris \(first) lembar ini",
                                  "duplicate figure: \(month) \(key.region) \(key.segment) \(metric.rawValue) is already given in row \(first) of the sheet")
                    },
                    at: sheet == nil ? SourceLocation(file: file, line: line, column: 1) : location(valueCell))
            }
            firstLine[key] = line

            let basis = columns.basis.map { row[$0].text }.flatMap { $0.isEmpty ? nil : $0 }
            let source = columns.source.map { row[$0].text }.flatMap { $0.isEmpty ? nil : $0 }
            observations.append(
                History.Observation(
                    month: month, region: key.region, segment: key.segment, metric: metric, value: value,
                    basis: basis, source: source, line: line))
        }

        func report() throws(InputError) -> HistoryReport {
            guard !observations.isEmpty else { throw InputError(Phrase { l in l.t("riwayat tidak berisi baris", "the history has no rows") }, file: file) }
            let history = History(observations: observations)
            let file = sheet.map { "\(self.file)!\($0)" } ?? self.file
            var found = warnings(for: observations.filter { !(declared?.companies.contains($0.segment) ?? false) }, file: file)
            for i in ignored {
                let wide = format.wide
                found.append(Phrase { l in
                    "\(file):\(i.firstLine): " + (wide
                        ? l.t("\(l.n(i.rows)) angka \(i.kind == "segment" ? "segmen" : "wilayah") '\(i.name)' diabaikan (tidak dinyatakan dalam skenario)",
                              "\(l.n(i.rows)) figure\(i.rows == 1 ? "" : "s") of \(i.kind) '\(i.name)' ignored (not declared in the scenario)")
                        : l.t("\(l.n(i.rows)) baris \(i.kind == "segment" ? "segmen" : "wilayah") '\(i.name)' diabaikan (tidak dinyatakan dalam skenario)",
                              "\(l.n(i.rows)) row\(i.rows == 1 ? "" : "s") of \(i.kind) '\(i.name)' ignored (not declared in the scenario)"))
                })
            }
            return HistoryReport(history: history, warnings: found, format: format)
        }
    }

    // MARK: - Header

    /// Positions of the known columns in the file.
    struct Columns {
        var date, region, segment, metric, value: Int
        var basis, source: Int?

        init(date: Int, region: Int, segment: Int, metric: Int, value: Int, basis: Int? = nil, source: Int? = nil) {
            (self.date, self.region, self.segment, self.metric, self.value, self.basis, self.source) = (date, region, segment, metric, value, basis, source)
        }

        init(_ table: CSVTable, text: String) throws(InputError) {
            let cells = Self.headerCells(text, count: table.header.count)
            try self.init(
                names: table.header, location: { k in cells.map { table.location($0[k]) } ?? SourceLocation(file: table.file, line: 1, column: 1) },
                file: table.file)
        }

        /// From the header's names; `location(k)` places the k-th heading.
        init(names header: [String], location: (Int) -> SourceLocation, file: String) throws(InputError) {
            let known = HistoryReader.requiredColumns + HistoryReader.optionalColumns
            for (k, name) in header.enumerated() where !known.contains(name) {
                let guess = closestMatch(to: name, in: known), list = known.joined(separator: ", ")
                let message = Phrase { l in
                    l.t("kolom '\(name)' tidak dikenal", "unknown column '\(name)'") + (guess.map { l.t(" (maksud Anda '\($0)'?)", " (did you mean '\($0)'?)") } ?? "")
                        + l.t("; kolomnya: \(list) (basis dan source boleh tidak ada)", "; the columns are \(list) (basis and source optional)")
                }
                throw InputError(message, at: location(k))
            }
            let missing = HistoryReader.requiredColumns.filter { !header.contains($0) }
            if !missing.isEmpty {
                let list = missing.map { "'\($0)'" }.joined(separator: ", "), needed = HistoryReader.requiredColumns.joined(separator: ", ")
                throw InputError(
                    Phrase { l in
                        l.t("kolom \(list) tidak ada; baris judul memerlukan \(needed) (basis dan source boleh tidak ada)",
                            "missing column\(missing.count > 1 ? "s" : "") \(list); the header needs \(needed) (basis and source optional)")
                    },
                    at: { var at = location(0); at.column = 1; return at }())
            }
            func index(_ name: String) -> Int { header.firstIndex(of: name)! }
            date = index("date")
            region = index("region")
            segment = index("segment")
            metric = index("metric")
            value = index("value")
            basis = header.firstIndex(of: "basis")
            source = header.firstIndex(of: "source")
        }

        /// The header's cells with their positions. `CSVTable` keeps only the header's names, so the text
        /// is parsed again under a stand-in header: the real header becomes the first row, one line down.
        static func headerCells(_ text: String, count: Int) -> [CSVTable.Cell]? {
            var body = Substring(text)
            if body.unicodeScalars.first == "\u{FEFF}" { body = Substring(body.unicodeScalars.dropFirst()) }
            let standIn = (0..<count).map { "c\($0)" }.joined(separator: ",")
            guard let table = try? CSVTable.parse(standIn + "\n" + body, file: ""), let first = table.rows.first else {
                return nil
            }
            return first.map { CSVTable.Cell(text: $0.text, line: $0.line - 1, column: $0.column) }
        }
    }

    // MARK: - Messages

    static func unknownMetricMessage(_ text: String) -> Phrase {
        let names = History.Metric.allCases.map(\.rawValue), list = names.joined(separator: ", ")
        let codes = names.map { "'\($0)'" }.joined(separator: ", ")  // in Indonesian, the codes read as codes
        let guess = text.isEmpty ? nil : closestMatch(to: text, in: names)
        return Phrase { l in
            (text.isEmpty ? l.t("metrik kosong", "empty metric") : l.t("metrik '\(text)' tidak dikenal", "unknown metric '\(text)'"))
                + (guess.map { l.t(" (maksud Anda '\($0)'?)", " (did you mean '\($0)'?)") } ?? "") + l.t("; metrik: \(codes)", "; metrics: \(list)")
        }
    }

    /// A count (persons): a whole number. In a `,`-separated file digits only (`_` between digits
    /// allowed); in a `;`-separated file (Excel, Indonesian settings) `.` separates thousands and `,` is
    /// the decimal mark, so `86.500` is 86500 and `86.500,00` too. Anything else is refused, never
    /// read as another number. Negative values come back negative (the caller's message).
    static func count(_ cell: CSVTable.Cell, format: HistoryFormat, at location: SourceLocation, unit: String = "persons") throws(InputError) -> Double {
        let t = cell.text
        if let x = cell.number {
            // A workbook's typed number: whole, as any count or rupiah figure.
            guard x.rounded() == x else {
                throw InputError(Phrase("nilai \(t) bukan bilangan bulat (\(unit == "rupiah" ? "rupiah" : "jumlah orang") adalah bilangan bulat)", "value \(t) is not a whole number (\(unit) are whole numbers)"), at: location)
            }
            return x
        }
        func matches(_ pattern: String) -> Bool { t.range(of: pattern, options: .regularExpression) != nil }
        if format.semicolon {
            if matches(#"^-?([0-9]+|[0-9]{1,3}(\.[0-9]{3})+)(,0*)?$"#) {
                let whole = t.split(separator: ",", maxSplits: 1)[0].replacingOccurrences(of: ".", with: "")
                if let v = Double(whole) { return v }
            }
            if matches(#"^-?([0-9]+|[0-9]{1,3}(\.[0-9]{3})+),[0-9]+$"#) {
                let rupiah = unit == "rupiah"
                throw InputError(
                    Phrase { l in
                        l.t("nilai '\(t)' pecahan (dalam berkas berpemisah ';' ini ',' adalah tanda desimal); \(rupiah ? "rupiah" : "jumlah orang") adalah bilangan bulat",
                            "value '\(t)' is a fraction (in this ';'-separated file ',' is the decimal mark); \(unit) are whole numbers")
                    }, at: location)
            }
            throw InputError(
                Phrase { l in
                    t.isEmpty
                        ? l.t("nilai kosong (sebuah angka diharapkan)", "empty value (a number is expected)")
                        : l.t("nilai '\(t)' bukan bilangan bulat (berkas ini berpemisah ';', seperti tulisan Excel dalam pengaturan Indonesia: '.' memisahkan ribuan, 86.500 adalah 86500; ',' adalah tanda desimal)",
                              "value '\(t)' is not a whole number (this file is ';'-separated, as Excel writes it in Indonesian settings: '.' separates thousands, 86.500 is 86500; ',' is the decimal mark)")
                }, at: location)
        }
        // Digits (`_` between them allowed), or an exponent that gives a whole number (`1e6`); no `+`.
        if !t.hasPrefix("+"), let v = ScalarText.number(t), v.rounded() == v, ScalarText.numberHint(t, whole: true) == nil { return v }
        if let hint = ScalarText.numberHint(t, whole: true) {
            let rupiah = unit == "rupiah"
            throw InputError(
                Phrase { l in
                    let why = hint.text(indonesian: l.indonesian)
                    return l.t("nilai '\(t)' bukan bilangan bulat \(rupiah ? "rupiah" : "orang"): " + (rupiah ? why.replacingOccurrences(of: "jumlah orang dan rupiah", with: "rupiah") : why),
                               "value '\(t)' is not a whole number of \(unit): " + (rupiah ? why.replacingOccurrences(of: "persons and rupiah", with: unit) : why))
                }, at: location)
        }
        if ScalarText.number(t) != nil {
            let rupiah = unit == "rupiah"
            throw InputError(
                Phrase { l in
                    l.t("nilai '\(t)' bukan bilangan bulat \(rupiah ? "rupiah" : "orang") (tulis angka saja, seperti 86500)",
                        "value '\(t)' is not a whole number of \(unit) (write digits only, like 86500)")
                }, at: location)
        }
        throw InputError(notANumberMessage(t), at: location)
    }

    static func notANumberMessage(_ text: String) -> Phrase {
        // "1.704.308" (Indonesian grouping) or "1,704,308" (quoted, English grouping).
        let grouped = text.range(of: #"^\d{1,3}([.,]\d{3})+$"#, options: .regularExpression) != nil
        let digits = text.filter(\.isNumber)
        return Phrase { l in
            if text.isEmpty { return l.t("nilai kosong (sebuah angka diharapkan)", "empty value (a number is expected)") }
            return l.t("nilai '\(text)' bukan angka", "value '\(text)' is not a number")
                + (grouped ? l.t(" (tulis tanpa pemisah ribuan: \(digits))", " (write it without digit-group separators: \(digits))") : "")
        }
    }

    // MARK: - Warnings

    struct Key: Hashable {
        var month: Month
        var region: String
        var segment: String
        var metric: History.Metric
    }

    static func warnings(for observations: [History.Observation], file: String) -> [Phrase] {
        var found: [(line: Int, message: Phrase)] = []
        found += totalWarnings(observations)
        found += yearToDateWarnings(observations)
        found += activeAbovePotentialWarnings(observations)
        // Stable sort: warnings on the same line keep the order of the checks above.
        return found.enumerated()
            .sorted { ($0.element.line, $0.offset) < ($1.element.line, $1.offset) }
            .map { $0.element.message.prefixed("\(file):\($0.element.line): ") }
    }

    /// (a) Stated totals against the sum of the segments given beside them.
    static func totalWarnings(_ observations: [History.Observation]) -> [(line: Int, message: Phrase)] {
        struct Group: Hashable {
            var month: Month
            var region: String
            var metric: History.Metric
        }
        var order: [Group] = []
        var rows: [Group: [History.Observation]] = [:]
        for o in observations {
            let g = Group(month: o.month, region: o.region, metric: o.metric)
            if rows[g] == nil { order.append(g) }
            rows[g, default: []].append(o)
        }
        var found: [(Int, Phrase)] = []
        for g in order {
            let group = rows[g]!
            guard let total = group.first(where: { $0.isTotal }) else { continue }
            let parts = group.filter { !$0.isTotal }
            guard parts.count >= 2 else { continue }
            let sum = parts.reduce(0) { $0 + $1.value }
            let difference = sum - total.value
            guard abs(difference) > 0.5 else { continue }
            found.append(
                (total.line, Phrase { l in
                    "\(g.month) \(g.region) " + l.t("metrik '\(g.metric.rawValue)'", g.metric.rawValue) + ": " + l.t(
                        "jumlah segmen \(l.figure(sum)) tetapi TOTAL menyatakan \(l.figure(total.value)) (selisih \(l.signed(difference)))",
                        "the segments sum to \(l.figure(sum)) but TOTAL states \(l.figure(total.value)) (difference \(l.signed(difference)))")
                }))
        }
        return found
    }

    /// (b) A year-to-date figure cannot fall within its year.
    static func yearToDateWarnings(_ observations: [History.Observation]) -> [(line: Int, message: Phrase)] {
        var found: [(Int, Phrase)] = []
        for series in grouped(observations.filter { $0.metric == .acquisitionsYTD }) {
            for (previous, next) in zip(series, series.dropFirst())
            where previous.month.year == next.month.year && next.value < previous.value {
                found.append(
                    (next.line, Phrase { l in
                        "\(next.region) \(next.segment) acquisitions_ytd " + l.t(
                            "turun dari \(l.figure(previous.value)) (\(previous.month), baris \(previous.line)) ke \(l.figure(next.value)) (\(next.month)); "
                                + "angka kumulatif tahun berjalan tidak bisa turun dalam tahun \(next.month.year)",
                            "falls from \(l.figure(previous.value)) (\(previous.month), line \(previous.line)) to \(l.figure(next.value)) (\(next.month)); "
                                + "a year-to-date figure cannot decrease within \(next.month.year)")
                    }))
            }
        }
        return found
    }

    /// (c) Active members above the potential stated for the same month, region and segment.
    static func activeAbovePotentialWarnings(_ observations: [History.Observation]) -> [(line: Int, message: Phrase)] {
        var potential: [Key: History.Observation] = [:]
        for o in observations where o.metric == .potential {
            potential[Key(month: o.month, region: o.region, segment: o.segment, metric: .potential)] = o
        }
        var found: [(Int, Phrase)] = []
        for o in observations where o.metric == .active {
            guard let p = potential[Key(month: o.month, region: o.region, segment: o.segment, metric: .potential)],
                o.value > p.value
            else { continue }
            found.append(
                (o.line, Phrase { l in
                    "\(o.month) \(o.region) \(o.segment): " + l.t(
                        "peserta aktif \(l.figure(o.value)) melebihi potensi \(l.figure(p.value)) (baris \(p.line))",
                        "active \(l.figure(o.value)) is above the potential \(l.figure(p.value)) (line \(p.line))")
                }))
        }
        return found
    }

    /// Observations split by region × segment (first-appearance order), each sorted by month.
    static func grouped(_ observations: [History.Observation]) -> [[History.Observation]] {
        struct Series: Hashable {
            var region: String
            var segment: String
        }
        var order: [Series] = []
        var rows: [Series: [History.Observation]] = [:]
        for o in observations {
            let s = Series(region: o.region, segment: o.segment)
            if rows[s] == nil { order.append(s) }
            rows[s, default: []].append(o)
        }
        return order.map { rows[$0]!.sorted { $0.month < $1.month } }
    }
}
