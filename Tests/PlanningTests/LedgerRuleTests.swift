import Foundation
import Testing

@testable import Planning

/// Rules an independent mutation run found untested (issue 28): each with a hand-computed oracle.
@Suite struct LedgerRuleTests {
    typealias O = RuleOracleTests

    /// Stock month targets are whole persons rounded to the nearest (not down), and December is the
    /// target itself. A held stock of 6,000 bent to a target of 6,101: by hand the months are
    /// 6,000 + 101·k/12, i.e. 6,008.42, 6,016.83, 6,025.25, …: rounded to nearest 6,008, 6,017, 6,025, ….
    @Test func stockMonthTargetsRoundToNearestAndEndOnTheTarget() throws {
        var (s, h) = IuranRevenueTests.heldStock(draws: 0, seed: 7)
        s.segments[0].iuran = nil
        let (_, _, view) = try IuranRevenueTests.run(s, h)
        var phased = try #require(view.phasing.first { $0.row.segment == "PU" && $0.row.metric == .active })
        #expect(phased.row.target == 6_000)
        // The held stock's median path is flat, so Phasing spreads the rise evenly: bend it to 6,101.
        let months = Phasing.stock(start: 6_000, median: Array(repeating: 6_000, count: 12), target: 6_101)
        let byHand = (1...12).map { 6_000 + 101 * Double($0) / 12 }
        for k in 0..<12 { #expect(abs(months[k] - byHand[k]) < 1e-9) }
        // The view's rule on those months: nearest whole person, December the target.
        phased.row.target = 6_101
        let rounded = PlanYearView.wholeStockMonths(months)
        #expect(rounded == [6_008, 6_017, 6_025, 6_034, 6_042, 6_051, 6_059, 6_067, 6_076, 6_084, 6_093, 6_101])
        // And in a built view: a held stock at 6,000 whose target is its own path gives 6,000 each month.
        #expect(view.phasing.first { $0.row.segment == "PU" && $0.row.metric == .active }!.months.map(\.value) == Array(repeating: 6_000, count: 12))
    }

    /// Controlled rounding keeps each cell at ⌊x⌋ or ⌈x⌉ and gives the unit to the larger fraction:
    /// [[0.9, 0.1], [0.1, 0.9]] with every total 1 is the identity, never the anti-diagonal.
    @Test func controlledRoundingPrefersTheLargerFraction() {
        #expect(ControlledRounding.round([[0.9, 0.1], [0.1, 0.9]], rows: [1, 1], columns: [1, 1]) == [[1, 0], [0, 1]])
        #expect(ControlledRounding.round([[0.2, 0.8], [0.8, 0.2]], rows: [1, 1], columns: [1, 1]) == [[0, 1], [1, 0]])
    }

    /// A reactivation pool shrinks by those who joined, not by those wanted: with no room in the
    /// first month (nobody joins), the second month reactivates 1,200 × (1 − 0.5^(1/12)) = 67.35 of the
    /// whole pool (not 63.57 of 1,200 − 67.35).
    @Test func aReactivationPoolShrinksByWhoJoined() {
        let cohort = ProgrammeCohort(
            kind: .reactivation, rule: .reactivation(pool: 1_200, sharePerYear: 0.5, firstProjected: 0), renewalProbability: 1,
            carveOut: Array(repeating: 0, count: 3), carveOutBefore: Array(repeating: 0, count: 3), renewalDraws: 0)
        var state = ProgrammeCohort.State()
        let first = cohort.step(at: 0, month: O.month(2018, 1), state: &state, renewed: nil, room: 0)
        #expect(first.joined == 0 && abs(first.cut - 1_200 * (1 - pow(0.5, 1.0 / 12))) < 1e-9)
        let second = cohort.step(at: 1, month: O.month(2018, 2), state: &state, renewed: nil, room: 1e9)
        #expect(abs(second.joined - 67.35) < 0.01, "\(second.joined)")
        #expect(abs(second.joined - 1_200 * (1 - pow(0.5, 1.0 / 12))) < 1e-9)
    }

    /// A calibrated branch's projected months are bent from its last realised month: realised
    /// 100…150 (Jan–Jun), projected 160…210 (Jul–Dec), bent to 240: July = 150 + 90 × 10/60 = 165,
    /// December 240 (bent from January's 100, July would be 176.36).
    @Test func aBranchIsBentFromItsLastRealisedMonth() throws {
        var (s, h) = IuranRevenueTests.heldStock(draws: 0, seed: 7)
        s.segments[0].iuran = nil
        let (_, _, view) = try IuranRevenueTests.run(s, h)
        var phased = try #require(view.phasing.first { $0.row.segment == "PU" && $0.row.metric == .active })
        phased.months = (1...12).map { k in
            PlanYearView.MonthValue(month: O.month(2018, k), value: 90 + 10 * Double(k), status: k <= 6 ? .realised : .projected)
        }
        let outlook = BranchOutlook(region: O.region, branch: "KC A", targets: [phased.row], monteCarlo: nil, phasing: [phased], starts: ["PU": 50])
        let path = try #require(outlook.stockPath("PU", to: 240))
        #expect(path[0...5].map { $0! } == [100, 110, 120, 130, 140, 150])
        #expect(abs(path[6]! - 165) < 1e-9 && abs(path[11]! - 240) < 1e-9, "\(path)")
    }

    /// The recent run rate of a stock at window 3 is the change over the last three months:
    /// (June − March) / 3 = (1,150 − 1,030) / 3 = 40 (over two months it would be 45).
    @Test func theRecentStockRunRateSpansTheWindow() throws {
        var (s, h) = IuranRevenueTests.heldStock(draws: 0, seed: 7)
        s.segments[0].iuran = nil
        s.actualsUntil = O.month(2018, 6)
        for (k, v) in [1_000.0, 1_010, 1_030, 1_060, 1_100, 1_150].enumerated() {
            h.observations.append(.init(month: O.month(2018, k + 1), region: O.region, segment: "PU", metric: .active, value: v))
        }
        let plan = ApprovedPlan(scenario: "t", year: 2018, targets: [
            .init(region: O.region, segment: "PU", metric: .active, annual: 1_300, months: (1...12).map { 1_000 + 25 * Double($0) })
        ])
        let (_, _, view) = try IuranRevenueTests.run(s, h)
        let row = try #require(Tracking.table(plan: plan, scenario: s, history: h, view: view, monteCarlo: nil, window: 3).first)
        #expect(row.recentRunRate == 40, "\(String(describing: row.recentRunRate))")
        // Needed: (1,300 − 1,150) / 6 remaining months = 25.
        #expect(row.neededRunRate == 25)
    }

    /// A rule target at or below what is realised already is flagged (issue 30): last year's target
    /// 5,000 on a stock of 6,000: +0% (5,000) and +20% (6,000, equal) are reached already, +30%
    /// (6,500) is not; the projection target is never flagged so.
    @Test func aRuleTargetAlreadyReachedIsFlagged() throws {
        var (s, h) = IuranRevenueTests.heldStock(draws: 0, seed: 7)
        s.segments[0].iuran = nil
        s.targets.ruleGrowth = [0, 0.2, 0.3]
        h.observations.append(.init(month: O.month(2017, 12), region: O.region, segment: "PU", metric: .targetActive, value: 5_000))
        let (_, _, view) = try IuranRevenueTests.run(s, h)
        func flagged(_ g: Double) -> Bool {
            view.targets.first { $0.segment == "PU" && $0.metric == .active && $0.basis == .rule(growth: g) }!.flags.contains(.atOrBelowRealised)
        }
        #expect(flagged(0) && flagged(0.2) && !flagged(0.3))
        #expect(view.targets.first { $0.segment == "PU" && $0.metric == .active && $0.basis == .rule(growth: 0.3) }!.target == 6_500)
        #expect(!view.targets.contains { $0.basis == .projection && $0.flags.contains(.atOrBelowRealised) })
    }

    /// A region of one persons segment shows one figure (issue 30): its TOTAL's P50, band and
    /// P(reach) are its segment's (the joint draws, rounded to whole persons, moved a P50 by a person).
    @Test func aOneSegmentRegionShowsOneP50() throws {
        var (s, h) = IuranRevenueTests.heldStock(lapse: 0.2, draws: 300, seed: 11)
        s.segments[0].iuran = nil
        s.segments[0].acquisitionsPerMonth = 137.37
        let (_, _, view) = try IuranRevenueTests.run(s, h)
        for metric in [TargetRow.Metric.active, .acquisitions] {
            let pu = try #require(view.targets.first { $0.segment == "PU" && $0.metric == metric && $0.basis == .projection })
            let total = try #require(view.targets.first { $0.segment == History.totalSegment && $0.metric == metric && $0.basis == .projection })
            #expect(total.target == pu.target && total.quantiles == pu.quantiles && total.probability == pu.probability, "\(metric)")
            #expect(pu.quantiles?[1].rounded() != pu.quantiles?[1], "\(metric): a P50 with a fraction, so rounding would show")
        }
        // The same in the plan-year figures (the terminal's uncertainty table, compare): one band.
        let pu = try #require(view.figures.first { $0.segment == "PU" }), total = try #require(view.figures.first { $0.isTotal })
        #expect(total.activeQuantiles == pu.activeQuantiles && total.shownYearEndActive == pu.shownYearEndActive, "\(String(describing: total.activeQuantiles)) vs \(String(describing: pu.activeQuantiles))")
    }

    /// A rule without bands is scored by relative absolute error, for both methods (never a missing
    /// pinball counted as 0): rkat 110 with bands against last_value 90, actual 100: losses 0.1 and 0.1.
    @Test func aRuleWithoutBandsIsNotScoredAsPinballZero() {
        let origin = O.month(2017, 12), month = O.month(2018, 6)
        func row(_ method: Backtest.Method, _ point: Double, _ quantiles: [Double]?) -> Backtest.Row {
            Backtest.Row(
                origin: origin, region: O.region, segment: "PU", month: month, horizon: 6, method: method, actual: 100, actualSource: .history,
                forecast: .init(point: point, quantiles: quantiles), levels: [0.1, 0.5, 0.9])
        }
        let skills = Backtest.skills([row(.rkat, 110, [95, 110, 125]), row(.lastValue, 90, nil)])
        let overall = skills.first { $0.rule == .lastValue && $0.horizon == nil }!
        #expect(!overall.pinball)
        #expect(abs(overall.modelLoss - 0.1) < 1e-12 && abs(overall.ruleLoss - 0.1) < 1e-12, "\(overall)")
        #expect(overall.skill == 0)
    }

    /// Growth against the previous year compares with its full realisation only when its flows run
    /// from January without a gap: acquisitions of 100 a month in 2017 give 12 × 100 = 1,200 through
    /// December; with February missing there is no full-year realisation (not 11 × 100 = 1,100
    /// labelled as the year).
    @Test func aPreviousYearWithAGapIsNoRealisation() throws {
        for gap in [false, true] {
            var (s, h) = IuranRevenueTests.heldStock(draws: 0, seed: 7)
            s.segments[0].iuran = nil
            for m in 1...12 where !(gap && m == 2) {
                h.observations.append(.init(month: O.month(2017, m), region: O.region, segment: "PU", metric: .acquisitions, value: 100))
            }
            let (_, _, view) = try IuranRevenueTests.run(s, h)
            let row = try #require(view.targets.first { $0.segment == "PU" && $0.metric == .acquisitions && $0.basis == .projection })
            if gap {
                #expect(row.lastRealisation == nil && row.lastRealisationThrough == nil, "\(String(describing: row.lastRealisation))")
            } else {
                #expect(row.lastRealisation == 1_200 && row.lastRealisationThrough == O.month(2017, 12))
            }
        }
    }

    /// Without `targets.plan_year` the plan year is the one after the last actual, within the
    /// horizon: actuals to June 2018 and a horizon of December 2018 give min(2019, 2018) = 2018, the
    /// year with projected months (2019 has none, so it would have no targets at all).
    @Test func theDefaultPlanYearStaysWithinTheHorizon() throws {
        var (s, h) = IuranRevenueTests.heldStock(draws: 0, seed: 7)
        s.segments[0].iuran = nil
        s.targets.planYear = nil
        s.actualsUntil = O.month(2018, 6)
        #expect(s.horizon == O.month(2018, 12))
        for m in 1...6 { h.observations.append(.init(month: O.month(2018, m), region: O.region, segment: "PU", metric: .active, value: 6_000)) }
        #expect(PlanYearSummary.planYear(s) == 2018)
        let (_, _, view) = try IuranRevenueTests.run(s, h)
        #expect(view.year == 2018)
        // The held stock (no lapses, no acquisitions) stays at 6,000: its December target.
        #expect(view.targets.first { $0.segment == "PU" && $0.metric == .active && $0.basis == .projection }?.target == 6_000)
        #expect(view.figures.first { $0.segment == "PU" }?.yearEndActive == 6_000)
    }

    /// Stock month targets are bent from the stock before the first projected month (December 2017),
    /// not from January's projection. PU at 6,000 losing 20% a year, no acquisitions: the projected
    /// path is M_m = 6,000 × 0.8^(m/12) (December 4,800). The +10% rule target on last year's 6,000
    /// is 6,600; bent from A₀ = 6,000: T_m = 6,000 + 600 × (M_m − 6,000)/(4,800 − 6,000)
    /// = 6,000 + 3,000 × (1 − 0.8^(m/12)): January 6,055.27 → 6,055, June 6,316.72 → 6,317,
    /// December 6,600 (bent from January's 5,889.46, January would be 5,889).
    @Test func stockMonthTargetsBendFromTheStockBeforeThePlanYear() throws {
        var (s, h) = IuranRevenueTests.heldStock(lapse: 0.2, draws: 0, seed: 7)
        s.segments[0].iuran = nil
        s.targets.ruleGrowth = [0.1]
        h.observations.append(.init(month: O.month(2017, 12), region: O.region, segment: "PU", metric: .targetActive, value: 6_000))
        let (_, _, view) = try IuranRevenueTests.run(s, h)
        let rule = try #require(view.phasing.first { $0.row.segment == "PU" && $0.row.metric == .active && $0.row.basis == .rule(growth: 0.1) })
        #expect(rule.row.target == 6_600)
        let months = rule.months.map(\.value)
        #expect(months[0] == 6_055 && months[5] == 6_317 && months[11] == 6_600, "\(months)")
    }
}
