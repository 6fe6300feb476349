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
        // Printed, the summary is page one on its own.
        #expect(html.contains("section.summary { page-break-after: always; }"))
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
}
