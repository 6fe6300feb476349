import Foundation
import Testing

@testable import PlanIO

/// The hand-written JSON strings of run.json and the manifest against RFC 8259 §7 and an independent
/// parser (Foundation's JSONSerialization): every control character as \u followed by four hex digits,
/// and every string read back as written.
@Suite struct JSONTextTests {
    @Test func controlCharactersTakeFourHexDigits() {
        #expect(JSONText.string("a\u{1}b") == "\"a\\u0001b\"")
        #expect(JSONText.string("\u{1F}") == "\"\\u001f\"")
        #expect(JSONText.string("\u{7F}") == "\"\\u007f\"")
        #expect(JSONText.string("tab\there \"q\" \\ \r\n") == "\"tab\\there \\\"q\\\" \\\\ \\r\\n\"")
    }

    @Test func everyStringReadsBackAsWritten() throws {
        let samples = (0..<0x80).map { String(UnicodeScalar(UInt8($0))) } + ["Kanwil Sumbagut — 2018", "Rp 16.800 · é ü 中", "\u{1}\u{2}\u{1F}x\u{7F}"]
        for s in samples {
            let text = "[" + JSONText.string(s) + "]"
            let back = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
            #expect(back == [s], "\(text)")
        }
    }
}
