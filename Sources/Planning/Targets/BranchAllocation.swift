/// Splits region targets over branches (Kantor Cabang) that have no history of their own, as whole
/// persons summing exactly to the region's target.
///
/// Rule: each branch's weight is its `potential_share` (branches without one share what the others
/// leave, equally). A stock (active) target of the region's TOTAL is split by coverage gap when every
/// branch states its active members: branch b keeps its a_b and gets the increase T − Σa in proportion
/// to its gap max(s_b·L − a_b, 0) (by weight when no branch has a gap; a fall is split by weight).
/// Every other target is split by weight.
public enum BranchAllocation {
    public struct Row: Sendable, Equatable {
        public var branch: String
        public var target: Int
    }

    public static func weights(_ branches: [BranchPlan]) -> [Double] {
        let given = branches.compactMap(\.potentialShare).reduce(0, +)
        let missing = branches.filter { $0.potentialShare == nil }.count
        let rest = missing > 0 ? max(1 - given, 0) / Double(missing) : 0
        let raw = branches.map { $0.potentialShare ?? rest }
        let total = raw.reduce(0, +)
        return total > 0 ? raw.map { $0 / total } : branches.map { _ in 1 / Double(branches.count) }
    }

    /// - Parameters:
    ///   - target: the region's target (whole persons).
    ///   - regionPotential: the region's potential at the plan year's end (for coverage gaps).
    ///   - stockTotal: true for the region's TOTAL active target (the only one branch actives describe).
    static func allocate(target: Int, branches: [BranchPlan], regionPotential: Double?, stockTotal: Bool) -> [Row] {
        guard !branches.isEmpty else { return [] }
        let w = weights(branches)
        if stockTotal, let l = regionPotential, branches.allSatisfy({ $0.active != nil }) {
            let actives = branches.map { $0.active! }
            let base = actives.map { Whole.clamped($0, .toNearestOrAwayFromZero) }
            let increase = target - base.reduce(0, +)
            if increase >= 0 {
                let gaps = zip(w, actives).map { max($0 * l - $1, 0) }
                let split = Phasing.flow(target: increase, weights: gaps.reduce(0, +) > 0 ? gaps : w)
                return branches.indices.map { Row(branch: branches[$0].name, target: base[$0] + split[$0]) }
            }
        }
        let split = Phasing.flow(target: target, weights: w)
        return branches.indices.map { Row(branch: branches[$0].name, target: split[$0]) }
    }
}

extension BranchAllocation {
    /// Warnings on a branch target; `rawValue` is the stable English code.
    public enum Flag: String, Sendable {
        /// A stock target below the members the branch has: only when the Kanwil's members fall.
        case belowCurrentMembers = "below the branch's current members"
        /// Its share of a Kanwil flow target that covers part of the year only (`TargetFlag.partYear`).
        case partYear = "part of the year only"
    }

    public struct BranchTarget: Sendable, Equatable {
        public var region: String
        public var branch: String
        public var segment: String
        public var metric: TargetRow.Metric
        public var target: Int
        /// January to December: the branch's share of the Kanwil's month (nil where the Kanwil's is).
        public var months: [Double?] = []
        /// P(reach), from the allocated share of the Kanwil's draws (nil without draws).
        public var probability: Double? = nil
        public var flags: [Flag] = []
        /// A share of the Kanwil's issued target (its `issued` rows), not of its own projection.
        public var ofIssued = false
        /// The stable code of what the row splits: "branch allocation" (the Kanwil's projection) or
        /// "branch allocation (issued)".
        public var basisCode: String { TargetBasis.branchAllocation.code + (ofIssued ? " (\(TargetBasis.issued.code))" : "") }
        /// For a branch with its own history: its own projection target (at the planner's confidence)
        /// and where P(reach) comes from; the gap is `target` − `ownTarget`.
        public var ownTarget: Double? = nil
        /// The branch's own realisation of the plan year so far (its history), and through when.
        public var realisedToDate: Double? = nil
        public var realisedThrough: Month? = nil
        /// P(reach) from the branch's own draws (true) or from its share of the Kanwil's (false).
        public var reachFromOwnDraws = false
        /// A stock row's start: the branch's members at `actuals_until` (its stated `active`, scaled
        /// with the others' to the Kanwil's figure then) that its months run from to `target`; nil
        /// without stated members (months by share of the Kanwil's level).
        public var start: Double? = nil
        public var startMonth: Month? = nil

