import Foundation

/// This test process's scratch folder for PlanIOTests (the command-line tests have their own,
/// `Scratch`): every test's files under one folder, removed when the process exits, so runs leave
/// nothing behind in the temporary folder.
enum ScratchFolder {
    static let root: URL = {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("rkat-planio-tests-\(getpid())")
        try? FileManager.default.removeItem(at: u)
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: ScratchFolder.root) }
        return u
    }()

    /// A fresh folder under the root, created.
    static func make(_ prefix: String) -> URL {
        let u = root.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}
