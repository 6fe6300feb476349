import Foundation

/// Options for a nonlinear regression.
public struct FitOptions: Sendable {
    public var solver = SolverSettings()
    /// Try other starting points when the fit from the first fails its checks.
    public var multiStart = true
    /// How many spread starting points multi-start tries after the given ones.
    var spreadStarts = 40
    /// Coverage of the reported confidence intervals.
    public var confidence = 0.95
    /// Fit from at least this many of the given starts and keep the lowest RSS, even when the first
    /// succeeds (self-starting growth models pass several plausible starts).
    var minimumStarts = 1

    public init() {}
}

/// Nonlinear least squares with result checks and multi-start, producing a `FitResult`.
///
/// GSL's "success" is not proof: a fit passes only with finite parameters, and (when n > p) a
/// full-rank Jacobian and positive finite standard errors. A failed fit is retried from the other
/// starts given, then with geodesic acceleration, then from starts spread around the first.
public enum NonlinearRegression {
    public static func fit(
        _ function: some RegressionFunction, y: [Double], weights: [Double]? = nil,
        starts: [[Double]], model: String, formula: String, options: FitOptions = FitOptions()
    ) throws(FitError) -> FitResult {
        let n = function.observationCount, p = function.parameterNames.count
        guard y.count == n else { throw .invalidInput("response has \(y.count) values for \(n) observations") }
        guard n >= p else { throw .tooFewObservations(needed: p, got: n) }
        guard let first = starts.first else { throw .invalidInput("no starting values") }
        for s in starts where s.count != p {
            throw .invalidInput("starting values have \(s.count) entries for \(p) parameters")
        }
        if let weights {
            guard weights.count == n, weights.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw .invalidInput("weights must be positive and finite, one per observation")
            }
        }
        guard y.allSatisfy(\.isFinite) else { throw .invalidInput("the response has non-finite values") }

        let plain = try NonlinearLeastSquares(observations: n, parameters: p, settings: options.solver)
        var accelSettings = options.solver
        accelSettings.geodesicAcceleration = true
        var accelerated: NonlinearLeastSquares? = nil

        var firstFailure: String? = nil
        var firstError: FitError? = nil
        var best: (run: SolverRun, label: String)? = nil
        var attempts = 0

        func attempt(_ solver: NonlinearLeastSquares, _ start: [Double], _ label: String) {
            attempts += 1
            do {
                let run = try solver.solve(function, y: y, weights: weights, initial: start)
                if let problem = check(run, n: n, p: p) {
                    if firstFailure == nil { firstFailure = problem }
                    return
                }
                if best == nil || run.rss < best!.run.rss { best = (run, label) }
            } catch {
                if firstFailure == nil {
                    firstFailure = error.description
                    firstError = error
                }
            }
        }

