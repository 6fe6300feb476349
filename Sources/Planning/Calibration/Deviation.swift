import Fitting
import Foundation

/// What the curve (or the mean flow) does not explain: a relative deviation D, stationary, AR(1) in
/// continuous time (corr φ^Δmonths), SD s (docs/engine.md, "Deviations"). For a stock: reported stock =
/// curve path × (1 + D). For flows: acquisitions = g₀ × (1 + D).
public struct DeviationModel: Sendable {
    /// Monthly persistence φ and the stationary SD s of D (relative), as estimated or by default.
    public var phi: Double
    public var sd: Double
    /// Residual degrees of freedom of s when estimated: each draw takes s² = ŝ²·ν/χ²_ν and scales its
    /// parameter draw with it (a multivariate t with ν = n − p). nil when s is a default.
    public var dof: Int?
    /// Standard error of φ when estimated: draws take φ ~ N(φ̂, SE²) within [0, 0.995].
    var phiSE: Double?
    /// The typical gap between the fitted points, in months (the curve's parameter draws are widened
    /// with φ at this lag: see `parameterScale`).
    var pointGap: Double = 1
    /// A month-of-year component (reported = curve × (1 + S + D), flows g₀ × (1 + S) × (1 + D)); nil without one, and in words
    /// either way for calibration.csv.
    public var seasonality: Seasonality? = nil
    public var seasonalitySource = "none (fewer than \(Seasonality.minimumYears) full years of monthly figures)"
    /// Flows: the trend weighed against the flat level (`FlowTrend`); nil without two years of monthly figures.
    public var trend: FlowTrend? = nil
    /// Short histories: φ drawn uniformly from `phiRange`, and s from `sdPosterior` (the series' own
    /// residuals with a weak prior), in every draw.
    var phiRange: ClosedRange<Double>?
    var sdPosterior: ScalePosterior?
    /// In words, for calibration.csv.
    public var source: String
    /// The residuals read as an AR(1) state plus reporting noise, where the history prefers it: the
    /// curve's parameter draws widened by the long-run SD it finds (`NoisyReading`).
    public var noisyReading: NoisyReading? = nil
    /// A rise in the deviations' noise the history shows: s (and its dof) are then the later figures'
    /// (`NoiseRise`).
    public var noiseRise: NoiseRise? = nil
    /// s as the whole history gives it: what the fit checks and a comparison of two fits read (the
    /// draws take `sd`, the later noise where it rose).
    public var historySD: Double { noiseRise?.wholeSD ?? sd }
    /// The jump-off: the last actual figure and its relative deviation from the fitted curve (or the
    /// mean flow); the engine's start month is `gap` months later.
    var lastMonth: Month
    public var lastValue: Double
    var lastDeviation: Double
    public var gap: Int

    /// How much wider a draw's curve parameters are at its own φ than at φ̂: the GLS covariance was
    /// computed at φ̂, and trend parameters' standard errors grow with the long-run SD of the
    /// deviations, s·√((1 + ρ)/(1 − ρ)) (ρ = φ^gap, s fixed), so integrating over φ's uncertainty
    /// scales each draw by √[((1 + ρ)/(1 − ρ)) / ((1 + ρ̂)/(1 − ρ̂))]. Without this, persistent
    /// deviations (φ ≈ 0.9) leave the band too narrow two years out.
    func parameterScale(phi drawn: Double) -> Double {
        parameterScale(phi: drawn, longRunAtEstimate: longRun(phi))
    }

    /// The same with the estimate's (1 + ρ̂)/(1 − ρ̂) worked out once (the engine asks for every draw).
    func parameterScale(phi drawn: Double, longRunAtEstimate: Double) -> Double {
        guard phiSE != nil else { return 1 }
        return (longRun(drawn) / longRunAtEstimate).squareRoot()
    }

