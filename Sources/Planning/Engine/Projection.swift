/// One month of one region × segment. Stock columns are nil for flow-only segments.
/// The books close every month: active(t) = active(t−1) + gross − lapses + honorary + villages
/// + budget cohorts + reactivated stock change + ceiling adjustment + deviation change (docs/engine.md,
/// "Deviations").
public struct ProjectionRow: Sendable, Equatable {
    public var month: Month
    public var region: String
    public var segment: String
    public var potential: Double?
    public var active: Double?
    public var grossAcquisitions: Double
    public var lapses: Double?
    /// Net change of the honorary-worker stock (negative when a cohort lapses).
    public var honoraryChange: Double
    public var villageInflow: Double
    /// Net change of the budget-funded cohort stock.
    public var budgetCohortChange: Double
    /// Programme cohorts' joiners (acquisitions, peserta baru) and leavers (lapses: members not
    /// renewed, or above a smaller budget); honorary + budget changes = joiners − leavers.
    public var programmeJoiners: Double = 0
    public var programmeLeavers: Double = 0
    /// ≤ 0: members removed because the stock would exceed the potential.
    public var ceilingAdjustment: Double?
    public var netChange: Double?
    /// active / potential.
    public var coverage: Double?
    /// The month's change of the deviation level (reported − curve path), booked so the books close;
    /// nil for flow-only segments.
    public var deviationChange: Double? = nil
    /// The month's iuran in rupiah at the stated collection rate (docs/iuran.md); nil when the
    /// segment states none.
    public var iuran: Double? = nil
    /// Members back from the non-active pool in the month (a reactivation lever; not acquisitions)
    /// and the net change of the reactivated stock (reactivations less their lapses, which are in
    /// `programmeLeavers`).
    public var reactivations: Double = 0
    public var reactivationChange: Double = 0

    /// The month's acquisitions as targets count them: gross acquisitions, villages and programme
    /// joiners.
    public var acquisitions: Double { grossAcquisitions + villageInflow + programmeJoiners }
}

extension ProjectionRow {
    /// The month's figure of an indicator: the stock at the month's end, or the month's flow.
    public func figure(_ metric: TargetRow.Metric) -> Double { metric.isFlow ? flow(metric) : active ?? 0 }

    /// The month's flow of a flow metric (acquisitions, iuran, reactivations); 0 for the stock.
    public func flow(_ metric: TargetRow.Metric) -> Double {
        switch metric {
        case .active: return 0
        case .acquisitions: return acquisitions
        case .iuran: return iuran ?? 0
        case .reactivations: return reactivations
        }
    }
}

public struct Projection: Sendable {
    public var rows: [ProjectionRow]
    /// Each stock cell's stock at `actuals_until`, where the projection starts (after the run-up from
    /// the last stock figure, which levers never touch).
    public var starts: [Start] = []
    /// Said to the planner: programme joiners that did not fit in the uncovered potential.
    public var warnings: [Phrase] = []
    /// Cells whose acquisitions are projected at the calibrated monthly level (last year's pace, no
    /// trend): flow calibrations, as every target and table that shows their figure says.
    public var atLastYearsPace: Set<CellKey> = []
    /// Flow cells whose acquisitions continue the trend of their monthly figures (`FlowTrend` chosen).
    public var withHistoryTrend: Set<CellKey> = []
    /// Flow cells at last year's pace whose trend was weighed and lost: part of their draws take it
    /// (`FlowTrend.weight`), so their P50 is not last year's pace alone.
    public var trendInSomeDraws: Set<CellKey> = []

    /// How a flow cell's projected acquisitions were made, as the flag every output shows with them;
    /// nil for a curve (its own step).
    public func acquisitionsFlag(_ cell: CellKey) -> TargetFlag? {
        if withHistoryTrend.contains(cell) { return .historyTrend }
        guard atLastYearsPace.contains(cell) else { return nil }
        return trendInSomeDraws.contains(cell) ? .lastYearsPaceTrendInSomeDraws : .lastYearsPace
    }
    /// Each cell's stated iuran against its realised iuran (the contribution the rows used).
    public var iuranCalibrations: [(region: String, segment: String, calibration: IuranCalibration)] = []

    public struct Start: Sendable, Equatable {
        public var region: String
        public var segment: String
        public var month: Month
        public var active: Double
    }

    public func start(region: String, segment: String) -> Start? {
        starts.first { $0.region == region && $0.segment == segment }
    }

    public func rows(region: String, segment: String) -> [ProjectionRow] {
        rows.filter { $0.region == region && $0.segment == segment }
    }
}
