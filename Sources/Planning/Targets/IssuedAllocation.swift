import Fitting

/// How an issued target (head office's figure for all the scenario's regions) is split over them
/// (docs/targets.md, "An issued target split down").
public enum AllocationRule: String, Sendable, CaseIterable {
    /// In proportion to each unit's deterministic projection.
    case proportional
    /// In proportion to each unit's uncovered potential (potential − members at the plan's start); a
    /// stock (year-end active) keeps each unit's members and splits the increase so.
    case coverageGap = "coverage_gap"
    /// Each unit's target the quantile of its own draws at one common level: every unit faces the same
    /// P(tercapai), the level chosen so that the targets sum to the issued figure.
    case equalStretch = "equal_stretch"
}

/// An issued target split over the units (the scenario's regions), beside each unit's own proposal.
public struct IssuedAllocation: Sendable {
    public struct Unit: Sendable {
        public var region: String
        /// The unit's own proposal (ajuan): its projection target at `targets.confidence`.
        public var proposal: Double
        public var proposalReach: Double?
        /// Its share of the issued target, whole (the shares sum to the issued figure exactly).
        public var allocated: Int
        /// P(tercapai) of the allocated target from the unit's own draws.
        public var reach: Double?
        /// Allocated − proposal.
        public var gap: Double { Double(allocated) - proposal }
        /// What the rule weighed the unit by (its projection, its uncovered potential), or its
        /// quantile at the common level (equal stretch), before rounding.
        public var exact: Double
    }

    /// Where an issued figure stands against the draws of its units.
    public enum Bound: String, Sendable {
        /// Below what the units reach together even in their worst draws: every share is then
        /// reached in every draw, and equal stretch splits in proportion to those worst draws.
        case belowEveryDraw = "below_every_draw"
        /// Above what they reach together in their best draws: no share is reached in any draw.
        case aboveEveryDraw = "above_every_draw"
    }

    public var metric: TargetRow.Metric
    public var issued: Int
    public var rule: AllocationRule
    public var units: [Unit]
    /// P(the units together reach the issued figure) from the joint draws (the national total draw
    /// by draw, not the units' probabilities combined).
    public var totalReach: Double?
    /// Equal stretch: the common P(tercapai), the mean of the units' P(tercapai) of their whole shares
    /// (1 − the common quantile level, up to a draw or two from the rounding to whole persons).
    public var commonReach: Double?
    public var bound: Bound?
    /// P(the units together reach the sum of their proposals) from the joint draws.
    public var proposalSumReach: Double?
    /// The units' tier (the scenario's `region_level`); the issued figure is one above.
    public var unitLevel: PlanLevel = .kanwil
    /// Units whose branches have targets: those split the unit's share of the issued figure (its
    /// `issued` rows, `BranchAllocation.table`) by the branch rule, which the outputs name.
    public var unitsWithBranches: [String] = []
    public var proposalSum: Double { units.reduce(0) { $0 + $1.proposal } }

    /// The level u at which the units' type-7 quantiles sum to `total`, and those quantiles: Σ Q_i(u) is
    /// continuous and non-decreasing in u, so bisection finds it (to 1e-12 of a level). nil when
    /// `total` is outside [Σ min, Σ max] of the draws. `sorted`: each unit's draws in ascending order.
    public static func equalStretch(sorted: [[Double]], total: Double) -> (level: Double, quantiles: [Double])? {
        func quantile(_ x: [Double], _ u: Double) -> Double {
            let h = Double(x.count - 1) * u
            let k = min(Whole.clamped(h, .down), x.count - 1)
            return k + 1 < x.count ? x[k] + (h - Double(k)) * (x[k + 1] - x[k]) : x[k]
        }
        func sum(_ u: Double) -> Double { sorted.reduce(0) { $0 + quantile($1, u) } }
        guard !sorted.isEmpty, sorted.allSatisfy({ !$0.isEmpty }), total >= sum(0), total <= sum(1) else { return nil }
        var lo = 0.0, hi = 1.0
        for _ in 0..<80 where hi - lo > 1e-12 {
            let mid = (lo + hi) / 2
            if sum(mid) < total { lo = mid } else { hi = mid }
        }
        return (hi, sorted.map { quantile($0, hi) })
    }