    /// (1 + ρ)/(1 − ρ) at ρ = φ^gap (capped at 0.995); at the usual gap of one month ρ is φ itself,
    /// which pow would return too.
    func longRun(_ phi: Double) -> Double {
        let rho = min(pointGap == 1 ? max(phi, 0) : pow(max(phi, 0), pointGap), 0.995)
        return (1 + rho) / (1 - rho)
    }

    /// The central deviation at the engine's start month: φ^gap·D(last).
    var startDeviation: Double { pow(phi, Double(gap)) * lastDeviation }

    /// Fewest points to estimate φ and s from a history; fewer take the defaults.
    public static let minimumPoints = 12

    /// φ for short histories, taken as uncertain: uniform on [0.85, 0.99] a month. Source: the project's
    /// longest history, examples/national-active.csv (14 points, Dec 2015 – Dec 2024): φ 0.95 a month
    /// with a logistic, linear or exponential trend; a short series cannot estimate it.
    static let defaultPhi = 0.85...0.99

    /// Short histories (fewer than `minimumPoints`): φ by default, s from the series' own residuals
    /// (ŝ from the GLS fit at the default φ's centre, ν = n − p dof) combined with the weak prior
    /// of `ScalePosterior`, so a quiet series gets narrower bands than a noisy one (issue 31, item 4).
    static func short(
        last: (month: Month, value: Double), deviation: Double, gap: Int, residualSD: Double?, dof: Int, why: String
    ) -> DeviationModel {
        let posterior = ScalePosterior(residualSD: residualSD, dof: dof)
        var own: String? = nil
        if let r = residualSD, dof > 0 { own = "ŝ \(NumberText.significant(r, 3)) (\(dof) dof)" }
        let source = why + "; φ ~ uniform[0.85, 0.99] a month by default; s "
            + (own.map { "from the series' \($0) with the prior \(ScalePosterior.priorText): median \(NumberText.significant(posterior.median, 3))" }
                ?? "from the prior \(ScalePosterior.priorText) alone (no residual dof)")
        return DeviationModel(
            phi: (defaultPhi.lowerBound + defaultPhi.upperBound) / 2, sd: posterior.median,
            dof: nil, phiSE: nil, phiRange: defaultPhi, sdPosterior: posterior, source: source,
            lastMonth: last.month, lastValue: last.value, lastDeviation: deviation, gap: gap)
    }

    /// Months since `origin` as a real number (for φ^Δ), from decimal years.
    static func months(_ t: [Double]) -> [Double] { t.map { ($0 * 12).rounded() } }

