import CGSL
import Foundation

/// Generalised least squares with continuous-time AR(1) errors: corr(eᵢ, eⱼ) = φ^|tᵢ − tⱼ| (t in
/// months), so monthly, annual and irregular points are one model (docs/fitting.md, "Serial
/// correlation"). Errors are absolute (yᵢ − fᵢ) or relative (yᵢ/fᵢ − 1, deviations in proportion to the
/// level). The fit whitens the errors exactly (Prais–Winsten for unequal gaps):
///
///     z₁ = e₁,   zᵢ = (eᵢ − aᵢ·eᵢ₋₁) / √(1 − aᵢ²),   aᵢ = φ^(tᵢ − tᵢ₋₁)
///
/// and minimises Σ zᵢ² with GSL's `gsl_multifit_nlinear` (`NonlinearRegression`), so σ̂² = Σ zᵢ²/(n − p)
/// estimates the stationary variance of e and σ̂²(JᵀJ)⁻¹ (J of z) is the GLS covariance. With φ held,
/// the estimate equals R's `gnls(..., correlation = corCAR1(φ, fixed = TRUE))` (and `corAR1` for equal
/// gaps) and statsmodels' `GLS` with that correlation matrix (tests quote both).
public enum SerialCorrelation {
    /// The whitened errors of `base` as a regression function with response 0: its value is −zᵢ(θ).
    public struct Whitened<Base: RegressionFunction>: RegressionFunction {
        public let base: Base
        public let y: [Double]
        /// aᵢ = φ^gap (a₀ = 0) and 1/√(1 − aᵢ²).
        let a: [Double]
        let scale: [Double]
        public let relative: Bool

        public init(_ base: Base, y: [Double], months: [Double], phi: Double, relative: Bool) {
            precondition(y.count == base.observationCount && months.count == y.count)
            self.base = base
            self.y = y
            self.relative = relative
            var a = [Double](repeating: 0, count: y.count)
            for i in y.indices.dropFirst() { a[i] = phi > 0 ? pow(phi, months[i] - months[i - 1]) : 0 }
            self.a = a
            scale = a.map { 1 / (1 - $0 * $0).squareRoot() }
        }

        public var parameterNames: [String] { base.parameterNames }
        public var observationCount: Int { y.count }
        public var hasJacobian: Bool { base.hasJacobian }

        public func evaluate(
            _ theta: UnsafeBufferPointer<Double>, values: UnsafeMutableBufferPointer<Double>,
            jacobian: UnsafeMutableBufferPointer<Double>?
        ) {
            let n = y.count, p = theta.count
            var f = [Double](repeating: 0, count: n)
            var j = [Double](repeating: 0, count: jacobian == nil ? 0 : n * p)
            f.withUnsafeMutableBufferPointer { fv in
                j.withUnsafeMutableBufferPointer { jv in base.evaluate(theta, values: fv, jacobian: jacobian == nil ? nil : jv) }
            }
            // Relative errors: the geometric mean g of |f| and the mean of ∂log|f|/∂θ, for the
            // likelihood's Jacobian term (see `fit`).
            var g = 1.0
            var meanLogSlope = [Double](repeating: 0, count: relative && jacobian != nil ? p : 0)
            if relative {
                g = exp(f.reduce(0) { $0 + log(abs($1)) } / Double(n))
                if jacobian != nil {
                    for i in 0..<n { for c in 0..<p { meanLogSlope[c] += j[i * p + c] / f[i] / Double(n) } }
                }
            }
            // e and ∂e/∂θ in place of f and J.
            for i in 0..<n {
                if relative {
                    let fi = f[i]
                    if jacobian != nil { for c in 0..<p { j[i * p + c] = -y[i] * j[i * p + c] / (fi * fi) } }
                    f[i] = y[i] / fi - 1
                } else {
                    if jacobian != nil { for c in 0..<p { j[i * p + c] = -j[i * p + c] } }
                    f[i] = y[i] - f[i]
                }
            }
            for i in 0..<n {
                let previous = i > 0 ? f[i - 1] : 0
                let z = (f[i] - a[i] * previous) * scale[i]
                values[i] = -z * g
                if let jacobian {
                    for c in 0..<p {
                        let dPrevious = i > 0 ? j[(i - 1) * p + c] : 0
                        let dz = (j[i * p + c] - a[i] * dPrevious) * scale[i]
                        // ∂(g·z)/∂θ = g·∂z/∂θ + z·g·mean(∂log|f|/∂θ)
                        jacobian[i * p + c] = -g * (dz + (relative ? z * meanLogSlope[c] : 0))
                    }
                }
            }
        }
    }

