import Fitting
import Foundation
import Planning

/// `rkat solve` (docs/solve.md): for a target and a lever, the lever value at which the target is
/// reached with probability P. Every evaluation is `rkat run --set KEY=VALUE` computed in memory (same
/// seed, same draws), so the answer can be re-run as it is printed.
public enum SolveJob {
    /// `[REGION:]SEGMENT.METRIC[=VALUE|+G%]`: which figure, and the target for it.
    public struct TargetSpec: Sendable, Equatable {
        public enum Level: Sendable, Equatable {
            /// A figure in persons (rupiah for iuran).
            case figure(Double)
            /// Last year's target (or, without one, last year's realisation) × (1 + g).
            case growth(Double)
            /// Each of the scenario's `targets.rule_growth`.
            case ruleGrowth
        }

        public var region: String?
        public var segment: String
        public var metric: TargetRow.Metric
        public var level: Level
        public var text: String
    }

    /// `KEY[=MIN..MAX]`: a `--set` key path and the range searched.
    public struct LeverSpec: Sendable, Equatable {
        public var key: String
        public var range: ClosedRange<Double>?
        public var text: String

        public init(key: String, range: ClosedRange<Double>?, text: String) {
            self.key = key
            self.range = range
            self.text = text
        }
    }

    /// A target resolved against the scenario: its figure and where it comes from.
    public struct Target: Sendable {
        public var region: String
        public var segment: String
        public var metric: TargetRow.Metric
        public var value: Double
        /// Where the figure comes from, for the reader.
        public var basis: Phrase
        /// The same as a stable English code for csv and json: "projection", "rule +20%", "stated",
        /// "growth +20%".
        public var basisCode: String
        /// P(reach) with the scenario as it stands (no lever moved).
        public var noAction: Double
        /// The target table's warnings on it (above the potential, above the uncovered pool, part of
        /// the year), where it is one of the table's targets.
        public var flags: [TargetFlag] = []

        func same(as t: Target) -> Bool {
            region == t.region && segment == t.segment && metric == t.metric && value == t.value && basisCode == t.basisCode
        }
    }

    /// One lever's answer for one target.
    public struct Answer: Sendable {
        public var target: Target
        public var key: String
        /// The lever's value in the scenario as it stands (nil when absent, or a path of steps).
        public var current: Double?
        /// The key holds a path of steps: the search sets one value from the first projected month
        /// (`[{from: M, value: V}]`), the months before as the path's form has them (0 or none).
        public var replacesPath: Bool
        /// The first projected month (where a path's one value starts).
        public var firstProjected: Month
        public var grid: LeverSearch.Grid
        public var search: LeverSearch.Outcome
        /// Wall time of the search, seconds.
        public var seconds: Double
        /// The lever's price in the scenario's `costs`, if it has one.
        public var cost: LeverCost? = nil
        /// The answer's price: from the lever's value as the scenario stands to the answer.
        public var price: Double? = nil

        /// `KEY=VALUE` as the search sets it (and the check command prints it).
        public func setting(_ v: Double) -> String { SolveJob.setting(key, v, path: replacesPath ? firstProjected : nil) }
    }

    /// The cheapest pair of two priced levers for one target.
    public struct Mix: Sendable {
        public var target: Target
        public var a: Answer
        public var b: Answer
        public var search: LeverMix.Outcome
        /// The best pair's price by payer, in the order the levers are given.
        public var prices: [(payer: String, rupiah: Double)]
        public var seconds: Double
        /// More than two levers: the cheapest of the pairs (a stated heuristic), not the cheapest of all.
        public var ofPairs: Bool
        /// The grids searched (each lever from its scenario value the way it helps).
        public var gridA: LeverSearch.Grid
        public var gridB: LeverSearch.Grid
    }

    public struct Result: Sendable {
        public var scenarioPath: String
        public var overrides: [String]
        public var probability: Double
        public var draws: Int
        public var seed: UInt64
        public var answers: [Answer]
        /// Wall time of one run of the scenario as it stands (the no-action evaluation), seconds.
        public var runSeconds: Double
        /// Runs made, the no-action one included (a lever value runs once for every target).
        public var runs: Int
        /// With two or more priced levers, the cheapest mix per target (of each pair with more than two).
        public var mixes: [Mix] = []
        /// Why no mix was searched, when several levers were given.
        public var mixNotes: [Phrase] = []
        /// Projected months of the plan year (a monthly price is paid in each).
        public var pricedMonths: Int = 0
        /// The targets, in order.
        public var targets: [Target] = []
        /// The plan year and its months left after actuals_until (a flow target's time to be reached).
        public var planYear: Int = 0

