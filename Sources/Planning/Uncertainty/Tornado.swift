/// The stated assumptions ranked by how far each moves the plan's P50 targets (issue 29: "the three
/// biggest assumptions", computed, not chosen). Monte Carlo is run again with one assumption held at
/// its P10, then at its P90, every other draw of every stream the same as in the plan's own run
/// (`MonteCarlo.Options.pinned`), and the P50 of the total target (the overall total with several
/// regions, else the region's TOTAL) read at each. The swing is the distance between the two.
public enum Tornado {
    public struct Bar: Sendable, Equatable {
        public var assumption: Assumption
        /// The assumption's P10 and P90 (clamped to its range, as Monte Carlo clamps a draw).
        public var low, high: Double
        /// The indicator whose total the swing is measured on.
        public var metric: TargetRow.Metric
        /// The total's P50 with the assumption held at its P10 and at its P90.
        public var atLow, atHigh: Double
        public var swing: Double { abs(atHigh - atLow) }
    }

    /// The indicator a tornado measures: year-end members when the plan has them, else acquisitions.
    public static func metric(_ rows: [TargetRow]) -> TargetRow.Metric? {
        for m in [TargetRow.Metric.active, .acquisitions] where total(rows, m) != nil { return m }
        return nil
    }

    /// The total a tornado reads: the overall row with several regions, else the region's TOTAL, of
    /// persons, on the projection's basis.
    public static func total(_ rows: [TargetRow], _ metric: TargetRow.Metric) -> TargetRow? {
        let totals = rows.filter { $0.isTotal && $0.metric == metric && $0.basis == .projection && $0.countsPersons }
        return totals.first { $0.scope == .overall } ?? (totals.count == 1 ? totals[0] : nil)
    }

    /// One bar per stated assumption, the largest swing first (ties in the scenario's order of
    /// `Assumption`); empty without draws, assumptions or a total of persons.
    public static func compute(
        _ s: Scenario, calibrations: [SegmentCalibration], history: History, projection: Projection, options: MonteCarlo.Options, planYear: Int,
        baseRows: [TargetRow]
    ) -> [Bar] {
        guard options.draws > 0, let metric = metric(baseRows) else { return [] }
        var bars: [Bar] = []
        for a in Assumption.allCases {
            guard let d = options.assumptions[a] else { continue }
            let (low, high) = (a.clamp(d.quantile(0.1)), a.clamp(d.quantile(0.9)))
            func p50(at value: Double) -> Double? {
                var o = options
                o.pinned = [a: value]
                o.quantiles = [0.5]
                let mc = MonteCarlo.run(s, calibrations: calibrations, options: o)
                let rows = Targets.table(s, history: history, projection: projection, monteCarlo: mc, planYear: planYear)
                return total(rows, metric)?.quantiles?.first
            }
            guard let atLow = p50(at: low), let atHigh = p50(at: high) else { continue }
            bars.append(Bar(assumption: a, low: low, high: high, metric: metric, atLow: atLow, atHigh: atHigh))
        }
        let order = Assumption.allCases
        return bars.sorted { $0.swing != $1.swing ? $0.swing > $1.swing : order.firstIndex(of: $0.assumption)! < order.firstIndex(of: $1.assumption)! }
    }
}
