import Dispatch
import Fitting
import Foundation

/// Monte Carlo over a scenario: every draw is a possible world. Fitted parameters are drawn from their
/// covariance (invalid draws rejected and counted), stated assumptions from their distributions, and
/// monthly process noise is scaled from the fit residuals. Streams are seeded from (scenario seed,
/// cell) and the assumption table from (seed, "assumptions"), never from threads, so the output is
/// the same for any thread count. Memory holds one cell's draws × months per worker, not all cells.
public enum MonteCarlo {
    public struct Options: Sendable {
        public var draws: Int
        public var seed: UInt64
        public var quantiles: [Double]
        public var threads: Int
        public var parameters: Bool
        public var processNoise: Bool
        public var assumptions: [Assumption: Distribution]
        /// Year whose year-end stock and total acquisitions are kept per draw (for targets).
        public var planYear: Int

        public init(_ u: UncertaintySettings, planYear: Int, threads: Int = 1) {
            draws = u.draws
            seed = u.seed
            quantiles = u.quantiles
            self.threads = threads
            parameters = u.parameters
            processNoise = u.processNoise
            assumptions = u.assumptions
            self.planYear = planYear
        }
    }

    /// Quantiles of one series: values[level][month].
    public struct Band: Sendable {
        public var values: [[Double]]
    }

    public struct Cell: Sendable {
        public var region: String
        public var segment: String
        public var months: [Month]
        /// nil for flow-only segments.
        public var active: Band?
        /// Gross acquisitions plus village inflows.
        public var acquisitions: Band
        public var coverage: Band?
        /// Per draw: stock at the plan year's last month (nil for flow-only) and the year's acquisitions.
        public var planYearEndActive: [Double]?
        public var planYearAcquisitions: [Double]
        public var rejectedParameterDraws: Int
    }

    public struct Region: Sendable {
        public var region: String
        public var months: [Month]
        public var active: Band
        public var acquisitions: Band
        public var coverage: Band
        public var planYearEndActive: [Double]
        public var planYearAcquisitions: [Double]
    }

    public struct Result: Sendable {
        public var options: Options
        public var cells: [Cell]
        /// Totals over a region's segments, from the joint draws (not sums of quantiles).
        public var regions: [Region]
        public var rejectedParameterDraws: Int { cells.reduce(0) { $0 + $1.rejectedParameterDraws } }
    }

    /// P(outcome ≥ target) from per-draw outcomes.
    public static func probability(_ draws: [Double], atLeast target: Double) -> Double {
        guard !draws.isEmpty else { return 0 }
        return Double(draws.reduce(0) { $0 + ($1 >= target ? 1 : 0) }) / Double(draws.count)
    }

    public static func run(
        _ scenario: Scenario, calibrations: [SegmentCalibration], options: Options,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) -> Result {
        let d = max(options.draws, 1)
        let table = AssumptionTable(options, draws: d)
        let sims = calibrations.map { CellSimulator($0, scenario: scenario) }
        let regionNames = scenario.regions.map(\.name)
        let accumulator = RegionAccumulator(regions: regionNames, months: sims.first.map { $0.reportedMonths.count } ?? 0, draws: d)
        let work = WorkQueue(count: sims.count)
        let results = ResultSlots<Cell>(count: sims.count)

        DispatchQueue.concurrentPerform(iterations: max(1, min(options.threads, sims.count))) { worker in
            while let i = work.next() {
                let cell = simulate(sims[i], options: options, draws: d, table: table, accumulator: accumulator, worker: worker)
                results.set(i, cell)
                progress?(work.finished(), sims.count)
            }
        }
        let cells = results.all()
        let months = sims.first.map { Array($0.reportedMonths) } ?? []
        let regions = regionNames.map { accumulator.region($0, months: months, options: options) }
        return Result(options: options, cells: cells, regions: regions)
    }

