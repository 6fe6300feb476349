import Fitting
import Foundation
import Testing

@testable import Planning

/// `interventions` (issue 31, item 2): stock figures in a stated window are left out of the curve's
/// fit and its deviations, the jump-off stays the last actual.
@Suite struct InterventionTests {
    static let truth: [Double] = [0.5, 0.6, 2015.5]  // logistic in coverage (κ, r, t₀), origin 2012.0
    static let potential = 6_900_000 * 0.4

    /// Monthly PU stock on the truth 2012-01 – 2017-12 (±0.2% alternating), the months of `dip` 20% lower.
    static func history(dip: ClosedRange<Month>) -> History {
        History(observations: months(from: Month(year: 2012, month: 1), through: Month(year: 2017, month: 12)).enumerated().map { k, m in
            let curve = potential * GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012.0).values(at: truth)[0]
            let value = curve * (1 + (k % 2 == 0 ? 0.002 : -0.002)) * (dip.contains(m) ? 0.8 : 1)
            return .init(month: m, region: EngineTests.region, segment: "PU", metric: .active, value: value)
        })
    }

    static func calibrate(
        _ h: History, interventions: [Intervention], model: SegmentPlan.ModelSpec = .named(.logistic), parameters: Bool = true
    ) throws -> SegmentCalibration {
        var s = EngineTests.scenario(
            segments: [SegmentPlan(name: "PU", model: model, lapseRatePerYear: 0.2)], shares: ["PU": 0.4])
        s.uncertainty.parameters = parameters
        s.interventions = interventions
        return try Calibration.run(s, history: h)[0]
    }

    static func curve(_ c: SegmentCalibration, _ m: Month) -> Double {
        guard case .curve(let dyn, _, _) = c.dynamics else { return .nan }
        return c.potential!.value(at: m) * dyn.value(at: m.decimalYear)
    }

    /// A 20% dip over 2016-01 – 2016-09: stated, the curve is the truth's within 0.3% at every month;
    /// unstated, the curve bends to the dip (more than 1% off somewhere); the note and the method say so.
    @Test func aStatedDipIsLeftOutOfTheCurve() throws {
        let window = Month(year: 2016, month: 1)...Month(year: 2016, month: 9)
        let h = Self.history(dip: window)
        let stated = try Self.calibrate(h, interventions: [Intervention(from: window.lowerBound, to: window.upperBound, label: "COVID")])
        let unstated = try Self.calibrate(h, interventions: [])
        var worstStated = 0.0, worstUnstated = 0.0
        for m in months(from: Month(year: 2012, month: 1), through: Month(year: 2017, month: 12)) {
            let t = Self.potential * GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012.0).values(at: Self.truth)[0]
            worstStated = max(worstStated, abs(Self.curve(stated, m) / t - 1))
            worstUnstated = max(worstUnstated, abs(Self.curve(unstated, m) / t - 1))
        }
        #expect(worstStated < 0.003, "\(worstStated)")
        #expect(worstUnstated > 0.01, "\(worstUnstated)")
        #expect(stated.method.hasSuffix("(63 points; 9 in interventions left out)"), "\(stated.method)")
        #expect(stated.notes.contains { $0.english.hasPrefix("9 stock figure(s) in the interventions COVID (2016-01–2016-09) left out") })
        // The dip's 9 residuals of −20% would otherwise make the deviations' s several times larger.
        #expect(stated.deviation!.sd < 0.01 && unstated.deviation!.sd > 0.02, "\(stated.deviation!.sd) \(unstated.deviation!.sd)")
        // The fixture's residuals are a deterministic ±0.2% alternation (s 0.01% once it is taken out as
        // a month-of-year pattern), whose changes the variance-shift test reads as a rise in the noise
        // (`noise_rose`): a band of a hundredth of a percent, not this test's subject.
        #expect(stated.fitChecks.filter { $0.code != "noise_rose" }.isEmpty, "\(stated.fitChecks)")
    }

    /// The last actual inside the window: still the jump-off (the data win), 20% below the curve.
    @Test func theJumpOffIsTheLastActualEvenInsideAWindow() throws {
        let window = Month(year: 2017, month: 7)...Month(year: 2017, month: 12)
        let c = try Self.calibrate(Self.history(dip: window), interventions: [Intervention(from: window.lowerBound, to: window.upperBound, label: "banjir")])
        let dec = Month(year: 2017, month: 12)
        #expect(c.lastActual?.month == dec)
        // The ±0.2% alternation is a month-of-year pattern to calibration: reported = curve × (1 + S + D).
        let d = c.deviation!.lastDeviation, season = c.deviation!.seasonality?.effect(dec) ?? 0
        #expect(abs((1 + d) - 0.8) < 0.005, "\(d)")
        #expect(abs(Self.curve(c, dec) * (1 + season + d) / c.lastActual!.value - 1) < 1e-9)
        // 20% below a curve whose deviations' SD is about 0.2%: flagged.
        #expect(c.fitChecks.map(\.code).filter { $0 != "noise_rose" } == ["jump_off_beyond_3sd"], "\(c.fitChecks)")
    }

    /// Fewer than 3 figures would remain: all are kept, said.
    @Test func tooFewLeftKeepsThemAll() throws {
        var notes: [Phrase] = []
        let stock = [(Month(year: 2019, month: 12), 1.0), (Month(year: 2020, month: 6), 0.9), (Month(year: 2021, month: 12), 1.1)].map { (month: $0.0, value: $0.1) }
        let kept = Calibration.outsideInterventions(
            stock, [Intervention(from: Month(year: 2020, month: 3), to: Month(year: 2021, month: 9), label: "COVID")], notes: &notes)
        #expect(kept.count == 3 && notes.count == 1 && notes[0].english.contains("kept: without them 2 would remain"))
        // Three remain: the one inside is left out.
        notes = []
        let four = stock + [(month: Month(year: 2022, month: 6), value: 1.2)]
        let left = Calibration.outsideInterventions(
            four, [Intervention(from: Month(year: 2020, month: 3), to: Month(year: 2021, month: 9), label: "COVID")], notes: &notes)
        #expect(left.map(\.month) == [Month(year: 2019, month: 12), Month(year: 2021, month: 12), Month(year: 2022, month: 6)])
    }
}

