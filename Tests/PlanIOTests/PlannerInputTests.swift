import Foundation
import Planning
import Testing

@testable import PlanIO

/// Input as planners write it (Excel in Indonesian settings): every value is read as meant or refused
/// with a located one-line message, never read as another number (issue 14).
@Suite struct PlannerInputTests {
    static let files = ["s.yaml": ScenarioFixtures.minimalScenario, "h.csv": ScenarioFixtures.historyCSV]

    static func withLevers(_ levers: String) -> [String: String] {
        ["s.yaml": ScenarioFixtures.minimalScenario + levers, "h.csv": ScenarioFixtures.historyCSV]
    }

    // MARK: Persons and rupiah in YAML and --set

    @Test func dottedThousandsInYAMLAreRefusedWithTheHint() {
        let yaml = ScenarioFixtures.minimalScenario.replacingOccurrences(of: "total: 6_900_000", with: "total: 86.500")
        #expect(ScenarioFixtures.scenarioError(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
            == "s.yaml:7:10: potential.total: expected a whole number of persons in (0, 1e9], got 86.500: this reads as the decimal 86.5; write thousands as 86500 or 86_500")
    }

    @Test func poolAndCostAreWholeNumbers() {
        let pool = Self.withLevers("levers:\n  honorary: {pool: 10.000, segment: PU, ramp: [{month: 2018-12, share: 0.9}]}\n")
        #expect(ScenarioFixtures.scenarioError(pool)?.hasSuffix("levers.honorary.pool: expected a whole number of persons in (0, 1e9], got 10.000: this reads as the decimal 10; write thousands as 10000 or 10_000") == true)
        let cost = Self.withLevers("levers:\n  budget_cohorts: {segment: BPU, budget_per_year_rp: 1_200_000_000, cost_per_person_month_rp: 16.800}\n")
        #expect(ScenarioFixtures.scenarioError(cost)?.contains("cost_per_person_month_rp: expected a cost in whole rupiah per person-month in [1, 1e9], got 16.800: this reads as the decimal 16.8; write thousands as 16800 or 16_800") == true)
        let fraction = Self.withLevers("levers:\n  honorary: {pool: 1500.5, segment: PU, ramp: [{month: 2018-12, share: 0.9}]}\n")
        #expect(ScenarioFixtures.scenarioError(fraction)?.hasSuffix("got 1500.5: persons and rupiah are whole numbers") == true)
    }

    @Test(arguments: [
        ("potential.total=86.500", "--set:1:17: potential.total: expected a whole number of persons in (0, 1e9], got 86.500: this reads as the decimal 86.5; write thousands as 86500 or 86_500"),
        ("potential.total=1.704.308", "--set:1:17: potential.total: expected a whole number of persons in (0, 1e9], got 1.704.308: digit groups are not separated by dots or commas here; write 1704308 or 1_704_308"),
        ("potential.total=86,500", "--set:1:17: potential.total: expected a whole number of persons in (0, 1e9], got 86,500: digit groups are not separated by dots or commas here; write 86500 or 86_500"),
        ("potential.total=6900000.5", "--set:1:17: potential.total: expected a whole number of persons in (0, 1e9], got 6900000.5: persons and rupiah are whole numbers"),
        ("potential.growth_per_year=0,03", "--set:1:27: potential.growth_per_year: expected a growth rate per year in [-0.5, 0.5] (a fraction like 0.02 or \"2%\"), got 0,03: a decimal comma: write the decimal point, 0.03"),
    ])
    func setValuesInIndonesianHabitsAreRefused(set: String, message: String) {
        #expect(ScenarioFixtures.scenarioError(Self.files, overrides: [set]) == message)
    }

    @Test func ratesKeepTheirDecimals() throws {
        let dir = ScenarioTempDir().write(Self.files)
        let s = try ScenarioReader.read(path: dir.file("s.yaml"), overrides: ["potential.growth_per_year=0.025", "potential.total=86_500"]).scenario
        #expect(s.regions[0].potential.growthPerYear == 0.025)
        #expect(s.regions[0].potential.total == 86_500)
    }

    @Test func aTabInTheIndentationSaysYAMLIndentsWithSpaces() {
        let yaml = ScenarioFixtures.minimalScenario.replacingOccurrences(of: "  basis: BPS", with: "\tbasis: BPS")
        #expect(ScenarioFixtures.scenarioError(["s.yaml": yaml, "h.csv": ScenarioFixtures.historyCSV])
            == "s.yaml:8:1: a tab in the indentation: YAML indents with spaces (replace the tab with spaces)")
    }

    // MARK: History values in a comma-separated file

    static let header = "date,region,segment,metric,value\n"

    static func historyError(_ text: String, declared: DeclaredNames? = nil) -> String? {
        do {
            _ = try HistoryReader.parse(text, file: "h.csv", declared: declared)
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        ("11.924", "h.csv:2:28: value '11.924' is not a whole number of persons: this reads as the decimal 11.924; write thousands as 11924 or 11_924"),
        ("1.5", "h.csv:2:28: value '1.5' is not a whole number of persons: persons and rupiah are whole numbers"),
        ("0.0001", "h.csv:2:28: value '0.0001' is not a whole number of persons: persons and rupiah are whole numbers"),
        ("+5", "h.csv:2:28: value '+5' is not a whole number of persons (write digits only, like 86500)"),
        ("1e308", "h.csv:2:28: value 1e308 is above 1e9 (persons and counts are at most 1e9)"),
        ("2.5e-3", "h.csv:2:28: value '2.5e-3' is not a whole number of persons: persons and rupiah are whole numbers"),
        ("\"86,5\"", "h.csv:2:28: value '86,5' is not a whole number of persons: a decimal comma, and persons and rupiah are whole numbers"),
        ("1.704.308", "h.csv:2:28: value '1.704.308' is not a whole number of persons: digit groups are not separated by dots or commas here; write 1704308 or 1_704_308"),
    ])
    func commaFileCountsAreWholeNumbers(value: String, message: String) {
        #expect(Self.historyError(Self.header + "2017-09,Sumbagut,PU,active,\(value)\n") == message)
    }

    @Test func commaFileStreamedFromDiskRefusesTheSame() throws {
        let dir = ScenarioTempDir().write(["h.csv": Self.header + "2017-09,Sumbagut,PU,active,86.500\n"])
        #expect(throws: InputError.self) { try HistoryReader.read(path: dir.file("h.csv")) }
        do { _ = try HistoryReader.read(path: dir.file("h.csv")) } catch {
            #expect(error.message.contains("reads as the decimal 86.5"))
        }
    }

    // MARK: Excel's ;-separated CSV

    static let excel = """
        date;region;segment;metric;value;basis;source\r
        2017-09;Sumbagut;PU;active;86.500;"peserta aktif; akhir Q3, 2017";Antara\r
        2017-10;Sumbagut;PU;active;1.704.308,00;;\r
        2017-11;Sumbagut;PU;active;726119;;\r
        ;;;;;;\r
        ;;;;;;\r

        """

    @Test func excelSemicolonFileReadsDotThousandsAndQuotedFields() throws {
        let report = try HistoryReader.parse(Self.excel, file: "h.csv", format: HistoryFormat(semicolon: true))
        let o = report.history.observations
        #expect(o.map(\.value) == [86_500, 1_704_308, 726_119])
        #expect(o[0].basis == "peserta aktif; akhir Q3, 2017")
        #expect(report.format.description.contains("';'-separated"))
    }

    @Test func excelFileIsDetectedFromItsHeaderAndWindows1252IsRead() throws {
        var data = Data(Self.excel.replacingOccurrences(of: "Antara", with: "Antara – Medan").utf8)
        // The en dash as Windows-1252 writes it (0x96), which is not UTF-8.
        data = Data(String(decoding: data, as: UTF8.self).unicodeScalars.flatMap { $0 == "–" ? [UInt8(0x96)] : Array(String($0).utf8) })
        let dir = ScenarioTempDir()
        FileManager.default.createFile(atPath: dir.file("h.csv"), contents: data)
        let report = try HistoryReader.read(path: dir.file("h.csv"))
        #expect(report.format == HistoryFormat(semicolon: true, windows1252: true))
        #expect(report.history.observations[0].value == 86_500)
        #expect(report.history.observations[0].source == "Antara – Medan")
        #expect(report.format.description.hasSuffix("encoding Windows-1252"))
    }

    @Test(arguments: [
        ("86,5", "h.csv:2:28: value '86,5' is a fraction (in this ';'-separated file ',' is the decimal mark); persons are whole numbers"),
        ("86.5", "h.csv:2:28: value '86.5' is not a whole number (this file is ';'-separated, as Excel writes it in Indonesian settings: '.' separates thousands, 86.500 is 86500; ',' is the decimal mark)"),
        ("86.500,25", "h.csv:2:28: value '86.500,25' is a fraction (in this ';'-separated file ',' is the decimal mark); persons are whole numbers"),
    ])
    func excelFileFractionsAreRefused(value: String, message: String) {
        do {
            _ = try HistoryReader.parse("date;region;segment;metric;value\n2017-09;Sumbagut;PU;active;\(value)\n", file: "h.csv", format: HistoryFormat(semicolon: true))
            Issue.record("read \(value)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func trailingEmptyRowsOfACommaFileAreIgnored() throws {
        let report = try HistoryReader.parse(Self.header + "2017-09,Sumbagut,PU,active,726119\n,,,,\n,,,,\n", file: "h.csv")
        #expect(report.history.observations.count == 1)
    }

    // MARK: Regions and segments the scenario does not declare

    static let declared = DeclaredNames(regions: ["Tebing Tinggi", "Medan"], segments: ["ALL"])

    @Test func aRegionCloseToADeclaredOneIsAnError() {
        #expect(Self.historyError(Self.header + "2017-09,Tebing tinggi,ALL,active,5\n", declared: Self.declared)
            == "h.csv:2:9: region 'Tebing tinggi' is not in the scenario (did you mean 'Tebing Tinggi'?); regions: Tebing Tinggi, Medan")
        #expect(Self.historyError(Self.header + "2017-09,Medan,AL,active,5\n", declared: Self.declared)
            == "h.csv:2:15: segment 'AL' is not in the scenario (did you mean 'ALL'?); segments: ALL")
    }

    @Test func otherUndeclaredNamesAreAWarningCountingTheRows() throws {
        let text = Self.header + "2017-09,Medan,ALL,active,5\n2017-09,Medan,PU,active,3\n2017-10,Medan,PU,active,4\n2017-09,Aceh,ALL,active,4\n2017-09,Medan,TOTAL,active,8\n"
        let report = try HistoryReader.parse(text, file: "h.csv", declared: Self.declared)
        #expect(report.warnings.map(\.english) == [
            "h.csv:3: 2 rows of segment 'PU' ignored (not declared in the scenario)",
            "h.csv:5: 1 row of region 'Aceh' ignored (not declared in the scenario)",
        ])
    }
}