    /// Splits `issued` of `metric` over `units` by `rule`. `weights`: each unit's projection
    /// (proportional) or uncovered potential (coverage gap); `draws`: each unit's plan-year figure per
    /// draw (the same draws for all: joint), required for equal stretch; `proposals`: each unit's own
    /// target and its P(tercapai); `members`: with coverage_gap for a stock, each unit's members at the
    /// plan's start, which its share keeps (only the increase is split by the gaps: no unit is given a
    /// year-end below what it has; a fall is split in proportion to the members).
    public static func split(
        issued: Int, metric: TargetRow.Metric, rule: AllocationRule, units: [String], weights: [Double], draws: [[Double]]?,
        proposals: [(target: Double, reach: Double?)], members: [Double]? = nil
    ) -> IssuedAllocation {
        var exact: [Double]
        var bound: Bound? = nil
        var common: Double? = nil
        switch rule {
        case .coverageGap where members != nil:
            let base = members!.map { max($0, 0) }
            let increase = Double(issued) - base.reduce(0, +), gaps = weights.map { max($0, 0) }, gapTotal = gaps.reduce(0, +)
            if increase >= 0 {
                exact = base.indices.map { base[$0] + (gapTotal > 0 ? increase * gaps[$0] / gapTotal : increase / Double(max(units.count, 1))) }
            } else {
                let total = base.reduce(0, +)
                exact = base.map { total > 0 ? $0 / total * Double(issued) : Double(issued) / Double(max(units.count, 1)) }
            }
        case _ where rule != .equalStretch || (draws ?? []).isEmpty:
            // Proportional, coverage gap, or (never reached from a scenario, which needs draws for it)
            // equal stretch without draws: in proportion to the weights.
            let total = weights.reduce(0) { $0 + max($1, 0) }
            exact = weights.map { total > 0 ? max($0, 0) / total * Double(issued) : Double(issued) / Double(max(units.count, 1)) }
        default:
            let sorted = (draws ?? []).map { $0.sorted() }
            if let found = equalStretch(sorted: sorted, total: Double(issued)) {
                exact = found.quantiles
            } else {
                // Outside what the draws reach together: split as the worst (or best) draws are.
                let below = Double(issued) < sorted.reduce(0) { $0 + ($1.first ?? 0) }
                bound = below ? .belowEveryDraw : .aboveEveryDraw
                let edge = sorted.map { (below ? $0.first : $0.last) ?? 0 }
                let total = edge.reduce(0, +)
                exact = edge.map { total > 0 ? $0 / total * Double(issued) : Double(issued) / Double(max(units.count, 1)) }
            }
        }
        // Whole targets that sum to the issued figure exactly (largest remainder).
        let whole = Phasing.flow(target: issued, weights: exact)
        let result = units.indices.map { i in
            Unit(
                region: units[i], proposal: proposals[i].target, proposalReach: proposals[i].reach, allocated: whole[i],
                reach: draws.map { MonteCarlo.probability($0[i], atLeast: Double(whole[i])) }, exact: exact[i])
        }
        if rule == .equalStretch, bound == nil, let draws, !draws.isEmpty {
            // The common P(tercapai): the mean of the units' (equal within the rounding of a person).
            common = result.compactMap(\.reach).reduce(0, +) / Double(result.count)
        }
        var national: Double? = nil, proposalSumReach: Double? = nil
        if let draws, let n = draws.first?.count {
            let sums = (0..<n).map { d in draws.reduce(0) { $0 + $1[d] } }
            national = MonteCarlo.probability(sums, atLeast: Double(issued))
            proposalSumReach = MonteCarlo.probability(sums, atLeast: proposals.reduce(0) { $0 + $1.target })
        }
        var a = IssuedAllocation(metric: metric, issued: issued, rule: rule, units: result, totalReach: national, commonReach: common, bound: bound)
        a.proposalSumReach = proposalSumReach
        return a
    }
}

