import Foundation

/// One row of the RKAT target table: a target for a region × segment and metric, from the
/// projection at the planner's confidence or from a growth rule, with its chance of being reached.
public struct TargetRow: Sendable {
    public enum Metric: String, Sendable, CaseIterable {
        /// Active members at the plan year's end (stock).
        case active
        /// Acquisitions in the plan year (flow).
        case acquisitions
        /// Iuran (contribution revenue) received in the plan year, rupiah (flow; docs/iuran.md).
        case iuran
        /// Non-active members (or companies) reactivated in the plan year by a reactivation lever
        /// (flow), never counted as acquisitions.
        case reactivations

        /// Summed over months (acquisitions, iuran, reactivations), not a level at a month (active).
        public var isFlow: Bool { self != .active }
        /// Members of the segment's own stock and flows (with gross acquisitions and lapses beside).
        public var isMembers: Bool { self == .active || self == .acquisitions }
        /// In rupiah rather than persons.
        public var isRupiah: Bool { self == .iuran }

        // The table of indicators: what the history calls each one's realised figure and its
        // previous target. A new indicator is a case here, its rows in this table and its engine column.

        /// The history metric of the realised figure.
        var historyMetric: History.Metric {
            switch self {
            case .active: return .active
            case .acquisitions: return .acquisitions
            case .iuran: return .iuran
            case .reactivations: return .reactivations
            }
        }

        /// The history metric of last year's target, where the history can state one.
        var targetHistoryMetric: History.Metric? {
            switch self {
            case .active: return .targetActive
            case .acquisitions: return .targetAcquisitions
            case .iuran: return .targetIuran
            case .reactivations: return nil
            }
        }

        /// Whether a segment has this indicator in a region: the one home of that rule (targets,
        /// figures, the realised part and tracking ask here). Acquisitions always; the stock where the
        /// segment has one; iuran where it states iuran; reactivations where the lever acts on the cell.
        public func applies(to segment: SegmentPlan, region: String, in s: Scenario) -> Bool {
            switch self {
            case .active: return !segment.flowOnly
            case .acquisitions: return true
            case .iuran: return segment.iuran != nil
            case .reactivations: return ActiveLevers.reactivates(s, region: region, segment: segment)
            }
        }

        /// The indicators a segment has in a region, in table order.
        public static func of(_ segment: SegmentPlan, region: String, in s: Scenario) -> [Metric] {
            allCases.filter { $0.applies(to: segment, region: region, in: s) }
        }
    }

    public var region: String
    public var segment: String
    public var metric: Metric
    public var basis: TargetBasis
    /// What the target is compared with: the previous year's realisation through
    /// `lastRealisationThrough` (December: the full year; an earlier month: January to that month, and
    /// the growth compares the same months of the plan year).
    public var lastRealisation: Double?
    public var lastRealisationThrough: Month? = nil
    public var lastTarget: Double?
    /// The plan year's realisation so far (acquisitions January to `realisedThrough`; the stock at
    /// that month), from the history up to `actuals_until`; nil when no month is realised.
    public var realisedToDate: Double? = nil
    public var realisedThrough: Month? = nil
    public var target: Double
    public var growthVsRealisation: Double?
    public var growthVsTarget: Double?
    /// Target as a share of the plan year-end potential (stock targets).
    public var coverage: Double?
    /// Gross acquisitions and lapses of the deterministic projection in the plan year.
    public var grossAcquisitionsNeeded: Double?
    public var expectedLapses: Double?
    /// P(outcome ≥ target) from the draws; nil without Monte Carlo.
    public var probability: Double?
    /// P10, P50, P90 (the scenario's quantile levels) of the outcome.
    public var quantiles: [Double]?
    public var flags: [TargetFlag]
    /// What the target counts: persons (members), or companies for a company segment (iuran rows
    /// are rupiah whatever this says).
    public var unit: SegmentPlan.Unit = .persons
    /// On a company segment's active row: its workers segment's active target over this target
    /// (workers per company), where both are known.
    public var workersPerCompany: Double? = nil
    /// The same ratio realised: the latest month up to `actuals_until` where the history gives both
    /// active figures.
    public var realisedWorkersPerCompany: (value: Double, month: Month)? = nil

