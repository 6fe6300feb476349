import Fitting
import Foundation
import Testing

@testable import Planning

/// Residuals read as an AR(1) state plus reporting noise (`NoisyReading`): the widening of the curve's
/// parameter draws, by hand from statsmodels' fit of the same series.
@Suite struct NoisyReadingTests {
    /// Tests/Fixtures/reporting-noise/ar1-noise-60.txt (scripts/oracle_reporting_noise.py).
    static let e: [Double] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/reporting-noise/ar1-noise-60.txt")
        return (try? String(contentsOf: url, encoding: .utf8))?.split(separator: "\n").compactMap { Double($0) } ?? []
    }()
    static let t = (0..<60).map(Double.init)

    static func deviation(phi: Double, sd: Double) -> DeviationModel {
        DeviationModel(
            phi: phi, sd: sd, dof: 57, phiSE: 0.05, phiRange: nil, sdPosterior: nil, source: "",
            lastMonth: Month(year: 2019, month: 12), lastValue: 1, lastDeviation: 0, gap: 0)
    }

    /// `Self.e` (60 months): the noise model's optimum (scipy, the same as statsmodels'
    /// SARIMAX with measurement error) has σ̂² 0.000925411118, q 0.03701969, φ 0.95960708. With one curve
    /// parameter, φ bias-corrected: (0.95960708 + 1/60)/(1 − 3/60) = 1.0277, capped at 0.99. On 57 dof the
    /// state's variance is σ̂²(1 − q)·60/57 (SD 0.0306277), the noise's σ̂²q·60/57 (SD 0.00600512); the
    /// long-run variance 0.18670910 (L(0.99) = 199) against an AR(1) at φ 0.92, s 3% (L = 24, 0.0216):
    /// widening √8.6439 = 2.94006.
    @Test func theWideningIsTheRatioOfLongRunSDs() throws {
        let t = Self.t
        let r = try #require(NoisyReading.read(Self.e, months: t, parameters: 1, for: Self.deviation(phi: 0.92, sd: 0.03)))
        #expect(abs(r.phi - 0.99) < 1e-12 && abs(r.mlPhi - 0.95960708) < 2e-4, "φ \(r.phi), ML \(r.mlPhi)")
        #expect(abs(r.stateSD - 0.0306277) < 3e-5 && abs(r.noiseSD - 0.00600512) < 3e-5, "\(r.stateSD), \(r.noiseSD)")
        #expect(abs(r.parameterWidening - 2.94006) < 3e-3, "\(r.parameterWidening)")
        // An AR(1) whose long-run SD is already larger keeps its own: never narrowed.
        let wide = try #require(NoisyReading.read(Self.e, months: t, parameters: 1, for: Self.deviation(phi: 0.95, sd: 0.2)))
        #expect(wide.parameterWidening == 1)
        #expect(wide.source.contains("likelihood ratio 3.39 > 2.71") && wide.source.contains("×1 wider"), "\(wide.source)")
    }

    /// An AR(1) without noise: no reading (the test's level), so the draws are the AR(1)'s.
    @Test func anAR1IsReadAsOne() {
        let rng = RandomStream(seed: 5)
        var x = 0.02 * rng.gaussian(sd: 1)
        let e = (0..<96).map { i -> Double in
            if i > 0 { x = 0.8 * x + 0.02 * 0.6 * rng.gaussian(sd: 1) }
            return x
        }
        #expect(NoisyReading.read(e, months: (0..<96).map(Double.init), parameters: 3, for: Self.deviation(phi: 0.8, sd: 0.02)) == nil)
    }

    /// The draws take the widening: a straight line fitted to 96 months of white deviations (φ̂ near 0,
    /// so the jump-off has faded by the plan year's December), deviations switched off. Each draw's
    /// year-end is then the drawn line's value, linear in its standard normals, so with the same
    /// stream a widening of 2 doubles P90 − P10 exactly.
    @Test func theDrawsTakeTheWidening() throws {
        let cut = Month(year: 2019, month: 12)
        let months = Planning.months(from: Month(year: 2012, month: 1), through: cut)
        let rng = RandomStream(seed: 8)
        let history = History(observations: months.enumerated().map { k, m in
            .init(month: m, region: EngineTests.region, segment: "PU", metric: .active, value: (1_000_000 + 5_000 * Double(k)) * (1 + rng.gaussian(sd: 0.01)))
        })
        var s = EngineTests.scenario(
            segments: [SegmentPlan(name: "PU", model: .named(.linear), lapseRatePerYear: 0.2)], shares: ["PU": 0.4], actualsUntil: cut,
            horizon: Month(year: 2020, month: 12))
        s.uncertainty = UncertaintySettings(draws: 400, seed: 1, processNoise: false)
        var cals = try Calibration.run(s, history: history)
        let phi = try #require(cals[0].deviation?.phi)
        #expect(phi < 0.3, "φ \(phi)")
        func width() throws -> Double {
            let result = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: 2020, threads: 1))
            let draws = try #require(result.cell(EngineTests.region, "PU")?.planYear(.active)).sorted()
            return draws[359] - draws[39]
        }
        cals[0].deviation?.noisyReading = nil
        let plain = try width()
        cals[0].deviation?.noisyReading = NoisyReading(mlPhi: 0.9, phi: 0.95, stateSD: 0.01, noiseSD: 0.01, ratio: 5, parameterWidening: 2)
        let widened = try width()
        #expect(plain > 0 && abs(widened / plain - 2) < 1e-6, "\(plain) → \(widened)")
    }

    /// Through calibration: lines whose deviations are a persistent state (φ 0.98, SD 4%) under 1.5%
    /// reporting noise (20 histories), and the same without the noise. The noisy ones are read with it
    /// (most of them: the line takes up part of the state's wander), say so, and have their parameters
    /// drawn wider; the others are read as AR(1)s (a few at the test's 5% level).
    @Test func calibrationReadsTheNoise() throws {
        let cut = Month(year: 2019, month: 12)
        let months = Planning.months(from: Month(year: 2012, month: 1), through: cut)
        let s = EngineTests.scenario(
            segments: [SegmentPlan(name: "PU", model: .named(.linear), lapseRatePerYear: 0.2)], shares: ["PU": 0.4], actualsUntil: cut,
            horizon: Month(year: 2020, month: 12))
        func calibrate(seed: UInt64, noise: Double) throws -> DeviationModel {
            let rng = RandomStream(seed: seed)
            var x = 0.04 * rng.gaussian(sd: 1)
            let history = History(observations: months.enumerated().map { k, m in
                if k > 0 { x = 0.98 * x + 0.04 * (1 - 0.98 * 0.98).squareRoot() * rng.gaussian(sd: 1) }
                return .init(month: m, region: EngineTests.region, segment: "PU", metric: .active,
                             value: (1_000_000 + 5_000 * Double(k)) * (1 + x + noise * rng.gaussian(sd: 1)))
            })
            return try #require(try Calibration.run(s, history: history)[0].deviation)
        }
        var read = 0, falseReads = 0
        for seed in 1...20 {
            let d = try calibrate(seed: UInt64(seed), noise: 0.015)
            if let reading = d.noisyReading {
                read += 1
                #expect(reading.parameterWidening >= 1 && reading.phi > d.phi, "\(d.source)")
                #expect(d.source.contains("read as an AR(1) state with reporting noise"))
            }
            if try calibrate(seed: UInt64(seed), noise: 0).noisyReading != nil { falseReads += 1 }
        }
        print("noisy reading through calibration: \(read) of 20 with 1.5% noise, \(falseReads) of 20 without")
        #expect(read >= 12 && falseReads <= 4, "read \(read), without noise \(falseReads)")
    }
}
