import Foundation
import Testing

/// Runs the `rkat` binary built next to the test bundle, as a planner or a script would.
@Suite struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rkat")
    }

    static func rkat(_ args: [String], environment: [String: String] = [:], in cwd: URL? = nil) throws -> Run {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        if let cwd { p.currentDirectoryURL = cwd }
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    static func csv(_ text: String) throws -> String {
        let url = Scratch.url("rkat-cli", ".csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let misra = "x,y\n77.6,10.07\n114.9,14.73\n141.1,17.94\n190.8,23.93\n239.9,29.61\n289.0,35.18\n332.8,40.02\n378.4,44.82\n434.8,50.76\n477.3,55.05\n536.8,61.01\n593.1,66.4\n689.1,75.47\n760.0,81.78\n"

    @Test func binaryIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary.path), "\(Self.binary.path)")
    }

    @Test func fitJSONFollowsTheSchema() throws {
        let path = try Self.csv(Self.misra)
        let r = try Self.rkat(["fit", path, "--x", "x", "--y", "y", "--formula", "b1*(1-exp(-b2*x))", "--start", "b1=500,b2=1e-4", "--json"])
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        for key in ["model", "formula", "n", "dof", "converged", "iterations", "rss", "residual_sd", "aicc", "bic", "r2", "parameters", "warnings"] {
            #expect(json[key] != nil, "missing \(key)")
        }
        let params = try #require(json["parameters"] as? [[String: Any]])
        #expect(params.map { $0["name"] as? String } == ["b1", "b2"])
        for key in ["name", "estimate", "std_error", "ci_low", "ci_high"] { #expect(params[0][key] != nil) }
        #expect(abs((params[0]["estimate"] as! Double) / 238.94212918 - 1) < 1e-8)
        #expect(json["n"] as? Int == 14 && json["dof"] as? Int == 12)
    }

    @Test func regressJSONHasPolynomialNames() throws {
        let path = try Self.csv("x,y\n1,1.1\n2,3.9\n3,9.2\n4,15.8\n5,25.1\n6,36.2\n")
        let r = try Self.rkat(["regress", path, "--y", "y", "--x", "x", "--degree", "2", "--json"])
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let params = try #require(json["parameters"] as? [[String: Any]])
        #expect(params.map { $0["name"] as? String } == ["B0", "B1", "B2"])
        for key in ["r2", "adj_r2", "f"] { #expect(json[key] is Double, "\(key)") }
    }

    /// A growth curve through exactly as many points as it has parameters is fitted (docs: n = p gives
    /// no standard errors), the model's name in any case: three points on K = 1000, r = 1, t0 = 2019
    /// (1000/(1 + e^{−(t − 2019)}): 268.94, 500, 731.06).
    @Test func aCurveThroughAsManyPointsAsParametersIsFittedWhateverTheModelsCase() throws {
        let path = try Self.csv("date,active\n2018,268.94\n2019,500\n2020,731.06\n")
        for model in ["logistic", "Logistic", "LOGISTIC"] {
            let r = try Self.rkat(["fit", path, "--x", "date", "--y", "active", "--model", model])
            #expect(r.status == 0, "\(model): \(r.stderr)")
            #expect(r.stdout.contains("n = 3, dof = 0"), "\(r.stdout)")
        }
    }

    @Test func autoPrintsTheRankingAndExitsZero() throws {
        let exampleCSV = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("examples/national-active.csv").path
        let r = try Self.rkat(["fit", exampleCSV, "--x", "date", "--y", "active", "--model", "auto"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("Model choice by AICc"))
        #expect(r.stdout.contains("chosen"))
    }

    /// Bad input: exit 2, one line on stderr, nothing on stdout.
    @Test(arguments: [
        (["fit", "DATA", "--x", "x", "--y", "volume", "--model", "logistic"], "DATA:1:1: no column 'volume'"),
        (["fit", "DATA", "--x", "x", "--y", "y", "--formula", "b1*foo(x)", "--start", "b1=1"], "--formula:1:4: unknown function 'foo'"),
        (["fit", "DATA", "--x", "x", "--y", "y", "--formula", "b1*(1-exp(-b2*x))"], "needs start values"),
        (["fit", "DATA", "--x", "x", "--y", "y", "--formula", "b1*(1-exp(-b2*x))", "--start", "b1=500"], "'b2' in the formula is neither a parameter"),
        (["fit", "DATA", "--x", "x", "--y", "y", "--model", "logstic"], "unknown model 'logstic' (did you mean 'logistic'?)"),
        (["fit", "/nonexistent.csv", "--x", "x", "--y", "y", "--model", "auto"], "/nonexistent.csv: no such file"),
        (["fit", "DATA", "--x", "x", "--y", "y"], "give --model NAME|auto or --formula EXPR"),
        (["fit", "DATA", "--x", "x", "--y", "y", "--model", "auto", "--bogus"], "Unknown option '--bogus'"),
        (["regress", "DATA", "--y", "y", "--x", "x,z"], "no column 'z'"),
    ])
    func badInputExitsTwoWithOneLine(args: [String], expected: String) throws {
        let path = try Self.csv(Self.misra)
        let r = try Self.rkat(args.map { $0 == "DATA" ? path : $0 })
        #expect(r.status == 2, "\(args): \(r.stderr)")
        #expect(r.stdout.isEmpty)
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(r.stderr)")
        #expect(r.stderr.contains(expected.replacingOccurrences(of: "DATA", with: path)), "\(r.stderr)")
    }

    @Test func nonNumericCellPointsAtLineAndColumn() throws {
        let path = try Self.csv("x,y\n1,2\n2,abc\n3,4\n4,5\n")
        let r = try Self.rkat(["fit", path, "--x", "x", "--y", "y", "--model", "linear"])
        #expect(r.status == 2)
        #expect(r.stderr == "\(path):3:3: column 'y': 'abc' is not a number\n")
    }

    @Test func tooFewPointsIsBadInput() throws {
        let path = try Self.csv("x,y\n2016,1\n2017,2\n")
        let r = try Self.rkat(["fit", path, "--x", "x", "--y", "y", "--model", "gompertz"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("too few points for a gompertz curve"))
    }

    @Test func fitThatDoesNotConvergeExitsOne() throws {
        // Pure exponential growth: a free logistic ceiling runs away.
        var text = "t,y\n"
        for k in 0..<8 { text += "\(2015 + k),\(1000 * exp(0.3 * Double(k)))\n" }
        let r = try Self.rkat(["fit", try Self.csv(text), "--x", "t", "--y", "y", "--model", "logistic"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(r.stderr.contains("ceiling is not identified"))
    }
}

/// The command line as a planner types it (issue 14).
@Suite struct FitCommandLineHabitsTests {
    static let negative = "x,y\n1,-5\n2,-3\n3,-1\n4,2\n5,3\n6,5\n7,6\n"

    @Test func aFormulaMayStartWithAMinus() throws {
        let path = try CommandLineTests.csv(Self.negative)
        let r = try CommandLineTests.rkat(["fit", path, "--x", "x", "--y", "y", "--formula", "-a*x+b", "--start", "a=1,b=1"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("-a*x+b"))
    }

    @Test func autoSkipsModelsThatCannotTakeNegativeValues() throws {
        let path = try CommandLineTests.csv(Self.negative)
        let r = try CommandLineTests.rkat(["fit", path, "--x", "x", "--y", "y", "--model", "auto"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("failed: a logistic curve needs a non-negative series"))
        #expect(r.stdout.contains("Model: linear"))
    }
}
