import Fitting
import Foundation

/// The monthly stock-flow model for one region × segment with everything that does not change
/// between draws computed once (potential path, lever schedules), so a draw is a tight loop.
struct CellSimulator {
    let cal: SegmentCalibration
    let levers: ActiveLevers
    /// Simulated months: from the month after the calibration's start through the horizon.
    let months: [Month]
    /// Index in `months` of the first reported month (the month after `actuals_until`).
    let firstReported: Int
    let potential: [Double]
    let potentialBefore: [Double]
    let intensity: [Double]
    let villagesPerYear: [Double]
    /// The programme cohorts (honorary, budget), each with its own schedule and renewal draws.
    let cohorts: [ProgrammeCohort]
    /// Persons all cohorts carve out of the potential at each month and the month before.
    let carveOut: [Double]
    let carveOutBefore: [Double]
    let flowOnly: Bool
    /// The calibrated dynamics without the fit's statistics (copied every month otherwise).
    let mode: Mode
    /// The month-of-year component S of each simulated month, and of the start month (0 without one):
    /// reported = curve path × (1 + S + D), flows g₀ × (1 + S) × (1 + D).
    let seasonal: [Double]
    let seasonalAtStart: Double
    /// Flows with a trend: each simulated month's months since the last figure, by which a draw's
    /// slope grows its g₀ (`FlowTrend`); empty without a trend.
    let trendMonths: [Double]
    /// The segment's iuran (nil: none stated) and what a budget-cohort member pays a month.
    let iuran: IuranPlan?
    let cohortCost: Double
    /// false for a company segment (kept out of the region's persons totals).
    let countsPersons: Bool

    enum Mode {
        case curve(CurveDynamics, SegmentCalibration.Space)
        case flows(Double)
        case flowOnly(Double)
    }

    init(_ cal: SegmentCalibration, scenario: Scenario) {
        self.cal = cal
        levers = ActiveLevers(scenario: scenario, region: cal.region, segment: cal.segment)
        flowOnly = cal.isFlowOnly
        let start = flowOnly ? scenario.actualsUntil : cal.startMonth
        months = Planning.months(from: start.adding(months: 1), through: scenario.horizon)
        firstReported = max(0, start.adding(months: 1).distance(to: scenario.actualsUntil.adding(months: 1)))
        let path = cal.potential
        potential = months.map { path?.value(at: $0) ?? 0 }
        potentialBefore = months.map { path?.value(at: $0.adding(months: -1)) ?? 0 }
        let lv = levers
        // Levers never act on actual months: the run-up from the last stock figure to `actuals_until`
        // is the history's, so outreach, villages and programmes start with the first projected month.
        let first = firstReported, ms = months
        intensity = ms.indices.map { $0 < first ? 1 : lv.intensity(ms[$0]) }
        villagesPerYear = ms.indices.map { $0 < first ? 0 : lv.villages?.villagesPerYear.value(at: ms[$0]) ?? 0 }
        let cohorts = ProgrammeCohort.cohorts(lv, months: months, firstProjected: first, reactivationPool: cal.inactive?.value)
        self.cohorts = cohorts
        carveOut = months.indices.map { k in cohorts.reduce(0) { $0 + $1.carveOut[k] } }
        carveOutBefore = months.indices.map { k in cohorts.reduce(0) { $0 + $1.carveOutBefore[k] } }
        let season = cal.deviation?.seasonality
        seasonal = months.map { season?.effect($0) ?? 0 }
        seasonalAtStart = season?.effect(start) ?? 0
        let trend = cal.deviation?.trend
        let simulated = months
        trendMonths = trend.map { t in simulated.map { Double(t.lastMonth.distance(to: $0)) } } ?? []
        // The stated contribution, scaled to the region's realised iuran where calibrated.
        iuran = scenario.segment(cal.segment)?.iuran.map { var p = $0; p.factor = cal.iuran?.factor ?? 1; return p }
        cohortCost = lv.budget?.costPerPersonMonth ?? 0
        countsPersons = scenario.countsPersons(cal.segment)
        switch cal.dynamics {
        case .curve(let dyn, let space, _): mode = .curve(dyn, space)
        case .flows(let g): mode = .flows(g)
        case .flowOnly(let g): mode = .flowOnly(g)
        }
    }

