import Foundation

/// Writes a run's files all at once: into a temporary sibling directory, then swapped into place,
/// so a failed run leaves the previous outputs untouched and readers never see half a run.
public struct OutputDirectory {
    public let path: String
    private var files: [(name: String, contents: Data)] = []

    public init(path: String) { self.path = path }

    public mutating func add(_ name: String, _ text: String) {
        files.append((name, Data(text.utf8)))
    }

    public mutating func add(_ name: String, data: Data) {
        files.append((name, data))
    }

    public var names: [String] { files.map(\.name) }

    /// Writes everything, then replaces `path` with the new directory.
    public func commit() throws(InputError) {
        let fm = FileManager.default
        let target = URL(fileURLWithPath: path).standardizedFileURL
        let parent = target.deletingLastPathComponent()
        let stamp = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt64(Date().timeIntervalSince1970 * 1e6))"
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).tmp-\(stamp)")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(stamp)")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            for f in files {
                try f.contents.write(to: staging.appendingPathComponent(f.name), options: .atomic)
            }
            if fm.fileExists(atPath: target.path) {
                try fm.moveItem(at: target, to: retired)
                do {
                    try fm.moveItem(at: staging, to: target)
                } catch {
                    try? fm.moveItem(at: retired, to: target)
                    throw error
                }
                try? fm.removeItem(at: retired)
            } else {
                try fm.moveItem(at: staging, to: target)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw InputError("cannot write the outputs: \(error.localizedDescription)", file: path)
        }
    }
}