/// `FitCheck` by hand (issue 31, item 1): the jump-off beyond 3 deviation SDs, and the residuals' mean
/// against its standard error under AR(1) errors, s·√(Σᵢ Σⱼ φ^|tᵢ − tⱼ|)/n.
/// A lasting intervention (`lasting: true`): the figures before it rescaled to the level after it, the
/// factor estimated with the curve (`LastingLevel`).
@Suite struct LastingLevelTests {
    /// The truth's stock (InterventionTests' logistic, ±0.2% alternating) 10% lower from 2016-04 on, after
    /// a ramp over 2016-01 – 2016-03 (the window stated).
    static func history() -> History {
        History(observations: months(from: Month(year: 2012, month: 1), through: Month(year: 2017, month: 12)).enumerated().map { k, m in
            let curve = InterventionTests.potential * GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012.0).values(at: InterventionTests.truth)[0]
            let j = Double(Month(year: 2015, month: 12).distance(to: m))
            let level = 1 - 0.1 * min(max(j / 4, 0), 1)
            return .init(month: m, region: EngineTests.region, segment: "PU", metric: .active, value: curve * (1 + (k % 2 == 0 ? 0.002 : -0.002)) * level)
        })
    }

    /// Stated as lasting, the shift's factor comes out as the truth's (the 48 figures before it ×0.900,
    /// to 0.2%) and the curve is the truth's ×0.9 within 0.5% at every month after the window; stated as
    /// a window that ends, the curve reads the lower later level as an earlier ceiling and sits more than
    /// 3% above the figures of 2017.
    @Test func aLastingShiftStatedIsEstimatedWithTheCurve() throws {
        let window = (from: Month(year: 2016, month: 1), to: Month(year: 2016, month: 3))
        let h = Self.history()
        let lasting = try InterventionTests.calibrate(h, interventions: [Intervention(from: window.from, to: window.to, label: "COVID", lasting: true)])
        let ending = try InterventionTests.calibrate(h, interventions: [Intervention(from: window.from, to: window.to, label: "COVID")])
        let note = try #require(lasting.notes.first { $0.english.contains("rescaled ×") }).english
        #expect(note.hasPrefix("the 48 stock figure(s) before the lasting intervention COVID (2016-01–2016-03) rescaled ×"), "\(note)")
        let factor = try #require(Double(note.components(separatedBy: "rescaled ×")[1].prefix { $0 != " " }))
        #expect(abs(factor - 0.9) <= 0.002, "\(note)")
        var worstLasting = 0.0, worstEnding = 0.0
        for m in months(from: Month(year: 2016, month: 4), through: Month(year: 2017, month: 12)) {
            let truth = 0.9 * InterventionTests.potential * GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012.0).values(at: InterventionTests.truth)[0]
            worstLasting = max(worstLasting, abs(InterventionTests.curve(lasting, m) / truth - 1))
            worstEnding = max(worstEnding, abs(InterventionTests.curve(ending, m) / truth - 1))
        }
        #expect(worstLasting < 0.005, "\(worstLasting)")
        #expect(worstEnding > 0.03, "\(worstEnding)")
        // What a chart draws beside the actuals: before the window, the curve at the level the figures
        // were recorded at (the truth itself, within 0.5%), after it the truth ×0.9.
        let level = try #require(lasting.lastingLevel)
        #expect(level.from == window.from && abs(level.factor - factor) < 0.0005, "\(level)")
        #expect(ending.lastingLevel == nil)
        for m in [Month(year: 2013, month: 6), Month(year: 2015, month: 12), Month(year: 2017, month: 6)] {
            let truth = (m < window.from ? 1 : 0.9) * InterventionTests.potential * GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012.0).values(at: InterventionTests.truth)[0]
            #expect(abs(try #require(lasting.fittedCurve(at: m)) / truth - 1) < 0.005, "\(m)")
        }
    }

    /// Too few figures after the window to set a level against: the window alone is left out, and said.
    @Test func tooFewFiguresAfterItLeaveTheWindowOnly() throws {
        let window = Intervention(from: Month(year: 2017, month: 6), to: Month(year: 2017, month: 10), label: "COVID", lasting: true)
        let c = try InterventionTests.calibrate(Self.history(), interventions: [window])
        #expect(c.notes.contains { $0.english.hasPrefix("the intervention COVID (2017-06–2017-10) is lasting (lasting: true), but its level cannot be estimated: 65 stock figure(s) before it and 2 after it (it needs 2 and 3)") })
        #expect(!c.notes.contains { $0.english.contains("rescaled ×") })
    }

    /// The profile search on a likelihood known in closed form: ℓ_curve(x) = −50·(x − 0.1)², so with the
    /// rescaling's Jacobian n_before·x (10 figures before) the maximum is at x = 0.1 + 10/100 = 0.2, a
    /// factor of e^0.2 = 1.221 (0.1 without the Jacobian, 1.105), found to the search's tolerance off
    /// the grid's points as well (a second centre 0.237: 0.337, 1.401).
    @Test func theProfileCountsTheRescalingsJacobian() {
        let figures = (0..<16).map { (month: Month(year: 2015, month: 1).adding(months: $0), value: 1000.0) }
        let lasting = Intervention(from: Month(year: 2015, month: 11), to: Month(year: 2015, month: 12), label: "X", lasting: true)
        for (centre, expected) in [(0.1, 0.2), (0.237, 0.337)] {
            var notes: [Phrase] = []
            let (out, factor) = LastingLevel.rescale(figures, lasting, notes: &notes) { f in
                let x = log(f[0].value / 1000)
                return -50 * (x - centre) * (x - centre)
            }
            let x = log(out[0].value / 1000)
            #expect(factor == exp(x))
            #expect(abs(x - expected) <= LastingLevel.tolerance, "\(centre): \(x)")
            #expect(out[9].value == 1000 * exp(x) && out[10].value == 1000 && out[14].value == 1000, "the figures before rescaled, those in the window and after it not")
        }
    }
}

