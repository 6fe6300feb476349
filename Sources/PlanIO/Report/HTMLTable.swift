/// The report's tables from small builders: a row is a list of cells, not one long string, and the
/// markup and escaping of a cell have one home.
enum HTMLTable {
    /// One cell: text (escaped), a right-aligned figure (escaped), or markup already built (a figure in
    /// bold, a line break): `numeric` right-aligns it.
    enum Cell {
        case text(String)
        case number(String)
        case markup(String, numeric: Bool)
    }

    /// "<tr><th>…</th>…</tr>\n", the titles escaped.
    static func header(_ titles: [String]) -> String {
        "<tr>" + titles.map { "<th>\(SVGChart.escape($0))</th>" }.joined() + "</tr>\n"
    }

    /// "<tr><td>…</td>…</tr>\n".
    static func row(_ cells: [Cell]) -> String {
        "<tr>" + cells.map(td).joined() + "</tr>\n"
    }

    static func td(_ cell: Cell) -> String {
        switch cell {
        case .text(let s): return "<td>\(SVGChart.escape(s))</td>"
        case .number(let s): return "<td class=\"n\">\(SVGChart.escape(s))</td>"
        case .markup(let html, let numeric): return numeric ? "<td class=\"n\">\(html)</td>" : "<td>\(html)</td>"
        }
    }
}
