import CXLSXWriter
import Foundation
import Planning

/// targets.xlsx through libxlsxwriter: a summary sheet, one sheet per segment with the plan year's
/// months as columns (flow targets with a SUM total that carries its value, stock targets phased
/// along the median path), thousands separators, frozen header row and first column, a fixed creation
/// time so reruns are byte-identical, and a provenance sheet ("Asal Data" / "Provenance").
public enum TargetsWorkbook {
    public struct Phased: Sendable {
        public var row: TargetRow
        /// Twelve monthly targets: whole persons for flows, stock levels for stocks.
        public var monthly: [Double]
    }

    public static func phased(_ rows: [TargetRow], scenario s: Scenario, projection: Projection, monteCarlo mc: MonteCarlo.Result?, planYear year: Int) -> [Phased] {
        var out: [Phased] = []
        let medianLevel = mc?.options.quantiles.firstIndex(of: 0.5)
        for r in rows where r.segment != History.totalSegment {
            let plan = projection.rows(region: r.region, segment: r.segment).filter { $0.month.year == year }
            guard !plan.isEmpty else { continue }
            switch r.metric {
            case .acquisitions:
                let monthly = Phasing.flow(target: Int(r.target), weights: plan.map { $0.grossAcquisitions + $0.villageInflow })
                out.append(Phased(row: r, monthly: monthly.map(Double.init)))
            case .active:
                let start = projection.rows(region: r.region, segment: r.segment).last { $0.month.year < year }?.active ?? plan[0].active ?? 0
                var median = plan.map { $0.active ?? 0 }
                if let level = medianLevel, let cell = mc?.cells.first(where: { $0.region == r.region && $0.segment == r.segment }), let band = cell.active {
                    median = plan.map { row in cell.months.firstIndex(of: row.month).map { band.values[level][$0] } ?? (row.active ?? 0) }
                }
                out.append(Phased(row: r, monthly: Phasing.stock(start: start, median: median, target: r.target)))
            }
        }
        return out
    }

    struct Labels {
        let id: Bool
        var summary: String { id ? "Ringkasan" : "Summary" }
        var provenance: String { id ? "Asal Data" : "Provenance" }
        var months: [String] { TargetsText.monthNames(indonesian: id) }
        var summaryHeader: [String] {
            id ? ["Wilayah", "Segmen", "Indikator", "Dasar", "Realisasi", "Target lalu", "Target", "Tumbuh vs realisasi", "Tumbuh vs target", "Cakupan potensi", "P(tercapai)", "P10", "P50", "P90", "Catatan"]
                : ["Region", "Segment", "Metric", "Basis", "Last realisation", "Last target", "Target", "Growth vs realisation", "Growth vs target", "Coverage of potential", "P(reach)", "P10", "P50", "P90", "Flags"]
        }
        func metric(_ m: TargetRow.Metric) -> String {
            switch m {
            case .active: return id ? "Peserta aktif akhir tahun" : "Active at year end"
            case .acquisitions: return id ? "Akuisisi" : "Acquisitions"
            }
        }
        var total: String { "Total" }
        var cumulative: String { id ? "s.d." : "cumulative" }
    }

    /// Writes the workbook and returns its bytes. Throws when libxlsxwriter reports an error.
    public static func data(
        rows: [TargetRow], phased: [Phased], scenario s: Scenario, provenance: [(String, String)], planYear year: Int,
        indonesian: Bool = true
    ) throws(InputError) -> Data {
        let t = Labels(id: indonesian)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("rkat-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        guard let wb = workbook_new(path) else { throw InputError("cannot create the workbook", file: path) }
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
        let title = strdup("RKAT \(year) — \(s.name)")
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
        format_set_num_format(probability, "0.00")

        // Summary.
        let summary = workbook_add_worksheet(wb, t.summary)!
        for (c, h) in t.summaryHeader.enumerated() { worksheet_write_string(summary, 0, lxw_col_t(c), h, bold) }
        for (i, r) in rows.enumerated() {
            let row = lxw_row_t(i + 1)
            worksheet_write_string(summary, row, 0, r.region, nil)
            worksheet_write_string(summary, row, 1, r.segment, nil)
            worksheet_write_string(summary, row, 2, t.metric(r.metric), nil)
            worksheet_write_string(summary, row, 3, TargetsText.basis(r.basis, indonesian: indonesian), nil)
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
            for j in 0..<3 { number(11 + j, r.quantiles.flatMap { j < $0.count ? $0[j] : nil }, persons) }
            worksheet_write_string(summary, row, 14, r.flags.map { TargetsText.flag($0, indonesian: indonesian) }.joined(separator: "; "), nil)
        }
        worksheet_set_column(summary, 0, 3, 18, nil)
        worksheet_set_column(summary, 4, 13, 14, nil)
        worksheet_freeze_panes(summary, 1, 1)

        // One sheet per segment: months as columns.
        for seg in s.segments {
            let mine = phased.filter { $0.row.segment == seg.name }
            guard !mine.isEmpty else { continue }
            let ws = workbook_add_worksheet(wb, String(seg.name.prefix(31)))!
            let header = [indonesian ? "Target \(year)" : "Target \(year)"] + t.months + [t.total]
            for (c, h) in header.enumerated() { worksheet_write_string(ws, 0, lxw_col_t(c), h, bold) }
            var r: lxw_row_t = 1
            for p in mine {
                worksheet_write_string(ws, r, 0, "\(p.row.region) · \(t.metric(p.row.metric)) · \(TargetsText.basis(p.row.basis, indonesian: indonesian))", nil)
                for (k, v) in p.monthly.enumerated() { worksheet_write_number(ws, r, lxw_col_t(k + 1), v, persons) }
                if p.row.metric == .acquisitions {
                    let last = columnName(p.monthly.count)
                    let formula = "=SUM(B\(r + 1):\(last)\(r + 1))"
                    worksheet_write_formula_num(ws, r, lxw_col_t(p.monthly.count + 1), formula, boldPersons, p.monthly.reduce(0, +))
                    r += 1
                    worksheet_write_string(ws, r, 0, "  \(t.cumulative)", nil)
                    var running = 0.0
                    for (k, v) in p.monthly.enumerated() {
                        running += v
                        worksheet_write_number(ws, r, lxw_col_t(k + 1), running, persons)
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
            throw InputError("cannot write the workbook: \(String(cString: lxw_strerror(status)))", file: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError("cannot read the workbook back", file: path) }
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
