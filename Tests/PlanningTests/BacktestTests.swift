import Fitting
import Foundation
import Testing

@testable import Planning

/// The backtest's arithmetic by hand, its naive rules, and (on histories drawn from a known truth)
/// rkat's P10–P90 holding ~80% of the later actuals (docs/backtest.md).
@Suite struct BacktestTests {
    static let levels = [0.1, 0.5, 0.9]
    static func m(_ y: Int, _ mo: Int) -> Month { Month(year: y, month: mo) }

    @Test func pinballLossByHand() {
        // Under the quantile: τ(y − q); over it: (1 − τ)(q − y).
        #expect(Backtest.pinball(actual: 100, quantile: 90, level: 0.1) == 1)
        #expect(abs(Backtest.pinball(actual: 100, quantile: 110, level: 0.1) - 9) < 1e-12)
        #expect(abs(Backtest.pinball(actual: 100, quantile: 90, level: 0.9) - 9) < 1e-12)
        #expect(abs(Backtest.pinball(actual: 100, quantile: 120, level: 0.9) - 2) < 1e-12)
        // (1 + 0 + 2) / 3 = 1.
        #expect(abs(Backtest.meanPinball(actual: 100, quantiles: [90, 100, 120], levels: Self.levels) - 1) < 1e-12)
    }

    static func row(_ method: Backtest.Method, month: Month = m(2019, 6), actual: Double, point: Double, q: [Double]? = nil) -> Backtest.Row {
        Backtest.Row(
            origin: m(2018, 12), region: "R", segment: "PU", month: month, horizon: m(2018, 12).distance(to: month), method: method,
            actual: actual, actualSource: .history, forecast: .init(point: point, quantiles: q), levels: levels)
    }

