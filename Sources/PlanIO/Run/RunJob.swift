import Fitting
import Foundation
import Planning

/// `rkat validate` and `rkat run`: read, check, calibrate, project, write (atomically); `compute` gives
/// the figures without writing (what `rkat serve` shows).
public enum RunJob {
    public struct Checked: Sendable {
        public var document: ScenarioDocument
        public var history: HistoryReport
        public var calibrations: [SegmentCalibration]
        /// History warnings and calibration notes worth a planner's attention.
        public var warnings: [Phrase]
        /// The candidates' backtest scores of the segments with `selection: backtest`.
        var modelScores: [String: [Backtest.CandidateScore]] = [:]
    }

    public struct Outcome: Sendable {
        public var checked: Checked
        public var projection: Projection
        public var monteCarlo: MonteCarlo.Result?
        public var sweep: [SweepRow]
        /// The plan year as the outputs show it.
        public var view: PlanYearView
        public var outputDirectory: String
        public var files: [String]
    }

    /// Command-line overrides of the scenario's uncertainty settings and the machine's threads.
    public struct Settings: Sendable {
        public var draws: Int?
        public var seed: UInt64?
        public var threads: Int
        public var progress: (@Sendable (Int, Int) -> Void)?
        /// Labels of the human-facing files (targets.xlsx): Indonesian unless --lang en.
        public var indonesian: Bool
        /// Keep each region's monthly draws (a Kanwil run for a national plan: `NationalJob`).
        var keepMonthlyDraws = false

        public init(draws: Int? = nil, seed: UInt64? = nil, threads: Int = 1, progress: (@Sendable (Int, Int) -> Void)? = nil, indonesian: Bool = true) {
            self.draws = draws
            self.seed = seed
            self.threads = threads
            self.progress = progress
            self.indonesian = indonesian
        }
    }

    /// One combination of a sweep: its overrides and the plan-year figures.
    public struct SweepRow: Sendable {
        public var overrides: [Override]
        public var figures: [PlanYearFigure]
    }

    /// Everything `run` checks before it writes anything. Throws `InputError` (exit 2).
    /// `history`: the figures to use instead of the scenario's history file (`rkat explain` runs a
    /// scenario on a mix of two histories); nil reads the file.
    public static func check(scenarioPath: String, overrides: [String] = [], threads: Int = 1, history: HistoryReport? = nil) throws(InputError) -> Checked {
        var doc = try ScenarioReader.read(path: scenarioPath, overrides: overrides)
        let declared = DeclaredNames(regions: doc.scenario.regions.flatMap { [$0.name] + $0.branches.map(\.name) }, segments: doc.scenario.segments.map(\.name), companies: Set(doc.scenario.segments.filter { !$0.countsPersons }.map(\.name)))
        let report: HistoryReport
        if let history { report = history } else { report = try HistoryReader.read(doc.history, declared: declared) }
        // `selection: backtest`: the model of such an `auto` segment is the one with the lowest
        // backtest loss on the history's own origins (docs/backtest.md), said in calibration.csv.
        let selected = Backtest.selectModels(doc.scenario, history: report.history, threads: threads)
        doc.scenario = selected.scenario
        var calibrations: [SegmentCalibration]
        do {
            calibrations = try Calibration.run(doc.scenario, history: report.history, threads: threads)
            for i in calibrations.indices { if let note = selected.notes[calibrations[i].segment] { calibrations[i].notes.append(note) } }
        } catch {
            let at = error.segment.flatMap { doc.segmentLocations[$0] } ?? doc.location
            throw at.map { InputError(error.phrase.prefixed("segments.\(error.segment ?? ""): "), at: $0) } ?? InputError(error.phrase, file: scenarioPath)
        }
        var warnings = report.warnings
        // A history that stops before actuals_until would have its missing months run as realised.
        if let stale = HistoryFreshness.stale(doc.scenario, history: report.history).first {
            let s = doc.scenario
            throw InputError(
                Phrase { l in
                    "\(stale.region) \(stale.segment): " + l.t(
                        "angka terakhir riwayat (stok atau akuisisi) adalah \(stale.last), actuals_until \(s.actualsUntil); "
                            + "tambahkan angkanya atau tulis actuals_until: \(stale.last) (segmen yang angkanya memang berhenti menulis ended: \(stale.last))",
                        "the history's last figure (stock or acquisitions) is \(stale.last), actuals_until is \(s.actualsUntil); "
                            + "add the figures or set actuals_until: \(stale.last) (a segment whose figures stop on purpose says ended: \(stale.last))")
                },
                file: s.historyPath)
        }
        warnings += try potentialBelowHistory(doc, calibrations: calibrations, file: scenarioPath)
        warnings += IuranPlan.implausibleFigures(doc.scenario, history: report.history).map { $0.message.prefixed("\(doc.scenario.historyPath):\($0.line): ") }
        if let h = doc.scenario.levers.honorary, h.alreadyCovered >= 1 {
            warnings.append(Phrase { l in
                "levers.honorary: " + l.t(
                    "kelompok \(l.n(h.pool)) orang sudah tercakup seluruhnya (already_covered 100%), jadi pengungkit ini tidak menambah peserta",
                    "the pool of \(l.n(h.pool)) is already covered in full (already_covered 100%), so the lever adds no members")
            })
        }
        if let h = doc.scenario.levers.honorary { warnings += honoraryAtActualsUntil(h, actualsUntil: doc.scenario.actualsUntil) }
        for c in calibrations {
            // The stated iuran kept (calibrate: false, or a ratio not to follow) far from the realised.
            if let i = c.iuran, !i.applied, abs(1 / i.ratio - 1) > IuranCalibration.tolerance {
                let (r, st) = (i.realisedPerMember.rounded(), i.statedPerMember.rounded())
                warnings.append(Phrase { l in
                    "\(c.region) \(c.segment): " + l.t(
                        "iuran yang dinyatakan (Rp \(l.n(st)) per peserta-bulan, dengan kolektibilitas) \(l.percent(abs(1 / i.ratio - 1))) \(i.ratio < 1 ? "di atas" : "di bawah") realisasi riwayat (Rp \(l.n(r)), \(i.months.count) bulan sampai \(i.months.last!)); proyeksi memakai yang dinyatakan",
                        "the stated iuran (Rp \(l.n(st)) a member-month, collection included) is \(l.percent(abs(1 / i.ratio - 1))) \(i.ratio < 1 ? "above" : "below") the history's realised (Rp \(l.n(r)), \(i.months.count) months to \(i.months.last!)); the projection uses the stated")
                })
            }
            warnings += c.fitChecks.map { $0.phrase.prefixed("\(c.region) \(c.segment): ") }
            if case .curve(_, _, let fit) = c.dynamics {
                // The fitting library's warnings, in the planner's language (rkat fit prints the English).
                warnings += fit.warnings.map { $0.prefixed("\(c.region) \(c.segment): ") }
            }
        }
        return Checked(document: doc, history: report, calibrations: calibrations, warnings: warnings, modelScores: selected.scores)
    }