    /// The stable code of what the row counts: "persons", "companies" or "rupiah".
    public var unitCode: String { metric.isRupiah ? "rupiah" : unit.rawValue }
    /// Whether the row counts persons (sums into a TOTAL); company rows never do.
    public var countsPersons: Bool { unit != .companies }
}

/// Where a target comes from. `code` is the stable English code csv and json carry; the readers'
/// words are in PlanIO's string table.
public enum TargetBasis: Sendable, Hashable {
    /// The projection at the planner's confidence (or the deterministic projection without draws).
    case projection
    /// Last year's target × (1 + growth).
    case rule(growth: Double)
    /// A region's projection target split over its branches.
    case branchAllocation
    /// A unit's share of an issued target (`targets.issued`, split by `targets.allocation`), split
    /// again over its persons segments (`IssuedAllocation.segmentShares`): the target head office sets.
    case issued

    public var code: String {
        switch self {
        case .projection: return "projection"
        case .rule(let g): return "rule \(g >= 0 ? "+" : "")\(Whole.clamped(g * 100, .toNearestOrAwayFromZero))%"
        case .branchAllocation: return "branch allocation"
        case .issued: return "issued"
        }
    }
}

/// Warnings on a target row; `rawValue` is the stable English code.
public enum TargetFlag: String, Sendable, CaseIterable {
    case reachBelow20 = "P(reach) below 20%"
    case abovePotential = "above the potential"
    case aboveUncoveredPool = "above the uncovered pool"
    /// Iuran of plan-year months the history gives members but no iuran for: members × contribution
    /// × collection stands in for the realisation.
    case iuranEstimated = "iuran estimated from members"
    /// A flow target whose plan year has realised months without figures (the history starts, or
    /// has a gap, inside the year): it covers the other months only, not a full year.
    case partYear = "part of the year only"
    /// A rule target at or below what is already realised (the stock now, or the year's flow so
    /// far): reached before it is set.
    case atOrBelowRealised = "at or below the realisation so far"
    /// Acquisitions projected at the calibrated monthly level (a flow calibration): last year's pace
    /// repeated, no trend.
    case lastYearsPace = "last year's pace (no trend)"
    /// Acquisitions projected along the trend of the monthly figures (a flow calibration whose trend
    /// beat the flat level: calibration.csv's method gives it).
    case historyTrend = "the history's trend continued"
    /// Last year's pace on the deterministic path, a trend in part of the Monte Carlo draws (weighed
    /// and not chosen: `FlowTrend`).
    case lastYearsPaceTrendInSomeDraws = "last year's pace; the history's trend in some draws"
}

/// The plan-year figure a target is measured against: deterministic and per Monte Carlo draw (the
/// realised months included for a flow), with the previous year's target and realisation its rule
/// growth builds on.
public struct TargetOutcome: Sendable {
    public var deterministic: Double
    /// One figure per draw; nil without draws.
    public var draws: [Double]?
    /// Last year's target, where the history states one.
    public var previousTarget: Double?
    /// Last year's realisation (the full year, or its months so far) and its last month.
    public var lastRealisation: (value: Double, through: Month)?

    /// P(figure ≥ target) over the draws, or 0/1 on the deterministic path without draws.
    public func probability(atLeast target: Double) -> Double {
        draws.map { MonteCarlo.probability($0, atLeast: target) } ?? (deterministic >= target ? 1 : 0)
    }

    /// The figure per draw, or the deterministic one alone without draws.
    public var figures: [Double] { draws ?? [deterministic] }
}

