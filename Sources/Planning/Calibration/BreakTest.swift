import Fitting
import Foundation

/// A level shift in the recent figures that the planner has not named (issue 31, item 2): the relative
/// residuals from the fitted curve tested for a step δ·1{t ≥ τ} at an unknown month τ among the last
/// `window` months, under the deviation model's AR(1) errors (continuous time: corr φ^Δmonths).
/// Statistic: sup over τ of the likelihood ratio n·log(RSS₀/RSS₁(τ)) of the GLS regressions on a
/// constant, and on a constant and the step (Andrews 1993). With the break date searched the χ²₁
/// critical value does not hold, so the p-value is a parametric bootstrap: `replicates` AR(1) series at
/// φ̂ on the same months, the same search, from a stream seeded by the cell (deterministic). A step to
/// the last figure is the disturbance test's window [τ, n), so both tests share one closed form
/// (`TransientShift.WindowDesign`).
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
        // A step from τ to the last figure is a window [τ, n): the disturbance test's closed form.
        let steps = candidates.map { ($0, n) }
        let design = TransientShift.WindowDesign(months: t, phi: phi)
        let observed = design.supLR(e, steps)
        let at = observed.window.0
        // What the planner is told, and judged on: the figures' mean after τ against their mean before
        // (the GLS δ̂ weighs the months around τ heavily near φ = 1). Not a shift to tell of when it is
        // under one deviation SD, or when without its most extreme figure the rest moved less than
        // half as far.
        let before = e[..<at].reduce(0, +) / Double(at)
        let moved = e[at...].map { $0 - before }
        let shift = moved.reduce(0, +) / Double(moved.count)
        guard abs(shift) >= sd, shift * observed.shift > 0 else { return nil }
        let towards = moved.map { $0 * (shift < 0 ? -1 : 1) }.sorted()
        guard towards.dropLast().reduce(0, +) / Double(towards.count - 1) >= abs(shift) / 2 else { return nil }
        let rng = RandomStream(seed: seed)
        var exceed = 0
        var u = [Double](repeating: 0, count: n)
        for _ in 0..<replicates {
            ar1(&u, lags: design.rho, rng: rng)
            if design.supLR(u, steps).statistic >= observed.statistic { exceed += 1 }
        }
        let p = Double(exceed + 1) / Double(replicates + 1)
        guard p < level else { return nil }
        return LevelShift(month: months[at], shift: shift, pValue: p)
    }

    /// A stationary unit-variance AR(1) series with lag coefficients `lags` (uᵢ = ρᵢ·uᵢ₋₁ + √(1 − ρᵢ²)·z),
    /// written into `u`: the null series of both break tests' bootstraps.
    static func ar1(_ u: inout [Double], lags rho: [Double], rng: RandomStream) {
        u[0] = rng.gaussian(sd: 1)
        for k in 1..<u.count { u[k] = rho[k - 1] * u[k - 1] + (1 - rho[k - 1] * rho[k - 1]).squareRoot() * rng.gaussian(sd: 1) }
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for k in a.indices { s += a[k] * b[k] }
        return s
    }
}

/// A disturbance that came and went (issue 31, item 2, "breaks the data show"): the relative residuals
/// from the fitted curve tested for a level effect δ·1{a ≤ t < b} over an unknown window, one that ended
/// with the figures back where they were, like the pandemic's dip in 2020–2021 seen from 2023. Windows
/// of 6 to 24 months with at least 3 points in them, and 6 points before and after them; statistic:
/// sup over windows of n·log(RSS₀/RSS₁) of the GLS regressions on a constant, and on a constant and the
/// window (an "epidemic" change; Andrews 1993's sup-LR with two break dates), φ estimated inside the
/// statistic (`statistic`). The p-value is a parametric bootstrap at the observed statistic's φ, stopped
/// once 10 bootstrap statistics reach the observed one (Besag & Clifford 1991: p ≥ 11/200 can no longer
/// fall under the level). Size and power on AR(1) residuals are measured in `TransientShiftTests`.
public struct TransientShift: Sendable, Equatable {
    /// The first and last months inside the window, the shift (the residuals' mean inside less their
    /// mean before it) and the p-value.
    public var from: Month
    public var to: Month
    public var shift: Double
    public var pValue: Double
    /// The months left out of the refit: the window and one figure either side of it (a dip's ramps in
    /// and out sit there, partly shifted).
    public var leftOut: ClosedRange<Month>

