import Foundation

/// Rolling-origin backtest (docs/backtest.md): at each origin o, rkat's forecast is `run` with
/// `actuals_until = o` (the job computes it; here it is a projection and its Monte Carlo bands), and two
/// naive rules a planner uses today are forecast from the same figures up to o. Every later stock
/// actual within the horizon is scored: error, relative error, inside each band, pinball loss.
public enum Backtest {
    public enum Method: String, Sendable, CaseIterable {
        /// rkat run at actuals_until = origin: the central path (projection.csv) and its bands.
        case rkat
        /// The last figure up to the origin, carried forward.
        case lastValue = "last_value"
        /// The last year's growth again, compounded over the months ahead.
        case lastYearGrowth = "last_year_growth"
    }

    /// One forecast of one stock figure: the point and, when the method has bands, its quantiles at
    /// the backtest's levels.
    /// Where an actual comes from: a history row after the origin, or the `--actuals` file (its raw
    /// value is the stable code backtest.csv writes).
    public enum ActualSource: String, Sendable, Equatable {
        case history
        case actuals
    }

    public struct Forecast: Sendable, Equatable {
        public var point: Double
        public var quantiles: [Double]?

        public init(point: Double, quantiles: [Double]? = nil) {
            self.point = point
            self.quantiles = quantiles
        }
    }

    /// One scored actual: origin × cell × month (horizon) × method.
    public struct Row: Sendable, Equatable {
        public var origin: Month
        public var region: String
        public var segment: String
        public var month: Month
        /// Months from the origin to the actual.
        public var horizon: Int
        public var method: Method
        public var actual: Double
        /// Where the actual comes from.
        public var actualSource: ActualSource
        public var forecast: Forecast
        public var levels: [Double]

        public var error: Double { forecast.point - actual }
        /// (forecast − actual) / actual.
        public var relativeError: Double { error / actual }
        /// Per central interval (levels[i], levels[n−1−i]), outermost first: is the actual inside?
        public var inside: [Bool]? {
            guard let q = forecast.quantiles else { return nil }
            return Backtest.intervals(levels).map { (lo, hi) in q[lo] <= actual && actual <= q[hi] }
        }
        /// Mean pinball loss over the levels, in persons; nil without bands.
        public var pinball: Double? {
            forecast.quantiles.map { Backtest.meanPinball(actual: actual, quantiles: $0, levels: levels) }
        }
        /// The loss skill compares: relative mean pinball when `bands`, relative absolute error otherwise.
        public func loss(bands: Bool) -> Double? {
            if bands { return pinball.map { $0 / abs(actual) } }
            return abs(relativeError)
        }
    }

    // MARK: Scoring arithmetic

    /// Pinball (quantile) loss of quantile `q` at level τ for the outcome y: τ(y − q) when y ≥ q,
    /// (1 − τ)(q − y) otherwise.
    public static func pinball(actual y: Double, quantile q: Double, level tau: Double) -> Double {
        let u = y - q
        return u >= 0 ? tau * u : (tau - 1) * u
    }

    /// The mean of the pinball losses over the levels.
    static func meanPinball(actual y: Double, quantiles: [Double], levels: [Double]) -> Double {
        precondition(quantiles.count == levels.count && !levels.isEmpty)
        var s = 0.0
        for (q, tau) in zip(quantiles, levels) { s += pinball(actual: y, quantile: q, level: tau) }
        return s / Double(levels.count)
    }

    /// The central intervals of sorted levels, as index pairs, outermost first: [0.1, 0.5, 0.9] gives
    /// (0, 2) = P10–P90.
    public static func intervals(_ levels: [Double]) -> [(Int, Int)] {
        (0..<(levels.count / 2)).map { ($0, levels.count - 1 - $0) }
    }

    /// Skill = 1 − rkat's loss / the rule's loss (both summed over the same actuals).
    public static func skill(model: Double, rule: Double) -> Double? {
        rule > 0 ? 1 - model / rule : nil
    }

    // MARK: Naive rules

    /// The rule's point forecast at `month` from the figures known at the origin (sorted by month, all
    /// ≤ origin); nil when the rule cannot be applied (no figure; no figure a year before the last).
    static func naivePoint(_ method: Method, known: [(month: Month, value: Double)], at month: Month) -> Double? {
        guard let last = known.last else { return nil }
        switch method {
        case .rkat: return nil
        case .lastValue: return last.value
        case .lastYearGrowth:
            // The latest figure at least 12 months before the last one; its growth per year, again.
            let cut = last.month.adding(months: -12)
            guard let prev = known.last(where: { $0.month <= cut }), prev.value > 0, last.value > 0 else { return nil }
            let span = Double(prev.month.distance(to: last.month))
            let yearly = pow(last.value / prev.value, 12 / span)
            return last.value * pow(yearly, Double(last.month.distance(to: month)) / 12)
        }
    }

