import Fitting
import Foundation

/// A stated distribution for an uncertain scenario assumption.
public enum Distribution: Sendable, Equatable {
    case normal(mean: Double, sd: Double)
    /// Median e^μ and σ of the logarithm.
    case lognormal(median: Double, sigma: Double)
    case uniform(min: Double, max: Double)
    case triangular(min: Double, mode: Double, max: Double)

    /// The value used by the deterministic projection: the mean (normal, uniform, triangular) or the
    /// median (lognormal).
    public var central: Double {
        switch self {
        case .normal(let m, _): return m
        case .lognormal(let median, _): return median
        case .uniform(let a, let b): return (a + b) / 2
        case .triangular(let a, let c, let b): return (a + c + b) / 3
        }
    }

    /// The q-quantile (0 < q < 1): normal μ + σΦ⁻¹(q), lognormal median·e^{σΦ⁻¹(q)}, uniform
    /// a + q(b − a), triangular by its inverse distribution function.
    public func quantile(_ q: Double) -> Double {
        switch self {
        case .normal(let mean, let sd): return mean + sd * StandardNormal.quantile(q)
        case .lognormal(let median, let sigma): return median * Foundation.exp(sigma * StandardNormal.quantile(q))
        case .uniform(let a, let b): return a + q * (b - a)
        case .triangular(let a, let c, let b):
            guard b > a else { return a }
            return q < (c - a) / (b - a) ? a + (q * (b - a) * (c - a)).squareRoot() : b - ((1 - q) * (b - a) * (b - c)).squareRoot()
        }
    }

    /// One draw from the distribution.
    func sample(_ rng: RandomStream) -> Double {
        switch self {
        case .normal(let mean, let sd): return Sampling.normal(rng, mean: mean, sd: sd)
        case .lognormal(let median, let sigma): return Sampling.lognormal(rng, median: median, sigma: sigma)
        case .uniform(let a, let b): return Sampling.uniform(rng, min: a, max: b)
        case .triangular(let a, let c, let b): return Sampling.triangular(rng, min: a, mode: c, max: b)
        }
    }
}

/// The scenario assumptions Monte Carlo can draw (`uncertainty.assumptions` in the scenario file).
public enum Assumption: String, Sendable, CaseIterable {
    /// Outreach elasticity ε (replaces levers.outreach.elasticity in each draw).
    case elasticity
    /// Multiplies every segment's lapse rate.
    case lapseRateFactor = "lapse_rate_factor"
    /// Multiplies every potential.
    case potentialFactor = "potential_factor"
    /// Replaces levers.villages.acquisitions_per_village.
    case acquisitionsPerVillage = "acquisitions_per_village"
    /// Multiplies the monthly acquisitions of flow-calibrated segments (g₀), whose calibration has
    /// no fit to give it a standard error.
    case acquisitionsFactor = "acquisitions_factor"

    /// The values the assumption may take: the scenario reader keeps every parameter of its distribution
    /// inside, and Monte Carlo clamps each draw to it (a normal's tails are cut at the bounds), so a draw
    /// never reaches arithmetic that overflows. Elasticity [0, 3], acquisitions per village [0, 10⁵],
    /// factors [0, 10].
    public var range: ClosedRange<Double> {
        switch self {
        case .elasticity: return 0...3
        case .acquisitionsPerVillage: return 0...100_000
        case .lapseRateFactor, .potentialFactor, .acquisitionsFactor: return 0...10
        }
    }

    /// A draw clamped to `range` (NaN to its lower bound).
    @inline(__always) func clamp(_ v: Double) -> Double {
        v >= range.lowerBound ? min(v, range.upperBound) : range.lowerBound
    }
}
