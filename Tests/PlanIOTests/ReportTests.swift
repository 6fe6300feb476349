import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@testable import PlanIO

@Suite struct SVGChartTests {
    @Test func ticksAreRoundNumbersCoveringTheRange() {
        #expect(SVGChart.ticks(0, 1_000_000) == [0, 200_000, 400_000, 600_000, 800_000, 1_000_000])
        #expect(SVGChart.ticks(2017.2, 2019.9, count: 6) == [2017.5, 2018, 2018.5, 2019, 2019.5])
        #expect(SVGChart.timeTicks(2025.05, 2026) == [2025.25, 2025.5, 2025.75, 2026])
        #expect(SVGChart.timeTicks(2012, 2020) == [2012, 2014, 2016, 2018, 2020])
    }

    @Test func chartsAreWellFormedXMLWithEscapedText() throws {
        var chart = SVGChart(title: "PU <Sumbagut> & \"BPU\"", yFormat: { String(Int($0)) }, xFormat: { String(Int($0)) })
        chart.series.append(.init(label: "band", x: [2018, 2019], y: [1, 2], kind: .band(upper: [3, 4]), color: SVGChart.palette[0]))
        chart.series.append(.init(label: "median", x: [2018, 2019], y: [2, 3], kind: .line(dash: "4 2"), color: SVGChart.palette[1]))
        chart.series.append(.init(label: "actual", x: [2018], y: [2.5], kind: .points, color: SVGChart.palette[2]))
        let svg = chart.render()
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(svg.contains("PU &lt;Sumbagut&gt; &amp; &quot;BPU&quot;"))
        #expect(svg.contains("<polygon") && svg.contains("<polyline") && svg.contains("<circle"))
    }
}

/// Charts a person reads (issue 14): ticks name the month they end; stock charts scale to their data.
@Suite struct ChartReadingTests {
    @Test func ticksNameTheMonthTheyEnd() {
        let id = Words(indonesian: true).monthNames
        #expect(ReportWriter.monthTick(2019.0, monthNames: id) == "Des 2018")
        #expect(ReportWriter.monthTick(2018.25, monthNames: id) == "Mar 2018")
        #expect(ReportWriter.monthTick(2018.0 + 1.0 / 12, monthNames: id) == "Jan 2018")
        #expect(ReportWriter.monthTick(0, monthNames: id) == "Des -1")
    }
}
