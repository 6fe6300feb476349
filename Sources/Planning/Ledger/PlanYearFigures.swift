import Foundation

/// The plan-year figures a planner compares across scenarios: year-end active and the year's
/// acquisitions per region × segment (and region totals), deterministic and, with draws, the
/// quantiles at the scenario's levels and the median.
public struct PlanYearFigure: Sendable {
    /// The plan year the figures are of.
    public var year: Int
    public var region: String
    public var segment: String
    public var yearEndActive: Double?
    public var acquisitions: Double
    public var potential: Double?
    public var coverage: Double?
    /// Quantiles at the scenario's levels (nil without draws).
    public var activeQuantiles: [Double]?
    public var acquisitionQuantiles: [Double]?
    /// P50 of the draws (nil without draws), whatever the scenario's levels.
    var activeMedian: Double?
    var acquisitionsMedian: Double?
    /// The plan year's iuran in full (realised months plus the deterministic projection's, rupiah)
    /// and the draws' median; nil where no segment states iuran.
    public var iuran: Double? = nil
    var iuranMedian: Double? = nil
    /// The plan year's reactivations in full (realised plus the deterministic projection's); nil
    /// without a reactivation lever.
    public var reactivations: Double? = nil
    /// The year's acquisitions leave out realised months with no figure (the history starts inside the
    /// year): part of the year only (`Realisation.partYear`); a total when any of its parts is.
    public var acquisitionsPartYear = false
    /// How the year's projected acquisitions were made where a flow calibration made them: last year's
    /// pace, or the history's trend (`Projection.acquisitionsFlag`); nil for a curve.
    public var acquisitionsProjection: TargetFlag? = nil

    /// The figure a table shows as "year-end active": the draws' median, or the deterministic
    /// projection without draws.
    public var shownYearEndActive: Double? { activeMedian ?? yearEndActive }

    /// What a shown figure is: the P50 of the draws, or the deterministic projection without draws.
    public enum Basis: String, Sendable {
        case p50
        case deterministic
    }

    public var basis: Basis { acquisitionsMedian != nil ? .p50 : .deterministic }
    /// The year's iuran as shown, on the same basis as `shownYearEndActive` (nil without iuran).
    public var shownIuran: Double? { iuranMedian ?? iuran }
    /// The year's acquisitions as shown, on the same basis as `shownYearEndActive`.
    public var shownAcquisitions: Double { acquisitionsMedian ?? acquisitions }
    /// The deterministic figure of an indicator: the year-end stock, or the flow's year in full.
    public func deterministic(_ metric: TargetRow.Metric) -> Double? {
        switch metric {
        case .active: return yearEndActive
        case .acquisitions: return acquisitions
        case .iuran: return iuran
        case .reactivations: return reactivations
        }
    }

    /// The shown year-end active over the (deterministic) potential.
    public var shownCoverage: Double? {
        guard let a = shownYearEndActive, let p = potential, p > 0 else { return nil }
        return a / p
    }
}

public enum PlanYearSummary {
    /// The plan year: `targets.plan_year`, else the year after the last actual, within the horizon.
    public static func planYear(_ s: Scenario) -> Int {
        min(s.targets.planYear ?? s.actualsUntil.year + 1, s.horizon.year)
    }

