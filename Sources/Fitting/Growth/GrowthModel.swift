import Foundation

/// The growth curves rkat fits to a stock series A(t), t in decimal years (rates are per year).
///
/// Closed forms (t_ref is the first observation's time, so levels are read at the start of the data):
/// - linear       A = a + b·(t − t_ref)
/// - exponential  A = A0·exp(g·(t − t_ref))
/// - logistic     A = K / (1 + exp(−r·(t − t0)))                 t0: inflection (A = K/2)
/// - gompertz     A = K·exp(−exp(−c·(t − t0)))                   t0: inflection (A = K/e)
/// - richards     A = K·(1 + ν·exp(−r·(t − t0)))^(−1/ν)          ν = 1 is the logistic
/// - bass         A = m·(1 − e)/(1 + (q/p)·e), e = exp(−(p+q)·(t − t0))   t0: time origin (A = 0)
public enum GrowthModel: String, CaseIterable, Sendable, Codable {
    case linear, exponential, logistic, gompertz, richards, bass

    /// All parameter names, ceiling included.
    public var parameterNames: [String] {
        switch self {
        case .linear: return ["a", "b"]
        case .exponential: return ["A0", "g"]
        case .logistic: return ["K", "r", "t0"]
        case .gompertz: return ["K", "c", "t0"]
        case .richards: return ["K", "r", "t0", "nu"]
        case .bass: return ["m", "p", "q", "t0"]
        }
    }

    /// Index of the ceiling (saturation level) among the parameters; nil for unbounded curves.
    public var ceilingIndex: Int? {
        switch self {
        case .linear, .exponential: return nil
        case .logistic, .gompertz, .richards, .bass: return 0
        }
    }

    public var hasCeiling: Bool { ceilingIndex != nil }

    /// The formula as printed in reports; `origin` is t_ref for the unbounded models.
    public func formula(origin: Double) -> String {
        let o = String(format: "%.4f", origin)
        switch self {
        case .linear: return "a + b*(t - \(o))"
        case .exponential: return "A0*exp(g*(t - \(o)))"
        case .logistic: return "K/(1 + exp(-r*(t - t0)))"
        case .gompertz: return "K*exp(-exp(-c*(t - t0)))"
        case .richards: return "K*(1 + nu*exp(-r*(t - t0)))^(-1/nu)"
        case .bass: return "m*(1 - exp(-(p+q)*(t - t0)))/(1 + (q/p)*exp(-(p+q)*(t - t0)))"
        }
    }

}

/// A growth curve evaluated at fixed times, optionally with the ceiling held at a given value.
public struct GrowthCurveFunction: RegressionFunction, Sendable {
    public let model: GrowthModel
    public let times: [Double]
    /// t_ref for the linear and exponential models.
    public let origin: Double
    /// When set, the ceiling is not fitted: θ omits it.
    public let fixedCeiling: Double?

    public init(model: GrowthModel, times: [Double], origin: Double? = nil, fixedCeiling: Double? = nil) {
        self.model = model
        self.times = times
        self.origin = origin ?? times.min() ?? 0
        self.fixedCeiling = model.hasCeiling ? fixedCeiling : nil
    }

    public var parameterNames: [String] {
        var names = model.parameterNames
        if fixedCeiling != nil, let c = model.ceilingIndex { names.remove(at: c) }
        return names
    }

    public var observationCount: Int { times.count }
    public var hasJacobian: Bool { true }

    public func evaluate(
        _ theta: UnsafeBufferPointer<Double>, values: UnsafeMutableBufferPointer<Double>,
        jacobian: UnsafeMutableBufferPointer<Double>?
    ) {
        // With a fixed ceiling, θ lacks the ceiling column: shift the other columns left by one.
        let free = fixedCeiling == nil
        let p = theta.count
        let q0 = free ? 0 : -1  // column offset for parameters after the ceiling
        func th(_ j: Int) -> Double { free ? theta[j] : (j == 0 ? fixedCeiling! : theta[j - 1]) }
        @inline(__always) func setJ(_ i: Int, _ j: Int, _ v: Double) {
            guard let jacobian else { return }
            if j == 0 && !free && model.hasCeiling { return }
            jacobian[i * p + j + (model.hasCeiling ? q0 : 0)] = v
        }
        for i in 0..<times.count {
            let t = times[i]
            switch model {
            case .linear:
                let a = theta[0], b = theta[1], d = t - origin
                values[i] = a + b * d
                setJ(i, 0, 1)
                setJ(i, 1, d)
            case .exponential:
                let a0 = theta[0], g = theta[1], d = t - origin
                let e = exp(g * d)
                values[i] = a0 * e
                setJ(i, 0, e)
                setJ(i, 1, a0 * e * d)
            case .logistic:
                let k = th(0), r = th(1), t0 = th(2), d = t - t0
                let e = exp(-r * d), s = 1 / (1 + e)
                values[i] = k * s
                setJ(i, 0, s)
                setJ(i, 1, k * e * d * s * s)
                setJ(i, 2, -k * e * r * s * s)
            case .gompertz:
                let k = th(0), c = th(1), t0 = th(2), d = t - t0
                let u = exp(-c * d), f = k * exp(-u)
                values[i] = f
                setJ(i, 0, exp(-u))
                setJ(i, 1, f * u * d)
                setJ(i, 2, -f * u * c)
            case .richards:
                let k = th(0), r = th(1), t0 = th(2), nu = th(3), d = t - t0
                let e = exp(-r * d), b = 1 + nu * e
                let f = k * pow(b, -1 / nu)
                values[i] = f
                setJ(i, 0, pow(b, -1 / nu))
                setJ(i, 1, f * e * d / b)
                setJ(i, 2, -f * e * r / b)
                setJ(i, 3, f * (log(b) / (nu * nu) - e / (nu * b)))
            case .bass:
                let m = th(0), pp = th(1), q = th(2), t0 = th(3), tau = t - t0
                let s = pp + q, e = exp(-s * tau), ratio = q / pp
                let num = 1 - e, den = 1 + ratio * e
                let F = num / den
                values[i] = m * F
                guard jacobian != nil else { continue }
                // e depends on p, q (through s) and t0.
                let dep = -tau * e, deq = -tau * e, det0 = s * e
                let dDp = -q / (pp * pp) * e + ratio * dep
                let dDq = e / pp + ratio * deq
                let dDt0 = ratio * det0
                func dF(_ dNum: Double, _ dDen: Double) -> Double { (dNum * den - num * dDen) / (den * den) }
                setJ(i, 0, F)
                setJ(i, 1, m * dF(-dep, dDp))
                setJ(i, 2, m * dF(-deq, dDq))
                setJ(i, 3, m * dF(-det0, dDt0))
            }
        }
    }
}
