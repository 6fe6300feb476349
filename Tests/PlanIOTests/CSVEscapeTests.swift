import Foundation
import Testing

@testable import PlanIO

/// RFC 4180 §2.6: a field holding a comma, a double quote or a line break (CR or LF) is enclosed in
/// double quotes, or a reader splits the row there.
@Suite struct CSVEscapeTests {
    @Test(arguments: [
        ("a\nb", "\"a\nb\""),
        // A lone CR is a line break to readers too (old Mac files, Excel cells).
        ("a\rb", "\"a\rb\""),
        ("a\r", "\"a\r\""),
        // CR LF is one Character in Swift, equal to neither "\r" nor "\n": it is a line break all the same.
        ("line one\r\nline two", "\"line one\r\nline two\""),
        ("plain text", "plain text"),
    ])
    func lineBreaksAreQuoted(field: String, escaped: String) {
        #expect(CSVWriter.escape(field) == escaped)
    }

    /// A row with a CR in a field still ends where CSVWriter ends it: one CRLF, at the end.
    @Test func aRowWithACarriageReturnStaysOneRow() {
        var w = CSVWriter(header: ["a", "b"])
        w.row(["x\ry", "z"])
        #expect(w.text == "a,b\r\n\"x\ry\",z\r\n")
    }
}
