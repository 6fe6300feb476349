import ArgumentParser
import Fitting
import Foundation
import PlanIO

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Benchmarks that print their figures.",
        discussion: "rkat bench fit   logistic fits per second on a 60-point series, one reused workspace")

    @Argument(help: "Which benchmark: fit.") var which: String
    @Option(help: "Number of fits.") var fits = 20_000

    func run() throws {
        switch which {
        case "fit":
            guard fits > 0 else { throw InputError("--fits must be positive") }
            let r = try FitBenchmark.run(fits: fits)
            print(String(format: "bench fit: %d logistic fits (n = 60, p = 3, analytic Jacobian, reused workspace)", r.fits))
            print(String(format: "  wall %.3f s, %.2f µs/fit, %.0f fits/s on one core", r.seconds, r.seconds / Double(r.fits) * 1e6, Double(r.fits) / r.seconds))
            print(String(format: "  mean iterations %.1f, function evaluations %.1f", r.meanIterations, r.meanFunctionEvaluations))
            print(String(format: "  fits that recovered the truth (K, r within 5%%, t0 within 0.1 year): %d of %d", r.accurate, r.fits))
            if r.accurate != r.fits { throw RuntimeFailure(message: "bench fit: \(r.fits - r.accurate) fits missed the truth") }
        default:
            throw InputError("unknown benchmark '\(which)' (available: fit)")
        }
    }
}
