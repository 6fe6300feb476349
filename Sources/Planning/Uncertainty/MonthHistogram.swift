/// Bucket counts per month, filled while the draws are copied into place, so the exact quantiles
/// need one more pass over the month instead of two. The buckets span three times the range of the
/// first block of draws (from its low end minus one range to its high end plus one); values outside
/// land in an underflow or overflow bucket, and a month whose wanted order statistic falls there is
/// redone by `Quantiles.bucketed` from its exact range.
struct MonthHistogram {
    static let buckets = 1024
    let months: Int
    private(set) var low: [Double]
    private(set) var scale: [Double]
    private(set) var high: [Double]
    /// months × 2 interleaved rows × (buckets + 2): [underflow, buckets…, overflow].
    private(set) var counts: [Int]
    private(set) var ready = false

    init(months: Int) {
        self.months = months
        low = [Double](repeating: 0, count: months)
        high = low
        scale = low
        counts = [Int](repeating: 0, count: 2 * months * (Self.buckets + 2))
    }

    /// Sets the buckets from the first block's range per month.
    mutating func start(bounds: [(Double, Double)]) {
        for k in 0..<months {
            let (lo, hi) = bounds[k]
            var width = hi - lo
            if !(width > 0) { width = max(abs(lo) * 1e-6, 1e-9) }
            low[k] = lo - width
            high[k] = hi + width
            scale[k] = Double(Self.buckets) / (high[k] - low[k])
        }
        ready = true
    }

    @inline(__always) static func slot(_ x: Double, low: Double, high: Double, scale: Double) -> Int {
        if x < low { return 0 }
        if x >= high { return buckets + 1 }
        return min(Int((x - low) * scale), buckets - 1) + 1
    }

    /// Counts values of month k. Neighbouring draws often share a bucket, so two interleaved count
    /// rows break the store-to-load chain of repeated increments; they are summed in `quantiles`.
    mutating func count(month k: Int, _ values: UnsafeBufferPointer<Double>) {
        let lo = low[k], hi = high[k], sc = scale[k]
        let slots = Self.buckets + 2, base = 2 * k * slots
        counts.withUnsafeMutableBufferPointer { c in
            var i = 0
            while i + 1 < values.count {
                c[base + Self.slot(values[i], low: lo, high: hi, scale: sc)] += 1
                c[base + slots + Self.slot(values[i + 1], low: lo, high: hi, scale: sc)] += 1
                i += 2
            }
            if i < values.count { c[base + Self.slot(values[i], low: lo, high: hi, scale: sc)] += 1 }
        }
    }

    /// Exact type-7 quantiles of month k's values (`range` of `v`, whose exact min and max are
    /// `bounds`), or nil when an order statistic lies outside the buckets.
    func quantiles(month k: Int, _ v: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, bounds: (Double, Double), levels: [Double]) -> [Double]? {
        let (minimum, maximum) = bounds
        if minimum == maximum { return levels.map { _ in minimum } }
        let n = range.count, slots = Self.buckets + 2, base = 2 * k * slots
        var merged = [Int](repeating: 0, count: slots)
        for s in 0..<slots { merged[s] = counts[base + s] + counts[base + slots + s] }
        var cumulative = [Int](repeating: 0, count: slots + 1)
        for s in 0..<slots { cumulative[s + 1] = cumulative[s] + merged[s] }
        guard cumulative[slots] == n else { return nil }
        func slotOf(rank r: Int) -> Int {
            var s = 0
            while cumulative[s + 1] <= r { s += 1 }
            return s
        }
        var ranks: [Int] = []
        for q in levels {
            let h = Double(n - 1) * q
            let r = Int(h.rounded(.down))
            ranks.append(r)
            if h > Double(r) && r + 1 < n { ranks.append(r + 1) }
        }
        var offset = [Int](repeating: -1, count: slots)
        var total = 0
        for r in ranks {
            let s = slotOf(rank: r)
            if s == 0 || s == slots - 1 { return nil }
            if offset[s] < 0 {
                offset[s] = total
                total += merged[s]
            }
        }
        let lo = low[k], hi = high[k], sc = scale[k]
        var gathered = [Double](repeating: 0, count: total)
        var fill = offset
        gathered.withUnsafeMutableBufferPointer { g in
            fill.withUnsafeMutableBufferPointer { f in
                for i in range {
                    let x = v[i]
                    let s = Self.slot(x, low: lo, high: hi, scale: sc)
                    let at = f[s]
                    if at >= 0 {
                        g[at] = x
                        f[s] = at + 1
                    }
                }
            }
        }
        for s in 0..<slots where offset[s] >= 0 { gathered[offset[s]..<(offset[s] + merged[s])].sort() }
        func order(_ r: Int) -> Double {
            let s = slotOf(rank: r)
            return gathered[offset[s] + r - cumulative[s]]
        }
        return levels.map { q in
            let h = Double(n - 1) * q
            let r = Int(h.rounded(.down))
            let frac = h - Double(r)
            let a = order(r)
            return frac > 0 && r + 1 < n ? a + frac * (order(r + 1) - a) : a
        }
    }
}
