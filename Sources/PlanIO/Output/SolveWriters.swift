import Foundation
import Fitting
import Planning

/// `rkat solve`'s files (docs/solve.md): solve.csv and solve.json with stable English codes for
/// scripts, solve.md and the terminal's ajuan table in the planner's language. They only render the
/// result; every figure is computed in SolveJob.
public enum SolveWriters {
    /// One row per target × lever, and one per target's cheapest mix (`levers` "A + B").
    public static func csv(_ r: SolveJob.Result) -> String {
        var out = CSVWriter(header: [
            "region", "segment", "metric", "unit", "target", "basis", "p_no_action", "probability", "levers", "status", "values",
            "p_answer", "step_before", "p_step_before", "price_rp", "price_by_payer", "reversals", "comparisons", "runs", "flags",
        ])
        for t in r.targets {
            let (alone, mix) = r.answers(for: t)
            let head = [t.region, t.segment, t.metric.rawValue, t.metric.isRupiah ? "rupiah" : "persons", CSVWriter.fixed(t.value, 0), t.basisCode, CSVWriter.fixed(t.noAction, 4), CSVWriter.fixed(r.probability, 4)]
            let flags = t.flags.map(\.rawValue).joined(separator: "; ")
            for a in alone {
                let s = a.search
                out.row(head + [
                    a.key, s.status.rawValue, s.answer.map { SolveJob.text($0.value) } ?? "", CSVWriter.fixed(s.answer?.probability, 4),
                    s.stepBefore.map { SolveJob.text($0.value) } ?? "", CSVWriter.fixed(s.stepBefore?.probability, 4),
                    CSVWriter.fixed(a.price, 0), a.price == nil ? "" : "\(a.cost!.payer) \(CSVWriter.fixed(a.price, 0))",
                    "\(s.reversals)", "\(s.comparisons)", "\(s.evaluations.count)", flags,
                ])
            }
            if let m = mix {
                let best = m.search.best
                out.row(head + [
                    "\(m.a.key) + \(m.b.key)", best == nil ? LeverSearch.Status.unreachable.rawValue : LeverSearch.Status.found.rawValue,
                    best.map { "\(SolveJob.text($0.a)) + \(SolveJob.text($0.b))" } ?? "", CSVWriter.fixed(best?.probability, 4), "", "",
                    CSVWriter.fixed(best?.cost, 0), m.prices.map { "\($0.payer) \(CSVWriter.fixed($0.rupiah, 0))" }.joined(separator: "; "),
                    "", "", "\(m.search.runs)", flags,
                ])
            }
        }
        return out.text
    }

