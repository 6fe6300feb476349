import Fitting
import Foundation
import Planning

/// `rkat run` of a national file (docs/targets.md, "A national plan from Kanwil files"): `includes:`
/// the Kanwil scenario files, each planning one Kanwil with its own history, levers and branches.
/// Each is checked and calibrated as `rkat run` would; the nation's share η is measured across all
/// their cells (or stated); then each runs with the nation's draws, seed and quantiles, so draw d of
/// every Kanwil is one world and the nation's figures are their draws summed draw by draw. The
/// outputs are the national ones: every Kanwil's rows and branches, the nation's rows, the issued
/// figure split over the Kanwil, and the report and csv files of the Kanwil side by side.
public enum NationalJob {
    struct Document {
        var path: String
        /// The national file and the files it extends.
        var files: [String]
        var name: String
        var description: String
        var includes: [(path: String, location: SourceLocation)]
        var uncertainty: UncertaintySettings
        var targets: ScenarioNode?
        var uncertaintyNode: ScenarioNode?
        var resolvedJSON: String
    }

    /// The national file at `path` (with `--set` overrides), or nil when it names no `includes` (a
    /// scenario of its own).
    static func read(path: String, overrides: [String]) throws(InputError) -> Document? {
        let loaded = try ScenarioLoader.load(path: path)
        let tree = try ScenarioOverrides.apply(overrides, to: loaded.tree)
        guard let entries = tree.entries, entries.contains(where: { $0.key == "includes" }) else { return nil }
        // What a Kanwil file gives is refused here by name, not as an unknown key.
        let national = Set(ScenarioKeys.national.names)
        for e in entries where !national.contains(e.key) && ScenarioKeys.top.names.contains(e.key) {
            throw InputError(
                Phrase(
                    "\(e.key): tidak berlaku bersama includes: setiap berkas Kanwil memberi wilayah, riwayat, segmen dan pengungkitnya sendiri",
                    "\(e.key): not allowed with includes: each Kanwil file gives its own regions, history, segments and levers"),
                at: e.keyLocation)
        }
        typealias F = ScenarioFields
        let top = try F(tree, path: "", keys: ScenarioKeys.national)
        let name = try F.text(try top.require("name", Phrase("nama rencana", "the plan's name")), "name")
        let description = try top.present("description").map { (n) throws(InputError) in try F.text(n, "description") } ?? ""
        let list = try F.list(try top.require("includes", Phrase("daftar berkas skenario Kanwil", "a list of Kanwil scenario files")), "includes",
                              Phrase("daftar berkas skenario Kanwil (seperti [kanwil/sumut.yaml, kanwil/aceh.yaml])", "a list of Kanwil scenario files (like [kanwil/sumut.yaml, kanwil/aceh.yaml])"))
        var includes: [(path: String, location: SourceLocation)] = []
        for (i, item) in list.enumerated() {
            let relative = try F.text(item, "includes[\(i)]", Phrase("jalur berkas skenario Kanwil", "the path of a Kanwil scenario file"))
            let full = ScenarioPaths.join(ScenarioPaths.directory(of: path), relative)
            guard !includes.contains(where: { $0.path == full }) else {
                throw InputError(Phrase("includes[\(i)]: '\(relative)' disebut dua kali", "includes[\(i)]: '\(relative)' is listed twice"), at: item.location)
            }
            includes.append((full, item.location))
        }
        guard includes.count >= 2 else {
            throw InputError(
                Phrase("includes: rencana nasional menggabungkan paling sedikit dua berkas Kanwil, tertulis \(includes.count)", "includes: a national plan brings together at least two Kanwil files, got \(includes.count)"),
                at: top.entry("includes")!.value.location)
        }
        // What the Kanwil run with alike; each Kanwil states its own assumptions and rules.
        for (key, allowed) in [("uncertainty", ["draws", "seed", "quantiles", "national_correlation"]), ("targets", ["plan_year", "confidence", "issued", "allocation"])] {
            for e in top.present(key)?.entries ?? [] where !allowed.contains(e.key) && (key == "uncertainty" ? ScenarioKeys.uncertainty : ScenarioKeys.targets).names.contains(e.key) {
                throw InputError(
                    Phrase(
                        "\(key).\(e.key): tidak berlaku di berkas nasional: setiap berkas Kanwil menyatakannya sendiri (di sini: \(allowed.joined(separator: ", ")))",
                        "\(key).\(e.key): not allowed in a national file: each Kanwil file states its own (here: \(allowed.joined(separator: ", ")))"),
                    at: e.keyLocation)
            }
        }
        let uncertainty = try top.present("uncertainty").map { (n) throws(InputError) in try ScenarioSchema().readUncertainty(n) } ?? UncertaintySettings()
        return Document(
            path: path, files: loaded.files, name: name, description: description, includes: includes, uncertainty: uncertainty,
            targets: top.present("targets"), uncertaintyNode: top.present("uncertainty"), resolvedJSON: tree.json())
    }

