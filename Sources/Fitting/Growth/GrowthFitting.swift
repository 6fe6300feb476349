import Foundation

/// How the ceiling (K for logistic, Gompertz, Richards; m for Bass) is treated.
public enum CeilingSpec: Sendable, Equatable {
    /// Fitted from the data.
    case free
    /// Held at the given value (e.g. the potential).
    case fixed(Double)
    /// Fitted, but at most the given value (coverage: κ ≤ 1); at the bound it is held there.
    case atMost(Double)
}

/// Fits growth curves with self-starting values, result checks and the ceiling warning.
public enum GrowthFitting {
    /// Fewest points for `model` with the ceiling free or fixed (n ≥ p + 1 so standard errors exist).
    public static func minimumPoints(_ model: GrowthModel, ceilingFixed: Bool) -> Int {
        model.parameterNames.count - (ceilingFixed && model.hasCeiling ? 1 : 0) + 1
    }

    public static func fit(
        _ model: GrowthModel, times: [Double], values: [Double], weights: [Double]? = nil,
        ceiling: CeilingSpec = .free, options: FitOptions = FitOptions()
    ) throws(FitError) -> FitResult {
        guard times.count == values.count else {
            throw .invalidInput("times and values differ in length (\(times.count) vs \(values.count))")
        }
        guard times.allSatisfy(\.isFinite), values.allSatisfy(\.isFinite) else {
            throw .invalidInput("times and values must be finite numbers")
        }
        let fixed: Double?
        switch ceiling {
        case .fixed(let k):
            guard k > 0, k.isFinite else { throw .invalidInput("the ceiling must be a positive number (got \(k))") }
            fixed = k
        case .free, .atMost: fixed = nil
        }
        let p = model.parameterNames.count - (fixed != nil && model.hasCeiling ? 1 : 0)
        guard times.count >= p else { throw .tooFewObservations(needed: p, got: times.count) }
        if model.hasCeiling && values.contains(where: { $0 < 0 }) {
            throw .invalidInput("a \(model.rawValue) curve needs a non-negative series")
        }

        let function = GrowthCurveFunction(model: model, times: times, fixedCeiling: fixed)
        let starts = GrowthStarts.candidates(model, times: times, values: values, fixedCeiling: fixed, function: function)
        var opts = options
        opts.minimumStarts = max(opts.minimumStarts, min(3, starts.count))
        var result: FitResult
        do {
            result = try NonlinearRegression.fit(
                function, y: values, weights: weights, starts: starts, model: model.rawValue,
                formula: model.formula(origin: function.origin), options: opts)
        } catch .didNotConverge(let why) where model.hasCeiling && fixed == nil {
            // The usual cause: no bend in the data, so the ceiling runs off to infinity.
            throw .didNotConverge(
                "\(why); with the ceiling free this usually means the data show no saturation, so the ceiling is not identified: fix it at the potential (--ceiling)")
        }
        result.growthModel = model
        if let k = fixed, let c = model.ceilingIndex {
            result.parameters.insert(
                ParameterEstimate(name: model.parameterNames[c], estimate: k, fixed: true), at: c)
        }
        if case .atMost(let bound) = ceiling, let c = model.ceilingIndex, result.parameters[c].estimate > bound {
            var held = try fit(model, times: times, values: values, weights: weights, ceiling: .fixed(bound), options: options)
            let fitted = result.parameters[c].estimate
            held.warnings.append(Phrase { l in
                l.t("batas atas hasil pencocokan \(l.significant(fitted, 6)) melebihi batas \(l.significant(bound, 6)); ditahan pada \(l.significant(bound, 6))",
                    "the fitted ceiling \(format(fitted)) exceeds its bound \(format(bound)); it is held at the bound")
            })
            return held
        }
        if let c = model.ceilingIndex, !result.parameters[c].fixed {
            let k = result.parameters[c]
            if let se = k.standardError, se > 0.25 * abs(k.estimate) {
                let pct = Whole.clamped(se / abs(k.estimate) * 100, .toNearestOrAwayFromZero)
                result.warnings.append(Phrase(
                    "data tidak mengidentifikasi batas atas \(k.name): galat bakunya \(pct)% dari nilainya (di atas 25%); tetapkan pada potensi (--ceiling)",
                    "the data do not identify the ceiling \(k.name): its standard error is \(pct)% of its value (above 25%); fix it at the potential (--ceiling)"))
            } else if k.standardError == nil {
                result.warnings.append(Phrase(
                    "batas atas \(k.name) tidak teridentifikasi (tanpa galat baku); tetapkan pada potensi (--ceiling)",
                    "the ceiling \(k.name) is not identified (no standard error); fix it at the potential (--ceiling)"))
            }
        }
        return result
    }

    static func format(_ v: Double) -> String { NumberText.significant(v, 6) }
}

