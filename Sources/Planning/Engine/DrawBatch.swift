import Fitting
import Foundation

/// What a batch of draws changes, one column per input and one row per draw, so the month loop
/// runs across draws (vectorisable) instead of across months. The deterministic projection is a
/// batch of one draw with every input at its calibrated or central value: Monte Carlo and the
/// projection share one code path. Columns are unchecked buffers: the month loop is Monte Carlo's
/// innermost loop, and bounds checks there keep the compiler from vectorising it.
final class DrawBatch {
    /// Draws in use (≤ capacity).
    var count: Int
    let capacity: Int
    /// Monthly lapse rate λ.
    let lambda: Column
    /// The outreach elasticity ε of each draw; `elasticityDrawn` false: the same in every draw.
    let elasticity: Column
    var elasticityDrawn = false
    let potentialFactor: Column
    /// false: the potential factor is 1 in every draw.
    var potentialDrawn = false
    /// Acquisitions per village.
    let villageYield: Column
    /// Multiplies g₀ of flow calibrations.
    let acquisitionsFactor: Column
    /// Flows with a trend (`FlowTrend`): each draw's monthly log-growth after the last figure (the
    /// central path's slope, or 0 for a flat level).
    let slope: Column
    /// The curve step of each draw (the model is the calibration's), used when `curveDrawn`;
    /// otherwise the calibrated curve's step in every draw.
    let step: Column, k0: Column, ratio: Column, nu: Column
    var curveDrawn = false
    /// `model: auto` mixing its candidates: each draw's growth model (empty: the calibration's in every draw).
    var models: [GrowthModel] = []
    /// renewals[cohort][draw][j]: that cohort's renewal at its j-th year-end in that draw; nil uses
    /// each cohort's stated probability as an expected share.
    var renewals: [[[Bool]]]?
    /// Each draw's share of the non-active pool reactivated per year (nil: the lever's central share).
    var reactivationShares: [Double]? = nil
    /// The deviation overlay (docs/engine.md, "Deviations"), per draw: the curve path's start (persons;
    /// the drawn curve at the start month), the relative deviation D at the start month (the jump-off),
    /// its monthly persistence φ and the SD of its monthly innovation s·√(1 − φ²).
    let start: Column, dev0: Column, phi: Column, innovationSD: Column
    /// true: D's innovations are drawn from `noise` (standard normal, scaled per draw); false: D decays
    /// from its start as φ^h (the central path).
    var deviationsDrawn = false
    var noise: MonthlyNoise? = nil
    /// Segments of one region sharing their deviations' innovations (docs/uncertainty.md, "Segments
    /// together"): each reported month's innovation is √ρ·z_region + √(1 − ρ)·z_own, z_region from
    /// `commonNoise`, the region's own streams (the same sequence in every cell of the region).
    /// nil: independent segments.
    var commonNoise: MonthlyNoise? = nil
    let commonWeight: Column, ownWeight: Column
    /// The regions sharing a part η of their innovations (docs/uncertainty.md, "Regions together"):
    /// each reported month's innovation, after the region's mix, is √η·z_national + √(1 − η)·z, the
    /// national normals from `nationalNoise`, the same sequence in every cell of the scenario. nil:
    /// a single region.
    var nationalNoise: MonthlyNoise? = nil
    let nationalWeight: Column, localWeight: Column
    /// Where the region's and the nation's normals are kept once drawn (the run's, shared by its workers).
    var shared: SharedNormals
    /// Flows with a month-of-year pattern: each draw's error in the 12 estimated effects (draw × 12 +
    /// calendar month − 1), drawn from their sampling error and summing to zero; empty on the central
    /// path and without a pattern.
    var seasonError: [Double] = []

    /// `capacity` draws at the calibrated and central values.
    convenience init(central sim: CellSimulator, capacity: Int) {
        self.init(capacity: capacity)
        reset(central: sim)
    }

