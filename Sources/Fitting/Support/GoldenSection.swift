import Foundation

/// The golden-section search for the maximum of a function of one variable on [lo, hi], a fixed
/// number of steps (each narrows the bracket by 0.618; two evaluations a step, none reused: the
/// functions searched here are cheap). Hand-written rather than GSL's `gsl_min_fminimizer_goldensection`:
/// the callers bracket from a grid, and a C callback per evaluation would cost more than the search.
/// `LastingLevel` keeps its own, which reuses evaluations (each is a curve fit).
public enum GoldenSection {
    /// The middle of the final bracket.
    public static func maximum(_ lo: Double, _ hi: Double, steps: Int, _ f: (Double) -> Double) -> Double {
        let g = (5.0.squareRoot() - 1) / 2
        var (lo, hi) = (lo, hi)
        for _ in 0..<steps {
            let x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo)
            if f(x1) >= f(x2) { hi = x2 } else { lo = x1 }
        }
        return (lo + hi) / 2
    }
}
