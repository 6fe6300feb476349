import Fitting
import Foundation
import Testing

@testable import Planning

/// A trend in monthly acquisitions (`FlowTrend`, issue 31, item 5): the posterior of the line and of the
/// flat level with φ integrated out, against numpy on the explicit correlation matrix
/// (`scripts/oracle_flow_trend.py`); the choice, the draws and the central path by hand.
@Suite struct FlowTrendTests {
    static let pattern = [-0.12, -0.08, 0, 0.03, 0.05, 0.06, 0.04, 0, -0.03, -0.02, 0.02, 0.05]
    /// 24 months from Jan 2018 growing 10% a year from 60,000, with a month-of-year pattern and a
    /// deterministic wobble (the oracle's series).
    static let growing: [Double] = (0..<24).map { k in
        let t = Double(k)
        return 60_000 * exp(log(1.1) / 12 * t) * (1 + pattern[k % 12] + 0.04 * sin(1.7 * t) + 0.02 * cos(0.37 * t * t))
    }
    static let months = (0..<24).map { Month(year: 2018, month: 1).adding(months: $0) }
    static func twelveMonthMean(_ v: [Double]) -> Double { v.suffix(12).reduce(0, +) / 12 }

    /// The level at the last figure, a + b·end, has variance vₐₐ + 2·end·vₐᵦ + end²·vᵦᵦ: at every φ of the
    /// grid, the intercept variance of the same GLS fit with time counted from the last figure
    /// (columns 1, t − end): the same regression reparameterised, so equal to rounding. Time is counted
    /// from the first figure here: centred (as `estimate` counts it) the whitened design is symmetric
    /// in time and the level–slope covariance vanishes, and with it the term checked.
    @Test func theLevelsVarianceIsTheInterceptsFromTheLastFigure() throws {
        let t = Self.months.map { Double($0.index) }
        let y = Self.growing.map { log($0) }
        let time = t.map { $0 - t[0] }, end = t.last! - t[0], ones = [Double](repeating: 1, count: t.count)
        let line = try #require(FlowTrend.Posterior.fit(y: y, columns: [ones, time], months: t, end: end, sloped: true))
        for (k, phi) in FlowTrend.phiGrid.enumerated() {
            let g = try #require(LinearGLS.fit(y: y, columns: [ones, time.map { $0 - end }], months: t, phi: phi))
            #expect(abs(line.covariance[k][0] / g.covariance[0] - 1) < 1e-9, "φ \(phi): \(line.covariance[k][0]) against \(g.covariance[0])")
        }
    }

    @Test func posteriorMatchesTheOracle() throws {
        let trend = try #require(FlowTrend.estimate(months: Self.months, values: Self.growing, flatLevel: Self.twelveMonthMean(Self.growing)))
        // oracle_flow_trend.py: line φ 0.2982449908, slope 0.008042989138, log level 11.19289986;
        // flat φ 0.815466244, log level 11.10780928.
        #expect(abs(trend.line.meanPhi - 0.2982449908) < 1e-7)
        #expect(abs(trend.line.meanSlope - 0.008042989138) < 1e-9)
        #expect(abs(trend.line.meanLevel - 11.19289986) < 1e-7)
        #expect(abs(trend.flat.meanPhi - 0.815466244) < 1e-7)
        #expect(abs(trend.flat.meanLevel - 11.10780928) < 1e-7)
        #expect(trend.flat.slope.allSatisfy { $0 == 0 })
        // 10% a year (log 1.1/12 = 0.00794 a month) is found and chosen; g₀ is the line at Dec 2019.
        #expect(trend.chosen && trend.weight > 0.5)
        #expect(abs(trend.slope - 0.008042989138) < 1e-9 && abs(trend.level - exp(11.19289986)) < 1e-3)
        #expect(trend.centralLevel == trend.level && trend.centralSlope == trend.slope)
    }

    /// The error of a 12-month mean of an AR(1): s/√12 without persistence; at φ 0.6 against numpy's
    /// s·√(1ᵀΣ1)/12 with Σᵢⱼ = 0.6^|i − j| (0.026521848261386313 at s 0.05).
    @Test func meanStandardError() {
        #expect(abs(SerialCorrelation.meanStandardError(rho: 0, sd: 0.05, count: 12) - 0.05 / 12.0.squareRoot()) < 1e-15)
        #expect(abs(SerialCorrelation.meanStandardError(rho: 0.6, sd: 0.05, count: 12) - 0.026521848261386313) < 1e-14)
    }

