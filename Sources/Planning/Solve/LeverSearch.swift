import Foundation

/// `rkat solve`'s search (docs/solve.md): the lever value at which a target is reached with a stated
/// probability. Every evaluation runs the scenario with the same seed and draws (common random
/// numbers), so P(reach) is a deterministic step function of the lever and each draw's outcome can be
/// followed as the lever moves; the search bisects on the lever's grid (its natural resolution), so
/// the answer is exact on that grid: P ≥ p at the answer and < p one step towards no action.
public enum LeverSearch {
    /// The values a lever is searched over: lower + k·step for k = 0…count, the last one the upper
    /// bound (a range that is not a whole number of steps ends on its upper bound).
    public struct Grid: Sendable, Equatable {
        public var lower: Double
        public var upper: Double
        public var step: Double

        public init(lower: Double, upper: Double, step: Double) {
            precondition(lower < upper && step > 0)
            self.lower = lower
            self.upper = upper
            self.step = step
        }

        /// The index of the last value (the upper bound).
        public var last: Int { max(Whole.clamped((upper - lower) / step - 1e-9, .up), 1) }

        public func value(_ k: Int) -> Double {
            if k >= last { return upper }
            // Rounded to 9 decimals, so 1.0 + 7·0.01 is 1.07 (not 1.0700000000000001) in --set.
            let v = lower + Double(k) * step
            return abs(v) < 1e6 ? (v * 1e9).rounded() / 1e9 : v
        }
    }

    /// One run of the scenario at a lever value: the target's figure in each draw (one figure, the
    /// deterministic path, without draws) and whether each reaches the target.
    public struct Evaluation: Sendable, Equatable {
        public var index: Int
        public var value: Double
        public var reached: [Bool]
        /// The figure's median over the draws (the deterministic figure without draws).
        public var median: Double

        public init(index: Int, value: Double, figures: [Double], target: Double) {
            self.index = index
            self.value = value
            reached = figures.map { $0 >= target }
            var v = figures
            median = v.isEmpty ? .nan : MonteCarloQuantiles.compute(&v, levels: [0.5])[0]
        }

        public var probability: Double {
            reached.isEmpty ? 0 : Double(reached.reduce(0) { $0 + ($1 ? 1 : 0) }) / Double(reached.count)
        }
    }

    /// Which way the lever moves P(reach), judged from the range's two ends (by the figure's median
    /// where P is the same at both, as it is on the deterministic path short of the target).
    public enum Direction: String, Sendable {
        /// More of the lever, more likely: the answer is the smallest value that reaches.
        case raises
        /// Less of the lever, more likely (a lapse rate): the answer is the largest value that reaches.
        case lowers
        /// The same P(reach) and median at both ends.
        case none
    }

    public enum Status: String, Sendable {
        /// Reached at the answer, not one step towards the other end.
        case found
        /// Already reached at the end of the range where the search starts (no more is needed).
        case reachedAtStart = "reached_at_start"
        /// Not reached anywhere on the range (P at its best end below p).
        case unreachable
        /// P(reach) and the median the same at both ends and midway: the lever does not move this
        /// figure on this range.
        case noEffect = "no_effect"
        /// The same at both ends but not midway: the lever moves the figure one way, then back (a
        /// reactivation share so high that the pool is used up before the plan year); search a
        /// narrower range.
        case notMonotone = "not_monotone"
    }

    public struct Outcome: Sendable {
        public var direction: Direction
        public var status: Status
        /// The answer: the value closest to the search's start at which P ≥ p (nil when unreachable).
        public var answer: Evaluation?
        /// One step before the answer, towards the start: P < p there (nil at the range's end).
        public var stepBefore: Evaluation?
        /// Every evaluation, by lever value.
        public var evaluations: [Evaluation]
        /// Draws whose outcome reverses (reached, then not) between neighbouring evaluated values as
        /// the lever moves the way it helps; 0 when the search's premise (monotone) holds on the draws.
        public var reversals: Int
        /// The draw-by-step comparisons the reversals were counted over.
        public var comparisons: Int
        /// Whether P(reach) itself falls somewhere along the evaluated values.
        public var probabilityNotMonotone: Bool
    }

    /// Searches `grid` for the value at which P(figure ≥ `target`) ≥ `probability`; `evaluate` runs the
    /// scenario at a lever value and returns the figure in each draw (it is called once per grid
    /// index at most).
    public static func solve<E: Error>(
        grid: Grid, target: Double, probability p: Double, evaluate: (Double) throws(E) -> [Double]
    ) throws(E) -> Outcome {
        var seen: [Int: Evaluation] = [:]
        func at(_ k: Int) throws(E) -> Evaluation {
            if let e = seen[k] { return e }
            let v = grid.value(k)
            let e = Evaluation(index: k, value: v, figures: try evaluate(v), target: target)
            seen[k] = e
            return e
        }
        let low = try at(0), high = try at(grid.last)
        let direction: Direction
        if high.probability != low.probability {
            direction = high.probability > low.probability ? .raises : .lowers
        } else {
            direction = high.median > low.median ? .raises : high.median < low.median ? .lowers : .none
        }
        var status: Status
        var answer: Evaluation?
        var before: Evaluation?
        switch direction {
        case .none:
            let mid = try at(grid.last / 2)
            status = mid.probability == low.probability && mid.median == low.median ? .noEffect : .notMonotone
            answer = status == .noEffect && low.probability >= p ? low : nil
        case .raises, .lowers:
            // From the start (the end with the lower P) towards the end that reaches.
            let (start, end) = direction == .raises ? (low, high) : (high, low)
            if start.probability >= p {
                status = .reachedAtStart
                answer = start
            } else if end.probability < p {
                status = .unreachable
            } else {
                // Invariant: P(notYet) < p ≤ P(reaches); indices one apart at the end.
                var notYet = start, reaches = end
                while abs(reaches.index - notYet.index) > 1 {
                    let mid = try at((notYet.index + reaches.index) / 2)
                    if mid.probability >= p { reaches = mid } else { notYet = mid }
                }
                status = .found
                answer = reaches
                before = notYet
            }
        }
        let evaluations = seen.values.sorted { $0.index < $1.index }
        var reversals = 0, comparisons = 0, falls = false
        for (a, b) in zip(evaluations, evaluations.dropFirst()) {
            // Along the way the lever helps: a then b when it raises, b then a when it lowers.
            let (first, then) = direction == .lowers ? (b, a) : (a, b)
            comparisons += min(first.reached.count, then.reached.count)
            for (x, y) in zip(first.reached, then.reached) where x && !y { reversals += 1 }
            if direction != .none && then.probability < first.probability { falls = true }
            if direction == .none && then.probability != first.probability { falls = true }
        }
        return Outcome(
            direction: direction, status: status, answer: answer, stepBefore: before, evaluations: evaluations,
            reversals: reversals, comparisons: comparisons, probabilityNotMonotone: falls)
    }
}