/// Self-starting values (the idea of R's SSlogis: linearise, regress on time).
enum GrowthStarts {
    /// Plausible starts, best first by RSS at the start.
    static func candidates(
        _ model: GrowthModel, times: [Double], values: [Double], fixedCeiling: Double?,
        function: GrowthCurveFunction
    ) -> [[Double]] {
        let origin = function.origin
        let yMax = values.max() ?? 1
        let ceilings: [Double] = fixedCeiling.map { [$0] } ?? [1.05, 1.25, 1.6, 2.5, 4, 8].map { $0 * max(yMax, 1e-300) }
        var full: [[Double]] = []
        switch model {
        case .linear:
            let (a, b) = line(times.map { $0 - origin }, values) ?? (values.first ?? 0, 0)
            full = [[a, b]]
        case .exponential:
            if values.allSatisfy({ $0 > 0 }), let (a, b) = line(times.map { $0 - origin }, values.map { log($0) }) {
                full = [[exp(a), b]]
            } else {
                full = [[values.first ?? 1, 0.1]]
            }
        case .logistic:
            full = ceilings.compactMap { logistic(times, values, k: $0) }
        case .gompertz:
            full = ceilings.compactMap { gompertz(times, values, k: $0) }
        case .richards:
            for k in ceilings {
                if let l = logistic(times, values, k: k) { full.append(l + [1]) }
                if let g = gompertz(times, values, k: k) { full.append(g + [0.05]) }
            }
        case .bass:
            let t1 = times.min() ?? 0
            for k in ceilings {
                guard let l = logistic(times, values, k: k) else { continue }
                let (r, tm) = (l[1], l[2])
                for back in [0.25, 1, 2, 5, 10, 20] {
                    let to = t1 - back
                    guard tm > to else { continue }
                    let ratio = exp(min(r * (tm - to), 600))
                    let p = r / (1 + ratio)
                    full.append([k, p, r - p, to])
                }
            }
        }
        if full.isEmpty { full = [fallback(model, times: times, values: values, k: ceilings[0])] }
        // Drop the fixed ceiling from θ, then sort by RSS at the start (non-finite last).
        let thetas: [[Double]] = full.map { s in
            guard fixedCeiling != nil, let c = model.ceilingIndex else { return s }
            var t = s
            t.remove(at: c)
            return t
        }
        let scored = thetas.map { th -> (Double, [Double]) in
            let f = function.values(at: th)
            var rss = 0.0
            for i in values.indices { rss += (f[i] - values[i]) * (f[i] - values[i]) }
            return (rss.isFinite ? rss : .infinity, th)
        }
        return scored.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// logit(y/K) = r·(t − t0), from the points strictly inside (0, K).
    static func logistic(_ t: [Double], _ y: [Double], k: Double) -> [Double]? {
        var xs: [Double] = [], zs: [Double] = []
        for i in y.indices where y[i] > 0 && y[i] < k {
            xs.append(t[i])
            zs.append(log(y[i] / (k - y[i])))
        }
        guard let (a, b) = line(xs, zs), b > 0 else { return nil }
        return [k, b, -a / b]
    }

    /// log(−log(y/K)) = −c·(t − t0).
    static func gompertz(_ t: [Double], _ y: [Double], k: Double) -> [Double]? {
        var xs: [Double] = [], zs: [Double] = []
        for i in y.indices where y[i] > 0 && y[i] < k {
            xs.append(t[i])
            zs.append(log(-log(y[i] / k)))
        }
        guard let (a, b) = line(xs, zs), b < 0 else { return nil }
        let c = -b
        return [k, c, a / c]
    }

    /// A last resort when no linearisation works (e.g. a flat or falling series).
    static func fallback(_ model: GrowthModel, times: [Double], values: [Double], k: Double) -> [Double] {
        let tMid = times.isEmpty ? 0 : (times.min()! + times.max()!) / 2
        let span = max((times.max() ?? 1) - (times.min() ?? 0), 1)
        let r = 4 / span
        switch model {
        case .linear: return [values.first ?? 0, 0]
        case .exponential: return [max(values.first ?? 1, 1e-12), 0]
        case .logistic: return [k, r, tMid]
        case .gompertz: return [k, r, tMid]
        case .richards: return [k, r, tMid, 1]
        case .bass: return [k, r / 20, r, (times.min() ?? 0) - 1]
        }
    }

    /// Least-squares line z = a + b·x; nil with fewer than two distinct x.
    static func line(_ x: [Double], _ z: [Double]) -> (Double, Double)? {
        guard x.count >= 2 else { return nil }
        let n = Double(x.count)
        let mx = x.reduce(0, +) / n, mz = z.reduce(0, +) / n
        var sxx = 0.0, sxz = 0.0
        for i in x.indices {
            sxx += (x[i] - mx) * (x[i] - mx)
            sxz += (x[i] - mx) * (z[i] - mz)
        }
        guard sxx > 0 else { return nil }
        let b = sxz / sxx
        return (mz - b * mx, b)
    }
}