    /// The files a national run reads, which no output folder may hold: the national chain, and each
    /// Kanwil's chain and history (as its file names them; a file that cannot be read yet is named
    /// by its path and refused later at its line).
    static func inputs(_ doc: Document) -> [String] {
        doc.files + doc.includes.flatMap { inc -> [String] in
            guard let kanwil = try? ScenarioReader.read(path: inc.path) else { return [inc.path] }
            return kanwil.files + [kanwil.scenario.historyPath]
        }
    }

    /// The national plan's figures before anything is written.
    struct Computed {
        var units: [NationalUnit]
        var checked: [RunJob.Checked]
        var national: SegmentCorrelation
        var view: PlanYearView
        var merged: (scenario: Scenario, history: History, calibrations: [SegmentCalibration], projection: Projection, monteCarlo: MonteCarlo.Result?)
        var warnings: [Phrase]
    }

    /// The national file with every Kanwil checked and calibrated, before anything is simulated.
    struct Prepared {
        var checked: [RunJob.Checked]
        var targets: TargetSettings
        var year: Int
        var uncertainty: UncertaintySettings
        var national: SegmentCorrelation
        var warnings: [Phrase]
    }

    static func prepare(_ doc: Document, settings: RunJob.Settings) throws(InputError) -> Prepared {
        var checked: [RunJob.Checked] = []
        var warnings: [Phrase] = []
        for inc in doc.includes {
            // A national file inside a national file is not a Kanwil.
            if let nested = try? ScenarioLoader.load(path: inc.path), nested.tree.entries?.contains(where: { $0.key == "includes" }) == true {
                throw InputError(
                    Phrase("includes: \(inc.path) sendiri berkas nasional (includes:); sebutkan berkas Kanwil", "includes: \(inc.path) is a national file itself (includes:); name Kanwil files"),
                    at: inc.location)
            }
            let c: RunJob.Checked
            do {
                c = try RunJob.check(scenarioPath: inc.path, threads: settings.threads)
            } catch {
                // A file that cannot be read is said at the national file's line that names it.
                if !FileManager.default.fileExists(atPath: inc.path) {
                    throw InputError(Phrase("includes: berkas '\(inc.path)' tidak ada (jalurnya relatif terhadap berkas nasional)", "includes: no such file '\(inc.path)' (the path is relative to the national file)"), at: inc.location)
                }
                throw error
            }
            let s = c.document.scenario
            guard s.regions.count == 1 else {
                throw InputError(
                    Phrase("includes: \(inc.path) merencanakan \(s.regions.count) wilayah; setiap berkas Kanwil merencanakan satu Kanwil (region:)", "includes: \(inc.path) plans \(s.regions.count) regions; each Kanwil file plans one Kanwil (region:)"),
                    at: inc.location)
            }
            if let same = checked.first(where: { $0.document.scenario.regions[0].name == s.regions[0].name }) {
                throw InputError(
                    Phrase("includes: \(inc.path) dan \(same.document.files[0]) merencanakan Kanwil yang sama, \(s.regions[0].name)", "includes: \(inc.path) and \(same.document.files[0]) plan the same Kanwil, \(s.regions[0].name)"),
                    at: inc.location)
            }
            // One cut for the nation: the Kanwil's plan years are summed month for month.
            if let first = checked.first?.document.scenario, first.actualsUntil != s.actualsUntil {
                throw InputError(
                    Phrase(
                        "includes: \(inc.path) berakhir realisasinya pada \(s.actualsUntil), \(checked[0].document.files[0]) pada \(first.actualsUntil); samakan actuals_until semua berkas Kanwil",
                        "includes: \(inc.path) has actuals until \(s.actualsUntil), \(checked[0].document.files[0]) until \(first.actualsUntil); give every Kanwil file the same actuals_until"),
                    at: inc.location)
            }
            checked.append(c)
        }
        let first = checked[0].document.scenario
        // Read against the latest horizon: a Kanwil that ends earlier is named below.
        let horizon = checked.map(\.document.scenario.horizon).max()!
        var targets = try doc.targets.map { (n) throws(InputError) in try ScenarioSchema().readTargets(n, actualsUntil: first.actualsUntil, horizon: horizon) } ?? TargetSettings()
        let year = targets.planYear ?? PlanYearSummary.planYear(first)
        targets.planYear = year
        // A Kanwil file's own plan year gives way to the nation's: said.
        for (i, c) in checked.enumerated() {
            if let own = c.document.scenario.targets.planYear, own != year {
                warnings.append(Phrase(
                    "\(doc.includes[i].path): targets.plan_year \(own) berkas Kanwil diganti tahun rencana nasional \(year)",
                    "\(doc.includes[i].path): the Kanwil file's targets.plan_year \(own) gives way to the national plan year \(year)"))
            }
        }
        // One plan year for the nation: every Kanwil's horizon must reach its December.
        for (i, c) in checked.enumerated() where c.document.scenario.horizon < Month(year: year, month: 12) {
            throw InputError(
                Phrase(
                    "includes: \(doc.includes[i].path) berakhir pada horizon \(c.document.scenario.horizon), sebelum Desember tahun rencana \(year); perpanjang horizonnya atau tulis targets.plan_year",
                    "includes: \(doc.includes[i].path) ends at horizon \(c.document.scenario.horizon), before December of the plan year \(year); extend its horizon or state targets.plan_year"),
                at: doc.includes[i].location)
        }
        var uncertainty = doc.uncertainty
        if let d = settings.draws {
            guard d >= 0 else { throw InputError(Phrase("--draws paling sedikit 0 (tertulis \(d))", "--draws must be at least 0 (got \(d))")) }
            uncertainty.draws = d
        }
        if let seed = settings.seed { uncertainty.seed = seed }
        if uncertainty.draws == 0, !targets.issued.isEmpty, targets.allocation == .equalStretch {
            let why = ScenarioSchema.equalStretchNeedsDraws(settings.draws == 0 ? "--draws 0" : "uncertainty.draws 0")
            // Located at the national file's setting (its draws, else its allocation or issued figure).
            let at = doc.uncertaintyNode?.entries?.first { $0.key == "draws" }?.keyLocation ?? doc.targets?.entries?.first { $0.key == "issued" }?.keyLocation
            throw settings.draws == 0 || at == nil ? InputError(why) : InputError(why, at: at!)
        }
        // The nation's share over every Kanwil's cells.
        let national = NationalPlan.nationalShare(
            checked.map { ($0.document.scenario, $0.history.history, $0.calibrations) }, stated: uncertainty.nationalCorrelation)
        return Prepared(checked: checked, targets: targets, year: year, uncertainty: uncertainty, national: national, warnings: warnings)
    }