    public static func json(_ r: SolveJob.Result) -> String {
        let q = JSONText.string
        func num(_ v: Double?, _ digits: Int = 4) -> String { v.flatMap { $0.isFinite ? NumberText.fixed($0, digits) : nil } ?? "null" }
        var lines = ["{"]
        lines.append("  \"scenario\": \(q(r.scenarioPath)),")
        lines.append("  \"overrides\": [" + r.overrides.map(q).joined(separator: ", ") + "],")
        lines.append("  \"probability\": \(num(r.probability)), \"draws\": \(r.draws), \"seed\": \(r.seed), \"plan_year\": \(r.planYear), \"priced_months\": \(r.pricedMonths),")
        lines.append("  \"runs\": \(r.runs),")
        lines.append("  \"notes\": [" + r.mixNotes.map { q($0.english) }.joined(separator: ", ") + "],")
        lines.append("  \"targets\": [")
        for (k, t) in r.targets.enumerated() {
            let (alone, mix) = r.answers(for: t)
            var fields = [
                "\"region\": \(q(t.region))", "\"segment\": \(q(t.segment))", "\"metric\": \(q(t.metric.rawValue))", "\"target\": \(num(t.value, 0))",
                "\"basis\": \(q(t.basisCode))", "\"p_no_action\": \(num(t.noAction))", "\"flags\": [" + t.flags.map { q($0.rawValue) }.joined(separator: ", ") + "]",
            ]
            let levers = alone.map { a -> String in
                let s = a.search
                return "{\"lever\": \(q(a.key)), \"status\": \(q(s.status.rawValue)), \"direction\": \(q(s.direction.rawValue)), "
                    + "\"range\": [\(num(a.grid.lower, 6)), \(num(a.grid.upper, 6))], \"step\": \(num(a.grid.step, 6)), "
                    + "\"answer\": \(num(s.answer?.value, 6)), \"p_answer\": \(num(s.answer?.probability)), "
                    + "\"step_before\": \(num(s.stepBefore?.value, 6)), \"p_step_before\": \(num(s.stepBefore?.probability)), "
                    + "\"price_rp\": \(num(a.price, 0)), \"payer\": \(a.cost.map { q($0.payer) } ?? "null"), "
                    + "\"reversals\": \(s.reversals), \"comparisons\": \(s.comparisons), \"runs\": \(s.evaluations.count)}"
            }
            fields.append("\"levers\": [" + levers.joined(separator: ", ") + "]")
            if let m = mix {
                let b = m.search.best
                fields.append(
                    "\"mix\": {\"levers\": [\(q(m.a.key)), \(q(m.b.key))], \"of_pairs\": \(m.ofPairs), \"values\": " + (b.map { "[\(num($0.a, 6)), \(num($0.b, 6))]" } ?? "null")
                        + ", \"p\": \(num(b?.probability)), \"price_rp\": \(num(b?.cost, 0)), \"by_payer\": {"
                        + m.prices.map { "\(q($0.payer)): \(num($0.rupiah, 0))" }.joined(separator: ", ") + "}, "
                        + "\"p_step_back\": [\(num(m.search.stepBackA)), \(num(m.search.stepBackB))], \"not_monotone\": \(m.search.notMonotone), \"stopped_at_budget\": \(m.search.stoppedAtBudget), \"runs\": \(m.search.runs)}")
            }
            lines.append("    {" + fields.joined(separator: ", ") + "}" + (k == r.targets.count - 1 ? "" : ","))
        }
        lines.append("  ]")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The ajuan table: a row per target, P(tercapai) with no action, each lever's answer (with its
    /// price), the cheapest mix and its price. Cells: the value, "✓" already reached, "—" out of reach
    /// on the lever's range (or not monotone), "×" the lever does not move the figure.
    public static func table(_ r: SolveJob.Result, words w: Words) -> [[String]] {
        let l = Phrase.Language(indonesian: w.indonesian)
        let keys = r.targets.first.map { r.answers(for: $0).alone.map(\.key) } ?? []
        var rows = [[w.region, w.segment, w.t("Indikator", "Indicator"), "Target", w.t("Dasar", "Basis"), w.t("P tanpa tindakan", "P no action")]
            + keys.map(shortKey) + (r.mixes.isEmpty ? [] : [w.t("Campuran termurah", "Cheapest mix"), w.t("Biaya", "Cost")])]
        for t in r.targets {
            let (alone, mix) = r.answers(for: t)
            var row = [t.region, t.segment, w.metricShort(t.metric), w.figure(t.value, t.metric), t.basis.text(indonesian: w.indonesian), w.percent(t.noAction)]
            for a in alone {
                switch a.search.status {
                case .reachedAtStart: row.append("✓")
                case .found: row.append(SolveText.value(a.search.answer!.value, a.grid, w, l) + (a.price.map { " (\(w.rupiah($0)))" } ?? ""))
                case .noEffect: row.append("×")
                case .unreachable, .notMonotone: row.append("—")
                }
            }
            if !r.mixes.isEmpty {
                if let b = mix?.search.best, let m = mix {
                    // With more than two levers, which pair.
                    let pair = m.ofPairs ? " (\(shortKey(m.a.key)) + \(shortKey(m.b.key)))" : ""
                    row += ["\(SolveText.value(b.a, m.a.grid, w, l)) + \(SolveText.value(b.b, m.b.grid, w, l))" + pair, w.rupiah(b.cost)]
                } else if mix == nil {
                    // No mix searched: a lever of the pair does not move this figure.
                    row += ["×", "×"]
                } else {
                    row += ["—", "—"]
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// The workbook sheet's rows: one per target × lever and per target's cheapest mix.
    static func sheet(_ r: SolveJob.Result, words w: Words) -> ExtraSheet {
        let l = Phrase.Language(indonesian: w.indonesian)
        let header = [
            w.region, w.segment, w.t("Indikator", "Indicator"), "Target", w.t("Dasar", "Basis"), w.t("P tanpa tindakan", "P no action"),
            w.t("Pengungkit", "Lever"), w.t("Hasil", "Outcome"), w.t("Nilai", "Value"), w.pReach, w.t("Satu langkah sebelum", "One step before"),
            w.t("P di sana", "P there"), w.t("Biaya (Rp)", "Cost (Rp)"), w.t("Pembayar", "Payer"),
        ]
        var rows: [[ExtraSheet.Cell]] = []
        for t in r.targets {
            let (alone, mix) = r.answers(for: t)
            let head: [ExtraSheet.Cell] = [
                .text(t.region), .text(t.segment), .text(w.metricShort(t.metric)), .whole(t.value),
                .text(t.basis.text(indonesian: w.indonesian)), .probability(t.noAction),
            ]
            for a in alone {
                let s = a.search
                func value(_ e: LeverSearch.Evaluation?) -> ExtraSheet.Cell { e.map { .value($0.value, shown: SolveText.value($0.value, a.grid, w, l), whole: a.grid.step >= 1) } ?? .empty }
                rows.append(head + [
                    .text(shortKey(a.key)), .text(status(s.status, w)), value(s.answer), s.answer.map { .probability($0.probability) } ?? .empty,
                    value(s.stepBefore), s.stepBefore.map { .probability($0.probability) } ?? .empty,
                    a.price.map { .whole($0) } ?? .empty, .text(a.price == nil ? "" : a.cost!.payer),
                ])
            }
            if let m = mix {
                let b = m.search.best
                rows.append(head + [
                    .text("\(shortKey(m.a.key)) + \(shortKey(m.b.key))"), .text(b == nil ? status(.unreachable, w) : w.t("campuran termurah", "cheapest mix")),
                    b.map { .text("\(SolveText.value($0.a, m.a.grid, w, l)) + \(SolveText.value($0.b, m.b.grid, w, l))") } ?? .empty,
                    b.map { .probability($0.probability) } ?? .empty, .empty, .empty, b.map { .whole($0.cost) } ?? .empty,
                    .text(m.prices.map { "\($0.payer) \(w.rupiah($0.rupiah))" }.joined(separator: "; ")),
                ])
            }
        }
        return ExtraSheet(name: w.solveSheet, header: header, cells: rows, numeric: [3, 5, 8, 9, 10, 11, 12], wrapColumn: 6, labelColumns: 3)
    }

    /// A search's outcome in the planner's words.
    static func status(_ s: LeverSearch.Status, _ w: Words) -> String {
        switch s {
        case .found: return w.t("ditemukan", "found")
        case .reachedAtStart: return w.t("sudah tercapai", "already reached")
        case .unreachable: return w.t("tidak tercapai di rentangnya", "not reached on its range")
        case .noEffect: return w.t("tidak berpengaruh", "no effect")
        case .notMonotone: return w.t("tidak monoton", "not monotone")
        }
    }

    /// The report's section "Apa yang dibutuhkan?": the ajuan table and its legend.
    public static func htmlSection(_ r: SolveJob.Result, words w: Words, heading: Bool = true) -> String {
        let rows = table(r, words: w)
        var html = (heading ? "<h2>\(SVGChart.escape(w.solvePanelHeading))</h2>\n" : "") + "<p class=\"small\">"
            + SVGChart.escape(w.t("P(tercapai) yang dituju \(w.percent(r.probability)); nilai tiap pengungkit sendiri-sendiri\(r.mixes.isEmpty ? "" : " dan campuran termurah"), pada simulasi dan seed yang sama. ✓: sudah tercapai tanpa tindakan; —: tidak tercapai di rentang pengungkitnya; ×: pengungkit tidak menggerakkan angka ini.",
                                  "P(reach) sought \(w.percent(r.probability)); each lever alone\(r.mixes.isEmpty ? "" : " and the cheapest mix"), on the same draws and seed. ✓: reached with no action; —: not reached on the lever's range; ×: the lever does not move this figure."))
            + "</p>\n<table class=\"small\">" + HTMLTable.header(rows[0])
        for row in rows.dropFirst() {
            html += HTMLTable.row(row.enumerated().map { $0.offset < 3 || $0.offset == 4 ? .text($0.element) : .number($0.element) })
        }
        return html + "</table>\n"
    }

    /// `levers.outreach.intensity` → `outreach.intensity` (a column header).
    static func shortKey(_ key: String) -> String { key.hasPrefix("levers.") ? String(key.dropFirst("levers.".count)) : key }

    public static func markdown(_ r: SolveJob.Result, words w: Words) -> String {
        let rows = table(r, words: w)
        var lines = ["# " + w.t("Apa yang dibutuhkan", "What it takes") + " — \(r.scenarioPath)", ""]
        lines.append(w.t("P(tercapai) yang dituju ", "P(reach) sought ") + w.percent(r.probability) + "; "
            + (r.draws > 0 ? w.t("\(w.persons(Double(r.draws))) simulasi, seed \(r.seed)", "\(w.persons(Double(r.draws))) draws, seed \(r.seed)") : w.t("tanpa simulasi", "no draws"))
            + w.t(". ✓: sudah tercapai tanpa tindakan; —: tidak tercapai di rentang pengungkitnya; ×: pengungkit tidak menggerakkan angka ini.", ". ✓: reached with no action; —: not reached on the lever's range; ×: the lever does not move this figure."))
        lines.append("")
        lines.append("| " + rows[0].joined(separator: " | ") + " |")
        lines.append("|" + String(repeating: "---|", count: rows[0].count))
        for row in rows.dropFirst() { lines.append("| " + row.map { $0.replacingOccurrences(of: "|", with: "\\|") }.joined(separator: " | ") + " |") }
        lines.append("")
        lines.append("```")
        lines.append(SolveText.terminal(r, words: w).trimmingCharacters(in: .newlines))
        lines.append("```")
        return lines.joined(separator: "\n") + "\n"
    }
}
