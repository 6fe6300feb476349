import CXLSXWriter
import Foundation
import Planning

/// targets.xlsx through libxlsxwriter, rendering the plan-year view: a summary sheet, one sheet per segment with the plan year's
/// months as columns (flow targets with a SUM total that carries its value, stock targets phased
/// along the median path), thousands separators, iuran in whole rupiah shown in Rp juta or miliar,
/// frozen header row and label columns, a fixed creation time so reruns are byte-identical, and a
/// provenance sheet ("Asal Data" / "Provenance"). Every sheet prints as WorkbookStyle lays it out
/// (RKAT tables are handed in on paper).
enum TargetsWorkbook {
    /// Writes the workbook and returns its bytes. Throws when libxlsxwriter reports an error.
    /// Throws `OutputWriteError` (a runtime failure, exit 1) when libxlsxwriter cannot write it.
    static func data(
        _ view: PlanYearView, segments: [String], provenance: [(String, String)], words: Words, scratch: String? = nil, extra: [ExtraSheet] = [],
        national: Bool = false
    ) throws(OutputWriteError) -> Data {
        // One rupiah unit for the workbook, as its largest iuran figure needs (as targets.md).
        let t = words.forTargets(view)
        return try open(year: view.year, title: "RKAT \(view.year) — \(view.scenario)", scratch: scratch) { wb in
            var sheets = Sheets(wb: wb, view: view, t: t, f: Formats(wb, rupiah: t.rupiahUnit))
            // Sheet names Excel accepts, unique; a sheet only where there is something to show.
            var taken = Set([t.summary, t.branchesSheet, t.provenance, PlanAnchor.sheetName].map { $0.lowercased() })
            sheets.summary()
            // A command's sheet never takes a name already used (libxlsxwriter refuses a second one).
            for var e in extra {
                e.name = WorkbookStyle.sheetName(e.name, taken: &taken)
                sheets.extra(e)
            }
            // One sheet per segment (members); iuran on a sheet of its own.
            for segment in segments {
                let mine = view.phasing.filter { $0.row.segment == segment && !$0.row.metric.isRupiah }
                guard !mine.isEmpty else { continue }
                sheets.months(WorkbookStyle.sheetName(segment, taken: &taken), mine) { "\($0.row.region) · \(t.metric($0.row.metric, $0.row.unit)) · \(t.basis($0.row.basis))" }
            }
            let iuran = view.phasing.filter { $0.row.metric.isRupiah }
            if !iuran.isEmpty {
                sheets.months(WorkbookStyle.sheetName("Iuran", taken: &taken), iuran, label: { "\($0.row.region) · \($0.row.segment) · \(t.basis($0.row.basis))" }, notes: view.iuranPlans.flatMap { t.iuranBasis($0.segment, $0.plan) } + view.iuranCalibrations.flatMap { c in c.calibration.noteParts.map { "\(c.region) · \(c.segment): " + $0.text(indonesian: t.indonesian) } })
            }
            if !view.branches.isEmpty { sheets.branches() }
            sheets.provenance(provenance)
            sheets.anchor(national: national)
        }
    }

    /// The workbook's cell formats, made once (in this order: the styles' indices follow it), all in
    /// WorkbookStyle's font.
    struct Formats {
        let plain, wrap, bold, boldRight, persons, realisedPersons, boldPersons, rupiah, realisedRupiah, boldRupiah, percent, probability: UnsafeMutablePointer<lxw_format>

