import Testing

@testable import Fitting

/// `Whole`, the one conversion of a Double to an integer: nil (never a trap) for what Int cannot
/// hold exactly; the rounding rules as the standard library defines them (hand-checked values).
@Test func wholeConvertsOrSaysNo() {
    #expect(Whole.int(3.99) == 3 && Whole.int(-3.99) == -3)
    #expect(Whole.nearest(2.5) == 3 && Whole.nearest(-2.5) == -3 && Whole.nearest(2.4999) == 2)
    #expect(Whole.int(2.5, .down) == 2 && Whole.int(-2.5, .down) == -3 && Whole.int(2.01, .up) == 3)
    #expect(Whole.int(.nan) == nil && Whole.int(.infinity) == nil && Whole.int(-.infinity) == nil)
    // 2^53 is the last integer a Double holds with all its neighbours; beyond it, nil.
    #expect(Whole.int(9_007_199_254_740_992) == 9_007_199_254_740_992)
    #expect(Whole.int(9_007_199_254_740_994) == nil && Whole.int(-9_007_199_254_740_994) == nil)
    #expect(Whole.countable(9_007_199_254_740_992) && Whole.countable(-9_007_199_254_740_992) && Whole.countable(0))
    #expect(!Whole.countable(9_007_199_254_740_992.nextUp) && !Whole.countable(.nan) && !Whole.countable(-.infinity))
    #expect(Whole.int(1e19) == nil && Whole.int(-1e300) == nil)
    #expect(Whole.int(5e-324) == 0)
    // Saturation, for counts whose bound is documented at the call.
    #expect(Whole.clamped(.nan) == 0 && Whole.clamped(1e300) == 9_007_199_254_740_992 && Whole.clamped(-.infinity) == -9_007_199_254_740_992)
    #expect(Whole.clamped(7.6, .toNearestOrAwayFromZero) == 8 && Whole.clamped(7.6) == 7)
}
