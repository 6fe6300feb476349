import Fitting
import Foundation
import Planning

/// backtest.csv (one row per origin × cell × month × method), skill.csv (skill per rule and horizon)
/// and the backtest's report.html (actuals against each origin's fan, skill per horizon).
enum BacktestWriters {
    static func intervalName(_ levels: [Double], _ pair: (Int, Int)) -> String {
        UncertaintyWriter.levelName(levels[pair.0]) + "_" + UncertaintyWriter.levelName(levels[pair.1])
    }

    static func csv(_ rows: [Backtest.Row], levels: [Double]) -> String {
        let pairs = Backtest.intervals(levels)
        var w = CSVWriter(
            header: [
                "origin", "region", "segment", "month", "horizon", "method", "actual", "actual_source", "forecast",
                "error", "relative_error",
            ] + levels.map(UncertaintyWriter.levelName) + pairs.map { "inside_" + intervalName(levels, $0) } + [
                "pinball", "relative_pinball",
            ])
        for r in rows {
            let q = r.forecast.quantiles
            w.row(
                [
                    r.origin.description, r.region, r.segment, r.month.description, "\(r.horizon)", r.method.rawValue,
                    CSVWriter.persons(r.actual),
                    r.actualSource.rawValue, CSVWriter.persons(r.forecast.point), CSVWriter.persons(r.error),
                    CSVWriter.fixed(r.relativeError, 6),
                ] + levels.indices.map { k in CSVWriter.persons(q?[k]) }
                    + (r.inside.map { $0.map { $0 ? "1" : "0" } } ?? pairs.map { _ in "" })
                    + [CSVWriter.persons(r.pinball), CSVWriter.fixed(r.pinball.map { $0 / r.actual }, 6)])
        }
        return w.text
    }

    static func skillCSV(_ skills: [Backtest.Skill]) -> String {
        var w = CSVWriter(header: ["rule", "horizon", "n", "loss", "rkat_loss", "rule_loss", "skill"])
        for s in skills {
            w.row([
                s.rule.rawValue, s.horizon.map(String.init) ?? "all", "\(s.n)",
                s.pinball ? "relative_pinball" : "relative_abs_error",
                CSVWriter.fixed(s.modelLoss, 6), CSVWriter.fixed(s.ruleLoss, 6), CSVWriter.fixed(s.skill, 6),
            ])
        }
        return w.text
    }

    /// models.csv: each candidate model of a `model: auto` segment with its backtest loss, ranked as
    /// selection: backtest ranks them (scored on every origin first, then by loss), and the model the
    /// calibration used (AICc's pick, or the backtest's with selection: backtest).
    static func modelsCSV(_ candidates: [(segment: String, used: String, scores: [Backtest.CandidateScore])]) -> String
    {
        var w = CSVWriter(header: ["segment", "model", "loss", "loss_kind", "rows", "origins", "rank", "used"])
        for c in candidates {
            for (k, score) in c.scores.enumerated() {
                w.row([
                    c.segment, score.model.rawValue, CSVWriter.significant(score.loss), "relative_abs_error",
                    String(score.rows), String(score.origins), String(k + 1),
                    score.model.rawValue == c.used ? "yes" : "",
                ])
            }
        }
        return w.text
    }

    /// The planner's one line: how many actuals the outer band held (with its exact 95% interval) and
    /// the median absolute errors, rkat's against each rule's.
    /// "P10–P90": the outermost interval of the levels.
    static func bandLabel(_ levels: [Double], _ pair: (Int, Int)) -> String {
        "P\(Whole.clamped(levels[pair.0] * 100, .toNearestOrAwayFromZero))–P\(Whole.clamped(levels[pair.1] * 100, .toNearestOrAwayFromZero))"
    }