/// Targets for the plan year (docs/targets.md).
public enum Targets {
    /// `issued`: shares of issued targets by region × segment × metric (`IssuedAllocation.segmentShares`),
    /// each a row of basis `issued` beside the segment's projection row, and their sum the region's
    /// TOTAL issued row.
    public static func table(
        _ s: Scenario, history: History, projection: Projection, monteCarlo mc: MonteCarlo.Result?, planYear year: Int,
        issued: [IssuedAllocation.SegmentShare] = []
    ) -> [TargetRow] {
        var c = TableContext(
            s: s, history: history, projection: projection, mc: mc, year: year, levels: mc?.options.quantiles ?? s.uncertainty.quantiles,
            confidence: s.targets.confidence, realisation: Realisation.of(s, history: history))
        c.issued = issued
        var rows: [TargetRow] = []
        // A flow's annual target is always a full year: the months realised so far plus the
        // projected ones (Realisation.toDate, the rule's one home), per segment and per region total.
        for region in s.regions {
            var (segmentRows, totals) = c.segmentRows(region)
            c.addWorkersPerCompany(&segmentRows, region: region)
            rows += segmentRows + c.regionTotals(region, totals: totals, segments: segmentRows)
        }
        return rows + c.overallTotals(rows)
    }

    /// What every step of the table reads: the scenario, its history, projection and draws, and the
    /// realisation through `actuals_until`.
    struct TableContext {
        let s: Scenario
        let history: History
        let projection: Projection
        let mc: MonteCarlo.Result?
        let year: Int
        let levels: [Double]
        let confidence: Double
        let realisation: [CellKey: Realisation]
        var issued: [IssuedAllocation.SegmentShare] = []

