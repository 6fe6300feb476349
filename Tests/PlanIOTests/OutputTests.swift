import Foundation
import Testing

@testable import PlanIO

@Suite struct OutputTests {
    /// FIPS 180-4 / NIST CSRC example vectors.
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256Vectors(message: String, digest: String) {
        #expect(SHA256.hex(Array(message.utf8)) == digest)
    }

    @Test func sha256OfAMillionAs() {
        #expect(SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func commitReplacesTheDirectoryWhole() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("rkat-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: base) }
        let dir = base.appendingPathComponent("run").path
        var first = try OutputDirectory(path: dir)
        first.add("a.csv", "1\n")
        first.add("stale.csv", "old\n")
        try first.commit()
        var second = try OutputDirectory(path: dir)
        second.add("a.csv", "2\n")
        try second.commit()
        #expect(try String(contentsOfFile: dir + "/a.csv", encoding: .utf8) == "2\n")
        #expect(!FileManager.default.fileExists(atPath: dir + "/stale.csv"))
        // No staging folder is left behind; the replaced output is kept as the previous generation.
        #expect(try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() == [".run.rkat-previous", "run"])
        #expect(try String(contentsOfFile: base.path + "/.run.rkat-previous/a.csv", encoding: .utf8) == "1\n")
    }

    @Test func csvFieldsAreQuotedAndNumbersFixed() {
        #expect(CSVWriter.escape("a,b") == "\"a,b\"" && CSVWriter.escape("say \"x\"") == "\"say \"\"x\"\"\"")
        #expect(CSVWriter.persons(-0.0001) == "0.00" && CSVWriter.persons(1234.5) == "1234.50" && CSVWriter.persons(nil) == "")
    }
}
