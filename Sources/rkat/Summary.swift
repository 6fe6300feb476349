import Foundation
import PlanIO
import Planning

/// Labels for the terminal summary: Indonesian by default, English with --lang en.
struct Labels {
    let lang: Language
    init(_ lang: Language) { self.lang = lang }

    var valid: String { lang == .id ? "Skenario valid" : "Scenario valid" }
    var regions: String { lang == .id ? "wilayah" : "region(s)" }
    var segments: String { lang == .id ? "segmen" : "segment(s)" }
    var lapse: String { lang == .id ? "tingkat non-aktif:" : "lapse rate:" }
    var written: String { lang == .id ? "Ditulis ke" : "Written to" }
    var progress: String { lang == .id ? "Simulasi" : "Simulating" }
    var compareHeader: [String] {
        lang == .id
            ? ["Skenario", "Wilayah", "Segmen", "Aktif akhir tahun", "P10–P90", "Akuisisi", "Cakupan", "Selisih aktif"]
            : ["Scenario", "Region", "Segment", "Year-end active", "P10–P90", "Acquisitions", "Coverage", "Active vs first"]
    }
    var header: [String] {
        lang == .id
            ? ["Wilayah", "Segmen", "Bulan", "Peserta aktif", "Akuisisi (tahun)", "Potensi", "Cakupan"]
            : ["Region", "Segment", "Month", "Active", "Acquisitions (year)", "Potential", "Coverage"]
    }

    /// 1.704.308 (id) or 1,704,308 (en): the format of the target tables.
    func persons(_ v: Double?) -> String { TargetsText.persons(v, indonesian: lang == .id) }

    func percent(_ v: Double?) -> String { TargetsText.percent(v, indonesian: lang == .id) }
}

enum Summary {
    /// Plan-year figures of several scenarios, with the difference from the first.
    static func comparison(_ runs: [(name: String, figures: [PlanYearFigure])], labels t: Labels) -> String {
        var rows = [t.compareHeader]
        let first = runs.first?.figures ?? []
        for run in runs {
            for f in run.figures {
                let base = first.first { $0.region == f.region && $0.segment == f.segment }
                let band = f.activeQuantiles.map { q in "\(t.persons(q.first))–\(t.persons(q.last))" } ?? "—"
                let diff = f.yearEndActive.flatMap { a in base?.yearEndActive.map { a - $0 } }
                rows.append([run.name, f.region, f.segment, t.persons(f.activeQuantiles.map { $0[$0.count / 2] } ?? f.yearEndActive), band, t.persons(f.acquisitions), t.percent(f.coverage), diff.map { ($0 >= 0 ? "+" : "") + t.persons($0) } ?? "—"])
            }
        }
        return table(rows, leftColumns: 3)
    }

    static func table(_ rows: [[String]], leftColumns: Int) -> String {
        let widths = (0..<rows[0].count).map { j in rows.map { $0[j].count }.max()! }
        return rows.map { r in
            r.enumerated().map { j, v in j < leftColumns ? v.padding(toLength: widths[j], withPad: " ", startingAt: 0) : String(repeating: " ", count: widths[j] - v.count) + v }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }

    /// Year-end figures of each projected year's last month, per region × segment.
    static func text(_ o: RunJob.Outcome, labels t: Labels) -> String {
        var rows = [t.header]
        let s = o.checked.document.scenario
        for region in s.regions {
            for seg in s.segments {
                let series = o.projection.rows(region: region.name, segment: seg.name)
                for year in Set(series.map(\.month.year)).sorted() {
                    let inYear = series.filter { $0.month.year == year }
                    let last = inYear.last!
                    let acquisitions = inYear.reduce(0) { $0 + $1.grossAcquisitions + $1.villageInflow }
                    rows.append([region.name, seg.name, last.month.description, t.persons(last.active), t.persons(acquisitions), t.persons(last.potential), t.percent(last.coverage)])
                }
            }
        }
        var text = table(rows, leftColumns: 3)
        if let mc = o.monteCarlo {
            let figures = PlanYearSummary.figures(s, projection: o.projection, monteCarlo: mc)
            let levels = mc.options.quantiles.map { UncertaintyWriter.levelName($0).uppercased() }
            var u = [[t.header[0], t.header[1], "\(PlanYearSummary.planYear(s))"] + levels]
            for f in figures where f.activeQuantiles != nil {
                u.append([f.region, f.segment, t.header[3]] + f.activeQuantiles!.map { t.persons($0) })
            }
            text += "\n" + (t.lang == .id ? "Ketidakpastian" : "Uncertainty") + " (\(mc.options.draws) draws, seed \(mc.options.seed)):\n" + table(u, leftColumns: 3)
        }
        return text
    }
}
