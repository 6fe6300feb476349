import Fitting
import Foundation

/// A fitted growth curve as a dynamical system: the exact map Φ that advances a stock by one month
/// along the model's own ODE (docs/engine.md, "The engine"), so that with no levers the engine lands on the fitted
/// curve month after month, not on an Euler approximation of it.
public struct CurveDynamics: Sendable {
    public let model: GrowthModel
    /// All parameters, ceiling included, in the space the curve was fitted in (coverage or persons).
    public let parameters: [Double]
    /// t_ref of the linear and exponential forms.
    public let origin: Double

    /// The one-month decay factor of the model's clock (e^(−r/12), e^(−c/12), e^(−(p+q)/12)), or the
    /// one-month growth of the linear and exponential forms: computed once, used every month.
    private let step: Double
    /// The parameters the step needs, as scalars: reading the array each month costs a retain.
    private let k0: Double, ratio: Double, nu: Double

    public init(model: GrowthModel, parameters: [Double], origin: Double) {
        precondition(parameters.count == model.parameterNames.count)
        self.model = model
        self.parameters = parameters
        self.origin = origin
        let dt = 1.0 / 12
        k0 = parameters[0]
        ratio = model == .bass ? parameters[2] / parameters[1] : 0
        nu = model == .richards ? parameters[3] : 1
        switch model {
        case .linear: step = parameters[1] * dt
        case .exponential: step = exp(parameters[1] * dt)
        case .logistic, .richards: step = exp(-parameters[1] * dt)
        case .gompertz: step = exp(-parameters[1] * dt)
        case .bass: step = exp(-(parameters[1] + parameters[2]) * dt)
        }
    }

    /// Parameters a draw may take: finite, positive rates and ceilings (κ ≤ `maxCeiling` in coverage).
    static func isValid(_ model: GrowthModel, _ p: UnsafeBufferPointer<Double>, maxCeiling: Double?) -> Bool {
        for v in p where !v.isFinite { return false }
        switch model {
        case .linear, .exponential: return true
        case .logistic, .gompertz: return p[0] > 0 && p[1] > 0 && (maxCeiling.map { p[0] <= $0 } ?? true)
        case .richards: return p[0] > 0 && p[1] > 0 && p[3] > 0 && (maxCeiling.map { p[0] <= $0 } ?? true)
        case .bass: return p[0] > 0 && p[1] > 0 && p[2] >= 0 && (maxCeiling.map { p[0] <= $0 } ?? true)
        }
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
    @inline(__always)
    func advance(_ u: Double) -> Double { stepper.advance(u) }

    /// The step as a plain value (no arrays), for the Monte Carlo month loop.
    var stepper: CurveStep { CurveStep(model: model, step: step, k0: k0, ratio: ratio, nu: nu) }

    /// The curve of a parameter vector (all parameters, ceiling included) at time t, without arrays:
    /// the closed forms of `GrowthModel` (a drawn curve's value at the jump-off and start months).
    static func value(_ model: GrowthModel, _ p: UnsafeBufferPointer<Double>, origin: Double, at t: Double) -> Double {
        switch model {
        case .linear: return p[0] + p[1] * (t - origin)
        case .exponential: return p[0] * exp(p[1] * (t - origin))
        case .logistic: return p[0] / (1 + exp(-p[1] * (t - p[2])))
        case .gompertz: return p[0] * exp(-exp(-p[1] * (t - p[2])))
        case .richards: return p[0] * pow(1 + p[3] * exp(-p[1] * (t - p[2])), -1 / p[3])
        case .bass:
            let e = exp(-(p[1] + p[2]) * (t - p[3]))
            return p[0] * (1 - e) / (1 + p[2] / p[1] * e)
        }
    }

    /// The step of a drawn parameter vector, without building a CurveDynamics.
    static func stepper(_ model: GrowthModel, _ p: UnsafeBufferPointer<Double>) -> CurveStep {
        let dt = 1.0 / 12
        let step: Double
        switch model {
        case .linear: step = p[1] * dt
        case .exponential: step = exp(p[1] * dt)
        case .logistic, .richards, .gompertz: step = exp(-p[1] * dt)
        case .bass: step = exp(-(p[1] + p[2]) * dt)
        }
        return CurveStep(
            model: model, step: step, k0: p[0], ratio: model == .bass ? p[2] / p[1] : 0, nu: model == .richards ? p[3] : 1)
    }
}

/// The one-month map of a curve with only the scalars it needs, so the month loop copies no arrays.
struct CurveStep {
    let model: GrowthModel
    let step: Double
    let k0: Double
    let ratio: Double
    let nu: Double

    /// Φ(a/s) for a stock a in a population s (coverage space); the logistic in a one-division form,
    /// k·a / (a + (k·s − a)·e^(−r/12)), the month loop's most common step.
    @inline(__always)
    func advance(stock a: Double, population s: Double) -> Double {
        if model == .logistic {
            guard a > 0, a < k0 * s else { return a / s }
            return k0 * a / (a + (k0 * s - a) * step)
        }
        return advance(a / s)
    }

    @inline(__always)
    func advance(_ u: Double) -> Double {
        switch model {
        case .linear:
            return u + step
        case .exponential:
            return u <= 0 ? u : u * step
        case .logistic:
            guard u > 0, u < k0 else { return u }
            return k0 / (1 + (k0 - u) / u * step)
        case .gompertz:
            guard u > 0, u < k0 else { return u }
            return k0 * exp(log(u / k0) * step)
        case .richards:
            // (K/u)^ν − 1 decays as e^(−r t) along the curve.
            guard u > 0, u < k0 else { return u }
            let w = pow(k0 / u, nu) - 1
            return k0 * pow(1 + w * step, -1 / nu)
        case .bass:
            // F = (1 − z)/(1 + (q/p) z) with z = e^(−(p+q)τ): invert for z, advance τ by a month.
            guard u >= 0, u < k0 else { return u }
            let f = u / k0
            let z = (1 - f) / (1 + f * ratio)
            let z1 = z * step
            return k0 * (1 - z1) / (1 + ratio * z1)
        }
    }
}
