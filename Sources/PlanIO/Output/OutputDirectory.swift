import CFileSystem
import Fitting
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
/// nobody has edited since. Anything else (a file, a device, a symbolic link, a mount point, a folder
/// with a file rkat did not write or one edited since, the folder holding the scenario or its history,
/// the working directory or a folder above it) is refused with one line naming the reason.
///
/// The path is resolved once, when the value is made (`OutputLocation`): its parent folder is opened
/// as the kernel resolves it (`..` after symbolic links; `~` is an ordinary name) and every later
/// step, checks, staging, locking and the swap, names entries relative to that descriptor.
///
/// The new output is written beside the target as a hidden staging folder (manifest first, then the
/// files) and swapped in with one atomic rename (renameat2 RENAME_EXCHANGE), so that after a kill at
/// any instant either the old or the new complete output is at the path. The replaced output is kept
/// as one previous generation, `.NAME.rkat-previous`, so that an edit made to it while rkat was
/// writing is never lost; the generation before it is removed only when its every file is still the
/// one rkat wrote. Where the file system cannot exchange, two renames with the old folder kept aside
/// are used, and the next run rolls back or completes that journal. Leftover staging folders are
/// removed only when their owner is gone (an flock on the folder) and every entry in them is one their
/// manifest lists.
struct OutputDirectory {
    /// The path as the planner typed it, for messages.
    let path: String
    /// How the planner named the folder in messages: "--out", or "output folder" for the default.
    let option: String
    /// The one resolution of `path` that every step acts on.
    let location: OutputLocation
    private var files: [(name: String, contents: Data)] = []

    /// Resolves the path once; input files (scenario chain, history) that the output folder must not
    /// hold are resolved too.
    init(path: String, option: String = "--out", protecting inputs: [String] = []) throws(InputError) {
        self.path = path
        self.option = option
        self.location = try OutputLocation(path, option: option, protecting: inputs)
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
        try location.inspect()
    }

    /// A folder for a writer's temporary files (the workbook, before it is read back): the staging
    /// folder itself, private to this run and removed with it; reached through its descriptor.
    func scratchFolder() throws -> String {
        try location.staging().folder.descriptorPath ?? location.staging().shown
    }

    /// Writes everything into the staging folder and swaps it into place. Returns notes for the
    /// planner (a leftover folder that could not be cleaned up, an edit kept aside).
    @discardableResult
    func commit() throws -> [String] {
        _ = try check()
        let parent = try location.parentFolder()
        let name = location.name
        var notes = Self.recover(parent: parent, name: name, shownParent: location.parentShown)
        // A rolled-back journal may have put an old output back at the path: look again.
        let current = try check()
        let manifest = OutputManifest(files: files.map { .init(name: $0.name, contents: $0.contents) })
        let staging = try location.staging()
        try Self.stage(files, manifest: manifest, in: staging)
        FaultInjection.point("staged")
        switch current {
        case .absent:
            if rkat_renameat_noreplace(parent.fd, staging.name, name) != 0 {
                let code = errno
                if code == EEXIST || code == ENOTEMPTY {
                    location.discardStaging()
                    throw InputError(Phrase("\(option) \(path): sebuah folder muncul di sana saat rkat menulis; jalankan lagi", "\(option) \(path): a folder appeared there while rkat was writing; run again"), file: nil)
                }
                // No RENAME_NOREPLACE on this file system: a plain rename cannot replace a folder
                // that holds anything, so it cannot destroy a planner's files either.
                guard renameat(parent.fd, staging.name, parent.fd, name) == 0 else {
                    let why = String(cString: strerror(errno))
                    location.discardStaging()
                    throw OutputWriteError("\(option) \(path): cannot move the outputs into place: \(why)")
                }
            }
            location.stagingMoved()
            FaultInjection.point("swapped")
        case .empty, .previousOutput:
            // Hold the old folder's lock so that no other run takes it for a leftover meanwhile.
            let old = parent.folder(name)
            if let old { _ = flock(old.fd, LOCK_EX) }
            // Look again under the lock: a planner may have dropped a file in since the first check.
            do { _ = try check() } catch {
                location.discardStaging()
                throw error
            }
            FaultInjection.point("checked")
            if !FaultInjection.noExchange, rkat_renameat_exchange(parent.fd, staging.name, name) == 0 {
                location.stagingMoved()
                FaultInjection.point("swapped")
                // The staging name now holds the old output: keep it as the previous generation.
                notes += Self.keepPrevious(parent: parent, oldName: staging.name, name: name, shownParent: location.parentShown)
            } else {
                notes += try journalSwap(parent: parent, staging: staging.name)
            }
        }
        parent.sync()
        return notes
    }

