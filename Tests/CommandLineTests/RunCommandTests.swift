import Foundation
import Testing

/// `rkat run` and `rkat validate` on the bundled examples and on broken scenarios.
@Suite struct RunCommandTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func rkat(_ args: [String]) throws -> CommandLineTests.Run {
        try CommandLineTests.rkat(args)
    }

    static func temp() -> URL {
        let u = Scratch.url("rkat-run")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    static func scenario(_ name: String) -> String { root.appendingPathComponent("scenarios/\(name).yaml").path }

    /// projection.csv as rows of fields (no quoted fields in it).
    static func projection(_ dir: URL) throws -> [[String: String]] {
        let text = try String(contentsOf: dir.appendingPathComponent("projection.csv"), encoding: .utf8)
        let lines = text.split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    @Test(arguments: ["sumbagut-2018", "sumbagut-2018-aggressive", "sumbagut-2018-honorary90", "sumbagut-2025", "jatim-2017"])
    func examplesRunAndTheBooksClose(_ name: String) throws {
        let out = Self.temp().appendingPathComponent("o")
        let r = try Self.rkat(["run", Self.scenario(name), "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.projection(out)
        #expect(!rows.isEmpty)
        var previous: [String: Double] = [:]
        for row in rows {
            #expect(!row.values.contains { $0.lowercased().contains("nan") || $0.contains("inf") })
            guard let active = Double(row["active"]!) else { continue }  // flow-only rows have empty stock columns
            let potential = Double(row["potential"]!)!
            #expect(active <= potential + 0.01 && active >= 0)
            let key = row["region"]! + "/" + row["segment"]!
            let net = Double(row["net_change"]!)!
            let flows = ["gross_acquisitions", "honorary_inflow", "village_inflow", "budget_cohort_inflow", "ceiling_adjustment", "deviation_change"].map { Double(row[$0]!)! }.reduce(0, +) - Double(row["lapses"]!)!
            #expect(abs(net - flows) < 0.05, "\(key) \(row["month"]!)")
            if let p = previous[key] { #expect(abs(active - (p + net)) < 0.05, "\(key) \(row["month"]!)") }
            previous[key] = active
        }
    }

    @Test func rerunsAreByteIdenticalExceptRunJSON() throws {
        let base = Self.temp()
        for k in 1...2 {
            let r = try Self.rkat(["run", Self.scenario("sumbagut-2018-honorary90"), "--out", base.appendingPathComponent("r\(k)").path])
            #expect(r.status == 0)
        }
        for f in ["projection.csv", "calibration.csv", "uncertainty.csv", "targets.csv", "targets.xlsx"] {
            let a = try Data(contentsOf: base.appendingPathComponent("r1/\(f)")), b = try Data(contentsOf: base.appendingPathComponent("r2/\(f)"))
            #expect(a == b, "\(f)")
        }
        // targets.xlsx is a zip container (checked in openpyxl by hand; see docs/targets.md).
        #expect(try Data(contentsOf: base.appendingPathComponent("r1/targets.xlsx")).prefix(2) == Data("PK".utf8))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: base.appendingPathComponent("r1/run.json"))) as! [String: Any]
        for key in ["rkat_version", "gsl_version", "run_time", "scenario_files", "history", "seed", "resolved_scenario"] { #expect(json[key] != nil, "\(key)") }
        let files = json["scenario_files"] as! [[String: String]]
        #expect(files.count == 2 && files.allSatisfy { $0["sha256"]!.count == 64 })
    }

    @Test func honoraryCoverageFromZeroToNinetyPercentAddsNinetyPercentOfThePool() throws {
        let base = Self.temp()
        func yearEndPU(_ args: [String], _ dir: String) throws -> Double {
            let r = try Self.rkat(["run", Self.scenario("sumbagut-2018-honorary90"), "--out", base.appendingPathComponent(dir).path] + args)
            #expect(r.status == 0, "\(r.stderr)")
            return Double(try Self.projection(base.appendingPathComponent(dir)).last { $0["segment"] == "PU" && $0["month"] == "2018-12" }!["active"]!)!
        }
        let none = try yearEndPU(["--set", "levers.honorary.ramp=[{month: 2018-12, share: 0}]"], "zero")
        let ninety = try yearEndPU([], "ninety")
        #expect(abs(ninety - none - 0.9 * 50_000) < 1)
    }

    @Test func outreachAtOneReproducesTheBaseline() throws {
        let base = Self.temp()
        _ = try Self.rkat(["run", Self.scenario("sumbagut-2018"), "--out", base.appendingPathComponent("a").path])
        _ = try Self.rkat(["run", Self.scenario("sumbagut-2018"), "--out", base.appendingPathComponent("b").path, "--set", "levers.outreach.intensity=1.0"])
        let a = try Data(contentsOf: base.appendingPathComponent("a/projection.csv")), b = try Data(contentsOf: base.appendingPathComponent("b/projection.csv"))
        #expect(a == b)
    }

    @Test func aFailedRunLeavesThePreviousOutputsUntouched() throws {
        let out = Self.temp().appendingPathComponent("o")
        #expect(try Self.rkat(["run", Self.scenario("sumbagut-2018"), "--out", out.path]).status == 0)
        let before = try Data(contentsOf: out.appendingPathComponent("projection.csv"))
        let r = try Self.rkat(["run", Self.scenario("sumbagut-2018"), "--out", out.path, "--set", "levers.outreach.intensty=2"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--set:1:") && r.stderr.contains("maksud Anda 'intensity'"), "\(r.stderr)")
        #expect(try Data(contentsOf: out.appendingPathComponent("projection.csv")) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.deletingLastPathComponent().path) == ["o"])
    }

    /// Broken scenarios: exit 2, one line naming file, line and problem, nothing written.
    @Test(arguments: [
        ("segments:\n  PU: {model: logistic, lapse_rate_per_year: high}\n", "lapse_rate_per_year"),
        ("segments:\n  PU: {modell: logistic}\n", "maksud Anda 'model'"),
        ("actuals_until: 2017-13\n", "actuals_until"),
        ("potential: {total: -5, basis: x, as_of: 2018-01, shares: {PU: 0.5}}\n", "total"),
        ("potential: {total: 6900000, basis: x, as_of: 2018-01, shares: {PU: 0.7, BPU: 0.6}}\n", "shares"),
        ("history: ../data/missing.csv\n", "history"),
        ("segments: [PU\n", "YAML"),
    ])
    func brokenScenariosExitTwoAndWriteNothing(patch: String, expected: String) throws {
        let dir = Self.temp()
        let base = """
            name: broken
            region: Sumbagut
            actuals_until: 2017-11
            horizon: 2018-12
            history: \(Self.root.appendingPathComponent("data/sumbagut-2018-history.csv").path)
            potential: {total: 6900000, basis: x, as_of: 2018-01, shares: {PU: 0.4, BPU: 0.6}}
            segments:
              PU: {lapse_rate_per_year: 0.6}
              BPU: {lapse_rate_per_year: 0.9}
            """
        // The patch's top-level keys replace the base's.
        let patchedKeys = Set(patch.split(separator: "\n").compactMap { $0.first?.isLetter == true ? $0.split(separator: ":").first.map(String.init) : nil })
        var lines: [String] = []
        var skipping = false
        for line in base.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first.isLetter { skipping = patchedKeys.contains(String(line.split(separator: ":")[0])) }
            if !skipping { lines.append(String(line)) }
        }
        let file = dir.appendingPathComponent("broken.yaml")
        try (lines.joined(separator: "\n") + "\n" + patch.replacingOccurrences(of: "../data/", with: Self.root.appendingPathComponent("data").path + "/")).write(to: file, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("out")
        for command in ["validate", "run"] {
            let r = try Self.rkat(command == "run" ? ["run", file.path, "--out", out.path] : ["validate", file.path])
            #expect(r.status == 2, "\(command) \(patch): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(r.stderr.contains(file.path + ":"), "\(r.stderr)")
            #expect(r.stderr.contains(expected), "\(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// Seed 001: the 2017 targets and realisations give the Kanwil's +20% / +30% rule targets beside
    /// the projection's, and the run warns that the segment targets miss the stated total by 40.
    @Test func sumbagutTargetTableHasTheRuleTargetsAndTheSeedWarning() throws {
        let out = Self.temp().appendingPathComponent("o")
        let r = try Self.rkat(["run", Self.scenario("sumbagut-2018"), "--out", out.path])
        #expect(r.status == 0)
        #expect(r.stderr.contains("jumlah segmen 1.699.046 tetapi TOTAL menyatakan 1.699.086 (selisih −40)"), "\(r.stderr)")
        let rows = try String(contentsOf: out.appendingPathComponent("targets.csv"), encoding: .utf8).split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        func target(_ segment: String, _ metric: String, _ basis: String) -> Double? {
            rows.first { $0[2] == segment && $0[3] == metric && $0[4] == basis }.flatMap { Double($0[7]) }
        }
        #expect(target("PU", "acquisitions", "rule +20%") == 948_136)  // 790,113 × 1.2
        #expect(target("JAKON", "acquisitions", "rule +30%") == 1_037_696)  // 798,228 × 1.3
        #expect(target("BPU", "acquisitions", "rule +20%") == 132_846)  // 110,705 × 1.2
        #expect(rows[0][1] == "branch" && rows.allSatisfy { $0.count == rows[0].count })
        let p = rows.filter { $0[4] == "projection" && $0[2] != "TOTAL" }.compactMap { Double($0[13]) }
        #expect(!p.isEmpty && p.allSatisfy { abs($0 - 0.5) < 0.01 })

        // targets.json: monthly and quarterly flow targets sum exactly to the annual target; stock
        // phasing ends on the target.
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("targets.json"))) as! [String: Any]
        let targets = json["targets"] as! [[String: Any]]
        var checked = 0
        for t in targets {
            guard let months = t["months"] as? [String: [String: Any]] else { continue }
            let target = t["target"] as! Double
            // Twelve named months of 2018, in order, each with a target.
            #expect(months.keys.sorted() == (1...12).map { "2018-" + ($0 < 10 ? "0\($0)" : "\($0)") })
            let monthly = months.keys.sorted().map { months[$0]!["target"] as! Double }
            if t["metric"] as? String != "active" {  // every flow (only active is a stock)
                #expect(monthly.reduce(0, +) == target && monthly.allSatisfy { $0 == $0.rounded() })
                #expect((t["quarters"] as! [String: Double]).values.reduce(0, +) == target)
                // Each quarter named by its number, and the sum of its three months.
                let quarters = t["quarters"] as! [String: Double]
                #expect(quarters.keys.sorted() == ["2018-Q1", "2018-Q2", "2018-Q3", "2018-Q4"])
                for q in 0..<4 { #expect(quarters["2018-Q\(q + 1)"] == monthly[(3 * q)..<(3 * q + 3)].reduce(0, +)) }
            } else {
                #expect(abs(monthly.last! - target) < 1e-6)
            }
            checked += 1
        }
        #expect(checked >= 9)
        let md = try String(contentsOf: out.appendingPathComponent("targets.md"), encoding: .utf8)
        #expect(md.contains("**948.136**") && md.contains("| Wilayah |") && md.contains("aturan +20%") && md.contains("P(tercapai) di bawah 20%"))
    }

    /// sumbagut-2025 has 3–4 points a province: too few for AICc, so `auto` ranks by AIC (BIC's k·log n
    /// is the smaller penalty under 8 points). The note
    /// shows each candidate's AIC and weight, in the order ranked (non-decreasing AIC, non-increasing
    /// weight), the first being the model used; the weights are exp(−ΔAIC/2) normalised (to the 3
    /// decimals shown, over the candidates kept).
    @Test func autoWithoutAICcShowsTheAICItRankedBy() throws {
        let out = Self.temp().appendingPathComponent("s25")
        let r = try CommandLineTests.rkat(["run", Self.root.appendingPathComponent("scenarios/sumbagut-2025.yaml").path, "--draws", "0", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        // The note is the last part of the quoted `notes` field (its commas are inside the quotes).
        let lines = try String(contentsOf: out.appendingPathComponent("calibration.csv"), encoding: .utf8).split(whereSeparator: \.isNewline).dropFirst()
        #expect(lines.count == 2)
        for line in lines {
            let model = line.split(separator: ",")[3]
            let tail = try #require(line.components(separatedBy: "auto, ranked by the GLS fits' −2 log-likelihood + the larger of the AIC and BIC penalties (too few points for AICc; w = share of draws): ").dropFirst().first)
            let note = String(tail.prefix { $0 != "\"" && $0 != ";" })
            // Candidates below the smallest weight are listed as "w <0.005", outside the normalisation.
            let ranked = note.components(separatedBy: ", ").map { $0.split(separator: " ") }.filter { !$0[3].hasPrefix("<") }
            let aic = ranked.map { Double($0[1])! }
            let weights = ranked.map { Double($0[3])! }
            #expect(aic == aic.sorted(), "\(note)")
            #expect(weights == weights.sorted(by: >), "\(note)")
            #expect(abs(weights.reduce(0, +) - 1) < 0.002 * Double(weights.count), "\(note)")
            for (a, w) in zip(aic, weights) {
                let expected = exp(-(a - aic[0]) / 2) / aic.reduce(0) { $0 + exp(-($1 - aic[0]) / 2) }
                #expect(abs(w - expected) < 0.002, "\(note)")
            }
            #expect(ranked.first!.first! == model, "\(note)")
        }
    }

    /// The midyear fixture's PU with `model: auto`, cut at Dec 2016 (36 monthly figures): the weights
    /// are tempered, exp(−Δ/8) over the candidates kept, and calibration.csv says so; the band is
    /// flagged for its second year only (the draws mix the curves). Cut at Dec 2017 (48 months from
    /// Jan 2014), the ranking's own exp(−Δ/2) and nothing said.
    @Test func aShortSpansAutoWeightsAreTemperedAndSaid() throws {
        for (cut, divisor) in [("2016-12", 8.0), ("2017-12", 2.0)] {
            let out = Self.temp().appendingPathComponent("t\(cut)")
            let r = try CommandLineTests.rkat([
                "run", Self.root.appendingPathComponent("Tests/Fixtures/midyear-2018/scenario.yaml").path, "--draws", "0",
                "--set", "actuals_until=\(cut)", "--set", "segments.PU.model=auto", "--out", out.path,
            ])
            #expect(r.status == 0, "\(r.stderr)")
            let line = try #require(String(contentsOf: out.appendingPathComponent("calibration.csv"), encoding: .utf8)
                .split(whereSeparator: \.isNewline).first { $0.hasPrefix("Synthetica,PU,") })
            let tempered = "w = share of draws ∝ exp(−Δ/8), Δ = criterion − the best's; tempered from exp(−Δ/2): figures spanning fewer than 48 months tell the curves apart little): "
            #expect(line.contains(tempered) == (divisor == 8), "\(cut): \(line)")
            let tail = try #require(line.components(separatedBy: divisor == 8 ? tempered : "w = share of draws): ").dropFirst().first)
            let note = String(tail.prefix { $0 != "\"" && $0 != ";" })
            let ranked = note.components(separatedBy: ", ").map { $0.split(separator: " ") }.filter { !$0[3].hasPrefix("<") }
            try #require(ranked.count >= 2, "\(note)")
            let criteria = ranked.map { Double($0[1])! }, weights = ranked.map { Double($0[3])! }
            let total = criteria.reduce(0) { $0 + exp(-($1 - criteria[0]) / divisor) }
            for (c, w) in zip(criteria, weights) { #expect(abs(w - exp(-(c - criteria[0]) / divisor) / total) < 0.002, "\(cut): \(note)") }
            #expect(!line.contains("short_span_band_too_narrow"), "\(cut): \(line)")
            #expect(line.contains("short_span_second_year_too_narrow") == (divisor == 8), "\(cut): \(line)")
        }
    }

    /// Several regions: the overall total is the sum of the region totals, with P(reach) from the joint draws.
    @Test func overallTotalAcrossRegions() throws {
        let out = Self.temp().appendingPathComponent("o")
        let r = try Self.rkat(["run", Self.scenario("sumbagut-2025"), "--out", out.path, "--draws", "400"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try String(contentsOf: out.appendingPathComponent("targets.csv"), encoding: .utf8).split(separator: "\r\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for metric in ["active", "acquisitions"] {
            let totals = rows.filter { $0[2] == "TOTAL" && $0[3] == metric }
            let all = try #require(totals.first { $0[0] == "ALL" })
            let regions = totals.filter { $0[0] != "ALL" }
            #expect(regions.count == 2)
            #expect(Double(all[7])! == regions.reduce(0) { $0 + Double($1[7])! })
            let p = Double(all[13])!
            #expect(p > 0.3 && p < 0.7)
        }
    }

    @Test func validateSucceedsOnEveryExample() throws {
        for name in ["sumbagut-2018", "sumbagut-2018-aggressive", "sumbagut-2018-honorary90", "sumbagut-2025", "jatim-2017"] {
            let r = try Self.rkat(["validate", Self.scenario(name), "--lang", "en"])
            #expect(r.status == 0, "\(name): \(r.stderr)")
            #expect(r.stdout.hasPrefix("Scenario valid"))
        }
        // The projected period starts the month after actuals_until (2017-11 in sumbagut-2018.yaml).
        let r = try Self.rkat(["validate", Self.scenario("sumbagut-2018"), "--lang", "en"])
        #expect(r.stdout.split(separator: "\n").first?.hasSuffix(", 2017-12…2018-12") == true, "\(r.stdout)")
    }
}
