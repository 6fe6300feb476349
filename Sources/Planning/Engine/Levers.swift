import Foundation

/// The scenario's levers as they apply to one region × segment.
struct ActiveLevers {
    var outreach: OutreachLever?
    var honorary: HonoraryLever?
    var villages: VillageLever?
    var budget: BudgetCohortLever?
    /// The honorary ramp starts from 0 at the last month of actuals.
    var rampStart: Month

    init(scenario: Scenario, region: String, segment: String) {
        rampStart = scenario.actualsUntil
        let l = scenario.levers
        if let o = l.outreach, o.segments == nil || o.segments!.contains(segment) { outreach = o }
        if let h = l.honorary, h.segment == segment, h.region == nil || h.region == region { honorary = h }
        if let v = l.villages, v.segment == segment, v.region == nil || v.region == region { villages = v }
        if let c = l.budgetCohorts, c.segment == segment, c.region == nil || c.region == region { budget = c }
    }

    var elasticity: Double { outreach?.elasticity ?? 1 }

    func intensity(_ m: Month) -> Double { outreach?.intensity.value(at: m) ?? 1 }

    /// Villages per year × acquisitions per village, spread evenly over the months.
    func villageInflow(_ m: Month) -> Double {
        guard let v = villages else { return 0 }
        return v.villagesPerYear.value(at: m) * v.acquisitionsPerVillage / 12
    }

    /// Persons carved out of the segment's potential for the programme stocks at month m.
    func carveOut(_ m: Month, budget state: BudgetCohortState) -> Double {
        var c = 0.0
        // The whole pool is carved out while the lever is on (the whole horizon), whatever its ramp.
        if let h = honorary { c += h.pool }
        if budget != nil { c += state.capacity(at: m, levers: self) }
        return c
    }

    /// The honorary ramp's share at month m: linear between the given months, from 0 at the last
    /// month of actuals to the first, the last share after the last month.
    func honoraryShare(_ m: Month) -> Double {
        guard let h = honorary, let first = h.ramp.first else { return 0 }
        let ramp = first.month > rampStart ? [(month: rampStart, share: 0.0)] + h.ramp : h.ramp
        if m <= ramp[0].month { return m == ramp[0].month ? ramp[0].share : 0 }
        if m >= ramp.last!.month { return ramp.last!.share }
        for (a, b) in zip(ramp, ramp.dropFirst()) where a.month <= m && m < b.month {
            let w = Double(a.month.distance(to: m)) / Double(a.month.distance(to: b.month))
            return a.share + w * (b.share - a.share)
        }
        return ramp.last!.share
    }

    /// Budget year-ends (Decembers from the year of the ramp's first given month) whose non-renewed
    /// cohort has lapsed by month m, three months after the year-end, i.e. at the end of March.
    func lapsedYearEnds(_ m: Month) -> Int {
        guard let first = honorary?.ramp.first else { return 0 }
        var count = 0
        var yearEnd = Month(year: first.month.year, month: 12)
        while yearEnd.adding(months: 3) <= m {
            count += 1
            yearEnd = yearEnd.adding(months: 12)
        }
        return count
    }
}

/// Budget-funded cohorts: capacity = budget / (cost per person-month × 12), enrolled evenly over the
/// budget year's first three months; at year end the cohort is renewed with the stated probability and
/// the part not renewed lapses three months later (expected values here; Monte Carlo draws them).
struct BudgetCohortState {
    /// Stock at the end of the last December seen, and the renewed share carried into the new year.
    var lastYearEnd: Double = 0
    var year: Int? = nil
    var stock: Double = 0

    func capacity(at m: Month, levers: ActiveLevers) -> Double {
        guard let c = levers.budget else { return 0 }
        return max(c.budgetPerYear.value(at: m), 0) / (c.costPerPersonMonth * 12)
    }

    /// Year-ends seen so far (indexes the draw's renewal outcomes).
    var yearEnds = 0

    /// `renewed(k)` is the draw's outcome at the k-th year-end (nil: the expected share).
    mutating func advance(to m: Month, levers: ActiveLevers, renewed outcome: ((Int) -> Bool)? = nil) -> Double {
        guard let c = levers.budget else { return 0 }
        if year != m.year {
            if year != nil {
                lastYearEnd = stock
                yearEnds += 1
            }
            year = m.year
        }
        let cap = capacity(at: m, levers: levers)
        // Before the first year-end nothing is up for renewal (lastYearEnd is 0), and a draw has no
        // outcome to look up.
        let share = yearEnds > 0 ? outcome.map { $0(yearEnds - 1) ? 1.0 : 0.0 } ?? c.renewalProbability : c.renewalProbability
        let renewed = share * lastYearEnd
        // The part not renewed lapses three months after the year end, at the end of March (as the
        // honorary cohort, `lapsedYearEnds`): still active at the end of January and February.
        let lapsing = m.month < 3 ? (1 - share) * lastYearEnd : 0
        let enrolled = max(cap - renewed, 0) * Double(min(m.month, 3)) / 3
        stock = min(renewed, cap) + enrolled + lapsing
        return stock
    }
}
