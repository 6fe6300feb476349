import Fitting
import Foundation
import Planning

/// A history laid out as planners keep it: a workbook sheet (long or wide), or a CSV table with the
/// months as columns, possibly under title rows. Every figure goes through `HistoryReader.RowChecker`
/// as a long row would, its cells keeping where they stood.
///
/// The wide layout: a header row of key columns (Kanwil/Wilayah/region, Cabang/branch, Segmen/segment,
/// Indikator/metric, or the headings `history.columns` names) and months (real dates, or texts such as
/// `2024-01`, `Jan 2024`, `Januari 2024`, `Sep-17`), a row per region or branch × segment × metric. A
/// row with a Cabang is the branch's own figure (its name is the region key, as in a long file).
/// Columns headed No/Nomor (row numbers) or Total/Jumlah (a year's sum) are not read, and said so.
enum HistoryGrid {
    typealias Cell = CSVTable.Cell

    /// One row of the table: its cells by column (empty cells absent).
    struct Row {
        var line: Int
        var cells: [Int: Cell]
        func filled(_ column: Int) -> Cell? {
            guard let c = cells[column], !(c.text.isEmpty && c.number == nil && c.month == nil && c.problem == nil) else { return nil }
            return c
        }
    }

    /// Rows above the header a table may carry (a title, a unit, a blank).
    static let maxTitleRows = 10
    /// Merged ranges a sheet may hold (a Kanwil's sheet has tens).
    static let maxMerges = 10_000

    // MARK: Sources

    static func readWorkbook(_ source: HistorySource, declared: DeclaredNames?) throws(InputError) -> HistoryReport {
        let book = try Workbook.open(path: source.path)
        let info: Workbook.SheetInfo
        if let name = source.sheet {
            info = try book.sheet(named: name)
        } else {
            guard let first = book.sheets.first(where: { !$0.hidden }) else {
                throw InputError(Phrase("buku kerja tidak memiliki lembar yang terlihat (nyatakan history.sheet)", "the workbook has no visible sheet (state history.sheet)"), file: source.path)
            }
            info = first
        }
        let sheet = try book.read(info)
        let rows = sheet.rows.map { r in Row(line: r[0].row, cells: Dictionary(uniqueKeysWithValues: r.map { ($0.column, cell($0)) })) }
        let format = HistoryFormat(sheet: info.name)
        guard !rows.isEmpty else { throw InputError(Phrase("lembar '\(info.name)' kosong", "sheet '\(info.name)' is empty"), file: source.path) }
        return try read(rows, merged: sheet.merged, source: source, format: format, declared: declared, longFallback: true)!
    }

    /// A CSV text whose first line is not the long header; nil when no wide header is found (the caller
    /// reads it as the long layout, whose messages say what is missing).
    static func readCSV(_ text: String, source: HistorySource, format: HistoryFormat, declared: DeclaredNames?) throws(InputError) -> HistoryReport? {
        let records = try CSVTable.records(text, file: source.path, separator: format.separator)
        let rows = records.map { r in Row(line: r.first?.line ?? 0, cells: Dictionary(uniqueKeysWithValues: r.map { ($0.column, $0) })) }
        // CSV cells are keyed by their column of characters; a wide table needs field positions.
        let byField = rows.map { row in
            Row(line: row.line, cells: Dictionary(uniqueKeysWithValues: row.cells.values.sorted { $0.column < $1.column }.enumerated().map { ($0.offset + 1, $0.element) }))
        }
        return try read(byField, merged: [], source: source, format: format, declared: declared, longFallback: false)
    }

