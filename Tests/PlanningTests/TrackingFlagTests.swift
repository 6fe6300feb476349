import Testing

@testable import Planning

/// A tracked target's P(reach) flags (docs/tracking.md), from year-end draws written by hand: P(reach)
/// counts the draws at or above the target; under 50% is flagged, under 20% (not at it) more so.
@Suite struct TrackingFlagTests {
    typealias O = RuleOracleTests

    /// PU's year-end stock in ten draws, 5,995 … 6,004, tracked at December 2017 (nothing realised yet).
    static func flags(target: Double) throws -> [Tracking.Flag] {
        var (s, h) = IuranRevenueTests.heldStock(draws: 0, seed: 1)
        let (_, _, view) = try IuranRevenueTests.run(s, h)
        let draws = (0..<10).map { 5_995 + Double($0) }
        s.uncertainty.draws = draws.count
        let cell = MonteCarlo.Cell(
            region: O.region, segment: "PU", months: [], active: nil, acquisitions: MonteCarlo.Band(values: []), coverage: nil,
            planYearDraws: [.active: draws], rejectedParameterDraws: 0)
        let mc = MonteCarlo.Result(options: MonteCarlo.Options(s.uncertainty, planYear: 2018), cells: [cell], regions: [])
        let plan = ApprovedPlan(scenario: "t", year: 2018, targets: [
            .init(region: O.region, segment: "PU", metric: .active, annual: target, months: (1...12).map { $0 == 12 ? target : nil })
        ])
        let row = try #require(Tracking.table(plan: plan, scenario: s, history: h, view: view, monteCarlo: mc, window: 3).first)
        return row.flags
    }

    /// 6,003 is reached by 6,003 and 6,004: P = 2/10 = 20%, below 50% but not below 20%; 6,004 by one
    /// draw (10%): below 20%; 5,999 by six (60%) and 6,000 by five (50%, at the line, not under it):
    /// no flag.
    @Test func aReachOfExactlyOneDrawInFiveIsBelowFiftyNotBelowTwenty() throws {
        #expect(try Self.flags(target: 6_003) == [.reachBelow50])
        #expect(try Self.flags(target: 6_004) == [.reachBelow20])
        #expect(try Self.flags(target: 5_999) == [])
        // 6,000 by five (6,000 … 6,004): P = 50%, not under 50%: no flag.
        #expect(try Self.flags(target: 6_000) == [])
    }
}
