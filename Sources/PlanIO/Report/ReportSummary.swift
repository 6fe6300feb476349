import Fitting
import Foundation
import Planning

/// The report's first page, for management (issue 29): the plan year's targets with P(tercapai),
/// against last year and against the rule; the three assumptions that move the total's P50 most (a
/// tornado, computed); the fan of the total. Printed, it is page one on its own (the page's print
/// stylesheet breaks after it); on screen it opens the report.
enum ReportSummary {
    /// The last line of the summary: what follows it. scripts/check_report.py finds it on page one.
    static func closing(_ x: Words) -> String {
        x.t("Rincian per segmen, bulan, kalibrasi dan sumber data: halaman berikutnya.", "Details by segment, month, calibration and data sources: next pages.")
    }

    static func section(
        scenario s: Scenario, history: History, monteCarlo mc: MonteCarlo.Result?, view: PlanYearView, tornado: [Tornado.Bar], words: Words
    ) -> String {
        let x = words.forTargets(view)
        func e(_ v: String) -> String { SVGChart.escape(v) }
        let year = view.year
        var body = "<section class=\"summary\">\n<h2>\(e(x.t("Ringkasan target", "Target summary"))) \(year)</h2>\n"
        let basis = mc.map { x.t("target = P(tercapai) \(x.percent(s.targets.confidence)) dari \(x.persons(Double($0.options.draws))) simulasi", "target = P(reach) \(x.percent(s.targets.confidence)) of \(x.persons(Double($0.options.draws))) draws") }
            ?? x.t("target deterministik (tanpa simulasi)", "deterministic targets (no draws)")
        body += "<p>\(e(s.regions.map(\.name).joined(separator: ", "))) · \(e(x.t("realisasi s.d.", "realised to"))) \(e(x.monthYear(s.actualsUntil))) · \(e(basis))</p>\n"
        body += targets(view, words: x)
        body += assumptions(tornado, view: view, words: x)
        if let fan = fan(s, history: history, monteCarlo: mc, view: view, words: x) { body += "<figure>\(fan)</figure>\n" }
        body += "<p class=\"note\">\(e(closing(x)))</p>\n</section>\n"
        return body
    }

    /// At most this many rows fit the page beside the tornado and the fan; a plan with more shows its
    /// totals (the segments are in the target table).
    static let maximumRows = 16

    /// The projection's targets (segments and totals) with P(tercapai), growth against last year's
    /// realisation and target, and the rule's targets beside them.
    static func targets(_ view: PlanYearView, words x: Words) -> String {
        let all = view.targets.filter { $0.basis == .projection }
        let rows = all.count > maximumRows ? all.filter(\.isTotal) : all
        var out = "<table class=\"summary-targets\">" + HTMLTable.header([
            x.region, x.segment, x.metricHeader, x.target, x.pReach, x.t("vs realisasi lalu", "vs last realisation"),
            x.t("vs target lalu", "vs last target"), view.targets.contains { $0.basis == .issued }
                ? x.t("Aturan / alokasi target terbit (target · P)", "Rule / issued (target · P)") : x.t("Aturan (target · P)", "Rule (target · P)"),
        ])
        for r in rows {
            let rules = view.targets.filter { $0.region == r.region && $0.segment == r.segment && $0.metric == r.metric && $0.basis != .projection }
                .map { "\(x.basis($0.basis)): \(x.figure($0.target, $0.metric)) · \(x.percent($0.probability))" }
            let label = r.isTotal ? "<b>\(SVGChart.escape(r.segment))</b>" : SVGChart.escape(r.segment)
            out += HTMLTable.row([
                .text(r.region), .markup(label, numeric: false), .text(x.metric(r.metric, r.unit)),
                .markup("<b>\(x.figure(r.target, r.metric))</b>", numeric: true), .number(x.percent(r.probability)),
                .number(x.percent(r.growthVsRealisation)), .number(x.percent(r.growthVsTarget)), .text(rules.joined(separator: "; ")),
            ])
        }
        out += "</table>\n"
        if rows.count < all.count {
            out += "<p class=\"note\">\(SVGChart.escape(x.t("Total saja; target per segmen: tabel target.", "Totals only; targets by segment: the target table.")))</p>\n"
        }
        return out
    }

