import Foundation
import Testing

@testable import PlanIO
import Planning
import Fitting

private let header = "date,region,segment,metric,value,basis,source\n"

/// The error message `HistoryReader.parse` gives for `text`, or nil when it reads.
private func parseError(_ text: String, file: String = "h.csv") -> String? {
    do {
        _ = try HistoryReader.parse(text, file: file)
        return nil
    } catch {
        return error.description
    }
}

private func warnings(_ text: String, file: String = "h.csv") throws -> [String] {
    try HistoryReader.parse(text, file: file).warnings.map(\.english)
}

@Suite struct HistoryReaderTests {
    // MARK: Reading

    @Test func readsRowsWithBasisSourceAndLines() throws {
        let text = header + """
            2017-09,Sumbagut,PU,active,726119,BPJS TK active,"seed 000 (Antara, 20 Oct 2017)"

            2017-11,Sumbagut,PU,acquisitions_ytd,791254,,
            2017-02,Sumbagut,TOTAL,potential,6_157_000,BPS Sakernas Feb 2017,seed 000

            """
        let report = try HistoryReader.parse(text, file: "h.csv")
        #expect(report.warnings.isEmpty)
        let o = report.history.observations
        #expect(o.count == 3)
        #expect(o[0] == History.Observation(
            month: Month(year: 2017, month: 9), region: "Sumbagut", segment: "PU", metric: .active, value: 726_119,
            basis: "BPJS TK active", source: "seed 000 (Antara, 20 Oct 2017)", line: 2))
        #expect(o[1].metric == .acquisitionsYTD && o[1].basis == nil && o[1].source == nil && o[1].line == 4)
        #expect(o[2].value == 6_157_000 && o[2].segment == "TOTAL" && o[2].line == 5)
        #expect(report.history.segments == ["PU"])
    }

    @Test func columnsByNameInAnyOrderAndBasisSourceOptional() throws {
        let text = "value,metric,segment,region,date\n53055,active,BPU,Sumbagut,2017-09\n"
        let o = try HistoryReader.parse(text, file: "h.csv").history.observations
        #expect(o.count == 1)
        #expect(o[0].month == Month(year: 2017, month: 9) && o[0].region == "Sumbagut" && o[0].segment == "BPU")
        #expect(o[0].metric == .active && o[0].value == 53_055 && o[0].basis == nil && o[0].source == nil)
    }

    @Test func everyMetricNameIsAccepted() throws {
        let rows = History.Metric.allCases.map { "2018-01,R,S,\($0.rawValue),1" }.joined(separator: "\n")
        let o = try HistoryReader.parse("date,region,segment,metric,value\n" + rows + "\n", file: "h.csv").history.observations
        #expect(o.map(\.metric) == History.Metric.allCases)
    }

    @Test func readsAFileFromDisk() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rkat-history-\(UUID().uuidString).csv").path
        try (header + "2017-09,Sumbagut,BPU,active,53055,BPJS TK active,seed 000\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let report = try HistoryReader.read(path: path)
        #expect(report.history.observations.map(\.value) == [53_055])
    }

    // MARK: Errors

    static let headerErrors: [(String, String)] = [
        ("date,region,segment,metric,value,sourse\n", "h.csv:1:34: unknown column 'sourse' (did you mean 'source'?); the columns are date, region, segment, metric, value, basis, source (basis and source optional)"),
        ("\u{FEFF}Date,region,segment,metric,value\n", "h.csv:1:1: unknown column 'Date' (did you mean 'date'?); the columns are date, region, segment, metric, value, basis, source (basis and source optional)"),
        ("date, region ,\"segment\",metric,value,  notes\n", "h.csv:1:38: unknown column 'notes'; the columns are date, region, segment, metric, value, basis, source (basis and source optional)"),
        ("date,region,segment,metric,basis\n", "h.csv:1:1: missing column 'value'; the header needs date, region, segment, metric, value (basis and source optional)"),
        ("date,value,metric\n", "h.csv:1:1: missing columns 'region', 'segment'; the header needs date, region, segment, metric, value (basis and source optional)"),
    ]

    @Test(arguments: headerErrors)
    func headerErrorsAreLocated(text: String, message: String) {
        #expect(parseError(text) == message)
    }

    /// Rows below the standard header (line 1), and the error they give.
    static let rowErrors: [(String, String)] = [
        // dates
        ("2017-9,Sumbagut,PU,active,1,,\n", "h.csv:2:1: date '2017-9' is not a YYYY-MM month"),
        ("2017-11,Sumbagut,PU,active,1,,\n2017/11,Sumbagut,BPU,active,1,,\n", "h.csv:3:1: date '2017/11' is not a YYYY-MM month"),
        ("2017-13,Sumbagut,PU,active,1,,\n", "h.csv:2:1: date '2017-13' is not a YYYY-MM month"),
        ("2017-11-30,Sumbagut,PU,active,1,,\n", "h.csv:2:1: date '2017-11-30' is not a YYYY-MM month"),
        (",Sumbagut,PU,active,1,,\n", "h.csv:2:1: date (empty) is not a YYYY-MM month"),
        // region, segment
        ("2017-11,,PU,active,1,,\n", "h.csv:2:9: empty region"),
        ("2017-11,Sumbagut, ,active,1,,\n", "h.csv:2:18: empty segment"),
        // metrics
        ("2017-11,Sumbagut,PU,activ,1,,\n", "h.csv:2:21: unknown metric 'activ' (did you mean 'active'?); metrics: active, acquisitions, acquisitions_ytd, lapses, inactive, reactivations, potential, target_acquisitions, target_active, iuran, target_iuran"),
        ("2017-11,Sumbagut,PU,acquisitions-ytd,1,,\n", "h.csv:2:21: unknown metric 'acquisitions-ytd' (did you mean 'acquisitions_ytd'?); metrics: active, acquisitions, acquisitions_ytd, lapses, inactive, reactivations, potential, target_acquisitions, target_active, iuran, target_iuran"),
        ("2017-11,Sumbagut,PU,members,1,,\n", "h.csv:2:21: unknown metric 'members'; metrics: active, acquisitions, acquisitions_ytd, lapses, inactive, reactivations, potential, target_acquisitions, target_active, iuran, target_iuran"),
        ("2017-11,Sumbagut,PU,,1,,\n", "h.csv:2:21: empty metric; metrics: active, acquisitions, acquisitions_ytd, lapses, inactive, reactivations, potential, target_acquisitions, target_active, iuran, target_iuran"),
        // values
        ("2017-11,Sumbagut,PU,active,abc,,\n", "h.csv:2:28: value 'abc' is not a number"),
        ("2017-11,Sumbagut,PU,active,1.704.308,,\n", "h.csv:2:28: value '1.704.308' is not a whole number of persons: digit groups are not separated by dots or commas here; write 1704308 or 1_704_308"),
        ("2017-11,Sumbagut,PU,active,\"1,704,308\",,\n", "h.csv:2:28: value '1,704,308' is not a whole number of persons: digit groups are not separated by dots or commas here; write 1704308 or 1_704_308"),
        ("2017-11,Sumbagut,PU,active,,,\n", "h.csv:2:28: empty value (a number is expected)"),
        ("2017-11,Sumbagut,PU,active,-5,,\n", "h.csv:2:28: value -5 is negative (persons and counts cannot be)"),
        ("2017-11,Sumbagut,PU,active,nan,,\n", "h.csv:2:28: value 'nan' is not a number"),
        // persons stop at 1e9 (the rupiah limit, 1e15, is for iuran): 2·10⁹ is more than Indonesia's people
        ("2017-11,Sumbagut,PU,active,2000000000,,\n", "h.csv:2:28: value 2000000000 is above 1e9 (persons and counts are at most 1e9)"),
        // duplicates: the second row, naming the first
        ("2017-11,Sumbagut,PU,active,1,,\n2017-11,Sumbagut,BPU,active,1,,\n2017-11,Sumbagut,PU,active,2,,\n",
         "h.csv:4:1: duplicate row: 2017-11 Sumbagut PU active is already given on line 2"),
        // no data
        ("", "h.csv: the history has no rows"),
        ("\n\n", "h.csv: the history has no rows"),
    ]

    @Test(arguments: rowErrors)
    func rowErrorsAreLocated(rows: String, message: String) {
        #expect(parseError(header + rows) == message)
    }

    /// The limits are inclusive and by kind: 1e9 persons is read, and so is Rp 2·10⁹ of iuran (under
    /// the rupiah limit of 1e15) where 2·10⁹ persons is refused (rowErrors); zero is a count (a month
    /// without lapses), −5 is refused (rowErrors).
    @Test func personsStopAtABillionRupiahGoOn() throws {
        let rows = "2017-11,Sumbagut,PU,active,1000000000,,\n2017-11,Sumbagut,PU,iuran,2000000000,,\n2017-11,Sumbagut,PU,lapses,0,,\n"
        let o = try HistoryReader.parse(header + rows, file: "h.csv").history.observations
        #expect(o.map(\.value) == [1_000_000_000, 2_000_000_000, 0])
    }

    @Test func sameKeyWithAnotherMetricRegionOrMonthIsNoDuplicate() throws {
        let text = header + """
            2017-11,Sumbagut,PU,active,1,,
            2017-11,Sumbagut,PU,acquisitions_ytd,1,,
            2017-11,Sumut,PU,active,1,,
            2017-10,Sumbagut,PU,active,1,,
            2017-11,Sumbagut,pu,active,1,,

            """
        #expect(try HistoryReader.parse(text, file: "h.csv").history.observations.count == 5)
    }

    @Test func csvErrorsPassThrough() {
        #expect(parseError("") == "h.csv: the file is empty (a header row is expected)")
        #expect(parseError(header + "2017-11,Sumbagut,PU,active,1\n") == "h.csv:2:1: this row has 5 fields but the header has 7")
    }

    @Test func missingFileIsAnInputError() {
        do {
            _ = try HistoryReader.read(path: "/nonexistent/history.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "/nonexistent/history.csv: no such file")
        }
    }

    // MARK: Warnings

    /// Seed 001: the 2017 targets by segment sum to 1,699,046; the article states 1,699,086.
    @Test func totalThatDiffersFromTheSegmentsIsWarnedNotFixed() throws {
        let text = header + """
            2017-11,Sumbagut,PU,acquisitions_ytd,791254,,
            2017-11,Sumbagut,BPU,acquisitions_ytd,111698,,
            2017-11,Sumbagut,JAKON,acquisitions_ytd,801356,,
            2017-11,Sumbagut,TOTAL,acquisitions_ytd,1704308,,
            2017-12,Sumbagut,JAKON,target_acquisitions,798228,,
            2017-12,Sumbagut,BPU,target_acquisitions,110705,,
            2017-12,Sumbagut,PU,target_acquisitions,790113,,
            2017-12,Sumbagut,TOTAL,target_acquisitions,1699086,,

            """
        let report = try HistoryReader.parse(text, file: "data/x.csv")
        #expect(report.warnings.map(\.english) == [
            "data/x.csv:9: 2017-12 Sumbagut target_acquisitions: the segments sum to 1,699,046 but TOTAL states 1,699,086 (difference −40)"
        ])
        let total = report.history.observations.first { $0.segment == "TOTAL" && $0.metric == .targetAcquisitions }
        #expect(total?.value == 1_699_086)
        #expect(report.history.observations.count == 8)
    }

    @Test func totalBelowTheSumShowsAPositiveDifference() throws {
        let text = header + "2018-01,R,TOTAL,active,1000,,\n2018-01,R,A,active,600,,\n2018-01,R,B,active,525,,\n"
        #expect(try warnings(text) == [
            "h.csv:2: 2018-01 R active: the segments sum to 1,125 but TOTAL states 1,000 (difference +125)"
        ])
    }

    @Test(arguments: [
        // the segments add up to the TOTAL
        header + "2018-01,R,TOTAL,active,1000,,\n2018-01,R,A,active,600,,\n2018-01,R,B,active,400,,\n",
        // only one other segment: the TOTAL may hold segments not listed
        header + "2018-01,R,TOTAL,active,1000,,\n2018-01,R,A,active,600,,\n",
        // the segments are for another month, region or metric
        header + "2018-01,R,TOTAL,active,1000,,\n2018-02,R,A,active,600,,\n2018-01,Q,B,active,600,,\n2018-01,R,C,potential,5,,\n",
        // no TOTAL row
        header + "2018-01,R,A,active,600,,\n2018-01,R,B,active,600,,\n",
    ])
    func noTotalWarningWhenNothingContradicts(text: String) throws {
        #expect(try warnings(text) == [])
    }

    @Test func yearToDateThatFallsWithinAYearIsWarned() throws {
        let text = header + """
            2017-08,Jatim,BPU,acquisitions_ytd,153000,,
            2017-11,Jatim,BPU,acquisitions_ytd,140000,,
            2017-05,Jatim,BPU,acquisitions_ytd,90000,,
            2018-02,Jatim,BPU,acquisitions_ytd,20000,,
            2017-11,Jatim,PU,acquisitions_ytd,100,,
            2017-11,Jatim,JAKON,acquisitions_ytd,100,,
            2017-12,Jatim,JAKON,acquisitions_ytd,100,,

            """
        #expect(try warnings(text) == [
            "h.csv:3: Jatim BPU acquisitions_ytd falls from 153,000 (2017-08, line 2) to 140,000 (2017-11); a year-to-date figure cannot decrease within 2017"
        ])
    }

    @Test func activeAbovePotentialIsWarned() throws {
        let text = header + """
            2017-09,Sumbagut,BPU,potential,50000,,
            2017-09,Sumbagut,BPU,active,53055,,
            2017-09,Sumbagut,PU,active,726119,,
            2017-09,Sumbagut,PU,potential,726119,,
            2017-09,Sumbagut,TOTAL,potential,776119,,
            2017-10,Sumbagut,BPU,active,60000,,

            """
        #expect(try warnings(text) == [
            "h.csv:3: 2017-09 Sumbagut BPU: active 53,055 is above the potential 50,000 (line 2)"
        ])
    }

    @Test func warningsComeInLineOrder() throws {
        let text = header + """
            2018-01,R,A,active,900,,
            2018-01,R,A,potential,800,,
            2018-03,R,A,acquisitions_ytd,50,,
            2018-02,R,A,acquisitions_ytd,60,,
            2018-01,R,B,active,200,,
            2018-01,R,TOTAL,active,1000,,

            """
        #expect(try warnings(text) == [
            "h.csv:2: 2018-01 R A: active 900 is above the potential 800 (line 3)",
            "h.csv:4: R A acquisitions_ytd falls from 60 (2018-02, line 5) to 50 (2018-03); a year-to-date figure cannot decrease within 2018",
            "h.csv:7: 2018-01 R active: the segments sum to 1,100 but TOTAL states 1,000 (difference +100)",
        ])
    }

    @Test(arguments: [
        (0.0, "0"), (999, "999"), (1000, "1,000"), (1_699_046, "1,699,046"), (6_157_000, "6,157,000"),
        (-40, "−40"), (0.5, "0.5"), (0.05, "0.05"), (12_345.678, "12,345.68"), (100.999, "101"), (-0.001, "0"),
    ])
    func numbersInMessagesUseCommaGroups(value: Double, text: String) {
        #expect(Phrase.Language(indonesian: false).figure(value) == text)
        // Indonesian swaps the marks: 1.699.046 and 12.345,68.
        let swapped = String(text.map { $0 == "," ? "." : $0 == "." ? "," : $0 })
        #expect(Phrase.Language(indonesian: true).figure(value) == swapped)
    }

    // MARK: The example data in data/

    static let dataDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("data")

    @Test(arguments: [
        ("sumbagut-2018-history.csv", [
            ":12: 2017-12 Sumbagut target_acquisitions: the segments sum to 1,699,046 but TOTAL states 1,699,086 (difference −40)"
        ]),
        ("sumbagut-2025-history.csv", []),
        ("jatim-2017-history.csv", [
            ":14: 2018-04 Jatim active: the segments sum to 2,647,000 but TOTAL states 2,650,000 (difference −3,000)"
        ]),
    ])
    func exampleDataReadWithTheirKnownWarnings(name: String, expected: [String]) throws {
        let path = Self.dataDirectory.appendingPathComponent(name).path
        let report = try HistoryReader.read(path: path)
        #expect(report.warnings.map(\.english) == expected.map { path + $0 })
        for o in report.history.observations {
            #expect(o.basis != nil && o.source != nil, "line \(o.line) has no basis or source")
        }
    }
}
