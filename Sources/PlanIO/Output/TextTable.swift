/// Plain-text tables for the terminal: columns padded to their widest cell, the first `leftColumns`
/// left-aligned (names), the rest right-aligned (numbers), two spaces between. Rows may be ragged.
public enum TextTable {
    public static func render(_ rows: [[String]], leftColumns: Int) -> String {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { j in rows.map { j < $0.count ? $0[j].count : 0 }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { j, s in
                j < leftColumns ? s.padding(toLength: widths[j], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[j] - s.count) + s
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