    /// GLS fit of `base` to y with φ held, by maximum likelihood; the result's `residualSD` is the
    /// stationary SD of e and its covariance the GLS one.
    ///
    /// Absolute errors: the likelihood's maximum is the least-squares minimum of Σ zᵢ². Relative errors
    /// (y = f·(1 + e)): the density of y carries the Jacobian 1/|fᵢ| of each point, so the likelihood
    /// profiled over σ² is −n/2·log S − Σ log|fᵢ| = −n/2·log(S·g²), g the geometric mean of |f|. Least
    /// squares on z alone leaves that term out, and near φ = 1 a curve far above the data shrinks every
    /// whitened residual (each eᵢ → −1, their differences → 0): the fitted level floats off the data
    /// (issue 31: the national series at 102 M where the data say 36 M). Minimising Σ (g·zᵢ)² is the
    /// exact likelihood, still a sum of squares (the normalised residuals of Box and Cox, 1964).
    public static func fit<Base: RegressionFunction>(
        _ base: Base, y: [Double], months: [Double], phi: Double, relative: Bool, starts: [[Double]],
        model: String, formula: String, options: FitOptions = FitOptions()
    ) throws(FitError) -> FitResult {
        let w = Whitened(base, y: y, months: months, phi: phi, relative: relative)
        var r = try NonlinearRegression.fit(
            w, y: [Double](repeating: 0, count: y.count), starts: starts, model: model, formula: formula, options: options)
        r.r2 = nil
        if relative {
            // Back from g·z to z: the residuals, their sum of squares and SD are those of the whitened
            // relative errors; the sum-of-squares information criteria do not apply (logLikelihood does).
            let f = base.values(at: r.parameters.map(\.estimate))
            let g = exp(f.reduce(0) { $0 + log(abs($1)) } / Double(f.count))
            r.rss /= g * g
            r.residualSD = r.residualSD.map { $0 / g }
            r.residuals = r.residuals.map { $0 / g }
            (r.aic, r.aicc, r.bic) = (nil, nil, nil)
        }
        return r
    }

    /// What `fit` reports at its estimate, at a θ it did not reach: the SD of the whitened errors (the
    /// stationary SD of e, with `dof` degrees of freedom) and the GLS covariance σ̂²·(JᵀJ)⁻¹, J the
    /// Jacobian of the exact likelihood's residuals g·z at θ (GSL's `gsl_multifit_nlinear_covar`, as the
    /// solver's own). For a curve kept when its GLS fit failed: its parameters drawn in the GLS's units,
    /// not least squares' (whose covariance is in the figures' units and assumes independent errors).
    /// nil when the Jacobian is not of full rank or θ is not finite.
    public static func covariance(
        _ base: some RegressionFunction, y: [Double], months: [Double], phi: Double, relative: Bool, theta: [Double], dof: Int
    ) -> (residualSD: Double, covariance: [Double])? {
        let w = Whitened(base, y: y, months: months, phi: phi, relative: relative)
        let n = y.count, p = theta.count
        guard dof > 0, base.hasJacobian, n > p, theta.allSatisfy(\.isFinite) else { return nil }
        let gz = w.values(at: theta)
        let jacobian = w.jacobian(at: theta)
        guard gz.allSatisfy(\.isFinite), jacobian.allSatisfy(\.isFinite),
            let J = gsl_matrix_alloc(n, p), let C = gsl_matrix_alloc(p, p)
        else { return nil }
        defer { gsl_matrix_free(J); gsl_matrix_free(C) }
        for i in 0..<n { for j in 0..<p { J.pointee.data[i * J.pointee.tda + j] = jacobian[i * p + j] } }
        guard gsl_multifit_nlinear_covar(J, 1e-12, C) == Int32(GSL_SUCCESS) else { return nil }
        let sigma2 = gz.reduce(0) { $0 + $1 * $1 } / Double(dof)
        var out = [Double](repeating: 0, count: p * p)
        for i in 0..<p { for j in 0..<p { out[i * p + j] = sigma2 * C.pointee.data[i * C.pointee.tda + j] } }
        guard (0..<p).allSatisfy({ out[$0 * p + $0] > 0 && out[$0 * p + $0].isFinite }) else { return nil }
        // Back from g·z to z, as `fit` does.
        let f = base.values(at: theta)
        let g = relative ? exp(f.reduce(0) { $0 + log(abs($1)) } / Double(n)) : 1
        return (sigma2.squareRoot() / g, out)
    }

