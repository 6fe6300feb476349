import Foundation
import Testing

@testable import PlanIO

#if canImport(Glibc)
    import Glibc
#endif

/// `--out` acts on exactly the folder it checked (docs/outputs.md, "One path, resolved once"): `~` is
/// an ordinary name, `..` goes up from where a symbolic link leads, a trailing slash on a symbolic
/// link is the link; and an edit made while rkat writes is never lost (the previous generation).
@Suite struct OutputPathTests {
    typealias T = OutputFolderTests
    static let scenario = "scenarios/sumbagut-2018.yaml"

    static func write(_ text: String, _ url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: false, encoding: .utf8)
    }

    // MARK: - One path

    /// A folder literally named `~` (quoted on the command line) is that folder; the home folder (a
    /// temporary one here, never the real one) is not touched, even with `--out '~'`.
    @Test func tildeIsAnOrdinaryName() throws {
        let dir = try T.project()
        let home = dir.appendingPathComponent("home")
        try Self.write("edited plan\n", home.appendingPathComponent("plan/targets.csv"))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("~"), withIntermediateDirectories: false)
        let env = T.epoch.merging(["HOME": home.path]) { $1 }
        let homeBefore = T.snapshot(home)
        let r = try T.rkat(["run", Self.scenario, "--draws", "0", "--out", "~/plan"], in: dir, environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(T.completeOutput(dir.appendingPathComponent("~/plan")) != nil)
        // The whole of `./~` (now holding plan/) is refused, not swapped with the home folder.
        let whole = try T.rkat(["run", Self.scenario, "--draws", "0", "--out", "~"], in: dir, environment: env)
        #expect(whole.status == 2 && whole.stderr.contains("--out ~: holds 'plan'"), "\(whole.stderr)")
        // An empty `./~` is filled.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub/~"), withIntermediateDirectories: true)
        let sub = dir.appendingPathComponent("sub")
        #expect(try T.rkat(["run", "../" + Self.scenario, "--draws", "0", "--out", "~"], in: sub, environment: env).status == 0)
        #expect(T.completeOutput(sub.appendingPathComponent("~")) != nil)
        #expect(T.snapshot(home) == homeBefore)
    }

    /// `sl/../target` is where the kernel goes (up from where `sl` leads), checked and written there;
    /// the lexical `./target` and the folder holding the scenario are untouched.
    @Test func dotDotAfterASymbolicLinkGoesWhereTheKernelGoes() throws {
        let dir = try T.project()
        let deep = dir.appendingPathComponent("deep")
        try FileManager.default.createDirectory(at: deep.appendingPathComponent("inner"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: deep.appendingPathComponent("target"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: deep.appendingPathComponent("scenarios"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("sl").path, withDestinationPath: "deep/inner")
        try Self.write("edited by the planner\n", dir.appendingPathComponent("target/targets.csv"))
        let before = T.snapshot(dir.appendingPathComponent("target")), scenarios = T.snapshot(dir.appendingPathComponent("scenarios"))
        for out in ["sl/../target", "sl/../scenarios"] {
            let r = try T.rkat(["run", Self.scenario, "--draws", "0", "--out", out], in: dir)
            #expect(r.status == 0, "\(out): \(r.stderr)")
        }
        #expect(T.completeOutput(deep.appendingPathComponent("target")) != nil)
        #expect(T.completeOutput(deep.appendingPathComponent("scenarios")) != nil)
        #expect(T.snapshot(dir.appendingPathComponent("target")) == before)
        #expect(T.snapshot(dir.appendingPathComponent("scenarios")) == scenarios)
        // A missing folder after '..' below a missing one is refused, not guessed.
        let r = try T.rkat(["run", Self.scenario, "--draws", "0", "--out", "nowhere/../o"], in: dir)
        #expect(r.status == 2 && r.stderr.contains("'..' follows 'nowhere'"), "\(r.stderr)")
    }

    /// A last component that is a symbolic link is refused with or without a trailing slash; the
    /// folder it leads to keeps its files.
    @Test(arguments: ["link", "link/", "link//", "./link/"])
    func aSymbolicLinkIsRefusedWithOrWithoutASlash(out: String) throws {
        let dir = try T.project()
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("link").path, withDestinationPath: "mine")
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("empty"), withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent("elink").path, withDestinationPath: "empty")
        let before = T.snapshot(dir)
        for o in [out, "e" + out.replacingOccurrences(of: "./", with: "")] {
            let r = try T.rkat(["run", Self.scenario, "--draws", "0", "--out", o], in: dir)
            #expect(r.status == 2 && r.stderr.contains("is a symbolic link"), "\(o): \(r.stderr)")
        }
        #expect(T.snapshot(dir) == before)
    }

    /// `~` in a scenario's path is refused with a located line, not read as a folder named `~`.
    @Test func tildeInAScenarioPathIsRefused() throws {
        let dir = try T.project()
        let r = try T.rkat(["run", Self.scenario, "--draws", "0", "--set", "history=~/h.csv", "--out", "o"], in: dir)
        #expect(r.status == 2 && r.stderr.contains("--set:1:") && r.stderr.contains("starts with '~'"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o").path))
    }

    /// A manifest over 1 MiB is refused at once, not parsed.
    @Test func aHugeManifestIsRefused() throws {
        let dir = try T.project()
        let big = String(repeating: " ", count: (1 << 20) + 1)
        try Self.write("{\"written_by\": \"rkat\", \"files\": []" + big + "}", dir.appendingPathComponent("o/rkat-manifest.json"))
        let r = try T.rkat(["run", Self.scenario, "--draws", "0", "--out", "o"], in: dir)
        #expect(r.status == 2 && r.stderr.contains("over 1 MiB"), "\(r.stderr)")
    }

    // MARK: - Edits during a run

    /// Waits until `pid` has stopped itself (SIGSTOP at a fault point); false after 120 s.
    static func waitStopped(_ pid: Int32) -> Bool {
        for _ in 0..<12_000 {
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"), stat[stat.index(close, offsetBy: 2)] == "T"
            {
                return true
            }
            usleep(10_000)
        }
        return false
    }

    /// Every copy of `file` rkat could have kept: in the output, its previous generation, kept folders
    /// and kept files beside it.
    static func copies(of file: String, in dir: URL, output: String = "o") -> [String] {
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: dir.path)) ?? []
        var texts: [String] = []
        for name in names where name == output || name == ".\(output).rkat-previous" || name.hasPrefix("\(output).kept-") {
            let url = dir.appendingPathComponent(name)
            for candidate in [url.appendingPathComponent(file), url] {
                var isDir: ObjCBool = false
                if fm.fileExists(atPath: candidate.path, isDirectory: &isDir), !isDir.boolValue,
                    let t = try? String(contentsOf: candidate, encoding: .utf8)
                {
                    texts.append(t)
                }
            }
        }
        return texts
    }

    /// An edit (a line appended to targets.csv and a new file, both by path) made at each instant of
    /// the last stretch (after the check under the lock, after the swap, while the previous
    /// generation is put in place; and the journal's) is found afterwards, in the output, its
    /// previous generation or a kept folder named on the terminal.
    @Test(arguments: [("checked", false), ("swapped", false), ("keeping-previous", false), ("checked", true), ("old-aside", true), ("swapped", true)])
    func anEditInTheLastStretchIsKept(step: String, journal: Bool) throws {
        let dir = try T.project()
        let args = ["run", Self.scenario, "--draws", "0", "--out", "o"]
        #expect(try T.rkat(args, in: dir).status == 0)
        #expect(try T.rkat(args, in: dir).status == 0)
        let p = Process()
        p.executableURL = CommandLineTests.binary
        p.arguments = args + ["--lang", "en"]
        p.currentDirectoryURL = dir
        var env = ProcessInfo.processInfo.environment.merging(T.epoch) { $1 }
        env["RKAT_FAULT_STOP_AT"] = step
        if journal { env["RKAT_FAULT_NO_EXCHANGE"] = "1" }
        p.environment = env
        let errors = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = errors
        try p.run()
        #expect(Self.waitStopped(p.processIdentifier), "\(step): never stopped")
        let marker = "edit at \(step) \(journal)"
        // By path, as an editor saves: into whichever folder is at `o` now.
        let target = dir.appendingPathComponent("o/targets.csv").path
        let fd = open(target, O_WRONLY | O_APPEND)
        if fd >= 0 {
            _ = (marker + "\n").withCString { Glibc.write(fd, $0, strlen($0)) }
            close(fd)
        }
        let notes = dir.appendingPathComponent("o/notes.txt").path
        let made = FileManager.default.createFile(atPath: notes, contents: Data("notes \(marker)\n".utf8))
        kill(p.processIdentifier, SIGCONT)
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(step): \(stderr)")
        if fd >= 0 { #expect(Self.copies(of: "targets.csv", in: dir).contains { $0.contains(marker) }, "\(step) \(journal): \(stderr)") }
        if made { #expect(Self.copies(of: "notes.txt", in: dir).contains { $0.contains(marker) }, "\(step) \(journal): \(stderr)") }
        #expect(fd >= 0 || made || step == "old-aside", "\(step): nothing could be edited")  // at old-aside nothing is at the path
        // The next run refuses a folder with the edit, or runs when the edit went aside; either way
        // the edit is still there afterwards.
        _ = try T.rkat(args, in: dir)
        if made { #expect(Self.copies(of: "notes.txt", in: dir).contains { $0.contains(marker) }, "\(step) after a rerun") }
    }

    /// A planner's program that opened targets.csv before a run and writes after it (the file now in
    /// the previous generation): the next run, retiring that generation, keeps the edit aside.
    @Test func aWriteThroughAnOpenFileIsKeptWhenItsGenerationRetires() throws {
        let dir = try T.project()
        let args = ["run", Self.scenario, "--draws", "0", "--out", "o"]
        #expect(try T.rkat(args, in: dir).status == 0)
        let fd = open(dir.appendingPathComponent("o/targets.csv").path, O_WRONLY | O_APPEND)
        #expect(fd >= 0)
        #expect(try T.rkat(args, in: dir).status == 0)
        _ = "late edit\n".withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
        let r = try T.rkat(args, in: dir)
        #expect(r.status == 0 && r.stderr.contains("kept "), "\(r.stderr)")
        #expect(Self.copies(of: "targets.csv", in: dir).contains { $0.contains("late edit") })
        #expect(T.completeOutput(dir.appendingPathComponent("o")) != nil)
    }
}
