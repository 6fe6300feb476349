import ArgumentParser
import Foundation
import PlanIO

/// `rkat solve`: what it takes to reach a target (docs/solve.md).
struct Solve: ParsableCommand, Speaking {
    static let configuration = CommandConfiguration(
        abstract: "The lever value at which a target is reached with a stated probability: each lever alone, on the same draws and seed (docs/solve.md).")

    @Argument(help: "Scenario YAML file.") var scenario: String
    @Option(help: "The target: [REGION:]SEGMENT.METRIC[=VALUE|+G%] (without a value: the scenario's rule_growth targets). Repeatable.") var target: [String] = []
    @Option(help: "A --set key to search: KEY[=MIN..MAX] (shares 0..1 and intensity 1..3 by default). Repeatable: each lever alone.") var lever: [String] = []
    @Option(help: "P(reach) to reach (default targets.confidence): 0.7 or 70%.") var probability: String?
    @OptionGroup var set: OverrideOptions
    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var language: LanguageOption

    func run() throws {
        let lang = language.lang
        let targets = try target.map(SolveJob.parseTarget)
        let levers = try lever.map(SolveJob.parseLever)
        let p = try probability.map(SolveJob.parseProbability)
        let result = try SolveJob.solve(
            scenarioPath: scenario, overrides: set.overrides, targets: targets, levers: levers, probability: p,
            settings: simulation.settings(language: lang))
        print(SolveText.terminal(result, words: lang.words), terminator: "")
        let total = result.answers.reduce(0) { $0 + $1.seconds } + result.mixes.reduce(0) { $0 + $1.seconds } + result.runSeconds
        print(lang.words.t(
            "\nSatu run skenario: \(ms(result.runSeconds)) ms; solve: \(result.runs) run (satu run per nilai pengungkit, dipakai semua target), \(ms(total)) ms",
            "\nOne run of the scenario: \(ms(result.runSeconds)) ms; solve: \(result.runs) runs (one per lever value, shared by the targets), \(ms(total)) ms"))
    }

    private func ms(_ s: Double) -> String { String(Whole.clamped(s * 1000, .toNearestOrAwayFromZero)) }
}
