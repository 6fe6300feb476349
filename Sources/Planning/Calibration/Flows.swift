import Fitting
import Foundation

/// Gross acquisitions per month for one region × segment, from monthly `acquisitions` rows or from
/// year-to-date figures spread evenly over the months they cover.
struct MonthlyFlows {
    /// Known months and their acquisitions.
    var byMonth: [Month: Double] = [:]
    var source: Source = .none

    /// Where the monthly figures come from; `description` is the wording in calibration.csv.
    enum Source: CustomStringConvertible {
        case none, monthly, yearToDate
        var description: String {
            switch self {
            case .none: return ""
            case .monthly: return "monthly acquisitions"
            case .yearToDate: return "year-to-date acquisitions spread over their months"
            }
        }
    }

    /// Monthly figures where the history has them; a year without any takes its year-to-date figures,
    /// spread evenly over the months each covers (from the previous figure of the same year, or from
    /// January). So a history may give one year as year-to-date press figures and the next monthly.
    init(history: History, region: String, segment: String, until cut: Month) {
        let monthly = history.series(region: region, segment: segment, metric: .acquisitions).filter { $0.month <= cut }
        for p in monthly { byMonth[p.month] = p.value }
        let monthlyYears = Set(monthly.map(\.month.year))
        let ytd = history.series(region: region, segment: segment, metric: .acquisitionsYTD).filter { $0.month <= cut && !monthlyYears.contains($0.month.year) }
        var previous: (month: Month, value: Double)? = nil
        for p in ytd {
            let startMonth: Month
            let base: Double
            if let prev = previous, prev.month.year == p.month.year {
                startMonth = prev.month.adding(months: 1)
                base = prev.value
            } else {
                startMonth = Month(year: p.month.year, month: 1)
                base = 0
            }
            let span = months(from: startMonth, through: p.month)
            for m in span { byMonth[m] = (p.value - base) / Double(span.count) }
            previous = p
        }
        source = !monthly.isEmpty ? .monthly : !ytd.isEmpty ? .yearToDate : .none
    }

    /// Mean over the latest 12 known months: g₀ for flow calibration.
    func recentMonthlyMean() -> (value: Double, source: String)? {
        let known = byMonth.keys.sorted().suffix(12)
        guard let first = known.first, let last = known.last else { return nil }
        let mean = known.reduce(0) { $0 + byMonth[$1]! } / Double(known.count)
        return (mean, "\(source), \(first)–\(last): \(format(mean)) a month")
    }

    /// g₀ for flow calibration and the trend it was weighed against (`FlowTrend`): with two years or
    /// more of monthly figures, the trend line's level at the last figure where its AICc beats the flat
    /// level's, else the mean over the latest 12 known months.
    func level() -> (value: Double, source: String, trend: FlowTrend?)? {
        guard let flat = recentMonthlyMean() else { return nil }
        let known = byMonth.keys.sorted()
        guard source == .monthly, let trend = FlowTrend.estimate(months: known, values: known.map { byMonth[$0]! }, flatLevel: flat.value) else {
            return (flat.value, flat.source, nil)
        }
        guard trend.chosen else { return (flat.value, flat.source + "; " + trend.source, trend) }
        return (trend.level, "\(source), \(trend.months) months to \(known.last!): \(format(trend.level)) a month at \(known.last!); " + trend.source, trend)
    }

    func total(over span: [Month]) -> Double? {
        var sum = 0.0
        for m in span {
            guard let v = byMonth[m] else { return nil }
            sum += v
        }
        return sum
    }
}

/// λ from stock change against acquisitions: over an interval with stock A_a → A_b and gross
/// acquisitions G, G − ΔA = λ·exposure (exposure ≈ months × mean stock). Several intervals are
/// combined by least squares through the origin (GSL), one gives the ratio directly.
enum LapseEstimate {
    static func fromHistory(
        stock: [(month: Month, value: Double)], flows: MonthlyFlows
    ) -> (monthly: Double, source: String, notes: [Phrase])? {
        var outflow: [Double] = [], exposure: [Double] = []
        for (a, b) in zip(stock, stock.dropFirst()) {
            let span = months(from: a.month.adding(months: 1), through: b.month)
            guard !span.isEmpty, let g = flows.total(over: span) else { continue }
            outflow.append(g - (b.value - a.value))
            exposure.append(Double(span.count) * (a.value + b.value) / 2)
        }
        guard !outflow.isEmpty, exposure.allSatisfy({ $0 > 0 }) else { return nil }
        let rate: Double
        var notes: [Phrase] = []
        if outflow.count >= 2, let fit = try? LinearRegression.fit(y: outflow, columns: [exposure], names: ["lambda"], intercept: false) {
            rate = fit.coefficients[0].estimate
            if let se = fit.coefficients[0].standardError {
                let intervals = outflow.count
                notes.append(Phrase { l in
                    l.t("tingkat non-aktif bulanan \(l.short(rate * 100))% (SE \(l.short(se * 100))%) dengan regresi pada \(intervals) interval",
                        "monthly lapse rate \(l.short(rate * 100))% (SE \(l.short(se * 100))%) by regression on \(intervals) intervals")
                })
            }
        } else {
            rate = outflow.reduce(0, +) / exposure.reduce(0, +)
        }
        guard rate >= 0, rate < 1 else {
            return nil
        }
        return (rate, "history (stock change vs acquisitions, \(outflow.count) interval\(outflow.count == 1 ? "" : "s"))", notes)
    }
}
