import Testing

@testable import PlanIO

@Suite struct CSVTableTests {
    @Test func readsQuotedFieldsCRLFAndBOM() throws {
        let text = "\u{FEFF}date,value,source\r\n2017-09,\"726119\",\"seed 000, \"\"Sumbagut\"\"\"\r\n\r\n2017-11,791254,\"two\nlines\"\r\n"
        let t = try CSVTable.parse(text, file: "h.csv")
        #expect(t.header == ["date", "value", "source"])
        #expect(t.rows.count == 2)
        #expect(t.rows[0][2].text == "seed 000, \"Sumbagut\"")
        #expect(t.rows[1][2].text == "two\nlines")
        #expect(t.rows[1][0].line == 4 && t.rows[1][1].column == 9)
        #expect(try t.numbers("value") == [726119, 791254])
    }

    @Test func monthsAreEndOfMonthDecimalYears() throws {
        let t = try CSVTable.parse("d,y\n2018-01,1\n2018-12,2\n2017.5,3\n2020-02-29,4\n", file: "d.csv")
        let times = try t.times("d")
        #expect(times[0] == 2018 + 1.0 / 12)
        #expect(times[1] == 2019)
        #expect(times[2] == 2017.5)
        #expect(abs(times[3] - (2020 + 60.0 / 366)) < 1e-12)
    }

    /// Gregorian leap years: 2000 (divisible by 400) has a 29 February, 1900 and 2100 (by 100, not 400)
    /// do not. 1900-03-01 is day 31 + 28 + 1 = 60 of 365; 2000-03-01 day 31 + 29 + 1 = 61 of 366.
    @Test func centuryYearsAreLeapOnlyWhenDivisibleBy400() throws {
        let t = try CSVTable.parse("d,y\n2000-02-29,1\n2000-03-01,2\n1900-03-01,3\n", file: "d.csv")
        let times = try t.times("d")
        #expect(abs(times[0] - (2000 + 60.0 / 366)) < 1e-12)
        #expect(abs(times[1] - (2000 + 61.0 / 366)) < 1e-12)
        #expect(abs(times[2] - (1900 + 60.0 / 365)) < 1e-12)
        for day in ["1900-02-29", "2100-02-29"] {
            #expect(throws: InputError.self) { try CSVTable.parse("d,y\n\(day),1\n", file: "d.csv").times("d") }
        }
    }

    @Test(arguments: [
        ("x,y\n1,2\n3,abc\n", "y", "t.csv:3:3: column 'y': 'abc' is not a number"),
        ("x,y\n1,2\n3,\n", "y", "t.csv:3:3: column 'y': an empty cell is not a number"),
        ("x,y\n1,2\n3,1.704.308\n", "y", "t.csv:3:3: column 'y': '1.704.308' is not a number"),
        ("x,yy\n1,2\n", "y", "t.csv:1:1: no column 'y' (did you mean 'yy'?); columns: x, yy"),
    ])
    func columnErrorsPointAtTheCell(text: String, column: String, message: String) {
        #expect(throws: InputError.self) { try CSVTable.parse(text, file: "t.csv").numbers(column) }
        do {
            _ = try CSVTable.parse(text, file: "t.csv").numbers(column)
        } catch {
            #expect(error.description == message)
        }
    }

    @Test(arguments: [
        ("x,y\n1,2,3\n", "t.csv:2:1: this row has 3 fields but the header has 2"),
        ("x,y\n1,\"2\n", "t.csv:2:3: a quoted field is not closed"),
        ("x,y\n1,2\"3\n", "t.csv:2:4: a quote inside an unquoted field (quote the whole field and double the quote)"),
        ("x,x\n1,2\n", "t.csv:1:3: duplicate column name 'x'"),
        ("", "t.csv: the file is empty (a header row is expected)"),
    ])
    func malformedFilesAreLocated(text: String, message: String) {
        do {
            _ = try CSVTable.parse(text, file: "t.csv")
            Issue.record("expected an error for \(text.debugDescription)")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func missingFileIsAnInputError() {
        do {
            _ = try CSVTable.read(path: "/nonexistent/h.csv")
            Issue.record("expected an error")
        } catch {
            #expect(error.description == "/nonexistent/h.csv: no such file")
        }
    }
}
