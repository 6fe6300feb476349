import Fitting
import Foundation
import Testing

/// GLS with continuous-time AR(1) errors (`SerialCorrelation`) against external references, and the
/// bias correction of φ.
@Suite struct SerialCorrelationTests {
    /// Linear trend, irregular months, φ = 0.6 held, against statsmodels 0.15.0:
    /// `sm.GLS(y, sm.add_constant(t), sigma=0.6**abs(t[:,None]-t[None,:])).fit()` →
    /// params [9.91062358, 1.04580029], bse [0.314622, 0.03397693] (printed to 8–9 digits).
    @Test func linearGLSMatchesStatsmodels() throws {
        let t: [Double] = [0, 1, 2, 3, 5, 6, 8, 9, 10, 12, 13, 15]
        let y: [Double] = [10.2, 10.9, 12.1, 12.8, 14.9, 16.3, 18.1, 18.8, 20.4, 22.6, 23.1, 25.9]
        let f = GrowthCurveFunction(model: .linear, times: t, origin: 0)
        let r = try SerialCorrelation.fit(f, y: y, months: t, phi: 0.6, relative: false, starts: [[10, 1]], model: "linear", formula: "a + b*t")
        let expected = [(9.91062358, 0.314622), (1.04580029, 0.03397693)]
        for (p, (est, se)) in zip(r.parameters, expected) {
            #expect(abs(p.estimate - est) < 1e-8 * max(abs(est), 1), "\(p.name) \(p.estimate)")
            #expect(abs(p.standardError! - se) < 1e-6 * se, "\(p.name) \(p.standardError!)")
        }
    }

    /// The exact log-likelihood that ranks `model: auto`'s candidates, against scipy 1.17.1: with
    /// f = 10 + t, R = φ^|tᵢ − tⱼ| and σ̂² = eᵀR⁻¹e/n, `multivariate_normal(f, σ̂²·R).logpdf(y)` for
    /// absolute errors (e = y − f) and `multivariate_normal(f, σ̂²·diag(f)·R·diag(f)).logpdf(y)` for
    /// relative ones (e = y/f − 1), at φ = 0.6 and 0.
    @Test func logLikelihoodMatchesScipy() {
        let t: [Double] = [0, 1, 2, 3, 5, 6, 8, 9, 10, 12, 13, 15]
        let y: [Double] = [10.2, 10.9, 12.1, 12.8, 14.9, 16.3, 18.1, 18.8, 20.4, 22.6, 23.1, 25.9]
        let f = GrowthCurveFunction(model: .linear, times: t, origin: 0)
        let expected: [(phi: Double, relative: Bool, value: Double)] = [
            (0.6, false, -4.9953553616096595), (0.6, true, -3.368712369386593),
            (0, false, -4.900226597120906), (0, true, -2.1647429254144672),
        ]
        for c in expected {
            let l = SerialCorrelation.logLikelihood(f, y: y, months: t, theta: [10, 1], phi: c.phi, relative: c.relative)
            #expect(abs(l - c.value) < 1e-10, "φ \(c.phi) relative \(c.relative): \(l)")
        }
    }

    /// Relative errors are fitted by the exact likelihood, Jacobian term included (issue 31), against
    /// scipy 1.17.1: θ maximising `multivariate_normal(f, σ̂²·diag(f)·R·diag(f)).logpdf(y)` with σ̂²
    /// profiled (Nelder–Mead to 1e-12, polished by BFGS; scripts/oracle_relative_gls.py).
    /// The second case is the national series' shape (Dec 2015–Dec 2022 active, millions, at φ 0.997):
    /// least squares on the whitened relative residuals alone puts the line at 40.3 + 0.610·m (above
    /// every point); the likelihood at 18.08 + 0.2367·m, through them.
    @Test func relativeFitIsTheExactLikelihoodMatchingScipy() throws {
        let cases: [(t: [Double], y: [Double], phi: Double, expected: [Double], start: [Double])] = [
            ([0, 1, 2, 3, 5, 6, 8, 9, 10, 12, 13, 15], [10.2, 10.9, 12.1, 12.8, 14.9, 16.3, 18.1, 18.8, 20.4, 22.6, 23.1, 25.9],
             0.6, [10.052336609763858, 1.0236046030474708], [10, 1]),
            ([0, 3, 18, 20, 32, 36, 48, 60, 63, 66, 68, 72, 84], [19.0, 19.0, 22.8, 23.8, 28.6, 30.46, 34.17, 29.98, 27.79, 28.7, 29.2, 30.66, 35.86],
             0.997, [18.078711587070206, 0.236744031919919], [19, 0.2]),
        ]
        for c in cases {
            let f = GrowthCurveFunction(model: .linear, times: c.t, origin: 0)
            let r = try SerialCorrelation.fit(f, y: c.y, months: c.t, phi: c.phi, relative: true, starts: [c.start], model: "linear", formula: "a + b*t")
            for (p, expected) in zip(r.parameters, c.expected) {
                #expect(abs(p.estimate - expected) < 1e-6 * abs(expected), "φ \(c.phi) \(p.name) \(p.estimate)")
            }
            // The reported SD is that of the relative errors (√(S/(n − p)), S their whitened sum).
            let e = SerialCorrelation.errors(f, y: c.y, theta: r.parameters.map(\.estimate), relative: true)
            var s = e[0] * e[0]
            for i in 1..<e.count {
                let a = pow(c.phi, c.t[i] - c.t[i - 1])
                s += pow(e[i] - a * e[i - 1], 2) / (1 - a * a)
            }
            #expect(abs(r.residualSD! - (s / Double(e.count - 2)).squareRoot()) < 1e-9, "\(r.residualSD!)")
            #expect(abs(r.rss - s) < 1e-9 * s)
        }
    }