    /// The rule's forecast at origin + h with bands from the empirical quantiles of its own past
    /// relative errors at the same horizon, known at the origin (pseudo-origins o' < o, actuals
    /// o' + h ≤ o), when at least `minimumErrors` exist; the point alone otherwise.
    static func naiveForecast(
        _ method: Method, known: [(month: Month, value: Double)], origin: Month, month: Month, levels: [Double], minimumErrors: Int = 5
    ) -> Forecast? {
        guard let point = naivePoint(method, known: known, at: month) else { return nil }
        let h = origin.distance(to: month)
        var errors: [Double] = []
        var byMonth: [Month: Double] = [:]
        for k in known { byMonth[k.month] = k.value }
        for (i, p) in known.enumerated() {
            let target = p.month.adding(months: h)
            guard target <= origin, let y = byMonth[target] else { continue }
            guard let f = naivePoint(method, known: Array(known[...i]), at: target), f > 0 else { continue }
            errors.append(y / f - 1)
        }
        guard errors.count >= minimumErrors, !levels.isEmpty else { return Forecast(point: point) }
        let q = MonteCarloQuantiles.compute(&errors, levels: levels)
        return Forecast(point: point, quantiles: q.map { point * (1 + $0) })
    }

    // MARK: Origins

    /// The levers a past window may use (issue 31, item 7): the scenario's levers are the plan year's,
    /// so one without a date (a constant outreach intensity other than 1, a constant number of villages
    /// or cohort size, any reactivation share) would act in every past window as if it had run then.
    /// Dated levers (steps from a month, an honorary ramp) act from their dates and are kept. Returns
    /// the levers kept and the names of those left out.
    public static func datedLevers(_ levers: Levers) -> (kept: Levers, leftOut: [String]) {
        var kept = levers
        var out: [String] = []
        func undated(_ p: LeverPath, neutral: Double) -> Bool { p.steps.isEmpty && p.initial != neutral }
        if let o = levers.outreach, undated(o.intensity, neutral: 1) { kept.outreach = nil; out.append("outreach") }
        if let v = levers.villages, undated(v.villagesPerYear, neutral: 0) { kept.villages = nil; out.append("villages") }
        if let b = levers.budgetCohorts {
            switch b.size {
            case .persons(let p), .budget(let p): if undated(p, neutral: 0) { kept.budgetCohorts = nil; out.append("budget_cohorts") }
            }
        }
        if !levers.reactivation.isEmpty { kept.reactivation = []; out.append("reactivation") }
        return (kept, out)
    }

    /// The stock cells scored: every region × segment that is not flow-only.
    public static func stockCells(_ s: Scenario) -> [(region: String, segment: String)] {
        s.regions.flatMap { r in s.segments.filter { !$0.flowOnly }.map { (r.name, $0.name) } }
    }

    /// The default origins: the last `count` stock dates of the scenario's cells (months with an
    /// active figure, up to `until`) that leave at least one later actual within `horizon` months
    /// (in `history` or `later`), ascending.
    public static func origins(
        _ s: Scenario, history: History, later: History? = nil, count: Int, horizon: Int, until: Month? = nil
    ) -> [Month] {
        var dates = Set<Month>()
        var actuals: [Month] = []
        for c in stockCells(s) {
            let known = history.series(region: c.region, segment: c.segment, metric: .active)
            for k in known where until.map({ k.month <= $0 }) ?? true { dates.insert(k.month) }
            actuals += known.map(\.month)
            actuals += (later?.series(region: c.region, segment: c.segment, metric: .active) ?? []).map(\.month)
        }
        let usable = dates.filter { o in actuals.contains { $0 > o && o.distance(to: $0) <= horizon } }.sorted()
        return Array(usable.suffix(max(count, 0)))
    }

    // MARK: Scoring one origin