    static func headline(_ s: Backtest.Summary, levels: [Double], words x: Words) -> String {
        var parts: [String] = []
        if s.banded > 0, let pair = Backtest.intervals(levels).first {
            let ci = BinomialInterval.clopperPearson(successes: s.held, trials: s.banded)
            parts.append(
                x.backtestHeld(
                    band: bandLabel(levels, pair),
                    held: s.held, of: s.banded, low: ci.low, high: ci.high))
        } else {
            parts.append(x.backtestNoBands(actuals: s.actuals))
        }
        if let own = s.medianAbsoluteError[.rkat] {
            let rules = [Backtest.Method.lastYearGrowth, .lastValue].compactMap { m in
                s.medianAbsoluteError[m].map { (x.backtestMethod(m), $0) }
            }
            parts.append(x.backtestMedianError(own, rules: rules))
        }
        return parts.joined(separator: "; ")
    }

    /// Whether the outermost band held near its nominal level (its 95% interval contains it; below
    /// it "too narrow", above "too wide") and whether rkat beat last year's growth over every horizon
    /// (skill > 0: pinball loss where every pair had bands, else absolute error).
    static func verdict(_ s: Backtest.Summary, skills: [Backtest.Skill], levels: [Double], words x: Words) -> String? {
        guard s.banded > 0, let pair = Backtest.intervals(levels).first else { return nil }
        let nominal = levels[pair.1] - levels[pair.0]
        let ci = BinomialInterval.clopperPearson(successes: s.held, trials: s.banded)
        let held: Words.BandVerdict = ci.high < nominal ? .tooNarrow : ci.low > nominal ? .tooWide : .near
        let growth = skills.first { $0.rule == .lastYearGrowth && $0.horizon == nil }
        return x.backtestVerdict(
            band: bandLabel(levels, pair),
            held: Double(s.held) / Double(s.banded), low: ci.low, high: ci.high, nominal: nominal, verdict: held,
            skill: growth.map { ($0.skill, $0.pinball) })
    }

    static let fansShown = 6

    /// Which of `n` origins the fan chart draws: all up to `fansShown`, else that many evenly spread
    /// indices from the first to the last.
    static func chartOrigins(_ n: Int) -> [Int] {
        guard n > fansShown else { return Array(0..<n) }
        return (0..<fansShown).map { k in Whole.nearest(Double(k) * Double(n - 1) / Double(fansShown - 1)) ?? 0 }
    }

    static func report(
        scenario s: Scenario, history: History, later: History?, runs: [BacktestJob.OriginRun], rows: [Backtest.Row],
        skills: [Backtest.Skill],
        summary: Backtest.Summary, horizon: Int, runDate: Date, words x: Words
    ) -> String {
        func e(_ v: String) -> String { SVGChart.escape(v) }
        let monthNames = x.monthNames
        let levels = s.uncertainty.quantiles
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withFullDate]
        var body = "<h1>\(e(x.t("Uji mundur", "Backtest"))): \(e(s.name))</h1>\n"
        body += "<table class=\"meta\">"
        for (k, v) in [
            (x.t("Titik awal", "Origins"), runs.count > 12
                ? "\(x.monthYear(runs.first!.origin)) – \(x.monthYear(runs.last!.origin)) (\(runs.count))"
                : runs.map { x.monthYear($0.origin) }.joined(separator: ", ")),
            (x.t("Horizon", "Horizon"), x.t("\(horizon) bulan", "\(horizon) months")),
            (x.t("Tanggal jalan", "Run date"), iso.string(from: runDate)),
            (x.t("Seed / simulasi", "Seed / draws"), "\(s.uncertainty.seed) / \(s.uncertainty.draws)"),
            (x.t("Data historis", "History"), s.historyPath),
        ] { body += "<tr><th>\(e(k))</th><td>\(e(v))</td></tr>" }
        body += "</table>\n<p><b>\(e(headline(summary, levels: levels, words: x)))</b></p>\n"
        if let verdict = verdict(summary, skills: skills, levels: levels, words: x) { body += "<p>\(e(verdict))</p>\n" }
        body += "<p>\(e(x.backtestExplanation))</p>\n"