    /// φ and s of the monthly acquisition figures around their mean (flows), as g₀·(1 + S)·(1 + D); with
    /// one or two figures, the short-history prior (`short`). Needs at least 12
    /// consecutive monthly figures for φ; with 3–11, s from their spread and φ by default. s has the
    /// degrees of freedom left after the mean and, with a month-of-year pattern, its 11 free effects
    /// (issue 31: divided by n − 1 alone, s was about 0.72× too small with a pattern in 24 months).
    /// With a trend chosen, the deviations are around its line (g₀ at the last figure).
    static func ofFlows(_ flows: MonthlyFlows, g0: Double, trend: FlowTrend? = nil, start: Month) -> DeviationModel? {
        guard flows.source == .monthly, g0 > 0 else { return nil }
        let months = flows.byMonth.keys.sorted().suffix(24)
        guard let last = months.last, let lastValue = flows.byMonth[last] else { return nil }
        // One or two figures: s from the short-history prior (and the pair's spread), φ by default, not
        // a band of zero width (a backtest's first origins had P10 = P90).
        guard months.count >= 3 else {
            let spread = months.count == 2 ? abs(flows.byMonth[months.first!]! - lastValue) / g0 / 2.0.squareRoot() : nil
            var d = short(
                last: (last, lastValue), deviation: lastValue / g0 - 1, gap: max(last.distance(to: start), 0),
                residualSD: spread, dof: months.count - 1, why: "monthly acquisitions (\(months.count), too few for φ and s)")
            // g₀ is the mean of these figures: its own error is drawn (`MonteCarlo`, flows).
            d.dof = months.count - 1
            return d
        }
        let slope = trend?.centralSlope ?? 0
        let level = { (m: Month) in g0 * exp(slope * Double(last.distance(to: m))) }
        var e = months.map { flows.byMonth[$0]! / level($0) - 1 }
        let t = months.map { Double($0.index) }
        // A month-of-year pattern in the acquisitions (two full years of them), taken out before φ and s.
        // Shrunk, not dropped, when the test does not keep it (`Seasonality.shrunk`). Flows are
        // g₀·(1 + S)·(1 + D): a strong month's noise is in proportion to it (issue 31, item 5).
        let (seasonality, seasonalityNote) = Seasonality.shrunk(zip(months, e).map { ($0, $1) })
        if let seasonality { e = zip(months, e).map { (1 + $1) / (1 + seasonality.effect($0)) - 1 } }
        let lastDev = lastValue / (g0 * (1 + (seasonality?.effect(last) ?? 0))) - 1
        let gapNow = last.distance(to: start)
        // A shrunk pattern uses up about its share of the 11 effects' degrees of freedom; a chosen trend one.
        let dof = max(e.count - 1 - (slope == 0 ? 0 : 1) - (Whole.nearest(11 * (seasonality?.shrinkage ?? 0)) ?? 0), 1)
        let spread = (e.reduce(0) { $0 + $1 * $1 } / Double(dof)).squareRoot()
        if months.count >= minimumPoints {
            let ml = SerialCorrelation.maximumLikelihoodPhi(e, months: t)
            let phi = SerialCorrelation.biasCorrected(phi: ml.phi, months: t, parameters: slope == 0 ? 1 : 2)
            let rho = phi
            var d = DeviationModel(
                phi: phi, sd: max(spread, 1e-9), dof: dof, phiSE: ((1 - rho * rho) / Double(e.count)).squareRoot(),
                phiRange: nil, sdPosterior: nil,
                source: "monthly acquisitions \(months.first!)–\(last) (\(e.count)): φ \(NumberText.significant(phi, 3)) (ML \(NumberText.significant(ml.phi, 3)), bias-corrected), s \(NumberText.significant(spread, 3))",
                lastMonth: last, lastValue: lastValue, lastDeviation: lastDev, gap: max(gapNow, 0))
            d.seasonality = seasonality
            d.seasonalitySource = seasonalityNote
            d.trend = trend
            d.source += trend.map(\.drawnDeviationSource) ?? ""
            return d
        }
        var d = DeviationModel(
            phi: (defaultPhi.lowerBound + defaultPhi.upperBound) / 2, sd: max(spread, 1e-9), dof: dof, phiSE: nil,
            phiRange: defaultPhi, sdPosterior: nil,
            source: "monthly acquisitions (\(e.count), too few for φ): s \(NumberText.significant(spread, 3)) from their spread; φ ~ uniform[0.85, 0.99] by default",
            lastMonth: last, lastValue: lastValue, lastDeviation: lastDev, gap: max(gapNow, 0))
        d.seasonality = seasonality
        d.seasonalitySource = seasonalityNote
        d.trend = trend
        d.source += trend.map(\.drawnDeviationSource) ?? ""
        return d
    }
}

