import Fitting
import Planning

/// An issued target split over the regions (`targets.issued`, docs/targets.md "An issued target split
/// down"): allocation.csv and .json (stable English codes; a `level` column, as targets.csv's: the
/// units' tier, e.g. `kanwil` in a national scenario, and the one above for the issued figure),
/// allocation.md, the workbook's sheet and the report's table. Units are ordered by stretch (the
/// allocated target against the unit's own proposal, the largest first). Writers only render.
public enum AllocationWriters {
    /// Units by stretch: allocated ÷ proposal, the largest first; ties by name.
    static func ordered(_ a: IssuedAllocation) -> [IssuedAllocation.Unit] {
        a.units.sorted { x, y in
            let sx = x.proposal > 0 ? Double(x.allocated) / x.proposal : .infinity, sy = y.proposal > 0 ? Double(y.allocated) / y.proposal : .infinity
            return sx != sy ? sx > sy : x.region < y.region
        }
    }

    static func csv(_ allocations: [IssuedAllocation]) -> String {
        var out = CSVWriter(header: ["level", "region", "metric", "rule", "proposal", "p_reach_proposal", "allocated", "p_reach_allocated", "gap", "stretch", "common_p_reach", "bound"])
        for a in allocations {
            out.row([
                a.unitLevel.parent.rawValue, Targets.allRegions, a.metric.rawValue, a.rule.rawValue, CSVWriter.fixed(a.proposalSum, 0), CSVWriter.fixed(a.proposalSumReach, 4), "\(a.issued)", CSVWriter.fixed(a.totalReach, 4),
                CSVWriter.fixed(Double(a.issued) - a.proposalSum, 0), CSVWriter.fixed(a.proposalSum > 0 ? Double(a.issued) / a.proposalSum - 1 : nil, 4),
                CSVWriter.fixed(a.commonReach, 4), a.bound?.rawValue ?? "",
            ])
            for u in ordered(a) {
                out.row([
                    a.unitLevel.rawValue, u.region, a.metric.rawValue, a.rule.rawValue, CSVWriter.fixed(u.proposal, 0), CSVWriter.fixed(u.proposalReach, 4), "\(u.allocated)",
                    CSVWriter.fixed(u.reach, 4), CSVWriter.fixed(u.gap, 0), CSVWriter.fixed(u.proposal > 0 ? Double(u.allocated) / u.proposal - 1 : nil, 4), "", "",
                ])
            }
        }
        return out.text
    }

    static func json(_ allocations: [IssuedAllocation]) -> String {
        let q = JSONText.string
        func num(_ v: Double?, _ digits: Int) -> String { v.flatMap { $0.isFinite ? NumberText.fixed($0, digits) : nil } ?? "null" }
        var lines = ["{", "  \"allocations\": ["]
        for (k, a) in allocations.enumerated() {
            lines.append("    {\"metric\": \(q(a.metric.rawValue)), \"rule\": \(q(a.rule.rawValue)), \"level\": \(q(a.unitLevel.parent.rawValue)), \"issued\": \(a.issued), "
                + "\"proposal_sum\": \(num(a.proposalSum, 0)), \"p_reach_proposal_sum\": \(num(a.proposalSumReach, 4)), \"p_reach_issued\": \(num(a.totalReach, 4)), \"common_p_reach\": \(num(a.commonReach, 4)), "
                + "\"bound\": \(a.bound.map { q($0.rawValue) } ?? "null"), \"units\": [")
            let units = ordered(a)
            for (i, u) in units.enumerated() {
                lines.append("      {\"level\": \(q(a.unitLevel.rawValue)), \"region\": \(q(u.region)), \"proposal\": \(num(u.proposal, 0)), \"p_reach_proposal\": \(num(u.proposalReach, 4)), "
                    + "\"allocated\": \(u.allocated), \"p_reach_allocated\": \(num(u.reach, 4)), \"gap\": \(num(u.gap, 0))}" + (i == units.count - 1 ? "" : ","))
            }
            lines.append("    ]}" + (k == allocations.count - 1 ? "" : ","))
        }
        lines += ["  ]", "}"]
        return lines.joined(separator: "\n") + "\n"
    }

