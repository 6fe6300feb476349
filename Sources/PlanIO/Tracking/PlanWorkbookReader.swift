import Fitting
import Foundation
import Planning

/// The machine-readable plan rkat writes into targets.xlsx: a hidden last sheet naming the plan
/// (schema, scenario, plan year) and, a row per figure, where it stands in the printed layout and the
/// value rkat wrote there. `rkat track --plan targets.xlsx` reads the figures back from those places
/// (PlanWorkbookReader), never from the layout itself.
struct PlanAnchor {
    static let sheetName = "rkat_plan"
    static let schema = "rkat-plan/1"
    /// The anchor table's columns; the value rkat wrote is last.
    static let columns = ["sheet", "cell", "region", "branch", "segment", "metric", "unit", "month", "label_columns", "label", "original"]
    /// Head rows of a national plan's workbook (`plan_level: national`) and of a plan with issued
    /// rows (`issued: active,acquisitions`, its anchored rows of those indicators being the issued ones).
    /// Absent in older workbooks, which read as before.
    static let levelKey = "plan_level", national = "national", issuedKey = "issued"
    /// Head row of a plan with issued rows: where each issued row's proposal (its projection row's
    /// annual target, on the same sheet) stands and what rkat wrote there, `G7>G2=390168;…`.
    static let proposalsKey = "proposals"

    struct Proposal: Equatable {
        /// The issued row's annual cell and its projection row's, on the summary sheet.
        var issued: String
        var proposal: String
        var written: Double

        static func text(_ all: [Proposal]) -> String {
            all.map { "\($0.issued)>\($0.proposal)=\(Whole.clamped($0.written))" }.joined(separator: ";")
        }

        /// nil when the text is not rkat's.
        static func parse(_ text: String) -> [Proposal]? {
            var out: [Proposal] = []
            for entry in text.split(separator: ";") {
                let parts = entry.split(separator: ">")
                guard parts.count == 2 else { return nil }
                let rest = parts[1].split(separator: "=")
                guard rest.count == 2, let written = Double(rest[1]), Workbook.reference(String(parts[0])) != nil, Workbook.reference(String(rest[0])) != nil else { return nil }
                out.append(Proposal(issued: String(parts[0]), proposal: String(rest[0]), written: written))
            }
            return out
        }
    }

    struct Cell: Equatable {
        var sheet: String
        /// 1-based, as Excel numbers them.
        var row: Int
        var column: Int
        var region: String
        var branch: String? = nil
        var segment: String
        var metric: TargetRow.Metric
        /// `persons`, `companies` or `rupiah` (targets.json's `unit`).
        var unit: String
        /// nil: the annual target.
        var month: Month? = nil
        /// The row's label as rkat wrote it: its first `labelColumns` cells' texts, joined by " | ". A
        /// row that reads otherwise was moved (a sort), and its figures are not this target's.
        var labelColumns: Int
        var label: String
        var original: Double

        var reference: String { "\(SourceLocation.columnName(column))\(row)" }

        /// The text columns, in `columns` order (without `original`).
        var texts: [String] {
            [sheet, reference, region, branch ?? "", segment, metric.rawValue, unit, month?.description ?? "", "\(labelColumns)", label]
        }

        static func label(_ texts: [String]) -> String { texts.joined(separator: " | ") }
    }

    var scenario: String
    var year: Int
    var cells: [Cell]
    var national = false
    var issued: Set<TargetRow.Metric> = []
    var proposals: [Proposal] = []

