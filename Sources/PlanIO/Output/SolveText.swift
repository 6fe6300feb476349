import Fitting
import Planning

/// `rkat solve`'s answer in the planner's language (docs/solve.md): per target, P(reach) as the
/// scenario stands, then each lever's value that reaches P, with the run at that value and one step
/// before it, the command that re-runs it, and what the search saw (monotone or not, runs, time).
public enum SolveText {
    public static func terminal(_ r: SolveJob.Result, words w: Words) -> String {
        let l = Phrase.Language(indonesian: w.indonesian)
        var lines: [String] = []
        let draws = r.draws > 0
            ? w.t("\(w.persons(Double(r.draws))) simulasi, seed \(r.seed)", "\(w.persons(Double(r.draws))) draws, seed \(r.seed)")
            : w.t("tanpa simulasi: jalur deterministik, P(tercapai) 0% atau 100%", "no draws: the deterministic path, P(reach) 0% or 100%")
        lines.append(w.t("Apa yang dibutuhkan agar P(tercapai) ≥ \(w.percent(r.probability))", "What it takes for P(reach) ≥ \(w.percent(r.probability))") + " (\(draws))")
        for t in r.targets {
            lines.append("")
            lines.append(header(t, w))
            lines.append("  " + w.t("tanpa tindakan (skenario apa adanya): P(tercapai) \(w.percent(t.noAction))", "with no action (the scenario as it stands): P(reach) \(w.percent(t.noAction))"))
            let (alone, mix) = r.answers(for: t)
            for a in alone { lines += lever(a, r, w, l).map { "  " + $0 } }
            if let mix { lines += self.mix(mix, r, w, l).map { "  " + $0 } }
            if let why = why(t, alone, r, w) { lines.append("  " + why) }
        }
        if !r.mixNotes.isEmpty { lines.append("") }
        for n in r.mixNotes { lines.append(n.text(indonesian: w.indonesian)) }
        if r.answers.contains(where: { $0.cost?.per == .month }) {
            lines.append("")
            lines.append(w.t(
                "Harga per bulan dihitung untuk \(r.pricedMonths) bulan proyeksi tahun rencana; harga dihitung dari nilai pengungkit di skenario, ke arah yang membantu (ke arah sebaliknya tidak dihitung sebagai penghematan).",
                "Monthly prices are counted over the plan year's \(r.pricedMonths) projected months; prices run from the lever's value in the scenario, the way it helps (the other way is not counted as a saving)."))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func header(_ t: SolveJob.Target, _ w: Words) -> String {
        "\(t.region) \(t.segment) · \(w.metric(t.metric)): \(w.figure(t.value, t.metric)) (\(t.basis.text(indonesian: w.indonesian)))"
    }

    /// Why a target no lever reaches may be out of reach: the table's warnings on it (above the
    /// potential or the uncovered pool, a part year) and, for a flow, the months left to reach it.
    static func why(_ t: SolveJob.Target, _ alone: [SolveJob.Answer], _ r: SolveJob.Result, _ w: Words) -> String? {
        guard !alone.isEmpty, alone.allSatisfy({ $0.search.answer == nil }) else { return nil }
        var reasons: [String] = []
        for f in t.flags where f == .abovePotential || f == .aboveUncoveredPool || f == .partYear { reasons.append(w.flag(f)) }
        if t.metric.isFlow, r.pricedMonths < 12 {
            reasons.append(w.t("tinggal \(r.pricedMonths) bulan proyeksi di tahun \(r.planYear)", "\(r.pricedMonths) projected months left in \(r.planYear)"))
        }
        let levers = w.t("tidak ada pengungkit yang mencapainya di rentangnya", "no lever reaches it on its range")
        return w.t("mengapa tidak tercapai: ", "why out of reach: ") + ([levers] + reasons).joined(separator: "; ")
    }

    /// A lever value in its unit: whole units grouped, fractions with the language's decimal mark.
    static func value(_ x: Double, _ g: LeverSearch.Grid, _ w: Words, _ l: Phrase.Language) -> String { g.step >= 1 ? w.persons(x) : l.decimal(x) }

    static func mix(_ m: SolveJob.Mix, _ r: SolveJob.Result, _ w: Words, _ l: Phrase.Language) -> [String] {
        let how = m.ofPairs
            ? w.t("termurah dari tiap pasangan pengungkit (heuristik: dengan lebih dari dua, yang lain tetap seperti di skenario)", "the cheapest of each pair of levers (a heuristic: with more than two, the others stay as in the scenario)")
            : w.t("tepat pada kisi kedua pengungkit", "exact on the two levers' grids")
        var out = [w.t("campuran termurah", "cheapest mix") + " \(m.a.key) + \(m.b.key) (\(how)):"]
        guard let best = m.search.best else {
            out.append("  → " + w.t("tidak tercapai bahkan dengan keduanya di ujung terjauh rentangnya", "not reached even with both at the far end of their ranges"))
            return out
        }
        let (va, vb) = (value(best.a, m.a.grid, w, l), value(best.b, m.b.grid, w, l))
        let byPayer = m.prices.map { "\($0.payer) \(w.rupiah($0.rupiah))" }.joined(separator: ", ")
        out.append("  → \(va) + \(vb): P(\(w.t("tercapai", "reach"))) \(w.percentExact(best.probability)); " + w.t("biaya", "cost") + " \(w.rupiah(best.cost)) (\(byPayer))")
        var steps: [String] = []
        // One oriented index back on the grids the mix searched (from the scenario's value).
        func back(_ g: LeverSearch.Grid, _ raises: Bool, _ k: Int) -> Double { g.value(raises ? k - 1 : g.last - (k - 1)) }
        if let p = m.search.stepBackA { steps.append("\(value(back(m.gridA, m.a.search.direction == .raises, best.i), m.a.grid, w, l)) + \(vb): \(w.percentExact(p))") }
        if let p = m.search.stepBackB { steps.append("\(va) + \(value(back(m.gridB, m.b.search.direction == .raises, best.j), m.b.grid, w, l)): \(w.percentExact(p))") }
        if !steps.isEmpty { out.append("  " + w.t("satu langkah kurang", "one step less") + ": " + steps.joined(separator: "; ")) }
        let set = (r.overrides + [m.a.setting(best.a), m.b.setting(best.b)]).map { "--set \(shellWord($0))" }.joined(separator: " ")
        out.append("  " + w.t("periksa", "check") + ": rkat run \(shellWord(r.scenarioPath)) \(set)" + (r.draws > 0 ? " --draws \(r.draws) --seed \(r.seed)" : " --draws 0"))
        let monotone = m.search.notMonotone
            ? w.t("TIDAK monoton pada sebagian pasangan: batasnya mungkin melewatkan campuran yang lebih murah", "NOT monotone at some pairs: the bound may miss a cheaper mix")
            : m.search.stoppedAtBudget
            ? w.t("pencarian berhenti di batas \(LeverMix.maxRuns) run: yang termurah yang ditemukan, belum terbukti termurah (pasangan di sepanjang batasnya berbiaya hampir sama)", "the search stopped at its budget of \(LeverMix.maxRuns) runs: the cheapest found, not proven cheapest (the pairs along the frontier cost nearly alike)")
            : w.t("monoton pada pasangan yang dijalankan", "monotone on the pairs run")
        out.append("  " + monotone + "; " + w.t("\(m.search.runs) run, \(l.decimal(m.seconds, 2)) s", "\(m.search.runs) runs, \(l.decimal(m.seconds, 2)) s"))
        return out
    }

    static func lever(_ a: SolveJob.Answer, _ r: SolveJob.Result, _ w: Words, _ l: Phrase.Language) -> [String] {
        let s = a.search, g = a.grid
        func v(_ x: Double) -> String { value(x, g, w, l) }
        let now = a.replacesPath
            ? w.t("di skenario sebuah jalur bertahap, diganti satu nilai mulai \(a.firstProjected)", "a path of steps in the scenario, replaced by one value from \(a.firstProjected)")
            : a.current.map { w.t("sekarang \(v($0))", "now \(v($0))") } ?? w.t("tidak ada di skenario", "not in the scenario")
        var out = ["\(a.key) (\(now); " + w.t("dicari \(v(g.lower))…\(v(g.upper)) per \(v(g.step))", "searched \(v(g.lower))…\(v(g.upper)) by \(v(g.step))") + "):"]
        // Exact (a share of the draws), so 69,95% never reads as the 70% asked for.
        func p(_ e: LeverSearch.Evaluation) -> String { "P(\(w.t("tercapai", "reach"))) \(w.percentExact(e.probability))" }
        switch s.status {
        case .found:
            let answer = s.answer!, before = s.stepBefore!
            let which = s.direction == .raises ? w.t("satu langkah di bawah", "one step below") : w.t("satu langkah di atas", "one step above")
            out.append("  → \(v(answer.value)): \(p(answer)); \(which) (\(v(before.value))): \(p(before))" + price(a, w))
        case .reachedAtStart:
            let answer = s.answer!
            let end = s.direction == .raises ? w.t("batas bawah", "lower end") : w.t("batas atas", "upper end")
            out.append("  → " + w.t("sudah tercapai di \(end) rentang (\(v(answer.value))): \(p(answer)); tidak perlu lebih", "already reached at the range's \(end) (\(v(answer.value))): \(p(answer)); no more is needed"))
        case .unreachable:
            let best = s.direction == .raises ? s.evaluations.last! : s.evaluations.first!
            let median = r.draws > 0 ? "P50" : w.t("angka deterministik", "the deterministic figure")
            out.append("  → " + w.t(
                "tidak tercapai di rentang ini: paling tinggi \(p(best)) di \(v(best.value)), dengan \(median) \(w.figure(best.median, a.target.metric))",
                "not reached on this range: at best \(p(best)) at \(v(best.value)), with \(median) \(w.figure(best.median, a.target.metric))"))
        case .notMonotone:
            let mid = s.evaluations[s.evaluations.count / 2]
            out.append("  → " + w.t(
                "angka ini sama di kedua ujung rentang (\(p(s.evaluations.first!))) tetapi tidak di tengahnya (\(p(mid)) di \(v(mid.value))): pengungkitnya tidak monoton untuk target ini; cari di rentang yang lebih sempit",
                "the figure is the same at both ends of the range (\(p(s.evaluations.first!))) but not midway (\(p(mid)) at \(v(mid.value))): the lever is not monotone for this target; search a narrower range"))
        case .noEffect:
            let e = s.evaluations.first!
            out.append("  → " + w.t("pengungkit ini tidak mengubah angka ini di rentang ini (\(p(e)) di kedua ujung)", "this lever does not move this figure on this range (\(p(e)) at both ends)"))
        }
        if let answer = s.answer, s.status == .found || s.status == .reachedAtStart {
            let set = (r.overrides + [a.setting(answer.value)]).map { "--set \(shellWord($0))" }.joined(separator: " ")
            out.append("  " + w.t("periksa", "check") + ": rkat run \(shellWord(r.scenarioPath)) \(set)" + (r.draws > 0 ? " --draws \(r.draws) --seed \(r.seed)" : " --draws 0"))
        }
        let monotone = s.reversals == 0 && !s.probabilityNotMonotone
            ? (r.draws > 0 ? w.t("monoton pada simulasinya", "monotone on the draws") : w.t("monoton pada jalur deterministik", "monotone on the deterministic path"))
            : w.t("TIDAK monoton: \(w.persons(Double(s.reversals))) simulasi berbalik arah", "NOT monotone: \(w.persons(Double(s.reversals))) draws reverse")
        out.append("  " + monotone + " (\(w.persons(Double(s.comparisons))) " + w.t("perbandingan", "comparisons") + "); "
            + w.t("\(s.evaluations.count) evaluasi, \(l.decimal(a.seconds, 2)) s", "\(s.evaluations.count) runs, \(l.decimal(a.seconds, 2)) s"))
        if (s.reversals > 0 || s.probabilityNotMonotone) && s.answer != nil {
            out.append("  " + w.t("jawaban ini batas yang ditemukan pembagian dua; nilai lain di rentang bisa juga mencapai P", "the answer is the boundary bisection found; other values on the range may reach P as well"))
        }
        return out
    }

    /// "; biaya Rp … (payer)" of a priced answer.
    static func price(_ a: SolveJob.Answer, _ w: Words) -> String {
        guard let c = a.cost, let rupiah = a.price else { return "" }
        return "; " + w.t("biaya", "cost") + " \(w.rupiah(rupiah)) (\(c.payer))"
    }

    /// A word as a POSIX shell reads it back: quoted when it holds anything but safe characters.
    static func shellWord(_ s: String) -> String {
        let safe = s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-/=%+:,@".unicodeScalars.contains($0)) }
        return safe && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
