import Fitting
import Foundation
import Testing

@testable import Planning

/// The month-of-year component (docs/engine.md, "Seasonality").
@Suite struct SeasonalityTests {
    /// Against numpy/scipy 1.17.1: e = S(month) + 0.01·sin(1.7t) + 0.006·cos(0.37t²), t = 0…35 monthly;
    /// the effects are the centred month means; ℓ the concentrated AR(1) log-likelihood
    /// −n/2·log(S(φ)/n) − ½Σlog(1 − φ^(2Δ)) maximised over φ ∈ [0, 0.999]
    /// (`minimize_scalar(method="bounded", xatol=1e-12)`), r = exp(2(ℓ₁ − ℓ₀)/n), F = (r − 1)·23/11
    /// → F 4.650488273092925, p (`scipy.stats.f.sf(F, 11, 23)`) 0.0009243763979897192.
    @Test func effectsAndTheTestMatchScipy() throws {
        let truth = [-0.03, -0.01, 0.0, 0.01, 0.015, 0.02, 0.01, 0.0, -0.005, -0.01, 0.0, 0.0]
        let centre = truth.reduce(0, +) / 12
        let e: [(month: Month, value: Double)] = (0..<36).map { k in
            let t = Double(k)
            return (Month(year: 2016, month: 1).adding(months: k), truth[k % 12] - centre + 0.01 * sin(1.7 * t) + 0.006 * cos(0.37 * t * t))
        }
        let (s, note) = Seasonality.estimate(e)
        let found = try #require(s, "\(note)")
        let expected = [-0.026631954121604445, -0.007793630734356994, -0.006273502719265013, 0.009225388364871507, 0.02082645661327154,
                        0.014145129491760753, 0.010823805586451959, 0.000535016053860861, -0.007300110072059354, -0.011422547407810948,
                        -0.0015657413056700804, 0.005431690250550216]
        for (a, b) in zip(found.effects, expected) { #expect(abs(a - b) < 1e-12) }
        #expect(abs(found.statistic - 4.650488273092925) < 1e-7, "F \(found.statistic)")
        #expect(abs(found.pValue - 0.0009243763979897192) < 1e-9)
        #expect(note.hasPrefix("month of year (F 4.65 on 11 and 23 dof"), "\(note)")
    }

    /// Exactly two full years are enough (docs/engine.md: "two full years"): a strong month-of-year
    /// pattern over 24 months is found, tested on 11 and 24 − 13 = 11 dof.
    @Test func twoFullYearsAreEnough() throws {
        let truth = [-0.06, -0.02, 0.0, 0.02, 0.03, 0.04, 0.02, 0.0, -0.01, -0.02, 0.0, 0.0]
        let e: [(month: Month, value: Double)] = (0..<24).map { k in
            (Month(year: 2016, month: 1).adding(months: k), truth[k % 12] + 0.002 * sin(1.7 * Double(k)))
        }
        let (s, note) = Seasonality.estimate(e)
        let found = try #require(s, "\(note)")
        #expect(found.denominatorDof == 11 && note.contains("on 11 and 11 dof"), "\(note)")
    }

    /// Fewer than two figures for some calendar month: none, said why; an AR(1) series without a
    /// pattern: not significant.
    @Test func noneWithoutTwoYearsOrWithoutAPattern() {
        let short: [(month: Month, value: Double)] = (0..<23).map { (Month(year: 2016, month: 1).adding(months: $0), 0.01 * sin(Double($0))) }
        let (a, whyA) = Seasonality.estimate(short)
        #expect(a == nil && whyA.contains("fewer than 2 full years"))
        let rng = RandomStream(seed: 4)
        var d = 0.0
        let noise: [(month: Month, value: Double)] = (0..<96).map { k in
            d = 0.6 * d + 0.02 * rng.gaussian(sd: 1)
            return (Month(year: 2012, month: 1).adding(months: k), d)
        }
        let (b, whyB) = Seasonality.estimate(noise)
        #expect(b == nil && whyB.contains("not significant"), "\(whyB)")
    }

    /// A seasonal history (January −4%, June +3% on a logistic coverage curve, small AR(1) deviations):
    /// calibration finds the pattern, every month of the deterministic projection is the curve path
    /// times 1 + S + φ^h·D(start), and Monte Carlo's draws all still start at the last actual.
    @Test func aSeasonalHistoryIsProjectedWithItsSeasons() throws {
        var truth = [Double](repeating: 0, count: 12)
        truth[0] = -0.04
        truth[5] = 0.03
        let centre = truth.reduce(0, +) / 12
        let rng = RandomStream(seed: 8)
        var d = 0.0
        var obs: [History.Observation] = []
        for m in Planning.months(from: Month(year: 2012, month: 1), through: Month(year: 2019, month: 12)) {
            let u = GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012.0).values(at: [0.5, 0.6, 2016.5])[0]
            obs.append(.init(month: m, region: EngineTests.region, segment: "PU", metric: .active, value: 2_760_000 * u * (1 + truth[m.month - 1] - centre + d)))
            d = 0.5 * d + 0.005 * rng.gaussian(sd: 1)
        }
        var s = EngineTests.scenario(
            segments: [SegmentPlan(name: "PU", model: .named(.logistic), lapseRatePerYear: 0.2)], shares: ["PU": 0.4],
            actualsUntil: Month(year: 2019, month: 12), horizon: Month(year: 2021, month: 12))
        let cal = try Calibration.run(s, history: History(observations: obs))[0]
        let season = try #require(cal.deviation?.seasonality, "\(cal.deviation?.seasonalitySource ?? "")")
        // Each effect is the mean of 8 deviations (SD about 0.0058/√8 = 0.002): within 3.7 SD.
        for m in 0..<12 { #expect(abs(season.effects[m] - (truth[m] - centre)) < 0.0075, "month \(m + 1): \(season.effects[m])") }
        guard case .curve(let dyn, _, _) = cal.dynamics else { Issue.record("not a curve"); return }
        let dev = cal.deviation!
        let rows = Engine.project(s, calibrations: [cal]).rows(region: EngineTests.region, segment: "PU")
        for (h, row) in rows.enumerated() {
            let m = Month(year: 2020, month: 1).adding(months: h)
            // The curve path: with λ and no levers the engine's A follows the curve on the potential.
            let path = 2_760_000 * dyn.value(at: m.decimalYear)
            let expected = path * (1 + season.effect(m) + pow(dev.phi, Double(h + 1)) * dev.startDeviation)
            #expect(abs(row.active! / expected - 1) < 2e-4, "\(m): \(row.active!) vs \(expected)")
        }
        s.uncertainty = UncertaintySettings(draws: 500, seed: 2, parameters: true, processNoise: true, assumptions: [:])
        let batch = MonteCarloTests.prepared(cal, s, draws: 500, planYear: 2020).batch
        for i in 0..<500 {
            #expect(abs(batch.start[i] * (1 + season.effect(dev.lastMonth) + batch.dev0[i]) / dev.lastValue - 1) < 1e-12, "draw \(i)")
        }
    }

    /// The 11 effects come out of the same figures as the curve: s is the Prais–Winsten residuals' root
    /// mean square on n − p − 11 dof (96 − 3 − 11 = 82), not n − p (before, 6% too small a band).
    /// Hand arithmetic on the calibration's own curve, φ and S: the relative residuals of the figures
    /// divided by 1 + S (what the GLS fit is fitted to), whitened at φ.
    @Test func sHasTheDegreesOfFreedomLeftAfterTheEffects() throws {
        var truth = [Double](repeating: 0, count: 12)
        truth[0] = -0.04
        truth[5] = 0.03
        let rng = RandomStream(seed: 8)
        var d = 0.0
        var obs: [History.Observation] = []
        for m in Planning.months(from: Month(year: 2012, month: 1), through: Month(year: 2019, month: 12)) {
            let u = GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012.0).values(at: [0.5, 0.6, 2016.5])[0]
            obs.append(.init(month: m, region: EngineTests.region, segment: "PU", metric: .active, value: 2_760_000 * u * (1 + truth[m.month - 1] + d)))
            d = 0.5 * d + 0.01 * rng.gaussian(sd: 1)
        }
        let s = EngineTests.scenario(
            segments: [SegmentPlan(name: "PU", model: .named(.logistic), lapseRatePerYear: 0.2)], shares: ["PU": 0.4],
            actualsUntil: Month(year: 2019, month: 12), horizon: Month(year: 2020, month: 12))
        let cal = try Calibration.run(s, history: History(observations: obs))[0]
        let dev = try #require(cal.deviation)
        let season = try #require(dev.seasonality, "\(dev.seasonalitySource)")
        guard case .curve(let curve, _, _) = cal.dynamics else { Issue.record("not a curve"); return }
        let e = obs.map { $0.value / (1 + season.effect($0.month)) / (2_760_000 * curve.value(at: $0.month.decimalYear)) - 1 }
        var sum = e[0] * e[0]
        for i in 1..<e.count { sum += pow(e[i] - dev.phi * e[i - 1], 2) / (1 - dev.phi * dev.phi) }
        #expect(dev.dof == 82, "\(dev.source)")
        #expect(abs(dev.sd / (sum / 82).squareRoot() - 1) < 1e-6, "s \(dev.sd), by hand \((sum / 82).squareRoot()) (on n − p: \((sum / 93).squareRoot()))")
        // The standard errors calibration.csv prints are on the same dof: the GLS covariance at the
        // fitted θ and φ with σ̂² = RSS/82 (`SerialCorrelation.covariance`, checked against numpy in
        // CurveFallbackTests).
        guard case .curve(_, _, let fit) = cal.dynamics, let drawn = fit.covariance else { Issue.record("no covariance"); return }
        #expect(abs(try #require(fit.residualSD) / dev.sd - 1) < 1e-12)
        let times = obs.map(\.month.decimalYear)
        let expected = try #require(SerialCorrelation.covariance(
            GrowthCurveFunction(model: .logistic, times: times, origin: curve.origin), y: obs.map { $0.value / (1 + season.effect($0.month)) / 2_760_000 },
            months: obs.map { Double($0.month.index) }, phi: dev.phi, relative: true, theta: curve.parameters, dof: 82))
        for j in 0..<3 {
            #expect(abs(drawn[j * 3 + j] / expected.covariance[j * 3 + j] - 1) < 1e-4, "parameter \(j): \(drawn[j * 3 + j]) against \(expected.covariance[j * 3 + j])")
            #expect(abs(try #require(fit.parameters[j].standardError) / expected.covariance[j * 3 + j].squareRoot() - 1) < 1e-4)
        }
    }

    /// Flows too: three years of monthly acquisitions of a flow-only segment with a January dip (−30%)
    /// and a December peak (+20%): the pattern is found, and every projected month's acquisitions are
    /// g₀ × (1 + S)·(1 + φ^h·D(last)), so monthly phasing follows the seasons.
    @Test func flowOnlyAcquisitionsFollowTheirSeasons() throws {
        var truth = [Double](repeating: -0.01, count: 12)
        truth[0] = -0.3
        truth[11] = 0.2
        let centre = truth.reduce(0, +) / 12
        var obs: [History.Observation] = []
        for (k, m) in Planning.months(from: Month(year: 2017, month: 1), through: Month(year: 2019, month: 12)).enumerated() {
            obs.append(.init(month: m, region: EngineTests.region, segment: "JAKON", metric: .acquisitions,
                             value: 60_000 * (1 + truth[m.month - 1] - centre + 0.01 * sin(2.1 * Double(k)))))
        }
        let s = EngineTests.scenario(
            segments: [SegmentPlan(name: "JAKON", flowOnly: true)], shares: [:],
            actualsUntil: Month(year: 2019, month: 12), horizon: Month(year: 2020, month: 12))
        let cal = try Calibration.run(s, history: History(observations: obs))[0]
        let dev = try #require(cal.deviation)
        let season = try #require(dev.seasonality, "\(dev.seasonalitySource)")
        guard case .flowOnly(let g0) = cal.dynamics else { Issue.record("not flow-only"); return }
        let rows = Engine.project(s, calibrations: [cal]).rows(region: EngineTests.region, segment: "JAKON")
        for (h, row) in rows.enumerated() {
            let m = Month(year: 2020, month: 1).adding(months: h)
            let expected = g0 * (1 + season.effect(m)) * (1 + pow(dev.phi, Double(h + 1)) * dev.lastDeviation)
            #expect(abs(row.grossAcquisitions / expected - 1) < 1e-9, "\(m): \(row.grossAcquisitions) vs \(expected)")
        }
        #expect(rows[0].grossAcquisitions < 0.8 * rows[6].grossAcquisitions && rows[11].grossAcquisitions > 1.1 * rows[6].grossAcquisitions)
    }

    /// Flows (issue 31, item 5): a pattern the test does not keep is shrunk by max(0, 1 − 9/(11·F)), not
    /// dropped. 24 months of a weak pattern (±1.5%) in noise: not kept at 1%; each effect is the centred
    /// month mean (by hand here) times the factor; a kept pattern is taken whole, and pure alternation
    /// (F < 9/11) gives none.
    @Test func flowsShrinkAPatternTheTestDoesNotKeep() throws {
        let truth = [-0.015, -0.01, 0.0, 0.005, 0.01, 0.015, 0.01, 0.0, -0.005, -0.01, 0.0, 0.0]
        let e: [(month: Month, value: Double)] = (0..<24).map { k in
            let t = Double(k)
            let noise: Double = 0.02 * sin(1.7 * t) + 0.015 * cos(0.37 * t * t)
            return (Month(year: 2016, month: 1).adding(months: k), truth[k % 12] + noise)
        }
        let (raw, _) = Seasonality.estimate(e)
        #expect(raw == nil)
        let (shrunk, note) = Seasonality.shrunk(e)
        let pattern = try #require(shrunk, "\(note)")
        #expect(!pattern.kept && pattern.statistic > 9.0 / 11)
        let factor = 1 - 9 / (11 * pattern.statistic)
        #expect(abs(pattern.shrinkage - factor) < 1e-15)
        let means = (0..<12).map { j in (e[j].value + e[j + 12].value) / 2 }
        let centre = means.reduce(0, +) / 12
        for j in 0..<12 { #expect(abs(pattern.effects[j] - (means[j] - centre) * factor) < 1e-15) }
        #expect(note.contains("shrunk to \(NumberText.fixed(factor * 100, 0))% (James–Stein)"), "\(note)")
        // Kept: unchanged.
        let strong: [(month: Month, value: Double)] = e.map { x in
            let v: Double = x.value * 0.1 + truth[x.month.month - 1] * 4
            return (x.month, v)
        }
        let (kept, _) = Seasonality.shrunk(strong)
        #expect(kept?.kept == true && kept?.shrinkage == 1)
        // Pure alternation: month means the same in both years, F below 9/11 or the pattern nil.
        let flat: [(month: Month, value: Double)] = (0..<24).map { k in (Month(year: 2016, month: 1).adding(months: k), k % 2 == 0 ? 0.01 : -0.01) }
        if let f = Seasonality.shrunk(flat).0 { #expect(f.statistic > 9.0 / 11) }
    }

    /// An effect's standard error by hand: two years, φ 0.6, s 0.1, half kept:
    /// √(0.5 · 0.01/2 · (1 + 2·(1 − 1/2)·0.6¹²)) = √(0.0025·1.002176782) = 0.0500543.
    @Test func anEffectsStandardError() {
        var p = Seasonality(effects: [Double](repeating: 0, count: 12), statistic: 2, denominatorDof: 11, pValue: 0.1)
        p.shrinkage = 0.5
        p.years = 2
        #expect(abs(p.effectSE(phi: 0.6, sd: 0.1) - (0.0025 * (1 + pow(0.6, 12))).squareRoot()) < 1e-15)
        #expect(abs(p.effectSE(phi: 0.6, sd: 0.1) - 0.0500543) < 1e-7)
    }
}
