import Fitting
import Foundation

/// A level shift in the recent figures that the planner has not named (issue 31, item 2): the relative
/// residuals from the fitted curve tested for a step δ·1{t ≥ τ} at an unknown month τ among the last
/// `window` months, under the deviation model's AR(1) errors (continuous time: corr φ^Δmonths).
/// Statistic: sup over τ of the likelihood ratio n·log(RSS₀/RSS₁(τ)) of the GLS regressions on a
/// constant, and on a constant and the step (Andrews 1993). With the break date searched the χ²₁
/// critical value does not hold, so the p-value is a parametric bootstrap: `replicates` AR(1) series at
/// φ̂ on the same months, the same search, from a stream seeded by the cell (deterministic).
public struct LevelShift: Sendable, Equatable {
    /// The first month at the shifted level, the shift (the residuals' mean from it on less their mean
    /// before it, relative to the curve) and its p-value.
    public var month: Month
    public var shift: Double
    public var pValue: Double

    static let window = 24
    /// Fewest points in all, and after the break, to search.
    static let minimumPoints = 24
    static let minimumAfter = 3
    static let replicates = 199
    public static let level = 0.05

    /// The test on residuals `e` at `months` (sorted), with the deviation model's φ and s; nil when there
    /// are too few points, the shift is not significant at `level`, or it is not a shift a planner needs
    /// told of: smaller than one deviation SD s (near φ = 1 a step of 0.01% can be "significant"), or
    /// carried by one odd figure (without the figure after τ furthest in the shift's direction, their
    /// mean is less than half the shift from the level before it; the jump-off check speaks for a last
    /// figure far off).
    static func test(residuals e: [Double], months: [Month], phi: Double, sd: Double, seed: UInt64) -> LevelShift? {
        let n = e.count
        guard n >= minimumPoints, let last = months.last else { return nil }
        let t = months.map { Double($0.index) }
        let first = last.adding(months: -(window - 1))
        // Candidate breaks: a month of the window with at least `minimumAfter` points from it on and
        // `minimumAfter` before it.
        let candidates = months.indices.filter { months[$0] >= first && $0 >= minimumAfter && n - $0 >= minimumAfter }
        guard !candidates.isEmpty else { return nil }
        let rho = (1..<n).map { pow(min(max(phi, 0), 0.995), t[$0] - t[$0 - 1]) }
        let design = Design(rho: rho, candidates: candidates)
        let observed = design.supLR(e)
        // What the planner is told, and judged on: the figures' mean after τ against their mean before
        // (the GLS δ̂ weighs the months around τ heavily near φ = 1). Not a shift to tell of when it is
        // under one deviation SD, or when without its most extreme figure the rest moved less than
        // half as far.
        let before = e[..<observed.at].reduce(0, +) / Double(observed.at)
        let moved = e[observed.at...].map { $0 - before }
        let shift = moved.reduce(0, +) / Double(moved.count)
        guard abs(shift) >= sd, shift * observed.shift > 0 else { return nil }
        let towards = moved.map { $0 * (shift < 0 ? -1 : 1) }.sorted()
        guard towards.dropLast().reduce(0, +) / Double(towards.count - 1) >= abs(shift) / 2 else { return nil }
        let rng = RandomStream(seed: seed)
        var exceed = 0
        var u = [Double](repeating: 0, count: n)
        for _ in 0..<replicates {
            u[0] = rng.gaussian(sd: 1)
            for k in 1..<n { u[k] = rho[k - 1] * u[k - 1] + (1 - rho[k - 1] * rho[k - 1]).squareRoot() * rng.gaussian(sd: 1) }
            if design.supLR(u).statistic >= observed.statistic { exceed += 1 }
        }
        let p = Double(exceed + 1) / Double(replicates + 1)
        guard p < level else { return nil }
        return LevelShift(month: months[observed.at], shift: shift, pValue: p)
    }

    static func supLR(_ y: [Double], rho: [Double], candidates: [Int]) -> (statistic: Double, at: Int, shift: Double) {
        Design(rho: rho, candidates: candidates).supLR(y)
    }

    /// The whitened constant and steps, the same for the observed series and every bootstrap series
    /// (`SerialCorrelation.whiten` with ρᵢ = φ^(tᵢ − tᵢ₋₁)).
    struct Design {
        let rho: [Double]
        let candidates: [Int]
        let wc: [Double]
        let steps: [[Double]]
        let cc: Double
        let cs: [Double]
        let ss: [Double]

        init(rho: [Double], candidates: [Int]) {
            self.rho = rho
            self.candidates = candidates
            let n = rho.count + 1
            let c = SerialCorrelation.whiten([Double](repeating: 1, count: n), lags: rho)
            let w = candidates.map { tau in SerialCorrelation.whiten((0..<n).map { $0 >= tau ? 1 : 0 }, lags: rho) }
            wc = c
            steps = w
            cc = LevelShift.dot(c, c)
            cs = w.map { LevelShift.dot(c, $0) }
            ss = w.map { LevelShift.dot($0, $0) }
        }

        /// sup over the candidates of n·log(RSS₀/RSS₁), the break index and δ̂ there: the GLS
        /// regressions of y on the constant, and on the constant and the step.
        func supLR(_ y: [Double]) -> (statistic: Double, at: Int, shift: Double) {
            let n = y.count
            let wy = SerialCorrelation.whiten(y, lags: rho)
            let cy = LevelShift.dot(wc, wy), yy = LevelShift.dot(wy, wy)
            let rss0 = yy - cy * cy / cc
            var best = (statistic: -Double.infinity, at: candidates[0], shift: 0.0)
            for (j, tau) in candidates.enumerated() {
                let det = cc * ss[j] - cs[j] * cs[j]
                guard det > 1e-12 * cc * ss[j] else { continue }
                let sy = LevelShift.dot(steps[j], wy)
                // (μ̂, δ̂) = (XᵀX)⁻¹Xᵀy; RSS₁ = yᵀy − (μ̂·cy + δ̂·sy).
                let mu = (ss[j] * cy - cs[j] * sy) / det, delta = (cc * sy - cs[j] * cy) / det
                let rss1 = max(yy - (mu * cy + delta * sy), 1e-300)
                let lr = Double(n) * log(max(rss0, 1e-300) / rss1)
                if lr > best.statistic { best = (lr, tau, delta) }
            }
            return best
        }
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for k in a.indices { s += a[k] * b[k] }
        return s
    }
}
