import Testing

@testable import PlanIO

/// The CSV reader's quote rules (RFC 4180 plus the blanks the reader tolerates) and the writers' number
/// formats, each against a value written out by hand.
@Suite struct CSVQuoteOracleTests {
    static func cell(_ text: String) throws -> String {
        try CSVTable.parse("x,y\n1,\(text)\n", file: "t.csv").rows[0][1].text
    }

    static func error(_ text: String) -> String? {
        do {
            _ = try CSVTable.parse(text, file: "t.csv")
            return nil
        } catch {
            return error.description
        }
    }

    @Test func quotedFieldsKeepCommasDoubledQuotesAndNewlines() throws {
        #expect(try Self.cell("\"1,5\"") == "1,5")
        #expect(try Self.cell("\"a\"\"b\"") == "a\"b")
        #expect(try Self.cell("\"\"") == "")
        #expect(try Self.cell("\"\"\"\"") == "\"")
        #expect(try Self.cell("\"two\nlines\"") == "two\nlines")
        // Blanks around an unquoted field are trimmed; inside quotes they are kept.
        #expect(try Self.cell("  2 ") == "2")
        #expect(try Self.cell("\" 2 \"") == " 2 ")
    }

    @Test func blanksAroundAQuotedFieldAreNotPartOfIt() throws {
        // `1, "2" ` is the number 2: the blanks before the opening and after the closing quote are layout.
        #expect(try Self.cell(" \"2\" ") == "2")
        #expect(try CSVTable.parse("x,y\n1,\"2\"\t\n", file: "t.csv").numbers("y") == [2])
    }

    @Test(arguments: [
        // `"2"5` is not 25: text after the closing quote, at the 5 (line 2, column 6).
        ("x,y\n1,\"2\"5\n", "t.csv:2:6: text after a closing quote"),
        ("x,y\n1,\"2\" 5\n", "t.csv:2:7: text after a closing quote"),
        ("x,y\n\"1\"\"\"x,2\n", "t.csv:2:6: text after a closing quote"),
        // A quote that does not open the field.
        ("x,y\n1,2\"5\"\n", "t.csv:2:4: a quote inside an unquoted field (quote the whole field and double the quote)"),
        ("x,y\n1,\"2\n3\n", "t.csv:2:3: a quoted field is not closed"),
    ])
    func quoteErrorsAreLocated(text: String, message: String) {
        #expect(Self.error(text) == message)
    }
}

@Suite struct NumberFormatOracleTests {
    @Test func csvFixedDigitsAndNoNegativeZero() {
        #expect(CSVWriter.fixed(1_704_308, 0) == "1704308")
        #expect(CSVWriter.fixed(0.2, 6) == "0.200000")
        #expect(CSVWriter.fixed(-0.0001, 2) == "0.00")
        #expect(CSVWriter.fixed(-1.5, 2) == "-1.50")
        #expect(CSVWriter.fixed(nil, 2) == "")
    }

    @Test func wordsUseIndonesianSeparatorsByDefault() {
        // 1,704,308 persons: "1.704.308" (id), "1,704,308" (en); 0.132 → "13,2%" (id), "13.2%" (en).
        #expect(Words(indonesian: true).persons(1_704_308) == "1.704.308")
        #expect(Words(indonesian: false).persons(1_704_308) == "1,704,308")
        #expect(Words(indonesian: true).persons(999) == "999")
        #expect(Words(indonesian: false).persons(-28_557) == "-28,557")
        #expect(Words(indonesian: true).percent(0.132) == "13,2%")
        #expect(Words(indonesian: false).percent(0.132) == "13.2%")
        #expect(Words(indonesian: false).percent(-0.05) == "-5.0%")
    }
}
