import ArgumentParser
import Foundation
import PlanIO

/// `rkat explain OLD NEW`: why the targets moved between two plan versions (docs/explain.md).
struct Explain: ParsableCommand, Speaking {
    static let configuration = CommandConfiguration(
        abstract: "Why each target moved from OLD to NEW: the change split over groups of differences (new months, revised history, calibration, each lever, assumptions, potential, target rules) by Shapley values on common random numbers; explain.csv/json/md.")

    @Argument(help: "The older plan version: a scenario YAML file, or a targets.json rkat wrote (while its files are unchanged).") var old: String
    @Argument(help: "The newer plan version, the same way.") var new: String
    @Option(help: "Output directory (default outputs/<NEW file stem>-explain/).") var out: String?
    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var language: LanguageOption

    func run() throws {
        let lang = language.lang
        let dir = out ?? ExplainJob.defaultOutput(new: new)
        let r = try ExplainJob.run(old: old, new: new, settings: simulation.settings(language: lang), outputDirectory: dir, option: out == nil ? "output folder" : "--out")
        for n in r.notes { warn(Phrase(english: n), lang) }
        let w = lang.words
        print(ExplainWriters.terminal(r.result, words: w), terminator: "")
        print(w.t("\n\(r.result.runs) run, \(Whole.clamped(r.result.seconds * 1000)) ms", "\n\(r.result.runs) runs, \(Whole.clamped(r.result.seconds * 1000)) ms"))
        print("\(w.writtenTo) \(dir)/: \(r.files.joined(separator: ", "))")
    }
}
