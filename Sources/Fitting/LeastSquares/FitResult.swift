import Foundation

/// One fitted parameter with its uncertainty. Standard error and interval are nil when not estimable
/// (n = p, or a rank-deficient Jacobian), never NaN.
public struct ParameterEstimate: Sendable, Equatable {
    public var name: String
    public var estimate: Double
    public var standardError: Double?
    public var ciLow: Double?
    public var ciHigh: Double?
    /// Held at a value given by the caller (e.g. `--ceiling`), not fitted.
    public var fixed: Bool

    public init(
        name: String, estimate: Double, standardError: Double? = nil, ciLow: Double? = nil,
        ciHigh: Double? = nil, fixed: Bool = false
    ) {
        self.name = name
        self.estimate = estimate
        self.standardError = standardError
        self.ciLow = ciLow
        self.ciHigh = ciHigh
        self.fixed = fixed
    }
}

/// A finished least-squares fit with the statistics a reviewer expects.
public struct FitResult: Sendable {
    /// The model's name as reported ("logistic", or "formula").
    public var model: String
    /// The growth model fitted, when it was one (nil for formulas).
    public var growthModel: GrowthModel? = nil
    /// The mean function in words, e.g. "K / (1 + exp(-r*(t - t0)))".
    public var formula: String
    public var n: Int
    /// Residual degrees of freedom n − p (p counts fitted parameters only).
    public var dof: Int
    public var converged: Bool
    public var iterations: Int
    public var stopReason: String
    public var rss: Double
    /// √(RSS/dof); nil when dof = 0.
    public var residualSD: Double?
    public var aic: Double?
    public var aicc: Double?
    public var bic: Double?
    public var r2: Double?
    public var parameters: [ParameterEstimate]
    /// σ²·(JᵀWJ)⁻¹, row-major over the fitted parameters; nil when not estimable.
    public var covariance: [Double]?
    /// Weighted residuals yᵢ − fᵢ.
    public var residuals: [Double]
    /// In both languages: a run's report shows them to planners (`rkat fit` prints the English).
    public var warnings: [Phrase]

    public func parameter(_ name: String) -> ParameterEstimate? {
        parameters.first { $0.name == name }
    }
}

/// Information criteria on R's conventions (logLik of nls/lm): k = p + 1 counts σ².
public struct InformationCriteria: Sendable, Equatable {
    public var logLikelihood: Double
    public var aic: Double
    public var aicc: Double?
    public var bic: Double

    /// Gaussian log-likelihood at the least-squares estimate with weights w (all 1 when nil).
    public init?(rss: Double, n: Int, parameters p: Int, weights: [Double]?) {
        guard rss > 0, rss.isFinite, n > 0 else { return nil }
        let nn = Double(n)
        let sumLogW = weights.map { $0.reduce(0) { $0 + Foundation.log($1) } } ?? 0
        logLikelihood = -nn / 2 * (Foundation.log(2 * Double.pi) + 1 - Foundation.log(nn) - sumLogW / nn + Foundation.log(rss))
        let k = Double(p + 1)
        aic = -2 * logLikelihood + 2 * k
        bic = -2 * logLikelihood + k * Foundation.log(nn)
        aicc = n - (p + 1) - 1 > 0 ? aic + 2 * k * (k + 1) / (nn - k - 1) : nil
    }
}

/// Coefficient of determination 1 − RSS/TSS around the (weighted) mean.
func coefficientOfDetermination(y: [Double], weights: [Double]?, rss: Double) -> Double? {
    let w = weights ?? [Double](repeating: 1, count: y.count)
    let sw = w.reduce(0, +)
    guard sw > 0 else { return nil }
    var mean = 0.0
    for i in y.indices { mean += w[i] * y[i] }
    mean /= sw
    var tss = 0.0
    for i in y.indices { tss += w[i] * (y[i] - mean) * (y[i] - mean) }
    guard tss > 0 else { return nil }
    return 1 - rss / tss
}
