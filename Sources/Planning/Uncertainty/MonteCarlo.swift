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
        /// Assumptions held at one value in every draw (Tornado): each is still drawn, then replaced,
        /// so every other draw of every stream is the one the unpinned run makes.
        public var pinned: [Assumption: Double] = [:]
        /// Keep each region's monthly draws (`Region.monthly`), for a total over regions simulated
        /// apart with joint draws (`MonteCarlo.total(of:)`: Kanwil plans run for a national one).
        public var keepMonthlyDraws = false

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
        /// Per draw, the plan year's figure of a metric (as `Region.planYear`).
        public func planYear(_ metric: TargetRow.Metric) -> [Double]? { planYearDraws[metric] }

        public var region: String
        public var segment: String
        public var months: [Month]
        /// nil for flow-only segments.
        public var active: Band?
        /// Gross acquisitions plus village inflows.
        public var acquisitions: Band
        public var coverage: Band?
        /// Per draw, keyed by metric: the stock at the plan year's last month (none for flow-only),
        /// the year's projected acquisitions, its iuran (rupiah, after the draw's collection rate;
        /// only with `segments.S.iuran`) and reactivations (only with the lever). Realised months
        /// are added by whoever compares with a full year (`Realisation.fullYear`).
        public var planYearDraws: [TargetRow.Metric: [Double]]
        public var rejectedParameterDraws: Int
        /// true when the fit's parameters could not be drawn at all (their covariance could not be
        /// factored): the draws then vary everything but the curve. Said in run.json.
        public var parametersNotDrawn = false
        /// The factor each reported month's draws were rescaled by about their median, in log space
        /// (`BandRescaling`; 1 where not), or nil when the cell has no rescaling.
        public var bandFactors: [Double]? = nil
    }

    public struct Region: Sendable {
        /// Per draw, the plan year's figure of a metric: December's stock, or the projected months'
        /// flow (the realised months are added by whoever compares with a full year).
        public func planYear(_ metric: TargetRow.Metric) -> [Double]? { planYearDraws[metric] }

        public var region: String
        public var months: [Month]
        public var active: Band
        public var acquisitions: Band
        public var coverage: Band
        /// Per draw, keyed by metric, over the region's persons segments: December's stock and the
        /// year's acquisitions (always), iuran and reactivations (where a segment has them).
        public var planYearDraws: [TargetRow.Metric: [Double]]
        /// With `Options.keepMonthlyDraws`: the region's whole persons per month and draw (month-major:
        /// month k's draws at k·draws ..< (k + 1)·draws), and its potential likewise.
        public var monthly: MonthlyDraws? = nil
    }

    public struct MonthlyDraws: Sendable {
        public var active: [Double]
        public var acquisitions: [Double]
        public var potential: [Double]
    }

    /// The total of regions simulated apart with joint draws (the same seed and draw count, so draw d
    /// of each is one world: Kanwil plans run for a national one), named `Targets.allRegions`: their
    /// monthly draws and plan-year draws summed draw by draw, over the months they all have (the
    /// shortest horizon: they start together). nil when a region kept no monthly draws or their months
    /// start apart.
    public static func total(of parts: [Region], options: Options) -> Region? {
        guard let first = parts.first, parts.allSatisfy({ $0.monthly != nil && $0.months.first == first.months.first }) else { return nil }
        let months = Array(first.months.prefix(parts.map(\.months.count).min()!))
        guard parts.allSatisfy({ Array($0.months.prefix(months.count)) == months }) else { return nil }
        let draws = max(options.draws, 1), n = months.count * draws
        return RegionAccumulator.total(
            active: parts.map { Array($0.monthly!.active.prefix(n)) }, acquisitions: parts.map { Array($0.monthly!.acquisitions.prefix(n)) },
            potential: parts.map { Array($0.monthly!.potential.prefix(n)) }, planYear: parts.map(\.planYearDraws), months: months, draws: draws, options: options)
    }

    public struct Result: Sendable {
        public var options: Options
        public let cells: [Cell]
        /// Totals over a region's segments, from the joint draws (not sums of quantiles).
        public let regions: [Region]
        /// With two or more regions, their total (region `ALL`: the nation of a national scenario),
        /// summed draw by draw; nil with one.
        public var total: Region? = nil
        private let cellIndex: [CellKey: Int]
        private let regionIndex: [String: Int]

        public init(options: Options, cells: [Cell], regions: [Region]) {
            self.options = options
            self.cells = cells
            self.regions = regions
            cellIndex = Dictionary(cells.enumerated().map { (CellKey($1.region, $1.segment), $0) }, uniquingKeysWith: { a, _ in a })
            regionIndex = Dictionary(regions.enumerated().map { ($1.region, $0) }, uniquingKeysWith: { a, _ in a })
        }

        /// The draws of one region × segment.
        public func cell(_ region: String, _ segment: String) -> Cell? { cellIndex[CellKey(region, segment)].map { cells[$0] } }

        /// The joint draws of a region's persons segments.
        public func region(_ name: String) -> Region? { regionIndex[name].map { regions[$0] } }
        public var rejectedParameterDraws: Int { cells.reduce(0) { $0 + $1.rejectedParameterDraws } }
        /// "Region Segment" of the cells whose parameters could not be drawn.
        public var parametersNotDrawn: [String] { cells.filter(\.parametersNotDrawn).map { "\($0.region) \($0.segment)" } }
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
        // The regions' and the nation's normals, drawn once per month for all the cells that share them.
        let shared = SharedNormals(draws: d)

        DispatchQueue.concurrentPerform(iterations: max(1, min(options.threads, sims.count))) { worker in
            // A worker's batch columns serve cell after cell: no megabytes allocated and zeroed per cell.
            let scratch = Scratch(draws: d)
            scratch.batch.shared = shared
            while let i = work.next() {
                let cell = simulate(sims[i], options: options, draws: d, table: table, accumulator: accumulator, worker: worker, scratch: scratch)
                results.set(i, cell)
                progress?(work.finished(), sims.count)
            }
        }
        let cells = results.all()
        let months = sims.first.map { Array($0.reportedMonths) } ?? []
        let regions = regionNames.map { accumulator.combineRegion($0, months: months, options: options) }
        var result = Result(options: options, cells: cells, regions: regions)
        if regionNames.count >= 2 { result.total = accumulator.combineTotal(months: months, options: options) }
        return result
    }

    /// A cell's draws are simulated side by side, month after month; each month's draws go straight
    /// into that month's quantiles and the region sums, so nothing holds draws × months per cell.
    static func simulate(
        _ sim: CellSimulator, options: Options, draws d: Int, table: AssumptionTable, accumulator: RegionAccumulator,
        worker: Int, scratch: Scratch
    ) -> Cell {
        let cal = sim.cal
        let months = Array(sim.reportedMonths)
        let m = months.count
        let flowOnly = cal.isFlowOnly
        let drawnPotential = options.assumptions[.potentialFactor] != nil && !flowOnly
        let rng = RandomStream(seed: RandomStream.seed(options.seed, "cell/\(cal.region)/\(cal.segment)"))
        // A company segment is never summed with persons into the region's totals.
        let sums = sim.countsPersons ? accumulator.partial(worker: worker, region: cal.region) : nil
        let levels = options.quantiles
        let acquisitions = SeriesQuantiles(levels: levels, months: m, draws: d, regionSum: sums?.acquisitions)
        let active: SeriesQuantiles? = flowOnly ? nil : SeriesQuantiles(levels: levels, months: m, draws: d, regionSum: sums?.active)
        let coverage: SeriesQuantiles? = drawnPotential ? SeriesQuantiles(levels: levels, months: m, draws: d) : nil
        // A drawn potential goes to the region totals draw by draw (months × draws).
        var potential = [Double](repeating: 0, count: drawnPotential ? m * d : 0)
        let isPlanMonth = months.map { $0.year == options.planYear }
        let planEnd = isPlanMonth.lastIndex(of: true)
        var yearEnd = [Double](repeating: 0, count: flowOnly ? 0 : d)
        var yearAcq = [Double](repeating: 0, count: d)
        var yearDue = [Double](repeating: 0, count: sim.iuran == nil ? 0 : d)
        let reactivates = sim.levers.reactivation != nil && sim.cohorts.contains { $0.kind == .reactivation }
        var yearReactivated = [Double](repeating: 0, count: reactivates ? d : 0)

        let batch = scratch.batch, workspace = scratch.workspace, row = scratch.row
        let (rejected, samplerFailed) = prepare(sim, options: options, draws: d, table: table, rng: rng, batch: batch)
        if !sim.cohorts.isEmpty { batch.renewals = ProgrammeCohort.drawRenewals(sim.cohorts, draws: d, rng: rng) }
        batch.reactivationShares = reactivationShares(sim, options: options, draws: d)
        // The cell's own past errors rescale its stock draws month by month, before anything reads them.
        let rescaling = flowOnly ? nil : (try? cal.rescaling.get())
        var bandFactors = [Double](repeating: 1, count: rescaling == nil ? 0 : m)
        var ordered = [Double](repeating: 0, count: rescaling == nil ? 0 : d)
        let lastActual = cal.lastActual?.month ?? cal.startMonth
        let deterministicPotential = Array(sim.potential[sim.firstReported...])
        sim.run(batch, in: workspace, detail: false) { k, w in
            if let rescaling, d >= 2 {
                bandFactors[k] = rescale(w.active.buffer, by: rescaling, horizon: lastActual.distance(to: months[k]), ordered: &ordered)
                // Never above the draw's potential (coverage at most 1), whichever way the band moved.
                if bandFactors[k] != 1 {
                    for j in 0..<d {
                        let cap = drawnPotential ? w.potential[j] : deterministicPotential[k]
                        if cap > 0, w.active[j] > cap { w.active[j] = cap }
                    }
                }
            }
            let acquired = w.acquired
            if isPlanMonth[k] { yearAcq.withUnsafeMutableBufferPointer { y in for j in 0..<d { y[j] += acquired[j] } } }
            if isPlanMonth[k], sim.iuran != nil { for j in 0..<d { yearDue[j] += sim.iuranDue(w, j) } }
            if isPlanMonth[k], reactivates { for j in 0..<d { yearReactivated[j] += w.reactivated[j] } }
            acquisitions.add(month: k, acquired.buffer)
            guard let active else { return }
            if k == planEnd { yearEnd.withUnsafeMutableBufferPointer { y in for j in 0..<d { y[j] = w.active[j] } } }
            if let coverage {
                for j in 0..<d {
                    potential[k * d + j] = w.potential[j]
                    row[j] = w.potential[j] > 0 ? w.active[j] / w.potential[j] : 0
                }
                coverage.add(month: k, row.buffer)
            }
            active.add(month: k, w.active.buffer)
        }
        // What is due times each draw's collection rate.
        let yearIuran = sim.iuran.map { plan in
            zip(yearDue, collectionRates(plan, segment: cal.segment, options: options, draws: d)).map { $0 * $1 }
        }
        var figures: [TargetRow.Metric: [Double]] = [.acquisitions: yearAcq]
        if let yearIuran { figures[.iuran] = yearIuran }
        if reactivates { figures[.reactivations] = yearReactivated }
        if sim.countsPersons {
            var toRegion = figures
            if !flowOnly { toRegion[.active] = yearEnd }
            accumulator.add(
                region: cal.region, potential: flowOnly ? nil : (drawnPotential ? .perDraw(potential) : .perMonth(deterministicPotential)), planYear: toRegion)
        }
        if !flowOnly, planEnd != nil { figures[.active] = yearEnd }

        let activeBand = active?.band
        // Coverage: without a drawn potential it is active over the same potential in every draw, so its
        // quantiles are the active quantiles divided by it.
        var coverageBand = coverage?.band
        if let activeBand, coverageBand == nil {
            coverageBand = Band(values: activeBand.values.map { q in q.indices.map { k in deterministicPotential[k] > 0 ? q[k] / deterministicPotential[k] : 0 } })
        }
        var cell = Cell(
            region: cal.region, segment: cal.segment, months: months,
            active: activeBand, acquisitions: acquisitions.band, coverage: coverageBand,
            planYearDraws: figures, rejectedParameterDraws: rejected, parametersNotDrawn: samplerFailed)
        if rescaling != nil { cell.bandFactors = bandFactors }
        return cell
    }

    /// One month's stock draws rescaled in place about their median in log space, x ↦ m·(x/m)^c, with
    /// c the rescaling's factor at the horizon: every quantile moves to m·(q/m)^c, the median stays.
    /// Returns c (1 when it is 1 or the median is not positive).
    static func rescale(_ x: UnsafeMutableBufferPointer<Double>, by r: BandRescaling, horizon h: Int, ordered: inout [Double]) -> Double {
        let d = x.count
        let c = r.factor(horizon: h)
        guard c != 1 else { return 1 }
        for j in 0..<d { ordered[j] = x[j] }
        let median = Quantiles.compute(&ordered, 0..<d, levels: [0.5])[0]
        guard median > 0 else { return 1 }
        for j in 0..<d where x[j] > 0 { x[j] = median * exp(c * log(x[j] / median)) }
        return c
    }

    /// Each draw's share of the non-active pool reactivated per year: drawn in draw order from the
    /// cell's own stream "reactivation/R/S" (so the cell's other draws are as without the lever),
    /// clamped to [0, 1]; nil (the central share) without a distribution or draws.
    static func reactivationShares(_ sim: CellSimulator, options: Options, draws d: Int) -> [Double]? {
        guard let dist = sim.levers.reactivation?.shareUncertainty, options.draws > 0 else { return nil }
        let rng = RandomStream(seed: RandomStream.seed(options.seed, "reactivation/\(sim.cal.region)/\(sim.cal.segment)"))
        return (0..<d).map { _ in min(max(dist.sample(rng), 0), 1) }
    }

    /// Each draw's collection rate for a segment's iuran: drawn in draw order from the segment's own
    /// stream ("collection/S", the same in every region, so a collection shock is common to them),
    /// clamped to [0, 1]; the stated rate in every draw when no distribution is given.
    static func collectionRates(_ plan: IuranPlan, segment: String, options: Options, draws d: Int) -> [Double] {
        guard let dist = plan.collectionUncertainty, options.draws > 0 else { return [Double](repeating: plan.collection, count: d) }
        let rng = RandomStream(seed: RandomStream.seed(options.seed, "collection/\(segment)"))
        return (0..<d).map { _ in min(max(dist.sample(rng), 0), 1) }
    }

    /// Sets up a cell's batch of draws: assumptions from the table, the curve's parameters, and each
    /// draw's deviation φ, s, jump-off (last actual against the draw's own curve, decayed to the start
    /// month) and the curve path's start. Returns the rejected parameter draws and whether the
    /// parameters could not be drawn at all.
    ///
    /// Kept in one piece for speed, like `CellSimulator.runStock`: it runs for every draw of every cell
    /// (16.5 million times in `rkat bench national`), and its steps as methods of a struct or a class
    /// (issue 28) measured 7–15% slower in the simulation, side by side with this form (2 Kanwil, one
    /// thread: 5.3–6.1 s against 5.0–5.2 s). Its steps are marked in the comments instead.
    static func prepare(
        _ sim: CellSimulator, options: Options, draws d: Int, table: AssumptionTable, rng: RandomStream, batch: DrawBatch
    ) -> (rejected: Int, samplerFailed: Bool) {
        let cal = sim.cal
        // The curves the draws take: the calibrated one, or with `model: auto` every candidate by its
        // weight (the choice is part of the parameters: held at the best when they are not drawn).
        var sources: [CurveSource] = []
        if case .curve(let dyn, let space, let fit) = cal.dynamics {
            let candidates = options.parameters && cal.candidates.count > 1
                ? cal.candidates.map { ($0.dynamics, $0.fit, $0.deviation as DeviationModel?, $0.weight) }
                : [(dyn, fit, cal.deviation, 1.0)]
            sources = candidates.map { CurveSource($0.0, $0.1, space: space, deviation: $0.2, weight: $0.3, parameters: options.parameters) }
        }
        let samplerFailed = sources.contains { $0.samplerFailed }
        let mixed = sources.count > 1
        var cumulative: [Double] = []
        for source in sources { cumulative.append((cumulative.last ?? 0) + source.weight) }
        let width = sources.map(\.fixed.count).max() ?? 0
        let freeBuffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(width, 1))
        let fullBuffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: max(width, 1))
        defer {
            freeBuffer.deallocate()
            fullBuffer.deallocate()
        }
        var rejected = 0

        batch.reset(central: sim)
        let centralLambda = batch.lambda[0]
        let deviationsOn = options.processNoise && cal.deviation != nil
        batch.elasticityDrawn = table.has(.elasticity)
        batch.curveDrawn = sources.contains { $0.sampler != nil } || mixed
        batch.potentialDrawn = table.has(.potentialFactor)
        batch.deviationsDrawn = deviationsOn
        batch.noise = deviationsOn ? MonthlyNoise(seed: options.seed, key: "noise/\(cal.region)/\(cal.segment)") : nil
        // Each draw's national share η (0 with a single region).
        var eta = [Double](repeating: 0, count: d)
        if deviationsOn, let national = cal.national {
            // The nation's streams: the same η per draw and the same common innovations in every cell.
            let stream = RandomStream(seed: RandomStream.seed(options.seed, "national"))
            batch.nationalNoise = MonthlyNoise(seed: options.seed, key: "national-noise")
            for draw in 0..<d {
                eta[draw] = national.range.map { $0.lowerBound + ($0.upperBound - $0.lowerBound) * stream.uniform() } ?? national.rho
                batch.nationalWeight[draw] = eta[draw].squareRoot()
                batch.localWeight[draw] = (1 - eta[draw]).squareRoot()
            }
        }
        if deviationsOn, let correlation = cal.correlation {
            // The region's streams: the same ρ per draw and the same common innovations in every cell of it.
            let common = RandomStream(seed: RandomStream.seed(options.seed, "region/\(cal.region)"))
            batch.commonNoise = MonthlyNoise(seed: options.seed, key: "region-noise/\(cal.region)")
            for draw in 0..<d {
                var rho = correlation.range.map { $0.lowerBound + ($0.upperBound - $0.lowerBound) * common.uniform() } ?? correlation.rho
                // An estimated ρ is the segments' whole correlation, the national share η within it:
                // the region's own share is what η leaves, (ρ − η)/(1 − η). A drawn ρ is the region's own.
                if correlation.range == nil, cal.national != nil { rho = min(max((rho - eta[draw]) / (1 - eta[draw]), 0), 0.95) }
                batch.commonWeight[draw] = rho.squareRoot()
                batch.ownWeight[draw] = (1 - rho).squareRoot()
            }
        }
        if mixed { batch.models = [GrowthModel](repeating: sources[0].dyn.model, count: d) }
        // The jump-off months and the curve's scale there (potential in coverage space).
        let scaleAt: (Month) -> Double = { m in sources.first?.space == .coverage ? (cal.potential?.value(at: m) ?? 0) : 1 }
        let startScale = scaleAt(cal.startMonth), startYear = cal.startMonth.decimalYear
        // What a draw reads of its deviation model, bound once per curve (per cell for flows): the
        // model holds strings and arrays, and copied for every draw it was a third of `prepare`.
        let deviations = (sources.isEmpty ? [cal.deviation] : sources.map { $0.deviation ?? cal.deviation }).map { model in
            model.map { DrawnDeviation($0, seasonality: cal.deviation?.seasonality, scale: scaleAt($0.lastMonth)) }
        }
        // The stated assumptions of each draw, column by column (absent ones stay at their central values).
        table.forEach(.lapseRateFactor, draws: d) { batch.lambda[$0] = centralLambda * $1 }
        table.forEach(.elasticity, draws: d) { batch.elasticity[$0] = max($1, 0) }
        table.forEach(.potentialFactor, draws: d) { batch.potentialFactor[$0] = max($1, 0) }
        table.forEach(.acquisitionsPerVillage, draws: d) { batch.villageYield[$0] = max($1, 0) }
        table.forEach(.acquisitionsFactor, draws: d) { batch.acquisitionsFactor[$0] = max($1, 0) }
        for draw in 0..<d {
            // This draw's curve: by the candidates' weights when they are mixed.
            var k = 0
            if mixed {
                let u = rng.uniform() * cumulative.last!
                k = cumulative.firstIndex { u < $0 } ?? sources.count - 1
                batch.models[draw] = sources[k].dyn.model
            }
            let source = sources.isEmpty ? nil : sources[k]
            guard let drawn = deviations[k] else { continue }
            // The month-of-year component is the calibration's (the engine adds it to every draw).
            let lastSeason = drawn.lastSeason
            // This draw's φ and s: estimated (s² scaled by ν/χ²_ν, φ by its standard error), or for a
            // short history φ by default and s from its posterior.
            var s = drawn.model.sd, phi = drawn.model.phi
            if drawn.model.sdPosterior != nil {
                s = drawn.model.sdPosterior!.quantile(rng.uniform())
            } else if let nu = drawn.model.dof, nu > 0 {
                s *= (Double(nu) / rng.chiSquared(Double(nu))).squareRoot()
            }
            if let range = drawn.model.phiRange {
                phi = range.lowerBound + (range.upperBound - range.lowerBound) * rng.uniform()
            } else if let se = drawn.model.phiSE {
                phi = min(max(phi + rng.gaussian(sd: se), 0), 0.995)
            }
            if !deviationsOn { phi = drawn.model.phi }
            var lastDeviation = drawn.model.lastDeviation
            if let source, source.sampler != nil || mixed {
                let p = UnsafeBufferPointer(rebasing: fullBuffer[0..<source.fixed.count])
                let (model, origin) = (source.dyn.model, source.dyn.origin)
                // The drawn curve at the last actual (also its value at the start month when that is
                // the same month: one exp per draw saved).
                var atLast = 0.0
                func jumpOff() -> Double {
                    atLast = CurveDynamics.value(model, p, origin: origin, at: drawn.lastYear)
                    return drawn.model.lastValue / (drawn.lastScale * atLast) - 1 - lastSeason
                }
                // A drawn curve that puts the last actual further from it than the fitted curve does by
                // more than `plausibleJumpOff` deviation SDs is one the data rule out (a Bass curve
                // drawn near zero from a degenerate covariance, then a stock collapsing onto it): drawn
                // again and counted as rejected; after `plausibleTries`, the fitted curve.
                let limit = abs(drawn.model.lastDeviation) + Self.plausibleJumpOff * s
                var step = source.dyn.stepper
                var plausible = false
                for _ in 0..<Self.plausibleTries {
                    step = source.draw(
                        scale: s * drawn.model.parameterScale(phi: phi, longRunAtEstimate: drawn.longRunAtEstimate) * drawn.parameterWidening, rng: rng, free: freeBuffer, full: fullBuffer, rejected: &rejected)
                    lastDeviation = jumpOff()
                    plausible = lastDeviation.isFinite && abs(lastDeviation) <= limit
                    if plausible { break }
                    rejected += 1
                }
                if !plausible {
                    for j in 0..<source.fixed.count { fullBuffer[j] = source.dyn.parameters[j] }
                    step = source.dyn.stepper
                    lastDeviation = drawn.model.lastDeviation
                    atLast = CurveDynamics.value(model, p, origin: origin, at: drawn.lastYear)
                }
                batch.setCurve(draw, step)
                batch.start[draw] = startScale * (startYear == drawn.lastYear ? atLast : CurveDynamics.value(model, p, origin: origin, at: startYear))
            } else if sources.isEmpty, deviationsOn, let n = drawn.model.dof {
                // Flows: g₀ is the mean of m = min(n + 1, 12) monthly figures, uncertain by the exact
                // error of an AR(1)'s m-month mean (`SerialCorrelation.meanStandardError`; the asymptotic
                // s·√((1 + φ)/(1 − φ)/m) overstates it at high φ and small m); the jump-off is the last
                // figure against this g₀.
                let se = SerialCorrelation.meanStandardError(rho: phi, sd: s, count: min(n + 1, 12))
                var level: Double
                if let trend = drawn.model.trend, options.parameters {
                    // The line in the share of draws its Akaike weight gives, the flat level in
                    // the others, each from its posterior with φ integrated out; the deviations take
                    // that draw's φ and s.
                    let line = trend.draw(rng)
                    (level, batch.slope[draw]) = (line.level, line.slope)
                    (phi, s) = (line.phi, line.sd)
                } else {
                    level = max(1 + rng.gaussian(sd: se), 0.05)
                }
                batch.acquisitionsFactor[draw] *= level
                // The month-of-year effects' own sampling error, centred (the effects sum to zero);
                // the jump-off is the last figure against this draw's effects.
                var seasonError = 0.0
                if let pattern = drawn.seasonality {
                    if batch.seasonError.count != batch.count * 12 { batch.seasonError = [Double](repeating: 0, count: batch.count * 12) }
                    let sd = pattern.effectSE(phi: phi, sd: s)
                    var errors = (0..<12).map { _ in rng.gaussian(sd: sd) }
                    let mean = errors.reduce(0, +) / 12
                    errors = errors.map { $0 - mean }
                    for j in 0..<12 { batch.seasonError[draw * 12 + j] = errors[j] }
                    seasonError = errors[drawn.model.lastMonth.month - 1]
                }
                // Flows are g₀·(1 + S)·(1 + D): the last figure against this draw's level and effect.
                lastDeviation = (1 + lastSeason) * (1 + lastDeviation) / (level * (1 + lastSeason + seasonError)) - 1
            }
            let g = Double(drawn.model.gap)
            var start = pow(phi, g) * lastDeviation
            if deviationsOn && drawn.model.gap > 0 { start += s * (1 - pow(phi, 2 * g)).squareRoot() * rng.gaussian(sd: 1) }
            batch.dev0[draw] = start
            batch.phi[draw] = phi
            batch.innovationSD[draw] = deviationsOn ? s * (1 - phi * phi).squareRoot() : 0
        }
        return (rejected, samplerFailed)
    }

    /// Curve draws whose jump-off exceeds the fitted curve's by more than this many deviation SDs are
    /// drawn again, at most `plausibleTries` times (then the fitted curve).
    static let plausibleJumpOff = 6.0
    static let plausibleTries = 20

    /// A worker's columns for a cell's draws, reused from cell to cell.
    final class Scratch {
        let batch: DrawBatch
        let workspace: BatchWorkspace
        /// One month of a series (acquisitions, coverage) on its way to the quantiles.
        let row: Column

        init(draws d: Int) {
            batch = DrawBatch(capacity: d)
            workspace = BatchWorkspace(capacity: d)
            row = Column(d, 0)
        }

        deinit { row.free() }
    }

    /// A deviation model as the draws read it, with what it gives every draw worked out once: the
    /// month-of-year effect at the last actual and the curve's scale there (potential in coverage
    /// space). A class, so binding it per draw is one reference, not a copy of the model's strings
    /// and arrays.
    final class DrawnDeviation {
        let model: DeviationModel
        /// The calibration's month-of-year pattern (the engine adds it to every draw).
        let seasonality: Seasonality?
        let lastSeason: Double
        let lastScale: Double
        let lastYear: Double
        let longRunAtEstimate: Double
        /// The curve's parameter draws widened where the residuals read with reporting noise have a
        /// larger long-run SD than the AR(1) says (`NoisyReading`), else 1.
        let parameterWidening: Double

        init(_ model: DeviationModel, seasonality: Seasonality?, scale: Double) {
            self.model = model
            self.seasonality = seasonality
            lastSeason = seasonality?.effect(model.lastMonth) ?? 0
            lastScale = scale
            lastYear = model.lastMonth.decimalYear
            longRunAtEstimate = model.longRun(model.phi)
            parameterWidening = model.noisyReading?.parameterWidening ?? 1
        }
    }

    /// One curve the draws can take, with the sampler of its fitted (free) parameters from their GLS
    /// covariance: θ̂ + s·L·z with L the Cholesky factor of (JᵀJ)⁻¹ and s the draw's deviation SD
    /// (ŝ·√(ν/χ²_ν) when estimated: a multivariate t with ν = n − p; the stated default's draw
    /// otherwise). Parameters whose covariance is singular or not finite are held at their estimates
    /// (Calibration says which in calibration.csv).
    final class CurveSource {
        let dyn: CurveDynamics
        let space: SegmentCalibration.Space
        let deviation: DeviationModel?
        let weight: Double
        /// Constants once built: read for every draw, and a `var` there cost an exclusivity check and
        /// a retain each time.
        let sampler: MultivariateNormal?
        let samplerFailed: Bool
        /// The drawn parameters' estimates, and the full vector's fixed entries (nil where drawn).
        let estimates: [Double]
        let fixed: [Double?]

        init(_ dyn: CurveDynamics, _ fit: FitResult, space: SegmentCalibration.Space, deviation: DeviationModel?, weight: Double, parameters: Bool) {
            self.dyn = dyn
            self.space = space
            self.deviation = deviation
            self.weight = weight
            var sampler: MultivariateNormal? = nil, samplerFailed = false
            var estimates: [Double] = [], fixed: [Double?] = []
            var held: [Bool] = []
            if parameters, let cov = fit.covariance, let s = fit.residualSD, s > 0 {
                let free = fit.parameters.filter { !$0.fixed }.map(\.estimate)
                let drawn = MultivariateNormal.drawable(covariance: cov, dimension: free.count)
                if drawn.contains(true) {
                    let idx = drawn.indices.filter { drawn[$0] }
                    let sub = idx.flatMap { i in idx.map { j in cov[i * free.count + j] / (s * s) } }
                    do { sampler = try MultivariateNormal(mean: idx.map { _ in 0 }, covariance: sub) } catch { samplerFailed = true }
                    held = drawn.map { !$0 }
                    estimates = idx.map { free[$0] }
                }
            }
            var free = 0
            for q in fit.parameters {
                if q.fixed {
                    fixed.append(q.estimate)
                } else {
                    fixed.append(free < held.count && held[free] ? q.estimate : nil)
                    free += 1
                }
            }
            if sampler == nil { fixed = dyn.parameters.map { Optional($0) } }
            (self.sampler, self.samplerFailed, self.estimates, self.fixed) = (sampler, samplerFailed, estimates, fixed)
        }

        /// A valid curve step θ̂ + scale·(a draw of N(0, (JᵀJ)⁻¹)); after 100 invalid draws in a row (or
        /// without a sampler), the fitted curve's. The full parameter vector is left in `full`. Works in
        /// the scratch buffers: no allocation per draw.
        func draw(
            scale: Double, rng: RandomStream, free: UnsafeMutableBufferPointer<Double>,
            full: UnsafeMutableBufferPointer<Double>, rejected: inout Int
        ) -> CurveStep {
            let maxCeiling: Double? = space == .coverage ? 1 : nil
            let view = UnsafeBufferPointer(rebasing: full[0..<fixed.count])
            if let sampler {
                for _ in 0..<100 {
                    sampler.draw(rng, into: free)
                    var next = 0
                    for (j, f) in fixed.enumerated() {
                        if let f {
                            full[j] = f
                        } else {
                            full[j] = estimates[next] + scale * free[next]
                            next += 1
                        }
                    }
                    if CurveDynamics.isValid(dyn.model, view, maxCeiling: maxCeiling) { return CurveDynamics.stepper(dyn.model, view) }
                    rejected += 1
                }
            }
            for j in 0..<fixed.count { full[j] = dyn.parameters[j] }
            return dyn.stepper
        }
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
                let drawn = o.assumptions[k]!.sample(rng)
                v.append(k.clamp(o.pinned[k] ?? drawn))
            }
        }
        values = v
    }

    func has(_ a: Assumption) -> Bool { keys.contains(a) }

    @inline(__always) func value(_ a: Assumption, _ draw: Int) -> Double? {
        guard let j = keys.firstIndex(of: a) else { return nil }
        return values[draw * keys.count + j]
    }

    /// `body(draw, value)` for each of the first `d` draws of `a`; nothing when `a` is not stated.
    @inline(__always) func forEach(_ a: Assumption, draws d: Int, _ body: (Int, Double) -> Void) {
        guard let j = keys.firstIndex(of: a) else { return }
        for draw in 0..<d { body(draw, values[draw * keys.count + j]) }
    }
}

/// Rounding to whole persons without a libm call: adding and subtracting 1.5·2^52 rounds any |x| < 2^51
/// to the nearest integer (ties to even), as `rounded(.toNearestOrEven)` does.
enum Persons {
    /// 1.5·2^52: adding it leaves the rounded integer in the low bits of the mantissa.
    static let roundingConstant = 6_755_399_441_055_744.0

    @inline(__always) static func round(_ x: Double) -> Double {
        (x + roundingConstant) - roundingConstant
    }

    /// x rounded to whole persons as an Int32, 0 outside ±2·10⁹ (a cell's monthly figure is far
    /// inside): the low half of x + 1.5·2^52 is the rounded integer, so no trapping conversion is
    /// needed and loops over it vectorise.
    @inline(__always) static func whole(_ x: Double) -> Int32 {
        let n = Int32(truncatingIfNeeded: (x + roundingConstant).bitPattern)
        return x.magnitude < 2e9 ? n : 0
    }
}
