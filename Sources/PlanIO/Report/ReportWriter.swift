import Fitting
import Foundation
import Planning

/// report.html: one self-contained page (inline SVG and CSS, nothing fetched) for planners: header,
/// fan charts per segment, coverage, lever effects, targets, calibration, phasing and fit residuals.
/// Indonesian by default, English with --lang en. The only output besides run.json with the run time.
enum ReportWriter {
    /// The regions' common share η (several regions): its value and whether stated, estimated or the default range.
    static func national(_ calibrations: [SegmentCalibration], words x: Words) -> [(String, String)] {
        guard let n = calibrations.lazy.compactMap(\.national).first else { return [] }
        let kind: String
        if let r = n.range, n.source.hasPrefix("default") {
            kind = x.t("tidak terukur: seragam \(x.percent(r.lowerBound))–\(x.percent(r.upperBound)) per simulasi", "not measured: uniform \(x.percent(r.lowerBound))–\(x.percent(r.upperBound)) a draw")
        } else if let r = n.range {
            kind = x.t("dinyatakan: seragam \(x.percent(r.lowerBound))–\(x.percent(r.upperBound)) per simulasi", "stated: uniform \(x.percent(r.lowerBound))–\(x.percent(r.upperBound)) a draw")
        } else if n.source.hasPrefix("stated") {
            kind = x.t("dinyatakan: \(x.percent(n.rho))", "stated: \(x.percent(n.rho))")
        } else {
            kind = x.t("diestimasi dari riwayat bulanan: \(x.percent(n.rho))", "estimated from the monthly history: \(x.percent(n.rho))")
        }
        return [(x.t("Porsi guncangan bersama antarwilayah (η)", "Regions' common share of shocks (η)"), kind)]
    }

    static func html(
        scenario s: Scenario, history: History, calibrations: [SegmentCalibration], projection: Projection,
        monteCarlo mc: MonteCarlo.Result?, view: PlanYearView, sweep: [RunJob.SweepRow], tornado: [Tornado.Bar] = [], runDate: Date,
        words x: Words, section: String? = nil
    ) -> String {
        let planYear = view.year
        func n(_ v: Double?) -> String { x.persons(v) }
        func e(_ v: String) -> String { SVGChart.escape(v) }
        let monthNames = x.monthNames
        let yearTick: (Double) -> String = { ReportWriter.monthTick($0, monthNames: monthNames) }
        let personsTick: (Double) -> String = { n($0) }
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withFullDate]

        var body = "<h1>\(e(s.name))</h1>\n"
        if !s.description.isEmpty { body += "<p>\(e(s.description))</p>\n" }
        // Page one for management; the details follow.
        body += ReportSummary.section(scenario: s, history: history, monteCarlo: mc, view: view, tornado: tornado, words: x)
        if let section { body += section }
        let sources = Set(history.observations.compactMap(\.source)).sorted()
        body += "<table class=\"meta\">"
        for (k, v) in [
            (x.t("Wilayah", "Region"), s.regions.map(\.name).joined(separator: ", ")),
            (x.t("Tahun rencana", "Plan year"), "\(planYear)"),
            (x.t("Tanggal jalan", "Run date"), iso.string(from: runDate)),
            (x.t("Seed / simulasi", "Seed / draws"), "\(s.uncertainty.seed) / \(x.persons(Double(mc?.options.draws ?? 0)))"),
            (x.t("Data historis", "History"), s.historyPath),
        ] + national(calibrations, words: x) { body += "<tr><th>\(e(k))</th><td>\(e(v))</td></tr>" }
        body += "</table>\n<details><summary>\(x.t("Sumber data", "Data sources")) (\(sources.count))</summary><ul>"
        for src in sources { body += "<li>\(e(src))</li>" }
        body += "</ul></details>\n"

        body += charts(
            scenario: s, history: history, calibrations: calibrations, projection: projection, monteCarlo: mc,
            view: view, words: x)

