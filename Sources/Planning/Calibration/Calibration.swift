import Dispatch
import Fitting
import Foundation

/// What the engine needs to project one region × segment, and where each number came from.
public struct SegmentCalibration: Sendable {
    public enum Space: Sendable, Equatable {
        /// The curve describes coverage u = A / S(t), S the segment's potential (less any carve-out).
        case coverage
        /// The curve describes persons directly (ceiling free).
        case persons
    }

    public enum Dynamics: Sendable {
        /// A growth curve fitted to the stock.
        case curve(CurveDynamics, space: Space, fit: FitResult)
        /// A stock segment calibrated on its flows: gross acquisitions g₀ per month.
        case flows(monthlyAcquisitions: Double)
        /// Only acquisitions are known: G = x^ε·g₀, no stock.
        case flowOnly(monthlyAcquisitions: Double)
    }

    public var region: String
    public var segment: String
    public var dynamics: Dynamics
    /// Monthly lapse rate λ (nil for flow-only segments).
    var monthlyLapseRate: Double?
    /// "history (…)" or "assumption (scenario)".
    public var lapseSource: String
    /// Where g₀ or the curve came from, in words.
    public var method: String
    /// The engine starts from this month's stock (end of month).
    public var startMonth: Month
    public var startStock: Double?
    /// The last actual stock figure, for comparison.
    public var lastActual: (month: Month, value: Double)?
    public var potential: PotentialPath?
    public var notes: [Phrase]
    /// The deviation overlay and jump-off (docs/engine.md, "Deviations"): on the stock of a curve, on the
    /// acquisitions of a flow calibration; nil when the history gives nothing to measure it against.
    public var deviation: DeviationModel? = nil
    /// AICc of the curve's exact GLS likelihood (`Calibration.likelihood`); `model: auto` ranks by it or
    /// by BIC, whichever penalises more (`rankingCriterion`). nil for flows and when n ≤ k + 1.
    public var aicc: Double? = nil
    /// `model: auto`: every curve that could be fitted, best first, each with its own GLS fit,
    /// deviation model and weight exp(−Δ/2) (exp(−Δ/8) on a span under 48 months); the draws take them
    /// by weight (the first is `dynamics`).
    /// Empty for a named model. Models that could not be fitted are named in `failedModels`.
    public var candidates: [CurveCandidate] = []
    public var failedModels: [String] = []
    /// A curve that does not sit on its data (`FitCheck`); empty when it does, and for flows.
    public var fitChecks: [FitCheck] = []
    /// What share of their deviations' innovations this segment has in common with the other segments
    /// of its region; nil when it is the region's only segment with deviations.
    public var correlation: SegmentCorrelation? = nil
    /// What share of their innovations all the scenario's cells have in common across regions (the
    /// national component, `SegmentCorrelation.acrossRegions`); nil with a single region.
    public var national: SegmentCorrelation? = nil
    /// The history's non-active pool (`inactive`) at its latest month up to `actuals_until`, for a
    /// reactivation lever.
    public var inactive: (month: Month, value: Double)? = nil
    /// The segment's stated iuran against the region's realised iuran (nil without both).
    public var iuran: IuranCalibration? = nil
    /// The draws' rescaling by the cell's own rolling-origin errors (`BandRescaling`), or why there is none.
    public var rescaling: Result<BandRescaling, BandRescaling.Absence> = .failure(.off)
    /// A lasting intervention's level (`LastingLevel`): the figures before `from` were multiplied by
    /// `factor` for the curve's fit; nil without one, or when its level could not be estimated.
    public var lastingLevel: (from: Month, factor: Double)? = nil

    /// The fitted curve at `m` at the level the figures were recorded at (before a lasting
    /// intervention, the curve ÷ its factor), what a chart draws beside the actuals; nil for flows.
    public func fittedCurve(at m: Month) -> Double? {
        guard case .curve(let dyn, let space, _) = dynamics else { return nil }
        guard space == .persons || potential != nil else { return nil }
        let value = (space == .coverage ? potential!.value(at: m) : 1) * dyn.value(at: m.decimalYear)
        if let lasting = lastingLevel, m < lasting.from { return value / lasting.factor }
        return value
    }

    public var isFlowOnly: Bool {
        if case .flowOnly = dynamics { return true }
        return false
    }

    /// The growth model of a curve calibration ("logistic"), nil for flow calibrations.
    public var modelName: String? {
        if case .curve(let dyn, _, _) = dynamics { return dyn.model.rawValue }
        return nil
    }

    /// Yearly lapse rate 1 − (1 − λ)^12, for reports.
    public var yearlyLapseRate: Double? { monthlyLapseRate.map { 1 - pow(1 - $0, 12) } }
}

