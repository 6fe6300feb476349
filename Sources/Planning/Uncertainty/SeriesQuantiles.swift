/// The quantiles of one cell's series, month by month, computed as each month's draws come out of
/// the batch simulation (all draws of a month side by side), so no cell holds draws × months. A
/// series that feeds region totals also adds each draw, in whole persons, to its worker's running
/// sums of the region (months × draws).
final class SeriesQuantiles {
    let levels: [Double]
    let draws: Int
    /// Quantile j of month k at j · months + k (flat: a nested array pays a uniqueness check per write).
    private var values: [Double]
    let months: Int
    private let regionSum: UnsafeMutablePointer<Int32>?
    /// Selection reorders: small samples are copied here first.
    private let scratch: UnsafeMutableBufferPointer<Double>

    init(levels: [Double], months: Int, draws: Int, regionSum: UnsafeMutablePointer<Int32>? = nil) {
        self.levels = levels
        self.draws = draws
        self.months = months
        values = Array(repeating: 0, count: levels.count * months)
        self.regionSum = regionSum
        scratch = .allocate(capacity: draws)
    }

    deinit { scratch.deallocate() }

    /// Month k's value in every draw.
    func add(month k: Int, _ row: UnsafeMutableBufferPointer<Double>) {
        precondition(row.count == draws)
        if let regionSum {
            let sum = regionSum + k * draws
            for j in 0..<draws { sum[j] &+= Persons.whole(row[j]) }
        }
        // Large samples are bucketed, which only reads the row.
        let qs = (draws >= Quantiles.bucketedFrom ? Quantiles.bucketed(row, 0..<draws, levels: levels) : nil) ?? {
            _ = scratch.update(fromContentsOf: row)
            return Quantiles.compute(scratch, 0..<draws, levels: levels)
        }()
        for (j, x) in qs.enumerated() { values[j * months + k] = x }
    }

    var band: MonteCarlo.Band { MonteCarlo.Band(values: levels.indices.map { Array(values[($0 * months)..<(($0 + 1) * months)]) }) }
}
