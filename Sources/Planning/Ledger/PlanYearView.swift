import Foundation

/// The plan year as every output shows it, built once (docs/targets.md, "The plan-year view"): the
/// targets, their branch split, each target's twelve named months with their monthly targets, the
/// quantile levels and which of them is the median, and the plan-year figures. csv, json, md, xlsx,
/// the report and the terminal only render it.
public struct PlanYearView: Sendable {
    /// Whether a month's figure is realised (from the history), estimated (a realised month's iuran
    /// the history does not give: members × contribution × collection), projected, or neither (then
    /// empty, never 0).
    public enum MonthStatus: String, Sendable {
        case realised, estimated, projected, empty
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
        /// Quarter sums of a flow target's months, nil for a quarter with an empty month (nil for stocks).
        public var quarters: [Double?]? {
            guard row.metric.isFlow else { return nil }
            return (0..<4).map { q in
                let ms = months[(3 * q)..<(3 * q + 3)]
                return ms.allSatisfy({ $0.value != nil }) ? ms.reduce(0) { $0 + $1.value! } : nil
            }
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
    /// Head office's issued targets split over the regions (`targets.issued`), beside their proposals.
    public var allocations: [IssuedAllocation] = []
    /// The branches calibrated on their own history that the branch targets were split with.
    public var outlooks: [BranchOutlook] = []
    /// What the scenario's regions are (a target row's `level`: `level(of:)`).
    public var regionLevel: PlanLevel = .kanwil
    public var figures: [PlanYearFigure]
    /// The segments' iuran bases, in the scenario's order (what the iuran targets rest on).
    public var iuranPlans: [(segment: String, plan: IuranPlan)] = []
    /// The stated iuran against the history's realised, per region × segment (docs/iuran.md).
    public var iuranCalibrations: [(region: String, segment: String, calibration: IuranCalibration)] = []

    /// Stock month targets in whole persons, each rounded to the nearest (halves up), as every target
    /// is: December, the (whole) target itself, stays the target.
    static func wholeStockMonths(_ months: [Double]) -> [Double] { months.map { $0.rounded() } }

    /// A target row's tier: the total over the regions one above them (the nation over its Kanwil).
    public func level(of row: TargetRow) -> PlanLevel { regionLevel.of(region: row.region) }

    /// The index of the median among the levels, when the levels include 0.5.
    public var medianLevel: Int? { levels.firstIndex(of: 0.5) }

    /// Whether `r` is the row `rkat track` measures against (`PlanReader`): the issued row of its
    /// region × segment × indicator where there is one, else the projection row.
    public func approved(_ r: TargetRow) -> Bool {
        let issued = targets.contains { $0.basis == .issued && $0.region == r.region && $0.segment == r.segment && $0.metric == r.metric }
        return r.basis == (issued ? .issued : .projection)
    }

    /// An issued row's proposal: the index of the projection row of the same region × segment ×
    /// indicator (the unit's own figure, which targets.json and the workbook's anchor keep beside the
    /// issued one); nil for other rows.
    public func proposalIndex(of r: TargetRow) -> Int? {
        guard r.basis == .issued else { return nil }
        return targets.firstIndex { $0.basis == .projection && $0.region == r.region && $0.segment == r.segment && $0.metric == r.metric }
    }

    /// The phasing of a target row (matched by region, segment, metric and basis).
    public func phased(_ r: TargetRow) -> PhasedTarget? {
        phasing.first { $0.row.region == r.region && $0.row.segment == r.segment && $0.row.metric == r.metric && $0.row.basis == r.basis }
    }

    /// `outlooks`: the branches calibrated on their own history (`BranchOutlook.run`).
    public static func build(
        _ s: Scenario, history: History, projection: Projection, monteCarlo mc: MonteCarlo.Result?, outlooks: [BranchOutlook] = []
    ) -> PlanYearView {
        let year = PlanYearSummary.planYear(s)
        let levels = mc?.options.quantiles ?? s.uncertainty.quantiles
        var targets = Targets.table(s, history: history, projection: projection, monteCarlo: mc, planYear: year)
        let realisation = Realisation.of(s, history: history)
        let phasing = phase(targets, scenario: s, projection: projection, monteCarlo: mc, realisation: realisation, year: year)
        // Growth against part of the previous year: the same months of the plan year.
        for i in targets.indices where targets[i].growthVsRealisation == nil {
            targets[i].growthVsRealisation = sameMonthsGrowth(targets[i], phasing: phasing)
        }
        var view = PlanYearView(
            scenario: s.name, year: year, months: (1...12).map { Month(year: year, month: $0) }, levels: levels,
            draws: mc?.options.draws ?? 0, confidence: s.targets.confidence, targets: targets,
            branches: BranchAllocation.table(targets, scenario: s, projection: projection, planYear: year, phasing: phasing, monteCarlo: mc, outlooks: outlooks),
            phasing: phasing.filter { !$0.row.isTotal },
            figures: PlanYearSummary.figures(s, history: history, projection: projection, monteCarlo: mc))
        view.regionLevel = s.regionLevel
        view.outlooks = outlooks
        view.allocations = IssuedAllocation.table(s, history: history, projection: projection, monteCarlo: mc, planYear: year, targets: targets)
        view.addIssued(view.allocations, s, history: history, projection: projection, monteCarlo: mc)
        view.addIssuedOverall()
        view.iuranPlans = s.segments.compactMap { seg in seg.iuran.map { (seg.name, $0) } }
        view.iuranCalibrations = projection.iuranCalibrations
        return view
    }

    /// The issued targets of the regions of `s` (basis `issued`): each region's share of `allocations`
    /// split over its persons segments (`IssuedAllocation.segmentShares`) and phased by month like
    /// any target; each row placed after its segment's (or its region's TOTAL) other rows.
    public mutating func addIssued(
        _ allocations: [IssuedAllocation], _ s: Scenario, history: History, projection: Projection, monteCarlo mc: MonteCarlo.Result?
    ) {
        let shares = IssuedAllocation.segmentShares(allocations, s, history: history, projection: projection, monteCarlo: mc, planYear: year, targets: targets)
        guard !shares.isEmpty else { return }
        var rows = Targets.table(s, history: history, projection: projection, monteCarlo: mc, planYear: year, issued: shares).filter { $0.basis == .issued }
        let phased = Self.phase(rows, scenario: s, projection: projection, monteCarlo: mc, realisation: Realisation.of(s, history: history), year: year)
        for i in rows.indices where rows[i].growthVsRealisation == nil { rows[i].growthVsRealisation = Self.sameMonthsGrowth(rows[i], phasing: phased) }
        for r in rows {
            let at = targets.lastIndex { $0.region == r.region && $0.segment == r.segment && $0.metric == r.metric } ?? targets.count - 1
            targets.insert(r, at: at + 1)
        }
        phasing += phased.filter { !$0.row.isTotal }
        // The branches of these regions share the issued target now (`BranchAllocation.table`).
        let regions = Set(s.regions.map(\.name))
        branches = branches.filter { !regions.contains($0.region) }
            + BranchAllocation.table(
                targets, scenario: s, projection: projection, planYear: year, phasing: phasing, monteCarlo: mc, outlooks: outlooks.filter { regions.contains($0.region) },
                rules: Dictionary(allocations.map { ($0.metric, $0.rule) }, uniquingKeysWith: { a, _ in a }))
    }

    /// The issued figures themselves beside the overall total's projection row (region ALL): the
    /// target issued, with its P(tercapai) under the joint draws (`IssuedAllocation.totalReach`).
    public mutating func addIssuedOverall() {
        for a in allocations {
            guard let at = targets.firstIndex(where: { $0.region == Targets.allRegions && $0.isTotal && $0.metric == a.metric && $0.basis == .projection }) else { continue }
            var r = targets[at]
            r.basis = .issued
            r.target = Double(a.issued)
            r.probability = a.totalReach
            // Growth of this target, not the projection's (over a full previous year only).
            r.growthVsRealisation = r.lastRealisationThrough?.month == 12 ? Targets.growth(r.target, over: r.lastRealisation) : nil
            r.growthVsTarget = Targets.growth(r.target, over: r.lastTarget)
            r.flags = (a.totalReach.map { $0 < 0.2 } ?? false ? [.reachBelow20] : []) + r.flags.filter { $0 != .reachBelow20 }
            targets.insert(r, at: at + 1)
        }
    }

    /// Every target's twelve months. Realised months (up to `actuals_until`) carry the history's
    /// figure and are the target of that month. Flow targets spread what remains of the annual target
    /// over the projected months in proportion to the projected flow (whole persons summing exactly);
    /// stock targets follow the projected median path from the last actual stock, bent to the year-end
    /// target. Region totals are the sums of their segments' projection targets, month by month (for
    /// growth over the same months; they are not phased in the outputs).
    static func phase(
        _ rows: [TargetRow], scenario s: Scenario, projection: Projection, monteCarlo mc: MonteCarlo.Result?, realisation: [CellKey: Realisation],
        year: Int
    ) -> [PhasedTarget] {
        var out: [PhasedTarget] = []
        let medianLevel = mc?.options.quantiles.firstIndex(of: 0.5)
        let planMonths = (1...12).map { Month(year: year, month: $0) }
        for r in rows where !r.isTotal {
            let plan = projection.rows(region: r.region, segment: r.segment).filter { $0.month.year == year }
            guard !plan.isEmpty, let real = realisation[Realisation.key(r.region, r.segment)] else { continue }
            var realisedMonths = real.months(of: year, r.metric)
            var estimated: Set<Month> = []
            if r.metric == .iuran, let seg = s.segment(r.segment), let plan = seg.iuran {
                let iuran = real.iuranMonths(of: year, plan: plan, flowOnly: seg.flowOnly)
                realisedMonths = iuran.months
                estimated = Set(iuran.estimated)
            }
            if r.metric.isFlow {
                // Whole persons or rupiah (year-to-date figures spread over their months leave fractions).
                let whole = Phasing.flow(target: Whole.clamped(realisedMonths.reduce(0) { $0 + $1.value }, .toNearestOrAwayFromZero), weights: realisedMonths.map(\.value))
                realisedMonths = zip(realisedMonths, whole).map { ($0.month, Double($1)) }
            }
            let realised = Dictionary(uniqueKeysWithValues: realisedMonths.map { ($0.month, $0.value) })
            var projected: [Month: Double] = [:]
            if r.metric.isFlow {
                // In proportion to the projected months' flow (acquisitions, the iuran due, reactivations).
                let remaining = Whole.clamped(r.target - realised.values.reduce(0, +))
                let weights = plan.map { $0.flow(r.metric) }
                let spread = Phasing.flow(target: max(remaining, 0), weights: weights)
                for (row, v) in zip(plan, spread) { projected[row.month] = Double(v) }
            } else {
                // The stock at the last month before the projected ones: the projection's own start.
                let start = (plan[0].active ?? 0) - (plan[0].netChange ?? 0)
                var median = plan.map { $0.active ?? 0 }
                if let level = medianLevel, let cell = mc?.cell(r.region, r.segment), let band = cell.active {
                    median = plan.map { row in cell.months.firstIndex(of: row.month).map { band.values[level][$0] } ?? (row.active ?? 0) }
                }
                let months = Self.wholeStockMonths(Phasing.stock(start: start, median: median, target: r.target))
                for (row, v) in zip(plan, months) { projected[row.month] = v }
            }
            let months = planMonths.map { m in
                if let v = projected[m] { return MonthValue(month: m, value: v, status: .projected) }
                if let v = realised[m] { return MonthValue(month: m, value: v, status: estimated.contains(m) ? .estimated : .realised) }
                return MonthValue(month: m, value: nil, status: .empty)
            }
            out.append(PhasedTarget(row: r, months: months))
        }
        // Region totals of the projection targets, month by month, where every segment has the month.
        for r in rows where r.isTotal && r.basis == .projection && r.scope != .overall {
            let parts = out.filter { $0.row.region == r.region && $0.row.metric == r.metric && $0.row.basis == .projection && $0.row.countsPersons }
            guard !parts.isEmpty else { continue }
            let months = planMonths.indices.map { k -> MonthValue in
                let values = parts.map { $0.months[k].value }
                guard values.allSatisfy({ $0 != nil }) else { return MonthValue(month: planMonths[k], value: nil, status: .empty) }
                let realisedAll = parts.allSatisfy { $0.months[k].status == .realised }
                return MonthValue(month: planMonths[k], value: values.reduce(0) { $0 + $1! }, status: realisedAll ? .realised : .projected)
            }
            out.append(PhasedTarget(row: r, months: months))
        }
        return out
    }

    /// Growth over the months of the previous year the history covers (January to
    /// `lastRealisationThrough`): the plan year's same months, summed (flows) or at that month (stocks).
    static func sameMonthsGrowth(_ r: TargetRow, phasing: [PhasedTarget]) -> Double? {
        guard let base = r.lastRealisation, let through = r.lastRealisationThrough,
            let p = phasing.first(where: { $0.row.region == r.region && $0.row.segment == r.segment && $0.row.metric == r.metric && $0.row.basis == r.basis })
        else { return nil }
        let same = p.months.prefix(through.month)
        guard r.metric.isFlow else { return same.last!.value.flatMap { Targets.growth($0, over: base) } }
        guard same.allSatisfy({ $0.value != nil }) else { return nil }
        return Targets.growth(same.reduce(0) { $0 + $1.value! }, over: base)
    }
}