    init(capacity: Int) {
        self.capacity = capacity
        count = capacity
        lambda = Column(capacity, 0)
        elasticity = Column(capacity, 0)
        potentialFactor = Column(capacity, 1)
        villageYield = Column(capacity, 0)
        acquisitionsFactor = Column(capacity, 1)
        slope = Column(capacity, 0)
        step = Column(capacity, 0)
        k0 = Column(capacity, 0)
        ratio = Column(capacity, 0)
        nu = Column(capacity, 0)
        start = Column(capacity, 0)
        dev0 = Column(capacity, 0)
        phi = Column(capacity, 0)
        innovationSD = Column(capacity, 0)
        commonWeight = Column(capacity, 0)
        ownWeight = Column(capacity, 1)
        nationalWeight = Column(capacity, 0)
        localWeight = Column(capacity, 1)
        shared = SharedNormals(draws: capacity)
    }

    /// Every draw back at the calibrated and central values of `sim` (a batch serves cell after cell).
    func reset(central sim: CellSimulator) {
        count = capacity
        lambda.fill(sim.cal.monthlyLapseRate ?? 0)
        elasticity.fill(sim.levers.elasticity)
        elasticityDrawn = false
        potentialFactor.fill(1)
        potentialDrawn = false
        villageYield.fill(sim.levers.villages?.acquisitionsPerVillage ?? 0)
        acquisitionsFactor.fill(1)
        slope.fill(sim.cal.deviation?.trend?.centralSlope ?? 0)
        curveDrawn = false
        models = []
        renewals = nil
        start.fill(sim.cal.startStock ?? 0)
        dev0.fill(sim.cal.deviation?.startDeviation ?? 0)
        phi.fill(sim.cal.deviation?.phi ?? 0)
        innovationSD.fill(0)
        deviationsDrawn = false
        noise = nil
        seasonError = []
        commonNoise = nil
        commonWeight.fill(0)
        ownWeight.fill(1)
        nationalNoise = nil
        nationalWeight.fill(0)
        localWeight.fill(1)
    }

    deinit {
        for c in [lambda, elasticity, potentialFactor, villageYield, acquisitionsFactor, slope, step, k0, ratio, nu, start, dev0, phi, innovationSD, commonWeight, ownWeight, nationalWeight, localWeight] { c.free() }
    }

    func setCurve(_ i: Int, _ s: CurveStep) {
        step[i] = s.step
        k0[i] = s.k0
        ratio[i] = s.ratio
        nu[i] = s.nu
    }

    func curve(_ i: Int, model: GrowthModel) -> CurveStep {
        CurveStep(model: model, step: step[i], k0: k0[i], ratio: ratio[i], nu: nu[i])
    }
}

/// A column of doubles with unchecked access, owned by a `DrawBatch` or `BatchWorkspace`.
struct Column {
    let buffer: UnsafeMutableBufferPointer<Double>

    init(_ count: Int, _ value: Double) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: value)
    }

    @inline(__always) subscript(i: Int) -> Double {
        get { buffer[i] }
        nonmutating set { buffer[i] = newValue }
    }

    func fill(_ value: Double) { buffer.update(repeating: value) }
    func free() { buffer.deallocate() }
}

/// Scratch of a batch run, allocated once per worker and cell and reused block after block: the
/// state of every draw and, after each month, that month's figures per draw.
final class BatchWorkspace {
    let capacity: Int
    /// Diffusion stock A, honorary stock H, budget-cohort stock B.
    let a: Column
    let h: Column
    let b: Column
    /// Outreach effect x^ε, the month's standard normal draws, λ clamped to [0, 1], villages' yield a month.
    let x: Column
    let z: Column
    /// The relative deviation D of each draw, and (stock overlays) its level in persons: reported − curve path.
    let dev: Column
    let deviationLevel: Column
    let rate: Column
    let villagePerMonth: Column
    // The month's figures, read by `record`.
    let potential: Column
    let active: Column
    let gross: Column
    /// Gross acquisitions plus villages (kept without `detail`, when gross and villages are not).
    let acquired: Column
    let lapses: Column
    let village: Column
    let honoraryFlow: Column
    let budgetFlow: Column
    let adjustment: Column
    /// Programme cohorts: the budget stock at the month's start, the uncovered room, joiners
    /// (acquisitions), leavers (lapses) and planned joiners cut for want of room.
    let bPrev: Column
    let programmeRoom: Column
    let programmeJoined: Column
    let programmeLeft: Column
    let programmeCut: Column
    /// Reactivated stock R (members back from the non-active pool), its net change in the month and
    /// the month's reactivations (not acquisitions).
    let r: Column
    let reactivationFlow: Column
    let reactivated: Column
    /// The month's change of the deviation level (booked so the books close; kept with `detail`).
    let deviationChange: Column
    /// Each programme cohort's month-to-month state per draw: cohortState[cohort][draw].
    var cohortState: [[ProgrammeCohort.State]] = []