/// The relative residuals of a curve read as an AR(1) state plus white reporting noise
/// (`ReportingNoise`), where the history prefers that to the AR(1) alone: a likelihood ratio above 2.71,
/// the 5% level with the noise's variance on its boundary. The draws keep the AR(1)'s φ, s and jump-off,
/// which describe the deviations month to month; the curve's parameter draws are widened. A trend's
/// errors scale with the long-run SD of the deviations around it, and an AR(1) fitted to a wandering
/// state under 1% of reporting noise reads the noise as a fast decay (φ̂ 0.3–0.9 in the histories
/// whose band missed, on the stochastic diffusion of `scripts/offmodel_check.py`) and understates it:
/// the bands two years out held 0.61.
/// Read with the noise, the long-run variance is s²·L(φ) + s_ε² (L(φ) = (1 + ρ)/(1 − ρ), ρ = φ^gap),
/// against the AR(1)'s ŝ₁²·L(φ₁); the draws' parameter scale is multiplied by the square root of the
/// ratio, and never narrowed (the AR(1)'s covariance is the fit's own).
public struct NoisyReading: Sendable {
    /// The state's monthly persistence (maximum likelihood, and bias-corrected for the curve's
    /// parameters as the AR(1)'s φ is) and SD, the noise's SD, and the likelihood ratio.
    public var mlPhi: Double
    public var phi: Double
    public var stateSD: Double
    public var noiseSD: Double
    public var ratio: Double
    /// √(long-run variance read with the noise / the AR(1)'s), at least 1.
    public var parameterWidening: Double

    /// The reading of residuals `e` at `months` for a deviation model estimated from them (its φ, s, dof
    /// and point gap), with `p` curve parameters fitted; nil when the AR(1) is preferred.
    static func read(_ e: [Double], months: [Double], parameters p: Int, for deviation: DeviationModel) -> NoisyReading? {
        guard let dof = deviation.dof, let (fit, ratio) = ReportingNoise.preferred(e, months: months) else { return nil }
        let phi = min(SerialCorrelation.biasCorrected(phi: fit.phi, months: months, parameters: p), ReportingNoise.maximumPhi)
        // σ̂² is the maximum-likelihood S/n: on the AR(1)'s degrees of freedom, as its s is.
        let widen = (Double(e.count) / Double(dof)).squareRoot()
        let (state, noise) = (fit.stateSD * widen, fit.noiseSD * widen)
        let ratioOfLongRun = (state * state * deviation.longRun(phi) + noise * noise) / (deviation.sd * deviation.sd * deviation.longRun(deviation.phi))
        return NoisyReading(
            mlPhi: fit.phi, phi: phi, stateSD: state, noiseSD: noise, ratio: ratio,
            parameterWidening: max(ratioOfLongRun.squareRoot(), 1))
    }

    /// For calibration.csv's `deviation_source`.
    var source: String {
        "; read as an AR(1) state with reporting noise (likelihood ratio \(NumberText.significant(ratio, 3)) > 2.71: φ \(NumberText.significant(phi, 3)) "
            + "(ML \(NumberText.significant(mlPhi, 3)), bias-corrected), state s \(NumberText.significant(stateSD, 3)), noise s \(NumberText.significant(noiseSD, 3))), "
            + "the curve's parameters drawn ×\(NumberText.significant(parameterWidening, 3)) wider (the long-run SD against the AR(1)'s)"
    }
}

/// The share ρ of their deviations' monthly innovations that the segments of one region have in
/// common (docs/uncertainty.md, "Segments together"): each segment's innovation is
/// √ρ·z_region + √(1 − ρ)·z_own, so two segments with the same φ have corr(D) = ρ at every lag.
/// Independent segments (ρ = 0) make a region's TOTAL band too narrow when one economy, one campaign
/// or one data revision moves them all. Estimated where two or more curve segments of the region have
/// at least `minimumCommonMonths` consecutive monthly stock figures in common, else a stated default.
public struct SegmentCorrelation: Sendable {
    /// The central ρ; with `range`, each draw takes ρ uniformly from it (the same in every cell of
    /// the region: drawn from the region's stream).
    public var rho: Double
    public var range: ClosedRange<Double>?
    /// In words, for calibration.csv.
    public var source: String

    static let minimumCommonMonths = 12
    /// Without data: ρ uniform on [0, 0.8] a draw, from independent segments to mostly common shocks.
    /// No history the project has measures it; the range states that it is unknown.
    static let defaultRange = 0.0...0.8
    static var byDefault: SegmentCorrelation {
        SegmentCorrelation(
            rho: (defaultRange.lowerBound + defaultRange.upperBound) / 2, range: defaultRange,
            source: "default (too few common monthly figures to estimate; ρ ~ uniform[0, 0.8] a draw)")
    }

