/// The mean function of a nonlinear regression, y ≈ f(θ) at n fixed observations.
///
/// Implementations hold their own predictors (times, data columns); the solver only sees θ.
/// ```swift
/// let f = GrowthCurveFunction(model: .logistic, times: t)
/// let fit = try NonlinearRegression.fit(f, y: y, starts: [[900, 0.5, 2018]], model: "logistic", formula: "K / (1 + exp(-r*(t - t0)))")
/// ```
public protocol RegressionFunction {
    /// Names of θ's components, in order.
    var parameterNames: [String] { get }
    /// Number of observations n.
    var observationCount: Int { get }
    /// False when no analytic Jacobian exists: the solver then uses finite differences.
    var hasJacobian: Bool { get }
    /// Writes f(θ) at every observation into `values` (count n). When `jacobian` is given
    /// (count n·p, row-major), writes ∂f_i/∂θ_j into jacobian[i·p + j].
    func evaluate(
        _ theta: UnsafeBufferPointer<Double>,
        values: UnsafeMutableBufferPointer<Double>,
        jacobian: UnsafeMutableBufferPointer<Double>?)
}

extension RegressionFunction {
    /// f(θ) as an array; convenient outside hot loops.
    public func values(at theta: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: observationCount)
        theta.withUnsafeBufferPointer { t in
            out.withUnsafeMutableBufferPointer { evaluate(t, values: $0, jacobian: nil) }
        }
        return out
    }

    /// The Jacobian at θ as a row-major n×p array (analytic functions only).
    func jacobian(at theta: [Double]) -> [Double] {
        var f = [Double](repeating: 0, count: observationCount)
        var j = [Double](repeating: 0, count: observationCount * parameterNames.count)
        theta.withUnsafeBufferPointer { t in
            f.withUnsafeMutableBufferPointer { fv in
                j.withUnsafeMutableBufferPointer { evaluate(t, values: fv, jacobian: $0) }
            }
        }
        return j
    }
}
