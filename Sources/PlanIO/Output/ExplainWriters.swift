import Fitting
import Foundation
import Planning

/// `rkat explain`'s outputs (docs/explain.md): the terminal and solve.md tables in the planner's
/// language, explain.csv and explain.json with stable English codes. They only render.
public enum ExplainWriters {
    /// One row per target: OLD, NEW, the change and each group's share in whole units (they add up to
    /// the change).
    public static func table(_ r: ExplainJob.Result, words w: Words) -> [[String]] {
        var rows = [[w.region, w.segment, w.t("Indikator", "Indicator"), w.t("Dasar", "Basis"), "OLD", "NEW", w.t("Perubahan", "Change")]
            + r.groups.map { $0.label.text(indonesian: w.indonesian) }]
        for row in r.rows {
            let f = { (v: Double) in w.figure(v, row.metric) }
            rows.append([row.region, row.segment, w.metricShort(row.metric), basis(row.basis, w), f(row.old), f(row.new), w.signedFigure(row.change, row.metric)]
                + row.whole.map { w.signedFigure(Double($0), row.metric) })
        }
        return rows
    }

    /// P(tercapai) of NEW's target under OLD and NEW, and each group's share in percentage points.
    public static func probabilityTable(_ r: ExplainJob.Result, words w: Words) -> [[String]] {
        let l = Phrase.Language(indonesian: w.indonesian)
        var rows = [[w.region, w.segment, w.t("Indikator", "Indicator"), w.t("Dasar", "Basis"), "OLD", "NEW", w.t("Perubahan", "Change")]
            + r.groups.map { $0.label.text(indonesian: w.indonesian) }]
        for row in r.rows {
            guard let po = row.pOld, let pn = row.pNew, let ps = row.pShares else { continue }
            // Tenths of a point rounded under control, so the shown shares add up to the shown change.
            let change = ((pn - po) * 1000).rounded()
            func points(_ tenths: Int) -> String { (tenths >= 0 ? "+" : "-") + l.decimal(Double(abs(tenths)) / 10, 1) }
            let shares = Shapley.wholeShares(ps.map { $0 * 1000 }, total: change)
            rows.append([row.region, row.segment, w.metricShort(row.metric), basis(row.basis, w), w.percent(po), w.percent(pn), points(Whole.clamped(change))] + shares.map(points))
        }
        return rows
    }

    static func basis(_ code: String, _ w: Words) -> String {
        guard w.indonesian else { return code }
        if code == "projection" { return "proyeksi" }
        if code.hasPrefix("rule ") { return "aturan " + code.dropFirst("rule ".count) }
        return code
    }

    public static func terminal(_ r: ExplainJob.Result, words w: Words) -> String {
        var out = w.t("Mengapa target berubah: \(r.old) → \(r.new)", "Why the targets moved: \(r.old) → \(r.new)") + "\n"
        out += w.t("Nilai Shapley tiap kelompok perbedaan (rata-rata pengaruhnya atas semua urutan; jumlahnya tepat sama dengan perubahan), \(r.runs) run dengan \(w.persons(Double(r.draws))) simulasi dan seed \(r.seed) yang sama",
                   "Each group of differences by its Shapley value (its average effect over every order; they add up to the change exactly), \(r.runs) runs on the same \(w.persons(Double(r.draws))) draws and seed \(r.seed)") + "\n\n"
        out += TextTable.render(table(r, words: w), leftColumns: 4) + "\n"
        let p = probabilityTable(r, words: w)
        if p.count > 1 {
            out += "\n" + w.t("P(tercapai) target NEW (poin persen):", "P(reach) of NEW's target (percentage points):") + "\n"
            out += TextTable.render(p, leftColumns: 4) + "\n"
        }
        for n in r.notes { out += "\n" + n.text(indonesian: w.indonesian) }
        return out + (r.notes.isEmpty ? "" : "\n")
    }

