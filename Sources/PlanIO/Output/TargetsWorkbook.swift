import CXLSXWriter
import Foundation
import Planning

/// targets.xlsx through libxlsxwriter, rendering the plan-year view: a summary sheet, one sheet per segment with the plan year's
/// months as columns (flow targets with a SUM total that carries its value, stock targets phased
/// along the median path), thousands separators, frozen header row and first column, a fixed creation
/// time so reruns are byte-identical, and a provenance sheet ("Asal Data" / "Provenance").
enum TargetsWorkbook {
    /// Writes the workbook and returns its bytes. Throws when libxlsxwriter reports an error.
    /// Throws `OutputWriteError` (a runtime failure, exit 1) when libxlsxwriter cannot write it.
    static func data(_ view: PlanYearView, segments: [String], provenance: [(String, String)], words t: Words) throws(OutputWriteError) -> Data {
        let year = view.year
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rkat-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let wb = workbook_new(path) else { throw OutputWriteError("\(path): cannot create the workbook") }
        // A fixed creation time (1 January of the plan year, UTC) makes reruns byte-identical.
        var comps = DateComponents()
        comps.year = year
        comps.month = 1
        comps.day = 1
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let created = cal.date(from: comps)!.timeIntervalSince1970
        var props = lxw_doc_properties()
        props.created = time_t(created)
        let title = strdup("RKAT \(year) — \(view.scenario)")
        defer { free(title) }
        props.title = title
        workbook_set_properties(wb, &props)

        let bold = workbook_add_format(wb)!
        format_set_bold(bold)
        let persons = workbook_add_format(wb)!
        format_set_num_format(persons, "#,##0")
        let boldPersons = workbook_add_format(wb)!
        format_set_num_format(boldPersons, "#,##0")
        format_set_bold(boldPersons)
        let percent = workbook_add_format(wb)!
        format_set_num_format(percent, "0.0%")
        let probability = workbook_add_format(wb)!
        format_set_num_format(probability, "0.0%")

        // Summary.
        let summary = workbook_add_worksheet(wb, t.summary)!
        let header = t.targetHeader(planYear: nil, levels: view.levels, coverageOfPotential: true)
        for (c, h) in header.enumerated() { worksheet_write_string(summary, 0, lxw_col_t(c), h, bold) }
        for (i, r) in view.targets.enumerated() {
            let row = lxw_row_t(i + 1)
            worksheet_write_string(summary, row, 0, r.region, nil)
            worksheet_write_string(summary, row, 1, r.segment, nil)
            worksheet_write_string(summary, row, 2, t.metric(r.metric), nil)
            worksheet_write_string(summary, row, 3, t.basis(r.basis), nil)
            func number(_ c: Int, _ v: Double?, _ f: UnsafeMutablePointer<lxw_format>) {
                if let v, v.isFinite { worksheet_write_number(summary, row, lxw_col_t(c), v, f) }
            }
            number(4, r.lastRealisation, persons)
            number(5, r.lastTarget, persons)
            number(6, r.target, boldPersons)
            number(7, r.growthVsRealisation, percent)
            number(8, r.growthVsTarget, percent)
            number(9, r.coverage, percent)
            number(10, r.probability, probability)
            for j in view.levels.indices { number(11 + j, r.quantiles.flatMap { j < $0.count ? $0[j] : nil }, persons) }
            worksheet_write_string(summary, row, lxw_col_t(11 + view.levels.count), r.flags.map(t.flag).joined(separator: "; "), nil)
        }
        worksheet_set_column(summary, 0, 3, 18, nil)
        worksheet_set_column(summary, 4, lxw_col_t(10 + view.levels.count), 14, nil)
        worksheet_freeze_panes(summary, 1, 1)

        // One sheet per segment: the plan year's months as columns, each figure under its own month.
        for segment in segments {
            let mine = view.phasing.filter { $0.row.segment == segment }
            guard !mine.isEmpty else { continue }
            let ws = workbook_add_worksheet(wb, String(segment.prefix(31)))!
            let header = ["Target \(year)"] + t.monthNames + [t.total]
            for (c, h) in header.enumerated() { worksheet_write_string(ws, 0, lxw_col_t(c), h, bold) }
            var r: lxw_row_t = 1
            for p in mine {
                worksheet_write_string(ws, r, 0, "\(p.row.region) · \(t.metric(p.row.metric)) · \(t.basis(p.row.basis))", nil)
                for m in p.months { if let v = m.value { worksheet_write_number(ws, r, lxw_col_t(m.month.month), v, persons) } }
                if p.row.metric == .acquisitions {
                    let formula = "=SUM(B\(r + 1):\(columnName(12))\(r + 1))"
                    worksheet_write_formula_num(ws, r, 13, formula, boldPersons, p.values.reduce(0, +))
                    r += 1
                    worksheet_write_string(ws, r, 0, "  \(t.cumulative)", nil)
                    var running = 0.0
                    for m in p.months {
                        guard let v = m.value else { continue }
                        running += v
                        worksheet_write_number(ws, r, lxw_col_t(m.month.month), running, persons)
                    }
                }
                r += 1
            }
            worksheet_set_column(ws, 0, 0, 42, nil)
            worksheet_set_column(ws, 1, 13, 12, nil)
            worksheet_freeze_panes(ws, 1, 1)
        }

        // Provenance.
        let prov = workbook_add_worksheet(wb, t.provenance)!
        for (i, (k, v)) in provenance.enumerated() {
            worksheet_write_string(prov, lxw_row_t(i), 0, k, bold)
            worksheet_write_string(prov, lxw_row_t(i), 1, v, nil)
        }
        worksheet_set_column(prov, 0, 0, 28, nil)
        worksheet_set_column(prov, 1, 1, 90, nil)

        let status = workbook_close(wb)
        guard status == LXW_NO_ERROR else {
            throw OutputWriteError("\(path): cannot write the workbook: \(String(cString: lxw_strerror(status)))")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw OutputWriteError("\(path): cannot read the workbook back") }
        return data
    }

    /// Excel column letters for a 0-based column index (0 → A).
    static func columnName(_ index: Int) -> String {
        var n = index + 1, s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(65 + r)!) + s
            n = (n - 1) / 26
        }
        return s
    }
}
