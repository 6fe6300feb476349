/// Type-7 sample quantiles of a whole array (reorders it).
public enum MonteCarloQuantiles {
    public static func compute(_ values: inout [Double], levels: [Double]) -> [Double] {
        guard !values.isEmpty else { return levels.map { _ in 0 } }
        return Quantiles.compute(&values, 0..<values.count, levels: levels)
    }
}
