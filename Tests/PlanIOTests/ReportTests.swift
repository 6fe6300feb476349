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

    /// The time axis' labels never overlap, measured with DejaVu Sans' advance widths (the report's
    /// font, from the font file: thousandths of an em) at the 10 px tick size: month ticks over Jatim's
    /// 2.4 years (quarterly, the last two 3 months apart at the right edge) and a dense 12-year span.
    @Test func timeLabelsNeverOverlap() throws {
        let dejaVu: [Character: Double] = [
            " ": 318, "0": 636, "1": 636, "2": 636, "3": 636, "4": 636, "5": 636, "6": 636, "7": 636, "8": 636, "9": 636, "A": 684,
            "D": 770, "F": 575, "J": 295, "M": 863, "N": 748, "O": 787, "S": 635, "a": 613, "b": 635, "c": 550, "e": 615, "g": 635,
            "i": 278, "k": 579, "l": 278, "n": 634, "o": 612, "p": 635, "r": 411, "s": 521, "t": 392, "u": 634, "v": 592, "y": 592,
        ]
        let names = ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
        for (from, to) in [(2016.6, 2019.0), (2017.9, 2018.99), (2012.0, 2024.0), (2024.95, 2026.0)] {
            var chart = SVGChart(title: "t", yFormat: { String(Int($0)) }, xFormat: { ReportWriter.monthTick($0, monthNames: names) })
            chart.series.append(.init(label: "a", x: [from, to], y: [1, 2], kind: .line(dash: nil), color: SVGChart.palette[0]))
            let svg = chart.render()
            let pattern = try Regex(#"<text x="([0-9.]+)" y="[0-9.]+" text-anchor="(middle|end)" class="tick x">([^<]*)</text>"#)
            var boxes: [(Double, Double)] = []
            for m in svg.matches(of: pattern) {
                let x = Double(m.output[1].substring!)!, anchor = String(m.output[2].substring!), label = String(m.output[3].substring!)
                let w = label.reduce(0.0) { $0 + dejaVu[$1]! } / 1000 * 10
                boxes.append(anchor == "end" ? (x - w, x) : (x - w / 2, x + w / 2))
                #expect((anchor == "end" ? x : x + w / 2) <= chart.width, "\(label) past the right edge")
            }
            #expect(boxes.count >= 2, "\(from)–\(to)")
            for (a, b) in zip(boxes, boxes.dropFirst()) { #expect(a.1 + 2 <= b.0, "\(from)–\(to): \(a) then \(b)") }
        }
    }

    /// A flat series of large figures, or two a unit of the last place apart, draws (it once looped,
    /// stepping by less than the last place, until memory ran out): a span of at least 1 and a
    /// millionth of the figures, a handful of ticks.
    @Test func aFlatSeriesOfLargeFiguresDraws() {
        let big = 4_123_456_789_012.5
        #expect(SVGChart.ticks(big, big.nextUp).count <= 2)
        for ys in [[big, big], [big, big.nextUp], [0, 0], [-big, -big]] {
            var chart = SVGChart(title: "t", yFormat: { String($0) }, xFormat: { String($0) })
            chart.series.append(.init(label: "a", x: [2018, 2019], y: ys, kind: .line(dash: nil), color: SVGChart.palette[0]))
            let ticks = chart.render().components(separatedBy: "class=\"grid\"").count - 1
            #expect(ticks >= 2 && ticks <= 12, "\(ys): \(ticks) ticks")
        }
    }

    /// A shaded span (an intervention) is drawn from its start to its end in plot coordinates, clipped
    /// to the x range, labelled, and left out when it lies outside: x 2016–2020 on 78 … 704 px (720 wide,
    /// margins 78 and 16), so 2017–2018 is 156.5 px from x = 234.5; 2015–2017 is clipped at 78.
    @Test func shadedSpansSitUnderTheSeriesInPlotCoordinates() {
        var chart = SVGChart(title: "t", yFormat: { String($0) }, xFormat: { String($0) })
        chart.series.append(.init(label: "a", x: [2016, 2020], y: [1, 2], kind: .line(dash: nil), color: SVGChart.palette[0]))
        chart.shaded = [(2017, 2018, "COVID"), (2015, 2017, "A & B"), (2021, 2022, "later")]
        let svg = chart.render()
        #expect(svg.contains("<rect x=\"234.5\" y=\"28.0\" width=\"156.5\" height=\"226.0\" fill=\"#000000\" fill-opacity=\"0.08\" class=\"shaded\"/>"))
        #expect(svg.contains("<rect x=\"78.0\" y=\"28.0\" width=\"156.5\""))
        #expect(svg.contains(">COVID</text>") && svg.contains(">A &amp; B</text>") && !svg.contains("later"))
        #expect(svg.range(of: "class=\"shaded\"")!.lowerBound < svg.range(of: "<polyline")!.lowerBound)
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
