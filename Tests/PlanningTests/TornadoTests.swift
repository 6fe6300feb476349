import Foundation
import Testing

@testable import Planning

/// The report's "biggest assumptions" (issue 29): each stated assumption's P10 and P90 from its
/// distribution (scipy's quantiles), and the swing of the total's P50 between them, against a case
/// with a closed form.
@Suite struct TornadoTests {
    /// scipy.stats: norm.ppf(0.1) = −1.2815515655446004; lognorm(s=0.2, scale=1).ppf(0.9) =
    /// exp(0.2 · 1.2815515655446004) = 1.292153637945265; uniform(2, 3).ppf(0.1) = 2.1; triang(c=0.5,
    /// loc=0, scale=2).ppf(0.1) = √(0.1·2·1) = 0.4472135955, ppf(0.9) = 2 − √(0.1·2·1).
    @Test func assumptionQuantilesAreTheDistributions() {
        let z = -1.2815515655446004
        #expect(abs(Distribution.normal(mean: 0.6, sd: 0.15).quantile(0.1) - (0.6 + 0.15 * z)) < 1e-12)
        #expect(abs(Distribution.lognormal(median: 1, sigma: 0.2).quantile(0.9) - exp(-0.2 * z)) < 1e-12)
        #expect(abs(Distribution.lognormal(median: 1, sigma: 0.2).quantile(0.9) - 1.292153637945265) < 1e-12)
        #expect(abs(Distribution.uniform(min: 2, max: 3).quantile(0.1) - 2.1) < 1e-12)
        let tri = Distribution.triangular(min: 0, mode: 1, max: 2)
        #expect(abs(tri.quantile(0.1) - 0.4472135955) < 1e-9)
        #expect(abs(tri.quantile(0.9) - (2 - 0.4472135955)) < 1e-9)
        #expect(abs(tri.quantile(0.5) - 1) < 1e-12)
        // An asymmetric triangle (scipy triang(c=0.25, loc=300, scale=400), ppf 363.2455532, 590.4554885): F(mode) = 0.25.
        let jatim = Distribution.triangular(min: 300, mode: 400, max: 700)
        #expect(abs(jatim.quantile(0.1) - 363.2455532033676) < 1e-9)
        #expect(abs(jatim.quantile(0.9) - 590.4554884989668) < 1e-9)
    }

    /// A flow segment alone, no parameter draws and no process noise: every draw's plan-year
    /// acquisitions are 12 months of 60,000 × the acquisitions factor. Held at the factor's P10 and
    /// P90 (lognormal, σ 0.1), the total's P50 is 12 × round(60,000 × e^{∓0.1·1.2816}).
    @Test func theSwingOfAFlowIsTwelveMonthsOfItsFactorsRange() throws {
        var s = EngineTests.scenario(segments: [SegmentPlan(name: "JAKON", flowOnly: true)], shares: ["JAKON": 1], horizon: Month(year: 2018, month: 12))
        s.uncertainty = UncertaintySettings(
            draws: 400, seed: 3, parameters: false, processNoise: false,
            assumptions: [.acquisitionsFactor: .lognormal(median: 1, sigma: 0.1), .lapseRateFactor: .lognormal(median: 1, sigma: 0.3)])
        var obs: [History.Observation] = []
        for m in 1...12 { obs.append(.init(month: Month(year: 2017, month: m), region: EngineTests.region, segment: "JAKON", metric: .acquisitions, value: 60_000)) }
        let h = History(observations: obs)
        let cals = try Calibration.run(s, history: h)
        let options = MonteCarlo.Options(s.uncertainty, planYear: 2018, threads: 2)
        let projection = Engine.project(s, calibrations: cals)
        let mc = MonteCarlo.run(s, calibrations: cals, options: options)
        let rows = Targets.table(s, history: h, projection: projection, monteCarlo: mc, planYear: 2018)
        let bars = Tornado.compute(s, calibrations: cals, history: h, projection: projection, options: options, planYear: 2018, baseRows: rows)
        let z = 1.2815515655446004
        let (low, high) = (exp(-0.1 * z), exp(0.1 * z))
        #expect(bars.count == 2)
        let factor = try #require(bars.first)
        #expect(factor.assumption == .acquisitionsFactor && factor.metric == .acquisitions)
        #expect(abs(factor.low - low) < 1e-12 && abs(factor.high - high) < 1e-12)
        #expect(abs(factor.atLow - 12 * (60_000 * low).rounded()) <= 12, "\(factor.atLow)")
        #expect(abs(factor.atHigh - 12 * (60_000 * high).rounded()) <= 12, "\(factor.atHigh)")
        // A lapse rate moves no flow of acquisitions: its swing is nothing, so it comes second.
        #expect(bars[1].assumption == .lapseRateFactor && bars[1].swing == 0)
        // Nothing to measure without draws.
        var none = options
        none.draws = 0
        #expect(Tornado.compute(s, calibrations: cals, history: h, projection: projection, options: none, planYear: 2018, baseRows: rows).isEmpty)
    }

