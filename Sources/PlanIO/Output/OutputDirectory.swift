import CFileSystem
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes a command's output folder all at once, and never destroys what rkat did not write.
///
/// The rule (docs/outputs.md): `--out` may create a new folder, fill an empty one, or replace a folder
/// whose every entry is listed, unchanged, in the manifest it holds, i.e. a folder rkat wrote that
/// nobody has edited since. Anything else (a file, a device, a symbolic link, a folder with a file rkat
/// did not write or one edited since, the folder holding the scenario or its history, the working
/// directory or a folder above it) is refused with one line naming the reason.
///
/// The new output is written beside the target as a hidden staging folder (manifest first, then the
/// files) and swapped in with one atomic rename (renameat2 RENAME_EXCHANGE), so that after a kill at
/// any instant either the old or the new complete output is at the path. Where the file system cannot
/// exchange, two renames with the old folder kept aside are used, and the next run rolls back or
/// completes that journal. Leftover staging folders are removed only when their owner is gone (an
/// flock on the folder) and every entry in them is one their manifest lists.
struct OutputDirectory {
    let path: String
    /// How the planner named the folder in messages: "--out", or "output folder" for the default.
    let option: String
    /// Input files (scenario chain, history) that the output folder must not hold.
    let protectedInputs: [String]
    private var files: [(name: String, contents: Data)] = []

    init(path: String, option: String = "--out", protecting inputs: [String] = []) {
        self.path = path
        self.option = option
        self.protectedInputs = inputs
    }

    mutating func add(_ name: String, _ text: String) {
        files.append((name, Data(text.utf8)))
    }

    mutating func add(_ name: String, data: Data) {
        files.append((name, data))
    }

    /// The files written, the manifest last.
    var names: [String] { files.map(\.name) + [OutputManifest.fileName] }

    /// What is at the path now, when rkat may write there.
    enum Target: Equatable {
        case absent
        case empty
        case previousOutput(OutputManifest)
    }

    /// Refuses (exit 2, one line) any path that `--out` must not replace; run before the work starts
    /// and again just before the swap.
    func check() throws(InputError) -> Target {
        try Self.inspect(path, option: option, protecting: protectedInputs)
    }

    /// Writes everything into a staging folder and swaps it into place. Returns notes for the
    /// planner (e.g. a leftover folder that could not be cleaned up).
    @discardableResult
    func commit() throws -> [String] {
        _ = try check()
        let location = try Self.split(path, option: option)
        var notes = Self.recover(parent: location.parent, name: location.name)
        // A rolled-back journal may have put an old output back at the path: look again.
        let current = try check()
        let manifest = OutputManifest(files: files.map { .init(name: $0.name, contents: $0.contents) })
        let staging = try Self.stage(files, manifest: manifest, parent: location.parent, name: location.name)
        defer { close(staging.lock) }
        let destination = location.parent + "/" + location.name
        FaultInjection.point("staged")
        switch current {
        case .absent:
            if rkat_rename_noreplace(staging.path, destination) != 0 {
                let code = errno
                if code == EEXIST || code == ENOTEMPTY {
                    Self.discard(staging.path)
                    throw InputError("\(option) \(path): a folder appeared there while rkat was writing; run again", file: nil)
                }
                // No RENAME_NOREPLACE on this file system: a plain rename cannot replace a folder
                // that holds anything, so it cannot destroy a planner's files either.
                guard rename(staging.path, destination) == 0 else {
                    let why = String(cString: strerror(errno))
                    Self.discard(staging.path)
                    throw OutputWriteError("\(option) \(path): cannot move the outputs into place: \(why)")
                }
            }
            FaultInjection.point("swapped")
        case .empty, .previousOutput:
            // Hold the old folder's lock so that no other run takes it for a leftover meanwhile.
            let old = open(destination, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
            defer { if old >= 0 { close(old) } }
            if old >= 0 { _ = flock(old, LOCK_EX) }
            // Look again under the lock: a planner may have dropped a file in since the first check.
            do { _ = try check() } catch {
                Self.discard(staging.path)
                throw error
            }
            if !FaultInjection.noExchange, rkat_rename_exchange(staging.path, destination) == 0 {
                FaultInjection.point("swapped")
                // The staging name now holds the old output; remove it, listed files first.
                if let leftover = Self.removeOutput(at: staging.path) { notes.append(leftover) }
            } else {
                try Self.journalSwap(staging: staging.path, destination: destination, parent: location.parent, name: location.name, option: option, path: path)
            }
        }
        Self.syncDirectory(location.parent)
        return notes
    }

    // MARK: - The rule

    /// The parent folder (resolved, created if missing) and the last component of a path.
    static func split(_ path: String, option: String) throws(InputError) -> (parent: String, name: String) {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        var parent = url.deletingLastPathComponent().path
        if parent.isEmpty { parent = "." }
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory) {
            do {
                try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
            } catch {
                throw InputError("\(option) \(path): cannot create the folder \(parent) (\(error.localizedDescription))")
            }
        } else if !isDirectory.boolValue {
            throw InputError("\(option) \(path): \(parent) is not a folder")
        }
        guard let resolved = realPath(parent) else { throw InputError("\(option) \(path): cannot resolve the folder \(parent)") }
        return (resolved, name)
    }

