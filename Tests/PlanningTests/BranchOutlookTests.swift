import Foundation
import Testing

@testable import Planning

/// Branches with a history of their own (issue 20, item 1), calibrated like regions: the allocation
/// leans on their own projections, the Kanwil's targets stay authoritative and exact on every margin,
/// P(reach) comes from the branch's own draws, and the gap is shown.
@Suite struct BranchOutlookTests {
    static let kanwil = "Synthetica"
    static func month(_ k: Int) -> Month { Month(year: 2014, month: 1).adding(months: k) }

    /// A Kanwil's PU stock along a logistic (L = 1,000,000, 48 months to Dec 2017), KC Barat's history
    /// 60% of it but growing 1% a month faster at the end, KC Timur without a history.
    static func setup(draws: Int = 400) -> (Scenario, History) {
        var obs: [History.Observation] = []
        for k in 0..<48 {
            let stock = 1_000_000 * 0.6 / (1 + exp(-(Double(k) - 30) / 12))
            obs.append(.init(month: month(k), region: kanwil, segment: "PU", metric: .active, value: stock.rounded()))
            let barat = 0.6 * stock * (1 + 0.01 * max(Double(k) - 36, 0))
            obs.append(.init(month: month(k), region: "KC Barat", segment: "PU", metric: .active, value: barat.rounded()))
        }
        var s = RuleOracleTests.scenario()
        s.regions = [RegionPlan(
            name: kanwil, potential: PotentialSpec(total: 1_000_000, basis: "test", asOf: month(47), split: .shares(["PU": 1])),
            branches: [BranchPlan(name: "KC Barat", potentialShare: 0.6), BranchPlan(name: "KC Timur", potentialShare: 0.4)])]
        s.segments = [SegmentPlan(name: "PU", model: .named(.logistic), lapseRatePerYear: 0.3)]
        s.actualsUntil = month(47)
        s.horizon = Month(year: 2018, month: 12)
        s.uncertainty = UncertaintySettings(draws: draws, seed: 11)
        s.targets = TargetSettings(planYear: 2018, confidence: 0.5)
        return (s, History(observations: obs))
    }

    @Test func calibratedBranchesLeanOnTheirOwnProjection() throws {
        let (s, h) = Self.setup()
        let (outlooks, notes) = BranchOutlook.run(s, history: h, threads: 2)
        #expect(outlooks.map(\.branch) == ["KC Barat"] && notes.isEmpty)
        let cals = try Calibration.run(s, history: h)
        let projection = Engine.project(s, calibrations: cals)
        let mc = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: 2018, threads: 2))
        let view = PlanYearView.build(s, history: h, projection: projection, monteCarlo: mc, outlooks: outlooks)
        for metric in [TargetRow.Metric.active, .acquisitions] {
            let kanwil = view.targets.first { $0.region == Self.kanwil && $0.segment == "PU" && $0.metric == metric && $0.basis == .projection }!
            let rows = view.branches.filter { $0.segment == "PU" && $0.metric == metric }
            // Exact on the Kanwil's target, and on each month.
            #expect(rows.reduce(0) { $0 + $1.target } == Int(kanwil.target))
            let phased = view.phased(kanwil)!.months
            for k in 0..<12 where phased[k].value != nil {
                #expect(rows.reduce(0.0) { $0 + ($1.months[k] ?? 0) } == phased[k].value!, "\(metric) month \(k + 1)")
            }
            // KC Barat weighs in with its own projection target, KC Timur with 40% of the Kanwil's:
            // Barat's share = own / (own + 0.4 × T), to the person (largest remainder).
            let barat = rows.first { $0.branch == "KC Barat" }!, timur = rows.first { $0.branch == "KC Timur" }!
            let own = outlooks[0].target("PU", metric)!.target
            let t = kanwil.target
            // KC Timur's allocation is 40% of the Kanwil's to the person (largest remainder between two
            // branches: to the nearest), Barat's share of the total then rounded: within one person.
            let expected = t * own / (own + (0.4 * t).rounded())
            #expect(abs(Double(barat.target) - expected) <= 1, "\(metric): \(barat.target) vs \(expected)")
            #expect(barat.ownTarget == own && barat.gap == Double(barat.target) - own && barat.reachFromOwnDraws)
            #expect(timur.ownTarget == nil && !timur.reachFromOwnDraws)
            // P(reach) of Barat from its own draws.
            let d = outlooks[0].draws("PU", metric)!
            #expect(barat.probability == MonteCarlo.probability(d, atLeast: Double(barat.target)))
        }
        // Barat's own history grows faster than its 60% share: its own active target is above 60% of
        // the Kanwil's, so it is asked for more than the share would give.
        let active = view.branches.first { $0.branch == "KC Barat" && $0.segment == "PU" && $0.metric == .active }!
        let kanwilActive = view.targets.first { $0.region == Self.kanwil && $0.segment == "PU" && $0.metric == .active }!.target
        #expect(Double(active.target) > 0.6 * kanwilActive)
        // The branch's realisation: its own history's last stock of the plan year (none: actuals end in 2017).
        #expect(active.realisedToDate == nil)
        // Its stock months follow its own path bent from its December stock to its allocated target
        // (Phasing.stock), so January starts from what it has, not from a share of the Kanwil's.
        let ownMonths = outlooks[0].phasing.first { $0.row.segment == "PU" && $0.row.metric == .active }!.months.map { $0.value! }
        let december = h.series(region: "KC Barat", segment: "PU", metric: .active).last!.value
        let start = outlooks[0].starts["PU"]!
        #expect(abs(start - december) < 1)
        let bent = Phasing.stock(start: start, median: ownMonths, target: Double(active.target))
        for k in 0..<11 { #expect(abs(active.months[k]! - bent[k]) <= 1, "month \(k + 1): \(active.months[k]!) vs \(bent[k])") }
        #expect(active.months[11]! == Double(active.target))
    }

    /// A branch whose own rows cannot be calibrated (two stock points, no flows) is allocated, with a note.
    @Test func aBranchThatCannotBeCalibratedIsAllocatedWithANote() {
        var (s, h) = Self.setup(draws: 0)
        s.uncertainty.draws = 0
        h.observations = h.observations.filter { $0.region != "KC Barat" || $0.month >= Self.month(46) }
        let (outlooks, notes) = BranchOutlook.run(s, history: h)
        #expect(outlooks.isEmpty && notes.count == 1 && notes[0].english.contains("KC Barat") && notes[0].english.contains("allocated"))
    }
}
