/// A calendar month, the engine's time step. `2018-01` in files.
public struct Month: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let year: Int
    /// 1…12
    public let month: Int

    public init(year: Int, month: Int) {
        precondition((1...12).contains(month), "month \(month) out of 1…12")
        self.year = year
        self.month = month
    }

    /// Parses `YYYY-MM`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]),
            let m = Int(parts[1]), (1...12).contains(m)
        else { return nil }
        self.init(year: y, month: m)
    }

    /// Months since year 0, for arithmetic.
    public var index: Int { year * 12 + month - 1 }

    public init(index: Int) {
        self.init(year: index >= 0 ? index / 12 : (index - 11) / 12, month: ((index % 12) + 12) % 12 + 1)
    }

    /// The end of this month in decimal years (year + month/12), the fitting core's time axis.
    public var decimalYear: Double { Double(year) + Double(month) / 12 }

    public func adding(months k: Int) -> Month { Month(index: index + k) }

    /// Months from `self` to `other` (positive when `other` is later).
    public func distance(to other: Month) -> Int { other.index - index }

    public static func < (a: Month, b: Month) -> Bool { a.index < b.index }

    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        return "\(year)-\(m)"
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let m = Month(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected YYYY-MM"))
        }
        self = m
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Months from `first` through `last`, inclusive.
public func months(from first: Month, through last: Month) -> [Month] {
    guard first <= last else { return [] }
    return (first.index...last.index).map(Month.init(index:))
}

/// Linear interpolation between dated points (sorted by month) at a month within their span; the
/// one home of month interpolation (potential paths, programme ramps).
func interpolate(_ points: [(month: Month, value: Double)], at m: Month) -> Double {
    precondition(!points.isEmpty)
    if m <= points[0].month { return points[0].value }
    // A knot gives its own value exactly (a + 1·(b − a) may miss b by a rounding).
    for (a, b) in zip(points, points.dropFirst()) where a.month <= m && m < b.month {
        let w = Double(a.month.distance(to: m)) / Double(a.month.distance(to: b.month))
        return a.value + w * (b.value - a.value)
    }
    return points[points.count - 1].value
}