    /// Draws take the line in the share its Akaike weight gives (within 4 binomial SEs), its slopes
    /// centred on the posterior mean (within 4 SEs of the mean of 20,000), never beyond the cap; the
    /// flat draws have no slope and centre on the 12-month mean, not on the line's g₀ (the AICc gap set
    /// to 0.5 so that both kinds of draw are many: weight 0.56).
    @Test func drawsFollowTheWeightAndThePosterior() throws {
        var trend = try #require(FlowTrend.estimate(months: Self.months, values: Self.growing, flatLevel: Self.twelveMonthMean(Self.growing)))
        trend.aiccFlat = trend.aiccTrend + 0.5
        #expect(trend.chosen && abs(trend.weight - 0.562) < 0.001 && trend.level / trend.flatLevel > 1.03)
        let rng = RandomStream(seed: 9)
        let n = 20_000
        var line: [Double] = [], flatLevels: [Double] = []
        for _ in 0..<n {
            let d = trend.draw(rng)
            #expect(abs(d.slope) <= FlowTrend.cap && d.sd > 0 && d.phi >= 0 && d.phi < 1)
            if d.slope != 0 { line.append(d.slope) } else { flatLevels.append(d.level) }
        }
        let w = trend.weight
        #expect(abs(Double(line.count) / Double(n) - w) < 4 * (w * (1 - w) / Double(n)).squareRoot())
        let mean = line.reduce(0, +) / Double(line.count)
        #expect(abs(mean - trend.line.meanSlope) < 4 * trend.line.slopeSD / Double(line.count).squareRoot(), "\(mean)")
        let flatMean = flatLevels.reduce(0, +) / Double(flatLevels.count)
        #expect(abs(flatMean * trend.centralLevel / trend.flatLevel - 1) < 0.01, "\(flatMean)")
    }

    /// Every draw starts from the last figure: its level, month-of-year effect and error, and jump-off
    /// deviation give Dec 2019's acquisitions back, g₀·ℓ·(1 + S + ε)·(1 + D₀) = y (flows are
    /// multiplicative), whichever model the draw took.
    @Test func everyDrawStartsFromTheLastFigure() throws {
        let (s, h) = FlowDeviationTests.flowOnly(Self.growing, last: Month(year: 2019, month: 12))
        var scenario = s
        scenario.actualsUntil = Month(year: 2019, month: 12)
        scenario.horizon = Month(year: 2020, month: 12)
        scenario.uncertainty = UncertaintySettings(draws: 500, seed: 4, parameters: true, processNoise: true, assumptions: [:])
        let cal = try Calibration.run(scenario, history: h)[0]
        let d = try #require(cal.deviation)
        guard case .flowOnly(let g0) = cal.dynamics else { Issue.record("flow-only expected"); return }
        let (batch, _, _) = MonteCarloTests.prepared(cal, scenario, draws: 500, planYear: 2020)
        let season = d.seasonality?.effect(Month(year: 2019, month: 12)) ?? 0
        var slopes = 0
        for i in 0..<500 {
            let error = batch.seasonError.isEmpty ? 0 : batch.seasonError[i * 12 + 11]
            let back = g0 * batch.acquisitionsFactor[i] * (1 + season + error) * (1 + batch.dev0[i])
            #expect(abs(back / Self.growing.last! - 1) < 1e-12, "draw \(i): \(back)")
            if batch.slope[i] != 0 { slopes += 1 }
        }
        #expect(slopes > 400, "\(slopes) draws took the trend")
        // Without parameter uncertainty no model is drawn: every draw keeps the central slope.
        scenario.uncertainty.parameters = false
        let (fixed, _, _) = MonteCarloTests.prepared(cal, scenario, draws: 500, planYear: 2020)
        #expect((0..<500).allSatisfy { fixed.slope[$0] == d.trend!.centralSlope })
    }

