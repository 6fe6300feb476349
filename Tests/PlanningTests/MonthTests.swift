import Testing

@testable import Planning

@Suite struct MonthTests {
    @Test func parsesAndPrints() {
        #expect(Month("2018-01") == Month(year: 2018, month: 1))
        #expect(Month("2018-1") == nil && Month("2018-13") == nil && Month("18-01") == nil)
        #expect(Month(year: 2017, month: 9).description == "2017-09")
    }

    @Test func arithmeticAndDecimalYears() {
        let nov = Month(year: 2017, month: 11)
        #expect(nov.adding(months: 2) == Month(year: 2018, month: 1))
        #expect(nov.adding(months: -11) == Month(year: 2016, month: 12))
        #expect(nov.distance(to: Month(year: 2018, month: 12)) == 13)
        #expect(Month(year: 2017, month: 12).decimalYear == 2018)
        #expect(months(from: nov, through: Month(year: 2018, month: 2)).count == 4)
    }
}
