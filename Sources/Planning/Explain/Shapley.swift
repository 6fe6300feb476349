import Foundation

/// `rkat explain`'s arithmetic (docs/explain.md): a change from OLD to NEW split over groups of
/// differences by their Shapley values. v(S) is the figure with the groups in S taken from NEW and
/// the others from OLD (v(∅) = OLD, v(all) = NEW); a group's share is the average, over every order
/// in which the groups could be switched on, of what switching it on adds. The shares add up to
/// v(all) − v(∅) exactly (up to floating point), two groups that never interact get each its own
/// effect, and an interaction is split evenly between the groups in it.
public enum Shapley {
    /// The shares of `k` groups from v over every subset, indexed by bit mask (bit i set: group i
    /// from NEW). `values.count` must be 2^k.
    public static func shares(_ values: [Double]) -> [Double] {
        let n = values.count
        precondition(n > 0 && n & (n - 1) == 0, "2^k values")
        let k = n.trailingZeroBitCount
        // weight(s) = s! (k − s − 1)! / k! for a coalition of s groups not holding i.
        var factorial = [1.0]
        for i in 1...max(k, 1) { factorial.append(factorial[i - 1] * Double(i)) }
        var phi = [Double](repeating: 0, count: k)
        for i in 0..<k {
            let bit = 1 << i
            for mask in 0..<n where mask & bit == 0 {
                let s = mask.nonzeroBitCount
                let weight = factorial[s] * factorial[k - s - 1] / factorial[k]
                phi[i] += weight * (values[mask | bit] - values[mask])
            }
        }
        return phi
    }

    /// Shares in whole units that add up to the rounded change: each share rounded down or up (never
    /// further), the units the floors leave going to the largest fractional parts (ties to the first
    /// group): one-row controlled rounding, negative shares included.
    public static func wholeShares(_ shares: [Double], total: Double) -> [Int] {
        let floors = shares.map { Whole.clamped($0.rounded(.down)) }
        var left = Whole.clamped(total.rounded()) - floors.reduce(0, +)
        var out = floors
        let order = shares.indices.sorted { a, b in
            let fa = shares[a] - shares[a].rounded(.down), fb = shares[b] - shares[b].rounded(.down)
            return fa != fb ? fa > fb : a < b
        }
        for i in order where left > 0 {
            out[i] += 1
            left -= 1
        }
        return out
    }
}