    /// An honorary ramp under way at actuals_until: its members are in the history's figures. Said when
    /// they are taken from the ramp's plan (no `already_enrolled`), and when a ramp with no later point
    /// moves the difference between them and its last level in one month.
    static func honoraryAtActualsUntil(_ h: HonoraryLever, actualsUntil at: Month) -> [Phrase] {
        var warnings: [Phrase] = []
        let enrolled = h.enrolledAtStart(actualsUntil: at)
        if h.alreadyEnrolled == nil, enrolled >= 0.5 {
            warnings.append(Phrase { l in
                "levers.honorary: " + l.t(
                    "ramp sudah berjalan pada actuals_until (\(at)): \(l.n(enrolled)) orang menurut rencananya dianggap sudah ada di angka riwayat (dipindah dari stok difusi ke program, tidak ditambah lagi); tulis already_enrolled bila riwayat memuat jumlah lain",
                    "the ramp is under way at actuals_until (\(at)): the \(l.n(enrolled)) persons it plans by then are taken as already in the history's figures (moved from the diffusion stock to the programme, not added again); say already_enrolled if the history holds another number")
            })
        }
        let backlog = h.backlog(actualsUntil: at)
        if abs(backlog) >= 0.5, let last = h.ramp.last {
            let first = at.adding(months: 1)
            warnings.append(Phrase { l in
                "levers.honorary: " + l.t(
                    "ramp tidak punya titik setelah actuals_until (\(at)): selisih \(l.n(abs(backlog))) orang antara \(l.n(enrolled)) peserta saat itu dan tingkat akhirnya (\(l.n(last.share * h.uncoveredPool))) \(backlog > 0 ? "masuk" : "keluar") dalam satu bulan, \(first); tambahkan titik ramp untuk menyebarnya",
                    "the ramp has no point after actuals_until (\(at)): the \(l.n(abs(backlog))) persons between the \(l.n(enrolled)) members then and its last level (\(l.n(last.share * h.uncoveredPool))) \(backlog > 0 ? "join" : "leave") in one month, \(first); add a ramp point to spread them")
            })
        }
        return warnings
    }

