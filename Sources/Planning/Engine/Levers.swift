import Foundation

/// The scenario's levers as they apply to one region × segment.
struct ActiveLevers {
    var outreach: OutreachLever?
    var honorary: HonoraryLever?
    var villages: VillageLever?
    var budget: BudgetCohortLever?
    var reactivation: ReactivationLever?
    /// The honorary ramp starts from 0 at the last month of actuals.
    var rampStart: Month

    init(scenario: Scenario, region: String, segment: String) {
        rampStart = scenario.actualsUntil
        let l = scenario.levers
        if let o = l.outreach, o.segments == nil || o.segments!.contains(segment) { outreach = o }
        if let h = l.honorary, h.segment == segment, h.region == nil || h.region == region { honorary = h }
        if let v = l.villages, v.segment == segment, v.region == nil || v.region == region { villages = v }
        if let c = l.budgetCohorts, c.segment == segment, c.region == nil || c.region == region { budget = c }
        reactivation = l.reactivation.first { $0.segment == segment && ($0.region == nil || $0.region == region) }
    }

    /// Whether the reactivation lever acts on this cell: the one home of that rule (targets, figures
    /// and tracking ask here). A flow-only segment has no stock to reactivate into.
    static func reactivates(_ s: Scenario, region: String, segment: SegmentPlan) -> Bool {
        !segment.flowOnly && ActiveLevers(scenario: s, region: region, segment: segment.name).reactivation != nil
    }

    var elasticity: Double { outreach?.elasticity ?? 1 }

    func intensity(_ m: Month) -> Double { outreach?.intensity.value(at: m) ?? 1 }

    /// Villages per year × acquisitions per village, spread evenly over the months.
    func villageInflow(_ m: Month) -> Double {
        guard let v = villages else { return 0 }
        return v.villagesPerYear.value(at: m) * v.acquisitionsPerVillage / 12
    }
}