        /// A target's answers (one per lever, in the levers' order) and its cheapest mix.
        public func answers(for t: Target) -> (alone: [Answer], mix: Mix?) {
            (answers.filter { $0.target.same(as: t) }, mixes.first { $0.target.same(as: t) })
        }
    }

    // MARK: Parsing the command line

    /// Parses `--target`; an error names the argument.
    public static func parseTarget(_ text: String) throws(InputError) -> TargetSpec {
        func fail(_ why: Phrase) -> InputError {
            InputError(Phrase { l in "--target '\(text)': " } + why + Phrase(" (diharapkan [WILAYAH:]SEGMEN.METRIK[=NILAI|+G%], seperti PU.active=1000000 atau TOTAL.acquisitions=+20%)", " (expected [REGION:]SEGMENT.METRIC[=VALUE|+G%], like PU.active=1000000 or TOTAL.acquisitions=+20%)"))
        }
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var name = parts[0].scenarioTrimmed
        var region: String?
        if let colon = name.firstIndex(of: ":") {
            region = String(name[..<colon]).scenarioTrimmed
            name = String(name[name.index(after: colon)...]).scenarioTrimmed
            if region!.isEmpty { throw fail(Phrase("nama wilayah sebelum ':' kosong", "the region's name before ':' is empty")) }
        }
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else {
            throw fail(Phrase("segmen dan metrik dipisah titik", "the segment and the metric are separated by a dot"))
        }
        let segment = String(name[..<dot]), code = String(name[name.index(after: dot)...])
        guard let metric = TargetRow.Metric(rawValue: code) else {
            let codes = TargetRow.Metric.allCases.map(\.rawValue).joined(separator: ", ")
            throw fail(Phrase("metrik '\(code)' tidak dikenal; metriknya \(codes)", "unknown metric '\(code)'; the metrics are \(codes)"))
        }
        guard parts.count == 2 else { return TargetSpec(region: region, segment: segment, metric: metric, level: .ruleGrowth, text: text) }
        let raw = parts[1].scenarioTrimmed
        if raw.hasPrefix("+") || raw.hasPrefix("-"), !raw.hasSuffix("%") {
            throw fail(Phrase("'\(raw)' bertanda tetapi tanpa %: pertumbuhan ditulis \(raw)%, angka target tanpa tanda", "'\(raw)' has a sign but no %: a growth is written \(raw)%, a target figure without a sign"))
        }
        if raw.hasSuffix("%"), raw.hasPrefix("+") || raw.hasPrefix("-") {
            guard let g = ScalarText.fraction(raw), g > -1, g <= 10 else {
                throw fail(Phrase("pertumbuhan '\(raw)' bukan persentase antara −100% dan +1000%", "the growth '\(raw)' is not a percentage between −100% and +1000%"))
            }
            return TargetSpec(region: region, segment: segment, metric: metric, level: .growth(g), text: text)
        }
        guard let v = ScalarText.number(raw), v.rounded() == v, v > 0, v < ScalarText.exactWholeLimit else {
            let hint = ScalarText.numberHint(raw, whole: true)
            throw fail(Phrase("target '\(raw)' bukan bilangan bulat positif", "the target '\(raw)' is not a positive whole number") + (hint.map { Phrase("; ", "; ") + $0 } ?? Phrase("", "")))
        }
        return TargetSpec(region: region, segment: segment, metric: metric, level: .figure(v), text: text)
    }