        init(_ wb: UnsafeMutablePointer<lxw_workbook>, rupiah unit: RupiahUnit?) {
            let format = { (set: (UnsafeMutablePointer<lxw_format>) -> Void) in WorkbookStyle.format(wb, set) }
            plain = format { _ in }
            // Long text (labels, flags, sources) wraps within a capped column.
            wrap = format { format_set_text_wrap($0) }
            // Headers wrap (WorkbookStyle.Widths makes their row tall enough); those of number
            // columns sit over their right-aligned numbers.
            bold = format { WorkbookStyle.header($0) }
            boldRight = format { WorkbookStyle.header($0); format_set_align($0, UInt8(LXW_ALIGN_RIGHT.rawValue)) }
            persons = format { format_set_num_format($0, "#,##0") }
            // Realised months: the history's figures, in italics (the month sheets' legend says so).
            realisedPersons = format { format_set_num_format($0, "#,##0"); format_set_italic($0) }
            boldPersons = format { format_set_num_format($0, "#,##0"); format_set_bold($0) }
            // Iuran: whole rupiah in the cell, shown in the workbook's unit (the header names it).
            let rupiahFormat = WorkbookStyle.rupiahNumberFormat(unit)
            rupiah = format { format_set_num_format($0, rupiahFormat) }
            realisedRupiah = format { format_set_num_format($0, rupiahFormat); format_set_italic($0) }
            boldRupiah = format { format_set_num_format($0, rupiahFormat); format_set_bold($0) }
            percent = format { format_set_num_format($0, "0.0%") }
            probability = format { format_set_num_format($0, "0.0%") }
        }
    }

    /// The workbook's sheets, one method each: the summary, the month sheets, the branches, the provenance.
    struct Sheets {
        let wb: UnsafeMutablePointer<lxw_workbook>
        let view: PlanYearView
        let t: Words
        let f: Formats
        var year: Int { view.year }
        var footer: String { "\(view.scenario) · RKAT \(year)" }
        /// Where each figure of the plan stands, for the hidden anchor sheet (`PlanAnchor`).
        var cells: [PlanAnchor.Cell] = []
        /// Each issued row's annual cell, the cell of its projection row's (the unit's own proposal)
        /// and the figure written there: `rkat track` tells an edited proposal it does not read.
        var proposals: [PlanAnchor.Proposal] = []

        init(wb: UnsafeMutablePointer<lxw_workbook>, view: PlanYearView, t: Words, f: Formats) {
            (self.wb, self.view, self.t, self.f) = (wb, view, t, f)
        }

        /// The plan's figures (the projection rows, and the branches'), their places and values, on a
        /// hidden last sheet: what `rkat track --plan targets.xlsx` reads back (edited cells are those
        /// that differ from the values kept here). It does not print.
        func anchor(national: Bool) {
            let ws = workbook_add_worksheet(wb, PlanAnchor.sheetName)!
            var head: [(String, String)] = [("schema", PlanAnchor.schema), ("scenario", view.scenario), ("plan_year", "\(year)")]
            // What targets.json says by its `histories` and its rows' `basis`: a national plan (each
            // Kanwil's file tracks its own rows) and the indicators whose anchored rows are issued.
            if national { head.append((PlanAnchor.levelKey, PlanAnchor.national)) }
            let issued = TargetRow.Metric.allCases.filter { m in view.targets.contains { $0.basis == .issued && $0.metric == m } }
            if !issued.isEmpty { head.append((PlanAnchor.issuedKey, issued.map(\.rawValue).joined(separator: ","))) }
            if !proposals.isEmpty { head.append((PlanAnchor.proposalsKey, PlanAnchor.Proposal.text(proposals))) }
            for (i, (k, v)) in head.enumerated() {
                worksheet_write_string(ws, lxw_row_t(i), 0, k, nil)
                worksheet_write_string(ws, lxw_row_t(i), 1, v, nil)
            }
            for (c, name) in PlanAnchor.columns.enumerated() { worksheet_write_string(ws, lxw_row_t(head.count), lxw_col_t(c), name, nil) }
            for (i, cell) in cells.enumerated() {
                let row = lxw_row_t(head.count + 1 + i)
                for (c, text) in cell.texts.enumerated() where !text.isEmpty { worksheet_write_string(ws, row, lxw_col_t(c), text, nil) }
                worksheet_write_number(ws, row, lxw_col_t(PlanAnchor.columns.count - 1), cell.original, nil)
            }
            worksheet_hide(ws)
        }

