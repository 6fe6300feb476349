import CGSL

/// Settings for one trust-region Levenberg–Marquardt run.
public struct SolverSettings: Sendable, Equatable {
    var maxIterations = 1000
    /// GSL's step test: stop when |Δθ_j| ≤ xtol·(|θ_j| + xtol) for every j.
    var xtol = 1e-10
    /// GSL's scaled-gradient test.
    var gtol = 1e-15
    /// GSL's relative change of ‖f‖ test (0 turns it off; it stops too early for certified digits).
    var ftol = 0.0
    /// Levenberg–Marquardt with geodesic acceleration: slower per step, more robust far from the optimum.
    var geodesicAcceleration = false
    /// Use central differences even when the function has an analytic Jacobian.
    public var forceFiniteDifferences = false
    /// How each trust-region step is solved. QR works on J itself (for ill-conditioned problems such
    /// as NIST's); Cholesky works on JᵀJ, several times faster for n ≫ p, fine for well-scaled curves.
    /// Standard errors always come from a pivoted QR of J at the estimate.
    var stepSolver: StepSolver = .qr

    public enum StepSolver: Sendable { case qr, cholesky }

    public init() {}
}

/// What one solver run found: the estimate and what is needed for its statistics.
public struct SolverRun: Sendable {
    public var parameters: [Double]
    /// Weighted residual sum of squares Σ wᵢ (yᵢ − fᵢ)².
    public var rss: Double
    public var iterations: Int
    /// Evaluations of f and of the Jacobian (rejected trust-region steps cost an f evaluation each).
    var functionEvaluations: Int
    var jacobianEvaluations: Int
    /// GSL reported convergence by its step or gradient test.
    public var converged: Bool
    /// Why the solver stopped, in words.
    public var stopReason: String
    /// (JᵀWJ)⁻¹ at the estimate, row-major p×p, unscaled by σ²; nil when J is rank deficient.
    var unscaledCovariance: [Double]?
    /// Number of columns of J that are linearly independent (to ~1e-12 relative).
    public var rank: Int
    /// Weighted residuals √wᵢ (fᵢ − yᵢ).
    public var residuals: [Double]
    /// The Gauss–Newton step −(JᵀWJ)⁻¹JᵀWr that remains at the estimate (nil when J is rank deficient):
    /// a scale-aware test of how far the estimate still is from the minimum.
    var remainingStep: [Double]?
}

/// Trust-region Levenberg–Marquardt (`gsl_multifit_nlinear`) for a fixed n and p.
///
/// Owns its GSL workspace; reuse one instance across many fits of the same shape (the benchmark does).
/// Not thread-safe: give each thread its own solver.
public final class NonlinearLeastSquares {
    let observationCount: Int
    public let parameterCount: Int
    public let settings: SolverSettings

    private let workspace: UnsafeMutablePointer<gsl_multifit_nlinear_workspace>
    // GSL keeps the fdf pointer between init and the driver, so it must outlive both calls.
    private let fdf: UnsafeMutablePointer<gsl_multifit_nlinear_fdf>
    private let start: UnsafeMutablePointer<gsl_vector>
    private let weightVector: UnsafeMutablePointer<gsl_vector>
    private let covariance: UnsafeMutablePointer<gsl_matrix>

    public init(observations n: Int, parameters p: Int, settings: SolverSettings = SolverSettings())
        throws(FitError)
    {
        guard p >= 1 else { throw FitError.invalidInput("a model needs at least one parameter") }
        guard n >= p else {
            throw FitError.tooFewObservations(needed: p, got: n)
        }
        GSLRuntime.ensureReady()
        observationCount = n
        parameterCount = p
        self.settings = settings
        var params = gsl_multifit_nlinear_default_parameters()
        params.trs = settings.geodesicAcceleration ? cgsl_trs_lmaccel() : cgsl_trs_lm()
        params.scale = cgsl_scale_more()
        params.solver = settings.stepSolver == .qr ? cgsl_solver_qr() : cgsl_solver_cholesky()
        // Central differences: error O(h²), so h ≈ ε^(1/3) gives ~10 digits instead of ~8.
        params.fdtype = GSL_MULTIFIT_NLINEAR_CTRDIFF
        params.h_df = 6.0554544523933395e-06
        guard let w = gsl_multifit_nlinear_alloc(cgsl_nlinear_trust(), &params, n, p),
            let x0 = gsl_vector_alloc(p), let wv = gsl_vector_alloc(n), let cov = gsl_matrix_alloc(p, p)
        else { throw FitError.invalidInput("could not allocate a GSL workspace for n=\(n), p=\(p)") }
        workspace = w
        start = x0
        weightVector = wv
        covariance = cov
        fdf = .allocate(capacity: 1)
        fdf.initialize(to: gsl_multifit_nlinear_fdf())
    }