    static func ruleName(_ r: AllocationRule, _ w: Words) -> String {
        switch r {
        case .equalStretch: w.t("tingkat kesulitan sama (equal_stretch)", "equal stretch (equal_stretch)")
        case .proportional: w.t("sebanding proyeksi (proportional)", "in proportion to the projection (proportional)")
        case .coverageGap: w.t("sebanding potensi yang belum tercakup (coverage_gap)", "in proportion to the uncovered potential (coverage_gap)")
        }
    }

    /// One line under each table: the rule, the issued figure's P(tercapai) from the joint draws, and
    /// for equal stretch the common level (or where the figure stands outside the draws).
    static func note(_ a: IssuedAllocation, _ w: Words) -> String { noteParts(a, w).joined(separator: "; ") }

    static func noteParts(_ a: IssuedAllocation, _ w: Words) -> [String] {
        var parts = [w.t("Aturan: ", "Rule: ") + ruleName(a.rule, w)]
        if let p = a.totalReach {
            parts.append(w.t("P(tercapai) target terbit \(w.figure(Double(a.issued), a.metric)) dari simulasi bersama wilayah: \(w.percent(p))",
                             "P(reach) of the issued \(w.figure(Double(a.issued), a.metric)) from the regions' joint draws: \(w.percent(p))"))
        }
        if let c = a.commonReach {
            parts.append(w.t("setiap wilayah menghadapi P(tercapai) \(w.percent(c))", "every region faces P(reach) \(w.percent(c))"))
        }
        switch a.bound {
        case .belowEveryDraw?: parts.append(w.t("target terbit di bawah jumlah simulasi terburuk: tercapai di setiap simulasi", "the issued figure is below the units' worst draws together: reached in every draw"))
        case .aboveEveryDraw?: parts.append(w.t("target terbit di atas jumlah simulasi terbaik: tidak tercapai di simulasi mana pun", "the issued figure is above the units' best draws together: reached in no draw"))
        case nil: break
        }
        if !a.unitsWithBranches.isEmpty {
            let names = a.unitsWithBranches.joined(separator: ", ")
            parts.append(w.t("target cabang \(names) membagi alokasi wilayahnya ini, bukan ajuannya, menurut aturan cabang (potential_share; kesenjangan cakupan untuk peserta aktif bila setiap cabang menyebut pesertanya; proyeksi cabang sendiri bila cabang punya riwayat; dengan equal_stretch dan riwayat di setiap cabang, tingkat kesulitan sama dari simulasinya sendiri)",
                             "the branch targets of \(names) split their region's share of this allocation, not its proposal, by the branch rule (potential_share; the coverage gap for active members where every branch states its members; a branch's own projection where it has a history; with equal_stretch and a history for every branch, one stretch of their own draws)"))
        }
        return parts
    }

    static func header(_ w: Words) -> [String] {
        [w.region, w.t("Ajuan", "Proposal"), w.t("P(tercapai) ajuan", "P(reach) proposal"), w.t("Alokasi", "Allocated"), w.t("P(tercapai) alokasi", "P(reach) allocated"),
         w.t("Selisih", "Gap"), w.t("Kenaikan atas ajuan", "Stretch over proposal")]
    }

