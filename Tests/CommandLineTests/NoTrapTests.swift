import Foundation
import Testing

/// Issue 13: the reproducers of every trap found by the fuzz campaign. Each runs the built binary and
/// must exit 0, 1 or 2 (never a signal), with at most one line on stderr on failure (warnings aside on
/// success) and no NaN or infinity in any output of a successful run.
@Suite struct NoTrapTests {
    static let root = RunCommandTests.root
    static func scenario(_ name: String) -> String { RunCommandTests.scenario(name) }

    static func write(_ text: String, _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The example history with one line's value replaced.
    static func history(replacing old: String, with new: String, in dir: URL) throws -> String {
        let text = try String(contentsOfFile: root.appendingPathComponent("data/sumbagut-2018-history.csv").path, encoding: .utf8)
        #expect(text.contains(old))
        return try write(text.replacingOccurrences(of: old, with: new), "history.csv", in: dir)
    }

    /// A value that is not finite, as the writers would print it (inf, -inf, nan, NaN, Infinity).
    static let nonFinite = try! NSRegularExpression(pattern: #"(^|[,:\[\s"])[-+]?(inf|infinity|nan)($|[,\]\s"])"#, options: [.caseInsensitive, .anchorsMatchLines])

    /// Runs rkat; checks the exit code and the shape of the output. Returns the run.
    @discardableResult
    static func noTrap(_ args: [String], expect status: Int32? = nil, out: URL? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> CommandLineTests.Run {
        let r = try CommandLineTests.rkat(args)
        #expect([0, 1, 2].contains(r.status), "exit \(r.status): \(r.stderr.prefix(300))", sourceLocation: sourceLocation)
        if let status { #expect(r.status == status, "exit \(r.status): \(r.stderr.prefix(300))", sourceLocation: sourceLocation) }
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Backtrac"), sourceLocation: sourceLocation)
        if r.status != 0 {
            #expect(r.stderr.split(separator: "\n").filter { !$0.hasPrefix("warning: ") && !$0.hasPrefix("peringatan: ") }.count == 1, "\(r.stderr.prefix(500))", sourceLocation: sourceLocation)
        } else if let out {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: out.path)) ?? [] where !name.hasSuffix(".xlsx") {
                let text = try String(contentsOfFile: out.appendingPathComponent(name).path, encoding: .utf8)
                let range = NSRange(text.startIndex..., in: text)
                #expect(nonFinite.firstMatch(in: text, range: range) == nil, "\(name) holds a value that is not finite", sourceLocation: sourceLocation)
            }
        }
        return r
    }

    @discardableResult
    static func run(
        _ scenario: String, _ sets: [String], draws: Int = 0, expect status: Int32? = nil, lang: String = "id", sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> CommandLineTests.Run {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        return try noTrap(
            ["run", scenario, "--out", out.path, "--draws", "\(draws)", "--lang", lang] + sets.flatMap { ["--set", $0] }, expect: status, out: out, sourceLocation: sourceLocation)
    }

    // MARK: NaN / inf reaching JSON

    @Test func aHistoryTargetOfZeroGivesNoGrowthFigure() throws {
        let dir = RunCommandTests.temp()
        let h = try Self.history(replacing: ",790113,", with: ",0,", in: dir)
        let out = dir.appendingPathComponent("o")
        try Self.noTrap(["run", Self.scenario("sumbagut-2018"), "--out", out.path, "--draws", "0", "--set", "history=\(h)"], expect: 0, out: out)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("targets.json"))) as! [String: Any]
        let rows = (json["targets"] as! [[String: Any]]).filter { $0["segment"] as? String == "PU" && $0["metric"] as? String == "acquisitions" }
        #expect(!rows.isEmpty && rows.allSatisfy { $0["growth_vs_target"] is NSNull })
    }

    @Test func aYearToDateFigureOfZero() throws {
        let dir = RunCommandTests.temp()
        let h = try Self.history(replacing: ",791254,", with: ",0,", in: dir)
        try Self.run(Self.scenario("sumbagut-2018"), ["history=\(h)"], draws: 20)
    }

    @Test func sharesAllZero() throws {
        try Self.run(Self.scenario("sumbagut-2018"), ["potential.shares.PU=0", "potential.shares.BPU=0"], draws: 20)
    }

    // MARK: ranges checked in the reader (located), and the largest accepted values run

    @Test(arguments: [
        (["levers.outreach.intensity=2", "uncertainty.assumptions.elasticity={distribution: normal, mean: 1, sd: 1e6}"], "--set:2:", "expected a standard deviation in [0, 3]"),
        (["levers.outreach.intensity=2", "levers.outreach.elasticity=100"], "--set:2:28: ", "expected an elasticity in [0, 3]"),
        (["uncertainty.assumptions.acquisitions_factor={distribution: normal, mean: 1, sd: 120}"], "--set:1:", "expected a standard deviation in [0, 10]"),
        (["uncertainty.assumptions.acquisitions_factor={distribution: normal, mean: 1.8e19, sd: 1}"], "--set:1:", "expected a mean factor in (0, 10]"),
        (["potential.total=1e300"], "--set:1:17: ", "expected a whole number of persons in (0, 1e9]"),
        (["levers.outreach.intensity=1e300"], "--set:1:27: ", "expected an intensity in [0, 10]"),
        (["branches=[{name: A, potential_share: 0.5, active: 1e300, active_as_of: 2017-09}]"], "--set:1:", "expected a whole number of persons in [0, 1e9]"),
    ])
    func outOfRangeValuesAreLocatedErrors(sets: [String], location: String, message: String) throws {
        let r = try Self.run(Self.scenario("sumbagut-2018"), sets, draws: 20, expect: 2, lang: "en")
        #expect(r.stderr.hasPrefix(location) || r.stderr.hasPrefix("rkat: " + location), "\(r.stderr)")
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func honoraryPoolAbove1e9() throws {
        let r = try Self.run(Self.scenario("sumbagut-2018-honorary90"), ["levers.honorary.pool=1e23"], expect: 2)
        #expect(r.stderr.contains("levers.honorary.pool: diharapkan jumlah orang (bilangan bulat) dalam (0, 1e9], tertulis 1e23"), "\(r.stderr)")
        let en = try Self.run(Self.scenario("sumbagut-2018-honorary90"), ["levers.honorary.pool=1e23"], expect: 2, lang: "en")
        #expect(en.stderr.contains("levers.honorary.pool: expected a whole number of persons in (0, 1e9], got 1e23"), "\(en.stderr)")
    }

    @Test(arguments: [
        ["levers.outreach.intensity=10", "levers.outreach.elasticity=3", "uncertainty.assumptions.elasticity={distribution: normal, mean: 3, sd: 3}"],
        ["potential.total=1e9", "uncertainty.assumptions.potential_factor={distribution: uniform, min: 10, max: 10}",
         "uncertainty.assumptions.acquisitions_factor={distribution: uniform, min: 10, max: 10}"],
        ["branches=[{name: A, potential_share: 1, active: 1e9, active_as_of: 2017-09}, {name: B, potential_share: 0, active: 0, active_as_of: 2017-09}]"],
        ["levers.budget_cohorts={segment: BPU, budget_per_year_rp: 1e15, cost_per_person_month_rp: 1, enrolled_at_start: 0}"],
        ["segments.PU.lapse_rate_per_year=0", "uncertainty.assumptions.lapse_rate_factor={distribution: uniform, min: 0.0001, max: 10}"],
    ])
    func theLargestAcceptedValuesGiveFiniteOutputs(sets: [String]) throws {
        try Self.run(Self.scenario("sumbagut-2018"), sets, draws: 50, expect: 0)
    }

    @Test func theLargestHonoraryPoolAndVillageProgramme() throws {
        try Self.run(Self.scenario("sumbagut-2018-honorary90"), ["levers.honorary.pool=1e9"], draws: 50, expect: 0)
        try Self.run(Self.scenario("jatim-2017"), ["levers.villages.villages_per_year=100000", "levers.villages.acquisitions_per_village=100000"], draws: 50, expect: 0)
    }

    // MARK: history values

    @Test func historyValuesAbove1e9AreLocatedErrorsInRunAndValidate() throws {
        let dir = RunCommandTests.temp()
        let h = try Self.history(replacing: ",726119,", with: ",1e308,", in: dir)
        for command in ["run", "validate"] {
            let r = try Self.noTrap([command, Self.scenario("sumbagut-2018"), "--set", "history=\(h)"] + (command == "run" ? ["--out", dir.appendingPathComponent("o").path] : []), expect: 2)
            #expect(r.stderr.contains("history.csv:3:28: nilai 1e308 di atas 1e9"), "\(r.stderr)")
        }
    }

    @Test func aTotalCheckOnTheLargestValuesStaysFinite() throws {
        let dir = RunCommandTests.temp()
        let h = try Self.write(
            "date,region,segment,metric,value\n2017-09,Sumbagut,PU,active,1e9\n2017-09,Sumbagut,BPU,active,1e9\n2017-09,Sumbagut,TOTAL,active,5\n"
                + "2017-11,Sumbagut,PU,acquisitions_ytd,791254\n2017-11,Sumbagut,BPU,acquisitions_ytd,111698\n2017-11,Sumbagut,JAKON,acquisitions_ytd,801356\n",
            "h.csv", in: dir)
        // 10⁹ members against a potential of 2.75 million: allowed here, to reach the TOTAL check.
        let r = try Self.noTrap(["validate", Self.scenario("sumbagut-2018"), "--set", "history=\(h)", "--set", "potential.allow_below_history=true"], expect: 0)
        #expect(r.stderr.contains("TOTAL menyatakan 5"), "\(r.stderr)")
        #expect(r.stderr.contains("di bawah 1.000.000.000 peserta yang tercatat di riwayat saat itu"), "\(r.stderr)")
    }

    // MARK: issue 27: inputs validate accepts

    /// The mid-year fixture with its members (and acquisitions) multiplied, beside its scenario.
    static func scaledFixture(_ factor: Double, in dir: URL) throws -> String {
        let fixture = root.appendingPathComponent("Tests/Fixtures/midyear-2018")
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("scenario.yaml"), to: dir.appendingPathComponent("scenario.yaml"))
        var lines = try String(contentsOfFile: fixture.appendingPathComponent("history.csv").path, encoding: .utf8).split(separator: "\n").map(String.init)
        for i in 1..<lines.count {
            var f = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if f.count > 4, ["active", "acquisitions"].contains(f[3]), let v = Double(f[4]) { f[4] = String(format: "%.0f", v * factor) }
            lines[i] = f.joined(separator: ",")
        }
        _ = try write(lines.joined(separator: "\n") + "\n", "history.csv", in: dir)
        return dir.appendingPathComponent("scenario.yaml").path
    }

    /// Rp 10⁹ a member-month on ~3·10⁸ members: a sum past 2^53 rupiah is one line naming the
    /// segment where it is declared (it trapped in PlanYearView), with and without draws.
    @Test func iuranBeyondWholeRupiahIsALocatedError() throws {
        let dir = RunCommandTests.temp()
        let scenario = try Self.scaledFixture(900, in: dir)
        for draws in ["0", "40"] {
            let out = dir.appendingPathComponent("o\(draws)")
            let r = try Self.noTrap(
                ["run", scenario, "--set", "potential.total=1e9", "--set", "segments.PU.iuran={stated_rp: 1_000_000_000}", "--draws", draws, "--out", out.path],
                expect: 2)
            #expect(r.stderr.contains("scenario.yaml:17:3: segments.PU:") && r.stderr.contains("lebih dari yang dapat dihitung rkat secara tepat dalam rupiah bulat"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out.path))
        }
        // Rp 10⁶ a member-month on the same members stays inside, and runs.
        let ok = dir.appendingPathComponent("ok")
        try Self.noTrap(["run", scenario, "--set", "potential.total=1e9", "--set", "segments.PU.iuran={stated_rp: 1_000_000}", "--draws", "40", "--out", ok.path], expect: 0, out: ok)
    }

    /// A potential below the history's last stock is refused with both figures, located at the
    /// potential; `allow_below_history: true` makes it a warning.
    @Test func aPotentialBelowTheHistoryIsRefusedOrWarned() throws {
        let scenario = Self.scenario("sumbagut-2018")
        let r = try Self.noTrap(["validate", scenario, "--set", "potential.total=100"], expect: 2)
        #expect(r.stderr.contains("sumbagut-2018.yaml:") && r.stderr.contains("di bawah 726.119 peserta yang tercatat di riwayat saat itu; periksa total"), "\(r.stderr)")
        let en = try Self.noTrap(["validate", scenario, "--set", "potential.total=100", "--lang", "en"], expect: 2)
        #expect(en.stderr.contains("sumbagut-2018.yaml:") && en.stderr.contains("below the 726,119 members the history has then; check the potential's"), "\(en.stderr)")
        let w = try Self.run(scenario, ["potential.total=100", "potential.allow_below_history=true"], expect: 0)
        #expect(w.stderr.contains("peringatan: potential: potensi Sumbagut PU pada 2017-09 adalah 40, di bawah 726.119 peserta"), "\(w.stderr)")
    }

    /// Draws that would not fit in memory are refused before any work, with the memory they would
    /// need and the most that fit (computed from the scenario's cells and months).
    @Test func drawsBeyondMemoryAreRefusedWithTheFigure() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        // Under a 4 GiB address-space limit, so that a build without the check fails at once instead
        // of filling the machine's memory.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "ulimit -v 4194304; exec \"$0\" \"$@\"", CommandLineTests.binary.path, "run", Self.scenario("sumbagut-2018"), "--draws", "1000000000", "--out", out.path]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let r = CommandLineTests.Run(status: p.terminationStatus, stdout: "", stderr: stderr)
        #expect(r.status == 2, "exit \(r.status): \(r.stderr.prefix(300))")
        // By hand: 8 bytes × (14 months × (4 × 3 cells + 4 × 1 region) + 8 × 3 + 8 × 1) = 2,048 a draw;
        // 10⁹ draws = 1,907.3 GiB; 12 GiB / 2,048 = 6,291,456 draws. (Measured: ~1,100 bytes a draw.)
        #expect(r.stderr.contains("1000000000 simulasi memerlukan sekitar 1907,3 GiB") && r.stderr.contains("paling banyak 6291456 simulasi"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    /// JAKON's workers per project below one (5e-324 trapped the run) is refused at the reader.
    @Test func workersPerProjectBelowOneIsRefused() throws {
        let r = try Self.noTrap(
            ["validate", Self.scenario("sumbagut-2018"), "--set", "segments.JAKON.iuran={projects: [{value_rp: 2000000000, share: 1}], workers_per_project: 5e-324}"],
            expect: 2)
        #expect(r.stderr.contains("--set:1:") && r.stderr.contains("workers_per_project") && r.stderr.contains("[1,"), "\(r.stderr)")
    }

    /// Month targets of an edited plan are checked like annual ones: whole, from 0 to the maximum.
    @Test(arguments: [("-5000", "is -5,000"), ("1" + String(repeating: "0", count: 308), "is 1e+308"), ("1e-300", "is 1e-300"), ("-9223372036854775809", "is -9.223372036854776e+18"), ("2.5", "is 2.5")])
    func editedPlanMonthsOutsideTheRangeAreRefused(value: String, shown: String) throws {
        let dir = RunCommandTests.temp()
        let fixture = Self.root.appendingPathComponent("Tests/Fixtures/midyear-2018/scenario.yaml").path
        let plan = dir.appendingPathComponent("plan")
        try Self.noTrap(["run", fixture, "--set", "actuals_until=2017-12", "--draws", "0", "--out", plan.path], expect: 0)
        var text = try String(contentsOfFile: plan.appendingPathComponent("targets.json").path, encoding: .utf8)
        // The first month target of the first target (PU active, 2018-01).
        let month = try #require(text.range(of: "\"2018-01\" : {"))
        let target = try #require(text.range(of: #""target" : [0-9.]+"#, options: .regularExpression, range: month.upperBound..<text.endIndex))
        text.replaceSubrange(target, with: "\"target\" : \(value)")
        let edited = try Self.write(text, "edited.json", in: dir)
        let out = dir.appendingPathComponent("t")
        let r = try Self.noTrap(["track", fixture, "--plan", edited, "--set", "actuals_until=2018-06", "--draws", "0", "--out", out.path, "--lang", "en"], expect: 2)
        #expect(r.stderr.contains("the month 2018-01 \(shown)") && r.stderr.contains("from 0 to 1,000,000,000"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }

    // MARK: singular covariance

    @Test func fiveEqualStockPointsWithDrawsHoldTheParametersFixed() throws {
        let dir = RunCommandTests.temp()
        _ = try Self.write(
            "date,region,segment,metric,value\n2017-01,R,PU,active,1000\n2017-02,R,PU,active,1000\n2017-03,R,PU,active,1000\n"
                + "2017-04,R,PU,active,1000\n2017-05,R,PU,active,1000\n2017-05,R,PU,potential,100000\n", "flat.csv", in: dir)
        for model in ["linear", "exponential", "auto"] {
            let s = try Self.write(
                "name: flat\nregion: R\nactuals_until: 2017-05\nhorizon: 2018-12\nhistory: flat.csv\n"
                    + "potential: {series: true, basis: test, as_of: 2017-05}\nsegments:\n  PU: {model: \(model), lapse_rate_per_year: 0.2}\n"
                    + "uncertainty: {draws: 50, seed: 1}\n", "flat-\(model).yaml", in: dir)
            let out = dir.appendingPathComponent("o-\(model)")
            try Self.noTrap(["run", s, "--out", out.path], expect: 0, out: out)
            let calibration = try String(contentsOf: out.appendingPathComponent("calibration.csv"), encoding: .utf8)
            #expect(calibration.contains("held at the estimate in Monte Carlo draws"), "\(model)")
        }
    }

    // MARK: bounded parsing

    @Test func aYAMLAliasBombIsRefusedBeforeExpansion() throws {
        let dir = RunCommandTests.temp()
        var lines = ["a0: &a0 [x,x,x,x,x,x,x,x,x,x]"]
        for i in 1..<10 { lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ",") + "]") }
        let s = try Self.write(lines.joined(separator: "\n") + "\nname: x\n", "bomb.yaml", in: dir)
        let r = try Self.noTrap(["validate", s], expect: 2)
        #expect(r.stderr.contains("bomb.yaml:1:5: jangkar dan alias YAML tidak didukung"), "\(r.stderr)")
    }

