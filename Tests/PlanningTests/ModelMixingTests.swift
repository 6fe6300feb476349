import Fitting
import Foundation
import Testing

@testable import Planning

/// `model: auto` (docs/uncertainty.md, "Which curve"): candidates ranked by their GLS fits' exact
/// likelihood penalised by the larger of AICc's and BIC's penalties, and Monte Carlo draws taking each
/// by its weight exp(−Δ/2) (tempered, exp(−Δ/8), on a span under 48 months).
@Suite struct ModelMixingTests {
    /// 60 monthly points of a gompertz coverage curve times 1 + D (relative AR(1), φ 0.7, s 2%):
    /// several curves fit it about as well.
    static func setup(draws: Int, parameters: Bool = true, noise: Bool = true, first: Month = Month(year: 2015, month: 1)) throws -> (Scenario, [SegmentCalibration]) {
        let rng = RandomStream(seed: 42)
        let months = Planning.months(from: first, through: Month(year: 2019, month: 12))
        var d = rng.gaussian(sd: 0.02)
        var obs: [History.Observation] = []
        for m in months {
            let u = GrowthCurveFunction(model: .gompertz, times: [m.decimalYear], origin: 2012.0).values(at: [0.5, 0.45, 2015.5])[0]
            obs.append(.init(month: m, region: EngineTests.region, segment: "PU", metric: .active, value: 6_900_000 * 0.4 * u * (1 + d)))
            d = 0.7 * d + 0.02 * (1 - 0.49).squareRoot() * rng.gaussian(sd: 1)
        }
        var s = EngineTests.scenario(
            segments: [SegmentPlan(name: "PU", model: .auto, lapseRatePerYear: 0.2)], shares: ["PU": 0.4],
            actualsUntil: Month(year: 2019, month: 12), horizon: Month(year: 2021, month: 12))
        s.uncertainty = UncertaintySettings(draws: draws, seed: 3, parameters: parameters, processNoise: noise, assumptions: [:])
        return (s, try Calibration.run(s, history: History(observations: obs)))
    }

