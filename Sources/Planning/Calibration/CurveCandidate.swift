import Fitting
import Foundation

/// One curve of `model: auto` (docs/uncertainty.md, "Which curve"): fitted as a named model would be
/// (GLS with relative AR(1) deviations), ranked by its exact likelihood penalised by the larger of
/// AICc's and BIC's penalties (`Calibration.rankingCriterion`), and taken by the Monte Carlo draws in
/// proportion to its weight exp(−Δ/2) (exp(−Δ/8) on figures spanning under 48 months, `shortSpanTemperature`).
public struct CurveCandidate: Sendable {
    public var dynamics: CurveDynamics
    /// The GLS fit: its covariance gives the parameter draws of the draws that take this curve.
    public var fit: FitResult
    public var deviation: DeviationModel
    /// The exact Gaussian log-likelihood of the (coverage or persons) figures at the GLS fit, and k:
    /// free curve parameters + s + φ when estimated.
    var logLikelihood: Double
    var parameterCount: Int
    /// −2ℓ + max(AICc's penalty, BIC's), with AIC's for AICc's when AICc is undefined for one of the
    /// candidates (`usesAICc` false).
    public var criterion: Double
    public var usesAICc = true
    /// The weight exp(−Δ/2) of the criterion (exp(−Δ/(2T)) on a short span, `temperature`), normalised
    /// over the candidates kept: the share of draws on this curve.
    public var weight: Double
    /// The T the weights were taken at: 1, or `shortSpanTemperature` on a short span.
    public var temperature = 1.0
    /// Calibration notes of this curve (κ held, the GLS φ); the first candidate's go to calibration.csv.
    var notes: [Phrase]
    /// Candidates left out for a weight below `smallestWeight`, with their criterion (first candidate only).
    public var dropped: [(model: GrowthModel, criterion: Double)] = []

    /// Weights below this are dropped (and the rest renormalised): a curve taken by fewer than 1 draw
    /// in 200 changes no quantile the outputs show.
    public static let smallestWeight = 0.005

    /// On figures spanning fewer than `FitCheck.shortSpan` months the criterion's differences are
    /// divided by this T before the weights are taken (tempered Akaike weights). On 24 monthly figures
    /// of one logistic truth (φ 0.8, s 2%) the families all follow the span seen and part only beyond
    /// it, and the differences are mostly noise: linear's less logistic's averaged 1.9 with an SD of
    /// 4.8 over 31 histories, exponential's 3.4 and 5.2. At T = 1 one such SD left a curve 8% of the
    /// draws, and the bands held the truth far less than 80% of the time. scripts/offmodel_check.py's
    /// `short_monthly` and two variants (36 monthly; 24 monthly before the midpoint), 100 histories
    /// each, P10–P90 at 12 / 24 months: T = 1 0.60 / 0.53, 0.56 / 0.57, 0.50 / 0.34; T = 4 0.75 / 0.74,
    /// 0.79 / 0.78, 0.76 / 0.75; T = 8 0.79 / 0.78, 0.82 / 0.81, 0.91 / 0.95; T = 16 0.84 / 0.80,
    /// 0.85 / 0.84, 0.96 / 0.99 (docs/uncertainty.md, "Weights tempered on a short span"). At 4 one SD of noise is a
    /// weight ratio of e^(−5/8) ≈ 0.54, and a family the figures clearly reject (a difference of about
    /// 42 or more from the best, 8·ln 200) still falls under `smallestWeight`.
    public static let shortSpanTemperature = 4.0

    /// The weights exp(−(cᵢ − min c)/(2T)) of `criteria` at temperature T, normalised to sum to 1.
    static func weights(criteria: [Double], temperature: Double) -> [Double] {
        guard let best = criteria.min() else { return [] }
        let w = criteria.map { exp(-($0 - best) / (2 * temperature)) }
        let total = w.reduce(0, +)
        return w.map { $0 / total }
    }

    /// The temperature for figures at `months`: `shortSpanTemperature` when there are enough of them to
    /// estimate φ and s (`DeviationModel.minimumPoints`) and they span fewer than `FitCheck.shortSpan`
    /// months, else 1. Fewer figures take φ and s from the prior, whose bands already hold (four
    /// December stocks, 100 histories: 0.73 / 0.77 at T = 1, 0.98 / 0.99 at T = 16).
    static func temperature(months: [Month]) -> Double {
        guard months.count >= DeviationModel.minimumPoints, let first = months.min(), let last = months.max() else { return 1 }
        return first.distance(to: last) + 1 < FitCheck.shortSpan ? shortSpanTemperature : 1
    }

    public var model: GrowthModel { dynamics.model }
}
