import Foundation
import Testing

@testable import Fitting

/// Grouped whole numbers (tables and messages): rounded half away from zero, and a figure that
/// rounds to zero is 0, never "-0".
@Suite struct NumberTextTests {
    @Test(arguments: [
        (-0.4, "0"),  // −0.4 rounds to −0, shown as 0
        (-0.0, "0"),
        (0.4, "0"),
        (-0.5, "-1"),  // half away from zero
        (-1_704_308.2, "-1.704.308"),
        (1_704_307.5, "1.704.308"),
    ])
    func groupedNeverShowsMinusZero(value: Double, text: String) {
        #expect(NumberText.grouped(value, separator: ".") == text)
    }

    /// Groups of three from the right, the first group 1 to 3 digits, never empty: 7, 999, 1.000,
    /// 100.000, 999.999, 1.000.000 (and 10^18 with six separators).
    @Test(arguments: [
        (7.0, "7"), (999, "999"), (1_000, "1.000"), (100_000, "100.000"), (999_999, "999.999"), (1_000_000, "1.000.000"),
        (-123_456, "-123.456"), (1e18, "1.000.000.000.000.000.000"),
    ])
    func groupsOfThree(value: Double, text: String) {
        #expect(NumberText.grouped(value, separator: ".") == text)
    }

    /// The planner's minus sign is used only before a negative figure.
    @Test func theMinusSignIsOnlyForNegativeFigures() {
        #expect(NumberText.grouped(-0.3, separator: ",", minus: "−") == "0")
        #expect(NumberText.grouped(-2_500, separator: ",", minus: "−") == "−2,500")
        // A message's figure (two decimals): −0.004 rounds to nothing and is written 0, not −0;
        // −0.3 keeps its sign (−0.3 / −0,3); a difference of −40 is "−40".
        let (id, en) = (Phrase.Language(indonesian: true), Phrase.Language(indonesian: false))
        #expect(en.figure(-0.004) == "0" && id.figure(-0.004) == "0")
        #expect(en.figure(-0.3) == "−0.3" && id.figure(-0.3) == "−0,3" && en.signed(-40) == "−40" && en.signed(0) == "+0")
    }
}
