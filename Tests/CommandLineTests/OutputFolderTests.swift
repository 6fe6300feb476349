import Foundation
import Testing

@testable import PlanIO

#if canImport(Glibc)
    import Glibc
#endif

/// `--out` never destroys what rkat did not write, and a kill at any instant leaves the old or the
/// new complete output (docs/outputs.md).
@Suite struct OutputFolderTests {
    static let epoch = ["SOURCE_DATE_EPOCH": "1790000000"]

    /// A scratch working directory with copies of the examples, as a planner's project folder.
    static func project() throws -> URL {
        let dir = RunCommandTests.temp()
        for sub in ["scenarios", "data"] {
            try FileManager.default.copyItem(at: RunCommandTests.root.appendingPathComponent(sub), to: dir.appendingPathComponent(sub))
        }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("mine"), withIntermediateDirectories: true)
        try "kept by the planner\n".write(to: dir.appendingPathComponent("mine/notes.txt"), atomically: false, encoding: .utf8)
        try "a planner's file\n".write(to: dir.appendingPathComponent("afile.txt"), atomically: false, encoding: .utf8)
        return dir
    }

    /// In English: these tests are about what --out may replace, their oracle the English reasons
    /// (LanguageScanTests checks the Indonesian ones).
    static func rkat(_ args: [String], in cwd: URL, environment: [String: String] = epoch) throws -> CommandLineTests.Run {
        let speaks = ["run", "validate", "compare", "track", "backtest"].contains(args.first ?? "")
        return try CommandLineTests.rkat(args + (speaks ? ["--lang", "en"] : []), environment: environment, in: cwd)
    }

    /// Every path under `dir` (symbolic links not followed) with its type and contents.
    static func snapshot(_ dir: URL) -> [String: String] {
        var result: [String: String] = [:]
        let fm = FileManager.default
        guard let walker = fm.enumerator(atPath: dir.path) else { return result }
        while let rel = walker.nextObject() as? String {
            let path = dir.appendingPathComponent(rel).path
            let type = (try? fm.attributesOfItem(atPath: path)[.type] as? FileAttributeType) ?? .typeUnknown
            if type == .typeRegular {
                result[rel] = "file " + SHA256.hex([UInt8](fm.contents(atPath: path) ?? Data()))
            } else {
                result[rel] = "\(type.rawValue)"
            }
        }
        return result
    }

    /// The files of a complete output folder (every file its manifest lists, unchanged, and nothing
    /// else), or nil.
    static func completeOutput(_ dir: URL) -> [String: Data]? {
        let fm = FileManager.default
        guard let entries = try? fm.contentsOfDirectory(atPath: dir.path),
            let data = fm.contents(atPath: dir.appendingPathComponent(OutputManifest.fileName).path),
            let manifest = OutputManifest(parsing: data),
            Set(entries) == Set(manifest.files.map(\.name) + [OutputManifest.fileName])
        else { return nil }
        var files: [String: Data] = [:]
        for f in manifest.files {
            guard let contents = fm.contents(atPath: dir.appendingPathComponent(f.name).path),
                contents.count == f.bytes, SHA256.hex([UInt8](contents)) == f.sha256
            else { return nil }
            files[f.name] = contents
        }
        return files
    }

    /// Hidden entries of `dir` other than the previous generations (`.NAME.rkat-previous`) that rkat
    /// keeps on purpose: staging or aside folders left behind.
    static func hiddenLeftovers(_ dir: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") && !$0.hasSuffix(".rkat-previous") }
    }

    // MARK: - What --out refuses

    @Test(arguments: [
        ("afile.txt", "is a file"), ("mine", "holds 'notes.txt', which rkat did not write"), ("scenarios", "holds"),
        ("data", "holds"), (".", "'.' names a folder rkat did not make"), ("..", "'..' names a folder rkat did not make"),
        ("", "an empty path"), ("scenarios/sumbagut-2018.yaml", "is a file"), ("data/sumbagut-2018-history.csv", "is a file"),
        ("link", "is a symbolic link"), ("fifo", "is a FIFO"), ("/dev/null", "is a device"), ("outputs/x/..", "'..' names"),
        ("edited", "holds 'targets.md', changed since rkat wrote it"), ("extra", "holds 'targets-edited.xlsx', which rkat did not write"),
        ("nested", "holds 'sub', which rkat did not write"),
    ])
    func refusedWithOneLineAndNothingChanged(out: String, reason: String) throws {
        let dir = try Self.project()
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link").path, withDestinationPath: "mine")
        #expect(mkfifo(dir.appendingPathComponent("fifo").path, 0o644) == 0)
        let scenario = "scenarios/sumbagut-2018.yaml"
        for folder in ["edited", "extra", "nested"] {
            #expect(try Self.rkat(["run", scenario, "--draws", "0", "--out", folder], in: dir).status == 0)
        }
        try "edited by hand\n".write(to: dir.appendingPathComponent("edited/targets.md"), atomically: false, encoding: .utf8)
        try FileManager.default.copyItem(at: dir.appendingPathComponent("extra/targets.xlsx"), to: dir.appendingPathComponent("extra/targets-edited.xlsx"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("nested/sub"), withIntermediateDirectories: false)
        let before = Self.snapshot(dir)
        let devNull = Self.snapshot(URL(fileURLWithPath: "/dev"))["null"]
        let r = try Self.rkat(["run", scenario, "--draws", "0", "--out", out], in: dir)
        #expect(r.status == 2, "\(out): \(r.stderr)")
        let errors = r.stderr.split(separator: "\n").filter { !$0.hasPrefix("warning:") && !$0.hasPrefix("peringatan:") }
        #expect(errors.count == 1 && errors[0].contains("--out") && errors[0].contains(reason), "\(out): \(r.stderr)")
        #expect(Self.snapshot(dir) == before, "\(out)")
        #expect(Self.snapshot(URL(fileURLWithPath: "/dev"))["null"] == devNull)
        #expect(r.stdout.isEmpty)
    }

    @Test func compareRefusesAForeignFolderBeforeRunningAndWritesItsManifest() throws {
        let dir = try Self.project()
        let before = Self.snapshot(dir)
        let args = ["compare", "scenarios/sumbagut-2018.yaml", "scenarios/sumbagut-2018-aggressive.yaml", "--draws", "0"]
        let r = try Self.rkat(args + ["--out", "mine"], in: dir)
        #expect(r.status == 2 && r.stderr.contains("--out mine: holds 'notes.txt'"), "\(r.stderr)")
        #expect(Self.snapshot(dir) == before)
        #expect(try Self.rkat(args + ["--out", "cmp"], in: dir).status == 0)
        #expect(Set(Self.completeOutput(dir.appendingPathComponent("cmp"))?.keys.map { $0 } ?? []) == ["compare.csv", "report.html"])
        #expect(try Self.rkat(args + ["--out", "cmp"], in: dir).status == 0)
    }

    // MARK: - What --out may replace

    @Test func anEmptyFolderIsFilledAndOwnOutputReplacedEvenWithAFileDeleted() throws {
        let dir = try Self.project()
        let scenario = "scenarios/sumbagut-2018.yaml"
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("empty"), withIntermediateDirectories: false)
        #expect(try Self.rkat(["run", scenario, "--draws", "0", "--out", "empty"], in: dir).status == 0)
        let first = try #require(Self.completeOutput(dir.appendingPathComponent("empty")))
        #expect(first["targets.csv"] != nil && first["uncertainty.csv"] == nil)
        // A rerun into its own untouched folder replaces it whole (stale files go).
        #expect(try Self.rkat(["run", scenario, "--draws", "30", "--out", "empty"], in: dir).status == 0)
        let second = try #require(Self.completeOutput(dir.appendingPathComponent("empty")))
        #expect(second["uncertainty.csv"] != nil)
        // A file deleted by the planner loses nothing when the folder is replaced.
        try FileManager.default.removeItem(at: dir.appendingPathComponent("empty/targets.md"))
        #expect(try Self.rkat(["run", scenario, "--draws", "0", "--out", "empty"], in: dir).status == 0)
        #expect(Self.completeOutput(dir.appendingPathComponent("empty")) == first)
        // The default folder: outputs/<stem>/, and nothing left beside it.
        #expect(try Self.rkat(["run", scenario, "--draws", "0"], in: dir).status == 0)
        #expect(Self.completeOutput(dir.appendingPathComponent("outputs/sumbagut-2018")) == first)
        #expect(try Self.hiddenLeftovers(dir).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("outputs").path) == ["sumbagut-2018"])
        // The output replaced last (the second, less the deleted file) is kept as the previous
        // generation, and only one is kept.
        let previous = dir.appendingPathComponent(".empty.rkat-previous")
        #expect(FileManager.default.contents(atPath: previous.appendingPathComponent("uncertainty.csv").path) == second["uncertainty.csv"])
        #expect(!FileManager.default.fileExists(atPath: previous.appendingPathComponent("targets.md").path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".empty.") } == [".empty.rkat-previous"])
    }

    /// The manifest lists each file with its size and the SHA-256 that `sha256sum` prints (an
    /// outside tool), and nothing else.
    @Test func manifestAgreesWithSha256sum() throws {
        let dir = try Self.project()
        #expect(try Self.rkat(["run", "scenarios/sumbagut-2018.yaml", "--draws", "0", "--out", "o"], in: dir).status == 0)
        let manifest = try #require(OutputManifest(parsing: try Data(contentsOf: dir.appendingPathComponent("o/rkat-manifest.json"))))
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        p.arguments = manifest.files.map(\.name)
        p.currentDirectoryURL = dir.appendingPathComponent("o")
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let sums = Dictionary(uniqueKeysWithValues: text.split(separator: "\n").map { line -> (String, String) in
            let parts = line.split(separator: " ", maxSplits: 1)
            return (String(parts[1].drop { $0 == " " || $0 == "*" }), String(parts[0]))
        })
        #expect(manifest.files.count == 8)  // no uncertainty.csv without draws
        for f in manifest.files { #expect(sums[f.name] == f.sha256, "\(f.name)") }
    }

    // MARK: - Kills

    /// Kill at each step of writing and swapping (exchange, and the journal of file systems
    /// without it): the path holds the old or the new complete output, and the next run cleans up.
    @Test(arguments: [
        ("staging-created", false), ("manifest-written", false), ("file-half-written", false), ("staged", false), ("swapped", false),
        ("removing-old", false), ("staged", true), ("old-aside", true), ("swapped", true), ("removing-old", true),
    ])
    func killBetweenStepsLeavesOldOrNewComplete(step: String, journal: Bool) throws {
        let dir = try Self.project()
        let scenario = "scenarios/sumbagut-2018.yaml"
        let oldArgs = ["run", scenario, "--draws", "0", "--out", "o"], newArgs = ["run", scenario, "--draws", "40", "--out", "o"]
        #expect(try Self.rkat(newArgs.dropLast() + ["ref-new"], in: dir).status == 0)
        // Twice, so that a previous generation exists for the killed run to retire.
        #expect(try Self.rkat(oldArgs, in: dir).status == 0)
        #expect(try Self.rkat(oldArgs, in: dir).status == 0)
        let old = try #require(Self.completeOutput(dir.appendingPathComponent("o")))
        let new = try #require(Self.completeOutput(dir.appendingPathComponent("ref-new")))
        #expect(old != new)
        var env = Self.epoch.merging(["RKAT_FAULT_KILL_AT": step]) { $1 }
        if journal { env["RKAT_FAULT_NO_EXCHANGE"] = "1" }
        let killed = try Self.rkat(newArgs, in: dir, environment: env)
        #expect(killed.status == 9 || killed.status == 137, "\(step): \(killed.status) \(killed.stderr)")
        let after = Self.completeOutput(dir.appendingPathComponent("o"))
        if journal && step == "old-aside" {
            // The one instant of the journal with nothing at the path: the old output waits aside, complete.
            #expect(after == nil)
            let aside = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".o.rkat-old-") }
            #expect(aside.count == 1)
            #expect(Self.completeOutput(dir.appendingPathComponent(aside[0])) == old)
            // A failed run does not touch it; the next run that writes rolls it back first.
            #expect(try Self.rkat(["run", "scenarios/missing.yaml", "--out", "o"], in: dir).status == 2)
            #expect(try Self.rkat(oldArgs, in: dir).status == 0)
            #expect(Self.completeOutput(dir.appendingPathComponent("o")) == old)
        } else {
            #expect(after == old || after == new, "\(step)")
        }
        // The next run completes, and leaves no hidden folder behind.
        let rerun = try Self.rkat(newArgs, in: dir)
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(Self.completeOutput(dir.appendingPathComponent("o")) == new)
        #expect(try Self.hiddenLeftovers(dir).isEmpty, "\(step)")
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: dir.path).contains { $0.contains(".kept-") }), "\(step)")
    }

    /// SIGKILL at random instants of a run (seeded, so the instants are the same every time).
    @Test func killAtRandomInstantsLeavesOldOrNewComplete() throws {
        let dir = try Self.project()
        let scenario = "scenarios/sumbagut-2018.yaml"
        #expect(try Self.rkat(["run", scenario, "--draws", "3000", "--out", "ref-new"], in: dir).status == 0)
        let new = try #require(Self.completeOutput(dir.appendingPathComponent("ref-new")))
        #expect(try Self.rkat(["run", scenario, "--draws", "0", "--out", "o"], in: dir).status == 0)
        let old = try #require(Self.completeOutput(dir.appendingPathComponent("o")))
        // How long a run takes here, to spread the kills over it.
        let clock = ContinuousClock()
        let t0 = clock.now
        #expect(try Self.rkat(["run", scenario, "--draws", "3000", "--out", "timing"], in: dir).status == 0)
        let span = max((clock.now - t0) / .microseconds(1), 20_000)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        // Most kills fall in the last half of the run, where the outputs are written and swapped.
        for k in 0..<30 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let delay = useconds_t(span * (k.isMultiple(of: 3) ? 0 : 0.5) + Double((state >> 33) % UInt64(span * (k.isMultiple(of: 3) ? 1.2 : 0.65))))
            let p = Process()
            p.executableURL = CommandLineTests.binary
            p.arguments = ["run", scenario, "--draws", k.isMultiple(of: 2) ? "3000" : "0", "--out", "o", "--lang", "en"]
            p.currentDirectoryURL = dir
            p.environment = ProcessInfo.processInfo.environment.merging(Self.epoch) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let after = Self.completeOutput(dir.appendingPathComponent("o"))
            #expect(after == old || after == new, "kill \(k) after \(delay) µs")
        }
        #expect(try Self.rkat(["run", scenario, "--draws", "3000", "--out", "o"], in: dir).status == 0)
        #expect(Self.completeOutput(dir.appendingPathComponent("o")) == new)
        #expect(try Self.hiddenLeftovers(dir).isEmpty, "\(Self.leftoverContents(dir))")
    }

    /// What each hidden leftover holds, for the message of a failed check.
    static func leftoverContents(_ dir: URL) -> String {
        ((try? hiddenLeftovers(dir)) ?? []).map { name in
            "\(name): \((try? FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(name).path))?.sorted() ?? [])"
        }.joined(separator: "; ")
    }

    /// A hidden folder with rkat's name pattern is removed only when its owner is gone and every
    /// entry is one its manifest lists: a planner's file in it, or a live run's lock, keeps it.
    @Test func leftoversAreRemovedOnlyWhenProvablyRkats() throws {
        let dir = try Self.project()
        let scenario = "scenarios/sumbagut-2018.yaml"
        let foreign = dir.appendingPathComponent(".o.rkat-new-1-1")
        try FileManager.default.createDirectory(at: foreign, withIntermediateDirectories: false)
        try "mine\n".write(to: foreign.appendingPathComponent("notes.txt"), atomically: false, encoding: .utf8)
        let live = dir.appendingPathComponent(".o.rkat-new-2-2")
        try FileManager.default.createDirectory(at: live, withIntermediateDirectories: false)
        let fd = open(live.path, O_RDONLY | O_DIRECTORY)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        defer { close(fd) }
        let dead = dir.appendingPathComponent(".o.rkat-new-3-3")
        try FileManager.default.createDirectory(at: dead, withIntermediateDirectories: false)
        let r = try Self.rkat(["run", scenario, "--draws", "0", "--out", "o"], in: dir)
        #expect(r.status == 0)
        #expect(r.stderr.contains("left \(dir.resolvingSymlinksInPath().path)/.o.rkat-new-1-1 alone") || r.stderr.contains(".o.rkat-new-1-1 alone"), "\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: foreign.appendingPathComponent("notes.txt").path))
        #expect(FileManager.default.fileExists(atPath: live.path))
        #expect(!FileManager.default.fileExists(atPath: dead.path))
    }
}