        attempt(plain, first, "the given start")
        for (k, s) in starts.enumerated().dropFirst().prefix(max(options.minimumStarts - 1, 0)) {
            attempt(plain, s, "start \(k + 1)")
        }
        if best == nil && options.multiStart {
            for (k, s) in starts.enumerated().dropFirst(max(options.minimumStarts, 1)) {
                attempt(plain, s, "start \(k + 1)")
            }
            if best == nil {
                accelerated = try NonlinearLeastSquares(observations: n, parameters: p, settings: accelSettings)
                attempt(accelerated!, first, "geodesic acceleration from the given start")
            }
            if best == nil {
                for (k, s) in spreadStarts(around: first, count: options.spreadStarts).enumerated() {
                    attempt(plain, s, "spread start \(k + 1)")
                    attempt(accelerated!, s, "spread start \(k + 1) with geodesic acceleration")
                }
            }
        }
        guard let (run, label) = best else {
            if let firstError, case .notFiniteAtStart = firstError { throw firstError }
            throw .didNotConverge(
                (firstFailure ?? "no acceptable estimate") + (options.multiStart ? " (after \(attempts) starts)" : ""))
        }
        var warnings: [Phrase] = []
        if label != "the given start" && firstFailure != nil {
            warnings.append(Phrase(
                "pencocokan dari nilai awal yang diberikan gagal; berhasil dari nilai awal lain",
                "the fit from the given start failed (\(firstFailure ?? "")); multi-start succeeded from \(label)"))
        }
        if !run.converged {
            warnings.append(Phrase(
                "diterima tanpa tanda konvergensi GSL: langkah Gauss–Newton yang tersisa kurang dari 1e-9 kali nilai setiap parameter",
                "accepted without GSL's convergence flag (\(run.stopReason)): the remaining Gauss–Newton step is below 1e-9 of every parameter"))
        }
        return summarize(
            run, names: function.parameterNames, y: y, weights: weights, model: model, formula: formula,
            confidence: options.confidence, warnings: warnings)
    }

    /// Nil when the run is acceptable, else the reason it is not.
    static func check(_ run: SolverRun, n: Int, p: Int) -> String? {
        guard run.parameters.allSatisfy(\.isFinite) else { return "non-finite parameter estimates" }
        guard run.rss.isFinite, run.rss < 1e200 else { return "the model is not finite at the estimate" }
        if !run.converged && !gradientIsSmall(run) { return "did not converge (\(run.stopReason))" }
        if n > p {
            guard run.rank == p, let cov = run.unscaledCovariance else {
                return "the Jacobian is rank deficient (rank \(run.rank) of \(p)): parameters are not identified"
            }
            for j in 0..<p where !(cov[j * p + j] > 0 && cov[j * p + j].isFinite) {
                return "non-positive or non-finite variance for a parameter"
            }
        }
        return nil
    }

    /// For runs that stopped without GSL's flag (no progress, iteration limit): accept when the
    /// Gauss–Newton step that remains is below 1e-9 of each parameter, so no reported digit would move.
    static func gradientIsSmall(_ run: SolverRun) -> Bool {
        guard let step = run.remainingStep else { return false }
        for (d, v) in zip(step, run.parameters) where !(abs(d) <= 1e-9 * abs(v)) { return false }
        return true
    }

    /// Deterministic starting points: each parameter scaled by 10^u, u ∈ [−1.5, 1.5] from a Halton sequence.
    static func spreadStarts(around start: [Double], count: Int) -> [[Double]] {
        let primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53]
        return (1...max(count, 1)).map { k in
            start.enumerated().map { j, v in
                let u = 3 * halton(k, base: primes[j % primes.count]) - 1.5
                let magnitude = v == 0 ? 1.0 : v
                return magnitude * pow(10, u)
            }
        }
    }

    static func halton(_ index: Int, base: Int) -> Double {
        var f = 1.0, r = 0.0, i = index
        while i > 0 {
            f /= Double(base)
            r += f * Double(i % base)
            i /= base
        }
        return r
    }

    static func summarize(
        _ run: SolverRun, names: [String], y: [Double], weights: [Double]?, model: String, formula: String,
        confidence: Double, warnings: [Phrase]
    ) -> FitResult {
        let n = y.count, p = names.count, dof = n - p
        var warnings = warnings
        var covariance: [Double]? = nil
        var params: [ParameterEstimate] = []
        let sigma2 = dof > 0 ? run.rss / Double(dof) : nil
        let tq = dof > 0 ? StudentT.quantile(0.5 + confidence / 2, dof: Double(dof)) : nil
        if let sigma2, let cov = run.unscaledCovariance {
            covariance = cov.map { $0 * sigma2 }
        }
        for j in 0..<p {
            var est = ParameterEstimate(name: names[j], estimate: run.parameters[j])
            if let covariance, let tq {
                let se = covariance[j * p + j].squareRoot()
                if se.isFinite && se > 0 {
                    est.standardError = se
                    est.ciLow = run.parameters[j] - tq * se
                    est.ciHigh = run.parameters[j] + tq * se
                }
            }
            params.append(est)
        }
        if dof == 0 {
            warnings.append(Phrase(
                "n = p = \(p): kurva melalui setiap titik; galat baku tidak dapat ditaksir",
                "n = p = \(p): the curve passes through every point; standard errors are not estimable"))
        } else if covariance == nil || params.contains(where: { $0.standardError == nil }) {
            warnings.append(Phrase("galat baku tidak dapat ditaksir (Jacobian tidak berpangkat penuh)", "standard errors are not estimable (rank-deficient Jacobian)"))
        }
        let ic = InformationCriteria(rss: run.rss, n: n, parameters: p, weights: weights)
        if ic == nil { warnings.append(Phrase("RSS nol: kriteria informasi tidak terdefinisi", "RSS is zero: information criteria are not defined")) }
        let residuals = run.residuals.map { -$0 }
        return FitResult(
            model: model, formula: formula, n: n, dof: dof, converged: true, iterations: run.iterations,
            stopReason: run.stopReason, rss: run.rss, residualSD: sigma2.map { $0.squareRoot() },
            aic: ic?.aic, aicc: ic?.aicc, bic: ic?.bic,
            r2: coefficientOfDetermination(y: y, weights: weights, rss: run.rss),
            parameters: params, covariance: covariance, residuals: residuals, warnings: warnings)
    }
}