        /// Step 1: each segment's targets (projection and rule rows) in a region, and the persons
        /// segments' projection targets summed by metric (the region total's target).
        func segmentRows(_ region: RegionPlan) -> (rows: [TargetRow], totals: [TargetRow.Metric: Double]) {
            var rows: [TargetRow] = []
            var totals: [TargetRow.Metric: Double] = [:]
            for seg in s.segments {
                let plan = projection.rows(region: region.name, segment: seg.name).filter { $0.month.year == year }
                guard let last = plan.last else { continue }
                let cell = mc?.cell(region.name, seg.name)
                let real = realisation[Realisation.key(region.name, seg.name)]!
                let realisedAcquisitions = real.toDate(year, .acquisitions, segment: seg, region: region.name, in: s)?.value ?? 0
                // Company segments have targets of their own but are never summed with persons.
                let persons = seg.countsPersons
                let gross = realisedAcquisitions + plan.reduce(0) { $0 + $1.acquisitions }
                let lapses = seg.flowOnly ? nil : plan.reduce(0) { $0 + ($1.lapses ?? 0) }
                // Members at the plan year's start: projected, or (the year after actuals_until) the December actual.
                let startActive = projection.rows(region: region.name, segment: seg.name).last { $0.month.year < year }?.active ?? real.value(.active, Month(year: year - 1, month: 12))
                let metrics = TargetRow.Metric.of(seg, region: region.name, in: s)
                // A flow target is a full year only when every month of the plan year up to
                // `actuals_until` has a realised figure (iuran: or an estimate from members).
                func partYear(_ metric: TargetRow.Metric) -> Bool { real.partYear(year, metric, segment: seg, actualsUntil: s.actualsUntil) }
                for metric in metrics {
                    let (draws, deterministic, toDate, estimated) = figure(seg, metric, region: region.name, plan: plan, cell: cell, real: real)
                    let comparison = real.previousYear(year, metric)
                    let realised = comparison?.value
                    let previous = lastTarget(history, region: region.name, segment: seg.name, metric: metric, year: year)
                    func row(_ basis: TargetBasis, _ target: Double) -> TargetRow {
                        var flags: [TargetFlag] = []
                        let p = draws.map { MonteCarlo.probability($0, atLeast: target) }
                        if let p, p < 0.2 { flags.append(.reachBelow20) }
                        if metric == .active, let l = last.potential, target > l { flags.append(.abovePotential) }
                        if metric == .acquisitions, !seg.flowOnly, let l = last.potential, let a0 = startActive, target > l - a0 {
                            flags.append(.aboveUncoveredPool)
                        }
                        if metric == .iuran, estimated { flags.append(.iuranEstimated) }
                        if metric == .acquisitions || metric == .iuran, partYear(metric) { flags.append(.partYear) }
                        if metric == .acquisitions, basis == .projection, let how = projection.acquisitionsFlag(CellKey(region.name, seg.name)) {
                            flags.append(how)
                        }
                        // A rule target already reached: the stock now (its last realised figure), or the
                        // year's flow realised so far.
                        let ruleOrIssued: Bool = { if case .rule = basis { return true } else { return basis == .issued } }()
                        if ruleOrIssued, let now = toDate?.value ?? (metric == .active ? real.lastStock : nil), target <= now {
                            flags.append(.atOrBelowRealised)
                        }
                        var out = TargetRow(
                            region: region.name, segment: seg.name, metric: metric, basis: basis, lastRealisation: realised,
                            lastRealisationThrough: comparison?.through, lastTarget: previous,
                            realisedToDate: toDate?.value, realisedThrough: toDate?.through, target: target,
                            growthVsRealisation: fullYear(comparison) ? growth(target, over: realised) : nil,
                            growthVsTarget: growth(target, over: previous),
                            coverage: metric == .active ? ratio(target, last.potential) : nil,
                            // The projection's own gross acquisitions and lapses: not an issued target's.
                            grossAcquisitionsNeeded: metric.isMembers && basis != .issued ? gross : nil,
                            expectedLapses: metric.isMembers && basis != .issued ? lapses : nil, probability: p,
                            quantiles: draws.map { d in var v = d; return MonteCarloQuantiles.compute(&v, levels: levels) },
                            flags: flags)
                        out.unit = seg.unit
                        return out
                    }
                    // Reached with probability `confidence`: the (1 − confidence) quantile, in whole persons.
                    let projected = draws.map { d -> Double in
                        var v = d
                        return MonteCarloQuantiles.compute(&v, levels: [1 - confidence])[0].rounded(.down)
                    } ?? deterministic.rounded(.down)
                    rows.append(row(.projection, projected))
                    if persons { totals[metric, default: 0] += projected }
                    if let previous {
                        for g in s.targets.ruleGrowth {
                            rows.append(row(.rule(growth: g), (previous * (1 + g)).rounded()))
                        }
                    }
                    if let share = issued.first(where: { $0.region == region.name && $0.segment == seg.name && $0.metric == metric }) {
                        rows.append(row(.issued, Double(share.target)))
                    }
                }
            }
            return (rows, totals)
        }

        /// A segment's plan-year figure of `metric`, per draw and deterministic: the year-end stock, or
        /// the realised months plus the projected ones; with the realisation so far (and whether it is
        /// an estimate). `plan` holds the cell's projected months of the plan year.
        func figure(
            _ seg: SegmentPlan, _ metric: TargetRow.Metric, region: String, plan: [ProjectionRow], cell: MonteCarlo.Cell?, real: Realisation
        ) -> (draws: [Double]?, deterministic: Double, toDate: (value: Double, through: Month)?, estimated: Bool) {
            if metric.isFlow {
                let part = real.toDate(year, metric, segment: seg, region: region, in: s)
                let realised = part?.value ?? 0
                return (
                    Realisation.fullYear(cell?.planYear(metric), realised: realised), realised + plan.reduce(0) { $0 + $1.flow(metric) },
                    part.map { (value: $0.value, through: $0.through) }, part?.estimated == true)
            }
            return (cell?.planYear(.active), plan.last?.active ?? 0, real.months(of: year, .active).last.map { (value: $0.value, through: $0.month) }, false)
        }