extension IssuedAllocation {
    /// What the split needs of one unit (a region of `s`): its plan-year TOTAL (its persons segments'
    /// joint draws, `Targets.outcome`, the one home of a target's per-draw figure), its own proposal
    /// (the sum of its segments' projection targets, as its TOTAL row) with its P(tercapai), and its
    /// weight under `rule`: its projection, or for coverage_gap its uncovered potential at the first
    /// projected month. nil when the scenario has no such figure.
    static func unit(
        _ s: Scenario, history: History, projection: Projection, monteCarlo mc: MonteCarlo.Result?, planYear year: Int, targets: [TargetRow],
        region: String, segment: String = History.totalSegment, metric: TargetRow.Metric, rule: AllocationRule
    ) -> UnitInput? {
        guard let outcome = Targets.outcome(s, history: history, projection: projection, monteCarlo: mc, planYear: year, region: region, segment: segment, metric: metric)
        else { return nil }
        // The persons segments the unit is: all of the region's for its TOTAL, or the one segment.
        let persons = s.segments.filter { $0.countsPersons && (segment == History.totalSegment || $0.name == segment) }
        let names = Set(persons.map(\.name))
        let own = targets.filter { $0.region == region && $0.metric == metric && $0.basis == .projection && names.contains($0.segment) }
        let target = own.reduce(0) { $0 + $1.target }
        let weight: Double
        switch rule {
        case .coverageGap:
            let first = s.actualsUntil.adding(months: 1)
            weight = projection.rows.filter { $0.region == region && $0.month == first && names.contains($0.segment) }
                .reduce(0) { $0 + max(($1.potential ?? 0) - ($1.active ?? 0), 0) }
        case .proportional, .equalStretch:
            weight = outcome.deterministic
        }
        // A stock's members at the plan's start (its persons stock segments' projection starts).
        let members = metric.isFlow ? nil : persons.filter { !$0.flowOnly }
            .compactMap { projection.start(region: region, segment: $0.name)?.active }.reduce(0, +)
        // A flow's realisation so far (its persons segments' rows): no share may fall below it.
        let realised = metric.isFlow ? own.reduce(0) { $0 + ($1.realisedToDate ?? 0) } : 0
        return (outcome, (target, mc == nil ? nil : outcome.probability(atLeast: target)), weight, members, realised)
    }

    /// Whole shares raised to their floors, what that adds taken from the others' room above theirs
    /// in proportion to it (largest remainder), so the sum is kept; unchanged when the floors
    /// together exceed it (the unit's share is below its realisation: its rows say so).
    static func atLeast(_ shares: [Int], floors: [Int]) -> [Int] {
        let total = shares.reduce(0, +)
        guard floors.reduce(0, +) <= total, zip(shares, floors).contains(where: { $0 < $1 }) else { return shares }
        let raised = zip(shares, floors).map { max($0, $1) }
        let room = zip(raised, floors).map { Double($0 - $1) }
        let taken = Phasing.flow(target: raised.reduce(0, +) - total, weights: room)
        return raised.indices.map { raised[$0] - taken[$0] }
    }

    /// What a split needs of one unit (`unit`): its per-draw outcome, its proposal and P(tercapai),
    /// its weight under the rule, a stock's members at the start, a flow's realisation so far.
    typealias UnitInput = (outcome: TargetOutcome, proposal: (target: Double, reach: Double?), weight: Double, members: Double?, realised: Double)

    /// A unit's issued share held by one of its persons segments (a target row of basis `issued`).
    public struct SegmentShare: Sendable, Equatable {
        public var region: String
        public var segment: String
        public var metric: TargetRow.Metric
        public var target: Int
    }

