import Foundation
import Testing

@testable import Fitting

/// Growth curves: Jacobians, self-starts, recovery of known parameters, ceilings, and fits compared
/// with scipy and R on real saturating data.
@Suite struct GrowthModelTests {
    static let times = (0..<40).map { 2015.0 + Double($0 + 1) / 12 * 2 }  // 2015–2021.7, every two months

    /// Parameters (ceiling included) that give a visible bend within `times`.
    static func truth(_ m: GrowthModel) -> [Double] {
        switch m {
        case .linear: return [120_000, 35_000]
        case .exponential: return [150_000, 0.18]
        case .logistic: return [900_000, 0.9, 2018.5]
        case .gompertz: return [900_000, 0.7, 2018.0]
        case .richards: return [900_000, 1.1, 2018.5, 0.5]
        case .bass: return [900_000, 0.03, 0.9, 2013.0]
        }
    }

    @Test(arguments: GrowthModel.allCases)
    func analyticJacobianMatchesCentralDifferences(_ m: GrowthModel) {
        for fixed in [false, true] where !(fixed && !m.hasCeiling) {
            let f = GrowthCurveFunction(model: m, times: Self.times, fixedCeiling: fixed ? Self.truth(m)[0] : nil)
            var theta = Self.truth(m)
            if fixed { theta.removeFirst() }
            let j = f.jacobian(at: theta)
            let p = theta.count
            for k in 0..<p {
                let h = 1e-7 * max(abs(theta[k]), 1e-3)
                var up = theta, down = theta
                up[k] += h
                down[k] -= h
                let fu = f.values(at: up), fd = f.values(at: down)
                for i in Self.times.indices {
                    let numeric = (fu[i] - fd[i]) / (2 * h)
                    let scale = max(abs(numeric), abs(j[i * p + k]), 1e-3)
                    #expect(abs(numeric - j[i * p + k]) / scale < 1e-5, "\(m) fixed=\(fixed) ∂/∂θ\(k) at i=\(i)")
                }
            }
        }
    }

    @Test(arguments: GrowthModel.allCases)
    func selfStartRecoversNoiseFreeParameters(_ m: GrowthModel) throws {
        let truth = Self.truth(m)
        let y = GrowthCurveFunction(model: m, times: Self.times).values(at: truth)
        let r = try GrowthFitting.fit(m, times: Self.times, values: y)
        #expect(r.parameters.map(\.name) == m.parameterNames)
        for (p, v) in zip(r.parameters, truth) {
            #expect(abs(p.estimate - v) / abs(v) < 1e-6, "\(m) \(p.name): \(p.estimate) vs \(v)")
        }
        #expect(r.rss < 1e-6 * y.map { $0 * $0 }.reduce(0, +))
    }

    @Test func fixedCeilingIsHeldAndReported() throws {
        let truth = Self.truth(.logistic)
        let y = GrowthCurveFunction(model: .logistic, times: Self.times).values(at: truth)
        let r = try GrowthFitting.fit(.logistic, times: Self.times, values: y, ceiling: .fixed(900_000))
        #expect(r.parameters[0].fixed && r.parameters[0].estimate == 900_000 && r.parameters[0].standardError == nil)
        #expect(abs(r.parameters[1].estimate - 0.9) < 1e-8)
        #expect(r.dof == Self.times.count - 2)
    }