    /// ρ from the segments' whitened innovations ηₜ = (eₜ − φ·eₜ₋₁)/√(1 − φ²) at consecutive months
    /// (e the relative deviation from each segment's curve): the mean of the pairwise Pearson
    /// correlations over common months, within [0, 0.95]; nil when no pair has enough months.
    static func estimate(_ innovations: [(segment: String, byMonth: [Month: Double])]) -> SegmentCorrelation? {
        var correlations: [Double] = []
        var months = 0
        var names: Set<String> = []
        // Each cell's months sorted once, then each pair's common months by merging: a Kanwil of 150
        // cells has 11,175 pairs, and looking each month up in the other's dictionary was most of
        // `rkat bench national`'s correlation step.
        let series = innovations.map { c in c.byMonth.sorted { $0.key < $1.key } }
        for i in innovations.indices {
            for j in innovations.indices where j > i {
                var a: [Double] = [], b: [Double] = []
                a.reserveCapacity(min(series[i].count, series[j].count))
                b.reserveCapacity(a.capacity)
                var p = 0, q = 0
                while p < series[i].count, q < series[j].count {
                    let (x, y) = (series[i][p], series[j][q])
                    if x.key == y.key {
                        a.append(x.value)
                        b.append(y.value)
                        p += 1
                        q += 1
                    } else if x.key < y.key { p += 1 } else { q += 1 }
                }
                guard a.count >= minimumCommonMonths else { continue }
                let n = Double(a.count)
                let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
                var sab = 0.0, saa = 0.0, sbb = 0.0
                for k in a.indices {
                    sab += (a[k] - ma) * (b[k] - mb)
                    saa += (a[k] - ma) * (a[k] - ma)
                    sbb += (b[k] - mb) * (b[k] - mb)
                }
                guard saa > 0, sbb > 0 else { continue }
                correlations.append(sab / (saa * sbb).squareRoot())
                months = max(months, a.count)
                names.formUnion([innovations[i].segment, innovations[j].segment])
            }
        }
        guard !correlations.isEmpty else { return nil }
        let rho = min(max(correlations.reduce(0, +) / Double(correlations.count), 0), 0.95)
        return SegmentCorrelation(
            rho: rho, range: nil,
            source: "estimated from the monthly deviations of \(names.sorted().joined(separator: ", ")) (\(correlations.count) pair(s), up to \(months) common months): ρ \(NumberText.significant(rho, 3))")
    }
}

/// Regions together (docs/uncertainty.md, "Regions together"): the share η of the deviations' monthly
/// innovations that every cell of a several-region scenario has in common (one economy, one national
/// campaign, one data revision), whatever its region. Each cell's innovation is
/// √η·z_national + √(1 − η)·(its region's mix), so two cells of different regions with the same φ have
/// corr(D) = η, and the national total's band is neither the sum of the regions' bands (η = 1) nor
/// the independent one (η = 0).
extension SegmentCorrelation {
    /// No history measures it and none is stated: η uniform on [0, 0.8] a draw, the segments' default.
    static var nationalByDefault: SegmentCorrelation {
        SegmentCorrelation(
            rho: (defaultRange.lowerBound + defaultRange.upperBound) / 2, range: defaultRange,
            source: "default (too few common monthly figures across regions to estimate; η ~ uniform[0, 0.8] a draw)")
    }

