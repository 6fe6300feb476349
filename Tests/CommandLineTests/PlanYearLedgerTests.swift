import Foundation
import Testing

/// The plan-year ledger (docs/targets.md): twelve named months, each realised (from the history, up to
/// `actuals_until`) or projected, in every output; annual figures in full; levers never act on actual
/// months. The mid-year cases use the synthetic fixture Tests/Fixtures/midyear-2018 (every row's
/// source says "synthetic").
@Suite struct PlanYearLedgerTests {
    static let fixture = RunCommandTests.root.appendingPathComponent("Tests/Fixtures/midyear-2018")

    /// The fixture's history: value by "segment/metric/YYYY-MM".
    static func history() throws -> [String: Double] {
        let text = try String(contentsOf: fixture.appendingPathComponent("history.csv"), encoding: .utf8)
        var out: [String: Double] = [:]
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            out["\(f[2])/\(f[3])/\(f[0])"] = Double(f[4])!
        }
        return out
    }

    /// targets.csv as dictionaries (no quoted fields in the fixture's rows).
    static func targets(_ dir: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: dir.appendingPathComponent("targets.csv"), encoding: .utf8)
        let lines = text.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    static func month(_ m: Int) -> String { "2018-" + (m < 10 ? "0\(m)" : "\(m)") }

    /// calibration.csv's projection start of every cell, "segment month value;…" (RFC 4180 fields).
    static func projectionStarts(_ dir: URL) throws -> String {
        let text = try String(contentsOf: dir.appendingPathComponent("calibration.csv"), encoding: .utf8)
        var rows: [[String]] = [], field = "", row: [String] = [], quoted = false
        for ch in text {
            if quoted {
                if ch == "\"" { quoted = false } else { field.append(ch) }
            } else if ch == "\"" {
                quoted = true
            } else if ch == "," {
                row.append(field)
                field = ""
            } else if ch == "\r\n" || ch == "\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                field.append(ch)
            }
        }
        let header = rows[0]
        let seg = header.firstIndex(of: "segment")!, m = header.firstIndex(of: "projection_start_month")!, v = header.firstIndex(of: "projection_start")!
        return rows.dropFirst().map { "\($0[seg]) \($0[m]) \($0[v])" }.joined(separator: ";")
    }

    /// For every `actuals_until` from January to November: realised months equal the history under
    /// their own month in csv and json, the projected months follow, an acquisition target is the full
    /// year (its months sum to it), the md and the report mark exactly the realised months.
    @Test(arguments: 1...11)
    func midYearReforecastEveryMonth(_ m: Int) throws {
        let history = try Self.history()
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let r = try CommandLineTests.rkat([
            "run", Self.fixture.appendingPathComponent("scenario.yaml").path, "--set", "actuals_until=\(Self.month(m))", "--out", out.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.targets(out).filter { $0["basis"] == "projection" && $0["branch"] == "" }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("targets.json"))) as? [String: Any])
        let jsonRows = try #require(json["targets"] as? [[String: Any]])
        for (segment, metric, key) in [("PU", "acquisitions", "acquisitions"), ("JAKON", "acquisitions", "acquisitions"), ("PU", "active", "active")] {
            let row = try #require(rows.first { $0["segment"] == segment && $0["metric"] == metric }, "\(segment) \(metric)")
            let months = (1...12).map { Double(row[Self.month($0)]!) }
            let jsonRow = try #require(jsonRows.first { $0["segment"] as? String == segment && $0["metric"] as? String == metric && $0["basis"] as? String == "projection" })
            let jsonMonths = try #require(jsonRow["months"] as? [String: [String: Any]])
            for k in 1...12 {
                let status = jsonMonths[Self.month(k)]?["status"] as? String
                if k <= m {
                    // A realised month's target is its realisation.
                    #expect(months[k - 1] == history["\(segment)/\(key)/\(Self.month(k))"], "\(segment) \(metric) \(Self.month(k))")
                    #expect(status == "realised", "\(segment) \(metric) \(Self.month(k))")
                } else {
                    #expect(months[k - 1] != nil, "\(segment) \(metric) \(Self.month(k))")
                    #expect(status == "projected", "\(segment) \(metric) \(Self.month(k))")
                }
                #expect((jsonMonths[Self.month(k)]?["target"] as? Double) == months[k - 1])
            }
            #expect(row["realised_through"] == Self.month(m))
            let target = Double(row["target"]!)!
            if metric == "acquisitions" {
                let realised = (1...m).reduce(0.0) { $0 + history["\(segment)/acquisitions/\(Self.month($1))"]! }
                #expect(Double(row["realised_to_date"]!) == realised)
                // The annual target is a full year: the realised months and the projected ones.
                #expect(months.reduce(0) { $0 + $1! } == target)
                #expect(target > realised)
            } else {
                #expect(Double(row["realised_to_date"]!) == history["PU/active/\(Self.month(m))"])
                #expect(months[11] == target)
            }
        }
        // md and report: the realised months of each phased row, and only they, are marked.
        let md = try String(contentsOf: out.appendingPathComponent("targets.md"), encoding: .utf8)
        let monthly = md.split(separator: "\n").filter { $0.hasPrefix("| Synthetica ") && $0.contains(" · ") }
        #expect(monthly.count == 3)
        for line in monthly { #expect(line.components(separatedBy: "| *").count - 1 == m, "\(line)") }
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.components(separatedBy: "<td class=\"n r\">").count - 1 == 3 * m)
    }

    /// The Sumbagut example with its history extended into 2018 (synthetic monthly acquisitions beside
    /// 2017's year-to-date press figures) and `actuals_until` moved to June: January–June realised
    /// under their own months, the annual acquisition target a full year.
    @Test func sumbagutReforecastInJune() throws {
        let dir = RunCommandTests.temp()
        for sub in ["scenarios", "data"] {
            try FileManager.default.copyItem(at: RunCommandTests.root.appendingPathComponent(sub), to: dir.appendingPathComponent(sub))
        }
        let history = dir.appendingPathComponent("data/sumbagut-2018-history.csv")
        var extra = ""
        for m in 1...6 { extra += "\(Self.month(m)),Sumbagut,PU,acquisitions,\(70_000 + 1_000 * m),mid-year check,synthetic\n" }
        extra += "2018-06,Sumbagut,PU,active,790000,mid-year check,synthetic\n"
        // BPU and JAKON reach June too (a history that stops earlier is refused: its months would run as realised).
        for m in 1...6 {
            extra += "\(Self.month(m)),Sumbagut,BPU,acquisitions,10000,mid-year check,synthetic\n"
            extra += "\(Self.month(m)),Sumbagut,JAKON,acquisitions,70000,mid-year check,synthetic\n"
        }
        let handle = try FileHandle(forWritingTo: history)
        handle.seekToEndOfFile()
        handle.write(Data(extra.utf8))
        try handle.close()
        let out = dir.appendingPathComponent("o")
        let r = try CommandLineTests.rkat(["run", dir.appendingPathComponent("scenarios/sumbagut-2018.yaml").path, "--set", "actuals_until=2018-06", "--draws", "0", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.targets(out)
        let acq = try #require(rows.first { $0["segment"] == "PU" && $0["metric"] == "acquisitions" && $0["basis"] == "projection" })
        for m in 1...6 { #expect(Double(acq[Self.month(m)]!) == Double(70_000 + 1_000 * m)) }
        #expect(acq["realised_to_date"] == "441000.00" && acq["realised_through"] == "2018-06")
        #expect((1...12).reduce(0.0) { $0 + Double(acq[Self.month($1)]!)! } == Double(acq["target"]!)!)
        // 2017 stays the year-to-date press figure, compared over the same months (January–November).
        #expect(acq["last_realisation"] == "791254.00" && acq["last_realisation_through"] == "2017-11")
        let active = try #require(rows.first { $0["segment"] == "PU" && $0["metric"] == "active" && $0["basis"] == "projection" })
        #expect(active["2018-06"] == "790000.00" && active["2018-01"] == "" && active["realised_to_date"] == "790000.00")
        // The stock target is compared with September 2017 at September 2018.
        #expect(abs(Double(active["growth_vs_realisation"]!)! - (Double(active["2018-09"]!)! / 726_119 - 1)) < 5e-7)
    }

    /// The previous year in full is compared with the plan year in full; the fixture's history covers
    /// all of 2017, so growth is annual against annual.
    @Test func growthComparesLikeWithLike() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        #expect(try CommandLineTests.rkat(["run", Self.fixture.appendingPathComponent("scenario.yaml").path, "--out", out.path]).status == 0)
        let history = try Self.history()
        let pu = try #require(try Self.targets(out).first { $0["segment"] == "PU" && $0["metric"] == "acquisitions" && $0["basis"] == "projection" })
        let full2017 = (1...12).reduce(0.0) { $0 + history["PU/acquisitions/2017-" + ($1 < 10 ? "0\($1)" : "\($1)")]! }
        #expect(Double(pu["last_realisation"]!) == full2017 && pu["last_realisation_through"] == "2017-12")
        let growth = Double(pu["target"]!)! / full2017 - 1
        #expect(abs(Double(pu["growth_vs_realisation"]!)! - growth) < 5e-7)
    }

    /// Sumbagut 2018 knows 2017's acquisitions only to November (year to date): growth compares
    /// January–November of the plan year's phased target with them, not a full year with eleven months.
    @Test func aPartPreviousYearIsComparedWithTheSameMonths() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        #expect(try CommandLineTests.rkat(["run", RunCommandTests.scenario("sumbagut-2018"), "--draws", "0", "--out", out.path]).status == 0)
        let pu = try #require(try Self.targets(out).first { $0["segment"] == "PU" && $0["metric"] == "acquisitions" && $0["basis"] == "projection" })
        #expect(pu["last_realisation"] == "791254.00" && pu["last_realisation_through"] == "2017-11")
        let janToNov = (1...11).reduce(0.0) { $0 + Double(pu[Self.month($1)]!)! }
        #expect(abs(Double(pu["growth_vs_realisation"]!)! - (janToNov / 791_254 - 1)) < 5e-7)
    }

    /// Levers never act on actual months: whatever the lever or sweep value, the stock the projection
    /// starts from at `actuals_until` (after the run-up from the last stock figure, Sep 2017) is
    /// byte-identical.
    @Test func leversNeverActOnActualMonths() throws {
        let variants: [[String]] = [
            [],
            ["levers.outreach.intensity=1.3"],
            ["levers.outreach.intensity=1.5", "levers.outreach.elasticity=1"],
            ["levers.villages.segment=BPU", "levers.villages.villages_per_year=27", "levers.villages.acquisitions_per_village=660"],
            ["levers.budget_cohorts.segment=BPU", "levers.budget_cohorts.budget_per_year_rp=1000000000", "levers.budget_cohorts.enrolled_at_start=0"],
        ]
        var starts: [String] = []
        for sets in variants {
            let out = RunCommandTests.temp().appendingPathComponent("o")
            let r = try CommandLineTests.rkat(["run", RunCommandTests.scenario("sumbagut-2018"), "--draws", "0", "--out", out.path] + sets.flatMap { ["--set", $0] })
            #expect(r.status == 0, "\(sets): \(r.stderr)")
            starts.append(try Self.projectionStarts(out))
        }
        #expect(starts[0].contains("PU 2017-11 747402.54"), "\(starts[0])")
        for (k, s) in starts.enumerated() { #expect(s == starts[0], "\(variants[k])") }
        // Every combination of the sweep example (outreach × honorary coverage) starts there too.
        for intensity in ["1.0", "1.2", "1.5"] {
            for share in ["0", "0.5", "0.9"] {
                let out = RunCommandTests.temp().appendingPathComponent("o")
                let r = try CommandLineTests.rkat([
                    "run", RunCommandTests.scenario("sumbagut-2018-sweep"), "--draws", "0", "--set", "sweep=", "--set", "levers.outreach.intensity=\(intensity)",
                    "--set", "levers.honorary.ramp[0].share=\(share)", "--out", out.path,
                ])
                #expect(r.status == 0, "\(r.stderr)")
                #expect(try Self.projectionStarts(out) == starts[0], "\(intensity) \(share)")
            }
        }
    }

    /// Two regions in June: the overall (ALL) total's draws are each region's realised January–June
    /// plus its projected rest, summed draw by draw. So its P50 lies between the sums of the region
    /// totals' P10 and P90, and its target (the sum of the region P50s) is reached near half the time.
    @Test func theOverallTotalInJuneCountsEachRegionsRealisedMonths() throws {
        let dir = RunCommandTests.temp()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let lines = try String(contentsOf: Self.fixture.appendingPathComponent("history.csv"), encoding: .utf8).split(separator: "\n").map(String.init)
        let second = lines.dropFirst().map { $0.replacingOccurrences(of: ",Synthetica,", with: ",Sintetika,") }
        try (lines + second).joined(separator: "\n").appending("\n").write(to: dir.appendingPathComponent("history.csv"), atomically: true, encoding: .utf8)
        let potential = "    potential:\n      total: 1_000_000\n      basis: synthetic\n      as_of: 2018-01\n      growth_per_year: 0.0\n      shares:\n        PU: 1.0\n"
        let yaml = "name: midyear-two\nregions:\n  - name: Synthetica\n" + potential + "  - name: Sintetika\n" + potential + """
            actuals_until: 2018-06
            horizon: 2018-12
            history: history.csv
            segments:
              PU:
                model: logistic
                lapse_rate_per_year: 0.3
                ceiling: potential
              JAKON:
                flow_only: true
            uncertainty:
              draws: 400
              seed: 7
            targets:
              plan_year: 2018
              confidence: 0.5

            """
        try yaml.write(to: dir.appendingPathComponent("scenario.yaml"), atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        let r = try CommandLineTests.rkat(["run", dir.appendingPathComponent("scenario.yaml").path, "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.targets(out)
        for metric in ["acquisitions", "active"] {
            let totals = rows.filter { $0["segment"] == "TOTAL" && $0["metric"] == metric && $0["basis"] == "projection" }
            let all = try #require(totals.first { $0["region"] == "ALL" })
            let regions = totals.filter { $0["region"] != "ALL" }
            #expect(regions.count == 2)
            let sum = { (k: String) in regions.reduce(0.0) { $0 + Double($1[k]!)! } }
            let p50 = try #require(Double(all["p50"]!))
            #expect(p50 >= sum("p10") && p50 <= sum("p90"), "\(metric): ALL P50 \(p50), regions P10 \(sum("p10")), P90 \(sum("p90"))")
            let p = try #require(Double(all["p_reach"]!))
            #expect(p > 0.2 && p < 0.8, "\(metric): \(p)")
        }
    }
}
