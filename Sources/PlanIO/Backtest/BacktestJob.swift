import Foundation
import Planning

/// `rkat backtest SCENARIO`: rolling origin on the scenario's own history (docs/backtest.md). At each
/// origin o the forecast is exactly `rkat run --set actuals_until=o` (the same check, the same
/// simulation, the same seed and draws); the later actuals within the horizon (history rows after o and
/// the --actuals file) are scored for rkat and for the two naive rules.
public enum BacktestJob {
    /// One origin's forecast, as `run --set actuals_until=o` computes it.
    public struct OriginRun: Sendable {
        public var origin: Month
        public var projection: Projection
        public var monteCarlo: MonteCarlo.Result?
    }

    public struct Outcome: Sendable {
        public var scenario: Scenario
        public var runs: [OriginRun]
        public var rows: [Backtest.Row]
        public var skills: [Backtest.Skill]
        public var summary: Backtest.Summary
        public var levels: [Double]
        public var warnings: [Phrase]
        public var outputDirectory: String
        public var files: [String]
    }

    /// The default output folder: outputs/<scenario stem>-backtest/.
    static func defaultOutput(for scenarioPath: String) -> String {
        RunJob.defaultOutput(for: scenarioPath) + "-backtest"
    }

    /// The backtest itself, nothing written (the job and `bench backtest`'s callers share it).
    public static func compute(
        scenarioPath: String, overrides: [String] = [], settings: RunJob.Settings = RunJob.Settings(), origins count: Int? = nil,
        horizon: Int = 12, actualsPath: String? = nil, checked: RunJob.Checked? = nil
    ) throws(InputError) -> (checked: RunJob.Checked, later: History?, runs: [OriginRun], rows: [Backtest.Row], warnings: [Phrase]) {
        guard count.map({ $0 >= 1 }) ?? true else { throw InputError(Phrase("--origins paling sedikit 1 (tertulis \(count!))", "--origins must be at least 1 (got \(count!))")) }
        guard horizon >= 1 else { throw InputError(Phrase("--horizon paling sedikit 1 bulan (tertulis \(horizon))", "--horizon must be at least 1 month (got \(horizon))")) }
        var base: RunJob.Checked
        if let checked { base = checked } else { base = try RunJob.check(scenarioPath: scenarioPath, overrides: overrides, threads: settings.threads) }
        try RunJob.apply(settings, to: &base)
        let scenario = base.document.scenario
        var warnings = base.warnings
        var later: History? = nil
        if let actualsPath {
            let declared = DeclaredNames(regions: scenario.regions.flatMap { [$0.name] + $0.branches.map(\.name) }, segments: scenario.segments.map(\.name), companies: Set(scenario.segments.filter { !$0.countsPersons }.map(\.name)))
            let report = try HistoryReader.read(path: actualsPath, declared: declared)
            warnings += report.warnings.map { $0.prefixed("--actuals: ") }
            later = report.history
        }
        let history = base.history.history
        // Every stock date that leaves an actual to score, unless --origins says how many (the latest).
        let origins = Backtest.origins(scenario, history: history, later: later, count: count ?? Int.max, horizon: horizon)
        guard !origins.isEmpty else { throw tooShort(scenario, history: history, horizon: horizon, file: scenarioPath) }
        let levels = scenario.uncertainty.quantiles
        var runs: [OriginRun] = []
        var rows: [Backtest.Row] = []
        var failures: [InputError] = [], skipped: [Month] = []
        let leftOut = Backtest.datedLevers(scenario.levers).leftOut
        if !leftOut.isEmpty {
            let names = leftOut.map { "levers.\($0)" }.joined(separator: ", ")
            warnings.append(Phrase { l in
                l.t("pengungkit tanpa tanggal (\(names)) adalah rencana tahun ini: tidak dipakai di jendela masa lalu; pengungkit bertanggal berlaku sejak tanggalnya",
                    "levers without a date (\(names)) are the plan year's: left out of the past windows; dated levers act from their dates")
            })
        }
        if let first = scenario.interventions.first, origins.contains(where: { $0 < scenario.interventions.last!.to }) {
            warnings.append(Phrase { l in
                l.t("gangguan (interventions) berlaku di titik awal yang sudah melihatnya: tidak dipakai di titik awal sebelum \(first.from), dan dipotong sampai titik awal yang jatuh di dalamnya",
                    "interventions apply at the origins that had seen them: left out before \(first.from), and cut at an origin that falls inside one")
            })
        }
        for o in origins {
            // Exactly `rkat run --set actuals_until=o` with the same --draws/--seed, and the interventions
            // an origin had seen (a window must end by actuals_until: those after it are left out, one
            // still open at it cut there).
            let checked: RunJob.Checked
            do {
                var c = try RunJob.check(
                    scenarioPath: scenarioPath, overrides: overrides + ["actuals_until=\(o)"] + Self.interventionsSeen(by: o, scenario.interventions),
                    threads: settings.threads)
                try RunJob.apply(settings, to: &c)
                c.document.scenario.levers = Backtest.datedLevers(c.document.scenario.levers).kept
                checked = c
            } catch {
                failures.append(error)
                skipped.append(o)
                continue
            }
            let s = checked.document.scenario
            let (projection, mc) = try RunJob.simulate(s, checked.calibrations, settings: settings, file: scenarioPath, segmentLocations: checked.document.segmentLocations)
            runs.append(OriginRun(origin: o, projection: projection, monteCarlo: mc))
            rows += Backtest.score(origin: o, scenario: s, known: history, later: later, projection: projection, monteCarlo: mc, horizon: horizon, levels: levels)
        }
        for (o, e) in zip(skipped, failures) {
            warnings.append(Phrase { l in
                l.t("titik awal \(o): ", "origin \(o): ") + e.line(indonesian: l.indonesian)
                    + l.t(" (titik awal dilewati: kalibrasinya gagal, seperti `run --set actuals_until`)", " (origin skipped: its calibration fails, as `run --set actuals_until` would)")
            })
        }
        guard !runs.isEmpty else {
            let reasons = Phrase { l in zip(skipped, failures).map { "\(l.t("titik awal", "origin")) \($0): \($1.line(indonesian: l.indonesian))" }.joined(separator: "; ") }
            throw InputError(
                tooShort(scenario, history: history, horizon: horizon, file: scenarioPath).phrase
                    + Phrase { l in l.t("; tidak ada titik awal yang dapat dikalibrasi (", "; no origin could be calibrated (") } + reasons + Phrase(english: ")"),
                file: scenarioPath)
        }
        if scenario.uncertainty.draws == 0 {
            warnings.append(Phrase { l in
                l.t("draws 0: prakiraan rkat tanpa pita, jadi hanya galat titik yang dinilai (atur --draws)",
                    "draws is 0: rkat's forecasts have no bands, so only point errors are scored (set --draws)")
            })
        }
        return (base, later, runs, rows, warnings)
    }