    /// The three stated assumptions with the largest swing of the total's P50 (Tornado), as bars.
    static func assumptions(_ bars: [Tornado.Bar], view: PlanYearView, words x: Words) -> String {
        let top = Array(bars.prefix(3))
        guard let metric = top.first?.metric else {
            return "<p>\(SVGChart.escape(x.t("Asumsi: skenario tidak menyatakan asumsi tak pasti (uncertainty.assumptions), jadi tidak ada grafik asumsi terbesar.", "Assumptions: the scenario states no uncertain assumptions (uncertainty.assumptions), so there is no tornado.")))</p>\n"
        }
        let title = x.t(
            "Asumsi terbesar: P50 \(x.metric(metric).lowercased()) (total) dengan asumsi di P10 dan P90",
            "Largest assumptions: P50 \(x.metric(metric).lowercased()) (total) with the assumption at its P10 and P90")
        let labels = top.map { b in "\(x.assumptionName(b.assumption)) \(x.decimal(rounded(b.low)))–\(x.decimal(rounded(b.high)))" }
        let base = Tornado.total(view.targets, metric)?.quantiles.flatMap { q in view.medianLevel.map { q[$0] } }
        return "<figure>" + SVGChart.tornado(title: title, labels: labels, low: top.map(\.atLow), high: top.map(\.atHigh), base: base, format: { x.figure($0, metric) }, swingLabel: x.t("selisih", "swing")) + "</figure>\n"
    }

    /// An assumption's value shown to three significant digits.
    static func rounded(_ v: Double) -> Double {
        guard v != 0, v.isFinite else { return v }
        let scale = pow(10, 2 - floor(log10(abs(v))))
        return (v * scale).rounded() / scale
    }

    /// The fan of each region's total members (P10–P90 and P50 from the joint draws), with the
    /// realised totals and the year-end target.
    static func fan(_ s: Scenario, history: History, monteCarlo mc: MonteCarlo.Result?, view: PlanYearView, words x: Words) -> String? {
        guard let mc, mc.options.quantiles.count >= 2, let median = view.medianLevel else { return nil }
        let tick: (Double) -> String = { ReportWriter.monthTick($0, monthNames: x.monthNames) }
        var chart = SVGChart(
            title: x.t("Peserta aktif, total wilayah", "Active members, region total"), yFormat: { x.persons($0) }, xFormat: tick)
        chart.height = 240
        let (lo, hi) = (mc.options.quantiles.first!, mc.options.quantiles.last!)
        // Several regions: the fan of their total (the nation of a national plan: one band, not
        // eleven), its realised figures where every region has one, and an issued target.
        if let total = mc.total {
            chart.title = x.t("Peserta aktif, total \(mc.regions.count) wilayah (simulasi bersama)", "Active members, total of \(mc.regions.count) regions (joint draws)")
            let t = total.months.map(\.decimalYear)
            chart.series.append(.init(label: "P\(Whole.clamped(lo * 100))–P\(Whole.clamped(hi * 100))", x: t, y: total.active.values.first!, kind: .band(upper: total.active.values.last!), color: SVGChart.palette[0]))
            chart.series.append(.init(label: "P50", x: t, y: total.active.values[median], kind: .line(dash: nil), color: SVGChart.palette[0]))
            let series = mc.regions.map { r in Dictionary(history.series(region: r.region, segment: History.totalSegment, metric: .active).filter { $0.month <= s.actualsUntil }.map { ($0.month, $0.value) }, uniquingKeysWith: { a, _ in a }) }
            let months = series.dropFirst().reduce(Set(series.first?.keys ?? [:].keys)) { $0.intersection($1.keys) }.sorted()
            if !months.isEmpty {
                chart.series.append(.init(label: x.t("realisasi", "actual"), x: months.map(\.decimalYear), y: months.map { m in series.reduce(0) { $0 + $1[m]! } }, kind: .points, color: SVGChart.palette[6]))
            }
            if let issued = view.allocations.first(where: { $0.metric == .active }), let december = total.months.last(where: { $0.year == view.year && $0.month == 12 }) {
                chart.series.append(.init(label: x.t("target terbit", "issued target"), x: [december.decimalYear], y: [Double(issued.issued)], kind: .points, color: SVGChart.palette[1]))
            }
            return chart.render()
        }
        for (k, r) in mc.regions.enumerated() {
            let color = SVGChart.palette[k % 6]
            let t = r.months.map(\.decimalYear)
            let name = mc.regions.count > 1 ? "\(r.region) " : ""
            chart.series.append(.init(label: "\(name)P\(Whole.clamped(lo * 100))–P\(Whole.clamped(hi * 100))", x: t, y: r.active.values.first!, kind: .band(upper: r.active.values.last!), color: color))
            chart.series.append(.init(label: "\(name)P50", x: t, y: r.active.values[median], kind: .line(dash: nil), color: color))
            let realised = history.series(region: r.region, segment: History.totalSegment, metric: .active).filter { $0.month <= s.actualsUntil }
            if !realised.isEmpty {
                chart.series.append(.init(label: "\(name)\(x.t("realisasi", "actual"))", x: realised.map(\.month.decimalYear), y: realised.map(\.value), kind: .points, color: SVGChart.palette[6]))
            }
        }
        return chart.render()
    }
}
