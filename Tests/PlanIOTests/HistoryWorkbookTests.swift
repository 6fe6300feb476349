import Foundation
import Testing
import ZIPFoundation

@testable import Fitting

@testable import PlanIO
@testable import Planning

/// Issue 33: the history from the planner's own workbook, long or wide, and wide CSV tables. The
/// fixtures were written by openpyxl and LibreOffice (scripts/make_xlsx_fixtures.py), not by rkat; the
/// oracle is the long CSV they were made from.
@Suite struct HistoryWorkbookTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/Fixtures/xlsx")
    static let csv = root.appendingPathComponent("Tests/Fixtures/midyear-2018/history-with-branch.csv").path

    static func figures(_ h: History) -> [String] {
        h.observations.map { "\($0.month) \($0.region) \($0.segment) \($0.metric.rawValue) \($0.value)" }.sorted()
    }

    static func scratch(_ name: String) -> URL {
        let dir = ScratchFolder.make("xlsx")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(name)
    }

    @Test(arguments: [
        ("long-openpyxl.xlsx", nil), ("wide-openpyxl.xlsx", nil), ("wide-texts-id.xlsx", nil), ("wide-texts-id.xlsx", "Tanggal"),
        ("wide.csv", nil), ("wide-id.csv", nil), ("wide-lo-csv.xlsx", nil), ("wide-lo-ods.xlsx", nil), ("wide-lo-export.csv", nil),
    ] as [(String, String?)])
    func readsToTheSameHistoryAsItsCSV(file: String, sheet: String?) throws {
        let expected = Self.figures(try HistoryReader.read(path: Self.csv).history)
        let source = HistorySource(path: Self.fixtures.appendingPathComponent(file).path, sheet: sheet)
        let report = try HistoryReader.read(source)
        #expect(Self.figures(report.history) == expected)
        #expect(expected.count == 372)
        // Branch rows read as branches: KC Barat is its own region key, as in the long file.
        #expect(report.history.observations.contains { $0.region == "KC Barat" && $0.month == Month(year: 2014, month: 1) && $0.metric == .active && $0.value == 57290 })
    }

    @Test func theFormatSaysWhatWasRead() throws {
        let wide = try HistoryReader.read(HistorySource(path: Self.fixtures.appendingPathComponent("wide-openpyxl.xlsx").path))
        #expect(wide.format.description == ".xlsx workbook, sheet 'Realisasi': typed numbers and dates, nothing guessed; wide layout: months as columns; columns not read: 'No', 'Total'")
        let id = try HistoryReader.read(HistorySource(path: Self.fixtures.appendingPathComponent("wide-id.csv").path))
        #expect(id.format.description.hasPrefix("';'-separated (Excel, Indonesian settings)"))
        #expect(id.format.description.hasSuffix("; wide layout: months as columns"))
    }

    // MARK: Dates

    /// Hand-computed serials: 1900 system 1 = 1900-01-01, 59 = 1900-02-28, 60 = the fictitious
    /// 1900-02-29, 61 = 1900-03-01, 43101 = 2018-01-01, 43100 = 2017-12-31; the 1904 system 0 =
    /// 1904-01-01, 41639 = 2018-01-01 (43101 − 1462).
    @Test func dateSerials() {
        let cases: [(Double, Bool, String?)] = [
            (1, false, "1900-01"), (31, false, "1900-01"), (32, false, "1900-02"), (59, false, "1900-02"), (60, false, "1900-02"),
            (61, false, "1900-03"), (43101, false, "2018-01"), (43100, false, "2017-12"), (43101.75, false, "2018-01"),
            (0, false, nil), (-1, false, nil), (0, true, "1904-01"), (41639, true, "2018-01"), (41638, true, "2017-12"),
            (2_958_465, false, "9999-12"), (2_958_466, false, nil), (.nan, false, nil), (.infinity, true, nil),
        ]
        for (serial, is1904, month) in cases {
            #expect(Workbook.month(serial: serial, date1904: is1904)?.description == month, "serial \(serial) 1904=\(is1904)")
        }
    }

    @Test func dateFormatCodes() {
        for code in ["mmm-yy", "yyyy-mm", "dd/mm/yyyy", "[$-421]mmmm yyyy", "d-mmm", "m/d/yy h:mm", "mmmm\\ yyyy"] { #expect(Workbook.isDateFormat(code), "\(code)") }
        for code in ["General", "#,##0", "0.00", "h:mm", "[h]:mm:ss", "mm:ss", "\"Rp\" #,##0", "[Red]#,##0", "_(* #,##0_)", "0%"] { #expect(!Workbook.isDateFormat(code), "\(code)") }
        #expect(Workbook.builtInDateFormats.contains(14) && Workbook.builtInDateFormats.contains(17) && !Workbook.builtInDateFormats.contains(3))
    }

    @Test func monthHeadings() {
        let read: [(String, String?)] = [
            ("2024-01", "2024-01"), ("Jan 2024", "2024-01"), ("Januari 2024", "2024-01"), ("january 2024", "2024-01"), ("Mei 2024", "2024-05"),
            ("Agt 2024", "2024-08"), ("Agustus 2024", "2024-08"), ("Okt-2024", "2024-10"), ("Des 2024", "2024-12"), ("Sep-17", "2017-09"),
            ("2024/03", "2024-03"), ("3/2024", "2024-03"), ("2024-01-31", "2024-01"), ("Total", nil), ("Maret", nil), ("13/2024", nil),
        ]
        for (text, month) in read {
            if case .month(let m) = MonthHeading.parse(text) { #expect(m.description == month, "\(text)") } else { #expect(month == nil, "\(text)") }
        }
        #expect(MonthHeading.parse("01/09/2017") == .ambiguous(1, 9, 2017))
    }

    /// LibreOffice's default CSV export of date headings: 01/02/2014 is February (month/day/year), the
    /// only order in which no two columns name the same month; day/month files the other way; a row
    /// that reads both ways is refused.
    @Test func slashedDateHeadingsAreReadInTheOnlyConsistentOrder() throws {
        func read(_ text: String) throws -> HistoryReport {
            let url = Self.scratch("slashed.csv")
            try text.write(to: url, atomically: true, encoding: .utf8)
            return try HistoryReader.read(HistorySource(path: url.path))
        }
        let monthFirst = try read("Kanwil,Segmen,Indikator,01/01/2014,02/01/2014,03/01/2014\nA,PU,active,1,2,3\n")
        #expect(monthFirst.history.observations.map { "\($0.month) \($0.value)" } == ["2014-01 1.0", "2014-02 2.0", "2014-03 3.0"])
        #expect(monthFirst.format.description.contains("date headings read as month/day/year"))
        let dayFirst = try read("Kanwil,Segmen,Indikator,31/01/2014,28/02/2014\nA,PU,active,1,2\n")
        #expect(dayFirst.history.observations.map { "\($0.month) \($0.value)" } == ["2014-01 1.0", "2014-02 2.0"])
        #expect(dayFirst.format.description.contains("date headings read as day/month/year"))
        #expect(throws: InputError.self) { try read("Kanwil,Segmen,Indikator,01/02/2014,03/04/2014\nA,PU,active,1,2\n") }
        // A Segmen written once over its rows (a merged cell exported to CSV) is taken from above, and said.
        let grouped = try read("Kanwil,Segmen,Indikator,2014-01\nA,PU,active,1\nA,,acquisitions,2\n")
        #expect(grouped.history.observations.map { "\($0.segment) \($0.metric.rawValue)" } == ["PU active", "PU acquisitions"])
        #expect(grouped.format.description.hasSuffix("blank Segmen cells take the value above (a grouped or merged column)"))
    }

    /// `history: {file, sheet, layout, columns}` in a scenario: the mapping read, the headings it names
    /// used for the key columns, and its mistakes located at the key.
    @Test func theHistoryMappingNamesSheetLayoutAndColumns() throws {
        let csv = "Nama Kanwil;Kelompok;Indikator;Jan 2017;Feb 2017\nSumbagut;PU;active;86.500;87.000\nSumbagut;BPU;active;10.000;11.000\n"
        let scenario = ScenarioFixtures.minimalScenario.replacingOccurrences(
            of: "history: h.csv", with: "history: {file: h.csv, layout: wide, columns: {region: Nama Kanwil, segment: Kelompok}}")
        let dir = ScenarioTempDir().write(["s.yaml": scenario, "h.csv": csv])
        let doc = try ScenarioReader.read(path: dir.file("s.yaml"))
        #expect(doc.history == HistorySource(path: dir.file("h.csv"), layout: .wide, columns: [.region: "Nama Kanwil", .segment: "Kelompok"]))
        let report = try HistoryReader.read(doc.history)
        // 86.500 in a ';' file is eighty-six thousand five hundred.
        #expect(report.history.observations.map { "\($0.month) \($0.region) \($0.segment) \($0.value)" } == [
            "2017-01 Sumbagut PU 86500.0", "2017-02 Sumbagut PU 87000.0", "2017-01 Sumbagut BPU 10000.0", "2017-02 Sumbagut BPU 11000.0",
        ])
        // A heading the mapping names with a typo: said at the sheet's heading, naming the key.
        let typo = ScenarioFixtures.minimalScenario.replacingOccurrences(of: "history: h.csv", with: "history: {file: h.csv, columns: {region: Nama Kanwill, segment: Kelompok}}")
        let bad = ScenarioTempDir().write(["s.yaml": typo, "h.csv": csv])
        var message = "no error"
        do { _ = try HistoryReader.read(try ScenarioReader.read(path: bad.file("s.yaml")).history) } catch { message = error.description }
        #expect(message.hasSuffix("h.csv:1:1: unknown column 'Nama Kanwil'; history.columns.region names 'Nama Kanwill', which the header does not have (did you mean 'Nama Kanwil'?)"), "\(message)")
        #expect(ScenarioFixtures.scenarioError(["s.yaml": ScenarioFixtures.minimalScenario.replacingOccurrences(of: "history: h.csv", with: "history: {file: h.csv, layout: across}"), "h.csv": csv])?
            .hasPrefix("s.yaml:5:") == true)
        #expect(ScenarioFixtures.scenarioError(["s.yaml": ScenarioFixtures.minimalScenario.replacingOccurrences(of: "history: h.csv", with: "history: {file: h.csv, sheets: A}"), "h.csv": csv])?
            .contains("unknown key 'sheets' (did you mean 'sheet'?)") == true)
        // A sheet named for a CSV file is refused.
        #expect(Self.error(dir.file("h.csv"), sheet: "A").hasSuffix("history.sheet: only an .xlsx workbook has sheets; this file is CSV"))
    }

    // MARK: Located errors

    /// A workbook written here with openpyxl's layout would need Python; the cases are built by
    /// editing a fixture's sheet XML (the zip rewritten by ZIPFoundation).
    static func edited(_ fixture: String, part: String = "xl/worksheets/sheet1.xml", _ edit: (String) -> String) throws -> String {
        try edited(at: fixtures.appendingPathComponent(fixture), part: part, edit)
    }

    /// The same for any workbook (one rkat just wrote).
    static func edited(at file: URL, part: String = "xl/worksheets/sheet1.xml", _ edit: (String) -> String) throws -> String {
        let source = try Archive(url: file, accessMode: .read)
        let url = scratch(file.lastPathComponent)
        let target = try Archive(url: url, accessMode: .create)
        for entry in source {
            var data = Data()
            _ = try source.extract(entry) { data.append($0) }
            if entry.path == part { data = Data(edit(String(decoding: data, as: UTF8.self)).utf8) }
            let bytes = data
            try target.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return url.path
    }

    static func error(_ path: String, sheet: String? = nil) -> String {
        do {
            _ = try HistoryReader.read(HistorySource(path: path, sheet: sheet))
            return "no error"
        } catch { return error.description }
    }

    @Test func aTextWhereANumberBelongsIsLocated() throws {
        // wide-openpyxl.xlsx: F3 is KC-less Synthetica PU active, January 2014 (104164).
        let path = try Self.edited("wide-openpyxl.xlsx") { $0.replacingOccurrences(of: "<c r=\"F3\" t=\"n\"><v>104164</v></c>", with: "<c r=\"F3\" t=\"inlineStr\"><is><t>104.164</t></is></c>") }
        #expect(Self.error(path).hasSuffix("wide-openpyxl.xlsx!Realisasi!F3: a text cell '104.164' where a number belongs (in Excel: convert it to a number, no leading apostrophe)"))
    }

    @Test func aFormulaWithoutItsValueInAnInputCellIsLocated() throws {
        let path = try Self.edited("wide-openpyxl.xlsx") { $0.replacingOccurrences(of: #"<c r="G4" t="n"><v>\d+</v></c>"#, with: "<c r=\"G4\"><f>F4+1</f><v></v></c>", options: .regularExpression) }
        #expect(Self.error(path).contains("wide-openpyxl.xlsx!Realisasi!G4: a formula saved without its result"))
        // rkat's own Total column holds formulas without values (openpyxl): not read, no error.
        #expect(Self.error(Self.fixtures.appendingPathComponent("wide-openpyxl.xlsx").path) == "no error")
    }

    @Test func aMergedHeaderIsRefused() throws {
        let path = try Self.edited("wide-openpyxl.xlsx") { $0.replacingOccurrences(of: "<mergeCell ref=\"B3:B9\" />", with: "<mergeCell ref=\"B3:B9\" /><mergeCell ref=\"D2:E2\" />").replacingOccurrences(of: "<mergeCells count=\"1\">", with: "<mergeCells count=\"2\">") }
        #expect(Self.error(path).hasSuffix("wide-openpyxl.xlsx!Realisasi!D2: merged cells D2:E2 in the header: unmerge them (each column needs its own heading)"))
    }

    @Test func anUnknownHeadingAndAMissingSheetAreSaid() throws {
        let path = try Self.edited("wide-openpyxl.xlsx") { $0.replacingOccurrences(of: "<c r=\"A2\" t=\"inlineStr\"><is><t>No</t></is></c>", with: "<c r=\"A2\" t=\"inlineStr\"><is><t>Keterangan</t></is></c>") }
        #expect(Self.error(path).contains("wide-openpyxl.xlsx!Realisasi!A2: unknown column 'Keterangan' in the wide layout"))
        #expect(Self.error(Self.fixtures.appendingPathComponent("wide-texts-id.xlsx").path, sheet: "Tangal").hasSuffix("the workbook has no sheet 'Tangal' (did you mean 'Tanggal'?); its sheets: 'Data', 'Tanggal'"))
    }

    // MARK: Workbooks built here, part by part

    /// A minimal workbook: the package's parts and one sheet named "S" with `sheetData` (and `extra`
    /// after it, e.g. mergeCells).
    static func workbook(_ name: String, rows: String, extra: String = "") throws -> String {
        let url = scratch(name)
        let archive = try Archive(url: url, accessMode: .create)
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main", rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        let parts = [
            ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            ("_rels/.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(rel)/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"),
            ("xl/workbook.xml", "<workbook xmlns=\"\(main)\" xmlns:r=\"\(rel)\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"),
            ("xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"\(rel)/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"),
            ("xl/worksheets/sheet1.xml", "<worksheet xmlns=\"\(main)\"><sheetData>\(rows)</sheetData>\(extra)</worksheet>"),
        ]
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { p, n in data.subdata(in: Int(p)..<Int(p) + n) }
        }
        return url.path
    }

    static func text(_ t: String, _ ref: String = "") -> String { "<c\(ref.isEmpty ? "" : " r=\"\(ref)\"") t=\"inlineStr\"><is><t>\(t)</t></is></c>" }

    /// libxml2 refuses a document over 10 MB handed over whole; a Kanwil's sheet is larger (streamed here).
    @Test func aSheetOverTenMegabytesIsRead() throws {
        var rows = "", count = 0
        for r in 1...3_000 {
            rows += "<row r=\"\(r)\">"
            for c in 1...120 {
                rows += "<c r=\"\(SourceLocation.columnName(c))\(r)\"><v>\(100_000 + r + c)</v></c>"
                count += 1
            }
            rows += "</row>"
        }
        #expect(rows.utf8.count > 11_000_000)
        let path = try Self.workbook("big.xlsx", rows: rows)
        let book = try Workbook.open(path: path)
        let sheet = try book.read(book.sheets[0])
        #expect(sheet.rows.count == 3_000 && sheet.rows.reduce(0) { $0 + $1.count } == count)
        #expect(sheet.rows[2_999][119] == Workbook.Sheet.Cell(row: 3_000, column: 120, value: .number(103_120)))
    }

    /// Cells without `r` (some writers leave it out) follow the one before, an empty one included; a
    /// formula's empty text result is an empty cell; a merge written corner last (B3:A2) is the same range.
    @Test func cellsWithoutReferencesEmptyResultsAndReversedMerges() throws {
        let header = "<row r=\"1\">" + Self.text("Kanwil") + Self.text("Segmen") + Self.text("Indikator") + Self.text("2024-01") + Self.text("2024-02") + Self.text("2024-03") + "</row>"
        let rows = header
            + "<row r=\"2\">" + Self.text("Sumbagut") + Self.text("PU") + Self.text("active") + "<c s=\"0\"/><c><v>5</v></c><c t=\"str\"><f>IF(1,\"\",1)</f><v></v></c></row>"
            + "<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>PU</t></is></c>" + Self.text("acquisitions", "C3") + "<c r=\"D3\"><v>7</v></c></row>"
        let path = try Self.workbook("odd.xlsx", rows: rows, extra: "<mergeCells count=\"1\"><mergeCell ref=\"A3:A2\"/></mergeCells>")
        let report = try HistoryReader.read(HistorySource(path: path))
        #expect(report.history.observations.map { "\($0.month) \($0.region) \($0.metric.rawValue) \($0.value)" } == ["2024-02 Sumbagut active 5.0", "2024-01 Sumbagut acquisitions 7.0"])
    }

    /// The long layout from a workbook gets the header checks a CSV gets, and a figure beyond the header is refused.
    @Test func theLongLayoutFromAWorkbookIsCheckedAsACSVIs() throws {
        let head = "<row r=\"1\">" + Self.text("date") + Self.text("region") + Self.text("segment") + Self.text("metric") + Self.text("value")
        let row = "<row r=\"2\">" + Self.text("2024-01") + Self.text("Sumbagut") + Self.text("PU") + Self.text("active") + "<c><v>5</v></c>"
        let duplicate = try Self.workbook("dup.xlsx", rows: head + Self.text("value") + "</row>" + row + "</row>")
        #expect(Self.error(duplicate).hasSuffix("dup.xlsx!S!F1: duplicate column name 'value'"))
        let beyond = try Self.workbook("beyond.xlsx", rows: head + "</row>" + row + "<c r=\"G2\"><v>9</v></c></row>")
        #expect(Self.error(beyond).hasSuffix("beyond.xlsx!S!G2: value '9' beyond the header's columns"))
        let dated = try Self.workbook("dated.xlsx", rows: head + "</row>" + "<row r=\"2\">" + Self.text("2024-01") + Self.text("Sumbagut") + Self.text("PU") + Self.text("active") + "<c t=\"d\"><v>2024-03-01</v></c></row>")
        #expect(Self.error(dated).hasSuffix("dated.xlsx!S!E2: a cell formatted as a date (2024-03) where a figure belongs: format it as a number"))
    }

    // MARK: Hostile files

    /// A part that inflates far beyond the cap (its header states the true size: the count while
    /// streaming refuses it, not the header). The cap is lowered to 4 MiB here to keep the test quick;
    /// the default's message is checked through the history reader on the same file.
    @Test func aZipBombIsRefusedInBoundedMemory() throws {
        let url = Self.scratch("bomb.xlsx")
        let archive = try Archive(url: url, accessMode: .create)
        let size = 16 << 20, chunk = Data(count: 1 << 20)
        func add(_ path: String, _ text: String) throws {
            let content = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(content.count), compressionMethod: .deflate) { p, n in content.subdata(in: Int(p)..<Int(p) + n) }
        }
        try add("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>")
        try add("_rels/.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>")
        try archive.addEntry(with: "xl/workbook.xml", type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate) { _, n in chunk.prefix(n) }
        let bytes = try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int
        #expect(bytes < 64 << 10)
        var limits = Workbook.Limits()
        limits.partBytes = 4 << 20
        #expect(throws: InputError(Phrase("bagian xl/workbook.xml mengembang melebihi 4 MiB (bom zip?): ditolak", "part xl/workbook.xml inflates beyond 4 MiB (a zip bomb?): refused"), file: url.path)) {
            _ = try Workbook.open(path: url.path, limits: limits)
        }
        // Under the default cap the same 16 MiB of zeros is inflated, and is no XML workbook.
        #expect(Self.error(url.path).contains("xl/workbook.xml"))
    }

    @Test func entitiesAndDeepNestingAreRefused() throws {
        let laughs = try Self.edited("wide-openpyxl.xlsx") {
            "<?xml version=\"1.0\"?><!DOCTYPE w [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>" + $0.replacingOccurrences(of: "Synthetica (orang)", with: "&b;")
        }
        #expect(Self.error(laughs).hasSuffix("part xl/worksheets/sheet1.xml declares a DTD or entities: refused"))
        let deep = try Self.edited("wide-openpyxl.xlsx") { $0.replacingOccurrences(of: "<sheetData>", with: String(repeating: "<x>", count: 100) + String(repeating: "</x>", count: 100) + "<sheetData>") }
        #expect(Self.error(deep).hasSuffix("xl/worksheets/sheet1.xml: XML elements nest more than 64 deep: refused"))
    }

    /// Merges naming a million empty rows cost nothing (only the rows that exist are visited); past
    /// 10,000 merges a sheet is refused.
    @Test func manyLargeMergesAreCheap() throws {
        let head = "<row r=\"1\">" + Self.text("Kanwil") + Self.text("Segmen") + Self.text("Indikator") + Self.text("2024-01") + "</row>"
        let row = "<row r=\"2\">" + Self.text("Sumbagut") + Self.text("PU") + Self.text("active") + "<c><v>5</v></c></row>"
        let merges = (0..<2_000).map { _ in "<mergeCell ref=\"A2:A1048576\"/>" }.joined()
        let path = try Self.workbook("merges.xlsx", rows: head + row, extra: "<mergeCells>\(merges)</mergeCells>")
        let clock = ContinuousClock(), start = clock.now
        #expect(try HistoryReader.read(HistorySource(path: path)).history.observations.count == 1)
        #expect(clock.now - start < .seconds(10))
        let tooMany = try Self.workbook("merges2.xlsx", rows: head + row, extra: "<mergeCells>" + String(repeating: "<mergeCell ref=\"A2:A3\"/>", count: 10_001) + "</mergeCells>")
        #expect(Self.error(tooMany).hasSuffix("merges2.xlsx: the sheet holds over 10000 merged ranges: refused"))
    }

    @Test func notAWorkbookIsOneLine() throws {
        let url = Self.scratch("broken.xlsx")
        var bytes = try Data(contentsOf: Self.fixtures.appendingPathComponent("wide-openpyxl.xlsx"))
        bytes.removeLast(bytes.count / 2)
        try bytes.write(to: url)
        #expect(Self.error(url.path).hasSuffix("broken.xlsx: not a readable .xlsx workbook (a damaged zip, or not Office Open XML; save it again from Excel as \"Excel Workbook (.xlsx)\")"))
        let xls = Self.scratch("old.xls")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).write(to: xls)
        #expect(Self.error(xls.path).hasSuffix("old.xls: an Excel 97–2003 workbook (.xls) cannot be read: save it as .xlsx or CSV"))
    }
}
