import Foundation

/// A rise in a series' noise at an unknown month (issue 31: bands two years out held 0.57 / 0.49 where
/// the deviations' SD grew from 1% to 4% over the last three years, since one s for the whole history
/// averages the quiet years into the noisy ones). The zero-mean series is whitened by its AR(1)
/// (uᵢ = (eᵢ − ρᵢ·eᵢ₋₁)/√(1 − ρᵢ²), ρᵢ = φ^Δᵢ, u₀ = e₀), so that under the model u is independent with
/// one variance; the statistic is the sup over the month τ of the likelihood ratio of a variance that
/// changes at τ against one that does not (each side with its own mean, which a step would move),
///
///     LR(τ) = n·log((S₁ + S₂)/n) − τ·log(S₁/τ) − (n − τ)·log(S₂/(n − τ)),
///
/// S₁, S₂ the sums of squares of u about their means before and from τ, over the τ whose later variance is
/// the larger (one-sided: only a rise changes what is drawn; a quieter recent spell is left to the
/// model's own s). With the date searched, χ²₁ does not hold (Andrews 1993); under the null the
/// statistic of independent normals depends on n and the searched months alone (σ cancels), so its
/// p-value is exact by simulation: `replicates` series of independent normals through the same search,
/// from a stream seeded by n (deterministic). A step in the level or a single odd figure makes one large
/// innovation and no rise in the noise, so the statistic is computed without the two largest |u|
/// (the null series are trimmed alike). A dip with ramps in and out makes more than two, and can still
/// be read as one (docs/uncertainty.md, "A rise in the noise read").
public enum VarianceShift {
    public struct Found: Sendable, Equatable {
        /// The index of the first figure at the later variance, the figures from it on, the ratio of
        /// the later innovations' SD to the pooled one (each side about its own mean), the statistic and
        /// its p-value.
        public var index: Int
        public var after: Int
        public var sdRatio: Double
        public var statistic: Double
        public var pValue: Double
    }

    /// Fewest figures before the change and from it on (the later SD is what the draws take: a year
    /// of months at least).
    public static let minimumBefore = 24
    public static let minimumAfter = 12
    public static let replicates = 199
    /// The test's level: 3%. The calibration suite's histories of the model's own class (a curve fitted,
    /// φ estimated, so the innovations are not quite the null's) read a rise in 2.2–3.8% of 300–500 at
    /// 3%, and in 3.6–7.2% at 5% (docs/uncertainty.md).
    public static let level = 0.03

    /// `u` without its two largest |u|, in order (on ties the earlier left out), and the original index
    /// of each kept figure. One pass: the test trims each of its null series too.
    static func trim(_ u: [Double]) -> (values: [Double], index: [Int]) {
        var (first, second) = (-1, -1)
        for k in u.indices {
            if first < 0 || abs(u[k]) > abs(u[first]) {
                (first, second) = (k, first)
            } else if second < 0 || abs(u[k]) > abs(u[second]) {
                second = k
            }
        }
        let kept = u.indices.filter { $0 != first && $0 != second }
        return (kept.map { u[$0] }, kept)
    }

    /// The AR(1)'s standardised innovations of `e` at `months` (continuous time).
    public static func innovations(_ e: [Double], months t: [Double], phi: Double) -> [Double] {
        guard let first = e.first else { return [] }
        var u = [first]
        u.reserveCapacity(e.count)
        for i in 1..<e.count {
            let rho = phi > 0 ? pow(phi, t[i] - t[i - 1]) : 0
            u.append((e[i] - rho * e[i - 1]) / max(1 - rho * rho, 1e-12).squareRoot())
        }
        return u
    }

    /// The sup statistic over τ ∈ [minimumBefore, n − minimumAfter] with the later variance the larger,
    /// and where it is reached; (0, nil) when no τ has a larger later variance. Each side's variance is
    /// about its own mean: a step in the deviations leaves the innovations after it off zero by
    /// (1 − ρ)·δ, which is not noise.
    public static func statistic(_ u: [Double]) -> (value: Double, index: Int?) {
        let n = u.count
        guard n >= minimumBefore + minimumAfter else { return (0, nil) }
        var (sum, squares) = (0.0, 0.0)
        for x in u { sum += x; squares += x * x }
        var (sumBefore, squaresBefore) = (0.0, 0.0)
        var best = (value: 0.0, index: Int?.none)
        for k in 0..<(n - minimumAfter) {
            sumBefore += u[k]
            squaresBefore += u[k] * u[k]
            let tau = k + 1
            guard tau >= minimumBefore else { continue }
            let (a, b) = (Double(tau), Double(n - tau))
            let s1 = squaresBefore - sumBefore * sumBefore / a
            let s2 = (squares - squaresBefore) - (sum - sumBefore) * (sum - sumBefore) / b
            let (v1, v2) = (s1 / a, s2 / b)
            guard v2 > v1, v1 > 0 else { continue }
            let lr = Double(n) * log((s1 + s2) / Double(n)) - a * log(v1) - b * log(v2)
            if lr > best.value { best = (lr, tau) }
        }
        return best
    }

    /// The later variance over the pooled one, at `tau`, each side about its own mean.
    static func varianceRatio(_ u: [Double], at tau: Int) -> Double {
        func spread(_ x: ArraySlice<Double>) -> Double {
            let mean = x.reduce(0, +) / Double(x.count)
            return x.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        }
        let (s1, s2) = (spread(u[..<tau]), spread(u[tau...]))
        return (s2 / Double(u.count - tau)) / ((s1 + s2) / Double(u.count))
    }

    /// The rise in `e`'s noise at the `level`, when there is one; nil when the series is too short
    /// (fewer than minimumBefore + minimumAfter + the two left out) or no rise is significant.
    public static func test(_ e: [Double], months t: [Double], phi: Double) -> Found? {
        let n = e.count
        guard n >= minimumBefore + minimumAfter + 2, t.count == n, e.allSatisfy(\.isFinite) else { return nil }
        let (u, index) = trim(innovations(e, months: t, phi: phi))
        let observed = statistic(u)
        guard let at = observed.index, observed.value > 0 else { return nil }
        let rng = RandomStream(seed: 0x5641_5253_4849_4654 &+ UInt64(n))
        var z = [Double](repeating: 0, count: n)
        var exceed = 0
        for _ in 0..<replicates {
            for k in 0..<n { z[k] = rng.gaussian(sd: 1) }
            if statistic(trim(z).values).value >= observed.value { exceed += 1 }
        }
        let p = Double(exceed + 1) / Double(replicates + 1)
        guard p < level else { return nil }
        // On the trimmed innovations too: a step's one large innovation would count. (On all of them less
        // those beyond 4 robust SDs, tried, the ratio moved by under 1% on NoiseRiseTests' rises.)
        let ratio = varianceRatio(u, at: at).squareRoot()
        return Found(index: index[at], after: n - index[at], sdRatio: ratio, statistic: observed.value, pValue: p)
    }
}