        /// The summary: one row per target, with the plan-year ledger's columns.
        mutating func summary() {
            let (bold, boldRight, persons, boldPersons, rupiah, boldRupiah, percent, probability) =
                (f.bold, f.boldRight, f.persons, f.boldPersons, f.rupiah, f.boldRupiah, f.percent, f.probability)
            let summary = workbook_add_worksheet(wb, t.summary)!
            let header = t.targetHeader(planYear: nil, levels: view.levels, coverageOfPotential: true)
                + [t.lastRealisationThrough, t.realisedToDate(year), t.realisedThrough]
            var widths = WorkbookStyle.Widths()
            for (c, h) in header.enumerated() {
                // Text columns: the labels, the flags and the two months of the ledger.
                let text = c < 4 || [11, 12, 14].map { $0 + view.levels.count }.contains(c)
                worksheet_write_string(summary, 0, lxw_col_t(c), h, text ? bold : boldRight)
                widths.header(c, h)
            }
            // Wrap nothing: a header wider than its numbers sets the column's width.
            for (i, r) in view.targets.enumerated() {
                let row = lxw_row_t(i + 1)
                let texts = [r.region, r.segment, t.metric(r.metric, r.unit), t.basis(r.basis)]
                for (c, text) in texts.enumerated() {
                    worksheet_write_string(summary, row, lxw_col_t(c), text, f.plain)
                    widths.note(c, text)
                }
                let inRupiah = r.metric.isRupiah
                func number(_ c: Int, _ v: Double?, _ f: UnsafeMutablePointer<lxw_format>) {
                    if let v, v.isFinite {
                        // Figures of an iuran row in rupiah.
                        let format = !inRupiah ? f : f == persons ? rupiah : f == boldPersons ? boldRupiah : f
                        worksheet_write_number(summary, row, lxw_col_t(c), v, format)
                        widths.note(c, f == percent || f == probability ? t.percent(v) : t.figure(v, r.metric), bold: f == boldPersons)
                    }
                }
                number(4, r.lastRealisation, persons)
                number(5, r.lastTarget, persons)
                number(6, r.target, boldPersons)
                if view.approved(r) {
                    cells.append(PlanAnchor.Cell(
                        sheet: t.summary, row: i + 2, column: 7, region: r.region, segment: r.segment, metric: r.metric, unit: r.unitCode,
                        labelColumns: texts.count, label: PlanAnchor.Cell.label(texts), original: r.target))
                }
                if let j = view.proposalIndex(of: r) {
                    proposals.append(PlanAnchor.Proposal(issued: "G\(i + 2)", proposal: "G\(j + 2)", written: view.targets[j].target))
                }
                number(7, r.growthVsRealisation, percent)
                number(8, r.growthVsTarget, percent)
                number(9, r.coverage, percent)
                number(10, r.probability, probability)
                for j in view.levels.indices { number(11 + j, r.quantiles.flatMap { j < $0.count ? $0[j] : nil }, persons) }
                let flags = r.flags.map(t.flag).joined(separator: "; ")
                worksheet_write_string(summary, row, lxw_col_t(11 + view.levels.count), flags, self.f.wrap)
                widths.wrapping(row: i + 1, column: 11 + view.levels.count, flags, within: 30)
                // The plan-year ledger: what the realisation covers, and the plan year realised so far.
                let ledger = 12 + view.levels.count
                if r.lastRealisationThrough != nil {
                    worksheet_write_string(summary, row, lxw_col_t(ledger), t.monthYear(r.lastRealisationThrough), self.f.plain)
                    widths.note(ledger, t.monthYear(r.lastRealisationThrough))
                }
                number(ledger + 1, r.realisedToDate, persons)
                if r.realisedThrough != nil {
                    worksheet_write_string(summary, row, lxw_col_t(ledger + 2), t.monthYear(r.realisedThrough), self.f.plain)
                    widths.note(ledger + 2, t.monthYear(r.realisedThrough))
                }
            }
            let width = widths.apply(summary)
            worksheet_freeze_panes(summary, 1, 1)
            WorkbookStyle.setPage(summary, width: width, footer: footer, words: t, labelColumns: 4)
        }