    /// Logistic, half-yearly points, continuous AR(1) with φ = 0.9 a month held, against R 4 nlme:
    /// `gnls(y ~ K/(1+exp(-r*(t-t0))), correlation = corCAR1(0.9, form = ~m, fixed = TRUE))` (m = months,
    /// tolerance 1e-10) → K 0.471048692382024, r 0.761239892933194, t0 2014.249175478844109, SE
    /// 0.00495097739868064, 0.02185615929962682, 0.04682324211207749, σ 0.00392829758947817.
    @Test func logisticGLSMatchesNlmeGnls() throws {
        let t: [Double] = [2012.0, 2012.5, 2013.0, 2013.5, 2014.0, 2014.5, 2015.0, 2015.5, 2016.0, 2016.5, 2017.0, 2017.5, 2018.0, 2018.5]
        let y: [Double] = [0.071, 0.098, 0.128, 0.171, 0.215, 0.262, 0.300, 0.341, 0.368, 0.398, 0.421, 0.430, 0.447, 0.455]
        let f = GrowthCurveFunction(model: .logistic, times: t)
        let r = try SerialCorrelation.fit(
            f, y: y, months: t.map { ($0 * 12).rounded() }, phi: 0.9, relative: false, starts: [[0.5, 0.8, 2014.5]],
            model: "logistic", formula: "")
        let expected = [(0.471048692382024, 0.00495097739868064), (0.761239892933194, 0.02185615929962682), (2014.249175478844109, 0.04682324211207749)]
        for (p, (est, se)) in zip(r.parameters, expected) {
            #expect(abs(p.estimate - est) < 1e-6 * abs(est), "\(p.name) \(p.estimate)")
            #expect(abs(p.standardError! - se) < 1e-5 * se, "\(p.name) \(p.standardError!)")
        }
        #expect(abs(r.residualSD! - 0.00392829758947817) < 1e-6 * 0.0039283)
    }

    /// φ from the residuals of a fitted trend is biased low; corrected, its mean over 200 replicates
    /// (logistic in coverage, 96 monthly points, relative AR(1) deviations with φ = 0.8, s = 2%) is
    /// within 0.05 of the truth. The raw maximum-likelihood estimate is not (its mean is about 0.71).
    @Test func phiIsRecoveredAfterTheBiasCorrection() throws {
        let months = (0..<96).map { Double($0) }
        let times = months.map { 2012 + $0 / 12 }
        let truth = GrowthCurveFunction(model: .logistic, times: times).values(at: [0.5, 0.6, 2016.5])
        var raw = 0.0, corrected = 0.0
        let replicates = 200
        for r in 0..<replicates {
            let rng = RandomStream(seed: RandomStream.seed(77, "phi/\(r)"))
            var d = rng.gaussian(sd: 0.02)
            var y: [Double] = []
            for k in 0..<96 {
                if k > 0 { d = 0.8 * d + 0.02 * (1 - 0.64).squareRoot() * rng.gaussian(sd: 1) }
                y.append(truth[k] * (1 + d))
            }
            let f = GrowthCurveFunction(model: .logistic, times: times)
            let fit = try SerialCorrelation.fit(f, y: y, months: months, phi: 0, relative: true, starts: [[0.5, 0.6, 2016.5]], model: "logistic", formula: "")
            let e = SerialCorrelation.errors(f, y: y, theta: fit.parameters.map(\.estimate), relative: true)
            let ml = SerialCorrelation.maximumLikelihoodPhi(e, months: months).phi
            raw += ml
            corrected += SerialCorrelation.biasCorrected(phi: ml, months: months, parameters: 3)
        }
        raw /= Double(replicates)
        corrected /= Double(replicates)
        #expect(abs(corrected - 0.8) < 0.05, "\(corrected)")
        #expect(raw < 0.75, "\(raw)")
    }

    /// The likelihood estimate on a pure AR(1) series with unequal gaps (no trend): φ = 0.7.
    @Test func maximumLikelihoodOnIrregularGaps() {
        let rng = RandomStream(seed: 3)
        var t: [Double] = [0], e: [Double] = [rng.gaussian(sd: 1)]
        for k in 1..<4000 {
            let gap = Double(1 + k % 3)
            t.append(t.last! + gap)
            let a = pow(0.7, gap)
            e.append(a * e.last! + (1 - a * a).squareRoot() * rng.gaussian(sd: 1))
        }
        let (phi, sd) = SerialCorrelation.maximumLikelihoodPhi(e, months: t)
        #expect(abs(phi - 0.7) < 0.02 && abs(sd - 1) < 0.04, "\(phi) \(sd)")
    }

    /// The first-order correction by hand: ten monthly points, p = 1, φ̂ = 0.5 →
    /// (ρ̂ + p/n)/(1 − (p + 2)/n) = (0.5 + 0.1)/(1 − 0.3) = 6/7. Every other month (the gap is 2): the
    /// same on the lag-2 scale, ρ̂ = (√0.5)² = 0.5 → φ = (6/7)^(1/2). φ̂ = 0.95: 1.05/0.7 = 1.5, capped at 0.99.
    @Test func biasCorrectionByHand() {
        let monthly = (0..<10).map(Double.init)
        #expect(abs(SerialCorrelation.biasCorrected(phi: 0.5, months: monthly, parameters: 1) - 6.0 / 7) < 1e-14)
        let everyOther = (0..<10).map { 2 * Double($0) }
        #expect(abs(SerialCorrelation.biasCorrected(phi: 0.5.squareRoot(), months: everyOther, parameters: 1) - (6.0 / 7).squareRoot()) < 1e-14)
        #expect(abs(SerialCorrelation.biasCorrected(phi: 0.95, months: monthly, parameters: 1) - 0.99) < 1e-14)
    }
}
