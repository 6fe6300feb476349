import Foundation
import Testing

@testable import Planning

/// The deviation of a flow calibration (docs/engine.md, "Deviations"): acquisitions = g₀ × (1 + D),
/// s the spread of the monthly figures around g₀, the jump-off D(last) decaying as φ^h from the last
/// figure, also over the months between it and `actuals_until`.
@Suite struct FlowDeviationTests {
    typealias O = RuleOracleTests

    /// A flow-only JAKON with the given monthly acquisitions, the last in Dec 2017 unless `last` says.
    static func flowOnly(_ values: [Double], last: Month = O.dec2017) -> (Scenario, History) {
        var s = O.scenario()
        s.segments = [SegmentPlan(name: "JAKON", flowOnly: true)]
        let first = last.adding(months: 1 - values.count)
        let h = History(observations: values.enumerated().map { k, v in
            .init(month: first.adding(months: k), region: O.region, segment: "JAKON", metric: .acquisitions, value: v)
        })
        return (s, h)
    }

    /// s is the sample SD of the relative deviations, n − 1 in the denominator: 8,000, 12,000, 8,000,
    /// 12,000 around g₀ = 10,000 are ∓20%, s = √(4 × 0.2² / 3) = √0.053333 = 0.23094 (not √(4 × 0.2² / 4)
    /// = 0.2), as calibration.csv states it. The same as the SD of the figures over g₀: 2,309.4 / 10,000.
    @Test func theSpreadOfFlowDeviationsHasNMinusOneDegreesOfFreedom() throws {
        let (s, h) = Self.flowOnly([8_000, 12_000, 8_000, 12_000])
        let cal = try Calibration.run(s, history: h)[0]
        guard case .flowOnly(let g0) = cal.dynamics else {
            Issue.record("expected a flow-only calibration")
            return
        }
        #expect(g0 == 10_000)
        let d = try #require(cal.deviation)
        #expect(O.close(d.sd, (4 * 0.04 / 3.0).squareRoot()), "\(d.sd)")
        #expect(d.source.contains("s 0.231"), "\(d.source)")
        #expect(d.dof == 3)
    }

    /// The last figure (Sep 2017) is 3 months before `actuals_until`: its deviation has decayed by
    /// φ³ when the projection starts. Jan–Sep 2017: seven months of 10,000, 9,000 and 11,000, so
    /// g₀ = 90,000 / 9 = 10,000 and D(Sep) = 11,000 / 10,000 − 1 = 0.1; nine figures are too few for φ,
    /// which is then the default's centre (0.85 + 0.99) / 2 = 0.92. With the draws' noise off every draw
    /// is the central path: January 2018 (4 months after the last figure) is 10,000 × (1 + 0.92⁴ × 0.1)
    /// = 10,716.39, December 2018 10,000 × (1 + 0.92¹⁵ × 0.1); not 10,000 × (1 + 0.92 × 0.1) = 10,920
    /// as when the jump-off starts undecayed at `actuals_until`.
    @Test func theJumpOffDecaysOverTheMonthsBeforeActualsUntil() throws {
        var (s, h) = Self.flowOnly([10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 10_000, 9_000, 11_000], last: O.month(2017, 9))
        s.uncertainty = UncertaintySettings(draws: 50, seed: 3, parameters: false, processNoise: false, assumptions: [:])
        let cals = try Calibration.run(s, history: h)
        let d = try #require(cals[0].deviation)
        #expect(d.gap == 3 && O.close(d.phi, 0.92) && O.close(d.lastDeviation, 0.1))
        let r = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: 2018))
        let cell = try #require(r.cell(O.region, "JAKON"))
        #expect(cell.months.first == O.month(2018, 1) && cell.months.count == 12)
        for (k, month) in cell.months.enumerated() {
            let h = Double(4 + k)  // months after Sep 2017
            let expected = 10_000 * (1 + pow(0.92, h) * 0.1)
            for level in cell.acquisitions.values.indices {
                #expect(O.close(cell.acquisitions.values[level][k], expected), "\(month) level \(level): \(cell.acquisitions.values[level][k]) vs \(expected)")
            }
        }
        // The deterministic projection says the same.
        let rows = Engine.project(s, calibrations: cals).rows
        #expect(O.close(rows[0].grossAcquisitions, 10_000 * (1 + pow(0.92, 4) * 0.1)))
    }
}

/// φ of monthly acquisitions needs 12 consecutive figures, no more (docs/uncertainty.md): with 12
/// it is estimated (its range is not the default's), with 11 it is the stated default, s from the
/// spread either way.
@Suite struct FlowDeviationMinimumTests {
    static func flows(_ n: Int) -> MonthlyFlows {
        let h = History(observations: (0..<n).map { k in
            .init(month: Month(year: 2017, month: 12).adding(months: -k), region: "R", segment: "JAKON", metric: .acquisitions, value: 1_000 + 50 * sin(Double(k)))
        })
        return MonthlyFlows(history: h, region: "R", segment: "JAKON", until: Month(year: 2017, month: 12))
    }

    /// With a month-of-year pattern, s has n − 12 degrees of freedom (the mean and 11 free effects;
    /// issue 31): 24 months around g₀ = 1,000 alternating ±20% by calendar month, every month of 2016
    /// 1% above its pattern and of 2017 1% below. The pattern is the months' means (±20%); what is
    /// left is ±1% in 24 months: s = √(24 × 0.01² / 12) = 0.0141421, not √(24 × 0.01² / 23) = 0.0102.
    @Test func theSpreadAroundAMonthOfYearPatternCountsItsEffects() throws {
        let last = Month(year: 2017, month: 12)
        let h = History(observations: (0..<24).map { k in
            let m = last.adding(months: -k)
            let pattern = m.month % 2 == 1 ? 0.2 : -0.2, year = m.year == 2016 ? 0.01 : -0.01
            return .init(month: m, region: "R", segment: "JAKON", metric: .acquisitions, value: 1_000 * (1 + pattern + year))
        })
        let d = try #require(DeviationModel.ofFlows(MonthlyFlows(history: h, region: "R", segment: "JAKON", until: last), g0: 1_000, start: last))
        #expect(d.seasonality != nil, "\(d.seasonalitySource)")
        #expect(d.dof == 12)
        #expect(abs(d.sd - 0.000_2.squareRoot()) < 1e-12, "\(d.sd)")
    }

    @Test func twelveMonthsEstimatePhiElevenDoNot() throws {
        let twelve = try #require(DeviationModel.ofFlows(Self.flows(12), g0: 1_000, start: Month(year: 2017, month: 12)))
        #expect(twelve.phiRange == nil && twelve.source.hasPrefix("monthly acquisitions 2017-01–2017-12 (12)"), "\(twelve.source)")
        let eleven = try #require(DeviationModel.ofFlows(Self.flows(11), g0: 1_000, start: Month(year: 2017, month: 12)))
        #expect(eleven.phiRange == DeviationModel.defaultPhi && eleven.source.hasPrefix("monthly acquisitions (11, too few for φ)"), "\(eleven.source)")
    }
}