        /// The plan-year figure a target of (region, segment, metric) is measured against, per draw
        /// and deterministic: a segment's own (as its rows), a region's TOTAL (its persons segments'
        /// joint draws, as the total row), or ALL regions' (their totals summed draw by draw). nil
        /// when the cell has no such indicator.
        func outcome(region name: String, segment: String, metric: TargetRow.Metric) -> TargetOutcome? {
            if name == allRegions {
                // ALL is a total over regions: of their TOTALs only.
                guard s.regions.count > 1, segment == History.totalSegment else { return nil }
                var parts: [TargetOutcome] = []
                for r in s.regions {
                    guard let o = outcome(region: r.name, segment: History.totalSegment, metric: metric) else { return nil }
                    parts.append(o)
                }
                let draws: [Double]? = parts.allSatisfy { $0.draws != nil }
                    ? parts.dropFirst().reduce(parts[0].draws!) { sum, p in zip(sum, p.draws!).map { $0 + $1 } } : nil
                return TargetOutcome(deterministic: parts.reduce(0) { $0 + $1.deterministic }, draws: draws, previousTarget: nil, lastRealisation: nil)
            }
            guard let region = s.regions.first(where: { $0.name == name }) else { return nil }
            let total = realisation[Realisation.key(region.name, History.totalSegment)]!
            if segment == History.totalSegment {
                var deterministic = 0.0, persons: [TargetOutcome] = []
                for seg in s.segments where seg.countsPersons && metric.applies(to: seg, region: region.name, in: s) {
                    guard let o = outcome(region: name, segment: seg.name, metric: metric) else { continue }
                    deterministic += o.deterministic
                    persons.append(o)
                }
                guard !persons.isEmpty else { return nil }
                // One persons segment: the total is that segment's figure (as the total row says).
                let draws = persons.count == 1
                    ? persons[0].draws
                    : Realisation.fullYear(mc?.region(region.name)?.planYear(metric), realised: Realisation.regionToDate(s, realisation, region: region.name, year: year, metric))
                return TargetOutcome(
                    deterministic: deterministic, draws: draws,
                    previousTarget: lastTarget(history, region: region.name, segment: History.totalSegment, metric: metric, year: year),
                    lastRealisation: total.previousYear(year, metric))
            }
            guard let seg = s.segments.first(where: { $0.name == segment }), metric.applies(to: seg, region: region.name, in: s) else { return nil }
            let plan = projection.rows(region: region.name, segment: seg.name).filter { $0.month.year == year }
            guard !plan.isEmpty else { return nil }
            let real = realisation[Realisation.key(region.name, seg.name)]!
            let f = figure(seg, metric, region: region.name, plan: plan, cell: mc?.cell(region.name, seg.name), real: real)
            return TargetOutcome(
                deterministic: f.deterministic, draws: f.draws,
                previousTarget: lastTarget(history, region: region.name, segment: seg.name, metric: metric, year: year),
                lastRealisation: real.previousYear(year, metric))
        }

        /// Step 2: workers per company, a company segment's active target against its workers
        /// segment's (target and realised).
        func addWorkersPerCompany(_ rows: inout [TargetRow], region: RegionPlan) {
            for seg in s.segments where !seg.countsPersons {
                guard let workers = seg.workersSegment,
                    let i = rows.firstIndex(where: { $0.region == region.name && $0.segment == seg.name && $0.metric == .active && $0.basis == .projection }),
                    let w = rows.first(where: { $0.region == region.name && $0.segment == workers && $0.metric == .active && $0.basis == .projection })
                else { continue }
                rows[i].workersPerCompany = ratio(w.target, rows[i].target)
                let companies = Dictionary(history.series(region: region.name, segment: seg.name, metric: .active).map { ($0.month, $0.value) }, uniquingKeysWith: { _, b in b })
                if let both = history.series(region: region.name, segment: workers, metric: .active).last(where: { $0.month <= s.actualsUntil && (companies[$0.month] ?? 0) > 0 }) {
                    rows[i].realisedWorkersPerCompany = (both.value / companies[both.month]!, both.month)
                }
            }
        }

