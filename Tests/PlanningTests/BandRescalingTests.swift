import Fitting
import Foundation
import Testing

@testable import Planning

/// Bands rescaled by the cell's own rolling-origin errors (issue 31, item 3; `BandRescaling`).
@Suite struct BandRescalingTests {
    /// Hand-computed: errors at horizon 1 of 1, −2, 3 (median |e| 2) and at horizon 2 of ±0.5 (median
    /// 0.5); origins 3 months apart, so every error counts whole at h ≤ 3. Horizons 1 and 2 are further
    /// apart than the pooling window (log 2 = 0.69 > 0.35), so each keeps its own spread; beyond the last
    /// scored horizon, the last one's.
    @Test func spreadEffectiveCountAndWeightByHand() throws {
        let past: [BandRescaling.PastError] = [
            .init(horizon: 1, scaled: 1), .init(horizon: 1, scaled: -2), .init(horizon: 1, scaled: 3),
            .init(horizon: 2, scaled: 0.5), .init(horizon: 2, scaled: -0.5),
        ]
        let r = try #require(BandRescaling.from(past, origins: 3))
        // spread = median|e| / Φ⁻¹(0.75) = 2 / 0.6744897501960817 and 0.5 / 0.6744897501960817.
        #expect(abs(r.spread[0] - 2.965_204_437_011_204) < 1e-12)
        #expect(abs(r.spread[1] - 0.741_301_109_252_801) < 1e-12)
        #expect(abs(r.spread[23] - 0.741_301_109_252_801) < 1e-12)
        #expect(r.effective[0] == 3 && r.effective[1] == 2 && r.effective[23] == 2)
        // weight = N / (N + 3).
        #expect(abs(r.weight[0] - 0.5) < 1e-15 && abs(r.weight[1] - 0.4) < 1e-15)
        // The factor is spread^weight: 2.965204437011204^0.5 and 0.741301109252801^0.4 (narrowing as
        // well as widening); held within [1/3, 3]; none at horizon 0.
        #expect(abs(r.factor(horizon: 1) - 1.72197689793191) < 1e-12)
        #expect(abs(r.factor(horizon: 2) - 0.8871516405449594) < 1e-12)
        #expect(abs(r.factor(horizon: 24) - 0.8871516405449594) < 1e-12)
        #expect(r.factor(horizon: 0) == 1)
        let wide = BandRescaling(spread: [10], effective: [1000], weight: [1], origins: 1, errors: 1000, seconds: 0)
        #expect(wide.factor(horizon: 5) == 3)
    }

    /// h-step errors from origins 3 months apart overlap beyond h = 3: at h = 12 each counts a quarter;
    /// with neighbours pooled (h within ×/÷ e^0.35), the spread is their count-weighted geometric mean.
    @Test func overlappingErrorsCountLessAndNeighboursPool() throws {
        var past: [BandRescaling.PastError] = []
        for _ in 0..<8 { past.append(.init(horizon: 12, scaled: 2)) }
        for _ in 0..<8 { past.append(.init(horizon: 10, scaled: 1)) }
        let r = try #require(BandRescaling.from(past, origins: 8))
        // h = 12: 8 · 3/12 = 2; h = 10: 8 · 3/10 = 2.4. At h = 12 both are in the window (log 1.2 = 0.18).
        #expect(abs(r.effective[11] - 2.4) < 1e-12)
        let expected = exp((2.4 * log(1 / 0.674_489_750_196_081_7) + 2 * log(2 / 0.674_489_750_196_081_7)) / 4.4)
        #expect(abs(r.spread[11] - expected) < 1e-12)
        // h = 6: neither horizon within the window of 6 (log 10/6 = 0.51), and none scored below: no weight.
        #expect(r.weight[5] == 0)
        #expect(r.factor(horizon: 6) == 1)
        // Beyond the last scored horizon (12), the pooling of 12 itself (10 and 12), not of h (h = 20
        // alone would pool nothing and carry on h = 17's, which sees 12 only).
        #expect(abs(r.spread[19] - expected) < 1e-12 && abs(r.effective[19] - 2.4) < 1e-12)
    }