    /// Holding one assumption leaves every other draw as it was: pinned at the value a draw already
    /// has, nothing changes; the pinned assumption itself is that value in every draw.
    @Test func pinningKeepsEveryOtherDraw() {
        var u = UncertaintySettings(draws: 50, seed: 9)
        u.assumptions = [.elasticity: .normal(mean: 0.6, sd: 0.15), .lapseRateFactor: .lognormal(median: 1, sigma: 0.2)]
        let free = AssumptionTable(MonteCarlo.Options(u, planYear: 2018), draws: 50)
        var o = MonteCarlo.Options(u, planYear: 2018)
        o.pinned = [.elasticity: 0.42]
        let pinned = AssumptionTable(o, draws: 50)
        for d in 0..<50 {
            #expect(pinned.value(.elasticity, d) == 0.42)
            #expect(pinned.value(.lapseRateFactor, d) == free.value(.lapseRateFactor, d))
        }
    }

    /// A stated assumption's deterministic value is its distribution's mean (a triangular's
    /// (min + mode + max)/3, not its mode), and an elasticity may be drawn anywhere in the documented
    /// [0, 3]: held at 2.5 it stays 2.5, at 3.5 it is clamped to 3.
    @Test func centralValuesAndTheElasticitysRange() {
        #expect(Distribution.triangular(min: 300, mode: 660, max: 800).central == (300 + 660 + 800) / 3.0)
        #expect(Distribution.uniform(min: 2, max: 3).central == 2.5 && Distribution.lognormal(median: 1.2, sigma: 0.3).central == 1.2)
        var u = UncertaintySettings(draws: 4, seed: 1)
        u.assumptions = [.elasticity: .normal(mean: 0.6, sd: 0.15)]
        for (held, value) in [(2.5, 2.5), (3.5, 3.0)] {
            var o = MonteCarlo.Options(u, planYear: 2018)
            o.pinned = [.elasticity: held]
            #expect(AssumptionTable(o, draws: 4).value(.elasticity, 0) == value)
        }
    }
}

/// The last realised stock is the latest month's to actuals_until (the seventh campaign's
/// `last-stock-earliest`): 100 in March, 200 in June, 300 in September after actuals_until June → 200.
@Suite struct LastStockTests {
    @Test func theLastStockIsTheLatestRealisedMonth() {
        let obs = [(3, 100.0), (6, 200.0), (9, 300.0)].map {
            History.Observation(month: Month(year: 2018, month: $0.0), region: "R", segment: "PU", metric: .active, value: $0.1)
        }
        let r = Realisation(history: History(observations: obs), region: "R", segment: "PU", through: Month(year: 2018, month: 6))
        #expect(r.lastStock == 200)
    }
}
