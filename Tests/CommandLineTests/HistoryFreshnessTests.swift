import Foundation
import Testing

/// History freshness (issue 30, item 1): a history that stops before `actuals_until` is refused, in
/// run, validate and track alike, naming the cell and its last month; nothing is written.
@Suite struct HistoryFreshnessTests {
    static let kalteng = RunCommandTests.scenario("kalteng-2025")
    static let fixture = RunCommandTests.root.appendingPathComponent("Tests/Fixtures/midyear-2018/scenario.yaml").path

    /// Kalteng's history ends in March 2025: actuals_until September is refused with both months.
    @Test func aStaleHistoryIsRefusedInRunAndValidate() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let said = [
            "kalteng-2025-history.csv: Kalteng ALL: angka terakhir riwayat (stok atau akuisisi) adalah 2025-03, actuals_until 2025-09",
            "kalteng-2025-history.csv: Kalteng ALL: the history's last figure (stock or acquisitions) is 2025-03, actuals_until is 2025-09",
        ]
        for (args, message) in zip([["validate", Self.kalteng], ["run", Self.kalteng, "--draws", "0", "--out", out.path, "--lang", "en"]], said) {
            let r = try CommandLineTests.rkat(args + ["--set", "actuals_until=2025-09"])
            #expect(r.status == 2, "\(r.stderr)")
            let lines = r.stderr.split(separator: "\n").filter { !$0.hasPrefix("warning:") && !$0.hasPrefix("peringatan:") }
            #expect(lines.count == 1 && lines[0].contains(message), "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
        // At the history's own last month it runs; a segment marked ended is exempt.
        #expect(try CommandLineTests.rkat(["validate", Self.kalteng]).status == 0)
        #expect(try CommandLineTests.rkat(["validate", Self.kalteng, "--set", "actuals_until=2025-09", "--set", "segments.ALL.ended=2025-03"]).status == 0)
    }

    /// The mid-year fixture's history cut after May 2018 (a planner who forgot to add June's
    /// figures): tracking at June is refused. A stock older than actuals_until is fine while the
    /// flows reach it (Sumbagut: stock to September 2017, acquisitions to November).
    @Test func trackRefusesAStaleHistoryAndFlowsCarryAnOlderStock() throws {
        let dir = RunCommandTests.temp()
        let plan = dir.appendingPathComponent("plan")
        #expect(try CommandLineTests.rkat(["run", Self.fixture, "--set", "actuals_until=2017-12", "--draws", "0", "--out", plan.path]).status == 0)
        let text = try String(contentsOfFile: RunCommandTests.root.appendingPathComponent("Tests/Fixtures/midyear-2018/history.csv").path, encoding: .utf8)
        let cut = text.split(separator: "\n").filter { line in !["2018-06", "2018-07", "2018-08", "2018-09", "2018-10", "2018-11", "2018-12"].contains { line.hasPrefix($0) } }
        let h = dir.appendingPathComponent("h.csv")
        try (cut.joined(separator: "\n") + "\n").write(to: h, atomically: true, encoding: .utf8)
        let stale = try CommandLineTests.rkat([
            "track", Self.fixture, "--plan", plan.appendingPathComponent("targets.json").path, "--set", "history=\(h.path)", "--set", "actuals_until=2018-06",
            "--draws", "0", "--out", dir.appendingPathComponent("t").path,
        ])
        #expect(stale.status == 2 && stale.stderr.contains("Synthetica PU: angka terakhir riwayat (stok atau akuisisi) adalah 2018-05, actuals_until 2018-06"), "\(stale.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("t").path))
        #expect(try CommandLineTests.rkat(["validate", RunCommandTests.scenario("sumbagut-2018")]).status == 0)
    }

    /// A branch with rows of its own is held to the same rule: KC Barat's rows end in June 2018.
    @Test func aBranchWithItsOwnRowsMustReachActualsUntil() throws {
        let dir = RunCommandTests.temp()
        let text = try String(contentsOfFile: RunCommandTests.root.appendingPathComponent("Tests/Fixtures/midyear-2018/history-with-branch.csv").path, encoding: .utf8)
        // KC Barat's rows cut after March 2018; the Kanwil's stay.
        let cut = text.split(separator: "\n").filter { line in
            !(line.contains(",KC Barat,") && line.hasPrefix("2018-") && !["2018-01", "2018-02", "2018-03"].contains { line.hasPrefix($0) })
        }.joined(separator: "\n") + "\n"
        let h = dir.appendingPathComponent("h.csv")
        try cut.write(to: h, atomically: true, encoding: .utf8)
        let r = try CommandLineTests.rkat(["validate", Self.fixture, "--set", "history=\(h.path)", "--set", "branches=[{name: KC Barat, potential_share: 0.5}, {name: KC Timur}]"])
        #expect(r.status == 2 && r.stderr.contains("KC Barat PU: angka terakhir riwayat (stok atau akuisisi) adalah 2018-03, actuals_until 2018-06"), "\(r.stderr)")
    }
}