    static func cells(_ a: IssuedAllocation, _ w: Words) -> [[String]] {
        let national = [w.t("Jumlah (terbit)", "Total (issued)"), w.figure(a.proposalSum, a.metric), a.proposalSumReach.map(w.percent) ?? "—", w.figure(Double(a.issued), a.metric),
                        a.totalReach.map(w.percent) ?? "—", w.signedFigure(Double(a.issued) - a.proposalSum, a.metric),
                        a.proposalSum > 0 ? w.percent(Double(a.issued) / a.proposalSum - 1) : "—"]
        return ordered(a).map { u in
            [u.region, w.figure(u.proposal, a.metric), u.proposalReach.map(w.percent) ?? "—", w.figure(Double(u.allocated), a.metric), u.reach.map(w.percent) ?? "—",
             w.signedFigure(u.gap, a.metric), u.proposal > 0 ? w.percent(Double(u.allocated) / u.proposal - 1) : "—"]
        } + [national]
    }

    /// The terminal's tables, one per indicator, with their notes.
    public static func text(_ allocations: [IssuedAllocation], year: Int, words w: Words) -> String {
        var out = ""
        for a in allocations {
            out += "\n" + w.t("Target terbit \(year) dibagi ke wilayah", "The issued \(year) target split over the regions") + " · " + w.metric(a.metric) + ":\n"
            out += TextTable.render([header(w)] + cells(a, w), leftColumns: 1) + "\n" + note(a, w) + ".\n"
        }
        return out
    }

    static func markdown(_ allocations: [IssuedAllocation], year: Int, words w: Words) -> String {
        var lines = ["# " + w.t("Target terbit dibagi ke wilayah", "The issued target split over the regions") + " \(year)", ""]
        for a in allocations {
            lines += ["## " + w.metric(a.metric), "", "| " + header(w).joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: 7)]
            lines += cells(a, w).map { "| " + $0.joined(separator: " | ") + " |" }
            lines += ["", note(a, w) + ".", ""]
        }
        return lines.joined(separator: "\n")
    }

    /// The workbook's sheet: per indicator, the units by stretch and the national line.
    static func sheet(_ allocations: [IssuedAllocation], words w: Words) -> ExtraSheet {
        let head = [w.t("Indikator", "Indicator")] + header(w)
        var rows: [[ExtraSheet.Cell]] = []
        for a in allocations {
            for u in ordered(a) {
                rows.append([
                    .text(w.metricShort(a.metric)), .text(u.region), .whole(u.proposal), u.proposalReach.map { .probability($0) } ?? .empty, .whole(Double(u.allocated)),
                    u.reach.map { .probability($0) } ?? .empty, .whole(u.gap), u.proposal > 0 ? .probability(Double(u.allocated) / u.proposal - 1) : .empty,
                ])
            }
            rows.append([
                .text(w.metricShort(a.metric)), .text(w.t("Jumlah (terbit)", "Total (issued)")), .whole(a.proposalSum), a.proposalSumReach.map { .probability($0) } ?? .empty, .whole(Double(a.issued)),
                a.totalReach.map { .probability($0) } ?? .empty, .whole(Double(a.issued) - a.proposalSum),
                a.proposalSum > 0 ? .probability(Double(a.issued) / a.proposalSum - 1) : .empty,
            ])
        }
        return ExtraSheet(
            name: w.t("Alokasi", "Allocation"), header: head, cells: rows, numeric: Set(2..<head.count), wrapColumn: nil, labelColumns: 2,
            notes: allocations.flatMap { a in noteParts(a, w).map { w.metricShort(a.metric) + ": " + $0 } })
    }

    static func htmlSection(_ allocations: [IssuedAllocation], words w: Words) -> String {
        var html = "<h2>\(SVGChart.escape(w.t("Target terbit dibagi ke wilayah", "The issued target split over the regions")))</h2>\n"
        for a in allocations {
            html += "<p><b>\(SVGChart.escape(w.metric(a.metric)))</b></p>\n<table class=\"small\">" + HTMLTable.header(header(w))
            for row in cells(a, w) { html += HTMLTable.row(row.enumerated().map { $0.offset == 0 ? .text($0.element) : .number($0.element) }) }
            html += "</table>\n<p class=\"small\">\(SVGChart.escape(note(a, w)))</p>\n"
        }
        return html
    }
}
