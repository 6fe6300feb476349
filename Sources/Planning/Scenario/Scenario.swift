import Fitting

/// A planner's scenario after `extends` and `--set` are resolved and every value is checked.
/// Units: persons as plain numbers; rates per year as fractions (0.10 = 10% a year); shares in [0, 1];
/// money in rupiah. PlanIO reads it from YAML (docs/scenario-format.md).
public struct Scenario: Sendable {
    public var name: String
    public var description: String
    public var regions: [RegionPlan]
    /// The last month with actual figures; the projection starts the month after.
    public var actualsUntil: Month
    /// The last projected month.
    public var horizon: Month
    /// The history file, as a path the reader resolved (relative to the scenario file).
    public var historyPath: String
    /// Segments in the order the scenario lists them (the list is data, not an enum).
    public var segments: [SegmentPlan]
    public var levers: Levers
    public var uncertainty: UncertaintySettings
    public var targets: TargetSettings
    /// Known disturbances of the history (a pandemic, a data revision), in month order.
    public var interventions: [Intervention] = []
    /// What calibration does with a disturbance the figures show and the planner did not name
    /// (`TransientShift`): leave it out of the curve's fit (the default), only say it, or not look.
    public var findDisturbances = DisturbanceSearch.leaveOut
    /// What `rkat solve` prices each lever at, and who pays (docs/solve.md).
    public var costs: [LeverCost] = []
    /// What each of the scenario's regions is (`region_level`): a Kanwil by default.
    public var regionLevel: PlanLevel = .kanwil

    public init(
        name: String, description: String = "", regions: [RegionPlan], actualsUntil: Month, horizon: Month,
        historyPath: String, segments: [SegmentPlan], levers: Levers = Levers(),
        uncertainty: UncertaintySettings = UncertaintySettings(), targets: TargetSettings = TargetSettings()
    ) {
        self.name = name
        self.description = description
        self.regions = regions
        self.actualsUntil = actualsUntil
        self.horizon = horizon
        self.historyPath = historyPath
        self.segments = segments
        self.levers = levers
        self.uncertainty = uncertainty
        self.targets = targets
    }

    public func segment(_ name: String) -> SegmentPlan? { segments.first { $0.name == name } }

    /// Whether a segment counts persons (summed into the region's TOTAL) rather than companies.
    public func countsPersons(_ segment: String) -> Bool { self.segment(segment)?.countsPersons ?? true }
}

/// Where a target sits in the RKAT's tiers (targets.csv/json `level`; stable English codes): the
/// nation, a Kanwil (regional office), a province, a branch (Kantor Cabang).
public enum PlanLevel: String, Sendable, CaseIterable {
    case national, kanwil, province, branch

    /// The tier of the total over several units of this tier: the nation over Kanwil, the Kanwil over
    /// its provinces or its branches.
    public var parent: PlanLevel {
        switch self {
        case .national, .kanwil: .national
        case .province, .branch: .kanwil
        }
    }

    /// The tier of a row of regions of this tier: the total over them (`ALL`) one tier above.
    public func of(region: String) -> PlanLevel { region == Targets.allRegions ? parent : self }
}

/// `find_disturbances`: what calibration does with a disturbance the figures show and `interventions`
/// do not name.
public enum DisturbanceSearch: String, Sendable, CaseIterable {
    /// Leave its figures out of the curve's fit, as a named intervention's, and say so (`true`).
    case leaveOut = "true"
    /// Say it, with the curve at the horizon both ways, and fit every figure (`warn`).
    case warn
    /// Do not look: every figure outside `interventions` is the planner's and fitted (`false`).
    case off = "false"
}

