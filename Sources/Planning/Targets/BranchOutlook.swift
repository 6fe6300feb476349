import Foundation

/// A branch (Kantor Cabang) with a history of its own (rows whose region is the branch's name),
/// calibrated and projected like a region (docs/targets.md, "Branches with a history"): its own
/// targets at the planner's confidence and its own draws. The Kanwil's target stays authoritative:
/// the branch's allocated target leans on its own projection, its P(reach) is measured on its own
/// draws, and the gap between the two is shown.
public struct BranchOutlook: Sendable {
    public var region: String
    public var branch: String
    /// The branch's own targets (region = the branch), with its TOTAL rows.
    public var targets: [TargetRow]
    public var monteCarlo: MonteCarlo.Result?
    /// The branch's own targets phased over the plan year (its realised months, then its projection).
    public var phasing: [PlanYearView.PhasedTarget] = []
    /// Each stock segment's own stock at `actuals_until` (where its projection starts).
    public var starts: [String: Double] = [:]

    /// A stock segment's own months bent to `target` (its allocated target): realised months as they
    /// are, projected months along its own path from its last stock to `target` (`Phasing.stock`).
    func stockPath(_ segment: String, to target: Double) -> [Double?]? {
        guard let phased = phasing.first(where: { $0.row.segment == segment && $0.row.metric == .active && $0.row.basis == .projection }) else { return nil }
        let projected = phased.months.filter { $0.status == .projected }.compactMap(\.value)
        let start = phased.months.last { $0.status == .realised }?.value ?? starts[segment]
        guard let start, !projected.isEmpty else { return phased.months.map(\.value) }
        var bent = Phasing.stock(start: start, median: projected, target: target).makeIterator()
        return phased.months.map { m in m.status == .projected ? bent.next() : m.value }
    }

    /// The branch's own projection target of a segment (or TOTAL) and metric.
    public func target(_ segment: String, _ metric: TargetRow.Metric) -> TargetRow? {
        targets.first { $0.segment == segment && $0.metric == metric && $0.basis == .projection }
    }

    /// Per draw, the branch's own plan-year outcome: December's stock, or the year's flow with the
    /// months realised so far added (as its own targets count it).
    public func draws(_ segment: String, _ metric: TargetRow.Metric) -> [Double]? {
        guard let mc = monteCarlo else { return nil }
        if segment == History.totalSegment {
            guard let d = mc.regions.first?.planYear(metric) else { return nil }
            let parts = targets.filter { !$0.isTotal && $0.metric == metric && $0.basis == .projection && $0.countsPersons }
            let shift = metric.isFlow ? parts.reduce(0) { $0 + ($1.realisedToDate ?? 0) } : 0
            return Realisation.fullYear(d, realised: shift)
        }
        guard let d = mc.cells.first(where: { $0.segment == segment })?.planYear(metric) else { return nil }
        let shift = metric.isFlow ? target(segment, metric)?.realisedToDate ?? 0 : 0
        return Realisation.fullYear(d, realised: shift)
    }

    /// The outlook of every listed branch whose history allows a calibration; `notes` name the
    /// branches with rows of their own that are allocated only, and why.
    public static func run(_ s: Scenario, history: History, threads: Int = 1) -> (outlooks: [BranchOutlook], notes: [Phrase]) {
        var outlooks: [BranchOutlook] = [], notes: [Phrase] = []
        let inHistory = Set(history.regions)
        let year = PlanYearSummary.planYear(s)
        for region in s.regions {
            let weights = BranchAllocation.weights(region.branches)
            for (b, branch) in region.branches.enumerated() where inHistory.contains(branch.name) {
                let own = scenario(s, region: region, branch: branch, weight: weights[b])
                do {
                    let cals = try Calibration.run(own, history: history, threads: threads)
                    let projection = Engine.project(own, calibrations: cals)
                    let mc = own.uncertainty.draws > 0
                        ? MonteCarlo.run(own, calibrations: cals, options: MonteCarlo.Options(own.uncertainty, planYear: year, threads: threads)) : nil
                    let targets = Targets.table(own, history: history, projection: projection, monteCarlo: mc, planYear: year)
                    let phasing = PlanYearView.phase(
                        targets, scenario: own, projection: projection, monteCarlo: mc, realisation: Realisation.of(own, history: history), year: year)
                    var outlook = BranchOutlook(region: region.name, branch: branch.name, targets: targets, monteCarlo: mc, phasing: phasing)
                    for st in projection.starts { outlook.starts[st.segment] = st.active }
                    outlooks.append(outlook)
                } catch {
                    notes.append(Phrase { l in
                        "\(region.name) \(branch.name): " + l.t(
                            "riwayat cabang ini tidak dapat dikalibrasi (\(error.phrase.indonesian)); targetnya dialokasikan dari target Kanwil",
                            "the branch's own history cannot be calibrated (\(error.message)); its targets are allocated from the Kanwil's")
                    })
                }
            }
        }
        return (outlooks, notes)
    }

    /// The branch as a one-region scenario: its weight's share of the Kanwil's potential (or its own
    /// potential rows with `series`), the Kanwil's segments, uncertainty and targets, and outreach;
    /// programme levers (honorary, budget cohorts, villages, reactivation) stay with the Kanwil, so a
    /// Kanwil with programmes asks its branches for more than their own histories give (the gap).
    static func scenario(_ s: Scenario, region: RegionPlan, branch: BranchPlan, weight: Double) -> Scenario {
        var potential = region.potential
        switch potential.split {
        case .shares: potential.total = potential.total.map { $0 * weight }
        case .values(let v): potential.split = .values(v.mapValues { $0 * weight })
        case .series: break
        }
        var own = s
        own.name = "\(s.name) · \(branch.name)"
        own.regions = [RegionPlan(name: branch.name, potential: potential)]
        own.levers = Levers(outreach: s.levers.outreach)
        for i in own.segments.indices {
            if var p = own.segments[i].potential {
                p.total = p.total.map { $0 * weight }
                own.segments[i].potential = p
            }
        }
        return own
    }
}
