import Foundation

/// The plan year as every output shows it, built once (docs/targets.md, "The plan-year view"): the
/// targets, their branch split, each target's twelve named months with their monthly targets, the
/// quantile levels and which of them is the median, and the plan-year figures. csv, json, md, xlsx,
/// the report and the terminal only render it.
public struct PlanYearView: Sendable {
    /// Whether a month's figure is realised (from the history), projected, or neither (then empty,
    /// never 0).
    public enum MonthStatus: String, Sendable {
        case realised, projected, empty
    }

    /// One named month of a target's phasing.
    public struct MonthValue: Sendable, Equatable {
        public var month: Month
        /// Whole persons for flows, the stock level for stocks; nil when the month is empty.
        public var value: Double?
        public var status: MonthStatus
    }

    /// A target with its monthly phasing over the plan year's twelve months.
    public struct PhasedTarget: Sendable {
        public var row: TargetRow
        public var months: [MonthValue]
        /// The figures of the months that have one, in month order.
        public var values: [Double] { months.compactMap(\.value) }
        /// Quarter sums of a flow target's months (nil for stocks).
        public var quarters: [Double]? {
            row.metric == .acquisitions ? Phasing.quarters(values.map { Int($0) }).map(Double.init) : nil
        }
    }

    public var scenario: String
    public var year: Int
    /// January to December of the plan year.
    public var months: [Month]
    /// The quantile levels of the bands (the scenario's, or Monte Carlo's when it ran).
    public var levels: [Double]
    /// Monte Carlo draws behind P(reach) and the bands; 0 when the figures are deterministic.
    public var draws: Int
    public var confidence: Double
    public var targets: [TargetRow]
    public var branches: [BranchAllocation.BranchTarget]
    /// Every target but the region totals, phased.
    public var phasing: [PhasedTarget]
    public var figures: [PlanYearFigure]

    /// The index of the median among the levels, when the levels include 0.5.
    public var medianLevel: Int? { levels.firstIndex(of: 0.5) }

    /// The phasing of a target row (matched by region, segment, metric and basis).
    public func phased(_ r: TargetRow) -> PhasedTarget? {
        phasing.first { $0.row.region == r.region && $0.row.segment == r.segment && $0.row.metric == r.metric && $0.row.basis == r.basis }
    }

    public static func build(_ s: Scenario, history: History, projection: Projection, monteCarlo mc: MonteCarlo.Result?) -> PlanYearView {
        let year = PlanYearSummary.planYear(s)
        let levels = mc?.options.quantiles ?? s.uncertainty.quantiles
        let targets = Targets.table(s, history: history, projection: projection, monteCarlo: mc, planYear: year)
        return PlanYearView(
            scenario: s.name, year: year, months: (1...12).map { Month(year: year, month: $0) }, levels: levels,
            draws: mc?.options.draws ?? 0, confidence: s.targets.confidence, targets: targets,
            branches: BranchAllocation.table(targets, scenario: s, projection: projection, planYear: year),
            phasing: phase(targets, projection: projection, monteCarlo: mc, year: year),
            figures: PlanYearSummary.figures(s, projection: projection, monteCarlo: mc))
    }

    /// Flow targets spread in proportion to the projected monthly flow (whole persons summing to the
    /// target); stock targets along the projected median path bent to the year-end target.
    static func phase(_ rows: [TargetRow], projection: Projection, monteCarlo mc: MonteCarlo.Result?, year: Int) -> [PhasedTarget] {
        var out: [PhasedTarget] = []
        let medianLevel = mc?.options.quantiles.firstIndex(of: 0.5)
        for r in rows where r.segment != History.totalSegment {
            let all = projection.rows(region: r.region, segment: r.segment)
            let plan = all.filter { $0.month.year == year }
            guard !plan.isEmpty else { continue }
            let values: [Double]
            switch r.metric {
            case .acquisitions:
                values = Phasing.flow(target: Int(r.target), weights: plan.map(\.acquisitions)).map(Double.init)
            case .active:
                let start = all.last { $0.month.year < year }?.active ?? plan[0].active ?? 0
                var median = plan.map { $0.active ?? 0 }
                if let level = medianLevel, let cell = mc?.cells.first(where: { $0.region == r.region && $0.segment == r.segment }), let band = cell.active {
                    median = plan.map { row in cell.months.firstIndex(of: row.month).map { band.values[level][$0] } ?? (row.active ?? 0) }
                }
                values = Phasing.stock(start: start, median: median, target: r.target)
            }
            let byMonth = Dictionary(uniqueKeysWithValues: zip(plan.map(\.month), values))
            let months = (1...12).map { Month(year: year, month: $0) }.map { m in
                byMonth[m].map { MonthValue(month: m, value: $0, status: .projected) } ?? MonthValue(month: m, value: nil, status: .empty)
            }
            out.append(PhasedTarget(row: r, months: months))
        }
        return out
    }
}
