import Foundation
import Testing

/// Scores of predicted probabilities against what came true (issue 31, item 6): the Brier score and
/// the calibration slope, the logistic regression outcome ~ a + b·logit(p) (Cox 1958). Reliable
/// forecasts have b ≈ 1 and a ≈ 0; b < 1 means overconfident (too close to 0 and 1), b > 1 timid.
enum Reliability {
    /// Mean of (p − outcome)².
    static func brier(_ pairs: [(Double, Bool)]) -> Double {
        pairs.reduce(0) { $0 + ($1.0 - ($1.1 ? 1 : 0)) * ($1.0 - ($1.1 ? 1 : 0)) } / Double(pairs.count)
    }

    /// The Brier score of always predicting the base rate (the share that came true).
    static func climatology(_ pairs: [(Double, Bool)]) -> Double {
        let rate = Double(pairs.filter(\.1).count) / Double(pairs.count)
        return rate * (1 - rate)
    }

    /// (a, b) and b's standard error from the Fisher information, by Newton's method on the log
    /// likelihood; p is clipped to [clip, 1 − clip] so a probability of exactly 0 or 1 (every draw on
    /// one side) has a finite logit. nil when the outcomes are all one kind or it does not converge.
    static func calibrationSlope(_ pairs: [(Double, Bool)], clip: Double = 0.0025) -> (intercept: Double, slope: Double, slopeSE: Double)? {
        let x = pairs.map { p -> Double in
            let q = min(max(p.0, clip), 1 - clip)
            return log(q / (1 - q))
        }
        let y = pairs.map { $0.1 ? 1.0 : 0.0 }
        guard y.contains(1), y.contains(0) else { return nil }
        var a = 0.0, b = 1.0
        for _ in 0..<100 {
            var ga = 0.0, gb = 0.0, haa = 0.0, hab = 0.0, hbb = 0.0
            for (xi, yi) in zip(x, y) {
                let mu = 1 / (1 + exp(-(a + b * xi))), w = mu * (1 - mu)
                ga += yi - mu
                gb += (yi - mu) * xi
                haa += w
                hab += w * xi
                hbb += w * xi * xi
            }
            let det = haa * hbb - hab * hab
            guard det > 0 else { return nil }
            let da = (hbb * ga - hab * gb) / det, db = (haa * gb - hab * ga) / det
            a += da
            b += db
            if abs(da) + abs(db) < 1e-12 {
                return (a, b, (haa / det).squareRoot())
            }
        }
        return nil
    }
}

/// The reliability scores the calibration suite reports, against scipy on 16 hand-made forecasts.
@Suite struct ReliabilityTests {
    static let pairs: [(Double, Bool)] = zip(
        [0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.15, 0.35, 0.55, 0.75, 0.85],
        [0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 1, 1].map { $0 == 1 }
    ).map { ($0, $1) }

    /// scipy.optimize.minimize (BFGS, gtol 1e-12) of Σ log(1 + e^η) − yη, η = a + b·logit(p):
    /// a = 0.32906199, b = 1.05791396; numpy: Brier = mean((p − y)²) = 0.16796875, and the base rate
    /// 9/16 gives 9/16·7/16 = 0.24609375; b's standard error √(H⁻¹)₂₂ at the optimum (numpy) 0.53789727.
    @Test func brierAndSlopeMatchScipy() throws {
        #expect(abs(Reliability.brier(Self.pairs) - 0.16796875) < 1e-15)
        #expect(abs(Reliability.climatology(Self.pairs) - 0.24609375) < 1e-15)
        let fit = try #require(Reliability.calibrationSlope(Self.pairs))
        #expect(abs(fit.intercept - 0.32906199) < 1e-7 && abs(fit.slope - 1.05791396) < 1e-7, "\(fit)")
        #expect(abs(fit.slopeSE - 0.53789727) < 1e-6, "\(fit.slopeSE)")
        #expect(Reliability.calibrationSlope(Self.pairs.map { ($0.0, true) }) == nil)
    }
}
