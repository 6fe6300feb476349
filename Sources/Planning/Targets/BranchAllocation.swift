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
    public static func allocate(target: Int, branches: [BranchPlan], regionPotential: Double?, stockTotal: Bool) -> [Row] {
        guard !branches.isEmpty else { return [] }
        let w = weights(branches)
        if stockTotal, let l = regionPotential, branches.allSatisfy({ $0.active != nil }) {
            let actives = branches.map { $0.active! }
            let base = actives.map { Int($0.rounded()) }
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
    public struct BranchTarget: Sendable, Equatable {
        public var region: String
        public var branch: String
        public var segment: String
        public var metric: TargetRow.Metric
        public var target: Int
    }

    /// Branch targets for every projection-based region target of a scenario that lists branches.
    public static func table(_ rows: [TargetRow], scenario s: Scenario, projection: Projection, planYear year: Int) -> [BranchTarget] {
        var out: [BranchTarget] = []
        for region in s.regions where !region.branches.isEmpty {
            // The region's potential at the plan year's end: the sum over its stock segments.
            let potential = s.segments.compactMap { seg in
                projection.rows(region: region.name, segment: seg.name).last { $0.month.year == year }?.potential.flatMap { seg.flowOnly ? nil : $0 }
            }.reduce(0, +)
            for r in rows where r.region == region.name && r.basis == .projection {
                let split = allocate(
                    target: Int(r.target), branches: region.branches, regionPotential: potential,
                    stockTotal: r.segment == History.totalSegment && r.metric == .active)
                out += split.map { BranchTarget(region: r.region, branch: $0.branch, segment: r.segment, metric: r.metric, target: $0.target) }
            }
        }
        return out
    }
}