@Suite struct FitCheckTests {
    static func months(_ n: Int) -> [Month] { (0..<n).map { Month(year: 2019, month: 1).adding(months: $0) } }

    @Test func theJumpOffIsFlaggedBeyondThreeSDs() {
        let flat = [Double](repeating: 0, count: 4), t = Self.months(4)
        #expect(FitCheck.checks(residuals: flat, months: t, phi: 0.5, sd: 0.02, jumpOff: 0.07, estimated: false, seed: 1) == [.jumpOffFar(deviation: 0.07, sd: 0.02)])
        #expect(FitCheck.checks(residuals: flat, months: t, phi: 0.5, sd: 0.02, jumpOff: -0.07, estimated: false, seed: 1) == [.jumpOffFar(deviation: -0.07, sd: 0.02)])
        #expect(FitCheck.checks(residuals: flat, months: t, phi: 0.5, sd: 0.02, jumpOff: 0.06, estimated: false, seed: 1).isEmpty)
    }

    /// Four residuals of +1%, s = 0.5%: independent, SE = 0.005·√4/4 = 0.0025 and z = 4, flagged; at
    /// φ = 0.9, Σ φ^|i − j| = 4 + 2·(3·0.9 + 2·0.81 + 0.729) = 14.098, SE = 0.005·√14.098/4 = 0.004693 and
    /// z = 2.13: persistent deviations of one sign are what φ near 1 gives, not flagged.
    @Test func theResidualMeanIsJudgedUnderAR1Errors() {
        let e = [0.01, 0.01, 0.01, 0.01], t = Self.months(4)
        let independent = FitCheck.checks(residuals: e, months: t, phi: 0, sd: 0.005, jumpOff: 0, estimated: false, seed: 1)
        #expect(independent.count == 1)
        if case .residualsOffCentre(let mean, let z) = independent.first {
            #expect(abs(mean - 0.01) < 1e-15 && abs(z - 4) < 1e-9, "\(z)")
        }
        #expect(FitCheck.checks(residuals: e, months: t, phi: 0.9, sd: 0.005, jumpOff: 0, estimated: false, seed: 1).isEmpty)
        #expect(FitCheck.checks(residuals: e.map { -$0 }, months: t, phi: 0, sd: 0.005, jumpOff: 0, estimated: false, seed: 1).map(\.code) == ["residual_mean_off"])
        #expect(FitCheck.checks(residuals: e, months: t, phi: 0.9, sd: 0.005, jumpOff: 0.015, estimated: false, seed: 1).isEmpty)
    }

    /// The standard error at φ = 0.9 by hand, consecutive months and with a gap. Four residuals of
    /// +2%: z = 0.02 / (0.005·√14.098/4) = 4.2615. Three at months 0, 1, 3 (lags 1, 3 and 2):
    /// Σ = 3 + 2·(0.9 + 0.729 + 0.81) = 7.878, z = 0.02 / (0.005·√7.878/3) = 4.2753.
    @Test func theResidualMeanStandardErrorCountsEveryLag() {
        let four = FitCheck.checks(residuals: [0.02, 0.02, 0.02, 0.02], months: Self.months(4), phi: 0.9, sd: 0.005, jumpOff: 0, estimated: false, seed: 1)
        let gapped = [0, 1, 3].map { Month(year: 2019, month: 1).adding(months: $0) }
        let three = FitCheck.checks(residuals: [0.02, 0.02, 0.02], months: gapped, phi: 0.9, sd: 0.005, jumpOff: 0, estimated: false, seed: 1)
        for (checks, expected) in [(four, 0.02 / (0.005 * 14.098.squareRoot() / 4)), (three, 0.02 / (0.005 * 7.878.squareRoot() / 3))] {
            guard case .residualsOffCentre(_, let z) = checks.first else {
                Issue.record("not flagged: \(checks)")
                continue
            }
            #expect(abs(z - expected) < 1e-9 * expected, "z \(z) against \(expected)")
        }
    }
}