    /// Parses `--lever`.
    public static func parseLever(_ text: String) throws(InputError) -> LeverSpec {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let key = parts[0].scenarioTrimmed
        let example = " (diharapkan KUNCI[=MIN..MAKS], seperti levers.outreach.intensity=1..2)"
        let exampleEN = " (expected KEY[=MIN..MAX], like levers.outreach.intensity=1..2)"
        guard !key.isEmpty else { throw InputError(Phrase("--lever '\(text)': kuncinya kosong" + example, "--lever '\(text)': the key is empty" + exampleEN)) }
        // The key must be one --set can take: parse it as `--set KEY=`.
        do throws(InputError) { _ = try ScenarioOverrides.parse("\(key)=", line: 1) } catch {
            throw InputError(Phrase { l in "--lever '\(text)': " } + error.phrase)
        }
        guard parts.count == 2 else { return LeverSpec(key: key, range: nil, text: text) }
        let bounds = parts[1].components(separatedBy: "..")
        guard bounds.count == 2, let lo = ScalarText.fraction(bounds[0]), let hi = ScalarText.fraction(bounds[1]) else {
            let hint = bounds.compactMap { ScalarText.numberHint($0, whole: false) }.first
            throw InputError(Phrase("--lever '\(text)': rentang bukan MIN..MAKS" + example, "--lever '\(text)': the range is not MIN..MAX" + exampleEN) + (hint.map { Phrase("; ", "; ") + $0 } ?? Phrase("", "")))
        }
        guard lo < hi else {
            throw InputError(Phrase("--lever '\(text)': MIN harus di bawah MAKS", "--lever '\(text)': MIN must be below MAX"))
        }
        return LeverSpec(key: key, range: lo...hi, text: text)
    }

    /// `--probability`: a fraction or a percentage in (0, 1).
    public static func parseProbability(_ text: String) throws(InputError) -> Double {
        guard let p = ScalarText.fraction(text), p > 0, p < 1 else {
            let hint = ScalarText.numberHint(text.hasSuffix("%") ? String(text.dropLast()) : text, whole: false)
            throw InputError(Phrase("--probability '\(text)': diharapkan peluang di antara 0 dan 1 (seperti 0.7 atau 70%)", "--probability '\(text)': expected a probability between 0 and 1 (like 0.7 or 70%)") + (hint.map { Phrase("; ", "; ") + $0 } ?? Phrase("", "")))
        }
        return p
    }

    // MARK: The search

    /// Solves every target for every lever, each lever alone.
    public static func solve(
        scenarioPath: String, overrides: [String] = [], targets: [TargetSpec], levers: [LeverSpec], probability: Double? = nil,
        settings: RunJob.Settings = RunJob.Settings(), ajuan: Bool = false
    ) throws(InputError) -> Result {
        let clock = ContinuousClock()
        let started = clock.now
        let base = try RunJob.compute(scenarioPath: scenarioPath, overrides: overrides, settings: settings, fullOutputs: false)
        return try solve(base, overrides: overrides, started: started, clock: clock, targets: targets, levers: levers, probability: probability, settings: settings, ajuan: ajuan)
    }

    /// The default output folder of `--ajuan`: outputs/<scenario file stem>-solve/.
    public static func defaultOutput(for scenarioPath: String) -> String { RunJob.defaultOutput(for: scenarioPath) + "-solve" }

    /// Solves and writes solve.csv, solve.json and solve.md (with `ajuan`, also targets.xlsx with the
    /// sheet "Apa yang dibutuhkan" and report.html with its section) to `outputDirectory` atomically,
    /// as `run` writes (the folder is checked before any search runs). Returns the files written and
    /// notes on leftovers of interrupted runs.
    public static func run(
        scenarioPath: String, overrides: [String] = [], targets: [TargetSpec], levers: [LeverSpec], probability: Double? = nil,
        settings: RunJob.Settings = RunJob.Settings(), ajuan: Bool = false, outputDirectory: String, option: String, now: Date = RunJob.runTime()
    ) throws -> (result: Result, files: [String], notes: [String]) {
        let clock = ContinuousClock()
        let started = clock.now
        let checked = try RunJob.check(scenarioPath: scenarioPath, overrides: overrides, threads: settings.threads)
        var out = try OutputDirectory(path: outputDirectory, option: option, protecting: RunJob.inputFiles(checked))
        _ = try out.check()
        // The ajuan goes with the run's workbook and report (a sheet and a section of their own).
        let base = try RunJob.compute(checked, scenarioPath: scenarioPath, overrides: overrides, settings: settings, fullOutputs: ajuan)
        let result = try solve(base, overrides: overrides, started: started, clock: clock, targets: targets, levers: levers, probability: probability, settings: settings, ajuan: ajuan)
        let words = Words(indonesian: settings.indonesian)
        out.add("solve.csv", SolveWriters.csv(result))
        out.add("solve.json", SolveWriters.json(result))
        out.add("solve.md", SolveWriters.markdown(result, words: words))
        if ajuan {
            out.add("targets.xlsx", data: try RunJob.targetsWorkbook(base, words: words, scratch: try out.scratchFolder(), extra: SolveWriters.sheet(result, words: words)))
            out.add("report.html", RunJob.reportHTML(base, words: words, now: now, section: SolveWriters.htmlSection(result, words: words)))
        }
        let notes = try out.commit()
        return (result, out.names, notes)
    }

