import Foundation

/// The approved plan `rkat track` measures realisation against: per region × segment × indicator, the
/// annual target and its twelve monthly targets (targets.json as written when the targets were set,
/// or as the planners edited it).
public struct ApprovedPlan: Sendable {
    public struct Target: Sendable {
        public var region: String
        public var segment: String
        public var metric: TargetRow.Metric
        public var annual: Double
        /// January to December of the plan year: flow targets a month, or stock levels; nil when empty.
        public var months: [Double?]
        /// A branch's target (region = its Kanwil); nil for the Kanwil's own.
        public var branch: String?

        public init(region: String, segment: String, metric: TargetRow.Metric, annual: Double, months: [Double?], branch: String? = nil) {
            self.region = region
            self.segment = segment
            self.metric = metric
            self.annual = annual
            self.months = months
            self.branch = branch
        }
    }

    /// A projection row edited in a plan whose issued row of the same target is the one tracked: the
    /// edit is not read (the issued share is the target), and the outputs say so. Found where the
    /// issued row states the projection's figure as written (targets.json's `proposal`).
    public struct UnreadProposal: Sendable, Equatable {
        public var region: String
        public var segment: String
        public var metric: TargetRow.Metric
        /// The projection's annual figure as rkat wrote it, as the planners left it, and the issued target tracked.
        public var written: Double
        public var edited: Double
        public var issued: Double

        public init(region: String, segment: String, metric: TargetRow.Metric, written: Double, edited: Double, issued: Double) {
            (self.region, self.segment, self.metric, self.written, self.edited, self.issued) = (region, segment, metric, written, edited, issued)
        }
    }

    /// A figure of an approved workbook that differs from the one rkat wrote: the planner's edit, or a
    /// total re-derived from edited parts (`derived`).
    public struct Edit: Sendable, Equatable {
        /// Where it stands, `Sheet!G5`.
        public var cell: String
        public var region: String
        public var branch: String?
        public var segment: String
        public var metric: TargetRow.Metric
        /// The month, nil for the annual target.
        public var month: Month?
        public var original: Double
        public var approved: Double
        public var derived: Bool

        public init(cell: String, region: String, branch: String? = nil, segment: String, metric: TargetRow.Metric, month: Month?, original: Double, approved: Double, derived: Bool = false) {
            (self.cell, self.region, self.branch, self.segment, self.metric, self.month) = (cell, region, branch, segment, metric, month)
            (self.original, self.approved, self.derived) = (original, approved, derived)
        }
    }

    public var scenario: String
    public var year: Int
    public var targets: [Target]
    /// The plan's own file kind: targets.json, or the workbook the planners edited and approved.
    public var fromWorkbook = false
    /// A workbook's edited cells, in the workbook's order.
    public var edits: [Edit] = []
    /// A national plan (`includes:`): its Kanwil are tracked one file at a time.
    public var national = false
    /// Edited projection rows set aside for their issued rows.
    public var unreadProposals: [UnreadProposal] = []
    /// The indicators whose targets are issued rows (an issued target split down); the others' are
    /// the projection's.
    public var issuedMetrics: Set<TargetRow.Metric> = []
    public var issued: Bool { !issuedMetrics.isEmpty }

    /// A national plan's targets of the given regions only (one Kanwil's file tracks its own).
    public func keeping(regions: Set<String>) -> ApprovedPlan {
        var plan = self
        plan.targets = targets.filter { regions.contains($0.region) }
        plan.unreadProposals = unreadProposals.filter { regions.contains($0.region) }
        return plan
    }

    public init(scenario: String, year: Int, targets: [Target]) {
        self.scenario = scenario
        self.year = year
        self.targets = targets
    }
}

/// Month m of the plan year against the plan (docs/tracking.md): realisation and capaian for the
/// month and to date, the gap, and the prognosa, which is the run at `actuals_until` = m.
public enum Tracking {
    /// Warnings on a tracked target; `rawValue` is the stable English code.
    public enum Flag: String, Sendable, CaseIterable {
        case reachBelow50 = "P(reach) below 50%"
        case reachBelow20 = "P(reach) below 20%"
        case behindToDate = "realisation to date behind the target to date"
    }