/// Months the planner marks as a known disturbance (`interventions: [{from, to, label}]`, e.g. the
/// pandemic's dip from 2020-03 to 2021-09): their stock figures are left out of the curve's fit and of
/// its deviations' φ and s, so the curve follows the rest of the history; the figures stay in the
/// history (the jump-off is the last actual, inside a window or not) and the report shades them.
/// `lasting: true` says the level did not come back: the figures after the window stay at a level of
/// their own, so those before it are rescaled to that level by a factor estimated with the curve
/// (`LastingLevel`), and the curve grows on from where the figures are now.
public struct Intervention: Sendable, Equatable {
    public var from: Month
    public var to: Month
    public var label: String
    public var lasting: Bool

    public init(from: Month, to: Month, label: String, lasting: Bool = false) {
        self.from = from
        self.to = to
        self.label = label
        self.lasting = lasting
    }

    public func contains(_ m: Month) -> Bool { from <= m && m <= to }
}

/// The price of a lever for `rkat solve` (`costs: [{lever, rp_per_unit, per, payer}]`): rupiah for each
/// 1 of the lever beyond its value in the scenario (the way it helps), each projected month of the
/// plan year or once, paid by `payer`. Moving a lever the other way is not priced as a saving.
public struct LeverCost: Sendable, Equatable {
    public enum Per: String, Sendable, CaseIterable {
        /// Each projected month of the plan year (an outreach team's monthly cost, a cohort's iuran).
        case month
        /// Once for the plan year (a yearly budget).
        case year
    }

    /// The `--set` key path of the lever, e.g. `levers.outreach.intensity`.
    public var lever: String
    public var rupiahPerUnit: Double
    public var per: Per
    public var payer: String

    public init(lever: String, rupiahPerUnit: Double, per: Per, payer: String) {
        self.lever = lever
        self.rupiahPerUnit = rupiahPerUnit
        self.per = per
        self.payer = payer
    }

    /// The price of moving the lever from `from` to `to` (the way it helps, `raises` or not), over
    /// `months` projected months of the plan year.
    public func price(from: Double, to: Double, raises: Bool, months: Int) -> Double {
        let units = max(0, raises ? to - from : from - to)
        // Whole rupiah, as every rupiah figure rkat writes.
        return (units * rupiahPerUnit * (per == .month ? Double(months) : 1)).rounded()
    }
}

public struct RegionPlan: Sendable {
    public var name: String
    public var potential: PotentialSpec
    /// Branches (Kantor Cabang) for allocating targets; may be empty.
    public var branches: [BranchPlan]

    public init(name: String, potential: PotentialSpec, branches: [BranchPlan] = []) {
        self.name = name
        self.potential = potential
        self.branches = branches
    }
}

public struct BranchPlan: Sendable {
    public var name: String
    /// Share of the region's potential, in [0, 1].
    public var potentialShare: Double?
    /// Active members known at one date, for allocation by coverage gap.
    public var active: Double?
    public var activeAsOf: Month?

    public init(name: String, potentialShare: Double? = nil, active: Double? = nil, activeAsOf: Month? = nil) {
        self.name = name
        self.potentialShare = potentialShare
        self.active = active
        self.activeAsOf = activeAsOf
    }
}

/// The labour-force potential L(t) of a region and its split over segments.
public struct PotentialSpec: Sendable {
    public enum Split: Sendable, Equatable {
        /// Fractions of the total per segment (each in [0, 1], summing to at most 1).
        case shares([String: Double])
        /// Persons per segment at `asOf`.
        case values([String: Double])
        /// The history's `potential` metric per segment (interpolated, held flat after the last point,
        /// then grown at `growthPerYear`).
        case series
    }

    /// Total potential at `asOf` (persons); nil with `.values` or `.series`.
    public var total: Double?
    /// Where the figure comes from, e.g. "BPS Sakernas Feb 2017" (required: every potential has a basis).
    public var basis: String
    public var asOf: Month
    /// Growth of the potential, fraction per year (compounded monthly).
    public var growthPerYear: Double
    public var split: Split
    /// `allow_below_history: true`: a potential below the history's last stock is warned about
    /// (both figures said) instead of refused.
    public var allowBelowHistory = false