    /// The `--set interventions=…` of an origin: the scenario's windows that began by `origin`, each
    /// ending at the origin at the latest; none when the scenario names none (its own list stands).
    static func interventionsSeen(by origin: Month, _ interventions: [Intervention]) -> [String] {
        guard !interventions.isEmpty else { return [] }
        let items = interventions.filter { $0.from <= origin }.map { w in
            // The label as a double-quoted YAML scalar (JSON's escaping is YAML's).
            let label = (try? JSONEncoder().encode(w.label)).flatMap { String(data: $0, encoding: .utf8) } ?? "\"\""
            return "{from: \(w.from), to: \(min(w.to, origin)), label: \(label)\(w.lasting ? ", lasting: true" : "")}"
        }
        return ["interventions=[\(items.joined(separator: ", "))]"]
    }

    /// A history too short to backtest (exit 2), saying how many stock figures a backtest needs.
    static func tooShort(_ s: Scenario, history: History, horizon: Int, file: String) -> InputError {
        let counts = Backtest.stockCells(s).map { (name: "\($0.region) \($0.segment)", n: history.series(region: $0.region, segment: $0.segment, metric: .active).count) }
        let fewest = counts.min { $0.n < $1.n }.map { "; \($0.name) has \($0.n)" } ?? ""
        return InputError(
            "the history is too short to backtest: every origin needs each segment calibrated from its figures up to the origin (a growth curve needs 3 stock figures, a flow calibration acquisitions) and at least one later actual within --horizon \(horizon) months, so a backtest needs 4 stock (active) figures per segment\(fewest)",
            file: file)
    }