    /// A potential below the history's last stock (potential.total 100 on 726,119 members) would
    /// pull the stock to the potential in a month: refused with both figures, or warned about when
    /// the scenario says `potential.allow_below_history: true`.
    static func potentialBelowHistory(_ doc: ScenarioDocument, calibrations: [SegmentCalibration], file: String) throws(InputError) -> [Phrase] {
        var warnings: [Phrase] = []
        for c in calibrations where !c.isFlowOnly {
            guard let last = c.lastActual, let path = c.potential else { continue }
            let potential = path.value(at: last.month)
            guard potential < last.value else { continue }
            let region = doc.scenario.regions.first { $0.name == c.region }
            let own = doc.scenario.segments.first { $0.name == c.segment }?.potential
            let message = Phrase { l in
                "potential: " + l.t(
                    "potensi \(c.region) \(c.segment) pada \(last.month) adalah \(l.n(potential)), di bawah \(l.n(last.value)) peserta yang tercatat di riwayat saat itu",
                    "the potential of \(c.region) \(c.segment) in \(last.month) is \(l.n(potential)), below the \(l.n(last.value)) members the history has then")
            }
            if own?.allowBelowHistory == true || (own == nil && region?.potential.allowBelowHistory == true) {
                warnings.append(message + Phrase { l in l.t(" (allow_below_history: stok ditahan pada potensi)", " (allow_below_history: the stock is held at the potential)") })
                continue
            }
            let refused = message + Phrase { l in
                l.t("; periksa total, shares atau as_of potensi, atau tulis potential.allow_below_history: true",
                    "; check the potential's total, shares or as_of, or say potential.allow_below_history: true")
            }
            let at = (own != nil ? doc.segmentLocations[c.segment] : doc.potentialLocation) ?? doc.location
            throw at.map { InputError(refused, at: $0) } ?? InputError(refused, file: file)
        }
        return warnings
    }

    /// The default output directory: outputs/<scenario file stem>/.
    static func defaultOutput(for scenarioPath: String) -> String {
        let stem = URL(fileURLWithPath: scenarioPath).deletingPathExtension().lastPathComponent
        return "outputs/\(stem)"
    }