    /// Rupiah due from draw i in the month `w` holds, before collection (0 without iuran).
    @inline(__always)
    func iuranDue(_ w: BatchWorkspace, _ i: Int) -> Double {
        guard let iuran else { return 0 }
        if flowOnly { return iuran.due(members: 0, acquired: w.acquired[i], flowOnly: true) }
        return iuran.due(members: w.active[i], cohortMembers: w.b[i], cohortCost: cohortCost)
    }

    /// Runs the batch's draws through every simulated month; after each reported month `record(k, w)`
    /// reads that month's figures per draw from `w` (k from 0 at the first reported month). Unless the
    /// batch's curve is drawn, its curve columns are set to the calibrated step. Without `detail`, only
    /// potential (when drawn), active and acquired (gross + villages) are sure to be kept up to date.
    /// `start(w)`, when given, sees each draw's stock at `actuals_until` in `w.active` (after the
    /// run-up from the last stock figure; the projection's starting stock).
    func run(_ d: DrawBatch, in w: BatchWorkspace, detail: Bool = true, start: ((BatchWorkspace) -> Void)? = nil, record: (Int, BatchWorkspace) -> Void) {
        precondition(d.count <= d.capacity && d.count <= w.capacity)
        let lean = !detail && !d.potentialDrawn && cohorts.isEmpty
        if flowOnly {
            runFlowOnly(d, in: w, record: record)
        } else if lean {
            runStock(Lean.self, d, in: w, start: start, record: record)
        } else {
            runStock(Full.self, d, in: w, start: start, record: record)
        }
    }

