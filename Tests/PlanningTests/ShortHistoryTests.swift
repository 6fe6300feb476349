import Fitting
import Foundation
import Testing

@testable import Planning

/// Short histories (issue 31, item 4): s combines the series' own residual SD ŝ (ν = n − p dof) with a
/// weak prior, so a quiet series gets narrower bands than a noisy one.
@Suite struct ShortHistoryTests {
    /// The grid posterior against scipy's adaptive quadrature on the same density
    /// (`scripts/oracle_scale_posterior.py 0.08 1 [ŝ ν]`), quantiles 0.1 / 0.5 / 0.9.
    @Test(arguments: [
        (nil as Double?, 0, [0.02220849914, 0.07999999836, 0.2881779341]),
        (0.02, 3, [0.01659461517, 0.02836132889, 0.05788235109]),
        (0.2, 2, [0.1172369481, 0.1857511308, 0.3398620641]),
        (0.05, 10, [0.04039741341, 0.05281609539, 0.07284901867]),
    ])
    func posteriorQuantilesMatchScipy(_ shat: Double?, _ nu: Int, _ expected: [Double]) {
        #expect(ScalePosterior.priorMedian == 0.08 && ScalePosterior.priorLogSD == 1)
        let posterior = ScalePosterior(residualSD: shat, dof: nu)
        for (u, want) in zip([0.1, 0.5, 0.9], expected) {
            let got = posterior.quantile(u)
            #expect(abs(got / want - 1) < 1e-3, "ŝ \(String(describing: shat)), ν \(nu), q\(u): \(got) vs scipy \(want)")
        }
        #expect(posterior.median == posterior.quantile(0.5))
    }

    /// Each draw takes s at its own quantile of the posterior: over 4,000 draws the drawn s (innovation
    /// SD / √(1 − φ²)) have the posterior's 10%, 50% and 90% quantiles within their sampling error
    /// (binomial: the share of draws below each quantile within ±3·√(p(1 − p)/4000) ≈ ±0.0285 at 0.1).
    @Test func eachDrawTakesSFromThePosterior() throws {
        let (s, cals, _) = try Self.quiet(amplitude: 0.01)
        let cal = cals[0]
        let posterior = try #require(cal.deviation?.sdPosterior)
        let n = 4_000
        let (batch, _, _) = MonteCarloTests.prepared(cal, s, draws: n, planYear: 2020)
        let drawn = (0..<n).map { batch.innovationSD[$0] / (1 - batch.phi[$0] * batch.phi[$0]).squareRoot() }
        for p in [0.1, 0.5, 0.9] {
            let below = Double(drawn.filter { $0 <= posterior.quantile(p) }.count) / Double(n)
            #expect(abs(below - p) <= 3 * (p * (1 - p) / Double(n)).squareRoot(), "share of draws below the posterior's q\(p): \(below)")
        }
    }

    /// Five December stocks on a logistic (κ = 1, r 0.35, t₀ 2019) times 1 ± amplitude, alternating.
    static func quiet(amplitude: Double) throws -> (Scenario, [SegmentCalibration], History) {
        let share = 0.4, potential = 6_900_000 * share
        let history = History(observations: (2015...2019).enumerated().map { k, y in
            let m = Month(year: y, month: 12)
            let f = potential * GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012).values(at: [1.0, 0.35, 2019.0])[0]
            return .init(month: m, region: EngineTests.region, segment: "PU", metric: .active, value: f * (1 + (k % 2 == 0 ? amplitude : -amplitude)))
        })
        var s = EngineTests.scenario(
            segments: [SegmentPlan(name: "PU", model: .named(.logistic), lapseRatePerYear: 0.2)], shares: ["PU": share],
            actualsUntil: Month(year: 2019, month: 12), horizon: Month(year: 2020, month: 12))
        s.uncertainty = UncertaintySettings(draws: 400, seed: 7, parameters: true, processNoise: true, assumptions: [:])
        return (s, try Calibration.run(s, history: history), history)
    }

    /// Five December stocks on the same logistic (κ = 1, r 0.35, t₀ 2019), with deviations of ±1% and
    /// of ±8% (alternating signs): the quiet series' band is far narrower. Before, both took s from
    /// uniform[0.05, 0.15] and their P10–P90 widths were within 5% of each other.
    @Test func aQuietSeriesGetsNarrowerBandsThanANoisyOne() throws {
        func band(_ amplitude: Double) throws -> (width: Double, sd: Double, source: String) {
            let (s, cals, _) = try Self.quiet(amplitude: amplitude)
            let result = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: 2020, threads: 1))
            let k = result.cells[0].months.firstIndex(of: Month(year: 2020, month: 12))!
            let q = result.cells[0].active!.values
            print("amplitude \(amplitude): P10–P90 / P50 \((q[2][k] - q[0][k]) / q[1][k]), s \(cals[0].deviation!.sd)")
            return ((q[2][k] - q[0][k]) / q[1][k], cals[0].deviation!.sd, cals[0].deviation!.source)
        }
        let quiet = try band(0.01), noisy = try band(0.08)
        #expect(quiet.source.contains("ŝ") && quiet.source.contains("(3 dof)"), "\(quiet.source)")
        #expect(quiet.sd < 0.03 && noisy.sd > 0.06, "posterior medians \(quiet.sd), \(noisy.sd)")
        #expect(quiet.width < 0.4 * noisy.width, "P10–P90 / P50: quiet \(quiet.width), noisy \(noisy.width)")
    }
}