    /// Six months at least: shorter windows are where the deviations' own noise most often looks like a
    /// disturbance (at 3 months about half the histories without one reached the size test and its
    /// bootstrap, which doubled `rkat bench national`'s fitting time).
    static let shortest = 6, longest = 24
    static let minimumInside = 3, minimumOutside = 6
    /// Months the figures must span: on 24 monthly figures of the model's own class the test fired in
    /// 15% (the curve takes up much of so short a history); below this the band is flagged anyway.
    static let minimumSpan: Int = FitCheck.shortSpan
    static let replicates = 199
    static let stopAfter = 10

    /// The windows [a, b) (indices) searched at `months`: 6–24 months long, at least 3 points inside
    /// and 6 before and after.
    static func windows(_ months: [Month]) -> [(Int, Int)] {
        let n = months.count
        var out: [(Int, Int)] = []
        guard n >= 2 * minimumOutside + minimumInside else { return out }
        for a in minimumOutside...(n - minimumOutside - minimumInside) {
            for b in (a + minimumInside)...(n - minimumOutside) {
                let span = months[b - 1].index - months[a].index + 1
                if span > longest { break }
                if span >= shortest { out.append((a, b)) }
            }
        }
        return out
    }

    /// The test on residuals `e` at `months` (sorted). Nil when no window can be searched, when the best
    /// is not one to tell (a shift under 2 SDs of the deviations without it, or one that did
    /// not end: the figures after the window less than halfway back to those before it, a lasting
    /// shift being `LevelShift`'s), or when it is not significant at `LevelShift.level`. The size test
    /// is also the cheap one: it screens out most histories without a disturbance before the bootstrap.
    static func test(residuals e: [Double], months: [Month], seed: UInt64) -> TransientShift? {
        let n = e.count
        guard let first = months.first, let last = months.last, first.distance(to: last) + 1 >= minimumSpan else { return nil }
        let candidates = windows(months)
        guard !candidates.isEmpty else { return nil }
        let t = months.map { Double($0.index) }
        let observed = statistic(e, months: t, candidates)
        let (a, b) = observed.window
        func average(_ s: ArraySlice<Double>) -> Double { s.reduce(0, +) / Double(s.count) }
        let before = average(e[..<a]), inside = average(e[a..<b]), after = average(e[b...])
        let shift = inside - before
        guard abs(shift) >= 2 * observed.sd, shift * observed.shift > 0, abs(after - before) <= abs(shift) / 2 else { return nil }
        let rng = RandomStream(seed: seed)
        let rho = observed.design.rho
        var exceed = 0
        var u = [Double](repeating: 0, count: n)
        for _ in 0..<replicates {
            LevelShift.ar1(&u, lags: rho, rng: rng)
            if statistic(u, months: t, candidates).statistic >= observed.statistic {
                exceed += 1
                if exceed >= stopAfter { return nil }
            }
        }
        let p = Double(exceed + 1) / Double(replicates + 1)
        guard p < LevelShift.level else { return nil }
        return TransientShift(from: months[a], to: months[b - 1], shift: shift, pValue: p, leftOut: months[a - 1]...months[b])
    }

    /// The statistic, a function of the residuals alone (so the bootstrap repeats it whole): φ by
    /// maximum likelihood, the best window at it, φ again with that window's effect taken out (a
    /// disturbance's own persistence is not the deviations'; at the first φ a −8% dip was found in a
    /// third of histories), and the sup-LR over the windows at the second φ, with its design (whose φ
    /// the bootstrap draws at) and the deviations' SD without the window (the dip inflates the fit's s).
    /// Estimating φ inside the statistic keeps the test's size: taken once from the observed residuals,
    /// it fired in 10% of histories without a disturbance.
    static func statistic(_ e: [Double], months t: [Double], _ candidates: [(Int, Int)])
        -> (statistic: Double, window: (Int, Int), shift: Double, design: WindowDesign, sd: Double)
    {
        func centred(_ x: [Double]) -> [Double] {
            let mean = x.reduce(0, +) / Double(x.count)
            return x.map { $0 - mean }
        }
        let first = WindowDesign(months: t, phi: SerialCorrelation.maximumLikelihoodPhi(centred(e), months: t).phi).supLR(e, candidates)
        var adjusted = e
        for k in first.window.0..<first.window.1 { adjusted[k] -= first.shift }
        let without = SerialCorrelation.maximumLikelihoodPhi(centred(adjusted), months: t)
        let design = WindowDesign(months: t, phi: without.phi)
        let r = design.supLR(e, candidates)
        return (r.statistic, r.window, r.shift, design, without.sd)
    }