        // Actuals against each origin's fan, per stock cell.
        body += "<h2>\(e(x.t("Realisasi terhadap kipas tiap titik awal", "Actuals against each origin's fan")))</h2>\n"
        // At most `fansShown` fans, evenly spread and ending at the last origin: every origin is scored in
        // the tables, but 58 overlapping fans (the mid-year fixture's default) read as none.
        let shown = chartOrigins(runs.count).map { runs[$0] }
        if shown.count < runs.count {
            body += "<p>\(e(x.t("Kipas \(shown.count) dari \(runs.count) titik awal (merata, sampai yang terakhir); semuanya dinilai di tabel.", "Fans of \(shown.count) of the \(runs.count) origins (evenly spread, to the last); all are scored in the tables.")))</p>\n"
        }
        for cell in Backtest.stockCells(s) {
            // The actuals from a year (or the horizon) before the first origin: the fans stay readable.
            let from = (shown.map(\.origin).min() ?? s.actualsUntil).adding(months: -max(12, min(horizon, 36)))
            let hist = history.series(region: cell.region, segment: cell.segment, metric: .active).filter {
                $0.month >= from
            }
            let extra = later?.series(region: cell.region, segment: cell.segment, metric: .active) ?? []
            guard !hist.isEmpty else { continue }
            var chart = SVGChart(
                title: "\(cell.region) · \(cell.segment) — \(x.t("peserta aktif", "active members"))",
                yFormat: { x.persons($0) }, xFormat: { ReportWriter.monthTick($0, monthNames: monthNames) })
            for (i, r) in shown.enumerated() {
                let color = SVGChart.palette[i % 6]
                let rowsP = r.projection.rows(region: cell.region, segment: cell.segment).filter {
                    $0.month > r.origin && r.origin.distance(to: $0.month) <= horizon && $0.active != nil
                }
                guard !rowsP.isEmpty else { continue }
                let t = rowsP.map(\.month.decimalYear)
                if let c = r.monteCarlo?.cell(cell.region, cell.segment), let band = c.active, band.values.count >= 2 {
                    let idx = rowsP.compactMap { row in c.months.firstIndex(of: row.month) }
                    if idx.count == rowsP.count {
                        chart.series.append(
                            .init(
                                label: i == 0
                                    ? "P\(Whole.clamped(levels.first! * 100))–P\(Whole.clamped(levels.last! * 100))"
                                    : "", x: t, y: idx.map { band.values.first![$0] },
                                kind: .band(upper: idx.map { band.values.last![$0] }), color: color))
                    }
                }
                chart.series.append(
                    .init(
                        label: x.monthYear(r.origin), x: t, y: rowsP.map { $0.active! },
                        kind: .line(dash: i % 2 == 0 ? nil : "4 2"), color: color))
            }
            chart.series.append(
                .init(
                    label: x.t("realisasi", "actual"), x: hist.map(\.month.decimalYear), y: hist.map(\.value),
                    kind: .points, color: SVGChart.palette[6]))
            if !extra.isEmpty {
                chart.series.append(
                    .init(
                        label: x.t("realisasi kemudian (--actuals)", "later actuals (--actuals)"),
                        x: extra.map(\.month.decimalYear), y: extra.map(\.value), kind: .points,
                        color: SVGChart.palette[3]))
            }
            body += "<figure>\(chart.render())</figure>\n"
        }

