/// The figures a scenario is calibrated on, in long format: one row per date × region × segment × metric.
public struct History: Sendable {
    public enum Metric: String, Sendable, CaseIterable {
        /// Stock of active members at the month's end.
        case active
        /// Gross acquisitions in the month (flow).
        case acquisitions
        /// Acquisitions cumulated since January (as press figures often are).
        case acquisitionsYTD = "acquisitions_ytd"
        /// Members becoming non-active in the month (flow).
        case lapses
        /// Registered but not active at the month's end (non-aktif: members, or companies for a
        /// company segment), stock: the pool a reactivation lever draws from.
        case inactive
        /// Non-active members (or companies) made active again in the month (flow), counted apart
        /// from acquisitions.
        case reactivations
        case potential
        case targetAcquisitions = "target_acquisitions"
        case targetActive = "target_active"
        /// Iuran (contribution revenue) received in the month, rupiah (flow).
        case iuran
        /// The year's iuran target, rupiah.
        case targetIuran = "target_iuran"

        /// Rupiah, not persons or counts (they may reach Rp 10^15).
        public var isRupiah: Bool { self == .iuran || self == .targetIuran }
    }

    public struct Observation: Sendable, Equatable {
        public var month: Month
        public var region: String
        public var segment: String
        public var metric: Metric
        public var value: Double
        public var basis: String?
        public var source: String?
        /// Line in the history file, for warnings.
        public var line: Int

        public init(month: Month, region: String, segment: String, metric: Metric, value: Double, basis: String? = nil, source: String? = nil, line: Int = 0) {
            self.month = month
            self.region = region
            self.segment = segment
            self.metric = metric
            self.value = value
            self.basis = basis
            self.source = source
            self.line = line
        }
    }

    /// The segment name that carries stated totals (checked against the sum of the segments).
    public static let totalSegment = "TOTAL"

    public var observations: [Observation] {
        didSet { index = Self.makeIndex(observations) }
    }

    private struct Key: Hashable {
        var region: String
        var segment: String
        var metric: Metric
    }

    /// Series by region × segment × metric, sorted by month: a national plan has thousands of series,
    /// so lookups must not scan every observation.
    private var index: [Key: [(month: Month, value: Double)]]

    public init(observations: [Observation]) {
        self.observations = observations
        index = Self.makeIndex(observations)
    }

    private static func makeIndex(_ observations: [Observation]) -> [Key: [(month: Month, value: Double)]] {
        var index: [Key: [(month: Month, value: Double)]] = [:]
        for o in observations { index[Key(region: o.region, segment: o.segment, metric: o.metric), default: []].append((o.month, o.value)) }
        for k in index.keys { index[k]!.sort { $0.month < $1.month } }
        return index
    }

    /// One series, sorted by month.
    public func series(region: String, segment: String, metric: Metric) -> [(month: Month, value: Double)] {
        index[Key(region: region, segment: segment, metric: metric)] ?? []
    }

    public var regions: [String] { ordered(observations.map(\.region)) }
    public var segments: [String] { ordered(observations.map(\.segment).filter { $0 != Self.totalSegment }) }

    private func ordered(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