    /// The GLS regressions of the windows in closed form. Whitened (`SerialCorrelation.whiten`,
    /// ρᵢ = φ^(tᵢ − tᵢ₋₁)), the step 1{t ≥ τ} is cτ at τ, dₖ = (1 − ρₖ)/√(1 − ρₖ²) after it and 0 before
    /// (c₀ = 1, cₖ = 1/√(1 − ρₖ²)); a window [a, b) is step(a) − step(b) and the constant step(0). So
    /// every cross-product is a suffix sum, and each window costs O(1) rather than O(n).
    struct WindowDesign {
        let rho: [Double]
        let c: [Double]
        let d: [Double]
        /// Σₖ₌τ₊₁.. dₖ², with a 0 at n.
        let dSquaredAfter: [Double]

        init(months t: [Double], phi: Double) {
            let n = t.count
            let p = min(max(phi, 0), 0.995)
            rho = (1..<max(n, 1)).map { pow(p, t[$0] - t[$0 - 1]) }
            var c = [Double](repeating: 1, count: n), d = [Double](repeating: 0, count: n)
            for k in 1..<max(n, 1) {
                let root = (1 - rho[k - 1] * rho[k - 1]).squareRoot()
                c[k] = 1 / root
                d[k] = (1 - rho[k - 1]) / root
            }
            self.c = c
            self.d = d
            var after = [Double](repeating: 0, count: n + 1)
            for k in stride(from: n - 2, through: 0, by: -1) { after[k] = after[k + 1] + d[k + 1] * d[k + 1] }
            dSquaredAfter = after
        }

        /// step(a) · step(b), a ≤ b.
        func gram(_ a: Int, _ b: Int) -> Double { (a == b ? c[a] * c[a] : d[b] * c[b]) + dSquaredAfter[b] }

        /// sup over `windows` of n·log(RSS₀/RSS₁), the window there and its GLS δ̂.
        func supLR(_ y: [Double], _ windows: [(Int, Int)]) -> (statistic: Double, window: (Int, Int), shift: Double) {
            let n = y.count
            let wy = SerialCorrelation.whiten(y, lags: rho)
            // step(τ) · wy for every τ: cτ·wyτ + Σₖ₌τ₊₁.. dₖ·wyₖ.
            var stepY = [Double](repeating: 0, count: n + 1)
            var tail = 0.0
            for k in stride(from: n - 1, through: 0, by: -1) {
                stepY[k] = c[k] * wy[k] + tail
                tail += d[k] * wy[k]
            }
            var yy = 0.0
            for v in wy { yy += v * v }
            let cc = gram(0, 0), cy = stepY[0]
            let rss0 = max(yy - cy * cy / cc, 1e-300)
            var best = (statistic: -Double.infinity, window: windows[0], shift: 0.0)
            for (a, b) in windows {
                let gbb = b < n ? gram(b, b) : 0, gab = b < n ? gram(a, b) : 0, g0b = b < n ? gram(0, b) : 0
                let xx = gram(a, a) - 2 * gab + gbb
                let cx = gram(0, a) - g0b
                let xy = stepY[a] - stepY[b]
                let det = cc * xx - cx * cx
                guard det > 1e-12 * cc * xx else { continue }
                let mu = (xx * cy - cx * xy) / det, delta = (cc * xy - cx * cy) / det
                let rss1 = max(yy - (mu * cy + delta * xy), 1e-300)
                let lr = Double(n) * log(rss0 / rss1)
                if lr > best.statistic { best = (lr, (a, b), delta) }
            }
            return best
        }
    }
}