    /// η from the cells' whitened innovations (as `estimate`): the mean Pearson correlation over every
    /// pair of cells in different regions, on the months all of them share, within [0, 0.95]. nil
    /// when fewer than two regions have a cell with `minimumCommonMonths` such months.
    ///
    /// In closed form, not pair by pair: with each cell's centred innovations scaled to unit length
    /// (u_i), the pairs' correlations are u_i·u_j, and their sum over pairs of different regions is
    /// (|Σ u|² − Σ_R |Σ_{i∈R} u|²) / 2; a national plan has over a million such pairs.
    static func acrossRegions(_ cells: [(region: String, byMonth: [Month: Double])]) -> SegmentCorrelation? {
        let eligible = cells.filter { $0.byMonth.count >= minimumCommonMonths }
        guard var common = eligible.first.map({ Set($0.byMonth.keys) }) else { return nil }
        for c in eligible.dropFirst() { common.formIntersection(c.byMonth.keys) }
        let months = common.sorted()
        guard months.count >= minimumCommonMonths else { return nil }
        var total = [Double](repeating: 0, count: months.count)
        var byRegion: [String: (sum: [Double], count: Int)] = [:]
        for c in eligible {
            var u = months.map { c.byMonth[$0]! }
            let mean = u.reduce(0, +) / Double(u.count)
            for k in u.indices { u[k] -= mean }
            let norm = u.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { continue }
            var r = byRegion[c.region] ?? ([Double](repeating: 0, count: months.count), 0)
            for k in u.indices {
                u[k] /= norm
                total[k] += u[k]
                r.sum[k] += u[k]
            }
            r.count += 1
            byRegion[c.region] = r
        }
        guard byRegion.count >= 2 else { return nil }
        func squared(_ v: [Double]) -> Double { v.reduce(0) { $0 + $1 * $1 } }
        let n = byRegion.values.reduce(0) { $0 + $1.count }
        let pairs = (n * n - byRegion.values.reduce(0) { $0 + $1.count * $1.count }) / 2
        let sum = (squared(total) - byRegion.values.reduce(0) { $0 + squared($1.sum) }) / 2
        let eta = min(max(sum / Double(pairs), 0), 0.95)
        return SegmentCorrelation(
            rho: eta, range: nil,
            source: "estimated from the monthly deviations of \(n) cell(s) in \(byRegion.count) regions (\(pairs) pair(s) across regions, \(months.count) common months): η \(NumberText.significant(eta, 3))")
    }

    /// The national share a scenario uses: the planner's stated value or range (`uncertainty.
    /// national_correlation`) over the history's estimate, which is then named beside it; else the
    /// estimate; else the default.
    static func national(stated: ClosedRange<Double>?, estimate: SegmentCorrelation?) -> SegmentCorrelation {
        guard let stated else { return estimate ?? .nationalByDefault }
        let point = stated.lowerBound == stated.upperBound
        let said = point ? "η \(NumberText.significant(stated.lowerBound, 3))" : "η ~ uniform[\(NumberText.significant(stated.lowerBound, 3)), \(NumberText.significant(stated.upperBound, 3))] a draw"
        return SegmentCorrelation(
            rho: (stated.lowerBound + stated.upperBound) / 2, range: point ? nil : stated,
            source: "stated (uncertainty.national_correlation): \(said)" + (estimate.map { "; the history's estimate η \(NumberText.significant($0.rho, 3))" } ?? ""))
    }
}

/// The stationary SD s of a short history's deviations, as a posterior on a grid: a weak log-normal
/// prior (log s ~ N(log m₀, τ²)) times the likelihood of the series' own residual SD ŝ with ν dof
/// (ν·ŝ²/s² ~ χ²_ν, so L(s) ∝ s^−ν·exp(−ν·ŝ²/(2s²))). Each draw takes s at its own quantile u. With
/// ν = 0 it is the prior. A grid, not a conjugate inverse-χ² prior: that one adds ν₀·s₀² to ν·ŝ², so
/// a prior weak enough not to swamp a quiet 5-point series (ŝ 0.02 against s₀ 0.08) would have to be
/// given under one degree of freedom; the log-normal's pull is multiplicative.
struct ScalePosterior: Sendable, Equatable {
    /// The prior: median m₀ and log-SD τ (docs/uncertainty.md, "Short histories", where they come from).
    static let priorMedian = 0.08
    static let priorLogSD = 1.0
    static var priorText: String {
        "log s ~ N(log \(NumberText.significant(priorMedian, 3)), \(NumberText.significant(priorLogSD, 3))²)"
    }

