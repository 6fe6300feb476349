import Testing

@testable import Planning

/// Shapley values against games solved by hand.
@Suite struct ShapleyTests {
    /// Additive: each group its own effect, exactly.
    @Test func additiveGroupsGetTheirOwnEffects() {
        // v(S) = 100 + 3·[a] + 5·[b] − 2·[c], bit 0 = a.
        let v = (0..<8).map { m in 100 + (m & 1 != 0 ? 3.0 : 0) + (m & 2 != 0 ? 5 : 0) + (m & 4 != 0 ? -2 : 0) }
        #expect(Shapley.shares(v) == [3, 5, -2])
    }

    /// Two groups with an interaction: each gets its own effect and half the interaction.
    @Test func anInteractionIsSplitInHalves() {
        // v0 = 0, v(a) = 3, v(b) = 5, v(ab) = 10: interaction 2, so a = 3 + 1, b = 5 + 1.
        #expect(Shapley.shares([0, 3, 5, 10]) == [4, 6])
    }

    /// The glove game (players 1 and 2 hold left gloves, 3 a right one; a pair is worth 1): 1/6, 1/6, 2/3.
    @Test func theGloveGame() {
        var v = [Double](repeating: 0, count: 8)
        for m in 0..<8 where m & 4 != 0 && m & 3 != 0 { v[m] = 1 }
        let s = Shapley.shares(v)
        #expect(abs(s[0] - 1.0 / 6) < 1e-15 && abs(s[1] - 1.0 / 6) < 1e-15 && abs(s[2] - 2.0 / 3) < 1e-15)
    }

    /// Efficiency on an arbitrary game of 5 groups: the shares add up to v(all) − v(∅).
    @Test func sharesAddUpToTheChange() {
        var seed: UInt64 = 99
        let v = (0..<32).map { _ -> Double in
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Double(seed >> 40)
        }
        let s = Shapley.shares(v)
        #expect(abs(s.reduce(0, +) - (v[31] - v[0])) < 1e-6)
        let whole = Shapley.wholeShares(s, total: v[31] - v[0])
        #expect(whole.reduce(0, +) == Int(v[31] - v[0]))
        for (w, x) in zip(whole, s) { #expect(Double(w) == x.rounded(.down) || Double(w) == x.rounded(.down) + 1) }
    }

    /// Whole shares with negative parts: 2.5 − 1.25 − 0.25 = 1; the floors 2, −2, −1 leave 2 units, which
    /// go to the largest fractional parts (0.75 and 0.75, before 2.5's 0.5): 2, −1, 0.
    @Test func wholeSharesRoundOneRowUnderControl() {
        #expect(Shapley.wholeShares([2.5, -1.25, -0.25], total: 1) == [2, -1, 0])
        #expect(Shapley.wholeShares([0.5, 0.5], total: 1) == [1, 0])
        #expect(Shapley.wholeShares([-3, 7], total: 4) == [-3, 7])
    }
}
