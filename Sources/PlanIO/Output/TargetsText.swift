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
        var last_realisation_through: String?
        var realised_to_date: Double?
        var realised_through: String?
        /// The twelve months by name ("2018-01"), each with its status and target (null when empty).
        var months: [String: MonthJSON]?
        /// Quarter sums of a flow target ("2018-Q1"), null for a quarter with an empty month.
        var quarters: [String: Double?]?
        /// "persons", "companies" or "rupiah".
        var unit: String
        var workers_per_company: Double?
        /// The row's tier: national, kanwil, province or branch (`PlanLevel`).
        var level: String
        /// An issued row's: the projection row's target as written (the unit's own proposal, ajuan),
        /// so `rkat track` can tell when the projection row was edited (it is not the one tracked).
        var proposal: Double? = nil

        struct MonthJSON: Encodable {
            var status: String
            var target: Double?
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(status, forKey: .status)
                try c.encode(target, forKey: .target)
            }
            enum CodingKeys: String, CodingKey { case status, target }
        }

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
            try c.encode(last_realisation_through, forKey: .last_realisation_through)
            try c.encode(realised_to_date, forKey: .realised_to_date)
            try c.encode(realised_through, forKey: .realised_through)
            try c.encode(months, forKey: .months)
            try c.encode(quarters, forKey: .quarters)
            try c.encode(unit, forKey: .unit)
            try c.encode(workers_per_company, forKey: .workers_per_company)
            try c.encode(level, forKey: .level)
            try c.encodeIfPresent(proposal, forKey: .proposal)
        }
        enum CodingKeys: String, CodingKey {
            case region, segment, metric, basis, last_realisation, last_target, target, growth_vs_realisation, growth_vs_target
            case coverage, gross_acquisitions_needed, expected_lapses, p_reach, quantiles, flags
            case last_realisation_through, realised_to_date, realised_through, months, quarters, unit, workers_per_company, level, proposal
        }
    }

    struct DocumentJSON: Encodable {
        /// 2: rows carry their `level` (1, unnamed: before; `rkat track` reads both).
        var schema_version: Int
        var scenario: String
        var plan_year: Int
        var confidence: Double
        var quantile_levels: [Double]
        /// What the plan rests on: the scenario chain's and the history's SHA-256 (the approved plan
        /// `rkat track` reads names them).
        var scenario_files: [FileJSON]
        /// One history; a national plan's Kanwil histories are `histories` instead.
        var history: FileJSON?
        var histories: [FileJSON]?
        var targets: [RowJSON]
        /// Branch targets (Kantor Cabang), each with its months and P(reach).
        var branches: [BranchJSON]
    }

    struct BranchJSON: Encodable {
        var region, branch, segment, metric: String
        /// "branch allocation" or "branch allocation (issued)": what the branch row splits.
        var basis: String
        var target: Int
        var p_reach: Double?
        var months: [String: Double?]
        var flags: [String]
        /// A branch with its own history: its own projection target, the gap, its realisation so far
        /// and whether P(reach) is from its own draws.
        var own_target: Double?
        var gap_vs_own: Double?
        var realised_to_date: Double?
        var realised_through: String?
        var p_reach_from_own_draws: Bool
        /// A stock row's start: the branch's members at `branch_start_month` its months run from.
        var branch_start: Double?
        var branch_start_month: String?
        var level: String
        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(region, forKey: .region)
            try c.encode(branch, forKey: .branch)
            try c.encode(segment, forKey: .segment)
            try c.encode(metric, forKey: .metric)
            try c.encode(basis, forKey: .basis)
            try c.encode(target, forKey: .target)
            try c.encode(p_reach, forKey: .p_reach)
            try c.encode(months, forKey: .months)
            try c.encode(flags, forKey: .flags)
            try c.encode(own_target, forKey: .own_target)
            try c.encode(gap_vs_own, forKey: .gap_vs_own)
            try c.encode(realised_to_date, forKey: .realised_to_date)
            try c.encode(realised_through, forKey: .realised_through)
            try c.encode(p_reach_from_own_draws, forKey: .p_reach_from_own_draws)
            try c.encode(branch_start, forKey: .branch_start)
            try c.encode(branch_start_month, forKey: .branch_start_month)
            try c.encode(level, forKey: .level)
        }
        enum CodingKeys: String, CodingKey {
            case region, branch, segment, metric, basis, target, p_reach, months, flags, own_target, gap_vs_own, realised_to_date, realised_through
            case p_reach_from_own_draws, branch_start, branch_start_month, level
        }
    }

    struct FileJSON: Encodable {
        var path: String
        var sha256: String
    }

    /// targets.json's format: 2 adds `level` to every row (docs/targets.md); a plan without the field is 1.
    static let schemaVersion = 2

    /// `files`: the scenario chain's and then the history's (path, SHA-256).
    static func json(_ view: PlanYearView, scenarioFiles: [(path: String, sha256: String)], history: (path: String, sha256: String)) -> String {
        json(view, scenarioFiles: scenarioFiles, history: FileJSON(path: history.path, sha256: history.sha256), histories: nil)
    }

    /// A national plan's: the national file and every Kanwil file, and each Kanwil's history.
    static func json(_ view: PlanYearView, scenarioFiles: [(path: String, sha256: String)], histories: [(path: String, sha256: String)]) -> String {
        json(view, scenarioFiles: scenarioFiles, history: nil, histories: histories.map { FileJSON(path: $0.path, sha256: $0.sha256) })
    }

    private static func json(_ view: PlanYearView, scenarioFiles: [(path: String, sha256: String)], history: FileJSON?, histories: [FileJSON]?) -> String {
        let doc = DocumentJSON(
            schema_version: schemaVersion, scenario: view.scenario, plan_year: view.year, confidence: view.confidence, quantile_levels: view.levels,
            scenario_files: scenarioFiles.map { FileJSON(path: $0.path, sha256: $0.sha256) }, history: history, histories: histories,
            targets: view.targets.map { r in
                let p = view.phased(r)
                return RowJSON(
                    region: r.region, segment: r.segment, metric: r.metric.rawValue, basis: r.basis.code, last_realisation: r.lastRealisation,
                    last_target: r.lastTarget, target: r.target, growth_vs_realisation: r.growthVsRealisation, growth_vs_target: r.growthVsTarget,
                    coverage: r.coverage, gross_acquisitions_needed: r.grossAcquisitionsNeeded, expected_lapses: r.expectedLapses,
                    p_reach: r.probability, quantiles: r.quantiles, flags: r.flags.map(\.rawValue),
                    last_realisation_through: r.lastRealisationThrough?.description, realised_to_date: r.realisedToDate,
                    realised_through: r.realisedThrough?.description,
                    months: p.map { p in Dictionary(uniqueKeysWithValues: p.months.map { ($0.month.description, RowJSON.MonthJSON(status: $0.status.rawValue, target: $0.value)) }) },
                    quarters: p?.quarters.map { q in Dictionary(uniqueKeysWithValues: q.enumerated().map { ("\(view.year)-Q\($0.offset + 1)", $0.element) }) },
                    unit: r.unitCode, workers_per_company: r.workersPerCompany, level: view.level(of: r).rawValue,
                    proposal: view.proposalIndex(of: r).map { view.targets[$0].target })
            },
            branches: view.branches.map { b in
                BranchJSON(
                    region: b.region, branch: b.branch, segment: b.segment, metric: b.metric.rawValue, basis: b.basisCode, target: b.target, p_reach: b.probability,
                    months: Dictionary(uniqueKeysWithValues: view.months.enumerated().map { ($0.element.description, $0.offset < b.months.count ? b.months[$0.offset] : nil) }),
                    flags: b.flags.map(\.rawValue), own_target: b.ownTarget, gap_vs_own: b.gap, realised_to_date: b.realisedToDate,
                    realised_through: b.realisedThrough?.description, p_reach_from_own_draws: b.reachFromOwnDraws,
                    branch_start: b.start?.rounded(), branch_start_month: b.start == nil ? nil : b.startMonth?.description,
                    level: PlanLevel.branch.rawValue)
            })
        return FitReport.encode(doc) + "\n"
    }

    static func markdown(_ view: PlanYearView, words: Words) -> String {
        let w: Words = words.forTargets(view)
        var lines = ["# RKAT \(view.year) — \(view.scenario)", ""]
        let header = w.targetHeader(planYear: view.year, levels: view.levels) + [w.lastRealisationThrough, w.realisedToDate(view.year), w.realisedThrough]
        lines.append("| " + header.joined(separator: " | ") + " |")
        lines.append("|" + String(repeating: "---|", count: header.count))
        for r in view.targets {
            let n = { (v: Double?) in w.figure(v, r.metric) }
            let cells = [
                r.region, r.segment, w.metric(r.metric, r.unit), w.basis(r.basis), n(r.lastRealisation), n(r.lastTarget),
                "**\(n(r.target))**", w.percent(r.growthVsRealisation), w.percent(r.growthVsTarget),
                w.percent(r.coverage), w.percent(r.probability),
            ] + view.levels.indices.map { j in n(r.quantiles.flatMap { q in j < q.count ? q[j] : nil }) }
                + [r.flags.map(w.flag).joined(separator: "; ")]
                + [r.lastRealisationThrough.map(w.monthYear) ?? "—", n(r.realisedToDate), r.realisedThrough.map(w.monthYear) ?? "—"]
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        let ratios = view.targets.compactMap { w.workersPerCompany($0, year: view.year) }
        if !ratios.isEmpty { lines += [""] + ratios }
        if view.targets.contains(where: { $0.metric == .reactivations }) { lines += ["", w.reactivationNote] }
        // The monthly phasing, each figure under its own month; realised months in italics.
        lines += ["", "## " + w.t("Target bulanan", "Monthly targets") + " \(view.year)", ""]
        lines.append("| | " + w.monthNames.joined(separator: " | ") + " |")
        lines.append("|" + String(repeating: "---|", count: 13))
        for p in view.phasing where p.row.basis == .projection || p.row.basis == .issued {
            let cells = p.months.map { m in m.value.map { m.status == .realised ? "*\(w.figure($0, p.row.metric))*" : w.figure($0, p.row.metric) } ?? "—" }
            let basis = p.row.basis == .issued ? " (\(w.basis(.issued)))" : ""
            lines.append("| \(p.row.region) \(p.row.segment) · \(w.metric(p.row.metric, p.row.unit))\(basis) | " + cells.joined(separator: " | ") + " |")
        }
        lines += ["", w.legend(view.phasing)]
        // Branches (Kantor Cabang): their targets, P(reach) and months.
        if !view.branches.isEmpty {
            lines += ["", "## " + w.t("Target cabang", "Branch targets") + " \(view.year)", ""]
            // Branches with their own history: own projection, gap and realisation so far.
            let anyOwn = view.branches.contains { $0.ownTarget != nil || $0.realisedToDate != nil }
            // Branches whose stock months run from their stated members: the start and the growth.
            let startMonth = view.branches.lazy.compactMap(\.startMonth).first
            let extra = (anyOwn ? " \(w.ownProjection) | \(w.gapVsOwn) | \(w.realisedToDate(view.year)) |" : "")
                + (startMonth != nil ? " \(w.branchStart(startMonth)) | \(w.branchGrowth) |" : "")
            lines.append("| \(w.region) | \(w.t("Cabang", "Branch")) | \(w.segment) | \(w.metricHeader) | Target | \(w.pReach) | " + w.monthNames.joined(separator: " | ") + " | \(w.flags) |" + extra)
            lines.append("|" + String(repeating: "---|", count: 19 + (anyOwn ? 3 : 0) + (startMonth != nil ? 2 : 0)))
            for b in view.branches {
                let f = { (v: Double?) in w.figure(v, b.metric) }
                let months = (0..<12).map { k in f(k < b.months.count ? b.months[k] : nil) }
                let own = anyOwn
                    ? " \(f(b.ownTarget)) | \(b.gap.map { ($0 >= 0 ? "+" : "−") + f(abs($0)) } ?? "—") | \(f(b.realisedToDate))\(b.realisedThrough.map { " (\(w.realisedThrough) \(w.monthYear($0)))" } ?? "") |" : ""
                let start = startMonth != nil ? " \(f(b.start)) | \(b.start.map { w.signedFigure(Double(b.target) - $0.rounded(), b.metric) } ?? "—") |" : ""
                lines.append("| \(b.region) | \(b.branch) | \(b.segment) | \(w.metric(b.metric)) | \(f(Double(b.target))) | \(w.percent(b.probability)) | " + months.joined(separator: " | ") + " | \(b.flags.map { w.branchFlag($0) }.joined(separator: "; ")) |" + own + start)
            }
            if anyOwn { lines += ["", w.branchOwnNote] }
        }
        lines.append("")
        lines.append(w.reachFooter(confidence: view.confidence, draws: view.draws))
        return lines.joined(separator: "\n") + "\n"
    }
}
