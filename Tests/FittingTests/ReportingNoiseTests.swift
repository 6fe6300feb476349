@testable import Fitting
import Foundation
import Testing

/// AR(1) plus white reporting noise (`ReportingNoise`) against statsmodels.
@Suite struct ReportingNoiseTests {
    /// 60 monthly values of an AR(1) (φ 0.95, SD 3%) plus 1% white noise, rounded to 6 decimals
    /// (Tests/Fixtures/reporting-noise/ar1-noise-60.txt; scripts/oracle_reporting_noise.py prints every
    /// figure below). statsmodels 0.14, `SARIMAX(e, order=(1,0,0), measurement_error=True,
    /// trend='n')` fitted by lbfgs, Nelder–Mead then BFGS: φ 0.959606521, measurement variance
    /// 3.42583487e-5, state innovation variance 7.05385886e-5 (state SD 0.0298519920, noise SD
    /// 0.00585306319), llf 182.773989056;
    /// scipy 1.17.1 on the same filter (L-BFGS-B, ftol 1e-14) agrees: φ 0.95960708, ℓ 182.773989118.
    /// The AR(1) alone, by scipy's bounded scalar search on its exact likelihood: φ 0.920326543,
    /// ℓ 181.077730774 (statsmodels' default fit stopped short at φ 0.935, ℓ 181.0297). At
    /// (φ 0.9, noise 1e-4, innovation 2e-4), scipy's `multivariate_normal.logpdf` with covariance
    /// state·0.9^|i−j| + 1e-4·I: 170.928590401 (statsmodels' `loglike` gives 170.928579927: its
    /// initialisation differs by 1e-5).
    static let e = fixtureNumbers("reporting-noise/ar1-noise-60.txt")
    static let t = (0..<60).map(Double.init)

    /// The filter's likelihood at a given point: σ² is concentrated out, so the point is compared at
    /// statsmodels' parameters mapped to (φ, q) after checking that σ̂² comes back as their total.
    @Test func likelihoodMatchesStatsmodelsAtAPoint() {
        // (φ 0.9, noise 1e-4, innovation 2e-4): state variance 2e-4/(1 − 0.81), q = 1e-4/(1e-4 + that).
        let state = 2e-4 / (1 - 0.81), q = 1e-4 / (1e-4 + state)
        let r = ReportingNoise.filter(Self.e, months: Self.t, phi: 0.9, share: q)
        // The concentrated likelihood is at least the one at statsmodels' fixed σ² (it maximises over σ²).
        #expect(r.logL >= 170.928590401 - 1e-9)
        // At σ̂² the two agree: the concentrated value equals statsmodels' at the same total variance.
        // By hand: ℓ(σ²) = −n/2·log 2π − ½Σ log(σ²fᵢ) − Σvᵢ²/(2σ²fᵢ); at σ² = 1e-4 + state it must be scipy's 170.928590401.
        let sigma2 = 1e-4 + state
        let n = Double(Self.e.count)
        let s = r.variance * n  // Σ vᵢ²/fᵢ
        let logF = -2 * (r.logL + n / 2 * (log(2 * Double.pi * r.variance) + 1))  // Σ log fᵢ
        let atSigma = -n / 2 * log(2 * Double.pi * sigma2) - logF / 2 - s / (2 * sigma2)
        #expect(abs(atSigma - 170.928590401) < 1e-8, "\(atSigma)")
    }

    @Test func maximumLikelihoodMatchesStatsmodels() throws {
        #expect(Self.e.count == 60)
        let r = try #require(ReportingNoise.fit(Self.e, months: Self.t))
        #expect(abs(r.withNoise.phi - 0.959606521) < 2e-4, "φ \(r.withNoise.phi)")
        #expect(abs(r.withNoise.stateSD - 0.0298519920) < 3e-4, "state \(r.withNoise.stateSD)")
        #expect(abs(r.withNoise.noiseSD - 0.00585306319) < 2e-4, "noise \(r.withNoise.noiseSD)")
        #expect(abs(r.withNoise.logLikelihood - 182.773989118) < 1e-7, "ℓ \(r.withNoise.logLikelihood)")
        #expect(abs(r.noiseFree.phi - 0.920326543) < 1e-5, "AR(1) φ \(r.noiseFree.phi)")
        #expect(abs(r.noiseFree.logLikelihood - 181.077730774) < 1e-8, "AR(1) ℓ \(r.noiseFree.logLikelihood)")
        #expect(r.noiseFree.noiseSD == 0)
        // LR 2·(182.773989118 − 181.077730774) = 3.3925 > 2.71: the noise is kept.
        let kept = try #require(ReportingNoise.preferred(Self.e, months: Self.t))
        #expect(abs(kept.ratio - 3.392517) < 1e-5, "LR \(kept.ratio)")
    }

    /// At q = 0 the filter is the AR(1)'s exact likelihood, on irregular gaps too.
    @Test func withoutNoiseItIsTheAR1() {
        let t: [Double] = [0, 1, 2, 4, 5, 8, 9, 10, 13, 14]
        let e = [0.01, 0.02, 0.015, -0.01, 0.0, 0.02, 0.025, 0.01, -0.02, -0.015]
        for phi in [0.0, 0.5, 0.9] {
            let n = Double(e.count)
            let ar = SerialCorrelation.concentratedLogLikelihood(e, months: t, phi: phi) - n / 2 * (log(2 * Double.pi) + 1)
            #expect(abs(ReportingNoise.filter(e, months: t, phi: phi, share: 0).logL - ar) < 1e-10, "φ \(phi)")
        }
    }

    /// An AR(1) without noise is kept as one in about 95% of histories (the test's level); a wandering
    /// state under 1% noise is read as such (φ near its truth, not the AR(1)'s lower reading).
    @Test func falseAlarmsAndPower() {
        let stream = RandomStream(seed: 31)
        func normal() -> Double { stream.gaussian(sd: 1) }
        let n = 96, t = (0..<96).map(Double.init)
        func series(phi: Double, sd: Double, noise: Double) -> [Double] {
            var x = sd * normal()
            return (0..<n).map { i in
                if i > 0 { x = phi * x + sd * (1 - phi * phi).squareRoot() * normal() }
                return x + noise * normal()
            }
        }
        var alarms = 0, found = 0
        var phis: [Double] = []
        let reps = 300
        for _ in 0..<reps {
            if ReportingNoise.preferred(series(phi: 0.8, sd: 0.02, noise: 0), months: t) != nil { alarms += 1 }
            if let r = ReportingNoise.preferred(series(phi: 0.98, sd: 0.04, noise: 0.01), months: t) {
                found += 1
                phis.append(r.fit.phi)
            }
        }
        print("reporting noise: read in \(alarms) of \(reps) AR(1) series without noise, \(found) of \(reps) with 1% noise (median φ \(phis.sorted()[phis.count / 2]))")
        // Binomial 99% upper bound on 300 at 5%: 26.
        #expect(alarms <= 26, "false alarms \(alarms) of \(reps)")
        #expect(found >= reps / 2, "noise found in \(found) of \(reps)")
        let median = phis.sorted()[phis.count / 2]
        #expect(median > 0.93, "median φ \(median)")
    }
}
