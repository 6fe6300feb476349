import Foundation
import Testing

/// `rkat serve --port` as a planner types it (docs/serve.md): 0 asks for a free port, which is printed;
/// a port outside 0…65535 is bad input, exit 2, one line.
@Suite struct ServeCommandTests {
    final class Output: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func append(_ d: Data) { lock.lock(); text += String(decoding: d, as: UTF8.self); lock.unlock() }
        func get() -> String { lock.lock(); defer { lock.unlock() }; return text }
    }

    /// Starts `rkat serve SCENARIO --port 0`, waits for its address (or its exit), then stops it.
    @Test func portZeroPicksAFreePortAndPrintsIt() throws {
        let p = Process()
        p.executableURL = CommandLineTests.binary
        p.arguments = ["serve", RunCommandTests.scenario("sumbagut-2018"), "--port", "0"]
        let out = Pipe(), err = Pipe(), printed = Output(), errors = Output()
        p.standardOutput = out
        p.standardError = err
        out.fileHandleForReading.readabilityHandler = { printed.append($0.availableData) }
        err.fileHandleForReading.readabilityHandler = { errors.append($0.availableData) }
        try p.run()
        defer {
            if p.isRunning { p.terminate() }
            p.waitUntilExit()
            out.fileHandleForReading.readabilityHandler = nil
            err.fileHandleForReading.readabilityHandler = nil
        }
        // Up to a minute for the scenario to be read (a loaded machine); the address ends the wait.
        let deadline = Date().addingTimeInterval(60)
        while p.isRunning, !printed.get().contains("\n"), Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        let line = try #require(printed.get().split(separator: "\n").first.map(String.init), "no address; stderr: \(errors.get())")
        #expect(line.hasPrefix("rkat serve: http://127.0.0.1:"), "\(line)")
        let port = try #require(URL(string: String(line.dropFirst("rkat serve: ".count)))?.port, "\(line)")
        #expect(port > 0 && port <= 65535)
        #expect(p.isRunning)
    }

    @Test(arguments: ["65536", "-1"])
    func aPortOutsideTheRangeIsExitTwo(_ port: String) throws {
        let r = try CommandLineTests.rkat(["serve", RunCommandTests.scenario("sumbagut-2018"), "--port=\(port)"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1 && r.stderr.contains("--port must be in 0...65535 (got \(port))"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
