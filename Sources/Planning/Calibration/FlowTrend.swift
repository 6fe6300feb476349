import Fitting
import Foundation

/// A trend in monthly acquisitions (issue 31, item 5). A flat 12-month mean projects a flow growing 10%
/// a year about 11% low over the next year and 20% low over two. With at least two years of monthly
/// figures (the latest three at most), the log of the figures is fitted by GLS with continuous-time
/// AR(1) errors twice: a level (log yₜ = a + uₜ) and a line (log yₜ = a + b·t + uₜ), both with
/// month-of-year effects where every calendar month has two figures (effect-coded, so the line is the
/// deseasonalised level: over whole years a seasonal wave is not orthogonal to a line, and left in it
/// tilts the slope). The two are compared by the AICc of their profile likelihoods (the month-of-year
/// effects, common to both, are not counted) and the lower is the projection's g₀, stated in
/// calibration.csv. The Monte Carlo draws take the line in the share of draws its Akaike weight gives
/// and the flat level in the others, each with φ, s and the coefficients from its posterior
/// (`Posterior`), so a flat flow that looks like a trend by chance is not projected with a trend's
/// certainty and a growing one is not projected flat.
///
/// Projected, |b| is capped at `cap` (30% a year), so that 24 months of history cannot blow it up. The
/// slope is not damped: a damping of 0.99 a month put a flow growing 5–15% a year under its P50 in 68%
/// of replicates two years on (undamped, 60%), and the draws' slopes already carry their uncertainty.
public struct FlowTrend: Sendable {
    /// Monthly log-growth b̂ (the posterior mean, capped) and the line's deseasonalised level at the
    /// last figure (exp of the posterior mean of its log).
    public var slope: Double
    public var level: Double
    /// The posterior of each model's coefficients with φ integrated out (`Posterior`).
    var line: Posterior
    var flat: Posterior
    /// The last figure's month.
    var lastMonth: Month
    /// The flat level: the mean of the latest 12 figures (g₀ without a trend).
    public var flatLevel: Double
    /// AICc of the level and of the line on the same figures; the line's Akaike weight.
    var aiccFlat: Double
    var aiccTrend: Double
    public var weight: Double { 1 / (1 + exp(-(aiccFlat - aiccTrend) / 2)) }
    /// The line has the lower AICc: g₀ is its level at the last figure and the central path grows.
    public var chosen: Bool { aiccTrend < aiccFlat }
    var capped: Bool
    var months: Int

    /// The cap on |b| (log 1.3 a year).
    static let cap = log(1.3) / 12
    /// Fewest monthly figures to weigh a trend (two years) and the most used (the latest three years).
    static let minimumMonths = 24
    static let maximumMonths = 36
    /// φ's grid for the posterior.
    static let phiGrid = stride(from: 0.0, through: 0.98, by: 0.02).map { $0 }

    /// A model's GLS fits on `phiGrid`: at each φ the log of the level at the last figure (arithmetic:
    /// log-mean + σ̂²/2 + log of the month-of-year factors' mean), the slope (0 for
    /// the flat level) and their covariance (at σ̂², row-major 2×2), and φ's posterior CDF from the
    /// restricted likelihood (flat prior on the grid). A draw takes φ from the posterior, then
    /// (level, slope) from the t distribution with the fit's dof: the predictive of the coefficients
    /// with φ, σ and β all uncertain. Plugging in φ̂ instead, a flat flow's slope was "significant" at
    /// 5% in 11% of two-year histories (the 95% interval of the integrated posterior holds 97%).
    struct Posterior: Sendable {
        var level: [Double]
        var slope: [Double]
        var covariance: [[Double]]
        /// σ̂² at each φ (the stationary variance of the log figures around the model).
        var variance: [Double]
        var cdf: [Double]
        var dof: Int
        /// Posterior means of the log level and the slope, and of φ.
        var meanLevel: Double { zip(weights, level).reduce(0) { $0 + $1.0 * $1.1 } }
        var meanSlope: Double { zip(weights, slope).reduce(0) { $0 + $1.0 * $1.1 } }
        var meanPhi: Double { zip(weights, FlowTrend.phiGrid).reduce(0) { $0 + $1.0 * $1.1 } }
        var weights: [Double] { cdf.indices.map { $0 == 0 ? cdf[0] : cdf[$0] - cdf[$0 - 1] } }
        /// The slope's posterior SD (mixture over φ, normal approximation of each t).
        var slopeSD: Double {
            let m = meanSlope
            return zip(weights, zip(slope, covariance)).reduce(0) { $0 + $1.0 * ($1.1.1[3] + ($1.1.0 - m) * ($1.1.0 - m)) }.squareRoot()
        }

