/// What a row of figures covers: one segment of a region, a region's persons segments summed (its
/// TOTAL row), or every region's (the overall TOTAL, region ALL). TOTAL and ALL are the files' codes
/// (`History.totalSegment`, `Targets.allRegions`): code asks a row's `scope` or `isTotal`, never
/// compares the names (issue 28), and a scenario cannot name a segment TOTAL or a region ALL.
public enum RowScope: Sendable, Equatable {
    case segment
    case regionTotal
    case overall

    public init(region: String, segment: String) {
        if region == Targets.allRegions {
            self = .overall
        } else {
            self = segment == History.totalSegment ? .regionTotal : .segment
        }
    }
}

/// A row of figures for a region × segment (or one of their totals).
public protocol ScopedRow {
    var region: String { get }
    var segment: String { get }
}

extension ScopedRow {
    public var scope: RowScope { RowScope(region: region, segment: segment) }
    /// A TOTAL row (a region's or the overall one), not a segment's.
    public var isTotal: Bool { scope != .segment }
}

extension TargetRow: ScopedRow {}
extension PlanYearFigure: ScopedRow {}
extension BranchAllocation.BranchTarget: ScopedRow {}
extension ApprovedPlan.Target: ScopedRow {}
extension Tracking.Row: ScopedRow {}
extension History.Observation: ScopedRow {}
