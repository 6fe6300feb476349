import Foundation

/// Number formats, one home each: grouped whole numbers (tables and messages), fixed decimals (csv),
/// significant digits (statistics). Human tables choose the separator (Indonesian `.`, English `,`).
public enum NumberText {
    /// v rounded to a whole number (half away from zero), its digits grouped by three: 1.704.308 with
    /// separator "."; `minus` before a negative figure. Any finite size (no conversion to Int).
    public static func grouped(_ v: Double, separator: String, minus: String = "-") -> String {
        let r = v.rounded()
        var digits = String(format: "%.0f", abs(r))
        var groups: [Substring] = []
        while digits.count > 3 {
            groups.insert(Substring(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        groups.insert(Substring(digits), at: 0)
        return (r < 0 ? minus : "") + groups.joined(separator: separator)
    }

    /// `digits` decimals, never "-0.00".
    public static func fixed(_ v: Double, _ digits: Int) -> String {
        let s = String(format: "%.\(digits)f", v)
        return s.hasPrefix("-") && s.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) ? String(s.dropFirst()) : s
    }

    /// `digits` significant digits (printf's %g).
    public static func significant(_ v: Double, _ digits: Int) -> String {
        String(format: "%.\(digits)g", v)
    }
}