        /// A sheet of phased targets: the plan year's months as columns, each figure under its own
        /// month; flows with a SUM total and a running ("s.d.") row. `notes` go below the legend.
        mutating func months(_ name: String, _ mine: [PlanYearView.PhasedTarget], label: (PlanYearView.PhasedTarget) -> String, notes: [String] = []) {
            let (bold, boldRight, persons, realisedPersons, boldPersons, rupiah, realisedRupiah, boldRupiah) =
                (f.bold, f.boldRight, f.persons, f.realisedPersons, f.boldPersons, f.rupiah, f.realisedRupiah, f.boldRupiah)
            let ws = workbook_add_worksheet(wb, name)!
            let header = ["Target \(year)"] + t.monthNames + [t.total]
            var widths = WorkbookStyle.Widths()
            for (c, h) in header.enumerated() {
                worksheet_write_string(ws, 0, lxw_col_t(c), h, c == 0 ? bold : boldRight)
                widths.header(c, h)
            }
            // Labels wrap within 34 characters, so that the months fit a page beside them.
            var r: lxw_row_t = 1
            for p in mine {
                let money = p.row.metric.isRupiah
                let (plain, realised, total) = money ? (rupiah, realisedRupiah, boldRupiah) : (persons, realisedPersons, boldPersons)
                worksheet_write_string(ws, r, 0, label(p), f.wrap)
                widths.wrapping(row: Int(r), column: 0, label(p), within: 34)
                for m in p.months {
                    guard let v = m.value else { continue }
                    worksheet_write_number(ws, r, lxw_col_t(m.month.month), v, m.status == .realised ? realised : plain)
                    widths.note(m.month.month, t.figure(v, p.row.metric))
                    if view.approved(p.row) {
                        cells.append(PlanAnchor.Cell(
                            sheet: name, row: Int(r) + 1, column: m.month.month + 1, region: p.row.region, segment: p.row.segment, metric: p.row.metric,
                            unit: p.row.unitCode, month: m.month, labelColumns: 1, label: label(p), original: v))
                    }
                }
                if p.row.metric.isFlow {
                    let formula = "=SUM(B\(r + 1):\(columnName(12))\(r + 1))"
                    let sum = p.values.reduce(0, +)
                    worksheet_write_formula_num(ws, r, 13, formula, total, sum)
                    widths.note(13, t.figure(sum, p.row.metric), bold: true)
                    r += 1
                    worksheet_write_string(ws, r, 0, "  \(t.cumulative)", f.plain)
                    widths.note(0, "  \(t.cumulative)")
                    var running = 0.0
                    for m in p.months {
                        guard let v = m.value else { continue }
                        running += v
                        worksheet_write_number(ws, r, lxw_col_t(m.month.month), running, plain)
                        widths.note(m.month.month, t.figure(running, p.row.metric))
                    }
                }
                r += 1
            }
            if mine.contains(where: { $0.months.contains { $0.status == .realised || $0.status == .estimated } }) {
                // Across the month columns, so the column of labels keeps its width.
                r += 1
                worksheet_merge_range(ws, r, 0, r, 13, t.realisedLegend, f.plain)
            }
            if mine.contains(where: { $0.months.contains { $0.status == .estimated } }) {
                r += 1
                worksheet_merge_range(ws, r, 0, r, 13, t.estimatedLegend, f.plain)
            }
            for note in notes {
                r += 1
                worksheet_merge_range(ws, r, 0, r, 13, note, f.plain)
            }
            // The month columns one width, as wide as the widest of them.
            let months = (1...13).compactMap { widths.pixels[$0] }.max() ?? 0
            for c in 1...13 { widths.pixels[c] = months }
            let width = widths.apply(ws)
            worksheet_freeze_panes(ws, 1, 1)
            WorkbookStyle.setPage(ws, width: width, footer: footer + " · " + name, words: t)
        }