    /// The stock segments: diffusion stock A plus the programme stocks H and B.
    private func runStock<Shape: BatchShape>(
        _: Shape.Type, _ d: DrawBatch, in w: BatchWorkspace, start: ((BatchWorkspace) -> Void)?, record: (Int, BatchWorkspace) -> Void
    ) {
        let n = d.count
        let a = w.a, h = w.h, b = w.b, x = w.x, z = w.z, rate = w.rate, villagePerMonth = w.villagePerMonth
        let potentialOut = w.potential, active = w.active, gross = w.gross, lapses = w.lapses, village = w.village
        let acquired = w.acquired
        let honoraryFlow = w.honoraryFlow, budgetFlow = w.budgetFlow, adjustment = w.adjustment
        let bPrev = w.bPrev, roomColumn = w.programmeRoom, joinedColumn = w.programmeJoined, leftColumn = w.programmeLeft, cutColumn = w.programmeCut
        let r = w.r, reactivationFlow = w.reactivationFlow, reactivated = w.reactivated
        let pf = d.potentialFactor, af = d.acquisitionsFactor
        let step = d.step, k0 = d.k0
        let dev = w.dev, deviationLevel = w.deviationLevel, deviationChange = w.deviationChange
        let phi = d.phi, innovationSD = d.innovationSD
        // The deviation overlays the stock of a curve; a flow calibration's deviation is on g₀.
        var overlay = false
        if case .curve = mode { overlay = true }
        let hasProgrammes = !cohorts.isEmpty
        if hasProgrammes { w.cohortState = cohorts.map { _ in Array(repeating: ProgrammeCohort.State(), count: n) } }
        for i in 0..<n {
            a[i] = d.start[i]
            dev[i] = d.dev0[i]
            deviationLevel[i] = overlay ? d.start[i] * (seasonalAtStart + d.dev0[i]) : 0
            deviationChange[i] = 0
            h[i] = 0
            b[i] = 0
            rate[i] = min(max(d.lambda[i], 0), 1)
            villagePerMonth[i] = d.villageYield[i] / 12
            honoraryFlow[i] = 0
            budgetFlow[i] = 0
            bPrev[i] = 0
            r[i] = 0
            reactivationFlow[i] = 0
            reactivated[i] = 0
            joinedColumn[i] = 0
            leftColumn[i] = 0
            cutColumn[i] = 0
            z[i] = 0
        }
        // A budget cohort already running at `actuals_until` takes its members out of the diffusion
        // stock at the first projected month (they are in the history's figures, not added again).
        // So does an honorary ramp under way (its members stated, or the ramp's planned level then).
        var enrolledAtStart = 0.0, honoraryAtStart = 0.0
        for c in cohorts {
            switch c.rule {
            case .budget(_, _, let e, _): enrolledAtStart += e
            case .ramp(_, _, let e, _): honoraryAtStart += e
            case .reactivation: break
            }
        }
        // The diffusion of the month, by the calibration's form; the logistic in coverage (the common
        // case) has a loop of its own that the compiler vectorises.
        var diffusion = Diffusion.flows
        var model = GrowthModel.logistic
        var g0 = 0.0
        switch mode {
        case .curve(let fitted, let space):
            model = fitted.model
            if !d.curveDrawn { for i in 0..<n { d.setCurve(i, fitted.stepper) } }
            diffusion = space == .persons ? .curvePersons : model == .logistic && d.models.isEmpty ? .logisticCoverage : .curveCoverage
        case .flows(let g): g0 = g
        case .flowOnly: break
        }
        // `model: auto` mixing its candidates: each draw's own growth model.
        let models = d.models, mixed = !models.isEmpty
        // Swift's min/max on Double handle NaN and cost several instructions; values here are finite.
        @inline(__always) func positive(_ v: Double) -> Double { v > 0 ? v : 0 }

        /// One month of A for some draws: gross acquisitions from `diffusion(i, A, S, K)` (before the
        /// room checks), lapses, the room under the potential K, villages; then A + H + B kept within
        /// the potential, the excess leaving through the ceiling adjustment. One loop per diffusion
        /// form, with no branches, so the compiler vectorises it.
        @inline(__always)
        func advance(
            _ draws: Range<Int>, month k: Int, _ diffusion: (_ i: Int, _ a: Double, _ sNow: Double, _ kNext: Double) -> Double
        ) {
            let potentialNow = potentialBefore[k], potentialNext = potential[k], season = seasonal[k]
            // Carved out: the honorary pool (constant) and a budget cohort's members (per draw, 0 without one).
            let carveNow = carveOutBefore[k], carveNext = carveOut[k]
            let villagesThisYear = villagesPerYear[k]
            // The same in every draw unless the potential is drawn.
            let kNextMonth = positive(potentialNext - carveNext)
            let sNowMonth = positive(potentialNow - carveNow)
            // 1 where the deviation overlays the stock, as a factor: a test in the loop kept it scalar.
            let overlaid: Double = overlay ? 1 : 0
            for i in draws {
                let lNext = Shape.full ? potentialNext * pf[i] : potentialNext
                // Budget-cohort and reactivated members are carved out of what the diffusion sees.
                let kNext = Shape.full ? positive(lNext - carveNext - b[i] - r[i]) : kNextMonth
                let sNow = Shape.full ? positive(potentialNow * pf[i] - carveNow - bPrev[i]) : sNowMonth
                let ai = a[i]
                let lapsed = rate[i] * ai
                let room = positive(kNext - (ai - lapsed))
                var g = positive(diffusion(i, ai, sNow, kNext))
                g = g < room ? g : room
                let wanted = villagesThisYear * villagePerMonth[i], villageRoom = positive(room - g)
                let v = wanted < villageRoom ? wanted : villageRoom
                var next = ai - lapsed + g + v
                let programmes = Shape.full ? h[i] + b[i] + r[i] : 0
                let total = next + programmes
                // What exceeds the potential leaves (at most the stock): min(max(excess, 0), next),
                // without a branch; the old select's value for next ≥ 0, which it always is (rate ≤ 1,
                // g and v ≥ 0), up to the sign of a zero adjustment.
                let excess = positive(total - lNext)
                let adjust = -(excess < next ? excess : next)
                next += adjust
                a[i] = next
                acquired[i] = g + v
                // The reported diffusion stock: the curve path times (1 + D), within [0, L − H − B].
                let cap = positive(lNext - programmes)
                let shown0 = positive(next * (1 + (season + dev[i]) * overlaid))
                let shown = shown0 < cap ? shown0 : cap
                active[i] = shown + programmes
                if Shape.full {
                    let level = shown - next
                    deviationChange[i] = level - deviationLevel[i]
                    deviationLevel[i] = level
                    gross[i] = g
                    village[i] = v
                    lapses[i] = lapsed
                    adjustment[i] = adjust
                    potentialOut[i] = lNext
                }
            }
        }

        // The reported stock at `actuals_until` when nothing is run up to it: the curve path plus the
        // jump-off deviation (the last actual).
        if firstReported == 0, start != nil { for i in 0..<n { active[i] = a[i] + deviationLevel[i] } }
        for k in 0..<months.count {
            if k == firstReported { start?(w) }
            // This month's innovations, from the month's own streams (MonthlyNoise), alive to the
            // iteration's end (the sources below hold their generators' pointers).
            let own = d.deviationsDrawn ? d.noise?.stream(months[k]) : nil
            defer { withExtendedLifetime(own) {} }
            let gaussians = own?.gaussians
            // The region's and the nation's normals of a reported month, drawn once for every cell.
            let mixing = own != nil && k >= firstReported
            let common = mixing ? d.commonNoise.map { d.shared.normals($0, months[k]) } : nil
            let nation = mixing ? d.nationalNoise.map { d.shared.normals($0, months[k]) } : nil
            // A chunk of draws at a time, so the columns a month reads and writes stay in cache
            // across its loops.
            for chunk in stride(from: 0, to: n, by: Self.chunk) {
                let draws = chunk..<min(chunk + Self.chunk, n)
                fillOutreach(x, intensity[k], d, draws)
                if !trendMonths.isEmpty { Self.applyTrend(x, d.slope, trendMonths[k], draws) }
                // D(t+1) = φ·D(t) + s·√(1 − φ²)·z: AR(1), stationary (z = 0 on the central path).
                if let gaussians {
                    gaussians.fill(z.buffer, draws, sd: 1)
                    if let common { Self.mixCommon(common, d, w, draws) }
                    if let nation { Self.mixNational(nation, d, w, draws) }
                    for i in draws { dev[i] = phi[i] * dev[i] + innovationSD[i] * z[i] }
                } else {
                    for i in draws { dev[i] = phi[i] * dev[i] }
                }

                // Programme stocks follow their schedules, growing only into the potential the month
                // leaves uncovered (honorary first); the honorary pool and the budget members are
                // carved out of K.
                if hasProgrammes {
                    if k == firstReported && enrolledAtStart + honoraryAtStart > 0 {
                        for i in draws {
                            a[i] = positive(a[i] - enrolledAtStart - honoraryAtStart)
                            b[i] = enrolledAtStart
                            h[i] = honoraryAtStart
                        }
                    }
                    for i in draws {
                        bPrev[i] = b[i] + r[i]
                        // The potential this month leaves above everyone already counted.
                        roomColumn[i] = positive(potential[k] * pf[i] - (a[i] + h[i] + b[i] + r[i]))
                        reactivated[i] = 0
                        joinedColumn[i] = 0
                        leftColumn[i] = 0
                        cutColumn[i] = 0
                    }
                    for (c, cohort) in cohorts.enumerated() {
                        let (stock, flow): (Column, Column)
                        switch cohort.kind {
                        case .honorary: (stock, flow) = (h, honoraryFlow)
                        case .budget: (stock, flow) = (b, budgetFlow)
                        case .reactivation: (stock, flow) = (r, reactivationFlow)
                        }
                        // Reactivations are counted apart from the joiners (acquisitions).
                        let joins = cohort.kind == .reactivation ? reactivated : joinedColumn
                        let renewals = d.renewals?[c], shares = d.reactivationShares
                        for i in draws {
                            let room = positive(roomColumn[i] - joinedColumn[i] - reactivated[i])
                            let step = cohort.step(
                                at: k, month: months[k], state: &w.cohortState[c][i], renewed: renewals?[i], room: room, share: shares?[i], lapse: rate[i])
                            flow[i] = step.stock - stock[i]
                            stock[i] = step.stock
                            joins[i] += step.joined
                            leftColumn[i] += step.left
                            cutColumn[i] += step.cut
                        }
                    }
                }

                // Gross acquisitions: the fitted model's own one-month step, or the calibrated flow
                // times (1 + S)(1 + D), times the outreach effect.
                switch diffusion {
                case .logisticCoverage:
                    advance(draws, month: k) { i, ai, sNow, kNext in
                        // Every load before the selects: a load inside a select would be a branch.
                        let kappa = k0[i], ks = kappa * sNow, decay = step[i]
                        // Φ(a/s) as in `CurveStep.advance(stock:population:)`, with one division taken
                        // in either case; 0 < a < κs tested as min(a, κs − a) > 0, the same test for
                        // finite doubles but not a branch.
                        // The denominator as t·(a + (κs − a)·decay) + (1 − t)·s with t = 1 or 0: the
                        // same value, but no branch (a select there compiled to one).
                        let inside = (ai < ks - ai ? ai : ks - ai) > 0
                        let t: Double = inside ? 1 : 0
                        let phi = (inside ? kappa * ai : ai) / (t * (ai + (ks - ai) * decay) + (1 - t) * sNow)
                        let change = sNow > 0 ? kNext * phi - ai : 0
                        return x[i] * (change + rate[i] * ai)
                    }
                case .curveCoverage:
                    advance(draws, month: k) { i, ai, sNow, kNext in
                        let change = sNow > 0 ? kNext * d.curve(i, model: mixed ? models[i] : model).advance(stock: ai, population: sNow) - ai : 0
                        return x[i] * (change + rate[i] * ai)
                    }
                case .curvePersons:
                    advance(draws, month: k) { i, ai, _, _ in x[i] * (d.curve(i, model: mixed ? models[i] : model).advance(ai) - ai + rate[i] * ai) }
                case .flows:
                    let season = seasonal[k]
                    if d.seasonError.isEmpty {
                        advance(draws, month: k) { i, _, _, _ in x[i] * g0 * af[i] * (1 + season) * (1 + dev[i]) }
                    } else {
                        let moy = months[k].month - 1, error = d.seasonError
                        advance(draws, month: k) { i, _, _, _ in x[i] * g0 * af[i] * (1 + season + error[i * 12 + moy]) * (1 + dev[i]) }
                    }
                }
                // Programme joiners are acquisitions (peserta baru) too.
                if hasProgrammes { for i in draws { acquired[i] += joinedColumn[i] } }
            }
            if k >= firstReported { record(k - firstReported, w) }
        }
    }