    /// One month of one target.
    public struct Month: Sendable {
        public var month: Planning.Month
        public var target: Double?
        /// The history's figure, for months up to `actuals_until`.
        public var realised: Double?
        /// Flows: January to this month; stocks: this month's level.
        public var targetToDate: Double?
        public var realisedToDate: Double?
        /// realised / target, for the month and to date (nil when either is missing or the target is 0).
        public var capaianMonth: Double?
        public var capaianToDate: Double?
        /// realised to date − target to date.
        public var gap: Double?
    }

    /// One target with its months and the year-end prognosa.
    public struct Row: Sendable {
        public var region: String
        public var segment: String
        public var metric: TargetRow.Metric
        public var annualTarget: Double
        public var months: [Month]
        /// The last realised month (nil: nothing realised yet).
        public var realisedThrough: Planning.Month?
        /// The year-end figure the run at `actuals_until` gives: the draws' median, or the
        /// deterministic projection without draws (`prognosisBasis`), with its quantiles.
        public var prognosis: Double
        public var prognosisFromDraws: Bool
        public var quantiles: [Double]?
        /// P(year-end figure ≥ the annual target), from the run's draws.
        public var pReach: Double?
        /// Flows: what each remaining month needs to reach the annual target, against the mean of the
        /// last `window` realised months; stocks: the monthly change needed from the last level,
        /// against the mean change of the last `window` months.
        public var neededRunRate: Double?
        public var recentRunRate: Double?
        public var remainingMonths: Int
        public var flags: [Flag]
        /// Persons, or companies for a company segment.
        public var unit: SegmentPlan.Unit = .persons
        /// A branch's target (region = its Kanwil), measured on the branch's own history.
        public var branch: String? = nil
        /// Where the target belongs, as planners read it: "Synthetica" or "Synthetica · KC Barat".
        public var place: String { branch.map { "\(region) · \($0)" } ?? region }
    }

    /// The plan measured against the realisation (months up to `actuals_until`) and the run at
    /// `actuals_until` (its view and draws), target by target in named steps: the realised months, the
    /// ledger month by month, the prognosa, the run rates, the flags.
    public static func table(
        plan: ApprovedPlan, scenario s: Scenario, history: History, view: PlanYearView, monteCarlo mc: MonteCarlo.Result?, window: Int,
        outlooks: [BranchOutlook] = []
    ) -> [Row] {
        var realisation = Realisation.of(s, history: history)
        // Branches are measured on their own history rows (region = the branch's name).
        for t in plan.targets where t.branch != nil {
            for seg in s.segments + [SegmentPlan(name: History.totalSegment)] where realisation[Realisation.key(t.branch!, seg.name)] == nil {
                realisation[Realisation.key(t.branch!, seg.name)] = Realisation(history: history, region: t.branch!, segment: seg.name, through: s.actualsUntil)
            }
        }
        let c = TableContext(plan: plan, s: s, view: view, mc: mc, window: window, outlooks: outlooks, realisation: realisation)
        return plan.targets.map(c.row)
    }

    /// What every target's row is measured with.
    struct TableContext {
        let plan: ApprovedPlan
        let s: Scenario
        let view: PlanYearView
        let mc: MonteCarlo.Result?
        let window: Int
        let outlooks: [BranchOutlook]
        let realisation: [CellKey: Realisation]
        var year: Int { plan.year }
        var planMonths: [Planning.Month] { (1...12).map { Planning.Month(year: year, month: $0) } }

