import Fitting
import Foundation

/// What one draw changes. The deterministic projection is the draw with every input at its
/// calibrated or central value, so Monte Carlo and the projection share one code path.
public struct DrawInputs {
    /// Replaces the calibrated curve's step (a draw from the parameters' covariance).
    var curveStep: CurveStep?
    /// Monthly lapse rate λ.
    public var lambda: Double
    public var elasticity: Double
    public var potentialFactor = 1.0
    /// Acquisitions per village; nil keeps the scenario's.
    public var villageYield: Double? = nil
    /// Multiplies g₀ of flow calibrations.
    public var acquisitionsFactor = 1.0
    /// Renewal at the k-th year-end of the programme cohorts: 0 or 1 in a draw; nil uses the stated
    /// probability as an expected share.
    public var renewals: [Bool]? = nil
    /// Monthly process noise: SD in the curve's space (coverage or persons), or persons for flows.
    public var noiseSD = 0.0
    public var noise: RandomStream? = nil
}

/// One month of one cell, as the engine computed it.
struct CellStep {
    var potential: Double
    var active: Double
    var gross: Double
    var lapses: Double
    var honoraryFlow: Double
    var village: Double
    var budgetFlow: Double
    var adjustment: Double
}

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
    /// Pool × ramp share, before renewals.
    let honorarySchedule: [Double]
    /// How many programme year-ends have passed their three-month lapse by each month.
    let lapsedYearEnds: [Int]
    /// Budget-cohort capacity carved out at each month and the month before.
    let budgetCapacity: [Double]
    let budgetCapacityBefore: [Double]
    let flowOnly: Bool
    /// The calibrated dynamics without the fit's statistics (copied every month otherwise).
    let mode: Mode

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
        intensity = months.map { lv.intensity($0) }
        villagesPerYear = months.map { lv.villages?.villagesPerYear.value(at: $0) ?? 0 }
        honorarySchedule = months.map { lv.honoraryShare($0) * (lv.honorary?.pool ?? 0) }
        lapsedYearEnds = months.map { lv.lapsedYearEnds($0) }
        let noBudget = BudgetCohortState()
        budgetCapacity = months.map { noBudget.capacity(at: $0, levers: lv) }
        budgetCapacityBefore = months.map { noBudget.capacity(at: $0.adding(months: -1), levers: lv) }
        switch cal.dynamics {
        case .curve(let dyn, let space, _): mode = .curve(dyn, space)
        case .flows(let g): mode = .flows(g)
        case .flowOnly(let g): mode = .flowOnly(g)
        }
    }

    /// The deterministic draw: calibrated values, expected renewals, no noise.
    func centralDraw() -> DrawInputs {
        DrawInputs(curveStep: nil, lambda: cal.monthlyLapseRate ?? 0, elasticity: levers.elasticity)
    }

    /// Runs one draw; `record` receives every reported month (index from 0 at the first reported month).
    func run(_ d: DrawInputs, record: (Int, CellStep) -> Void) {
        let villageYield = d.villageYield ?? levers.villages?.acquisitionsPerVillage ?? 0
        if case .flowOnly(let g0) = mode {
            for k in months.indices where k >= firstReported {
                var g = Self.power(intensity[k], d.elasticity) * g0 * d.acquisitionsFactor
                if let rng = d.noise, d.noiseSD > 0 { g = max(g + rng.gaussian(sd: d.noiseSD), 0) }
                let v = villagesPerYear[k] * villageYield / 12
                record(k - firstReported, CellStep(potential: potential[k] * d.potentialFactor, active: 0, gross: g, lapses: 0, honoraryFlow: 0, village: v, budgetFlow: 0, adjustment: 0))
            }
            return
        }
        let lambda = min(max(d.lambda, 0), 1)
        var a = cal.startStock ?? 0
        var h = 0.0, b = 0.0
        var budget = BudgetCohortState()
        let renewalP = levers.honorary?.renewalProbability ?? 1
        let honoraryCarve = levers.honorary?.pool ?? 0
        let hasBudget = levers.budget != nil
        let hasProgrammes = hasBudget || levers.honorary != nil
        // Hoisted out of the month loop: the enum payloads hold arrays, copying them costs retains.
        var curve: CurveStep? = nil
        var space = SegmentCalibration.Space.persons
        var g0 = 0.0
        switch mode {
        case .curve(let fitted, let sp):
            curve = d.curveStep ?? fitted.stepper
            space = sp
        case .flows(let g): g0 = g
        case .flowOnly: break
        }
        // The stream is kept alive by `d`; the loop uses a plain pointer view of it.
        let hasNoise = d.noiseSD > 0 && d.noise != nil
        let gaussians = hasNoise ? d.noise!.gaussians : nil
        let noiseSD = d.noiseSD
        withExtendedLifetime(d.noise) {
        // Unchecked views of the schedules: the month loop is Monte Carlo's innermost loop.
        potential.withUnsafeBufferPointer { potential in
        potentialBefore.withUnsafeBufferPointer { potentialBefore in
        budgetCapacity.withUnsafeBufferPointer { budgetCapacity in
        budgetCapacityBefore.withUnsafeBufferPointer { budgetCapacityBefore in
        intensity.withUnsafeBufferPointer { intensity in
        villagesPerYear.withUnsafeBufferPointer { villagesPerYear in
        // Swift's min/max on Double handle NaN and cost several instructions; values here are finite.
        @inline(__always) func positive(_ x: Double) -> Double { x > 0 ? x : 0 }
        let villagePerMonth = villageYield / 12
        for k in 0..<months.count {
            let lNow = potentialBefore[k] * d.potentialFactor, lNext = potential[k] * d.potentialFactor
            let budgetCarveNow = budgetCapacityBefore[k], budgetCarveNext = budgetCapacity[k]
            let kNext = positive(lNext - honoraryCarve - budgetCarveNext)

            // Diffusion: the fitted model's own one-month step, or the calibrated flow.
            let x = Self.power(intensity[k], d.elasticity)
            var gross: Double
            if let dyn = curve {
                let n: Double
                var noise = 0.0
                if space == .coverage {
                    let sNow = positive(lNow - honoraryCarve - budgetCarveNow)
                    n = sNow > 0 ? kNext * dyn.advance(stock: a, population: sNow) - a : 0
                    if let gaussians { noise = kNext * gaussians.next(sd: noiseSD) }
                } else {
                    n = dyn.advance(a) - a
                    if let gaussians { noise = gaussians.next(sd: noiseSD) }
                }
                gross = x * (n + lambda * a) + noise
            } else {
                gross = x * g0 * d.acquisitionsFactor
                if let gaussians { gross += gaussians.next(sd: noiseSD) }
            }
            let lapses = lambda * a
            let room = positive(kNext - (a - lapses))
            gross = positive(gross)
            gross = gross < room ? gross : room
            let villageWanted = villagesPerYear[k] * villagePerMonth, villageRoom = positive(room - gross)
            let village = villageWanted < villageRoom ? villageWanted : villageRoom
            a = a - lapses + gross + village

            // Programme stocks follow their schedules; their pools were carved out of K above.
            var honoraryFlow = 0.0, budgetFlow = 0.0
            if hasProgrammes {
                let hNext = honorarySchedule[k] * renewalFactor(lapsedYearEnds[k], draw: d, expected: renewalP)
                let bNext = hasBudget ? budget.advance(to: months[k], levers: levers, renewed: d.renewals.map { r in { r[min($0, r.count - 1)] } }) : 0
                honoraryFlow = hNext - h
                budgetFlow = bNext - b
                h = hNext
                b = bNext
            }

            // Keep A + H + B within the potential; the excess leaves through the ceiling adjustment.
            var adjustment = 0.0
            if a + h + b > lNext {
                adjustment = -min(a + h + b - lNext, a)
                a += adjustment
            }
            if k >= firstReported {
                record(k - firstReported, CellStep(potential: lNext, active: a + h + b, gross: gross, lapses: lapses, honoraryFlow: honoraryFlow, village: village, budgetFlow: budgetFlow, adjustment: adjustment))
            }
        }
        }}}}}}
        }
    }

    /// The share of the honorary cohort still active after `lapsed` year-ends: p^k in expectation,
    /// 0 or 1 in a draw.
    @inline(__always)
    func renewalFactor(_ lapsed: Int, draw d: DrawInputs, expected p: Double) -> Double {
        guard lapsed > 0 else { return 1 }
        guard let r = d.renewals else { return pow(p, Double(lapsed)) }
        for i in 0..<min(lapsed, r.count) where !r[i] { return 0 }
        return 1
    }

    /// x^ε, skipping pow where x = 1 (most months of most scenarios).
    @inline(__always) static func power(_ x: Double, _ e: Double) -> Double { x == 1 ? 1 : pow(x, e) }

    /// The reported months.
    var reportedMonths: ArraySlice<Month> { months[firstReported...] }
}
