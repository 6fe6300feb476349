import Fitting
import Foundation

/// A programme cohort on one cell: members a programme enrols on a schedule of its own, beside the
/// diffusion stock A (docs/engine.md). The cohort owns everything about itself: the persons carved out
/// of the potential the diffusion sees, its planned size, its year-ends, the expected share still
/// active, and the number of renewal outcomes a Monte Carlo draw needs (each cohort draws its own,
/// with its own probability). A cohort grows only into the uncovered potential (the room the month
/// leaves above the members already counted, who are never removed to make room); its joiners are
/// acquisitions and its members not renewed are lapses. A new programme is a new `Rule` and its case
/// in `step`, built from its lever in `cohorts(_:months:firstProjected:)`.
struct ProgrammeCohort: Sendable {
    /// Which projection column the cohort's stock changes are booked in.
    enum Kind: Sendable { case honorary, budget, reactivation }

    enum Rule: Sendable {
        /// Honorary workers: the uncovered pool × the ramp's share (stock levels) at each month; at
        /// each December from the ramp's first year the cohort is renewed or not, and a cohort not
        /// renewed lapses three months later (end of March). `lapsedYearEnds[k]`: year-ends lapsed by
        /// month k. `enrolledAtStart` members (in the history's figures) are in the cohort at the first
        /// projected month.
        case ramp(scheduled: [Double], lapsedYearEnds: [Int], enrolledAtStart: Double, firstProjected: Int)
        /// Budget-funded: the cohort's planned size at each month (persons, or budget / (cost × 12));
        /// an increase is enrolled evenly over `enrolmentMonths` from its month (January for a new
        /// budget year); at each year end the renewed share carries over and the rest lapses at the
        /// end of March. `enrolledAtStart` members are in the cohort at the first projected month.
        case budget(size: [Double], enrolmentMonths: Int, enrolledAtStart: Double, firstProjected: Int)
        /// Reactivation: from the first projected month, 1 − (1 − share)^(1/12) of what remains of the
        /// non-active pool becomes active each month (within the room); the reactivated stock lapses
        /// at the draw's lapse rate; lapsed members do not return to the pool.
        case reactivation(pool: Double, sharePerYear: Double, firstProjected: Int)
    }

    let kind: Kind
    let rule: Rule
    let renewalProbability: Double
    /// Persons carved out of the potential at each simulated month and at the month before, besides
    /// a budget cohort's own members (see `carvesMembers`).
    let carveOut: [Double]
    let carveOutBefore: [Double]
    /// Renewal outcomes a draw carries: one per year-end the simulated months can reach, and at least
    /// 12 so that the random streams of existing scenarios stay as they were.
    let renewalDraws: Int

    /// A budget cohort carves out its members, not its planned size: a size above the potential must
    /// not squeeze the members already counted.
    var carvesMembers: Bool { kind != .honorary }

    /// What one draw carries from month to month.
    struct State: Sendable {
        var year: Int? = nil
        var yearEnds = 0
        /// Members enrolled and kept (budget), or the stock (honorary).
        var committed = 0.0
        /// Members not renewed at the last year end, active until the end of March.
        var lapsing = 0.0
        var previousSize = 0.0
        /// Increases being enrolled: from month index `start`, `perMonth` for `months` months.
        var tranches: [(start: Int, perMonth: Double, months: Int)] = []
    }

    /// One month of one draw: the stock after it, who joined, who left, and the planned joiners that
    /// did not fit in the uncovered potential.
    struct Step {
        var stock: Double
        var joined: Double
        var left: Double
        var cut: Double
    }

