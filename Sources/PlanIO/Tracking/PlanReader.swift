import Fitting
import Foundation
import Planning

/// Reads an approved plan: targets.json as `rkat run` wrote it, or as planners edited it. Per region ×
/// segment × indicator the plan is the `issued` row where there is one (an issued target split down),
/// else the `projection` row (or the only row when the planners kept one),
/// with its annual target and twelve months. An edited plan is accepted when it is consistent: a flow
/// target's months sum to its annual target, a stock target's December is its annual target; anything
/// else is exit 2 with a message that names the target.
enum PlanReader {
    static func read(path: String) throws(InputError) -> ApprovedPlan {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError(Phrase("rencana tidak dapat dibaca", "cannot read the plan"), file: path) }
        // targets.xlsx as the planners edited and approved it (a zip): its hidden anchor sheet.
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try PlanWorkbookReader.read(path: path) }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw InputError(Phrase("bukan rencana: diharapkan targets.json seperti yang ditulis rkat run (objek JSON)", "not a plan: expected targets.json as rkat run writes it (a JSON object)"), file: path)
        }
        // Version 1 (no field) and 2 (rows with `level`) read alike; a later one is not guessed at.
        if root["schema_version"] != nil {
            // Read strictly (a whole number, not "2" or true), as JSONSerialization would not.
            struct Version: Decodable { var schema_version: Int }
            let v = try? JSONDecoder().decode(Version.self, from: data).schema_version
            guard let v, (1...TargetsText.schemaVersion).contains(v) else {
                let got = v.map(String.init) ?? String(describing: root["schema_version"]!)
                throw InputError(
                    Phrase(
                        "schema_version \(got) tidak dikenal: rkat ini membaca rencana versi 1 sampai \(TargetsText.schemaVersion)\((v ?? 0) > TargetsText.schemaVersion ? " (rencana dari rkat yang lebih baru?)" : "")",
                        "unknown schema_version \(got): this rkat reads plans of version 1 to \(TargetsText.schemaVersion)\((v ?? 0) > TargetsText.schemaVersion ? " (a plan from a newer rkat?)" : "")"),
                    file: path)
            }
        }
        guard let year = root["plan_year"] as? Int else { throw InputError(Phrase("rencana tidak memuat plan_year", "the plan has no plan_year"), file: path) }
        let scenario = root["scenario"] as? String ?? ""
        guard let rows = root["targets"] as? [[String: Any]] else { throw InputError(Phrase("rencana tidak memuat daftar 'targets'", "the plan has no targets list"), file: path) }
        // Group the rows by region × segment × indicator; the projection row is the plan.
        var groups: [String: [(index: Int, row: [String: Any])]] = [:]
        var order: [String] = []
        for (i, r) in rows.enumerated() {
            guard let region = r["region"] as? String, let segment = r["segment"] as? String, let metric = r["metric"] as? String else {
                throw InputError(Phrase("targets[\(i)]: diharapkan 'region', 'segment' dan 'metric'", "targets[\(i)]: expected region, segment and metric"), file: path)
            }
            let key = "\(region) \(segment) \(metric)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append((i, r))
        }
        var targets: [ApprovedPlan.Target] = []
        var issuedMetrics: Set<TargetRow.Metric> = []
        var unread: [ApprovedPlan.UnreadProposal] = []
        // Company targets (unit companies) are never summed into a persons TOTAL.
        var companies = Set<Int>()
        for key in order {
            let candidates = groups[key]!
            // The target head office issued (split down to this row) where there is one, else the projection.
            let chosen = candidates.first { $0.row["basis"] as? String == TargetBasis.issued.code }
                ?? candidates.first { $0.row["basis"] as? String == "projection" } ?? (candidates.count == 1 ? candidates[0] : nil)
            if chosen?.row["basis"] as? String == TargetBasis.issued.code, let m = (chosen?.row["metric"] as? String).flatMap(TargetRow.Metric.init(rawValue:)) {
                issuedMetrics.insert(m)
                // The projection row beside it, edited since rkat wrote it: not read, and said.
                if let written = chosen?.row["proposal"] as? Double, let issued = chosen?.row["target"] as? Double,
                    let edited = candidates.first(where: { $0.row["basis"] as? String == TargetBasis.projection.code })?.row["target"] as? Double, abs(edited - written) >= 0.5 {
                    unread.append(ApprovedPlan.UnreadProposal(
                        region: chosen!.row["region"] as! String, segment: chosen!.row["segment"] as! String, metric: m, written: written, edited: edited, issued: issued))
                }
            }
            guard let (i, r) = chosen else {
                let bases = candidates.compactMap { $0.row["basis"] as? String }.map { "'\($0)'" }.joined(separator: ", ")
                throw InputError(
                    Phrase("\(key): \(candidates.count) baris (\(bases)) dan tidak satu pun proyeksi; sisakan yang disetujui", "\(key): \(candidates.count) rows (\(bases)) and none is the projection; keep the approved one"),
                    file: path)
            }
            guard let metric = TargetRow.Metric(rawValue: r["metric"] as! String) else {
                let metrics = TargetRow.Metric.allCases.map(\.rawValue)
                throw InputError(
                    Phrase(
                        "targets[\(i)] (\(key)): metrik harus salah satu dari \(metrics.map { "'\($0)'" }.joined(separator: ", "))",
                        "targets[\(i)] (\(key)): metric must be \(metrics.joined(separator: ", "))"),
                    file: path)
            }
            guard let annual = r["target"] as? Double, annual.isFinite, annual >= 0 else {
                throw InputError(Phrase("targets[\(i)] (\(key)): diharapkan target tahunan ≥ 0", "targets[\(i)] (\(key)): expected an annual target ≥ 0"), file: path)
            }
            let months = try months(r, year: year, at: "targets[\(i)] (\(key))", file: path)
            try checkTarget(annual, months: months, year: year, metric: metric, label: "targets[\(i)] (\(key))") { InputError($0, file: path) }
            targets.append(ApprovedPlan.Target(region: r["region"] as! String, segment: r["segment"] as! String, metric: metric, annual: annual, months: months))
            if r["unit"] as? String == "companies" { companies.insert(targets.count - 1) }
        }
        try checkTotals(&targets, companies: companies) { InputError($0, file: path) }
        // Branch targets (Kantor Cabang), each with its months: tracked on the branch's own history.
        for (i, b) in ((root["branches"] as? [[String: Any]]) ?? []).enumerated() {
            guard let region = b["region"] as? String, let branch = b["branch"] as? String, let segment = b["segment"] as? String,
                let metric = (b["metric"] as? String).flatMap(TargetRow.Metric.init(rawValue:)), let annual = b["target"] as? Double, annual.isFinite, annual >= 0
            else {
                throw InputError(
                    Phrase("branches[\(i)]: diharapkan 'region', 'branch', 'segment', 'metric' dan target ≥ 0", "branches[\(i)]: expected region, branch, segment, metric and a target ≥ 0"), file: path)
            }
            let label = "branches[\(i)] (\(region) \(branch) \(segment) \(metric.rawValue))"
            let months = try months(b, year: year, at: label, file: path)
            try checkBranch(annual, months: months, year: year, metric: metric, label: label) { InputError($0, file: path) }
            targets.append(ApprovedPlan.Target(region: region, segment: segment, metric: metric, annual: annual, months: months, branch: branch))
        }
        var plan = ApprovedPlan(scenario: scenario, year: year, targets: targets)
        plan.national = root["histories"] != nil
        plan.issuedMetrics = issuedMetrics
        plan.unreadProposals = unread
        return plan
    }

    /// A Kanwil target of an approved plan, from JSON or a workbook: whole figures in range (checkRange),
    /// a flow's months summing to its annual target, a stock's December its annual target.
    static func checkTarget(
        _ annual: Double, months: [Double?], year: Int, metric: TargetRow.Metric, label: String, error: (Phrase) -> InputError
    ) throws(InputError) {
        try checkRange(annual, months: months, year: year, metric: metric, at: label, error: error)
        // Targets are whole numbers (checkRange) and their sums exact below 2^53: compared with ==.
        if metric.isFlow {
            if months.allSatisfy({ $0 != nil }) {
                let sum = months.reduce(0) { $0 + $1! }
                guard sum == annual else {
                    throw error(
                        Phrase { l in
                            "\(label): " + l.t(
                                "jumlah bulannya \(l.n(sum)), bukan target tahunan \(l.n(annual)); perbaiki satu bulan atau angka tahunannya",
                                "the months sum to \(l.n(sum)), not the annual target \(l.n(annual)); correct a month or the annual figure")
                        })
                }
            }
        } else if let december = months[11], december != annual {
            throw error(
                Phrase { l in
                    "\(label): " + l.t(
                        "target stok Desember \(l.n(december)) bukan target tahunan \(l.n(annual))",
                        "December's stock target \(l.n(december)) is not the annual target \(l.n(annual))")
                })
        }
    }

    /// A branch target: whole figures in range, a flow's months summing to its annual target.
    static func checkBranch(
        _ annual: Double, months: [Double?], year: Int, metric: TargetRow.Metric, label: String, error: (Phrase) -> InputError
    ) throws(InputError) {
        try checkRange(annual, months: months, year: year, metric: metric, at: label, error: error)
        if metric.isFlow, months.allSatisfy({ $0 != nil }), months.reduce(0, { $0 + $1! }) != annual {
            let sum = months.reduce(0) { $0 + $1! }
            throw error(Phrase { l in "\(label): " + l.t("jumlah bulannya \(l.n(sum)), bukan target tahunan \(l.n(annual))", "the months sum to \(l.n(sum)), not the annual target \(l.n(annual))") })
        }
    }

    /// A region's TOTAL is the sum of its persons segments (companies never count): a plan whose TOTAL
    /// says otherwise is refused, naming both figures. Without months (targets.json does not phase
    /// totals), its months are its segments' months summed.
    static func checkTotals(_ targets: inout [ApprovedPlan.Target], companies: Set<Int>, error: (Phrase) -> InputError) throws(InputError) {
        for i in targets.indices where targets[i].isTotal {
            let parts = targets.indices.filter { !companies.contains($0) }.map { targets[$0] }
                .filter { $0.region == targets[i].region && $0.metric == targets[i].metric && !$0.isTotal && $0.branch == nil }
            guard !parts.isEmpty else { continue }
            let sum = parts.reduce(0) { $0 + $1.annual }
            if sum != targets[i].annual {
                let total = targets[i]
                throw error(
                    Phrase { l in
                        let list = parts.map { "\($0.segment) \(l.n($0.annual))" }.joined(separator: " + ")
                        return l.t(
                            "TOTAL \(total.region) '\(total.metric.rawValue)': \(l.n(total.annual)), tetapi jumlah segmennya \(l.n(sum)) (\(list)); TOTAL adalah jumlah segmennya: perbaiki TOTAL atau satu segmen",
                            "TOTAL of \(total.region) \(total.metric.rawValue): \(l.n(total.annual)), but its segments sum to \(l.n(sum)) (\(list)); a TOTAL is the sum of its segments: correct the TOTAL or a segment")
                    })
            }
            guard targets[i].months.allSatisfy({ $0 == nil }) else { continue }
            targets[i].months = (0..<12).map { k in
                let values = parts.map { $0.months[k] }
                return values.allSatisfy { $0 != nil } ? values.reduce(0) { $0 + $1! } : nil
            }
        }
    }

    /// The largest target a plan may state: 10⁹ persons or companies (the largest potential a
    /// scenario takes), Rp 10¹⁵ of iuran (the largest history iuran figure).
    static func maximum(_ metric: TargetRow.Metric) -> Double { metric == .iuran ? 1e15 : 1e9 }

    /// An edited plan's annual and monthly targets are whole numbers from 0 to the maximum: a
    /// negative month, 10³⁰⁸ or 10⁻³⁰⁰ would make capaian and run rates meaningless.
    static func checkRange(_ annual: Double, months: [Double?], year: Int, metric: TargetRow.Metric, at label: String, error: (Phrase) -> InputError) throws(InputError) {
        let limit = maximum(metric), rupiah = metric == .iuran
        let names = [Phrase("target tahunan", "the annual target")] + (1...12).map { Phrase("bulan \(Month(year: year, month: $0))", "the month \(Month(year: year, month: $0))") }
        for (name, value) in zip(names, [annual] + months) {
            guard let v = value else { continue }
            guard v.isFinite, v >= 0, v <= limit, v.rounded() == v else {
                let plain = v.isFinite && abs(v) < 1e18 && v.rounded() == v
                throw error(
                    Phrase { l in
                        let shown = plain ? NumberText.grouped(v, separator: l.indonesian ? "." : ",") : "\(v)"
                        return "\(label): " + l.t(
                            "\(name.indonesian) tertulis \(shown); target adalah \(rupiah ? "rupiah bulat" : "bilangan bulat") dari 0 sampai \(l.n(limit))",
                            "\(name.english) is \(shown); a target is \(rupiah ? "whole rupiah" : "a whole number") from 0 to \(l.n(limit))")
                    })
            }
        }
    }

    /// The twelve months of a plan row: `months` keyed by YYYY-MM (as targets.json writes them), or a
    /// plain list of twelve (`monthly`, as older plans did).
    static func months(_ r: [String: Any], year: Int, at label: String, file: String) throws(InputError) -> [Double?] {
        let names = (1...12).map { Month(year: year, month: $0).description }
        if let keyed = r["months"] as? [String: Any] {
            for k in keyed.keys where !names.contains(k) {
                throw InputError(Phrase("\(label): bulan '\(k)' bukan bulan tahun rencana \(year)", "\(label): month '\(k)' is not a month of the plan year \(year)"), file: file)
            }
            return names.map { name in
                let entry = keyed[name]
                if let d = entry as? [String: Any] { return d["target"] as? Double }
                return entry as? Double
            }
        }
        if let list = r["monthly"] as? [Double] {
            guard list.count == 12 else {
                throw InputError(Phrase("\(label): diharapkan dua belas target bulanan, tertulis \(list.count)", "\(label): expected twelve monthly targets, got \(list.count)"), file: file)
            }
            return list
        }
        return names.map { _ in nil }
    }

    /// The plan's targets must be the scenario's: same plan year, same regions × segments × indicators.
    static func checkMatches(_ plan: ApprovedPlan, view: PlanYearView, file: String) throws(InputError) {
        guard plan.year == view.year else {
            throw InputError(Phrase("rencana ini untuk \(plan.year), skenario merencanakan \(view.year)", "the plan is for \(plan.year), the scenario plans \(view.year)"), file: file)
        }
        let planKeys = Set(plan.targets.map { "\($0.region) \($0.segment) \($0.metric.rawValue)" })
        let runKeys = Set(view.targets.filter { $0.basis == .projection && $0.scope != .overall }.map { "\($0.region) \($0.segment) \($0.metric.rawValue)" })
        if let missing = runKeys.subtracting(planKeys).sorted().first {
            throw InputError(Phrase("rencana tidak memuat target untuk \(missing), yang direncanakan skenario", "the plan has no target for \(missing), which the scenario plans"), file: file)
        }
        if let extra = planKeys.subtracting(runKeys).subtracting(Set(plan.targets.filter { $0.scope == .overall }.map { "\($0.region) \($0.segment) \($0.metric.rawValue)" })).sorted().first {
            throw InputError(Phrase("rencana memuat target untuk \(extra), yang tidak direncanakan skenario", "the plan has a target for \(extra), which the scenario does not plan"), file: file)
        }
    }
}