    /// The run time stamped in run.json and the reports: now, or SOURCE_DATE_EPOCH (seconds since
    /// 1970, the reproducible-builds convention) when set, so that every output file of two runs
    /// with the same scenario and seed is byte-identical.
    public static func runTime(environment: [String: String] = ProcessInfo.processInfo.environment) -> Date {
        guard let text = environment["SOURCE_DATE_EPOCH"], let seconds = Int(text.trimmingCharacters(in: .whitespaces)) else { return Date() }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// A run's figures before anything is written: what `run` writes and `rkat serve` shows.
    public struct Computed: Sendable {
        public var checked: Checked
        public var scenarioPath: String
        public var projection: Projection
        public var monteCarlo: MonteCarlo.Result?
        public var sweep: [SweepRow]
        /// The plan year, built once; every writer only renders it.
        public var view: PlanYearView
        /// The stated assumptions by their swing of the total's P50 (the report's summary page).
        public var tornado: [Tornado.Bar] = []
    }

    public static func run(
        scenarioPath: String, outputDirectory: String? = nil, overrides: [String] = [], settings: Settings = Settings(),
        now: Date = RunJob.runTime()
    ) throws -> Outcome {
        // A national file runs its Kanwil files together (NationalJob).
        if let national = try NationalJob.run(scenarioPath: scenarioPath, outputDirectory: outputDirectory, overrides: overrides, settings: settings, now: now) {
            return national
        }
        let checked = try check(scenarioPath: scenarioPath, overrides: overrides, threads: settings.threads)
        // Refuse an output folder rkat may not replace before any work is done.
        let dir = outputDirectory ?? defaultOutput(for: scenarioPath)
        var out = try OutputDirectory(path: dir, option: outputDirectory == nil ? "output folder" : "--out", protecting: inputFiles(checked))
        _ = try out.check()
        let c = try compute(checked, scenarioPath: scenarioPath, overrides: overrides, settings: settings)
        let words = Words(indonesian: settings.indonesian)
        out.add("projection.csv", RunWriters.projectionCSV(c.projection))
        out.add("calibration.csv", RunWriters.calibrationCSV(c.checked.calibrations, projection: c.projection, monteCarlo: c.monteCarlo))
        if let mc = c.monteCarlo { out.add("uncertainty.csv", UncertaintyWriter.csv(mc)) }
        out.add("targets.csv", TargetsWriter.csv(c.view))
        out.add("targets.json", try targetsJSON(c))
        out.add("targets.md", TargetsText.markdown(c.view, words: words))
        out.add("targets.xlsx", data: try targetsWorkbook(c, words: words, scratch: try out.scratchFolder()))
        if !c.view.allocations.isEmpty {
            out.add("allocation.csv", AllocationWriters.csv(c.view.allocations))
            out.add("allocation.json", AllocationWriters.json(c.view.allocations))
            out.add("allocation.md", AllocationWriters.markdown(c.view.allocations, year: c.view.year, words: words))
        }
        if !c.sweep.isEmpty { out.add("sweep.csv", ComparisonWriter.sweepCSV(c.sweep, levels: c.view.levels, scenario: c.view.figures)) }
        out.add("report.html", reportHTML(c, words: words, now: now))
        out.add("run.json", try runJSON(c.checked, scenarioPath: scenarioPath, overrides: overrides, monteCarlo: c.monteCarlo, now: now))
        var done = c.checked
        done.warnings += try out.commit().map(Phrase.init(english:))
        return Outcome(checked: done, projection: c.projection, monteCarlo: c.monteCarlo, sweep: c.sweep, view: c.view, outputDirectory: dir, files: out.names)
    }

    /// Checks the scenario with `overrides` and computes its figures: the deterministic projection,
    /// Monte Carlo with the settings' draws and seed, the plan year and, with `fullOutputs` (what only
    /// the written files show, left out of the what-if page's redraws), the sweep and the tornado.
    /// `run` writes what this returns; `rkat serve` shows it.
    public static func compute(
        scenarioPath: String, overrides: [String] = [], settings: Settings = Settings(), fullOutputs: Bool = true, history: HistoryReport? = nil
    ) throws(InputError) -> Computed {
        let checked = try check(scenarioPath: scenarioPath, overrides: overrides, threads: settings.threads, history: history)
        return try compute(checked, scenarioPath: scenarioPath, overrides: overrides, settings: settings, fullOutputs: fullOutputs)
    }

    static func compute(_ checked: Checked, scenarioPath: String, overrides: [String], settings: Settings, fullOutputs: Bool = true) throws(InputError) -> Computed {
        var checked = checked
        try apply(settings, to: &checked)
        let scenario = checked.document.scenario
        let (projection, mc) = try simulate(scenario, checked.calibrations, settings: settings, file: scenarioPath, segmentLocations: checked.document.segmentLocations)
        checked.warnings += projection.warnings
        checked.warnings += branchStartWarnings(scenario, projection: projection)
        checked.warnings += rejectionWarnings(mc)

        // A sweep reruns the whole pipeline for every combination of its axes.
        var sweepRows: [SweepRow] = []
        if fullOutputs, let sweep = checked.document.sweep {
            for combination in sweep.combinations {
                var c = try check(scenarioPath: scenarioPath, overrides: overrides + combination.map(\.description), threads: settings.threads)
                c.document.scenario.uncertainty = scenario.uncertainty
                let (p, m) = try simulate(c.document.scenario, c.calibrations, settings: Settings(draws: nil, seed: nil, threads: settings.threads), file: scenarioPath, segmentLocations: c.document.segmentLocations)
                sweepRows.append(SweepRow(overrides: combination, figures: PlanYearSummary.figures(c.document.scenario, history: c.history.history, projection: p, monteCarlo: m)))
            }
        }
        // Branches with a history of their own, calibrated like regions.
        let branches = BranchOutlook.run(scenario, history: checked.history.history, threads: settings.threads)
        checked.warnings += branches.notes
        let view = PlanYearView.build(scenario, history: checked.history.history, projection: projection, monteCarlo: mc, outlooks: branches.outlooks)
        var tornado: [Tornado.Bar] = []
        if fullOutputs, let mc {
            tornado = Tornado.compute(
                scenario, calibrations: checked.calibrations, history: checked.history.history, projection: projection, options: mc.options,
                planYear: view.year, baseRows: view.targets)
        }
        return Computed(checked: checked, scenarioPath: scenarioPath, projection: projection, monteCarlo: mc, sweep: sweepRows, view: view, tornado: tornado)
    }

    /// targets.json of computed figures.
    public static func targetsJSON(_ c: Computed) throws(InputError) -> String {
        var files: [(path: String, sha256: String)] = []
        for f in c.checked.document.files { files.append((f, try hash(f))) }
        let history = c.checked.document.scenario.historyPath
        return TargetsText.json(c.view, scenarioFiles: files, history: (history, try hash(history)))
    }

    /// targets.xlsx of computed figures, in memory.
    /// `extra`: a command's own sheet, after the issued target's allocation (when the scenario has one).
    public static func targetsWorkbook(_ c: Computed, words: Words, scratch: String? = nil, extra: ExtraSheet? = nil) throws -> Data {
        let scenario = c.checked.document.scenario
        let allocation = c.view.allocations.isEmpty ? [] : [AllocationWriters.sheet(c.view.allocations, words: words)]
        return try TargetsWorkbook.data(
            c.view, segments: scenario.segments.map(\.name), provenance: try provenance(c.checked, scenarioPath: c.scenarioPath, monteCarlo: c.monteCarlo, words: words),
            words: words, scratch: scratch, extra: LevelSheets.sheets(c.view, words: words) + allocation + (extra.map { [$0] } ?? []))
    }

    /// report.html of computed figures, in memory.
    /// `section`: a command's own section after the summary (`rkat solve --ajuan`, `rkat explain`).
    public static func reportHTML(_ c: Computed, words: Words, now: Date = RunJob.runTime(), section: String? = nil) -> String {
        let allocation = c.view.allocations.isEmpty ? nil : AllocationWriters.htmlSection(c.view.allocations, words: words)
        let sections = [allocation, section].compactMap { $0 }
        return ReportWriter.html(
            scenario: c.checked.document.scenario, history: c.checked.history.history, calibrations: c.checked.calibrations,
            projection: c.projection, monteCarlo: c.monteCarlo, view: c.view, sweep: c.sweep, tornado: c.tornado, runDate: now, words: words,
            section: sections.isEmpty ? nil : sections.joined())
    }

    /// `--draws` and `--seed` over the scenario's own uncertainty settings.
    static func apply(_ settings: Settings, to checked: inout Checked) throws(InputError) {
        if let d = settings.draws {
            guard d >= 0 else { throw InputError(Phrase("--draws paling sedikit 0 (tertulis \(d))", "--draws must be at least 0 (got \(d))")) }
            checked.document.scenario.uncertainty.draws = d
            let t = checked.document.scenario.targets
            if d == 0, !t.issued.isEmpty, t.allocation == .equalStretch {
                throw InputError(ScenarioSchema.equalStretchNeedsDraws("--draws 0"))
            }
        }
        // Calibration estimated the rescaling before --draws was known: without draws there is no band
        // for it to correct, and no note may say there is.
        if checked.document.scenario.uncertainty.draws == 0 {
            for i in checked.calibrations.indices {
                guard case .success(let r) = checked.calibrations[i].rescaling else { continue }
                checked.calibrations[i].notes.removeAll { $0 == r.note }
                checked.calibrations[i].rescaling = .failure(.noDraws)
            }
        }
        if let seed = settings.seed { checked.document.scenario.uncertainty.seed = seed }
    }

    /// The files a run reads (the scenario chain and its history): no output folder may hold them.
    static func inputFiles(_ c: Checked) -> [String] {
        c.document.files + [c.document.scenario.historyPath]
    }

    /// `rkat compare`: each scenario's plan-year figures, nothing written.
    public static func planYearFigures(scenarioPath: String, settings: Settings) throws(InputError) -> (scenario: Scenario, figures: [PlanYearFigure], levels: [Double], inputs: [String]) {
        var checked = try check(scenarioPath: scenarioPath, threads: settings.threads)
        if let d = settings.draws {
            guard d >= 0 else { throw InputError(Phrase("--draws paling sedikit 0 (tertulis \(d))", "--draws must be at least 0 (got \(d))")) }
            checked.document.scenario.uncertainty.draws = d
            let t = checked.document.scenario.targets
            if d == 0, !t.issued.isEmpty, t.allocation == .equalStretch {
                throw InputError(ScenarioSchema.equalStretchNeedsDraws("--draws 0"))
            }
        }
        if let seed = settings.seed { checked.document.scenario.uncertainty.seed = seed }
        let s = checked.document.scenario
        let (p, m) = try simulate(s, checked.calibrations, settings: settings, file: scenarioPath, segmentLocations: checked.document.segmentLocations)
        return (s, PlanYearSummary.figures(s, history: checked.history.history, projection: p, monteCarlo: m), s.uncertainty.quantiles, inputFiles(checked))
    }

    /// Refuses an output folder that `compare` may not replace (run before the scenarios are).
    public static func checkComparisonOutput(_ dir: String, option: String, scenarioPaths: [String]) throws(InputError) {
        _ = try OutputDirectory(path: dir, option: option, protecting: scenarioPaths).check()
    }

    /// Writes compare.csv and report.html (bars per scenario, differences from the first) atomically.
    /// Returns notes on leftovers of interrupted runs.
    @discardableResult
    public static func writeComparison(
        _ runs: [(name: String, figures: [PlanYearFigure])], levels: [Double], to dir: String, option: String = "--out",
        inputs: [String] = [], indonesian: Bool = true, now: Date = RunJob.runTime()
    ) throws -> [String] {
        var out = try OutputDirectory(path: dir, option: option, protecting: inputs)
        out.add("compare.csv", ComparisonWriter.compareCSV(runs, levels: levels))
        out.add("report.html", ReportWriter.comparisonHTML(runs, runDate: now, words: Words(indonesian: indonesian)))
        return try out.commit()
    }

    /// A cell whose curve draws were rejected more often than kept: its fit's covariance allows many
    /// curves the data rule out (an invalid rate or ceiling, or an implausible jump-off), so its band
    /// rests on the draws that remain (docs/uncertainty.md, "Parameters").
    static func rejectionWarnings(_ mc: MonteCarlo.Result?) -> [Phrase] {
        guard let mc else { return [] }
        return mc.cells.filter { $0.rejectedParameterDraws > mc.options.draws }.map { c in
            Phrase { l in
                "\(c.region) \(c.segment): " + l.t(
                    "\(l.n(c.rejectedParameterDraws)) tarikan kurva ditolak untuk \(l.n(mc.options.draws)) yang dipakai: kecocokan ini mengizinkan banyak kurva yang ditolak data; baca pitanya dengan hati-hati (model lain mungkin lebih cocok)",
                    "\(l.n(c.rejectedParameterDraws)) curve draws rejected for \(l.n(mc.options.draws)) kept: the fit allows many curves the data rule out; read its band with care (another model may suit the data better)")
            }
        }
    }

    /// Branch members stated in the scenario that do not sum to the Kanwil's at actuals_until (more
    /// than 0.5% off): each branch's start is scaled to it, said with both figures.
    static func branchStartWarnings(_ s: Scenario, projection: Projection) -> [Phrase] {
        s.regions.compactMap { region in
            guard let st = BranchAllocation.starts(region, scenario: s, projection: projection), abs(st.kanwil / st.stated - 1) > 0.005 else { return nil }
            let factor = st.kanwil / st.stated
            // The months the stated figures are of, when not actuals_until (a figure of an older month).
            let asOf = Set(region.branches.compactMap(\.activeAsOf)).filter { $0 != s.actualsUntil }.sorted().map(\.description).joined(separator: ", ")
            return Phrase { l in
                "\(region.name) branches: " + l.t(
                    "peserta cabang yang dinyatakan\(asOf.isEmpty ? "" : " (per \(asOf))") berjumlah \(l.n(st.stated)), peserta Kanwil pada \(s.actualsUntil) \(l.n(st.kanwil)); titik awal tiap cabang diskalakan × \(l.decimal(factor, 4)) agar jumlahnya sama",
                    "the branches' stated members\(asOf.isEmpty ? "" : " (as of \(asOf))") sum to \(l.n(st.stated)), the Kanwil's members at \(s.actualsUntil) are \(l.n(st.kanwil)); each branch's start is scaled × \(l.decimal(factor, 4)) to sum to it")
            }
        }
    }

    /// `rkat validate`: every check `run` makes before it simulates, the deterministic projection's
    /// included (it is cheap), so a scenario `validate` accepts does not fail in `run`.
    public static func validate(scenarioPath: String, overrides: [String] = []) throws(InputError) -> Checked {
        // A national file: every Kanwil file checked, side by side.
        if let national = try NationalJob.validate(path: scenarioPath, overrides: overrides) { return national }
        var checked = try check(scenarioPath: scenarioPath, overrides: overrides)
        let projection = try project(checked.document.scenario, checked.calibrations, file: scenarioPath, segmentLocations: checked.document.segmentLocations)
        checked.warnings += projection.warnings
        checked.warnings += branchStartWarnings(checked.document.scenario, projection: projection)
        return checked
    }

    /// The deterministic projection, every figure checked finite (the reader's ranges should make this
    /// unreachable; it is the last guard before any output is written).
    static func project(
        _ scenario: Scenario, _ calibrations: [SegmentCalibration], file: String, segmentLocations: [String: SourceLocation] = [:]
    ) throws(InputError) -> Projection {
        let projection = Engine.project(scenario, calibrations: calibrations)
        // Every figure is phased and shown in whole persons or rupiah: a region's sum over its months
        // and segments must stay below 2^53 (Whole.limit), or the input that made it is named.
        var sums: [String: Double] = [:]
        for r in projection.rows {
            let unit = scenario.countsPersons(r.segment) ? "persons" : "companies"
            for (metric, v, u) in [("active", r.active, unit), ("acquisitions", r.grossAcquisitions, unit), ("iuran", r.iuran, "rupiah")] {
                guard let v else { continue }
                let key = "\(r.region)\u{1F}\(metric)\u{1F}\(u)"
                sums[key, default: 0] += v.isFinite ? abs(v) : .infinity
                if !Whole.countable(sums[key]!) {
                    throw tooLarge(region: r.region, segment: r.segment, metric: metric, unit: u, value: sums[key]!, file: file, at: segmentLocations[r.segment])
                }
            }
        }
        for r in projection.rows {
            for v in [r.potential, r.active, r.grossAcquisitions, r.lapses, r.coverage] where v != nil && !(v!.isFinite && abs(v!) < 1e15) {
                let message = Phrase(
                    "proyeksi \(r.region) \(r.segment) tidak terhingga pada \(r.month); periksa skenarionya",
                    "the projection of \(r.region) \(r.segment) is not finite at \(r.month); check the scenario")
                if let at = segmentLocations[r.segment] { throw InputError(message.prefixed("segments.\(r.segment): "), at: at) }
                throw InputError(message, at: SourceLocation(file: file, line: 1, column: 1))
            }
        }
        return projection
    }

    /// The deterministic projection and, with draws, Monte Carlo.
    static func simulate(
        _ scenario: Scenario, _ calibrations: [SegmentCalibration], settings: Settings, file: String, segmentLocations: [String: SourceLocation] = [:]
    ) throws(InputError) -> (Projection, MonteCarlo.Result?) {
        let projection = try project(scenario, calibrations, file: file, segmentLocations: segmentLocations)
        guard scenario.uncertainty.draws > 0 else { return (projection, nil) }
        try checkMemory(scenario, file: file)
        var options = MonteCarlo.Options(scenario.uncertainty, planYear: PlanYearSummary.planYear(scenario), threads: max(settings.threads, 1))
        options.keepMonthlyDraws = settings.keepMonthlyDraws
        let mc = MonteCarlo.run(scenario, calibrations: calibrations, options: options, progress: settings.progress)
        // A region's plan-year figure sums its cells' draws: each must stay countable in whole numbers.
        var sums: [String: (metric: String, unit: String, value: Double, segment: String)] = [:]
        for cell in mc.cells {
            let unit = scenario.countsPersons(cell.segment) ? "persons" : "companies"
            for (m, draws) in cell.planYearDraws.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let metric = m == .active ? "year-end active" : m.rawValue, u = m.isRupiah ? "rupiah" : unit
                let largest = draws.reduce(0) { max($0, $1.isFinite ? abs($1) : .infinity) }
                let key = "\(cell.region)\u{1F}\(metric)\u{1F}\(u)"
                let total = (sums[key]?.value ?? 0) + largest
                sums[key] = (metric, u, total, sums[key].map { $0.value >= largest ? $0.segment : cell.segment } ?? cell.segment)
                if !Whole.countable(total) {
                    throw tooLarge(region: cell.region, segment: sums[key]!.segment, metric: metric, unit: u, value: total, file: file, at: segmentLocations[sums[key]!.segment])
                }
            }
        }
        return (projection, mc)
    }