    /// Reads the anchor sheet back; anything that is not rkat's anchor is one located error.
    init(_ sheet: Workbook.Sheet) throws(InputError) {
        func text(_ c: Workbook.Sheet.Cell?) -> String? {
            switch c?.value {
            case .text(let t): return t
            case .number(let x): return x.rounded() == x && abs(x) < 1e15 ? String(Whole.clamped(x)) : "\(x)"
            default: return nil
            }
        }
        func fail(_ row: Int, _ column: Int, _ what: String) -> InputError {
            InputError(
                Phrase("lembar jangkar rencana rusak: \(what) (rkat menulis lembar ini; jangan disunting)", "the plan's anchor sheet is damaged: \(what) (rkat writes this sheet; do not edit it)"),
                at: sheet.location(row: row, column: column))
        }
        var head: [String: String] = [:], headRow: [String: Int] = [:]
        var rows = sheet.rows.makeIterator()
        var header: [Workbook.Sheet.Cell]? = nil
        while let r = rows.next() {
            let key = text(r.first { $0.column == 1 }) ?? ""
            if key == Self.columns[0] { header = r; break }
            head[key] = text(r.first { $0.column == 2 })
            headRow[key] = r.first?.row
        }
        guard head["schema"] == Self.schema else { throw fail(headRow["schema"] ?? 1, 2, "schema '\(head["schema"] ?? "")', expected '\(Self.schema)'") }
        guard let yearText = head["plan_year"], let year = Int(yearText) else { throw fail(headRow["plan_year"] ?? 3, 2, "no plan_year") }
        guard let header, header.map({ text($0) ?? "" }) == Self.columns else { throw fail(header?.first?.row ?? (headRow.values.max() ?? 0) + 1, 1, "its header is not \(Self.columns.joined(separator: ", "))") }
        self.scenario = head["scenario"] ?? ""
        self.year = year
        national = head[Self.levelKey] == Self.national
        for code in (head[Self.issuedKey] ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let metric = TargetRow.Metric(rawValue: code) else {
                throw fail(headRow[Self.issuedKey] ?? 1, 2, "issued: unknown indicator '\(code)' (a workbook from a newer rkat?)")
            }
            issued.insert(metric)
        }
        if let text = head[Self.proposalsKey] {
            guard let parsed = Proposal.parse(text) else { throw fail(headRow[Self.proposalsKey] ?? 1, 2, "proposals '\(text.prefix(40))'") }
            proposals = parsed
        }
        var cells: [Cell] = []
        while let r = rows.next() {
            var byColumn: [Int: Workbook.Sheet.Cell] = [:]
            for c in r { byColumn[c.column] = c }
            let line = r[0].row
            func field(_ k: Int) -> String { text(byColumn[k + 1]) ?? "" }
            guard let at = Workbook.reference(field(1)), !field(0).isEmpty else { throw fail(line, 2, "no sheet and cell") }
            guard let metric = TargetRow.Metric(rawValue: field(5)) else { throw fail(line, 6, "metric '\(field(5))'") }
            let monthText = field(7)
            let month = monthText.isEmpty ? nil : Month(monthText)
            guard monthText.isEmpty || month != nil else { throw fail(line, 8, "month '\(monthText)'") }
            guard case .number(let original)? = byColumn[Self.columns.count]?.value else { throw fail(line, Self.columns.count, "no original value") }
            guard let labelColumns = Int(field(8)), (1...8).contains(labelColumns) else { throw fail(line, 9, "label_columns '\(field(8))'") }
            cells.append(Cell(
                sheet: field(0), row: at.row, column: at.column, region: field(2), branch: field(3).isEmpty ? nil : field(3), segment: field(4),
                metric: metric, unit: field(6), month: month, labelColumns: labelColumns, label: field(9), original: original))
        }
        self.cells = cells
    }
}