    /// Each unit of `s` split its allocated share over its persons segments with the allocation's own
    /// rule, the segments' projection targets as their proposals (docs/targets.md, "An issued target
    /// split down"): equal stretch at one common level of the segments' own draws (the cells'; the
    /// same draws for all, so joint), coverage gap by their uncovered potential (a stock's members
    /// kept), or in proportion to their projections. Whole persons that sum exactly to the unit's
    /// share. A national plan calls this once per Kanwil file.
    public static func segmentShares(
        _ allocations: [IssuedAllocation], _ s: Scenario, history: History, projection: Projection, monteCarlo mc: MonteCarlo.Result?,
        planYear year: Int, targets: [TargetRow]
    ) -> [SegmentShare] {
        var out: [SegmentShare] = []
        for a in allocations {
            for u in a.units where s.regions.contains(where: { $0.name == u.region }) {
                // The segments with a projection target and an outcome of their own. The unit's TOTAL
                // is the sum of its persons segments that have one (`Targets.outcome`), and a unit has
                // a share only when its TOTAL has an outcome: the split is over exactly those segments,
                // and there is at least one (the guard cannot fail; it keeps a broken invariant from
                // trapping).
                func segmentInputs(_ rule: AllocationRule) -> [(segment: String, input: UnitInput)] {
                    s.segments.filter { seg in
                        seg.countsPersons && targets.contains { $0.region == u.region && $0.segment == seg.name && $0.metric == a.metric && $0.basis == .projection }
                    }.compactMap { seg in
                        unit(s, history: history, projection: projection, monteCarlo: mc, planYear: year, targets: targets, region: u.region, segment: seg.name, metric: a.metric, rule: rule)
                            .map { (seg.name, $0) }
                    }
                }
                var rule = a.rule
                var pairs = segmentInputs(rule)
                guard !pairs.isEmpty else { continue }
                var segments = pairs.map(\.segment)
                var inputs = pairs.map(\.input)
                // Coverage gap needs every segment's potential; a flow-only segment (no potential) would
                // get nothing: the segments then share in proportion to their projections.
                if rule == .coverageGap, inputs.contains(where: { $0.weight <= 0 }) {
                    rule = .proportional
                    pairs = segmentInputs(rule)
                    (segments, inputs) = (pairs.map(\.segment), pairs.map(\.input))
                }
                let split = split(issued: (a.metric, u.allocated), rule: rule, units: segments, inputs: inputs, drawn: mc != nil)
                // (No flow share falls below its segment's realisation: `split` floors it, as for units.)
                out += zip(segments, split.units.map(\.allocated)).map { SegmentShare(region: u.region, segment: $0, metric: a.metric, target: $1) }
            }
        }
        return out
    }

    /// Splits an issued figure over units with their `unit` inputs (the same draws for all: joint).
    static func split(
        issued: (metric: TargetRow.Metric, value: Int), rule: AllocationRule, units: [String],
        inputs: [UnitInput], drawn: Bool
    ) -> IssuedAllocation {
        let draws = inputs.map { $0.outcome.draws ?? [] }
        let members = inputs.allSatisfy { $0.members != nil } ? inputs.map { $0.members! } : nil
        let joint = drawn && draws.allSatisfy({ !$0.isEmpty }) ? draws : nil
        var a = split(
            issued: issued.value, metric: issued.metric, rule: rule, units: units, weights: inputs.map(\.weight),
            draws: joint, proposals: inputs.map(\.proposal), members: members)
        // No flow share below what its unit has realised this year (then it is not one stretch).
        let raised = atLeast(a.units.map(\.allocated), floors: inputs.map { Whole.clamped($0.realised, .up) })
        if raised != a.units.map(\.allocated) {
            for i in a.units.indices {
                a.units[i].allocated = raised[i]
                a.units[i].reach = joint.map { MonteCarlo.probability($0[i], atLeast: Double(raised[i])) }
            }
            a.commonReach = nil
        }
        return a
    }

    /// Every issued figure of the scenario split over its regions.
    public static func table(
        _ s: Scenario, history: History, projection: Projection, monteCarlo mc: MonteCarlo.Result?, planYear year: Int, targets: [TargetRow]
    ) -> [IssuedAllocation] {
        guard s.regions.count >= 2 else { return [] }
        let regions = s.regions.map(\.name)
        return s.targets.issued.compactMap { issued in
            let inputs = regions.compactMap {
                unit(s, history: history, projection: projection, monteCarlo: mc, planYear: year, targets: targets, region: $0, metric: issued.metric, rule: s.targets.allocation)
            }
            guard inputs.count == regions.count else { return nil }
            var a = split(issued: issued, rule: s.targets.allocation, units: regions, inputs: inputs, drawn: mc != nil)
            a.unitLevel = s.regionLevel
            a.unitsWithBranches = s.regions.filter { !$0.branches.isEmpty }.map(\.name)
            return a
        }
    }
}