    /// The cohorts of a cell's levers, honorary first (the order of their random draws). Simulated
    /// months before `firstProjected` are actual months: no cohort, nothing carved out.
    static func cohorts(_ levers: ActiveLevers, months: [Month], firstProjected: Int = 0, reactivationPool: Double? = nil) -> [ProgrammeCohort] {
        var result: [ProgrammeCohort] = []
        let on = { (k: Int, v: Double) in k < firstProjected ? 0 : v }
        if let h = levers.honorary {
            let lapsed = months.map { lapsedYearEnds(h, at: $0) }
            let pool = h.uncoveredPool, at = levers.rampStart
            result.append(ProgrammeCohort(
                kind: .honorary,
                rule: .ramp(
                    scheduled: months.indices.map { on($0, h.scheduledLevel(at: months[$0], actualsUntil: at)) }, lapsedYearEnds: lapsed,
                    enrolledAtStart: h.enrolledAtStart(actualsUntil: at), firstProjected: firstProjected),
                renewalProbability: h.renewalProbability,
                // The whole (uncovered) pool while the lever is on.
                carveOut: months.indices.map { on($0, pool) }, carveOutBefore: months.indices.map { on($0, pool) },
                renewalDraws: max(12, lapsed.last ?? 0)))
        }
        if let c = levers.budget {
            let yearChanges = months.isEmpty ? 0 : months.last!.year - months[0].year
            result.append(ProgrammeCohort(
                kind: .budget,
                rule: .budget(
                    size: months.indices.map { on($0, c.persons(at: months[$0])) }, enrolmentMonths: max(c.enrolmentMonths, 1),
                    enrolledAtStart: c.enrolledAtStart, firstProjected: firstProjected),
                renewalProbability: c.renewalProbability,
                carveOut: months.map { _ in 0 }, carveOutBefore: months.map { _ in 0 },
                renewalDraws: max(12, yearChanges)))
        }
        if let r = levers.reactivation, let pool = r.pool ?? reactivationPool {
            // No renewal outcomes: the cell's random stream is used as without the lever.
            result.append(ProgrammeCohort(
                kind: .reactivation, rule: .reactivation(pool: pool, sharePerYear: r.sharePerYear, firstProjected: firstProjected),
                renewalProbability: 1, carveOut: months.map { _ in 0 }, carveOutBefore: months.map { _ in 0 }, renewalDraws: 0))
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

    /// Month k (`month`) of one draw: the cohort grows by at most `room` persons (the potential the
    /// month leaves uncovered); `renewed[j]` is the draw's outcome at the cohort's j-th year end, nil
    /// for the expected share (the deterministic projection).
    @inline(__always)
    func step(at k: Int, month: Month, state: inout State, renewed: [Bool]?, room: Double, share: Double? = nil, lapse: Double = 0) -> Step {
        switch rule {
        case .reactivation(let pool, let central, let firstProjected):
            guard k >= firstProjected else { return Step(stock: 0, joined: 0, left: 0, cut: 0) }
            // previousSize: what remains of the pool; committed: the reactivated stock.
            if k == firstProjected { state = State(year: month.year, previousSize: pool) }
            let perYear = min(max(share ?? central, 0), 1)
            let wanted = state.previousSize * (1 - pow(1 - perYear, 1.0 / 12))
            let joined = min(wanted, max(room, 0))
            state.previousSize -= joined
            let left = state.committed * lapse
            state.committed += joined - left
            return Step(stock: state.committed, joined: joined, left: left, cut: wanted - joined)
        case .ramp(let scheduled, let lapsedYearEnds, let enrolledAtStart, let firstProjected):
            guard k >= firstProjected else { return Step(stock: 0, joined: 0, left: 0, cut: 0) }
            // The members already in the history (moved out of the diffusion stock) start the cohort.
            if k == firstProjected { state.committed = enrolledAtStart }
            let lapsed = lapsedYearEnds[k]
            var target = scheduled[k]
            if lapsed > 0 {
                if let renewed {
                    for j in 0..<lapsed where !renewed[j] {
                        target = 0
                        break
                    }
                } else {
                    target *= pow(renewalProbability, Double(lapsed))
                }
            }
            let before = state.committed
            let grow = max(target - before, 0)
            let joined = min(grow, max(room, 0))
            let next = target < before ? target : before + joined
            state.committed = next
            return Step(stock: next, joined: joined, left: max(before - next, 0), cut: grow - joined)
        case .budget(let size, let enrolmentMonths, let enrolledAtStart, let firstProjected):
            guard k >= firstProjected else { return Step(stock: 0, joined: 0, left: 0, cut: 0) }
            var left = 0.0
            let cap = size[k]
            if k == firstProjected {
                // The cohort starts with the members already enrolled (moved out of the diffusion stock).
                state = State(year: month.year, committed: enrolledAtStart, previousSize: cap)
                if cap > enrolledAtStart { state.tranches.append((k, (cap - enrolledAtStart) / Double(enrolmentMonths), enrolmentMonths)) }
            } else if state.year != month.year {
                // Year end: the renewed share carries over, the rest lapses at the end of March; the new
                // budget year enrols what the cohort lacks.
                state.yearEnds += 1
                let share = renewed.map { $0[state.yearEnds - 1] ? 1.0 : 0.0 } ?? renewalProbability
                let lastYearEnd = state.committed
                state.committed = share * lastYearEnd
                state.lapsing += lastYearEnd - state.committed
                state.tranches = []
                if cap > state.committed { state.tranches.append((k, (cap - state.committed) / Double(enrolmentMonths), enrolmentMonths)) }
                state.year = month.year
                state.previousSize = cap
            } else {
                if cap > state.previousSize {
                    state.tranches.append((k, (cap - state.previousSize) / Double(enrolmentMonths), enrolmentMonths))
                } else if cap < state.previousSize {
                    // A smaller size: members above it leave now; nothing more is enrolled.
                    state.tranches = []
                    if state.committed > cap {
                        left += state.committed - cap
                        state.committed = cap
                    }
                }
                state.previousSize = cap
            }
            var planned = 0.0
            for t in state.tranches where k >= t.start && k < t.start + t.months { planned += t.perMonth }
            let joined = min(planned, max(room, 0))
            state.committed += joined
            if month.month >= 3, state.lapsing > 0 {
                left += state.lapsing
                state.lapsing = 0
            }
            return Step(stock: state.committed + state.lapsing, joined: joined, left: left, cut: planned - joined)
        }
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