        /// Allocated minus own projection: what the Kanwil asks beyond (or short of) the branch's own
        /// history.
        public var gap: Double? { ownTarget.map { Double(target) - $0 } }
    }

    /// Branch targets for every projection target of a region that lists branches, consistent on
    /// every margin (docs/targets.md, "Branches"): each segment's target splits over the branches, a
    /// branch's TOTAL is the sum of its segments, the branches of a segment sum to the Kanwil's, and so
    /// do their months (controlled rounding). The active TOTAL splits by coverage gap when every
    /// branch states its members (so no branch falls below them while the Kanwil grows), else by
    /// weight; the segments of a branch follow the Kanwil's segment mix.
    ///
    /// `rules`: the allocation rule of each issued indicator. With equal stretch, a region's issued
    /// share goes to its branches at one common level of their own draws where every branch has a
    /// history of its own (`BranchOutlook`): each branch's P(tercapai) of its TOTAL is then the same.
    public static func table(
        _ rows: [TargetRow], scenario s: Scenario, projection: Projection, planYear year: Int,
        phasing: [PlanYearView.PhasedTarget] = [], monteCarlo mc: MonteCarlo.Result? = nil, outlooks: [BranchOutlook] = [],
        rules: [TargetRow.Metric: AllocationRule] = [:]
    ) -> [BranchTarget] {
        var out: [BranchTarget] = []
        for region in s.regions where !region.branches.isEmpty {
            // The region's potential at the plan year's end: the sum over its stock segments.
            let potential = s.segments.compactMap { seg in
                projection.rows(region: region.name, segment: seg.name).last { $0.month.year == year }?.potential.flatMap { seg.flowOnly ? nil : $0 }
            }.reduce(0, +)
            let own = region.branches.map { b in outlooks.first { $0.region == region.name && $0.branch == b.name } }
            let c = RegionSplit(
                region: region, potential: potential, phasing: phasing, mc: mc, own: own,
                starts: own.contains { $0 != nil } ? nil : starts(region, scenario: s, projection: projection),
                startMonth: s.actualsUntil)
            for metric in TargetRow.Metric.allCases {
                // What the branches share: the region's issued target where head office issued one (split
                // down to its segments, `TargetBasis.issued`), else its own projection.
                let basis: TargetBasis = rows.contains { $0.region == region.name && $0.basis == .issued && $0.metric == metric && !$0.isTotal } ? .issued : .projection
                // Persons and iuran; company targets stay with the Kanwil (not split over branches).
                let segments = rows.filter { $0.region == region.name && $0.basis == basis && $0.metric == metric && !$0.isTotal && $0.countsPersons }
                guard !segments.isEmpty else { continue }
                let columns = segments.map { Whole.clamped($0.target) }
                let totals = c.branchTotals(metric, total: columns.reduce(0, +), stretch: basis == .issued && rules[metric] == .equalStretch)
                let split = ControlledRounding.round(c.segmentMix(metric, segments: segments, totals: totals, columns: columns), rows: totals, columns: columns)
                let (targets, totalMonths, totalDraws, totalStarts) = c.segmentTargets(metric, segments: segments, split: split, columns: columns)
                // A branch's TOTAL covers part of the year where one of its segments does.
                let branchTotals = c.totalTargets(metric, totals: totals, months: totalMonths, draws: totalDraws, starts: totalStarts).map { t in
                    var t = t
                    if targets.contains(where: { $0.branch == t.branch && $0.flags.contains(.partYear) }) { t.flags.append(.partYear) }
                    return t
                }
                out += (targets + branchTotals).map { t in
                    var t = t
                    t.ofIssued = basis == .issued
                    return t
                }
            }
        }
        return out
    }

    /// Where the branches' stock months start (docs/targets.md, "Branches"): each branch's stated
    /// `active`, scaled with the others' so that they sum to the Kanwil's members at `actuals_until`
    /// (its persons stock segments' projection starts), by segment in the Kanwil's mix then. nil
    /// unless every branch states its members.
    public struct Starts: Sendable {
        /// Per branch: its start, and by segment.
        public var branch: [Double]
        public var bySegment: [[String: Double]]
        /// Σ stated members and the Kanwil's figure they were scaled to.
        public var stated: Double
        public var kanwil: Double
    }

