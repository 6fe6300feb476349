import Foundation
import Testing

/// One number per label (issue 30, item 6): the report and calibration.csv show one criterion under one name.
@Suite struct CalibrationLabelTests {
    /// The report's calibration table shows, under "AICc", the criterion calibration.csv shows under
    /// "aicc" (the GLS fit's exact-likelihood AICc that model: auto ranks by), cell for cell, in the
    /// reader's decimal mark.
    @Test func theReportsAICcIsCalibrationCSVs() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let fixture = RunCommandTests.root.appendingPathComponent("Tests/Fixtures/midyear-2018/scenario.yaml").path
        let r = try CommandLineTests.rkat(["run", fixture, "--draws", "0", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try String(contentsOf: out.appendingPathComponent("calibration.csv"), encoding: .utf8).components(separatedBy: .newlines).filter { !$0.isEmpty }.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = csv[0]
        let aicc = try #require(header.firstIndex(of: "aicc")), segment = try #require(header.firstIndex(of: "segment"))
        let report = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        let table = try #require(report.range(of: "<h2>Kalibrasi</h2>")).upperBound
        let section = String(report[table...]).components(separatedBy: "</table>")[0]
        var checked = 0
        for row in csv.dropFirst() where row.count > aicc && !row[aicc].isEmpty {
            // The segment's row in the report's table carries the same figure.
            let rowHTML = try #require(section.components(separatedBy: "<tr>").first { $0.contains("<td>\(row[segment])</td>") })
            // (With the reader's decimal mark: this report is Indonesian.)
            let figure = row[aicc].replacingOccurrences(of: ".", with: ",")
            #expect(rowHTML.contains("<td class=\"n\">\(figure)</td>"), "\(row[segment]): calibration.csv \(row[aicc]); report \(rowHTML.prefix(400))")
            checked += 1
        }
        #expect(checked >= 1)
    }
}

/// A sweep's differences are taken from the scenario as filed (issue 30), not from its first
/// combination: in the Sumbagut sweep the combination (intensity 1.0, honorary 90%) is the scenario's
/// own values, so its difference is 0; without the honorary cohort PU has 0.9 × 50,000 = 45,000 fewer.
@Suite struct SweepBaselineTests {
    @Test func aSweepIsComparedWithTheScenarioAsFiled() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let r = try CommandLineTests.rkat(["run", RunCommandTests.scenario("sumbagut-2018-sweep"), "--draws", "0", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOf: out.appendingPathComponent("sweep.csv"), encoding: .utf8).components(separatedBy: .newlines).filter { !$0.isEmpty }
        let header = lines[0].split(separator: ",").map(String.init)
        let vs = try #require(header.firstIndex(of: "year_end_active_vs_scenario"))
        #expect(!header.contains("year_end_active_vs_first"))
        let seg = try #require(header.firstIndex(of: "segment"))
        func value(_ intensity: String, _ share: String, _ segment: String) -> Double? {
            lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
                .first { $0[0] == intensity && $0[1] == share && $0[seg] == segment }.flatMap { Double($0[vs]) }
        }
        #expect(value("1.0", "0.9", "TOTAL") == 0 && value("1.0", "0.9", "PU") == 0)
        #expect(value("1.0", "0", "PU") == -45_000)
        // The report's sweep table starts with the scenario's own values, its difference 0.
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Selisih dari skenario") && html.contains("<tr><td>skenario (nilai sendiri)</td>"))
    }
}

/// The terminal's year table says when a year's acquisitions cover part of it only (issue 30, item
/// 4): Tebing Tinggi's 2022 (no figures before its July stock point), never Sumbagut's 2017 (its
/// year-to-date figures cover January to November, actuals_until).
@Suite struct PartYearTerminalTests {
    @Test func theYearTableFlagsPartYears() throws {
        let dir = RunCommandTests.temp()
        let tt = try CommandLineTests.rkat(["run", RunCommandTests.scenario("tebing-tinggi-2022"), "--draws", "0", "--out", dir.appendingPathComponent("t").path])
        #expect(tt.status == 0, "\(tt.stderr)")
        let rows = tt.stdout.split(separator: "\n").filter { $0.hasPrefix("Tebing Tinggi") }
        #expect(rows.filter { $0.contains("2022-12") }.allSatisfy { $0.contains("sebagian tahun") } && !rows.isEmpty)
        #expect(rows.filter { $0.contains("2023-12") }.allSatisfy { !$0.contains("sebagian tahun") })
        let sb = try CommandLineTests.rkat(["run", RunCommandTests.scenario("sumbagut-2018"), "--draws", "0", "--out", dir.appendingPathComponent("s").path])
        #expect(sb.status == 0 && !sb.stdout.contains("sebagian tahun") && sb.stdout.contains("akuisisi: realisasi s.d. Nov 2017 + proyeksi"), "\(sb.stdout)")
    }
}
