/// Whether the history reaches `actuals_until` (docs/scenario-format.md, "History freshness"): a month
/// up to `actuals_until` is run as realised, so each region × segment (and each branch with rows of
/// its own) must have a figure the engine starts from (its stock, or its acquisitions, monthly or
/// year to date) in `actuals_until` or later. A history nobody updated would otherwise have its
/// missing months taken as realised: no lever acts on them and the year's flows lose them.
public enum HistoryFreshness {
    public struct Stale: Sendable, Equatable {
        public var region: String
        public var segment: String
        /// The last month the history has a stock or acquisitions figure for the cell.
        public var last: Month
    }

    /// The metrics the engine starts from: the stock, and the flows that carry it to `actuals_until`.
    static let startingMetrics: [History.Metric] = [.active, .acquisitions, .acquisitionsYTD]

    /// The cells whose figures stop before `actuals_until`, in the scenario's order; a cell without
    /// any figure (a segment calibrated on stated assumptions) and a segment marked `ended` are not.
    public static func stale(_ s: Scenario, history: History) -> [Stale] {
        let places = s.regions.flatMap { r in [r.name] + r.branches.map(\.name).filter { history.regions.contains($0) } }
        var out: [Stale] = []
        for place in places {
            for seg in s.segments where seg.ended == nil {
                let months = startingMetrics.flatMap { history.series(region: place, segment: seg.name, metric: $0).map(\.month) }
                guard let last = months.max(), last < s.actualsUntil else { continue }
                out.append(Stale(region: place, segment: seg.name, last: last))
            }
        }
        return out
    }
}
