/// Monthly phasing of annual targets (the RKAT is tracked month by month).
public enum Phasing {
    /// Stock targets follow the projected median path M bent to the year-end target T:
    /// T_m = A₀ + (T − A₀)·(M_m − A₀)/(M_last − A₀); linear from A₀ to T when M_last = A₀.
    /// Monotone wherever M is (the map is affine in M with a positive or zero slope when T and
    /// M_last lie on the same side of A₀).
    public static func stock(start a0: Double, median: [Double], target: Double) -> [Double] {
        guard let last = median.last else { return [] }
        let span = last - a0
        if span == 0 {
            return median.indices.map { a0 + (target - a0) * Double($0 + 1) / Double(median.count) }
        }
        return median.map { a0 + (target - a0) * ($0 - a0) / span }
    }

    /// Flow targets: the annual target spread in proportion to the projected monthly flow, as whole
    /// persons that sum exactly to the target (largest remainder; ties go to the earlier month).
    /// Equal shares when the projected flow is zero throughout.
    public static func flow(target: Int, weights: [Double]) -> [Int] {
        guard !weights.isEmpty else { return [] }
        let positive = weights.map { $0 > 0 && $0.isFinite ? $0 : 0 }
        let total = positive.reduce(0, +)
        let shares = total > 0 ? positive.map { $0 / total } : positive.map { _ in 1 / Double(positive.count) }
        let exact = shares.map { $0 * Double(target) }
        var whole = exact.map { Whole.clamped($0, .down) }
        var left = target - whole.reduce(0, +)
        let order = exact.indices.sorted { a, b in
            let ra = exact[a] - Double(whole[a]), rb = exact[b] - Double(whole[b])
            return ra != rb ? ra > rb : a < b
        }
        var i = 0
        while left > 0 {
            whole[order[i % order.count]] += 1
            left -= 1
            i += 1
        }
        return whole
    }

    /// Quarter sums of twelve monthly figures (or of as many as there are).
    public static func quarters(_ monthly: [Int]) -> [Int] {
        stride(from: 0, to: monthly.count, by: 3).map { monthly[$0..<min($0 + 3, monthly.count)].reduce(0, +) }
    }

    /// Running totals ("s.d." — sampai dengan — columns).
    public static func cumulative(_ monthly: [Int]) -> [Int] {
        var sum = 0
        return monthly.map { sum += $0; return sum }
    }
}