    public init(total: Double?, basis: String, asOf: Month, growthPerYear: Double = 0, split: Split) {
        self.total = total
        self.basis = basis
        self.asOf = asOf
        self.growthPerYear = growthPerYear
        self.split = split
    }
}

public struct SegmentPlan: Sendable {
    public enum ModelSpec: Sendable, Equatable {
        case auto
        case named(GrowthModel)
    }

    /// The scenario's choice of ceiling (Fitting's `CeilingSpec` is how one fit treats it).
    public enum CeilingChoice: Sendable, Equatable {
        /// K(t) = κ·L(t) with κ ≤ 1 fitted (held at 1 when the data cannot identify it).
        case potential
        /// K fitted freely from the data.
        case free
    }

    public var name: String
    public var model: ModelSpec
    /// The scenario's lapse rate, fraction per year; used when the history cannot give one.
    public var lapseRatePerYear: Double?
    /// The scenario's gross acquisitions a month (persons, in each region); used for a stock segment
    /// whose history has too few stock points for a curve and no acquisitions figures.
    public var acquisitionsPerMonth: Double? = nil
    /// Only acquisitions are known (e.g. JAKON): no stock, no ceiling.
    public var flowOnly: Bool
    public var ceiling: CeilingChoice
    /// How `model: auto` ranks its candidates: AICc of the fits, or their backtest loss.
    public var selection: ModelSelection
    /// What the segment's members pay (iuran); nil: no revenue target for it.
    public var iuran: IuranPlan? = nil
    /// What the segment counts: members (persons), or companies (badan usaha). A company stock is
    /// projected like any segment but never summed with persons into a region's TOTAL.
    public var unit: Unit = .persons
    /// For a company segment: the persons segment whose members are these companies' workers (PU),
    /// for workers per company.
    public var workersSegment: String? = nil
    /// The segment's own potential (a company segment's number of establishments), in place of the
    /// region's split; single-region scenarios only.
    public var potential: PotentialSpec? = nil
    /// `ended: YYYY-MM`: the segment's figures stop there on purpose (a closed programme), so a
    /// history that stops before `actuals_until` is not stale for it.
    public var ended: Month? = nil

    public enum Unit: String, Sendable, Equatable {
        case persons
        case companies
    }

    /// Whether the segment counts persons, and so sums into its region's TOTAL (companies never do).
    public var countsPersons: Bool { unit != .companies }

    /// How `model: auto` picks a model.
    public enum ModelSelection: String, Sendable, Equatable {
        /// The lowest AICc of the candidates' fits (the default).
        case aicc
        /// The lowest mean pinball loss over the history's own rolling origins (docs/backtest.md),
        /// where enough origins exist; AICc otherwise, said in calibration.csv.
        case backtest
    }

    public init(
        name: String, model: ModelSpec = .auto, lapseRatePerYear: Double? = nil, flowOnly: Bool = false,
        ceiling: CeilingChoice = .potential, selection: ModelSelection = .aicc
    ) {
        self.name = name
        self.model = model
        self.lapseRatePerYear = lapseRatePerYear
        self.flowOnly = flowOnly
        self.ceiling = ceiling
        self.selection = selection
    }
}

/// A lever's value over time: a scalar is constant; a list of `{from, value}` steps is a path.
public struct LeverPath: Sendable, Equatable {
    public var steps: [(from: Month, value: Double)]
    /// The value before the first step (1.0 for intensities: "as in history").
    public var initial: Double

    public init(constant: Double) {
        steps = []
        initial = constant
    }

    public init(steps: [(from: Month, value: Double)], initial: Double) {
        self.steps = steps.sorted { $0.from < $1.from }
        self.initial = initial
    }

    public func value(at m: Month) -> Double {
        var v = initial
        for s in steps where s.from <= m { v = s.value }
        return v
    }

    public static func == (a: LeverPath, b: LeverPath) -> Bool {
        a.initial == b.initial && a.steps.count == b.steps.count
            && zip(a.steps, b.steps).allSatisfy { $0.from == $1.from && $0.value == $1.value }
    }
}

