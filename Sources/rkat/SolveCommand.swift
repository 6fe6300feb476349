import ArgumentParser
import Foundation
import PlanIO

/// `rkat solve`: what it takes to reach a target (docs/solve.md).
struct Solve: ParsableCommand, Speaking {
    static let configuration = CommandConfiguration(
        abstract: "The lever value at which a target is reached with a stated probability, each lever alone and the cheapest mix of priced levers, on the same draws and seed (docs/solve.md); --ajuan for every target of the table, written to solve.csv/json/md.")

    @Argument(help: "Scenario YAML file.") var scenario: String
    @Option(help: "The target: [REGION:]SEGMENT.METRIC[=VALUE|+G%] (without a value: the scenario's rule_growth targets). Repeatable.") var target: [String] = []
    @Option(help: "A --set key to search: KEY[=MIN..MAX] (shares 0..1 and intensity 1..3 by default). Repeatable: each lever alone, and the cheapest mix when the scenario's costs price them.") var lever: [String] = []
    @Option(help: "P(reach) to reach (default targets.confidence): 0.7 or 70%.") var probability: String?
    @Flag(help: "The ajuan table: every target of the scenario's table (projection and rule growths), with --lever or the levers its costs price; writes solve.csv, solve.json and solve.md.") var ajuan = false
    @Option(help: "Write solve.csv, solve.json and solve.md here (default with --ajuan: outputs/<scenario file stem>-solve/).") var out: String?
    @OptionGroup var set: OverrideOptions
    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var language: LanguageOption

    func run() throws {
        let lang = language.lang
        let targets = try target.map(SolveJob.parseTarget)
        let levers = try lever.map(SolveJob.parseLever)
        let p = try probability.map(SolveJob.parseProbability)
        let settings = simulation.settings(language: lang)
        let clock = ContinuousClock()
        let started = clock.now
        let result: SolveJob.Result
        var written: (dir: String, files: [String])?
        if ajuan || out != nil {
            let dir = out ?? SolveJob.defaultOutput(for: scenario)
            let r = try SolveJob.run(
                scenarioPath: scenario, overrides: set.overrides, targets: targets, levers: levers, probability: p, settings: settings, ajuan: ajuan,
                outputDirectory: dir, option: out == nil ? "output folder" : "--out")
            for n in r.notes { warn(Phrase(english: n), lang) }
            result = r.result
            written = (dir, r.files)
        } else {
            result = try SolveJob.solve(scenarioPath: scenario, overrides: set.overrides, targets: targets, levers: levers, probability: p, settings: settings)
        }
        let w = lang.words
        if ajuan {
            print(TextTable.render(SolveWriters.table(result, words: w), leftColumns: 3))
            print(w.t("✓: sudah tercapai tanpa tindakan; —: tidak tercapai di rentang pengungkitnya; ×: pengungkit tidak menggerakkan angka ini; rinciannya di solve.md",
                      "✓: reached with no action; —: not reached on the lever's range; ×: the lever does not move this figure; the details are in solve.md"))
        } else {
            print(SolveText.terminal(result, words: w), terminator: "")
        }
        let elapsed = SolveJob.seconds(clock.now - started)
        print(w.t(
            "\nSatu run skenario: \(ms(result.runSeconds)) ms; solve: \(result.runs) run (satu per nilai pengungkit, dipakai semua target), \(ms(elapsed)) ms",
            "\nOne run of the scenario: \(ms(result.runSeconds)) ms; solve: \(result.runs) runs (one per lever value, shared by the targets), \(ms(elapsed)) ms"))
        if let written { print("\(w.writtenTo) \(written.dir)/: \(written.files.joined(separator: ", "))") }
    }

    private func ms(_ s: Double) -> String { String(Whole.clamped(s * 1000, .toNearestOrAwayFromZero)) }
}
