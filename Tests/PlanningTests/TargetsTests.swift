import Foundation
import Testing

@testable import Planning

@Suite struct PhasingTests {
    @Test(arguments: [0, 1, 11, 12, 13, 1_699_086, 862_900])
    func flowTargetsAreWholePersonsSummingExactly(target: Int) {
        let weights = [3.1, 2.0, 7.7, 0, 5.5, 5.5, 1, 9, 2.2, 3.3, 4.4, 6.6]
        let monthly = Phasing.flow(target: target, weights: weights)
        #expect(monthly.count == 12 && monthly.reduce(0, +) == target)
        #expect(Phasing.quarters(monthly).reduce(0, +) == target && Phasing.quarters(monthly).count == 4)
        #expect(Phasing.cumulative(monthly).last == target)
        // Largest remainder stays within one person of the exact share.
        let total = weights.reduce(0, +)
        for (w, m) in zip(weights, monthly) { #expect(abs(Double(m) - w / total * Double(target)) < 1) }
    }

    @Test func flowWithNoProjectedFlowIsSpreadEvenly() {
        #expect(Phasing.flow(target: 14, weights: [0, 0, 0, 0]) == [4, 4, 3, 3])
    }

    @Test func stockPhasingBendsTheMedianPathAndStaysMonotone() {
        let median = [101.0, 103, 106, 110, 115, 121]
        let phased = Phasing.stock(start: 100, median: median, target: 130)
        #expect(phased.last == 130)
        for (a, b) in zip(phased, phased.dropFirst()) { #expect(a <= b) }
        // A flat median path gives a straight line to the target.
        #expect(Phasing.stock(start: 100, median: [100, 100, 100, 100], target: 120) == [105, 110, 115, 120])
    }
}

@Suite struct TargetsTests {
    @Test func projectionTargetsAreReachedWithTheStatedConfidenceAndRulesFollowThePreviousTarget() throws {
        var (s, cals) = try MonteCarloTests.setup(draws: 4000)
        s.targets = TargetSettings(planYear: 2018, confidence: 0.6, ruleGrowth: [0.2, 0.3])
        let h = History(observations: [
            .init(month: Month(year: 2017, month: 12), region: EngineTests.region, segment: "PU", metric: .targetActive, value: 1_000_000),
            .init(month: Month(year: 2017, month: 12), region: EngineTests.region, segment: "JAKON", metric: .targetAcquisitions, value: 700_000),
        ])
        let projection = Engine.project(s, calibrations: cals)
        let mc = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: 2018, threads: 2))
        let rows = Targets.table(s, history: h, projection: projection, monteCarlo: mc, planYear: 2018)
        for r in rows where r.basis == .projection && r.segment != History.totalSegment {
            #expect(abs(r.probability! - 0.6) < 0.005, "\(r.segment) \(r.metric): \(r.probability!)")
        }
        let rule = rows.filter { $0.segment == "JAKON" && $0.basis.code.hasPrefix("rule") }
        #expect(rule.map(\.target) == [840_000, 910_000])
        #expect(rule[0].probability! >= rule[1].probability!)
        let puRule = rows.first { $0.segment == "PU" && $0.metric == .active && $0.basis == .rule(growth: 0.3) }!
        #expect(puRule.target == 1_300_000 && puRule.flags.contains(.abovePotential) == (1_300_000 > 6_900_000 * 0.4))
        let total = rows.first { $0.segment == History.totalSegment && $0.metric == .acquisitions }!
        let segments = rows.filter { $0.segment != History.totalSegment && $0.metric == .acquisitions && $0.basis == .projection }
        #expect(total.target == segments.reduce(0) { $0 + $1.target })
        #expect(total.probability! > 0 && total.probability! <= 1)
    }

