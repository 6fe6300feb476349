import Foundation
import Testing

@testable import PlanIO

/// A file rkat wrote is rkat's only while its hash is the one its manifest lists: an edit that keeps
/// the file's size (one character changed) is an edit all the same (docs/outputs.md).
@Suite struct OutputEditTests {
    static func base() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rkat-edit-\(UUID().uuidString)")
    }

    /// An output holding a.csv = "1\n" at base/run, and a copy of it under a staging name no live run
    /// holds (its owner gone).
    static func outputAndLeftover(_ base: URL) throws -> (dir: String, leftover: String) {
        let dir = base.appendingPathComponent("run").path
        try write(dir, ["a.csv": "1\n"])
        let leftover = base.appendingPathComponent(".run.rkat-new-1-0").path
        try FileManager.default.copyItem(atPath: dir, toPath: leftover)
        return (dir, leftover)
    }

    static func write(_ dir: String, _ files: [String: String]) throws {
        var out = try OutputDirectory(path: dir)
        for (name, text) in files.sorted(by: { $0.key < $1.key }) { out.add(name, text) }
        try out.commit()
    }

    /// "1\n" edited to "2\n" (2 bytes either way): the folder is refused, the edit kept.
    @Test func aSameSizeEditIsRefused() throws {
        let base = Self.base()
        defer { try? FileManager.default.removeItem(at: base) }
        let dir = base.appendingPathComponent("run").path
        try Self.write(dir, ["a.csv": "1\n"])
        try "2\n".write(toFile: dir + "/a.csv", atomically: false, encoding: .utf8)
        var message = ""
        do { _ = try OutputDirectory(path: dir).check() } catch { message = error.description }
        #expect(message.contains("holds 'a.csv', changed since rkat wrote it"), "\(message)")
        #expect(try String(contentsOfFile: dir + "/a.csv", encoding: .utf8) == "2\n")
    }

    /// A leftover staging folder whose owner is gone is removed only when every file in it is as rkat
    /// wrote it or shorter (a write cut short): one of the listed size but another hash is an edit,
    /// so the folder is left alone and said to be.
    @Test func aLeftoverWithASameSizeEditIsLeftAlone() throws {
        let base = Self.base()
        defer { try? FileManager.default.removeItem(at: base) }
        let (dir, leftover) = try Self.outputAndLeftover(base)
        // The leftover edited in place.
        try "2\n".write(toFile: leftover + "/a.csv", atomically: false, encoding: .utf8)
        var next = try OutputDirectory(path: dir)
        next.add("a.csv", "3\n")
        let notes = try next.commit()
        #expect(notes.contains { $0.contains(".run.rkat-new-1-0 alone") }, "\(notes)")
        #expect(try String(contentsOfFile: leftover + "/a.csv", encoding: .utf8) == "2\n")
        #expect(try String(contentsOfFile: dir + "/a.csv", encoding: .utf8) == "3\n")
        // The same leftover holding a.csv cut short (1 byte of the 2 listed) is rkat's and removed.
        try "1".write(toFile: leftover + "/a.csv", atomically: false, encoding: .utf8)
        var again = try OutputDirectory(path: dir)
        again.add("a.csv", "4\n")
        _ = try again.commit()
        #expect(!FileManager.default.fileExists(atPath: leftover))
    }

    /// A run killed while libxlsxwriter held a temporary ("tmp.XXXXXX", not yet unlinked) leaves it in
    /// the staging folder's scratch subfolder: the next run removes that leftover whole. A scratch
    /// subfolder holding anything else is not rkat's to remove: the leftover stays.
    @Test func aLeftoverWithTheWorkbooksTemporariesIsRemoved() throws {
        let base = Self.base()
        defer { try? FileManager.default.removeItem(at: base) }
        let (dir, leftover) = try Self.outputAndLeftover(base)
        let scratch = leftover + "/" + OutputDirectory.scratchPrefix + "1-tmp"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false)
        try "zip part".write(toFile: scratch + "/tmp.nqcm6dj8xu", atomically: false, encoding: .utf8)
        var next = try OutputDirectory(path: dir)
        next.add("a.csv", "2\n")
        let notes = try next.commit()
        // Removed, not kept aside: only the output and its previous generation remain.
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() == [".run.rkat-previous", "run"], "\(notes)")
        #expect(notes.isEmpty, "\(notes)")
        #expect(try String(contentsOfFile: dir + "/a.csv", encoding: .utf8) == "2\n")

        try FileManager.default.copyItem(atPath: dir, toPath: leftover)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false)
        try "mine".write(toFile: scratch + "/notes.txt", atomically: false, encoding: .utf8)
        var again = try OutputDirectory(path: dir)
        again.add("a.csv", "3\n")
        let kept = try again.commit()
        // Kept, under a visible name the note gives.
        let found = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix("/notes.txt") } ?? []
        #expect(found.count == 1 && (try? String(contentsOfFile: base.path + "/" + found[0], encoding: .utf8)) == "mine", "\(found) \(kept)")
        #expect(kept.count == 1, "\(kept)")
        #expect(try String(contentsOfFile: dir + "/a.csv", encoding: .utf8) == "3\n")
    }
}