    /// A workbook cell as a located cell: typed numbers and dates kept, unreadable values said.
    static func cell(_ c: Workbook.Sheet.Cell) -> Cell {
        var out = Cell(text: "", line: c.row, column: c.column)
        switch c.value {
        case .number(let x):
            out.number = x
            out.text = x.rounded() == x && abs(x) < 1e15 ? String(Whole.clamped(x)) : "\(x)"
        case .date(let serial, let month):
            out.month = month
            out.text = month?.description ?? "\(serial)"
            if month == nil { out.problem = Phrase("tanggal di luar kalender (nomor seri \(serial))", "a date outside the calendar (serial \(serial))") }
        case .text(let t): out.text = t.trimmingCharacters(in: .whitespacesAndNewlines)
        case .bool(let b):
            out.text = b ? "TRUE" : "FALSE"
            out.problem = Phrase("sel berisi nilai logika \(out.text), bukan angka atau teks", "the cell holds the logical value \(out.text), not a number or a text")
        case .error(let e):
            out.text = e
            out.problem = Phrase("sel berisi galat Excel \(e)", "the cell holds Excel's error \(e)")
        case .formulaWithoutValue:
            out.problem = Phrase(
                "rumus tersimpan tanpa hasilnya (buka dan simpan ulang buku kerja di Excel atau LibreOffice agar hasilnya ikut tersimpan)",
                "a formula saved without its result (open and save the workbook again in Excel or LibreOffice so that it stores the results)")
        }
        return out
    }

    // MARK: Layouts

    static func read(_ rows: [Row], merged: [Workbook.Sheet.Range], source: HistorySource, format: HistoryFormat, declared: DeclaredNames?, longFallback: Bool) throws(InputError) -> HistoryReport? {
        let file = source.path
        func location(_ line: Int, _ column: Int) -> SourceLocation { SourceLocation(file: file, line: line, column: column, sheet: format.sheet) }
        let candidates = Array(rows.prefix(maxTitleRows))
        let longAt = source.layout == .wide ? nil : candidates.firstIndex { r in
            let names = Set(r.cells.values.map { $0.text.lowercased() })
            return names.contains("date") && names.contains("value")
        }
        let wideAt = source.layout == .long ? nil : candidates.firstIndex { r in
            let headings = r.cells.values.map { WideHeader.role(of: $0, columns: source.columns) }
            return headings.contains { switch $0 { case .month, .ambiguousMonth: true; default: false } }
                && headings.contains { if case .key = $0 { return true } else { return false } }
        }
        if let h = longAt, wideAt.map({ $0 >= h }) ?? true {
            try refuseMerges(merged, headerLine: rows[h].line, location: location)
            return try readLong(rows, header: h, merged: merged, file: file, format: format, declared: declared)
        }
        if let h = wideAt {
            try refuseMerges(merged, headerLine: rows[h].line, location: location)
            return try readWide(rows, header: h, merged: merged, source: source, format: format, declared: declared)
        }
        guard longFallback || source.layout == .wide else { return nil }
        if source.layout == .wide {
            throw InputError(
                Phrase(
                    "history.layout wide: tidak ada baris judul dengan kolom kunci (Kanwil, Cabang, Segmen, Indikator, atau history.columns) dan bulan dalam \(maxTitleRows) baris pertama",
                    "history.layout wide: no header row with key columns (Kanwil, Cabang, Segmen, Indikator, or history.columns) and months in the first \(maxTitleRows) rows"),
                at: location(rows.first?.line ?? 1, 1))
        }
        let expected = Phrase(
            "tidak ada baris judul dalam \(maxTitleRows) baris pertama: tata letak panjang memerlukan kolom date, region, segment, metric, value; tata letak lebar memerlukan kolom kunci (Kanwil, Cabang, Segmen, Indikator) dan bulan sebagai kolom",
            "no header row in the first \(maxTitleRows) rows: the long layout needs the columns date, region, segment, metric, value; the wide layout key columns (Kanwil, Cabang, Segmen, Indikator) and the months as columns")
        throw InputError(expected, at: location(rows.first?.line ?? 1, 1))
    }