    /// Year-end active and the plan year's acquisitions in full: months realised so far (from the
    /// history, up to `actuals_until`) plus the projected months.
    public static func figures(_ s: Scenario, history: History, projection: Projection, monteCarlo: MonteCarlo.Result?) -> [PlanYearFigure] {
        let year = planYear(s)
        let realisation = Realisation.of(s, history: history)
        var out: [PlanYearFigure] = []
        for region in s.regions {
            var totalActive = 0.0, totalAcq = 0.0, totalPotential = 0.0, totalRealised = 0.0
            var anyStock = false
            var totalIuran: Double? = nil, totalReactivations: Double? = nil
            for seg in s.segments {
                let rows = projection.rows(region: region.name, segment: seg.name).filter { $0.month.year == year }
                guard let last = rows.last else { continue }
                let real = realisation[Realisation.key(region.name, seg.name)]
                let reactivates = TargetRow.Metric.reactivations.applies(to: seg, region: region.name, in: s)
                // The full-year rule's realised part (Realisation.toDate, its one home).
                func toDate(_ metric: TargetRow.Metric) -> Double { real?.toDate(year, metric, segment: seg, region: region.name, in: s)?.value ?? 0 }
                let realised = toDate(.acquisitions)
                let acq = realised + rows.reduce(0) { $0 + $1.acquisitions }
                let cell = monteCarlo?.cell(region.name, seg.name)
                let k = cell?.months.firstIndex(of: last.month)
                let acqDraws = Realisation.fullYear(cell?.planYear(.acquisitions), realised: realised)
                let iuranRealised = toDate(.iuran)
                let iuran = seg.iuran.map { _ in iuranRealised + rows.reduce(0) { $0 + ($1.iuran ?? 0) } }
                if let iuran { totalIuran = (totalIuran ?? 0) + iuran }
                var figure = PlanYearFigure(
                    year: year, region: region.name, segment: seg.name, yearEndActive: last.active, acquisitions: acq,
                    potential: last.potential, coverage: last.coverage,
                    activeQuantiles: k.flatMap { k in cell?.active.map { b in b.values.map { $0[k] } } },
                    acquisitionQuantiles: acqDraws.map { quantiles($0, levels: monteCarlo!.options.quantiles) },
                    activeMedian: cell?.planYear(.active).flatMap { median($0) },
                    acquisitionsMedian: acqDraws.flatMap { median($0) })
                figure.iuran = iuran
                figure.acquisitionsPartYear = real?.partYear(year, .acquisitions, segment: seg, actualsUntil: s.actualsUntil) ?? false
                figure.acquisitionsProjection = projection.acquisitionsFlag(CellKey(region.name, seg.name))
                if reactivates {
                    figure.reactivations = toDate(.reactivations) + rows.reduce(0) { $0 + $1.reactivations }
                    if seg.countsPersons { totalReactivations = (totalReactivations ?? 0) + figure.reactivations! }
                }
                figure.iuranMedian = Realisation.fullYear(cell?.planYear(.iuran), realised: iuranRealised).flatMap { median($0) }
                out.append(figure)
                // Companies are never summed with persons.
                guard seg.countsPersons else { continue }
                totalAcq += acq
                totalRealised += realised
                if let a = last.active, let p = last.potential {
                    totalActive += a
                    totalPotential += p
                    anyStock = true
                }
            }
            let reg = monteCarlo?.region(region.name)
            let regAcqDraws = Realisation.fullYear(reg?.planYear(.acquisitions), realised: totalRealised)
            let iuranRealised = Realisation.regionToDate(s, realisation, region: region.name, year: year, .iuran)
            var total = PlanYearFigure(
                year: year, region: region.name, segment: History.totalSegment, yearEndActive: anyStock ? totalActive : nil,
                acquisitions: totalAcq, potential: anyStock ? totalPotential : nil,
                coverage: anyStock && totalPotential > 0 ? totalActive / totalPotential : nil,
                activeQuantiles: reg?.planYear(.active).map { quantiles($0, levels: monteCarlo!.options.quantiles) },
                acquisitionQuantiles: regAcqDraws.map { quantiles($0, levels: monteCarlo!.options.quantiles) },
                activeMedian: reg?.planYear(.active).flatMap { median($0) }, acquisitionsMedian: regAcqDraws.flatMap { median($0) })
            total.iuran = totalIuran
            total.reactivations = totalReactivations
            total.acquisitionsPartYear = out.contains { $0.region == region.name && !$0.isTotal && $0.acquisitionsPartYear && s.countsPersons($0.segment) }
            // One persons segment with a stock: the TOTAL's year-end stock is that segment's, one band
            // (the joint draws would round it apart by a person), as in the targets.
            let stocks = out.filter { $0.region == region.name && !$0.isTotal && s.countsPersons($0.segment) && $0.yearEndActive != nil }
            if stocks.count == 1, let only = stocks.first {
                total.activeQuantiles = only.activeQuantiles
                total.activeMedian = only.activeMedian
            }
            total.iuranMedian = Realisation.fullYear(reg?.planYear(.iuran), realised: iuranRealised).flatMap { median($0) }
            out.append(total)
        }
        return out
    }

    static func quantiles(_ draws: [Double], levels: [Double]) -> [Double] {
        var v = draws
        return MonteCarloQuantiles.compute(&v, levels: levels)
    }

    /// Each projected year of one region × segment: its last month's row and the year's acquisitions
    /// in full, the months realised up to `actuals_until` (from the history) plus the projected ones,
    /// with the last realised month when there is one.
    public static func yearly(
        _ s: Scenario, history: History, projection: Projection, region: String, segment: String
    ) -> [(last: ProjectionRow, acquisitions: Double, realisedThrough: Month?, partYear: Bool)] {
        let series = projection.rows(region: region, segment: segment)
        let realisation = Realisation(history: history, region: region, segment: segment, through: s.actualsUntil)
        let seg = s.segment(segment) ?? SegmentPlan(name: segment)
        return Set(series.map(\.month.year)).sorted().map { year in
            let inYear = series.filter { $0.month.year == year }
            let realised = realisation.flowToDate(year, .acquisitions)
            let part = realisation.partYear(year, .acquisitions, segment: seg, actualsUntil: s.actualsUntil)
            return (inYear.last!, (realised?.value ?? 0) + inYear.reduce(0) { $0 + $1.acquisitions }, realised?.through, part)
        }
    }

    /// The median of the draws (type 7, as every quantile here); nil without draws.
    static func median(_ draws: [Double]) -> Double? {
        draws.isEmpty ? nil : quantiles(draws, levels: [0.5])[0]
    }
}
