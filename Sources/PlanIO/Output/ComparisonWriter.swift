import Foundation
import Planning

/// sweep.csv and compare.csv: plan-year figures side by side (raw numbers).
enum ComparisonWriter {
    static func figureHeader(_ levels: [Double]) -> [String] {
        ["region", "segment", "year_end_active"] + levels.map { "year_end_active_\(UncertaintyWriter.levelName($0))" }
            + ["acquisitions"] + levels.map { "acquisitions_\(UncertaintyWriter.levelName($0))" } + ["potential", "coverage"]
    }

    static func figureFields(_ f: PlanYearFigure, levels: [Double]) -> [String] {
        [f.region, f.segment, CSVWriter.persons(f.yearEndActive)]
            + levels.indices.map { CSVWriter.persons(f.activeQuantiles?[$0]) }
            + [CSVWriter.persons(f.acquisitions)] + levels.indices.map { CSVWriter.persons(f.acquisitionQuantiles?[$0]) }
            + [CSVWriter.persons(f.potential), CSVWriter.fixed(f.coverage, 6)]
    }

    static func sweepCSV(_ rows: [RunJob.SweepRow], levels: [Double]) -> String {
        let keys = rows.first?.overrides.map(\.key) ?? []
        var w = CSVWriter(header: keys + figureHeader(levels) + ["year_end_active_vs_first", "acquisitions_vs_first"])
        let first = rows.first?.figures ?? []
        for r in rows {
            let values = r.overrides.map(\.value)
            for (i, f) in r.figures.enumerated() {
                let base = first[i]
                let dActive = f.yearEndActive.flatMap { a in base.yearEndActive.map { a - $0 } }
                w.row(values + figureFields(f, levels: levels) + [CSVWriter.persons(dActive), CSVWriter.persons(f.acquisitions - base.acquisitions)])
            }
        }
        return w.text
    }

    static func compareCSV(_ runs: [(name: String, figures: [PlanYearFigure])], levels: [Double]) -> String {
        var w = CSVWriter(header: ["scenario"] + figureHeader(levels) + ["year_end_active_vs_first", "acquisitions_vs_first"])
        let first = runs.first?.figures ?? []
        for run in runs {
            for f in run.figures {
                let base = first.first { $0.region == f.region && $0.segment == f.segment }
                let dActive = f.yearEndActive.flatMap { a in base?.yearEndActive.map { a - $0 } }
                w.row([run.name] + figureFields(f, levels: levels) + [CSVWriter.persons(dActive), CSVWriter.persons(base.map { f.acquisitions - $0.acquisitions })])
            }
        }
        return w.text
    }
}
