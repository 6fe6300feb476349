import Fitting
import Foundation
import Planning

/// `rkat explain OLD NEW` (docs/explain.md): why each target moved between two plan versions. The
/// differences between the two scenarios (after `extends`) and their histories fall into groups; the
/// scenario is run for every subset S of the groups (OLD with the groups in S taken from NEW), with
/// NEW's draws and seed in every run (common random numbers), and each target's change is split by
/// the groups' Shapley values (`Shapley`), which add up to the change exactly.
public enum ExplainJob {
    /// A group of differences and the scenario keys it takes from NEW.
    public struct Group: Sendable, Equatable {
        /// Stable English code (csv, json): new_months, history_revisions, calibration, lever:outreach,
        /// assumptions, potential, target_rules, merged.
        public var code: String
        public var label: Phrase
        /// `--set` key paths taken from NEW (nil in NEW: set to null).
        var paths: [String]
        /// History figures: after OLD's actuals_until (new months) or up to it (revisions).
        var history: HistoryPart?
        /// Groups merged into this one (more than `maxGroups` differ).
        var members: [Group] = []

        enum HistoryPart: Sendable { case newMonths, revisions }
    }

    /// One target: its change and the groups' shares of it.
    public struct Row: Sendable {
        public var region: String
        public var segment: String
        public var metric: TargetRow.Metric
        public var basis: String
        public var old: Double
        public var new: Double
        /// Per group, in persons (rupiah for iuran): the Shapley values.
        public var shares: [Double]
        /// The same in whole units that add up to new − old.
        public var whole: [Int]
        /// P(tercapai) of NEW's target under OLD and under NEW, and its Shapley split.
        public var pOld: Double?
        public var pNew: Double?
        public var pShares: [Double]?
        public var change: Double { new - old }
    }

    public struct Result: Sendable {
        public var old: String
        public var new: String
        public var groups: [Group]
        public var rows: [Row]
        public var runs: Int
        public var seconds: Double
        public var draws: Int
        public var seed: UInt64
        public var notes: [Phrase]
    }

    /// At most this many groups are explained exactly (2^8 = 256 runs); beyond, the smallest by
    /// their one-at-a-time effect are merged into one.
    public static let maxGroups = 8

