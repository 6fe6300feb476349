import Foundation
import Planning

/// targets.json (raw numbers) and targets.md (the table a planner pastes into a report: Indonesian
/// labels and number format 1.704.308 by default, English with --lang en).
public enum TargetsText {
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

    public static func json(_ rows: [TargetRow], phased: [TargetsWorkbook.Phased], scenario s: Scenario, planYear: Int, levels: [Double]) -> String {
        let doc = DocumentJSON(
            scenario: s.name, plan_year: planYear, confidence: s.targets.confidence, quantile_levels: levels,
            targets: rows.map { r in
                let p = phased.first { $0.row.region == r.region && $0.row.segment == r.segment && $0.row.metric == r.metric && $0.row.basis == r.basis }
                let quarters = p.flatMap { p -> [Double]? in
                    guard r.metric == .acquisitions else { return nil }
                    return Phasing.quarters(p.monthly.map { Int($0) }).map(Double.init)
                }
                return RowJSON(
                    region: r.region, segment: r.segment, metric: r.metric.rawValue, basis: r.basis.code, last_realisation: r.lastRealisation,
                    last_target: r.lastTarget, target: r.target, growth_vs_realisation: r.growthVsRealisation, growth_vs_target: r.growthVsTarget,
                    coverage: r.coverage, gross_acquisitions_needed: r.grossAcquisitionsNeeded, expected_lapses: r.expectedLapses,
                    p_reach: r.probability, quantiles: r.quantiles, flags: r.flags.map(\.rawValue), monthly: p?.monthly, quarterly: quarters)
            })
        return FitReport.encode(doc) + "\n"
    }

    /// Month abbreviations for tables and chart ticks.
    public static func monthNames(indonesian: Bool) -> [String] {
        indonesian
            ? ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
            : ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    }

    /// 1.704.308 (id) or 1,704,308 (en).
    public static func persons(_ v: Double?, indonesian: Bool) -> String {
        guard let v, v.isFinite else { return "—" }
        let digits = String(Int(v.rounded()).magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(indonesian ? "." : ",") }
            out.append(ch)
        }
        return (v < -0.5 ? "-" : "") + out
    }

    /// The basis and flags in the reader's language (csv and json keep the English codes).
    public static func basis(_ b: TargetBasis, indonesian: Bool) -> String {
        guard indonesian else { return b.code }
        switch b {
        case .projection: return "proyeksi"
        case .rule: return "aturan " + b.code.dropFirst("rule ".count)
        case .branchAllocation: return "alokasi cabang"
        }
    }

    public static func flag(_ f: TargetFlag, indonesian: Bool) -> String {
        guard indonesian else { return f.rawValue }
        switch f {
        case .reachBelow20: return "P(tercapai) di bawah 20%"
        case .abovePotential: return "melebihi potensi"
        case .aboveUncoveredPool: return "melebihi potensi yang belum tercakup"
        }
    }

    public static func percent(_ v: Double?, indonesian: Bool) -> String {
        guard let v, v.isFinite else { return "—" }
        let s = String(format: "%.1f%%", v * 100)
        return indonesian ? s.replacingOccurrences(of: ".", with: ",") : s
    }

    public static func markdown(_ rows: [TargetRow], scenario s: Scenario, planYear: Int, levels: [Double], indonesian id: Bool) -> String {
        let header = id
            ? ["Wilayah", "Segmen", "Indikator", "Dasar", "Realisasi", "Target lalu", "Target \(planYear)", "Tumbuh vs realisasi", "Tumbuh vs target", "Cakupan", "P(tercapai)"]
            : ["Region", "Segment", "Metric", "Basis", "Last realisation", "Last target", "Target \(planYear)", "Growth vs realisation", "Growth vs target", "Coverage", "P(reach)"]
        let bands = levels.map { UncertaintyWriter.levelName($0).uppercased() }
        var lines = ["# RKAT \(planYear) — \(s.name)", ""]
        lines.append("| " + (header + bands + [id ? "Catatan" : "Flags"]).joined(separator: " | ") + " |")
        lines.append("|" + String(repeating: "---|", count: header.count + bands.count + 1))
        for r in rows {
            let metric = r.metric == .active ? (id ? "Peserta aktif akhir tahun" : "Active at year end") : (id ? "Akuisisi" : "Acquisitions")
            let cells = [
                r.region, r.segment, metric, basis(r.basis, indonesian: id), persons(r.lastRealisation, indonesian: id), persons(r.lastTarget, indonesian: id),
                "**\(persons(r.target, indonesian: id))**", percent(r.growthVsRealisation, indonesian: id), percent(r.growthVsTarget, indonesian: id),
                percent(r.coverage, indonesian: id), percent(r.probability, indonesian: id),
            ] + levels.indices.map { j in persons(r.quantiles.flatMap { q in j < q.count ? q[j] : nil }, indonesian: id) }
                + [r.flags.map { flag($0, indonesian: id) }.joined(separator: "; ")]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append("")
        lines.append(id
            ? "Target proyeksi tercapai dengan peluang \(percent(s.targets.confidence, indonesian: true)); P(tercapai) dari simulasi Monte Carlo (\(s.uncertainty.draws) kali)."
            : "Projection targets are reached with probability \(percent(s.targets.confidence, indonesian: false)); P(reach) from the Monte Carlo draws (\(s.uncertainty.draws)).")
        return lines.joined(separator: "\n") + "\n"
    }
}
