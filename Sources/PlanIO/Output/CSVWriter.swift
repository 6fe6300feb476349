import Fitting
import Foundation

/// RFC 4180 output with fixed number formats, so reruns are byte-identical.
struct CSVWriter {
    private(set) var text = ""

    init(header: [String]) { row(header) }

    mutating func row(_ fields: [String]) {
        text += fields.map(Self.escape).joined(separator: ",") + "\r\n"
    }

    static func escape(_ s: String) -> String {
        // By scalar: CR LF is one Character, equal to neither "\r" nor "\n".
        guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Persons: two decimals (the books close to the cent of a person); empty for nil.
    static func persons(_ v: Double?) -> String { fixed(v, 2) }

    static func fixed(_ v: Double?, _ digits: Int) -> String {
        guard let v, v.isFinite else { return "" }
        return NumberText.fixed(v, digits)
    }

    /// Parameters and statistics: 10 significant digits.
    static func significant(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "" }
        return NumberText.significant(v, 10)
    }
}
