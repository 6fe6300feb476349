import Foundation
import Testing

/// `rkat track` (docs/tracking.md): realisation against the approved plan, and the prognosa, which is
/// exactly `rkat run` at the same actuals_until, draws and seed. On the synthetic mid-year fixture.
@Suite struct TrackCommandTests {
    static let scenario = PlanYearLedgerTests.fixture.appendingPathComponent("scenario.yaml").path

    /// The plan approved in December 2017 (targets.json of the run then).
    static func plan(in dir: URL) throws -> URL {
        let out = dir.appendingPathComponent("plan")
        let r = try CommandLineTests.rkat(["run", scenario, "--set", "actuals_until=2017-12", "--draws", "300", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        return out.appendingPathComponent("targets.json")
    }

    static func csv(_ url: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    @Test func juneAgainstThePlanWithThePrognosaOfRun() throws {
        let dir = RunCommandTests.temp()
        let plan = try Self.plan(in: dir)
        let tracked = dir.appendingPathComponent("track")
        let r = try CommandLineTests.rkat(["track", Self.scenario, "--plan", plan.path, "--set", "actuals_until=2018-06", "--draws", "300", "--out", tracked.path])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.csv(tracked.appendingPathComponent("tracking.csv"))
        let history = try PlanYearLedgerTests.history()
        let planJSON = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: plan)) as? [String: Any])
        let planRows = try #require(planJSON["targets"] as? [[String: Any]])
        // January–June realised against their monthly targets; capaian = realised / target.
        for m in 1...12 {
            let row = try #require(rows.first { $0["kind"] == "month" && $0["segment"] == "PU" && $0["metric"] == "acquisitions" && $0["month"] == PlanYearLedgerTests.month(m) })
            let planned = try #require(planRows.first { $0["segment"] as? String == "PU" && $0["metric"] as? String == "acquisitions" && $0["basis"] as? String == "projection" })
            let target = ((planned["months"] as! [String: [String: Any]])[PlanYearLedgerTests.month(m)]!["target"] as! Double)
            #expect(Double(row["target"]!) == target)
            if m <= 6 {
                let realised = history["PU/acquisitions/\(PlanYearLedgerTests.month(m))"]!
                #expect(Double(row["realised"]!) == realised && row["status"] == "realised")
                #expect(abs(Double(row["capaian_month"]!)! - realised / target) < 5e-7)
            } else {
                #expect(row["realised"] == "" && row["status"] == "planned")
            }
        }
        let year = try #require(rows.first { $0["kind"] == "year" && $0["segment"] == "PU" && $0["metric"] == "acquisitions" })
        let realisedToDate = (1...6).reduce(0.0) { $0 + history["PU/acquisitions/\(PlanYearLedgerTests.month($1))"]! }
        #expect(Double(year["realised_to_date"]!) == realisedToDate)
        // The prognosa equals rkat run at the same actuals_until, draws and seed (P10/P50/P90).
        let run = dir.appendingPathComponent("run")
        #expect(try CommandLineTests.rkat(["run", Self.scenario, "--set", "actuals_until=2018-06", "--draws", "300", "--out", run.path]).status == 0)
        let targets = try PlanYearLedgerTests.targets(run)
        for (segment, metric) in [("PU", "acquisitions"), ("PU", "active"), ("JAKON", "acquisitions")] {
            let t = try #require(targets.first { $0["segment"] == segment && $0["metric"] == metric && $0["basis"] == "projection" })
            let y = try #require(rows.first { $0["kind"] == "year" && $0["segment"] == segment && $0["metric"] == metric })
            #expect(y["p10"] == t["p10"] && y["p50"] == t["p50"] && y["p90"] == t["p90"], "\(segment) \(metric)")
            #expect(y["prognosis"] == t["p50"] && y["prognosis_basis"] == "p50")
            // Run rate needed: (annual − realised to date) / 6 remaining months.
            if metric == "acquisitions", let annual = Double(y["target"]!), let done = Double(y["realised_to_date"]!) {
                #expect(abs(Double(y["needed_run_rate"]!)! - (annual - done) / 6) < 0.006)
                // The recent run rate without --window: the mean of the last three realised months (April–June).
                let recent = (4...6).reduce(0.0) { $0 + history["\(segment)/acquisitions/\(PlanYearLedgerTests.month($1))"]! } / 3
                #expect(abs(Double(y["recent_run_rate"]!)! - recent) < 0.006, "\(segment): \(y["recent_run_rate"]!) vs \(recent)")
            }
        }
        for f in ["tracking.json", "tracking.md", "tracking.xlsx", "report.html", "rkat-manifest.json"] {
            #expect(FileManager.default.fileExists(atPath: tracked.appendingPathComponent(f).path), "\(f)")
        }
    }

