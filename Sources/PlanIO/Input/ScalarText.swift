import Fitting
/// Scalar text → values: the one number grammar of the scenario reader (which reads every YAML scalar
/// as text), `--set` and the CSV readers.
enum ScalarText {
    /// 2^53: above it a Double no longer holds every whole number.
    static let exactWholeLimit = 9_007_199_254_740_992.0

    /// A decimal number: optional sign, digits with `_` allowed between digits (`6_900_000`), optional
    /// fraction, optional exponent (`1.2e6`). No thousands separators, no hex, no inf/nan.
    static func number(_ raw: String) -> Double? {
        guard let cleaned = cleanNumber(raw) else { return nil }
        guard let v = Double(cleaned), v.isFinite else { return nil }
        return v
    }

    /// A number, or a percentage (`"90%"` = 0.9).
    static func fraction(_ raw: String) -> Double? {
        let t = raw.scenarioTrimmed
        if t.hasSuffix("%") {
            guard let v = number(String(t.dropLast()).scenarioTrimmed) else { return nil }
            return v / 100
        }
        return number(t)
    }

    /// A whole number ≥ 0 that fits in UInt64 (seeds); exponents allowed while exact (`2e3`).
    static func unsigned(_ raw: String) -> UInt64? {
        guard let cleaned = cleanNumber(raw) else { return nil }
        if let u = UInt64(cleaned.hasPrefix("+") ? String(cleaned.dropFirst()) : cleaned) { return u }
        guard let v = Double(cleaned), v.isFinite, v >= 0, v <= exactWholeLimit, v.rounded() == v else { return nil }
        return UInt64(clamping: Whole.clamped(v))
    }

    /// A whole number (negative allowed); exponents allowed while exact.
    static func integer(_ raw: String) -> Int? {
        guard let cleaned = cleanNumber(raw) else { return nil }
        if let i = Int(cleaned.hasPrefix("+") ? String(cleaned.dropFirst()) : cleaned) { return i }
        guard let v = Double(cleaned), v.isFinite, abs(v) <= exactWholeLimit, v.rounded() == v else { return nil }
        return Whole.clamped(v)
    }

    /// Why a scalar is not the number it looks like, for a message after "got …": digit groups
    /// (`86.500` reads as the decimal 86.5 here), a decimal comma (`0,30`), a fraction where a whole
    /// number of persons or rupiah is expected. nil when there is nothing to say.
    static func numberHint(_ raw: String, whole: Bool) -> Phrase? {
        let t = raw.scenarioTrimmed
        func matches(_ pattern: String) -> Bool { t.range(of: pattern, options: .regularExpression) != nil }
        let digits = t.filter { $0.isASCIIDigit }
        let sign = t.hasPrefix("-") ? "-" : ""
        let grouped = sign + underscored(digits)
        if whole && matches(#"^[+-]?[0-9]{1,3}\.[0-9]{3}$"#), let v = number(t) {
            return Phrase(
                "ini terbaca sebagai desimal \(shortNumber(v)); tulis ribuan sebagai \(sign)\(digits) atau \(grouped)",
                "this reads as the decimal \(shortNumber(v)); write thousands as \(sign)\(digits) or \(grouped)")
        }
        if matches(#"^[+-]?[0-9]{1,3}(\.[0-9]{3}){2,}$"#) || (whole && matches(#"^[+-]?[0-9]{1,3}(,[0-9]{3})+$"#)) {
            return Phrase(
                "kelompok ribuan tidak dipisahkan dengan titik atau koma di sini; tulis \(sign)\(digits) atau \(grouped)",
                "digit groups are not separated by dots or commas here; write \(sign)\(digits) or \(grouped)")
        }
        if matches(#"^[+-]?[0-9]*,[0-9]+$"#) {
            if whole { return Phrase("koma desimal, padahal jumlah orang dan rupiah adalah bilangan bulat", "a decimal comma, and persons and rupiah are whole numbers") }
            let point = t.replacingOccurrences(of: ",", with: ".")
            return Phrase("koma desimal: tulis titik desimal, \(point)", "a decimal comma: write the decimal point, \(point)")
        }
        if whole, let v = number(t), v.rounded() != v {
            return Phrase("jumlah orang dan rupiah adalah bilangan bulat", "persons and rupiah are whole numbers")
        }
        return nil
    }

    /// `86500` → "86_500".
    static func underscored(_ digits: String) -> String {
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append("_") }
            out.append(c)
        }
        return out
    }

    /// `true` / `false` (any case).
    static func bool(_ raw: String) -> Bool? {
        switch raw.scenarioTrimmed.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }

    /// The plain scalar as a JSON number, if it is one (for the resolved tree in run.json).
    static func jsonNumber(_ raw: String) -> String? {
        guard let cleaned = cleanNumber(raw), let v = Double(cleaned), v.isFinite else { return nil }
        var digits = cleaned.hasPrefix("+") ? String(cleaned.dropFirst()) : cleaned
        if digits.hasPrefix("-") { digits.removeFirst() }
        // Integers as written (without leading zeros); everything else in Swift's shortest round-trip form.
        if digits.allSatisfy(\.isASCIIDigit), digits.count <= 18 {
            let trimmed = String(digits.drop { $0 == "0" })
            return (cleaned.hasPrefix("-") && !trimmed.isEmpty ? "-" : "") + (trimmed.isEmpty ? "0" : trimmed)
        }
        return "\(v)"
    }

    /// Checks the number grammar and drops the underscores; nil when it is not a number.
    private static func cleanNumber(_ raw: String) -> String? {
        let s = Array(raw.scenarioTrimmed)
        var i = 0
        var out = ""
        if i < s.count && (s[i] == "+" || s[i] == "-") {
            out.append(s[i])
            i += 1
        }
        // Digits with single underscores between them.
        func digits() -> Int {
            var n = 0
            while i < s.count {
                if s[i].isASCIIDigit {
                    out.append(s[i])
                    n += 1
                    i += 1
                } else if s[i] == "_" && n > 0 && i + 1 < s.count && s[i + 1].isASCIIDigit {
                    i += 1
                } else {
                    break
                }
            }
            return n
        }
        var mantissa = digits()
        if i < s.count && s[i] == "." {
            out.append(".")
            i += 1
            mantissa += digits()
        }
        guard mantissa > 0 else { return nil }
        if i < s.count && (s[i] == "e" || s[i] == "E") {
            out.append("e")
            i += 1
            if i < s.count && (s[i] == "+" || s[i] == "-") {
                out.append(s[i])
                i += 1
            }
            guard digits() > 0 else { return nil }
        }
        guard i == s.count else { return nil }
        if out.hasSuffix(".") { out += "0" }
        if out.hasPrefix(".") { out = "0" + out }
        if out.hasPrefix("-.") || out.hasPrefix("+.") { out.insert("0", at: out.index(after: out.startIndex)) }
        return out
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    var scenarioTrimmed: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