public struct Levers: Sendable {
    public var outreach: OutreachLever?
    public var honorary: HonoraryLever?
    public var villages: VillageLever?
    public var budgetCohorts: BudgetCohortLever?
    /// Reactivation of non-active members (or companies), one per segment (and region).
    public var reactivation: [ReactivationLever] = []

    public init(
        outreach: OutreachLever? = nil, honorary: HonoraryLever? = nil, villages: VillageLever? = nil,
        budgetCohorts: BudgetCohortLever? = nil, reactivation: [ReactivationLever] = []
    ) {
        self.outreach = outreach
        self.honorary = honorary
        self.villages = villages
        self.budgetCohorts = budgetCohorts
        self.reactivation = reactivation
    }
}

/// Reactivation (docs/engine.md, "Reactivation"): a share of the non-active pool (registered, not
/// paying) becomes active again each year, on top of the fitted curve, which already contains the
/// reactivations of the past (so the lever is an increment: what a campaign adds). The pool is the
/// history's `inactive` figure at `actuals_until` (or `pool`); each month reactivates
/// 1 − (1 − share)^(1/12) of what remains of it; reactivated members lapse again at the segment's lapse
/// rate and do not return to the pool. Reactivations are counted apart from acquisitions everywhere.
public struct ReactivationLever: Sendable {
    public var segment: String
    public var region: String?
    /// The pool at `actuals_until` when stated; nil: the history's `inactive` figure.
    public var pool: Double?
    /// Share of the pool reactivated per year, in [0, 1]: the deterministic value.
    public var sharePerYear: Double
    /// Its stated distribution, drawn once per Monte Carlo draw (clamped to [0, 1]).
    public var shareUncertainty: Distribution?

    public init(segment: String, region: String? = nil, pool: Double? = nil, sharePerYear: Double, shareUncertainty: Distribution? = nil) {
        self.segment = segment
        self.region = region
        self.pool = pool
        self.sharePerYear = shareUncertainty?.central ?? sharePerYear
        self.shareUncertainty = shareUncertainty
    }
}

/// Outreach intensity x(t) (1.0 = as in history) acting on the speed of acquisition with elasticity ε:
/// G = x^ε·(N + λA).
public struct OutreachLever: Sendable {
    public var intensity: LeverPath
    public var elasticity: Double
    /// Segments it acts on; nil = all.
    public var segments: [String]?

    public init(intensity: LeverPath, elasticity: Double, segments: [String]? = nil) {
        self.intensity = intensity
        self.elasticity = elasticity
        self.segments = segments
    }
}

/// Honorary (non-ASN) workers registered by local governments: a pool carved out of the segment's
/// potential while the lever is on, covered along a ramp of stock levels.
public struct HonoraryLever: Sendable {
    public var pool: Double
    public var segment: String
    /// Region it belongs to; required when the scenario has several regions.
    public var region: String?
    /// Share of the pool active at given months (stock levels), linear in between, 0 before the first.
    public var ramp: [(month: Month, share: Double)]
    /// Probability that the cohort is renewed at the budget year's end; a cohort not renewed lapses
    /// three months later.
    public var renewalProbability: Double
    /// Share of the pool already covered in the history (`already_covered`): the ramp acts on the rest.
    public var alreadyCovered: Double
    /// Ramp members already in the history's figures at `actuals_until` (`already_enrolled`, persons);
    /// nil: the ramp's own planned level then.
    public var alreadyEnrolled: Double?

    public init(
        pool: Double, segment: String, region: String? = nil, ramp: [(month: Month, share: Double)], renewalProbability: Double,
        alreadyCovered: Double = 0, alreadyEnrolled: Double? = nil
    ) {
        self.pool = pool
        self.segment = segment
        self.region = region
        self.ramp = ramp.sorted { $0.month < $1.month }
        self.renewalProbability = renewalProbability
        self.alreadyCovered = alreadyCovered
        self.alreadyEnrolled = alreadyEnrolled
    }

