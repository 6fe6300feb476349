import Foundation
import Testing

@testable import PlanIO
@testable import Planning

/// The report's first page for management (issue 29), on Jatim 2017 (three stated assumptions):
/// every target of the projection with its P(tercapai) and the rule's targets beside it, the three
/// assumptions in the order of their swing, each bar from its P50 at the assumption's P10 to its P50
/// at the P90, and the page break after it when printed.
@Suite struct ReportSummaryTests {
    @Test func theSummaryCarriesTheTargetsAndTheLargestAssumptions() throws {
        let c = try RunJob.compute(scenarioPath: RunCommandTests.scenario("jatim-2017"), settings: RunJob.Settings(draws: 300, threads: 2))
        let words = Words(indonesian: true)
        let html = RunJob.reportHTML(c, words: words, now: Date(timeIntervalSince1970: 0))
        let section = try #require(html.range(of: "<section class=\"summary\">").flatMap { start in html.range(of: "</section>", range: start.upperBound..<html.endIndex).map { html[start.lowerBound..<$0.upperBound] } })
        // Before anything else of the report but its title and description.
        #expect(html.range(of: "<section class=\"summary\">")!.lowerBound < html.range(of: "<table class=\"meta\">")!.lowerBound)
        let rows = String(section).components(separatedBy: "<tr>").dropFirst(2)  // the header row, then the targets
        let projection = c.view.targets.filter { $0.basis == .projection }
        #expect(rows.count == projection.count)
        let x = words.forTargets(c.view)
        for (row, r) in zip(rows, projection) {
            #expect(row.contains("<b>\(x.figure(r.target, r.metric))</b>") && row.contains(x.percent(r.probability)), "\(r.segment) \(r.metric)")
            for rule in c.view.targets where rule.region == r.region && rule.segment == r.segment && rule.metric == r.metric && rule.basis != .projection {
                #expect(row.contains("\(x.basis(rule.basis)): \(x.figure(rule.target, rule.metric))"))
            }
        }
        // The tornado: Jatim states three assumptions; the bars come widest first.
        #expect(c.tornado.count == 3)
        #expect(zip(c.tornado, c.tornado.dropFirst()).allSatisfy { $0.swing >= $1.swing })
        var last = section.startIndex
        for bar in c.tornado {
            let name = try #require(section.range(of: x.assumptionName(bar.assumption), range: last..<section.endIndex), "\(bar.assumption) out of order")
            last = name.upperBound
            let (a, b) = (min(bar.atLow, bar.atHigh), max(bar.atLow, bar.atHigh))
            #expect(section.contains(">\(x.figure(a, bar.metric))<") && section.contains(">\(x.figure(b, bar.metric))<"))
        }
        // A plan of more than 16 rows on the projection's basis shows its totals only (the page must
        // hold the tornado and the fan too); 16 rows are all shown.
        var view = c.view
        let projectionRows = view.targets.filter { $0.basis == .projection }
        func shown(_ v: PlanYearView) -> Int { ReportSummary.targets(v, words: x).components(separatedBy: "<tr>").count - 2 }
        view.targets = (0..<3).flatMap { k in projectionRows.map { r in var r = r; r.region += " \(k)"; return r } }
        #expect(view.targets.count > 16 && shown(view) == view.targets.filter(\.isTotal).count)
        view.targets = Array(view.targets.prefix(16))
        #expect(shown(view) == 16)
        // Printed, the summary is page one on its own.
        #expect(html.contains("section.summary { page-break-after: always; }"))
    }
}

/// A tornado bar's label names the assumption's P10–P90 to three significant figures (hand-rounded):
/// enough to tell 0.812 from 0.81 on a rate, no false precision on a wage.
@Suite struct TornadoLabelRoundingTests {
    @Test(arguments: [(0.8123, 0.812), (0.15649, 0.156), (1_234.5, 1_230), (-0.045_67, -0.045_7), (3_887_500, 3_890_000), (0, 0)])
    func threeSignificantFigures(_ c: (Double, Double)) {
        let got = ReportSummary.rounded(c.0)
        #expect(abs(got - c.1) <= 1e-9 * max(1, abs(c.1)), "\(c.0) → \(got)")
    }
}

/// A flow segment's chart shows its realised months as a stock's chart shows its realised stock
/// (issue 29): the mid-year fixture's JAKON, one point per month of the history up to actuals_until.
@Suite struct FlowChartHistoryTests {
    @Test func aFlowChartShowsItsRealisedMonths() throws {
        let c = try RunJob.compute(scenarioPath: PlanYearLedgerTests.fixture.appendingPathComponent("scenario.yaml").path, settings: RunJob.Settings(draws: 0))
        let html = RunJob.reportHTML(c, words: Words(indonesian: true), now: Date(timeIntervalSince1970: 0))
        let chart = try #require(html.components(separatedBy: "<svg").first { $0.contains("Synthetica · JAKON — akuisisi per bulan") })
        let history = try PlanYearLedgerTests.history()
        let months = history.keys.filter { $0.hasPrefix("JAKON/acquisitions/") && String($0.suffix(7)) <= "2018-06" }.count
        #expect(months == 54)  // 2014-01 … 2018-06
        // One point a realised month (the legend's marker is a circle too).
        #expect(chart.components(separatedBy: "<circle").count - 1 == months + 1)
    }

    /// The region's acquisitions a month (issue 29): realised as the sum of its persons segments
    /// where each has the month (the fixture has no TOTAL rows), one point a month; and iuran a
    /// month, each segment's phased target with its realised months of the plan year (January–June).
    @Test func acquisitionsAndIuranChartsShowTheRealisedMonths() throws {
        let iuran = "segments.PU.iuran={stated_rp: 150000, collection: 0.95}"
        let c = try RunJob.compute(
            scenarioPath: PlanYearLedgerTests.fixture.appendingPathComponent("scenario.yaml").path, overrides: [iuran], settings: RunJob.Settings(draws: 200))
        let html = RunJob.reportHTML(c, words: Words(indonesian: true), now: Date(timeIntervalSince1970: 0))
        let svgs = html.components(separatedBy: "<svg")
        let acquisitions = try #require(svgs.first { $0.contains("Synthetica · TOTAL — Akuisisi per bulan") })
        let history = try PlanYearLedgerTests.history()
        let both = history.keys.filter { $0.hasPrefix("PU/acquisitions/") && String($0.suffix(7)) <= "2018-06" }
            .filter { history["JAKON/acquisitions/" + String($0.suffix(7))] != nil }.count
        #expect(both == 54)
        #expect(acquisitions.components(separatedBy: "<circle").count - 1 == both + 1)  // + the legend's marker
        #expect(acquisitions.contains("P10–P90") && acquisitions.contains("median proyeksi"))
        let money = try #require(svgs.first { $0.contains("Synthetica — Penerimaan iuran per bulan (Rp") })
        #expect(money.contains("PU target bulanan") && money.components(separatedBy: "<circle").count - 1 == 6 + 1)
    }
}