    static func inspect(_ path: String, option: String, protecting inputs: [String]) throws(InputError) -> Target {
        func refuse(_ reason: String) -> InputError { InputError("\(option) \(path.isEmpty ? "\"\"" : path): \(reason)") }
        guard !path.isEmpty else { throw refuse("an empty path names the working directory; give a new folder such as outputs/run-1") }
        guard !path.contains("\0") else { throw refuse("the path holds a NUL character") }
        let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
        let last = trimmed.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        if last == "." || last == ".." || path == "/" {
            throw refuse("'\(last.isEmpty ? "/" : last)' names a folder rkat did not make; give the output folder a name of its own, such as outputs/run-1")
        }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return .absent }
            throw refuse("cannot be examined (\(String(cString: strerror(errno))))")
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: break
        case S_IFLNK: throw refuse("is a symbolic link; rkat writes only into a real folder it can replace whole")
        case S_IFREG: throw refuse("is a file, not a folder of rkat's outputs; choose another folder")
        case S_IFIFO: throw refuse("is a FIFO, not a folder of rkat's outputs; choose another folder")
        case S_IFSOCK: throw refuse("is a socket, not a folder of rkat's outputs; choose another folder")
        default: throw refuse("is a device, not a folder of rkat's outputs; choose another folder")
        }
        guard let real = realPath(path) else { throw refuse("cannot be resolved") }
        if let cwd = realPath(".") {
            if cwd == real || cwd.hasPrefix(real == "/" ? "/" : real + "/") {
                throw refuse("is the working directory or a folder above it; give a new folder such as outputs/run-1")
            }
        }
        for input in inputs {
            guard let r = realPath(input) else { continue }
            if r.hasPrefix(real + "/") {
                throw refuse("holds the input file '\(String(r.dropFirst(real.count + 1)))'; choose another folder")
            }
        }
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: path).sorted() } catch {
            throw refuse("cannot be read (\(error.localizedDescription))")
        }
        if entries.isEmpty { return .empty }
        guard entries.contains(OutputManifest.fileName) else {
            throw refuse("holds '\(entries[0])', which rkat did not write; choose another folder or move the file")
        }
        guard let data = FileManager.default.contents(atPath: path + "/" + OutputManifest.fileName),
            let manifest = OutputManifest(parsing: data)
        else { throw refuse("holds a \(OutputManifest.fileName) that rkat cannot read; choose another folder") }
        for entry in entries where entry != OutputManifest.fileName {
            guard let listed = manifest.entry(entry) else {
                throw refuse("holds '\(entry)', which rkat did not write; choose another folder or move the file")
            }
            var s = stat()
            guard lstat(path + "/" + entry, &s) == 0, s.st_mode & S_IFMT == S_IFREG,
                let contents = FileManager.default.contents(atPath: path + "/" + entry)
            else { throw refuse("holds '\(entry)', which is not the file rkat wrote; choose another folder or move it") }
            guard contents.count == listed.bytes, SHA256.hex([UInt8](contents)) == listed.sha256 else {
                throw refuse("holds '\(entry)', changed since rkat wrote it; choose another folder or move the file")
            }
        }
        return .previousOutput(manifest)
    }

    // MARK: - Staging and swapping

    /// Hidden sibling names: `.NAME.rkat-new-PID-NANOS` (staging) and `.NAME.rkat-old-PID-NANOS`
    /// (the old output kept aside by the journal).
    static func sibling(_ name: String, _ kind: String) -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return ".\(name).rkat-\(kind)-\(getpid())-\(Int(ts.tv_sec))\(String(format: "%09d", Int(ts.tv_nsec)))"
    }

    /// Creates the staging folder, locks it (the lock says its owner is alive), writes the manifest
    /// and then the files, each synced to disk.
    static func stage(_ files: [(name: String, contents: Data)], manifest: OutputManifest, parent: String, name: String) throws -> (path: String, lock: Int32) {
        let path = parent + "/" + sibling(name, "new")
        guard mkdir(path, 0o755) == 0 else { throw OutputWriteError("cannot create \(path): \(String(cString: strerror(errno)))") }
        let lock = open(path, O_RDONLY | O_DIRECTORY)
        guard lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            rmdir(path)
            throw OutputWriteError("cannot lock \(path): \(String(cString: strerror(errno)))")
        }
        FaultInjection.point("staging-created")
        do {
            try writeFile(path + "/" + OutputManifest.fileName, Data(manifest.rendered.utf8))
            FaultInjection.point("manifest-written")
            for (k, f) in files.enumerated() {
                try writeFile(path + "/" + f.name, f.contents, faultAfterHalf: k == files.count / 2)
            }
            syncDirectory(path)
        } catch {
            discard(path)
            close(lock)
            throw error
        }
        return (path, lock)
    }

    static func writeFile(_ path: String, _ data: Data, faultAfterHalf: Bool = false) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputWriteError("cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let ok = data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Bool in
            var offset = 0
            while offset < buffer.count {
                var chunk = buffer.count - offset
                if faultAfterHalf && offset == 0 && buffer.count > 1 { chunk = buffer.count / 2 }
                let n = write(fd, buffer.baseAddress! + offset, chunk)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
                if faultAfterHalf && offset < buffer.count { FaultInjection.point("file-half-written") }
            }
            return true
        }
        guard ok, fsync(fd) == 0 else { throw OutputWriteError("cannot write \(path): \(String(cString: strerror(errno)))") }
    }

    /// Two renames with the old output kept aside, for file systems without RENAME_EXCHANGE: between
    /// them the path is empty, and the next run's `recover` puts the old output back.
    static func journalSwap(staging: String, destination: String, parent: String, name: String, option: String, path: String) throws {
        let aside = parent + "/" + sibling(name, "old")
        guard rename(destination, aside) == 0 else {
            let why = String(cString: strerror(errno))
            discard(staging)
            throw OutputWriteError("\(option) \(path): cannot move the old outputs aside: \(why)")
        }
        FaultInjection.point("old-aside")
        guard rename(staging, destination) == 0 else {
            let why = String(cString: strerror(errno))
            _ = rename(aside, destination)
            discard(staging)
            throw OutputWriteError("\(option) \(path): cannot move the outputs into place: \(why)")
        }
        FaultInjection.point("swapped")
        _ = removeOutput(at: aside)
    }

    // MARK: - Leftovers

    /// Rolls back or completes what an earlier run left half done for this folder: an old output kept
    /// aside with nothing at the path goes back; staging folders and old outputs whose owner is gone
    /// are removed when every entry is one their manifest lists. Returns notes on what was done or
    /// left alone.
    static func recover(parent: String, name: String) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return [] }
        var notes: [String] = []
        let prefix = ".\(name).rkat-"
        let destination = parent + "/" + name
        for entry in entries.sorted() where entry.hasPrefix(prefix) {
            let kind = entry.dropFirst(prefix.count).prefix(4)
            guard kind == "new-" || kind == "old-" else { continue }
            let leftover = parent + "/" + entry
            var s = stat()
            guard lstat(leftover, &s) == 0, s.st_mode & S_IFMT == S_IFDIR else { continue }
            let fd = open(leftover, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            // A live run holds its staging folder's lock: leave it to that run.
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            switch leftoverState(leftover) {
            case .foreign:
                notes.append("left \(leftover) alone: it holds files rkat did not write")
            case .complete where kind == "old-" && !FileManager.default.fileExists(atPath: destination):
                // The journal stopped between its two renames: roll back.
                if rename(leftover, destination) == 0 { notes.append("restored the previous outputs of \(destination) from an interrupted run") }
            case .complete, .partial:
                if let n = removeOutput(at: leftover) { notes.append(n) }
            }
        }
        return notes
    }

    enum LeftoverState { case complete, partial, foreign }

    /// Whether a staging or aside folder holds only what rkat wrote: its manifest and files it lists,
    /// each complete with its hash or (a write cut short) no longer than listed.
    static func leftoverState(_ folder: String) -> LeftoverState {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return .foreign }
        if entries.isEmpty { return .partial }
        guard entries.contains(OutputManifest.fileName) else { return .foreign }
        guard let data = FileManager.default.contents(atPath: folder + "/" + OutputManifest.fileName), let manifest = OutputManifest(parsing: data) else {
            // A manifest cut short while written: nothing else may be there.
            return entries == [OutputManifest.fileName] ? .partial : .foreign
        }
        var complete = entries.count == manifest.files.count + 1
        for entry in entries where entry != OutputManifest.fileName {
            var s = stat()
            guard let listed = manifest.entry(entry), lstat(folder + "/" + entry, &s) == 0, s.st_mode & S_IFMT == S_IFREG else { return .foreign }
            if Int(s.st_size) < listed.bytes {
                complete = false
                continue
            }
            guard let contents = FileManager.default.contents(atPath: folder + "/" + entry), contents.count == listed.bytes,
                SHA256.hex([UInt8](contents)) == listed.sha256
            else { return .foreign }
        }
        return complete ? .complete : .partial
    }

    /// Removes a folder rkat wrote: the files its manifest lists, then the manifest, then the folder,
    /// so that a kill part-way leaves a folder that still proves what it is. Anything else in it stays.
    @discardableResult
    static func removeOutput(at folder: String) -> String? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let manifest = FileManager.default.contents(atPath: folder + "/" + OutputManifest.fileName).flatMap(OutputManifest.init(parsing:))
        var first = true
        for entry in entries.sorted() where entry != OutputManifest.fileName && manifest?.entry(entry) != nil {
            unlink(folder + "/" + entry)
            if first { FaultInjection.point("removing-old") }
            first = false
        }
        if entries.allSatisfy({ $0 == OutputManifest.fileName || manifest?.entry($0) != nil }) {
            unlink(folder + "/" + OutputManifest.fileName)
        }
        if rmdir(folder) != 0 { return "left \(folder) in place: it holds files rkat did not write" }
        return nil
    }

    /// Removes a staging folder this run created (it holds only what this run wrote).
    static func discard(_ folder: String) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] { unlink(folder + "/" + entry) }
        rmdir(folder)
    }

    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}