    /// The persons the ramp acts on: the pool less the part already covered.
    public var uncoveredPool: Double { pool * max(1 - alreadyCovered, 0) }

    /// The ramp's planned level (persons) at month m as planned: linear between its points, from 0 at
    /// `actualsUntil` when the ramp starts after it, 0 before its start, its last level after its end.
    public func plannedLevel(at m: Month, actualsUntil: Month) -> Double {
        guard let first = ramp.first else { return 0 }
        let points = (first.month > actualsUntil ? [(month: actualsUntil, share: 0.0)] + ramp : ramp).map { (month: $0.month, value: $0.share) }
        return m < points[0].month ? 0 : interpolate(points, at: m) * uncoveredPool
    }

    /// The ramp's members in the history at `actualsUntil`: those stated (`already_enrolled`), else the
    /// ramp's planned level then (0 when it starts later). They are moved from the diffusion stock
    /// into the programme at the first projected month, never added again.
    public func enrolledAtStart(actualsUntil: Month) -> Double {
        alreadyEnrolled ?? plannedLevel(at: actualsUntil, actualsUntil: actualsUntil)
    }

    /// The programme's stock at a projected month m (> `actualsUntil`): from the members at
    /// `actualsUntil`, linear to the ramp's next point and on along the ramp; with no point after
    /// `actualsUntil`, the ramp's last level from the first projected month (`backlog` says how far
    /// that is from the members then).
    func scheduledLevel(at m: Month, actualsUntil: Month) -> Double {
        // In shares of the pool, as `plannedLevel` (the same arithmetic when the ramp starts later).
        let later = ramp.filter { $0.month > actualsUntil }.map { (month: $0.month, value: $0.share) }
        guard !later.isEmpty, uncoveredPool > 0 else { return plannedLevel(at: m, actualsUntil: actualsUntil) }
        let start = enrolledAtStart(actualsUntil: actualsUntil) / uncoveredPool
        return interpolate([(month: actualsUntil, value: start)] + later, at: m) * uncoveredPool
    }

    /// Persons the schedule moves in the first projected month beyond its ramp when the ramp has no
    /// point after `actualsUntil` (joiners if positive, leavers if negative): the ramp's last level less
    /// the members at `actualsUntil`. 0 when a later point spreads the difference.
    public func backlog(actualsUntil: Month) -> Double {
        guard let last = ramp.last, last.month <= actualsUntil else { return 0 }
        return last.share * uncoveredPool - enrolledAtStart(actualsUntil: actualsUntil)
    }
}

/// Desa Sadar villages: villages per year × acquisitions per village, spread evenly over the months.
public struct VillageLever: Sendable {
    public var segment: String
    public var region: String?
    public var villagesPerYear: LeverPath
    public var acquisitionsPerVillage: Double

    public init(segment: String, region: String? = nil, villagesPerYear: LeverPath, acquisitionsPerVillage: Double) {
        self.segment = segment
        self.region = region
        self.villagesPerYear = villagesPerYear
        self.acquisitionsPerVillage = acquisitionsPerVillage
    }
}

/// Budget-funded cohorts (pekerja rentan), stated in persons or by budget: the cohort's size at each
/// month is `persons`, or budget / (cost per person-month × 12); an increase is enrolled evenly over
/// `enrolmentMonths` from the month it starts (January for a new budget year); at each year end the
/// cohort is renewed with a probability, the part not renewed lapsing at the end of March.
public struct BudgetCohortLever: Sendable {
    /// How the cohort's size is stated.
    public enum Size: Sendable, Equatable {
        /// Persons (a path: `{from: 2022-08, value: 6000}`).
        case persons(LeverPath)
        /// Rupiah per year (a path: `{from: 2019-01, value: ...}` changes the budget from that year).
        case budget(LeverPath)
    }