    /// `rkat validate` of a national file: every Kanwil checked and calibrated, the nation's share
    /// measured; the Kanwil side by side as one plan (nothing simulated).
    static func validate(path: String, overrides: [String]) throws(InputError) -> RunJob.Checked? {
        guard let doc = try read(path: path, overrides: overrides) else { return nil }
        let p = try prepare(doc, settings: RunJob.Settings())
        var regions: [RegionPlan] = [], calibrations: [SegmentCalibration] = [], warnings = p.warnings
        for c in p.checked {
            regions += c.document.scenario.regions
            calibrations += c.calibrations.map { cal in
                var cal = cal
                if cal.deviation != nil { cal.national = p.national }
                return cal
            }
            warnings += named(c.warnings, c.document.scenario.regions[0].name)
        }
        let first = p.checked[0].document.scenario
        let scenario = Scenario(
            name: doc.name, description: doc.description, regions: regions, actualsUntil: first.actualsUntil,
            horizon: p.checked.map(\.document.scenario.horizon).min()!, historyPath: "",
            segments: NationalPlan.segments(of: p.checked.map(\.document.scenario)), uncertainty: p.uncertainty, targets: p.targets)
        return RunJob.Checked(
            document: ScenarioDocument(scenario: scenario, files: doc.files, resolvedJSON: doc.resolvedJSON),
            history: HistoryReport(history: History(observations: p.checked.flatMap(\.history.history.observations)), warnings: []),
            calibrations: calibrations, warnings: warnings)
    }

    /// A Kanwil's warnings, each naming its Kanwil once.
    static func named(_ warnings: [Phrase], _ name: String) -> [Phrase] {
        warnings.map { w in
            Phrase { l in
                let text = w.text(indonesian: l.indonesian)
                return text.hasPrefix(name) ? text : "\(name): " + text
            }
        }
    }

