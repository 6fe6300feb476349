/// JSON text written by hand where key order matters (run.json, the manifest, the resolved scenario,
/// sweep values): the one string escaper. Codable documents (targets.json, `fit --json`) go through
/// `FitReport.encode` (JSONEncoder with sorted keys).
public enum JSONText {
    /// A JSON string literal: quotes, backslashes and control characters escaped, the rest as is.
    public static func string(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || u.value == 0x7F:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