    // MARK: - Staging and swapping

    /// Hidden sibling names: `.NAME.rkat-new-PID-NANOS` (staging) and `.NAME.rkat-old-PID-NANOS`
    /// (an old output on its way out).
    static func sibling(_ name: String, _ kind: String) -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return ".\(name).rkat-\(kind)-\(getpid())-\(ts.tv_sec)\(String(format: "%09ld", ts.tv_nsec))"
    }

    /// The previous generation's name.
    static func previousName(_ name: String) -> String { ".\(name).rkat-previous" }

    /// A scratch file of a writer inside a staging folder (removed by the writer; a kill may leave it).
    static let scratchPrefix = ".rkat-scratch-"

    /// Writes the manifest and then the files into the staging folder, each synced to disk.
    static func stage(_ files: [(name: String, contents: Data)], manifest: OutputManifest, in staging: OutputLocation.Staging) throws {
        let folder = staging.folder
        do {
            try folder.create(OutputManifest.fileName, Data(manifest.rendered.utf8))
            FaultInjection.point("manifest-written")
            for (k, f) in files.enumerated() {
                try folder.create(f.name, f.contents, faultAfterHalf: k == files.count / 2)
            }
            folder.sync()
        } catch {
            throw OutputWriteError("cannot write the outputs in \(staging.shown): \(error)")
        }
    }

    /// Two renames with the old output kept aside, for file systems without RENAME_EXCHANGE: between
    /// them the path is empty, and the next run's `recover` puts the old output back.
    func journalSwap(parent: FolderHandle, staging: String) throws -> [String] {
        let name = location.name
        let aside = Self.sibling(name, "old")
        guard renameat(parent.fd, name, parent.fd, aside) == 0 else {
            let why = String(cString: strerror(errno))
            location.discardStaging()
            throw OutputWriteError("\(option) \(path): cannot move the old outputs aside: \(why)")
        }
        FaultInjection.point("old-aside")
        guard renameat(parent.fd, staging, parent.fd, name) == 0 else {
            let why = String(cString: strerror(errno))
            _ = renameat(parent.fd, aside, parent.fd, name)
            location.discardStaging()
            throw OutputWriteError("\(option) \(path): cannot move the outputs into place: \(why)")
        }
        location.stagingMoved()
        FaultInjection.point("swapped")
        return Self.keepPrevious(parent: parent, oldName: aside, name: name, shownParent: location.parentShown)
    }

    /// The replaced output becomes the previous generation `.NAME.rkat-previous` (the one before it
    /// removed if every file in it is still rkat's). An old folder that changed while rkat was writing
    /// (an edit in its last stretch) is kept under a visible name instead, with a note; an emptied one
    /// is removed.
    static func keepPrevious(parent: FolderHandle, oldName: String, name: String, shownParent: String) -> [String] {
        if unlinkat(parent.fd, oldName, AT_REMOVEDIR) == 0 { return [] }  // it was empty
        var notes: [String] = []
        switch leftoverState(parent: parent, name: oldName) {
        case .foreign(let entry):
            return [keepAside(parent: parent, entryName: oldName, name: name, shownParent: shownParent, because: "'\(entry)' in it changed while rkat was writing")]
        case .complete, .partial:
            break
        }
        let previous = previousName(name)
        if parent.status(previous) != nil {
            let retired = sibling(name, "old")
            if renameat(parent.fd, previous, parent.fd, retired) == 0, let note = removeOutput(parent: parent, name: retired, owner: name, shownParent: shownParent) {
                notes.append(note)
            }
        }
        FaultInjection.point("keeping-previous")
        if rkat_renameat_noreplace(parent.fd, oldName, previous) != 0 && renameat(parent.fd, oldName, parent.fd, previous) != 0 {
            notes.append("left the previous outputs of \(shownParent)/\(name) at \(shownParent)/\(oldName)")
        }
        return notes
    }

    /// Renames a folder that holds something rkat did not write to `NAME.kept-YYYYMMDD-HHMMSS` beside
    /// the output (visible, so the planner finds it) and says so.
    static func keepAside(parent: FolderHandle, entryName: String, name: String, shownParent: String, because reason: String) -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec)
        for k in 1...100 {
            let kept = "\(name).kept-\(stamp)" + (k == 1 ? "" : "-\(k)")
            if rkat_renameat_noreplace(parent.fd, entryName, kept) == 0 {
                return "kept \(shownParent)/\(kept): \(reason); nothing in it was removed"
            }
            guard errno == EEXIST || errno == ENOTEMPTY else { break }
        }
        return "left \(shownParent)/\(entryName) alone: \(reason)"
    }

    // MARK: - Leftovers

    /// Rolls back or completes what an earlier run left half done for this folder: an old output kept
    /// aside with nothing at the path goes back; staging folders and old outputs whose owner is gone
    /// are removed when every entry is one their manifest lists. Returns notes on what was done or
    /// left alone.
    static func recover(parent: FolderHandle, name: String, shownParent: String) -> [String] {
        guard let entries = parent.entries() else { return [] }
        var notes: [String] = []
        let prefix = ".\(name).rkat-"
        for entry in entries where entry.hasPrefix(prefix) {
            let kind = entry.dropFirst(prefix.count).prefix(4)
            guard kind == "new-" || kind == "old-" else { continue }
            guard let s = parent.status(entry), s.st_mode & S_IFMT == S_IFDIR, let folder = parent.folder(entry) else { continue }
            // A live run holds its staging folder's lock: leave it to that run.
            guard flock(folder.fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            switch leftoverState(parent: parent, name: entry) {
            case .foreign:
                notes.append("left \(shownParent)/\(entry) alone: it holds files rkat did not write")
            case .complete where kind == "old-" && parent.status(name) == nil && errno == ENOENT:
                // The journal stopped between its two renames: roll back.
                // Without RENAME_NOREPLACE a plain rename is safe here: nothing is at the path.
                if rkat_renameat_noreplace(parent.fd, entry, name) == 0 || ((errno == ENOSYS || errno == EINVAL) && renameat(parent.fd, entry, parent.fd, name) == 0) {
                    notes.append("restored the previous outputs of \(shownParent)/\(name) from an interrupted run")
                }
            case .complete, .partial:
                if let n = removeOutput(parent: parent, name: entry, owner: name, shownParent: shownParent) { notes.append(n) }
            }
        }
        return notes
    }

    enum LeftoverState: Equatable {
        case complete, partial
        /// The first entry that is not a file rkat wrote there, as it wrote it.
        case foreign(String)
    }

    /// Whether a staging, aside or previous folder holds only what rkat wrote: its manifest and files
    /// it lists, each complete with its hash or (a write cut short) no longer than listed, and a
    /// writer's scratch files.
    static func leftoverState(parent: FolderHandle, name: String) -> LeftoverState {
        guard let folder = parent.folder(name), let all = folder.entries() else { return .foreign(name) }
        let entries = all.filter { !$0.hasPrefix(scratchPrefix) }
        if entries.isEmpty { return .partial }
        guard entries.contains(OutputManifest.fileName) else { return .foreign(entries[0]) }
        guard case .contents(let data) = folder.read(OutputManifest.fileName, limit: OutputManifest.maximumBytes),
            let manifest = OutputManifest(parsing: data)
        else {
            // A manifest cut short while written: nothing else may be there.
            return entries == [OutputManifest.fileName] ? .partial : .foreign(OutputManifest.fileName)
        }
        var complete = entries.count == manifest.files.count + 1 && all.count == entries.count
        for entry in entries where entry != OutputManifest.fileName {
            guard let listed = manifest.entry(entry), let s = folder.status(entry), s.st_mode & S_IFMT == S_IFREG else { return .foreign(entry) }
            if Int(s.st_size) < listed.bytes {
                complete = false
                continue
            }
            guard case .contents(let contents) = folder.read(entry, limit: listed.bytes), contents.count == listed.bytes,
                SHA256.hex([UInt8](contents)) == listed.sha256
            else { return .foreign(entry) }
        }
        return complete ? .complete : .partial
    }

    /// Removes a folder rkat wrote, through its descriptor, when every entry is the manifest, a file
    /// it lists (unchanged, or a write cut short) or a scratch file; otherwise the folder is kept under
    /// a visible name. Each file is held open while it is removed and looked at again afterwards: a
    /// write that reached it after the check is saved beside the output, never lost. Listed files go
    /// first, the manifest last, so a kill part-way leaves a folder that still proves what it is.
    @discardableResult
    static func removeOutput(parent: FolderHandle, name: String, owner: String, shownParent: String) -> String? {
        if case .foreign(let entry) = leftoverState(parent: parent, name: name) {
            return keepAside(parent: parent, entryName: name, name: owner, shownParent: shownParent, because: "'\(entry)' in it is not as rkat wrote it")
        }
        guard let folder = parent.folder(name), var entries = folder.entries() else { return nil }
        for entry in entries where entry.hasPrefix(scratchPrefix) { removeScratch(folder: folder, name: entry) }
        entries = entries.filter { folder.status($0) != nil }
        var held: [(entry: String, fd: Int32, before: stat)] = []
        defer { for h in held { close(h.fd) } }
        for entry in entries where entry != OutputManifest.fileName {
            let fd = openat(folder.fd, entry, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
            var s = stat()
            guard fd >= 0, fstat(fd, &s) == 0 else {
                if fd >= 0 { close(fd) }
                continue
            }
            held.append((entry, fd, s))
        }
        var first = true
        for h in held {
            unlinkat(folder.fd, h.entry, 0)
            if first { FaultInjection.point("removing-old") }
            first = false
        }
        // A writer that had the file open may have written since it was checked: save what it wrote.
        var notes: [String] = []
        for h in held {
            var after = stat()
            guard fstat(h.fd, &after) == 0, after.st_size != h.before.st_size || after.st_mtim.tv_sec != h.before.st_mtim.tv_sec
                || after.st_mtim.tv_nsec != h.before.st_mtim.tv_nsec
            else { continue }
            if case .contents(let data) = FolderHandle.read(descriptor: h.fd), (try? parent.create("\(owner).kept-\(h.entry)-\(getpid())", data)) != nil {
                notes.append("kept \(shownParent)/\(owner).kept-\(h.entry)-\(getpid()): '\(h.entry)' was written to while rkat removed an old output")
            }
        }
        unlinkat(folder.fd, OutputManifest.fileName, 0)
        if unlinkat(parent.fd, name, AT_REMOVEDIR) != 0 {
            notes.append(keepAside(parent: parent, entryName: name, name: owner, shownParent: shownParent, because: "a file appeared in it while rkat removed it"))
        }
        return notes.isEmpty ? nil : notes.joined(separator: "; ")
    }

    /// A writer's scratch subfolder (libxlsxwriter's temporaries, "tmp.XXXXXX", left by a kill before
    /// it unlinked them): its "tmp." files are removed, then the folder if nothing else is in it (a
    /// folder holding anything else stays, and so does the output folder around it).
    static func removeScratch(folder: FolderHandle, name: String) {
        guard let s = folder.status(name), s.st_mode & S_IFMT == S_IFDIR, let scratch = folder.folder(name) else { return }
        for entry in scratch.entries() ?? [] where entry.hasPrefix("tmp.") {
            if let t = scratch.status(entry), t.st_mode & S_IFMT == S_IFREG { unlinkat(scratch.fd, entry, 0) }
        }
        unlinkat(folder.fd, name, AT_REMOVEDIR)
    }

    static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}

/// Where `--out` points, resolved once. The parent folder is opened as the kernel resolves it (a
/// `..` after a symbolic link goes up from where the link leads; `~` is an ordinary name; a trailing
/// slash is dropped, so `link/` names the link itself); the deepest part of it that exists is held
/// open and the missing folders below it are made, relative to that descriptor, only when the
/// outputs are written. Every later step names the output folder as `name` inside that descriptor.
final class OutputLocation {
    let shown: String
    let option: String
    /// The output folder's last component: never empty, ".", ".." or holding a slash.
    let name: String
    /// The deepest existing folder of the parent, held open, and the parts below it still to make.
    private let base: FolderHandle
    private var missing: [String]
    /// The kernel's name for the parent folder (base's name and the missing parts), for messages
    /// and for comparing with the working directory and the input files.
    let parentShown: String
    /// The kernel's name for the output folder.
    let canonical: String
    private let workingDirectory: String?
    private let inputs: [String]
    private var parent: FolderHandle?
    private var stagingFolder: Staging?

    /// The staging folder of this run: created on first use, locked (the lock says its owner is alive).
    struct Staging {
        let name: String
        let folder: FolderHandle
        let shown: String
    }

    init(_ path: String, option: String, protecting inputs: [String]) throws(InputError) {
        self.shown = path
        self.option = option
        func refuse(_ reason: Phrase) -> InputError { InputError(reason.prefixed("\(option) \(path.isEmpty ? "\"\"" : path): ")) }
        guard !path.isEmpty else { throw refuse(Phrase("jalur kosong menunjuk folder kerja; beri folder baru seperti outputs/run-1", "an empty path names the working directory; give a new folder such as outputs/run-1")) }
        guard !path.contains("\0") else { throw refuse(Phrase("jalurnya memuat karakter NUL", "the path holds a NUL character")) }
        let absolute = path.hasPrefix("/")
        var parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let last = parts.popLast() else {
            throw refuse(Phrase("'/' menunjuk folder yang tidak dibuat rkat; beri folder keluaran nama sendiri, seperti outputs/run-1", "'/' names a folder rkat did not make; give the output folder a name of its own, such as outputs/run-1"))
        }
        if last == "." || last == ".." {
            throw refuse(Phrase("'\(last)' menunjuk folder yang tidak dibuat rkat; beri folder keluaran nama sendiri, seperti outputs/run-1", "'\(last)' names a folder rkat did not make; give the output folder a name of its own, such as outputs/run-1"))
        }
        name = last
        guard var folder = FolderHandle.open(absolute ? "/" : ".", followLast: true) else {
            throw refuse(Phrase(english: "cannot open the \(absolute ? "root folder" : "working directory") (\(String(cString: strerror(errno))))"))
        }
        var missing: [String] = []
        for (k, part) in parts.enumerated() {
            if !missing.isEmpty {
                guard part != ".." else { throw refuse(Phrase("'..' mengikuti '\(missing[0])', yang tidak ada", "'..' follows '\(missing[0])', which does not exist")) }
                if part != "." { missing.append(part) }
                continue
            }
            if let next = FolderHandle.open(part, in: folder.fd, followLast: true) {
                folder = next
                continue
            }
            let code = errno
            let so_far = (absolute ? "/" : "") + parts[0...k].joined(separator: "/")
            guard code == ENOENT, part != "..", part != "." else {
                if code == ENOTDIR { throw refuse(Phrase("'\(so_far)' bukan folder", "'\(so_far)' is not a folder")) }
                throw refuse(Phrase(english: "cannot open the folder '\(so_far)' (\(String(cString: strerror(code))))"))
            }
            if folder.status(part) != nil { throw refuse(Phrase("'\(so_far)' adalah tautan simbolik ke yang tidak ada", "'\(so_far)' is a symbolic link to nothing")) }
            missing.append(part)
        }
        guard let basePath = folder.path ?? OutputDirectory.realPath(absolute ? "/" : ".") else { throw refuse(Phrase("tidak dapat diuraikan", "cannot be resolved")) }
        self.base = folder
        self.missing = missing
        let parentPath = ([basePath == "/" ? "" : basePath] + missing).joined(separator: "/")
        self.parentShown = parentPath.isEmpty ? "/" : parentPath
        self.canonical = parentPath + "/" + name
        self.workingDirectory = OutputDirectory.realPath(".")
        self.inputs = inputs.compactMap(OutputDirectory.realPath)
        if missing.isEmpty { parent = folder }
    }

    deinit { discardStaging() }

    private func refuse(_ reason: Phrase) -> InputError { InputError(reason.prefixed("\(option) \(shown): ")) }

    /// The parent folder, its missing parts made now (each relative to the one above it).
    func parentFolder() throws(InputError) -> FolderHandle {
        if let parent { return parent }
        var folder = base
        for part in missing {
            if mkdirat(folder.fd, part, 0o755) != 0 && errno != EEXIST {
                throw InputError("\(option) \(shown): cannot create the folder \(parentShown) (\(String(cString: strerror(errno))))", file: nil)
            }
            guard let next = folder.folder(part) else {
                throw InputError("\(option) \(shown): cannot open the folder \(parentShown) (\(String(cString: strerror(errno))))", file: nil)
            }
            folder = next
        }
        missing = []
        parent = folder
        return folder
    }

    /// What is at the path now, or a one-line refusal.
    func inspect() throws(InputError) -> OutputDirectory.Target {
        guard let parent else { return .absent }
        if let cwd = workingDirectory, cwd == canonical || cwd.hasPrefix(canonical + "/") {
            throw refuse(Phrase("adalah folder kerja atau folder di atasnya; beri folder baru seperti outputs/run-1", "is the working directory or a folder above it; give a new folder such as outputs/run-1"))
        }
        for input in inputs where input.hasPrefix(canonical + "/") {
            throw refuse(Phrase(english: "holds the input file '\(String(input.dropFirst(canonical.count + 1)))'; choose another folder"))
        }
        guard let info = parent.status(name) else {
            if errno == ENOENT { return .absent }
            throw refuse(Phrase(english: "cannot be examined (\(String(cString: strerror(errno))))"))
        }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: break
        case S_IFLNK: throw refuse(Phrase("adalah tautan simbolik; rkat hanya menulis ke folder sungguhan yang dapat diganti utuh", "is a symbolic link; rkat writes only into a real folder it can replace whole"))
        case S_IFREG: throw refuse(Phrase("adalah berkas, bukan folder keluaran rkat; pilih folder lain", "is a file, not a folder of rkat's outputs; choose another folder"))
        case S_IFIFO: throw refuse(Phrase("adalah FIFO, bukan folder keluaran rkat; pilih folder lain", "is a FIFO, not a folder of rkat's outputs; choose another folder"))
        case S_IFSOCK: throw refuse(Phrase("adalah soket, bukan folder keluaran rkat; pilih folder lain", "is a socket, not a folder of rkat's outputs; choose another folder"))
        default: throw refuse(Phrase("adalah perangkat, bukan folder keluaran rkat; pilih folder lain", "is a device, not a folder of rkat's outputs; choose another folder"))
        }
        if let p = parent.status, p.st_dev != info.st_dev {
            throw refuse(Phrase("adalah titik kait (mount point); rkat hanya mengganti folder yang dapat diganti namanya, jadi pilih folder di dalamnya", "is a mount point; rkat replaces only a folder it can rename, so choose a folder inside it"))
        }
        guard let folder = parent.folder(name), let entries = folder.entries() else {
            throw refuse(Phrase(english: "cannot be read (\(String(cString: strerror(errno))))"))
        }
        if entries.isEmpty { return .empty }
        guard entries.contains(OutputManifest.fileName) else {
            throw refuse(Phrase("memuat '\(entries[0])', yang tidak ditulis rkat; pilih folder lain atau pindahkan berkasnya", "holds '\(entries[0])', which rkat did not write; choose another folder or move the file"))
        }
        let manifest: OutputManifest
        switch folder.read(OutputManifest.fileName, limit: OutputManifest.maximumBytes) {
        case .contents(let data):
            guard let m = OutputManifest(parsing: data) else {
                throw refuse(Phrase("memuat \(OutputManifest.fileName) yang tidak dapat dibaca rkat; pilih folder lain", "holds a \(OutputManifest.fileName) that rkat cannot read; choose another folder"))
            }
            manifest = m
        case .tooLarge:
            throw refuse(Phrase("memuat \(OutputManifest.fileName) lebih dari 1 MiB, yang tidak pernah ditulis rkat; pilih folder lain", "holds a \(OutputManifest.fileName) over 1 MiB, which rkat never writes; choose another folder"))
        case .notAFile, .unreadable:
            throw refuse(Phrase("memuat \(OutputManifest.fileName) yang tidak dapat dibaca rkat; pilih folder lain", "holds a \(OutputManifest.fileName) that rkat cannot read; choose another folder"))
        }
        for entry in entries where entry != OutputManifest.fileName {
            guard let listed = manifest.entry(entry) else {
                throw refuse(Phrase("memuat '\(entry)', yang tidak ditulis rkat; pilih folder lain atau pindahkan berkasnya", "holds '\(entry)', which rkat did not write; choose another folder or move the file"))
            }
            switch folder.read(entry, limit: listed.bytes) {
            case .contents(let contents) where SHA256.hex([UInt8](contents)) == listed.sha256 && contents.count == listed.bytes: break
            case .contents, .tooLarge:
                throw refuse(Phrase("memuat '\(entry)', yang berubah sejak ditulis rkat; pilih folder lain atau pindahkan berkasnya", "holds '\(entry)', changed since rkat wrote it; choose another folder or move the file"))
            case .notAFile, .unreadable:
                throw refuse(Phrase("memuat '\(entry)', yang bukan berkas tulisan rkat; pilih folder lain atau pindahkan", "holds '\(entry)', which is not the file rkat wrote; choose another folder or move it"))
            }
        }
        return .previousOutput(manifest)
    }

    /// This run's staging folder, made (with the parent) on first use.
    func staging() throws -> Staging {
        if let stagingFolder { return stagingFolder }
        let parent = try parentFolder()
        let name = OutputDirectory.sibling(self.name, "new")
        let shown = parentShown + "/" + name
        guard mkdirat(parent.fd, name, 0o700) == 0 else { throw OutputWriteError("cannot create \(shown): \(String(cString: strerror(errno)))") }
        guard let folder = parent.folder(name), flock(folder.fd, LOCK_EX | LOCK_NB) == 0 else {
            unlinkat(parent.fd, name, AT_REMOVEDIR)
            throw OutputWriteError("cannot lock \(shown): \(String(cString: strerror(errno)))")
        }
        // Readable like any output folder once it is in place (mkdir's 0700 kept it private while written).
        fchmod(folder.fd, 0o755)
        FaultInjection.point("staging-created")
        stagingFolder = Staging(name: name, folder: folder, shown: shown)
        return stagingFolder!
    }

    /// The staging folder was renamed into place: it is no longer this run's to discard.
    func stagingMoved() { stagingFolder = nil }

    /// Removes this run's staging folder (it holds only what this run wrote).
    func discardStaging() {
        guard let s = stagingFolder, let parent else { return }
        for entry in s.folder.entries() ?? [] { unlinkat(s.folder.fd, entry, 0) }
        unlinkat(parent.fd, s.name, AT_REMOVEDIR)
        stagingFolder = nil
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
    /// rkat's manifests are a line a file (~150 bytes); one larger than this is not rkat's, and is
    /// refused without being parsed.
    static let maximumBytes = 1 << 20

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

/// Test hooks for the kill and edit tests: `RKAT_FAULT_KILL_AT=STEP` makes the process SIGKILL itself
/// at that step of writing the outputs; `RKAT_FAULT_STOP_AT=STEP` makes it stop itself (SIGSTOP) there,
/// so a test can edit the folder at that instant and then let it go on (SIGCONT);
/// `RKAT_FAULT_NO_EXCHANGE=1` takes the journal path that file systems without RENAME_EXCHANGE take.
/// Documented in docs/outputs.md; they change nothing when unset.
enum FaultInjection {
    static let environment = ProcessInfo.processInfo.environment
    static var noExchange: Bool { environment["RKAT_FAULT_NO_EXCHANGE"] == "1" }

    static func point(_ step: String) {
        if environment["RKAT_FAULT_KILL_AT"] == step { kill(getpid(), SIGKILL) }
        if environment["RKAT_FAULT_STOP_AT"] == step { kill(getpid(), SIGSTOP) }
    }
}
