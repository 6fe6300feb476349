import Foundation

/// One folder per test process for the runs' inputs and outputs, removed when the process exits:
/// hundreds of runs per `swift test` would otherwise pile up in the temporary folder (25,000 entries
/// after a day of mutation runs).
enum Scratch {
    static let root: URL = {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("rkat-tests-\(getpid())")
        try? FileManager.default.removeItem(at: u)  // a dead process's folder with a reused pid
        try! FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.root) }
        return u
    }()

    /// A fresh name under the root (not created).
    static func url(_ prefix: String, _ suffix: String = "") -> URL {
        root.appendingPathComponent("\(prefix)-\(UUID().uuidString)\(suffix)")
    }
}
