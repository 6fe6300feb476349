/// One month of one region × segment. Stock columns are nil for flow-only segments.
/// The books close every month: active(t) = active(t−1) + gross − lapses + honorary + villages
/// + budget cohorts + ceiling adjustment + deviation change (docs/engine.md, "Deviations").
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
    /// ≤ 0: members removed because the stock would exceed the potential.
    public var ceilingAdjustment: Double?
    public var netChange: Double?
    /// active / potential.
    public var coverage: Double?
    /// The month's change of the deviation level (reported − curve path), booked so the books close;
    /// nil for flow-only segments.
    public var deviationChange: Double? = nil

    /// The month's acquisitions as targets count them: gross acquisitions plus villages.
    public var acquisitions: Double { grossAcquisitions + villageInflow }
}

public struct Projection: Sendable {
    public var rows: [ProjectionRow]

    public func rows(region: String, segment: String) -> [ProjectionRow] {
        rows.filter { $0.region == region && $0.segment == segment }
    }
}