/// `rkat track --plan targets.xlsx`: the approved plan from rkat's own workbook as the planners edited
/// it. Each figure is read where the anchor says it stands; a cell that differs from the value rkat
/// wrote is an edit (listed in tracking's provenance). Totals are re-derived, not read: a flow's
/// annual target from its edited months and a stock's from its edited December when the annual cell
/// itself was left alone, a region's TOTAL from its segments (an edited TOTAL that disagrees is
/// refused); the month sheets' SUM column is rkat's formula and never read. Then the rules of
/// targets.json apply (PlanReader): whole figures in range, months that sum to the annual target.
enum PlanWorkbookReader {
    static func read(path: String) throws(InputError) -> ApprovedPlan {
        let book = try Workbook.open(path: path)
        guard let info = book.sheets.first(where: { $0.name == PlanAnchor.sheetName }) else {
            throw InputError(
                Phrase(
                    "bukan rencana: buku kerja ini tidak memuat lembar tersembunyi '\(PlanAnchor.sheetName)' yang ditulis rkat run ke targets.xlsx",
                    "not a plan: the workbook has no hidden '\(PlanAnchor.sheetName)' sheet, which rkat run writes into targets.xlsx"),
                file: path)
        }
        let anchor = try PlanAnchor(try book.read(info))
        // Each sheet the anchor names, read once: its cells by (row, column).
        var sheets: [String: (sheet: Workbook.Sheet, cells: [Int: Workbook.Sheet.Cell])] = [:]
        func value(_ a: PlanAnchor.Cell) throws(InputError) -> Double {
            if sheets[a.sheet] == nil {
                guard let s = book.sheets.first(where: { $0.name == a.sheet }) else {
                    throw InputError(
                        Phrase("rencana tidak memuat lembar '\(a.sheet)' yang ditulis rkat (namanya diubah?)", "the plan has no sheet '\(a.sheet)', which rkat wrote (renamed?)"), file: path)
                }
                let sheet = try book.read(s)
                var cells: [Int: Workbook.Sheet.Cell] = [:]
                for r in sheet.rows { for c in r { cells[c.row << 16 | c.column] = c } }
                sheets[a.sheet] = (sheet, cells)
            }
            let (sheet, cells) = sheets[a.sheet]!
            let at = sheet.location(row: a.row, column: a.column)
            let what = "\(a.region)\(a.branch.map { " \($0)" } ?? "") \(a.segment) \(a.metric.rawValue) \(a.month?.description ?? "")".trimmingCharacters(in: .whitespaces)
            // The row still holds this target (the plan is read by place: a sort would hand it another's).
            let label = PlanAnchor.Cell.label((1...a.labelColumns).map { c -> String in
                switch cells[a.row << 16 | c]?.value {
                case .text(let t): return t
                case .number(let x): return "\(x)"
                default: return ""
                }
            })
            guard label == a.label else {
                throw InputError(
                    Phrase(
                        "baris ini berbunyi '\(label)', padahal rkat menulis '\(a.label)' di sini: baris dipindah atau diurutkan; rencana dibaca menurut tempatnya, jadi kembalikan urutan rkat (atau pakai targets.json)",
                        "the row reads '\(label)' where rkat wrote '\(a.label)': rows were moved or sorted; the plan is read by place, so restore rkat's order (or use targets.json)"),
                    at: sheet.location(row: a.row, column: 1))
            }
            switch cells[a.row << 16 | a.column]?.value {
            case .number(let x):
                // Each figure where it stands: whole, from 0 to the largest a plan may state (as targets.json's).
                let limit = PlanReader.maximum(a.metric)
                guard x.isFinite, x >= 0, x <= limit, x.rounded() == x else {
                    let rupiah = a.metric == .iuran
                    throw InputError(
                        Phrase { l in
                            l.t("target \(what) tertulis \(x); target adalah \(rupiah ? "rupiah bulat" : "bilangan bulat") dari 0 sampai \(l.n(limit))",
                                "the target of \(what) is \(x); a target is \(rupiah ? "whole rupiah" : "a whole number") from 0 to \(l.n(limit))")
                        }, at: at)
                }
                return x
            case nil:
                throw InputError(Phrase("target \(what) kosong (tulis 0 untuk bulan tanpa target)", "the target of \(what) is empty (write 0 for a month without a target)"), at: at)
            case .formulaWithoutValue:
                throw InputError(
                    Phrase(
                        "target \(what): rumus tersimpan tanpa hasilnya (buka dan simpan ulang di Excel atau LibreOffice)",
                        "the target of \(what): a formula saved without its result (open and save the workbook again in Excel or LibreOffice)"), at: at)
            case .text(let t):
                throw InputError(Phrase("target \(what): sel teks '\(t)' di tempat angka", "the target of \(what): a text cell '\(t)' where a number belongs"), at: at)
            case .date, .bool, .error:
                throw InputError(Phrase("target \(what): sel ini bukan angka", "the target of \(what): the cell is not a number"), at: at)
            }
        }

        struct Group {
            var annual: PlanAnchor.Cell?
            var annualValue: Double = 0
            var months: [PlanAnchor.Cell?] = Array(repeating: nil, count: 12)
            var monthValues: [Double?] = Array(repeating: nil, count: 12)
        }
        var order: [String] = []
        var groups: [String: Group] = [:]
        var edits: [ApprovedPlan.Edit] = []
        func edit(_ a: PlanAnchor.Cell, _ approved: Double, derived: Bool = false) -> ApprovedPlan.Edit {
            ApprovedPlan.Edit(
                cell: "\(a.sheet)!\(a.reference)", region: a.region, branch: a.branch, segment: a.segment, metric: a.metric, month: a.month,
                original: a.original, approved: approved, derived: derived)
        }
        for a in anchor.cells {
            let key = [a.region, a.branch ?? "", a.segment, a.metric.rawValue].joined(separator: "\u{1F}")
            if groups[key] == nil { order.append(key) }
            let v = try value(a)
            if v != a.original { edits.append(edit(a, v)) }
            if let m = a.month {
                guard m.year == anchor.year else { continue }
                groups[key, default: Group()].months[m.month - 1] = a
                groups[key, default: Group()].monthValues[m.month - 1] = v
            } else {
                groups[key, default: Group()].annual = a
                groups[key, default: Group()].annualValue = v
            }
        }

        var targets: [ApprovedPlan.Target] = []
        var companies = Set<Int>()
        var places: [PlanAnchor.Cell] = []
        for key in order {
            let g = groups[key]!
            guard let a = g.annual else { continue }
            var annual = g.annualValue
            let monthsEdited = zip(g.months, g.monthValues).contains { c, v in c.map { $0.original != v } ?? false }
            // The annual cell left as rkat wrote it, the months edited: the annual target follows them.
            if annual == a.original && monthsEdited {
                if a.metric.isFlow, g.monthValues.allSatisfy({ $0 != nil }) {
                    annual = g.monthValues.reduce(0) { $0 + $1! }
                } else if !a.metric.isFlow, let december = g.monthValues[11] {
                    annual = december
                }
                if annual != a.original { edits.append(edit(a, annual, derived: true)) }
            }
            targets.append(ApprovedPlan.Target(region: a.region, segment: a.segment, metric: a.metric, annual: annual, months: g.monthValues, branch: a.branch))
            places.append(a)
            if a.unit == "companies" { companies.insert(targets.count - 1) }
        }
        func located(_ i: Int) -> (Phrase) -> InputError {
            let a = places[i], file = path
            return { InputError($0, at: SourceLocation(file: file, line: a.row, column: a.column, sheet: a.sheet)) }
        }
        // TOTALs: re-derived from their segments unless the planner edited the TOTAL itself (then the
        // rule of targets.json refuses a TOTAL that is not their sum).
        for i in targets.indices where targets[i].isTotal && targets[i].annual == places[i].original {
            // A Kanwil's TOTAL from its segments; a branch's from its own.
            let parts = targets.indices.filter { !companies.contains($0) && !targets[$0].isTotal && targets[$0].branch == targets[i].branch }
                .filter { targets[$0].region == targets[i].region && targets[$0].metric == targets[i].metric }
            guard !parts.isEmpty else { continue }
            let sum = parts.reduce(0) { $0 + targets[$1].annual }
            if sum != targets[i].annual {
                edits.append(edit(places[i], sum, derived: true))
                targets[i].annual = sum
                // Its months, its parts' months summed (where every part has the month).
                targets[i].months = (0..<12).map { k in
                    let values = parts.map { targets[$0].months[k] }
                    return values.allSatisfy { $0 != nil } ? values.reduce(0) { $0 + $1! } : nil
                }
            }
        }
        for i in targets.indices {
            let t = targets[i]
            let label = "\(t.region)\(t.branch.map { " \($0)" } ?? "") \(t.segment) \(t.metric.rawValue)"
            if t.branch == nil {
                try PlanReader.checkTarget(t.annual, months: t.months, year: anchor.year, metric: t.metric, label: label, error: located(i))
            } else {
                try PlanReader.checkBranch(t.annual, months: t.months, year: anchor.year, metric: t.metric, label: label, error: located(i))
            }
        }
        var kanwil = targets.indices.filter { targets[$0].branch == nil }.map { targets[$0] }
        let kanwilCompanies = Set(targets.indices.filter { targets[$0].branch == nil }.enumerated().filter { companies.contains($0.element) }.map(\.offset))
        let firstTotal = places.firstIndex { $0.segment == History.totalSegment } ?? 0
        try PlanReader.checkTotals(&kanwil, companies: kanwilCompanies, error: places.isEmpty ? { InputError($0, file: path) } : located(firstTotal))
        // The projection rows beside issued ones, edited since rkat wrote them: not read, and said.
        var unread: [ApprovedPlan.UnreadProposal] = []
        for (i, a) in places.enumerated() where a.branch == nil && a.month == nil {
            guard let p = anchor.proposals.first(where: { $0.issued == a.reference }), let at = Workbook.reference(p.proposal),
                case .number(let edited)? = sheets[a.sheet]?.cells[at.row << 16 | at.column]?.value, abs(edited - p.written) >= 0.5
            else { continue }
            unread.append(ApprovedPlan.UnreadProposal(region: a.region, segment: a.segment, metric: a.metric, written: p.written, edited: edited, issued: targets[i].annual))
        }
        var plan = ApprovedPlan(scenario: anchor.scenario, year: anchor.year, targets: kanwil + targets.filter { $0.branch != nil })
        plan.unreadProposals = unread
        plan.fromWorkbook = true
        plan.edits = edits
        plan.national = anchor.national
        plan.issuedMetrics = anchor.issued
        return plan
    }
}
