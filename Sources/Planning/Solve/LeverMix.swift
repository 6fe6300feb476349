import Foundation

/// `rkat solve`'s cheapest mix of two levers (docs/solve.md): the pair of grid values that reaches a
/// target with probability p at the least cost, exact on the two grids when P(reach) rises with each
/// lever (the search counts the runs where it does not).
///
/// Each lever is oriented so that a higher index helps (a lowering lever's grid is read from its upper
/// end). For lever A at index i, the least B index that reaches, j*(i), does not rise with i. Branch and
/// bound over i: between two solved indices iL < iR every j*(i) is at least j*(iR), so no point in
/// between costs less than cost_A(iL + 1) + cost_B(j*(iR)); an interval whose bound is not below the
/// best cost found is not searched. j*(i) is found by bisection between its neighbours' values.
public enum LeverMix {
    /// One lever of the pair: its grid, the way it helps, and the cost of each of its values (rupiah,
    /// not falling as the lever moves the way it helps).
    public struct Axis: Sendable {
        public var grid: LeverSearch.Grid
        public var raises: Bool
        public var cost: @Sendable (Double) -> Double

        public init(grid: LeverSearch.Grid, raises: Bool, cost: @escaping @Sendable (Double) -> Double) {
            self.grid = grid
            self.raises = raises
            self.cost = cost
        }

        /// The lever value at oriented index k (0 = the end where it helps least).
        public func value(_ k: Int) -> Double { grid.value(raises ? k : grid.last - k) }
    }

    public struct Point: Sendable, Equatable {
        /// Oriented indices: 0 is where each lever helps least.
        public var i: Int
        public var j: Int
        public var a: Double
        public var b: Double
        public var probability: Double
        public var cost: Double
    }

    public struct Outcome: Sendable {
        /// The cheapest pair that reaches p; nil when the pair at its most does not.
        public var best: Point?
        /// P(reach) one step back on each lever from the best pair (nil at a grid's end).
        public var stepBackA: Double?
        public var stepBackB: Double?
        /// Runs of the scenario (pairs evaluated).
        public var runs: Int
        /// Pairs where more of a lever lowered P(reach) (the bound assumes it never does).
        public var notMonotone: Bool
        /// The search stopped at `maxRuns` before the bound had ruled out every other pair (a frontier
        /// whose pairs cost nearly alike, where the bound prunes little): the cheapest found, not proven.
        public var stoppedAtBudget = false
    }

    /// The most runs one mix may take: about a minute on Sumbagut with 2,000 draws.
    public static let maxRuns = 3000

    /// A pair of oriented grid indices (the runs' cache key).
    struct GridPair: Hashable {
        let i: Int, j: Int
    }

    public static func cheapest<E: Error>(
        a: Axis, b: Axis, target: Double, probability p: Double, evaluate: (Double, Double) throws(E) -> [Double]
    ) throws(E) -> Outcome {
        let I = a.grid.last, J = b.grid.last
        // Keyed by the pair itself: two rupiah grids can hold more than Int.max pairs.
        var seen: [GridPair: Double] = [:]
        var notMonotone = false
        func prob(_ i: Int, _ j: Int) throws(E) -> Double {
            let key = GridPair(i: i, j: j)
            if let v = seen[key] { return v }
            let figures = try evaluate(a.value(i), b.value(j))
            let v = figures.isEmpty ? 0 : Double(figures.filter { $0 >= target }.count) / Double(figures.count)
            seen[key] = v
            return v
        }
        /// The least j in lo…hi at which (i, j) reaches p; nil when (i, hi) does not.
        func jStar(_ i: Int, _ lo: Int, _ hi: Int) throws(E) -> Int? {
            guard try prob(i, hi) >= p else { return nil }
            if try prob(i, lo) >= p { return lo }
            var (no, yes) = (lo, hi)
            while yes - no > 1 {
                let mid = (no + yes) / 2
                if try prob(i, mid) >= p { yes = mid } else { no = mid }
            }
            return yes
        }
        func point(_ i: Int, _ j: Int) throws(E) -> Point {
            Point(i: i, j: j, a: a.value(i), b: b.value(j), probability: try prob(i, j), cost: a.cost(a.value(i)) + b.cost(b.value(j)))
        }

        // The right end: A at its most. Unreachable there, unreachable anywhere (when monotone).
        guard let jRight = try jStar(I, 0, J) else { return Outcome(best: nil, runs: seen.count, notMonotone: false) }
        // The left end: the least i at which B at its most reaches.
        var iLeft = 0
        if try prob(0, J) < p {
            var (no, yes) = (0, I)
            while yes - no > 1 {
                let mid = (no + yes) / 2
                if try prob(mid, J) >= p { yes = mid } else { no = mid }
            }
            iLeft = yes
        }
        guard let jLeft = try jStar(iLeft, 0, J) else { return Outcome(best: nil, runs: seen.count, notMonotone: true) }
        var best = try point(iLeft, jLeft)
        let right = try point(I, jRight)
        if right.cost < best.cost { best = right }

        // Branch and bound over (iL, iR) with j*(iL) = jL ≥ jR = j*(iR).
        var stack: [(iL: Int, jL: Int, iR: Int, jR: Int)] = [(iLeft, jLeft, I, jRight)]
        var stopped = false
        while let (iL, jL, iR, jR) = stack.popLast() {
            guard iR - iL > 1 else { continue }
            guard seen.count < maxRuns else {
                stopped = true
                break
            }
            let bound = a.cost(a.value(iL + 1)) + b.cost(b.value(jR))
            guard bound < best.cost else { continue }
            let mid = (iL + iR) / 2
            // j*(mid) lies in jR…jL when P rises with A; if (mid, jL) does not reach, it does not.
            var jm = try jStar(mid, min(jR, jL), max(jR, jL))
            if jm == nil || jR > jL {
                notMonotone = true
                jm = try jStar(mid, 0, J)
            }
            guard let jMid = jm else { continue }
            let here = try point(mid, jMid)
            if here.cost < best.cost || (here.cost == best.cost && (here.i, here.j) < (best.i, best.j)) { best = here }
            stack.append((mid, jMid, iR, jR))
            stack.append((iL, jL, mid, jMid))
        }
        var backA: Double?, backB: Double?
        if best.i > 0 { backA = try prob(best.i - 1, best.j) }
        if best.j > 0 { backB = try prob(best.i, best.j - 1) }
        if let backA, backA > best.probability { notMonotone = true }
        return Outcome(best: best, stepBackA: backA, stepBackB: backB, runs: seen.count, notMonotone: notMonotone, stoppedAtBudget: stopped)
    }
}
