import Foundation

/// What the history says about a plan year and the year before it, month by month: the realised
/// side of the plan-year ledger (docs/targets.md, "The plan-year ledger"). Months after
/// `actuals_until` are never realised here, even when the history has rows for them.
public struct Realisation: Sendable {
    /// Realised figures per month, keyed by metric: acquisitions (monthly figures, or year-to-date
    /// figures spread over the months they cover), the stock (the month's active figure), iuran
    /// (rupiah) and reactivations as the history gives them.
    var byMetric: [TargetRow.Metric: [Month: Double]]
    /// The factor the projection puts on the stated iuran (`IuranCalibration`): a realised month
    /// estimated from members uses it too, so it pays what the projected months pay.
    var iuranFactor = 1.0

    init(history: History, region: String, segment: String, through last: Month) {
        byMetric = [:]
        for metric in TargetRow.Metric.allCases {
            if metric == .acquisitions {
                // Flows may come as year-to-date figures: spread over the months they cover.
                byMetric[metric] = MonthlyFlows(history: history, region: region, segment: segment, until: last).byMonth
                continue
            }
            byMetric[metric] = Dictionary(
                history.series(region: region, segment: segment, metric: metric.historyMetric).filter { $0.month <= last }.map { ($0.month, $0.value) },
                uniquingKeysWith: { _, b in b })
        }
    }

    /// The last realised stock (up to `actuals_until`), if any.
    var lastStock: Double? { byMetric[.active]?.max { $0.key < $1.key }?.value }

    /// The realised figure of a metric in a month, if any.
    func value(_ metric: TargetRow.Metric, _ month: Month) -> Double? { byMetric[metric]?[month] }

    /// The realised months of `year` for a metric, in month order.
    func months(of year: Int, _ metric: TargetRow.Metric) -> [(month: Month, value: Double)] {
        let source = byMetric[metric] ?? [:]
        return (1...12).compactMap { m in
            let month = Month(year: year, month: m)
            return source[month].map { (month, $0) }
        }
    }

    /// A flow's months of `year` realised so far: their sum and the last month they cover.
    func flowToDate(_ year: Int, _ metric: TargetRow.Metric) -> (value: Double, through: Month)? {
        let ms = months(of: year, metric)
        guard let last = ms.last else { return nil }
        return (ms.reduce(0) { $0 + $1.value }, last.month)
    }

    /// What a plan-year target is compared with: the previous year in full where the history has it
    /// (December's stock; twelve months of acquisitions), else the same months of it, from January
    /// through `through` (the stock at that month; acquisitions January to that month). Nil when the
    /// previous year's figures do not run from January without a gap (acquisitions) or are missing.
    func previousYear(_ year: Int, _ metric: TargetRow.Metric) -> (value: Double, through: Month)? {
        let ms = months(of: year - 1, metric)
        guard let last = ms.last else { return nil }
        guard metric.isFlow else { return (last.value, last.month) }
        // A flow: January to the last month, without a gap.
        guard ms.count == last.month.month else { return nil }
        return (ms.reduce(0) { $0 + $1.value }, last.month)
    }
}

extension Realisation {
    /// The plan year's realised iuran by month, for targets and their phasing: the history's figure,
    /// or, for a realised month the history gives members (flow-only: acquisitions) but no iuran for,
    /// members × contribution × collection (`estimated` lists those months).
    func iuranMonths(of year: Int, plan: IuranPlan, flowOnly: Bool) -> (months: [(month: Month, value: Double)], estimated: [Month]) {
        var out: [(month: Month, value: Double)] = [], estimated: [Month] = []
        for m in (1...12).map({ Month(year: year, month: $0) }) {
            if let v = value(.iuran, m) {
                out.append((m, v))
            } else if let members = value(flowOnly ? .acquisitions : .active, m) {
                out.append((m, plan.due(members: members, acquired: members, flowOnly: flowOnly) * plan.collection * iuranFactor))
                estimated.append(m)
            }
        }
        return (out, estimated)
    }

