import Fitting
import Foundation

/// The monthly stock-flow model of docs/engine.md, per region × segment:
///
///     A(t+1) = A(t) + G(t) − λ·A(t) + P(t) + C(t),   0 ≤ A ≤ K(t)
///     G(t)   = x(t)^ε · [ N(A(t)) + λ·A(t) ]    (flows calibration: G = x^ε·g₀)
///
/// N is the fitted curve's exact one-month step. Programme stocks (honorary workers, budget-funded
/// cohorts) are kept apart from the diffusion stock A, and their pools are carved out of the potential
/// while the lever is on, so nobody is counted twice; reported active = A + H + B.
/// The arithmetic lives in `CellSimulator`, shared with Monte Carlo.
public enum Engine {
    public static func project(_ scenario: Scenario, calibrations: [SegmentCalibration]) -> Projection {
        var rows: [ProjectionRow] = []
        var starts: [Projection.Start] = []
        var warnings: [Phrase] = []
        for cal in calibrations {
            let sim = CellSimulator(cal, scenario: scenario)
            let months = Array(sim.reportedMonths)
            var previous = cal.isFlowOnly ? 0 : (cal.startStock ?? 0)
            var cellRows: [ProjectionRow] = []
            var start: Double? = nil
            var cut: (first: Month, persons: Double)? = nil
            sim.run(DrawBatch(central: sim, capacity: 1), in: BatchWorkspace(capacity: 1), start: { start = $0.active[0] }) { k, w in
                let s = (potential: w.potential[0], active: w.active[0], gross: w.gross[0], lapses: w.lapses[0],
                         honoraryFlow: w.honoraryFlow[0], village: w.village[0], budgetFlow: w.budgetFlow[0], adjustment: w.adjustment[0],
                         deviationChange: w.deviationChange[0])
                let iuran = sim.iuran.map { sim.iuranDue(w, 0) * $0.collection }
                if cal.isFlowOnly {
                    var row = ProjectionRow(
                        month: months[k], region: cal.region, segment: cal.segment, potential: cal.potential.map { _ in s.potential },
                        active: nil, grossAcquisitions: s.gross, lapses: nil, honoraryChange: 0, villageInflow: s.village,
                        budgetCohortChange: 0, ceilingAdjustment: nil, netChange: nil, coverage: nil)
                    row.iuran = iuran
                    cellRows.append(row)
                    return
                }
                if k == 0 {
                    previous = start ?? s.active - (s.gross - s.lapses + s.village + s.honoraryFlow + s.budgetFlow + w.reactivationFlow[0] + s.adjustment + s.deviationChange)
                }
                var row = ProjectionRow(
                    month: months[k], region: cal.region, segment: cal.segment, potential: s.potential, active: s.active,
                    grossAcquisitions: s.gross, lapses: s.lapses, honoraryChange: s.honoraryFlow, villageInflow: s.village,
                    budgetCohortChange: s.budgetFlow, ceilingAdjustment: s.adjustment, netChange: s.active - previous,
                    coverage: s.potential > 0 ? s.active / s.potential : nil, deviationChange: s.deviationChange)
                row.programmeJoiners = w.programmeJoined[0]
                row.programmeLeavers = w.programmeLeft[0]
                row.iuran = iuran
                row.reactivations = w.reactivated[0]
                row.reactivationChange = w.reactivationFlow[0]
                cellRows.append(row)
                if w.programmeCut[0] > 0.5 { cut = (cut?.first ?? months[k], (cut?.persons ?? 0) + w.programmeCut[0]) }
                previous = s.active
            }
            rows += cellRows
            if let cut {
                warnings.append(Phrase { l in
                    "\(cal.region) \(cal.segment): " + l.t(
                        "\(l.n(cut.persons)) peserta program yang direncanakan mulai \(cut.first) tidak muat dalam potensi yang belum tercakup; kohort dibatasi di sana (peserta yang sudah terhitung tetap)",
                        "\(l.n(cut.persons)) planned programme members from \(cut.first) on do not fit in the uncovered potential; the cohort is capped there (members already counted are kept)")
                })
            }
            if let start, !cal.isFlowOnly {
                starts.append(.init(region: cal.region, segment: cal.segment, month: scenario.actualsUntil, active: start))
            }
        }
        var projection = Projection(rows: rows, starts: starts, warnings: warnings)
        projection.iuranCalibrations = calibrations.compactMap { c in c.iuran.map { (c.region, c.segment, $0) } }
        for c in calibrations {
            switch c.dynamics {
            case .flows, .flowOnly:
                if c.deviation?.trend?.chosen == true {
                    projection.withHistoryTrend.insert(CellKey(c.region, c.segment))
                } else {
                    projection.atLastYearsPace.insert(CellKey(c.region, c.segment))
                    if c.deviation?.trend != nil { projection.trendInSomeDraws.insert(CellKey(c.region, c.segment)) }
                }
            case .curve: break
            }
        }
        return projection
    }
}