    /// A merged range in the header row is refused (each column needs its own heading).
    static func refuseMerges(_ merged: [Workbook.Sheet.Range], headerLine: Int, location: (Int, Int) -> SourceLocation) throws(InputError) {
        for m in merged where m.firstRow <= headerLine && headerLine <= m.lastRow {
            let name = m.name
            throw InputError(
                Phrase("sel gabungan \(name) di baris judul: pisahkan (setiap kolom memerlukan judulnya sendiri)", "merged cells \(name) in the header: unmerge them (each column needs its own heading)"),
                at: location(m.firstRow, m.firstColumn))
        }
    }

    /// Fills the cells a merged range covers below the header with its first cell (a Kanwil's name
    /// merged down over its branches), in key columns only; a merge over figures is refused.
    static func fillMerges(_ rows: inout [Row], merged: [Workbook.Sheet.Range], after headerLine: Int, keyColumns: Set<Int>, file: String, sheet: String?) throws(InputError) {
        guard !merged.isEmpty else { return }
        guard merged.count <= maxMerges else {
            throw InputError(
                Phrase("lembar berisi lebih dari \(maxMerges) sel gabungan: ditolak", "the sheet holds over \(maxMerges) merged ranges: refused"), file: file)
        }
        let lines = rows.map(\.line)  // ascending
        for m in merged where m.firstRow > headerLine {
            guard (m.firstColumn...m.lastColumn).allSatisfy(keyColumns.contains) else {
                let name = m.name
                throw InputError(
                    Phrase("sel gabungan \(name) di atas angka: pisahkan (setiap bulan memerlukan angkanya sendiri)", "merged cells \(name) over figures: unmerge them (each month needs its own figure)"),
                    at: SourceLocation(file: file, line: m.firstRow, column: m.firstColumn, sheet: sheet))
            }
            // Only the rows that exist within the range (a merge may name a million empty ones).
            var (lo, hi) = (0, lines.count)  // the first row at or below the range's first (binary search)
            while lo < hi {
                let mid = (lo + hi) / 2
                if lines[mid] < m.firstRow { lo = mid + 1 } else { hi = mid }
            }
            var k = lo
            guard k < rows.count, rows[k].line == m.firstRow, let first = rows[k].cells[m.firstColumn] else { continue }
            while k < rows.count, rows[k].line <= m.lastRow {
                for column in m.firstColumn...m.lastColumn where rows[k].filled(column) == nil {
                    var c = first
                    c.line = rows[k].line
                    c.column = column
                    rows[k].cells[column] = c
                }
                k += 1
            }
        }
    }

    static func readLong(_ rows: [Row], header h: Int, merged: [Workbook.Sheet.Range], file: String, format: HistoryFormat, declared: DeclaredNames?) throws(InputError) -> HistoryReport {
        let headerRow = rows[h]
        let width = headerRow.cells.keys.max() ?? 0
        let headings = (1...max(width, 1)).map { headerRow.cells[$0] ?? Cell(text: "", line: headerRow.line, column: $0) }
        func at(_ c: Cell) -> SourceLocation { SourceLocation(file: file, line: c.line, column: c.column, sheet: format.sheet) }
        // The checks a CSV header gets: every column named, once.
        var seen = Set<String>()
        for c in headings {
            guard !c.text.isEmpty else { throw InputError(Phrase("nama kolom kosong di baris judul", "empty column name in the header"), at: at(c)) }
            guard seen.insert(c.text).inserted else { throw InputError(Phrase("nama kolom ganda '\(c.text)'", "duplicate column name '\(c.text)'"), at: at(c)) }
        }
        let columns = try HistoryReader.Columns(
            names: headings.map(\.text), location: { SourceLocation(file: file, line: headings[$0].line, column: headings[$0].column, sheet: format.sheet) },
            file: file)
        var body = Array(rows[(h + 1)...])
        try fillMerges(&body, merged: merged, after: headerRow.line, keyColumns: Set([columns.region, columns.segment, columns.metric].map { $0 + 1 }), file: file, sheet: format.sheet)
        var checker = HistoryReader.RowChecker(file: file, columns: columns, declared: declared, format: format)
        for row in body {
            if let beyond = row.cells.keys.filter({ $0 > headings.count }).min(), row.filled(beyond) != nil {
                let c = row.cells[beyond]!
                throw InputError(Phrase("nilai '\(c.text)' di luar kolom baris judul", "value '\(c.text)' beyond the header's columns"), at: at(c))
            }
            let cells = (1...headings.count).map { row.cells[$0] ?? Cell(text: "", line: row.line, column: $0) }
            if cells.allSatisfy({ $0.text.isEmpty && $0.number == nil && $0.month == nil && $0.problem == nil }) { continue }
            try checker.add(cells)
        }
        return try checker.report()
    }

