import ArgumentParser
import Fitting
import Foundation
import PlanIO
import Planning

/// `--set key=value`, repeatable: what-ifs without editing the scenario file.
struct OverrideOptions: ParsableArguments {
    @Option(name: .customLong("set"), help: "Override a scenario key: --set levers.outreach.intensity=1.3") var overrides: [String] = []
}

/// `--lang id|en`: the language of what planners read.
struct LanguageOption: ParsableArguments {
    @Option(help: "Language of what a planner reads: id (default) or en.") var lang: Language = .id
}

/// A command whose messages (errors and warnings included) follow `--lang`.
protocol Speaking {
    var language: LanguageOption { get }
}

/// Monte Carlo settings shared by `run` and `compare`.
struct SimulationOptions: ParsableArguments {
    @Option(help: "Monte Carlo draws (overrides uncertainty.draws; 0 = deterministic only).") var draws: Int?
    @Option(help: "Random seed (overrides uncertainty.seed).") var seed: UInt64?
    @Option(help: "Worker threads (results do not depend on it).") var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard threads >= 1 else { throw InputError(Phrase("--threads paling sedikit 1", "--threads must be at least 1")) }
    }

    func settings(progress: (@Sendable (Int, Int) -> Void)? = nil, language: Language = .id) -> RunJob.Settings {
        RunJob.Settings(draws: draws, seed: seed, threads: threads, progress: progress, indonesian: language == .id)
    }
}

struct Validate: ParsableCommand, Speaking {
    static let configuration = CommandConfiguration(
        abstract: "Check a scenario, its history and its calibration; errors as FILE:LINE:COL: message.")

    @Argument(help: "Scenario YAML file.") var scenario: String
    @OptionGroup var set: OverrideOptions
    @OptionGroup var language: LanguageOption

    func run() throws {
        let lang = language.lang
        let checked = try RunJob.validate(scenarioPath: scenario, overrides: set.overrides)
        for w in checked.warnings { warn(w, lang) }
        let s = checked.document.scenario
        let t = lang.words
        print("\(t.scenarioValid): \(s.name) — \(s.regions.count) \(t.regionsCount), \(s.segments.count) \(t.segmentsCount), \(s.actualsUntil.adding(months: 1))…\(s.horizon)")
        for c in checked.calibrations { print("  \(c.region) \(c.segment): \(t.calibration(c.method)); \(t.lapseRate) \(c.lapseSource.isEmpty ? "—" : t.calibration(c.lapseSource))") }
    }
}

struct Run: ParsableCommand, Speaking {
    static let configuration = CommandConfiguration(
        abstract: "Calibrate, project, simulate and write outputs/<scenario>/: projection, calibration, uncertainty and sweep csv, targets (csv, json, md, xlsx), report.html, run.json and the manifest (docs/outputs.md: what --out may replace).")

    @Argument(help: "Scenario YAML file.") var scenario: String
    @Option(help: "Output directory (default outputs/<scenario file stem>/).") var out: String?
    @OptionGroup var set: OverrideOptions
    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var language: LanguageOption

    func run() throws {
        let lang = language.lang
        let clock = ContinuousClock()
        let started = clock.now
        let bar = ProgressBar(label: lang.words.simulating)
        let outcome = try RunJob.run(
            scenarioPath: scenario, outputDirectory: out, overrides: set.overrides,
            settings: simulation.settings(progress: bar.update, language: lang))
        bar.finish()
        for w in outcome.checked.warnings { warn(w, lang) }
        print(Summary.text(outcome, words: lang.words), terminator: "")
        let elapsed = clock.now - started
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        print("\(lang.words.writtenTo) \(outcome.outputDirectory)/: \(outcome.files.joined(separator: ", ")) (\(lang.words.persons(ms)) ms)")
    }
}

enum Language: String, ExpressibleByArgument, Sendable {
    case id, en
}

/// One warning line on stderr, in the reader's language.
func warn(_ message: Phrase, _ lang: Language) {
    let line = lang.words.t("peringatan: ", "warning: ") + message.text(indonesian: lang == .id)
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

struct Compare: ParsableCommand, Speaking {
    static let configuration = CommandConfiguration(
        abstract: "Run scenarios and show their plan-year figures side by side (writes compare.csv).")

    @Argument(help: "Two or more scenario YAML files; the first is the baseline.") var scenarios: [String]
    @Option(help: "Output directory for compare.csv and report.html (default outputs/compare/).") var out: String?
    @OptionGroup var simulation: SimulationOptions
    @OptionGroup var language: LanguageOption

    func run() throws {
        let lang = language.lang
        guard scenarios.count >= 2 else { throw InputError("compare needs at least two scenarios") }
        let dir = out ?? "outputs/compare"
        let option = out == nil ? "output folder" : "--out"
        try RunJob.checkComparisonOutput(dir, option: option, scenarioPaths: scenarios)
        var runs: [(name: String, figures: [PlanYearFigure])] = []
        var levels: [Double] = [0.1, 0.5, 0.9]
        var inputs: [String] = []
        for path in scenarios {
            let r = try RunJob.planYearFigures(scenarioPath: path, settings: simulation.settings())
            runs.append((URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent, r.figures))
            inputs += r.inputs
            if path == scenarios[0] { levels = r.levels }
        }
        let notes = try RunJob.writeComparison(runs, levels: levels, to: dir, option: option, inputs: inputs, indonesian: lang == .id)
        for n in notes { warn(Phrase(english: n), lang) }
        print(Summary.comparison(runs, words: lang.words), terminator: "")
        print("\(lang.words.writtenTo) \(dir)/: compare.csv, report.html, rkat-manifest.json")
    }
}