/// A failure to write the outputs that is not the planner's input: a full disk, a permission
/// (exit 1, a runtime failure).
public struct OutputWriteError: Error, Sendable, CustomStringConvertible {
    public var message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// rkat-manifest.json: each file rkat wrote into an output folder, with its size and SHA-256, so that
/// a later run can prove the folder holds nothing else before replacing it. The hashes are plain hex,
/// as `sha256sum` prints them.
struct OutputManifest: Equatable {
    static let fileName = "rkat-manifest.json"

    struct Entry: Equatable {
        var name: String
        var bytes: Int
        var sha256: String

        init(name: String, bytes: Int, sha256: String) {
            self.name = name
            self.bytes = bytes
            self.sha256 = sha256
        }

        init(name: String, contents: Data) {
            self.init(name: name, bytes: contents.count, sha256: SHA256.hex([UInt8](contents)))
        }
    }

    var files: [Entry]

    func entry(_ name: String) -> Entry? { files.first { $0.name == name } }

    /// Sorted by name, one file a line, so that two runs with the same outputs write the same bytes.
    var rendered: String {
        let lines = files.sorted { $0.name < $1.name }.map {
            "    {\"name\": \(JSONText.string($0.name)), \"bytes\": \($0.bytes), \"sha256\": \"\($0.sha256)\"}"
        }
        return "{\n  \"written_by\": \"rkat\",\n  \"format\": 1,\n  \"files\": [\n" + lines.joined(separator: ",\n") + "\n  ]\n}\n"
    }

    init(files: [Entry]) { self.files = files }

    init?(parsing data: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], object["written_by"] as? String == "rkat",
            let list = object["files"] as? [[String: Any]]
        else { return nil }
        var files: [Entry] = []
        for item in list {
            guard let name = item["name"] as? String, let bytes = item["bytes"] as? Int, let hash = item["sha256"] as? String,
                !name.isEmpty, !name.contains("/"), name != "." && name != "..", name != Self.fileName
            else { return nil }
            files.append(Entry(name: name, bytes: bytes, sha256: hash))
        }
        self.files = files
    }
}

/// Test hooks for the kill tests: `RKAT_FAULT_KILL_AT=STEP` makes the process SIGKILL itself at that
/// step of writing the outputs; `RKAT_FAULT_NO_EXCHANGE=1` takes the journal path that file systems
/// without RENAME_EXCHANGE take. Documented in docs/outputs.md; they change nothing when unset.
enum FaultInjection {
    static let environment = ProcessInfo.processInfo.environment
    static var noExchange: Bool { environment["RKAT_FAULT_NO_EXCHANGE"] == "1" }

    static func point(_ step: String) {
        if environment["RKAT_FAULT_KILL_AT"] == step { kill(getpid(), SIGKILL) }
    }
}
