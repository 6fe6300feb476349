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

    /// The planner's minus sign is used only before a negative figure.
    @Test func theMinusSignIsOnlyForNegativeFigures() {
        #expect(NumberText.grouped(-0.3, separator: ",", minus: "−") == "0")
        #expect(NumberText.grouped(-2_500, separator: ",", minus: "−") == "−2,500")
    }
}