        /// Branches (Kantor Cabang): one row per branch × segment × indicator, the months as columns.
        mutating func branches() {
            let (bold, boldRight, persons, boldPersons, rupiah, boldRupiah, probability) =
                (f.bold, f.boldRight, f.persons, f.boldPersons, f.rupiah, f.boldRupiah, f.probability)
            let ws = workbook_add_worksheet(wb, t.branchesSheet)!
            let anyOwn = view.branches.contains { $0.ownTarget != nil || $0.realisedToDate != nil }
            // Branches whose stock months run from their stated members: the start and the growth.
            let startMonth = view.branches.lazy.compactMap(\.startMonth).first
            let header = [t.region, t.branchHeader, t.segment, t.metricHeader, t.target, t.pReach] + t.monthNames + [t.flags]
                + (anyOwn ? [t.ownProjection, t.gapVsOwn, t.realisedToDate(year)] : [])
                + (startMonth != nil ? [t.branchStart(startMonth), t.branchGrowth] : [])
            let startColumn = anyOwn ? 22 : 19
            var widths = WorkbookStyle.Widths()
            for (c, h) in header.enumerated() {
                worksheet_write_string(ws, 0, lxw_col_t(c), h, c >= 4 && c != 18 ? boldRight : bold)
                widths.header(c, h)
            }
            for (i, b) in view.branches.enumerated() {
                let row = lxw_row_t(i + 1)
                for (c, text) in [b.region, b.branch, b.segment, t.metric(b.metric)].enumerated() {
                    worksheet_write_string(ws, row, lxw_col_t(c), text, f.plain)
                    widths.note(c, text)
                }
                let money = b.metric.isRupiah
                worksheet_write_number(ws, row, 4, Double(b.target), money ? boldRupiah : boldPersons)
                widths.note(4, t.figure(Double(b.target), b.metric), bold: true)
                let unit = b.metric.isRupiah ? "rupiah" : "persons"
                let labels = [b.region, b.branch, b.segment, t.metric(b.metric)]
                cells.append(PlanAnchor.Cell(
                    sheet: t.branchesSheet, row: i + 2, column: 5, region: b.region, branch: b.branch, segment: b.segment, metric: b.metric, unit: unit,
                    labelColumns: labels.count, label: PlanAnchor.Cell.label(labels), original: Double(b.target)))
                if let p = b.probability {
                    worksheet_write_number(ws, row, 5, p, probability)
                    widths.note(5, t.percent(p))
                }
                for k in 0..<min(12, b.months.count) {
                    if let v = b.months[k] {
                        worksheet_write_number(ws, row, lxw_col_t(6 + k), v, money ? rupiah : persons)
                        widths.note(6 + k, t.figure(v, b.metric))
                        cells.append(PlanAnchor.Cell(
                            sheet: t.branchesSheet, row: i + 2, column: 7 + k, region: b.region, branch: b.branch, segment: b.segment, metric: b.metric,
                            unit: unit, month: Month(year: year, month: k + 1), labelColumns: labels.count, label: PlanAnchor.Cell.label(labels), original: v))
                    }
                }
                let flags = b.flags.map(t.branchFlag).joined(separator: "; ")
                worksheet_write_string(ws, row, 18, flags, f.wrap)
                widths.wrapping(row: i + 1, column: 18, flags, within: 30)
                // A branch with its own history: own projection, gap, realised so far.
                for (c, v) in [(19, b.ownTarget), (20, b.gap), (21, b.realisedToDate)] {
                    guard let v else { continue }
                    worksheet_write_number(ws, row, lxw_col_t(c), v, money ? rupiah : persons)
                    widths.note(c, t.figure(v, b.metric))
                }
                if let start = b.start?.rounded() {
                    for (c, v) in [(startColumn, start), (startColumn + 1, Double(b.target) - start)] {
                        worksheet_write_number(ws, row, lxw_col_t(c), v, persons)
                        widths.note(c, t.figure(v, b.metric))
                    }
                }
            }
            let width = widths.apply(ws)
            worksheet_freeze_panes(ws, 1, 2)
            WorkbookStyle.setPage(ws, width: width, footer: footer + " · " + t.branchesSheet, words: t, labelColumns: 4)
        }