    /// A reported month's innovations of some draws: √ρ·z_region + √(1 − ρ)·z_own, the region's
    /// normals of the month in draw order (run-up months keep the cell's own).
    private static func mixCommon(_ common: UnsafeBufferPointer<Double>, _ d: DrawBatch, _ w: BatchWorkspace, _ draws: Range<Int>) {
        let z = w.z, commonWeight = d.commonWeight, ownWeight = d.ownWeight
        for i in draws { z[i] = commonWeight[i] * common[i] + ownWeight[i] * z[i] }
    }

    /// A reported month's innovations of some draws after the region's mix: √η·z_national + √(1 − η)·z,
    /// the nation's normals of the month in draw order (the same in every cell of the scenario).
    private static func mixNational(_ nation: UnsafeBufferPointer<Double>, _ d: DrawBatch, _ w: BatchWorkspace, _ draws: Range<Int>) {
        let z = w.z, nationalWeight = d.nationalWeight, localWeight = d.localWeight
        for i in draws { z[i] = nationalWeight[i] * nation[i] + localWeight[i] * z[i] }
    }

    /// Flow-only segments: acquisitions without a stock.
    private func runFlowOnly(_ d: DrawBatch, in w: BatchWorkspace, record: (Int, BatchWorkspace) -> Void) {
        guard case .flowOnly(let g0) = mode else { return }
        let n = d.count
        let x = w.x, z = w.z, gross = w.gross, village = w.village, acquired = w.acquired, potentialOut = w.potential
        let pf = d.potentialFactor, af = d.acquisitionsFactor, yield = d.villageYield
        let dev = w.dev, phi = d.phi, innovationSD = d.innovationSD
        for column in [w.active, w.lapses, w.honoraryFlow, w.budgetFlow, w.adjustment, w.deviationChange, w.programmeJoined, w.programmeLeft, w.programmeCut] { column.fill(0) }
        for i in 0..<n { dev[i] = d.dev0[i] }
        for k in months.indices where k >= firstReported {
            // This month's innovations, from the month's own streams (MonthlyNoise).
            let own = d.deviationsDrawn ? d.noise?.stream(months[k]) : nil
            defer { withExtendedLifetime(own) {} }
            let gaussians = own?.gaussians
            let common = own == nil ? nil : d.commonNoise.map { d.shared.normals($0, months[k]) }
            let nation = own == nil ? nil : d.nationalNoise.map { d.shared.normals($0, months[k]) }
            fillOutreach(x, intensity[k], d, 0..<n)
            if !trendMonths.isEmpty { Self.applyTrend(x, d.slope, trendMonths[k], 0..<n) }
            let villagesThisYear = villagesPerYear[k], potentialNext = potential[k], season = seasonal[k]
            if let gaussians {
                gaussians.fill(z.buffer, 0..<n, sd: 1)
                if let common {
                    // In chunks, as the stock cells take the region's stream (the same sequence).
                    for chunk in stride(from: 0, to: n, by: Self.chunk) { Self.mixCommon(common, d, w, chunk..<min(chunk + Self.chunk, n)) }
                }
                if let nation {
                    for chunk in stride(from: 0, to: n, by: Self.chunk) { Self.mixNational(nation, d, w, chunk..<min(chunk + Self.chunk, n)) }
                }
                for i in 0..<n { dev[i] = phi[i] * dev[i] + innovationSD[i] * z[i] }
            } else {
                for i in 0..<n { dev[i] = phi[i] * dev[i] }
            }
            if d.seasonError.isEmpty {
                for i in 0..<n {
                    let g = x[i] * g0 * af[i] * (1 + season) * (1 + dev[i])
                    gross[i] = g > 0 ? g : 0
                }
            } else {
                let moy = months[k].month - 1
                for i in 0..<n {
                    let g = x[i] * g0 * af[i] * (1 + season + d.seasonError[i * 12 + moy]) * (1 + dev[i])
                    gross[i] = g > 0 ? g : 0
                }
            }
            for i in 0..<n {
                village[i] = villagesThisYear * yield[i] / 12
                acquired[i] = gross[i] + village[i]
                potentialOut[i] = potentialNext * pf[i]
            }
            record(k - firstReported, w)
        }
    }