        /// One draw of (log level at the last figure, slope, φ, s): φ from its posterior, s² = σ̂²·ν/χ²_ν
        /// at that φ, and the coefficients from their covariance at that s.
        func draw(_ rng: RandomStream) -> (level: Double, slope: Double, phi: Double, sd: Double) {
            let u = rng.uniform()
            let k = cdf.firstIndex { u <= $0 } ?? cdf.count - 1
            let c = covariance[k]
            let t = (Double(dof) / rng.chiSquared(Double(dof))).squareRoot()
            let l00 = c[0].squareRoot()
            let l10 = l00 > 0 ? c[1] / l00 : 0
            let l11 = max(c[3] - l10 * l10, 0).squareRoot()
            let z1 = rng.gaussian(sd: 1), z2 = rng.gaussian(sd: 1)
            return (level[k] + t * l00 * z1, slope[k] + t * (l10 * z1 + l11 * z2), FlowTrend.phiGrid[k], t * variance[k].squareRoot())
        }

        /// The fits of log y on `columns` (the first the constant, the second the time when `sloped`)
        /// over the grid; `end` the last figure's time in the columns' units.
        static func fit(y: [Double], columns: [[Double]], months t: [Double], end: Double, sloped: Bool) -> Posterior? {
            var level: [Double] = [], slope: [Double] = [], covariance: [[Double]] = [], variance: [Double] = [], logL: [Double] = []
            var dof = 0
            let p = columns.count
            for phi in FlowTrend.phiGrid {
                guard let g = LinearGLS.fit(y: y, columns: columns, months: t, phi: phi) else { return nil }
                let (vaa, vab, vbb) = (g.covariance[0], sloped ? g.covariance[1] : 0, sloped ? g.covariance[p + 1] : 0)
                let b = sloped ? g.coefficients[1] : 0
                let vLevel = vaa + 2 * end * vab + end * end * vbb
                let cLevelSlope = vab + end * vbb
                // The arithmetic level: exp(E log y + σ²/2) (the engine's g₀·(1 + S)·(1 + D) has E[D] = 0)
                // times the mean of the month-of-year factors exp(sⱼ) (the log effects are centred, the
                // engine's S sum to zero: without it a ±30% pattern put g₀ about 2% low).
                let effects = g.coefficients.suffix(from: sloped ? 2 : 1)
                let seasonalMean = effects.isEmpty ? 1 : (effects.reduce(0) { $0 + exp($1) } + exp(-effects.reduce(0, +))) / 12
                level.append(g.coefficients[0] + b * end + g.rss / Double(g.dof) / 2 + log(seasonalMean))
                slope.append(b)
                covariance.append([vLevel, cLevelSlope, cLevelSlope, vbb])
                variance.append(g.rss / Double(g.dof))
                logL.append(g.restrictedLogLikelihood)
                dof = g.dof
            }
            let top = logL.max()!
            let w = logL.map { exp($0 - top) }
            let total = w.reduce(0, +)
            var cdf: [Double] = []
            var running = 0.0
            for x in w { running += x / total; cdf.append(running) }
            cdf[cdf.count - 1] = 1
            return Posterior(level: level, slope: slope, covariance: covariance, variance: variance, cdf: cdf, dof: dof)
        }
    }

    /// The central path's g₀: the line's level where it is chosen, else the flat level.
    public var centralLevel: Double { chosen ? level : flatLevel }
    /// The central path's slope (0 when the flat level is chosen).
    public var centralSlope: Double { chosen ? slope : 0 }

    /// In words, for calibration.csv and the report.
    var source: String {
        let perYear = (exp(slope * 12) - 1) * 100
        let se = line.slopeSD * 12 * 100
        let which = chosen ? "trend chosen" : "flat level chosen"
        return "\(which): trend \(NumberText.fixed(perYear, 1))% a year (SD \(NumberText.fixed(se, 1)) points, φ integrated out) on \(months) monthly figures, AICc \(NumberText.fixed(aiccTrend, 1)) against \(NumberText.fixed(aiccFlat, 1)) flat; the trend in \(NumberText.fixed(weight * 100, 0))% of the draws (Akaike weight)"
            + (capped ? ", capped at 30% a year" : "")
    }

