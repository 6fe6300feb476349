import Testing

@testable import Planning

/// `rkat solve`'s search on evaluators whose answer is known: each draw i has a figure base_i ± v,
/// so P(reach) at each grid value is counted by hand and the answer is found by scanning the grid.
@Suite struct LeverSearchTests {
    /// 1,000 fixed "draws" spread over 0…999.
    static let base = (0..<1000).map { Double(($0 * 7919) % 1000) }

    /// The brute-force answer: scan every grid value, the first (raising) or last (lowering) whose
    /// P(figure ≥ target) ≥ p.
    static func scan(_ grid: LeverSearch.Grid, target: Double, p: Double, _ f: (Double) -> [Double], raising: Bool) -> Int? {
        let ks = Array(0...grid.last)
        func reaches(_ k: Int) -> Bool {
            let figures = f(grid.value(k))
            return Double(figures.filter { $0 >= target }.count) / Double(figures.count) >= p
        }
        return raising ? ks.first(where: reaches) : ks.last(where: reaches)
    }

    @Test func aRaisingLeverFindsTheSmallestValueThatReaches() throws {
        let grid = LeverSearch.Grid(lower: 0, upper: 800, step: 1)
        let f: (Double) -> [Double] = { v in Self.base.map { $0 + v } }
        for (target, p) in [(1000.0, 0.7), (900.0, 0.3), (1500.0, 0.1), (1000.5, 0.5)] {
            var calls = 0
            let out = LeverSearch.solve(grid: grid, target: target, probability: p) { (v: Double) -> [Double] in calls += 1; return f(v) }
            let k = try #require(Self.scan(grid, target: target, p: p, f, raising: true))
            #expect(out.status == .found && out.direction == .raises)
            #expect(out.answer?.index == k, "target \(target) p \(p)")
            #expect(out.answer!.probability >= p && out.stepBefore!.probability < p)
            #expect(out.stepBefore?.index == k - 1)
            // Bisection: the two ends and at most ⌈log2(800)⌉ = 10 more.
            #expect(calls <= 12 && calls == out.evaluations.count)
            #expect(out.reversals == 0 && !out.probabilityNotMonotone && out.comparisons == (calls - 1) * 1000)
        }
        // By hand: the bases are 0…999 once each, so v of them are ≥ 1000 − v: P(reach 1000) = v/1000,
        // and p 0.7 needs v = 700.
        let byHand = LeverSearch.solve(grid: grid, target: 1000, probability: 0.7) { (v: Double) -> [Double] in f(v) }
        #expect(byHand.answer?.value == 700 && byHand.stepBefore?.value == 699)
    }

    @Test func aLoweringLeverFindsTheLargestValueThatReaches() throws {
        // A lapse-like lever: more of it lowers every figure.
        let grid = LeverSearch.Grid(lower: 0, upper: 2, step: 0.01)
        let f: (Double) -> [Double] = { v in Self.base.map { $0 - 400 * v } }
        let out = LeverSearch.solve(grid: grid, target: 200, probability: 0.6) { (v: Double) -> [Double] in f(v) }
        let k = try #require(Self.scan(grid, target: 200, p: 0.6, f, raising: false))
        #expect(out.direction == .lowers && out.status == .found)
        #expect(out.answer?.index == k && out.stepBefore?.index == k + 1)
        // By hand: 800 − 400v of the bases are ≥ 200 + 400v; 60% of 1,000 needs v ≤ 0.5.
        #expect(out.answer?.value == 0.5 && out.stepBefore?.value == 0.51)
        #expect(out.reversals == 0)
    }

    @Test func theEndsOfTheRangeDecideReachedUnreachableAndNoEffect() {
        let grid = LeverSearch.Grid(lower: 0, upper: 100, step: 1)
        let raise: (Double) -> [Double] = { v in Self.base.map { $0 + v } }
        let started = LeverSearch.solve(grid: grid, target: 100, probability: 0.5) { (v: Double) -> [Double] in raise(v) }
        #expect(started.status == .reachedAtStart && started.answer?.value == 0 && started.stepBefore == nil)
        let never = LeverSearch.solve(grid: grid, target: 5000, probability: 0.5) { (v: Double) -> [Double] in raise(v) }
        // P is 0 at both ends, but the figure moves: unreachable, not "no effect".
        #expect(never.status == .unreachable && never.direction == .raises && never.answer == nil && never.evaluations.count == 2)
        let flat = LeverSearch.solve(grid: grid, target: 500, probability: 0.5) { (_: Double) -> [Double] in Self.base }
        #expect(flat.status == .noEffect && flat.direction == .none && flat.evaluations.count == 3)
        // The same at both ends, not midway (a share that uses the pool up before the plan year).
        let hump = LeverSearch.solve(grid: grid, target: 1, probability: 0.5) { (v: Double) -> [Double] in [v * (100 - v)] }
        #expect(hump.status == .notMonotone && hump.answer == nil && hump.probabilityNotMonotone)
        // The deterministic path (one figure): a step from 0 to 1 at the shortfall.
        let one = LeverSearch.solve(grid: grid, target: 57.5, probability: 0.5) { (v: Double) -> [Double] in [v] }
        #expect(one.answer?.value == 58 && one.stepBefore?.value == 57 && one.answer?.probability == 1 && one.stepBefore?.probability == 0)
    }

    /// Draws whose outcome reverses as the lever rises are counted, and a falling P(reach) said.
    @Test func reversalsOnTheDrawsAreCounted() {
        let grid = LeverSearch.Grid(lower: 0, upper: 8, step: 1)
        // Draw i is reached only at even lever values beyond i: every odd step reverses the reached ones.
        let out = LeverSearch.solve(grid: grid, target: 1, probability: 0.4) { (v: Double) -> [Double] in
            (0..<10).map { i in Double(i) < v && Int(v) % 2 == 0 ? 1 : 0 }
        }
        #expect(out.reversals > 0 && out.probabilityNotMonotone)
        // Each reversal is a reached draw at a value, not reached at the next evaluated one.
        var byHand = 0
        for (a, b) in zip(out.evaluations, out.evaluations.dropFirst()) { byHand += zip(a.reached, b.reached).filter { $0 && !$1 }.count }
        #expect(out.reversals == byHand)
    }

    @Test func theGridEndsOnItsUpperBoundAndPrintsItsSteps() {
        let g = LeverSearch.Grid(lower: 1, upper: 3, step: 0.01)
        #expect(g.last == 200 && g.value(7) == 1.07 && g.value(200) == 3 && "\(g.value(93))" == "1.93")
        let h = LeverSearch.Grid(lower: 0, upper: 10.5, step: 1)
        #expect(h.last == 11 && h.value(10) == 10 && h.value(11) == 10.5)
    }
}