        /// A command's own sheet after the summary (`rkat solve --ajuan`, `rkat explain`): typed cells.
        func extra(_ e: ExtraSheet) {
            let ws = workbook_add_worksheet(wb, e.name)!
            var widths = WorkbookStyle.Widths()
            for (c, h) in e.header.enumerated() {
                worksheet_write_string(ws, 0, lxw_col_t(c), h, e.numeric.contains(c) ? f.boldRight : f.bold)
                widths.header(c, h)
            }
            for (i, row) in e.cells.enumerated() {
                let at = lxw_row_t(i + 1)
                for (c, cell) in row.enumerated() {
                    switch cell {
                    case .text(let text) where c == e.wrapColumn:
                        worksheet_write_string(ws, at, lxw_col_t(c), text, f.wrap)
                        widths.wrapping(row: i + 1, column: c, text, within: 22)
                    case .text(let text):
                        worksheet_write_string(ws, at, lxw_col_t(c), text, f.plain)
                        widths.note(c, text)
                    case .whole(let v):
                        worksheet_write_number(ws, at, lxw_col_t(c), v, f.persons)
                        widths.note(c, t.persons(v))
                    case .probability(let v):
                        worksheet_write_number(ws, at, lxw_col_t(c), v, f.probability)
                        widths.note(c, t.percent(v))
                    case .value(let v, let shown, let whole):
                        // Whole units grouped; fractions (an intensity, a share) as Excel shows them.
                        worksheet_write_number(ws, at, lxw_col_t(c), v, whole ? f.persons : f.plain)
                        widths.note(c, shown)
                    case .empty: break
                    }
                }
            }
            for (k, note) in e.notes.enumerated() {
                let at = lxw_row_t(e.cells.count + 2 + k)
                worksheet_merge_range(ws, at, 0, at, lxw_col_t(max(e.header.count - 1, 1)), note, f.plain)
            }
            let width = widths.apply(ws)
            worksheet_freeze_panes(ws, 1, lxw_col_t(e.labelColumns))
            WorkbookStyle.setPage(ws, width: width, footer: footer + " · " + e.name, words: t, labelColumns: e.labelColumns)
        }

        /// The provenance: where each figure comes from.
        func provenance(_ provenance: [(String, String)]) {
            let prov = workbook_add_worksheet(wb, t.provenance)!
            // Long sources wrap in a column that fits the printed page beside the keys.
            let key = f.bold
            var widths = WorkbookStyle.Widths()
            for (i, (k, v)) in provenance.enumerated() {
                worksheet_write_string(prov, lxw_row_t(i), 0, k, key)
                worksheet_write_string(prov, lxw_row_t(i), 1, v, f.wrap)
                widths.note(0, k, bold: true)
                widths.wrapping(row: i, column: 1, v, within: 100)
            }
            let width = widths.apply(prov, maximum: 100)
            WorkbookStyle.setPage(prov, width: width, footer: footer + " · " + t.provenance, words: t, labelColumns: 0, repeatHeader: false)
        }
    }