    @Test func deeplyNestedYAMLIsRefused() throws {
        let dir = RunCommandTests.temp()
        let s = try Self.write("name: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "\n", "deep.yaml", in: dir)
        let r = try Self.noTrap(["validate", s], expect: 2)
        #expect(r.stderr.contains("deep.yaml:1:71: bersarang lebih dari 64 tingkat"), "\(r.stderr)")
    }

    @Test func aSetKeyTenThousandLevelsDeepIsRefused() throws {
        let key = Array(repeating: "a", count: 10_000).joined(separator: ".")
        let r = try Self.noTrap(["validate", Self.scenario("sumbagut-2018"), "--set", key + "=1"], expect: 2)
        #expect(r.stderr.contains("--set:1:129: kuncinya lebih dari 64 bagian"), "\(r.stderr)")
    }

    // MARK: regress

    @Test func regressOnOverflowingYExitsOneInTextAndJSON() throws {
        let path = try CommandLineTests.csv("x,y\n1,1e308\n2,-1e308\n3,1e308\n4,-1e308\n")
        for json in [false, true] {
            let r = try Self.noTrap(["regress", path, "--y", "y", "--x", "x"] + (json ? ["--json"] : []), expect: 1)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.contains("not finite"))
        }
    }

    /// R: lm(y ~ x + c) with c constant reports c as NA; statsmodels would give the pseudo-inverse's split.
    @Test func regressReportsUnidentifiedCoefficientsAsNA() throws {
        let path = try CommandLineTests.csv("x,c,y\n1,1,2.1\n2,1,3.9\n3,1,6.2\n4,1,7.8\n5,1,10.1\n6,1,12.2\n")
        let text = try Self.noTrap(["regress", path, "--y", "y", "--x", "x,c"], expect: 0)
        let row = text.stdout.split(separator: "\n").first { $0.hasPrefix("c ") }.map { $0.split(separator: " ").map(String.init) }
        #expect(row == ["c", "NA", "NA", "NA", "NA", "NA", "NA"], "\(text.stdout)")
        let r = try Self.noTrap(["regress", path, "--y", "y", "--x", "x,x", "--json"], expect: 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let params = try #require(json["parameters"] as? [[String: Any]])
        #expect(params.count == 3)
        #expect(params[2]["estimate"] is NSNull && params[2]["t"] == nil && params[2]["p"] == nil && params[2]["estimable"] as? Bool == false)
        // R: slope 2.02, intercept -0.02 (lm(y ~ x) on these six points).
        #expect(abs((params[1]["estimate"] as! Double) - 2.02) < 1e-12)
        #expect(json["rank"] as? Int == 2)
    }

    @Test func regressOnAConstantYHasNoTOrP() throws {
        let path = try CommandLineTests.csv("x,y\n1,3\n2,3\n3,3\n4,3\n5,3\n6,3\n")
        let r = try Self.noTrap(["regress", path, "--y", "y", "--x", "x", "--json"], expect: 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let params = try #require(json["parameters"] as? [[String: Any]])
        #expect(params.allSatisfy { $0["t"] == nil && $0["p"] == nil })
    }

    // MARK: messages

    @Test func aLocatedErrorStartsWithItsLocationAndControlCharactersAreEscaped() throws {
        let dir = RunCommandTests.temp()
        let s = try Self.write("name: x\n\"a\\rb\\u2028c\\x85d\": 1\n", "k.yaml", in: dir)
        let r = try Self.noTrap(["validate", s], expect: 2)
        #expect(r.stderr.hasPrefix(s + ":2:1: kunci 'a\\rb\\u{2028}c\\u{85}d' tidak dikenal"), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n", omittingEmptySubsequences: false).count == 2)
    }

    @Test func anErrorWithoutALocationKeepsThePrefix() throws {
        let r = try Self.noTrap(["validate", "/nonexistent/x.yaml"], expect: 2)
        #expect(r.stderr == "rkat: /nonexistent/x.yaml: berkas tidak ada\n")
        let en = try Self.noTrap(["validate", "/nonexistent/x.yaml", "--lang", "en"], expect: 2)
        #expect(en.stderr == "rkat: /nonexistent/x.yaml: no such file\n")
    }

    @Test func extendingAFileThatIsNotAScenarioDoesNotEchoIt() throws {
        let dir = RunCommandTests.temp()
        let s = try Self.write("extends: /etc/passwd\n", "p.yaml", in: dir)
        let r = try Self.noTrap(["validate", s], expect: 2)
        #expect(!r.stderr.contains("root:"), "\(r.stderr)")
    }

    @Test func aNULInAPathIsAnError() throws {
        let dir = RunCommandTests.temp()
        let s = try Self.write("name: x\nextends: \"a\\0b\"\n", "n.yaml", in: dir)
        let r = try Self.noTrap(["validate", s], expect: 2)
        #expect(r.stderr.hasPrefix(s + ":2:10: extends: jalurnya memuat karakter NUL"), "\(r.stderr)")
        let r2 = try Self.noTrap(["validate", Self.scenario("sumbagut-2018"), "--set", "history=\"x\\0y\""], expect: 2)
        #expect(r2.stderr.hasPrefix("--set:1:9: history: jalurnya memuat karakter NUL"), "\(r2.stderr)")
    }

    @Test func calibrationProblemsAreLocatedAtTheSegment() throws {
        let r = try Self.noTrap(["validate", Self.scenario("sumbagut-2018"), "--set", "segments.X.model=auto"], expect: 2)
        #expect(r.stderr.hasPrefix("--set:1:10: segments.X: Sumbagut X: segmen ini tidak punya potensi"), "\(r.stderr)")
        let en = try Self.noTrap(["validate", Self.scenario("sumbagut-2018"), "--set", "segments.X.model=auto", "--lang", "en"], expect: 2)
        #expect(en.stderr.hasPrefix("--set:1:10: segments.X: Sumbagut X: no potential for this segment"), "\(en.stderr)")
    }

    // MARK: scale

    @Test func benchHistoryPrintsItsFigure() throws {
        let r = try Self.noTrap(["bench", "history", "--rows", "20000"], expect: 0)
        #expect(r.stdout.contains("bench history: 20000 rows") && r.stdout.contains("rows/s"), "\(r.stdout)")
    }

    @Test func benchFitRefusesZeroFits() throws {
        let r = try Self.noTrap(["bench", "fit", "--fits", "0"], expect: 2)
        #expect(r.stderr.contains("--fits must be positive") && r.stdout.isEmpty, "\(r.stderr)")
    }

    /// The history is checked as it streams: a duplicate near the top is reported at its line, and the
    /// rows after it (here 300,000 with a bad value at the end) are never looked at.
    @Test func theHistoryReaderStopsAtTheFirstError() throws {
        let dir = RunCommandTests.temp()
        var text = "date,region,segment,metric,value\n2017-09,Sumbagut,PU,active,726119\n2017-09,Sumbagut,PU,active,726119\n"
        text.reserveCapacity(12_000_000)
        for i in 0..<300_000 { text += "2017-09,R\(i),PU,active,1\n" }
        text += "2017-09,Z,PU,active,-1\n"
        let h = try Self.write(text, "big.csv", in: dir)
        let r = try Self.noTrap(["validate", Self.scenario("sumbagut-2018"), "--set", "history=\(h)"], expect: 2)
        #expect(r.stderr.hasPrefix(h + ":3:1: baris ganda"), "\(r.stderr)")
        // Quoted fields take CSVTable's path: the same message.
        let q = try Self.write("date,region,segment,metric,value\n\"2017-09\",Sumbagut,PU,active,1\n2017-09,Sumbagut,PU,active,2\n", "q.csv", in: dir)
        let r2 = try Self.noTrap(["validate", Self.scenario("sumbagut-2018"), "--set", "history=\(q)"], expect: 2)
        #expect(r2.stderr.hasPrefix(q + ":3:1: baris ganda"), "\(r2.stderr)")
    }
}
