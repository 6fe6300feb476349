import Foundation
import Testing

@testable import PlanIO
@testable import Planning

/// Issue 34: a national file `includes:` Kanwil files (Tests/Fixtures/nasional-2018, three synthetic
/// Kanwil whose deviations share η 0.5: scripts/make_national_fixture.py).
@Suite struct NationalJobTests {
    static let fixture = ExplainJobTests.root.appendingPathComponent("Tests/Fixtures/nasional-2018")
    static var national: String { fixture.appendingPathComponent("nasional.yaml").path }

    static func computed(draws: Int = 500) throws -> NationalJob.Computed {
        let doc = try #require(try NationalJob.read(path: national, overrides: []))
        return try NationalJob.compute(doc, settings: RunJob.Settings(draws: draws, seed: 3, threads: 1))
    }

    /// Each Kanwil keeps its own plan: its deterministic projection in the national run is exactly
    /// what `rkat run` of its own file gives; the nation's share is measured across the three and is
    /// on every Kanwil's cells; the nation's row is the Kanwil's TOTAL targets summed, its P(tercapai)
    /// and band those of their plan-year draws summed draw by draw.
    @Test func theKanwilRunTogetherAndTheNationSumsThem() throws {
        let c = try Self.computed()
        #expect(c.units.map(\.name) == ["Barat", "Tengah", "Timur"])
        #expect(c.national.range == nil && c.national.source.hasPrefix("estimated") && c.national.source.contains("3 regions"), "\(c.national.source)")
        for (i, name) in ["barat", "tengah", "timur"].enumerated() {
            let own = try RunJob.compute(
                scenarioPath: Self.fixture.appendingPathComponent("\(name).yaml").path, settings: RunJob.Settings(draws: 0, seed: 3, threads: 1), fullOutputs: false)
            #expect(c.units[i].projection.rows == own.projection.rows)
            #expect(c.units[i].calibrations.allSatisfy { $0.deviation == nil || $0.national?.rho == c.national.rho })
            #expect(c.units[i].monteCarlo?.options.draws == 500 && c.units[i].monteCarlo?.options.seed == 3)
        }
        for metric in [TargetRow.Metric.active, .acquisitions] {
            let all = try #require(c.view.targets.first { $0.region == Targets.allRegions && $0.metric == metric })
            let parts = c.units.map { u in u.view.targets.first { $0.region == u.name && $0.isTotal && $0.metric == metric && $0.basis == .projection }! }
            #expect(all.target == parts.reduce(0) { $0 + $1.target })
            // Each Kanwil's plan-year figure per draw as its own TOTAL target reads it (realised months
            // added: `Targets.outcome`), summed draw by draw here.
            let draws = try c.units.map { u in
                try #require(Targets.outcome(u.scenario, history: u.history, projection: u.projection, monteCarlo: u.monteCarlo, planYear: 2018, region: u.name, segment: History.totalSegment, metric: metric)?.draws)
            }
            var sum = (0..<500).map { d in draws.reduce(0) { $0 + $1[d] } }
            #expect(all.probability == MonteCarlo.probability(sum, atLeast: all.target))
            #expect(all.quantiles == MonteCarloQuantiles.compute(&sum, levels: [0.1, 0.5, 0.9]))
            #expect(c.view.level(of: all) == .national && c.view.level(of: parts[0]) == .kanwil)
        }
        // The issued 760,000 split by equal stretch: whole shares summing to it, one P(tercapai).
        let a = try #require(c.view.allocations.first)
        #expect(a.units.map(\.allocated).reduce(0, +) == 760_000 && a.unitLevel == .kanwil)
        let reach = a.units.compactMap(\.reach)
        #expect(reach.count == 3 && reach.max()! - reach.min()! <= 2.0 / 500, "\(reach)")
        // A workbook sheet per tier: the nation's rows, then the Kanwil's TOTAL rows.
        let sheets = LevelSheets.sheets(c.view, words: Words(indonesian: true))
        #expect(sheets.map(\.name) == ["Nasional", "Kanwil"] && sheets.map(\.cells.count) == [2, 6], "\(sheets.map(\.name))")
        // The nation's monthly band: December's is the summed year-ends' (the same draws).
        let total = try #require(c.merged.monteCarlo?.total)
        let k = try #require(total.months.firstIndex(of: Month(year: 2018, month: 12)))
        var yearEnds = (0..<500).map { d in c.units.reduce(0) { $0 + $1.monteCarlo!.regions[0].planYear(.active)![d] } }
        #expect(total.active.values.map { $0[k] } == MonteCarloQuantiles.compute(&yearEnds, levels: [0.1, 0.5, 0.9]))
    }