    static func simulate(
        _ sim: CellSimulator, options: Options, draws d: Int, table: AssumptionTable, accumulator: RegionAccumulator,
        worker: Int = 0
    ) -> Cell {
        let cal = sim.cal
        let months = Array(sim.reportedMonths)
        let m = months.count
        let flowOnly = cal.isFlowOnly
        let drawnPotential = options.assumptions[.potentialFactor] != nil
        let rng = RandomStream(seed: RandomStream.seed(options.seed, "cell/\(cal.region)/\(cal.segment)"))
        // Month-major storage (all draws of a month side by side, for the quantiles), filled block by
        // block of draws so the simulation writes stay in cache.
        // Every element is written block by block before it is read: no need to zero them first.
        func uninitialized(_ n: Int) -> [Double] {
            [Double](unsafeUninitializedCapacity: n) { _, count in count = n }
        }
        var active = uninitialized(flowOnly ? 0 : m * d)
        var acquisitions = uninitialized(m * d)
        var potential = uninitialized(drawnPotential ? m * d : 0)
        let planMonths = months.enumerated().filter { $0.element.year == options.planYear }.map(\.offset)
        let planEnd = planMonths.last
        var yearEnd = [Double](repeating: 0, count: flowOnly ? 0 : d)
        var yearAcq = [Double](repeating: 0, count: d)

        // Parameter draws: the fitted (free) parameters from their covariance.
        var sampler: MultivariateNormal? = nil
        var fitted: (dyn: CurveDynamics, fit: FitResult, space: SegmentCalibration.Space)? = nil
        if case .curve(let dyn, let space, let fit) = cal.dynamics {
            fitted = (dyn, fit, space)
            if options.parameters, let cov = fit.covariance {
                let free = fit.parameters.filter { !$0.fixed }.map(\.estimate)
                sampler = try? MultivariateNormal(mean: free, covariance: cov)
            }
        }
        let noiseSD: Double = {
            guard options.processNoise else { return 0 }
            switch cal.dynamics {
            case .curve(_, _, let fit): return (fit.residualSD ?? 0) / 12.0.squareRoot()
            case .flows, .flowOnly: return cal.monthlyAcquisitionsSD ?? 0
            }
        }()
        // Scratch for parameter draws: free parameters, then the full vector with fixed ones inserted.
        let fixedParameters: [Double?] = fitted?.fit.parameters.map { $0.fixed ? $0.estimate : nil } ?? []
        let freeBuffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(fixedParameters.count, 1))
        let fullBuffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(fixedParameters.count, 1))
        defer {
            freeBuffer.deallocate()
            fullBuffer.deallocate()
        }
        let hasRenewals = sim.levers.honorary != nil || sim.levers.budget != nil
        let renewalP = sim.levers.honorary?.renewalProbability ?? sim.levers.budget?.renewalProbability ?? 1
        var rejected = 0

        let blockSize = 256
        let empty = (Double.infinity, -Double.infinity)
        var activeBounds = [(Double, Double)](repeating: empty, count: m)
        var acquisitionBounds = activeBounds, potentialBounds = activeBounds
        // Bucket counts pay off only for large samples (the same threshold as Quantiles.compute).
        var activeHistogram: MonthHistogram? = d >= 4096 && !flowOnly ? MonthHistogram(months: m) : nil
        var acquisitionHistogram: MonthHistogram? = d >= 4096 ? MonthHistogram(months: m) : nil
        let regionSums: (active: UnsafeMutablePointer<Int32>?, acquisitions: UnsafeMutablePointer<Int32>?) = {
            let p = accumulator.partial(worker: worker, region: cal.region)
            return (flowOnly ? nil : p.active, p.acquisitions)
        }()
        var blockActive = [Double](repeating: 0, count: m * blockSize)
        var blockAcq = [Double](repeating: 0, count: m * blockSize)
        var blockPot = [Double](repeating: 0, count: drawnPotential ? m * blockSize : 0)
        for blockStart in stride(from: 0, to: d, by: blockSize) {
            let bn = min(blockSize, d - blockStart)
            for b in 0..<bn {
                let draw = blockStart + b
                var inputs = sim.centralDraw()
                if let f = table.value(.lapseRateFactor, draw) { inputs.lambda *= f }
                if let e = table.value(.elasticity, draw) { inputs.elasticity = max(e, 0) }
                if let f = table.value(.potentialFactor, draw) { inputs.potentialFactor = max(f, 0) }
                if let y = table.value(.acquisitionsPerVillage, draw) { inputs.villageYield = max(y, 0) }
                if let f = table.value(.acquisitionsFactor, draw) { inputs.acquisitionsFactor = max(f, 0) }
                if let sampler, let fitted {
                    inputs.curveStep = drawCurve(sampler, fitted.dyn, fixed: fixedParameters, space: fitted.space, rng: rng, free: freeBuffer, full: fullBuffer, rejected: &rejected)
                }
                if hasRenewals { inputs.renewals = (0..<12).map { _ in rng.bernoulli(renewalP) } }
                if noiseSD > 0 {
                    inputs.noiseSD = noiseSD
                    inputs.noise = rng
                }
                blockAcq.withUnsafeMutableBufferPointer { acq in
                    blockActive.withUnsafeMutableBufferPointer { act in
                        blockPot.withUnsafeMutableBufferPointer { pot in
                            sim.run(inputs) { k, s in
                                let i = k * blockSize + b
                                acq[i] = s.gross + s.village
                                act[i] = s.active
                                if drawnPotential { pot[i] = s.potential }
                            }
                        }
                    }
                }
                for k in planMonths { yearAcq[draw] += blockAcq[k * blockSize + b] }
                if let e = planEnd, !flowOnly { yearEnd[draw] = blockActive[e * blockSize + b] }
            }
            // Copy the block into the month-major arrays, keeping each month's range and bucket counts
            // for the quantiles, and add it (in whole persons) to this worker's region sums.
            func copy(_ block: [Double], into big: inout [Double], bounds: inout [(Double, Double)], histogram: inout MonthHistogram?, regionSum: UnsafeMutablePointer<Int32>?) {
                // The first block sets the histogram's buckets, so it is counted after its copy.
                let countNow = histogram?.ready == true
                block.withUnsafeBufferPointer { src in
                    big.withUnsafeMutableBufferPointer { dst in
                        for k in 0..<m {
                            let from = k * blockSize, to = k * d + blockStart
                            if countNow {
                                // Ranges are needed only until the histogram has its buckets.
                                (dst.baseAddress! + to).update(from: src.baseAddress! + from, count: bn)
                                if let regionSum {
                                    for j in 0..<bn {
                                        let x = src[from + j]
                                        regionSum[to + j] &+= x.magnitude < 2e9 ? Int32(Persons.round(x)) : 0
                                    }
                                }
                                histogram!.count(month: k, UnsafeBufferPointer(rebasing: src[from..<(from + bn)]))
                                continue
                            }
                            var (lo, hi) = bounds[k]
                            if let regionSum {
                                for j in 0..<bn {
                                    let x = src[from + j]
                                    dst[to + j] = x
                                    if x < lo { lo = x }
                                    if x > hi { hi = x }
                                    // Whole persons; a cell's monthly figure is far inside Int32.
                                    regionSum[to + j] &+= x.magnitude < 2e9 ? Int32(Persons.round(x)) : 0
                                }
                            } else {
                                for j in 0..<bn {
                                    let x = src[from + j]
                                    dst[to + j] = x
                                    if x < lo { lo = x }
                                    if x > hi { hi = x }
                                }
                            }
                            bounds[k] = (lo, hi)
                        }
                        guard histogram != nil, !countNow else { return }
                        histogram!.start(bounds: bounds)
                        for k in 0..<m {
                            histogram!.count(month: k, UnsafeBufferPointer(rebasing: src[(k * blockSize)..<(k * blockSize + bn)]))
                        }
                    }
                }
            }
            copy(blockAcq, into: &acquisitions, bounds: &acquisitionBounds, histogram: &acquisitionHistogram, regionSum: regionSums.acquisitions)
            if !flowOnly { copy(blockActive, into: &active, bounds: &activeBounds, histogram: &activeHistogram, regionSum: regionSums.active) }
            var none: MonthHistogram? = nil
            if drawnPotential { copy(blockPot, into: &potential, bounds: &potentialBounds, histogram: &none, regionSum: nil) }
        }
        let deterministicPotential = Array(sim.potential[sim.firstReported...])
        accumulator.add(
            region: cal.region, active: nil, acquisitions: nil,
            potential: flowOnly ? nil : (drawnPotential ? .perDraw(potential) : .perMonth(deterministicPotential)),
            yearEnd: flowOnly ? nil : yearEnd, yearAcquisitions: yearAcq)

        func band(_ v: inout [Double], bounds: [(Double, Double)]? = nil, histogram: MonthHistogram? = nil) -> Band {
            var q = [[Double]](repeating: [Double](repeating: 0, count: m), count: options.quantiles.count)
            v.withUnsafeMutableBufferPointer { buffer in
                for k in 0..<m {
                    let range = (k * d)..<((k + 1) * d)
                    // With a histogram the ranges cover only the first block: leave them out.
                    let qs = histogram.flatMap { $0.quantiles(month: k, buffer, range, levels: options.quantiles) }
                        ?? (d >= 4096 && histogram == nil ? Quantiles.bucketed(buffer, range, levels: options.quantiles, bounds: bounds?[k]) : nil)
                        ?? Quantiles.compute(buffer, range, levels: options.quantiles)
                    for (j, x) in qs.enumerated() { q[j][k] = x }
                }
            }
            return Band(values: q)
        }
        // Coverage: without a drawn potential it is active over the same potential in every draw, so its
        // quantiles are the active quantiles divided by it.
        var coverageBand: Band? = nil
        if !flowOnly {
            if drawnPotential {
                var coverage = (0..<(m * d)).map { potential[$0] > 0 ? active[$0] / potential[$0] : 0 }
                coverageBand = band(&coverage)
            }
        }
        let activeBand = flowOnly ? nil : band(&active, bounds: activeBounds, histogram: activeHistogram)
        if let activeBand, !drawnPotential {
            coverageBand = Band(values: activeBand.values.map { q in q.indices.map { k in deterministicPotential[k] > 0 ? q[k] / deterministicPotential[k] : 0 } })
        }
        return Cell(
            region: cal.region, segment: cal.segment, months: months,
            active: activeBand, acquisitions: band(&acquisitions, bounds: acquisitionBounds, histogram: acquisitionHistogram), coverage: coverageBand,
            planYearEndActive: flowOnly || planEnd == nil ? nil : yearEnd, planYearAcquisitions: yearAcq,
            rejectedParameterDraws: rejected)
    }

    /// A valid curve step from the parameters' covariance; after 100 invalid draws in a row, the
    /// fitted curve's. Works in the scratch buffers: no allocation per draw.
    static func drawCurve(
        _ sampler: MultivariateNormal, _ dyn: CurveDynamics, fixed: [Double?], space: SegmentCalibration.Space,
        rng: RandomStream, free: UnsafeMutableBufferPointer<Double>, full: UnsafeMutableBufferPointer<Double>,
        rejected: inout Int
    ) -> CurveStep {
        let maxCeiling: Double? = space == .coverage ? 1 : nil
        let view = UnsafeBufferPointer(rebasing: full[0..<fixed.count])
        for _ in 0..<100 {
            sampler.draw(rng, into: free)
            var next = 0
            for (j, f) in fixed.enumerated() {
                if let f {
                    full[j] = f
                } else {
                    full[j] = free[next]
                    next += 1
                }
            }
            if CurveDynamics.isValid(dyn.model, view, maxCeiling: maxCeiling) { return CurveDynamics.stepper(dyn.model, view) }
            rejected += 1
        }
        return dyn.stepper
    }
}