    public static func starts(_ region: RegionPlan, scenario s: Scenario, projection: Projection) -> Starts? {
        let stated = region.branches.map(\.active)
        guard !stated.isEmpty, stated.allSatisfy({ $0 != nil }) else { return nil }
        let sum = stated.reduce(0) { $0 + $1! }
        var kanwil: [String: Double] = [:]
        for seg in s.segments where !seg.flowOnly && seg.countsPersons {
            if let start = projection.start(region: region.name, segment: seg.name) { kanwil[seg.name] = start.active }
        }
        let total = kanwil.values.reduce(0, +)
        guard sum > 0, total > 0 else { return nil }
        let branch = stated.map { $0! * total / sum }
        return Starts(branch: branch, bySegment: branch.map { b in kanwil.mapValues { b * $0 / total } }, stated: sum, kanwil: total)
    }

    /// One region's split over its branches, in named steps for each metric: the branches' totals, the
    /// segment mix within each branch, the segments' targets, the branches' TOTALs.
    struct RegionSplit {
        let region: RegionPlan
        let potential: Double
        let phasing: [PlanYearView.PhasedTarget]
        let mc: MonteCarlo.Result?
        /// Branches calibrated on their own history (nil: allocated only).
        let own: [BranchOutlook?]
        /// Where the branches' stock months start (nil: by share of the Kanwil's level).
        let starts: Starts?
        let startMonth: Month
        var branches: [BranchPlan] { region.branches }
        var anyOwn: Bool { own.contains { $0 != nil } }

        /// Step 1: each branch's total: by coverage gap (stocks, every branch's members known), else
        /// weight. A calibrated branch weighs in with its own projection target, the others with their
        /// allocation: the Kanwil's total is split in proportion (whole persons, exact).
        ///
        /// `stretch` (an issued share by equal stretch) with every branch's own draws: the branches'
        /// type-7 quantiles at the one level u where they sum to the share (`IssuedAllocation.equalStretch`),
        /// whole and exact; the rule above when the share is outside what their draws reach together.
        func branchTotals(_ metric: TargetRow.Metric, total: Int, stretch: Bool = false) -> [Int] {
            if stretch {
                let draws = own.compactMap { $0?.draws(History.totalSegment, metric) }
                if draws.count == own.count, let found = IssuedAllocation.equalStretch(sorted: draws.map { $0.sorted() }, total: Double(total)) {
                    return Phasing.flow(target: total, weights: found.quantiles)
                }
            }
            let totals = allocate(target: total, branches: branches, regionPotential: potential, stockTotal: !metric.isFlow).map(\.target)
            guard anyOwn else { return totals }
            let weights = branches.indices.map { b in own[b]?.target(History.totalSegment, metric).map { max($0.target, 0) } ?? Double(totals[b]) }
            return Phasing.flow(target: total, weights: weights)
        }

        /// Step 2: the segment mix within each branch (before rounding): the Kanwil's, or within a
        /// calibrated branch its own, raked to the Kanwil's segment targets.
        func segmentMix(_ metric: TargetRow.Metric, segments: [TargetRow], totals: [Int], columns: [Int]) -> [[Double]] {
            let total = columns.reduce(0, +)
            let kanwilMix = totals.map { t in columns.map { total > 0 ? Double(t) * Double($0) / Double(total) : 0 } }
            guard anyOwn else { return kanwilMix }
            let ownMix = branches.indices.map { b -> [Double] in
                guard let o = own[b] else { return kanwilMix[b] }
                let mix = segments.map { o.target($0.segment, metric).map { max($0.target, 0) } ?? 0 }
                let sum = mix.reduce(0, +)
                return sum > 0 ? mix.map { Double(totals[b]) * $0 / sum } : kanwilMix[b]
            }
            let raked = ControlledRounding.rake(ownMix, rows: totals, columns: columns, fallback: kanwilMix)
            // Raking can fail where the mixes leave no table with these totals: the Kanwil's mix then.
            let rowsMet = raked.indices.allSatisfy { abs(raked[$0].reduce(0, +) - Double(totals[$0])) < 1e-6 }
            return rowsMet ? raked : kanwilMix
        }