        /// One target's row.
        func row(_ t: ApprovedPlan.Target) -> Row {
            let ledger = self.ledger(t, realised: realisedMonths(t))
            let lastRealised = ledger.months.last { $0.realised != nil && $0.month <= s.actualsUntil }
            let (draws, deterministic) = prognosis(t)
            let quantiles = draws.map { d -> [Double] in var v = d; return MonteCarloQuantiles.compute(&v, levels: view.levels) }
            let median = draws.map { d -> Double in var v = d; return MonteCarloQuantiles.compute(&v, levels: [0.5])[0] }
            let pReach = draws.map { MonteCarlo.probability($0, atLeast: t.annual) }
            let remaining = planMonths.filter { $0 > s.actualsUntil }.count
            let (needed, recent) = runRates(t, ledger, lastRealised: lastRealised, remaining: remaining)
            var flags: [Flag] = []
            if let p = pReach, p < 0.5 { flags.append(p < 0.2 ? .reachBelow20 : .reachBelow50) }
            if let g = lastRealised.flatMap({ r in ledger.months.first { $0.month == r.month }?.gap }), g < 0 { flags.append(.behindToDate) }
            var row = Row(
                region: t.region, segment: t.segment, metric: t.metric, annualTarget: t.annual, months: ledger.months,
                realisedThrough: lastRealised?.month, prognosis: median ?? deterministic ?? 0, prognosisFromDraws: median != nil,
                quantiles: quantiles, pReach: pReach, neededRunRate: needed, recentRunRate: recent, remainingMonths: remaining, flags: flags)
            row.unit = s.segment(t.segment)?.unit ?? .persons
            row.branch = t.branch
            return row
        }

        /// Step 1: the target's realised months of the plan year. Iuran is tracked on the history's
        /// figures only (never on estimates from members); a region total the history does not state is
        /// the sum of its segments, in the months where each has one.
        func realisedMonths(_ t: ApprovedPlan.Target) -> [Planning.Month: Double] {
            let place = t.branch ?? t.region
            func byMonth(_ r: Realisation) -> [Planning.Month: Double] {
                Dictionary(uniqueKeysWithValues: r.months(of: year, t.metric).map { ($0.month, $0.value) })
            }
            var realisedMonths = realisation[Realisation.key(place, t.segment)].map(byMonth) ?? [:]
            if t.isTotal && realisedMonths.isEmpty {
                let parts = s.segments.filter { seg in seg.countsPersons && t.metric.applies(to: seg, region: t.region, in: s) }.compactMap { seg in
                    realisation[Realisation.key(place, seg.name)].map(byMonth)
                }
                for m in planMonths {
                    let values = parts.map { $0[m] }
                    if !parts.isEmpty, values.allSatisfy({ $0 != nil }) { realisedMonths[m] = values.reduce(0) { $0 + $1! } }
                }
            }
            return realisedMonths
        }

        /// Step 2: the ledger month by month (target, realised, to date, capaian, gap), with the sums
        /// of the realised flow and whether every month so far is realised.
        func ledger(_ t: ApprovedPlan.Target, realised realisedMonths: [Planning.Month: Double]) -> (months: [Month], realisedSum: Double, allRealised: Bool) {
            var months: [Month] = []
            var targetSum = 0.0, realisedSum = 0.0, allTargets = true, allRealised = true
            for (k, m) in planMonths.enumerated() {
                let target = t.months[k]
                let realised = m <= s.actualsUntil ? realisedMonths[m] : nil
                var row = Month(month: m, target: target, realised: realised)
                // A month neither planned nor realised (a plan year that starts after January) is not
                // part of the year's figures; a planned month without its realisation is a gap.
                if target != nil || realised != nil {
                    if let target { targetSum += target } else { allTargets = false }
                    if let realised { realisedSum += realised } else if m <= s.actualsUntil { allRealised = false }
                }
                if t.metric.isFlow {
                    row.targetToDate = allTargets ? targetSum : nil
                    row.realisedToDate = m <= s.actualsUntil && allRealised ? realisedSum : nil
                } else {
                    row.targetToDate = target
                    row.realisedToDate = realised
                }
                row.capaianMonth = ratio(realised, target)
                row.capaianToDate = ratio(row.realisedToDate, row.targetToDate)
                if let r = row.realisedToDate, let p = row.targetToDate { row.gap = r - p }
                months.append(row)
            }
            return (months, realisedSum, allRealised)
        }

