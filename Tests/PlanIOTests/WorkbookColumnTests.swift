import Testing

@testable import PlanIO

/// Excel's column letters (bijective base 26, as Excel numbers its columns): the month sheets' SUM
/// formulas name columns B to M by them.
@Suite struct WorkbookColumnTests {
    @Test(arguments: [(0, "A"), (1, "B"), (12, "M"), (25, "Z"), (26, "AA"), (51, "AZ"), (52, "BA"), (701, "ZZ"), (702, "AAA"), (16_383, "XFD")])
    func columnLetters(_ index: Int, _ letters: String) {
        #expect(TargetsWorkbook.columnName(index) == letters)
    }
}