    /// A figure rkat cannot count exactly in whole numbers, as one located line naming the segment.
    static func tooLarge(region: String, segment: String, metric: String, unit: String, value: Double, file: String, at: SourceLocation? = nil) -> InputError {
        let rupiah = unit == "rupiah"
        let message = Phrase { l in
            let shown = value.isFinite ? l.n(value) : l.t("tak hingga", "infinity")
            let unitID = unit == "rupiah" ? "rupiah" : unit == "companies" ? "perusahaan" : "orang"
            let metricID = metric == "active" ? "peserta aktif" : metric == "acquisitions" ? "akuisisi" : metric == "iuran" ? "iuran" : metric == "year-end active" ? "peserta aktif akhir tahun" : "'\(metric)'"
            return "segments.\(segment): " + l.t(
                "\(metricID) \(region) mencapai \(shown) \(unitID), lebih dari yang dapat dihitung rkat secara tepat dalam \(unitID) bulat (\(l.n(Whole.limit))); periksa \(rupiah ? "iuran segmen ('stated_rp', 'package_rp', 'wages', 'projects')" : "riwayat dan potensi segmen")",
                "\(region)'s \(metric) reach \(shown) \(unit), more than rkat counts exactly in whole \(unit) (\(l.n(Whole.limit))); check the segment's \(rupiah ? "iuran (stated_rp, package_rp, wages, projects)" : "history and potential")")
        }
        if let at { return InputError(message, at: at) }
        return InputError(message, file: file)
    }