/// A band the calibration suite does not vouch for is said (docs/uncertainty.md, "What is left": on
/// 24 monthly figures of its own class rkat's P10–P90 held 0.52 / 0.44, on 36 0.70 / 0.67, on 48
/// 0.72 / 0.80): φ and s estimated from figures spanning fewer than 48 months.
@Suite struct ShortSpanCheckTests {
    @Test func aSpanUnderFortyEightMonthsIsFlaggedWhenPhiAndSAreEstimated() {
        let flat = { (n: Int) in [Double](repeating: 0, count: n) }
        #expect(FitCheck.checks(residuals: flat(47), months: FitCheckTests.months(47), phi: 0.5, sd: 0.02, jumpOff: 0, estimated: true, seed: 1)
            == [.shortSpan(months: 47, mixed: false)])
        #expect(FitCheck.checks(residuals: flat(48), months: FitCheckTests.months(48), phi: 0.5, sd: 0.02, jumpOff: 0, estimated: true, seed: 1).isEmpty)
        #expect(FitCheck.checks(residuals: flat(24), months: FitCheckTests.months(24), phi: 0.5, sd: 0.02, jumpOff: 0, estimated: false, seed: 1).isEmpty)
        // The span, not the count: 12 quarterly figures over 34 months are flagged; 12 over 48 are not.
        let quarterly = { (gap: Int) in (0..<12).map { Month(year: 2019, month: 1).adding(months: $0 * gap) } }
        #expect(FitCheck.checks(residuals: flat(12), months: quarterly(3), phi: 0.5, sd: 0.02, jumpOff: 0, estimated: true, seed: 1).map(\.code)
            == ["short_span_band_too_narrow"])
        let spread = (0..<12).map { Month(year: 2019, month: 1).adding(months: $0 == 11 ? 47 : $0 * 4) }
        #expect(FitCheck.checks(residuals: flat(12), months: spread, phi: 0.5, sd: 0.02, jumpOff: 0, estimated: true, seed: 1).isEmpty)
        // Curves mixed (`model: auto` on a short span, its weights tempered): the second year said.
        #expect(FitCheck.checks(residuals: flat(47), months: FitCheckTests.months(47), phi: 0.5, sd: 0.02, jumpOff: 0, estimated: true, seed: 1, mixed: true)
            == [.shortSpan(months: 47, mixed: true)])
    }

    /// Through calibration: 24 monthly figures are flagged, 48 are not, and 8 (the short-history prior's
    /// φ and s, whose band holds in the prior's world) are not; 24 with `model: auto` for their second
    /// year (one curve's band again without parameter draws).
    @Test func calibrationFlagsTheLastTwentyFourMonthsOnly() throws {
        let whole = InterventionTests.history(dip: Month(year: 2030, month: 1)...Month(year: 2030, month: 1))
        func last(_ n: Int) -> History {
            let from = Month(year: 2017, month: 12).adding(months: -(n - 1))
            return History(observations: whole.observations.filter { $0.month >= from })
        }
        let codes = { (n: Int) in try InterventionTests.calibrate(last(n), interventions: []).fitChecks.map(\.code) }
        #expect(try codes(24).contains("short_span_band_too_narrow"))
        #expect(try !codes(48).contains("short_span_band_too_narrow"))
        #expect(try !codes(8).contains("short_span_band_too_narrow"))
        let c = try InterventionTests.calibrate(last(24), interventions: [])
        let said = try #require(c.fitChecks.first { $0.code == "short_span_band_too_narrow" })
        #expect(said == .shortSpan(months: 24, mixed: false))
        #expect(said.phrase.text(indonesian: true).hasPrefix("kurva bertumpu pada angka 24 bulan (kurang dari 48)"))
        #expect(said.phrase.text(indonesian: false).hasSuffix("read this band as too narrow (a mixture of curves, model: auto with parameter draws, widens it)"))
        // With `model: auto` the same 24 figures are drawn from a mixture of curves: its second year said.
        let mixed = try InterventionTests.calibrate(last(24), interventions: [], model: .auto)
        #expect(mixed.candidates.count > 1)
        #expect(mixed.fitChecks.map(\.code).filter { $0.hasPrefix("short_span") } == ["short_span_second_year_too_narrow"], "\(mixed.fitChecks.map(\.code))")
        let second = try #require(mixed.fitChecks.first { $0.code == "short_span_second_year_too_narrow" })
        #expect(second.phrase.text(indonesian: false).hasSuffix("66% 24 months on (the aim is 80%); read the second year's band as too narrow"))
        // Without parameter draws every draw takes the best curve: one curve's band, said as such.
        let one = try InterventionTests.calibrate(last(24), interventions: [], model: .auto, parameters: false)
        #expect(one.candidates.count > 1)
        #expect(one.fitChecks.map(\.code).filter { $0.hasPrefix("short_span") } == ["short_span_band_too_narrow"], "\(one.fitChecks.map(\.code))")
    }
}

/// The level-shift test (issue 31, item 2): the sup-LR statistic against numpy, its size on AR(1)
/// series without a break, its power on a step, and the flag it raises.
@Suite struct LevelShiftTests {
    /// numpy (`lstsq` on the Prais–Winsten-whitened constant and step, τ = 3…9 of 12):
    /// φ 0: sup n·log(RSS₀/RSS₁) = 16.076073314880936 at τ 7, δ̂ −0.038857142857142854;
    /// φ 0.5: 6.36822417124499 at τ 7, δ̂ −0.03789473684210525.
    @Test func theStatisticMatchesNumpy() {
        let y = [0.01, -0.02, 0.015, 0.0, -0.01, 0.02, 0.005, -0.03, -0.04, -0.025, -0.05, -0.035]
        for (phi, lr, delta) in [(0.0, 16.076073314880936, -0.038857142857142854), (0.5, 6.36822417124499, -0.03789473684210525)] {
            let r = TransientShift.WindowDesign(months: (0..<12).map(Double.init), phi: phi).supLR(y, (3...9).map { ($0, 12) })
            #expect(abs(r.statistic - lr) < 1e-9 && r.window.0 == 7 && abs(r.shift - delta) < 1e-12, "φ \(phi): \(r)")
        }
    }

    /// The search covers the last 24 months, no more: 96 residuals (φ 0, a small wobble) with a −10%
    /// step from index 71, the 25th month from the end, cannot be placed there (the earliest month
    /// searched is index 72); a step from index 72 is found at 72.
    @Test func theSearchCoversTheLastTwentyFourMonths() throws {
        let months = (0..<96).map { Month(year: 2012, month: 1).adding(months: $0) }
        func stepped(at k: Int) -> [Double] { (0..<96).map { 0.002 * sin(Double($0)) - ($0 >= k ? 0.10 : 0) } }
        let early = LevelShift.test(residuals: stepped(at: 71), months: months, phi: 0, sd: 0.01, seed: 1)
        #expect(early.map { $0.month >= months[72] } ?? true, "\(String(describing: early))")
        let edge = try #require(LevelShift.test(residuals: stepped(at: 72), months: months, phi: 0, sd: 0.01, seed: 1))
        #expect(edge.month == months[72])
    }

