import ArgumentParser
import Foundation
import PlanIO
import Planning

struct BacktestCommand: ParsableCommand, Speaking {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Rolling-origin backtest on the scenario's own history: at each origin exactly `run --set actuals_until=<origin>`, later actuals scored against rkat and two naive rules (backtest.csv, skill.csv, report.html; docs/backtest.md).")

    @Argument(help: "Scenario YAML file.") var scenario: String
    @Option(help: "The last N stock dates that leave a later actual within the horizon (default: every such date).") var origins: Int?
    @Option(help: "Months after an origin whose actuals are scored.") var horizon = 12
    @Option(help: "Later figures (history format) scored too, e.g. a year that came after the history.") var actuals: String?
    @Option(help: "Output directory (default outputs/<scenario file stem>-backtest/).") var out: String?
    @OptionGroup var set: OverrideOptions
    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var language: LanguageOption

    func run() throws {
        let lang = language.lang
        let outcome = try BacktestJob.run(
            scenarioPath: scenario, outputDirectory: out, overrides: set.overrides, settings: simulation.settings(language: lang),
            origins: origins, horizon: horizon, actualsPath: actuals)
        for w in outcome.warnings { warn(w, lang) }
        let t = lang.words
        print(t.backtestCounts(origins: outcome.summary.origins, actuals: outcome.summary.actuals) + ": "
            + BacktestJob.headline(outcome.summary, levels: outcome.levels, words: t))
        if let verdict = BacktestJob.verdict(outcome.summary, skills: outcome.skills, levels: outcome.levels, words: t) { print(verdict) }
        print("\(t.writtenTo) \(outcome.outputDirectory)/: \(outcome.files.joined(separator: ", "))")
    }
}
