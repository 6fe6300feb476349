import Foundation
import Testing

@testable import PlanIO
@testable import Planning

/// Issue 34, `targets.issued` on Sumbagut 2025's two provinces: whole shares summing to the issued
/// figure, every unit at one P(tercapai), and the total's P(tercapai) from the joint draws checked
/// against ALL's own outcome (`Targets.outcome`, the regions' TOTALs summed draw by draw).
@Suite struct AllocationJobTests {
    static let scenario = ExplainJobTests.root.appendingPathComponent("scenarios/sumbagut-2025.yaml").path

    @Test func anIssuedTargetSplitsOverTheRegions() throws {
        let c = try RunJob.compute(scenarioPath: Self.scenario, overrides: ["targets.issued={active: 3300000}"], settings: RunJob.Settings(draws: 2000, seed: 7, threads: 1))
        let a = try #require(c.view.allocations.first)
        #expect(c.view.allocations.count == 1 && a.metric == .active && a.rule == .equalStretch)
        #expect(a.units.map(\.region) == ["Sumut", "Aceh"] && a.units.map(\.allocated).reduce(0, +) == 3_300_000)
        // One level for every unit: their P(tercapai) apart by at most a draw or two (the rounding to a person).
        let reaches = a.units.compactMap(\.reach)
        #expect(reaches.count == 2 && abs(reaches[0] - reaches[1]) <= 2.0 / 2000)
        let all = try #require(Targets.outcome(
            c.checked.document.scenario, history: c.checked.history.history, projection: c.projection, monteCarlo: c.monteCarlo, planYear: 2025,
            region: Targets.allRegions, segment: History.totalSegment, metric: .active))
        #expect(a.totalReach == all.probability(atLeast: 3_300_000))
        // The proposals' sum is ALL's own target: its P(tercapai) is ALL's row's.
        let allRow = try #require(c.view.targets.first { $0.region == Targets.allRegions && $0.metric == .active })
        #expect(a.proposalSum == allRow.target && a.proposalSumReach == allRow.probability)
        // The proposal is each province's projection target (its TOTAL row).
        for u in a.units {
            let row = c.view.targets.first { $0.region == u.region && $0.segment == History.totalSegment && $0.metric == .active && $0.basis == .projection }
            #expect(row?.target == u.proposal)
        }
        let csv = AllocationWriters.csv(c.view.allocations)
        let lines = csv.split(whereSeparator: \.isNewline)
        #expect(lines[0] == "level,region,metric,rule,proposal,p_reach_proposal,allocated,p_reach_allocated,gap,stretch,common_p_reach,bound")
        // Without branches nothing is said of them; with, that their targets split the share, and how.
        #expect(a.unitsWithBranches.isEmpty && !AllocationWriters.noteParts(a, Words(indonesian: false)).contains { $0.contains("branch") })
        var withBranches = a
        withBranches.unitsWithBranches = ["Sumut"]
        #expect(AllocationWriters.noteParts(withBranches, Words(indonesian: false)).last
            == "the branch targets of Sumut split their region's share of this allocation, not its proposal, by the branch rule (potential_share; the coverage gap for active members where every branch states its members; a branch's own projection where it has a history; with equal_stretch and a history for every branch, one stretch of their own draws)")
        // The scenario's regions are provinces (region_level), their total the Kanwil's.
        #expect(lines[1].hasPrefix("kanwil,ALL,active,equal_stretch,") && lines[2].hasPrefix("province,") && lines.count == 4)
        // targets.csv and .json carry the same tiers, and the plan's format version.
        let targets = TargetsWriter.csv(c.view).split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        #expect(targets[0].last == "level")
        #expect(Set(targets.dropFirst().map { "\($0[0]) \($0.last!)" }) == ["Sumut province", "Aceh province", "ALL kanwil"])
        let json = try JSONSerialization.jsonObject(with: Data(TargetsText.json(c.view, scenarioFiles: [], history: ("h", "0")).utf8)) as! [String: Any]
        #expect(json["schema_version"] as? Int == 2)
        #expect(Set((json["targets"] as! [[String: Any]]).map { "\($0["region"]!) \($0["level"]!)" }) == ["Sumut province", "Aceh province", "ALL kanwil"])
    }

    @Test func anIssuedTargetNeedsRegionsAndDrawsForEqualStretch() {
        #expect(ScenarioFixtures.scenarioError(["s.yaml": ScenarioFixtures.minimalScenario + "targets: {issued: {acquisitions: 1000}, allocation: proportional}\n", "h.csv": ScenarioFixtures.historyCSV])?
            .contains("targets.issued: an issued target is split over the scenario's regions; this scenario has one") == true)
        do {
            _ = try RunJob.compute(scenarioPath: Self.scenario, overrides: ["targets.issued={active: 3300000}"], settings: RunJob.Settings(draws: 0, seed: 7, threads: 1))
            Issue.record("expected an error")
        } catch {
            #expect(error.message == "--draws 0: targets.allocation equal_stretch needs draws; or choose proportional or coverage_gap")
        }
        // An indicator the scenario does not plan is said at its key, not dropped.
        do {
            _ = try ScenarioReader.read(path: Self.scenario, overrides: ["targets.issued={active: 3300000, iuran: 1000000000}"])
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "--set:1:41: targets.issued.iuran: the scenario does not plan iuran (no segment states its iuran)", "\(error.description)")
        }
        let c = try? RunJob.compute(scenarioPath: Self.scenario, overrides: ["targets.issued={active: 3300000}", "targets.allocation=proportional"], settings: RunJob.Settings(draws: 0, seed: 7, threads: 1))
        #expect(c?.view.allocations.first?.units.map(\.allocated).reduce(0, +) == 3_300_000)
        #expect(c?.view.allocations.first?.totalReach == nil)
    }
}
