import Foundation
import Planning

/// targets.csv: the RKAT target table with raw numbers (RFC 4180). Growth, coverage and P(reach) are
/// fractions; empty where they do not exist.
enum TargetsWriter {
    static func csv(_ view: PlanYearView) -> String {
        let rows = view.targets, levels = view.levels, scenario = view.scenario
        var w = CSVWriter(header: [
            "region", "branch", "segment", "metric", "basis", "last_realisation", "last_target", "target", "growth_vs_realisation",
            "growth_vs_target", "coverage", "gross_acquisitions_needed", "expected_lapses", "p_reach",
        ] + levels.map(UncertaintyWriter.levelName) + ["flags", "scenario"])
        for r in rows {
            w.row([
                r.region, "", r.segment, r.metric.rawValue, r.basis.code, CSVWriter.persons(r.lastRealisation), CSVWriter.persons(r.lastTarget),
                CSVWriter.fixed(r.target, 0), CSVWriter.fixed(r.growthVsRealisation, 6), CSVWriter.fixed(r.growthVsTarget, 6),
                CSVWriter.fixed(r.coverage, 6), CSVWriter.persons(r.grossAcquisitionsNeeded), CSVWriter.persons(r.expectedLapses),
                CSVWriter.fixed(r.probability, 4),
            ] + levels.indices.map { CSVWriter.persons(r.quantiles?[$0]) } + [r.flags.map(\.rawValue).joined(separator: "; "), scenario])
        }
        // Branch targets: the region's projection targets split over its branches (docs/targets.md).
        // Growth … p_reach, the quantiles and flags stay empty for branch rows.
        let empty = [String](repeating: "", count: 7 + levels.count)
        for b in view.branches {
            w.row([b.region, b.branch, b.segment, b.metric.rawValue, TargetBasis.branchAllocation.code, "", "", String(b.target)] + empty + [scenario])
        }
        return w.text
    }
}