    @Test func bassFitsASeriesThatStartsWellAboveZero() throws {
        // Only the late part of the curve: the stock is already ~40% of m at the first point.
        let late = Self.times.map { $0 + 4 }
        let truth = [900_000.0, 0.03, 0.9, 2013.0]
        let y = GrowthCurveFunction(model: .bass, times: late).values(at: truth)
        #expect(y[0] > 300_000)
        let r = try GrowthFitting.fit(.bass, times: late, values: y)
        for (p, v) in zip(r.parameters, truth) { #expect(abs(p.estimate - v) / v < 1e-5, "\(p.name)") }
    }

    @Test func shortSeriesWarnsThatTheCeilingIsNotIdentified() throws {
        // Five points up to the inflection of a logistic (K = 250,000) with ±2% noise: K is poorly
        // determined (scipy: K = 330,228, SE 34% of K).
        let t = [2015.5, 2016.0, 2016.5, 2017.0, 2017.5]
        let y = [30397.0, 44694, 68580, 92497, 127500]
        let r = try GrowthFitting.fit(.logistic, times: t, values: y)
        let k = try #require(r.parameter("K"))
        #expect((k.standardError ?? .infinity) > 0.25 * k.estimate)
        #expect(r.warnings.contains { $0.english.contains("do not identify the ceiling") })
        #expect(lre(k.estimate, 3.30227723e+05) >= 6)
    }

    @Test func runawayCeilingFailsWithAClearMessage() {
        // Pure exponential growth: no bend, the logistic's K runs off to infinity.
        let t = (0..<8).map { 2015.0 + Double($0) }
        let y = t.map { 1000 * exp(0.3 * ($0 - 2015)) }
        do {
            _ = try GrowthFitting.fit(.logistic, times: t, values: y)
            Issue.record("expected a failure")
        } catch {
            #expect(!error.isInputError)
            #expect(error.description.contains("ceiling is not identified"))
        }
    }

    @Test func exactlyDeterminedFitHasNoStandardErrors() throws {
        let t = [2016.0, 2017.0, 2018.0]
        let y = GrowthCurveFunction(model: .logistic, times: t).values(at: [1000, 1.0, 2017.2])
        let r = try GrowthFitting.fit(.logistic, times: t, values: y)
        #expect(r.dof == 0)
        #expect(r.parameters.allSatisfy { $0.standardError == nil && $0.ciLow == nil })
        #expect(r.residualSD == nil && r.aicc == nil)
        #expect(r.warnings.contains { $0.english.contains("not estimable") })
    }

    @Test func tooFewPointsIsAnInputError() {
        #expect(throws: FitError.tooFewObservations(needed: 3, got: 2)) {
            try GrowthFitting.fit(.logistic, times: [2016, 2017], values: [1, 2])
        }
    }

    @Test func coverageCeilingIsHeldAtItsBound() throws {
        // Coverage rising towards 1.3 (impossible): κ must stay at most 1.
        let y = GrowthCurveFunction(model: .logistic, times: Self.times).values(at: [1.3, 0.9, 2018.5])
        let r = try GrowthFitting.fit(.logistic, times: Self.times, values: y, ceiling: .atMost(1))
        #expect(r.parameters[0].estimate == 1 && r.parameters[0].fixed)
        #expect(r.warnings.contains { $0.english.contains("held at the bound") })
    }

    // MARK: Real saturating data: R's DNase (run 1), density against log(concentration).

    static let dnaseLogConc = [0.04882812, 0.04882812, 0.1953125, 0.1953125, 0.390625, 0.390625, 0.78125, 0.78125,
                               1.5625, 1.5625, 3.125, 3.125, 6.25, 6.25, 12.5, 12.5].map { log($0) }
    static let dnaseDensity = [0.017, 0.018, 0.121, 0.124, 0.206, 0.215, 0.377, 0.374,
                               0.614, 0.609, 1.019, 1.001, 1.334, 1.364, 1.730, 1.710]

    /// scipy 1.17.1 `curve_fit` (xtol = ftol = gtol = 1e-14) on the same data. R's `nls(SSlogis)` on
    /// DNase1 publishes Asym 2.34518, xmid 1.48309, scal 1.04146 (r = 1/scal = 0.960191).
    @Test func logisticMatchesScipyAndR() throws {
        let r = try GrowthFitting.fit(.logistic, times: Self.dnaseLogConc, values: Self.dnaseDensity)
        let scipy = [2.345179298244, 0.960195393206, 1.48308931978]
        let scipySE = [0.078153847809, 0.029752866806, 0.081353132249]
        for j in 0..<3 {
            #expect(lre(r.parameters[j].estimate, scipy[j]) >= 6, "\(r.parameters[j].name)")
            #expect(lre(r.parameters[j].standardError!, scipySE[j]) >= 6, "SE \(r.parameters[j].name)")
        }
        #expect(lre(r.rss, 0.004789568969948578) >= 8)
        #expect(abs(r.parameters[0].estimate - 2.34518) < 1e-5 && abs(1 / r.parameters[1].estimate - 1.04146) < 1e-5)
    }

