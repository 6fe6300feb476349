import ArgumentParser
import Foundation
import PlanIO
import Planning

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a scenario, its history and its calibration; errors as FILE:LINE:COL: message.")

    @Argument(help: "Scenario YAML file.") var scenario: String
    @Option(name: .customLong("set"), help: "Override a scenario key: --set levers.outreach.intensity=1.3") var overrides: [String] = []
    @Option(help: "Language of the summary: id (default) or en.") var lang: Language = .id

    func run() throws {
        let checked = try RunJob.check(scenarioPath: scenario, overrides: overrides)
        for w in checked.warnings { warn(w) }
        let s = checked.document.scenario
        let t = Labels(lang)
        print("\(t.valid): \(s.name) — \(s.regions.count) \(t.regions), \(s.segments.count) \(t.segments), \(s.actualsUntil.adding(months: 1))…\(s.horizon)")
        for c in checked.calibrations { print("  \(c.region) \(c.segment): \(c.method); \(t.lapse) \(c.lapseSource.isEmpty ? "—" : c.lapseSource)") }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Calibrate, project and write outputs/<scenario>/ (projection.csv, calibration.csv, run.json).")

    @Argument(help: "Scenario YAML file.") var scenario: String
    @Option(help: "Output directory (default outputs/<scenario file stem>/).") var out: String?
    @Option(name: .customLong("set"), help: "Override a scenario key: --set levers.outreach.intensity=1.3") var overrides: [String] = []
    @Option(help: "Language of the summary: id (default) or en.") var lang: Language = .id

    func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = try RunJob.run(scenarioPath: scenario, outputDirectory: out, overrides: overrides)
        for w in outcome.checked.warnings { warn(w) }
        print(Summary.text(outcome, labels: Labels(lang)), terminator: "")
        let elapsed = clock.now - started
        let t = Labels(lang)
        print("\(t.written) \(outcome.outputDirectory)/: \(outcome.files.joined(separator: ", ")) (\(elapsed.formatted(.units(allowed: [.milliseconds]))))")
    }
}

enum Language: String, ExpressibleByArgument, Sendable {
    case id, en
}

func warn(_ message: String) {
    FileHandle.standardError.write(Data(("warning: " + message + "\n").utf8))
}