    deinit {
        gsl_multifit_nlinear_free(workspace)
        gsl_vector_free(start)
        gsl_vector_free(weightVector)
        gsl_matrix_free(covariance)
        fdf.deinitialize(count: 1)
        fdf.deallocate()
    }

    /// Minimises Σ wᵢ (yᵢ − fᵢ(θ))² from `initial`.
    /// Throws `FitError.notFiniteAtStart` when f is not finite there, and `GSLError` for GSL failures
    /// other than "no progress" / "too many iterations", which come back as `converged == false`.
    func solve(
        _ function: some RegressionFunction, y: [Double], weights: [Double]? = nil, initial: [Double]
    ) throws(FitError) -> SolverRun {
        let n = observationCount, p = parameterCount
        precondition(function.observationCount == n && y.count == n && initial.count == p)
        precondition(function.parameterNames.count == p)
        if let weights { precondition(weights.count == n) }

        let context = SolveContext(function: function, y: y)
        for j in 0..<p { start.pointee.data[j * start.pointee.stride] = initial[j] }
        fdf.pointee.f = solveResiduals
        fdf.pointee.df = (function.hasJacobian && !settings.forceFiniteDifferences) ? solveJacobian : nil
        fdf.pointee.fvv = nil
        fdf.pointee.n = n
        fdf.pointee.p = p
        fdf.pointee.params = Unmanaged.passUnretained(context).toOpaque()

        return try withExtendedLifetime(context) { () throws(FitError) -> SolverRun in
            var status: Int32
            if let weights {
                for i in 0..<n { weightVector.pointee.data[i * weightVector.pointee.stride] = weights[i] }
                status = gsl_multifit_nlinear_winit(start, weightVector, fdf, workspace)
            } else {
                status = gsl_multifit_nlinear_init(start, fdf, workspace)
            }
            if context.nonFiniteAtStart || status != Int32(GSL_SUCCESS) {
                if context.nonFiniteAtStart { throw FitError.notFiniteAtStart }
                throw FitError.gsl(GSLError(status: status, context: "nonlinear least squares set-up"))
            }
            var info: Int32 = 0
            status = gsl_multifit_nlinear_driver(
                settings.maxIterations, settings.xtol, settings.gtol, settings.ftol, nil, nil, &info,
                workspace)
            let converged: Bool
            let reason: String
            switch status {
            case Int32(GSL_SUCCESS):
                converged = true
                reason = info == 1 ? "small step" : "small gradient"
            case Int32(GSL_EMAXITER):
                converged = false
                reason = "iteration limit (\(settings.maxIterations)) reached"
            case Int32(GSL_ENOPROG):
                // At a minimum with tight tolerances GSL may find no further decrease;
                // the caller judges the estimate by its gradient and checks.
                converged = false
                reason = "no further progress"
            default:
                throw FitError.gsl(GSLError(status: status, context: "nonlinear least squares"))
            }
            return collect(converged: converged, reason: reason)
        }
    }