        /// Step 3: the prognosa, the run's year-end draws and deterministic figure for the target; a
        /// branch: its own where its history is calibrated, else its plan share of the Kanwil's.
        func prognosis(_ t: ApprovedPlan.Target) -> (draws: [Double]?, deterministic: Double?) {
            let figure = view.figures.first { $0.region == t.region && $0.segment == t.segment }
            var draws = yearEndDraws(t, mc: mc, realisation: realisation, scenario: s, year: year)
            var deterministic = figure?.deterministic(t.metric)
            guard let branch = t.branch else { return (draws, deterministic) }
            let kanwil = plan.targets.first { $0.branch == nil && $0.region == t.region && $0.segment == t.segment && $0.metric == t.metric }
            let share = kanwil.flatMap { $0.annual > 0 ? t.annual / $0.annual : nil } ?? 0
            if let o = outlooks.first(where: { $0.region == t.region && $0.branch == branch }), let own = o.target(t.segment, t.metric) {
                draws = o.draws(t.segment, t.metric)
                deterministic = own.target
            } else {
                draws = draws.map { d in d.map { $0 * share } }
                deterministic = deterministic.map { $0 * share }
            }
            return (draws, deterministic)
        }

        /// Step 4: the run rates, needed and recent (docs/tracking.md).
        func runRates(
            _ t: ApprovedPlan.Target, _ ledger: (months: [Month], realisedSum: Double, allRealised: Bool), lastRealised: Month?, remaining: Int
        ) -> (needed: Double?, recent: Double?) {
            let realisedSum = ledger.realisedSum, allRealised = ledger.allRealised
            var needed: Double? = nil, recent: Double? = nil
            let realisedSeries = ledger.months.filter { $0.realised != nil && $0.month <= s.actualsUntil }
            if t.metric.isFlow {
                // Only when every planned month so far is realised: a missing month is not a zero.
                if remaining > 0, allRealised { needed = (t.annual - realisedSum) / Double(remaining) }
                let recentMonths = realisedSeries.suffix(window)
                if !recentMonths.isEmpty { recent = recentMonths.reduce(0) { $0 + $1.realised! } / Double(recentMonths.count) }
            } else {
                if remaining > 0, let last = lastRealised?.realised { needed = (t.annual - last) / Double(remaining) }
                let levels = realisedSeries.suffix(window + 1)
                if levels.count >= 2, let first = levels.first, let last = levels.last {
                    recent = (last.realised! - first.realised!) / Double(first.month.distance(to: last.month))
                }
            }
            return (needed, recent)
        }
    }

    /// Per draw, the year-end figure of a target's cell: December's stock, or the full year's
    /// acquisitions or iuran (the realised months plus each draw's projected ones, as the targets
    /// count them); region totals from the joint draws.
    static func yearEndDraws(
        _ t: ApprovedPlan.Target, mc: MonteCarlo.Result?, realisation: [CellKey: Realisation], scenario s: Scenario, year: Int
    ) -> [Double]? {
        guard let mc else { return nil }
        // The full-year rule's realised part (Realisation.toDate, its one home).
        if t.isTotal {
            let r = mc.region(t.region)
            return Realisation.fullYear(r?.planYear(t.metric), realised: Realisation.regionToDate(s, realisation, region: t.region, year: year, t.metric))
        }
        guard let cell = mc.cell(t.region, t.segment), let seg = s.segment(t.segment) else { return nil }
        let realised = realisation[Realisation.key(t.region, t.segment)]?.toDate(year, t.metric, segment: seg, region: t.region, in: s)?.value ?? 0
        return Realisation.fullYear(cell.planYear(t.metric), realised: realised)
    }

    static func ratio(_ a: Double?, _ b: Double?) -> Double? {
        guard let a, let b, b > 0 else { return nil }
        let r = a / b
        return r.isFinite ? r : nil
    }
}