/// Calibrates every region × segment of a scenario on its history (docs/engine.md, "Calibration").
public enum Calibration {
    /// Every region × segment, fitted independently (on `threads` workers; the result is the same for
    /// any number). The first error in region × segment order is thrown.
    public static func run(_ scenario: Scenario, history: History, threads: Int = 1) throws(PlanningError) -> [SegmentCalibration] {
        let cells = scenario.regions.flatMap { r in scenario.segments.map { (r, $0) } }
        let work = WorkQueue(count: cells.count)
        let slots = ResultSlots<Result<SegmentCalibration, PlanningError>>(count: cells.count)
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, cells.count))) { _ in
            while let i = work.next() {
                let (region, segment) = cells[i]
                do throws(PlanningError) {
                    var c = try calibrate(region: region, segment: segment, scenario: scenario, history: history)
                    // Computed once here, with the calibration it corrects (docs/uncertainty.md).
                    // (Whatever the draws: `--draws` is applied after calibration.)
                    if scenario.uncertainty.rescaling {
                        c.rescaling = BandRescaling.estimate(region: region, segment: segment, scenario: scenario, history: history, calibration: c)
                        if case .success(let r) = c.rescaling { c.notes.append(r.note) }
                    }
                    slots.set(i, .success(c))
                } catch {
                    slots.set(i, .failure(error))
                }
            }
        }
        var out: [SegmentCalibration] = []
        for r in slots.all() {
            switch r {
            case .success(var c):
                c.notes += programmeNotes(scenario, region: c.region, segment: c.segment)
                if let seg = scenario.segment(c.segment), let plan = seg.iuran {
                    c.iuran = IuranCalibration.measure(plan, segment: seg, region: c.region, history: history, until: scenario.actualsUntil)
                    if let i = c.iuran { c.notes.append(i.note) }
                }
                c.inactive = history.series(region: c.region, segment: c.segment, metric: .inactive).last { $0.month <= scenario.actualsUntil }
                if let r = ActiveLevers(scenario: scenario, region: c.region, segment: c.segment).reactivation {
                    guard let pool = r.pool ?? c.inactive?.value else {
                        throw PlanningError(
                            Phrase(
                                "\(c.region) \(c.segment): levers.reactivation memerlukan kelompok non-aktif: angka 'inactive' sampai \(scenario.actualsUntil) di riwayat, atau levers.reactivation.pool",
                                "\(c.region) \(c.segment): levers.reactivation needs the non-active pool: an 'inactive' figure up to \(scenario.actualsUntil) in the history, or levers.reactivation.pool"),
                            segment: c.segment)
                    }
                    let stated = r.pool != nil, month = c.inactive?.month
                    let share = r.sharePerYear
                    c.notes.append(Phrase { l in
                        let from = stated ? l.t("dinyatakan", "stated") : l.t("non-aktif riwayat pada \(month!)", "the history's inactive at \(month!)")
                        return l.t("reaktivasi: \(l.n(pool)) non-aktif (\(from)), \(l.n(share * 100))% dari kelompok itu per tahun di atas kurva",
                                   "reactivation: \(l.n(pool)) non-active (\(from)), \(l.n(share * 100))% of the pool a year on top of the curve")
                    })
                }
                out.append(c)
            case .failure(let e): throw e
            }
        }
        let withDeviations = out.indices.filter { out[$0].deviation != nil }
        var innovations: [Int: [Month: Double]] = [:]
        for i in withDeviations { innovations[i] = monthlyInnovations(out[i], history: history, cut: scenario.actualsUntil) }
        // Segments of one region together: their deviations' common share.
        for region in scenario.regions.map(\.name) {
            let members = withDeviations.filter { out[$0].region == region }
            guard members.count >= 2 else { continue }
            let correlation = SegmentCorrelation.estimate(members.compactMap { i in innovations[i].map { (out[i].segment, $0) } }) ?? .byDefault
            for i in members { out[i].correlation = correlation }
        }
        // Regions together: the share every cell has in common across regions.
        if scenario.regions.count >= 2 {
            let estimate = SegmentCorrelation.acrossRegions(withDeviations.compactMap { i in innovations[i].map { (out[i].region, $0) } })
            let national = SegmentCorrelation.national(stated: scenario.uncertainty.nationalCorrelation, estimate: estimate)
            for i in withDeviations { out[i].national = national }
        }
        return out
    }

    /// A curve segment's whitened innovations (eₜ − φ·eₜ₋₁)/√(1 − φ²) at months whose previous month
    /// has a stock figure too (e the relative deviation from the calibrated curve); nil for flows.
    static func monthlyInnovations(_ c: SegmentCalibration, history: History, cut: Month) -> [Month: Double]? {
        guard case .curve(let dyn, let space, _) = c.dynamics, let phi = c.deviation?.phi, phi < 1 else { return nil }
        var e: [Month: Double] = [:]
        for (m, v) in history.series(region: c.region, segment: c.segment, metric: .active) where m <= cut {
            let scale = space == .coverage ? (c.potential?.value(at: m) ?? 0) : 1
            let f = scale * dyn.value(at: m.decimalYear)
            if f > 0 { e[m] = v / f - 1 }
        }
        var out: [Month: Double] = [:]
        for (m, x) in e {
            if let previous = e[m.adding(months: -1)] { out[m] = (x - phi * previous) / (1 - phi * phi).squareRoot() }
        }
        return out
    }

    /// A budget cohort both ways (persons and rupiah a year at the cost per person-month), and an
    /// honorary pool the history already covers, said beside the segment's calibration.
    static func programmeNotes(_ s: Scenario, region: String, segment: String) -> [Phrase] {
        let levers = ActiveLevers(scenario: s, region: region, segment: segment)
        var notes: [Phrase] = []
        if let c = levers.budget {
            let steps: [(from: Month?, value: Double)]
            switch c.size {
            case .persons(let p): steps = [(nil, p.initial)] + p.steps.map { ($0.from, $0.value) }
            case .budget(let b): steps = [(nil, b.initial)] + b.steps.map { ($0.from, $0.value) }
            }
            for (from, v) in steps where v > 0 {
                let persons: Double, rupiah: Double
                switch c.size {
                case .persons: (persons, rupiah) = (v, c.budgetPerYear(forPersons: v))
                case .budget: (persons, rupiah) = (v / (c.costPerPersonMonth * 12), v)
                }
                let cost = c.costPerPersonMonth, months = c.enrolmentMonths, enrolled = c.enrolledAtStart, at = s.actualsUntil
                notes.append(Phrase { l in
                    l.t("kohort anggaran\(from.map { " mulai \($0)" } ?? ""): \(l.n(persons)) orang = Rp \(l.n(rupiah)) per tahun dengan Rp \(l.n(cost)) per orang-bulan, didaftarkan selama \(months) bulan\(enrolled > 0 ? "; \(l.n(enrolled)) sudah terdaftar pada \(at)" : "")",
                        "budget cohort\(from.map { " from \($0)" } ?? ""): \(l.n(persons)) persons = Rp \(l.n(rupiah)) a year at Rp \(l.n(cost)) a person-month, enrolled over \(months) month(s)\(enrolled > 0 ? "; \(l.n(enrolled)) already enrolled at \(at)" : "")")
                })
            }
        }
        if let h = levers.honorary, case let enrolled = h.enrolledAtStart(actualsUntil: s.actualsUntil), enrolled >= 0.5 {
            let stated = h.alreadyEnrolled != nil, at = s.actualsUntil
            notes.append(Phrase { l in
                l.t("ramp honorer: \(l.n(enrolled)) orang sudah ada di riwayat pada \(at) (\(stated ? "already_enrolled" : "tingkat rencana ramp saat itu")), ramp berlanjut dari sana",
                    "honorary ramp: \(l.n(enrolled)) persons already in the history at \(at) (\(stated ? "already_enrolled" : "the ramp's planned level then")), the ramp continues from there")
            })
        }
        if let h = levers.honorary, h.alreadyCovered > 0 {
            notes.append(Phrase { l in
                l.t("kelompok honorer \(l.n(h.pool)), \(l.n(h.alreadyCovered * 100))% sudah tercakup di riwayat: ramp bekerja pada \(l.n(h.uncoveredPool))",
                    "honorary pool \(l.n(h.pool)), \(l.n(h.alreadyCovered * 100))% already covered in the history: the ramp acts on \(l.n(h.uncoveredPool))")
            })
        }
        return notes
    }

    static func calibrate(
        region: RegionPlan, segment: SegmentPlan, scenario: Scenario, history: History
    ) throws(PlanningError) -> SegmentCalibration {
        let cut = scenario.actualsUntil
        let label = "\(region.name) \(segment.name)"
        let stock = history.series(region: region.name, segment: segment.name, metric: .active).filter { $0.month <= cut }
        let flows = MonthlyFlows(history: history, region: region.name, segment: segment.name, until: cut)
        let potential = PotentialPath.make(region: region, segment: segment.name, history: history, own: segment.potential)
        var notes: [Phrase] = []

        if segment.flowOnly {
            guard let g0 = flows.level() else {
                throw PlanningError(
                    Phrase(
                        "\(label): segmen flow_only memerlukan angka 'acquisitions' atau 'acquisitions_ytd' sampai \(cut) di riwayat",
                        "\(label): a flow-only segment needs acquisitions or acquisitions_ytd figures up to \(cut) in the history"),
                    segment: segment.name)
            }
            return SegmentCalibration(
                region: region.name, segment: segment.name, dynamics: .flowOnly(monthlyAcquisitions: g0.value),
                monthlyLapseRate: nil, lapseSource: "", method: g0.source, startMonth: cut, startStock: nil,
                lastActual: nil, potential: potential, notes: notes,
                deviation: DeviationModel.ofFlows(flows, g0: g0.value, trend: g0.trend, start: cut))
        }
        guard let potential else {
            let company = segment.unit == .companies
            let companies = company ? "; a company segment states its own: segments.\(segment.name).potential {total, basis, as_of}" : ""
            let companiesID = company ? "; segmen perusahaan menyatakan potensinya sendiri: segments.\(segment.name).potential {total, basis, as_of}" : ""
            throw PlanningError(
                Phrase(
                    "\(label): segmen ini tidak punya potensi (tambahkan ke potential.shares atau potential.values, atau tandai segmen ini flow_only\(companiesID))",
                    "\(label): no potential for this segment (add it to potential.shares or potential.values, or mark the segment flow_only\(companies))"),
                segment: segment.name)
        }
        guard let last = stock.last else {
            throw PlanningError(
                Phrase(
                    "\(label): tidak ada angka 'active' (stok) sampai \(cut) di riwayat; tambahkan satu atau tandai segmen ini flow_only",
                    "\(label): no active (stock) figure up to \(cut) in the history; add one or mark the segment flow_only"),
                segment: segment.name)
        }

        // Lapse rate: from the history when stock changes and acquisitions overlap, else the scenario.
        let lapse: (rate: Double, source: String)
        if let fromHistory = LapseEstimate.fromHistory(stock: stock, flows: flows) {
            lapse = (fromHistory.monthly, fromHistory.source)
            notes += fromHistory.notes
        } else if let yearly = segment.lapseRatePerYear {
            lapse = (1 - pow(1 - yearly, 1.0 / 12), "assumption (scenario: \(format(yearly * 100))% a year)")
        } else {
            throw PlanningError(
                Phrase(
                    "\(label): riwayat tidak memberi tingkat non-aktif (perlu dua titik stok dengan akuisisi di antaranya); isi segments.\(segment.name).lapse_rate_per_year",
                    "\(label): the history gives no lapse rate (it needs two stock points with acquisitions between them); set segments.\(segment.name).lapse_rate_per_year"),
                segment: segment.name)
        }

        // The best curve for `fitted` (with `model: auto`, every candidate, best first; `model` instead
        // of the segment's) and its exact log-likelihood and free-parameter count.
        func bestCurve(_ fitted: [(month: Month, value: Double)], model: SegmentPlan.ModelSpec? = nil, notes: inout [Phrase]) -> (
            dyn: CurveDynamics, fit: FitResult, deviation: DeviationModel, logL: Double, k: Int,
            space: SegmentCalibration.Space, candidates: [CurveCandidate], failed: [String]
        )? {
            var segment = segment
            if let model { segment.model = model }
            guard let curve = fitCurve(segment: segment, stock: fitted, potential: potential, notes: &notes) else { return nil }
            let (ols, space, olsFit, choice) = curve
            let scaleAt = { (m: Month) in space == .coverage ? potential.value(at: m) : 1 }
            var candidates: [CurveCandidate] = []
            var failed: [String] = []
            if let choice {
                (candidates, failed) = rankCandidates(choice, stock: fitted, scale: scaleAt, space: space, cut: cut, jumpOff: last)
            }
            if let best = candidates.first {
                notes += best.notes
                return (best.dynamics, best.fit, best.deviation, best.logLikelihood, best.parameterCount, space, candidates, failed)
            }
            let (dyn, fit, deviation, _) = deviationFit(ols, olsFit, stock: fitted, scale: scaleAt, space: space, cut: cut, jumpOff: last, notes: &notes)
            let (logL, k) = likelihood(
                dyn, fit, deviation, times: fitted.map(\.month.decimalYear), months: fitted.map { Double($0.month.index) },
                values: fitted.map { $0.value / scaleAt($0.month) })
            return (dyn, fit, deviation, logL, k, space, candidates, failed)
        }
        // The curve is fitted to the figures outside the planner's interventions; the jump-off is the
        // last actual, inside one or not. `detected` is a disturbance the figures show that the planner
        // did not name (`TransientShift`): searched for on the first fit, left out of the second.
        func curveCalibration(
            _ fitted: [(month: Month, value: Double)], notes: [Phrase], detected: TransientShift?
        ) -> SegmentCalibration? {
            var notes = notes
            guard let (dyn, fit, deviation, logL, k, space, candidates, failed) = bestCurve(fitted, notes: &notes) else { return nil }
            let scaleAt = { (m: Month) in space == .coverage ? potential.value(at: m) : 1 }
            let start = scaleAt(cut) * dyn.value(at: cut.decimalYear)
            let d = deviation.lastDeviation * 100
            let residuals = fitted.map { p in
                p.value / (scaleAt(p.month) * dyn.value(at: p.month.decimalYear)) - 1 - (deviation.seasonality?.effect(p.month) ?? 0)
            }
            var checks = FitCheck.checks(
                residuals: residuals, months: fitted.map(\.month), phi: deviation.phi, sd: deviation.historySD,
                jumpOff: deviation.lastDeviation, estimated: deviation.dof != nil,
                seed: RandomStream.seed(31, "level-shift/\(region.name)/\(segment.name)"),
                // The draws mix curves only with parameter draws (without, every draw takes the best).
                mixed: candidates.count > 1 && scenario.uncertainty.parameters)
            if let rise = deviation.noiseRise { checks.append(.noiseRose(rise)) }
            if detected == nil, scenario.findDisturbances != .off, deviation.dof != nil,
                let dip = TransientShift.test(
                    residuals: residuals, months: fitted.map(\.month),
                    seed: RandomStream.seed(31, "transient-shift/\(region.name)/\(segment.name)"))
            {
                let with = scaleAt(scenario.horizon) * dyn.value(at: scenario.horizon.decimalYear)
                checks.append(.transientShift(dip, horizon: scenario.horizon, curveWith: with, curveWithout: nil))
            }
            notes.append(Phrase { l in
                l.t("jalur kurva mulai pada \(l.short(start)) di \(cut); proyeksi mulai dari realisasi terakhir \(last.month): \(l.short(last.value)) (simpangan \(l.decimal(d, 2))%, meluruh sebagai φ^h)",
                    "the curve path starts at \(l.short(start)) at \(cut); the projection starts at the last actual \(last.month): \(l.short(last.value)) (deviation \(l.decimal(d, 2))%, decaying as φ^h)")
            })
            let free = fit.parameters.filter { !$0.fixed }
            if let cov = fit.covariance, !free.isEmpty {
                let drawn = MultivariateNormal.drawable(covariance: cov, dimension: free.count)
                let held = free.indices.filter { !drawn[$0] }.map { free[$0].name }
                if !held.isEmpty {
                    let list = held.joined(separator: ", ")
                    notes.append(Phrase(
                        "kovarians parameter hasil pencocokan singular atau tak hingga pada \(list): ditahan pada estimasinya dalam simulasi Monte Carlo",
                        "the covariance of the fitted parameters is singular or not finite at \(list): held at the estimate in Monte Carlo draws"))
                }
            }
            var calibration = SegmentCalibration(
                region: region.name, segment: segment.name, dynamics: .curve(dyn, space: space, fit: fit),
                monthlyLapseRate: lapse.rate, lapseSource: lapse.source,
                method: "\(dyn.model.rawValue) fitted to \(space == .coverage ? "coverage A/L" : "the stock") (\(fitted.count) points"
                    + (fitted.count < stock.count
                        ? "; \(stock.count - fitted.count) in \(leftOutWhat(named: stock.contains { p in scenario.interventions.contains { $0.contains(p.month) } && !fitted.contains { $0.month == p.month } }, detected: detected != nil)) left out)" : ")"),
                startMonth: cut, startStock: start, lastActual: last, potential: potential, notes: notes,
                deviation: deviation, aicc: aicc(logL: logL, k: k, n: fitted.count), candidates: candidates, failedModels: failed)
            calibration.fitChecks = checks
            return calibration
        }
        var named = outsideInterventions(stock, scenario.interventions, notes: &notes)
        var lastingLevel: (from: Month, factor: Double)? = nil
        // A lasting intervention: the figures before it rescaled to the level after it, the factor
        // estimated with the curve (its profile likelihood). With `model: auto` the profile refits one
        // family, not every candidate at every step (about 25 steps: 12 s a cell with all five on 96
        // figures): the one the figures choose as they stand, then again with the one the rescaled
        // figures choose until the choice settles (fitted across both levels, the figures can choose
        // a family the rescaled ones do not: the national series' linear, then exponential).
        if let lasting = scenario.interventions.first(where: \.lasting), !named.contains(where: { lasting.contains($0.month) }) {
            var scratch: [Phrase] = []
            var family = bestCurve(named, notes: &scratch)?.dyn.model
            var said: [Phrase] = []
            var rescaled: (figures: [(month: Month, value: Double)], factor: Double?) = (named, nil)
            for _ in 0..<LastingLevel.familyRounds {
                said = []
                rescaled = LastingLevel.rescale(named, lasting, notes: &said) { figures in
                    var scratch: [Phrase] = []
                    return bestCurve(figures, model: family.map { .named($0) }, notes: &scratch)?.logL
                }
                let chosen = bestCurve(rescaled.figures, notes: &scratch)?.dyn.model
                if chosen == family { break }
                family = chosen
            }
            named = rescaled.figures
            lastingLevel = rescaled.factor.map { (lasting.from, $0) }
            notes += said
        }
        if var calibration = curveCalibration(named, notes: notes, detected: nil) {
            // A disturbance the figures show and that ended: left out of the fit as a named
            // intervention's figures are (with one figure either side, its ramps in and out), and said
            // with the curve's value at the horizon both ways; kept in and said with `find_disturbances:
            // warn`, when no curve can be fitted without it, or when the refit describes the figures it
            // kept worse than the first fit described them all (`FitCheck.Kept`).
            if let (dip, with) = calibration.fitChecks.lazy.compactMap(\.detectedDisturbance).first {
                calibration.fitChecks.removeAll { $0.detectedDisturbance != nil }
                let outside = named.filter { !dip.leftOut.contains($0.month) }
                let refit = outside.count >= 3 ? curveCalibration(outside, notes: notes, detected: dip) : nil
                let without: Double? = refit.flatMap { r in
                    guard case .curve(let dyn, let space, _) = r.dynamics else { return nil }
                    return (space == .coverage ? potential.value(at: scenario.horizon) : 1) * dyn.value(at: scenario.horizon.decimalYear)
                }
                let sd = (with: calibration.deviation?.historySD, without: refit?.deviation?.historySD)
                let kept: FitCheck.Kept? =
                    if scenario.findDisturbances == .warn { .asked }
                    else if refit == nil || without == nil { .noCurve }
                    else if let a = sd.with, let b = sd.without, b > a { .worseFit(sdWith: a, sdWithout: b) }
                    else { nil }
                if kept == nil, let refit {
                    calibration = refit
                    calibration.fitChecks.append(.transientShift(dip, horizon: scenario.horizon, curveWith: with, curveWithout: without))
                } else {
                    calibration.fitChecks.append(.transientShift(dip, horizon: scenario.horizon, curveWith: with, curveWithout: without, kept: kept))
                }
            }
            calibration.lastingLevel = lastingLevel
            return calibration
        }
        // Flows from the history, else the scenario's stated acquisitions (an assumption, said so).
        guard let g0 = flows.level()
            ?? segment.acquisitionsPerMonth.map({ (value: $0, source: "assumption (scenario: \(NumberText.grouped($0, separator: ",")) acquisitions a month; the history has none)", trend: nil) })
        else {
            throw PlanningError(
                Phrase(
                    "\(label): \(stock.count) titik stok terlalu sedikit untuk kurva dan riwayat tidak memuat akuisisi untuk kalibrasi pada arus; tambahkan angka akuisisi atau isi segments.\(segment.name).acquisitions_per_month",
                    "\(label): \(stock.count) stock point(s) are too few for a curve and the history has no acquisitions to calibrate on flows; add acquisitions figures or state segments.\(segment.name).acquisitions_per_month"),
                segment: segment.name)
        }
        return SegmentCalibration(
            region: region.name, segment: segment.name, dynamics: .flows(monthlyAcquisitions: g0.value),
            monthlyLapseRate: lapse.rate, lapseSource: lapse.source, method: g0.source,
            startMonth: last.month, startStock: last.value, lastActual: last, potential: potential,
            notes: notes,
            deviation: DeviationModel.ofFlows(flows, g0: g0.value, trend: g0.trend, start: last.month))
    }

    /// The curve refitted for deviations in proportion to the level (relative errors), by GLS with
    /// continuous-time AR(1) errors (`SerialCorrelation`): with at least `DeviationModel.minimumPoints`
    /// points φ is estimated (maximum likelihood on the relative residuals, bias-corrected) and the curve
    /// refitted at it, s is the GLS residual SD with n − p degrees of freedom (n − p − 11 after a
    /// month-of-year pattern); with fewer, φ and s are the stated defaults and the curve is fitted by GLS
    /// at the default φ. The ordinary least-squares fit (the model choice, `rkat fit`) is kept when the
    /// GLS fit fails, with a note.
    static func deviationFit(
        _ ols: CurveDynamics, _ olsFit: FitResult, stock: [(month: Month, value: Double)], scale: (Month) -> Double,
        space: SegmentCalibration.Space, cut: Month, jumpOff lastActual: (month: Month, value: Double)? = nil, notes: inout [Phrase]
    ) -> (CurveDynamics, FitResult, DeviationModel, gls: Bool) {
        let model = ols.model
        let times = stock.map(\.month.decimalYear)
        let months = stock.map { Double($0.month.index) }
        var values = stock.map { $0.value / scale($0.month) }
        // The jump-off: the last actual (which an intervention may have kept out of `stock`).
        let last = lastActual ?? stock.last!
        let gap = last.month.distance(to: cut)
        var seasonality: Seasonality? = nil
        var seasonalityNote = "none (fewer than \(Seasonality.minimumYears) full years of monthly figures)"
        func jumpOff(_ dyn: CurveDynamics) -> Double {
            last.value / (scale(last.month) * dyn.value(at: last.month.decimalYear)) - 1 - (seasonality?.effect(last.month) ?? 0)
        }
        var fixedCeiling: Double? = model.ceilingIndex.flatMap { olsFit.parameters[$0].fixed ? olsFit.parameters[$0].estimate : nil }
        let estimable = stock.count >= DeviationModel.minimumPoints

        func gls(phi: Double, start: [Double]) throws(FitError) -> FitResult {
            let base = GrowthCurveFunction(model: model, times: times, fixedCeiling: fixedCeiling)
            var r = try SerialCorrelation.fit(
                base, y: values, months: months, phi: phi, relative: true, starts: [start], model: model.rawValue,
                formula: model.formula(origin: base.origin))
            r.growthModel = model
            if let k = fixedCeiling, let c = model.ceilingIndex {
                r.parameters.insert(ParameterEstimate(name: model.parameterNames[c], estimate: k, fixed: true), at: c)
            }
            return r
        }
        func freeStart(_ fit: FitResult) -> [Double] { fit.parameters.filter { !$0.fixed }.map(\.estimate) }
        /// φ and s estimated from the history (at least `DeviationModel.minimumPoints` points), φ's standard
        /// error on the lag of the typical gap between points; the residuals `e` at the kept curve (its
        /// `p` parameters fitted, the month-of-year pattern out) also read with reporting noise.
        func estimated(
            phi: Double, mlPhi: Double, sd s: Double, dof: Int, by: String, jumpOff d0: Double, residuals e: [Double], parameters p: Int
        ) -> DeviationModel {
            let gapMonths = max(1, (months.last! - months.first!) / Double(max(months.count - 1, 1)))
            let rho = pow(phi, gapMonths)
            let seRho = ((1 - rho * rho) / Double(stock.count)).squareRoot()
            let sePhi = rho > 0 ? seRho / (gapMonths * pow(rho, (gapMonths - 1) / gapMonths)) : seRho
            var deviation = DeviationModel(
                phi: phi, sd: s, dof: dof, phiSE: sePhi, phiRange: nil, sdPosterior: nil,
                source: "estimated from \(stock.count) points: φ \(NumberText.significant(phi, 3)) a month (ML \(NumberText.significant(mlPhi, 3)), bias-corrected), s \(NumberText.significant(s, 3)) (\(by), \(dof) dof)",
                lastMonth: last.month, lastValue: last.value, lastDeviation: d0, gap: gap)
            deviation.pointGap = gapMonths
            deviation.seasonality = seasonality
            deviation.seasonalitySource = seasonalityNote
            deviation.noisyReading = NoisyReading.read(e, months: months, parameters: p, for: deviation)
            deviation.source += deviation.noisyReading?.source ?? ""
            // After the noisy reading, which compares two readings of the whole history's variance.
            deviation.noiseRise = NoiseRise.read(e, months: months, at: stock.map(\.month), for: deviation)
            if let rise = deviation.noiseRise {
                (deviation.sd, deviation.dof) = (rise.laterSD, rise.dof)
                deviation.source += rise.source
            }
            return deviation
        }

        do throws(FitError) {
            var phi = (DeviationModel.defaultPhi.lowerBound + DeviationModel.defaultPhi.upperBound) / 2
            var mlPhi = phi
            var fit = try gls(phi: estimable ? 0 : phi, start: freeStart(olsFit))
            if estimable {
                let p = fit.parameters.filter { !$0.fixed }.count
                var e = SerialCorrelation.errors(
                    GrowthCurveFunction(model: model, times: times, fixedCeiling: fixedCeiling), y: values, theta: freeStart(fit), relative: true)
                // A month-of-year pattern, when the history shows one: φ from what is left, and the
                // curve refitted to the figures without it.
                (seasonality, seasonalityNote) = Seasonality.estimate(zip(stock, e).map { ($0.month, $1) })
                if let seasonality {
                    e = zip(stock, e).map { $1 - seasonality.effect($0.month) }
                    values = zip(stock, values).map { $1 / (1 + seasonality.effect($0.month)) }
                }
                mlPhi = SerialCorrelation.maximumLikelihoodPhi(e, months: months).phi
                // The month-of-year effects are not counted: unlike a trend they take out little of the
                // lag-one persistence (the correction with p + 11 took φ 0.5 to 0.73 in the tests).
                phi = SerialCorrelation.biasCorrected(phi: mlPhi, months: months, parameters: p)
                fit = try gls(phi: phi, start: freeStart(fit))
            }
            if space == .coverage, let c = model.ceilingIndex, fixedCeiling == nil, fit.parameters[c].estimate > 1 {
                fixedCeiling = 1
                fit = try gls(phi: phi, start: freeStart(olsFit).enumerated().filter { $0.offset != c }.map(\.element))
                notes.append(Phrase("κ di atas 1 pada pencocokan GLS: ditahan pada 1, batas atasnya adalah potensi", "κ above 1 in the GLS fit: held at 1, the ceiling is the potential"))
            }
            let dyn = CurveDynamics(model: model, parameters: fit.parameters.map(\.estimate), origin: times.min()!)
            let ols = olsFit.parameters
            notes.append(Phrase { l in
                let list = ols.map { "\($0.name)=\(l.significant($0.estimate, 6))" }.joined(separator: ", ")
                return l.t("parameter dengan GLS, simpangan relatif AR(1) pada φ = \(l.significant(phi, 3)) per bulan (kuadrat terkecil biasa: \(list))",
                           "parameters by GLS with relative AR(1) deviations at φ = \(l.significant(phi, 3)) a month (ordinary least squares: \(list))")
            })
            let d0 = jumpOff(dyn)
            if estimable, let s = fit.residualSD {
                // The 11 month-of-year effects came out of the same figures: s² on the dof left after them
                // (the GLS fit, on the deseasonalised figures, divides by n − p).
                let dof = max(fit.dof - (seasonality == nil ? 0 : 11), 1)
                let widen = Double(fit.dof) / Double(dof)
                // The fit's own σ̂, covariance and standard errors on the same dof (calibration.csv prints
                // them; the draws use the covariance over σ̂², which this leaves as it was).
                if widen != 1 {
                    fit.residualSD = s * widen.squareRoot()
                    fit.covariance = fit.covariance?.map { $0 * widen }
                    for j in fit.parameters.indices { fit.parameters[j].standardError = fit.parameters[j].standardError.map { $0 * widen.squareRoot() } }
                }
                // The residuals at the kept curve, without the month-of-year pattern (read with noise too).
                let e = SerialCorrelation.errors(
                    GrowthCurveFunction(model: model, times: times, fixedCeiling: fixedCeiling), y: values, theta: freeStart(fit), relative: true)
                let deviation = estimated(
                    phi: phi, mlPhi: mlPhi, sd: s * widen.squareRoot(), dof: dof, by: "GLS", jumpOff: d0,
                    residuals: e, parameters: fit.parameters.filter { !$0.fixed }.count)
                return (dyn, fit, deviation, true)
            }
            return (dyn, fit, DeviationModel.short(
                last: last, deviation: d0, gap: gap, residualSD: fit.residualSD, dof: fit.dof,
                why: "\(stock.count) points, fewer than \(DeviationModel.minimumPoints)"), true)
        } catch {
            let why = error.phrase
            // The kept curve is fitted to the figures as they are; a month-of-year pattern in its residuals
            // is taken out before φ and s, as the GLS path does (the curve is not refitted without it).
            seasonality = nil
            var olsValues = stock.map { $0.value / scale($0.month) }
            var e = zip(times, olsValues).map { $1 / ols.value(at: $0) - 1 }
            let p = olsFit.parameters.filter { !$0.fixed }.count
            guard estimable, e.allSatisfy(\.isFinite), stock.count > p + 1 else {
                notes.append(Phrase("pencocokan GLS gagal (\(why.indonesian)); kurva kuadrat terkecil biasa dipakai", "the GLS fit failed (\(why.english)); the ordinary least-squares curve is kept"))
                var short = DeviationModel.short(last: last, deviation: jumpOff(ols), gap: gap, residualSD: nil, dof: 0, why: "GLS failed")
                short.seasonalitySource = "none (the GLS fit failed)"
                return (ols, olsFit, short, false)
            }
            (seasonality, seasonalityNote) = Seasonality.estimate(zip(stock, e).map { ($0.month, $1) })
            if let seasonality {
                let effect = stock.map { seasonality.effect($0.month) }
                e = zip(e, effect).map { $0 - $1 }
                olsValues = zip(olsValues, effect).map { $0 / (1 + $1) }
            }
            let dof = max(stock.count - p - (seasonality == nil ? 0 : 11), 1)
            // A long history still says how far and how persistently its figures stray from the kept
            // curve: φ and s from that curve's relative residuals, as the GLS path takes them from its
            // own (the short-history prior put a 96-month series' P10 at a tenth of its P50).
            let mlPhi = SerialCorrelation.maximumLikelihoodPhi(e, months: months).phi
            let phi = SerialCorrelation.biasCorrected(phi: mlPhi, months: months, parameters: p)
            let z = SerialCorrelation.whiten(e, lags: (1..<e.count).map { pow(phi, months[$0] - months[$0 - 1]) })
            let s = (z.reduce(0) { $0 + $1 * $1 } / Double(dof)).squareRoot()
            // Its parameters drawn with the GLS covariance at φ, in the deviations' relative units: the
            // least-squares covariance is in the figures' units (the draws scale it by s over its
            // residual SD: 5× too wide on a coverage curve, next to nothing on a persons one).
            var kept = olsFit
            let heldCeiling = model.ceilingIndex.flatMap { olsFit.parameters[$0].fixed ? olsFit.parameters[$0].estimate : nil }
            if let gls = SerialCorrelation.covariance(
                GrowthCurveFunction(model: model, times: times, fixedCeiling: heldCeiling), y: olsValues, months: months, phi: phi,
                relative: true, theta: freeStart(olsFit), dof: dof) {
                kept.residualSD = gls.residualSD
                kept.covariance = gls.covariance
                for (k, j) in kept.parameters.indices.filter({ !kept.parameters[$0].fixed }).enumerated() {
                    kept.parameters[j].standardError = gls.covariance[k * p + k].squareRoot()
                }
            }
            notes.append(Phrase(
                "pencocokan GLS gagal (\(why.indonesian)); kurva kuadrat terkecil biasa dipakai, φ dan s dari residunya",
                "the GLS fit failed (\(why.english)); the ordinary least-squares curve is kept, with φ and s from its residuals"))
            let deviation = estimated(
                phi: phi, mlPhi: mlPhi, sd: s, dof: dof, by: "the least-squares curve's residuals", jumpOff: jumpOff(ols), residuals: e, parameters: p)
            return (ols, kept, deviation, false)
        }
    }

    /// `model: auto`: each curve ModelChoice could fit is refitted as a named model would be (κ held at
    /// the potential when the data cannot identify it, then GLS with relative AR(1) deviations) and
    /// ranked by its exact likelihood (`SerialCorrelation.logLikelihood`, with k the free curve
    /// parameters, s, and φ when estimated) penalised by the larger of AICc's and BIC's penalties
    /// (`rankingCriterion`; AIC's for AICc's when AICc is undefined for one). The ordinary least-squares
    /// AICc ranks persistent deviations as if each point were new evidence, and picks one curve too
    /// confidently; the GLS likelihood does not. The weights exp(−Δ/2) (below 0.5% dropped; exp(−Δ/8)
    /// on figures spanning fewer than 48 months, `CurveCandidate.shortSpanTemperature`) say how often
    /// the draws take each curve, so the bands carry the uncertainty of the choice. When no GLS fit
    /// succeeds, the OLS choice alone, as before.
    static func rankCandidates(
        _ choice: ModelChoice, stock: [(month: Month, value: Double)], scale: (Month) -> Double,
        space: SegmentCalibration.Space, cut: Month, jumpOff: (month: Month, value: Double)? = nil
    ) -> (candidates: [CurveCandidate], failed: [String]) {
        let times = stock.map(\.month.decimalYear)
        let months = stock.map { Double($0.month.index) }
        let values = stock.map { $0.value / scale($0.month) }
        let bounded: CeilingSpec = space == .coverage ? .atMost(1) : .free
        var out: [CurveCandidate] = []
        var failed = choice.candidates.filter { $0.result == nil }.map(\.model.rawValue)
        var fallback: CurveCandidate? = nil
        for c in choice.candidates {
            guard var result = c.result else { continue }
            var notes: [Phrase] = []
            if space == .coverage, c.model.hasCeiling, !ceilingIdentified(result) || times.count < DeviationModel.minimumPoints {
                guard let refit = try? fitOne(c.model, times, values, bounded: bounded, space: space, notes: &notes) else {
                    failed.append(c.model.rawValue)
                    continue
                }
                result = refit
            }
            let ols = CurveDynamics(model: c.model, parameters: result.parameters.map(\.estimate), origin: times.min()!)
            let (dyn, fit, deviation, gls) = deviationFit(ols, result, stock: stock, scale: scale, space: space, cut: cut, jumpOff: jumpOff, notes: &notes)
            let (logL, k) = likelihood(dyn, fit, deviation, times: times, months: months, values: values)
            let candidate = CurveCandidate(
                dynamics: dyn, fit: fit, deviation: deviation, logLikelihood: logL, parameterCount: k,
                criterion: 0, weight: 1, notes: notes)
            if gls && logL.isFinite {
                out.append(candidate)
            } else {
                failed.append("\(c.model.rawValue) (GLS)")
                if fallback == nil { fallback = candidate }
            }
        }
        guard !out.isEmpty else { return (fallback.map { [$0] } ?? [], failed) }
        let corrected = out.allSatisfy { aicc(logL: $0.logLikelihood, k: $0.parameterCount, n: stock.count) != nil }
        for i in out.indices {
            let c = out[i]
            out[i].criterion = rankingCriterion(logL: c.logLikelihood, k: c.parameterCount, n: stock.count, corrected: corrected)
            out[i].usesAICc = corrected
        }
        // Stable on ties: ModelChoice's order.
        out = out.enumerated().sorted { a, b in
            a.element.criterion != b.element.criterion ? a.element.criterion < b.element.criterion : a.offset < b.offset
        }.map(\.element)
        let temperature = CurveCandidate.temperature(months: stock.map(\.month))
        let weights = CurveCandidate.weights(criteria: out.map(\.criterion), temperature: temperature)
        var kept: [CurveCandidate] = []
        for (c, w) in zip(out, weights) where w >= CurveCandidate.smallestWeight || kept.isEmpty {
            var c = c
            c.weight = w
            c.temperature = temperature
            kept.append(c)
        }
        let keptTotal = kept.reduce(0) { $0 + $1.weight }
        for i in kept.indices { kept[i].weight /= keptTotal }
        // Dropped for a weight below 0.5%: still listed with their criterion in `notes` of the first.
        for c in out.dropFirst(kept.count) { kept[0].dropped.append((c.dynamics.model, c.criterion)) }
        return (kept, failed)
    }

    /// The exact log-likelihood of the GLS curve fit on the figures it was fitted to, and its k (free
    /// curve parameters, s, and φ when estimated).
    static func likelihood(
        _ dyn: CurveDynamics, _ fit: FitResult, _ deviation: DeviationModel, times: [Double], months: [Double], values: [Double]
    ) -> (logL: Double, k: Int) {
        let function = GrowthCurveFunction(model: dyn.model, times: times, origin: dyn.origin)
        let logL = SerialCorrelation.logLikelihood(
            function, y: values, months: months, theta: dyn.parameters, phi: deviation.phi, relative: true)
        return (logL, fit.parameters.filter { !$0.fixed }.count + 1 + (deviation.phiRange == nil ? 1 : 0))
    }

    /// What `model: auto` ranks by: −2ℓ plus the larger of AICc's penalty 2k + 2k(k + 1)/(n − k − 1)
    /// (AIC's 2k when AICc is undefined for a candidate, `corrected` false) and BIC's k·log n. Short
    /// histories keep AICc's, the larger below about 20 points; long ones take BIC's. Akaike weights
    /// price a shape parameter at one unit of log-likelihood, and on a long history whose deviations
    /// the AR(1) does not quite hold an extra shape parameter gains more than that by following them:
    /// on a history whose growth rate wanders (a stochastic diffusion) Richards' fourth parameter
    /// followed the wander, took 0.7–1.0 of the draws and read a slowdown as saturation (P50 above the truth 39%
    /// a year on, 300 histories; 42% with BIC's penalty, and 40% against 36% on a Gompertz truth of 60
    /// monthly figures: docs/uncertainty.md, "Which curve").
    static func rankingCriterion(logL: Double, k: Int, n: Int, corrected: Bool) -> Double {
        let (k, n) = (Double(k), Double(n))
        let akaike = corrected ? 2 * k + 2 * k * (k + 1) / (n - k - 1) : 2 * k
        return -2 * logL + max(akaike, k * log(n))
    }

    /// AICc = −2ℓ + 2k + 2k(k + 1)/(n − k − 1); nil when n ≤ k + 1.
    static func aicc(logL: Double, k: Int, n: Int) -> Double? {
        guard n - k - 1 > 0, logL.isFinite else { return nil }
        let k = Double(k)
        return -2 * logL + 2 * k + 2 * k * (k + 1) / (Double(n) - k - 1)
    }

    /// What the figures a curve's fit left out were in (calibration.csv's `method`).
    static func leftOutWhat(named: Bool, detected: Bool) -> String {
        switch (named, detected) {
        case (true, true): return "interventions and a disturbance the figures show"
        case (false, true): return "a disturbance the figures show"
        default: return "interventions"
        }
    }

    /// The stock figures outside the scenario's interventions, with a note of those left out; all of
    /// them (and a note) when fewer than 3 would remain, the fewest a curve needs.
    static func outsideInterventions(
        _ stock: [(month: Month, value: Double)], _ interventions: [Intervention], notes: inout [Phrase]
    ) -> [(month: Month, value: Double)] {
        guard !interventions.isEmpty else { return stock }
        let kept = stock.filter { p in !interventions.contains { $0.contains(p.month) } }
        let out = stock.count - kept.count
        guard out > 0 else { return stock }
        let windows = interventions.map { "\($0.label) (\($0.from)–\($0.to))" }.joined(separator: ", ")
        guard kept.count >= 3 else {
            notes.append(Phrase(
                "\(out) titik stok dalam gangguan \(windows) tetap dipakai: tanpa mereka tersisa \(kept.count), kurva perlu 3",
                "\(out) stock figure(s) in the interventions \(windows) kept: without them \(kept.count) would remain, a curve needs 3"))
            return stock
        }
        notes.append(Phrase(
            "\(out) titik stok dalam gangguan \(windows) tidak dipakai untuk kurva dan simpangannya (φ, s); proyeksi tetap mulai dari realisasi terakhir",
            "\(out) stock figure(s) in the interventions \(windows) left out of the curve's fit and its deviations (φ, s); the projection still starts at the last actual"))
        return kept
    }

    /// Fits the segment's curve; nil (with a note) when the history is too short or no fit succeeds.
    static func fitCurve(
        segment: SegmentPlan, stock: [(month: Month, value: Double)], potential: PotentialPath, notes: inout [Phrase]
    ) -> (CurveDynamics, SegmentCalibration.Space, FitResult, ModelChoice?)? {
        let times = stock.map(\.month.decimalYear)
        let space: SegmentCalibration.Space = segment.ceiling == .potential ? .coverage : .persons
        let values = space == .coverage ? stock.map { $0.value / potential.value(at: $0.month) } : stock.map(\.value)
        let bounded: CeilingSpec = space == .coverage ? .atMost(1) : .free
        // Fewest points for any curve: a logistic with its ceiling held needs 3.
        guard stock.count >= 3 else {
            let points = stock.count
            notes.append(Phrase(
                "\(points) titik stok: terlalu sedikit untuk kurva (perlu 3 dengan batas atas pada potensi); dikalibrasi pada arus",
                "\(points) stock point(s): too few for a curve (3 are needed with the ceiling at the potential); calibrated on flows"))
            return nil
        }
        var choice: ModelChoice? = nil
        var result: FitResult
        var model: GrowthModel
        do throws(FitError) {
            switch segment.model {
            case .named(let m):
                model = m
                result = try fitOne(m, times, values, bounded: bounded, space: space, notes: &notes)
            case .auto:
                let c = try ModelChoice.rank(times: times, values: values, ceiling: bounded)
                // `rankCandidates` refits each candidate (κ, GLS) and ranks them again.
                choice = c
                model = c.chosen!.model
                result = c.chosen!.result!
            }
        } catch {
            let why = error.phrase
            notes.append(Phrase("tidak ada kurva yang dapat dicocokkan (\(why.indonesian)); dikalibrasi pada arus", "no curve could be fitted (\(why.english)); calibrated on flows"))
            return nil
        }
        let full = result.parameters.map(\.estimate)
        let dyn = CurveDynamics(model: model, parameters: full, origin: times.min()!)
        return (dyn, space, result, choice)
    }

    /// One model in coverage or persons space; in coverage space a ceiling the data cannot identify is
    /// held at the potential (κ = 1), as docs/engine.md says.
    static func fitOne(
        _ m: GrowthModel, _ t: [Double], _ y: [Double], bounded: CeilingSpec, space: SegmentCalibration.Space,
        notes: inout [Phrase]
    ) throws(FitError) -> FitResult {
        let p = m.parameterNames.count
        if space == .coverage, m.hasCeiling {
            // Fewer points than it takes to estimate the deviations' persistence: their standard errors
            // assume independent deviations and a ceiling below the potential drawn from them is
            // overconfident (the calibration tests: 4–8 irregular points with κ estimated held the
            // truth in 43% of histories, with κ at 1 in 80%).
            if t.count < DeviationModel.minimumPoints {
                let points = t.count, minimum = DeviationModel.minimumPoints
                notes.append(Phrase(
                    "κ ditahan pada 1, batas atasnya adalah potensi: \(points) titik terlalu sedikit (kurang dari \(minimum)) untuk menaksir batas atas di bawahnya",
                    "κ held at 1, the ceiling is the potential: \(points) points are too few (under \(minimum)) to estimate a ceiling below it"))
            } else if t.count >= p + 1 {
                // A free κ that cannot be fitted at all is not identified either: κ held at 1 below.
                do throws(FitError) {
                    let free = try GrowthFitting.fit(m, times: t, values: y, ceiling: bounded)
                    if ceilingIdentified(free) { return free }
                    let k = free.parameters[m.ceilingIndex!]
                    let points = t.count, relative = k.standardError.map { $0 / abs(k.estimate) * 100 }
                    notes.append(Phrase { l in
                        let se = relative.map { l.t("SE \(l.short($0))% dari κ", "SE \(l.short($0))% of κ") } ?? l.t("tanpa SE", "no SE")
                        return l.t("κ tidak teridentifikasi oleh \(points) titik (\(se)): ditahan pada 1, batas atasnya adalah potensi",
                                   "κ is not identified by \(points) points (\(se)): held at 1, the ceiling is the potential")
                    })
                } catch {
                    let points = t.count, why = error.phrase
                    notes.append(Phrase(
                        "κ tidak dapat dicocokkan dari \(points) titik (\(why.indonesian)): ditahan pada 1, batas atasnya adalah potensi",
                        "κ could not be fitted from \(points) points (\(why.english)): held at 1, the ceiling is the potential"))
                }
            }
            return try GrowthFitting.fit(m, times: t, values: y, ceiling: .fixed(1))
        }
        return try GrowthFitting.fit(m, times: t, values: y, ceiling: bounded)
    }

    /// κ is identified when its 95% interval, κ ± t(0.975, n − p)·SE, lies within ±50% of κ: SE ≤ 25% of
    /// κ for long histories (t ≈ 2), stricter with few degrees of freedom, where the standard error
    /// itself is unreliable and the lower half of an S-curve says little about its ceiling (the
    /// calibration tests: 4–8 points with κ estimated put the P50 below the truth 7 times in 10).
    static func ceilingIdentified(_ r: FitResult) -> Bool {
        guard let m = r.growthModel, let c = m.ceilingIndex else { return true }
        let k = r.parameters[c]
        if k.fixed { return true }
        guard let se = k.standardError, r.dof > 0 else { return false }
        return StudentT.quantile(0.975, dof: Double(r.dof)) * se <= 0.5 * abs(k.estimate)
    }
}

func format(_ v: Double) -> String { Phrase.Language(indonesian: false).short(v) }