    /// The errors e of `base` at θ (absolute or relative).
    public static func errors(_ base: some RegressionFunction, y: [Double], theta: [Double], relative: Bool) -> [Double] {
        let f = base.values(at: theta)
        return y.indices.map { relative ? y[$0] / f[$0] - 1 : y[$0] - f[$0] }
    }

    /// The exact Gaussian log-likelihood of y under `base` at θ with continuous-time AR(1) errors at φ
    /// and the variance at its maximum, σ̂² = S/n (S the whitened sum of squares):
    /// −n/2·(log(2π·σ̂²) + 1) − ½·Σ log(1 − aᵢ²), less Σ log|fᵢ| for relative errors (the Jacobian of
    /// y = f·(1 + e), so that models with different curves are compared on the same y). The curve
    /// candidates of `model: auto` are ranked and weighted by this likelihood, penalised (AICc or BIC).
    public static func logLikelihood(
        _ base: some RegressionFunction, y: [Double], months t: [Double], theta: [Double], phi: Double, relative: Bool
    ) -> Double {
        let f = base.values(at: theta)
        let n = y.count
        guard n >= 1 else { return 0 }
        let e = y.indices.map { relative ? y[$0] / f[$0] - 1 : y[$0] - f[$0] }
        let (sum, logs) = whitenedSum(e, months: t, phi: phi)
        let variance = max(sum / Double(n), 1e-300)
        let jacobian = relative ? f.reduce(0) { $0 + log(abs($1)) } : 0
        return -Double(n) / 2 * (log(2 * Double.pi * variance) + 1) - logs / 2 - jacobian
    }

    /// Maximum-likelihood φ ∈ [0, 0.999] of a zero-mean continuous-time AR(1) series e at times t
    /// (months), with the stationary SD: the concentrated log-likelihood
    /// −n/2·log(S(φ)/n) − ½·Σ log(1 − φ^(2Δᵢ)), S = e₁² + Σ (eᵢ − φ^Δᵢ·eᵢ₋₁)²/(1 − φ^(2Δᵢ)),
    /// maximised on a grid of 0.005 and refined by golden section.
    public static func maximumLikelihoodPhi(_ e: [Double], months t: [Double]) -> (phi: Double, sd: Double) {
        let n = e.count
        guard n >= 2 else { return (0, e.first.map(abs) ?? 0) }
        func s(_ phi: Double) -> (Double, Double) { whitenedSum(e, months: t, phi: phi) }
        func loglik(_ phi: Double) -> Double { concentratedLogLikelihood(e, months: t, phi: phi) }
        var best = 0.0, bestL = loglik(0)
        for k in 1...199 {
            let phi = Double(k) * 0.005
            let l = loglik(phi)
            if l > bestL { (best, bestL) = (phi, l) }
        }
        let refined = GoldenSection.maximum(max(best - 0.005, 0), min(best + 0.005, 0.999), steps: 40, loglik)
        let phi = loglik(refined) >= bestL ? refined : best
        return (phi, (s(phi).0 / Double(n)).squareRoot())
    }