        // Lever effects (sweep).
        if !sweep.isEmpty {
            var bars = SVGChart(
                title: x.t(
                    "Aktif akhir tahun \(planYear) per kombinasi (total wilayah)",
                    "Year-end active \(planYear) per combination (region total)"), yFormat: personsTick,
                xFormat: yearTick)
            let totals = sweep.compactMap { row in row.figures.first { $0.isTotal } }
            bars.categories = sweep.map { $0.overrides.map { x.leverValue($0.key, $0.value) }.joined(separator: " / ") }
            bars.series.append(
                .init(
                    label: totals.contains { $0.basis == .p50 } ? "P50" : x.figureBasis(.deterministic),
                    x: totals.indices.map(Double.init), y: totals.map { $0.shownYearEndActive ?? 0 },
                    kind: .bars(
                        low: totals.map { $0.activeQuantiles?.first ?? $0.yearEndActive ?? 0 },
                        high: totals.map { $0.activeQuantiles?.last ?? $0.yearEndActive ?? 0 }),
                    color: SVGChart.palette[0]))
            let keys = sweep.first?.overrides.map(\.key) ?? []
            body +=
                "<h2>\(x.t("Efek tuas", "Lever effects"))</h2>\n<p>\(e(keys.map(x.leverName).joined(separator: " / ")))</p><figure>\(bars.render())</figure>\n"
            body +=
                "<p class=\"note\">\(e(x.t("Kunci skenario", "Scenario keys"))): \(e(keys.joined(separator: " / ")))</p>\n"
            // The same figures with the difference from the scenario's own values (as filed), shown first.
            let own = view.figures.first { $0.isTotal }.map { [$0] } ?? []
            let compared = ComparedFigure.rows(
                [(x.t("skenario (nilai sendiri)", "scenario (its own values)"), own)]
                    + zip(bars.categories ?? [], totals).map { ($0, [$1]) }, baseline: own)
            body +=
                "<table>"
                + HTMLTable.header([
                    x.t("Kombinasi", "Combination"), x.figureBasisHeader, x.yearEndActive, "P10–P90",
                    x.t("Selisih dari skenario", "Difference from the scenario"),
                ])
            for c in compared {
                let f = c.figure
                let band = f.activeQuantiles.map { "\(n($0.first))–\(n($0.last))" } ?? "—"
                body += HTMLTable.row([
                    .text(c.name), .text(x.figureBasis(f.basis)), .number(n(f.shownYearEndActive)), .number(band),
                    .number(x.signedPersons(c.activeVsFirst)),
                ])
            }
            body += "</table>\n<p>\(e(x.figureBasisNote))</p>\n"
        }

        // Targets.
        // A wide table: scrolls on screen with its labels in view, prints on a landscape page.
        body += "<div class=\"wide\"><h2>\(x.t("Target", "Targets")) \(planYear)</h2>\n" + targetTable(view, words: x) + "</div>\n"

        // Monthly phasing.
        body += "<h2>\(x.t("Target bulanan", "Monthly phasing")) \(planYear)</h2>\n<table class=\"small\"><tr><th></th>"
        for m in monthNames { body += "<th>\(m)</th>" }
        body += "</tr>\n"
        for p in view.phasing where p.row.basis == .projection {
            // Iuran in millions of rupiah, so twelve months fit the page (the label says so).
            let money = p.row.metric.isRupiah
            let label = money ? x.t("iuran (Rp juta)", "iuran (Rp million)") : x.metricShort(p.row.metric, p.row.unit)
            let show = { (v: Double?) in money ? x.millions(v) : n(v) }
            body += "<tr><td>\(e("\(p.row.region) \(p.row.segment) · \(label)"))</td>"
            for m in p.months {
                body +=
                    m.status == .realised
                    ? "<td class=\"n r\"><i>\(show(m.value))</i></td>" : "<td class=\"n\">\(show(m.value))</td>"
            }
            body += "</tr>\n"
        }
        body += "</table>\n"
        if view.phasing.contains(where: { $0.months.contains { $0.status == .realised || $0.status == .estimated } }) {
            body += "<p class=\"small\">\(e(x.legend(view.phasing)))</p>\n"
        }

