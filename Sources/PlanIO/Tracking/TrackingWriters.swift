import CXLSXWriter
import Fitting
import Foundation
import Planning

/// tracking.csv, tracking.json, tracking.md, tracking.xlsx and the tracking report: renderers of the
/// rows `Tracking.table` computed (docs/tracking.md). csv and json keep stable English codes and
/// fractions; md, xlsx and the report are the planner's (Indonesian by default).
extension Words {
    /// These words for the tracking tables of `rows`: their iuran in Rp juta or Rp miliar, one unit
    /// for every output of a tracking run (md, xlsx, report, terminal), as its largest figure needs.
    public func forTracking(_ rows: [Tracking.Row]) -> Words {
        forTable(rupiah: rows.filter(\.metric.isRupiah).flatMap { r in
            [r.annualTarget, r.prognosis, r.neededRunRate, r.recentRunRate] + (r.quantiles ?? []).map { Optional($0) }
                + r.months.flatMap { [$0.target, $0.realised, $0.targetToDate, $0.realisedToDate, $0.gap] }
        })
    }
}

enum TrackingWriters {
    // MARK: csv

    /// One row per target × month (`kind` month) and one per target for the year (`kind` year: the
    /// annual target, realisation to date, the prognosa with its quantiles and P(reach), run rates).
    static func csv(_ rows: [Tracking.Row], levels: [Double], year: Int) -> String {
        var w = CSVWriter(
            header: [
                "kind", "region", "segment", "metric", "month", "status", "target", "realised", "target_to_date",
                "realised_to_date",
                "capaian_month", "capaian_to_date", "gap", "prognosis", "prognosis_basis",
            ] + levels.map(UncertaintyWriter.levelName) + [
                "p_reach", "needed_run_rate", "recent_run_rate", "remaining_months", "flags", "branch",
            ])
        let emptyYear = [String](repeating: "", count: 2 + levels.count + 5)
        for r in rows {
            for m in r.months {
                w.row(
                    [
                        "month", r.region, r.segment, r.metric.rawValue, m.month.description,
                        m.realised != nil ? "realised" : "planned",
                        CSVWriter.persons(m.target), CSVWriter.persons(m.realised), CSVWriter.persons(m.targetToDate),
                        CSVWriter.persons(m.realisedToDate),
                        CSVWriter.fixed(m.capaianMonth, 6), CSVWriter.fixed(m.capaianToDate, 6),
                        CSVWriter.persons(m.gap),
                    ] + emptyYear + [r.branch ?? ""])
            }
            let toDate = r.realisedThrough.flatMap { t in r.months.first { $0.month == t } }
            w.row(
                [
                    "year", r.region, r.segment, r.metric.rawValue, String(year), "", CSVWriter.persons(r.annualTarget),
                    "", CSVWriter.persons(toDate?.targetToDate),
                    CSVWriter.persons(toDate?.realisedToDate), "", CSVWriter.fixed(toDate?.capaianToDate, 6),
                    CSVWriter.persons(toDate?.gap),
                    CSVWriter.persons(r.prognosis), r.prognosisFromDraws ? "p50" : "deterministic",
                ] + levels.indices.map { CSVWriter.persons(r.quantiles?[$0]) } + [
                    CSVWriter.fixed(r.pReach, 4), CSVWriter.persons(r.neededRunRate),
                    CSVWriter.persons(r.recentRunRate), String(r.remainingMonths),
                    r.flags.map(\.rawValue).joined(separator: "; "), r.branch ?? "",
                ])
        }
        return w.text
    }

    // MARK: json

