import Foundation
import Planning

/// targets.json (raw numbers) and targets.md (the table a planner pastes into a report: Indonesian
/// labels and number format 1.704.308 by default, English with --lang en).
enum TargetsText {
    struct RowJSON: Encodable {
        var region, segment, metric, basis: String
        var last_realisation, last_target: Double?
        var target: Double
        var growth_vs_realisation, growth_vs_target, coverage, gross_acquisitions_needed, expected_lapses, p_reach: Double?
        var quantiles: [Double]?
        var flags: [String]
        var monthly: [Double]?
        var quarterly: [Double]?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(region, forKey: .region)
            try c.encode(segment, forKey: .segment)
            try c.encode(metric, forKey: .metric)
            try c.encode(basis, forKey: .basis)
            try c.encode(last_realisation, forKey: .last_realisation)
            try c.encode(last_target, forKey: .last_target)
            try c.encode(target, forKey: .target)
            try c.encode(growth_vs_realisation, forKey: .growth_vs_realisation)
            try c.encode(growth_vs_target, forKey: .growth_vs_target)
            try c.encode(coverage, forKey: .coverage)
            try c.encode(gross_acquisitions_needed, forKey: .gross_acquisitions_needed)
            try c.encode(expected_lapses, forKey: .expected_lapses)
            try c.encode(p_reach, forKey: .p_reach)
            try c.encode(quantiles, forKey: .quantiles)
            try c.encode(flags, forKey: .flags)
            try c.encode(monthly, forKey: .monthly)
            try c.encode(quarterly, forKey: .quarterly)
        }
        enum CodingKeys: String, CodingKey {
            case region, segment, metric, basis, last_realisation, last_target, target, growth_vs_realisation, growth_vs_target
            case coverage, gross_acquisitions_needed, expected_lapses, p_reach, quantiles, flags, monthly, quarterly
        }
    }

    struct DocumentJSON: Encodable {
        var scenario: String
        var plan_year: Int
        var confidence: Double
        var quantile_levels: [Double]
        var targets: [RowJSON]
    }

    static func json(_ view: PlanYearView) -> String {
        let doc = DocumentJSON(
            scenario: view.scenario, plan_year: view.year, confidence: view.confidence, quantile_levels: view.levels,
            targets: view.targets.map { r in
                let p = view.phased(r)
                return RowJSON(
                    region: r.region, segment: r.segment, metric: r.metric.rawValue, basis: r.basis.code, last_realisation: r.lastRealisation,
                    last_target: r.lastTarget, target: r.target, growth_vs_realisation: r.growthVsRealisation, growth_vs_target: r.growthVsTarget,
                    coverage: r.coverage, gross_acquisitions_needed: r.grossAcquisitionsNeeded, expected_lapses: r.expectedLapses,
                    p_reach: r.probability, quantiles: r.quantiles, flags: r.flags.map(\.rawValue), monthly: p?.values, quarterly: p?.quarters)
            })
        return FitReport.encode(doc) + "\n"
    }

    static func markdown(_ view: PlanYearView, words w: Words) -> String {
        var lines = ["# RKAT \(view.year) — \(view.scenario)", ""]
        let header = w.targetHeader(planYear: view.year, levels: view.levels)
        lines.append("| " + header.joined(separator: " | ") + " |")
        lines.append("|" + String(repeating: "---|", count: header.count))
        for r in view.targets {
            let cells = [
                r.region, r.segment, w.metric(r.metric), w.basis(r.basis), w.persons(r.lastRealisation), w.persons(r.lastTarget),
                "**\(w.persons(r.target))**", w.percent(r.growthVsRealisation), w.percent(r.growthVsTarget),
                w.percent(r.coverage), w.percent(r.probability),
            ] + view.levels.indices.map { j in w.persons(r.quantiles.flatMap { q in j < q.count ? q[j] : nil }) }
                + [r.flags.map(w.flag).joined(separator: "; ")]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines.append(w.reachFooter(confidence: view.confidence, draws: view.draws))
        return lines.joined(separator: "\n") + "\n"
    }
}