    /// The Prais–Winsten transform for the lag coefficients aᵢ = φ^(tᵢ − tᵢ₋₁) (`lags[i − 1]` pairs
    /// points i − 1 and i): x̃₀ = x₀, x̃ᵢ = (xᵢ − aᵢ·xᵢ₋₁)/√(1 − aᵢ²), so a stationary AR(1) becomes white
    /// noise of the same variance. The one transform of `LinearGLS` and the level-shift test.
    public static func whiten(_ x: [Double], lags a: [Double]) -> [Double] {
        precondition(a.count == max(x.count - 1, 0))
        var out = x
        for i in x.indices.dropFirst() { out[i] = (x[i] - a[i - 1] * x[i - 1]) / (1 - a[i - 1] * a[i - 1]).squareRoot() }
        return out
    }

    /// The standard error of the mean of m equally spaced values of a stationary AR(1) with lag-one
    /// correlation ρ and SD s: s·√((1 + 2·Σₖ₌₁..ₘ₋₁ (1 − k/m)·ρᵏ)/m). A flow's g₀ (12 consecutive months,
    /// ρ = φ) and a month-of-year effect (n figures a year apart, ρ = φ¹²) are such means.
    public static func meanStandardError(rho: Double, sd: Double, count m: Int) -> Double {
        var sum = 1.0, power = 1.0
        for k in stride(from: 1, to: m, by: 1) {
            power *= rho
            sum += 2 * (1 - Double(k) / Double(m)) * power
        }
        return sd * (sum / Double(m)).squareRoot()
    }

    /// S(φ) = e₁² + Σ (eᵢ − aᵢ·eᵢ₋₁)²/(1 − aᵢ²) and Σ log(1 − aᵢ²), aᵢ = φ^(tᵢ − tᵢ₋₁).
    static func whitenedSum(_ e: [Double], months t: [Double], phi: Double) -> (sum: Double, logs: Double) {
        var sum = e[0] * e[0], logs = 0.0
        // aᵢ and log(1 − aᵢ²) depend only on the gap, and a monthly history has one gap: computed when
        // the gap changes, not at every point (the maximum-likelihood search calls this ~280 times a
        // series; pow and log were a fifth of `rkat bench national`'s fitting). Same values, same order.
        var gap = Double.nan, a = 0.0, v = 1.0, logV = 0.0
        for i in e.indices.dropFirst() {
            let g = t[i] - t[i - 1]
            if g != gap {
                gap = g
                a = phi > 0 ? pow(phi, g) : 0
                v = 1 - a * a
                logV = log(v)
            }
            let d = e[i] - a * e[i - 1]
            sum += d * d / v
            logs += logV
        }
        return (sum, logs)
    }

    /// The AR(1) log-likelihood of a zero-mean series at φ with its variance at its maximum, constants
    /// dropped: −n/2·log(S(φ)/n) − ½·Σ log(1 − aᵢ²).
    public static func concentratedLogLikelihood(_ e: [Double], months t: [Double], phi: Double) -> Double {
        guard e.count >= 2 else { return 0 }
        let (sum, logs) = whitenedSum(e, months: t, phi: phi)
        return -Double(e.count) / 2 * log(max(sum, 1e-300) / Double(e.count)) - logs / 2
    }

    /// φ estimated from the residuals of a fitted trend is biased low (the trend absorbs part of the
    /// persistence). First-order correction on the lag-ρ scale of the typical gap Δ (ρ = φ^Δ, Δ the median
    /// gap in months): E[ρ̂] ≈ ρ − (p + (p + 2)·ρ)/n, which for p = 1 is the classical −(1 + 3ρ)/n of an
    /// AR(1) with an estimated mean, inverted: ρ = (ρ̂ + p/n)/(1 − (p + 2)/n). Checked by simulation
    /// (tests: φ = 0.8, 96 monthly points, logistic trend). Capped at 0.99 per gap.
    public static func biasCorrected(phi: Double, months t: [Double], parameters p: Int) -> Double {
        let n = Double(t.count)
        guard t.count > p + 2 else { return phi }
        let gaps = zip(t.dropFirst(), t).map { $0 - $1 }.sorted()
        let gap = max(gaps[gaps.count / 2], 1e-9)
        let rho = pow(phi, gap)
        let corrected = min(max((rho + Double(p) / n) / (1 - Double(p + 2) / n), 0), 0.99)
        return pow(corrected, 1 / gap)
    }
}