    /// A past error in the band's units, by hand: y = P50·e^0.1 against P10 = P50·e^−0.2 and P90 =
    /// P50·e^0.2 (half-width 0.2 in log units, an SD of 0.2 / 1.2815515655446004): e = 0.640 775 8.
    @Test func aPastErrorInTheBandsUnits() {
        let e = BandRescaling.scaledError(actual: 100 * exp(0.1), p10: 100 * exp(-0.2), p50: 100, p90: 100 * exp(0.2))
        #expect(abs(e - 0.1 / (0.2 / 1.281_551_565_544_600_5)) < 1e-12)
        #expect(abs(e - 0.640_775_782_772_300_2) < 1e-12)
    }

    /// Too few effective errors: no rescaling at all.
    @Test func fewErrorsLeaveTheModelsBand() {
        #expect(BandRescaling.from([.init(horizon: 24, scaled: 5)], origins: 1) == nil)
        #expect(BandRescaling.from([], origins: 0) == nil)
    }

    /// The draws are rescaled about their median in log space: every quantile q goes to m·(q/m)^c, so a
    /// band whose past says twice its half-width (weight 1) comes out twice as wide in log terms.
    @Test func drawsRescaleAboutTheirMedianInLogSpace() throws {
        let d = 10_001
        let rng = RandomStream(seed: 7)
        var values = (0..<d).map { _ in 1000 * exp(rng.gaussian(sd: 0.05)) }
        var sorted = values.sorted()
        let (q10, q50, q90) = (sorted[1000], sorted[5000], sorted[9000])
        let r = BandRescaling(spread: [2], effective: [100], weight: [1], origins: 10, errors: 100, seconds: 0)
        var scratch = [Double](repeating: 0, count: d)
        let c = values.withUnsafeMutableBufferPointer { MonteCarlo.rescale($0, by: r, horizon: 1, ordered: &scratch) }
        #expect(c == 2)
        sorted = values.sorted()
        #expect(abs(sorted[5000] - q50) < 1e-9 * q50)
        #expect(abs(log(sorted[9000] / q50) - 2 * log(q90 / q50)) < 1e-9)
        #expect(abs(log(sorted[1000] / q50) - 2 * log(q10 / q50)) < 1e-9)
    }

    /// One logistic PU segment in coverage space, actuals to Dec 2019, 200 draws.
    static func scenario(rescaling: Bool) -> Scenario {
        var s = EngineTests.scenario(
            segments: [SegmentPlan(name: "PU", model: .named(.logistic), lapseRatePerYear: 0.2)], shares: ["PU": 0.4],
            actualsUntil: Month(year: 2019, month: 12), horizon: Month(year: 2021, month: 12))
        s.uncertainty = UncertaintySettings(draws: 200, seed: 1)
        s.uncertainty.rescaling = rescaling
        return s
    }

