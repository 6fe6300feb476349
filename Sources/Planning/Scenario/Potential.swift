import Foundation

/// L(t) for one region × segment: the labour-force potential the segment's stock is measured against.
public struct PotentialPath: Sendable {
    /// Known points (month, persons), sorted; the path interpolates linearly between them.
    public let points: [(month: Month, value: Double)]
    /// Growth after the last point (and before the first), fraction per year, compounded monthly.
    public let growthPerYear: Double
    public let basis: String

    public init(points: [(month: Month, value: Double)], growthPerYear: Double, basis: String) {
        precondition(!points.isEmpty)
        self.points = points.sorted { $0.month < $1.month }
        self.growthPerYear = growthPerYear
        self.basis = basis
    }

    public func value(at m: Month) -> Double {
        let first = points[0], last = points[points.count - 1]
        if m <= first.month { return first.value * growthFactor(months: first.month.distance(to: m)) }
        if m >= last.month { return last.value * growthFactor(months: last.month.distance(to: m)) }
        return interpolate(points, at: m)
    }

    func growthFactor(months k: Int) -> Double { pow(1 + growthPerYear, Double(k) / 12) }

    /// The potential of `segment` in `region` from the scenario (shares, values or the history series);
    /// nil when the scenario gives none for that segment.
    public static func make(region: RegionPlan, segment: String, history: History, own: PotentialSpec? = nil) -> PotentialPath? {
        if let own, let total = own.total {
            return PotentialPath(points: [(own.asOf, total)], growthPerYear: own.growthPerYear, basis: own.basis)
        }
        let spec = region.potential
        switch spec.split {
        case .shares(let shares):
            guard let s = shares[segment], let total = spec.total else { return nil }
            return PotentialPath(points: [(spec.asOf, total * s)], growthPerYear: spec.growthPerYear, basis: spec.basis)
        case .values(let values):
            guard let v = values[segment] else { return nil }
            return PotentialPath(points: [(spec.asOf, v)], growthPerYear: spec.growthPerYear, basis: spec.basis)
        case .series:
            let s = history.series(region: region.name, segment: segment, metric: .potential)
            guard !s.isEmpty else { return nil }
            return PotentialPath(points: s.map { ($0.month, $0.value) }, growthPerYear: spec.growthPerYear, basis: spec.basis)
        }
    }
}
