/// Plain-text tables for the terminal: columns padded to their widest cell, the first `leftColumns`
/// left-aligned (names), the rest right-aligned (numbers) but for a trailing note column when
/// `noteColumn`, two spaces between, no trailing blanks. Rows may be ragged.
public enum TextTable {
    public static func render(_ rows: [[String]], leftColumns: Int, noteColumn: Bool = false) -> String {
        let widths = (0..<(rows.map(\.count).max() ?? 0)).map { j in rows.map { j < $0.count ? $0[j].count : 0 }.max() ?? 0 }
        let last = widths.count - 1
        return rows.map { row in
            let line = row.enumerated().map { j, s in
                j < leftColumns || (noteColumn && j == last) ? s.padding(toLength: widths[j], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[j] - s.count) + s
            }.joined(separator: "  ")
            return noteColumn ? String(line.reversed().drop { $0 == " " }.reversed()) : line
        }.joined(separator: "\n")
    }
}
