import Planning

/// The workbook's sheets of the tiers above the segments (issue 34): with several regions, a sheet
/// for their total's tier (the nation of a national plan: "Nasional") and one for the regions'
/// ("Kanwil"), each the TOTAL rows of its tier with their P(tercapai) and band, so each tier's reader
/// finds their own table on one printed page. Branches keep their own sheet ("Cabang"). Writers only
/// render: the rows are the plan-year view's.
enum LevelSheets {
    static func sheets(_ view: PlanYearView, words w: Words) -> [ExtraSheet] {
        guard view.targets.contains(where: { $0.region == Targets.allRegions }) else { return [] }
        let totals = view.targets.filter { $0.isTotal && $0.basis == .projection }
        let tiers = [view.regionLevel.parent, view.regionLevel]
        // With an issued figure, each row's target is its own proposal (ajuan): its share of the
        // issued figure stands beside it, with its P(tercapai).
        let issued = !view.allocations.isEmpty
        return tiers.map { tier in
            let rows = totals.filter { view.level(of: $0) == tier }
            let head = [w.t("Wilayah", "Region"), w.t("Indikator", "Indicator"), issued ? w.t("Target (ajuan)", "Target (proposal)") : "Target", w.pReach]
                + view.levels.map(w.level) + (issued ? [w.t("Alokasi target terbit", "Allocated issued target"), w.t("P(tercapai) alokasi", "P(reach) allocated")] : []) + [w.flags]
            let cells: [[ExtraSheet.Cell]] = rows.map { r in
                var row: [ExtraSheet.Cell] = [
                    .text(r.region == Targets.allRegions ? name(tier, w) : r.region), .text(w.metric(r.metric, r.unit)), .whole(r.target), r.probability.map { .probability($0) } ?? .empty,
                ] + view.levels.indices.map { j in r.quantiles.map { .whole($0[j]) } ?? .empty }
                if issued {
                    let a = view.allocations.first { $0.metric == r.metric }
                    if let a, r.region == Targets.allRegions {
                        row += [.whole(Double(a.issued)), a.totalReach.map { .probability($0) } ?? .empty]
                    } else if let u = a?.units.first(where: { $0.region == r.region }) {
                        row += [.whole(Double(u.allocated)), u.reach.map { .probability($0) } ?? .empty]
                    } else {
                        row += [.empty, .empty]
                    }
                }
                return row + [.text(r.flags.map(w.flag).joined(separator: "; "))]
            }
            return ExtraSheet(
                name: name(tier, w), header: head, cells: cells, numeric: Set(2..<(head.count - 1)), wrapColumn: head.count - 1, labelColumns: 2,
                notes: [tier == view.regionLevel
                    ? w.t("Target per \(name(tier, w)): jumlah segmennya; P(tercapai) dan pita dari simulasi bersama segmennya", "Targets by \(name(tier, w)): its segments summed; P(reach) and band from its segments' joint draws")
                    : w.t("Target \(name(tier, w).lowercased()): jumlah \(view.targets.filter { $0.isTotal && view.level(of: $0) == view.regionLevel }.map(\.region).uniqueCount) \(name(view.regionLevel, w)); P(tercapai) dan pita dari simulasi bersama semuanya (bukan jumlah pita)", "\(name(tier, w)) targets: the \(view.targets.filter { $0.isTotal && view.level(of: $0) == view.regionLevel }.map(\.region).uniqueCount) \(name(view.regionLevel, w).lowercased()) summed; P(reach) and band from their joint draws (not the bands summed)")])
        }
    }

    /// A tier's name as a sheet and a heading show it.
    static func name(_ tier: PlanLevel, _ w: Words) -> String {
        switch tier {
        case .national: w.t("Nasional", "National")
        case .kanwil: "Kanwil"
        case .province: w.t("Provinsi", "Province")
        // Not "Cabang": the branches' own sheet is called that.
        case .branch: w.t("KC", "Branch offices")
        }
    }
}

extension Array where Element: Hashable {
    /// How many different elements.
    var uniqueCount: Int { Set(self).count }
}