    static func solve(
        _ base: RunJob.Computed, overrides: [String], started: ContinuousClock.Instant, clock: ContinuousClock, targets: [TargetSpec], levers: [LeverSpec],
        probability: Double?, settings: RunJob.Settings, ajuan: Bool
    ) throws(InputError) -> Result {
        let scenarioPath = base.scenarioPath
        guard !targets.isEmpty || ajuan else { throw InputError(Phrase("berikan paling sedikit satu --target (atau --ajuan)", "give at least one --target (or --ajuan)")) }
        let runSeconds = seconds(clock.now - started)
        let scenario = base.checked.document.scenario
        // --ajuan without --lever: the levers the scenario prices.
        let levers = levers.isEmpty && ajuan ? scenario.costs.map { LeverSpec(key: $0.lever, range: nil, text: $0.lever) } : levers
        guard !levers.isEmpty else {
            throw InputError(Phrase("berikan paling sedikit satu --lever\(ajuan ? " (atau harga di costs skenario)" : "")", "give at least one --lever\(ajuan ? " (or prices in the scenario's costs)" : "")"))
        }
        for (i, l) in levers.enumerated() where levers[..<i].contains(where: { $0.key == l.key }) {
            throw InputError(Phrase("--lever \(l.key) disebut dua kali", "--lever \(l.key) is given twice"))
        }
        let p = probability ?? scenario.targets.confidence
        let resolved = (ajuan ? tableTargets(base) : []) + (try resolve(targets, base))
        let tree = try ScenarioLoader.load(path: scenarioPath).tree
        let merged = try ScenarioOverrides.apply(overrides, to: tree)

        /// The figures of every target in a run with `set` (cached by the overrides).
        func figures(_ set: [String], _ cache: inout [String: [[Double]]]) throws(InputError) -> [[Double]] {
            let key = set.joined(separator: "\u{1F}")
            if let done = cache[key] { return done }
            let c: RunJob.Computed
            do throws(InputError) {
                c = try RunJob.compute(scenarioPath: scenarioPath, overrides: overrides + set, settings: settings, fullOutputs: false)
            } catch {
                throw InputError(Phrase { l in "--lever \(set.joined(separator: ", ")): " } + error.phrase, file: error.location == nil ? error.file : nil)
            }
            let all = resolved.map { outcome(c, $0)?.figures ?? [] }
            cache[key] = all
            return all
        }
        var answers: [Answer] = []
        var runCount = 1
        for lever in levers {
            let first = scenario.actualsUntil.adding(months: 1)
            let (current, isPath) = currentValue(lever.key, in: merged, first: first)
            try probe(lever, current: current, path: isPath ? first : nil, scenarioPath: scenarioPath, overrides: overrides)
            let grid = try grid(lever, current: current)
            // Each grid value runs once for all targets: its figures for every target are kept (not
            // the run, whose draws would hold memory for every value searched).
            var runs: [String: [[Double]]] = [:]
            for (k, target) in resolved.enumerated() {
                let t0 = clock.now
                let search = try LeverSearch.solve(grid: grid, target: target.value, probability: p) { (v: Double) throws(InputError) -> [Double] in
                    try figures([setting(lever.key, v, path: isPath ? first : nil)], &runs)[k]
                }
                answers.append(Answer(
                    target: target, key: lever.key, current: current, replacesPath: isPath, firstProjected: first, grid: grid, search: search,
                    seconds: seconds(clock.now - t0)))
            }
            runCount += runs.count
        }
        // Prices: each answer from the lever's value as the scenario stands (or the search's start).
        let year = base.view.year
        let months = (1...12).filter { Month(year: year, month: $0) > scenario.actualsUntil }.count
        for i in answers.indices {
            guard let cost = scenario.costs.first(where: { $0.lever == answers[i].key }) else { continue }
            answers[i].cost = cost
            if let v = answers[i].search.answer?.value, answers[i].search.direction != .none {
                answers[i].price = cost.price(from: origin(answers[i]), to: v, raises: answers[i].search.direction == .raises, months: months)
            }
        }
        var result = Result(
            scenarioPath: scenarioPath, overrides: overrides, probability: p, draws: scenario.uncertainty.draws, seed: scenario.uncertainty.seed,
            answers: answers, runSeconds: runSeconds, runs: runCount, pricedMonths: months, targets: resolved, planYear: year)
        if levers.count >= 2 {
            var runs: [String: [[Double]]] = [:]
            try mix(&result, levers: levers, targets: resolved, clock: clock) { (set: [String], k: Int) throws(InputError) -> [Double] in try figures(set, &runs)[k] }
            result.runs += runs.count
        }
        return result
    }

    /// The part of a lever's grid from its value as the scenario stands, the way it helps (the whole
    /// grid when that value is outside it or at its far end).
    static func helping(_ a: Answer) -> LeverSearch.Grid {
        guard let c = a.current, c > a.grid.lower, c < a.grid.upper else { return a.grid }
        if a.search.direction == .lowers {
            return c - a.grid.lower >= a.grid.step ? LeverSearch.Grid(lower: a.grid.lower, upper: c, step: a.grid.step) : a.grid
        }
        return a.grid.upper - c >= a.grid.step ? LeverSearch.Grid(lower: c, upper: a.grid.upper, step: a.grid.step) : a.grid
    }

    /// Where a lever's price is counted from: its value as the scenario stands, or the end of the
    /// range where it helps least.
    static func origin(_ a: Answer) -> Double {
        a.current ?? (a.search.direction == .lowers ? a.grid.upper : a.grid.lower)
    }

    /// The cheapest mix of each pair of priced levers, per target: exact for two levers; with more, the
    /// cheapest over the pairs (the others as the scenario stands).
    static func mix(
        _ result: inout Result, levers: [LeverSpec], targets: [Target], clock: ContinuousClock,
        figures: (_ set: [String], _ target: Int) throws(InputError) -> [Double]
    ) throws(InputError) {
        let unpriced = levers.filter { l in result.answers.first { $0.key == l.key }?.cost == nil }.map(\.key)
        guard unpriced.isEmpty else {
            result.mixNotes.append(Phrase(
                "campuran termurah tidak dicari: tidak ada harga untuk \(unpriced.joined(separator: ", ")) di costs skenario",
                "no cheapest mix searched: the scenario's costs price no \(unpriced.joined(separator: ", "))"))
            return
        }
        let pairs = levers.indices.flatMap { i in levers.indices.filter { $0 > i }.map { (i, $0) } }
        for (k, target) in targets.enumerated() {
            let alone = result.answers.filter { $0.target.same(as: target) }
            var best: Mix?
            for (i, j) in pairs {
                guard let a = alone.first(where: { $0.key == levers[i].key }), let b = alone.first(where: { $0.key == levers[j].key }) else { continue }
                guard a.search.direction != .none, b.search.direction != .none else {
                    result.mixNotes.append(Phrase { l in
                        l.t("\(target.region) \(target.segment) \(target.metric.rawValue) \(l.n(target.value)): campuran \(a.key) + \(b.key) tidak dicari: salah satunya tidak menggerakkan angka ini",
                            "\(target.region) \(target.segment) \(target.metric.rawValue) \(l.n(target.value)): no mix of \(a.key) + \(b.key): one of them does not move this figure")
                    })
                    continue
                }
                let t0 = clock.now
                let (ca, cb, months) = (a.cost!, b.cost!, result.pricedMonths)
                let (oa, ob, ra, rb) = (origin(a), origin(b), a.search.direction == .raises, b.search.direction == .raises)
                // Each lever from its value as the scenario stands the way it helps: a mix that cuts a
                // programme is another question (and would cost nothing less).
                let axisA = LeverMix.Axis(grid: helping(a), raises: ra) { v in ca.price(from: oa, to: v, raises: ra, months: months) }
                let axisB = LeverMix.Axis(grid: helping(b), raises: rb) { v in cb.price(from: ob, to: v, raises: rb, months: months) }
                let search = try LeverMix.cheapest(a: axisA, b: axisB, target: target.value, probability: result.probability) { (va: Double, vb: Double) throws(InputError) -> [Double] in
                    try figures([a.setting(va), b.setting(vb)], k)
                }
                var prices: [(payer: String, rupiah: Double)] = []
                if let p = search.best {
                    for (cost, v, o, r) in [(ca, p.a, oa, ra), (cb, p.b, ob, rb)] {
                        let rupiah = cost.price(from: o, to: v, raises: r, months: months)
                        if let k = prices.firstIndex(where: { $0.payer == cost.payer }) { prices[k].rupiah += rupiah } else { prices.append((cost.payer, rupiah)) }
                    }
                }
                let m = Mix(
                    target: target, a: a, b: b, search: search, prices: prices, seconds: seconds(clock.now - t0), ofPairs: pairs.count > 1,
                    gridA: axisA.grid, gridB: axisB.grid)
                if best == nil || (m.search.best != nil && (best!.search.best == nil || m.search.best!.cost < best!.search.best!.cost)) { best = m }
            }
            if let best { result.mixes.append(best) }
        }
    }

    /// The figure a target is measured against in a computed run.
    static func outcome(_ c: RunJob.Computed, _ t: Target) -> TargetOutcome? {
        Targets.outcome(
            c.checked.document.scenario, history: c.checked.history.history, projection: c.projection, monteCarlo: c.monteCarlo,
            planYear: c.view.year, region: t.region, segment: t.segment, metric: t.metric)
    }

    /// The ajuan table's targets: every target level of the run's table (the projection at the
    /// confidence, each rule growth), by region, segment and total.
    static func tableTargets(_ base: RunJob.Computed) -> [Target] {
        base.view.targets.compactMap { row in
            // The table's own words for its basis ("proyeksi", "aturan +20%"), as targets.md.
            if case .branchAllocation = row.basis { return nil }
            let basis = Phrase { l in Words(indonesian: l.indonesian).basis(row.basis) }
            let target = Target(region: row.region, segment: row.segment, metric: row.metric, value: row.target, basis: basis, basisCode: row.basis.code, noAction: 0, flags: row.flags)
            guard let o = outcome(base, target) else { return nil }
            var t = target
            t.noAction = o.probability(atLeast: row.target)
            return t
        }
    }

    /// The targets' figures: named regions and segments checked, growth applied to last year's target.
    static func resolve(_ specs: [TargetSpec], _ base: RunJob.Computed) throws(InputError) -> [Target] {
        let s = base.checked.document.scenario
        var out: [Target] = []
        for spec in specs {
            let region: String
            if let r = spec.region {
                guard r == Targets.allRegions || s.regions.contains(where: { $0.name == r }) else {
                    let names = s.regions.map(\.name).joined(separator: ", ")
                    throw InputError(Phrase("--target '\(spec.text)': wilayah '\(r)' tidak ada di skenario (wilayahnya \(names))", "--target '\(spec.text)': no region '\(r)' in the scenario (its regions are \(names))"))
                }
                region = r
            } else {
                guard s.regions.count == 1 else {
                    let names = s.regions.map(\.name).joined(separator: ", ")
                    throw InputError(Phrase("--target '\(spec.text)': skenario punya beberapa wilayah; sebutkan satu, WILAYAH:SEGMEN.METRIK (\(names), atau ALL)", "--target '\(spec.text)': the scenario has several regions; name one, REGION:SEGMENT.METRIC (\(names), or ALL)"))
                }
                region = s.regions[0].name
            }
            let probe = Target(region: region, segment: spec.segment, metric: spec.metric, value: 0, basis: Phrase("", ""), basisCode: "", noAction: 0)
            guard let figure = outcome(base, probe) else {
                let segments = (s.segments.map(\.name) + [History.totalSegment]).joined(separator: ", ")
                throw InputError(Phrase(
                    "--target '\(spec.text)': \(region) tidak punya angka \(spec.metric.rawValue) untuk '\(spec.segment)' (segmennya \(segments))",
                    "--target '\(spec.text)': \(region) has no \(spec.metric.rawValue) figure for '\(spec.segment)' (its segments are \(segments))"))
            }
            func growthTarget(_ g: Double) throws(InputError) -> (Double, Phrase) {
                let sign = g >= 0 ? "+" : "−"
                let pct = Phrase { l in sign + l.percent(abs(g)) }
                if let previous = figure.previousTarget {
                    return ((previous * (1 + g)).rounded(), Phrase { l in l.t("target tahun lalu \(l.n(previous)) ", "last year's target \(l.n(previous)) ") } + pct)
                }
                if let last = figure.lastRealisation, last.through.month == 12 {
                    return ((last.value * (1 + g)).rounded(), Phrase { l in l.t("realisasi \(last.through.year) \(l.n(last.value)) ", "the \(last.through.year) realisation \(l.n(last.value)) ") } + pct)
                }
                throw InputError(Phrase(
                    "--target '\(spec.text)': riwayat tidak memuat target tahun lalu maupun realisasi setahun penuh untuk dikenai pertumbuhan; tulis targetnya sebagai angka",
                    "--target '\(spec.text)': the history has neither last year's target nor a full year's realisation to grow; give the target as a figure"))
            }
            var levels: [(Double, Phrase, String)] = []
            func code(_ word: String, _ g: Double) -> String { "\(word) \(g >= 0 ? "+" : "")\(Whole.clamped(g * 100, .toNearestOrAwayFromZero))%" }
            switch spec.level {
            case .figure(let v): levels = [(v, Phrase("dinyatakan", "stated"), "stated")]
            case .growth(let g):
                let (v, basis) = try growthTarget(g)
                levels = [(v, basis, code("growth", g))]
            case .ruleGrowth:
                guard !s.targets.ruleGrowth.isEmpty else {
                    throw InputError(Phrase(
                        "--target '\(spec.text)': tanpa nilai, targetnya dari targets.rule_growth skenario, yang tidak ada; tulis =NILAI atau =+G%",
                        "--target '\(spec.text)': without a value the targets come from the scenario's targets.rule_growth, which it lacks; write =VALUE or =+G%"))
                }
                for g in s.targets.ruleGrowth {
                    let (v, basis) = try growthTarget(g)
                    levels.append((v, basis, code("rule", g)))
                }
            }
            // The table's warning for a stated stock target above the plan year's potential.
            let potential = s.segments.filter { spec.segment == History.totalSegment ? $0.countsPersons && !$0.flowOnly : $0.name == spec.segment }
                .compactMap { seg in base.projection.rows(region: region, segment: seg.name).last { $0.month.year == base.view.year }?.potential }
            for (v, basis, c) in levels {
                var t = Target(region: region, segment: spec.segment, metric: spec.metric, value: v, basis: basis, basisCode: c, noAction: figure.probability(atLeast: v))
                if spec.metric == .active, region != Targets.allRegions, !potential.isEmpty, v > potential.reduce(0, +) { t.flags = [.abovePotential] }
                out.append(t)
            }
        }
        return out
    }

    // MARK: The lever's grid

    /// The lever's value in the merged scenario tree: a number, or nil (absent); `isPath` when it is a
    /// path of steps (a list), which the search replaces with one value.
    static func currentValue(_ key: String, in tree: ScenarioNode, first: Month) -> (Double?, isPath: Bool) {
        guard let components = try? ScenarioOverrides.parse("\(key)=", line: 1).0 else { return (nil, false) }
        var node: ScenarioNode? = tree
        for c in components {
            switch c {
            case .key(let k, _): node = node?[k]
            case .index(let i, _): node = node?.items.flatMap { i < $0.count ? $0[i] : nil }
            }
        }
        guard let node else { return (nil, false) }
        if let steps = node.items { return (pathValue(steps, at: first, before: LeverKind(key: key) == .intensity ? 1 : 0), true) }
        if case .scalar(let t, _) = node.kind, !node.isNull { return (ScalarText.fraction(t), false) }
        return (nil, false)
    }

    /// A path of steps' value at `month`: the last step from on or before it (`{from, value}`), or
    /// `before` ahead of its first (0 for counts, 1 for an intensity, as the scenario reader reads them).
    static func pathValue(_ steps: [ScenarioNode], at month: Month, before: Double) -> Double? {
        var value = before
        for step in steps {
            guard case .scalar(let f, _) = step["from"]?.kind, let from = Month(f.scenarioTrimmed),
                case .scalar(let v, _) = step["value"]?.kind, let number = ScalarText.fraction(v)
            else { return nil }
            if from <= month { value = number }
        }
        return value
    }

    /// The lever's key as the scenario reader takes it, tried once before any search with a value it
    /// holds (the scenario's, or the range's start): a misspelt key is one line naming the lever as
    /// typed, with the reader's "did you mean".
    static func probe(_ lever: LeverSpec, current: Double?, path: Month?, scenarioPath: String, overrides: [String]) throws(InputError) {
        let value = current ?? lever.range?.lowerBound ?? 1
        let set = setting(lever.key, value, path: path)
        do throws(InputError) {
            _ = try ScenarioReader.read(path: scenarioPath, overrides: overrides + [set])
        } catch {
            // A problem in the key (its columns of the --set line) is the lever's; a value the key
            // refuses is left to the search, which says the value it tried.
            if let at = error.location, at.file == "--set", at.line == overrides.count + 1, at.column <= lever.key.unicodeScalars.count + 1 {
                throw InputError(Phrase { l in "--lever '\(lever.text)': " } + error.phrase)
            }
        }
    }

    /// What a key holds, read from its last name: the natural resolution and the default range.
    enum LeverKind {
        /// Shares and probabilities: 0…1 by 0.01.
        case share
        /// Outreach intensity: 1 = as in the history, by 0.01 up to 3.
        case intensity
        /// Persons, villages, rupiah and other counts: whole units; the range must be given.
        case count
        /// Any other number: by 0.01, or whole units when the range and value are whole; range given.
        case other

        init(key: String) {
            let name = key.split(separator: ".").last.map { String($0.split(separator: "[")[0]) } ?? key
            if name == "intensity" { self = .intensity; return }
            if name.hasSuffix("share") || name.hasPrefix("share_") || name.hasSuffix("probability") || name == "already_covered" || name == "confidence" { self = .share; return }
            if name.hasSuffix("_rp") || ["persons", "pool", "villages_per_year", "acquisitions_per_village", "already_enrolled", "enrolled_at_start", "enrolment_months"].contains(name) {
                self = .count; return
            }
            // A path's step value: `…persons[0].value` counts persons; `…intensity[1].value` is an intensity.
            if name == "value" {
                let parent = key.split(separator: ".").dropLast().last.map { String($0.split(separator: "[")[0]) } ?? ""
                self = parent == "intensity" ? .intensity : parent.hasSuffix("_rp") || parent == "persons" || parent == "villages_per_year" ? .count : .other
                return
            }
            self = .other
        }
    }

    static func grid(_ lever: LeverSpec, current: Double?) throws(InputError) -> LeverSearch.Grid {
        let kind = LeverKind(key: lever.key)
        var range = lever.range
        switch kind {
        case .share: range = range ?? (min(current ?? 0, 0.99)...1)
        case .intensity: range = range ?? (min(current ?? 1, 2.99)...max(3, (current ?? 1) + 0.01))
        case .count, .other:
            guard range != nil else {
                throw InputError(Phrase(
                    "--lever '\(lever.text)': sebutkan rentang yang dicari, --lever \(lever.key)=MIN..MAKS (jumlah orang, desa atau rupiah tidak punya batas bawaan)",
                    "--lever '\(lever.text)': give the range to search, --lever \(lever.key)=MIN..MAX (persons, villages and rupiah have no default bounds)"))
            }
        }
        let r = range!
        let whole = kind == .count || (kind == .other && r.lowerBound.rounded() == r.lowerBound && r.upperBound.rounded() == r.upperBound && (current.map { $0.rounded() == $0 } ?? true))
        if kind == .count, r.lowerBound.rounded() != r.lowerBound || r.upperBound.rounded() != r.upperBound {
            throw InputError(Phrase("--lever '\(lever.text)': \(lever.key) adalah bilangan bulat; rentangnya juga", "--lever '\(lever.text)': \(lever.key) is a whole number; so is its range"))
        }
        let step = whole ? 1.0 : 0.01
        guard r.upperBound - r.lowerBound >= step else {
            throw InputError(Phrase("--lever '\(lever.text)': rentangnya lebih sempit dari satu langkah (\(text(step)))", "--lever '\(lever.text)': the range is narrower than one step (\(text(step)))"))
        }
        return LeverSearch.Grid(lower: r.lowerBound, upper: r.upperBound, step: step)
    }

    /// The `--set` of a lever value: `KEY=V`, or for a path of steps `KEY=[{from: M, value: V}]` (one
    /// value from the first projected month, so the months up to actuals_until keep the history's).
    static func setting(_ key: String, _ v: Double, path from: Month?) -> String {
        from.map { "\(key)=[{from: \($0), value: \(text(v))}]" } ?? "\(key)=\(text(v))"
    }

    /// A lever value as `--set` reads it: whole numbers without a decimal point.
    public static func text(_ v: Double) -> String {
        if v.rounded() == v, let i = Whole.int(v) { return String(i) }
        return "\(v)"
    }

    public static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
