import Foundation
import PlanIO
import Planning

extension Language {
    /// The terms and number formats of the terminal (one table with the other outputs).
    var words: Words { Words(indonesian: self == .id) }
}

enum Summary {
    /// Plan-year figures of several scenarios, with the difference from the first.
    static func comparison(_ runs: [(name: String, figures: [PlanYearFigure])], words t: Words) -> String {
        let compared = ComparedFigure.rows(runs), unit = Words.compareUnit(compared)
        let rows = [t.compareHeader(unit)] + compared.map { t.compareCells($0, unit) }
        return table(rows, leftColumns: 5) + t.figureBasisNote + "\n" + t.compareNote(first: runs.first?.name ?? "", unit: unit, partYear: compared.contains { $0.figure.acquisitionsPartYear }, projected: Words.projectedAcquisitions(compared)) + "\n"
    }

    static func table(_ rows: [[String]], leftColumns: Int, noteColumn: Bool = false) -> String {
        TextTable.render(rows, leftColumns: leftColumns, noteColumn: noteColumn) + "\n"
    }

    /// Year-end figures of each projected year's last month, per region × segment.
    static func text(_ o: RunJob.Outcome, words t: Words) -> String {
        var rows = [t.yearTableHeader]
        let s = o.checked.document.scenario
        for region in s.regions {
            for seg in s.segments {
                let years = PlanYearSummary.yearly(s, history: o.checked.history.history, projection: o.projection, region: region.name, segment: seg.name)
                for (last, acquisitions, realised, partYear) in years {
                    // The acquisitions of a year whose realised months have gaps cover part of it only.
                    // A company segment's figures are companies under the members' headers: said on the row.
                    let companies = s.countsPersons(seg.name) ? nil : t.companiesNotMembers
                    // A flow calibration repeats last year's pace or continues its trend: said where its acquisitions appear.
                    let pace = o.projection.acquisitionsFlag(CellKey(region.name, seg.name)).map(t.flag)
                    let note = [companies, realised.map(t.realisedThenProjected), partYear ? t.flag(.partYear) : nil, pace].compactMap { $0 }.joined(separator: "; ")
                    rows.append([
                        region.name, seg.name, last.month.description, t.persons(last.active), t.persons(acquisitions), t.persons(last.potential),
                        t.percent(last.coverage), note,
                    ])
                }
            }
        }
        var text = t.deterministicTitle + "\n" + table(rows, leftColumns: 3, noteColumn: true)
        if let mc = o.monteCarlo {
            // The rows are December's stock of the plan year: the column says so, not the year alone.
            var u = [[t.region, t.segment, "\(t.metricHeader), \(t.monthYear(Month(year: o.view.year, month: 12)))"] + o.view.levels.map(t.level)]
            for f in o.view.figures where f.activeQuantiles != nil {
                // A company segment's figures are companies, not members.
                let label = s.countsPersons(f.segment) ? t.yearTableHeader[3] : t.metricShort(.active, .companies)
                u.append([f.region, f.segment, label] + f.activeQuantiles!.map { t.persons($0) })
            }
            // Several regions: their total from the joint draws (the nation of a national plan).
            if let all = o.view.targets.first(where: { $0.region == Targets.allRegions && $0.metric == .active && $0.basis == .projection }), let q = all.quantiles {
                u.append([all.region, all.segment, t.yearTableHeader[3]] + q.map { t.persons($0) })
            }
            text += "\n" + t.uncertainty + " (" + t.drawsAndSeed(mc.options.draws, mc.options.seed) + "):\n" + table(u, leftColumns: 3)
        }
        if !o.view.allocations.isEmpty { text += AllocationWriters.text(o.view.allocations, year: o.view.year, words: t) }
        return text
    }
}
