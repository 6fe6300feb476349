import ArgumentParser
import Foundation
import PlanIO
import Planning

struct Track: ParsableCommand, Speaking {
    static let configuration = CommandConfiguration(
        abstract: "Realisation against the approved plan (targets.json) to the scenario's actuals_until, and the year-end prognosa (tracking.csv/json/md/xlsx, report.html).")

    @Argument(help: "Scenario YAML file; its actuals_until is the month tracked (a month of the plan year).") var scenario: String
    @Option(help: "The approved plan: targets.json as rkat run wrote it, or as edited.") var plan: String
    @Option(help: "Output directory (default outputs/<scenario file stem>-track-<YYYY-MM>/).") var out: String?
    @Option(help: "Realised months the recent run rate averages.") var window = 3
    @OptionGroup var set: OverrideOptions
    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var language: LanguageOption

    func run() throws {
        let lang = language.lang
        let outcome = try TrackJob.run(
            scenarioPath: scenario, planPath: plan, outputDirectory: out, overrides: set.overrides,
            settings: simulation.settings(language: lang), window: window)
        for w in outcome.warnings { warn(w, lang) }
        let t = lang.words.forTracking(outcome.rows)
        // Capaian to date beside the target and the realisation to the same month; the annual target
        // beside the prognosa and P(reach) it is measured against.
        var rows = [[
            t.region, t.segment, t.metricHeader, t.t("Target s.d.", "Target to date"), t.t("Realisasi s.d.", "Realised to date"),
            t.t("Capaian s.d.", "Achieved to date"), t.t("Target tahun", "Annual target"), t.t("Prognosa", "Prognosis"), t.pReach,
        ]]
        for r in outcome.rows {
            let toDate = r.realisedThrough.flatMap { m in r.months.first { $0.month == m } }
            rows.append([
                r.place, r.segment, t.metric(r.metric, r.unit), t.figure(toDate?.targetToDate, r.metric), t.figure(toDate?.realisedToDate, r.metric),
                t.percent(toDate?.capaianToDate), t.figure(r.annualTarget, r.metric), t.figure(r.prognosis, r.metric), t.percent(r.pReach),
            ])
        }
        print(t.t("Capaian s.d. \(t.monthYear(outcome.actualsUntil))", "Tracking to \(t.monthYear(outcome.actualsUntil))") + ":")
        print(Summary.table(rows, leftColumns: 3), terminator: "")
        print("\(t.writtenTo) \(outcome.outputDirectory)/: \(outcome.files.joined(separator: ", "))")
    }
}
