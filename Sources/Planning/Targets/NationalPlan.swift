import Fitting

/// A Kanwil plan run as part of a national one (`includes:`, docs/targets.md "A national plan from
/// Kanwil files"): its own scenario, history, levers and branches, run with the nation's draws, seed
/// and national share, so draw d of every Kanwil is one world.
public struct NationalUnit: Sendable {
    public var scenario: Scenario
    public var history: History
    public var calibrations: [SegmentCalibration]
    public var projection: Projection
    public var monteCarlo: MonteCarlo.Result?
    public var view: PlanYearView

    public init(scenario: Scenario, history: History, calibrations: [SegmentCalibration], projection: Projection, monteCarlo: MonteCarlo.Result?, view: PlanYearView) {
        self.scenario = scenario
        self.history = history
        self.calibrations = calibrations
        self.projection = projection
        self.monteCarlo = monteCarlo
        self.view = view
    }

    /// The Kanwil: the unit's one region.
    public var name: String { scenario.regions[0].name }
}

/// The national RKAT from Kanwil plans run apart with joint draws: the national share η over all the
/// Kanwil's cells, the nation's rows (region `ALL`, level national) from their TOTAL draws summed draw
/// by draw, and the issued national figure split over the Kanwil.
public enum NationalPlan {
    /// η over every Kanwil's curve cells (stated, or estimated across them: `SegmentCorrelation.national`).
    public static func nationalShare(_ units: [(scenario: Scenario, history: History, calibrations: [SegmentCalibration])], stated: ClosedRange<Double>?) -> SegmentCorrelation {
        var cells: [(region: String, byMonth: [Month: Double])] = []
        for u in units {
            for c in u.calibrations where c.deviation != nil {
                if let innovations = Calibration.monthlyInnovations(c, history: u.history, cut: u.scenario.actualsUntil) { cells.append((c.region, innovations)) }
            }
        }
        return SegmentCorrelation.national(stated: stated, estimate: SegmentCorrelation.acrossRegions(cells))
    }

    /// The national plan-year view: every Kanwil's own rows, branches and months as its run made them,
    /// then the nation's rows; the issued figures split over the Kanwil (`targets.issued` and
    /// `allocation` of the national file).
    public static func view(name: String, units: [NationalUnit], targets settings: TargetSettings) -> PlanYearView {
        var view = units[0].view
        let year = view.year
        view.scenario = name
        view.regionLevel = .kanwil
        view.targets = units.flatMap(\.view.targets) + nationalRows(units, year: year, levels: view.levels)
        view.branches = units.flatMap(\.view.branches)
        view.outlooks = units.flatMap(\.view.outlooks)
        view.phasing = units.flatMap(\.view.phasing)
        view.figures = units.flatMap(\.view.figures)
        view.iuranPlans = units.flatMap(\.view.iuranPlans)
        view.iuranCalibrations = units.flatMap(\.view.iuranCalibrations)
        let drawn = units.allSatisfy { $0.monteCarlo != nil }
        view.allocations = settings.issued.compactMap { issued in
            let inputs = units.compactMap { u in
                IssuedAllocation.unit(
                    u.scenario, history: u.history, projection: u.projection, monteCarlo: u.monteCarlo, planYear: year, targets: u.view.targets,
                    region: u.name, metric: issued.metric, rule: settings.allocation)
            }
            guard inputs.count == units.count else { return nil }
            var a = IssuedAllocation.split(issued: issued, rule: settings.allocation, units: units.map(\.name), inputs: inputs, drawn: drawn)
            a.unitLevel = .kanwil
            a.unitsWithBranches = units.filter { !$0.scenario.regions[0].branches.isEmpty }.map(\.name)
            return a
        }
        for u in units { view.addIssued(view.allocations, u.scenario, history: u.history, projection: u.projection, monteCarlo: u.monteCarlo) }
        view.addIssuedOverall()
        return view
    }

