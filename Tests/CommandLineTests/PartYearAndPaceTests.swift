import Foundation
import Testing

@testable import PlanIO
import Planning

/// Every figure says what part of the year it covers and how it was projected (issue 30, item 4).
/// Kalteng 2025's history starts in April 2025, so its 2025 acquisitions leave out January–March:
/// its branch rows and compare's rows say so as its Kanwil rows do. Sumbagut 2018's segments are
/// flow calibrations (acquisitions at the calibrated monthly level): last year's pace, said; the
/// mid-year fixture's PU is a logistic curve: not; its JAKON continues its trend: said.
@Suite struct PartYearAndPaceTests {
    @Test func branchRowsAndCompareSayPartOfTheYear() throws {
        let c = try RunJob.compute(scenarioPath: RunCommandTests.scenario("kalteng-2025"), settings: RunJob.Settings(draws: 0))
        let kanwil = try #require(c.view.targets.first { $0.segment == "ALL" && $0.metric == .acquisitions && $0.basis == .projection })
        #expect(kanwil.flags.contains(.partYear))
        let branches = c.view.branches.filter { $0.metric == .acquisitions }
        #expect(branches.count == 4 && branches.allSatisfy { $0.flags.contains(.partYear) }, "\(branches.map(\.flags))")
        // Stocks are not flows: no part-year flag.
        #expect(c.view.branches.filter { $0.metric == .active }.allSatisfy { !$0.flags.contains(.partYear) })
        let out = RunCommandTests.temp().appendingPathComponent("c")
        let k = RunCommandTests.scenario("kalteng-2025")
        let r = try CommandLineTests.rkat(["compare", k, k, "--draws", "0", "--out", out.path, "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try TrackCommandTests.csv(out.appendingPathComponent("compare.csv"))
        #expect(rows.count == 4 && rows.allSatisfy { $0["acquisitions_part_year"] == "true" }, "\(rows)")
        #expect(r.stdout.contains("* Acquisitions of part of the year: realised months without a figure are left out."))
        let figure = c.view.figures.first { $0.segment == "ALL" }!
        #expect(r.stdout.contains(Words(indonesian: false).persons(figure.shownAcquisitions) + "*"))
        // A full year is not marked.
        let s = RunCommandTests.scenario("sumbagut-2018")
        let full = try CommandLineTests.rkat(["compare", s, s, "--draws", "0", "--out", RunCommandTests.temp().appendingPathComponent("f").path, "--lang", "en"])
        #expect(!full.stdout.contains("Acquisitions of part of the year") && !full.stdout.contains("*"))
        // Its segments are flow calibrations: the note under the table says so, each cell once.
        #expect(full.stdout.contains("Acquisitions of Sumbagut PU, Sumbagut BPU, Sumbagut JAKON: last year's pace (no trend)."), "\(full.stdout)")
    }

    @Test func flowCalibrationsSayLastYearsPace() throws {
        let c = try RunJob.compute(scenarioPath: RunCommandTests.scenario("sumbagut-2018"), settings: RunJob.Settings(draws: 0))
        for seg in ["PU", "BPU", "JAKON"] {
            let row = try #require(c.view.targets.first { $0.segment == seg && $0.metric == .acquisitions && $0.basis == .projection })
            #expect(row.flags.contains(.lastYearsPace), "\(seg)")
            // Rule rows are the planner's rule, not a projection.
            #expect(!c.view.targets.contains { $0.segment == seg && $0.basis != .projection && $0.flags.contains(.lastYearsPace) })
        }
        let curve = try RunJob.compute(scenarioPath: PlanYearLedgerTests.fixture.appendingPathComponent("scenario.yaml").path, settings: RunJob.Settings(draws: 0))
        let pu = try #require(curve.view.targets.first { $0.segment == "PU" && $0.metric == .acquisitions && $0.basis == .projection })
        #expect(!pu.flags.contains(.lastYearsPace))
        // JAKON there is flow-only with 36 months of figures growing about 8% a year (issue 31, item 5):
        // its trend continued, said, and not last year's pace.
        let jakon = try #require(curve.view.targets.first { $0.segment == "JAKON" && $0.metric == .acquisitions && $0.basis == .projection })
        #expect(jakon.flags.contains(.historyTrend) && !jakon.flags.contains(.lastYearsPace), "\(jakon.flags)")
        // compare says so under its table too.
        let fixture = PlanYearLedgerTests.fixture.appendingPathComponent("scenario.yaml").path
        let compared = try CommandLineTests.rkat(["compare", fixture, fixture, "--draws", "0", "--out", RunCommandTests.temp().appendingPathComponent("m").path, "--lang", "en"])
        #expect(compared.status == 0, "\(compared.stderr)")
        #expect(compared.stdout.contains("Acquisitions of Synthetica JAKON: the history's trend continued."), "\(compared.stdout)")
        let r = try CommandLineTests.rkat(["run", RunCommandTests.scenario("sumbagut-2018"), "--draws", "0", "--out", RunCommandTests.temp().appendingPathComponent("o").path])
        let line = r.stdout.split(separator: "\n").first { $0.hasPrefix("Sumbagut") && $0.contains(" PU ") && $0.contains("2018-12") }
        #expect(line?.hasSuffix("laju tahun lalu, tanpa tren") == true, "\(r.stdout)")
    }

    /// The terminal's uncertainty table labels its rows with what they are: the year-end active
    /// members (persons segments), as the year table's "Active" column.
    @Test func theUncertaintyTableSaysItsRowsAreYearEndActive() throws {
        let r = try CommandLineTests.rkat(["run", RunCommandTests.scenario("sumbagut-2018"), "--draws", "100", "--out", RunCommandTests.temp().appendingPathComponent("o").path, "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        let after = try #require(r.stdout.components(separatedBy: "Uncertainty (100 draws").dropFirst().first)
        let lines = after.split(separator: "\n")
        #expect(lines[1].contains("Metric, Dec 2018"), "\(lines[1])")
        let rows = lines.dropFirst(2).prefix { $0.hasPrefix("Sumbagut") }
        #expect(rows.count == 3, "\(after)")  // PU, BPU and the TOTAL (JAKON has no stock)
        for row in rows { #expect(row.split(separator: " ", omittingEmptySubsequences: true)[2] == "Active", "\(row)") }
    }
}
