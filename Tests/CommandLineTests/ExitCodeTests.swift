import Foundation
import Testing

/// Exit codes (README): 0 ok, 1 a runtime failure, 2 bad input; one line on stderr.
@Suite struct ExitCodeTests {
    static func errorLines(_ r: CommandLineTests.Run) -> [Substring] {
        r.stderr.split(separator: "\n").filter { !$0.hasPrefix("warning:") && !$0.hasPrefix("peringatan:") }
    }

    /// `--threads` must be at least 1 (one worker computes everything; 0 would compute nothing):
    /// 0 is bad input, exit 2, one line naming the option; 1 runs.
    @Test func zeroThreadsIsBadInputOneRuns() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let zero = try CommandLineTests.rkat(["run", RunCommandTests.scenario("jatim-2017"), "--threads", "0", "--draws", "20", "--out", out.path, "--lang", "en"])
        #expect(zero.status == 2 && Self.errorLines(zero).count == 1 && zero.stderr.contains("--threads must be at least 1"), "\(zero.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let one = try CommandLineTests.rkat(["run", RunCommandTests.scenario("jatim-2017"), "--threads", "1", "--draws", "20", "--out", out.path, "--lang", "en"])
        #expect(one.status == 0, "\(one.stderr)")
    }

    /// `rkat serve`'s defaults as docs/serve.md states them: port 8080 on the loopback address.
    @Test func serveDefaultsToTheLoopbackOn8080() throws {
        let r = try CommandLineTests.rkat(["serve", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("(default: 8080)") && r.stdout.contains("(default: 127.0.0.1)"), "\(r.stdout)")
    }

    /// Outputs that cannot be written (here a folder in /proc, where nobody may create files, even
    /// root) are a runtime failure, exit 1, not bad input.
    @Test func anOutputFolderThatCannotBeWrittenIsExitOne() throws {
        let r = try CommandLineTests.rkat(["run", RunCommandTests.scenario("sumbagut-2018"), "--draws", "0", "--out", "/proc/rkat-cannot-write-here"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(Self.errorLines(r).count == 1 && r.stderr.contains("cannot create"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/proc/rkat-cannot-write-here"))
    }

    /// `--draws -1` is bad input in `compare` as in `run` (it used to be clamped to 0 there).
    @Test(arguments: [["run", "sumbagut-2018"], ["compare", "sumbagut-2018", "sumbagut-2018-aggressive"]])
    func negativeDrawsAreBadInputEverywhere(_ command: [String]) throws {
        let out = RunCommandTests.temp().appendingPathComponent("o").path
        let r = try CommandLineTests.rkat([command[0]] + command.dropFirst().map(RunCommandTests.scenario) + ["--draws=-1", "--out", out])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(Self.errorLines(r).count == 1 && r.stderr.contains("--draws paling sedikit 0 (tertulis -1)"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// Data the fitter itself refuses (FitError.invalidInput) is bad input, exit 2, like a bad cell: a
    /// logistic curve of a series with a negative value; a regression without intercept whose only
    /// column is zero (nothing identified). A fit that runs and fails is exit 1 (fitThatDoesNotConvergeExitsOne).
    @Test func dataTheFitterRefusesIsExitTwo() throws {
        let negative = try CommandLineTests.csv("t,y\n2015,5\n2016,-1\n2017,8\n2018,9\n2019,10\n")
        let r = try CommandLineTests.rkat(["fit", negative, "--x", "t", "--y", "y", "--model", "logistic"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(Self.errorLines(r).count == 1 && r.stderr.contains("a logistic curve needs a non-negative series"), "\(r.stderr)")
        let zero = try CommandLineTests.csv("x,y\n0,1\n0,2\n0,3\n")
        let z = try CommandLineTests.rkat(["regress", zero, "--y", "y", "--x", "x", "--no-intercept"])
        #expect(z.status == 2, "\(z.stderr)")
        #expect(Self.errorLines(z).count == 1 && z.stderr.contains("no predictor is identified by the data"), "\(z.stderr)")
    }

    /// A comparison needs a second scenario: one alone is bad input, one line, nothing written.
    @Test func compareWithOneScenarioIsExitTwo() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o").path
        let r = try CommandLineTests.rkat(["compare", RunCommandTests.scenario("sumbagut-2018"), "--draws", "0", "--out", out, "--lang", "en"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(Self.errorLines(r).count == 1 && r.stderr.contains("compare needs at least two scenarios"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    /// run.json says which cells' parameters could not be drawn (none for the example).
    @Test func runJSONSaysWhoseParametersWereNotDrawn() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        #expect(try CommandLineTests.rkat(["run", RunCommandTests.scenario("sumbagut-2025"), "--draws", "50", "--out", out.path]).status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as? [String: Any])
        #expect((json["parameters_not_drawn"] as? [String]) == [])
        #expect(json["rejected_parameter_draws"] as? Int != nil)
    }
}