    /// "Target lalu" is the previous year's latest target: a target revised mid-year (March 900,000,
    /// September 1,000,000) counts as revised; targets of other years do not. The rule rows grow it.
    @Test func theLastTargetIsLastYearsLatestRevision() throws {
        var (s, cals) = try MonteCarloTests.setup(draws: 0)
        s.targets = TargetSettings(planYear: 2018, confidence: 0.5, ruleGrowth: [0.2])
        let target = { (y: Int, m: Int, v: Double) in
            History.Observation(month: Month(year: y, month: m), region: EngineTests.region, segment: "PU", metric: .targetActive, value: v)
        }
        let h = History(observations: [target(2016, 12, 800_000), target(2017, 3, 900_000), target(2017, 9, 1_000_000), target(2018, 1, 2_000_000)])
        let rows = Targets.table(s, history: h, projection: Engine.project(s, calibrations: cals), monteCarlo: nil, planYear: 2018)
        let pu = rows.filter { $0.segment == "PU" && $0.metric == .active }
        #expect(!pu.isEmpty && pu.allSatisfy { $0.lastTarget == 1_000_000 })
        #expect(pu.first { $0.basis == .rule(growth: 0.2) }?.target == 1_200_000)
        // The rule's target is the nearest whole person: 999,999 × 1.3 = 1,299,998.7 → 1,299,999.
        s.targets = TargetSettings(planYear: 2018, confidence: 0.5, ruleGrowth: [0.3])
        let odd = History(observations: [target(2017, 12, 999_999)])
        let rows2 = Targets.table(s, history: odd, projection: Engine.project(s, calibrations: cals), monteCarlo: nil, planYear: 2018)
        #expect(rows2.first { $0.segment == "PU" && $0.metric == .active && $0.basis == .rule(growth: 0.3) }?.target == 1_299_999)
    }
}

@Suite struct BranchAllocationTests {
    static let branches = [
        BranchPlan(name: "KC Medan Utara", potentialShare: 0.5, active: 164_000, activeAsOf: Month(year: 2017, month: 12)),
        BranchPlan(name: "KC Lhokseumawe", potentialShare: 0.3, active: 24_737, activeAsOf: Month(year: 2017, month: 12)),
        BranchPlan(name: "KC Binjai", potentialShare: nil, active: 40_000, activeAsOf: Month(year: 2017, month: 12)),
    ]

    @Test func missingSharesSplitTheRestEqually() {
        let w = BranchAllocation.weights(Self.branches)
        #expect(abs(w[2] - 0.2) < 1e-12 && abs(w.reduce(0, +) - 1) < 1e-12)
    }

    @Test(arguments: [0, 1, 229_000, 300_001, 1_234_567])
    func branchTargetsSumExactlyToTheRegion(target: Int) {
        for stock in [false, true] {
            let rows = BranchAllocation.allocate(target: target, branches: Self.branches, regionPotential: 600_000, stockTotal: stock)
            #expect(rows.map(\.target).reduce(0, +) == target && rows.allSatisfy { $0.target >= 0 })
        }
    }

    @Test func stockTargetsFillCoverageGaps() {
        // Region potential 600,000: gaps 300,000 − 164,000, 180,000 − 24,737, 120,000 − 40,000.
        let rows = BranchAllocation.allocate(target: 300_000, branches: Self.branches, regionPotential: 600_000, stockTotal: true)
        let increase = 300_000 - (164_000 + 24_737 + 40_000)
        let gaps = [136_000.0, 155_263, 80_000]
        for (r, (b, g)) in zip(rows, zip(Self.branches, gaps)) {
            let expected = b.active! + Double(increase) * g / gaps.reduce(0, +)
            #expect(abs(Double(r.target) - expected) < 1, "\(r.branch)")
        }
    }

    /// A Kanwil active target equal to its branches' members (164,000 + 24,737 + 40,000 = 228,737): an
    /// increase of 0, so every branch keeps its members (split by weight, 0.5 × 228,737 = 114,368.5 would
    /// take half of KC Medan Utara's away on paper while the Kanwil holds still).
    @Test func aTargetEqualToTheMembersKeepsEachBranchsMembers() {
        let rows = BranchAllocation.allocate(target: 228_737, branches: Self.branches, regionPotential: 600_000, stockTotal: true)
        #expect(rows.map(\.target) == [164_000, 24_737, 40_000])
    }
}