        // Skill per horizon.
        body += "<h2>\(e(x.t("Skor keterampilan per horizon", "Skill per horizon")))</h2>\n"
        body += "<p>\(e(x.backtestSkillNote))</p>\n<table><tr>"
        for h in [
            x.t("Aturan", "Rule"), x.t("Horizon (bulan)", "Horizon (months)"), "n", x.t("Ukuran galat", "Loss"), "rkat",
            x.t("Aturan", "Rule"), x.t("Skor keterampilan", "Skill"),
        ] { body += "<th>\(e(h))</th>" }
        body += "</tr>\n"
        for k in skills {
            body +=
                "<tr><td>\(e(x.backtestMethod(k.rule)))</td><td class=\"n\">\(k.horizon.map(String.init) ?? x.t("semua", "all"))</td><td class=\"n\">\(k.n)</td><td>\(e(k.pinball ? x.t("pinball relatif", "relative pinball") : x.t("galat absolut relatif", "relative absolute error")))</td><td class=\"n\">\(x.percent(k.modelLoss / Double(k.n)))</td><td class=\"n\">\(x.percent(k.ruleLoss / Double(k.n)))</td><td class=\"n\">\(x.percent(k.skill))</td></tr>\n"
        }
        body += "</table>\n"

        // The outermost band by horizon, each share with its exact 95% interval.
        if let pair = Backtest.intervals(levels).first {
            let band = bandLabel(levels, pair)
            body += "<h2>\(e(x.t("Pita \(band) per horizon", "\(band) by horizon")))</h2>\n<table><tr>"
            for h in [x.t("Horizon (bulan)", "Horizon (months)"), "n", x.t("Dimuat", "Held"), x.t("Bagian (interval 95%)", "Share (95% interval)")] {
                body += "<th>\(e(h))</th>"
            }
            body += "</tr>\n"
            for c in Backtest.coverageByHorizon(rows) {
                let ci = BinomialInterval.clopperPearson(successes: c.held, trials: c.banded)
                body += "<tr><td class=\"n\">\(c.horizon)</td><td class=\"n\">\(c.banded)</td><td class=\"n\">\(c.held)</td>"
                    + "<td class=\"n\">\(x.percent(Double(c.held) / Double(c.banded))) (\(x.percent(ci.low))–\(x.percent(ci.high)))</td></tr>\n"
            }
            body += "</table>\n"
        }

        // Every scored actual.
        body += "<h2>\(e(x.t("Realisasi yang dinilai", "Actuals scored")))</h2>\n<table class=\"small\"><tr>"
        for h in [
            x.t("Titik awal", "Origin"), x.region, x.segment, x.t("Bulan", "Month"), "h", x.t("Metode", "Method"),
            x.t("Realisasi", "Actual"), x.t("Ramalan", "Forecast"), x.t("Galat %", "Error %"),
            "P\(Whole.clamped(levels.first! * 100))–P\(Whole.clamped(levels.last! * 100))",
        ] { body += "<th>\(e(h))</th>" }
        body += "</tr>\n"
        for r in rows {
            let band = r.forecast.quantiles.map { "\(x.persons($0.first))–\(x.persons($0.last))" } ?? "—"
            let held = r.inside?.first.map { $0 ? " ✓" : " ✗" } ?? ""
            body +=
                "<tr><td>\(e(x.monthYear(r.origin)))</td><td>\(e(r.region))</td><td>\(e(r.segment))</td><td>\(e(x.monthYear(r.month)))</td><td class=\"n\">\(r.horizon)</td><td>\(e(x.backtestMethod(r.method)))</td><td class=\"n\">\(x.persons(r.actual))\(r.actualSource == .actuals ? "*" : "")</td><td class=\"n\">\(x.persons(r.forecast.point))</td><td class=\"n\">\(x.percent(r.relativeError))</td><td class=\"n\">\(band)\(held)</td></tr>\n"
        }
        body += "</table>\n"
        if rows.contains(where: { $0.actualSource == .actuals }) {
            body += "<p>* \(e(x.t("dari berkas --actuals", "from the --actuals file")))</p>\n"
        }
        return ReportWriter.page(
            title: x.t("Uji mundur", "Backtest") + " — " + e(s.name), body: body, indonesian: x.indonesian)
    }
}