/// The assumption values of every draw, drawn once in draw order from their own stream, so every cell
/// of a draw sees the same world.
struct AssumptionTable: Sendable {
    let keys: [Assumption]
    let values: [Double]

    init(_ o: MonteCarlo.Options, draws d: Int) {
        keys = Assumption.allCases.filter { o.assumptions[$0] != nil }
        let rng = RandomStream(seed: RandomStream.seed(o.seed, "assumptions"))
        var v: [Double] = []
        v.reserveCapacity(d * keys.count)
        for _ in 0..<d {
            for k in keys {
                switch o.assumptions[k]! {
                case .normal(let mean, let sd): v.append(Sampling.normal(rng, mean: mean, sd: sd))
                case .lognormal(let median, let sigma): v.append(Sampling.lognormal(rng, median: median, sigma: sigma))
                case .uniform(let a, let b): v.append(Sampling.uniform(rng, min: a, max: b))
                case .triangular(let a, let c, let b): v.append(Sampling.triangular(rng, min: a, mode: c, max: b))
                }
            }
        }
        values = v
    }

    @inline(__always) func value(_ a: Assumption, _ draw: Int) -> Double? {
        guard let j = keys.firstIndex(of: a) else { return nil }
        return values[draw * keys.count + j]
    }
}

/// Rounding to whole persons without a libm call: adding and subtracting 1.5·2^52 rounds any |x| < 2^51
/// to the nearest integer (ties to even), as `rounded(.toNearestOrEven)` does.
enum Persons {
    @inline(__always) static func round(_ x: Double) -> Double {
        let magic = 6_755_399_441_055_744.0
        return (x + magic) - magic
    }
}