    /// Monthly PU stocks from `first` to Dec 2019 on the coverage tests' logistic, ±1% (a sine, no noise).
    static func quietHistory(from first: Month) -> History {
        History(observations: Planning.months(from: first, through: Month(year: 2019, month: 12)).map { m in
            .init(month: m, region: EngineTests.region, segment: "PU", metric: .active,
                  value: 6_900_000 * 0.4 * GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012.0).values(at: [0.5, 0.6, 2016.5])[0] * (1 + 0.01 * sin(Double(m.index))))
        })
    }

    /// A history of 96 monthly stocks on the logistic the coverage tests use, 1 + D with D an AR(1)
    /// (φ 0.8) whose s is `sd` until `from` and `after` from it on; calibrated with the rescaling on.
    static func rescaling(
        seed: Int, sd: Double, after: Double, from: Month, interventions: [Intervention] = [], levers: Levers = Levers(), first: Month = Month(year: 2012, month: 1)
    ) throws -> BandRescaling? {
        let rng = RandomStream(seed: RandomStream.seed(77, "band-rescaling/\(seed)"))
        let cut = Month(year: 2019, month: 12)
        let months = Planning.months(from: first, through: cut)
        var d = 0.0
        let observations: [History.Observation] = months.enumerated().map { k, m in
            let s = m >= from ? after : sd
            d = k == 0 ? rng.gaussian(sd: s) : 0.8 * d + s * 0.6 * rng.gaussian(sd: 1)
            let f = 6_900_000 * 0.4 * GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012.0).values(at: [0.5, 0.6, 2016.5])[0]
            return .init(month: m, region: EngineTests.region, segment: "PU", metric: .active, value: f * (1 + d))
        }
        var s = scenario(rescaling: true)
        s.levers = levers
        s.interventions = interventions
        let cal = try Calibration.run(s, history: History(observations: observations))[0]
        if let r = try? cal.rescaling.get() { #expect(cal.notes.contains(r.note)) }
        return try? cal.rescaling.get()
    }

    /// The past errors are measured in the units of the band printed then: a history from the model's
    /// own class gives a spread near 1 (no correction to speak of); one whose noise quadrupled over its
    /// last three years gives past errors wider than its bands, and the draws are widened.
    @Test func pastErrorsInTheBandsUnitsNearOneInClassAndWideWhenTheNoiseGrew() throws {
        var inClass: [Double] = [], grown: [Double] = [], factors: [Double] = []
        for k in 0..<8 {
            let a = try #require(try Self.rescaling(seed: k, sd: 0.02, after: 0.02, from: Month(year: 2017, month: 1)))
            let b = try #require(try Self.rescaling(seed: k, sd: 0.01, after: 0.04, from: Month(year: 2017, month: 1)))
            #expect(a.origins == 12 && b.origins == 12)
            inClass.append(log(a.spread[5]))
            grown.append(log(b.spread[5]))
            factors.append(b.factor(horizon: 6))
        }
        let meanInClass = exp(inClass.reduce(0, +) / 8), meanGrown = exp(grown.reduce(0, +) / 8)
        #expect(meanInClass > 0.7 && meanInClass < 1.4, "in class: spread \(meanInClass)")
        // 1.86 since the model reads the rise itself at the origins with a year of it (`NoiseRise`); above 2 before.
        #expect(meanGrown > 1.5, "noise ×4: spread \(meanGrown)")
        #expect(factors.allSatisfy { $0 > 1.2 }, "noise ×4: factors \(factors)")
    }

    /// An origin inside a stated intervention is skipped (2019-03 and 2019-06 of the twelve), and the
    /// intervention's months are not scored; the note says what the rescaling rests on.
    @Test func originsInsideAnInterventionAreSkipped() throws {
        let covid = Intervention(from: Month(year: 2019, month: 1), to: Month(year: 2019, month: 6), label: "test")
        let r = try #require(try Self.rescaling(seed: 1, sd: 0.02, after: 0.02, from: Month(year: 2017, month: 1), interventions: [covid]))
        #expect(r.origins == 10)
        let plain = try #require(try Self.rescaling(seed: 1, sd: 0.02, after: 0.02, from: Month(year: 2017, month: 1)))
        #expect(plain.origins == 12 && plain.errors > r.errors)
        #expect(r.note.english.hasPrefix("P10–P90 rescaled by this history's own past errors: at 12 months they were "))
        #expect(r.note.english.hasSuffix("(10 origins, weight \(Phrase.Language(indonesian: false).decimal(r.weight[11])))"))
    }

    /// The plan year's undated levers are left out of the past origins (as `rkat backtest` does): an
    /// undated outreach of 1.5 leaves the past errors exactly as without it.
    @Test func undatedLeversAreLeftOutOfThePastOrigins() throws {
        let from = Month(year: 2017, month: 1)
        let outreach = Levers(outreach: OutreachLever(intensity: LeverPath(constant: 1.5), elasticity: 1))
        let plain = try #require(try Self.rescaling(seed: 2, sd: 0.02, after: 0.02, from: from))
        let pushed = try #require(try Self.rescaling(seed: 2, sd: 0.02, after: 0.02, from: from, levers: outreach))
        #expect(pushed.spread == plain.spread && pushed.effective == plain.effective && pushed.errors == plain.errors)
    }

    /// The first origin (3 months before the last actual) needs 36 monthly figures up to it: 39 in all
    /// give one origin, 38 none.
    @Test func theFirstOriginNeedsThirtySixFigures() throws {
        let from = Month(year: 2017, month: 1)
        let one = try #require(try Self.rescaling(seed: 3, sd: 0.02, after: 0.02, from: from, first: Month(year: 2016, month: 10)))
        #expect(one.origins == 1 && one.errors == 3)
        let history = Self.quietHistory(from: Month(year: 2016, month: 11))
        #expect(try Calibration.run(Self.scenario(rescaling: true), history: history)[0].rescaling == .failure(.tooShort(figures: 38)))
    }

    /// A cell with a programme lever is left alone: its stock holds members the past errors do not.
    @Test func programmeLeversLeaveTheModelsBand() throws {
        var s = Self.scenario(rescaling: true)
        s.levers.reactivation = [ReactivationLever(segment: "PU", pool: 1000, sharePerYear: 0.1)]
        #expect(try Calibration.run(s, history: Self.quietHistory(from: Month(year: 2012, month: 1)))[0].rescaling == .failure(.programmes))
    }

    /// Under 36 monthly figures before the latest origin, or with the rescaling off: the model's bands.
    @Test func shortHistoriesAndTheDefaultKeepTheModelsBands() throws {
        let history = Self.quietHistory(from: Month(year: 2017, month: 1))
        #expect(try Calibration.run(Self.scenario(rescaling: false), history: history)[0].rescaling == .failure(.off))
        #expect(try Calibration.run(Self.scenario(rescaling: true), history: history)[0].rescaling == .failure(.tooShort(figures: 36)))
    }

    /// Widened draws never pass their potential: near saturation (a logistic at 99.7% of the potential)
    /// a factor of 3 would put the P90 above it, and the draws stop there (coverage at most 1).
    @Test func rescaledDrawsStayWithinThePotential() throws {
        let cut = Month(year: 2019, month: 12)
        let months = Planning.months(from: Month(year: 2012, month: 1), through: cut)
        let rng = RandomStream(seed: 5)
        let history = History(observations: months.map { m in
            .init(month: m, region: EngineTests.region, segment: "PU", metric: .active,
                  value: 6_900_000 * 0.4 * GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012.0).values(at: [1.0, 0.8, 2012.0])[0] * (1 + rng.gaussian(sd: 0.002)))
        })
        var s = EngineTests.scenario(
            segments: [SegmentPlan(name: "PU", model: .named(.logistic), lapseRatePerYear: 0.2)], shares: ["PU": 0.4], actualsUntil: cut,
            horizon: Month(year: 2021, month: 12))
        s.uncertainty = UncertaintySettings(draws: 400, seed: 1)
        var cals = try Calibration.run(s, history: history)
        let wide = [Double](repeating: 3, count: 24), many = [Double](repeating: 100, count: 24), whole = [Double](repeating: 1, count: 24)
        cals[0].rescaling = .success(BandRescaling(spread: wide, effective: many, weight: whole, origins: 12, errors: 100, seconds: 0))
        let result = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: 2020))
        let cell = try #require(result.cell(EngineTests.region, "PU"))
        #expect(cell.bandFactors?.allSatisfy { $0 == 3 } == true)
        let coverage = try #require(cell.coverage)
        #expect(coverage.values.allSatisfy { $0.allSatisfy { $0 <= 1 + 1e-12 } }, "\(coverage.values[2])")
        let yearEnd = try #require(cell.planYear(.active))
        #expect(yearEnd.max()! <= 6_900_000 * 0.4 + 1e-6)
        // Without the cap the top draws would be above it: the P50 is within 0.5% of the potential.
        #expect(coverage.values[1].last! > 0.995)
    }
}

