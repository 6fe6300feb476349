/// Sample quantiles (R's type 7: linear between order statistics) by selection, not a full sort:
/// the median first, then the lower levels in its left part and the upper ones in its right part.
enum Quantiles {
    /// Quantiles of `values[range]` at `levels` (ascending, in (0, 1)); reorders that slice.
    static func compute(_ values: inout [Double], _ range: Range<Int>, levels: [Double]) -> [Double] {
        precondition(range.count > 0 && range.upperBound <= values.count)
        return values.withUnsafeMutableBufferPointer { compute($0, range, levels: levels) }
    }

    static func compute(_ values: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, levels: [Double]) -> [Double] {
        if range.count >= 4096, let q = bucketed(values, range, levels: levels) { return q }
        return selected(values, range, levels: levels)
    }

    /// Exact quantiles of large samples in two linear passes: count the values into buckets over
    /// [min, max], then select only inside the buckets that hold the wanted order statistics.
    static func bucketed(
        _ v: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, levels: [Double], bounds: (Double, Double)? = nil
    ) -> [Double]? {
        var lo = Double.infinity, hi = -Double.infinity
        if let bounds {
            (lo, hi) = bounds
        } else {
            for i in range {
                let x = v[i]
                lo = min(lo, x)
                hi = max(hi, x)
            }
        }
        guard lo.isFinite, hi.isFinite else { return nil }
        if lo == hi { return levels.map { _ in lo } }
        let buckets = 1024
        let scale = Double(buckets) / (hi - lo)
        var counts = [Int](repeating: 0, count: buckets)
        @inline(__always) func bucket(_ x: Double) -> Int { min(Int((x - lo) * scale), buckets - 1) }
        counts.withUnsafeMutableBufferPointer { c in
            for i in range { c[bucket(v[i])] += 1 }
        }
        return fromCounts(v, range, counts: counts, levels: levels, slot: bucket)
    }

    /// Exact type-7 quantiles from bucket counts: one pass gathers the values of the buckets that hold
    /// the wanted order statistics, which are then sorted bucket by bucket. `slot` must put each value
    /// in the bucket it was counted in; nil when a wanted statistic falls in an `open` bucket (an
    /// underflow or overflow bucket whose values were not bounded).
    static func fromCounts(
        _ v: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, counts: [Int], levels: [Double],
        open: Set<Int> = [], slot: (Double) -> Int
    ) -> [Double]? {
        let n = range.count, slots = counts.count
        guard counts.reduce(0, +) == n else { return nil }
        // The order statistics (0-based ranks) the levels need, ascending, located in one sweep of
        // the counts: bucket and the number of values below it.
        var ranks: [Int] = []
        for q in levels {
            let h = Double(n - 1) * q
            let r = Int(h.rounded(.down))
            ranks.append(r)
            if h > Double(r) && r + 1 < n { ranks.append(r + 1) }
        }
        ranks.sort()
        var located: [(rank: Int, bucket: Int, below: Int)] = []
        var below = 0, b = 0
        for r in ranks {
            while below + counts[b] <= r {
                below += counts[b]
                b += 1
            }
            if open.contains(b) { return nil }
            located.append((r, b, below))
        }
        var offset = [Int](repeating: -1, count: slots)
        var total = 0
        for l in located where offset[l.bucket] < 0 {
            offset[l.bucket] = total
            total += counts[l.bucket]
        }
        var gathered = [Double](repeating: 0, count: total)
        var fill = offset
        gathered.withUnsafeMutableBufferPointer { g in
            fill.withUnsafeMutableBufferPointer { f in
                for i in range {
                    let x = v[i]
                    let b = slot(x)
                    let at = f[b]
                    if at >= 0 {
                        g[at] = x
                        f[b] = at + 1
                    }
                }
            }
        }
        for b in 0..<slots where offset[b] >= 0 {
            gathered[offset[b]..<(offset[b] + counts[b])].sort()
        }
        func order(_ r: Int) -> Double {
            let l = located.first { $0.rank == r }!
            return gathered[offset[l.bucket] + r - l.below]
        }
        return levels.map { q in
            let h = Double(n - 1) * q
            let r = Int(h.rounded(.down))
            let frac = h - Double(r)
            let a = order(r)
            return frac > 0 && r + 1 < n ? a + frac * (order(r + 1) - a) : a
        }
    }

    /// Quantiles by repeated quickselect, for small samples.
    static func selected(_ values: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, levels: [Double]) -> [Double] {
        let n = range.count
        var out = [Double](repeating: 0, count: levels.count)
        // Levels ascend, so each order statistic is found in the part above the previous one:
        // every selection narrows the range the next one searches.
        var from = range.lowerBound
        var cache: (k: Int, v: Double) = (-1, 0)
        func order(_ k: Int) -> Double {
            if k == cache.k { return cache.v }
            let v = select(values, max(from, range.lowerBound)..<range.upperBound, k: k)
            from = k + 1
            cache = (k, v)
            return v
        }
        for (i, q) in levels.enumerated() {
            let h = Double(n - 1) * q
            let lo = Int(h.rounded(.down))
            let frac = h - Double(lo)
            let a = order(range.lowerBound + lo)
            if frac > 0 && lo + 1 < n {
                let b = order(range.lowerBound + lo + 1)
                out[i] = a + frac * (b - a)
            } else {
                out[i] = a
            }
        }
        return out
    }

    /// Hoare's quickselect: puts the k-th smallest of v[range] at k, smaller ones before it, larger
    /// after it. Pivots are the median of three, so sorted input stays linear.
    static func select(_ v: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, k: Int) -> Double {
        var lo = range.lowerBound, hi = range.upperBound - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if v[mid] < v[lo] { v.swapAt(mid, lo) }
            if v[hi] < v[lo] { v.swapAt(hi, lo) }
            if v[hi] < v[mid] { v.swapAt(hi, mid) }
            let pivot = v[mid]
            var i = lo, j = hi
            while i <= j {
                while v[i] < pivot { i += 1 }
                while pivot < v[j] { j -= 1 }
                if i <= j {
                    v.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return v[k] }
        }
        return v[k]
    }
}