    /// The ranking by hand: −2ℓ + max(2k + 2k(k + 1)/(n − k − 1), k·log n) (AICc's and BIC's penalties;
    /// at n = 60 BIC's, 20.5 against 11.1 for k = 5) with ℓ the exact likelihood of the coverage figures
    /// at each candidate's GLS fit and k its free curve parameters + s + φ; weights exp(−Δ/2) (60 months)
    /// normalised; the first candidate is the calibrated curve, and calibration.csv's AICc is its own.
    @Test func candidatesAreRankedAndWeightedByTheirPenalisedLikelihood() throws {
        let (_, cals) = try Self.setup(draws: 0)
        let cal = cals[0]
        let c = cal.candidates
        try #require(c.count >= 2, "\(c.map(\.model))")
        let n = 60.0
        for x in c {
            let k = Double(x.fit.parameters.filter { !$0.fixed }.count + 2)
            #expect(x.parameterCount == Int(k))
            #expect(abs(x.criterion - (-2 * x.logLikelihood + max(2 * k + 2 * k * (k + 1) / (n - k - 1), k * log(n)))) < 1e-9)
        }
        #expect(c.map(\.criterion) == c.map(\.criterion).sorted())
        let best = c[0].criterion
        let raw = c.map { exp(-($0.criterion - best) / 2) }
        let total = raw.reduce(0, +)
        for (x, w) in zip(c, raw) { #expect(abs(x.weight - w / total) < 1e-12) }
        #expect(cal.modelName == c[0].model.rawValue)
        let k = Double(c[0].parameterCount)
        #expect(abs(try #require(cal.aicc) - (-2 * c[0].logLikelihood + 2 * k + 2 * k * (k + 1) / (n - k - 1))) < 1e-9)
    }

    /// On figures spanning fewer than 48 months the weights are tempered, exp(−Δ/(2·4)): the same
    /// curve's last 24 monthly figures (the ranking as above, with its n), the first candidate's
    /// temperature said; 48 months (2016-01 to 2019-12) are not tempered, 47 are.
    @Test func aShortSpansWeightsAreTempered() throws {
        let (_, cals) = try Self.setup(draws: 0, first: Month(year: 2018, month: 1))
        let c = cals[0].candidates
        try #require(c.count >= 2, "\(c.map(\.model))")
        let raw = c.map { exp(-($0.criterion - c[0].criterion) / 8) }
        let total = raw.reduce(0, +)
        for (x, w) in zip(c, raw) {
            #expect(abs(x.weight - w / total) < 1e-12, "\(x.model)")
            #expect(x.temperature == 4)
        }
        for (first, t) in [(Month(year: 2016, month: 1), 1.0), (Month(year: 2016, month: 2), 4.0)] {
            let (_, cals) = try Self.setup(draws: 0, first: first)
            #expect(cals[0].candidates.allSatisfy { $0.temperature == t }, "from \(first)")
        }
    }

    /// The weights by hand: criteria 0, 2, 10 at T = 1 are 1, e^−1, e^−5 over their sum (0.72748,
    /// 0.26762, 0.00490); 10, 0, 2 at T = 16 are e^−10/32, 1, e^−2/32 (0.27391, 0.37439, 0.35170). Twelve figures over
    /// 47 months are tempered, eleven are not (they take φ and s from the prior).
    @Test func temperedWeightsByHand() {
        let one = CurveCandidate.weights(criteria: [0, 2, 10], temperature: 1)
        for (x, y) in zip(one, [0.727_475_2, 0.267_623_2, 0.004_901_7]) { #expect(abs(x - y) < 1e-6, "\(one)") }
        let hot = CurveCandidate.weights(criteria: [10, 0, 2], temperature: 16)
        for (x, y) in zip(hot, [0.273_907_8, 0.374_387_6, 0.351_704_6]) { #expect(abs(x - y) < 1e-6, "\(hot)") }
        let first = Month(year: 2016, month: 1)
        let twelve = (0..<12).map { first.adding(months: $0 * 46 / 11) }
        #expect(twelve.last == first.adding(months: 46))
        #expect(CurveCandidate.temperature(months: twelve) == 4)
        #expect(CurveCandidate.temperature(months: Array(twelve.dropFirst())) == 1)
        #expect(CurveCandidate.temperature(months: twelve + [first.adding(months: 47)]) == 1)
    }

    /// The penalty on each side of the crossover, by hand (ℓ = 100): n = 10, k = 4 takes AICc's
    /// 8 + 40/5 = 16 (BIC's 4·log 10 = 9.21); n = 60, k = 5 takes BIC's 5·log 60 = 20.47 (AICc's 11.11);
    /// with AICc undefined for a candidate (n = 4), AIC's 2k = 10 against BIC's 5·log 4 = 6.93.
    @Test func thePenaltyIsTheLargerOfAICcsAndBICs() {
        #expect(abs(Calibration.rankingCriterion(logL: 100, k: 4, n: 10, corrected: true) - (-200 + 16)) < 1e-12)
        #expect(abs(Calibration.rankingCriterion(logL: 100, k: 5, n: 60, corrected: true) - (-200 + 5 * log(60.0))) < 1e-12)
        #expect(abs(Calibration.rankingCriterion(logL: 100, k: 5, n: 4, corrected: false) - (-200 + 10)) < 1e-12)
    }

    /// With draws, each candidate is taken by about its weight (binomial margin at 4,000 draws), and
    /// every draw, whichever curve it took, starts at the last actual.
    @Test func drawsTakeEachCurveByItsWeight() throws {
        let draws = 4_000
        let (s, cals) = try Self.setup(draws: draws)
        let cal = cals[0]
        let batch = MonteCarloTests.prepared(cal, s, draws: draws, planYear: 2020).batch
        try #require(batch.models.count == draws)
        for x in cal.candidates {
            let share = Double(batch.models.filter { $0 == x.model }.count) / Double(draws)
            let margin = 3.42 * (x.weight * (1 - x.weight) / Double(draws)).squareRoot() + 0.002
            #expect(abs(share - x.weight) <= margin, "\(x.model): \(share) of draws, weight \(x.weight)")
        }
        let last = cal.deviation!.lastValue
        for i in 0..<draws { #expect(abs(batch.start[i] * (1 + batch.dev0[i]) / last - 1) < 1e-12, "draw \(i) (\(batch.models[i]))") }
    }

    /// The choice counts as a parameter: without parameter draws every draw takes the best curve, and
    /// with no uncertainty at all P50 is the deterministic projection.
    @Test func withoutParameterDrawsEveryDrawTakesTheBest() throws {
        let (s, cals) = try Self.setup(draws: 50, parameters: false, noise: false)
        let r = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: 2020))
        let det = Engine.project(s, calibrations: cals)
        let rows = det.rows(region: EngineTests.region, segment: "PU")
        let cell = r.cells[0]
        for k in cell.months.indices { #expect(cell.active!.values[1][k] == rows[k].active!) }
    }
}
