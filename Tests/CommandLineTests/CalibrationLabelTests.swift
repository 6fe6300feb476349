import Foundation
import Testing

/// One number per label (issue 30, item 6): the report and calibration.csv show one criterion under one name.
@Suite struct CalibrationLabelTests {
    /// The report's calibration table shows, under "AICc", the criterion calibration.csv shows under
    /// "aicc" (the GLS fit's exact-likelihood AICc that model: auto ranks by), cell for cell.
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
            #expect(rowHTML.contains("<td class=\"n\">\(row[aicc])</td>"), "\(row[segment]): calibration.csv \(row[aicc]); report \(rowHTML.prefix(400))")
            checked += 1
        }
        #expect(checked >= 1)
    }
}