    /// The memory the Monte Carlo's draws would take (draws × cells × months × 8 bytes, with the
    /// region grids and the per-draw figures beside them); refused above `memoryLimit` with the
    /// figure it would need and the largest number of draws that fits.
    static func checkMemory(_ s: Scenario, file: String) throws(InputError) {
        let need = monteCarloBytes(s, draws: s.uncertainty.draws)
        guard need > memoryLimit else { return }
        let perDraw = max(monteCarloBytes(s, draws: 1000) / 1000, 1)
        let gib = need / Double(1 << 30)
        let draws = s.uncertainty.draws, cells = s.segments.count * s.regions.count, months = monteCarloMonths(s)
        let allowed = Whole.clamped(memoryLimit / Double(1 << 30)), most = Whole.clamped(memoryLimit / perDraw)
        throw InputError(
            Phrase { l in
                "draws: " + l.t(
                    "\(draws) simulasi memerlukan sekitar \(l.decimal(gib, 1)) GiB memori untuk \(cells) sel selama \(months) bulan; "
                        + "rkat mengizinkan \(allowed) GiB (mesin 24 GiB dengan ruang sisa): paling banyak \(most) simulasi untuk skenario ini",
                    "\(draws) draws would need about \(String(format: "%.1f", gib)) GiB of memory for \(cells) cells over \(months) months; "
                        + "rkat allows \(allowed) GiB (a 24 GiB machine with room to spare): at most \(most) draws for this scenario")
            },
            file: file)
    }