        /// Step 3: the region's totals, sums of its persons segments' targets, P(reach) from the
        /// joint draws; a total covers part of the year when one of its segments does.
        func regionTotals(_ region: RegionPlan, totals: [TargetRow.Metric: Double], segments: [TargetRow]) -> [TargetRow] {
            var rows: [TargetRow] = []
            let joint = mc?.region(region.name)
            let totalReal = realisation[Realisation.key(region.name, History.totalSegment)]!
            for metric in TargetRow.Metric.allCases {
                guard let t = totals[metric] else { continue }
                let draws = Realisation.fullYear(joint?.planYear(metric), realised: Realisation.regionToDate(s, realisation, region: region.name, year: year, metric))
                // A history without TOTAL rows: its persons segments' figures summed.
                let comparison = totalReal.previousYear(year, metric)
                    ?? Self.summedRealisation(segments.filter { $0.metric == metric && $0.basis == .projection && $0.countsPersons })
                let realised = comparison?.value
                let previous = lastTarget(history, region: region.name, segment: History.totalSegment, metric: metric, year: year)
                let band = draws.map { d in var v = d; return MonteCarloQuantiles.compute(&v, levels: levels) }
                func total(_ basis: TargetBasis, _ t: Double) -> TargetRow {
                    var probability = draws.map { MonteCarlo.probability($0, atLeast: t) }
                    var quantiles = band
                    // A region of one persons segment: its total is that segment, one figure (the joint
                    // draws are the same draws rounded to whole persons, which could move a P50 by a person).
                    let parts = segments.filter { $0.metric == metric && $0.basis == basis && $0.countsPersons }
                    if parts.count == 1, parts[0].target == t {
                        probability = parts[0].probability
                        quantiles = parts[0].quantiles
                    }
                    var flags = Self.partYear(metric, of: segments)
                    if basis == .issued, let p = probability, p < 0.2 { flags.insert(.reachBelow20, at: 0) }
                    return TargetRow(
                        region: region.name, segment: History.totalSegment, metric: metric, basis: basis,
                        lastRealisation: realised, lastRealisationThrough: comparison?.through, lastTarget: previous, target: t,
                        growthVsRealisation: fullYear(comparison) ? growth(t, over: realised) : nil,
                        growthVsTarget: growth(t, over: previous), coverage: nil, grossAcquisitionsNeeded: nil, expectedLapses: nil,
                        probability: probability, quantiles: quantiles, flags: flags)
                }
                rows.append(total(.projection, t))
                // The region's issued share: its segments' shares summed (exactly the share split).
                let shares = issued.filter { $0.region == region.name && $0.metric == metric }
                if !shares.isEmpty { rows.append(total(.issued, Double(shares.reduce(0) { $0 + $1.target }))) }
            }
            return rows
        }

        /// The previous year's realisation of a total from the rows it sums: their figures summed where
        /// every one has one through the same month, else nil (never a partial sum).
        static func summedRealisation(_ parts: [TargetRow]) -> (value: Double, through: Month)? {
            guard let through = parts.first?.lastRealisationThrough,
                parts.allSatisfy({ $0.lastRealisation != nil && $0.lastRealisationThrough == through })
            else { return nil }
            return (parts.reduce(0) { $0 + $1.lastRealisation! }, through)
        }

        /// `.partYear` when one of the persons rows a total sums covers part of the year only.
        static func partYear(_ metric: TargetRow.Metric, of parts: [TargetRow]) -> [TargetFlag] {
            parts.contains { $0.metric == metric && $0.basis == .projection && $0.countsPersons && $0.flags.contains(.partYear) } ? [.partYear] : []
        }

