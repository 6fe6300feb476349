import Fitting
import Foundation

/// A month-of-year component of the relative deviations (docs/engine.md, "Seasonality"): the reported
/// figure is curve (or g₀) × (1 + S(month of year) + D). January dips when Pemda budgets lapse, for
/// instance. Estimated only from two or more full years of monthly figures, and kept only when a
/// likelihood-ratio test under the AR(1) deviations says the pattern is real (p < 1%), so a
/// history without seasons does not get a spurious one.
public struct Seasonality: Sendable {
    /// S by calendar month (index 0 = January), summing to 0.
    public var effects: [Double]
    /// The test's F statistic (11 and n − 13 dof under no seasonality) and its p-value.
    var statistic: Double
    var denominatorDof: Int
    var pValue: Double
    /// The share of the month-of-year means kept: 1 when the test keeps the pattern; for flows a pattern
    /// the test does not keep is shrunk, not dropped (`shrunk`).
    var shrinkage = 1.0

    /// The fewest figures behind a calendar month's effect (2 with two years).
    var years = minimumYears

    /// The standard error of an effect at the deviations' φ and s, shrinkage included: the mean of
    /// `years` figures a year apart, Var = s²/n·(1 + 2·Σₖ₌₁..ₙ₋₁ (1 − k/n)·φ^(12k)), times the share kept
    /// (the positive-part James–Stein estimate's variance is about its factor times the raw one's).
    func effectSE(phi: Double, sd: Double) -> Double {
        shrinkage.squareRoot() * SerialCorrelation.meanStandardError(rho: pow(max(phi, 0), 12), sd: sd, count: years)
    }

    /// The test kept the pattern (p < `level`).
    public var kept: Bool { pValue < Self.level }

    func effect(_ m: Month) -> Double { effects[m.month - 1] }

    /// Fewest figures per calendar month, and the test's level.
    static let minimumYears = 2
    public static let level = 0.01

    /// In words, for calibration.csv.
    public var description: String {
        let names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let shrunk = kept ? "" : ", not significant at \(NumberText.significant(Self.level, 2)): shrunk to \(NumberText.fixed(shrinkage * 100, 0))% (James–Stein)"
        return "month of year (F \(NumberText.fixed(statistic, 2)) on 11 and \(denominatorDof) dof, p \(NumberText.significant(pValue, 2))\(shrunk)): "
            + zip(names, effects).map { "\($0) \(NumberText.fixed($1 * 100, 1))%" }.joined(separator: ", ")
    }

    /// From relative deviations e at monthly figures: S = the month-of-year means of e, centred; kept
    /// when the likelihood-ratio test says so at `level`, in its small-sample F form: with ℓ₀, ℓ₁ the
    /// concentrated AR(1) log-likelihoods of e and of e − S at their own maximum-likelihood φ
    /// (`SerialCorrelation.maximumLikelihoodPhi`), r = exp(2(ℓ₁ − ℓ₀)/n) is the ratio of the whitened
    /// variances and F = (r − 1)·(n − 13)/11 on 11 and n − 13 dof (n·log r is the χ²₁₁ statistic; with
    /// two years the χ² form found a pattern in 13% of histories without one, the F form keeps to its level).
    /// Returns nil and the reason otherwise.
    static func estimate(_ e: [(month: Month, value: Double)]) -> (Seasonality?, String) {
        let (pattern, note) = tested(e)
        guard let pattern, pattern.kept else { return (nil, note) }
        return (pattern, note)
    }

    /// Flows (issue 31, item 5): with two years of monthly acquisitions the test rarely keeps a real
    /// pattern (±12% around a flat flow at s 6%, φ 0.6 was kept in 5 of 30 histories), and December then
    /// sits at the year's mean, 5% under its truth. A pattern the test does not keep is shrunk towards
    /// none by the positive-part James–Stein factor max(0, 1 − (k − 2)/(k·F)), k = 11 free effects
    /// (Efron and Morris 1973): about a fifth of a chance pattern (F ≈ 1) and most of a clear one. The
    /// effects sum to zero, so a year's total is the same with or without them.
    static func shrunk(_ e: [(month: Month, value: Double)]) -> (Seasonality?, String) {
        let (pattern, note) = tested(e)
        guard var pattern else { return (nil, note) }
        if pattern.kept { return (pattern, note) }
        let factor = max(0, 1 - 9 / (11 * pattern.statistic))
        guard factor > 0 else { return (nil, note) }
        pattern.shrinkage = factor
        pattern.effects = pattern.effects.map { $0 * factor }
        return (pattern, pattern.description)
    }

    /// The month-of-year means and their test, whatever its p-value; nil and the reason without two
    /// full years or degrees of freedom for the test.
    private static func tested(_ e: [(month: Month, value: Double)]) -> (Seasonality?, String) {
        var byCalendar = [[Double]](repeating: [], count: 12)
        for x in e { byCalendar[x.month.month - 1].append(x.value) }
        let fewest = byCalendar.map(\.count).min() ?? 0
        guard fewest >= minimumYears else {
            return (nil, "none (fewer than \(minimumYears) full years of monthly figures)")
        }
        let means = byCalendar.map { $0.reduce(0, +) / Double($0.count) }
        let centre = means.reduce(0, +) / 12
        let effects = means.map { $0 - centre }
        let months = e.map { Double($0.month.index) }
        let without = logLikelihood(e.map(\.value), months: months)
        let with = logLikelihood(e.map { $0.value - effects[$0.month.month - 1] }, months: months)
        let n = e.count, dof2 = n - 13
        guard dof2 > 0 else { return (nil, "none (too few monthly figures to test a month-of-year pattern)") }
        let ratio = exp(2 * max(with - without, 0) / Double(n))
        let statistic = (ratio - 1) * Double(dof2) / 11
        let p = FisherF.upperTail(statistic, dof1: 11, dof2: Double(dof2))
        var s = Seasonality(effects: effects, statistic: statistic, denominatorDof: dof2, pValue: p)
        s.years = fewest
        guard p < level else {
            return (s, "none (month-of-year pattern not significant: F \(NumberText.fixed(statistic, 2)) on 11 and \(dof2) dof, p \(NumberText.significant(p, 2)))")
        }
        return (s, s.description)
    }

    /// The concentrated AR(1) log-likelihood of a zero-mean series at its ML φ (constants dropped).
    static func logLikelihood(_ e: [Double], months t: [Double]) -> Double {
        SerialCorrelation.concentratedLogLikelihood(e, months: t, phi: SerialCorrelation.maximumLikelihoodPhi(e, months: t).phi)
    }
}