    /// x^ε per draw for the month's outreach intensity x.
    @inline(__always)
    private func fillOutreach(_ out: Column, _ intensity: Double, _ d: DrawBatch, _ draws: Range<Int>) {
        if d.elasticityDrawn && intensity != 1 {
            for i in draws { out[i] = pow(intensity, d.elasticity[i]) }
        } else {
            let v = Self.power(intensity, d.elasticity[0])
            for i in draws { out[i] = v }
        }
    }

    /// A flow's trend folded into the month's outreach factor (which multiplies only g₀ in a flow
    /// calibration): x·exp(b·τ), τ the month's months since the last figure.
    @inline(__always)
    private static func applyTrend(_ x: Column, _ slope: Column, _ tau: Double, _ draws: Range<Int>) {
        for i in draws { x[i] *= exp(slope[i] * tau) }
    }

    /// The diffusion forms of the month loop.
    enum Diffusion { case logisticCoverage, curveCoverage, curvePersons, flows }

    /// The plain batch (no drawn potential, no programme stocks, no detail) or everything: each gets
    /// its own compiled month loop, the plain one without the work it does not need.
    protocol BatchShape { static var full: Bool { get } }
    enum Lean: BatchShape { static var full: Bool { false } }
    enum Full: BatchShape { static var full: Bool { true } }

    /// Draws per chunk of the month loop: a month's columns for 1,024 draws fit in L2.
    static let chunk = 1024

    /// x^ε, skipping pow where x = 1 (most months of most scenarios).
    @inline(__always) static func power(_ x: Double, _ e: Double) -> Double { x == 1 ? 1 : pow(x, e) }

    /// The reported months.
    var reportedMonths: ArraySlice<Month> { months[firstReported...] }
}
