import Foundation
import Planning

/// targets.csv: the RKAT target table with raw numbers (RFC 4180). Growth, coverage and P(reach) are
/// fractions; empty where they do not exist. `last_realisation_through` is the last month of the
/// previous year the comparison covers (December: the full year; growth compares the same months);
/// `realised_to_date` is the plan year's realisation through `realised_through`; the twelve month
/// columns carry each target's monthly phasing under its own month (realised months are the
/// realisation; empty where a month has no figure). `unit` says what a row counts: persons, companies
/// (a company segment) or rupiah (iuran); `workers_per_company` is a company segment's workers target
/// over its active target. Branch rows of a branch with its own history carry its realisation so far
/// (`realised_to_date`, `realised_through`), its own projection target (`own_target`) and
/// `gap_vs_own` = target − own_target; their P(reach) is from the branch's own draws. A branch stock
/// row whose months run from its stated members carries that start (`branch_start`, whole persons)
/// and its month (`branch_start_month`). `level` is the row's tier (national, kanwil, province,
/// branch): the regions' as the scenario's `region_level` says, their total one above.
enum TargetsWriter {
    static func csv(_ view: PlanYearView) -> String {
        let rows = view.targets, levels = view.levels, scenario = view.scenario
        var w = CSVWriter(header: [
            "region", "branch", "segment", "metric", "basis", "last_realisation", "last_target", "target", "growth_vs_realisation",
            "growth_vs_target", "coverage", "gross_acquisitions_needed", "expected_lapses", "p_reach",
        ] + levels.map(UncertaintyWriter.levelName) + ["flags", "scenario", "last_realisation_through", "realised_to_date", "realised_through"]
            + view.months.map(\.description) + ["unit", "workers_per_company", "own_target", "gap_vs_own", "branch_start", "branch_start_month", "level"])
        for r in rows {
            let months = view.phased(r)?.months.map { CSVWriter.persons($0.value) } ?? view.months.map { _ in "" }
            w.row([
                r.region, "", r.segment, r.metric.rawValue, r.basis.code, CSVWriter.persons(r.lastRealisation), CSVWriter.persons(r.lastTarget),
                CSVWriter.fixed(r.target, 0), CSVWriter.fixed(r.growthVsRealisation, 6), CSVWriter.fixed(r.growthVsTarget, 6),
                CSVWriter.fixed(r.coverage, 6), CSVWriter.persons(r.grossAcquisitionsNeeded), CSVWriter.persons(r.expectedLapses),
                CSVWriter.fixed(r.probability, 4),
            ] + levels.indices.map { CSVWriter.persons(r.quantiles?[$0]) } + [r.flags.map(\.rawValue).joined(separator: "; "), scenario]
                + [r.lastRealisationThrough?.description ?? "", CSVWriter.persons(r.realisedToDate), r.realisedThrough?.description ?? ""] + months
                + [r.unitCode, CSVWriter.fixed(r.workersPerCompany, 4), "", "", "", "", view.level(of: r).rawValue])
        }
        // Branch targets: the region's projection (or issued) targets split over its branches
        // (docs/targets.md), with their P(reach), flags and months; growth, coverage and quantiles stay empty.
        for b in view.branches {
            w.row([b.region, b.branch, b.segment, b.metric.rawValue, b.basisCode, "", "", String(b.target)]
                + [String](repeating: "", count: 5) + [CSVWriter.fixed(b.probability, 4)] + levels.map { _ in "" }
                + [b.flags.map(\.rawValue).joined(separator: "; "), scenario, "", CSVWriter.persons(b.realisedToDate), b.realisedThrough?.description ?? ""]
                + (0..<view.months.count).map { k in CSVWriter.persons(k < b.months.count ? b.months[k] : nil) }
                + [b.metric.isRupiah ? "rupiah" : "persons", "", CSVWriter.persons(b.ownTarget), CSVWriter.persons(b.gap)]
                + [CSVWriter.persons(b.start?.rounded()), b.start == nil ? "" : b.startMonth?.description ?? ""]
                + [PlanLevel.branch.rawValue])
        }
        return w.text
    }
}