    init(capacity: Int) {
        self.capacity = capacity
        func column() -> Column { Column(capacity, 0) }
        a = column(); h = column(); b = column(); x = column(); z = column(); rate = column(); villagePerMonth = column()
        potential = column(); active = column(); gross = column(); acquired = column(); lapses = column(); village = column()
        honoraryFlow = column(); budgetFlow = column(); adjustment = column()
        bPrev = column(); programmeRoom = column(); programmeJoined = column(); programmeLeft = column(); programmeCut = column()
        r = column(); reactivationFlow = column(); reactivated = column()
        dev = column(); deviationLevel = column(); deviationChange = column()
    }

    deinit {
        for c in [a, h, b, x, z, rate, villagePerMonth, potential, active, gross, acquired, lapses, village, honoraryFlow, budgetFlow, adjustment, dev, deviationLevel, deviationChange] { c.free() }
        for c in [bPrev, programmeRoom, programmeJoined, programmeLeft, programmeCut, r, reactivationFlow, reactivated] { c.free() }
    }
}

/// The deviations' innovations, keyed by calendar month: month m's come from a stream of their own,
/// seeded from (scenario seed, key, m), draw i taking its i-th number. So a draw's noise in a month
/// does not depend on where the simulation starts: moving `actuals_until` (rkat explain's new months)
/// or anything else that changes the months simulated leaves every other month's noise as it was.
struct MonthlyNoise: Sendable {
    let seed: UInt64
    let key: String

    func stream(_ m: Month) -> RandomStream { RandomStream(seed: RandomStream.seed(seed, "\(key)/\(m)")) }
}

/// Normals many cells share (a region's common innovations, the nation's), drawn once per key and
/// month for every draw and kept for the run: each cell reads the numbers its `MonthlyNoise` stream
/// gives, in draw order, without drawing them again in each of the region's (or the nation's) cells
/// (1,650 times over in `rkat bench national`). Whichever worker draws a month first, the numbers
/// are the stream's.
final class SharedNormals: @unchecked Sendable {
    private let lock = NSLock()
    private var tables: [String: UnsafeMutableBufferPointer<Double>] = [:]
    let draws: Int

    init(draws: Int) { self.draws = draws }

    deinit { for t in tables.values { t.deallocate() } }

    /// The first `draws` standard normals of `noise`'s stream for month `m`.
    func normals(_ noise: MonthlyNoise, _ m: Month) -> UnsafeBufferPointer<Double> {
        let key = "\(noise.key)/\(m)"
        lock.lock()
        if let t = tables[key] {
            lock.unlock()
            return UnsafeBufferPointer(t)
        }
        lock.unlock()
        let t = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(draws, 1))
        let stream = noise.stream(m)
        withExtendedLifetime(stream) { stream.gaussians.fill(t, 0..<draws, sd: 1) }
        lock.lock()
        defer { lock.unlock() }
        // Another worker drew the same month meanwhile: the same numbers; keep one.
        if let existing = tables[key] {
            t.deallocate()
            return UnsafeBufferPointer(existing)
        }
        tables[key] = t
        return UnsafeBufferPointer(t)
    }
}