        // Branches (Kantor Cabang): the same rows as targets.csv's branch rows and targets.md's table,
        // labelled as the monthly table is so that twelve months fit the page.
        if !view.branches.isEmpty {
            // A wide table (the start and growth in the notes cell): scrolls on screen with its labels
            // in view, prints on a landscape page, as the targets table.
            body +=
                "<div class=\"wide\"><h2>\(x.t("Target cabang", "Branch targets")) \(planYear)</h2>\n<table class=\"small\"><tr><th></th><th>Target</th><th>\(e(x.pReach))</th>"
            for m in monthNames { body += "<th>\(m)</th>" }
            // Branches with their own history: their own projection and the gap (allocated − own) in
            // the notes cell, so that twelve months still fit the page.
            let anyOwn = view.branches.contains { $0.ownTarget != nil }
            body += "<th>\(e(x.flags))</th></tr>\n"
            for b in view.branches {
                let label = "\(b.region) · \(b.branch) · \(b.segment) · \(x.metricShort(b.metric))"
                let f = { (v: Double?) in x.figure(v, b.metric) }
                body +=
                    "<tr><td>\(e(label))</td><td class=\"n\"><b>\(f(Double(b.target)))</b></td><td class=\"n\">\(x.percent(b.probability))</td>"
                for k in 0..<12 { body += "<td class=\"n\">\(f(k < b.months.count ? b.months[k] : nil))</td>" }
                var notes = b.flags.map { x.branchFlag($0) }
                if let start = x.branchStartNote(b) { notes.insert(start, at: 0) }
                if let own = b.ownTarget, let gap = b.gap {
                    notes.append("\(x.ownProjection) \(f(own)) (\(gap >= 0 ? "+" : "−")\(f(abs(gap))))")
                }
                body += "<td>\(e(notes.joined(separator: "; ")))</td></tr>\n"
            }
            body += "</table></div>\n"
            if anyOwn { body += "<p class=\"small\">\(e(x.branchOwnNote))</p>\n" }
        }

        // Calibration and residuals.
        body +=
            "<h2>\(x.t("Kalibrasi", "Calibration"))</h2>\n<table>"
            + HTMLTable.header([
                x.t("Wilayah", "Region"), x.t("Segmen", "Segment"), x.t("Metode", "Method"),
                x.t("Parameter (SE)", "Parameters (SE)"),
                "RSS", "AICc", x.t("Catatan", "Notes"),
            ])
        for c in calibrations {
            var params = ""
            var rss = ""
            var aicc = ""
            // A fit that does not sit on its data, first (as calibration.csv's fit_check and the warnings).
            var notes = c.fitChecks.map { "⚠ " + $0.phrase.text(indonesian: x.indonesian) } + c.notes.map { $0.text(indonesian: x.indonesian) }
            if case .curve(_, _, let fit) = c.dynamics {
                // The same digits as calibration.csv, with the reader's decimal mark (so "; " between them).
                params = fit.parameters.map {
                    "\($0.name) = \(x.digits(CSVWriter.significant($0.estimate)))\($0.standardError.map { " (\(x.digits(CSVWriter.significant($0))))" } ?? "")"
                }.joined(separator: "; ")
                rss = x.digits(CSVWriter.significant(fit.rss))
                // What calibration.csv shows under the same name: the AICc of the GLS fit's exact
                // likelihood (not the least-squares fit's); `model: auto` ranks by it or by BIC,
                // whichever penalises more (`Calibration.rankingCriterion`; calibration.csv's notes list those).
                aicc = c.aicc.map { x.digits(CSVWriter.significant($0)) } ?? "—"
                notes += fit.warnings.map { $0.text(indonesian: x.indonesian) }
            }
            let lapse = c.lapseSource.isEmpty ? "" : "; \(x.provenanceLapse): \(x.calibration(c.lapseSource))"
            let method = x.calibration(c.method) + lapse
            body += HTMLTable.row([
                .text(c.region), .text(c.segment), .text(method), .text(params), .number(rss), .number(aicc),
                .text(notes.joined(separator: " · ")),
            ])
        }
        body += "</table>\n"
        let fitted = calibrations.compactMap { c -> (SegmentCalibration, FitResult)? in
            if case .curve(_, _, let fit) = c.dynamics { return (c, fit) } else { return nil }
        }
        if !fitted.isEmpty {
            body += "<h2>\(x.t("Diagnostik: residu", "Fit diagnostics: residuals"))</h2>\n"
            for (c, fit) in fitted {
                // The figures the curve was fitted to: those in a stated intervention or a disturbance
                // the figures show are left out of the fit, and so have no residual.
                let leftOut = c.fitChecks.compactMap(\.leftOutWindow)
                let hist = history.series(region: c.region, segment: c.segment, metric: .active).filter { p in
                    p.month <= s.actualsUntil && !s.interventions.contains { $0.contains(p.month) } && !leftOut.contains { $0.contains(p.month) }
                }
                guard !hist.isEmpty, hist.count == fit.residuals.count else { continue }
                var chart = SVGChart(
                    title: "\(c.region) · \(c.segment) — \(x.t("residu", "residuals")) (\(fit.model))",
                    yFormat: { String(format: "%.3g", $0) }, xFormat: yearTick)
                chart.height = 200
                chart.series.append(
                    .init(
                        label: x.t("residu", "residual"), x: hist.map(\.month.decimalYear), y: fit.residuals,
                        kind: .points, color: SVGChart.palette[4]))
                chart.series.append(
                    .init(
                        label: "", x: [hist.first!.month.decimalYear, hist.last!.month.decimalYear], y: [0, 0],
                        kind: .line(dash: "3 3"), color: "#777777"))
                body += "<figure>\(chart.render())</figure>\n"
            }
        }