    /// For calibration.csv's deviation source: the draws' φ and s are not the φ and s shown beside it.
    var drawnDeviationSource: String {
        "; the draws take φ and s from the flat level's or the trend's posterior (mean φ \(NumberText.significant(flat.meanPhi, 3)) / \(NumberText.significant(line.meanPhi, 3)))"
    }

    /// One draw's level factor against the central g₀, monthly slope, and the deviations' φ and s:
    /// the line with probability `weight`, else the flat level; each from its posterior, so the
    /// deviations around a draw's level are those its φ and s imply.
    /// The flat draws are centred on the 12-month mean (the flat g₀; under a trend the whole period's
    /// mean lags the latest year) with that mean's own error at the draw's φ and s (`SerialCorrelation.meanStandardError`).
    func draw(_ rng: RandomStream) -> (level: Double, slope: Double, phi: Double, sd: Double) {
        if rng.uniform() < weight {
            let d = line.draw(rng)
            return (exp(d.level) / centralLevel, min(max(d.slope, -Self.cap), Self.cap), d.phi, d.sd)
        }
        let d = flat.draw(rng)
        let error = rng.gaussian(sd: SerialCorrelation.meanStandardError(rho: d.phi, sd: d.sd, count: 12))
        return (flatLevel / centralLevel * max(1 + error, 0.05), 0, d.phi, d.sd)
    }

    /// The trend of the latest 24–36 monthly figures `y` (all positive), against the flat level
    /// `flatLevel`; nil with fewer than `minimumMonths` or when a fit fails.
    static func estimate(months all: [Month], values allValues: [Double], flatLevel: Double) -> FlowTrend? {
        let months = Array(all.suffix(maximumMonths)), y = Array(allValues.suffix(maximumMonths))
        guard months.count >= minimumMonths, y.allSatisfy({ $0 > 0 && $0.isFinite }), flatLevel > 0 else { return nil }
        let n = Double(y.count)
        let t = months.map { Double($0.index) }
        let u = y.map { log($0) }
        let tBar = t.reduce(0, +) / n
        let time = t.map { $0 - tBar }
        var counts = [Int](repeating: 0, count: 12)
        for m in months { counts[m.month - 1] += 1 }
        // Month-of-year effects (effect coding: January … November +1 in their column, December −1 in all).
        let seasonal: [[Double]] = counts.allSatisfy({ $0 >= Seasonality.minimumYears })
            ? (1...11).map { j in months.map { $0.month == j ? 1.0 : $0.month == 12 ? -1.0 : 0.0 } } : []
        let seasonalNames = seasonal.indices.map { "S\($0 + 1)" }

        /// The profile log-likelihood of the OLS residuals of u on the columns (with an intercept) at their ML φ.
        func profile(_ columns: [[Double]], _ names: [String]) -> Double? {
            guard let r = try? LinearRegression.fit(y: u, columns: columns, names: names), r.rank == columns.count + 1 else { return nil }
            let e = u.indices.map { i in
                u[i] - r.coefficients[0].estimate - columns.indices.reduce(0) { $0 + r.coefficients[$1 + 1].estimate * columns[$1][i] }
            }
            let phi = SerialCorrelation.maximumLikelihoodPhi(e, months: t).phi
            return SerialCorrelation.concentratedLogLikelihood(e, months: t, phi: phi) - n / 2 * (log(2 * Double.pi) + 1)
        }
        guard let lineL = profile([time] + seasonal, ["b"] + seasonalNames), let flatL = profile(seasonal, seasonalNames) else { return nil }
        func aicc(_ logL: Double, parameters p: Int) -> Double {
            let k = Double(p + 2)  // the level (and slope), φ and s
            return -2 * logL + 2 * k + 2 * k * (k + 1) / (n - k - 1)
        }
        let ones = [Double](repeating: 1, count: y.count)
        let end = t.last! - tBar
        guard let line = Posterior.fit(y: u, columns: [ones, time] + seasonal, months: t, end: end, sloped: true),
            let flat = Posterior.fit(y: u, columns: [ones] + seasonal, months: t, end: end, sloped: false)
        else { return nil }
        let b = line.meanSlope
        return FlowTrend(
            slope: min(max(b, -cap), cap), level: exp(line.meanLevel), line: line, flat: flat, lastMonth: months.last!,
            flatLevel: flatLevel, aiccFlat: aicc(flatL, parameters: 1), aiccTrend: aicc(lineL, parameters: 2),
            capped: abs(b) > cap, months: y.count)
    }
}
