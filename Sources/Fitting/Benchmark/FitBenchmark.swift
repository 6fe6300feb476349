import CGSL
import Foundation

/// `rkat bench fit`: logistic fits per second on 60-point monthly series, reusing one workspace.
public enum FitBenchmark {
    public struct Figures: Sendable {
        public var fits: Int
        public var seconds: Double
        public var meanIterations: Double
        public var meanFunctionEvaluations: Double
        /// Fits whose K, r and t0 land within 5% (t0: 0.1 year) of the values the data were made from.
        public var accurate: Int
    }

    public static func run(fits: Int, seriesCount: Int = 64) throws(FitError) -> Figures {
        GSLRuntime.ensureReady()
        let n = 60
        let truth = (k: 1_000_000.0, r: 0.9, t0: 2020.0)
        let times = (0..<n).map { 2017.0 + Double($0 + 1) / 12 }
        // Seeded noise (1% of K) so every run fits the same series.
        let rng = gsl_rng_alloc(cgsl_rng_mt19937())!
        defer { gsl_rng_free(rng) }
        gsl_rng_set(rng, 20_180_101)
        let series: [[Double]] = (0..<seriesCount).map { _ in
            times.map { t in truth.k / (1 + exp(-truth.r * (t - truth.t0))) + gsl_ran_gaussian(rng, 0.01 * truth.k) }
        }
        let function = GrowthCurveFunction(model: .logistic, times: times)
        // The settings every growth fit uses (SolverSettings defaults).
        let solver = try NonlinearLeastSquares(observations: n, parameters: 3)
        var iterations = 0, evaluations = 0, accurate = 0
        let clock = ContinuousClock()
        let start = clock.now
        for k in 0..<fits {
            let y = series[k % seriesCount]
            let initial = GrowthStarts.logistic(times, y, k: 1.05 * (y.max() ?? 1)) ?? [y.max() ?? 1, 1, times[n / 2]]
            let run = try solver.solve(function, y: y, initial: initial)
            iterations += run.iterations
            evaluations += run.functionEvaluations
            let p = run.parameters
            if run.unscaledCovariance != nil, abs(p[0] / truth.k - 1) < 0.05, abs(p[1] / truth.r - 1) < 0.05,
                abs(p[2] - truth.t0) < 0.1
            {
                accurate += 1
            }
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return Figures(fits: fits, seconds: seconds, meanIterations: Double(iterations) / Double(fits),
            meanFunctionEvaluations: Double(evaluations) / Double(fits), accurate: accurate)
    }
}