    /// The band's record by horizon, by hand: at h 1 (Jan 2019) one of two actuals inside [90, 120]; at
    /// h 6 (Jun) both; a rule's row and an rkat row without bands are not counted.
    @Test func coverageByHorizonByHand() {
        let rows = [
            Self.row(.rkat, month: Self.m(2019, 1), actual: 100, point: 100, q: [90, 100, 120]),
            Self.row(.rkat, month: Self.m(2019, 1), actual: 125, point: 100, q: [90, 100, 120]),
            Self.row(.rkat, actual: 95, point: 100, q: [90, 100, 120]),
            Self.row(.rkat, actual: 120, point: 100, q: [90, 100, 120]),
            Self.row(.rkat, actual: 200, point: 100),
            Self.row(.lastValue, actual: 300, point: 100, q: [90, 100, 120]),
        ]
        #expect(Backtest.coverageByHorizon(rows) == [
            .init(horizon: 1, banded: 2, held: 1), .init(horizon: 6, banded: 2, held: 2),
        ])
    }

    @Test func rowScoresAndSkillByHand() {
        let a = Self.row(.rkat, actual: 100, point: 104, q: [90, 103, 120])
        #expect(a.error == 4)
        #expect(abs(a.relativeError - 0.04) < 1e-12)
        #expect(a.inside == [true])
        // (0.1·10 + 0.5·3 + 0.1·20) / 3 = 4.5 / 3 = 1.5 persons; relative 0.015.
        #expect(abs(a.pinball! - 1.5) < 1e-12)
        #expect(abs(a.loss(bands: true)! - 0.015) < 1e-12)
        let out = Self.row(.rkat, actual: 100, point: 80, q: [70, 80, 95])
        #expect(out.inside == [false])

        // Point scores only (the rule has no bands): relative absolute errors 0.04 + 0.02 against
        // 0.10 + 0.08 ⇒ skill 1 − 0.06/0.18 = 2/3.
        let rows = [
            Self.row(.rkat, month: Self.m(2019, 6), actual: 100, point: 104, q: [90, 103, 120]),
            Self.row(.rkat, month: Self.m(2019, 12), actual: 200, point: 196, q: [180, 195, 230]),
            Self.row(.lastValue, month: Self.m(2019, 6), actual: 100, point: 90),
            Self.row(.lastValue, month: Self.m(2019, 12), actual: 200, point: 184),
        ]
        let skills = Backtest.skills(rows)
        let overall = skills.first { $0.rule == .lastValue && $0.horizon == nil }!
        #expect(overall.n == 2 && !overall.pinball)
        #expect(abs(overall.skill! - 2.0 / 3) < 1e-12)
        let h6 = skills.first { $0.rule == .lastValue && $0.horizon == 6 }!
        #expect(abs(h6.skill! - (1 - 0.04 / 0.10)) < 1e-12)

        // Both banded: relative pinball. rkat 0.015; rule (90, 100, 110) at 100: (0.1·10 + 0 + 0.1·10)/3/100.
        let banded = [Self.row(.rkat, actual: 100, point: 104, q: [90, 103, 120]), Self.row(.lastValue, actual: 100, point: 100, q: [90, 100, 110])]
        let b = Backtest.skills(banded).first { $0.horizon == nil }!
        #expect(b.pinball)
        #expect(abs(b.skill! - (1 - 0.015 / (2.0 / 300))) < 1e-12)

        let s = Backtest.summary(rows)
        #expect(s.actuals == 2 && s.banded == 2 && s.held == 2 && s.origins == 1)
        #expect(abs(s.medianAbsoluteError[.rkat]! - 0.03) < 1e-12)
        #expect(abs(s.medianAbsoluteError[.lastValue]! - 0.09) < 1e-12)
        #expect(abs(s.bias! - 0.01) < 1e-12)  // (+0.04 − 0.02) / 2
    }

    @Test func naiveRulesByHand() {
        let known: [(month: Month, value: Double)] = [(Self.m(2018, 12), 100), (Self.m(2019, 12), 110)]
        #expect(Backtest.naivePoint(.lastValue, known: known, at: Self.m(2021, 3)) == 110)
        let g = Backtest.naivePoint(.lastYearGrowth, known: known, at: Self.m(2020, 6))!
        #expect(abs(g - 110 * pow(1.1, 0.5)) < 1e-9)
        // Irregular dates: the latest figure at least a year before the last, its growth per year.
        let irregular: [(month: Month, value: Double)] = [(Self.m(2018, 12), 100), (Self.m(2019, 9), 120), (Self.m(2023, 12), 200)]
        let gi = Backtest.naivePoint(.lastYearGrowth, known: irregular, at: Self.m(2024, 12))!
        #expect(abs(gi - 200 * pow(200.0 / 120, 12.0 / 51)) < 1e-9)
        // No figure a year before the last: the rule does not apply.
        #expect(Backtest.naivePoint(.lastYearGrowth, known: [(Self.m(2019, 9), 1), (Self.m(2019, 12), 2)], at: Self.m(2020, 12)) == nil)
        // Bands need 5 past errors at the same horizon: a 10% a year rise, monthly, from 2015.
        let monthly = months(from: Self.m(2015, 1), through: Self.m(2019, 12)).enumerated().map { (month: $1, value: 1000 * pow(1.1, Double($0) / 12)) }
        let lv = Backtest.naiveForecast(.lastValue, known: monthly, origin: Self.m(2019, 12), month: Self.m(2020, 3), levels: Self.levels)!
        // Its past 3-month errors are all +2.41% (1.1^(3/12) − 1): the band is that, not symmetric.
        let e = pow(1.1, 0.25) - 1
        #expect(lv.quantiles!.allSatisfy { abs($0 - lv.point * (1 + e)) < 1e-6 })
        let lg = Backtest.naiveForecast(.lastYearGrowth, known: monthly, origin: Self.m(2019, 12), month: Self.m(2020, 3), levels: Self.levels)!
        #expect(lg.quantiles!.allSatisfy { abs($0 - lg.point) < 1e-6 })
        let few = Backtest.naiveForecast(.lastValue, known: Array(monthly.prefix(6)), origin: Self.m(2015, 6), month: Self.m(2015, 9), levels: Self.levels)!
        #expect(few.quantiles == nil)
    }

    /// Last year's growth is taken over a full year: with figures in Dec 2018 (100), Jan 2019 (105) and
    /// Dec 2019 (121), the base is Dec 2018 (12 months back, not Jan 2019, 11 months back): 121 / 100 =
    /// 1.21 a year, so Dec 2020 is 121 × 1.21 = 146.41 and Jun 2020 is 121 × 1.1 = 133.1. With Jan 2019
    /// the earliest figure, nothing is a year before the last: no forecast.
    @Test func lastYearGrowthLooksAFullYearBack() throws {
        let known: [(month: Month, value: Double)] = [(Self.m(2018, 12), 100), (Self.m(2019, 1), 105), (Self.m(2019, 12), 121)]
        let dec = try #require(Backtest.naivePoint(.lastYearGrowth, known: known, at: Self.m(2020, 12)))
        #expect(abs(dec - 146.41) < 1e-9, "\(dec)")
        let jun = try #require(Backtest.naivePoint(.lastYearGrowth, known: known, at: Self.m(2020, 6)))
        #expect(abs(jun - 133.1) < 1e-9, "\(jun)")
        #expect(Backtest.naivePoint(.lastYearGrowth, known: Array(known.dropFirst()), at: Self.m(2020, 12)) == nil)
    }

    @Test func clopperPearsonInterval() {
        // The issue's example: 7 of 9 ⇒ 0.40–0.97.
        let i = BinomialInterval.clopperPearson(successes: 7, trials: 9)
        #expect(abs(i.low - 0.3999) < 5e-4 && abs(i.high - 0.9719) < 5e-4, "\(i)")
        #expect(BinomialInterval.clopperPearson(successes: 0, trials: 5).low == 0)
        #expect(BinomialInterval.clopperPearson(successes: 5, trials: 5).high == 1)
        // The ends in closed form, against scipy.stats.beta.ppf(0.025, 5, 1) and beta.ppf(0.975, 1, 5):
        // GSL's quantile is never asked for a parameter of 0 (it does not return there).
        #expect(abs(BinomialInterval.clopperPearson(successes: 5, trials: 5).low - 0.4781762498950185) < 1e-12)
        #expect(abs(BinomialInterval.clopperPearson(successes: 0, trials: 5).high - 0.5218237501049814) < 1e-12)
        // 1 of 5 and 4 of 5, against scipy: beta.ppf(0.025, 1, 5) = 0.005050, beta.ppf(0.975, 2, 4) = 0.716417.
        let one = BinomialInterval.clopperPearson(successes: 1, trials: 5)
        #expect(abs(one.low - 0.0050507633794680) < 1e-9 && abs(one.high - 0.7164179361180895) < 1e-9, "\(one)")
    }

    /// 300 truths (a logistic coverage curve × (1 + D), D a relative AR(1): TrackingCalibrationTests'
    /// process), monthly 2012–2020; one origin each, drawn between 2018-06 and 2019-12; rkat at
    /// actuals_until = origin with 200 draws. Every truth gives rows for rkat and both rules; the share
    /// of the 6-month-ahead actuals inside rkat's P10–P90 (one per truth, independent) is within a
    /// 3σ binomial margin of 0.8.
    @Test func syntheticTruthHeldNearEightyPercent() {
        let truths = 300
        var held = 0, scored = 0, heldAll = 0, scoredAll = 0
        var methods = Set<Backtest.Method>()
        for r in 0..<truths {
            let rng = RandomStream(seed: RandomStream.seed(20_260_101, "backtest/\(r)"))
            let phi = 0.8, sd = 0.02, share = 0.4, potential = 6_900_000 * 0.4
            let all = months(from: Self.m(2012, 1), through: Self.m(2020, 12))
            var d = [Double](repeating: 0, count: all.count)
            d[0] = rng.gaussian(sd: sd)
            for k in 1..<all.count { d[k] = phi * d[k - 1] + sd * (1 - phi * phi).squareRoot() * rng.gaussian(sd: 1) }
            let history = History(observations: all.indices.map { k in
                .init(month: all[k], region: EngineTests.region, segment: "PU", metric: .active,
                      value: potential * GrowthCurveFunction(model: .logistic, times: [all[k].decimalYear], origin: 2012.0).values(at: [0.5, 0.6, 2016.5])[0] * (1 + d[k]))
            })
            let origin = Self.m(2018, 6).adding(months: Int(rng.uniform() * 19))
            var s = EngineTests.scenario(
                segments: [SegmentPlan(name: "PU", model: .named(.logistic), lapseRatePerYear: 0.2)], shares: ["PU": share],
                actualsUntil: origin, horizon: Self.m(2020, 12))
            s.uncertainty = UncertaintySettings(draws: 200, seed: UInt64(9000 + r), parameters: true, processNoise: true, assumptions: [:])
            let known = History(observations: history.observations.filter { $0.month <= origin })
            guard let cals = try? Calibration.run(s, history: known) else { continue }
            let projection = Engine.project(s, calibrations: cals)
            let mc = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: origin.year + 1, threads: 1))
            let rows = Backtest.score(origin: origin, scenario: s, known: history, projection: projection, monteCarlo: mc, horizon: 12, levels: s.uncertainty.quantiles)
            methods.formUnion(rows.map(\.method))
            #expect(Set(rows.map(\.method)) == Set(Backtest.Method.allCases), "truth \(r)")
            #expect(rows.filter { $0.method == .rkat }.count == 12)
            if let six = rows.first(where: { $0.method == .rkat && $0.horizon == 6 }), let inside = six.inside?.first {
                scored += 1
                if inside { held += 1 }
            }
            for row in rows where row.method == .rkat { scoredAll += 1; if row.inside?.first == true { heldAll += 1 } }
        }
        #expect(scored * 50 >= truths * 49, "\(truths - scored) truths not scored")
        let share = Double(held) / Double(scored)
        let margin = 3 * (0.8 * 0.2 / Double(scored)).squareRoot()
        #expect(abs(share - 0.8) <= margin, "P10–P90 held \(held) of \(scored) at 6 months")
        // All horizons (correlated within a truth, so a looser check).
        let shareAll = Double(heldAll) / Double(scoredAll)
        #expect(abs(shareAll - 0.8) <= 0.1, "P10–P90 held \(heldAll) of \(scoredAll) at 1–12 months")
        print("backtest calibration: P10–P90 held \(held) of \(scored) at 6 months, \(heldAll) of \(scoredAll) at 1–12 months")
    }
}