    /// scipy as above; R's `nls(SSgompertz)` publishes Asym 4.6033, b2 = exp(c·t0) 2.2713, b3 = exp(−c) 0.7165.
    @Test func gompertzMatchesScipyAndR() throws {
        let r = try GrowthFitting.fit(.gompertz, times: Self.dnaseLogConc, values: Self.dnaseDensity)
        let scipy = [4.603330393039, 0.33342385534, 2.460439641647]
        let scipySE = [0.653207711777, 0.030792735902, 0.411987877844]
        for j in 0..<3 {
            #expect(lre(r.parameters[j].estimate, scipy[j]) >= 6, "\(r.parameters[j].name)")
            #expect(lre(r.parameters[j].standardError!, scipySE[j]) >= 6, "SE \(r.parameters[j].name)")
        }
        let c = r.parameters[1].estimate, t0 = r.parameters[2].estimate
        #expect(abs(exp(c * t0) - 2.2713) < 1e-4 && abs(exp(-c) - 0.7165) < 1e-4)
    }

    @Test func autoChoiceRanksByAICcAndPicksTheBest() throws {
        let y = GrowthCurveFunction(model: .gompertz, times: Self.times).values(at: Self.truth(.gompertz))
        // Deterministic ±0.5% wiggle so the information criteria are finite.
        let noisy = y.enumerated().map { i, v in v * (1 + 0.005 * sin(Double(i) * 1.7)) }
        let choice = try ModelChoice.rank(times: Self.times, values: noisy)
        let fitted = choice.candidates.compactMap(\.result)
        #expect(fitted.count >= 4)
        for (a, b) in zip(fitted, fitted.dropFirst()) where a.aicc != nil && b.aicc != nil {
            #expect(a.aicc! <= b.aicc!)
        }
        #expect([GrowthModel.gompertz, .richards].contains(choice.chosen!.model))
    }

    /// Five points: the two-parameter curves have an AICc (n − k − 1 = 1 with k = p + 1), the
    /// three- and four-parameter ones only an AIC. AICc and AIC are on different scales, so every
    /// model with an AICc is ranked before any without, however well the latter fits (a logistic
    /// through logistic points has by far the lowest AIC here).
    @Test func modelsWithAnAICcAreRankedBeforeThoseWithOnlyAnAIC() throws {
        let times = [0.0, 1, 2, 3, 4]
        let y = GrowthCurveFunction(model: .logistic, times: times).values(at: [1000, 0.9, 2])
        let noisy = y.enumerated().map { i, v in v * (1 + 0.0005 * sin(Double(i) * 1.7)) }
        let choice = try ModelChoice.rank(times: times, values: noisy)
        let fitted = choice.candidates.compactMap(\.result)
        let withAICc = fitted.filter { $0.aicc != nil }, withoutAICc = fitted.filter { $0.aicc == nil }
        #expect(!withAICc.isEmpty && !withoutAICc.isEmpty)
        // The AIC-only logistic fits better than any AICc model on the AIC scale, yet comes after them.
        #expect(withoutAICc.map(\.aic!).min()! < withAICc.map(\.aicc!).min()!)
        let firstWithout = try #require(fitted.firstIndex { $0.aicc == nil })
        #expect(fitted[firstWithout...].allSatisfy { $0.aicc == nil })
        #expect(choice.chosen!.result!.aicc != nil)
    }
}

func lre(_ value: Double, _ reference: Double) -> Double {
    let err = reference == 0 ? abs(value) : abs(value - reference) / abs(reference)
    return err == 0 ? 15 : min(15, -log10(err))
}