        /// Step 4: with several regions, the overall total (national, or the Kanwil's): sums of the
        /// region totals, P(reach) from the draws summed across regions draw by draw.
        func overallTotals(_ regionRows: [TargetRow]) -> [TargetRow] {
            var out: [TargetRow] = []
            let rows = regionRows
            if s.regions.count > 1 {
                for metric in TargetRow.Metric.allCases {
                    let regionTotals = rows.filter { $0.isTotal && $0.metric == metric && $0.basis == .projection }
                    guard regionTotals.count == s.regions.count else { continue }
                    let t = regionTotals.reduce(0) { $0 + $1.target }
                    var draws: [Double]? = nil
                    if let mc, mc.regions.count == s.regions.count {
                        var sum = [Double](repeating: 0, count: mc.options.draws)
                        for r in mc.regions {
                            // A region without iuran adds nothing to the iuran total.
                            guard let d = r.planYear(metric) else { continue }
                            let shift = Realisation.regionToDate(s, realisation, region: r.region, year: year, metric)
                            for i in sum.indices { sum[i] += d[i] + shift }
                        }
                        draws = sum
                    }
                    let comparison = Self.summedRealisation(regionTotals)
                    out.append(TargetRow(
                        region: allRegions, segment: History.totalSegment, metric: metric, basis: .projection, lastRealisation: comparison?.value,
                        lastRealisationThrough: comparison?.through, lastTarget: nil, target: t,
                        growthVsRealisation: fullYear(comparison) ? growth(t, over: comparison?.value) : nil, growthVsTarget: nil, coverage: nil,
                        grossAcquisitionsNeeded: nil, expectedLapses: nil, probability: draws.map { MonteCarlo.probability($0, atLeast: t) },
                        quantiles: draws.map { d in var v = d; return MonteCarloQuantiles.compute(&v, levels: levels) }, flags: Self.partYear(metric, of: regionTotals)))
                }
            }
            return out
        }
    }

    /// The plan-year figure a target of (region, segment, metric) is measured against: `segment` a
    /// segment or `TOTAL`, `region` a region or `ALL` (the total over several regions). nil when the
    /// scenario has no such figure.
    public static func outcome(
        _ s: Scenario, history: History, projection: Projection, monteCarlo mc: MonteCarlo.Result?, planYear year: Int,
        region: String, segment: String, metric: TargetRow.Metric
    ) -> TargetOutcome? {
        let c = TableContext(
            s: s, history: history, projection: projection, mc: mc, year: year, levels: mc?.options.quantiles ?? s.uncertainty.quantiles,
            confidence: s.targets.confidence, realisation: Realisation.of(s, history: history))
        return c.outcome(region: region, segment: segment, metric: metric)
    }

    /// The region name of the total over all regions of a scenario.
    public static let allRegions = "ALL"

    /// `value / base`, nil when the base is 0 (or not positive): a growth over, or a share of, nothing is
    /// not defined, and outputs carry no inf or NaN (the tables show "—", targets.json null).
    static func ratio(_ value: Double, _ base: Double?) -> Double? {
        guard let base, base > 0 else { return nil }
        let r = value / base
        return r.isFinite ? r : nil
    }

    static func growth(_ value: Double, over base: Double?) -> Double? { ratio(value, base).map { $0 - 1 } }

    /// Whether a comparison covers the previous year in full (then growth compares annual figures;
    /// otherwise the plan-year view compares the same months).
    static func fullYear(_ c: (value: Double, through: Month)?) -> Bool { c?.through.month == 12 }

    /// The previous year's target (the latest target figure dated in the year before the plan year).
    static func lastTarget(_ h: History, region: String, segment: String, metric: TargetRow.Metric, year: Int) -> Double? {
        guard let m = metric.targetHistoryMetric else { return nil }
        return h.series(region: region, segment: segment, metric: m).last { $0.month.year == year - 1 }?.value
    }
}
