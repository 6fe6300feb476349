import Fitting
import Foundation

/// `rkat bench national`: a seeded synthetic national plan — 11 Kanwil × 30 branches × 5 segments,
/// 8 years of monthly history per series — fitted series by series, then 10,000 draws over 60 months.
public enum NationalBenchmark {
    public struct Figures: Sendable {
        public var series: Int
        public var fitSeconds: Double
        public var simulationSeconds: Double
        public var totalSeconds: Double
        public var cellMonths: Int
        public var curveCalibrations: Int
        public var rejectedParameterDraws: Int
        public var medianNationalYearEnd: Double
        /// As `Consolidation.rescalingSeconds` and `rescaledCells`.
        public var rescalingSeconds = 0.0
        public var rescaledCells = 0
    }

    public static let segments = ["PU", "BPU", "JAKON", "PMI", "RENTAN"]

    /// The synthetic plan: each Kanwil is a region; each branch × segment is a cell of that region
    /// (segment name "B07-PU"), so the region totals are the Kanwil totals.
    static func makePlan(kanwil: Int = 11, branches: Int = 30, seed: UInt64 = 2026) -> (Scenario, History) {
        let rng = RandomStream(seed: RandomStream.seed(seed, "national-plan"))
        let first = Month(year: 2017, month: 1), last = Month(year: 2024, month: 12)
        var regions: [RegionPlan] = []
        var segments: [SegmentPlan] = []
        var observations: [History.Observation] = []
        for b in 1...branches {
            for s in Self.segments { segments.append(SegmentPlan(name: String(format: "B%02d-%@", b, s), model: .named(.logistic), lapseRatePerYear: 0.2)) }
        }
        for k in 1...kanwil {
            let name = String(format: "K%02d", k)
            var values: [String: Double] = [:]
            for seg in segments {
                // Potential 20k–120k per branch × segment; coverage climbing a logistic towards κ.
                let l = 20_000 + 100_000 * rng.uniform()
                values[seg.name] = l
                let kappa = 0.3 + 0.5 * rng.uniform(), r = 0.3 + 0.6 * rng.uniform(), t0 = 2019 + 6 * rng.uniform()
                for m in months(from: first, through: last) {
                    let c = kappa / (1 + exp(-r * (m.decimalYear - t0)))
                    let a = max(l * c * (1 + rng.gaussian(sd: 0.01)), 1)
                    observations.append(.init(month: m, region: name, segment: seg.name, metric: .active, value: a.rounded()))
                }
            }
            regions.append(RegionPlan(name: name, potential: PotentialSpec(total: nil, basis: "synthetic", asOf: last, growthPerYear: 0.01, split: .values(values))))
        }
        var scenario = Scenario(
            name: "national benchmark", regions: regions, actualsUntil: last, horizon: last.adding(months: 60),
            historyPath: "", segments: segments)
        scenario.uncertainty = UncertaintySettings(draws: 10_000, seed: seed, assumptions: [.lapseRateFactor: .lognormal(median: 1, sigma: 0.15)])
        return (scenario, History(observations: observations))
    }

    public static func run(draws: Int = 10_000, threads: Int, kanwil: Int = 11, branches: Int = 30, rescaling: Bool = false) throws(PlanningError) -> Figures {
        var (scenario, history) = makePlan(kanwil: kanwil, branches: branches)
        scenario.uncertainty.draws = draws
        scenario.uncertainty.rescaling = rescaling
        let clock = ContinuousClock()
        let t0 = clock.now
        let cals = try Calibration.run(scenario, history: history, threads: threads)
        let t1 = clock.now
        let options = MonteCarlo.Options(scenario.uncertainty, planYear: scenario.actualsUntil.year + 1, threads: threads)
        let result = MonteCarlo.run(scenario, calibrations: cals, options: options)
        let t2 = clock.now
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        let months = scenario.actualsUntil.distance(to: scenario.horizon)
        var national = [Double](repeating: 0, count: draws)
        for r in result.regions { for d in 0..<draws { national[d] += r.planYear(.active)![d] } }
        let curves = cals.filter { if case .curve = $0.dynamics { return true } else { return false } }.count
        var f = Figures(
            series: cals.count, fitSeconds: seconds(t1 - t0), simulationSeconds: seconds(t2 - t1), totalSeconds: seconds(t2 - t0),
            cellMonths: cals.count * draws * months, curveCalibrations: curves, rejectedParameterDraws: result.rejectedParameterDraws,
            medianNationalYearEnd: MonteCarloQuantiles.compute(&national, levels: [0.5])[0])
        (f.rescalingSeconds, f.rescaledCells) = rescalingCost(cals)
        return f
    }
}