    /// log s at the grid's points (equally spaced) and the posterior's CDF there (0 at the first).
    let logGrid: [Double]
    let cdf: [Double]

    init(residualSD: Double?, dof: Int) {
        let n = 2001
        let lo = Foundation.log(1e-4), hi = Foundation.log(5.0)
        let mu = Foundation.log(Self.priorMedian), tau = Self.priorLogSD
        let nu = residualSD.map { $0 > 0 && $0.isFinite ? Double(max(dof, 0)) : 0 } ?? 0
        let s2 = residualSD.map { $0 * $0 } ?? 0
        logGrid = (0..<n).map { lo + (hi - lo) * Double($0) / Double(n - 1) }
        // Log density in log s (the prior is normal there; the likelihood needs no Jacobian).
        let logDensity = logGrid.map { x -> Double in
            let prior = -0.5 * ((x - mu) / tau) * ((x - mu) / tau)
            return nu > 0 ? prior - nu * x - nu * s2 / (2 * Foundation.exp(2 * x)) : prior
        }
        let peak = logDensity.max()!
        let density = logDensity.map { Foundation.exp($0 - peak) }
        // Trapezoids between grid points.
        var c = [Double](repeating: 0, count: n)
        for k in 1..<n { c[k] = c[k - 1] + (density[k] + density[k - 1]) / 2 }
        cdf = c.map { $0 / c[n - 1] }
    }

    /// s at the posterior's quantile u (0 < u < 1), by linear interpolation of log s in the CDF.
    func quantile(_ u: Double) -> Double {
        var lo = 0, hi = cdf.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if cdf[mid] < u { lo = mid } else { hi = mid }
        }
        let span = cdf[hi] - cdf[lo]
        let w = span > 0 ? (u - cdf[lo]) / span : 0
        return Foundation.exp(logGrid[lo] + w * (logGrid[hi] - logGrid[lo]))
    }

    var median: Double { quantile(0.5) }
}

/// A rise in the deviations' noise that the history shows (`VarianceShift`, at its 3% level): one s for
/// the whole history averages the quiet years into the noisy ones, and the future is drawn with the
/// noise of the recent ones. Where found, the draws take s from the month of the rise on (the whole
/// history's s times the ratio of the later innovations' SD to all of theirs), on that share of the
/// residual degrees of freedom; φ, the curve and the jump-off are the whole history's. Only a rise is
/// read: a quieter recent spell leaves the model's own s (a narrower band would need more than a year
/// of calm to be trusted).
public struct NoiseRise: Sendable, Equatable {
    /// The first month at the higher noise, the whole history's s and the later one, its dof.
    public var month: Month
    public var wholeSD: Double
    public var laterSD: Double
    public var dof: Int
    public var found: VarianceShift.Found

    /// The reading of residuals `e` at `months` (the month of each in `at`) for a deviation model
    /// estimated from them (its φ, s and dof); nil without a significant rise.
    static func read(_ e: [Double], months: [Double], at: [Month], for deviation: DeviationModel) -> NoiseRise? {
        guard let dof = deviation.dof, at.count == e.count, let found = VarianceShift.test(e, months: months, phi: deviation.phi) else { return nil }
        let share = Double(found.after) / Double(e.count)
        return NoiseRise(
            month: at[found.index], wholeSD: deviation.sd, laterSD: deviation.sd * found.sdRatio,
            dof: max(Whole.nearest(Double(dof) * share) ?? 1, 1), found: found)
    }

    /// For calibration.csv's `deviation_source`.
    var source: String {
        "; the noise rose from \(month) (variance-shift test, sup-LR \(NumberText.significant(found.statistic, 3)), p \(NumberText.significant(found.pValue, 2))): "
            + "s \(NumberText.significant(laterSD, 3)) from the \(found.after) figures since (the whole history's \(NumberText.significant(wholeSD, 3))), \(dof) dof"
    }
}