    /// 12 GiB: half of the 24 GiB machines rkat is planned for.
    static let memoryLimit = 12.0 * Double(1 << 30)

    static func monteCarloMonths(_ s: Scenario) -> Int {
        max(s.actualsUntil.distance(to: s.horizon), 1) + 1
    }

    /// Bytes the draws take: per cell, a month × draw grid for active, acquisitions and coverage
    /// (and potential), and per-draw figures; per region the same grids summed; measured against
    /// peak RSS in docs/outputs.md.
    static func monteCarloBytes(_ s: Scenario, draws: Int) -> Double {
        let cells = Double(s.segments.count * max(s.regions.count, 1)), regions = Double(max(s.regions.count, 1))
        let months = Double(monteCarloMonths(s)), d = Double(draws)
        return d * 8 * (months * (4 * cells + 4 * regions) + 8 * cells + 8 * regions)
    }

    /// SHA-256 of a file, for provenance.
    static func hash(_ path: String) throws(InputError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw InputError("cannot read the file", file: path) }
        return SHA256.hex([UInt8](data))
    }

    /// The provenance sheet of targets.xlsx: what the numbers rest on (no run time: the file stays
    /// byte-identical across reruns).
    static func provenance(_ c: Checked, scenarioPath: String, monteCarlo mc: MonteCarlo.Result?, words t: Words) throws(InputError) -> [(String, String)] {
        let s = c.document.scenario
        var rows: [(String, String)] = [(t.provenanceScenario, "\(s.name) (\(scenarioPath))")]
        for f in c.document.files { rows.append((t.provenanceScenarioFile, "\(f) sha256 \(try hash(f))")) }
        rows.append((t.provenanceHistory, "\(s.historyPath) sha256 \(try hash(s.historyPath))"))
        rows.append((t.provenanceHistoryReadAs, c.history.format.phrase.text(indonesian: t.indonesian)))
        rows.append(("seed", "\(s.uncertainty.seed)"))
        rows.append((t.provenanceDraws, "\(mc?.options.draws ?? 0)"))
        for i in s.interventions {
            rows.append((t.provenanceIntervention, t.t(
                "\(i.label), \(i.from)–\(i.to): angka stok di dalamnya tidak dipakai untuk kurva" + (i.lasting ? "; bertahan: angka sebelumnya disetarakan ke level sesudahnya" : ""),
                "\(i.label), \(i.from)–\(i.to): its stock figures left out of the curve's fit" + (i.lasting ? "; lasting: the figures before it rescaled to the level after it" : ""))))
        }
        for cal in c.calibrations {
            rows.append(("\(cal.region) \(cal.segment)", t.calibration(cal.method) + (cal.lapseSource.isEmpty ? "" : "; \(t.provenanceLapse): \(t.calibration(cal.lapseSource))")))
        }
        // The run's warnings travel with the workbook a planner hands in, not only on the terminal
        // and in the report: a band flagged too narrow, a disturbance found, the history's own sums.
        for w in c.warnings { rows.append((t.provenanceWarning, w.text(indonesian: t.indonesian))) }
        rows.append(("rkat", RKATInfo.version))
        rows.append(("GSL", GSLVersion.string))
        return rows
    }

    /// Provenance: file hashes, versions, seed, the resolved scenario. The only file with the run time.
    static func runJSON(_ c: Checked, scenarioPath: String, overrides: [String], monteCarlo: MonteCarlo.Result?, now: Date) throws(InputError) -> String {
        var files: [[String: String]] = []
        for f in c.document.files { files.append(["path": f, "sha256": try hash(f)]) }
        let historyHash = try hash(c.document.scenario.historyPath)
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        let q = JSONText.string
        let s = c.document.scenario
        var lines: [String] = []
        lines.append("{")
        lines.append("  \"rkat_version\": \(q(RKATInfo.version)),")
        lines.append("  \"gsl_version\": \(q(GSLVersion.string)),")
        lines.append("  \"run_time\": \(q(iso.string(from: now))),")
        lines.append("  \"scenario\": \(q(scenarioPath)),")
        lines.append("  \"scenario_files\": [" + files.map { "{\"path\": \(q($0["path"]!)), \"sha256\": \(q($0["sha256"]!))}" }.joined(separator: ", ") + "],")
        lines.append("  \"history\": {\"path\": \(q(s.historyPath)), \"sha256\": \(q(historyHash)), \"read_as\": \(q(c.history.format.description))},")
        lines.append("  \"overrides\": [" + overrides.map(q).joined(separator: ", ") + "],")
        lines.append("  \"seed\": \(s.uncertainty.seed),")
        lines.append("  \"draws\": \(s.uncertainty.draws),")
        lines.append("  \"rejected_parameter_draws\": \(monteCarlo?.rejectedParameterDraws ?? 0),")
        lines.append("  \"parameters_not_drawn\": [" + (monteCarlo?.parametersNotDrawn ?? []).map(q).joined(separator: ", ") + "],")
        lines.append("  \"warnings\": [" + c.warnings.map { q($0.english) }.joined(separator: ", ") + "],")
        let resolved = c.document.resolvedJSON.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 0 ? String($0.element) : "  " + $0.element }.joined(separator: "\n")
        lines.append("  \"resolved_scenario\": \(resolved)")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// rkat's own version, for provenance.
public enum RKATInfo {
    public static let version = "0.2.0"
}
