/// One cell's draws of one series (months × draws, month-major: a month's draws side by side for its
/// quantiles), filled one month of one block of draws at a time as the batch simulation produces
/// them, keeping each month's range for the bucketed quantiles of large samples. A series that feeds
/// region totals adds each value, in whole persons, to its worker's running sums of the region.
final class DrawSamples {
    let months: Int
    let draws: Int
    private let values: UnsafeMutableBufferPointer<Double>
    /// Each month's lowest and highest value so far.
    private var low: [Double]
    private var high: [Double]
    private let regionSum: UnsafeMutablePointer<Int32>?

    init(months: Int, draws: Int, regionSum: UnsafeMutablePointer<Int32>? = nil) {
        self.months = months
        self.draws = draws
        // Every element is written before it is read: no need to zero them first.
        values = .allocate(capacity: months * draws)
        low = [Double](repeating: .infinity, count: months)
        high = [Double](repeating: -.infinity, count: months)
        self.regionSum = regionSum
    }

    deinit { values.deallocate() }

    /// Month k of the draws from `first` on.
    func add(month k: Int, from first: Int, _ row: UnsafeBufferPointer<Double>) {
        let at = k * draws + first
        precondition(first + row.count <= draws)
        (values.baseAddress! + at).update(from: row.baseAddress!, count: row.count)
        var lo = low[k], hi = high[k]
        if let regionSum {
            let sum = regionSum + at
            for j in 0..<row.count {
                let x = row[j]
                lo = x < lo ? x : lo
                hi = x > hi ? x : hi
                sum[j] &+= Persons.whole(x)
            }
        } else {
            for j in 0..<row.count {
                let x = row[j]
                lo = x < lo ? x : lo
                hi = x > hi ? x : hi
            }
        }
        low[k] = lo
        high[k] = hi
    }

    /// The per-draw values of month k (valid while this object lives).
    func month(_ k: Int) -> UnsafeBufferPointer<Double> {
        UnsafeBufferPointer(rebasing: values[(k * draws)..<((k + 1) * draws)])
    }

    /// Quantiles per month at `levels`: values[level][month]. Reorders each month's draws.
    func quantiles(_ levels: [Double]) -> MonteCarlo.Band {
        var q = [[Double]](repeating: [Double](repeating: 0, count: months), count: levels.count)
        for k in 0..<months {
            let range = (k * draws)..<((k + 1) * draws)
            // Large samples are bucketed over the month's known range (the threshold of Quantiles.compute).
            let qs = (draws >= 4096 ? Quantiles.bucketed(values, range, levels: levels, bounds: (low[k], high[k])) : nil)
                ?? Quantiles.compute(values, range, levels: levels)
            for (j, x) in qs.enumerated() { q[j][k] = x }
        }
        return MonteCarlo.Band(values: q)
    }
}
