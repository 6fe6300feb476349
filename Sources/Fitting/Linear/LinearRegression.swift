import CGSL
import Foundation

/// A linear regression y = Xβ + e, solved by GSL's SVD with column balancing
/// (`gsl_multifit_linear` / `gsl_multifit_wlinear`) on the columns as given: no centring,
/// so no digits are lost transforming back.
public struct LinearRegressionResult: Sendable {
    public struct Coefficient: Sendable, Equatable {
        public var name: String
        public var estimate: Double
        public var standardError: Double?
        public var t: Double?
        public var p: Double?
        public var ciLow: Double?
        public var ciHigh: Double?
    }

    public var coefficients: [Coefficient]
    public var n: Int
    public var dof: Int
    public var rss: Double
    public var residualSD: Double?
    /// Centred R² with an intercept, uncentred without (R's convention).
    public var r2: Double?
    public var adjustedR2: Double?
    public var f: Double?
    public var fP: Double?
    public var aic: Double?
    public var bic: Double?
    public var rank: Int
    public var covariance: [Double]?
    public var warnings: [String]
}

public enum LinearRegression {
    /// Fits y on the given columns. `columns[j]` is the j-th predictor; with `intercept` a column of
    /// ones named "B0" comes first. Weights, when given, are inverse variances.
    public static func fit(
        y: [Double], columns: [[Double]], names: [String], intercept: Bool = true,
        weights: [Double]? = nil, confidence: Double = 0.95
    ) throws(FitError) -> LinearRegressionResult {
        let n = y.count
        let allNames = (intercept ? ["B0"] : []) + names
        let p = allNames.count
        guard columns.count == names.count else { throw .invalidInput("\(columns.count) columns for \(names.count) names") }
        guard p >= 1 else { throw .invalidInput("no predictors and no intercept: nothing to fit") }
        guard n >= p else { throw .tooFewObservations(needed: p, got: n) }
        for c in columns where c.count != n { throw .invalidInput("predictor columns differ in length from the response") }
        guard y.allSatisfy(\.isFinite), columns.allSatisfy({ $0.allSatisfy(\.isFinite) }) else {
            throw .invalidInput("the data contain non-finite values")
        }
        if let weights {
            guard weights.count == n, weights.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw .invalidInput("weights must be positive and finite, one per observation")
            }
        }
        GSLRuntime.ensureReady()
        let X = gsl_matrix_alloc(n, p)!, yv = gsl_vector_alloc(n)!, c = gsl_vector_alloc(p)!
        let cov = gsl_matrix_alloc(p, p)!, work = gsl_multifit_linear_alloc(n, p)!
        let wv = gsl_vector_alloc(n)!
        defer {
            gsl_matrix_free(X); gsl_vector_free(yv); gsl_vector_free(c); gsl_matrix_free(cov)
            gsl_multifit_linear_free(work); gsl_vector_free(wv)
        }
        for i in 0..<n {
            yv.pointee.data[i] = y[i]
            var j = 0
            if intercept { X.pointee.data[i * X.pointee.tda] = 1; j = 1 }
            for col in columns { X.pointee.data[i * X.pointee.tda + j] = col[i]; j += 1 }
            wv.pointee.data[i] = weights?[i] ?? 1
        }
        var chisq = 0.0
        let status = weights == nil
            ? gsl_multifit_linear(X, yv, c, cov, &chisq, work)
            : gsl_multifit_wlinear(X, wv, yv, c, cov, &chisq, work)
        try gslCheck(status, "linear least squares")
        let rank = Int(gsl_multifit_linear_rank(1e-14, work))

        let dof = n - p
        let beta = (0..<p).map { c.pointee.data[$0 * c.pointee.stride] }
        // gsl_multifit_linear returns s²(XᵀX)⁻¹, gsl_multifit_wlinear (XᵀWX)⁻¹: scale the latter by s².
        let s2 = dof > 0 ? chisq / Double(dof) : nil
        var covariance: [Double]? = nil
        if let s2 {
            let scale = weights == nil ? 1 : s2
            covariance = (0..<(p * p)).map { cov.pointee.data[($0 / p) * cov.pointee.tda + $0 % p] * scale }
        }
        let tq = dof > 0 ? StudentT.quantile(0.5 + confidence / 2, dof: Double(dof)) : nil
        var coefficients: [LinearRegressionResult.Coefficient] = []
        var warnings: [String] = []
        for j in 0..<p {
            var co = LinearRegressionResult.Coefficient(name: allNames[j], estimate: beta[j])
            if let covariance, let tq {
                let se = covariance[j * p + j].squareRoot()
                if se.isFinite && se > 0 {
                    co.standardError = se
                    co.t = beta[j] / se
                    co.p = StudentT.twoSidedP(beta[j] / se, dof: Double(dof))
                    co.ciLow = beta[j] - tq * se
                    co.ciHigh = beta[j] + tq * se
                }
            }
            coefficients.append(co)
        }
        if dof == 0 { warnings.append("n = p: standard errors are not estimable") }
        if rank < p { warnings.append("the predictors are collinear (numerical rank \(rank) of \(p)); estimates are not unique") }

        // Sums of squares: R² centred around the weighted mean with an intercept, uncentred without.
        let w = weights ?? [Double](repeating: 1, count: n)
        let sw = w.reduce(0, +)
        var mean = 0.0
        if intercept { for i in 0..<n { mean += w[i] * y[i] }; mean /= sw }
        var tss = 0.0
        for i in 0..<n { tss += w[i] * (y[i] - mean) * (y[i] - mean) }
        let k = p - (intercept ? 1 : 0)  // model degrees of freedom
        var r2: Double? = nil, adj: Double? = nil, fStat: Double? = nil, fP: Double? = nil
        if tss > 0 {
            r2 = 1 - chisq / tss
            if dof > 0 { adj = 1 - (1 - r2!) * Double(n - (intercept ? 1 : 0)) / Double(dof) }
            if dof > 0 && k > 0 {
                if chisq > 0 {
                    fStat = ((tss - chisq) / Double(k)) / (chisq / Double(dof))
                    fP = FisherF.upperTail(fStat!, dof1: Double(k), dof2: Double(dof))
                } else {
                    warnings.append("the fit is exact (RSS = 0): F is infinite")
                }
            }
        }
        let ic = InformationCriteria(rss: chisq, n: n, parameters: p, weights: weights)
        return LinearRegressionResult(
            coefficients: coefficients, n: n, dof: dof, rss: chisq, residualSD: s2.map { $0.squareRoot() },
            r2: r2, adjustedR2: adj, f: fStat, fP: fP, aic: ic?.aic, bic: ic?.bic, rank: rank,
            covariance: covariance, warnings: warnings)
    }

    /// Polynomial design columns x, x², …, x^degree (named B1…BD; the intercept is B0).
    public static func polynomialColumns(_ x: [Double], degree: Int) -> (columns: [[Double]], names: [String]) {
        let cols = (1...max(degree, 1)).map { d in x.map { pow($0, Double(d)) } }
        return (cols, (1...max(degree, 1)).map { "B\($0)" })
    }

    private static func gslCheck(_ status: Int32, _ what: String) throws(FitError) {
        do { try GSLRuntime.check(status, what) } catch { throw .gsl(error) }
    }
}
