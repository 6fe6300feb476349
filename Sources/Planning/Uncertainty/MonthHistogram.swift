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
    /// months × 2 interleaved rows × (buckets + 2): [underflow, buckets…, overflow]; Int32 keeps the
    /// counts of a cell small enough to stay in cache (a month has at most the draws).
    private(set) var counts: [Int32]
    private(set) var ready = false

    init(months: Int) {
        self.months = months
        low = [Double](repeating: 0, count: months)
        high = low
        scale = low
        counts = [Int32](repeating: 0, count: 2 * months * (Self.buckets + 2))
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
                c[base + Self.slot(values[i], low: lo, high: hi, scale: sc)] &+= 1
                c[base + slots + Self.slot(values[i + 1], low: lo, high: hi, scale: sc)] &+= 1
                i += 2
            }
            if i < values.count { c[base + Self.slot(values[i], low: lo, high: hi, scale: sc)] &+= 1 }
        }
    }

    /// Exact type-7 quantiles of month k's values (`range` of `v`), or nil when an order statistic
    /// lies outside the buckets. Equal values share a bucket and come back exactly.
    func quantiles(month k: Int, _ v: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, levels: [Double]) -> [Double]? {
        let slots = Self.buckets + 2, base = 2 * k * slots
        let merged = (0..<slots).map { Int(counts[base + $0]) + Int(counts[base + slots + $0]) }
        let lo = low[k], hi = high[k], sc = scale[k]
        return Quantiles.fromCounts(v, range, counts: merged, levels: levels, open: [0, slots - 1]) {
            Self.slot($0, low: lo, high: hi, scale: sc)
        }
    }
}
