import Fitting

/// One curve of `model: auto` (docs/uncertainty.md, "Which curve"): fitted as a named model would be
/// (GLS with relative AR(1) deviations), ranked by its exact likelihood penalised by the larger of
/// AICc's and BIC's penalties (`Calibration.rankingCriterion`), and taken by the Monte Carlo draws in
/// proportion to its weight exp(−Δ/2).
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
    /// The weight exp(−Δ/2) of the criterion, normalised over the candidates kept: the share of draws on this curve.
    public var weight: Double
    /// Calibration notes of this curve (κ held, the GLS φ); the first candidate's go to calibration.csv.
    var notes: [Phrase]
    /// Candidates left out for a weight below `smallestWeight`, with their criterion (first candidate only).
    public var dropped: [(model: GrowthModel, criterion: Double)] = []

    /// Weights below this are dropped (and the rest renormalised): a curve taken by fewer than 1 draw
    /// in 200 changes no quantile the outputs show.
    public static let smallestWeight = 0.005

    public var model: GrowthModel { dynamics.model }
}
