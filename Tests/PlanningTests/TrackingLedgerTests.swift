import Testing

@testable import Planning

/// Tracking's year to date (docs/tracking.md): months neither planned nor realised are outside the
/// year's figures; a planned month without its realisation is a gap, never a zero.
@Suite struct TrackingLedgerTests {
    typealias O = RuleOracleTests

    /// A plan that starts in August (targets 100 a month, 500 in all), realised 90 in August and 110
    /// in September, tracked at September: to date 200 of 200 (capaian 100%), needed (500 − 200) / 3 =
    /// 100 a month. With September's figure missing, the year to date and the run rate are unknown.
    @Test func aPlanYearStartingMidYearHasAYearToDate() throws {
        var (s, h) = IuranRevenueTests.flat()
        s.segments[0].iuran = nil
        s.actualsUntil = O.month(2018, 9)
        h.observations.append(.init(month: O.month(2018, 8), region: O.region, segment: "PU", metric: .acquisitions, value: 90))
        h.observations.append(.init(month: O.month(2018, 9), region: O.region, segment: "PU", metric: .acquisitions, value: 110))
        s.uncertainty.draws = 0
        let plan = ApprovedPlan(scenario: "t", year: 2018, targets: [
            .init(region: O.region, segment: "PU", metric: .acquisitions, annual: 500, months: (1...12).map { $0 >= 8 ? 100 : nil })
        ])
        let (projection, _, view) = try IuranRevenueTests.run(s, h)
        _ = projection
        let row = Tracking.table(plan: plan, scenario: s, history: h, view: view, monteCarlo: nil, window: 3)[0]
        let september = row.months[8]
        #expect(september.targetToDate == 200 && september.realisedToDate == 200 && september.capaianToDate == 1)
        #expect(row.neededRunRate == 100)
        // September missing: no year to date, no run rate (not 500 / 3).
        let gap = History(observations: h.observations.filter { !($0.metric == .acquisitions && $0.month == O.month(2018, 9)) })
        let (_, _, v2) = try IuranRevenueTests.run(s, gap)
        let row2 = Tracking.table(plan: plan, scenario: s, history: gap, view: v2, monteCarlo: nil, window: 3)[0]
        #expect(row2.months[8].realisedToDate == nil && row2.neededRunRate == nil)
    }

    /// 'Behind the target to date' means below it: August–September realised 90 + 110 = 200 against
    /// 100 + 100 = 200 planned is on target (gap 0, not flagged); 90 + 109 = 199 is a person behind.
    @Test func aTargetMetExactlyToDateIsNotBehind() throws {
        var (s, h) = IuranRevenueTests.flat()
        s.segments[0].iuran = nil
        s.actualsUntil = O.month(2018, 9)
        s.uncertainty.draws = 0
        let plan = ApprovedPlan(scenario: "t", year: 2018, targets: [
            .init(region: O.region, segment: "PU", metric: .acquisitions, annual: 500, months: (1...12).map { $0 >= 8 ? 100 : nil })
        ])
        for (september, gap, behind) in [(110.0, 0.0, false), (109, -1, true)] as [(Double, Double, Bool)] {
            var hs = h
            hs.observations.append(.init(month: O.month(2018, 8), region: O.region, segment: "PU", metric: .acquisitions, value: 90))
            hs.observations.append(.init(month: O.month(2018, 9), region: O.region, segment: "PU", metric: .acquisitions, value: september))
            let (_, _, view) = try IuranRevenueTests.run(s, hs)
            let row = try #require(Tracking.table(plan: plan, scenario: s, history: hs, view: view, monteCarlo: nil, window: 3).first)
            #expect(row.months[8].gap == gap)
            #expect(row.flags.contains(.behindToDate) == behind, "September \(september): \(row.flags)")
        }
    }
}
