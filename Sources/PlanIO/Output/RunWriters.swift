import Fitting
import Foundation
import Planning

/// projection.csv and calibration.csv (raw numbers, fixed formats). In projection.csv the honorary and
/// budget columns are net changes of those stocks; `programme_joiners` (counted in acquisitions) less
/// `programme_leavers` (counted as lapses of the programmes) is their sum. `iuran` is the month's
/// contribution revenue in rupiah at the stated collection rate (empty without `segments.S.iuran`).
/// `reactivations` are members back from the non-active pool (a reactivation lever; not in
/// `gross_acquisitions`), `reactivation_stock_change` the net change of that stock (its lapses are in
/// `programme_leavers`).
enum RunWriters {
    static func projectionCSV(_ p: Projection) -> String {
        var w = CSVWriter(header: [
            "month", "region", "segment", "potential", "active", "gross_acquisitions", "lapses", "honorary_inflow",
            "village_inflow", "budget_cohort_inflow", "ceiling_adjustment", "net_change", "coverage", "programme_joiners", "programme_leavers",
            "deviation_change", "iuran", "reactivations", "reactivation_stock_change",
        ])
        for r in p.rows {
            w.row([
                r.month.description, r.region, r.segment, CSVWriter.persons(r.potential), CSVWriter.persons(r.active),
                CSVWriter.persons(r.grossAcquisitions), CSVWriter.persons(r.lapses), CSVWriter.persons(r.honoraryChange),
                CSVWriter.persons(r.villageInflow), CSVWriter.persons(r.budgetCohortChange),
                CSVWriter.persons(r.ceilingAdjustment), CSVWriter.persons(r.netChange), CSVWriter.fixed(r.coverage, 6),
                CSVWriter.persons(r.active == nil ? nil : r.programmeJoiners), CSVWriter.persons(r.active == nil ? nil : r.programmeLeavers),
                CSVWriter.persons(r.deviationChange), CSVWriter.persons(r.iuran),
                CSVWriter.persons(r.active == nil ? nil : r.reactivations), CSVWriter.persons(r.active == nil ? nil : r.reactivationChange),
            ])
        }
        return w.text
    }

