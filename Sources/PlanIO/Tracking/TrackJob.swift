import Fitting
import Foundation
import Planning

/// `rkat track SCENARIO --plan PLAN.json`: the realisation of the plan year to `actuals_until` against
/// the approved plan, and the year-end prognosa, which is exactly `rkat run` at that `actuals_until`
/// (the same check, simulation and plan-year view; docs/tracking.md).
public enum TrackJob {
    public struct Outcome: Sendable {
        public var rows: [Tracking.Row]
        public var actualsUntil: Month
        public var warnings: [Phrase]
        public var outputDirectory: String
        public var files: [String]
    }

    /// The default output folder: outputs/<scenario stem>-track-<YYYY-MM>/ (never the plan's folder).
    static func defaultOutput(for scenarioPath: String, actualsUntil: Month) -> String {
        RunJob.defaultOutput(for: scenarioPath) + "-track-\(actualsUntil)"
    }

    public static func run(
        scenarioPath: String, planPath: String, outputDirectory: String? = nil, overrides: [String] = [],
        settings: RunJob.Settings = RunJob.Settings(), window: Int = 3, now: Date = RunJob.runTime()
    ) throws -> Outcome {
        guard window >= 1 else { throw InputError(Phrase("--window paling sedikit 1 (tertulis \(window))", "--window must be at least 1 (got \(window))")) }
        var checked = try RunJob.check(scenarioPath: scenarioPath, overrides: overrides, threads: settings.threads)
        var plan = try PlanReader.read(path: planPath)
        // A national plan holds every Kanwil's targets: a Kanwil's file tracks its own.
        if plan.national { plan = plan.keeping(regions: Set(checked.document.scenario.regions.map(\.name))) }
        let m = checked.document.scenario.actualsUntil
        guard m.year == plan.year else {
            throw InputError(
                Phrase(
                    "actuals_until \(m) bukan bulan tahun rencana \(plan.year): track mengukur tahun rencana yang sedang berjalan (atur actuals_until ke bulan realisasi terakhirnya)",
                    "actuals_until \(m) is not a month of the plan year \(plan.year): track measures a plan year under way (set actuals_until to its last realised month)"),
                file: scenarioPath)
        }
        let dir = outputDirectory ?? defaultOutput(for: scenarioPath, actualsUntil: m)
        var out = try OutputDirectory(path: dir, option: outputDirectory == nil ? "output folder" : "--out", protecting: RunJob.inputFiles(checked) + [planPath])
        _ = try out.check()
        try RunJob.apply(settings, to: &checked)
        let scenario = checked.document.scenario
        let (projection, mc) = try RunJob.simulate(scenario, checked.calibrations, settings: settings, file: scenarioPath, segmentLocations: checked.document.segmentLocations)
        let branches = BranchOutlook.run(scenario, history: checked.history.history, threads: settings.threads)
        let view = PlanYearView.build(scenario, history: checked.history.history, projection: projection, monteCarlo: mc, outlooks: branches.outlooks)
        try PlanReader.checkMatches(plan, view: view, file: planPath)
        let rows = Tracking.table(
            plan: plan, scenario: scenario, history: checked.history.history, view: view, monteCarlo: mc, window: window, outlooks: branches.outlooks)
        let words = Words(indonesian: settings.indonesian).forTracking(rows)
        out.add("tracking.csv", TrackingWriters.csv(rows, levels: view.levels, year: plan.year))
        let source = TrackingWriters.PlanSource(file: planPath, plan: plan)
        out.add("tracking.json", TrackingWriters.json(rows, levels: view.levels, year: plan.year, actualsUntil: m, draws: mc?.options.draws ?? 0, plan: source))
        out.add("tracking.md", TrackingWriters.markdown(rows, year: plan.year, actualsUntil: m, levels: view.levels, words: words, plan: source))
        out.add("tracking.xlsx", data: try TrackingWriters.workbook(rows, year: plan.year, actualsUntil: m, levels: view.levels, scenario: scenario.name, words: words, plan: source, scratch: try out.scratchFolder()))
        out.add("report.html", TrackingWriters.report(rows, scenario: scenario, projection: projection, monteCarlo: mc, actualsUntil: m, runDate: now, words: words))
        let notes = try out.commit()
        return Outcome(rows: rows, actualsUntil: m, warnings: checked.warnings + projection.warnings + plan.unreadProposals.map(TrackingWriters.PlanSource.unread) + notes.map(Phrase.init(english:)), outputDirectory: dir, files: out.names)
    }
}
