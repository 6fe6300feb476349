import Foundation
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

/// The cheapest two-lever mix against brute force over every pair of grid values.
@Suite struct LeverMixTests {
    /// Draws with figures base_d + f(a) + g(b), f and g rising (or falling for a lowering lever).
    static func brute(_ a: LeverMix.Axis, _ b: LeverMix.Axis, target: Double, p: Double, _ f: (Double, Double) -> [Double]) -> Double? {
        var best: Double?
        for i in 0...a.grid.last {
            for j in 0...b.grid.last {
                let x = f(a.value(i), b.value(j))
                guard Double(x.filter { $0 >= target }.count) / Double(x.count) >= p else { continue }
                let c = a.cost(a.value(i)) + b.cost(b.value(j))
                if best == nil || c < best! { best = c }
            }
        }
        return best
    }

    @Test func theCheapestMixIsTheBruteForceMinimum() throws {
        // A fixed pseudo-random family: 60 cases, each its own shapes, costs, target and p.
        var seed: UInt64 = 12345
        func next() -> Double {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 11) / Double(1 << 53)
        }
        let base = (0..<200).map { _ in next() * 100 }
        var runsTotal = 0, pairsTotal = 0
        for c in 0..<60 {
            let (ga, gb) = (LeverSearch.Grid(lower: 0, upper: 30, step: 1), LeverSearch.Grid(lower: 1, upper: 2, step: 0.02))
            let (ka, kb) = (1 + next() * 4, 20 + next() * 80)
            let (ca, cb) = (1 + next() * 9, 100 + next() * 900)
            let lowersB = c % 3 == 0
            let curved = c % 2 == 0
            let f: (Double, Double) -> [Double] = { x, y in
                let fx = curved ? ka * 6 * sqrt(x) : ka * x
                let fy = lowersB ? kb * (2 - y) : kb * (y - 1) * (curved ? (y - 1) : 1)
                return base.map { $0 + fx + fy }
            }
            let a = LeverMix.Axis(grid: ga, raises: true) { x in ca * x }
            let b = LeverMix.Axis(grid: gb, raises: !lowersB) { y in cb * (lowersB ? 2 - y : y - 1) }
            let target = 100 + next() * 80, p = 0.2 + next() * 0.7
            let out = LeverMix.cheapest(a: a, b: b, target: target, probability: p) { (x: Double, y: Double) -> [Double] in f(x, y) }
            let expected = Self.brute(a, b, target: target, p: p, f)
            #expect(out.best?.cost == expected, "case \(c)")
            if let best = out.best {
                #expect(best.probability >= p && !out.notMonotone)
                // One step back on B from the answer does not reach (its j is the least for its i).
                if let back = out.stepBackB { #expect(back < p) }
            }
            runsTotal += out.runs
            pairsTotal += (ga.last + 1) * (gb.last + 1)
        }
        // The bound prunes: far fewer runs than pairs (31 × 51 = 1,581 a case).
        #expect(runsTotal * 4 < pairsTotal, "\(runsTotal) runs for \(pairsTotal) pairs")
    }

    /// Two grids with more pairs than Int.max (rupiah to the rupiah on both), on a frontier where every
    /// pair costs the same (the bound prunes nothing): no overflow, and the search stops at its budget,
    /// said, with a pair that reaches at the frontier's cost.
    @Test func hugeGridsDoNotOverflowAndAFlatFrontierStopsAtTheBudget() {
        let g = LeverSearch.Grid(lower: 0, upper: 5e9, step: 1)
        let a = LeverMix.Axis(grid: g, raises: true) { $0 }
        let out = LeverMix.cheapest(a: a, b: a, target: 7e9, probability: 0.5) { (x: Double, y: Double) -> [Double] in [x + y] }
        #expect(out.best?.cost == 7e9 && out.stoppedAtBudget && out.runs <= LeverMix.maxRuns + 80)
        // A frontier the bound prunes (A cheaper than B) is exact and quick.
        let cheapA = LeverMix.Axis(grid: g, raises: true) { $0 / 2 }
        let exact = LeverMix.cheapest(a: cheapA, b: a, target: 7e9, probability: 0.5) { (x: Double, y: Double) -> [Double] in [x + y] }
        #expect(exact.best?.a == 5e9 && exact.best?.b == 2e9 && !exact.stoppedAtBudget && exact.runs < LeverMix.maxRuns)
    }

    @Test func aPairThatCannotReachSaysSo() {
        let g = LeverSearch.Grid(lower: 0, upper: 10, step: 1)
        let a = LeverMix.Axis(grid: g, raises: true) { $0 }
        let out = LeverMix.cheapest(a: a, b: a, target: 100, probability: 0.5) { (x: Double, y: Double) -> [Double] in [x + y] }
        #expect(out.best == nil)
        // By hand: x + y ≥ 12 at the least cost x + y = 12, reached at (2, 10) first (the least A that reaches).
        let by = LeverMix.cheapest(a: a, b: a, target: 12, probability: 0.5) { (x: Double, y: Double) -> [Double] in [x + y] }
        #expect(by.best?.cost == 12 && by.best?.probability == 1)
    }
}