    /// The files no output folder may hold: the national file and each Kanwil's file and history.
    @Test func theKanwilHistoriesAreInputs() throws {
        let doc = try #require(try NationalJob.read(path: Self.national, overrides: []))
        let inputs = NationalJob.inputs(doc).map { URL(fileURLWithPath: $0).lastPathComponent }
        #expect(inputs == ["nasional.yaml", "barat.yaml", "barat-history.csv", "tengah.yaml", "tengah-history.csv", "timur.yaml", "timur-history.csv"], "\(inputs)")
    }

    /// What a national file may not say, and Kanwil files that cannot be run together, each refused
    /// at its line.
    @Test func whatANationalFileMayNotSay() throws {
        let kanwil = try String(contentsOf: Self.fixture.appendingPathComponent("barat.yaml"), encoding: .utf8)
        let history = try String(contentsOf: Self.fixture.appendingPathComponent("barat-history.csv"), encoding: .utf8)
        let timur = kanwil.replacingOccurrences(of: "region: Barat", with: "region: Timur").replacingOccurrences(of: "history: barat-history.csv", with: "history: timur-history.csv")
        // A Kanwil planned to November only (its own plan year then ends at its horizon: none stated).
        let short = timur.replacingOccurrences(of: "horizon: 2018-12", with: "horizon: 2018-11").replacingOccurrences(of: "targets:\n  plan_year: 2018\n", with: "")
        let files = [
            "barat.yaml": kanwil, "barat-history.csv": history,
            "timur.yaml": timur, "timur-history.csv": history.replacingOccurrences(of: ",Barat,", with: ",Timur,"),
            "early.yaml": timur.replacingOccurrences(of: "actuals_until: 2018-06", with: "actuals_until: 2018-05"),
            "twin.yaml": kanwil, "short.yaml": short, "inner.yaml": "name: inner\nincludes: [barat.yaml, timur.yaml]\n",
        ]
        let head = "name: n\nincludes: [barat.yaml, "
        for (text, expected) in [
            (head + "timur.yaml]\nregion: X\n", "n.yaml:3:1: region: not allowed with includes: each Kanwil file gives its own regions, history, segments and levers"),
            ("name: n\nincludes: [barat.yaml]\n", "n.yaml:2:11: includes: a national plan brings together at least two Kanwil files, got 1"),
            (head + "twin.yaml]\n", "n.yaml:2:24: includes: DIR/twin.yaml and DIR/barat.yaml plan the same Kanwil, Barat"),
            (head + "early.yaml]\n", "n.yaml:2:24: includes: DIR/early.yaml has actuals until 2018-05, DIR/barat.yaml until 2018-06; give every Kanwil file the same actuals_until"),
            (head + "missing.yaml]\n", "n.yaml:2:24: includes: no such file 'DIR/missing.yaml' (the path is relative to the national file)"),
            (head + "short.yaml]\n", "n.yaml:2:24: includes: DIR/short.yaml ends at horizon 2018-11, before December of the plan year 2018; extend its horizon or state targets.plan_year"),
            (head + "inner.yaml]\n", "n.yaml:2:24: includes: DIR/inner.yaml is a national file itself (includes:); name Kanwil files"),
            (head + "timur.yaml]\nuncertainty: {draws: 50, assumptions: {}}\n", "n.yaml:3:26: uncertainty.assumptions: not allowed in a national file: each Kanwil file states its own (here: draws, seed, quantiles, national_correlation)"),
            (head + "timur.yaml]\ntargets: {rule_growth: [0.1]}\n", "n.yaml:3:11: targets.rule_growth: not allowed in a national file: each Kanwil file states its own (here: plan_year, confidence, issued, allocation)"),
        ] {
            let dir = ScenarioTempDir().write(files.merging(["n.yaml": text]) { a, _ in a })
            do {
                let doc = try #require(try NationalJob.read(path: dir.file("n.yaml"), overrides: []))
                _ = try NationalJob.compute(doc, settings: RunJob.Settings(draws: 50, seed: 1))
                Issue.record("expected an error: \(expected)")
            } catch {
                #expect(String(describing: error).replacingOccurrences(of: dir.path, with: "DIR").hasSuffix(expected), "\(error)")
            }
        }
        // Kanwil with different horizons: the nation's monthly band over their common months; a
        // Kanwil whose horizon ends before the plan year's December is refused.
        let long = timur.replacingOccurrences(of: "horizon: 2018-12", with: "horizon: 2019-12")
        let dir = ScenarioTempDir().write(files.merging(["long.yaml": long, "n.yaml": head + "long.yaml]\nuncertainty: {draws: 50}\n", "late.yaml": head + "long.yaml]\ntargets: {plan_year: 2019}\n"]) { a, _ in a })
        let doc = try #require(try NationalJob.read(path: dir.file("n.yaml"), overrides: []))
        let c = try NationalJob.compute(doc, settings: RunJob.Settings(draws: 50, seed: 1))
        #expect(c.merged.monteCarlo?.total?.months.last == Month(year: 2018, month: 12))
        do {
            _ = try NationalJob.compute(try #require(try NationalJob.read(path: dir.file("late.yaml"), overrides: [])), settings: RunJob.Settings(draws: 50, seed: 1))
            Issue.record("a plan year past a Kanwil's horizon was run")
        } catch {
            // The Kanwil that ends too early is named at its line.
            #expect(String(describing: error).replacingOccurrences(of: dir.path, with: "DIR").hasSuffix(
                "late.yaml:2:12: includes: DIR/barat.yaml ends at horizon 2018-12, before December of the plan year 2019; extend its horizon or state targets.plan_year"), "\(error)")
        }
        // A Kanwil file's own plan year gives way to the nation's, said; `rkat validate` checks every
        // Kanwil of a national file without simulating; an issued indicator a Kanwil does not plan is
        // refused at its key.
        let later = kanwil.replacingOccurrences(of: "plan_year: 2018", with: "plan_year: 2019").replacingOccurrences(of: "horizon: 2018-12", with: "horizon: 2019-12")
        let other = ScenarioTempDir().write(files.merging([
            "later.yaml": later, "n.yaml": "name: n\nincludes: [later.yaml, timur.yaml]\ntargets: {plan_year: 2018}\n",
            "iuran.yaml": "name: n\nincludes: [barat.yaml, timur.yaml]\nuncertainty: {draws: 20}\ntargets:\n  issued: {iuran: 5000000000}\n  allocation: proportional\n",
        ]) { a, _ in a })
        let validated = try RunJob.validate(scenarioPath: other.file("n.yaml"))
        #expect(validated.document.scenario.regions.map(\.name) == ["Barat", "Timur"] && validated.calibrations.count == 4)
        #expect(validated.warnings.contains { $0.english.hasSuffix("later.yaml: the Kanwil file's targets.plan_year 2019 gives way to the national plan year 2018") }, "\(validated.warnings.map(\.english))")
        do {
            _ = try NationalJob.compute(try #require(try NationalJob.read(path: other.file("iuran.yaml"), overrides: [])), settings: RunJob.Settings(draws: 20, seed: 1))
            Issue.record("an unplanned issued indicator was split")
        } catch {
            #expect(String(describing: error).hasSuffix("iuran.yaml:5:12: targets.issued.iuran: Kanwil Barat does not plan iuran"), "\(error)")
        }
        // Other commands read one Kanwil's file.
        do {
            _ = try ScenarioReader.read(path: Self.national)
            Issue.record("a national file read as a scenario")
        } catch {
            #expect(error.description.hasSuffix("includes: a national file (Kanwil files run together) is run with rkat run; this command reads one Kanwil's file"), "\(error.description)")
        }
    }
}