    static func readWide(_ rows: [Row], header h: Int, merged: [Workbook.Sheet.Range], source: HistorySource, format: HistoryFormat, declared: DeclaredNames?) throws(InputError) -> HistoryReport {
        let file = source.path
        var format = format
        format.wide = true
        let header = try WideHeader(rows[h], columns: source.columns, file: file, sheet: format.sheet)
        format.ignoredColumns = header.ignored
        format.notes += header.notes
        var body = Array(rows[(h + 1)...])
        try fillMerges(&body, merged: merged, after: rows[h].line, keyColumns: Set(header.keys.values).union(header.ignoredColumns), file: file, sheet: format.sheet)
        // A grouped table writes its Kanwil and Segmen once, over the rows below (merged cells come out
        // of a CSV export so): a blank there takes the value above, and run.json says so.
        var filled: [String] = []
        for role in [HistorySource.Role.region, .segment] {
            guard let column = header.keys[role] else { continue }
            var above: Cell? = nil, count = 0
            for k in body.indices {
                if let c = body[k].filled(column) { above = c; continue }
                // A branch row needs no Kanwil of its own; a row without figures is no row.
                let branchRow = role == .region && header.keys[.branch].flatMap { body[k].filled($0) } != nil
                guard let a = above, !branchRow, header.months.contains(where: { body[k].filled($0.column) != nil }) else { continue }
                var c = a
                c.line = body[k].line
                c.column = column
                body[k].cells[column] = c
                count += 1
            }
            if count > 0 { filled.append(role == .region ? "Kanwil" : "Segmen") }
        }
        if !filled.isEmpty {
            let names = filled.joined(separator: ", ")
            format.notes.append(Phrase("sel \(names) yang kosong mengambil nilai di atasnya (kolom yang dikelompokkan atau digabung)", "blank \(names) cells take the value above (a grouped or merged column)"))
        }
        // The long row the checker reads: date, region, segment, metric, value.
        let columns = HistoryReader.Columns(date: 0, region: 1, segment: 2, metric: 3, value: 4)
        var checker = HistoryReader.RowChecker(file: file, columns: columns, declared: declared, format: format)
        for row in body {
            for (column, cell) in row.cells.sorted(by: { $0.key < $1.key }) where !header.known.contains(column) && row.filled(column) != nil {
                throw InputError(
                    Phrase("nilai '\(cell.text)' di bawah kolom tanpa judul", "value '\(cell.text)' under a column without a heading"),
                    at: SourceLocation(file: file, line: row.line, column: column, sheet: format.sheet))
            }
            let figures = header.months.filter { row.filled($0.column) != nil }
            let keyCells = header.keys.values.compactMap { row.filled($0) }
            if figures.isEmpty && keyCells.isEmpty { continue }
            func key(_ role: HistorySource.Role) -> Cell {
                let column = header.keys[role] ?? header.keys[.region] ?? header.keys[.branch]!
                return row.filled(column) ?? Cell(text: "", line: row.line, column: column)
            }
            let branch = header.keys[.branch].flatMap { row.filled($0) }
            let region = branch ?? key(header.keys[.region] != nil ? .region : .branch)
            for m in figures {
                var date = m.cell
                date.month = m.month
                date.text = m.month.description
                try checker.add([date, region, key(.segment), key(.metric), row.cells[m.column]!])
            }
        }
        return try checker.report()
    }
}