    /// 96 monthly AR(1) residuals (φ 0.8): without a break the test fires in at most 5% of 400 series
    /// (plus 3.42 binomial SEs); with a step of −8% (s 2%) over the last 12 months, in at least 90%,
    /// found within two months of the true break with the shift within 3 points of −8%.
    @Test func sizeAndPower() {
        let months = (0..<96).map { Month(year: 2012, month: 1).adding(months: $0) }
        let rng = RandomStream(seed: 2026)
        var falseAlarms = 0, found = 0, located = 0
        let r = 400
        for k in 0..<r {
            var e = [Double](repeating: 0, count: 96)
            e[0] = rng.gaussian(sd: 0.02)
            for j in 1..<96 { e[j] = 0.8 * e[j - 1] + 0.02 * (1 - 0.64).squareRoot() * rng.gaussian(sd: 1) }
            if LevelShift.test(residuals: e, months: months, phi: 0.8, sd: 0.02, seed: UInt64(k)) != nil { falseAlarms += 1 }
            let stepped = e.indices.map { $0 >= 84 ? e[$0] - 0.08 : e[$0] }
            if let shift = LevelShift.test(residuals: stepped, months: months, phi: 0.8, sd: 0.02, seed: UInt64(k)) {
                found += 1
                if abs(shift.month.distance(to: months[84])) <= 2 && abs(shift.shift + 0.08) < 0.03 { located += 1 }
            }
        }
        let alarmRate = Double(falseAlarms) / Double(r)
        print("level shift: false alarms \(alarmRate), power \(Double(found) / Double(r)), located \(Double(located) / Double(r))")
        #expect(alarmRate <= 0.05 + 3.42 * (0.05 * 0.95 / Double(r)).squareRoot())
        #expect(found * 10 >= 9 * r && located * 10 >= 8 * r, "found \(found), located \(located) of \(r)")
    }

    /// Through calibration: 96 monthly stocks on a logistic with AR(1) deviations (φ 0.8, s 2%), and the
    /// same with the last 12 months 8% lower. Only the second is flagged, at the step's month; naming the
    /// step as an intervention (its months left out of the fit) leaves too few months after it to test.
    @Test func calibrationFlagsAStepItWasNotTold() throws {
        let rng = RandomStream(seed: 31)
        let months = (0..<96).map { Month(year: 2012, month: 1).adding(months: $0) }
        var d = [rng.gaussian(sd: 0.02)]
        for _ in 1..<96 { d.append(0.8 * d.last! + 0.02 * 0.6 * rng.gaussian(sd: 1)) }
        func calibrate(step: Double, interventions: [Intervention] = []) throws -> SegmentCalibration {
            let history = History(observations: months.enumerated().map { k, m in
                let f = 2_760_000 * GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012).values(at: [0.5, 0.6, 2016.5])[0]
                return .init(month: m, region: EngineTests.region, segment: "PU", metric: .active, value: f * (1 + d[k] + (k >= 84 ? step : 0)))
            })
            var s = EngineTests.scenario(
                segments: [SegmentPlan(name: "PU", model: .named(.logistic), lapseRatePerYear: 0.2)], shares: ["PU": 0.4],
                actualsUntil: Month(year: 2019, month: 12), horizon: Month(year: 2020, month: 12))
            s.interventions = interventions
            return try Calibration.run(s, history: history)[0]
        }
        #expect(!(try calibrate(step: 0)).fitChecks.contains { $0.code == "level_shift" })
        let stepped = try calibrate(step: -0.08)
        let flag = stepped.fitChecks.compactMap { if case .levelShift(let shift, _) = $0 { shift } else { nil } }.first
        #expect(flag?.month == Month(year: 2019, month: 1) && (flag?.pValue ?? 1) < 0.05, "\(stepped.fitChecks)")
        let named = try calibrate(step: -0.08, interventions: [Intervention(from: Month(year: 2019, month: 1), to: Month(year: 2019, month: 12), label: "step")])
        #expect(!named.fitChecks.contains { $0.code == "level_shift" })
    }

    /// One odd last figure is not a level shift: without it, the figures after the break must still have
    /// moved. 30 residuals of
    /// ±1% (alternating) and a last one of −12% (φ 0): a step at the last three figures gives
    /// n·log(RSS₀/RSS₁) = 30·log(0.0168967/0.0124963) = 9.05 (numpy); a step at the last figure alone
    /// would explain the outlier whole (RSS₁ 0.0028966, 52.9). Without the −12%, the rest sit at ±1%.
    @Test func oneOddLastFigureIsNotAShift() {
        let months = (0..<30).map { Month(year: 2017, month: 1).adding(months: $0) }
        var e = (0..<30).map { $0 % 2 == 0 ? 0.01 : -0.01 }
        e[29] = -0.12
        let r = LevelShift.test(residuals: e, months: months, phi: 0, sd: 0.01, seed: 3)
        #expect(r == nil, "\(String(describing: r))")
        // The same −12% on each of the last three figures is a shift (found at the 28th month).
        var three = e
        three[27] = -0.12
        three[28] = -0.12
        #expect(LevelShift.test(residuals: three, months: months, phi: 0, sd: 0.01, seed: 3)?.month == months[27])
        // A shift smaller than the deviation SD is not one to tell: s 0.2 against the same three.
        #expect(LevelShift.test(residuals: three, months: months, phi: 0, sd: 0.2, seed: 3) == nil)
        // Two odd last figures: no break is placed after the third figure from the end (3 points at
        // least from it on), so a step at the 29th month that would fit them exactly is not searched.
        var two = e
        two[28] = -0.12
        let placed = LevelShift.test(residuals: two, months: months, phi: 0, sd: 0.01, seed: 3)
        #expect(placed.map { $0.month <= months[27] } ?? true, "\(String(describing: placed))")
    }

    /// The flag: its code, and a sentence that says the month, the shift and what the projection assumes
    /// (half-life ln 0.5 / ln 0.9 = 6.58 → "7 months").
    @Test func theFlagSaysWhatItAssumes() {
        let check = FitCheck.levelShift(LevelShift(month: Month(year: 2019, month: 1), shift: -0.081, pValue: 0.005), phi: 0.9)
        #expect(check.code == "level_shift")
        let en = check.phrase.text(indonesian: false)
        #expect(en.contains("from 2019-01 sit 8.1% below") && en.contains("half-life 7 months") && en.contains("p 0.005"), "\(en)")
        // What to do about it, in both languages: name it, lasting if it stayed.
        #expect(en.hasSuffix("(with lasting: true if the level did not come back)"), "\(en)")
        #expect(check.phrase.text(indonesian: true).hasSuffix("(dengan lasting: true bila levelnya tidak kembali)"))
    }
}

