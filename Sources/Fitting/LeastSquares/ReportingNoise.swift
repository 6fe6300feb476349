import Foundation

/// A zero-mean series read as a continuous-time AR(1) state plus white reporting noise:
/// eᵢ = xᵢ + εᵢ, xᵢ = φ^Δᵢ·xᵢ₋₁ + ηᵢ, Var x = σ²·(1 − q), Var ε = σ²·q (q the noise's share). An AR(1)
/// fitted to such a series reads the noise as a fast decay, and so understates its long-run variance
/// (its spectral density at frequency zero), which is what a trend fitted to it is uncertain by
/// (`NoisyReading` in Planning). The exact likelihood is computed by the Kalman filter (one state, so the
/// filter is a few lines; GSL has none), σ² concentrated out; at q = 0 it is the AR(1)'s exact likelihood
/// (`SerialCorrelation.concentratedLogLikelihood`, plus its constants).
public enum ReportingNoise {
    public struct Fit: Sendable, Equatable {
        /// Monthly persistence of the state and the SDs of the state and of the noise.
        public var phi: Double
        public var stateSD: Double
        public var noiseSD: Double
        /// The exact log-likelihood at the maximum (with its constants).
        public var logLikelihood: Double
    }

    /// The exact log-likelihood at (φ, q) with σ̂² at its maximum, and σ̂².
    static func filter(_ e: [Double], months t: [Double], phi: Double, share q: Double) -> (logL: Double, variance: Double) {
        let n = e.count
        var mean = 0.0, p = 1 - q
        var sum = 0.0, logs = 0.0
        var gap = Double.nan, a = 0.0
        for i in 0..<n {
            if i > 0 {
                let g = t[i] - t[i - 1]
                if g != gap { gap = g; a = phi > 0 ? pow(phi, g) : 0 }
                mean *= a
                p = a * a * p + (1 - q) * (1 - a * a)
            }
            let f = p + q
            let v = e[i] - mean
            sum += v * v / f
            logs += log(f)
            let k = p / f
            mean += k * v
            p *= q / f
        }
        let variance = max(sum / Double(n), 1e-300)
        let logL = -Double(n) / 2 * (log(2 * Double.pi * variance) + 1) - logs / 2
        return (logL, variance)
    }

    /// The largest persistence searched: the engine caps a drawn φ at 0.995 too.
    public static let maximumPhi = 0.995
    /// The largest noise share searched: at q → 1 the state's variance vanishes and φ is undefined.
    public static let maximumShare = 0.95

    /// Maximum likelihood over φ ∈ [0, 0.995] and q ∈ [0, 0.95] (a grid of 0.02 × 0.1, then golden
    /// sections on each in turn until the likelihood stops rising). `noiseFree` is the best with q = 0 (the AR(1)),
    /// for the likelihood-ratio test of `preferred`. nil with fewer than 4 points.
    public static func fit(_ e: [Double], months t: [Double]) -> (withNoise: Fit, noiseFree: Fit)? {
        guard e.count >= 4, e.count == t.count, e.allSatisfy(\.isFinite) else { return nil }
        func l(_ phi: Double, _ q: Double) -> Double { filter(e, months: t, phi: phi, share: q).logL }
        var best = (phi: 0.0, q: 0.0, l: -Double.infinity), bestFree = best
        // A coarse grid (500 passes of the filter: `rkat bench national` reads every cell) finds the
        // basin; the golden sections below find the maximum within it.
        for j in 0...9 {
            let q = Double(j) * 0.1
            for k in 0...49 {
                let phi = Double(k) * 0.02 * maximumPhi / 0.98
                let v = l(phi, q)
                if v > best.l { best = (phi, q, v) }
                if j == 0, v > bestFree.l { bestFree = (phi, q, v) }
            }
        }
        func golden(_ lo: Double, _ hi: Double, _ f: (Double) -> Double) -> Double { GoldenSection.maximum(lo, hi, steps: 25, f) }
        func refinePhi(_ b: inout (phi: Double, q: Double, l: Double), within w: Double) {
            let x = golden(max(b.phi - w, 0), min(b.phi + w, maximumPhi)) { l($0, b.q) }
            let v = l(x, b.q)
            if v > b.l { b = (x, b.q, v) }
        }
        refinePhi(&bestFree, within: 0.02)
        // φ and q trade off along a ridge: golden sections on each in turn until ℓ stops rising (a
        // few dozen rounds at most; each is 50 passes of the filter).
        for _ in 0..<60 {
            let before = best.l
            refinePhi(&best, within: 0.02)
            let y = golden(max(best.q - 0.1, 0), min(best.q + 0.1, maximumShare)) { l(best.phi, $0) }
            let v = l(best.phi, y)
            if v > best.l { best = (best.phi, y, v) }
            if best.l - before < 1e-10 { break }
        }
        // The noise model nests the AR(1): it is never less likely.
        if bestFree.l > best.l { best = bestFree }
        func result(_ b: (phi: Double, q: Double, l: Double)) -> Fit {
            let variance = filter(e, months: t, phi: b.phi, share: b.q).variance
            return Fit(phi: b.phi, stateSD: (variance * (1 - b.q)).squareRoot(), noiseSD: (variance * b.q).squareRoot(), logLikelihood: b.l)
        }
        return (result(best), result(bestFree))
    }

    /// The 5% critical value of the likelihood ratio for a variance on its boundary (q = 0): half χ²₀,
    /// half χ²₁, so P(LR > c) = ½·P(χ²₁ > c) = 5% at c = 2.71 (Self & Liang 1987).
    public static let criticalValue = 2.705543454095404

    /// The fit with noise when the history prefers it to the AR(1) at the 5% level; nil otherwise.
    public static func preferred(_ e: [Double], months t: [Double]) -> (fit: Fit, ratio: Double)? {
        guard let r = fit(e, months: t) else { return nil }
        let ratio = 2 * (r.withNoise.logLikelihood - r.noiseFree.logLikelihood)
        guard ratio > criticalValue, r.withNoise.noiseSD > 0, r.withNoise.stateSD > 0 else { return nil }
        return (r.withNoise, ratio)
    }
}