/// `rkat bench national --consolidate`: the national RKAT of the same synthetic plan, its horizon the
/// plan year (what an RKAT needs: December of the plan year), the draws reduced on the fly to the
/// Kanwil's and the nation's bands, P(reach) and an issued national target split by equal stretch.
extension NationalBenchmark {
    public struct Consolidation: Sendable {
        public var series: Int
        public var fitSeconds: Double
        public var simulationSeconds: Double
        public var consolidationSeconds: Double
        public var totalSeconds: Double
        public var cellMonths: Int
        /// The nation's plan-year active: P10, P50, P90 of the joint draws.
        public var national: [Double]
        /// The issued figure (the national P50 + 2%), its P(reach) and the common P(tercapai) of the Kanwil's shares.
        public var issued: Int
        public var issuedReach: Double
        public var commonReach: Double?
        /// Where the issued figure stands when it is outside the Kanwil's draws together.
        public var bound: IssuedAllocation.Bound?
        /// Whole shares summing to the issued figure.
        public var sharesSum: Int
        /// The nation's share η of the deviations' innovations, and where it came from.
        public var nationalShare: String
        /// The rolling-origin rescaling's share of the fits (`uncertainty.rescaling`): CPU seconds summed
        /// over the cells, and the cells rescaled.
        public var rescalingSeconds = 0.0
        public var rescaledCells = 0
    }

    public static func consolidate(draws: Int = 10_000, threads: Int, kanwil: Int = 11, branches: Int = 30, rescaling: Bool = false) throws(PlanningError) -> Consolidation {
        var (scenario, history) = makePlan(kanwil: kanwil, branches: branches)
        scenario.uncertainty.draws = draws
        scenario.uncertainty.rescaling = rescaling
        // The RKAT's horizon: December of the plan year.
        let planYear = scenario.actualsUntil.year + 1
        scenario.horizon = Month(year: planYear, month: 12)
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        let t0 = clock.now
        let cals = try Calibration.run(scenario, history: history, threads: threads)
        let t1 = clock.now
        let options = MonteCarlo.Options(scenario.uncertainty, planYear: planYear, threads: threads)
        let result = MonteCarlo.run(scenario, calibrations: cals, options: options)
        let t2 = clock.now
        // Kanwil totals per draw (the regions' joint draws), the nation's summed draw by draw.
        let units = result.regions.map { $0.planYear(.active) ?? [] }
        var national = [Double](repeating: 0, count: draws)
        for u in units { for d in 0..<draws { national[d] += u[d] } }
        var sorted = national
        let bands = MonteCarloQuantiles.compute(&sorted, levels: [0.1, 0.5, 0.9])
        let issued = Whole.clamped(bands[1] * 1.02)
        let split = IssuedAllocation.split(
            issued: issued, metric: .active, rule: .equalStretch, units: result.regions.map(\.region), weights: units.map { _ in 1 }, draws: units,
            proposals: units.map { _ in (0, nil) })
        let t3 = clock.now
        var c = Consolidation(
            series: cals.count, fitSeconds: seconds(t1 - t0), simulationSeconds: seconds(t2 - t1), consolidationSeconds: seconds(t3 - t2),
            totalSeconds: seconds(t3 - t0), cellMonths: cals.count * draws * scenario.actualsUntil.distance(to: scenario.horizon), national: bands,
            issued: issued, issuedReach: split.totalReach ?? 0, commonReach: split.commonReach, bound: split.bound, sharesSum: split.units.reduce(0) { $0 + $1.allocated },
            nationalShare: cals.first?.national.map { "η \(NumberText.significant($0.rho, 3)): \($0.source)" } ?? "one region: no national share")
        (c.rescalingSeconds, c.rescaledCells) = rescalingCost(cals)
        return c
    }

    /// CPU seconds of the cells' rolling-origin rescaling, and how many cells have one.
    static func rescalingCost(_ cals: [SegmentCalibration]) -> (seconds: Double, cells: Int) {
        let found = cals.compactMap { try? $0.rescaling.get() }
        return (found.reduce(0) { $0 + $1.seconds }, found.count)
    }
}
