import Foundation
import Testing

@testable import PlanIO
import Planning

/// `rkat backtest` (docs/backtest.md): each origin's forecast is exactly `rkat run --set
/// actuals_until=<origin>` with the same draws and seed; a history too short is exit 2.
@Suite struct BacktestCommandTests {
    static let scenario = PlanYearLedgerTests.fixture.appendingPathComponent("scenario.yaml").path

    /// Through the binaries: every rkat row of backtest.csv carries, byte for byte, the active figure of
    /// projection.csv and the p10/p50/p90 of uncertainty.csv that `run --set actuals_until=o` writes.
    @Test func originEqualsRunAtActualsUntil() throws {
        let dir = RunCommandTests.temp()
        let bt = dir.appendingPathComponent("bt")
        let r = try CommandLineTests.rkat(["backtest", Self.scenario, "--origins", "3", "--horizon", "4", "--draws", "200", "--out", bt.path, "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("P10–P90 held") && r.stdout.contains("(95% interval "), "\(r.stdout)")
        let rows = try TrackCommandTests.csv(bt.appendingPathComponent("backtest.csv"))
        let origins = Set(rows.map { $0["origin"]! }).sorted()
        #expect(origins == ["2018-08", "2018-09", "2018-10"])
        #expect(Set(rows.map { $0["method"]! }) == ["rkat", "last_value", "last_year_growth"])
        for o in origins {
            let run = dir.appendingPathComponent("run-\(o)")
            let s = try CommandLineTests.rkat(["run", Self.scenario, "--set", "actuals_until=\(o)", "--draws", "200", "--out", run.path])
            #expect(s.status == 0, "\(s.stderr)")
            let projection = try TrackCommandTests.csv(run.appendingPathComponent("projection.csv"))
            let bands = try TrackCommandTests.csv(run.appendingPathComponent("uncertainty.csv"))
            let mine = rows.filter { $0["origin"] == o && $0["method"] == "rkat" }
            #expect(!mine.isEmpty)
            for b in mine {
                let p = try #require(projection.first { $0["month"] == b["month"] && $0["segment"] == "PU" })
                #expect(b["forecast"] == p["active"], "\(o) \(b["month"]!)")
                let u = try #require(bands.first { $0["month"] == b["month"] && $0["segment"] == "PU" && $0["metric"] == "active" })
                #expect(b["p10"] == u["p10"] && b["p50"] == u["p50"] && b["p90"] == u["p90"], "\(o) \(b["month"]!)")
            }
        }
    }

    /// Without --origins, docs/backtest.md's default (issue 31, item 7): every stock date that leaves a
    /// later actual to score. The fixture's PU stock is monthly 2014-01 … 2018-11: 58 origins, 2014-01 …
    /// 2018-10. The verdict sentence follows the headline.
    @Test func everyOriginByDefault() throws {
        let bt = RunCommandTests.temp().appendingPathComponent("bt")
        let r = try CommandLineTests.rkat(["backtest", Self.scenario, "--horizon", "4", "--draws", "50", "--out", bt.path, "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try TrackCommandTests.csv(bt.appendingPathComponent("backtest.csv"))
        let origins = Set(rows.map { $0["origin"]! })
        #expect(origins.count == 58 && origins.min() == "2014-01" && origins.max() == "2018-10")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 3 && lines[1].hasPrefix("Verdict: rkat's P10–P90 bands held "), "\(r.stdout)")
        // The band by horizon in the report: each horizon's rkat rows of backtest.csv counted here.
        let report = try String(contentsOfFile: bt.appendingPathComponent("report.html").path, encoding: .utf8)
        #expect(report.contains("<h2>P10–P90 by horizon</h2>"))
        for h in 1...4 {
            let at = rows.filter { $0["method"] == "rkat" && $0["horizon"] == "\(h)" }
            let held = at.filter { $0["inside_p10_p90"] == "1" }.count
            #expect(report.contains("<tr><td class=\"n\">\(h)</td><td class=\"n\">\(at.count)</td><td class=\"n\">\(held)</td>"), "h \(h): \(held) of \(at.count)")
        }
    }

    /// The scenario's levers are the plan year's (issue 31, item 7): one without a date (outreach
    /// intensity 1.5 from the start) is left out of every past window, said once; the origins' forecasts
    /// are then those without it. A dated one (from 2019-01, after every window) is kept, unsaid.
    @Test func undatedLeversAreLeftOutOfPastWindows() throws {
        let dir = RunCommandTests.temp()
        func backtest(_ name: String, _ set: [String]) throws -> (stderr: String, rows: [[String: String]]) {
            let out = dir.appendingPathComponent(name)
            let r = try CommandLineTests.rkat(["backtest", Self.scenario, "--origins", "2", "--horizon", "3", "--draws", "0", "--out", out.path, "--lang", "en"] + set)
            #expect(r.status == 0, "\(r.stderr)")
            return (r.stderr, try TrackCommandTests.csv(out.appendingPathComponent("backtest.csv")))
        }
        let plain = try backtest("plain", [])
        let undated = try backtest("undated", ["--set", "levers.outreach={intensity: 1.5}"])
        let dated = try backtest("dated", ["--set", "levers.outreach={intensity: [{from: 2019-01, value: 1.5}]}"])
        #expect(undated.stderr.contains("levers without a date (levers.outreach) are the plan year's: left out of the past windows"), "\(undated.stderr)")
        #expect(!dated.stderr.contains("levers without a date") && !plain.stderr.contains("levers without a date"))
        #expect(undated.rows == plain.rows && dated.rows == plain.rows)
    }

    /// --origins 1 is the smallest valid count (its error says "at least 1"): one origin, the latest
    /// stock date that leaves a month to score (the fixture's history ends 2018-11: 2018-10); 0 is refused.
    @Test func oneOriginIsEnough() throws {
        let one = try BacktestJob.compute(scenarioPath: Self.scenario, settings: RunJob.Settings(draws: 0), origins: 1, horizon: 2)
        #expect(one.runs.map(\.origin) == [Month(year: 2018, month: 10)])
        #expect(throws: InputError.self) { try BacktestJob.compute(scenarioPath: Self.scenario, settings: RunJob.Settings(draws: 0), origins: 0, horizon: 2) }
    }

    /// Without --horizon, docs/backtest.md's 12 months: from the earliest of 20 origins (2017-03) the
    /// later actuals up to 12 months ahead (to 2018-03), not the history's last (2018-11, 20 months).
    @Test func twelveMonthsAheadByDefault() throws {
        let bt = RunCommandTests.temp().appendingPathComponent("bt")
        let r = try CommandLineTests.rkat(["backtest", Self.scenario, "--origins", "20", "--draws", "20", "--out", bt.path, "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try TrackCommandTests.csv(bt.appendingPathComponent("backtest.csv"))
        #expect(Set(rows.map { $0["origin"]! }).min() == "2017-03")
        #expect(rows.compactMap { Int($0["horizon"]!) }.max() == 12)
    }

    /// `model: auto`: models.csv ranks every candidate on the history's own origins and marks the model
    /// used; with selection: backtest the used one is rank 1 and calibration.csv of `run` says why. The
    /// fixture's truth is logistic (ceiling the potential): linear and exponential rank below it.
    @Test func modelsAreRankedAndSelectionUsesTheBest() throws {
        let dir = RunCommandTests.temp()
        let bt = dir.appendingPathComponent("bt")
        let set = ["--set", "segments.PU.model=auto", "--set", "segments.PU.selection=backtest"]
        let r = try CommandLineTests.rkat(["backtest", Self.scenario, "--origins", "2", "--horizon", "3", "--out", bt.path] + set)
        #expect(r.status == 0, "\(r.stderr)")
        let models = try TrackCommandTests.csv(bt.appendingPathComponent("models.csv"))
        #expect(Set(models.map { $0["model"]! }).isSuperset(of: ["linear", "exponential", "logistic", "gompertz"]))
        let used = try #require(models.first { $0["used"] == "yes" })
        #expect(used["rank"] == "1" && used["model"] == "logistic", "\(models)")
        let rank = { (m: String) in Int(models.first { $0["model"] == m }!["rank"]!)! }
        #expect(rank("logistic") < rank("linear") && rank("logistic") < rank("exponential"))
        let run = dir.appendingPathComponent("run")
        let s = try CommandLineTests.rkat(["run", Self.scenario, "--out", run.path] + set)
        #expect(s.status == 0, "\(s.stderr)")
        let cal = try String(contentsOf: run.appendingPathComponent("calibration.csv"), encoding: .utf8)
        #expect(cal.contains("model chosen by backtest loss over 3 origins"), "\(cal)")
        // One number per label: the loss the run ranked by is models.csv's (to the note's 4 decimals).
        let loss = try #require(Double(used["loss"]!))
        #expect(cal.contains("logistic " + String(format: "%.4f", loss)), "\(cal) vs \(loss)")
    }

    /// In process: the origin's projection and Monte Carlo render to the very bytes of run's
    /// projection.csv and uncertainty.csv.
    @Test func originProjectionAndBandsAreByteIdentical() throws {
        let dir = RunCommandTests.temp()
        let settings = RunJob.Settings(draws: 150, seed: 99, threads: 2)
        let bt = try BacktestJob.compute(scenarioPath: Self.scenario, settings: settings, origins: 2, horizon: 6)
        #expect(bt.runs.map(\.origin.description) == ["2018-09", "2018-10"])
        for r in bt.runs {
            let out = dir.appendingPathComponent("run-\(r.origin)").path
            _ = try RunJob.run(scenarioPath: Self.scenario, outputDirectory: out, overrides: ["actuals_until=\(r.origin)"], settings: RunJob.Settings(draws: 150, seed: 99, threads: 1))
            #expect(RunWriters.projectionCSV(r.projection) == (try String(contentsOfFile: out + "/projection.csv", encoding: .utf8)))
            #expect(UncertaintyWriter.csv(r.monteCarlo!) == (try String(contentsOfFile: out + "/uncertainty.csv", encoding: .utf8)))
        }
    }

    /// sumbagut-2025 alone: no origin can be calibrated (a curve needs 3 stock figures; Aceh has 3
    /// in all), so exit 2 with one line that says how many figures a backtest needs; nothing written.
    @Test func tooShortHistoryIsExitTwo() throws {
        let dir = RunCommandTests.temp()
        let out = dir.appendingPathComponent("bt")
        let r = try CommandLineTests.rkat(["backtest", RunCommandTests.root.appendingPathComponent("scenarios/sumbagut-2025.yaml").path, "--out", out.path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("too short to backtest") && r.stderr.contains("needs 4 stock (active) figures per segment") && r.stderr.contains("Aceh ALL has 3"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// --actuals: sumbagut-2025 scored at its own actuals_until against the 2025 figures (origin 2024-12).
    @Test func laterActualsAreScored() throws {
        let dir = RunCommandTests.temp()
        let out = dir.appendingPathComponent("bt")
        let root = RunCommandTests.root
        let r = try CommandLineTests.rkat([
            "backtest", root.appendingPathComponent("scenarios/sumbagut-2025.yaml").path, "--actuals", root.appendingPathComponent("data/sumbagut-2025-actuals.csv").path,
            "--draws", "200", "--out", out.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try TrackCommandTests.csv(out.appendingPathComponent("backtest.csv"))
        #expect(Set(rows.map { $0["origin"]! }) == ["2024-12"])
        #expect(rows.filter { $0["method"] == "rkat" }.count == 5 && rows.allSatisfy { $0["actual_source"] == "actuals" })
        #expect(r.stdout.contains("memuat"), "\(r.stdout)")
    }
}