/// The header row of a wide table: its key columns, month columns and the columns not read.
struct WideHeader {
    enum Heading {
        case key(HistorySource.Role)
        case month(Month)
        /// `01/09/2017`: resolved over the whole row (WideHeader.init).
        case ambiguousMonth(first: Int, second: Int, year: Int)
        case ignored
        case empty
        case other
    }

    /// Accepted headings for the key columns, lower case.
    static let names: [HistorySource.Role: [String]] = [
        .region: ["kanwil", "kantor wilayah", "wilayah", "region"],
        .branch: ["cabang", "kantor cabang", "kc", "branch"],
        .segment: ["segmen", "segment"],
        .metric: ["indikator", "metrik", "metric"],
    ]
    /// Row numbers and a year's sums: beside the figures, not figures.
    static let ignoredNames: Set<String> = ["no", "no.", "nomor", "total", "jumlah"]

    var keys: [HistorySource.Role: Int] = [:]
    var months: [(column: Int, month: Month, cell: CSVTable.Cell)] = []
    var ignored: [String] = []
    /// How the headings were read where a reading was needed (day/month order).
    var notes: [Phrase] = []
    var ignoredColumns: Set<Int> = []
    /// Every column with a heading.
    var known: Set<Int> = []

    static func normalized(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func role(of cell: CSVTable.Cell, columns: [HistorySource.Role: String]) -> Heading {
        if let m = cell.month { return .month(m) }
        if cell.number != nil { return .other }
        let text = normalized(cell.text)
        if text.isEmpty { return .empty }
        if let stated = columns.first(where: { normalized($0.value) == text }) { return .key(stated.key) }
        for (role, list) in names where columns[role] == nil && list.contains(text) { return .key(role) }
        if ignoredNames.contains(text) { return .ignored }
        switch MonthHeading.parse(cell.text) {
        case .month(let m): return .month(m)
        case .ambiguous(let a, let b, let y): return .ambiguousMonth(first: a, second: b, year: y)
        case .none: return .other
        }
    }

    init(_ row: HistoryGrid.Row, columns stated: [HistorySource.Role: String], file: String, sheet: String?) throws(InputError) {
        func at(_ c: CSVTable.Cell) -> SourceLocation { SourceLocation(file: file, line: c.line, column: c.column, sheet: sheet) }
        var seenMonths: [Month: CSVTable.Cell] = [:]
        // Dates such as 01/02/2016 (a CSV export of date headings): day/month or month/day, decided for
        // the whole row. The order is taken only when it is the one in which no two columns name the
        // same month (a row of months, each on the same day).
        var slashed: [(column: Int, cell: CSVTable.Cell, first: Int, second: Int, year: Int)] = []
        for (column, cell) in row.cells {
            if case .ambiguousMonth(let a, let b, let y) = Self.role(of: cell, columns: stated) { slashed.append((column, cell, a, b, y)) }
        }
        var resolved: [Int: Month] = [:]
        if let firstSlashed = slashed.min(by: { $0.column < $1.column }) {
            let plain = Set(row.cells.values.compactMap { c -> Month? in if case .month(let m) = Self.role(of: c, columns: stated) { return m } else { return nil } })
            func reading(dayFirst: Bool) -> [Int: Month]? {
                var out: [Int: Month] = [:]
                for s in slashed {
                    let month = dayFirst ? s.second : s.first
                    guard (1...12).contains(month) else { return nil }
                    out[s.column] = Month(year: s.year, month: month)
                }
                let all = Array(out.values) + Array(plain)
                return Set(all).count == all.count ? out : nil
            }
            let dayFirst = reading(dayFirst: true), monthFirst = reading(dayFirst: false)
            switch (dayFirst, monthFirst) {
            case (let d?, nil):
                resolved = d
                notes.append(Phrase("judul tanggal dibaca hari/bulan/tahun (satu-satunya urutan yang memberi bulan berbeda di tiap kolom)", "date headings read as day/month/year (the only order that gives every column its own month)"))
            case (nil, let m?):
                resolved = m
                notes.append(Phrase("judul tanggal dibaca bulan/hari/tahun (satu-satunya urutan yang memberi bulan berbeda di tiap kolom)", "date headings read as month/day/year (the only order that gives every column its own month)"))
            default:
                throw InputError(Self.unknownHeading(firstSlashed.cell, parsed: .ambiguous(firstSlashed.first, firstSlashed.second, firstSlashed.year), columns: stated), at: at(firstSlashed.cell))
            }
        }
        for (column, cell) in row.cells.sorted(by: { $0.key < $1.key }) {
            if let problem = cell.problem { throw InputError(problem, at: at(cell)) }
            var heading = Self.role(of: cell, columns: stated)
            if case .ambiguousMonth = heading, let m = resolved[column] { heading = .month(m) }
            switch heading {
            case .key(let role):
                if keys[role] != nil {
                    throw InputError(Phrase("kolom \(role.rawValue) muncul dua kali di baris judul", "the \(role.rawValue) column appears twice in the header"), at: at(cell))
                }
                keys[role] = column
                known.insert(column)
            case .month(let m):
                if let first = seenMonths[m] {
                    let firstName = SourceLocation.columnName(first.column)
                    throw InputError(Phrase("bulan \(m) muncul dua kali di baris judul (juga kolom \(firstName))", "month \(m) appears twice in the header (also column \(firstName))"), at: at(cell))
                }
                seenMonths[m] = cell
                months.append((column, m, cell))
                known.insert(column)
            case .ignored:
                ignored.append(cell.text)
                ignoredColumns.insert(column)
                known.insert(column)
            case .empty:
                break
            case .other, .ambiguousMonth:
                throw InputError(Self.unknownHeading(cell, parsed: MonthHeading.parse(cell.text), columns: stated), at: at(cell))
            }
        }
        let first = row.cells.keys.min() ?? 1
        func missing(_ what: Phrase) -> InputError { InputError(what, at: SourceLocation(file: file, line: row.line, column: first, sheet: sheet)) }
        if keys[.region] == nil && keys[.branch] == nil {
            throw missing(Phrase("tata letak lebar tanpa kolom Kanwil/Wilayah atau Cabang (history.columns.region menamai judul lain)", "a wide layout without a Kanwil/Wilayah or Cabang column (history.columns.region names another heading)"))
        }
        if keys[.segment] == nil {
            throw missing(Phrase("tata letak lebar tanpa kolom Segmen (history.columns.segment menamai judul lain)", "a wide layout without a Segmen column (history.columns.segment names another heading)"))
        }
        if keys[.metric] == nil {
            throw missing(Phrase("tata letak lebar tanpa kolom Indikator (kode metrik seperti active, acquisitions; history.columns.metric menamai judul lain)", "a wide layout without an Indikator column (metric codes such as active, acquisitions; history.columns.metric names another heading)"))
        }
    }

    static func unknownHeading(_ cell: CSVTable.Cell, parsed: MonthHeading, columns stated: [HistorySource.Role: String]) -> Phrase {
        let text = cell.text
        // A heading history.columns names but the row does not have, close to this one: the mapping's typo.
        if let (role, heading) = stated.sorted(by: { $0.key.rawValue < $1.key.rawValue }).first(where: { closestMatch(to: text, in: [$0.value]) != nil }) {
            return Phrase(
                "kolom '\(text)' tidak dikenal; history.columns.\(role.rawValue) menamai '\(heading)', yang tidak ada di baris judul (maksud Anda '\(text)'?)",
                "unknown column '\(text)'; history.columns.\(role.rawValue) names '\(heading)', which the header does not have (did you mean '\(text)'?)")
        }
        if case .ambiguous = parsed {
            return Phrase(
                "judul '\(text)' bisa dibaca hari/bulan atau bulan/hari: tulis bulannya sebagai 2024-01 atau Jan 2024, atau simpan sebagai tanggal",
                "heading '\(text)' reads as day/month or month/day: write the month as 2024-01 or Jan 2024, or store it as a date")
        }
        if cell.number != nil {
            return Phrase(
                "judul angka \(text) di baris judul: bulan ditulis sebagai tanggal atau teks seperti 2024-01, Jan 2024, Januari 2024",
                "a number \(text) in the header: a month is a date or a text such as 2024-01, Jan 2024, Januari 2024")
        }
        return Phrase(
            "kolom '\(text)' tidak dikenal dalam tata letak lebar: kolom kunci Kanwil/Wilayah, Cabang, Segmen, Indikator (atau history.columns), bulan sebagai tanggal atau teks seperti 2024-01, Jan 2024, Januari 2024",
            "unknown column '\(text)' in the wide layout: the key columns are Kanwil/Wilayah, Cabang, Segmen, Indikator (or history.columns), the months dates or texts such as 2024-01, Jan 2024, Januari 2024")
    }
}

/// A month heading as planners type it.
enum MonthHeading: Equatable {
    case month(Month)
    /// `01/09/2017`: day/month or month/day (the two numbers and the year).
    case ambiguous(Int, Int, Int)
    case none