    /// One row per target × group.
    public static func csv(_ r: ExplainJob.Result) -> String {
        var out = CSVWriter(header: ["region", "segment", "metric", "basis", "old_target", "new_target", "change", "group", "share", "share_whole", "p_old", "p_new", "p_share"])
        for row in r.rows {
            for (i, g) in r.groups.enumerated() {
                out.row([
                    row.region, row.segment, row.metric.rawValue, row.basis, CSVWriter.fixed(row.old, 0), CSVWriter.fixed(row.new, 0), CSVWriter.fixed(row.change, 0),
                    g.code, CSVWriter.fixed(row.shares[i], 4), "\(row.whole[i])", CSVWriter.fixed(row.pOld, 4), CSVWriter.fixed(row.pNew, 4),
                    CSVWriter.fixed(row.pShares?[i], 6),
                ])
            }
        }
        return out.text
    }

    public static func json(_ r: ExplainJob.Result) -> String {
        let q = JSONText.string
        func num(_ v: Double?, _ digits: Int) -> String { v.flatMap { $0.isFinite ? NumberText.fixed($0, digits) : nil } ?? "null" }
        var lines = ["{"]
        lines.append("  \"old\": \(q(r.old)), \"new\": \(q(r.new)), \"draws\": \(r.draws), \"seed\": \(r.seed), \"runs\": \(r.runs),")
        lines.append("  \"groups\": [" + r.groups.map { g in
            "{\"code\": \(q(g.code)), \"label\": \(q(g.label.english)), \"keys\": [" + (g.members.isEmpty ? g.paths : g.members.flatMap(\.paths)).map(q).joined(separator: ", ") + "]"
                + (g.members.isEmpty ? "" : ", \"merged\": [" + g.members.map { q($0.code) }.joined(separator: ", ") + "]") + "}"
        }.joined(separator: ", ") + "],")
        lines.append("  \"notes\": [" + r.notes.map { q($0.english) }.joined(separator: ", ") + "],")
        lines.append("  \"targets\": [")
        for (k, row) in r.rows.enumerated() {
            var fields = [
                "\"region\": \(q(row.region))", "\"segment\": \(q(row.segment))", "\"metric\": \(q(row.metric.rawValue))", "\"basis\": \(q(row.basis))",
                "\"old\": \(num(row.old, 0))", "\"new\": \(num(row.new, 0))", "\"change\": \(num(row.change, 0))",
                "\"shares\": [" + row.shares.map { num($0, 4) }.joined(separator: ", ") + "]", "\"shares_whole\": [" + row.whole.map(String.init).joined(separator: ", ") + "]",
            ]
            if let ps = row.pShares { fields += ["\"p_old\": \(num(row.pOld, 4))", "\"p_new\": \(num(row.pNew, 4))", "\"p_shares\": [" + ps.map { num($0, 6) }.joined(separator: ", ") + "]"] }
            lines.append("    {" + fields.joined(separator: ", ") + "}" + (k == r.rows.count - 1 ? "" : ","))
        }
        lines.append("  ]")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    public static func markdown(_ r: ExplainJob.Result, words w: Words) -> String {
        func md(_ rows: [[String]]) -> [String] {
            ["| " + rows[0].joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: rows[0].count)]
                + rows.dropFirst().map { "| " + $0.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |" }
        }
        var lines = ["# " + w.t("Mengapa target berubah", "Why the targets moved") + ": \(r.old) → \(r.new)", ""]
        lines.append(w.t("Nilai Shapley tiap kelompok perbedaan; jumlahnya tepat sama dengan perubahan. \(r.runs) run, \(w.persons(Double(r.draws))) simulasi, seed \(r.seed).",
                         "Each group of differences by its Shapley value; they add up to the change exactly. \(r.runs) runs, \(w.persons(Double(r.draws))) draws, seed \(r.seed)."))
        lines.append("")
        lines += md(table(r, words: w))
        let p = probabilityTable(r, words: w)
        if p.count > 1 {
            lines += ["", "## " + w.t("P(tercapai) target NEW (poin persen)", "P(reach) of NEW's target (percentage points)"), ""] + md(p)
        }
        if !r.notes.isEmpty { lines += [""] + r.notes.map { "- " + $0.text(indonesian: w.indonesian) } }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The workbook sheet: one row per target, the shares in whole units, P(tercapai) of NEW's target.
    static func sheet(_ r: ExplainJob.Result, words w: Words) -> ExtraSheet {
        let groups = r.groups.map { $0.label.text(indonesian: w.indonesian) }
        let header = [w.region, w.segment, w.t("Indikator", "Indicator"), w.t("Dasar", "Basis"), "OLD", "NEW", w.t("Perubahan", "Change")] + groups
            + ["P OLD", "P NEW"]
        let rows = r.rows.map { row -> [ExtraSheet.Cell] in
            [.text(row.region), .text(row.segment), .text(w.metricShort(row.metric)), .text(basis(row.basis, w)), .whole(row.old), .whole(row.new), .whole(row.change)]
                + row.whole.map { .whole(Double($0)) } + [row.pOld.map { .probability($0) } ?? .empty, row.pNew.map { .probability($0) } ?? .empty]
        }
        return ExtraSheet(name: w.t("Mengapa berubah", "Why it moved"), header: header, cells: rows, numeric: Set(4..<header.count), wrapColumn: nil, labelColumns: 4)
    }

    /// At most this many waterfalls in the report (the region totals first).
    static let maxCharts = 12

    /// The report's section: the shares table and a waterfall per target that moved (OLD, each
    /// group's share, NEW).
    public static func htmlSection(_ r: ExplainJob.Result, words w: Words) -> String {
        var html = "<h2>\(SVGChart.escape(w.t("Mengapa target berubah?", "Why did the targets move?")))</h2>\n<p class=\"small\">"
            + SVGChart.escape(w.t(
                "Dari \(r.old) ke \(r.new): perubahan tiap target dibagi ke kelompok perbedaannya dengan nilai Shapley (rata-rata pengaruh tiap kelompok atas semua urutan); jumlahnya tepat sama dengan perubahan. \(r.runs) run pada \(w.persons(Double(r.draws))) simulasi dan seed \(r.seed) yang sama.",
                "From \(r.old) to \(r.new): each target's change split over its groups of differences by Shapley values (each group's average effect over every order); they add up to the change exactly. \(r.runs) runs on the same \(w.persons(Double(r.draws))) draws and seed \(r.seed)."))
            + "</p>\n<table class=\"small\">"
        let rows = table(r, words: w)
        html += HTMLTable.header(rows[0])
        for row in rows.dropFirst() { html += HTMLTable.row(row.enumerated().map { $0.offset < 4 ? .text($0.element) : .number($0.element) }) }
        html += "</table>\n"
        let moved = r.rows.filter { $0.change != 0 }.sorted { ($0.segment == History.totalSegment ? 0 : 1) < ($1.segment == History.totalSegment ? 0 : 1) }
        for row in moved.prefix(maxCharts) {
            let title = "\(row.region) \(row.segment) · \(w.metric(row.metric)) (\(basis(row.basis, w)))"
            html += "<figure>" + SVGChart.waterfall(
                title: title, labels: ["OLD"] + r.groups.map { $0.label.text(indonesian: w.indonesian) } + ["NEW"], start: row.old,
                steps: row.whole.map(Double.init), format: { w.figure($0, row.metric) }, signed: { w.signedFigure($0, row.metric) }) + "</figure>\n"
        }
        if moved.count > maxCharts {
            html += "<p class=\"small\">\(SVGChart.escape(w.t("\(moved.count - maxCharts) target lain berubah juga; angkanya di tabel di atas.", "\(moved.count - maxCharts) more targets moved; their figures are in the table above.")))</p>\n"
        }
        return html
    }
}