    struct MonthJSON: Encodable {
        var status: String
        var target, realised, target_to_date, realised_to_date, capaian_month, capaian_to_date, gap: Double?
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(status, forKey: .status)
            for (k, v) in [
                (CodingKeys.target, target), (.realised, realised), (.target_to_date, target_to_date),
                (.realised_to_date, realised_to_date),
                (.capaian_month, capaian_month), (.capaian_to_date, capaian_to_date), (.gap, gap),
            ] { try c.encode(v, forKey: k) }
        }
        enum CodingKeys: String, CodingKey {
            case status, target, realised, target_to_date, realised_to_date, capaian_month, capaian_to_date, gap
        }
    }

    struct RowJSON: Encodable {
        var region, segment, metric: String
        var annual_target: Double
        var realised_through: String?
        var months: [String: MonthJSON]
        var prognosis: Double
        var prognosis_basis: String
        var quantiles: [Double]?
        var p_reach, needed_run_rate, recent_run_rate: Double?
        var remaining_months: Int
        var flags: [String]
        /// A branch's target (region = its Kanwil), measured on the branch's own history; null otherwise.
        var branch: String?
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(region, forKey: .region)
            try c.encode(segment, forKey: .segment)
            try c.encode(metric, forKey: .metric)
            try c.encode(annual_target, forKey: .annual_target)
            try c.encode(realised_through, forKey: .realised_through)
            try c.encode(months, forKey: .months)
            try c.encode(prognosis, forKey: .prognosis)
            try c.encode(prognosis_basis, forKey: .prognosis_basis)
            try c.encode(quantiles, forKey: .quantiles)
            try c.encode(p_reach, forKey: .p_reach)
            try c.encode(needed_run_rate, forKey: .needed_run_rate)
            try c.encode(recent_run_rate, forKey: .recent_run_rate)
            try c.encode(remaining_months, forKey: .remaining_months)
            try c.encode(flags, forKey: .flags)
            try c.encode(branch, forKey: .branch)
        }
        enum CodingKeys: String, CodingKey {
            case region, segment, metric, annual_target, realised_through, months, prognosis, prognosis_basis,
                quantiles, p_reach
            case needed_run_rate, recent_run_rate, remaining_months, flags, branch
        }
    }

    struct DocumentJSON: Encodable {
        var plan_year: Int
        var actuals_until: String
        var draws: Int
        var quantile_levels: [Double]
        var targets: [RowJSON]
        var plan: PlanJSON
    }

    /// The approved plan's provenance: its file, its kind and a workbook's edited cells.
    struct PlanJSON: Encodable {
        var file: String
        var read_from: String
        /// Per indicator, "issued" or "projection": which of the plan's rows are its targets.
        var target_basis: [String: String]
        var edited_cells: [EditJSON]
        /// Projection rows edited but not read: their issued rows are the targets (`UnreadProposal`);
        /// written only when there is one.
        var unread_proposals: [UnreadJSON]?
    }

    struct UnreadJSON: Encodable {
        var region, segment, metric: String
        var written, edited, issued: Double
    }

    struct EditJSON: Encodable {
        var cell, region: String
        var branch: String?
        var segment, metric: String
        var month: String?
        var original, approved: Double
        var derived: Bool
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(cell, forKey: .cell)
            try c.encode(region, forKey: .region)
            try c.encode(branch, forKey: .branch)
            try c.encode(segment, forKey: .segment)
            try c.encode(metric, forKey: .metric)
            try c.encode(month, forKey: .month)
            try c.encode(original, forKey: .original)
            try c.encode(approved, forKey: .approved)
            try c.encode(derived, forKey: .derived)
        }
        enum CodingKeys: String, CodingKey { case cell, region, branch, segment, metric, month, original, approved, derived }
    }

    /// The approved plan's file and, from a workbook, what the planners changed in it.
    struct PlanSource: Sendable {
        var file: String
        var fromWorkbook: Bool
        var edits: [ApprovedPlan.Edit]
        /// The indicators whose targets are the issued ones split down (basis `issued`), not the projection's.
        var issued: [TargetRow.Metric]
        var unread: [ApprovedPlan.UnreadProposal]

        init(file: String, plan: ApprovedPlan) {
            self.file = file
            self.fromWorkbook = plan.fromWorkbook
            self.edits = plan.edits
            self.issued = TargetRow.Metric.allCases.filter { plan.issuedMetrics.contains($0) }
            self.unread = plan.unreadProposals
        }

        /// An edited projection row that is not the one tracked, in words (a warning and a line of tracking.md).
        static func unread(_ u: ApprovedPlan.UnreadProposal) -> Phrase {
            Phrase { l in
                let what = "\(u.region) \(u.segment) \(Words(indonesian: l.indonesian).metric(u.metric).lowercased())"
                return l.t(
                    "\(what): baris proyeksi disunting (rkat menulis \(l.n(u.written)), kini \(l.n(u.edited))) tetapi tidak dibaca: target yang diukur adalah baris terbit, \(l.n(u.issued)); hapus baris terbit untuk mengukur terhadap proyeksi",
                    "\(what): the projection row was edited (rkat wrote \(l.n(u.written)), now \(l.n(u.edited))) but is not read: the target measured is the issued row, \(l.n(u.issued)); delete the issued rows to measure against the projection")
            }
        }

        var json: PlanJSON {
            PlanJSON(
                file: file, read_from: fromWorkbook ? "workbook" : "targets.json", target_basis: Dictionary(uniqueKeysWithValues: TargetRow.Metric.allCases.map { ($0.rawValue, issued.contains($0) ? TargetBasis.issued.code : TargetBasis.projection.code) }),
                edited_cells: edits.map {
                    EditJSON(
                        cell: $0.cell, region: $0.region, branch: $0.branch, segment: $0.segment, metric: $0.metric.rawValue, month: $0.month?.description,
                        original: $0.original, approved: $0.approved, derived: $0.derived)
                },
                unread_proposals: unread.isEmpty ? nil : unread.map { UnreadJSON(region: $0.region, segment: $0.segment, metric: $0.metric.rawValue, written: $0.written, edited: $0.edited, issued: $0.issued) })
        }

        /// One line on where the plan comes from, then a row per edited cell.
        func header(_ w: Words) -> String {
            fromWorkbook
                ? w.t("Rencana yang disetujui: buku kerja \(file); \(edits.isEmpty ? "tidak ada sel yang disunting" : "\(edits.count) sel berbeda dari yang ditulis rkat")",
                      "The approved plan: the workbook \(file); \(edits.isEmpty ? "no cell edited" : "\(edits.count) cell\(edits.count == 1 ? "" : "s") differ from what rkat wrote")")
                : w.t("Rencana yang disetujui: \(file)", "The approved plan: \(file)")
                    + (issued.isEmpty ? "" : w.t(
                        "; target \(issued.map { w.metric($0).lowercased() }.joined(separator: ", ")): alokasi target terbit (basis issued), bukan proyeksi",
                        "; targets of \(issued.map { w.metric($0).lowercased() }.joined(separator: ", ")): the issued target's shares (basis issued), not the projection"))
        }

        static func columns(_ w: Words) -> [String] {
            [w.t("Sel", "Cell"), "Target", w.t("Bulan", "Month"), w.t("Ditulis rkat", "Written by rkat"), w.t("Disetujui", "Approved"), w.t("Catatan", "Note")]
        }

        static func cells(_ e: ApprovedPlan.Edit, _ w: Words) -> [String] {
            let what = "\(e.region)\(e.branch.map { " · \($0)" } ?? "") \(e.segment) · \(w.metric(e.metric, .persons))"
            return [
                e.cell, what, e.month.map { w.monthYear($0) } ?? w.t("setahun", "the year"), w.figure(e.original, e.metric), w.figure(e.approved, e.metric),
                e.derived
                    ? w.t("diturunkan dari bulan atau segmen yang disunting", "re-derived from the edited months or segments")
                    : w.t("disunting", "edited"),
            ]
        }
    }

    static func json(_ rows: [Tracking.Row], levels: [Double], year: Int, actualsUntil: Month, draws: Int, plan: PlanSource) -> String {
        FitReport.encode(
            DocumentJSON(
                plan_year: year, actuals_until: actualsUntil.description, draws: draws, quantile_levels: levels,
                targets: rows.map { r in
                    RowJSON(
                        region: r.region, segment: r.segment, metric: r.metric.rawValue, annual_target: r.annualTarget,
                        realised_through: r.realisedThrough?.description,
                        months: Dictionary(
                            uniqueKeysWithValues: r.months.map { m in
                                (
                                    m.month.description,
                                    MonthJSON(
                                        status: m.realised != nil ? "realised" : "planned", target: m.target,
                                        realised: m.realised, target_to_date: m.targetToDate,
                                        realised_to_date: m.realisedToDate, capaian_month: m.capaianMonth,
                                        capaian_to_date: m.capaianToDate, gap: m.gap)
                                )
                            }),
                        prognosis: r.prognosis, prognosis_basis: r.prognosisFromDraws ? "p50" : "deterministic",
                        quantiles: r.quantiles,
                        p_reach: r.pReach, needed_run_rate: r.neededRunRate, recent_run_rate: r.recentRunRate,
                        remaining_months: r.remainingMonths,
                        flags: r.flags.map(\.rawValue), branch: r.branch)
                }, plan: plan.json)) + "\n"
    }

    // MARK: md

    static func summaryHeader(_ w: Words, actualsUntil: Month, levels: [Double]) -> [String] {
        [
            w.region, w.segment, w.metricHeader, w.t("Target tahunan", "Annual target"),
            w.t("Target s.d. \(w.monthYear(actualsUntil))", "Target to \(w.monthYear(actualsUntil))"),
            w.t("Realisasi s.d. \(w.monthYear(actualsUntil))", "Realised to \(w.monthYear(actualsUntil))"),
            w.t("Capaian s.d.", "Achieved to date"), w.t("Selisih", "Gap"),
            w.t("Prognosa", "Prognosis"),
        ] + levels.map(w.level) + [
            w.pReach, w.t("Perlu per bulan", "Needed a month"), w.t("Terkini per bulan", "Recent a month"), w.flags,
        ]
    }

    static func summaryCells(_ r: Tracking.Row, _ w: Words, levels: [Double]) -> [String] {
        let toDate = r.realisedThrough.flatMap { t in r.months.first { $0.month == t } }
        let n = { (v: Double?) in w.figure(v, r.metric) }
        return [
            r.place, r.segment, w.metric(r.metric, r.unit), n(r.annualTarget), n(toDate?.targetToDate),
            n(toDate?.realisedToDate),
            w.percent(toDate?.capaianToDate), w.signedFigure(toDate?.gap, r.metric), n(r.prognosis),
        ]
            + levels.indices.map { n(r.quantiles?[$0]) }
            + [
                w.percent(r.pReach), n(r.neededRunRate), n(r.recentRunRate),
                r.flags.map { flag($0, w) }.joined(separator: "; "),
            ]
    }


    static func flag(_ f: Tracking.Flag, _ w: Words) -> String {
        switch f {
        case .reachBelow50: return w.t("P(tercapai) di bawah 50%", f.rawValue)
        case .reachBelow20: return w.t("P(tercapai) di bawah 20%", f.rawValue)
        case .behindToDate: return w.t("realisasi s.d. di bawah target s.d.", f.rawValue)
        }
    }

    static func basisNote(_ rows: [Tracking.Row], _ w: Words) -> String {
        rows.first?.prognosisFromDraws == true
            ? w.t(
                "Prognosa: median (P50) simulasi pada actuals_until; sama dengan `rkat run`.",
                "Prognosis: the median (P50) of the draws at actuals_until; the same as rkat run.")
            : w.t(
                "Prognosa: proyeksi deterministik (tanpa simulasi); sama dengan `rkat run`.",
                "Prognosis: the deterministic projection (no draws); the same as rkat run.")
    }

    static func markdown(_ rows: [Tracking.Row], year: Int, actualsUntil: Month, levels: [Double], words w: Words, plan: PlanSource)
        -> String
    {
        var lines = [
            "# "
                + w.t(
                    "Capaian dan prognosa RKAT \(year), realisasi s.d. \(w.monthYear(actualsUntil))",
                    "RKAT \(year) tracking, realised to \(w.monthYear(actualsUntil))"), "",
        ]
        let header = summaryHeader(w, actualsUntil: actualsUntil, levels: levels)
        lines.append("| " + header.joined(separator: " | ") + " |")
        lines.append("|" + String(repeating: "---|", count: header.count))
        for r in rows { lines.append("| " + summaryCells(r, w, levels: levels).joined(separator: " | ") + " |") }
        lines += ["", basisNote(rows, w), ""]
        for r in rows {
            lines += ["## \(r.place) \(r.segment) · \(w.metric(r.metric, r.unit))", ""]
            lines.append("| | " + w.monthNames.joined(separator: " | ") + " |")
            lines.append("|" + String(repeating: "---|", count: 13))
            lines.append("| Target | " + r.months.map { w.figure($0.target, r.metric) }.joined(separator: " | ") + " |")
            lines.append(
                "| " + w.t("Realisasi", "Realised") + " | "
                    + r.months.map { w.figure($0.realised, r.metric) }.joined(separator: " | ") + " |")
            lines.append(
                "| " + w.t("Capaian", "Achieved") + " | "
                    + r.months.map { w.percent($0.capaianMonth) }.joined(separator: " | ") + " |")
            lines.append(
                "| " + w.t("Capaian s.d.", "Achieved to date") + " | "
                    + r.months.map { w.percent($0.capaianToDate) }.joined(separator: " | ") + " |")
            lines.append("")
        }
        lines += ["## " + w.t("Asal rencana", "The plan's provenance"), "", plan.header(w)]
        if !plan.unread.isEmpty { lines += [""] + plan.unread.map { "- " + PlanSource.unread($0).text(indonesian: w.indonesian) } }
        if !plan.edits.isEmpty {
            let columns = PlanSource.columns(w)
            lines += ["", "| " + columns.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: columns.count)]
            lines += plan.edits.map { "| " + PlanSource.cells($0, w).joined(separator: " | ") + " |" }
        }
        lines.append("")
        return lines.joined(separator: "\n")
    }

    // MARK: xlsx

    /// tracking.xlsx: the summary (one row per target), then one sheet of the months (four rows a
    /// target: target, realised, capaian, capaian to date), only for targets with a month to show.
    /// Iuran in whole rupiah, shown in the workbook's Rp juta or miliar; laid out as WorkbookStyle prints.
    static func workbook(
        _ rows: [Tracking.Row], year: Int, actualsUntil: Month, levels: [Double], scenario: String, words: Words, plan: PlanSource,
        scratch: String? = nil
    ) throws(OutputWriteError) -> Data {
        let w = words
        return try TargetsWorkbook.open(
            year: year, title: "RKAT \(year) — \(scenario) — \(w.t("capaian", "tracking")) \(actualsUntil)",
            scratch: scratch
        ) { wb in
            let plain = WorkbookStyle.format(wb)
            let wrap = WorkbookStyle.format(wb) { format_set_text_wrap($0) }
            // Headers wrap (WorkbookStyle.Widths makes their row tall enough).
            let bold = WorkbookStyle.format(wb) { WorkbookStyle.header($0) }
            let boldRight = WorkbookStyle.format(wb) { WorkbookStyle.header($0); format_set_align($0, UInt8(LXW_ALIGN_RIGHT.rawValue)) }
            let personsFormat = WorkbookStyle.format(wb) { format_set_num_format($0, "#,##0") }
            let rupiahFormat = WorkbookStyle.format(wb) { format_set_num_format($0, WorkbookStyle.rupiahNumberFormat(w.rupiahUnit)) }
            let percent = WorkbookStyle.format(wb) { format_set_num_format($0, "0.0%") }
            let footer =
                "\(scenario) · RKAT \(year) · \(w.t("realisasi s.d.", "realised to")) \(w.monthYear(actualsUntil))"
            // Summary: one row per target.
            let summary = workbook_add_worksheet(wb, w.t("Capaian", "Tracking"))!
            let header = summaryHeader(w, actualsUntil: actualsUntil, levels: levels)
            var widths = WorkbookStyle.Widths()
            for (c, h) in header.enumerated() {
                worksheet_write_string(summary, 0, lxw_col_t(c), h, c >= 3 && c < header.count - 1 ? boldRight : bold)
                widths.header(c, h)
            }
            for (i, r) in rows.enumerated() {
                let row = lxw_row_t(i + 1)
                let toDate = r.realisedThrough.flatMap { t in r.months.first { $0.month == t } }
                // Iuran in rupiah, members in persons.
                let persons = r.metric.isRupiah ? rupiahFormat : personsFormat
                func text(_ c: Int, _ s: String) {
                    worksheet_write_string(summary, row, lxw_col_t(c), s, plain)
                    widths.note(c, s)
                }
                func number(_ c: Int, _ v: Double?, _ f: UnsafeMutablePointer<lxw_format>) {
                    guard let v, v.isFinite else { return }
                    worksheet_write_number(summary, row, lxw_col_t(c), v, f)
                    widths.note(c, f == percent ? w.percent(v) : w.figure(v, r.metric))
                }
                text(0, r.place)
                text(1, r.segment)
                text(2, w.metric(r.metric, r.unit))
                number(3, r.annualTarget, persons)
                number(4, toDate?.targetToDate, persons)
                number(5, toDate?.realisedToDate, persons)
                number(6, toDate?.capaianToDate, percent)
                number(7, toDate?.gap, persons)
                number(8, r.prognosis, persons)
                for j in levels.indices { number(9 + j, r.quantiles?[j], persons) }
                number(9 + levels.count, r.pReach, percent)
                number(10 + levels.count, r.neededRunRate, persons)
                number(11 + levels.count, r.recentRunRate, persons)
                let flags = r.flags.map { flag($0, w) }.joined(separator: "; ")
                worksheet_write_string(summary, row, lxw_col_t(12 + levels.count), flags, wrap)
                widths.wrapping(row: i + 1, column: 12 + levels.count, flags, within: 30)
            }
            // The note under the table spans the row; it sets no column's width.
            worksheet_write_string(summary, lxw_row_t(rows.count + 2), 0, basisNote(rows, w), plain)
            let width = widths.apply(summary)
            worksheet_freeze_panes(summary, 1, 1)
            WorkbookStyle.setPage(summary, width: width, footer: footer, words: w, labelColumns: 3)
            // The months: four rows a target, the months as columns; targets without a month to show
            // (a branch planned by the year only) are left out.
            let shown = rows.filter { r in r.months.contains { $0.target != nil || $0.realised != nil } }
            defer { provenance() }
            // The plan's provenance, last: its file and, from a workbook, the cells the planners edited.
            func provenance() {
                let ws = workbook_add_worksheet(wb, w.t("Asal Rencana", "Plan Provenance"))!
                var widths = WorkbookStyle.Widths()
                for (c, h) in PlanSource.columns(w).enumerated() {
                    worksheet_write_string(ws, 0, lxw_col_t(c), h, c == 3 || c == 4 ? boldRight : bold)
                    widths.header(c, h)
                }
                var row: lxw_row_t = 0
                for e in plan.edits {
                    row += 1
                    for (c, text) in PlanSource.cells(e, w).enumerated() where c != 3 && c != 4 {
                        // The note wraps, so that the table fits a page's width.
                        worksheet_write_string(ws, row, lxw_col_t(c), text, c == 5 ? wrap : plain)
                        if c == 5 { widths.wrapping(row: Int(row), column: c, text, within: 26) } else { widths.note(c, text) }
                    }
                    let figures = e.metric.isRupiah ? rupiahFormat : personsFormat
                    for (c, v) in [(3, e.original), (4, e.approved)] {
                        worksheet_write_number(ws, row, lxw_col_t(c), v, figures)
                        widths.note(c, w.figure(v, e.metric))
                    }
                }
                // Below the edits, one line across the row (it sets no width): the plan's file, then
                // each edited projection row that is not read.
                row += plan.edits.isEmpty ? 1 : 2
                worksheet_write_string(ws, row, 0, plan.header(w), plain)
                let width = widths.apply(ws)
                // Each one across the table's columns, wrapped within its width, its row as tall as its lines.
                for u in plan.unread {
                    row += 1
                    let text = PlanSource.unread(u).text(indonesian: w.indonesian)
                    worksheet_merge_range(ws, row, 0, row, lxw_col_t(PlanSource.columns(w).count - 1), text, wrap)
                    worksheet_set_row(ws, row, 12.75 * Double(WorkbookStyle.Widths.lines(text, within: width - 8, bold: false)) + 1.5, nil)
                }
                worksheet_freeze_panes(ws, 1, 0)
                WorkbookStyle.setPage(ws, width: width, footer: footer, words: w, labelColumns: 1)
            }
            guard !shown.isEmpty else { return }
            let ws = workbook_add_worksheet(wb, w.t("Bulanan", "Monthly"))!
            var monthWidths = WorkbookStyle.Widths()
            let labels = [w.region, w.segment, w.metricHeader, ""]
            for (c, h) in (labels + w.monthNames).enumerated() {
                worksheet_write_string(ws, 0, lxw_col_t(c), h, c < labels.count ? bold : boldRight)
                monthWidths.header(c, h)
            }
            let lines = [
                "Target", w.t("Realisasi", "Realised"), w.t("Capaian", "Achieved"), w.t("Capaian s.d.", "Achieved to date"),
            ]
            for (k, r) in shown.enumerated() {
                let first = lxw_row_t(1 + 4 * k)
                let figures = r.metric.isRupiah ? rupiahFormat : personsFormat
                for (i, line) in lines.enumerated() {
                    let row = first + lxw_row_t(i)
                    for (c, s) in [r.place, r.segment, w.monthlyMetric(r.metric, r.unit), line].enumerated() {
                        worksheet_write_string(ws, row, lxw_col_t(c), s, plain)
                        monthWidths.note(c, s)
                    }
                }
                for (c, m) in r.months.enumerated() {
                    let col = lxw_col_t(labels.count + c)
                    for (i, v, f) in [(0, m.target, figures), (1, m.realised, figures), (2, m.capaianMonth, percent), (3, m.capaianToDate, percent)] {
                        guard let v, v.isFinite else { continue }
                        worksheet_write_number(ws, first + lxw_row_t(i), col, v, f)
                        monthWidths.note(labels.count + c, f == percent ? w.percent(v) : w.figure(v, r.metric))
                    }
                }
            }
            // The month columns one width, as wide as the widest of them.
            let monthColumns = labels.count..<(labels.count + 12)
            let widest = monthColumns.compactMap { monthWidths.pixels[$0] }.max() ?? 0
            for c in monthColumns { monthWidths.pixels[c] = widest }
            let monthsWidth = monthWidths.apply(ws)
            worksheet_freeze_panes(ws, 1, lxw_col_t(labels.count))
            WorkbookStyle.setPage(ws, width: monthsWidth, footer: footer, words: w, labelColumns: labels.count)
        }
    }

    // MARK: report

    /// The first page, for management: the prognosa against the plan for the Kanwil's regions and
    /// segments (branches are in the full table), the realisation to date and what each month must
    /// bring. Printed, the page breaks after it.
    static func summary(_ rows: [Tracking.Row], actualsUntil: Month, words w: Words) -> String {
        func e(_ v: String) -> String { SVGChart.escape(v) }
        var out = "<section class=\"summary\">\n<h2>\(e(w.t("Prognosa terhadap rencana", "Prognosis against the plan"))) \(actualsUntil.year)</h2>\n"
        out += "<table class=\"summary-tracking\">" + HTMLTable.header([
            w.region, w.segment, w.metricHeader, w.t("Target tahunan", "Annual target"), w.t("Realisasi s.d.", "Realised to date"),
            w.t("Capaian s.d.", "Achieved to date"), w.t("Prognosa", "Prognosis"), w.pReach, w.t("Perlu per bulan", "Needed a month"),
        ])
        for r in rows where r.branch == nil {
            let toDate = r.realisedThrough.flatMap { t in r.months.first { $0.month == t } }
            let n = { (v: Double?) in w.figure(v, r.metric) }
            out += HTMLTable.row([
                .text(r.place), .markup(r.isTotal ? "<b>\(e(r.segment))</b>" : e(r.segment), numeric: false), .text(w.metric(r.metric, r.unit)),
                .number(n(r.annualTarget)), .number(n(toDate?.realisedToDate)), .number(w.percent(toDate?.capaianToDate)),
                .markup("<b>\(n(r.prognosis))</b>", numeric: true), .number(w.percent(r.pReach)), .number(n(r.neededRunRate)),
            ])
        }
        out += "</table>\n<p>\(e(basisNote(rows, w)))</p>\n"
        out += "<p class=\"note\">\(e(w.t("Rincian per kantor, bulan dan grafik: halaman berikutnya.", "Details by office, month and charts: next pages.")))</p>\n</section>\n"
        return out
    }

    /// The planner's page: per target, the plan's path, the realised months and the prognosa fan
    /// (the run's bands for the projected months), then the summary table.
    static func report(
        _ rows: [Tracking.Row], scenario s: Scenario, projection: Projection, monteCarlo mc: MonteCarlo.Result?,
        actualsUntil: Month,
        runDate: Date, words w: Words
    ) -> String {
        func e(_ v: String) -> String { SVGChart.escape(v) }
        let tick: (Double) -> String = { ReportWriter.monthTick($0, monthNames: w.monthNames) }
        var body = "<h1>\(e(w.t("Capaian dan prognosa", "Tracking and prognosis"))) — \(e(s.name))</h1>\n"
        body +=
            "<p>\(e(w.t("Realisasi s.d.", "Realised to"))) \(e(w.monthYear(actualsUntil))).</p>\n"
        body += summary(rows, actualsUntil: actualsUntil, words: w)
        // Every column, in a frame that scrolls on screen with the labels kept in view; printed on a
        // landscape page of its own.
        let header = summaryHeader(
            w, actualsUntil: actualsUntil, levels: mc?.options.quantiles ?? s.uncertainty.quantiles)
        body += "<div class=\"wide\"><h2>\(e(w.t("Rincian capaian", "Tracking in full")))</h2>\n<table><tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr>\n"
        for r in rows {
            body +=
                "<tr>"
                + summaryCells(r, w, levels: mc?.options.quantiles ?? s.uncertainty.quantiles).enumerated().map {
                    // The labels and the flags (last) are text; the rest are figures.
                    i, c in i < 3 || i == header.count - 1 ? "<td>\(e(c))</td>" : "<td class=\"n\">\(e(c))</td>"
                }.joined() + "</tr>\n"
        }
        body += "</table></div>\n"
        for r in rows where !r.isTotal {
            var chart = SVGChart(
                title: "\(r.place) · \(r.segment) — \(w.monthlyMetric(r.metric, r.unit))", yFormat: { w.figure($0, r.metric) },
                xFormat: tick)
            let planned = r.months.filter { $0.target != nil }
            chart.series.append(
                .init(
                    label: w.t("target (rencana)", "plan target"), x: planned.map(\.month.decimalYear),
                    y: planned.map { $0.target! }, kind: .line(dash: "6 3"), color: SVGChart.palette[1]))
            // The run's band for the projected months (stocks and acquisitions; iuran has no monthly
            // band), else its deterministic path.
            // A branch's chart has no band of its own here (its prognosa is in the table).
            let cell = r.branch == nil ? mc?.cell(r.region, r.segment) : nil
            let band: MonteCarlo.Band? =
                r.metric == .active ? cell?.active : r.metric == .acquisitions ? cell?.acquisitions : nil
            let k = cell.map { c in c.months.indices.filter { c.months[$0].year == actualsUntil.year } } ?? []
            if let cell, let band, band.values.count >= 2, !k.isEmpty {
                chart.series.append(
                    .init(
                        label: w.t("prognosa", "prognosis")
                            + " \(w.level(mc!.options.quantiles.first!))–\(w.level(mc!.options.quantiles.last!))",
                        x: k.map { cell.months[$0].decimalYear }, y: k.map { band.values.first![$0] },
                        kind: .band(upper: k.map { band.values.last![$0] }),
                        color: SVGChart.palette[0]))
            } else if cell == nil || !r.metric.isMembers {
                let p = projection.rows(region: r.region, segment: r.segment).filter {
                    $0.month.year == actualsUntil.year
                }
                let y = p.map { $0.figure(r.metric) }
                let label =
                    !r.metric.isMembers && cell != nil
                    ? w.t("prognosa (deterministik)", "prognosis (deterministic)") : w.t("prognosa", "prognosis")
                chart.series.append(
                    .init(
                        label: label, x: p.map(\.month.decimalYear), y: y, kind: .line(dash: nil),
                        color: SVGChart.palette[0]))
            }
            let realised = r.months.filter { $0.realised != nil }
            chart.series.append(
                .init(
                    label: w.t("realisasi", "realised"), x: realised.map(\.month.decimalYear),
                    y: realised.map { $0.realised! }, kind: .points, color: SVGChart.palette[6]))
            body += "<figure>\(chart.render())</figure>\n"
        }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withFullDate]
        body += "<p class=\"small\">\(e(w.t("Tanggal jalan", "Run date"))): \(iso.string(from: runDate))</p>\n"
        return ReportWriter.page(
            title: "RKAT — \(e(s.name)) — \(e(w.t("capaian", "tracking")))", body: body, indonesian: w.indonesian)
    }
}