    static func compute(_ doc: Document, settings: RunJob.Settings) throws(InputError) -> Computed {
        let p = try prepare(doc, settings: settings)
        var checked = p.checked, warnings = p.warnings
        let (targets, year, uncertainty, national) = (p.targets, p.year, p.uncertainty, p.national)
        // Each Kanwil with the nation's draws, seed and share.
        var units: [NationalUnit] = []
        for i in checked.indices {
            var c = checked[i]
            c.document.scenario.uncertainty.draws = uncertainty.draws
            c.document.scenario.uncertainty.seed = uncertainty.seed
            c.document.scenario.uncertainty.quantiles = uncertainty.quantiles
            c.document.scenario.targets.planYear = year
            c.document.scenario.targets.confidence = targets.confidence
            for k in c.calibrations.indices where c.calibrations[k].deviation != nil { c.calibrations[k].national = national }
            var s = settings
            s.draws = nil
            s.seed = nil
            s.keepMonthlyDraws = true
            let r = try RunJob.compute(c, scenarioPath: doc.includes[i].path, overrides: [], settings: s, fullOutputs: false)
            checked[i] = r.checked
            // Everything the Kanwil's run said (its history, calibration, projection, draws), named.
            warnings += named(r.checked.warnings, r.checked.document.scenario.regions[0].name)
            units.append(NationalUnit(
                scenario: r.checked.document.scenario, history: r.checked.history.history, calibrations: r.checked.calibrations,
                projection: r.projection, monteCarlo: r.monteCarlo, view: r.view))
        }
        // An issued indicator every Kanwil must plan.
        for issued in targets.issued {
            let missing = units.filter { u in !u.view.targets.contains { $0.region == u.name && $0.isTotal && $0.metric == issued.metric && $0.basis == .projection } }
            if let u = missing.first {
                let why = Phrase("targets.issued.\(issued.metric.rawValue): Kanwil \(u.name) tidak merencanakan '\(issued.metric.rawValue)'", "targets.issued.\(issued.metric.rawValue): Kanwil \(u.name) does not plan \(issued.metric.rawValue)")
                let at = doc.targets?["issued"]?.entries?.first { $0.key == issued.metric.rawValue }?.keyLocation
                throw at.map { InputError(why, at: $0) } ?? InputError(why, file: doc.path)
            }
        }
        let view = NationalPlan.view(name: doc.name, units: units, targets: targets)
        let merged = NationalPlan.merged(name: doc.name, description: doc.description, units: units, uncertainty: uncertainty, targets: targets)
        return Computed(units: units, checked: checked, national: national, view: view, merged: merged, warnings: warnings)
    }

