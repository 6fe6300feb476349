import Fitting
import Testing

@testable import Planning

/// Issue 34, an issued target split down: hand-checked cases with known distributions.
@Suite struct IssuedAllocationTests {
    static func normal(_ n: Int, mean: Double, sd: Double, key: String) -> [Double] {
        let rng = RandomStream(seed: RandomStream.seed(34, key))
        return (0..<n).map { _ in mean + rng.gaussian(sd: sd) }
    }

    /// Two independent units, N(100,000, 10,000²) and N(200,000, 20,000²); the issued 330,000. Equal
    /// stretch puts each at μ + zσ with 300,000 + 30,000 z = 330,000: z = 1, the targets 110,000 and
    /// 220,000, each reached with P(Z ≥ 1) = 0.158655 (within 4 binomial SEs of 200,000 draws plus the
    /// sampling error of the quantiles).
    @Test func equalStretchGivesEveryUnitTheSameReach() {
        let n = 200_000
        let draws = [Self.normal(n, mean: 100_000, sd: 10_000, key: "a"), Self.normal(n, mean: 200_000, sd: 20_000, key: "b")]
        let a = IssuedAllocation.split(
            issued: 330_000, metric: .acquisitions, rule: .equalStretch, units: ["A", "B"], weights: [1, 1], draws: draws,
            proposals: [(100_000, 0.5), (200_000, 0.5)])
        #expect(a.units.map(\.allocated).reduce(0, +) == 330_000)
        let tail = 0.158_655_253_931_457
        let se = (tail * (1 - tail) / Double(n)).squareRoot()
        for u in a.units { #expect(abs(u.reach! - tail) < 6 * se, "\(u.region) \(u.reach!)") }
        #expect(abs(Double(a.units[0].allocated) - 110_000) < 150 && abs(Double(a.units[1].allocated) - 220_000) < 300)
        #expect(abs(a.commonReach! - tail) < 6 * se)
        // The total of two independent normals: N(300,000, 22,360.7²); P(≥ 330,000) = P(Z ≥ 1.341641) = 0.089856.
        #expect(abs(a.totalReach! - 0.089_856) < 6 * (0.09 * 0.91 / Double(n)).squareRoot())
        #expect(a.units[0].gap == 10_000 + Double(a.units[0].allocated - 110_000))
    }

    /// The same units perfectly correlated (B = 2A): the total reaches 330,000 exactly when each unit
    /// reaches its equal-stretch share, so the total's P(tercapai) is the common one.
    @Test func perfectlyCorrelatedUnitsShareTheirReachWithTheTotal() {
        let a = Self.normal(50_000, mean: 100_000, sd: 10_000, key: "c")
        let split = IssuedAllocation.split(
            issued: 330_000, metric: .active, rule: .equalStretch, units: ["A", "B"], weights: [1, 1], draws: [a, a.map { 2 * $0 }],
            proposals: [(0, nil), (0, nil)])
        #expect(split.units.map(\.allocated) == [110_000, 220_000])
        #expect(abs(split.totalReach! - split.commonReach!) < 1e-4)
    }

    /// Proportional and coverage gap: whole shares by largest remainder (ties to the earlier unit).
    @Test func proportionalSharesAreWholeAndSumExactly() {
        let p = IssuedAllocation.split(issued: 10, metric: .acquisitions, rule: .proportional, units: ["A", "B"], weights: [1, 3], draws: nil, proposals: [(2, nil), (8, nil)])
        #expect(p.units.map(\.allocated) == [3, 7])
        #expect(p.units.map(\.gap) == [1, -1] && p.totalReach == nil && p.commonReach == nil)
        let g = IssuedAllocation.split(issued: 1_000, metric: .acquisitions, rule: .coverageGap, units: ["A", "B", "C"], weights: [200, 300, 500], draws: nil, proposals: [(0, nil), (0, nil), (0, nil)])
        #expect(g.units.map(\.allocated) == [200, 300, 500])
    }

    /// Coverage gap for a stock keeps each unit's members and splits the increase by the gaps (hand
    /// oracle): members 100 / 300, gaps 50 / 150, issued 500: 100 + 25, 300 + 75; issued 300 (a fall):
    /// in proportion to the members, 75 / 225.
    @Test func coverageGapKeepsAStocksMembers() {
        func split(_ issued: Int) -> [Int] {
            IssuedAllocation.split(
                issued: issued, metric: .active, rule: .coverageGap, units: ["A", "B"], weights: [50, 150], draws: nil, proposals: [(0, nil), (0, nil)],
                members: [100, 300]).units.map(\.allocated)
        }
        #expect(split(500) == [125, 375])
        #expect(split(300) == [75, 225])
        // Members 300 / 100, gaps 50 / 150, issued 600: 300 + 50, 100 + 150 (the gaps alone: 150 / 450,
        // A's below its 300 members).
        let other = IssuedAllocation.split(
            issued: 600, metric: .active, rule: .coverageGap, units: ["A", "B"], weights: [50, 150], draws: nil, proposals: [(0, nil), (0, nil)],
            members: [300, 100]).units.map(\.allocated)
        #expect(other == [350, 250])
    }

    /// An issued figure outside the draws: below every pair of worst draws (reached in every draw)
    /// or above every pair of best ones (in none), split as those draws are, and said.
    @Test func anIssuedFigureOutsideTheDrawsIsSaid() {
        let draws: [[Double]] = [[10, 20, 30], [100, 200, 300]]
        let low = IssuedAllocation.split(issued: 55, metric: .acquisitions, rule: .equalStretch, units: ["A", "B"], weights: [1, 1], draws: draws, proposals: [(0, nil), (0, nil)])
        #expect(low.bound == .belowEveryDraw && low.units.map(\.allocated) == [5, 50] && low.units.allSatisfy { $0.reach == 1 })
        let high = IssuedAllocation.split(issued: 660, metric: .acquisitions, rule: .equalStretch, units: ["A", "B"], weights: [1, 1], draws: draws, proposals: [(0, nil), (0, nil)])
        #expect(high.bound == .aboveEveryDraw && high.units.map(\.allocated) == [60, 600] && high.units.allSatisfy { $0.reach == 0 })
    }

    /// The level search on hand-made sorted draws: Q_A(u) + Q_B(u) = 33 at u = 0.5 for A = 0…20 and B = 3…43.
    @Test func theLevelIsFoundByBisection() {
        let a = (0...20).map(Double.init), b = (0...20).map { 3 + 2 * Double($0) }
        let found = IssuedAllocation.equalStretch(sorted: [a, b], total: 33)!
        #expect(abs(found.level - 0.5) < 1e-9)
        #expect(abs(found.quantiles[0] - 10) < 1e-7 && abs(found.quantiles[1] - 23) < 1e-7)
        #expect(IssuedAllocation.equalStretch(sorted: [a, b], total: 2) == nil)
    }
}
