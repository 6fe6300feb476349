import Foundation

/// The monthly stock-flow model of DESIGN.md §2, per region × segment:
///
///     A(t+1) = A(t) + G(t) − λ·A(t) + P(t) + C(t),   0 ≤ A ≤ K(t)
///     G(t)   = x(t)^ε · [ N(A(t)) + λ·A(t) ]    (flows calibration: G = x^ε·g₀)
///
/// N is the fitted curve's exact one-month step. Programme stocks (honorary workers, budget-funded
/// cohorts) are kept apart from the diffusion stock A, and their pools are carved out of the potential
/// while the lever is on, so nobody is counted twice; reported active = A + H + B.
public enum Engine {
    public static func project(
        _ scenario: Scenario, calibrations: [SegmentCalibration], overrides: EngineOverrides = EngineOverrides()
    ) -> Projection {
        var rows: [ProjectionRow] = []
        for cal in calibrations {
            rows += project(cal, scenario: scenario, overrides: overrides)
        }
        return Projection(rows: rows)
    }

    /// Hooks for Monte Carlo (issue 4): replace calibrated values per draw. Defaults change nothing.
    public struct EngineOverrides: Sendable {
        public var lapseMultiplier = 1.0
        public var elasticity: Double? = nil
        public init() {}
    }

    static func project(_ cal: SegmentCalibration, scenario: Scenario, overrides: EngineOverrides) -> [ProjectionRow] {
        let levers = ActiveLevers(scenario: scenario, region: cal.region, segment: cal.segment)
        let elasticity = overrides.elasticity ?? levers.elasticity
        let first = scenario.actualsUntil.adding(months: 1)
        var rows: [ProjectionRow] = []

        if case .flowOnly(let g0) = cal.dynamics {
            for m in months(from: first, through: scenario.horizon) {
                let g = pow(levers.intensity(m), elasticity) * g0
                let v = levers.villageInflow(m)
                rows.append(ProjectionRow(
                    month: m, region: cal.region, segment: cal.segment, potential: cal.potential?.value(at: m),
                    active: nil, grossAcquisitions: g, lapses: nil, honoraryInflow: 0, villageInflow: v,
                    budgetCohortInflow: 0, ceilingAdjustment: nil, netChange: nil, coverage: nil))
            }
            return rows
        }

        let potential = cal.potential!
        let lambda = min(max((cal.monthlyLapseRate ?? 0) * overrides.lapseMultiplier, 0), 1)
        var a = cal.startStock ?? 0
        var h = 0.0, b = 0.0
        var budget = BudgetCohortState()
        // Months before `first` (from the last stock figure to the last month of actuals) are run but not reported.
        for m in months(from: cal.startMonth.adding(months: 1), through: scenario.horizon) {
            let previous = m.adding(months: -1)
            let lNow = potential.value(at: previous), lNext = potential.value(at: m)
            let carveNow = levers.carveOut(previous, budget: budget), carveNext = levers.carveOut(m, budget: budget)
            let kNext = max(lNext - carveNext, 0)

            // Diffusion: the fitted model's own one-month step, or the calibrated flow.
            let x = pow(levers.intensity(m), elasticity)
            var gross: Double
            switch cal.dynamics {
            case .curve(let dyn, let space, _):
                let n: Double
                switch space {
                case .coverage:
                    let sNow = max(lNow - carveNow, 0), sNext = kNext
                    n = sNow > 0 ? sNext * dyn.advance(a / sNow) - a : 0
                case .persons:
                    n = dyn.advance(a) - a
                }
                gross = x * (n + lambda * a)
            case .flows(let g0):
                gross = x * g0
            case .flowOnly:
                gross = 0
            }
            let lapses = lambda * a
            let room = max(kNext - (a - lapses), 0)
            gross = min(max(gross, 0), room)
            let village = min(levers.villageInflow(m), max(room - gross, 0))
            a = a - lapses + gross + village

            // Programme stocks follow their schedules; their pools were carved out of K above.
            let hNext = levers.honoraryStock(m)
            let bNext = budget.advance(to: m, levers: levers)
            let honoraryFlow = hNext - h, budgetFlow = bNext - b
            h = hNext
            b = bNext

            // Keep A + H + B within the potential; the excess leaves through the ceiling adjustment.
            var adjustment = 0.0
            if a + h + b > lNext {
                adjustment = -min(a + h + b - lNext, a)
                a += adjustment
            }
            let active = a + h + b
            guard m >= first else { continue }
            let previousActive = rows.last?.active ?? (active - (gross - lapses + village + honoraryFlow + budgetFlow + adjustment))
            rows.append(ProjectionRow(
                month: m, region: cal.region, segment: cal.segment, potential: lNext, active: active,
                grossAcquisitions: gross, lapses: lapses, honoraryInflow: honoraryFlow, villageInflow: village,
                budgetCohortInflow: budgetFlow, ceilingAdjustment: adjustment, netChange: active - previousActive,
                coverage: lNext > 0 ? active / lNext : nil))
        }
        return rows
    }
}