    /// The Kanwil side by side as one plan, for what renders a scenario (the terminal tables, the
    /// report, calibration, projection and uncertainty csv): their regions and branches, segments (a
    /// name's settings as the first Kanwil states them), histories, calibrations, projections and
    /// draws, and the nation's band from their joint draws (`MonteCarlo.total(of:)`). Levers stay
    /// in each Kanwil's file: the merged plan states none.
    public static func merged(
        name: String, description: String, units: [NationalUnit], uncertainty: UncertaintySettings, targets: TargetSettings
    ) -> (scenario: Scenario, history: History, calibrations: [SegmentCalibration], projection: Projection, monteCarlo: MonteCarlo.Result?) {
        let segments = Self.segments(of: units.map(\.scenario))
        let first = units[0].scenario
        var s = Scenario(
            name: name, description: description, regions: units.flatMap(\.scenario.regions), actualsUntil: first.actualsUntil,
            horizon: units.map(\.scenario.horizon).min()!, historyPath: "", segments: segments, uncertainty: uncertainty, targets: targets)
        s.regionLevel = .kanwil
        s.interventions = first.interventions
        let history = History(observations: units.flatMap(\.history.observations))
        var projection = Projection(rows: units.flatMap(\.projection.rows))
        projection.starts = units.flatMap(\.projection.starts)
        projection.warnings = units.flatMap(\.projection.warnings)
        for u in units {
            projection.atLastYearsPace.formUnion(u.projection.atLastYearsPace)
            projection.withHistoryTrend.formUnion(u.projection.withHistoryTrend)
            projection.trendInSomeDraws.formUnion(u.projection.trendInSomeDraws)
        }
        projection.iuranCalibrations = units.flatMap(\.projection.iuranCalibrations)
        var mc: MonteCarlo.Result? = nil
        if let options = units[0].monteCarlo?.options, units.allSatisfy({ $0.monteCarlo != nil }) {
            let regions = units.flatMap { $0.monteCarlo!.regions }
            var result = MonteCarlo.Result(options: options, cells: units.flatMap { $0.monteCarlo!.cells }, regions: regions)
            result.total = MonteCarlo.total(of: regions, options: options)
            mc = result
        }
        return (s, history, units.flatMap(\.calibrations), projection, mc)
    }

    /// The Kanwil's segments side by side: each name once, with the settings its first Kanwil states.
    public static func segments(of scenarios: [Scenario]) -> [SegmentPlan] {
        var segments: [SegmentPlan] = []
        for s in scenarios { for seg in s.segments where !segments.contains(where: { $0.name == seg.name }) { segments.append(seg) } }
        return segments
    }

    /// The nation's row of each indicator every Kanwil plans: the sum of their TOTAL projection
    /// targets, its P(tercapai) and band from their per-draw figures summed draw by draw (realised
    /// months included, as each Kanwil's own).
    static func nationalRows(_ units: [NationalUnit], year: Int, levels: [Double]) -> [TargetRow] {
        TargetRow.Metric.allCases.compactMap { metric in
            let parts = units.compactMap { u in u.view.targets.first { $0.region == u.name && $0.isTotal && $0.metric == metric && $0.basis == .projection } }
            guard parts.count == units.count else { return nil }
            let target = parts.reduce(0) { $0 + $1.target }
            var draws: [Double]? = nil
            let outcomes = units.map { u in
                Targets.outcome(u.scenario, history: u.history, projection: u.projection, monteCarlo: u.monteCarlo, planYear: year, region: u.name, segment: History.totalSegment, metric: metric)?.draws
            }
            if let first = outcomes.first ?? nil, outcomes.allSatisfy({ $0?.count == first.count }) {
                draws = (0..<first.count).map { d in outcomes.reduce(0) { $0 + $1![d] } }
            }
            let comparison = Targets.TableContext.summedRealisation(parts)
            return TargetRow(
                region: Targets.allRegions, segment: History.totalSegment, metric: metric, basis: .projection, lastRealisation: comparison?.value,
                lastRealisationThrough: comparison?.through, lastTarget: nil, target: target,
                growthVsRealisation: Targets.fullYear(comparison) ? Targets.growth(target, over: comparison?.value) : nil, growthVsTarget: nil, coverage: nil,
                grossAcquisitionsNeeded: nil, expectedLapses: nil, probability: draws.map { MonteCarlo.probability($0, atLeast: target) },
                quantiles: draws.map { d in var v = d; return MonteCarloQuantiles.compute(&v, levels: levels) },
                flags: Targets.TableContext.partYear(metric, of: parts))
        }
    }
}