    /// A flat flow (the same wobble, no growth) keeps its 12-month mean as g₀: the line loses on AICc.
    @Test func aFlatFlowStaysFlat() throws {
        let flat: [Double] = (0..<24).map { k in
            let t = Double(k)
            let wobble: Double = 0.04 * sin(1.7 * t) + 0.02 * cos(0.37 * t * t)
            return 60_000 * (1 + Self.pattern[k % 12] + wobble)
        }
        let trend = try #require(FlowTrend.estimate(months: Self.months, values: flat, flatLevel: Self.twelveMonthMean(flat)))
        #expect(!trend.chosen && trend.centralSlope == 0 && trend.centralLevel == Self.twelveMonthMean(flat))
        // Through the engine and the targets: last year's pace on the deterministic path, and said that
        // part of the draws take the trend (the P50 is not last year's pace alone).
        let (sc, h) = FlowDeviationTests.flowOnly(flat, last: Month(year: 2019, month: 12))
        var scenario = sc
        scenario.actualsUntil = Month(year: 2019, month: 12)
        scenario.horizon = Month(year: 2020, month: 12)
        let cals = try Calibration.run(scenario, history: h)
        let projection = Engine.project(scenario, calibrations: cals)
        #expect(projection.atLastYearsPace.count == 1 && projection.trendInSomeDraws == projection.atLastYearsPace && projection.withHistoryTrend.isEmpty)
        let row = try #require(Targets.table(scenario, history: h, projection: projection, monteCarlo: nil, planYear: 2020)
            .first { $0.metric == .acquisitions && $0.basis == .projection })
        #expect(row.flags.contains(.lastYearsPaceTrendInSomeDraws) && !row.flags.contains(.lastYearsPace), "\(row.flags)")
        // Fewer than 24 monthly figures: no trend is weighed.
        #expect(FlowTrend.estimate(months: Array(Self.months.suffix(23)), values: Array(flat.suffix(23)), flatLevel: 60_000) == nil)
    }

    /// Through calibration and the engine: the flow-only segment's g₀ is the line's level at the last
    /// figure, calibration.csv's method says the trend was chosen, and the central path's acquisitions
    /// h months on are g₀·exp(b·h)·(1 + S)·(1 + φ^h·D), by hand.
    @Test func theCentralPathFollowsTheTrend() throws {
        let (s, h) = FlowDeviationTests.flowOnly(Self.growing, last: Month(year: 2019, month: 12))
        var scenario = s
        scenario.actualsUntil = Month(year: 2019, month: 12)
        scenario.horizon = Month(year: 2020, month: 12)
        let cal = try Calibration.run(scenario, history: h)[0]
        let d = try #require(cal.deviation)
        let trend = try #require(d.trend)
        guard case .flowOnly(let g0) = cal.dynamics else { Issue.record("flow-only expected"); return }
        #expect(trend.chosen && abs(g0 - trend.level) < 1e-9)
        #expect(cal.method.contains("trend chosen"), "\(cal.method)")
        // calibration.csv's deviation source says the draws' φ comes from the posteriors (the oracle's
        // means: flat 0.815, trend 0.298).
        #expect(d.source.hasSuffix("posterior (mean φ 0.815 / 0.298)"), "\(d.source)")
        // The deviations are measured around the line: their s is the wobble's own RMS (truth-known,
        // within 25%), not inflated by the growth a flat level would leave in them.
        let wobble = (0..<24).map { k -> Double in
            let t = Double(k)
            return 0.04 * sin(1.7 * t) + 0.02 * cos(0.37 * t * t)
        }
        let rms = (wobble.reduce(0) { $0 + $1 * $1 } / 24).squareRoot()
        #expect(abs(d.sd / rms - 1) < 0.25, "s \(d.sd) against the wobble's \(rms)")
        let sim = CellSimulator(cal, scenario: scenario)
        let central = DrawBatch(central: sim, capacity: 1)
        var k = 0
        sim.run(central, in: BatchWorkspace(capacity: 1)) { i, w in
            let m = sim.months[i + sim.firstReported]
            let hm = Double(Month(year: 2019, month: 12).distance(to: m))
            let expected = g0 * exp(trend.slope * hm) * (1 + (d.seasonality?.effect(m) ?? 0)) * (1 + pow(d.phi, hm) * d.startDeviation)
            #expect(abs(w.acquired[0] / expected - 1) < 1e-12, "\(m): \(w.acquired[0]) against \(expected)")
            k += 1
        }
        #expect(k == 12)
    }
}