    /// A workbook built by `build` and returned as bytes, with a fixed creation time (1 January of
    /// `year`, UTC) so that reruns are byte-identical. libxlsxwriter writes to a file: it goes into
    /// `scratch` (the output's staging folder, removed with it) or, without one (`rkat serve`), into
    /// a private folder made in TMPDIR (mode 0700) and removed at once; libxlsxwriter's own temporary
    /// files go to the same folder. Throws `OutputWriteError` (a runtime failure, exit 1) when
    /// libxlsxwriter cannot write it or TMPDIR cannot hold it.
    static func open(year: Int, title: String, scratch: String? = nil, _ build: (UnsafeMutablePointer<lxw_workbook>) -> Void) throws(OutputWriteError) -> Data {
        let folder: String
        var privateFolder: String? = nil
        if let scratch {
            folder = scratch
        } else {
            let tmp = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            var template = Array((tmp.hasSuffix("/") ? tmp : tmp + "/").utf8CString.dropLast()) + Array("rkat-xlsx-XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else {
                throw OutputWriteError("cannot make a temporary folder for the workbook in \(tmp) (TMPDIR): \(String(cString: strerror(errno)))")
            }
            folder = String(cString: made)
            privateFolder = folder
        }
        defer { if let privateFolder { rmdir(privateFolder) } }
        let path = folder + "/" + OutputDirectory.scratchPrefix + "\(getpid())-\(UUID().uuidString).xlsx"
        defer { unlink(path) }
        // libxlsxwriter names its temporaries "tmp.XXXXXX" until it unlinks them: in a scratch
        // subfolder of their own, so that a kill in that instant leaves a folder recovery knows is
        // rkat's (OutputDirectory.removeScratch), not a stray "tmp." file among the outputs.
        let temporaries = folder + "/" + OutputDirectory.scratchPrefix + "\(getpid())-tmp"
        guard mkdir(temporaries, 0o700) == 0 || errno == EEXIST else {
            throw OutputWriteError("cannot make a temporary folder for the workbook in \(folder): \(String(cString: strerror(errno)))")
        }
        defer { rmdir(temporaries) }
        let cFolder = strdup(temporaries)
        defer { free(cFolder) }
        var options = lxw_workbook_options(constant_memory: 0, tmpdir: cFolder, use_zip64: 0)
        guard let wb = workbook_new_opt(path, &options) else { throw OutputWriteError("cannot create the workbook in \(folder)") }
        var comps = DateComponents()
        comps.year = year
        comps.month = 1
        comps.day = 1
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        var props = lxw_doc_properties()
        props.created = time_t(Whole.clamped(cal.date(from: comps)!.timeIntervalSince1970))
        let cTitle = strdup(title)
        defer { free(cTitle) }
        props.title = cTitle
        workbook_set_properties(wb, &props)
        build(wb)
        let status = workbook_close(wb)
        guard status == LXW_NO_ERROR else {
            throw OutputWriteError("cannot write the workbook in \(folder): \(String(cString: lxw_strerror(status)))")
        }
        let fd = Glibc.open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        defer { if fd >= 0 { close(fd) } }
        guard fd >= 0, case .contents(let data) = FolderHandle.read(descriptor: fd) else {
            throw OutputWriteError("cannot read the workbook back from \(folder)")
        }
        return data
    }

    /// Excel column letters for a 0-based column index (0 → A).
    static func columnName(_ index: Int) -> String { SourceLocation.columnName(index + 1) }
}

/// A sheet a command adds to the run's workbook after the summary: its name, header and typed rows.
public struct ExtraSheet: Sendable {
    /// A typed cell: Excel holds numbers as numbers.
    public enum Cell: Sendable {
        case text(String)
        /// Whole persons or rupiah, grouped.
        case whole(Double)
        case probability(Double)
        /// A lever value and how it reads (1,16 or 22.128); whole units are grouped.
        case value(Double, shown: String, whole: Bool)
        case empty
    }

    public var name: String
    public var header: [String]
    public var cells: [[Cell]]
    /// Columns of numbers (right-aligned headers).
    public var numeric: Set<Int>
    /// A column of long names, wrapped.
    public var wrapColumn: Int?
    /// The columns repeated on every printed page and frozen.
    public var labelColumns: Int
    /// Lines below the table, each across its columns (what a rule or a figure means).
    public var notes: [String] = []
}