    public var segment: String
    public var region: String?
    public var size: Size
    /// Rupiah per person-month (Rp 16,800 in 2017): turns budget into persons and back.
    public var costPerPersonMonth: Double
    public var renewalProbability: Double
    /// Months over which an increase is enrolled (default 3).
    public var enrolmentMonths: Int
    /// Members of a cohort already running at `actuals_until`: in the history's figures, moved from the
    /// diffusion stock into the cohort's (not added again).
    public var enrolledAtStart: Double

    public init(
        segment: String, region: String? = nil, size: Size, costPerPersonMonth: Double, renewalProbability: Double,
        enrolmentMonths: Int = 3, enrolledAtStart: Double = 0
    ) {
        self.segment = segment
        self.region = region
        self.size = size
        self.costPerPersonMonth = costPerPersonMonth
        self.renewalProbability = renewalProbability
        self.enrolmentMonths = enrolmentMonths
        self.enrolledAtStart = enrolledAtStart
    }

    public init(segment: String, region: String? = nil, budgetPerYear: LeverPath, costPerPersonMonth: Double, renewalProbability: Double) {
        self.init(segment: segment, region: region, size: .budget(budgetPerYear), costPerPersonMonth: costPerPersonMonth, renewalProbability: renewalProbability)
    }

    /// The cohort's size in persons at month m.
    public func persons(at m: Month) -> Double {
        switch size {
        case .persons(let p): return max(p.value(at: m), 0)
        case .budget(let b): return max(b.value(at: m), 0) / (costPerPersonMonth * 12)
        }
    }

    /// Rupiah a year for a size in persons (the other way round).
    public func budgetPerYear(forPersons persons: Double) -> Double { persons * costPerPersonMonth * 12 }
}

public struct UncertaintySettings: Sendable {
    /// Monte Carlo draws; 0 switches uncertainty off (deterministic projection only).
    public var draws: Int
    public var seed: UInt64
    /// Quantile levels in (0, 1), e.g. [0.1, 0.5, 0.9].
    public var quantiles: [Double]
    /// Draw the fitted curves' parameters from their covariance.
    public var parameters: Bool
    /// Add month-to-month noise scaled from the fit residuals (or the monthly flows' spread).
    public var processNoise: Bool
    /// Stated distributions for scenario assumptions.
    public var assumptions: [Assumption: Distribution]
    /// The share of the deviations' monthly innovations all regions have in common, stated (a point
    /// when lower = upper, else drawn uniformly a draw); nil: estimated from the history, or the
    /// default (`SegmentCorrelation.national`).
    public var nationalCorrelation: ClosedRange<Double>? = nil
    /// Rescale each stock cell's draws by its own rolling-origin errors (`BandRescaling`); off unless
    /// stated (docs/uncertainty.md says when it helps, when it does not, and what it costs).
    public var rescaling = false

    public init(
        draws: Int = 0, seed: UInt64 = 20_180_101, quantiles: [Double] = [0.1, 0.5, 0.9], parameters: Bool = true,
        processNoise: Bool = true, assumptions: [Assumption: Distribution] = [:]
    ) {
        self.draws = draws
        self.seed = seed
        self.quantiles = quantiles
        self.parameters = parameters
        self.processNoise = processNoise
        self.assumptions = assumptions
    }
}

public struct TargetSettings: Sendable {
    /// The RKAT plan year; defaults to the year after `actualsUntil`.
    public var planYear: Int?
    /// Probability with which a projection-based target is reached.
    public var confidence: Double
    /// Rule-based targets: previous target × (1 + g) for each g.
    public var ruleGrowth: [Double]
    /// Head office's issued figures for all the scenario's regions, by indicator (whole persons or
    /// rupiah), split over the regions by `allocation` (IssuedAllocation).
    public var issued: [(metric: TargetRow.Metric, value: Int)] = []
    public var allocation: AllocationRule = .equalStretch

    public init(planYear: Int? = nil, confidence: Double = 0.5, ruleGrowth: [Double] = []) {
        self.planYear = planYear
        self.confidence = confidence
        self.ruleGrowth = ruleGrowth
    }
}