/// A disturbance that came and went (`TransientShift`): the sup-LR over windows against numpy, its size
/// and power on AR(1) residuals, and through calibration, where the window is left out of the refit.
@Suite struct TransientShiftTests {
    /// numpy (`lstsq` on the Prais–Winsten-whitened constant and window indicator; windows of 6–24 months
    /// with 3 points inside and 6 either side, 32 of them; 24 residuals, a two-month gap after the 10th):
    /// φ 0: sup n·log(RSS₀/RSS₁) = 39.5341595282525 on [7, 13), δ̂ −0.05583333333333335;
    /// φ 0.6: 14.892616410656547 on [7, 13), δ̂ −0.049897704590818354.
    @Test func theStatisticMatchesNumpy() {
        let y = [0.01, -0.02, 0.015, 0.0, -0.01, 0.02, 0.005, -0.03, -0.06, -0.055, -0.07, -0.05, -0.045, 0.01, 0.0, 0.02, -0.01,
                 0.015, 0.005, 0.0, -0.01, 0.02, 0.01, -0.005]
        let first = Month(year: 2017, month: 1)
        let months = (0..<24).map { first.adding(months: $0 < 10 ? $0 : $0 + 1) }
        let windows = TransientShift.windows(months)
        #expect(windows.count == 32)
        for (phi, lr, delta) in [(0.0, 39.5341595282525, -0.05583333333333335), (0.6, 14.892616410656547, -0.049897704590818354)] {
            let r = TransientShift.WindowDesign(months: months.map { Double($0.index) }, phi: phi).supLR(y, windows)
            #expect(abs(r.statistic - lr) < 1e-9 && r.window == (7, 13) && abs(r.shift - delta) < 1e-12, "φ \(phi): \(r)")
        }
    }

    /// 96 monthly AR(1) residuals (φ 0.8, s 2%), 200 series: without a disturbance the test fires in at
    /// most 5% (plus 3.42 binomial SEs). A 12-month dip (3-month ramps in and out) ending two years
    /// before the last figure is found, its window within two months at each end, in about half the
    /// series at −8% (0.525 when written; at least 0.45 here, 2 SEs) and at −12% in at least 90%: with
    /// φ 0.8 a year-long −8% dip is hard to tell from the deviations' own wander. A lasting −8% step
    /// over the last 30 months is not one that came and went (at most 5%).
    @Test func sizeAndPower() {
        let months = (0..<96).map { Month(year: 2012, month: 1).adding(months: $0) }
        let rng = RandomStream(seed: 2027)
        var falseAlarms = 0, steps = 0
        var located = [0, 0]
        let r = 200
        for k in 0..<r {
            var e = [Double](repeating: 0, count: 96)
            e[0] = rng.gaussian(sd: 0.02)
            for j in 1..<96 { e[j] = 0.8 * e[j - 1] + 0.02 * (1 - 0.64).squareRoot() * rng.gaussian(sd: 1) }
            if TransientShift.test(residuals: e, months: months, seed: UInt64(k)) != nil { falseAlarms += 1 }
            // Months 60–71: full depth from the third month in to the third from the end.
            for (i, depth) in [0.08, 0.12].enumerated() {
                let dipped = e.indices.map { j in j < 60 || j > 71 ? e[j] : e[j] - depth * min(1, Double(j - 59) / 3, Double(72 - j) / 3) }
                if let dip = TransientShift.test(residuals: dipped, months: months, seed: UInt64(k)),
                    abs(dip.from.distance(to: months[60])) <= 2 && abs(dip.to.distance(to: months[71])) <= 2
                {
                    located[i] += 1
                }
            }
            let stepped = e.indices.map { $0 >= 66 ? e[$0] - 0.08 : e[$0] }
            if TransientShift.test(residuals: stepped, months: months, seed: UInt64(k)) != nil { steps += 1 }
        }
        let margin = 3.42 * (0.05 * 0.95 / Double(r)).squareRoot()
        print("transient shift: false alarms \(Double(falseAlarms) / Double(r)), found and located at −8% \(Double(located[0]) / Double(r)), at −12% \(Double(located[1]) / Double(r)), lasting steps \(Double(steps) / Double(r))")
        #expect(Double(falseAlarms) / Double(r) <= 0.05 + margin)
        #expect(located[0] * 100 >= 45 * r && located[1] * 10 >= 9 * r, "located \(located) of \(r)")
        #expect(Double(steps) / Double(r) <= 0.05 + margin)
    }