    /// A plan version: a scenario file, or a targets.json rkat wrote, whose scenario it names when the
    /// scenario files and the history are still those it was made from (their SHA-256 as recorded).
    public static func scenario(of version: String) throws(InputError) -> String {
        guard version.lowercased().hasSuffix(".json") else { return version }
        // A national plan's (its Kanwil histories under `histories`): explain takes one Kanwil's.
        if let data = FileManager.default.contents(atPath: version), let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any], json["histories"] != nil {
            throw InputError(
                Phrase("targets.json rencana nasional (includes:): rkat explain membandingkan rencana satu Kanwil; jalankan dengan targets.json Kanwilnya",
                       "a national plan's targets.json (includes:): rkat explain compares one Kanwil's plans; give it a Kanwil's targets.json"),
                file: version)
        }
        guard let data = FileManager.default.contents(atPath: version),
            let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let files = json["scenario_files"] as? [[String: Any]], let first = files.first?["path"] as? String,
            let history = json["history"] as? [String: Any]
        else {
            throw InputError(Phrase("bukan targets.json buatan rkat (tanpa scenario_files dan history)", "not a targets.json rkat wrote (no scenario_files and history)"), file: version)
        }
        // The paths are as the run was given them, relative to the folder it ran in: looked up from
        // here, then from each folder above the targets.json (outputs/<stem>/targets.json).
        func locate(_ path: String) -> String {
            guard !path.hasPrefix("/"), !FileManager.default.fileExists(atPath: path) else { return path }
            var dir = URL(fileURLWithPath: version).deletingLastPathComponent()
            while dir.path != "/" {
                let candidate = dir.appendingPathComponent(path).path
                if FileManager.default.fileExists(atPath: candidate) { return candidate }
                dir = dir.deletingLastPathComponent()
            }
            return path
        }
        for f in files + [history] {
            guard let recordedPath = f["path"] as? String, let recorded = f["sha256"] as? String else { continue }
            let path = locate(recordedPath)
            let now = FileManager.default.contents(atPath: path).map { SHA256.hex([UInt8]($0)) }
            guard now == recorded else {
                throw InputError(Phrase(
                    "\(recordedPath) \(now == nil ? "tidak ditemukan (dari folder ini maupun folder di atas targets.json)" : "sudah berubah sejak targets.json ini ditulis (sha256 \(recorded.prefix(12))…, sekarang \(now!.prefix(12))…)"); jelaskan dengan berkas skenarionya sendiri",
                    "\(recordedPath) \(now == nil ? "is not found (from this folder nor from the folders above the targets.json)" : "has changed since this targets.json was written (sha256 \(recorded.prefix(12))…, now \(now!.prefix(12))…)"); explain with the scenario files themselves"),
                    file: version)
            }
        }
        return locate(first)
    }

    public static func explain(old: String, new: String, settings: RunJob.Settings = RunJob.Settings()) throws(InputError) -> Result {
        let (old, new) = (try scenario(of: old), try scenario(of: new))
        let clock = ContinuousClock()
        let started = clock.now
        let oldChecked = try RunJob.check(scenarioPath: old, threads: settings.threads)
        let newChecked = try RunJob.check(scenarioPath: new, threads: settings.threads)
        return try explain(old: old, new: new, oldChecked, newChecked, settings: settings, clock: clock, started: started)
    }

    /// The explanation of two scenario files already checked (each read and calibrated once).
    static func explain(
        old: String, new: String, _ oldChecked: RunJob.Checked, _ newChecked: RunJob.Checked, settings: RunJob.Settings, clock: ContinuousClock,
        started: ContinuousClock.Instant
    ) throws(InputError) -> Result {
        let oldTree = try ScenarioLoader.load(path: old).tree
        let newTree = try ScenarioLoader.load(path: new).tree
        let oldScenario = oldChecked.document.scenario, newScenario = newChecked.document.scenario
        var notes: [Phrase] = []
        // Common random numbers: NEW's draws and seed in every run (or --draws / --seed).
        let draws = settings.draws ?? newScenario.uncertainty.draws
        let seed = settings.seed ?? newScenario.uncertainty.seed
        if settings.draws == nil, settings.seed == nil, oldScenario.uncertainty.draws != draws || oldScenario.uncertainty.seed != seed {
            notes.append(Phrase(
                "OLD memakai \(oldScenario.uncertainty.draws) simulasi dan seed \(oldScenario.uncertainty.seed); setiap run di sini memakai milik NEW (\(draws), \(seed)) agar perbedaannya hanya dari kelompoknya",
                "OLD has \(oldScenario.uncertainty.draws) draws and seed \(oldScenario.uncertainty.seed); every run here takes NEW's (\(draws), \(seed)) so that the differences come from the groups alone"))
        }
        let runSettings = RunJob.Settings(draws: draws, seed: seed, threads: settings.threads, indonesian: settings.indonesian)

        let oldHistory = oldChecked.history.history, newHistory = newChecked.history.history
        var groups = Self.groups(oldTree, newTree, old: oldHistory, new: newHistory, oldUntil: oldScenario.actualsUntil)
        guard !groups.isEmpty else {
            throw InputError(Phrase("\(old) dan \(new) tidak berbeda dalam apa pun yang mengubah target", "\(old) and \(new) differ in nothing that moves a target"))
        }

        // One run of a subset (bit i: group i from NEW): every target's figure and P(reach NEW's).
        var runs = 0
        func run(_ taken: [Group]) throws(InputError) -> RunJob.Computed {
            runs += 1
            var overrides: [String] = []
            for g in taken.flatMap({ $0.members.isEmpty ? [$0] : $0.members }) {
                for p in g.paths { overrides.append("\(p)=" + (node(p, in: newTree).map(ScenarioOverrides.text(of:)) ?? "null")) }
            }
            let parts = taken.flatMap { $0.members.isEmpty ? [$0] : $0.members }.compactMap(\.history)
            let history = mixedHistory(old: oldHistory, new: newHistory, oldUntil: oldScenario.actualsUntil, newMonths: parts.contains(.newMonths), revisions: parts.contains(.revisions))
            do throws(InputError) {
                return try RunJob.compute(scenarioPath: old, overrides: overrides, settings: runSettings, fullOutputs: false, history: HistoryReport(history: history, warnings: []))
            } catch {
                let names = taken.map { $0.label.text(indonesian: settings.indonesian) }.joined(separator: ", ")
                throw InputError(Phrase { l in l.t("dengan \(names) dari NEW: ", "with \(names) from NEW: ") } + error.phrase, file: error.location == nil ? error.file : nil)
            }
        }

        // NEW's targets: the figures each row is measured against.
        let newRun = try run(groups)
        let keys = newRun.view.targets.map { key($0) }
        let newTargets = Dictionary(newRun.view.targets.map { (key($0), $0.target) }, uniquingKeysWith: { a, _ in a })
        func figures(_ c: RunJob.Computed) -> [String: (target: Double, p: Double?)] {
            var out: [String: (target: Double, p: Double?)] = [:]
            for r in c.view.targets {
                let k = key(r)
                let outcome = Targets.outcome(
                    c.checked.document.scenario, history: c.checked.history.history, projection: c.projection, monteCarlo: c.monteCarlo,
                    planYear: c.view.year, region: r.region, segment: r.segment, metric: r.metric)
                let p = c.monteCarlo == nil ? nil : newTargets[k].flatMap { t in outcome.map { $0.probability(atLeast: t) } }
                out[k] = (r.target, p)
            }
            return out
        }

        // More groups than can be run exactly: the smallest by their one-at-a-time effect merged.
        if groups.count > maxGroups {
            let base = figures(try run([]))
            var effects: [(Int, Double)] = []
            for (i, g) in groups.enumerated() {
                let alone = figures(try run([g]))
                effects.append((i, keys.reduce(0) { $0 + abs((alone[$1]?.target ?? 0) - (base[$1]?.target ?? 0)) }))
            }
            let keep = Set(effects.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(maxGroups - 1).map(\.0))
            let merged = groups.indices.filter { !keep.contains($0) }.map { groups[$0] }
            let names = merged.map(\.label)
            notes.append(Phrase { l in
                let list = names.map { $0.text(indonesian: l.indonesian) }.joined(separator: ", ")
                return l.t("\(groups.count) kelompok berbeda; yang pengaruhnya sendiri paling kecil digabung: \(list)",
                           "\(groups.count) groups differ; those with the smallest effect alone are merged: \(list)")
            })
            groups = groups.indices.filter { keep.contains($0) }.map { groups[$0] }
                + [Group(code: "merged", label: Phrase("lainnya (digabung)", "other (merged)"), paths: [], history: nil, members: merged)]
        }

        let k = groups.count
        var values: [[String: (target: Double, p: Double?)]] = []
        for mask in 0..<(1 << k) {
            values.append(mask == (1 << k) - 1 ? figures(newRun) : figures(try run(groups.indices.filter { mask & (1 << $0) != 0 }.map { groups[$0] })))
        }
        var rows: [Row] = []
        var missing: [String] = []
        for (key, target) in zip(keys, newRun.view.targets) {
            let v = values.map { $0[key] }
            guard v.allSatisfy({ $0 != nil }) else { missing.append("\(target.region) \(target.segment) \(target.metric.rawValue) \(target.basis.code)"); continue }
            let t = v.map { $0!.target }
            let shares = Shapley.shares(t)
            var row = Row(
                region: target.region, segment: target.segment, metric: target.metric, basis: target.basis.code, old: t[0], new: t[t.count - 1],
                shares: shares, whole: Shapley.wholeShares(shares, total: t[t.count - 1] - t[0]))
            if v.allSatisfy({ $0!.p != nil }) {
                let p = v.map { $0!.p! }
                row.pOld = p[0]
                row.pNew = p[p.count - 1]
                row.pShares = Shapley.shares(p)
            }
            rows.append(row)
        }
        if !missing.isEmpty {
            notes.append(Phrase(
                "target yang tidak ada di setiap campuran tidak dijelaskan: \(missing.joined(separator: "; "))",
                "targets absent from some mix are not explained: \(missing.joined(separator: "; "))"))
        }
        return Result(old: old, new: new, groups: groups, rows: rows, runs: runs, seconds: SolveJob.seconds(clock.now - started), draws: draws, seed: seed, notes: notes)
    }

    /// The default output folder: outputs/<NEW's file stem>-explain/.
    public static func defaultOutput(new: String) -> String { RunJob.defaultOutput(for: new) + "-explain" }

    /// Explains and writes explain.csv, explain.json, explain.md, and NEW's targets.xlsx and report.html
    /// with the explanation as a sheet and a section, to `outputDirectory` atomically (checked before
    /// any run). Returns the files written and notes on leftovers of interrupted runs.
    public static func run(
        old: String, new: String, settings: RunJob.Settings, outputDirectory: String, option: String, now: Date = RunJob.runTime()
    ) throws -> (result: Result, files: [String], notes: [String]) {
        let clock = ContinuousClock()
        let started = clock.now
        let (oldPath, newPath) = (try scenario(of: old), try scenario(of: new))
        let oldChecked = try RunJob.check(scenarioPath: oldPath, threads: settings.threads)
        let newChecked = try RunJob.check(scenarioPath: newPath, threads: settings.threads)
        let inputs = RunJob.inputFiles(oldChecked) + RunJob.inputFiles(newChecked) + [old, new].filter { $0.lowercased().hasSuffix(".json") }
        var out = try OutputDirectory(path: outputDirectory, option: option, protecting: inputs)
        _ = try out.check()
        let result = try explain(old: oldPath, new: newPath, oldChecked, newChecked, settings: settings, clock: clock, started: started)
        let words = Words(indonesian: settings.indonesian)
        out.add("explain.csv", ExplainWriters.csv(result))
        out.add("explain.json", ExplainWriters.json(result))
        out.add("explain.md", ExplainWriters.markdown(result, words: words))
        // NEW's own workbook and report, with the explanation as a sheet and a section of their own.
        let newRun = try RunJob.compute(
            scenarioPath: newPath, settings: RunJob.Settings(draws: result.draws, seed: result.seed, threads: settings.threads, indonesian: settings.indonesian))
        out.add("targets.xlsx", data: try RunJob.targetsWorkbook(newRun, words: words, scratch: try out.scratchFolder(), extra: ExplainWriters.sheet(result, words: words)))
        out.add("report.html", RunJob.reportHTML(newRun, words: words, now: now, section: ExplainWriters.htmlSection(result, words: words)))
        let notes = try out.commit()
        return (result, out.names, notes)
    }

    /// A target's identity across runs.
    static func key(_ r: TargetRow) -> String { "\(r.region)\u{1F}\(r.segment)\u{1F}\(r.metric.rawValue)\u{1F}\(r.basis.code)" }

    // MARK: The groups

    /// The groups in which OLD and NEW differ, in a fixed order.
    static func groups(_ old: ScenarioNode, _ new: ScenarioNode, old oldHistory: History, new newHistory: History, oldUntil: Month) -> [Group] {
        func differs(_ p: String) -> Bool { text(node(p, in: old)) != text(node(p, in: new)) }
        func group(_ code: String, _ label: Phrase, _ paths: [String], history: Group.HistoryPart? = nil, historyDiffers: Bool = false) -> Group? {
            let changed = paths.filter(differs)
            guard !changed.isEmpty || historyDiffers else { return nil }
            return Group(code: code, label: label, paths: changed, history: historyDiffers ? history : nil)
        }
        let (after, upTo) = historyDifferences(old: oldHistory, new: newHistory, oldUntil: oldUntil)
        var out: [Group?] = [
            group("new_months", Phrase("bulan realisasi baru", "new realised months"), ["actuals_until"], history: .newMonths, historyDiffers: after),
            group("history_revisions", Phrase("revisi angka riwayat", "revised history figures"), [], history: .revisions, historyDiffers: upTo),
            group("calibration", Phrase("kalibrasi dan segmen", "calibration and segments"), ["segments", "interventions"]),
        ]
        let levers = Set((old["levers"]?.entries ?? []).map(\.key) + (new["levers"]?.entries ?? []).map(\.key)).sorted()
        for l in levers { out.append(group("lever:\(l)", Phrase("pengungkit \(l)", "lever \(l)"), ["levers.\(l)"])) }
        out += [
            group("assumptions", Phrase("asumsi dan ketidakpastian", "assumptions and uncertainty"),
                  ["uncertainty.assumptions", "uncertainty.parameters", "uncertainty.process_noise", "uncertainty.quantiles",
                   "uncertainty.rescaling", "uncertainty.national_correlation"]),
            group("potential", Phrase("potensi dan wilayah", "potential and regions"), ["potential", "region", "regions", "branches"]),
            group("target_rules", Phrase("aturan target", "target rules"), ["targets", "horizon"]),
        ]
        return out.compactMap { $0 }
    }

    /// Whether the histories differ after OLD's actuals_until (new months) and up to it (revisions).
    static func historyDifferences(old: History, new: History, oldUntil: Month) -> (after: Bool, upTo: Bool) {
        func figures(_ h: History, _ keep: (Month) -> Bool) -> [String: Double] {
            Dictionary(h.observations.filter { keep($0.month) }.map { ("\($0.month)\u{1F}\($0.region)\u{1F}\($0.segment)\u{1F}\($0.metric.rawValue)", $0.value) }, uniquingKeysWith: { _, b in b })
        }
        return (figures(old, { $0 > oldUntil }) != figures(new, { $0 > oldUntil }), figures(old, { $0 <= oldUntil }) != figures(new, { $0 <= oldUntil }))
    }

    /// OLD's figures with NEW's after OLD's actuals_until (`newMonths`) and NEW's up to it (`revisions`).
    static func mixedHistory(old: History, new: History, oldUntil: Month, newMonths: Bool, revisions: Bool) -> History {
        let upTo = (revisions ? new : old).observations.filter { $0.month <= oldUntil }
        let after = (newMonths ? new : old).observations.filter { $0.month > oldUntil }
        return History(observations: upTo + after)
    }

    /// The node at a `--set` key path, nil when absent or null.
    static func node(_ path: String, in tree: ScenarioNode) -> ScenarioNode? {
        var n: ScenarioNode? = tree
        for part in path.split(separator: ".") { n = n?[String(part)] }
        guard let n, !n.isNull else { return nil }
        return n
    }

    static func text(_ n: ScenarioNode?) -> String? { n.map { ScenarioOverrides.text(of: $0) } }
}
