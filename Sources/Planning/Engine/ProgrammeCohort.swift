import Fitting
import Foundation

/// A programme cohort on one cell: members a programme enrols on a schedule of its own, beside the
/// diffusion stock A (docs/engine.md). The cohort owns everything about itself: the persons carved out
/// of the potential the diffusion sees, its scheduled stock, its year-ends, the expected share still
/// active, and the number of renewal outcomes a Monte Carlo draw needs (each cohort draws its own,
/// with its own probability). A new programme is a new `Rule` and its case in `stock(at:)`, built from
/// its lever in `cohorts(_:months:)`.
struct ProgrammeCohort: Sendable {
    /// Which projection column the cohort's stock changes are booked in.
    enum Kind: Sendable { case honorary, budget }

    enum Rule: Sendable {
        /// Honorary workers: the pool × the ramp's share (stock levels) at each month; at each
        /// December from the ramp's first year the cohort is renewed or not, and a cohort not renewed
        /// lapses three months later (end of March). `lapsedYearEnds[k]`: year-ends lapsed by month k.
        case ramp(scheduled: [Double], lapsedYearEnds: [Int])
        /// Budget-funded: capacity = budget / (cost per person-month × 12) at each month, enrolled
        /// evenly over the budget year's first three months; at each year-end the renewed share
        /// carries over and the rest lapses over January–March.
        case budget(capacity: [Double])
    }

    let kind: Kind
    let rule: Rule
    let renewalProbability: Double
    /// Persons carved out of the potential at each simulated month and at the month before.
    let carveOut: [Double]
    let carveOutBefore: [Double]
    /// Renewal outcomes a draw carries: one per year-end the simulated months can reach, and at least
    /// 12 so that the random streams of existing scenarios stay as they were.
    let renewalDraws: Int

    /// What one draw carries from month to month (the budget rule's year-end bookkeeping).
    struct State: Sendable {
        var year: Int? = nil
        var yearEnds = 0
        var lastYearEnd = 0.0
        var stock = 0.0
    }

    /// The cohorts of a cell's levers, honorary first (the order of their random draws). Simulated
    /// months before `firstProjected` are actual months: no cohort, nothing carved out.
    static func cohorts(_ levers: ActiveLevers, months: [Month], firstProjected: Int = 0) -> [ProgrammeCohort] {
        var result: [ProgrammeCohort] = []
        let on = { (k: Int, v: Double) in k < firstProjected ? 0 : v }
        if let h = levers.honorary {
            let lapsed = months.map { lapsedYearEnds(h, at: $0) }
            result.append(ProgrammeCohort(
                kind: .honorary,
                rule: .ramp(scheduled: months.indices.map { on($0, rampShare(h, from: levers.rampStart, at: months[$0]) * h.pool) }, lapsedYearEnds: lapsed),
                renewalProbability: h.renewalProbability,
                // The whole pool while the lever is on.
                carveOut: months.indices.map { on($0, h.pool) }, carveOutBefore: months.indices.map { on($0, h.pool) },
                renewalDraws: max(12, lapsed.last ?? 0)))
        }
        if let c = levers.budget {
            let capacity = { (m: Month) in max(c.budgetPerYear.value(at: m), 0) / (c.costPerPersonMonth * 12) }
            let yearChanges = months.isEmpty ? 0 : months.last!.year - months[0].year
            result.append(ProgrammeCohort(
                kind: .budget, rule: .budget(capacity: months.indices.map { on($0, capacity(months[$0])) }), renewalProbability: c.renewalProbability,
                carveOut: months.indices.map { on($0, capacity(months[$0])) },
                carveOutBefore: months.indices.map { on($0, capacity(months[$0].adding(months: -1))) },
                renewalDraws: max(12, yearChanges)))
        }
        return result
    }

    /// Renewal outcomes for `draws` draws: result[cohort][draw][j], each cohort with its own
    /// probability, drawn draw by draw (cohort after cohort within a draw).
    static func drawRenewals(_ cohorts: [ProgrammeCohort], draws: Int, rng: RandomStream) -> [[[Bool]]] {
        var renewals = cohorts.map { _ in [[Bool]]() }
        for _ in 0..<draws {
            for (c, cohort) in cohorts.enumerated() {
                renewals[c].append((0..<cohort.renewalDraws).map { _ in rng.bernoulli(cohort.renewalProbability) })
            }
        }
        return renewals
    }

    /// The cohort's stock at simulated month k (`month`); `renewed[j]` is the draw's outcome at the
    /// cohort's j-th year-end, nil for the expected share (the deterministic projection).
    @inline(__always)
    func stock(at k: Int, month: Month, state: inout State, renewed: [Bool]?) -> Double {
        switch rule {
        case .ramp(let scheduled, let lapsedYearEnds):
            let lapsed = lapsedYearEnds[k]
            guard lapsed > 0 else { return scheduled[k] }
            guard let renewed else { return scheduled[k] * pow(renewalProbability, Double(lapsed)) }
            for j in 0..<lapsed where !renewed[j] { return 0 }
            return scheduled[k]
        case .budget(let capacity):
            if state.year != month.year {
                if state.year != nil {
                    state.lastYearEnd = state.stock
                    state.yearEnds += 1
                }
                state.year = month.year
            }
            let cap = capacity[k]
            // Before the first year-end nothing is up for renewal (lastYearEnd is 0).
            let share = state.yearEnds > 0 ? renewed.map { $0[state.yearEnds - 1] ? 1.0 : 0.0 } ?? renewalProbability : renewalProbability
            let kept = share * state.lastYearEnd
            // The part not renewed lapses three months after the year end, at the end of March (as
            // the honorary cohort): still active at the end of January and February.
            let lapsing = month.month < 3 ? (1 - share) * state.lastYearEnd : 0
            let enrolled = max(cap - kept, 0) * Double(min(month.month, 3)) / 3
            state.stock = min(kept, cap) + enrolled + lapsing
            return state.stock
        }
    }

    /// The honorary ramp's share at month m: linear between the given months, from 0 at the last
    /// month of actuals to the first, the last share after the last month.
    static func rampShare(_ h: HonoraryLever, from rampStart: Month, at m: Month) -> Double {
        guard let first = h.ramp.first else { return 0 }
        let ramp = (first.month > rampStart ? [(month: rampStart, share: 0.0)] + h.ramp : h.ramp).map { (month: $0.month, value: $0.share) }
        if m < ramp[0].month { return 0 }
        return interpolate(ramp, at: m)
    }

    /// Year-ends (Decembers from the year of the ramp's first given month) whose non-renewed cohort
    /// has lapsed by month m, three months after the year-end, i.e. at the end of March.
    static func lapsedYearEnds(_ h: HonoraryLever, at m: Month) -> Int {
        guard let first = h.ramp.first else { return 0 }
        var count = 0
        var yearEnd = Month(year: first.month.year, month: 12)
        while yearEnd.adding(months: 3) <= m {
            count += 1
            yearEnd = yearEnd.adding(months: 12)
        }
        return count
    }
}
