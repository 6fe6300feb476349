/// Sample quantiles (R's type 7: linear between order statistics) by selection, not a full sort:
/// the median first, then the lower levels in its left part and the upper ones in its right part.
enum Quantiles {
    /// Quantiles of `values[range]` at `levels` (ascending, in (0, 1)); reorders that slice.
    static func compute(_ values: inout [Double], _ range: Range<Int>, levels: [Double]) -> [Double] {
        precondition(range.count > 0 && range.upperBound <= values.count)
        return values.withUnsafeMutableBufferPointer { compute($0, range, levels: levels) }
    }

    static func compute(_ values: UnsafeMutableBufferPointer<Double>, _ range: Range<Int>, levels: [Double]) -> [Double] {
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