        /// Step 3: each segment's branch targets, months and P(reach), with the months and draws each
        /// branch's TOTAL sums.
        func segmentTargets(_ metric: TargetRow.Metric, segments: [TargetRow], split: [[Int]], columns: [Int])
            -> (targets: [BranchTarget], totalMonths: [[Double?]], totalDraws: [[Double]]?, totalStarts: [Double?])
        {
            var out: [BranchTarget] = []
            var totalMonths = branches.map { _ in [Double?](repeating: 0, count: 12) }
            var totalDraws: [[Double]]? = nil
            var totalStarts = [Double?](repeating: nil, count: branches.count)
            for (j, seg) in segments.enumerated() {
                let kanwil = phasing.first { $0.row.region == region.name && $0.row.segment == seg.segment && $0.row.metric == metric && $0.row.basis == seg.basis }
                // A calibrated branch's stock months follow its own path (its realised months, then
                // its own projection bent from its last stock to its allocated target), so the first
                // months start from what it has; the others share what is left.
                let paths: [[Double?]?] = branches.indices.map { b in
                    metric.isFlow ? nil : own[b]?.stockPath(seg.segment, to: Double(split[b][j]))
                }
                let segmentStarts = metric.isFlow ? nil : starts.map { st in st.bySegment.map { $0[seg.segment] ?? 0 } }
                let months = branchMonths(kanwil, annual: split.map { $0[j] }, metric: metric, ownPaths: paths, starts: segmentStarts, startMonth: startMonth)
                // The year-end draws; flows with the months realised so far added (full years).
                let draws = Realisation.fullYear(
                    segmentDraws(mc, region: region.name, segment: seg.segment, metric: metric), realised: metric.isFlow ? seg.realisedToDate ?? 0 : 0)
                for (b, branch) in branches.enumerated() {
                    let n = split[b][j]
                    var bt = BranchTarget(region: region.name, branch: branch.name, segment: seg.segment, metric: metric, target: n, months: months[b])
                    if seg.flags.contains(.partYear) { bt.flags.append(.partYear) }
                    if let segmentStarts {
                        // Within the plan year the start is its month's figure (one number for both).
                        let inYear = kanwil?.months.contains { $0.month == startMonth } == true
                        bt.start = inYear ? months[b][startMonth.month - 1] ?? segmentStarts[b] : segmentStarts[b]
                        bt.startMonth = startMonth
                        totalStarts[b] = (totalStarts[b] ?? 0) + bt.start!
                    }
                    let share = columns[j] > 0 ? Double(n) / Double(columns[j]) : 0
                    if let o = own[b], let ownRow = o.target(seg.segment, metric) {
                        bt.ownTarget = ownRow.target
                        bt.realisedToDate = ownRow.realisedToDate
                        bt.realisedThrough = ownRow.realisedThrough
                        if let d = o.draws(seg.segment, metric) {
                            bt.probability = MonteCarlo.probability(d, atLeast: Double(n))
                            bt.reachFromOwnDraws = true
                        }
                    } else if let draws, share > 0 {
                        bt.probability = MonteCarlo.probability(draws.map { $0 * share }, atLeast: Double(n))
                    }
                    out.append(bt)
                    for k in 0..<12 { totalMonths[b][k] = totalMonths[b][k].flatMap { t in months[b][k].map { t + $0 } } }
                }
                if let draws {
                    if totalDraws == nil { totalDraws = branches.map { _ in [Double](repeating: 0, count: draws.count) } }
                    for b in branches.indices {
                        let share = columns[j] > 0 ? Double(split[b][j]) / Double(columns[j]) : 0
                        for i in draws.indices { totalDraws![b][i] += draws[i] * share }
                    }
                } else {
                    totalDraws = nil
                }
            }
            return (out, totalMonths, totalDraws, totalStarts)
        }

        /// Step 4: each branch's TOTAL, its segments summed, with its P(reach) and the flag for a stock
        /// below the members it has.
        func totalTargets(_ metric: TargetRow.Metric, totals: [Int], months: [[Double?]], draws: [[Double]]?, starts: [Double?]) -> [BranchTarget] {
            branches.enumerated().map { b, branch in
                var bt = BranchTarget(region: region.name, branch: branch.name, segment: History.totalSegment, metric: metric, target: totals[b], months: months[b])
                if let o = own[b], let ownRow = o.target(History.totalSegment, metric) {
                    bt.ownTarget = ownRow.target
                    if let d = o.draws(History.totalSegment, metric) {
                        bt.probability = MonteCarlo.probability(d, atLeast: Double(totals[b]))
                        bt.reachFromOwnDraws = true
                    }
                } else if let d = draws?[b] {
                    bt.probability = MonteCarlo.probability(d, atLeast: Double(totals[b]))
                }
                if let start = starts[b] {
                    bt.start = start
                    bt.startMonth = startMonth
                }
                if !metric.isFlow, let a = branch.active, Double(totals[b]) < a.rounded() { bt.flags.append(.belowCurrentMembers) }
                return bt
            }
        }
    }

