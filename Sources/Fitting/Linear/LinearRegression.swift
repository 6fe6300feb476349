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
        /// False when the data do not identify the coefficient (its column is a combination of the
        /// columns before it: a constant predictor beside the intercept, a repeated predictor). As R's
        /// `lm` reports NA: no estimate (`estimate` is 0 and not to be shown), no standard error, t or p.
        public var estimable: Bool = true
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
        // Unidentified coefficients first (as R's lm does, pivoting in column order):
        // fit without them and report them as not estimable.
        let aliased = aliasedColumns(y: y, columns: columns, intercept: intercept, weights: weights)
        if aliased.contains(true) {
            return try fitWithout(aliased, y: y, columns: columns, names: names, intercept: intercept, weights: weights, confidence: confidence)
        }
        let result = try fitIdentified(y: y, columns: columns, names: names, intercept: intercept, weights: weights, confidence: confidence)
        // Finite data can still overflow (|y| near 1e308): not a result to print.
        let figures: [Double] = result.coefficients.flatMap { c -> [Double] in [c.estimate, c.standardError ?? 0, c.t ?? 0, c.p ?? 0, c.ciLow ?? 0, c.ciHigh ?? 0] }
            + [result.rss, result.residualSD ?? 0, result.r2 ?? 0, result.adjustedR2 ?? 0, result.f ?? 0, result.fP ?? 0, result.aic ?? 0, result.bic ?? 0]
        guard figures.allSatisfy(\.isFinite) else {
            throw .didNotConverge("the estimates are not finite (the data's scale overflows double precision; rescale the columns, e.g. to thousands or millions)")
        }
        return result
    }

    /// Which columns of the design (the intercept first when there is one) are combinations of the
    /// columns before them: modified Gram–Schmidt on the weighted design in column order; a column
    /// whose part orthogonal to the kept ones is at most 1e-12 of its norm is aliased (R's `lm` uses 1e-7, which drops a term of NIST's Filip polynomial; GSL's SVD fits it).
    static func aliasedColumns(y: [Double], columns: [[Double]], intercept: Bool, weights: [Double]?) -> [Bool] {
        let n = y.count
        let sw = (0..<n).map { (weights?[$0] ?? 1).squareRoot() }
        var design: [[Double]] = intercept ? [sw] : []
        for c in columns { design.append((0..<n).map { c[$0] * sw[$0] }) }
        // Scale each column to its largest magnitude first, so huge values do not overflow the norms.
        var kept: [[Double]] = []
        var aliased: [Bool] = []
        for col in design {
            let m = col.reduce(0) { max($0, abs($1)) }
            guard m > 0, m.isFinite else { aliased.append(true); continue }
            var v = col.map { $0 / m }
            let norm0 = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            for q in kept {
                let d = zip(v, q).reduce(0) { $0 + $1.0 * $1.1 }
                for i in 0..<n { v[i] -= d * q[i] }
            }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            if norm <= 1e-12 * norm0 || !norm.isFinite {
                aliased.append(true)
            } else {
                aliased.append(false)
                kept.append(v.map { $0 / norm })
            }
        }
        return aliased
    }

    /// The fit on the identified columns, with the aliased ones put back as not estimable.
    private static func fitWithout(
        _ aliased: [Bool], y: [Double], columns: [[Double]], names: [String], intercept: Bool, weights: [Double]?, confidence: Double
    ) throws(FitError) -> LinearRegressionResult {
        let allNames = (intercept ? ["B0"] : []) + names
        let offset = intercept ? 1 : 0
        let keepIntercept = intercept && !aliased[0]
        let keptColumns = columns.indices.filter { !aliased[$0 + offset] }
        guard keepIntercept || !keptColumns.isEmpty else {
            throw .invalidInput("no predictor is identified by the data (every column is zero or collinear)")
        }
        var r = try fit(
            y: y, columns: keptColumns.map { columns[$0] }, names: keptColumns.map { names[$0] }, intercept: keepIntercept,
            weights: weights, confidence: confidence)
        var coefficients: [LinearRegressionResult.Coefficient] = []
        var next = 0
        for j in allNames.indices {
            if aliased[j] {
                coefficients.append(LinearRegressionResult.Coefficient(name: allNames[j], estimate: 0, estimable: false))
            } else {
                coefficients.append(r.coefficients[next])
                next += 1
            }
        }
        let dropped = allNames.indices.filter { aliased[$0] }.map { allNames[$0] }
        r.coefficients = coefficients
        r.covariance = nil
        r.warnings.insert(
            "not estimable: \(dropped.joined(separator: ", ")) (\(dropped.count == 1 ? "its column is" : "each column is") zero, constant beside the intercept or a combination of the columns before it; reported as NA, as R's lm does)",
            at: 0)
        return r
    }

    private static func fitIdentified(
        y: [Double], columns: [[Double]], names: [String], intercept: Bool, weights: [Double]?, confidence: Double
    ) throws(FitError) -> LinearRegressionResult {
        let n = y.count
        let allNames = (intercept ? ["B0"] : []) + names
        let p = allNames.count
        GSLRuntime.ensureReady()
        let X = gsl_matrix_alloc(n, p)!, yv = gsl_vector_alloc(n)!, c = gsl_vector_alloc(p)!
        let cov = gsl_matrix_alloc(p, p)!, work = gsl_multifit_linear_alloc(n, p)!
        let wv = gsl_vector_alloc(p)!  // the refinement step
        defer {
            gsl_matrix_free(X); gsl_vector_free(yv); gsl_vector_free(c); gsl_matrix_free(cov)
            gsl_multifit_linear_free(work); gsl_vector_free(wv)
        }
        // Weighted rows are scaled by √w, so one SVD path serves OLS and WLS (as gsl_multifit_wlinear does).
        var design = [Double](repeating: 0, count: n * p), response = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let sw = (weights?[i] ?? 1).squareRoot()
            response[i] = sw * y[i]
            var j = 0
            if intercept { design[i * p] = sw; j = 1 }
            for col in columns { design[i * p + j] = sw * col[i]; j += 1 }
        }
        for i in 0..<n {
            yv.pointee.data[i * yv.pointee.stride] = response[i]
            for j in 0..<p { X.pointee.data[i * X.pointee.tda + j] = design[i * p + j] }
        }
        var gslChisq = 0.0
        try gslCheck(gsl_multifit_linear(X, yv, c, cov, &gslChisq, work), "linear least squares")
        // Iterative refinement of the augmented system [I X; Xᵀ 0]·[r; β] = [y; 0] (Björck), with the
        // residuals f = y − r − Xβ and g = −Xᵀr in double-double and the SVD already in `work`:
        // δβ = X⁺f − (XᵀX)⁻¹g, δr = f − Xδβ. Plain refinement of β alone cannot fix large-residual
        // problems; this wins back the digits the SVD loses (NIST Wampler5: 5.9 → 9 digits).
        var beta = (0..<p).map { c.pointee.data[$0 * c.pointee.stride] }
        let unscaledCov: [Double]? = gslChisq > 0 && n > p
            ? (0..<(p * p)).map { cov.pointee.data[($0 / p) * cov.pointee.tda + $0 % p] / (gslChisq / Double(n - p)) }
            : nil
        var r = exactResiduals(design: design, response: response, beta: beta, n: n, p: p)
        // Keep the iterate that best satisfies the normal equations Xᵀr = 0 (column-scaled), so a
        // refinement that does not help (a numerically rank-deficient design such as Filip's) is dropped.
        let columnNorms = (0..<p).map { j in (0..<n).reduce(0.0) { $0 + design[$1 * p + j] * design[$1 * p + j] }.squareRoot() }
        func optimality(_ beta: [Double]) -> Double {
            let res = exactResiduals(design: design, response: response, beta: beta, n: n, p: p)
            let rn = res.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard rn > 0 else { return 0 }
            let g = exactTransposeProduct(design: design, vector: res, n: n, p: p)
            return (0..<p).map { columnNorms[$0] > 0 ? abs(g[$0]) / (columnNorms[$0] * rn) : 0 }.max() ?? 0
        }
        var best = (beta: beta, score: optimality(beta))
        for _ in 0..<3 {
            var f = exactResiduals(design: design, response: response, beta: beta, n: n, p: p)
            for i in 0..<n { f[i] -= r[i] }
            let g = exactTransposeProduct(design: design, vector: r, n: n, p: p).map { -$0 }
            for i in 0..<n { yv.pointee.data[i * yv.pointee.stride] = f[i] }
            var rnorm = 0.0, snorm = 0.0
            try gslCheck(gsl_multifit_linear_solve(0, X, yv, wv, &rnorm, &snorm, work), "linear least squares refinement")
            var delta = (0..<p).map { wv.pointee.data[$0 * wv.pointee.stride] }
            if let m = unscaledCov {
                for j in 0..<p { for k in 0..<p { delta[j] -= m[j * p + k] * g[k] } }
            }
            for j in 0..<p { beta[j] += delta[j] }
            for i in 0..<n {
                var xd = 0.0
                for j in 0..<p { xd += design[i * p + j] * delta[j] }
                r[i] += f[i] - xd
            }
            let score = optimality(beta)
            if score < best.score { best = (beta, score) }
        }
        beta = best.beta
        let chisq = exactResiduals(design: design, response: response, beta: beta, n: n, p: p).reduce(0) { $0 + $1 * $1 }
        let rank = Int(gsl_multifit_linear_rank(1e-14, work))

        let dof = n - p
        // An exact fit (the residuals are rounding: RSS ≤ 1e-24 of Σwy², e.g. a constant y) has no
        // spread to test against: standard errors 0, no t and no p (R and statsmodels give NaN there).
        let yScale = (0..<n).reduce(0.0) { $0 + response[$1] * response[$1] }
        let exact = chisq <= 1e-24 * yScale
        // gsl_multifit_linear returns s²(XᵀWX)⁻¹ with s² from its own RSS; rescale to the refined RSS.
        let s2 = dof > 0 ? chisq / Double(dof) : nil
        var covariance: [Double]? = nil
        if let s2 {
            let unscaled = (0..<(p * p)).map { cov.pointee.data[($0 / p) * cov.pointee.tda + $0 % p] }
            let gslS2 = gslChisq / Double(dof)
            // An exact fit (RSS = 0, e.g. NIST Wampler1) has zero standard errors either way.
            covariance = exact ? unscaled.map { _ in 0 } : (gslS2 > 0 ? unscaled.map { $0 / gslS2 * s2 } : unscaled)
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
        if exact && dof > 0 { warnings.append("the fit is exact (RSS is rounding error): standard errors, t and p are not defined") }
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

    /// r = y − Xβ with each row summed in double-double, so the residual of a nearly exact fit is
    /// not swamped by cancellation.
    static func exactResiduals(design: [Double], response: [Double], beta: [Double], n: Int, p: Int) -> [Double] {
        (0..<n).map { i in
            var sum = CompensatedSum(response[i])
            for j in 0..<p { sum.addProduct(design[i * p + j], -beta[j]) }
            return sum.value
        }
    }

    /// Xᵀv with each column summed in double-double.
    static func exactTransposeProduct(design: [Double], vector v: [Double], n: Int, p: Int) -> [Double] {
        (0..<p).map { j in
            var sum = CompensatedSum(0)
            for i in 0..<n { sum.addProduct(design[i * p + j], v[i]) }
            return sum.value
        }
    }

    private static func gslCheck(_ status: Int32, _ what: String) throws(FitError) {
        do { try GSLRuntime.check(status, what) } catch { throw .gsl(error) }
    }
}

/// A sum of products carried in double-double: each product split exactly by fused multiply-add,
/// each addition's rounding error kept by two-sum.
struct CompensatedSum {
    private var hi: Double
    private var lo = 0.0

    init(_ start: Double) { hi = start }

    @inline(__always) mutating func addProduct(_ a: Double, _ b: Double) {
        let prod = a * b
        let prodError = (-prod).addingProduct(a, b)
        let s = hi + prod
        let bb = s - hi
        lo += (hi - (s - bb)) + (prod - bb) + prodError
        hi = s
    }

    var value: Double { hi + lo }
}