    /// The scored rows of one origin: for each stock cell, every actual after the origin, within
    /// `horizon` months and the projection's months, scored for rkat (`projection` and `monteCarlo`
    /// computed at actuals_until = origin) and for both rules (from `known` up to the origin).
    /// `later` holds figures that came after the history (the --actuals file); a month the history
    /// already has is scored once, from the history.
    public static func score(
        origin: Month, scenario s: Scenario, known: History, later: History? = nil, projection: Projection,
        monteCarlo mc: MonteCarlo.Result?, horizon: Int, levels: [Double]
    ) -> [Row] {
        var central: [CellKey: [Month: Double]] = [:]
        for r in projection.rows { if let a = r.active { central[CellKey(r.region, r.segment), default: [:]][r.month] = a } }
        var bands: [CellKey: (months: [Month: Int], band: MonteCarlo.Band)] = [:]
        for c in mc?.cells ?? [] {
            guard let a = c.active else { continue }
            bands[CellKey(c.region, c.segment)] = (Dictionary(uniqueKeysWithValues: c.months.enumerated().map { ($1, $0) }), a)
        }
        var rows: [Row] = []
        for cell in stockCells(s) {
            let key = CellKey(cell.region, cell.segment)
            let series = known.series(region: cell.region, segment: cell.segment, metric: .active)
            let before = series.filter { $0.month <= origin }
            var targets: [(month: Month, value: Double, source: ActualSource)] = series.filter { $0.month > origin }.map { ($0.month, $0.value, .history) }
            let seen = Set(targets.map(\.month))
            for l in later?.series(region: cell.region, segment: cell.segment, metric: .active) ?? [] where l.month > origin && !seen.contains(l.month) {
                targets.append((l.month, l.value, .actuals))
            }
            targets.sort { $0.month < $1.month }
            for t in targets {
                let h = origin.distance(to: t.month)
                guard h <= horizon, t.value > 0, let point = central[key]?[t.month] else { continue }
                var quantiles: [Double]? = nil
                if let b = bands[key], let k = b.months[t.month], b.band.values.count == levels.count {
                    quantiles = b.band.values.map { $0[k] }
                }
                func row(_ m: Method, _ f: Forecast) -> Row {
                    Row(origin: origin, region: cell.region, segment: cell.segment, month: t.month, horizon: h, method: m,
                        actual: t.value, actualSource: t.source, forecast: f, levels: levels)
                }
                rows.append(row(.rkat, Forecast(point: point, quantiles: quantiles)))
                for m in [Method.lastValue, .lastYearGrowth] {
                    if let f = naiveForecast(m, known: before, origin: origin, month: t.month, levels: levels) { rows.append(row(m, f)) }
                }
            }
        }
        return rows
    }

    // MARK: Summaries

    /// Skill of rkat against one rule at one horizon (or all horizons: `horizon` nil).
    public struct Skill: Sendable, Equatable {
        public var rule: Method
        public var horizon: Int?
        /// Actuals both methods scored.
        public var n: Int
        /// true: relative pinball loss (both had bands); false: relative absolute error.
        public var pinball: Bool
        public var modelLoss: Double
        public var ruleLoss: Double
        public var skill: Double?
    }

    /// Skill per horizon and overall, per rule: rkat's and the rule's rows for the same actual paired;
    /// pinball where both have bands, else absolute error (the pair's own basis, so the sums mix
    /// nothing). A horizon's skill uses one basis: pinball if every pair had bands, else absolute error.
    public static func skills(_ rows: [Row]) -> [Skill] {
        struct Key: Hashable { var origin: Month; var region: String; var segment: String; var month: Month }
        var model: [Key: Row] = [:]
        for r in rows where r.method == .rkat { model[Key(origin: r.origin, region: r.region, segment: r.segment, month: r.month)] = r }
        var out: [Skill] = []
        for rule in [Method.lastValue, .lastYearGrowth] {
            let pairs = rows.filter { $0.method == rule }.compactMap { r in
                model[Key(origin: r.origin, region: r.region, segment: r.segment, month: r.month)].map { (m: $0, r: r) }
            }
            func summarise(_ ps: [(m: Row, r: Row)], horizon: Int?) -> Skill? {
                guard !ps.isEmpty else { return nil }
                let bands = ps.allSatisfy { $0.m.forecast.quantiles != nil && $0.r.forecast.quantiles != nil }
                let ml = ps.reduce(0.0) { $0 + ($1.m.loss(bands: bands) ?? 0) }
                let rl = ps.reduce(0.0) { $0 + ($1.r.loss(bands: bands) ?? 0) }
                return Skill(rule: rule, horizon: horizon, n: ps.count, pinball: bands, modelLoss: ml, ruleLoss: rl, skill: skill(model: ml, rule: rl))
            }
            for h in Set(pairs.map(\.m.horizon)).sorted() {
                if let s = summarise(pairs.filter { $0.m.horizon == h }, horizon: h) { out.append(s) }
            }
            if let s = summarise(pairs, horizon: nil) { out.append(s) }
        }
        return out
    }