    /// The bootstrap repeats the whole statistic, its two φ estimates included, on each AR(1) series: the
    /// rule that keeps the test's size (estimated once from the observed residuals, it fired in 10% of
    /// histories without a disturbance; `sizeAndPower` checks the size only to its binomial margin).
    /// Pinned on the first of a few dipped histories whose p-value is not at its floor of 1/200, by
    /// redrawing its bootstrap here.
    @Test func theBootstrapRepeatsTheWholeStatistic() {
        let months = (0..<96).map { Month(year: 2012, month: 1).adding(months: $0) }
        let t = months.map { Double($0.index) }
        let windows = TransientShift.windows(months)
        var checked = false
        for k in 0..<40 where !checked {
            let draw = RandomStream(seed: UInt64(100 + k))
            var e = [draw.gaussian(sd: 0.02)]
            for _ in 1..<96 { e.append(0.8 * e.last! + 0.012 * draw.gaussian(sd: 1)) }
            for j in 60...71 { e[j] -= 0.06 * min(1, Double(j - 59) / 3, Double(72 - j) / 3) }
            guard let found = TransientShift.test(residuals: e, months: months, seed: 9), found.pValue > 0.006 else { continue }
            let observed = TransientShift.statistic(e, months: t, windows)
            let rho = observed.design.rho
            let rng = RandomStream(seed: 9)
            var exceed = 0
            var u = [Double](repeating: 0, count: 96)
            for _ in 0..<TransientShift.replicates {
                u[0] = rng.gaussian(sd: 1)
                for i in 1..<96 { u[i] = rho[i - 1] * u[i - 1] + (1 - rho[i - 1] * rho[i - 1]).squareRoot() * rng.gaussian(sd: 1) }
                if TransientShift.statistic(u, months: t, windows).statistic >= observed.statistic { exceed += 1 }
            }
            #expect(found.pValue == Double(exceed + 1) / Double(TransientShift.replicates + 1), "history \(k): p \(found.pValue), exceed \(exceed)")
            checked = true
        }
        #expect(checked, "no dipped history with p above its floor")
    }

    /// Through calibration: 96 monthly stocks on a logistic with AR(1) deviations (φ 0.8, s 2%), and the
    /// same with a −12% dip over 2017-07 – 2018-06 (ramps of 3 months). The dip is found, its figures (and one either side)
    /// are left out of the refit, and the warning gives the curve at the horizon both ways; named under
    /// `interventions`, or absent, nothing is found.
    @Test func calibrationLeavesOutADipItWasNotTold() throws {
        let rng = RandomStream(seed: 33)
        let months = (0..<96).map { Month(year: 2012, month: 1).adding(months: $0) }
        var d = [rng.gaussian(sd: 0.02)]
        for _ in 1..<96 { d.append(0.8 * d.last! + 0.02 * 0.6 * rng.gaussian(sd: 1)) }
        func calibrate(depth: Double, interventions: [Intervention] = [], findDisturbances: DisturbanceSearch = .leaveOut) throws -> SegmentCalibration {
            let history = History(observations: months.enumerated().map { k, m in
                let f = 2_760_000 * GrowthCurveFunction(model: .logistic, times: [m.decimalYear], origin: 2012).values(at: [0.5, 0.6, 2016.5])[0]
                let dip = k < 66 || k > 77 ? 0 : depth * min(1, Double(k - 65) / 3, Double(78 - k) / 3)
                return .init(month: m, region: EngineTests.region, segment: "PU", metric: .active, value: f * (1 + d[k] + dip))
            })
            var s = EngineTests.scenario(
                segments: [SegmentPlan(name: "PU", model: .named(.logistic), lapseRatePerYear: 0.2)], shares: ["PU": 0.4],
                actualsUntil: Month(year: 2019, month: 12), horizon: Month(year: 2020, month: 12))
            s.interventions = interventions
            s.findDisturbances = findDisturbances
            return try Calibration.run(s, history: history)[0]
        }
        #expect(!(try calibrate(depth: 0)).fitChecks.contains { $0.code == "transient_shift_left_out" })
        let dipped = try calibrate(depth: -0.12)
        let flag = dipped.fitChecks.compactMap { c -> (TransientShift, Double, Double?)? in
            if case .transientShift(let dip, _, let with, let without, nil) = c { (dip, with, without) } else { nil }
        }
        #expect(flag.count == 1, "\(dipped.fitChecks)")
        guard let (dip, with, without) = flag.first, let without else { return }
        #expect(abs(dip.from.distance(to: months[66])) <= 2 && abs(dip.to.distance(to: months[77])) <= 2 && dip.shift < -0.05, "\(dip)")
        #expect(dip.leftOut == months[months.firstIndex(of: dip.from)! - 1]...months[months.firstIndex(of: dip.to)! + 1])
        // The refit leaves the window out (the method says so), and at the horizon it is back near the
        // truth's curve (2,760,000 × 0.5/(1 + e^(−0.6·(2020.958 − 2016.5))) = 1,291,000), where the curve
        // fitted across the dip read the recovery as growth (4% above it when written).
        let out = dip.leftOut.lowerBound.distance(to: dip.leftOut.upperBound) + 1
        #expect(dipped.method.contains("(\(96 - out) points; \(out) in a disturbance the figures show left out)"), "\(dipped.method)")
        let truth = 2_760_000 * 0.5 / (1 + exp(-0.6 * (Month(year: 2020, month: 12).decimalYear - 2016.5)))
        #expect(abs(without / truth - 1) < 0.02 && abs(without / truth - 1) < abs(with / truth - 1), "truth \(truth), with \(with), without \(without)")
        let phrase = FitCheck.transientShift(dip, horizon: Month(year: 2020, month: 12), curveWith: 1_000_000, curveWithout: 1_050_000).phrase
        #expect(phrase.text(indonesian: false).contains("the curve at 2020-12 is 1,050,000 without them (1,000,000 with them)"), "\(phrase.text(indonesian: false))")
        let named = try calibrate(depth: -0.12, interventions: [Intervention(from: months[66], to: months[77], label: "COVID")])
        #expect(!named.fitChecks.contains { $0.code == "transient_shift_left_out" }, "\(named.fitChecks)")
        // `find_disturbances: false`: the figures are the planner's, every one fitted, nothing said.
        let kept = try calibrate(depth: -0.12, findDisturbances: .off)
        #expect(!kept.fitChecks.contains { $0.code.hasPrefix("transient_shift") } && kept.method.contains("(96 points)"), "\(kept.method)")
        // `find_disturbances: warn`: said, with the curve both ways, and every figure fitted: the same
        // curve as with the search off, the same curve without the window as when it is left out.
        let warned = try calibrate(depth: -0.12, findDisturbances: .warn)
        let said = warned.fitChecks.compactMap { c -> (TransientShift, Double, Double?)? in
            if case .transientShift(let d, _, let w, let wo, .asked) = c { (d, w, wo) } else { nil }
        }
        #expect(said.count == 1 && said.first?.0 == dip && said.first?.2 == without && warned.method.contains("(96 points)"), "\(warned.fitChecks)")
        #expect(warned.fitChecks.map(\.code).contains("transient_shift_kept") && !warned.fitChecks.map(\.code).contains("transient_shift_left_out"))
        guard case .curve(let warnedCurve, _, _) = warned.dynamics, case .curve(let keptCurve, _, _) = kept.dynamics else {
            Issue.record("no curve")
            return
        }
        #expect(warnedCurve.parameters == keptCurve.parameters && said.first?.1 == with)
        let words = FitCheck.transientShift(dip, horizon: Month(year: 2020, month: 12), curveWith: 1_000_000, curveWithout: 1_050_000, kept: .asked).phrase
        #expect(words.text(indonesian: false).contains("kept in the curve's fit (find_disturbances: warn); the curve at 2020-12 is 1,000,000 with them (1,050,000 without them)"), "\(words.text(indonesian: false))")
        #expect(words.text(indonesian: true).contains("tetap dipakai untuk kurva (find_disturbances: warn); kurva pada 2020-12 1.000.000 dengan angka itu (1.050.000 bila tidak dipakai)"), "\(words.text(indonesian: true))")
        // Where no curve can be fitted without the window, the figures stay in and the warning says why.
        let unfitted = FitCheck.transientShift(dip, horizon: Month(year: 2020, month: 12), curveWith: 1_000_000, curveWithout: nil, kept: .noCurve)
        #expect(unfitted.code == "transient_shift_kept" && unfitted.phrase.text(indonesian: false).contains("kept in the curve's fit (without them no curve could be fitted). Name it"))
    }
}