    /// `projection_start` is the stock at `actuals_until` the projection starts from (after the
    /// run-up from `start_month`, which levers never touch).
    static func calibrationCSV(_ cals: [SegmentCalibration], projection: Projection, monteCarlo: MonteCarlo.Result? = nil) -> String {
        var w = CSVWriter(header: [
            "region", "segment", "calibration", "model", "space", "parameters", "std_errors", "n_points", "rss", "aicc",
            "monthly_acquisitions", "lapse_rate_per_year", "lapse_source", "start_month", "start_stock",
            "last_actual_month", "last_actual", "potential_basis", "notes", "projection_start_month", "projection_start",
            "deviation_phi", "deviation_sd", "deviation_source", "seasonality", "segment_correlation", "fit_check", "national_correlation",
            "band_rescaling",
        ])
        for c in cals {
            var kind = "", model = "", space = "", params = "", ses = "", n = "", rss = "", aicc = "", g0 = ""
            switch c.dynamics {
            case .curve(let dyn, let sp, let fit):
                kind = "curve"
                model = dyn.model.rawValue
                space = sp == .coverage ? "coverage" : "persons"
                params = fit.parameters.map { "\($0.name)=\(CSVWriter.significant($0.estimate))\($0.fixed ? " (fixed)" : "")" }.joined(separator: "; ")
                ses = fit.parameters.map { "\($0.name)=\($0.standardError.map { CSVWriter.significant($0) } ?? "NA")" }.joined(separator: "; ")
                n = "\(fit.n)"
                rss = CSVWriter.significant(fit.rss)
                aicc = CSVWriter.significant(c.aicc)
            case .flows(let g):
                kind = "flows"
                g0 = CSVWriter.persons(g)
            case .flowOnly(let g):
                kind = "flow-only"
                g0 = CSVWriter.persons(g)
            }
            // calibration.csv is for scripts and analysts: its notes in English.
            var notes = c.notes.map(\.english)
            if case .curve(_, _, let fit) = c.dynamics { notes += fit.warnings.map(\.english) }
            if let best = c.candidates.first {
                // Ranked by the GLS fits' −2ℓ + the larger of the AICc (AIC when undefined for one) and
                // BIC penalties: each with its weight, the share of Monte Carlo draws on that curve.
                let ranked = c.candidates.map { "\($0.model.rawValue) \(CSVWriter.significant($0.criterion)) w \(CSVWriter.fixed($0.weight, 3))" }
                    + best.dropped.map { "\($0.model.rawValue) \(CSVWriter.significant($0.criterion)) w <\(CSVWriter.fixed(CurveCandidate.smallestWeight, 3))" }
                notes.append(
                    "auto, ranked by the GLS fits' −2 log-likelihood + the larger of the \(best.usesAICc ? "AICc and BIC penalties (" : "AIC and BIC penalties (too few points for AICc; ")w = share of draws"
                        + (best.temperature == 1 ? "" : " ∝ exp(−Δ/\(CSVWriter.significant(2 * best.temperature))), Δ = criterion − the best's; tempered from exp(−Δ/2): figures spanning fewer than \(FitCheck.shortSpan) months tell the curves apart little")
                        + "): "
                        + ranked.joined(separator: ", ") + (c.failedModels.isEmpty ? "" : "; not fitted: " + c.failedModels.joined(separator: ", ")))
            }
            // Stable codes, `;`-separated; "ok" for a curve on its data, empty for flows.
            let fitCheck = c.fitChecks.isEmpty ? (c.modelName == nil ? "" : "ok") : c.fitChecks.map(\.code).joined(separator: "; ")
            let start = projection.start(region: c.region, segment: c.segment)
            let identity: [String] = [
                c.region, c.segment, kind, model, space, params, ses, n, rss, aicc, g0,
                CSVWriter.fixed(c.yearlyLapseRate, 6), c.lapseSource, c.startMonth.description, CSVWriter.persons(c.startStock),
                c.lastActual?.month.description ?? "", CSVWriter.persons(c.lastActual?.value), c.potential?.basis ?? "",
                c.method + (notes.isEmpty ? "" : " | " + notes.joined(separator: " | ")),
                start?.month.description ?? "", CSVWriter.persons(start?.active),
            ]
            let deviations: [String] = [
                c.deviation.map { CSVWriter.significant($0.phi) } ?? "", c.deviation.map { CSVWriter.significant($0.sd) } ?? "",
                c.deviation?.source ?? "none (year-to-date figures only: no month-to-month spread; acquisitions_factor states the uncertainty)",
                c.deviation?.seasonalitySource ?? "none (no monthly deviations)",
                c.correlation.map { "\(CSVWriter.significant($0.rho)): \($0.source)" } ?? "",
                fitCheck,
                c.national.map { "\(CSVWriter.significant($0.rho)): \($0.source)" } ?? "",
                rescalingNote(c, cell: monteCarlo?.cell(c.region, c.segment)),
            ]
            w.row(identity + deviations)
        }
        return w.text
    }

    /// calibration.csv's `band_rescaling`: the factor the draws took at 12 and 24 months after the
    /// last actual, and what it rests on (docs/uncertainty.md, "Rescaled by past errors"); or why none.
    static func rescalingNote(_ c: SegmentCalibration, cell: MonteCarlo.Cell?) -> String {
        let r: BandRescaling
        switch c.rescaling {
        case .failure(let absence): return absence.note
        case .success(let found): r = found
        }
        let horizons = [12, 24]
        let last = c.lastActual?.month ?? c.startMonth
        // The factor 12 and 24 months on, where the outputs reach that far; else at their last month.
        var applied: [String] = []
        if let cell, let factors = cell.bandFactors, let end = cell.months.last {
            let reached = horizons.filter { cell.months.contains(last.adding(months: $0)) }
            for h in reached.isEmpty ? [last.distance(to: end)] : reached {
                let k = cell.months.firstIndex(of: last.adding(months: h))!
                applied.append("x\(CSVWriter.fixed(factors[k], 2)) at \(h) months (\(cell.months[k]))")
            }
        }
        let at = { (v: [Double], digits: Int) in horizons.map { CSVWriter.fixed(v[min($0, v.count) - 1], digits) }.joined(separator: " / ") }
        return (applied.isEmpty ? "" : "P10-P90 about the P50 (log scale) " + applied.joined(separator: ", ") + "; ")
            + "\(r.origins) origins, \(r.errors) past errors; at 12 / 24 months their spread "
            + at(r.spread, 2) + " times the band printed then, effective count " + at(r.effective, 1) + ", weight " + at(r.weight, 2)
    }
}
