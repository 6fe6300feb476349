import Foundation
import Testing

@testable import PlanIO
@testable import Planning

/// `rkat explain` (docs/explain.md) on constructed pairs of plan versions: the issue's hand oracles.
@Suite struct ExplainJobTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let sumbagut = root.appendingPathComponent("scenarios/sumbagut-2018.yaml").path
    static let midyear = root.appendingPathComponent("Tests/Fixtures/midyear-2018/scenario.yaml").path

    /// A scratch folder with NEW written as a child of `parent` (absolute path) plus `yaml`.
    static func version(_ parent: String, _ yaml: String, name: String = "new.yaml") throws -> String {
        let dir = ScratchFolder.make("explain")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        try ("extends: \(parent)\n" + yaml).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The target of (segment, metric, basis) in a run of `path` with `overrides`.
    static func target(_ path: String, _ overrides: [String], _ settings: RunJob.Settings, _ row: ExplainJob.Row) throws -> Double {
        let c = try RunJob.compute(scenarioPath: path, overrides: overrides, settings: settings, fullOutputs: false)
        return try #require(c.view.targets.first { $0.region == row.region && $0.segment == row.segment && $0.metric == row.metric && $0.basis.code == row.basis }).target
    }

    /// One lever differs: it takes the whole change of every target, to the person.
    @Test func oneLeverTakesTheWholeChange() throws {
        let new = try Self.version(Self.sumbagut, "levers:\n  outreach: {intensity: 1.25}\n")
        let r = try ExplainJob.explain(old: Self.sumbagut, new: new, settings: RunJob.Settings(draws: 300, seed: 1))
        #expect(r.groups.map(\.code) == ["lever:outreach"] && r.runs == 2)
        for row in r.rows {
            #expect(row.whole == [Int(row.change)] && row.shares[0] == row.change, "\(row.segment) \(row.metric)")
            if let ps = row.pShares { #expect(abs(ps[0] - (row.pNew! - row.pOld!)) < 1e-12) }
        }
        #expect(r.rows.contains { $0.change != 0 })
    }

    /// Two levers on different segments (deterministic): each share is what switching that lever alone
    /// does, read from its own rkat run --set.
    @Test func twoIndependentLeversGetTheirOwnEffects() throws {
        let new = try Self.version(Self.sumbagut, """
            levers:
              outreach: {intensity: 1.3, segments: [PU]}
              villages: {segment: BPU, villages_per_year: 40, acquisitions_per_village: 660}
            """)
        let settings = RunJob.Settings(draws: 0)
        let r = try ExplainJob.explain(old: Self.sumbagut, new: new, settings: settings)
        #expect(r.groups.map(\.code) == ["lever:outreach", "lever:villages"] && r.runs == 4)
        let outreach = "levers.outreach={intensity: 1.3, segments: [PU]}", villages = "levers.villages={segment: BPU, villages_per_year: 40, acquisitions_per_village: 660}"
        var checked = 0
        for row in r.rows where row.segment != "TOTAL" {
            let v0 = try Self.target(Self.sumbagut, [], settings, row)
            let a = try Self.target(Self.sumbagut, [outreach], settings, row) - v0
            let b = try Self.target(Self.sumbagut, [villages], settings, row) - v0
            #expect(row.shares == [a, b], "\(row.segment) \(row.metric) \(row.basis)")
            checked += 1
        }
        #expect(checked >= 8)
        // A total of the two segments: additive too, each lever its own effect.
        let total = try #require(r.rows.first { $0.segment == "TOTAL" && $0.metric == .active })
        #expect(total.shares[0] > 0 && total.shares[1] > 0 && total.whole.reduce(0, +) == Int(total.change))
    }

    /// An interaction (the lever and the confidence the projection target is read at): each group gets
    /// its own effect and half the interaction, by hand from the four runs.
    @Test func anInteractionIsSplitInHalvesByHand() throws {
        let new = try Self.version(Self.sumbagut, "levers:\n  outreach: {intensity: 1.2}\ntargets: {plan_year: 2018, confidence: 0.7, rule_growth: [0.2, 0.3]}\n")
        let settings = RunJob.Settings(draws: 400, seed: 3)
        let r = try ExplainJob.explain(old: Self.sumbagut, new: new, settings: settings)
        #expect(r.groups.map(\.code) == ["lever:outreach", "target_rules"])
        let lever = "levers.outreach.intensity=1.2", rules = "targets.confidence=0.7"
        var interactions = 0
        for row in r.rows where row.basis == "projection" {
            let v0 = try Self.target(Self.sumbagut, [], settings, row), v1 = try Self.target(Self.sumbagut, [lever], settings, row)
            let v2 = try Self.target(Self.sumbagut, [rules], settings, row), v12 = try Self.target(Self.sumbagut, [lever, rules], settings, row)
            let half = (v12 - v1 - v2 + v0) / 2
            #expect(row.shares == [v1 - v0 + half, v2 - v0 + half], "\(row.segment) \(row.metric)")
            #expect(row.whole.reduce(0, +) == Int(row.change) && row.old == v0 && row.new == v12)
            if half != 0 { interactions += 1 }
        }
        #expect(interactions > 0)
    }

    /// New realised months (actuals_until moved, the same history) and a revised figure (another
    /// history file): each its own group, the shares adding up to the change of every target.
    @Test func newMonthsAndRevisedFiguresAreGroupsOfTheirOwn() throws {
        let fixture = Self.root.appendingPathComponent("Tests/Fixtures/midyear-2018")
        let dir = ScratchFolder.make("explain")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        // OLD: actuals to 2018-05 on the history as it was then, one May figure 2% lower.
        var lines = try String(contentsOf: fixture.appendingPathComponent("history.csv"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        let (date, metric, value) = (header.firstIndex(of: "date")!, header.firstIndex(of: "metric")!, header.firstIndex(of: "value")!)
        let i = try #require(lines.firstIndex { $0.split(separator: ",").count > value && $0.split(separator: ",")[date] == "2018-05" && $0.split(separator: ",")[metric] == "active" })
        var cells = lines[i].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        cells[value] = String(Int((Double(cells[value])! * 0.98).rounded()))
        lines[i] = cells.joined(separator: ",")
        try lines.joined(separator: "\n").write(to: dir.appendingPathComponent("old-history.csv"), atomically: true, encoding: .utf8)
        let old = dir.appendingPathComponent("old.yaml").path
        try "extends: \(Self.midyear)\nactuals_until: 2018-05\nhistory: old-history.csv\n".write(toFile: old, atomically: true, encoding: .utf8)
        let r = try ExplainJob.explain(old: old, new: Self.midyear, settings: RunJob.Settings(draws: 200, seed: 5))
        #expect(r.groups.map(\.code) == ["new_months", "history_revisions"])
        #expect(!r.rows.isEmpty)
        for row in r.rows {
            #expect(abs(row.shares.reduce(0, +) - row.change) < 1e-6 && row.whole.reduce(0, +) == Int(row.change), "\(row.segment) \(row.metric)")
        }
        #expect(r.rows.contains { $0.shares[1] != 0 })
    }

    /// A targets.json rkat wrote names its scenario while the files are those it was made from; an
    /// edited file is refused with both hashes.
    @Test func aTargetsJSONNamesItsScenarioWhileItsFilesAreUnchanged() throws {
        let new = try Self.version(Self.sumbagut, "levers:\n  outreach: {intensity: 1.25}\n")
        let dir = URL(fileURLWithPath: new).deletingLastPathComponent()
        let c = try RunJob.compute(scenarioPath: new, settings: RunJob.Settings(draws: 0), fullOutputs: false)
        let json = dir.appendingPathComponent("targets.json").path
        try RunJob.targetsJSON(c).write(toFile: json, atomically: true, encoding: .utf8)
        #expect(try ExplainJob.scenario(of: json) == new)
        let r = try ExplainJob.explain(old: Self.sumbagut, new: json, settings: RunJob.Settings(draws: 0))
        #expect(r.groups.map(\.code) == ["lever:outreach"])
        try "extends: \(Self.sumbagut)\nlevers:\n  outreach: {intensity: 1.3}\n".write(toFile: new, atomically: true, encoding: .utf8)
        do {
            _ = try ExplainJob.scenario(of: json)
            Issue.record("an edited scenario accepted")
        } catch {
            #expect(error.message.contains("has changed since this targets.json was written (sha256 "), "\(error.message)")
        }
    }

    /// Nine groups differ: the two with the smallest effect alone are merged into one, said, and the
    /// shares still add up to every change (1 + 9 + 2^8 runs).
    @Test func moreThanEightGroupsMergeTheSmallest() throws {
        let new = try Self.version(Self.sumbagut, """
            segments:
              PU: {lapse_rate_per_year: 0.6}
            levers:
              outreach: {intensity: 1.1}
              honorary: {pool: 20000, segment: PU, ramp: [{month: 2018-03, share: 0.5}], already_enrolled: 0}
              villages: {segment: BPU, villages_per_year: 20, acquisitions_per_village: 660}
              budget_cohorts: {segment: BPU, persons: 3000, enrolled_at_start: 0}
              reactivation: {segment: BPU, share_per_year: 0.1, pool: 1000}
            uncertainty:
              assumptions:
                lapse_rate_factor: {distribution: lognormal, median: 1.05, sigma: 0.2}
            potential: {total: 7_000_000}
            targets: {plan_year: 2018, confidence: 0.55, rule_growth: [0.2, 0.3]}
            """)
        let r = try ExplainJob.explain(old: Self.sumbagut, new: new, settings: RunJob.Settings(draws: 0))
        #expect(r.groups.count == ExplainJob.maxGroups && r.groups.last?.code == "merged" && r.groups.last?.members.count == 2)
        #expect(r.runs == 1 + 1 + 9 + 255, "\(r.runs)")
        #expect(r.notes.contains { $0.english.hasPrefix("9 groups differ; those with the smallest effect alone are merged: ") }, "\(r.notes)")
        for row in r.rows { #expect(row.whole.reduce(0, +) == Int(row.change) && abs(row.shares.reduce(0, +) - row.change) <= 1e-9 * max(1, abs(row.new))) }
        // By hand: without draws the confidence moves no target (every target is the deterministic
        // path), so the target rules are among the two merged.
        #expect(r.groups.last!.members.map(\.code).contains("target_rules"), "\(r.groups.last!.members.map(\.code))")
    }

    /// A targets.json names its scenario as the run was given it (relative to where it ran): found from
    /// the folders above the targets.json (outputs/<stem>/targets.json beside scenarios/).
    @Test func aTargetsJSONFindsItsRelativeScenarioFromItsFolder() throws {
        let dir = ScratchFolder.make("explain")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("scenarios"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("outputs/v2"), withIntermediateDirectories: true)
        let scenario = dir.appendingPathComponent("scenarios/v2.yaml")
        try "extends: \(Self.sumbagut)\nlevers:\n  outreach: {intensity: 1.25}\n".write(to: scenario, atomically: true, encoding: .utf8)
        let history = Self.root.appendingPathComponent("data/sumbagut-2018-history.csv").path
        func sha(_ p: String) -> String { SHA256.hex([UInt8](FileManager.default.contents(atPath: p)!)) }
        let json = dir.appendingPathComponent("outputs/v2/targets.json").path
        try """
            {"scenario_files": [{"path": "scenarios/v2.yaml", "sha256": "\(sha(scenario.path))"}], "history": {"path": "\(history)", "sha256": "\(sha(history))"}}
            """.write(toFile: json, atomically: true, encoding: .utf8)
        #expect(try ExplainJob.scenario(of: json) == scenario.path)
    }

    /// Switching the rescaling by past errors on is a change of the assumptions group (not "nothing").
    @Test func theRescalingSwitchIsAnAssumption() throws {
        let on = try Self.version(Self.sumbagut, "uncertainty: {rescaling: true}\n")
        let r = try ExplainJob.explain(old: Self.sumbagut, new: on, settings: RunJob.Settings(draws: 0))
        #expect(r.groups.map(\.code) == ["assumptions"])
    }

    @Test func twoVersionsThatDoNotDifferAreRefused() throws {
        let same = try Self.version(Self.sumbagut, "name: the same plan, renamed\n")
        #expect(throws: InputError.self) { try ExplainJob.explain(old: Self.sumbagut, new: same, settings: RunJob.Settings(draws: 0)) }
    }
}