/// The last figure against where the figures before it led (`FitCheck.lastFigureJump`).
@Suite struct LastFigureJumpTests {
    /// Residuals 0.01·sin(i) for 29 months, then 0.10; φ 0.5. numpy on the same figures: the earlier
    /// innovations' median 0.0005920317379229925 and 1.4826 × MAD 0.00847552832354777; the last
    /// innovation less the median 0.09805343932053767, 11.6 robust SDs: flagged. A last residual of
    /// 0.01·sin(29) + 0.03 is 2.5 of them: not flagged; nor without `estimated` φ and s, nor on the
    /// last 20 figures alone (18 earlier innovations, fewer than the 23 the scale needs).
    @Test func theLastInnovationIsMeasuredByTheEarlierOnesRobustScale() throws {
        let t = (0..<30).map { Month(year: 2019, month: 1).adding(months: $0) }
        let e = (0..<29).map { 0.01 * sin(Double($0)) } + [0.10]
        let checks = FitCheck.checks(residuals: e, months: t, phi: 0.5, sd: 0.05, jumpOff: 0.10, estimated: true, seed: 1)
        guard case .lastFigureJump(let month, let u, let typical) = try #require(checks.first) else {
            Issue.record("not flagged: \(checks)"); return
        }
        #expect(month == t.last!)
        #expect(abs(u - 0.09805343932053767) < 1e-12 && abs(typical - 0.00847552832354777) < 1e-12, "\(u) \(typical)")
        #expect(checks.first?.code == "last_figure_jump")
        #expect(checks.first?.phrase.english.contains("9.8% above where the figures before it led, 12 times") == true, "\(checks.first!.phrase.english)")
        let quiet = (0..<29).map { 0.01 * sin(Double($0)) } + [0.01 * sin(29) + 0.03]
        let codes = { (e: [Double], t: [Month], estimated: Bool) in
            FitCheck.checks(residuals: e, months: t, phi: 0.5, sd: 0.05, jumpOff: 0, estimated: estimated, seed: 1).map(\.code)
        }
        #expect(!codes(quiet, t, true).contains("last_figure_jump"))
        #expect(!codes(e, t, false).contains("last_figure_jump"))
        #expect(!codes(Array(e.suffix(20)), Array(t.suffix(20)), true).contains("last_figure_jump"))
    }

    /// Through calibration with `model: auto` (96 monthly figures on a line, AR(1) φ 0.8, s 1%): the last
    /// figure 13.5% high pulls the fit until the jump-off check alone would not see it (a planner's
    /// trial: exponential, φ 0.99, s ×8); it is flagged, as one 12% low is; on the same histories
    /// untouched, in none of 6.
    @Test func aLastFigureFarOffItsPathIsFlaggedEitherWay() throws {
        var scenario = NoiseRiseTests.scenario
        scenario.segments[0].model = .auto
        for seed in 1...6 {
            let clean = NoiseRiseTests.history(seed: UInt64(seed), after: 0.01)
            let codes = { (factor: Double) throws -> [String] in
                var obs = clean.observations
                obs[obs.count - 1].value *= factor
                return try Calibration.run(scenario, history: History(observations: obs))[0].fitChecks.map(\.code)
            }
            let up = try codes(1.135), down = try codes(0.88), none = try codes(1)
            #expect(up.contains("last_figure_jump") || up.contains("jump_off_beyond_3sd"), "seed \(seed) +13.5%: \(up)")
            #expect(down.contains("last_figure_jump") || down.contains("jump_off_beyond_3sd"), "seed \(seed) −12%: \(down)")
            #expect(!none.contains("last_figure_jump") && !none.contains("jump_off_beyond_3sd"), "seed \(seed) clean: \(none)")
        }
    }
}
