import CGSL
import Foundation

/// One independent stream of random numbers: GSL's taus2 generator (fast, small state, good
/// equidistribution), seeded from a 64-bit key. Not thread-safe: one stream per cell or per thread.
///
/// ```swift
/// let rng = RandomStream(seed: RandomStream.seed(20180101, "Sumbagut/PU"))
/// let z = rng.gaussian(sd: 1)
/// ```
public final class RandomStream {
    private let rng: UnsafeMutablePointer<gsl_rng>

    public init(seed: UInt64) {
        GSLRuntime.ensureReady()
        rng = gsl_rng_alloc(cgsl_rng_taus2())!
        // taus2 seeds from 32 bits; fold the 64-bit key so both halves count. 0 means GSL's default.
        let folded = UInt32(truncatingIfNeeded: seed ^ (seed >> 32))
        gsl_rng_set(rng, UInt(folded == 0 ? 1 : folded))
    }

    deinit { gsl_rng_free(rng) }

    /// A stream's seed from the scenario seed and a stable key (cell, "assumptions", ...): FNV-1a of the
    /// key mixed with the seed by SplitMix64, so streams never depend on thread or arrival order.
    public static func seed(_ base: UInt64, _ key: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key.utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        var z = base &+ h &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform on (0, 1).
    @inline(__always) public func uniform() -> Double { gsl_rng_uniform_pos(rng) }

    /// N(0, sd²) by the ziggurat method.
    @inline(__always) public func gaussian(sd: Double) -> Double { gsl_ran_gaussian_ziggurat(rng, sd) }

    /// χ² with ν degrees of freedom (`gsl_ran_chisq`).
    public func chiSquared(_ nu: Double) -> Double { gsl_ran_chisq(rng, nu) }

    /// true with probability p.
    @inline(__always) public func bernoulli(_ p: Double) -> Bool { gsl_rng_uniform(rng) < p }

    /// The raw generator (tests compare it with rkat's own taus2).
    var raw: UnsafeMutablePointer<gsl_rng> { rng }

    /// Gaussian draws for hot loops (see `GaussianSource`), reference-count free; valid only while
    /// this stream is alive (hold it with `withExtendedLifetime`).
    public var gaussians: GaussianSource { GaussianSource(rng: rng) }
}

/// Draws from N(μ, Σ): μ + L·z, Σ = LLᵀ factored once by GSL's Cholesky, z from GSL's ziggurat.
///
/// Not `gsl_ran_multivariate_gaussian`: it draws z by the polar method (a logarithm per pair) and
/// multiplies through a BLAS call; in `rkat bench national` (16.5 million curve draws of 3–4
/// parameters) that was a tenth of the simulation. The ziggurat is the normal rkat draws everywhere
/// else, and L·z for p ≤ 5 is a few multiply-adds.
public final class MultivariateNormal {
    public let dimension: Int
    /// μ, and L's lower triangle row by row (p × p, zeros above the diagonal).
    private let mu: [Double]
    private let lower: [Double]
    /// z of the draw under way (not thread-safe, like the stream it reads).
    private let z: UnsafeMutableBufferPointer<Double>

    /// Throws when Σ is not positive definite.
    public init(mean mu: [Double], covariance: [Double]) throws(GSLError) {
        let p = mu.count
        precondition(covariance.count == p * p && p > 0)
        GSLRuntime.ensureReady()
        dimension = p
        self.mu = mu
        // Checked before the Cholesky step (GSL's handler is off, but a non-finite or singular matrix
        // must not reach it). The scratch is allocated after the last throw (deinit does not run for an
        // initialiser that throws before every property is set).
        guard MultivariateNormal.drawable(covariance: covariance, dimension: p).allSatisfy({ $0 }), mu.allSatisfy(\.isFinite) else {
            throw GSLError(status: Int32(GSL_EDOM), context: "the covariance matrix is not positive definite")
        }
        let factor = gsl_matrix_alloc(p, p)!
        defer { gsl_matrix_free(factor) }
        for i in 0..<p { for j in 0..<p { factor.pointee.data[i * factor.pointee.tda + j] = covariance[i * p + j] } }
        let status = gsl_linalg_cholesky_decomp1(factor)
        if status != Int32(GSL_SUCCESS) {
            throw GSLError(status: status, context: "Cholesky factor of a covariance matrix")
        }
        lower = (0..<p * p).map { k in k % p <= k / p ? factor.pointee.data[(k / p) * factor.pointee.tda + k % p] : 0 }
        z = .allocate(capacity: p)
    }

    /// Which of the p variables can be drawn: a Cholesky factorisation in order that skips (holds
    /// fixed) every variable whose variance is not finite and positive, or whose variance left over
    /// after the variables kept before it is below 10⁻¹⁰ of its own (it is a combination of them: the
    /// matrix is singular there). The kept variables' covariance is positive definite.
    public static func drawable(covariance: [Double], dimension p: Int) -> [Bool] {
        guard covariance.count == p * p else { return [Bool](repeating: false, count: p) }
        var keep = [Bool](repeating: false, count: p)
        var kept: [Int] = []
        var rows: [[Double]] = []  // L's rows for the kept variables, in the kept order
        for i in 0..<p {
            let v = covariance[i * p + i]
            guard v.isFinite, v > 0, (0..<p).allSatisfy({ covariance[i * p + $0].isFinite }) else { continue }
            var row: [Double] = []
            for (k, j) in kept.enumerated() {
                var s = covariance[i * p + j]
                for m in 0..<k { s -= row[m] * rows[k][m] }
                row.append(s / rows[k][k])
            }
            let d = v - row.reduce(0) { $0 + $1 * $1 }
            guard d.isFinite, d > 1e-10 * v else { continue }
            row.append(d.squareRoot())
            rows.append(row)
            kept.append(i)
            keep[i] = true
        }
        return keep
    }

    deinit { z.deallocate() }

    /// One draw.
    public func draw(_ stream: RandomStream) -> [Double] {
        [Double](unsafeUninitializedCapacity: dimension) { buffer, count in
            draw(stream, into: buffer)
            count = dimension
        }
    }

    /// One draw into `buffer` (count ≥ dimension), without allocating: z₀ … z_{p−1} in that order from
    /// the stream, then μ + L·z.
    public func draw(_ stream: RandomStream, into buffer: UnsafeMutableBufferPointer<Double>) {
        let p = dimension
        for i in 0..<p { z[i] = stream.gaussian(sd: 1) }
        lower.withUnsafeBufferPointer { l in
            for i in 0..<p {
                var s = mu[i]
                for j in 0...i { s += l[i * p + j] * z[j] }
                buffer[i] = s
            }
        }
    }
}

/// Samples of the stated distributions (inverse CDF for the triangular).
public enum Sampling {
    public static func normal(_ s: RandomStream, mean: Double, sd: Double) -> Double { mean + s.gaussian(sd: sd) }

    public static func lognormal(_ s: RandomStream, median: Double, sigma: Double) -> Double {
        median * exp(s.gaussian(sd: sigma))
    }

    public static func uniform(_ s: RandomStream, min a: Double, max b: Double) -> Double { a + (b - a) * s.uniform() }

    public static func triangular(_ s: RandomStream, min a: Double, mode c: Double, max b: Double) -> Double {
        guard b > a else { return a }
        let u = s.uniform(), f = (c - a) / (b - a)
        return u < f ? a + ((b - a) * (c - a) * u).squareRoot() : b - ((b - a) * (b - c) * (1 - u)).squareRoot()
    }
}
