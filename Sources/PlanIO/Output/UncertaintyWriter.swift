import Foundation
import Planning

/// uncertainty.csv: quantiles per month × region × segment (and region TOTAL from the joint draws;
/// with several regions, region ALL: their total, summed draw by draw)
/// for active, acquisitions and coverage; one column per quantile level (p10, p50, p90 by default).
enum UncertaintyWriter {
    static func levelName(_ q: Double) -> String {
        let pct = q * 100
        let s = pct == pct.rounded() ? String(Whole.clamped(pct)) : String(format: "%g", pct)
        return "p" + s
    }

    static func csv(_ r: MonteCarlo.Result) -> String {
        var w = CSVWriter(header: ["month", "region", "segment", "metric"] + r.options.quantiles.map(levelName))
        func rows(_ region: String, _ segment: String, _ months: [Month], _ metric: String, _ band: MonteCarlo.Band?, digits: Int) {
            guard let band else { return }
            for (k, m) in months.enumerated() {
                w.row([m.description, region, segment, metric] + band.values.map { CSVWriter.fixed($0[k], digits) })
            }
        }
        for c in r.cells {
            rows(c.region, c.segment, c.months, "active", c.active, digits: 2)
            rows(c.region, c.segment, c.months, "acquisitions", c.acquisitions, digits: 2)
            rows(c.region, c.segment, c.months, "coverage", c.coverage, digits: 6)
        }
        // The regions' total (region ALL) after them, from the joint draws.
        for g in r.regions + (r.total.map { [$0] } ?? []) {
            rows(g.region, History.totalSegment, g.months, "active", g.active, digits: 2)
            rows(g.region, History.totalSegment, g.months, "acquisitions", g.acquisitions, digits: 2)
            rows(g.region, History.totalSegment, g.months, "coverage", g.coverage, digits: 6)
        }
        return w.text
    }
}