    /// Iuran tracked (issue 21): with a stated Rp 150,000 a member-month at 95%, the plan of Dec 2017
    /// has an iuran target; June's capaian is the fixture's realised iuran over the plan's months
    /// (history figures, never estimates), and the prognosa equals rkat run's P50 at June.
    @Test func iuranIsTrackedOnTheHistorysFigures() throws {
        let dir = RunCommandTests.temp()
        let iuran = "segments.PU.iuran={stated_rp: 150000, collection: 0.95}"
        let planDir = dir.appendingPathComponent("plan")
        #expect(try CommandLineTests.rkat(["run", Self.scenario, "--set", "actuals_until=2017-12", "--set", iuran, "--draws", "300", "--out", planDir.path]).status == 0)
        let tracked = dir.appendingPathComponent("track")
        let r = try CommandLineTests.rkat([
            "track", Self.scenario, "--plan", planDir.appendingPathComponent("targets.json").path, "--set", "actuals_until=2018-06", "--set", iuran,
            "--draws", "300", "--out", tracked.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.csv(tracked.appendingPathComponent("tracking.csv"))
        let history = try PlanYearLedgerTests.history()
        let planned = try PlanYearLedgerTests.targets(planDir).first { $0["segment"] == "PU" && $0["metric"] == "iuran" && $0["basis"] == "projection" }!
        var realisedToDate = 0.0, targetToDate = 0.0
        for m in 1...6 {
            let month = PlanYearLedgerTests.month(m)
            let row = try #require(rows.first { $0["kind"] == "month" && $0["segment"] == "PU" && $0["metric"] == "iuran" && $0["month"] == month })
            let realised = try #require(history["PU/iuran/\(month)"])
            #expect(Double(row["realised"]!) == realised && Double(row["target"]!) == Double(planned[month]!))
            realisedToDate += realised
            targetToDate += Double(planned[month]!)!
        }
        let year = try #require(rows.first { $0["kind"] == "year" && $0["segment"] == "PU" && $0["metric"] == "iuran" })
        #expect(Double(year["realised_to_date"]!) == realisedToDate)
        #expect(abs(Double(year["capaian_to_date"]!)! - realisedToDate / targetToDate) < 5e-7)
        let run = dir.appendingPathComponent("run")
        #expect(try CommandLineTests.rkat(["run", Self.scenario, "--set", "actuals_until=2018-06", "--set", iuran, "--draws", "300", "--out", run.path]).status == 0)
        let t = try #require(try PlanYearLedgerTests.targets(run).first { $0["segment"] == "PU" && $0["metric"] == "iuran" && $0["basis"] == "projection" })
        #expect(year["prognosis"] == t["p50"] && year["p10"] == t["p10"])
        let md = try String(contentsOf: tracked.appendingPathComponent("tracking.md"), encoding: .utf8)
        // Iuran of hundreds of miliar reads in Rp miliar, one decimal (Rp 623.300.000.000 → 623,3).
        let prognosis = Double(year["prognosis"]!)! / 1e9
        #expect(prognosis > 100 && prognosis < 100_000)
        let shown = String(format: "%.1f", prognosis).replacingOccurrences(of: ".", with: ",")
        #expect(md.contains("Penerimaan iuran (Rp miliar)") && md.contains(shown), "\(shown)")
    }

    /// Branches tracked (issue 20): the plan's branch targets are measured on the branch's own history
    /// (KC Barat's rows in history-with-branch.csv), month by month; a branch without a history has
    /// no realisation; KC Barat's prognosa is its own projection, as rkat run's own_target says.
    @Test func branchesAreTrackedOnTheirOwnHistory() throws {
        let dir = RunCommandTests.temp()
        let history = PlanYearLedgerTests.fixture.appendingPathComponent("history-with-branch.csv").path
        let branches = "branches=[{name: KC Barat, potential_share: 0.5}, {name: KC Timur}]"
        let common = ["--set", "history=\(history)", "--set", branches, "--draws", "300"]
        let planDir = dir.appendingPathComponent("plan")
        #expect(try CommandLineTests.rkat(["run", Self.scenario, "--set", "actuals_until=2017-12", "--out", planDir.path] + common).status == 0)
        let tracked = dir.appendingPathComponent("track")
        let r = try CommandLineTests.rkat(["track", Self.scenario, "--plan", planDir.appendingPathComponent("targets.json").path, "--set", "actuals_until=2018-06", "--out", tracked.path] + common)
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.csv(tracked.appendingPathComponent("tracking.csv"))
        // KC Barat's own rows: 55% of the fixture's, rounded (synthetic).
        let text = try String(contentsOfFile: history, encoding: .utf8)
        var own: [String: Double] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if f[1] == "KC Barat" { own["\(f[2])/\(f[3])/\(f[0])"] = Double(f[4])! }
        }
        for m in 1...6 {
            let month = PlanYearLedgerTests.month(m)
            let row = try #require(rows.first { $0["kind"] == "month" && $0["branch"] == "KC Barat" && $0["segment"] == "PU" && $0["metric"] == "acquisitions" && $0["month"] == month })
            #expect(Double(row["realised"]!) == own["PU/acquisitions/\(month)"]!)
            let timur = try #require(rows.first { $0["kind"] == "month" && $0["branch"] == "KC Timur" && $0["segment"] == "PU" && $0["metric"] == "acquisitions" && $0["month"] == month })
            #expect(timur["realised"] == "")
        }
        // KC Timur has no figures of its own: no year to date and no run rate (a missing month is not 0).
        let timurYear = try #require(rows.first { $0["kind"] == "year" && $0["branch"] == "KC Timur" && $0["segment"] == "PU" && $0["metric"] == "acquisitions" })
        #expect(timurYear["realised_to_date"] == "" && timurYear["needed_run_rate"] == "")
        let run = dir.appendingPathComponent("run")
        #expect(try CommandLineTests.rkat(["run", Self.scenario, "--set", "actuals_until=2018-06", "--out", run.path] + common).status == 0)
        let barat = try #require(try PlanYearLedgerTests.targets(run).first { $0["branch"] == "KC Barat" && $0["segment"] == "PU" && $0["metric"] == "active" })
        let year = try #require(rows.first { $0["kind"] == "year" && $0["branch"] == "KC Barat" && $0["segment"] == "PU" && $0["metric"] == "active" })
        #expect(abs(Double(year["prognosis"]!)! - Double(barat["own_target"]!)!) < 1, "\(year["prognosis"]!) vs \(barat["own_target"]!)")
    }

    /// An edited plan whose months no longer sum to its annual figure is exit 2, naming the target.
    @Test func anInconsistentEditedPlanIsRefused() throws {
        let dir = RunCommandTests.temp()
        let plan = try Self.plan(in: dir)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: plan)) as? [String: Any])
        var rows = json["targets"] as! [[String: Any]]
        let i = rows.firstIndex { $0["segment"] as? String == "JAKON" && $0["basis"] as? String == "projection" }!
        var months = rows[i]["months"] as! [String: [String: Any]]
        months["2018-03"]!["target"] = (months["2018-03"]!["target"] as! Double) + 1_000
        rows[i]["months"] = months
        json["targets"] = rows
        let edited = dir.appendingPathComponent("edited.json")
        try JSONSerialization.data(withJSONObject: json).write(to: edited)
        let r = try CommandLineTests.rkat(["track", Self.scenario, "--plan", edited.path, "--set", "actuals_until=2018-06", "--out", dir.appendingPathComponent("t").path])
        #expect(r.status == 2)
        #expect(r.stderr.contains("Synthetica JAKON acquisitions") && r.stderr.contains("jumlah bulannya") && r.stderr.contains("bukan target tahunan"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("t").path))
        // A month outside the plan year, the wrong year and a month of tracking outside it are named too.
        let wrongYear = try CommandLineTests.rkat(["track", Self.scenario, "--plan", plan.path, "--set", "actuals_until=2019-06", "--set", "horizon=2019-12", "--out", dir.appendingPathComponent("u").path])
        #expect(wrongYear.status == 2, "\(wrongYear.stderr)")
        let notInYear = try CommandLineTests.rkat(["track", Self.scenario, "--plan", plan.path, "--set", "actuals_until=2017-12", "--out", dir.appendingPathComponent("v").path])
        #expect(notInYear.status == 2 && notInYear.stderr.contains("bukan bulan tahun rencana 2018"), "\(notInYear.stderr)")
    }

    /// An edited plan whose segments no longer sum to its TOTAL is refused, naming both figures
    /// (issue 30): PU's acquisitions raised by 1,200 (its months too), the TOTAL left as it was.
    @Test func anEditedPlanWhoseTotalIsNotItsSegmentsSumIsRefused() throws {
        let dir = RunCommandTests.temp()
        let plan = try Self.plan(in: dir)
        var json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: plan)) as? [String: Any])
        var rows = json["targets"] as! [[String: Any]]
        let i = rows.firstIndex { $0["segment"] as? String == "PU" && $0["metric"] as? String == "acquisitions" && $0["basis"] as? String == "projection" }!
        let t = rows.firstIndex { $0["segment"] as? String == "TOTAL" && $0["metric"] as? String == "acquisitions" && $0["basis"] as? String == "projection" }!
        let pu = rows[i]["target"] as! Double, total = rows[t]["target"] as! Double
        let jakon = rows.first { $0["segment"] as? String == "JAKON" && $0["metric"] as? String == "acquisitions" && $0["basis"] as? String == "projection" }!["target"] as! Double
        #expect(pu + jakon == total)
        var months = rows[i]["months"] as! [String: [String: Any]]
        months["2018-03"]!["target"] = (months["2018-03"]!["target"] as! Double) + 1_200
        rows[i]["months"] = months
        rows[i]["target"] = pu + 1_200
        json["targets"] = rows
        let edited = dir.appendingPathComponent("edited.json")
        try JSONSerialization.data(withJSONObject: json).write(to: edited)
        let r = try CommandLineTests.rkat(["track", Self.scenario, "--plan", edited.path, "--set", "actuals_until=2018-06", "--draws", "0", "--out", dir.appendingPathComponent("t").path, "--lang", "en"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("TOTAL of Synthetica acquisitions") && r.stderr.contains("but its segments sum to") && r.stderr.contains("correct the TOTAL or a segment"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("t").path))
        // The plan as rkat wrote it passes.
        #expect(try CommandLineTests.rkat(["track", Self.scenario, "--plan", plan.path, "--set", "actuals_until=2018-06", "--draws", "0", "--out", dir.appendingPathComponent("u").path]).status == 0)
    }

    /// The terminal table puts capaian to date beside the target and the realisation to the same
    /// month (capaian = realised ÷ target to date), and the annual target beside the prognosa.
    @Test func theTerminalTableShowsTheTargetToDateBesideCapaian() throws {
        let dir = RunCommandTests.temp()
        let plan = try Self.plan(in: dir)
        let r = try CommandLineTests.rkat(["track", Self.scenario, "--plan", plan.path, "--set", "actuals_until=2018-06", "--draws", "0", "--out", dir.appendingPathComponent("t").path])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let header = try #require(lines.first { $0.contains("Target s.d.") })
        #expect(header.range(of: "Target s.d.")!.lowerBound < header.range(of: "Realisasi s.d.")!.lowerBound)
        #expect(header.range(of: "Capaian s.d.")!.lowerBound < header.range(of: "Target tahun")!.lowerBound)
        let row = try #require(lines.first { $0.contains("PU") && $0.contains("Akuisisi") })
        let cells = row.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        // Synthetica, PU, Akuisisi, target s.d., realisasi s.d., capaian s.d., target tahun, prognosa, P(tercapai)
        let number = { (s: String) in Double(s.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: "%", with: ""))! }
        let target = number(cells[3]), realised = number(cells[4]), capaian = number(cells[5])
        #expect(abs(realised / target * 100 - capaian) < 0.051, "\(cells)")
        let csv = try Self.csv(dir.appendingPathComponent("t/tracking.csv"))
        let pu = try #require(csv.first { $0["kind"] != "month" && $0["segment"] == "PU" && $0["metric"] == "acquisitions" && ($0["branch"] ?? "").isEmpty })
        #expect(number(cells[6]) == Double(pu["target"] ?? "") ?? -1, "\(pu)")
    }

    /// The plan's own folder is never the output: it holds an input.
    @Test func neverWritesIntoThePlansFolder() throws {
        let dir = RunCommandTests.temp()
        let plan = try Self.plan(in: dir)
        let r = try CommandLineTests.rkat(["track", Self.scenario, "--plan", plan.path, "--set", "actuals_until=2018-06", "--out", plan.deletingLastPathComponent().path])
        #expect(r.status == 2 && r.stderr.contains("targets.json"), "\(r.stderr)")
    }
}