        return page(title: "RKAT \(planYear) — \(e(s.name))", body: body, indonesian: x.indonesian)
    }

    /// The fan charts per segment and the coverage chart (report.html and the `rkat serve` page: one
    /// chart code path).
    static func charts(
        scenario s: Scenario, history: History, calibrations: [SegmentCalibration], projection: Projection,
        monteCarlo mc: MonteCarlo.Result?, view: PlanYearView, words x: Words
    ) -> String {
        let planYear = view.year
        let targets = view.targets
        func n(_ v: Double?) -> String { x.persons(v) }
        func pct(_ v: Double?) -> String { x.percent(v) }
        let yearTick: (Double) -> String = { ReportWriter.monthTick($0, monthNames: x.monthNames) }
        let personsTick: (Double) -> String = { n($0) }
        let medianLevel = view.medianLevel
        func e(_ v: String) -> String { SVGChart.escape(v) }
        var body = ""
        // Fan charts.
        body += "<h2>\(x.t("Proyeksi per segmen", "Projection by segment"))</h2>\n"
        for cal in calibrations {
            let rows = projection.rows(region: cal.region, segment: cal.segment)
            guard !rows.isEmpty else { continue }
            let cell = mc?.cell(cal.region, cal.segment)
            let t = rows.map(\.month.decimalYear)
            var caption: String? = nil
            var chart = SVGChart(
                title:
                    "\(cal.region) · \(cal.segment) — \(cal.isFlowOnly ? x.t("akuisisi per bulan", "acquisitions per month") : x.t("peserta aktif", "active members"))",
                yFormat: personsTick, xFormat: yearTick)
            // The draws' outer band (P10–P90 at the default levels), where there are two levels at least.
            func bandSeries(_ band: MonteCarlo.Band) {
                guard band.values.count >= 2 else { return }
                let (lo, hi) = (mc!.options.quantiles.first!, mc!.options.quantiles.last!)
                chart.series.append(
                    .init(
                        label: "P\(Whole.clamped(lo * 100))–P\(Whole.clamped(hi * 100))", x: t, y: band.values.first!,
                        kind: .band(upper: band.values.last!), color: SVGChart.palette[0]))
            }
            if cal.isFlowOnly {
                // The realised months of the flow, as the stock charts show the realised stock.
                let hist = history.series(region: cal.region, segment: cal.segment, metric: .acquisitions).filter { $0.month <= s.actualsUntil }
                if !hist.isEmpty {
                    chart.series.append(
                        .init(
                            label: x.t("realisasi", "actual"), x: hist.map(\.month.decimalYear), y: hist.map(\.value), kind: .points,
                            color: SVGChart.palette[6]))
                }
                if let band = cell?.acquisitions { bandSeries(band) }
                chart.series.append(
                    .init(
                        label: x.t("proyeksi", "projection"), x: t, y: rows.map(\.acquisitions), kind: .line(dash: nil),
                        color: SVGChart.palette[0]))
            } else {
                let hist = history.series(region: cal.region, segment: cal.segment, metric: .active)
                // The planner's interventions, and a disturbance the figures show that this cell's fit
                // left out, from the start of their first month to the end of their last.
                chart.shaded = s.interventions.map {
                    ($0.from.decimalYear - 1.0 / 12, $0.to.decimalYear, $0.lasting ? x.t("\($0.label) (bertahan)", "\($0.label) (lasting)") : $0.label)
                }
                    + cal.fitChecks.compactMap(\.leftOutWindow).map {
                        ($0.lowerBound.decimalYear - 1.0 / 12, $0.upperBound.decimalYear, x.t("gangguan terdeteksi", "disturbance found"))
                    }
                chart.series.append(
                    .init(
                        label: x.t("realisasi", "actual"), x: hist.map(\.month.decimalYear), y: hist.map(\.value),
                        kind: .points, color: SVGChart.palette[6]))
                // The curve at the level the figures were recorded at: before a lasting intervention,
                // at the earlier level its figures were rescaled from (a step at the window).
                if case .curve = cal.dynamics, cal.potential != nil, let first = hist.first?.month {
                    let ms = months(from: first, through: s.actualsUntil)
                    chart.series.append(
                        .init(
                            label: x.t("kurva terpasang", "fitted curve"), x: ms.map(\.decimalYear),
                            y: ms.map { cal.fittedCurve(at: $0) ?? 0 },
                            kind: .line(dash: "2 3"), color: SVGChart.palette[2]))
                }
                if let band = cell?.active { bandSeries(band) }
                let median =
                    medianLevel.flatMap { lv in cell?.active.map { $0.values[lv] } } ?? rows.map { $0.active ?? 0 }
                chart.series.append(
                    .init(
                        label: x.t("median proyeksi", "projected median"), x: t, y: median, kind: .line(dash: nil),
                        color: SVGChart.palette[0]))
                if let target = targets.first(where: {
                    $0.region == cal.region && $0.segment == cal.segment && $0.metric == .active
                        && $0.basis == .projection
                }) {
                    // At the end of December of the plan year (its tick reads "Des 2018").
                    chart.series.append(
                        .init(
                            label: "target \(planYear): \(n(target.target))",
                            x: [Month(year: planYear, month: 12).decimalYear], y: [target.target], kind: .points,
                            color: SVGChart.palette[1]))
                }
                // The chart scales to its data: a potential far above it (BPU at 1.4% coverage) would
                // flatten every figure to the axis, so it is then said under the chart instead of drawn.
                let potentials = rows.compactMap(\.potential).filter(\.isFinite)
                let dataTop =
                    chart.series.flatMap { s -> [Double] in
                        if case .band(let upper) = s.kind { return s.y + upper }
                        return s.y
                    }.filter(\.isFinite).max() ?? 0
                if let top = potentials.max(), dataTop > 0, top > Self.potentialFarAbove * dataTop {
                    let last = rows.last!
                    caption = x.t(
                        "Potensi \(n(last.potential)) pada \(yearTick(last.month.decimalYear)) jauh di atas skala grafik (cakupan \(pct(last.coverage))): tidak digambar.",
                        "The potential, \(n(last.potential)) at \(yearTick(last.month.decimalYear)), is far above the chart's scale (coverage \(pct(last.coverage))): not drawn."
                    )
                } else {
                    chart.series.append(
                        .init(
                            label: x.t("potensi", "potential"), x: t, y: rows.map { $0.potential ?? .nan },
                            kind: .line(dash: "8 4"), color: SVGChart.palette[3]))
                }
            }
            body += "<figure>\(chart.render())\(caption.map { "<figcaption>\(e($0))</figcaption>" } ?? "")</figure>\n"
        }

        body += flowCharts(actualsUntil: s.actualsUntil, history: history, projection: projection, monteCarlo: mc, view: view, words: x)

        // Coverage.
        var coverage = SVGChart(
            title: x.t("Cakupan potensi per segmen", "Coverage of potential by segment"), yFormat: { pct($0) },
            xFormat: yearTick)
        for (i, cal) in calibrations.filter({ !$0.isFlowOnly }).enumerated() {
            let rows = projection.rows(region: cal.region, segment: cal.segment)
            coverage.series.append(
                .init(
                    label: "\(cal.region) \(cal.segment)", x: rows.map(\.month.decimalYear),
                    y: rows.map { $0.coverage ?? .nan }, kind: .line(dash: i % 2 == 0 ? nil : "6 3"),
                    color: SVGChart.palette[i % 6]))
        }
        if !coverage.series.isEmpty {
            body += "<h2>\(x.t("Cakupan", "Coverage"))</h2>\n<figure>\(coverage.render())</figure>\n"
        }

        return body
    }

    /// The flows a plan is judged on, per region: acquisitions a month (the joint draws' band and
    /// median, else the projection, with the realised months of the region's TOTAL) and iuran a month
    /// (the phased target on the projection's basis, realised and estimated months marked), in the
    /// table's Rp unit.
    static func flowCharts(
        actualsUntil: Month, history: History, projection: Projection, monteCarlo mc: MonteCarlo.Result?, view: PlanYearView, words: Words
    ) -> String {
        let x = words.forTargets(view)
        let tick: (Double) -> String = { ReportWriter.monthTick($0, monthNames: x.monthNames) }
        var body = ""
        for region in Set(view.targets.filter { $0.scope == .regionTotal }.map(\.region)).sorted() {
            var chart = SVGChart(
                title: "\(region) · TOTAL — \(x.monthlyMetric(.acquisitions))", yFormat: { x.persons($0) }, xFormat: tick)
            // Realised: the history's TOTAL, else the months every persons segment of the region has.
            var realised = history.series(region: region, segment: History.totalSegment, metric: .acquisitions).filter { $0.month <= actualsUntil }
            let segments = view.targets.filter { $0.region == region && $0.scope == .segment && $0.metric == .acquisitions && $0.basis == .projection && $0.countsPersons }.map(\.segment)
            if realised.isEmpty, !segments.isEmpty {
                var sums: [Month: (Double, Int)] = [:]
                for segment in segments {
                    for o in history.series(region: region, segment: segment, metric: .acquisitions) where o.month <= actualsUntil {
                        sums[o.month, default: (0, 0)].0 += o.value
                        sums[o.month, default: (0, 0)].1 += 1
                    }
                }
                realised = sums.filter { $0.value.1 == segments.count }.sorted { $0.key < $1.key }.map { (month: $0.key, value: $0.value.0) }
            }
            if !realised.isEmpty {
                chart.series.append(.init(label: x.t("realisasi", "actual"), x: realised.map(\.month.decimalYear), y: realised.map(\.value), kind: .points, color: SVGChart.palette[6]))
            }
            if let r = mc?.regions.first(where: { $0.region == region }), r.acquisitions.values.count >= 2, let median = view.medianLevel {
                let t = r.months.map(\.decimalYear)
                let (lo, hi) = (mc!.options.quantiles.first!, mc!.options.quantiles.last!)
                chart.series.append(.init(label: "P\(Whole.clamped(lo * 100))–P\(Whole.clamped(hi * 100))", x: t, y: r.acquisitions.values.first!, kind: .band(upper: r.acquisitions.values.last!), color: SVGChart.palette[0]))
                chart.series.append(.init(label: x.t("median proyeksi", "projected median"), x: t, y: r.acquisitions.values[median], kind: .line(dash: nil), color: SVGChart.palette[0]))
            } else {
                var sums: [Month: Double] = [:]
                for row in projection.rows where row.region == region { sums[row.month, default: 0] += row.acquisitions }
                let months = sums.keys.sorted()
                chart.series.append(.init(label: x.t("proyeksi", "projection"), x: months.map(\.decimalYear), y: months.map { sums[$0]! }, kind: .line(dash: nil), color: SVGChart.palette[0]))
            }
            body += "<figure>\(chart.render())</figure>\n"
            // Iuran: each segment's phased iuran target, month by month, its realised months marked.
            let iuran = view.phasing.filter { $0.row.region == region && !$0.row.isTotal && $0.row.metric == .iuran && $0.row.basis == .projection }
            guard !iuran.isEmpty else { continue }
            var money = SVGChart(title: "\(region) — \(x.monthlyMetric(.iuran))", yFormat: { x.figure($0, .iuran) }, xFormat: tick)
            for (k, p) in iuran.enumerated() {
                let months = p.months.filter { $0.value != nil }
                money.series.append(
                    .init(
                        label: "\(p.row.segment) \(x.t("target bulanan", "monthly target"))", x: months.map(\.month.decimalYear), y: months.map { $0.value! },
                        kind: .line(dash: k % 2 == 0 ? "6 3" : "2 3"), color: SVGChart.palette[(k + 1) % 6]))
                let done = months.filter { $0.status == .realised || $0.status == .estimated }
                if !done.isEmpty {
                    money.series.append(
                        .init(label: "\(p.row.segment) \(x.t("realisasi", "actual"))", x: done.map(\.month.decimalYear), y: done.map { $0.value! }, kind: .points, color: SVGChart.palette[(k + 1) % 6]))
                }
            }
            body += "<figure>\(money.render())</figure>\n"
        }
        return body.isEmpty ? "" : "<h2>\(x.t("Akuisisi dan iuran per bulan", "Acquisitions and iuran a month"))</h2>\n" + body
    }

    /// The target table with P(reach) (report.html and the `rkat serve` page).
    static func targetTable(_ view: PlanYearView, words: Words, asFiled: PlanYearView? = nil) -> String {
        let x = words.forTargets(view)
        let planYear = view.year
        let targets = view.targets
        func n(_ v: Double?) -> String { x.persons(v) }
        func pct(_ v: Double?) -> String { x.percent(v) }
        func e(_ v: String) -> String { SVGChart.escape(v) }
        var body =
            "<table class=\"targets\">"
            + HTMLTable.header([
                x.region, x.segment, x.metricHeader, x.basisHeader, x.realisation, x.lastTarget, x.target, x.pReach,
                x.flags,
                x.lastRealisationThrough, x.realisedToDate(planYear),
            ] + (asFiled == nil ? [] : [x.t("Selisih dari skenario", "Difference from the scenario")]))
        for r in targets {
            let n = { (v: Double?) in x.figure(v, r.metric) }
            let through = r.realisedThrough.map { "<br>(\(x.realisedThrough) \(e(x.monthYear($0))))" } ?? ""
            let realised = n(r.realisedToDate) + through
            body += HTMLTable.row([
                .text(r.region), .text(r.segment), .text(x.metric(r.metric, r.unit)), .text(x.basis(r.basis)),
                .number(n(r.lastRealisation)), .number(n(r.lastTarget)),
                .markup("<b>\(n(r.target))</b>", numeric: true),
                .number(pct(r.probability)), .text(r.flags.map(x.flag).joined(separator: "; ")),
                .text(x.monthYear(r.lastRealisationThrough)), .markup(realised, numeric: true),
            ] + (asFiled.map { filed in [.number(difference(r, from: filed, words: x))] } ?? []))
        }
        body += "</table>\n"
        for line in targets.compactMap({ x.workersPerCompany($0, year: planYear) }) { body += "<p>\(e(line))</p>\n" }
        if targets.contains(where: { $0.metric == .reactivations }) {
            body += "<p class=\"small\">\(e(x.reactivationNote))</p>\n"
        }
        return body
    }

    /// A target's difference from the same row of the scenario as filed: signed, in the row's unit;
    /// "—" where the filed scenario has no such row.
    static func difference(_ r: TargetRow, from filed: PlanYearView, words x: Words) -> String {
        guard let f = filed.targets.first(where: { $0.region == r.region && $0.segment == r.segment && $0.metric == r.metric && $0.basis == r.basis }) else {
            return "—"
        }
        return x.signedFigure(r.target - f.target, r.metric)
    }

    /// The page around a report's body: inline CSS only, A4 print rules.
    /// A stock chart leaves out a potential more than this many times its highest figure.
    static let potentialFarAbove = 2.0

    /// A time tick names the month it ends: t = year + m/12 is the end of month m, so a whole year is
    /// the end of December of the year before ("Des 2018" at t = 2019).
    static func monthTick(_ t: Double, monthNames: [String]) -> String {
        let months = Whole.clamped(t * 12, .toNearestOrAwayFromZero) - 1
        let m = (months % 12 + 12) % 12
        let year = (months - m) / 12
        return "\(monthNames[m]) \(year)"
    }

    static func page(title: String, body: String, indonesian id: Bool) -> String {
        """
        <!DOCTYPE html>
        <html lang="\(id ? "id" : "en")">
        <head>
        <meta charset="utf-8">
        <title>\(title)</title>
        <style>
        body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 24px; color: #111; max-width: 1000px; }
        h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #999; page-break-after: avoid; }
        table { border-collapse: collapse; font-size: 12px; margin: 8px 0; }
        th, td { border: 1px solid #bbb; padding: 3px 6px; vertical-align: top; }
        th { background: #eee; text-align: left; } td.n { text-align: right; white-space: nowrap; }
        table.small td, table.small th { font-size: 11px; }
        table.meta th { width: 160px; }
        figure { margin: 8px 0 16px; }
        .chart-title { font-size: 13px; font-weight: bold; } .tick { font-size: 10px; fill: #333; }
        .legend { font-size: 10px; } .grid { stroke: #ddd; stroke-width: 1; } .axis { stroke: #333; stroke-width: 1; }
        .wide { overflow-x: auto; } .wide th:first-child, .wide td:first-child { position: sticky; left: 0; background: #fff; }
        .wide th:first-child { background: #eee; }
        @page wide { size: A4 landscape; }
        @media print { body { margin: 10mm; max-width: none; } figure, table { page-break-inside: avoid; }
          .wide { page: wide; overflow: visible; } .wide table { font-size: 10px; page-break-inside: auto; }
          section.summary { page-break-after: always; } section.summary h2 { margin-top: 8px; }
          section.summary figure { margin: 4px 0; } section.summary figure svg { width: 80%; }
          section.summary table { font-size: 9px; width: 100%; } section.summary td, section.summary th { padding: 2px 4px; }
          section.summary td:first-child { white-space: nowrap; } }
        @page { size: A4; }
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }
}

extension ReportWriter {
    /// `rkat compare`'s page: year-end active per scenario (P50 with P10–P90 whiskers, total over the
    /// first region) and, per region and segment, the plan-year figures with the difference from the
    /// first scenario.
    static func comparisonHTML(_ runs: [(name: String, figures: [PlanYearFigure])], runDate: Date, words x: Words)
        -> String
    {
        func n(_ v: Double?) -> String { x.persons(v) }
        func e(_ v: String) -> String { SVGChart.escape(v) }
        var body = "<h1>\(x.t("Perbandingan skenario", "Scenario comparison"))</h1>\n"
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withFullDate]
        body += "<p>\(x.t("Tanggal jalan", "Run date")): \(iso.string(from: runDate))</p>\n"
        let regions = runs.first.map { r in r.figures.filter { $0.isTotal }.map(\.region) } ?? []
        for region in regions {
            var bars = SVGChart(
                title: "\(region) — \(x.t("peserta aktif akhir tahun (total)", "year-end active (total)"))",
                yFormat: { n($0) }, xFormat: { String(Whole.clamped($0)) })
            let totals = runs.map { r in r.figures.first { $0.region == region && $0.isTotal } }
            bars.categories = runs.map(\.name)
            bars.series.append(
                .init(
                    label: totals.contains { $0?.basis == .p50 } ? "P50" : x.figureBasis(.deterministic),
                    x: totals.indices.map(Double.init),
                    y: totals.map { $0?.shownYearEndActive ?? 0 },
                    kind: .bars(
                        low: totals.map { $0?.activeQuantiles?.first ?? $0?.yearEndActive ?? 0 },
                        high: totals.map { $0?.activeQuantiles?.last ?? $0?.yearEndActive ?? 0 }),
                    color: SVGChart.palette[0]))
            body += "<figure>\(bars.render())</figure>\n"
        }
        // The terminal's table, cell for cell (Words.compareHeader, ComparedFigure).
        let compared = ComparedFigure.rows(runs), unit = Words.compareUnit(compared)
        body += "<table>" + HTMLTable.header(x.compareHeader(unit))
        for c in compared {
            let cells = x.compareCells(c, unit)
            body += HTMLTable.row(cells.prefix(5).map { .text($0) } + cells.dropFirst(5).map { .number($0) })
        }
        body += "</table>\n<p>\(e(x.figureBasisNote))</p>\n<p>\(e(x.compareNote(first: runs.first?.name ?? "", unit: unit, partYear: compared.contains { $0.figure.acquisitionsPartYear }, projected: Words.projectedAcquisitions(compared))))</p>\n"
        return page(title: x.t("Perbandingan skenario", "Scenario comparison"), body: body, indonesian: x.indonesian)
    }
}

/// The report's parts other pages show (the `rkat serve` page): the same code as report.html.
public enum ReportParts {
    /// The fan charts per segment and the coverage chart, as inline SVG with their headings.
    public static func charts(_ c: RunJob.Computed, words: Words) -> String {
        ReportWriter.charts(
            scenario: c.checked.document.scenario, history: c.checked.history.history,
            calibrations: c.checked.calibrations,
            projection: c.projection, monteCarlo: c.monteCarlo, view: c.view, words: words)
    }

    /// The target table with P(reach); with `asFiled`, a last column with each target's difference
    /// from the scenario as filed (the what-if page).
    public static func targetTable(_ c: RunJob.Computed, words: Words, asFiled: PlanYearView? = nil) -> String {
        ReportWriter.targetTable(c.view, words: words, asFiled: asFiled)
    }

    /// The page's inline CSS rules for charts and tables (the report's own).
    public static var style: String {
        let page = ReportWriter.page(title: "", body: "", indonesian: true)
        guard let a = page.range(of: "<style>\n"), let b = page.range(of: "</style>") else { return "" }
        return String(page[a.upperBound..<b.lowerBound])
    }
}