    /// The branches' months of one segment target: flows split the Kanwil's months in proportion to
    /// the branches' annual targets with every margin exact; stocks give each branch its share of the
    /// Kanwil's level (largest remainder each month, December its target). With `starts` (each
    /// branch's members at `actuals_until`, summing to the Kanwil's), a projected month weighs each
    /// branch by its own path: start + (target − start) × the Kanwil's progress from its start to
    /// December, (level − ΣS) ÷ (December − ΣS) (by months elapsed when the Kanwil's is flat).
    static func branchMonths(
        _ kanwil: PlanYearView.PhasedTarget?, annual: [Int], metric: TargetRow.Metric, ownPaths: [[Double?]?] = [], starts: [Double]? = nil,
        startMonth: Month? = nil
    ) -> [[Double?]] {
        guard let kanwil else { return annual.map { _ in [Double?](repeating: nil, count: 12) } }
        let total = annual.reduce(0, +)
        let values = kanwil.months.map(\.value)
        if metric.isFlow {
            let present = values.indices.filter { values[$0] != nil }
            let columns = present.map { Whole.clamped(values[$0]!, .toNearestOrAwayFromZero) }
            guard columns.reduce(0, +) == total else { return annual.map { _ in [Double?](repeating: nil, count: 12) } }
            let seed = annual.map { a in present.map { total > 0 ? Double(a) * values[$0]! / Double(total) : 0 } }
            let split = ControlledRounding.round(seed, rows: annual, columns: columns)
            return annual.indices.map { b in
                var row = [Double?](repeating: nil, count: 12)
                for (j, k) in present.enumerated() { row[k] = Double(split[b][j]) }
                return row
            }
        } else {
            var rows = annual.map { _ in [Double?](repeating: nil, count: 12) }
            let projected = kanwil.months.indices.filter { kanwil.months[$0].status == .projected && values[$0] != nil }
            let start = starts?.reduce(0, +) ?? 0, december = values[11] ?? start
            for k in 0..<12 {
                guard let level = values[k] else { continue }
                // The start's own month (actuals_until within the plan year): the starts themselves.
                let atStart = kanwil.months[k].month == startMonth
                if let starts, atStart || projected.contains(k) {
                    let position = projected.firstIndex(of: k).map { $0 + 1 } ?? 0
                    let progress = atStart ? 0 : abs(december - start) >= 0.5 ? (level - start) / (december - start) : Double(position) / Double(projected.count)
                    let weights = annual.indices.map { b in max(starts[b] + (Double(annual[b]) - starts[b]) * progress, 0) }
                    let split = Phasing.flow(target: Whole.clamped(level, .toNearestOrAwayFromZero), weights: weights)
                    for b in annual.indices { rows[b][k] = Double(split[b]) }
                    continue
                }
                // A branch with its own path takes it; the others share what is left of the level in
                // proportion to their annual targets (all scaled down together if the paths exceed it).
                let path = annual.indices.map { b -> Double? in b < ownPaths.count ? ownPaths[b]?[k] ?? nil : nil }
                let rest = max(level - path.compactMap { $0 }.reduce(0, +), 0)
                let others = annual.indices.filter { path[$0] == nil }.reduce(0) { $0 + annual[$1] }
                let weights = annual.indices.map { b in path[b] ?? (others > 0 ? rest * Double(annual[b]) / Double(others) : 0) }
                let split = Phasing.flow(target: Whole.clamped(level, .toNearestOrAwayFromZero), weights: weights)
                for b in annual.indices { rows[b][k] = Double(split[b]) }
            }
            return rows
        }
    }

    /// The Kanwil segment's year-end draws (December's stock, or the year's projected acquisitions or
    /// iuran).
    static func segmentDraws(_ mc: MonteCarlo.Result?, region: String, segment: String, metric: TargetRow.Metric) -> [Double]? {
        guard let cell = mc?.cell(region, segment) else { return nil }
        return cell.planYear(metric)
    }
}