    public static func run(
        scenarioPath: String, outputDirectory: String?, overrides: [String], settings: RunJob.Settings, now: Date
    ) throws -> RunJob.Outcome? {
        guard let doc = try read(path: scenarioPath, overrides: overrides) else { return nil }
        let dir = outputDirectory ?? RunJob.defaultOutput(for: scenarioPath)
        var out = try OutputDirectory(path: dir, option: outputDirectory == nil ? "output folder" : "--out", protecting: inputs(doc))
        _ = try out.check()
        let c = try compute(doc, settings: settings)
        let words = Words(indonesian: settings.indonesian)
        var m = c.merged
        var inputs: [(path: String, sha256: String)] = []
        for f in doc.files + c.checked.flatMap(\.document.files) { inputs.append((f, try RunJob.hash(f))) }
        var histories: [(path: String, sha256: String)] = []
        for h in c.checked.map(\.document.scenario.historyPath) { histories.append((h, try RunJob.hash(h))) }
        // The report's line "History" names each Kanwil's.
        m.scenario.historyPath = histories.map(\.path).joined(separator: ", ")
        out.add("projection.csv", RunWriters.projectionCSV(m.projection))
        out.add("calibration.csv", RunWriters.calibrationCSV(m.calibrations, projection: m.projection, monteCarlo: m.monteCarlo))
        if let mc = m.monteCarlo { out.add("uncertainty.csv", UncertaintyWriter.csv(mc)) }
        out.add("targets.csv", TargetsWriter.csv(c.view))
        out.add("targets.json", TargetsText.json(c.view, scenarioFiles: inputs, histories: histories))
        out.add("targets.md", TargetsText.markdown(c.view, words: words))
        // The national file and its draws, then each Kanwil's own provenance (files, histories and
        // calibrations as its own run lists them), then the versions.
        var provenance: [(String, String)] = [(words.t("Rencana nasional", "National plan"), "\(doc.name) (\(scenarioPath))")]
        for f in doc.files { provenance.append((words.provenanceScenarioFile, "\(f) sha256 \(try RunJob.hash(f))")) }
        provenance += [("seed", "\(m.scenario.uncertainty.seed)"), (words.provenanceDraws, "\(m.monteCarlo?.options.draws ?? 0)"),
                       (words.t("Porsi nasional η", "National share η"), c.national.source)]
        let shared: Set<String> = ["rkat", "GSL", "seed", words.provenanceDraws]
        for (i, u) in c.units.enumerated() {
            provenance += try RunJob.provenance(c.checked[i], scenarioPath: doc.includes[i].path, monteCarlo: u.monteCarlo, words: words)
                .filter { !shared.contains($0.0) }.map { ("\(u.name) · \($0.0)", $0.1) }
        }
        provenance += [("rkat", RKATInfo.version), ("GSL", GSLVersion.string)]
        out.add("targets.xlsx", data: try TargetsWorkbook.data(
            c.view, segments: m.scenario.segments.map(\.name), provenance: provenance, words: words, scratch: try out.scratchFolder(),
            extra: LevelSheets.sheets(c.view, words: words) + (c.view.allocations.isEmpty ? [] : [AllocationWriters.sheet(c.view.allocations, words: words)]),
            national: true))
        if !c.view.allocations.isEmpty {
            out.add("allocation.csv", AllocationWriters.csv(c.view.allocations))
            out.add("allocation.json", AllocationWriters.json(c.view.allocations))
            out.add("allocation.md", AllocationWriters.markdown(c.view.allocations, year: c.view.year, words: words))
        }
        out.add("report.html", ReportWriter.html(
            scenario: m.scenario, history: m.history, calibrations: m.calibrations, projection: m.projection, monteCarlo: m.monteCarlo, view: c.view,
            sweep: [], runDate: now, words: words, section: c.view.allocations.isEmpty ? nil : AllocationWriters.htmlSection(c.view.allocations, words: words)))
        out.add("run.json", runJSON(doc, c, inputs: inputs, histories: histories, overrides: overrides, now: now))
        let files = try out.commit()
        let checked = RunJob.Checked(
            document: ScenarioDocument(scenario: m.scenario, files: doc.files, resolvedJSON: doc.resolvedJSON), history: HistoryReport(history: m.history, warnings: []),
            calibrations: m.calibrations, warnings: c.warnings + files.map(Phrase.init(english:)))
        return RunJob.Outcome(checked: checked, projection: m.projection, monteCarlo: m.monteCarlo, sweep: [], view: c.view, outputDirectory: dir, files: out.names)
    }

    /// run.json of a national run: the national file, every Kanwil file and history with its SHA-256,
    /// the draws and seed they all ran with, and the nation's share η.
    static func runJSON(_ doc: Document, _ c: Computed, inputs: [(path: String, sha256: String)], histories: [(path: String, sha256: String)], overrides: [String], now: Date) -> String {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        let q = JSONText.string
        func files(_ f: [(path: String, sha256: String)]) -> String { "[" + f.map { "{\"path\": \(q($0.path)), \"sha256\": \(q($0.sha256))}" }.joined(separator: ", ") + "]" }
        let u = c.merged.scenario.uncertainty
        let resolved = doc.resolvedJSON.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 0 ? String($0.element) : "  " + $0.element }.joined(separator: "\n")
        return [
            "{",
            "  \"rkat_version\": \(q(RKATInfo.version)),",
            "  \"gsl_version\": \(q(GSLVersion.string)),",
            "  \"run_time\": \(q(iso.string(from: now))),",
            "  \"scenario\": \(q(doc.path)),",
            "  \"kanwil\": [" + c.units.indices.map { i in "{\"name\": \(q(c.units[i].name)), \"scenario\": \(q(doc.includes[i].path))}" }.joined(separator: ", ") + "],",
            "  \"scenario_files\": \(files(inputs)),",
            "  \"histories\": \(files(histories)),",
            "  \"overrides\": [" + overrides.map(q).joined(separator: ", ") + "],",
            "  \"seed\": \(u.seed),",
            "  \"draws\": \(u.draws),",
            "  \"national_correlation\": \(q(c.national.source)),",
            "  \"rejected_parameter_draws\": \(c.merged.monteCarlo?.rejectedParameterDraws ?? 0),",
            "  \"warnings\": [" + c.warnings.map { q($0.english) }.joined(separator: ", ") + "],",
            "  \"resolved_scenario\": \(resolved)",
            "}",
        ].joined(separator: "\n") + "\n"
    }
}
