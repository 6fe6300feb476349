/// Sample quantiles (R's type 7: linear between order statistics) by selection, not a full sort:
/// the median first, then the lower levels in its left part and the upper ones in its right part.
enum Quantiles {
    /// Samples at least this large take the bucketed path (selection is faster below).
    static let bucketedFrom = 4096

    /// Quantiles of `values[range]` at `levels` (ascending, in (0, 1)); reorders that slice.
    static func compute(_ values: inout [Double], _ range: Range<Int>, levels: [Double]) -> [Double] {
        precondition(range.count > 0 && range.upperBound <= values.count)
        return values.withUnsafeMutableBufferPointer { compute($0, range, levels: levels) }
    }

    static func compute(_ values: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, levels: [Double]) -> [Double] {
        if range.count >= bucketedFrom, let q = bucketed(values, range, levels: levels) { return q }
        return selected(values, range, levels: levels)
    }

    /// Exact quantiles of large samples in linear passes: each value's bucket (a loop the compiler
    /// vectorises), the bucket counts, then a selection only among the values of the buckets that hold
    /// the wanted order statistics. Any monotone bucketing gives the exact answer, so the buckets need
    /// not cover every value: they span the range of every 16th value, widened by a quarter each
    /// side, and values beyond go to the end buckets (sorted like any other when a wanted statistic
    /// falls there, which only costs time).
    static func bucketed(_ v: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, levels: [Double]) -> [Double]? {
        let n = range.count, base = v.baseAddress! + range.lowerBound
        var (lo, hi) = Self.sampledBounds(UnsafeBufferPointer(start: base, count: n))
        if !(lo.isFinite && hi.isFinite && lo < hi) {
            (lo, hi) = Self.bounds(UnsafeBufferPointer(start: base, count: n))
            guard lo.isFinite, hi.isFinite else { return nil }
            if lo == hi { return levels.map { _ in lo } }
        }
        // Buckets 0...1024: (x − lo)·scale clamped to [0, 1024] and rounded to the nearest integer by
        // the magic-number trick (no trapping conversion, so the loop vectorises); monotone in x.
        let buckets = 1025
        let scale = 1024 / (hi - lo)
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: n) { slots in
            for i in 0..<n {
                var t = (base[i] - lo) * scale
                t = t > 0 ? t : 0
                t = t < 1024 ? t : 1024
                slots[i] = Int32(truncatingIfNeeded: (t + Persons.roundingConstant).bitPattern)
            }
            // Four interleaved count rows, so repeated increments of one bucket do not wait on each other.
            let counts = withUnsafeTemporaryAllocation(of: Int32.self, capacity: 4 * buckets) { rows in
                rows.initialize(repeating: 0)
                var i = 0
                while i + 3 < n {
                    rows[Int(slots[i])] &+= 1
                    rows[buckets + Int(slots[i + 1])] &+= 1
                    rows[2 * buckets + Int(slots[i + 2])] &+= 1
                    rows[3 * buckets + Int(slots[i + 3])] &+= 1
                    i += 4
                }
                while i < n {
                    rows[Int(slots[i])] &+= 1
                    i += 1
                }
                return (0..<buckets).map { b in Int(rows[b]) + Int(rows[buckets + b]) + Int(rows[2 * buckets + b]) + Int(rows[3 * buckets + b]) }
            }
            return fromCounts(UnsafeBufferPointer(start: base, count: n), slots: UnsafeBufferPointer(slots), counts: counts, levels: levels)
        }
    }

    /// The range of every 16th value, widened by a quarter of it each side.
    static func sampledBounds(_ v: UnsafeBufferPointer<Double>) -> (Double, Double) {
        var lo = Double.infinity, hi = -Double.infinity
        for i in stride(from: 0, to: v.count, by: 16) {
            lo = v[i] < lo ? v[i] : lo
            hi = v[i] > hi ? v[i] : hi
        }
        let margin = (hi - lo) / 4
        return (lo - margin, hi + margin)
    }

    /// The lowest and highest value, in four independent chains of comparisons (minsd/maxsd), so the
    /// loop is not one long chain. (SIMD2's pointwiseMin handles NaN lane by lane, with branches,
    /// and is several times slower.)
    static func bounds(_ v: UnsafeBufferPointer<Double>) -> (Double, Double) {
        var l0 = Double.infinity, l1 = l0, l2 = l0, l3 = l0
        var h0 = -Double.infinity, h1 = h0, h2 = h0, h3 = h0
        var i = 0
        while i + 3 < v.count {
            let a = v[i], b = v[i + 1], c = v[i + 2], d = v[i + 3]
            l0 = a < l0 ? a : l0
            l1 = b < l1 ? b : l1
            l2 = c < l2 ? c : l2
            l3 = d < l3 ? d : l3
            h0 = a > h0 ? a : h0
            h1 = b > h1 ? b : h1
            h2 = c > h2 ? c : h2
            h3 = d > h3 ? d : h3
            i += 4
        }
        while i < v.count {
            l0 = v[i] < l0 ? v[i] : l0
            h0 = v[i] > h0 ? v[i] : h0
            i += 1
        }
        return (Swift.min(Swift.min(l0, l1), Swift.min(l2, l3)), Swift.max(Swift.max(h0, h1), Swift.max(h2, h3)))
    }

    /// Exact type-7 quantiles from bucket counts: one pass gathers the values of the buckets that hold
    /// the wanted order statistics, which are then sorted bucket by bucket. `slots[i]` is the bucket
    /// `v[i]` was counted in; buckets must be ordered (every value of a bucket below every value of
    /// the next).
    static func fromCounts(
        _ v: UnsafeBufferPointer<Double>, slots: UnsafeBufferPointer<Int32>, counts: [Int], levels: [Double]
    ) -> [Double] {
        let n = v.count
        // The order statistics (0-based ranks) the levels need, ascending, located in one sweep of
        // the counts: bucket and the number of values below it.
        var ranks: [Int] = []
        for q in levels {
            let h = Double(n - 1) * q
            let r = Whole.clamped(h, .down)
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
            located.append((r, b, below))
        }
        var offset = [Int](repeating: -1, count: counts.count)
        var total = 0
        for l in located where offset[l.bucket] < 0 {
            offset[l.bucket] = total
            total += counts[l.bucket]
        }
        var gathered = [Double](repeating: 0, count: total)
        var fill = offset
        gathered.withUnsafeMutableBufferPointer { g in
            fill.withUnsafeMutableBufferPointer { f in
                for i in 0..<n {
                    let b = Int(slots[i])
                    let at = f[b]
                    if at >= 0 {
                        g[at] = v[i]
                        f[b] = at + 1
                    }
                }
            }
        }
        for b in counts.indices where offset[b] >= 0 {
            gathered[offset[b]..<(offset[b] + counts[b])].sort()
        }
        func order(_ r: Int) -> Double {
            let l = located.first { $0.rank == r }!
            return gathered[offset[l.bucket] + r - l.below]
        }
        return levels.map { q in
            let h = Double(n - 1) * q
            let r = Whole.clamped(h, .down)
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
            let lo = Whole.clamped(h, .down)
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