    public static func run(
        scenarioPath: String, outputDirectory: String? = nil, overrides: [String] = [], settings: RunJob.Settings = RunJob.Settings(),
        origins: Int? = nil, horizon: Int = 12, actualsPath: String? = nil, now: Date = RunJob.runTime()
    ) throws -> Outcome {
        // Refuse an output folder rkat may not replace before any work is done.
        let first = try RunJob.check(scenarioPath: scenarioPath, overrides: overrides, threads: settings.threads)
        let dir = outputDirectory ?? defaultOutput(for: scenarioPath)
        var out = try OutputDirectory(path: dir, option: outputDirectory == nil ? "output folder" : "--out", protecting: RunJob.inputFiles(first) + (actualsPath.map { [$0] } ?? []))
        _ = try out.check()
        let r = try compute(scenarioPath: scenarioPath, overrides: overrides, settings: settings, origins: origins, horizon: horizon, actualsPath: actualsPath, checked: first)
        let scenario = r.checked.document.scenario
        let levels = scenario.uncertainty.quantiles
        let skills = Backtest.skills(r.rows)
        let summary = Backtest.summary(r.rows)
        let words = Words(indonesian: settings.indonesian)
        out.add("backtest.csv", BacktestWriters.csv(r.rows, levels: levels))
        out.add("skill.csv", BacktestWriters.skillCSV(skills))
        // `model: auto` segments (and those with selection: backtest): every candidate model scored on
        // the history's own origins, beside the model the calibration used (selection's own scores
        // where it ranked them, not computed again).
        let candidates = r.checked.document.scenario.segments.filter { !$0.flowOnly && ($0.model == .auto || $0.selection == .backtest) }.map { seg in
            (segment: seg.name, used: r.checked.calibrations.first { $0.segment == seg.name }?.modelName ?? "",
             scores: r.checked.modelScores[seg.name]
                ?? Backtest.scoreCandidates(scenario, history: r.checked.history.history, segment: seg.name, threads: settings.threads))
        }
        if !candidates.isEmpty { out.add("models.csv", BacktestWriters.modelsCSV(candidates)) }
        out.add("report.html", BacktestWriters.report(
            scenario: scenario, history: r.checked.history.history, later: r.later, runs: r.runs, rows: r.rows, skills: skills, summary: summary,
            horizon: horizon, runDate: now, words: words))
        let notes = try out.commit()
        return Outcome(
            scenario: scenario, runs: r.runs, rows: r.rows, skills: skills, summary: summary, levels: levels, warnings: r.warnings + notes.map(Phrase.init(english:)),
            outputDirectory: dir, files: out.names)
    }
}

extension BacktestJob {
    /// The terminal's and the report's one line (docs/backtest.md).
    public static func headline(_ s: Backtest.Summary, levels: [Double], words: Words) -> String {
        BacktestWriters.headline(s, levels: levels, words: words)
    }

    /// The one-sentence verdict (docs/backtest.md): did the bands hold near their level, and did rkat
    /// beat last year's growth; nil without bands.
    public static func verdict(_ s: Backtest.Summary, skills: [Backtest.Skill], levels: [Double], words: Words) -> String? {
        BacktestWriters.verdict(s, skills: skills, levels: levels, words: words)
    }
}