    /// Indonesian and English month names and their short forms, lower case.
    static let names: [String: Int] = {
        var d: [String: Int] = [:]
        let id = ["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november", "desember"]
        let en = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
        let short = ["jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des"]
        let shortEn = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        for k in 0..<12 { for list in [id, en, short, shortEn] { d[list[k]] = k + 1 } }
        d["agt"] = 8; d["ags"] = 8; d["sept"] = 9; d["nop"] = 11; d["pebruari"] = 2; d["peb"] = 2
        return d
    }()

    /// `2024-01`, `2024-01-31`, `2024/01`, `01/2024`, `Jan 2024`, `Januari 2024`, `Jan-2024`, `Sep-17`
    /// (a two-digit year is 20YY: Excel shows `mmm-yy` so).
    static func parse(_ raw: String) -> MonthHeading {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if let m = Month(text) { return .month(m) }
        let parts = text.split(whereSeparator: { $0 == "-" || $0 == "/" || $0 == " " || $0 == "." }).map(String.init)
        func year(_ s: String) -> Int? {
            guard s.allSatisfy(\.isASCII), let y = Int(s) else { return nil }
            if s.count == 4, (1900...9999).contains(y) { return y }
            if s.count == 2 { return 2000 + y }
            return nil
        }
        if parts.count == 2 {
            if let m = names[parts[0].lowercased()], let y = year(parts[1]) { return .month(Month(year: y, month: m)) }
            if parts[0].count == 4, let y = year(parts[0]), let m = Int(parts[1]), (1...12).contains(m) { return .month(Month(year: y, month: m)) }
            if parts[1].count == 4, let y = year(parts[1]), let m = Int(parts[0]), (1...12).contains(m), parts[0].count <= 2 { return .month(Month(year: y, month: m)) }
        }
        if parts.count == 3 {
            // 2024-01-31: the month of an ISO date.
            if parts[0].count == 4, let y = year(parts[0]), let m = Int(parts[1]), (1...12).contains(m), Int(parts[2]) != nil { return .month(Month(year: y, month: m)) }
            // 01/09/2017: unless the first two agree on a reading (a day above 12), ambiguous.
            if let a = Int(parts[0]), let b = Int(parts[1]), parts[2].count == 4, let y = year(parts[2]), (1...31).contains(a), (1...31).contains(b) {
                return .ambiguous(a, b, y)
            }
        }
        return .none
    }
}