    /// The plan year's iuran realised so far (`iuranMonths` summed), the last month it covers and
    /// whether any month of it is estimated; nil when no month is realised.
    func iuranToDate(_ year: Int, plan: IuranPlan, flowOnly: Bool) -> (value: Double, through: Month, estimated: Bool)? {
        let (ms, estimated) = iuranMonths(of: year, plan: plan, flowOnly: flowOnly)
        guard let last = ms.last else { return nil }
        return (ms.reduce(0) { $0 + $1.value }, last.month, !estimated.isEmpty)
    }

    /// The full-year rule's realised part (docs/targets.md, "The plan-year view"), its one home: a
    /// flow's plan-year figure is the months realised so far plus the projected months, and this is
    /// what the months realised so far add, with the last month they cover. Acquisitions from the
    /// history; iuran from the history or estimated from members (`estimated` says so); reactivations
    /// from the history where the lever acts on the cell. Nil for a stock (December is projected
    /// whole), a flow the segment does not have (`Metric.applies`), or when no month of the year is
    /// realised.
    func toDate(_ year: Int, _ metric: TargetRow.Metric, segment: SegmentPlan, region: String, in s: Scenario) -> (value: Double, through: Month, estimated: Bool)? {
        guard metric.isFlow, metric.applies(to: segment, region: region, in: s) else { return nil }
        if metric == .iuran, let plan = segment.iuran { return iuranToDate(year, plan: plan, flowOnly: segment.flowOnly) }
        return flowToDate(year, metric).map { ($0.value, $0.through, false) }
    }

    /// The realised part of a region's TOTAL: the sum over its persons segments (companies are never
    /// summed with persons) of `toDate`.
    static func regionToDate(_ s: Scenario, _ realisation: [CellKey: Realisation], region: String, year: Int, _ metric: TargetRow.Metric) -> Double {
        s.segments.filter(\.countsPersons).reduce(0) { sum, seg in
            guard let r = realisation[key(region, seg.name)] else { return sum }
            return sum + (r.toDate(year, metric, segment: seg, region: region, in: s)?.value ?? 0)
        }
    }

    /// Whether a flow's plan-year figure covers part of the year only: a month of `year` up to
    /// `actualsUntil` has no realised figure (iuran: nor an estimate from members), so the figure
    /// (those realised plus the projected) leaves it out. The one home of the part-year rule.
    func partYear(_ year: Int, _ metric: TargetRow.Metric, segment: SegmentPlan, actualsUntil: Month) -> Bool {
        guard metric.isFlow, actualsUntil.year >= year else { return false }
        let through = actualsUntil.year > year ? 12 : actualsUntil.month
        let covered: Set<Month>
        if metric == .iuran, let p = segment.iuran {
            covered = Set(iuranMonths(of: year, plan: p, flowOnly: segment.flowOnly).months.map(\.month))
        } else {
            covered = Set(months(of: year, metric).map(\.month))
        }
        return (1...through).contains { !covered.contains(Month(year: year, month: $0)) }
    }

    /// A full year per draw: each draw's projected months plus the months realised so far.
    static func fullYear(_ projected: [Double]?, realised: Double) -> [Double]? {
        projected.map { d in d.map { $0 + realised } }
    }

    /// The realisation of every region × segment of a scenario, through its `actuals_until`.
    static func of(_ s: Scenario, history: History) -> [CellKey: Realisation] {
        var out: [CellKey: Realisation] = [:]
        for region in s.regions {
            for seg in s.segments + [SegmentPlan(name: History.totalSegment)] {
                var r = Realisation(history: history, region: region.name, segment: seg.name, through: s.actualsUntil)
                if let plan = seg.iuran {
                    r.iuranFactor = IuranCalibration.measure(plan, segment: seg, region: region.name, history: history, until: s.actualsUntil)?.factor ?? 1
                }
                out[key(region.name, seg.name)] = r
            }
        }
        return out
    }

    static func key(_ region: String, _ segment: String) -> CellKey { CellKey(region, segment) }
}
