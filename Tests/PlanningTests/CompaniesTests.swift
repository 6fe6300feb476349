import Testing

@testable import Planning

/// Company segments (issue 21, badan usaha): projected like any segment, in companies, with targets
/// of their own, never summed with persons into a region's TOTAL; workers per company against their
/// workers segment.
@Suite struct CompaniesTests {
    typealias O = RuleOracleTests

    /// PU held at 6,000 members and BU held at 500 companies (no acquisitions, no lapses), BU with a
    /// potential of its own (2,000 companies).
    static func scenario(draws: Int = 200) -> (Scenario, History) {
        var (s, h) = IuranRevenueTests.heldStock(draws: draws, seed: 3)
        var bu = SegmentPlan(name: "BU", lapseRatePerYear: 0)
        bu.acquisitionsPerMonth = 0
        bu.unit = .companies
        bu.workersSegment = "PU"
        bu.potential = PotentialSpec(total: 2_000, basis: "test", asOf: O.dec2017, split: .shares([:]))
        s.segments.append(bu)
        h.observations.append(.init(month: O.dec2017, region: O.region, segment: "BU", metric: .active, value: 500))
        return (s, h)
    }

    /// The region's TOTAL is PU alone (6,000, not 6,500), in the targets, their phasing, the joint
    /// draws and the plan-year figures; BU has its own targets (500 companies, coverage 500 / 2,000)
    /// and workers per company 6,000 / 500 = 12, realised 12 at Dec 2017.
    @Test func companiesHaveTargetsButStayOutOfTheTotal() throws {
        let (s, h) = Self.scenario()
        let (_, mc, view) = try IuranRevenueTests.run(s, h)
        let bu = view.targets.first { $0.segment == "BU" && $0.metric == .active }!
        #expect(bu.target == 500 && bu.unit == .companies && bu.unitCode == "companies" && bu.coverage == 0.25)
        #expect(bu.workersPerCompany == 12 && bu.realisedWorkersPerCompany?.value == 12 && bu.realisedWorkersPerCompany?.month == O.dec2017)
        let total = view.targets.first { $0.segment == History.totalSegment && $0.metric == .active }!
        #expect(total.target == 6_000 && total.unit == .persons)
        #expect(mc!.regions[0].planYear(.active)!.allSatisfy { abs($0 - 6_000) < 0.5 })
        #expect(view.figures.first { $0.segment == History.totalSegment }!.yearEndActive == 6_000)
        #expect(view.figures.first { $0.segment == "BU" }!.yearEndActive == 500)
        #expect(view.phased(bu)!.months.last!.value == 500)
    }

    /// Branches split persons (and iuran), not companies: the branch TOTAL is PU's target.
    @Test func branchesSplitPersonsOnly() throws {
        var (s, h) = Self.scenario()
        s.regions[0].branches = [BranchPlan(name: "KC A", potentialShare: 0.6), BranchPlan(name: "KC B", potentialShare: 0.4)]
        let (_, _, view) = try IuranRevenueTests.run(s, h)
        #expect(!view.branches.contains { $0.segment == "BU" })
        let totals = view.branches.filter { $0.segment == History.totalSegment && $0.metric == .active }.map(\.target)
        #expect(totals.reduce(0, +) == 6_000)
    }
}
