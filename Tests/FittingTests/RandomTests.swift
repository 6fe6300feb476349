import CGSL
import Foundation
import Testing

@testable import Fitting

@Suite struct RandomTests {
    /// The inline taus2 step is GSL's: the same sequence as gsl_rng_get on the same stream.
    @Test(arguments: [1 as UInt64, 20_180_101, 0xdead_beef_cafe])
    func inlineTaus2IsGSLsSequence(seed: UInt64) {
        let a = RandomStream(seed: seed), b = RandomStream(seed: seed)
        let source = a.gaussians
        var g = Taus2(s1: source.state[0], s2: source.state[1], s3: source.state[2])
        for _ in 0..<100_000 {
            #expect(UInt(g.next()) == gsl_rng_get(b.raw))
        }
    }

    /// The ziggurat's draws against GSL's normal CDF: a Kolmogorov–Smirnov statistic below its 1%
    /// critical value, the mean and variance within 4 standard errors, and the tail beyond r = 3.44
    /// (drawn by the slow path) at its expected frequency.
    @Test func zigguratDrawsAreStandardNormal() {
        let n = 400_000
        let stream = RandomStream(seed: 42)
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        defer { buffer.deallocate() }
        withExtendedLifetime(stream) { stream.gaussians.fill(buffer, 0..<n, sd: 1) }
        var z = Array(buffer)
        let mean = z.reduce(0, +) / Double(n)
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        #expect(abs(mean) < 4 / Double(n).squareRoot())
        // Var of the sample variance of normals ≈ 2/n.
        #expect(abs(variance - 1) < 4 * (2 / Double(n)).squareRoot())
        z.sort()
        var d = 0.0
        for (i, x) in z.enumerated() {
            let p = gsl_cdf_ugaussian_P(x)
            d = max(d, abs(p - Double(i) / Double(n)), abs(p - Double(i + 1) / Double(n)))
        }
        #expect(d < 1.628 / Double(n).squareRoot(), "KS D = \(d)")
        let tail = Double(z.filter { abs($0) > 3.442619855899 }.count)
        let expected = 2 * gsl_cdf_ugaussian_Q(3.442619855899) * Double(n)
        #expect(abs(tail - expected) < 4 * expected.squareRoot(), "\(tail) vs \(expected)")
        // Both signs, and the same count on each side within noise.
        let negative = Double(z.filter { $0 < 0 }.count)
        #expect(abs(negative - Double(n) / 2) < 4 * (Double(n) / 4).squareRoot())
    }

    /// next(sd:) and fill(_:_:sd:) walk the same stream, the rare paths included (10⁵ draws take the
    /// curved edges about 1,200 times and the tail about 60 times).
    @Test func singleDrawsAndFillsAgree() {
        let n = 100_000
        let a = RandomStream(seed: 7), b = RandomStream(seed: 7)
        let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: n)
        defer { buffer.deallocate() }
        // In uneven pieces, so a piece can end right after a rare draw.
        withExtendedLifetime(a) {
            var start = 0
            while start < n {
                let end = min(n, start + 1 + start % 997)
                a.gaussians.fill(buffer, start..<end, sd: 2.5)
                start = end
            }
        }
        var mismatches = 0
        withExtendedLifetime(b) {
            let g = b.gaussians
            for i in 0..<n where g.next(sd: 2.5) != buffer[i] { mismatches += 1 }
        }
        #expect(mismatches == 0)
        #expect(buffer.contains { abs($0) > 2.5 * 3.442619855899 })
    }

    /// N(μ, Σ) as μ + L·z, by hand: Σ = [[4, 2], [2, 5]] has the Cholesky factor L = [[2, 0], [1, 2]],
    /// so a draw is (μ₀ + 2z₀, μ₁ + z₀ + 2z₁) with z₀, z₁ the stream's next two standard normals.
    @Test func multivariateNormalIsMeanPlusCholeskyTimesStandardNormals() throws {
        let normal = try MultivariateNormal(mean: [10, -3], covariance: [4, 2, 2, 5])
        let a = RandomStream(seed: 7), b = RandomStream(seed: 7)
        for _ in 0..<1000 {
            let x = normal.draw(a)
            let z0 = b.gaussian(sd: 1), z1 = b.gaussian(sd: 1)
            #expect(abs(x[0] - (10 + 2 * z0)) <= 1e-12 * (1 + abs(x[0])))
            #expect(abs(x[1] - (-3 + z0 + 2 * z1)) <= 1e-12 * (1 + abs(x[1])))
        }
        // One dimension: N(2, 9) is 2 + 3z.
        let one = try MultivariateNormal(mean: [2], covariance: [9])
        for _ in 0..<100 {
            let x = one.draw(a), z = b.gaussian(sd: 1)
            #expect(x.count == 1 && abs(x[0] - (2 + 3 * z)) <= 1e-12 * (1 + abs(x[0])))
        }
        // Not positive definite: refused, not drawn.
        #expect(throws: GSLError.self) { try MultivariateNormal(mean: [0, 0], covariance: [1, 1, 1, 1]) }
    }

    /// The draws' sample mean and covariance against the stated μ and Σ (a 3 × 3 with correlations
    /// 0.6, −0.3, 0.2): each within 4 of its standard errors (Var of a sample covariance
    /// (σᵢᵢσⱼⱼ + σᵢⱼ²)/n for normals).
    @Test func multivariateNormalHasTheStatedCovariance() throws {
        let mu: [Double] = [1, 0, -2], sd: [Double] = [1, 0.5, 2]
        let r: [[Double]] = [[1, 0.6, -0.3], [0.6, 1, 0.2], [-0.3, 0.2, 1]]
        var sigma = [Double](repeating: 0, count: 9)
        for i in 0..<3 { for j in 0..<3 { sigma[i * 3 + j] = r[i][j] * sd[i] * sd[j] } }
        let normal = try MultivariateNormal(mean: mu, covariance: sigma)
        let stream = RandomStream(seed: 2026)
        let n = 200_000
        let x = (0..<n).map { _ in normal.draw(stream) }
        var mean = [Double](repeating: 0, count: 3)
        for v in x { for i in 0..<3 { mean[i] += v[i] / Double(n) } }
        for i in 0..<3 {
            #expect(abs(mean[i] - mu[i]) < 4 * sd[i] / Double(n).squareRoot())
            for j in 0..<3 {
                var sum = 0.0
                for v in x { sum += (v[i] - mean[i]) * (v[j] - mean[j]) }
                let c = sum / Double(n - 1), s = sigma[i * 3 + j]
                let se = ((sigma[i * 3 + i] * sigma[j * 3 + j] + s * s) / Double(n)).squareRoot()
                #expect(abs(c - s) < 4 * se, "cov[\(i)][\(j)] \(c) against \(s)")
            }
        }
    }
}