    private func collect(converged: Bool, reason: String) -> SolverRun {
        let n = observationCount, p = parameterCount
        let x = gsl_multifit_nlinear_position(workspace)!
        let r = gsl_multifit_nlinear_residual(workspace)!
        let theta = (0..<p).map { x.pointee.data[$0 * x.pointee.stride] }
        let residuals = (0..<n).map { r.pointee.data[$0 * r.pointee.stride] }
        var rss = 0.0
        for v in residuals { rss += v * v }
        let J = gsl_multifit_nlinear_jac(workspace)!
        // Columns with |R_kk| ≤ 1e-12·|R_11| in the pivoted QR count as dependent.
        let covStatus = gsl_multifit_nlinear_covar(J, 1e-12, covariance)
        var cov: [Double]? = nil
        var rank = 0
        if covStatus == Int32(GSL_SUCCESS) {
            var c = [Double](repeating: 0, count: p * p)
            for i in 0..<p {
                for j in 0..<p { c[i * p + j] = covariance.pointee.data[i * covariance.pointee.tda + j] }
                if c[i * p + i] > 0 && c[i * p + i].isFinite { rank += 1 }
            }
            cov = rank == p ? c : nil
        }
        var step: [Double]? = nil
        if let cov {
            // g = Jᵀr, δ = −C·g
            var g = [Double](repeating: 0, count: p)
            for i in 0..<n {
                for j in 0..<p { g[j] += J.pointee.data[i * J.pointee.tda + j] * residuals[i] }
            }
            step = (0..<p).map { i in -(0..<p).reduce(0.0) { $0 + cov[i * p + $1] * g[$1] } }
        }
        return SolverRun(
            parameters: theta, rss: rss, iterations: Int(gsl_multifit_nlinear_niter(workspace)),
            functionEvaluations: Int(fdf.pointee.nevalf), jacobianEvaluations: Int(fdf.pointee.nevaldf),
            converged: converged, stopReason: reason, unscaledCovariance: cov, rank: rank,
            residuals: residuals, remainingStep: step)
    }
}

/// What the C callbacks need; passed through GSL's `void *params`.
private final class SolveContext {
    let function: any RegressionFunction
    let y: [Double]
    var nonFiniteAtStart = false
    var evaluations = 0
    /// f values (GSL's f may be strided; with the Jacobian GSL does not want them back).
    let scratch: UnsafeMutableBufferPointer<Double>
    /// A contiguous copy of θ.
    let theta: UnsafeMutableBufferPointer<Double>

    init(function: any RegressionFunction, y: [Double]) {
        self.function = function
        self.y = y
        scratch = .allocate(capacity: max(y.count, 1))
        theta = .allocate(capacity: max(function.parameterNames.count, 1))
    }

    deinit {
        scratch.deallocate()
        theta.deallocate()
    }

    func parameters(_ x: gsl_vector) -> UnsafeBufferPointer<Double> {
        let p = Int(x.size)
        for j in 0..<p { theta[j] = x.data[j * x.stride] }
        return UnsafeBufferPointer(start: theta.baseAddress, count: p)
    }
}

/// Residuals fᵢ(θ) − yᵢ. A non-finite value becomes a huge finite one, so the trust region rejects
/// the step and shrinks instead of GSL stopping with an error; at the start it is reported.
private func solveResiduals(
    _ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
    _ f: UnsafeMutablePointer<gsl_vector>?
) -> Int32 {
    let ctx = Unmanaged<SolveContext>.fromOpaque(params!).takeUnretainedValue()
    let x = x!.pointee, f = f!.pointee
    let n = Int(f.size)
    // GSL may pass strided views (finite differences, geodesic acceleration): work on copies.
    let theta = ctx.parameters(x)
    ctx.function.evaluate(theta, values: ctx.scratch, jacobian: nil)
    var bad = false
    ctx.y.withUnsafeBufferPointer { y in
        for i in 0..<n {
            let r = ctx.scratch[i] - y[i]
            if r.isFinite { f.data[i * f.stride] = r } else { f.data[i * f.stride] = 1e150; bad = true }
        }
    }
    if bad && ctx.evaluations == 0 { ctx.nonFiniteAtStart = true }
    ctx.evaluations += 1
    return Int32(GSL_SUCCESS)
}

private func solveJacobian(
    _ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?,
    _ J: UnsafeMutablePointer<gsl_matrix>?
) -> Int32 {
    let ctx = Unmanaged<SolveContext>.fromOpaque(params!).takeUnretainedValue()
    let x = x!.pointee, J = J!.pointee
    let n = Int(J.size1), p = Int(J.size2)
    precondition(J.tda == J.size2)
    let theta = ctx.parameters(x)
    ctx.function.evaluate(
        theta, values: ctx.scratch, jacobian: UnsafeMutableBufferPointer(start: J.data, count: n * p))
    for k in 0..<(n * p) where !J.data[k].isFinite { J.data[k] = 0 }
    return Int32(GSL_SUCCESS)
}
