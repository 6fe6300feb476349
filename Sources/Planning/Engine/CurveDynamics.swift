import Fitting
import Foundation

/// A fitted growth curve as a dynamical system: the exact map Φ that advances a stock by one month
/// along the model's own ODE (DESIGN.md §2), so that with no levers the engine lands on the fitted
/// curve month after month, not on an Euler approximation of it.
public struct CurveDynamics: Sendable {
    public let model: GrowthModel
    /// All parameters, ceiling included, in the space the curve was fitted in (coverage or persons).
    public let parameters: [Double]
    /// t_ref of the linear and exponential forms.
    public let origin: Double

    public init(model: GrowthModel, parameters: [Double], origin: Double) {
        precondition(parameters.count == model.parameterNames.count)
        self.model = model
        self.parameters = parameters
        self.origin = origin
    }

    /// The curve's ceiling (K, or m for Bass); nil for linear and exponential.
    public var ceiling: Double? { model.ceilingIndex.map { parameters[$0] } }

    /// The fitted curve at time t (decimal years).
    public func value(at t: Double) -> Double {
        GrowthCurveFunction(model: model, times: [t], origin: origin).values(at: parameters)[0]
    }

    /// Φ(u): the state one month (Δ = 1/12 year) after u. Returns u itself where the model has no
    /// dynamics: at u ≤ 0 for the multiplicative models (no diffusion from nothing) and at or above
    /// the ceiling.
    public func advance(_ u: Double) -> Double {
        let dt = 1.0 / 12
        let p = parameters
        switch model {
        case .linear:
            return u + p[1] * dt
        case .exponential:
            return u <= 0 ? u : u * exp(p[1] * dt)
        case .logistic:
            let k = p[0], r = p[1]
            guard u > 0, u < k else { return u }
            return k / (1 + (k - u) / u * exp(-r * dt))
        case .gompertz:
            let k = p[0], c = p[1]
            guard u > 0, u < k else { return u }
            return k * exp(log(u / k) * exp(-c * dt))
        case .richards:
            // (K/u)^ν − 1 decays as e^(−r t) along the curve.
            let k = p[0], r = p[1], nu = p[3]
            guard u > 0, u < k else { return u }
            let w = pow(k / u, nu) - 1
            return k * pow(1 + w * exp(-r * dt), -1 / nu)
        case .bass:
            // F = (1 − z)/(1 + (q/p) z) with z = e^(−(p+q)τ): invert for z, advance τ by Δ.
            let m = p[0], pp = p[1], q = p[2]
            guard u >= 0, u < m else { return u }
            let f = u / m, ratio = q / pp
            let z = (1 - f) / (1 + f * ratio)
            let z1 = z * exp(-(pp + q) * dt)
            return m * (1 - z1) / (1 + ratio * z1)
        }
    }
}