    /// The headline: how many actuals rkat's outer band held, and each method's median absolute
    /// relative error.
    public struct Summary: Sendable, Equatable {
        public var origins: Int
        public var actuals: Int
        /// Actuals with rkat bands, and how many the outermost interval held.
        public var banded: Int
        public var held: Int
        public var medianAbsoluteError: [Method: Double]
        /// The mean relative error of rkat (forecast − actual) / actual: > 0 over-forecasts.
        var bias: Double?
    }

    /// rkat's outermost band at one horizon: the actuals it was scored on and how many it held.
    public struct HorizonCoverage: Sendable, Equatable {
        public var horizon: Int
        public var banded: Int
        public var held: Int
    }

    /// The outermost band's record by horizon (issue 31, item 7): a band can hold near 80% overall and
    /// still be too narrow a year out, where the plan's December is.
    public static func coverageByHorizon(_ rows: [Row]) -> [HorizonCoverage] {
        var counts: [Int: (banded: Int, held: Int)] = [:]
        for r in rows where r.method == .rkat {
            guard let inside = r.inside?.first else { continue }
            counts[r.horizon, default: (0, 0)].banded += 1
            if inside { counts[r.horizon]!.held += 1 }
        }
        return counts.keys.sorted().map { HorizonCoverage(horizon: $0, banded: counts[$0]!.banded, held: counts[$0]!.held) }
    }

    public static func summary(_ rows: [Row]) -> Summary {
        let model = rows.filter { $0.method == .rkat }
        let inside = model.compactMap { $0.inside?.first }
        var medians: [Method: Double] = [:]
        for m in Method.allCases {
            var e = rows.filter { $0.method == m }.map { abs($0.relativeError) }
            if !e.isEmpty { medians[m] = MonteCarloQuantiles.compute(&e, levels: [0.5])[0] }
        }
        let bias = model.isEmpty ? nil : model.reduce(0.0) { $0 + $1.relativeError } / Double(model.count)
        return Summary(
            origins: Set(model.map(\.origin)).count, actuals: model.count, banded: inside.count, held: inside.filter { $0 }.count,
            medianAbsoluteError: medians, bias: bias)
    }
}

/// `rkat bench backtest`: the national benchmark plan (NationalBenchmark: 11 Kanwil × 30 branches ×
/// 5 segments, monthly 2017–2024) backtested at its last `origins` months before December 2024, each
/// origin calibrated and simulated as `run` does, every later month within `horizon` scored for rkat
/// and both rules.
public enum BacktestBenchmark {
    public struct Figures: Sendable {
        public var cells: Int
        public var origins: Int
        public var rows: Int
        public var seconds: Double
        public var calibrationSeconds: Double
        public var simulationSeconds: Double
        public var scoringSeconds: Double
        public var summary: Backtest.Summary
    }

    public static func run(origins: Int = 10, horizon: Int = 12, draws: Int = 1000, threads: Int, kanwil: Int = 11, branches: Int = 30) throws(PlanningError) -> Figures {
        var (scenario, history) = NationalBenchmark.makePlan(kanwil: kanwil, branches: branches)
        scenario.uncertainty.draws = draws
        let last = scenario.actualsUntil
        let clock = ContinuousClock()
        func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
        let list = Backtest.origins(scenario, history: history, count: origins, horizon: horizon, until: last)
        var cal = 0.0, sim = 0.0, score = 0.0
        var rows: [Backtest.Row] = []
        let t0 = clock.now
        for o in list {
            var s = scenario
            s.actualsUntil = o
            s.horizon = o.adding(months: horizon)
            let a = clock.now
            let cals = try Calibration.run(s, history: history, threads: threads)
            let b = clock.now
            let projection = Engine.project(s, calibrations: cals)
            let mc = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: o.year + 1, threads: threads))
            let c = clock.now
            rows += Backtest.score(origin: o, scenario: s, known: history, projection: projection, monteCarlo: mc, horizon: horizon, levels: s.uncertainty.quantiles)
            let d = clock.now
            cal += seconds(b - a)
            sim += seconds(c - b)
            score += seconds(d - c)
        }
        return Figures(
            cells: Backtest.stockCells(scenario).count, origins: list.count, rows: rows.count, seconds: seconds(clock.now - t0),
            calibrationSeconds: cal, simulationSeconds: sim, scoringSeconds: score, summary: Backtest.summary(rows))
    }
}