/// A rule's band comes from its own past errors whose actuals are known at the origin, the origin's
/// own figure included (o′ + h = o). Six monthly figures growing 10% a month, origin June, one month
/// ahead: last value's pseudo-origins January…May are scored on February…June, five errors of
/// exactly +10% (hand), enough (five) for a band: every quantile 161.051 × 1.1 = 177.1561.
@Suite struct NaiveBandOriginTests {
    @Test func theOriginsOwnFigureScoresAPastError() throws {
        let months = (1...6).map { Month(year: 2018, month: $0) }
        let known = zip(months, [100.0, 110, 121, 133.1, 146.41, 161.051]).map { (month: $0, value: $1) }
        let f = try #require(Backtest.naiveForecast(.lastValue, known: known, origin: months[5], month: Month(year: 2018, month: 7), levels: [0.1, 0.5, 0.9]))
        #expect(f.point == 161.051)
        let q = try #require(f.quantiles)
        #expect(q.allSatisfy { abs($0 - 177.1561) < 1e-9 }, "\(q)")
    }
}

/// `Backtest.datedLevers` by hand: undated levers (a constant intensity other than 1, constant villages
/// or cohort size, any reactivation) are left out of past windows; dated ones and neutral ones kept.
@Suite struct DatedLeverTests {
    @Test func undatedLeversAreLeftOutDatedOnesKept() {
        let jan = Month(year: 2019, month: 1)
        var levers = Levers(
            outreach: OutreachLever(intensity: LeverPath(constant: 1.3), elasticity: 1),
            villages: VillageLever(segment: "PU", villagesPerYear: LeverPath(steps: [(jan, 10)], initial: 0), acquisitionsPerVillage: 5),
            reactivation: [ReactivationLever(segment: "PU", sharePerYear: 0.1)])
        var r = Backtest.datedLevers(levers)
        #expect(r.leftOut == ["outreach", "reactivation"])
        #expect(r.kept.outreach == nil && r.kept.villages != nil && r.kept.reactivation.isEmpty)
        levers.outreach = OutreachLever(intensity: LeverPath(constant: 1), elasticity: 1)
        levers.villages = VillageLever(segment: "PU", villagesPerYear: LeverPath(constant: 12), acquisitionsPerVillage: 5)
        levers.reactivation = []
        r = Backtest.datedLevers(levers)
        #expect(r.leftOut == ["villages"] && r.kept.outreach != nil && r.kept.villages == nil)
    }
}