/// A command's extra sheet never shares a name with the workbook's own (libxlsxwriter refuses a
/// second sheet of one name: that trapped with region_level branch, whose tier sheet was "Cabang").
@Suite struct WorkbookSheetNameTests {
    @Test func anExtraSheetNamedLikeTheBranchesSheetIsRenamed() throws {
        let c = try NationalJobTests.computed(draws: 50)
        let words = Words(indonesian: true)
        let extra = ExtraSheet(name: words.forTargets(c.view).branchesSheet, header: ["a"], cells: [[.text("x")]], numeric: [], wrapColumn: nil, labelColumns: 1)
        let data = try TargetsWorkbook.data(c.view, segments: ["PU", "JAKON"], provenance: [], words: words, extra: [extra, extra])
        let dir = ScenarioTempDir()
        let path = dir.path + "/t.xlsx"
        try data.write(to: URL(fileURLWithPath: path))
        let names = try Workbook.open(path: path).sheets.map(\.name)
        #expect(Set(names).count == names.count && names.contains("Cabang (2)") && names.contains("Cabang (3)"), "\(names)")
    }
}

/// The report's line of the regions' common share says its value and where it comes from.
@Suite struct ReportNationalShareTests {
    @Test func theShareSaysWhereItComesFrom() throws {
        var cal = try #require(try NationalJobTests.computed(draws: 20).units[0].calibrations.first)
        cal.national = nil
        let x = Words(indonesian: false)
        #expect(ReportWriter.national([cal], words: x).isEmpty)
        cal.national = SegmentCorrelation.national(stated: nil, estimate: nil)
        #expect(ReportWriter.national([cal], words: x).first?.1 == "not measured: uniform 0.0%–80.0% a draw")
        cal.national = SegmentCorrelation.national(stated: 0.3...0.3, estimate: nil)
        #expect(ReportWriter.national([cal], words: x).first?.1 == "stated: 30.0%")
        cal.national = SegmentCorrelation(rho: 0.425, range: nil, source: "estimated from …")
        #expect(ReportWriter.national([cal], words: x).first?.1 == "estimated from the monthly history: 42.5%")
    }
}
