import Foundation
import Planning

/// One figure of a comparison (`rkat compare`, a sweep) as every output shows it: on its shown basis
/// (P50 of the draws, or the deterministic projection without draws) with the differences from the
/// first scenario or combination on the same basis. The terminal, compare.csv, sweep.csv and
/// report.html all render these, so a label means the same number in each.
public struct ComparedFigure: Sendable {
    public var name: String
    public var figure: PlanYearFigure
    /// Shown year-end active minus the baseline's: the first run's, or the scenario's own figures for a
    /// sweep (nil when either has no stock or their bases differ).
    public var activeVsFirst: Double?
    var acquisitionsVsFirst: Double?
    /// Shown iuran minus the baseline's (nil without iuran on either side or on another basis).
    public var iuranVsFirst: Double?

    /// `baseline`: the figures the differences are taken from (a sweep's: the scenario's own values);
    /// without one, the first run's (compare: the first scenario).
    public static func rows(_ runs: [(name: String, figures: [PlanYearFigure])], baseline: [PlanYearFigure]? = nil) -> [ComparedFigure] {
        let first = baseline ?? runs.first?.figures ?? []
        return runs.flatMap { run in
            run.figures.map { f in
                let base = first.first { $0.region == f.region && $0.segment == f.segment }
                let same = base?.basis == f.basis
                return ComparedFigure(
                    name: run.name, figure: f,
                    activeVsFirst: same ? f.shownYearEndActive.flatMap { a in base?.shownYearEndActive.map { a - $0 } } : nil,
                    acquisitionsVsFirst: same ? base.map { f.shownAcquisitions - $0.shownAcquisitions } : nil,
                    iuranVsFirst: same ? f.shownIuran.flatMap { i in base?.shownIuran.map { i - $0 } } : nil)
            }
        }
    }
}

/// sweep.csv and compare.csv: plan-year figures side by side (raw numbers). `year_end_active`,
/// `acquisitions`, `coverage` and the `_vs_first` differences are the shown figures (their `basis`
/// column says p50 or deterministic), as in the terminal and the report; the deterministic
/// projection and the quantiles follow in their own columns.
enum ComparisonWriter {
    /// `versus`: what the differences are taken from, in their column names (`first`: compare's first
    /// scenario; `scenario`: a sweep's scenario as filed).
    static func figureHeader(_ levels: [Double], versus: String = "first") -> [String] {
        ["plan_year", "region", "segment", "basis", "year_end_active"] + levels.map { "year_end_active_\(UncertaintyWriter.levelName($0))" }
            + ["acquisitions"] + levels.map { "acquisitions_\(UncertaintyWriter.levelName($0))" } + ["potential", "coverage"]
            + ["year_end_active_deterministic", "acquisitions_deterministic", "year_end_active_vs_\(versus)", "acquisitions_vs_\(versus)"]
            + ["iuran", "iuran_deterministic", "iuran_vs_\(versus)", "acquisitions_part_year"]
    }

    static func figureFields(_ c: ComparedFigure, levels: [Double]) -> [String] {
        let f = c.figure
        return ["\(f.year)", f.region, f.segment, f.basis.rawValue, CSVWriter.persons(f.shownYearEndActive)]
            + levels.indices.map { CSVWriter.persons(f.activeQuantiles?[$0]) }
            + [CSVWriter.persons(f.shownAcquisitions)] + levels.indices.map { CSVWriter.persons(f.acquisitionQuantiles?[$0]) }
            + [CSVWriter.persons(f.potential), CSVWriter.fixed(f.shownCoverage, 6)]
            + [CSVWriter.persons(f.yearEndActive), CSVWriter.persons(f.acquisitions), CSVWriter.persons(c.activeVsFirst), CSVWriter.persons(c.acquisitionsVsFirst)]
            + [CSVWriter.persons(f.shownIuran), CSVWriter.persons(f.iuran), CSVWriter.persons(c.iuranVsFirst), f.acquisitionsPartYear ? "true" : "false"]
    }

    /// A sweep's rows, each combination's differences taken from the scenario's own figures (its
    /// values as filed: `scenario`), not from the first combination.
    static func sweepCSV(_ rows: [RunJob.SweepRow], levels: [Double], scenario: [PlanYearFigure]) -> String {
        let keys = rows.first?.overrides.map(\.key) ?? []
        var w = CSVWriter(header: keys + figureHeader(levels, versus: "scenario"))
        let compared = ComparedFigure.rows(rows.map { r in (r.overrides.map(\.value).joined(separator: " / "), r.figures) }, baseline: scenario)
        var k = 0
        for r in rows {
            // The swept values as numbers (1209600000, not the scenario's 1_209_600_000).
            let values = r.overrides.map { o in
                o.value.hasSuffix("%") ? ScalarText.fraction(o.value).map(shortNumber) ?? o.value : ScalarText.jsonNumber(o.value) ?? o.value
            }
            for _ in r.figures {
                w.row(values + figureFields(compared[k], levels: levels))
                k += 1
            }
        }
        return w.text
    }

    static func compareCSV(_ runs: [(name: String, figures: [PlanYearFigure])], levels: [Double]) -> String {
        var w = CSVWriter(header: ["scenario"] + figureHeader(levels))
        for c in ComparedFigure.rows(runs) { w.row([c.name] + figureFields(c, levels: levels)) }
        return w.text
    }
}
