import Fitting
import Foundation
import Planning

/// A scenario file read and checked, with what a run records about where it came from.
public struct ScenarioDocument: Sendable {
    /// The scenario, every value checked (docs/scenario-format.md).
    public var scenario: Scenario
    /// The scenario file and every file it extends, in load order (child first), for SHA-256 provenance.
    public var files: [String]
    /// The merged YAML tree after `extends` and `--set`, as JSON with keys in file order, 2-space indent
    /// (for run.json). `extends` itself is not in it (its files are in `files`).
    public var resolvedJSON: String
    /// The scenario's `sweep`, every value checked; nil without one.
    public var sweep: Sweep?
    /// Where each segment is named (its key under `segments`), to locate problems found after reading.
    var segmentLocations: [String: SourceLocation] = [:]
    /// Where the region's potential is given (`potential`, or `regions` with several), to locate
    /// problems found against the history.
    var potentialLocation: SourceLocation?
    /// Where the scenario starts (its first key), for problems that belong to no key.
    public var location: SourceLocation?
    /// The history file and how to read it (`scenario.historyPath` is its path).
    public var history: HistorySource

    public init(scenario: Scenario, files: [String], resolvedJSON: String, sweep: Sweep? = nil, history: HistorySource? = nil) {
        self.scenario = scenario
        self.history = history ?? HistorySource(path: scenario.historyPath)
        self.files = files
        self.resolvedJSON = resolvedJSON
        self.sweep = sweep
    }
}

/// Reads scenario YAML files (docs/scenario-format.md). Every error is an `InputError` that prints as one
/// line, `FILE:LINE:COL: path.to.key: expected …, got …`; `--set` problems are located as `--set:N:COL`.
public enum ScenarioReader {
    /// Reads `path`, merges the files it `extends`, applies `overrides` (`--set key=value` strings, after
    /// `extends`), and checks the result, including every value of its `sweep` (ScenarioSweep.swift).
    public static func read(path: String, overrides: [String] = []) throws(InputError) -> ScenarioDocument {
        let loaded = try ScenarioLoader.load(path: path)
        let tree = try ScenarioOverrides.apply(overrides, to: loaded.tree)
        var schema = ScenarioSchema()
        let scenario = try schema.scenario(tree)
        var doc = ScenarioDocument(scenario: scenario, files: loaded.files, resolvedJSON: tree.json(), sweep: schema.sweep, history: schema.history)
        for e in tree["segments"]?.entries ?? [] { doc.segmentLocations[e.key] = e.keyLocation }
        doc.location = tree.entries?.first?.keyLocation ?? tree.location
        doc.potentialLocation = (tree["potential"] ?? tree["regions"])?.location
        return doc
    }
}

/// The scenario schema: converts the merged tree into `Scenario`, checking every value and reference.
struct ScenarioSchema {
    var segmentNames: [String] = []
    var flowOnly: Set<String> = []
    /// `workers_segment` references, checked once every segment is read.
    var workerReferences: [(name: String, location: SourceLocation, path: String)] = []
    /// Segments with a potential of their own, for the single-region check.
    var segmentPotentials: [(segment: String, location: SourceLocation)] = []
    var regionNames: [String] = []
    /// The sweep read with the last scenario.
    var sweep: Sweep?
    var history: HistorySource?

    /// Equal stretch reads each region's draws: with none (`why`: the setting that turned them off) it is refused.
    static func equalStretchNeedsDraws(_ why: String) -> Phrase {
        Phrase(
            "\(why): targets.allocation equal_stretch memerlukan simulasi; atau pilih proportional atau coverage_gap",
            "\(why): targets.allocation equal_stretch needs draws; or choose proportional or coverage_gap")
    }

    static func check(_ root: ScenarioNode) throws(InputError) -> Scenario {
        var schema = ScenarioSchema()
        return try schema.scenario(root)
    }

    private typealias F = ScenarioFields

    mutating func scenario(_ root: ScenarioNode) throws(InputError) -> Scenario {
        if let e = root.entries?.first(where: { $0.key == "includes" }) {
            throw InputError(
                Phrase(
                    "includes: berkas rencana nasional (berkas Kanwil yang dijalankan bersama) dijalankan dengan rkat run; perintah ini membaca berkas satu Kanwil",
                    "includes: a national file (Kanwil files run together) is run with rkat run; this command reads one Kanwil's file"),
                at: e.keyLocation)
        }
        let top = try F(root, path: "", keys: ScenarioKeys.top)
        let name = try F.text(try top.require("name", Phrase("nama skenario", "the scenario's name")), "name")
        let description = try top.present("description").map { (n) throws(InputError) in try F.text(n, "description") } ?? ""

        let segments = try readSegments(try top.require("segments", Phrase("pemetaan nama segmen ke pengaturannya", "a mapping of segment names to their settings")))

        let actualsUntilNode = try top.require("actuals_until", Phrase("bulan terakhir dengan angka realisasi, YYYY-MM", "the last month with actual figures, YYYY-MM"))
        let actualsUntil = try F.month(actualsUntilNode, "actuals_until")
        let horizonNode = try top.require("horizon", Phrase("bulan proyeksi terakhir, YYYY-MM", "the last projected month, YYYY-MM"))
        let horizon = try F.month(horizonNode, "horizon")
        guard horizon > actualsUntil else {
            throw InputError(Phrase("horizon: diharapkan bulan setelah actuals_until (\(actualsUntil)), tertulis \(horizon)", "horizon: expected a month after actuals_until (\(actualsUntil)), got \(horizon)"), at: horizonNode.location)
        }
        guard actualsUntil.distance(to: horizon) <= 120 else {
            throw InputError(
                "horizon: expected at most 120 months after actuals_until (\(actualsUntil)), i.e. \(actualsUntil.adding(months: 120)) at the latest, got \(horizon)",
                at: horizonNode.location)
        }

        history = try readHistory(try top.require("history", Phrase("jalur berkas riwayat (CSV atau .xlsx), relatif terhadap berkas skenario", "the path of the history file (CSV or .xlsx), relative to the scenario file")))
        let historyPath = history!.path
        let regions = try readRegions(top)
        if regions.count > 1, let (segment, location) = segmentPotentials.first {
            throw InputError(Phrase("segments.\(segment).potential: dengan beberapa wilayah, tiap wilayah memberi potensinya sendiri (potential.values); potensi sebuah segmen hanya untuk satu wilayah", "segments.\(segment).potential: with several regions each region gives its own potential (potential.values); a segment's potential is for one region"), at: location)
        }
        let levers = try top.present("levers").map { (n) throws(InputError) in try readLevers(n, actualsUntil: actualsUntil) } ?? Levers()
        let uncertainty = try top.present("uncertainty").map { (n) throws(InputError) in try readUncertainty(n) } ?? UncertaintySettings()
        let targets = try top.present("targets").map { (n) throws(InputError) in
            try readTargets(n, actualsUntil: actualsUntil, horizon: horizon)
        } ?? TargetSettings()
        if !targets.issued.isEmpty, let at = top.present("targets").flatMap({ $0["issued"] })?.location {
            guard regions.count >= 2 else {
                throw InputError(Phrase(
                    "targets.issued: target yang diterbitkan dibagi ke wilayah skenario; skenario ini hanya punya satu (beri 'regions', dua atau lebih)",
                    "targets.issued: an issued target is split over the scenario's regions; this scenario has one (give 'regions', two or more)"), at: at)
            }
            if targets.allocation == .equalStretch && uncertainty.draws == 0 {
                throw InputError(Self.equalStretchNeedsDraws("uncertainty.draws 0"), at: at)
            }
            // An indicator the scenario plans: iuran where a segment states it, reactivations with their lever.
            let issuedNode = top.present("targets").flatMap({ $0["issued"] })
            for (metric, _) in targets.issued {
                let planned = switch metric {
                case .iuran: segments.contains { $0.iuran != nil }
                case .reactivations: !levers.reactivation.isEmpty
                case .active, .acquisitions: true
                }
                if !planned, let node = issuedNode?[metric.rawValue] {
                    throw InputError(Phrase(
                        "targets.issued.\(metric.rawValue): skenario ini tidak merencanakan '\(metric.rawValue)' (\(metric == .iuran ? "tidak ada segmen dengan iuran" : "tidak ada pengungkit reactivation"))",
                        "targets.issued.\(metric.rawValue): the scenario does not plan \(metric.rawValue) (\(metric == .iuran ? "no segment states its iuran" : "no reactivation lever"))"), at: node.location)
                }
            }
        }

        var scenario = Scenario(
            name: name, description: description, regions: regions, actualsUntil: actualsUntil, horizon: horizon,
            historyPath: historyPath, segments: segments, levers: levers, uncertainty: uncertainty, targets: targets)
        scenario.interventions = try top.present("interventions").map { (n) throws(InputError) in
            try readInterventions(n, actualsUntil: actualsUntil)
        } ?? []
        if let n = top.present("find_disturbances") {
            scenario.findDisturbances = DisturbanceSearch(rawValue: try F.choice(n, "find_disturbances", DisturbanceSearch.allCases.map(\.rawValue)))!
        }
        scenario.costs = try top.present("costs").map { (n) throws(InputError) in try readCosts(n) } ?? []
        if let n = top.present("region_level") {
            // The regions are one of the tiers below the nation (the nation is their total).
            let tiers = PlanLevel.allCases.filter { $0 != .national }
            scenario.regionLevel = PlanLevel(rawValue: try F.choice(n, "region_level", tiers.map(\.rawValue)))!
        }
        // Last: every sweep value is tried on the scenario checked above.
        sweep = try ScenarioSweepReader.read(top, root: root)
        return scenario
    }

    // MARK: Segments

    static let modelChoices = ["auto"] + GrowthModel.allCases.map(\.rawValue)

    private mutating func readSegments(_ node: ScenarioNode) throws(InputError) -> [SegmentPlan] {
        guard let entries = node.entries else {
            throw F.typeError(node, "segments", Phrase("pemetaan nama segmen ke pengaturannya (seperti PU: {model: 'auto'})", "a mapping of segment names to their settings (like PU: {model: auto})"))
        }
        guard !entries.isEmpty else {
            throw InputError(Phrase("segments: diharapkan sedikitnya satu segmen (seperti PU: {model: 'auto'}), tertulis pemetaan kosong", "segments: expected at least one segment (like PU: {model: auto}), got an empty mapping"), at: node.location)
        }
        var result: [SegmentPlan] = []
        for e in entries {
            let path = "segments.\(e.key)"
            guard !e.key.scenarioTrimmed.isEmpty else {
                throw InputError(Phrase("segments: segmen memerlukan nama", "segments: a segment needs a name"), at: e.keyLocation)
            }
            // TOTAL is the code of a region's total row in history files and targets.
            guard e.key != History.totalSegment else {
                throw InputError(Phrase("segments: '\(History.totalSegment)' adalah nama jumlah segmen di riwayat dan target; beri segmen ini nama lain", "segments: '\(History.totalSegment)' names the segments' total in histories and targets; give the segment another name"), at: e.keyLocation)
            }
            var plan = SegmentPlan(name: e.key)
            if !e.value.isNull {
                let f = try F(
                    e.value, path: path, keys: ScenarioKeys.segment)
                if let m = f.present("model") {
                    let word = try F.choice(m, f.sub("model"), ScenarioSchema.modelChoices)
                    plan.model = GrowthModel(rawValue: word).map { .named($0) } ?? .auto
                }
                if let n = f.present("lapse_rate_per_year") { plan.lapseRatePerYear = try F.number(n, f.sub("lapse_rate_per_year"), .lapseRate) }
                if let n = f.present("acquisitions_per_month") {
                    plan.acquisitionsPerMonth = try F.number(n, f.sub("acquisitions_per_month"), .personsOrZero)
                }
                if let n = f.present("flow_only") { plan.flowOnly = try F.bool(n, f.sub("flow_only")) }
                if let n = f.present("ceiling") {
                    plan.ceiling = try F.choice(n, f.sub("ceiling"), ["potential", "free"]) == "free" ? .free : .potential
                }
                if plan.flowOnly, let n = f.present("acquisitions_per_month") {
                    throw InputError(Phrase("\(f.sub("acquisitions_per_month")): segmen flow_only mengambil akuisisinya dari riwayat; hapus 'acquisitions_per_month' atau 'flow_only'", "\(f.sub("acquisitions_per_month")): a flow_only segment takes its acquisitions from the history; drop acquisitions_per_month or flow_only"), at: n.location)
                }
                if let n = f.present("unit") {
                    plan.unit = SegmentPlan.Unit(rawValue: try F.choice(n, f.sub("unit"), ["persons", "companies"]))!
                }
                if let n = f.present("iuran") {
                    // Iuran is paid for workers, not by counting companies.
                    if plan.unit == .companies { throw f.keyError("iuran", Phrase("segmen perusahaan menghitung perusahaan; nyatakan iuran pada segmen tenaga kerjanya (seperti PU)", "a company segment counts companies; state iuran on its workers' segment (like PU)")) }
                    plan.iuran = try readIuran(n, path: f.sub("iuran"), flowOnly: plan.flowOnly)
                }
                if let n = f.present("workers_segment") {
                    guard plan.unit == .companies else { throw f.keyError("workers_segment", Phrase("hanya segmen perusahaan (unit: 'companies') yang punya segmen tenaga kerja", "only a company segment (unit: companies) has a workers segment")) }
                    plan.workersSegment = try F.text(n, f.sub("workers_segment"), "the name of the segment of these companies' workers (like PU)")
                    workerReferences.append((plan.workersSegment!, n.location, f.sub("workers_segment")))
                }
                if let n = f.present("ended") { plan.ended = try F.month(n, f.sub("ended")) }
                if let n = f.present("potential") {
                    plan.potential = try readSegmentPotential(n, path: f.sub("potential"))
                    segmentPotentials.append((e.key, n.location))
                }
                if let n = f.present("selection") {
                    plan.selection = SegmentPlan.ModelSelection(rawValue: try F.choice(n, f.sub("selection"), ["aicc", "backtest"]))!
                    // Selection ranks the candidates of `model: auto`; anywhere else it would be ignored.
                    if plan.selection == .backtest && (plan.model != .auto || plan.flowOnly) {
                        let flowOnly = plan.flowOnly, path = f.sub("selection")
                        throw InputError(
                            Phrase { l in
                                let what = flowOnly
                                    ? l.t("segmen ini flow_only (tidak ada kurva untuk dipilih)", "this segment is flow_only (no curve to choose)")
                                    : l.t("model segmen ini sudah ditetapkan", "this segment's model is fixed")
                                return "\(path): " + l.t("backtest memeringkat kandidat model 'auto', tetapi \(what); tulis model: 'auto' atau hapus 'selection'",
                                                         "backtest ranks the candidates of model: auto, but \(what); set model: auto or drop selection")
                            }, at: n.location)
                    }
                }
            }
            result.append(plan)
        }
        segmentNames = result.map(\.name)
        flowOnly = Set(result.filter(\.flowOnly).map(\.name))
        // A workers segment is a persons segment with a stock.
        for (name, location, path) in workerReferences {
            try F.checkReference(name, at: location, path, kind: "segment", known: result.filter { $0.countsPersons && !$0.flowOnly }.map(\.name))
        }
        return result
    }

    /// `segments.S.potential`: the segment's own potential {total, basis, as_of, growth_per_year}.
    private func readSegmentPotential(_ node: ScenarioNode, path: String) throws(InputError) -> PotentialSpec {
        let f = try F(node, path: path, keys: ScenarioKeys.segmentPotential)
        let total = try F.number(try f.require("total", Phrase("bilangan bulat > 0 (perusahaan atau orang)", "a whole number > 0 (companies or persons)")), f.sub("total"), .persons)
        let basis = try F.text(try f.require("basis", Phrase("asal angka itu", "where the figure comes from")), f.sub("basis"))
        let asOf = try F.month(try f.require("as_of", Phrase("bulan YYYY-MM", "a month YYYY-MM")), f.sub("as_of"))
        let growth = try f.present("growth_per_year").map { (n) throws(InputError) in try F.number(n, f.sub("growth_per_year"), .potentialGrowth) } ?? 0
        return PotentialSpec(total: total, basis: basis, asOf: asOf, growthPerYear: growth, split: .shares([:]))
    }

    /// `segments.S.iuran` (docs/iuran.md): one of `package_rp` (BPU), `wages` (PU: bands with the
    /// programme rates) or `stated_rp`; `collection` a share or a distribution; `source`.
    private func readIuran(_ node: ScenarioNode, path: String, flowOnly: Bool) throws(InputError) -> IuranPlan {
        let f = try F(node, path: path, keys: ScenarioKeys.iuran)
        let bases = ScenarioKeys.iuran.keys.filter { $0.oneOf == 1 }.map(\.name).filter { f.present($0) != nil }
        guard bases.count == 1 else {
            if bases.count > 1 { throw f.keyError(bases[1], Phrase("beri salah satu dari 'package_rp', 'wages', 'projects' atau 'stated_rp', bukan keduanya '\(bases[0])' dan '\(bases[1])'", "give one of package_rp, wages, projects or stated_rp, not both \(bases[0]) and \(bases[1])")) }
            throw f.error(Phrase("iuran tidak ada: 'package_rp' (BPU, seperti 16800), 'wages' (kelompok upah PU), 'projects' (nilai kontrak JAKON) atau 'stated_rp' (rupiah per peserta-bulan)", "missing the contribution: package_rp (BPU, like 16800), wages (PU wage bands), projects (JAKON contract values) or stated_rp (rupiah a member-month)"))
        }
        if flowOnly, bases[0] != "stated_rp", bases[0] != "projects" {
            throw f.keyError(bases[0], Phrase("segmen flow_only tidak punya peserta yang membayar per bulan; beri 'projects' (nilai kontrak JAKON) atau 'stated_rp', iuran per akuisisi", "a flow_only segment has no members to pay a month; give projects (JAKON contract values) or stated_rp, the iuran per acquisition"))
        }
        if !flowOnly, bases[0] == "projects" {
            throw f.keyError("projects", Phrase("nilai kontrak dibayar per tenaga kerja terdaftar dari segmen flow_only (JAKON); segmen stok menyatakan 'package_rp', 'wages' atau 'stated_rp'", "contract values pay per registered worker of a flow_only segment (JAKON); a stock segment states package_rp, wages or stated_rp"))
        }
        if bases[0] != "projects", f.present("workers_per_project") != nil {
            throw f.keyError("workers_per_project", Phrase("hanya bersama 'projects'", "only with projects"))
        }
        let rupiah = NumberRule.between(Phrase("iuran dalam rupiah bulat per peserta-bulan", "a contribution in whole rupiah a member-month"), 0, 1e9).wholeNumber
        let contribution: Contribution
        switch bases[0] {
        case "package_rp": contribution = .package(rupiah: try F.number(f.present("package_rp")!, f.sub("package_rp"), rupiah))
        case "stated_rp": contribution = .stated(rupiah: try F.number(f.present("stated_rp")!, f.sub("stated_rp"), rupiah))
        case "projects":
            let items = try F.list(f.present("projects")!, f.sub("projects"), "a list of project bands {value_rp, share}")
            var bands: [Contribution.ProjectBand] = []
            for (i, item) in items.enumerated() {
                let b = try F(item, path: "\(f.sub("projects"))[\(i)]", keys: ScenarioKeys.projectBand)
                let value = try F.number(try b.require("value_rp", Phrase("nilai kontrak dalam rupiah", "a contract value in rupiah")), b.sub("value_rp"), .between(Phrase("nilai kontrak dalam rupiah bulat", "a contract value in whole rupiah"), 0, 1e15, strict: true).wholeNumber)
                bands.append(.init(value: value, share: try F.number(try b.require("share", Phrase("porsi dari proyek", "a share of the projects")), b.sub("share"), .share)))
            }
            let total = bands.reduce(0) { $0 + $1.share }
            guard abs(total - 1) < 1e-6 else {
                throw InputError(F.message(f.sub("projects"), "the shares sum to \(shortNumber(total)), not 1"), at: f.present("projects")!.location)
            }
            let workers = try F.number(
                try f.require("workers_per_project", Phrase("tenaga kerja yang didaftarkan satu proyek, seperti 40", "the workers a project registers, like 40")), f.sub("workers_per_project"),
                .between(Phrase("jumlah tenaga kerja per proyek", "a number of workers per project"), 1, 1e6))
            contribution = .projects(bands: bands, workersPerProject: workers)
        default:
            let items = try F.list(f.present("wages")!, f.sub("wages"), "a list of wage bands {wage_rp, share}")
            var bands: [Contribution.WageBand] = []
            for (i, item) in items.enumerated() {
                let b = try F(item, path: "\(f.sub("wages"))[\(i)]", keys: ScenarioKeys.wageBand)
                let wage = try F.number(try b.require("wage_rp", Phrase("upah bulanan dalam rupiah", "a monthly wage in rupiah")), b.sub("wage_rp"), .between(Phrase("upah bulanan dalam rupiah bulat", "a monthly wage in whole rupiah"), 0, 1e10, strict: true).wholeNumber)
                let share = try F.number(try b.require("share", Phrase("porsi dari peserta", "a share of the members")), b.sub("share"), .share)
                bands.append(.init(wage: wage, share: share))
            }
            let total = bands.reduce(0) { $0 + $1.share }
            guard abs(total - 1) < 1e-6 else {
                throw InputError(F.message(f.sub("wages"), "the shares sum to \(shortNumber(total)), not 1"), at: f.present("wages")!.location)
            }
            guard let jkkNode = f.present("jkk") else {
                throw f.error(Phrase("jkk tidak ada: tarif JKK menurut tingkat risiko segmen (0.0024 'sangat rendah' … 0.0174 'sangat tinggi')", "missing jkk: the JKK rate of the segment's risk tier (0.0024 'sangat rendah' … 0.0174 'sangat tinggi')"))
            }
            let rate = NumberRule.fraction(Phrase("tarif atas upah", "a rate of the wage"), 0...0.2, example: "0.0024")
            var rates = Contribution.ProgrammeRates.year2024(jkk: try F.number(jkkNode, f.sub("jkk"), rate))
            if let n = f.present("jkm") { rates.jkm = try F.number(n, f.sub("jkm"), rate) }
            if let n = f.present("jht") { rates.jht = try F.number(n, f.sub("jht"), rate) }
            if let n = f.present("jp") { rates.jp = try F.number(n, f.sub("jp"), rate) }
            if let n = f.present("jp_wage_cap_rp") { rates.jpWageCap = try F.number(n, f.sub("jp_wage_cap_rp"), .between(Phrase("upah bulanan dalam rupiah bulat", "a monthly wage in whole rupiah"), 0, 1e10, strict: true).wholeNumber) }
            contribution = .wages(bands: bands, rates: rates)
        }
        if bases[0] != "wages" {
            for key in ["jkk", "jkm", "jht", "jp", "jp_wage_cap_rp"] where f.present(key) != nil {
                throw f.keyError(key, Phrase("tarif program berlaku atas upah; dengan '\(bases[0])' jumlahnya sudah merupakan iuran", "programme rates apply to wages; with \(bases[0]) the amount is already the contribution"))
            }
        }
        var plan = IuranPlan(contribution: contribution)
        if let n = f.present("collection") {
            if n.entries != nil {
                plan = IuranPlan(contribution: contribution, collectionUncertainty: try ScenarioAssumptions.shareDistribution(n, path: f.sub("collection")))
            } else {
                plan.collection = try F.number(n, f.sub("collection"), .share)
            }
        }
        if let n = f.present("source") { plan.source = try F.text(n, f.sub("source")) }
        if let n = f.present("calibrate") { plan.calibrate = try F.bool(n, f.sub("calibrate")) }
        return plan
    }

    // MARK: History

    /// `history: FILE` or `history: {file, sheet, layout, columns}`.
    private func readHistory(_ node: ScenarioNode) throws(InputError) -> HistorySource {
        guard node.entries != nil else { return HistorySource(path: try readHistoryPath(node, "history")) }
        let fields = try F(node, path: "history", keys: ScenarioKeys.history)
        var source = HistorySource(path: try readHistoryPath(try fields.require("file", Phrase("jalur berkas CSV atau .xlsx", "the path of the CSV or .xlsx file")), "history.file"))
        source.sheet = try fields.present("sheet").map { (n) throws(InputError) in try F.text(n, "history.sheet").scenarioTrimmed }
        if let n = fields.present("layout") {
            source.layout = HistorySource.Layout(rawValue: try F.choice(n, "history.layout", HistorySource.Layout.allCases.map(\.rawValue)))!
        }
        if let n = fields.present("columns") {
            let columns = try F(n, path: "history.columns", keys: ScenarioKeys.historyColumns)
            for role in HistorySource.Role.allCases {
                guard let c = columns.present(role.rawValue) else { continue }
                let heading = try F.text(c, "history.columns.\(role.rawValue)").scenarioTrimmed
                guard !heading.isEmpty else { throw InputError(Phrase("history.columns.\(role.rawValue): judul kolom kosong", "history.columns.\(role.rawValue): an empty heading"), at: c.location) }
                source.columns[role] = heading
            }
        }
        return source
    }

    private func readHistoryPath(_ node: ScenarioNode, _ path: String) throws(InputError) -> String {
        let text = try F.text(node, path, Phrase("jalur berkas riwayat (CSV atau .xlsx), relatif terhadap berkas skenario", "the path of the history file (CSV or .xlsx), relative to the scenario file")).scenarioTrimmed
        guard !text.unicodeScalars.contains("\u{0}") else {
            throw InputError(Phrase("\(path): jalurnya memuat karakter NUL", "\(path): the path contains a NUL character"), at: node.location)
        }
        if let hint = ScenarioPaths.tildeHint(text) { throw InputError(hint.prefixed("\(path): "), at: node.location) }
        // Relative to the file that wrote it (a parent's own directory after `extends`); `--set` values
        // are relative to the working directory.
        let file = node.location.file
        let resolved = file == "--set" ? ScenarioPaths.normalize(text) : ScenarioPaths.join(ScenarioPaths.directory(of: file), text)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
            throw InputError(
                "\(path): no such file '\(resolved)' (the path is relative to the scenario file\(file == "--set" ? "; in --set, to the working directory" : ""))",
                at: node.location)
        }
        guard !isDirectory.boolValue else {
            throw InputError(Phrase("\(path): diharapkan berkas CSV atau .xlsx, tertulis folder '\(resolved)'", "\(path): expected a CSV or .xlsx file, got the directory '\(resolved)'"), at: node.location)
        }
        return resolved
    }

    // MARK: Regions, potential, branches

    private mutating func readRegions(_ top: ScenarioFields) throws(InputError) -> [RegionPlan] {
        let single = top.present("region"), several = top.present("regions")
        if single != nil && several != nil {
            let later = top.entries.firstIndex { $0.key == "region" }! > top.entries.firstIndex { $0.key == "regions" }! ? "region" : "regions"
            throw top.keyError(later, Phrase("beri 'region' (satu wilayah, dengan 'potential' dan 'branches' di tingkat atas) atau 'regions' (sebuah daftar), bukan keduanya", "give either 'region' (one region, with potential and branches at the top level) or 'regions' (a list), not both"))
        }
        if let single {
            let name = try F.text(single, "region", Phrase("nama wilayah (seperti Sumbagut)", "the region's name (like Sumbagut)"))
            try Self.checkNotAllRegions(name, "region", at: single.location)
            regionNames = [name]
            let potential = try readPotential(try top.require("potential", Phrase("potensi angkatan kerja wilayah: 'basis', 'as_of' dan 'shares', 'values' atau 'series'", "the region's labour-force potential: basis, as_of and shares, values or series")), path: "potential")
            let branches = try top.present("branches").map { (n) throws(InputError) in try readBranches(n, path: "branches") } ?? []
            return [RegionPlan(name: name, potential: potential, branches: branches)]
        }
        guard let several else {
            throw top.error(Phrase("kunci wajib 'region' (nama wilayah) atau 'regions' (daftar {'name', 'potential', 'branches'}) tidak ada", "missing required key 'region' (the region's name) or 'regions' (a list of {name, potential, branches})"))
        }
        for key in ["potential", "branches"] where top.present(key) != nil {
            throw top.keyError(key, Phrase("dengan 'regions', tiap wilayah punya '\(key)' sendiri: pindahkan ke dalam isi 'regions' (atau pakai 'region' untuk satu wilayah)", "with 'regions', each region has its own '\(key)': move it into the entries of 'regions' (or use 'region' for a single region)"))
        }
        let items = try F.list(several, "regions", Phrase("daftar wilayah {'name', 'potential', 'branches'}", "a list of regions {name, potential, branches}"))
        var regions: [RegionPlan] = []
        var seen: [String: Int] = [:]
        for (i, item) in items.enumerated() {
            let f = try F(item, path: "regions[\(i)]", keys: ScenarioKeys.region)
            let nameNode = try f.require("name", Phrase("nama wilayah", "the region's name"))
            let name = try F.text(nameNode, f.sub("name"), Phrase("nama wilayah", "the region's name"))
            try Self.checkNotAllRegions(name, f.sub("name"), at: nameNode.location)
            if let j = seen[name] {
                throw InputError(Phrase("\(f.sub("name")): wilayah ganda '\(name)' (juga regions[\(j)]); nama wilayah harus berbeda", "\(f.sub("name")): duplicate region '\(name)' (also regions[\(j)]); region names must differ"), at: nameNode.location)
            }
            seen[name] = i
            let potential = try readPotential(
                try f.require("potential", Phrase("potensi angkatan kerja wilayah: 'basis', 'as_of' dan 'shares', 'values' atau 'series'", "the region's labour-force potential: basis, as_of and shares, values or series")), path: f.sub("potential"))
            let branches = try f.present("branches").map { (n) throws(InputError) in try readBranches(n, path: f.sub("branches")) } ?? []
            regions.append(RegionPlan(name: name, potential: potential, branches: branches))
        }
        regionNames = regions.map(\.name)
        return regions
    }

    private func readPotential(_ node: ScenarioNode, path: String) throws(InputError) -> PotentialSpec {
        let f = try F(
            node, path: path, keys: ScenarioKeys.potential)
        var spec = try readPotentialSplit(f)
        if let n = f.present("allow_below_history") { spec.allowBelowHistory = try F.bool(n, f.sub("allow_below_history")) }
        return spec
    }

    private func readPotentialSplit(_ f: F) throws(InputError) -> PotentialSpec {
        let basis = try F.text(try f.require("basis", Phrase("asal angka itu, misalnya \"BPS Sakernas Feb 2017\"", "where the figure comes from, e.g. \"BPS Sakernas Feb 2017\"")), f.sub("basis"),
            "a text saying where the figure comes from")
        let asOf = try F.month(try f.require("as_of", Phrase("bulan yang dirujuk angka itu, YYYY-MM", "the month the figure refers to, YYYY-MM")), f.sub("as_of"))
        let growth = try f.present("growth_per_year").map { (n) throws(InputError) in try F.number(n, f.sub("growth_per_year"), .potentialGrowth) } ?? 0

        // series: false counts as absent.
        var seriesGiven = false
        if let s = f.present("series") { seriesGiven = try F.bool(s, f.sub("series")) }
        let given = f.entries.map(\.key).filter {
            ($0 == "shares" || $0 == "values") ? f.present($0) != nil : ($0 == "series" && seriesGiven)
        }
        guard let kind = given.first else {
            throw f.error(Phrase("salah satu dari 'shares' (porsi total per segmen), 'values' (jumlah orang per segmen) atau 'series: true' (metrik potensi di riwayat) tidak ada", "missing one of 'shares' (fractions of total per segment), 'values' (persons per segment) or 'series: true' (the history's potential metric)"))
        }
        if given.count > 1 { throw f.keyError(given[1], Phrase("beri hanya satu dari 'shares', 'values' atau 'series' (juga tertulis: '\(kind)')", "give only one of 'shares', 'values' or 'series' (also given: '\(kind)')")) }

        let totalNode = f.present("total")
        switch kind {
        case "shares":
            guard let totalNode else {
                throw f.error(Phrase("kunci wajib 'total' tidak ada (jumlah orang > 0; diperlukan bersama 'shares')", "missing required key 'total' (a number of persons > 0; needed with 'shares')"))
            }
            let total = try F.number(totalNode, f.sub("total"), .persons)
            let sharesNode = f.present("shares")!
            let shares = try segmentNumbers(sharesNode, path: f.sub("shares"), rule: .share)
            let sum = shares.reduce(0) { $0 + $1.value }
            if sum > 1 + 1e-9 {
                throw InputError(
                    "\(f.sub("shares")): the shares add up to \(shortNumber(sum)) (\(shortNumber(sum * 100))%), expected at most 1 (100%)",
                    at: sharesNode.location)
            }
            return PotentialSpec(total: total, basis: basis, asOf: asOf, growthPerYear: growth, split: .shares(Dictionary(uniqueKeysWithValues: shares)))
        case "values":
            if totalNode != nil { throw f.keyError("total", Phrase("tidak boleh bersama 'values' (nilai per segmen adalah potensinya)", "not allowed with 'values' (the values per segment are the potential)")) }
            let values = try segmentNumbers(f.present("values")!, path: f.sub("values"), rule: .personsOrZero)
            return PotentialSpec(total: nil, basis: basis, asOf: asOf, growthPerYear: growth, split: .values(Dictionary(uniqueKeysWithValues: values)))
        default:
            if totalNode != nil { throw f.keyError("total", Phrase("tidak boleh bersama 'series' (metrik potensi di riwayat adalah potensinya)", "not allowed with 'series' (the history's potential metric is the potential)")) }
            return PotentialSpec(total: nil, basis: basis, asOf: asOf, growthPerYear: growth, split: .series)
        }
    }

    /// `{SEGMENT: number}` with every key a declared segment.
    private func segmentNumbers(_ node: ScenarioNode, path: String, rule: NumberRule) throws(InputError) -> [(key: String, value: Double)] {
        guard let entries = node.entries else { throw F.typeError(node, path, Phrase("pemetaan nama segmen ke angka (seperti {PU: 0.4})", "a mapping of segment names to numbers (like {PU: 0.4})")) }
        guard !entries.isEmpty else { throw InputError(Phrase("\(path): diharapkan sedikitnya satu segmen, tertulis pemetaan kosong", "\(path): expected at least one segment, got an empty mapping"), at: node.location) }
        var out: [(key: String, value: Double)] = []
        for e in entries {
            try F.checkReference(e.key, at: e.keyLocation, path, kind: "segment", known: segmentNames)
            out.append((e.key, try F.number(e.value, "\(path).\(e.key)", rule)))
        }
        return out
    }

    /// ALL is the code of the overall total's region in targets, and a branch's history rows carry its
    /// name as their region: neither a region nor a branch can be called so.
    static func checkNotAllRegions(_ name: String, _ path: String, at location: SourceLocation) throws(InputError) {
        guard name != Targets.allRegions else {
            throw InputError(Phrase("\(path): '\(Targets.allRegions)' adalah nama jumlah seluruh wilayah di target; beri wilayah atau cabang ini nama lain", "\(path): '\(Targets.allRegions)' names the total over every region in the targets; give the region or branch another name"), at: location)
        }
    }

    /// `interventions`: a list of `{from, to, label, lasting}`, from ≤ to ≤ actuals_until, in month
    /// order without overlaps (one window per disturbance), at most one of them lasting.
    private func readInterventions(_ node: ScenarioNode, actualsUntil: Month) throws(InputError) -> [Intervention] {
        let items = try F.list(node, "interventions", Phrase("daftar gangguan {from: YYYY-MM, to: YYYY-MM, label: …}", "a list of interventions {from: YYYY-MM, to: YYYY-MM, label: …}"), nonEmpty: false)
        var out: [Intervention] = []
        for (i, item) in items.enumerated() {
            let f = try F(item, path: "interventions[\(i)]", keys: ScenarioKeys.intervention)
            let fromNode = try f.require("from", Phrase("bulan pertama, YYYY-MM", "its first month, YYYY-MM"))
            let from = try F.month(fromNode, f.sub("from"))
            let toNode = try f.require("to", Phrase("bulan terakhir, YYYY-MM", "its last month, YYYY-MM"))
            let to = try F.month(toNode, f.sub("to"))
            let label = try F.text(try f.require("label", Phrase("apa gangguannya, seperti COVID", "what it was, like COVID")), f.sub("label"))
            guard from <= to else {
                throw InputError(Phrase("\(f.sub("to")): diharapkan bulan pada atau setelah from (\(from)), tertulis \(to)", "\(f.sub("to")): expected a month at or after from (\(from)), got \(to)"), at: toNode.location)
            }
            guard to <= actualsUntil else {
                throw InputError(Phrase("\(f.sub("to")): gangguan menandai bulan riwayat: diharapkan paling lambat actuals_until (\(actualsUntil)), tertulis \(to)", "\(f.sub("to")): an intervention marks months of the history: expected \(actualsUntil) (actuals_until) at the latest, got \(to)"), at: toNode.location)
            }
            if let previous = out.last, from <= previous.to {
                throw InputError(Phrase("\(f.sub("from")): gangguan harus urut dan tidak bertumpuk: diharapkan bulan setelah \(previous.to) (akhir interventions[\(i - 1)]), tertulis \(from)", "\(f.sub("from")): interventions must be in order and must not overlap: expected a month after \(previous.to) (the end of interventions[\(i - 1)]), got \(from)"), at: fromNode.location)
            }
            let lastingNode = f.present("lasting")
            let lasting = try lastingNode.map { n throws(InputError) in try F.bool(n, f.sub("lasting")) } ?? false
            if lasting, let lastingNode, let first = out.firstIndex(where: \.lasting) {
                throw InputError(Phrase("\(f.sub("lasting")): hanya satu gangguan boleh bertahan (lasting: true), dan interventions[\(first)] sudah", "\(f.sub("lasting")): only one intervention can be lasting (lasting: true), and interventions[\(first)] already is"), at: lastingNode.location)
            }
            out.append(Intervention(from: from, to: to, label: label, lasting: lasting))
        }
        return out
    }

    /// `costs`: a list of `{lever, rp_per_unit, per, payer}`, one per lever key.
    private func readCosts(_ node: ScenarioNode) throws(InputError) -> [LeverCost] {
        let items = try F.list(node, "costs", Phrase("daftar harga {lever, rp_per_unit, per, payer}", "a list of prices {lever, rp_per_unit, per, payer}"), nonEmpty: false)
        var out: [LeverCost] = []
        for (i, item) in items.enumerated() {
            let f = try F(item, path: "costs[\(i)]", keys: ScenarioKeys.cost)
            let leverNode = try f.require("lever", Phrase("kunci --set pengungkitnya, seperti levers.outreach.intensity", "the lever's --set key, like levers.outreach.intensity"))
            let lever = try F.text(leverNode, f.sub("lever"))
            do throws(InputError) { _ = try ScenarioOverrides.parse("\(lever)=", line: 1) } catch {
                throw InputError(error.phrase.prefixed("\(f.sub("lever")): "), at: leverNode.location)
            }
            if let j = out.firstIndex(where: { $0.lever == lever }) {
                throw InputError(Phrase("\(f.sub("lever")): '\(lever)' sudah diberi harga di costs[\(j)]", "\(f.sub("lever")): '\(lever)' is already priced in costs[\(j)]"), at: leverNode.location)
            }
            let price = try F.number(try f.require("rp_per_unit", Phrase("rupiah per satuan pengungkit", "rupiah per unit of the lever")), f.sub("rp_per_unit"), .leverPrice)
            let per = try F.choice(try f.require("per", Phrase("month atau year", "month or year")), f.sub("per"), LeverCost.Per.allCases.map(\.rawValue))
            let payer = try F.text(try f.require("payer", Phrase("siapa yang membayar, seperti BPJS atau Pemda", "who pays, like BPJS or Pemda")), f.sub("payer"))
            out.append(LeverCost(lever: lever, rupiahPerUnit: price, per: LeverCost.Per(rawValue: per)!, payer: payer))
        }
        return out
    }

    private func readBranches(_ node: ScenarioNode, path: String) throws(InputError) -> [BranchPlan] {
        let items = try F.list(node, path, Phrase("daftar cabang {'name', 'potential_share', 'active', 'active_as_of'}", "a list of branches {name, potential_share, active, active_as_of}"), nonEmpty: false)
        var branches: [BranchPlan] = []
        var seen: [String: Int] = [:]
        var shareSum = 0.0
        for (i, item) in items.enumerated() {
            let f = try F(
                item, path: "\(path)[\(i)]", keys: ScenarioKeys.branch)
            let nameNode = try f.require("name", Phrase("nama cabang, seperti KC Medan Utara", "the branch's name, like KC Medan Utara"))
            let name = try F.text(nameNode, f.sub("name"), "the branch's name")
            try Self.checkNotAllRegions(name, f.sub("name"), at: nameNode.location)
            if let j = seen[name] {
                throw InputError(Phrase("\(f.sub("name")): cabang ganda '\(name)' (juga \(path)[\(j)]); nama cabang harus berbeda", "\(f.sub("name")): duplicate branch '\(name)' (also \(path)[\(j)]); branch names must differ"), at: nameNode.location)
            }
            seen[name] = i
            var b = BranchPlan(name: name)
            if let n = f.present("potential_share") {
                b.potentialShare = try F.number(n, f.sub("potential_share"), .share)
                shareSum += b.potentialShare!
            }
            if let n = f.present("active") { b.active = try F.number(n, f.sub("active"), .personsOrZero) }
            if let n = f.present("active_as_of") { b.activeAsOf = try F.month(n, f.sub("active_as_of")) }
            if b.active != nil && b.activeAsOf == nil {
                throw f.error(Phrase("kunci wajib 'active_as_of' tidak ada (bulan angka 'active', YYYY-MM)", "missing required key 'active_as_of' (the month of the 'active' figure, YYYY-MM)"))
            }
            if b.active == nil && b.activeAsOf != nil {
                throw f.keyError("active_as_of", Phrase("tertulis tanpa 'active' (jumlah peserta aktif pada bulan itu)", "given without 'active' (the number of active members at that month)"))
            }
            branches.append(b)
        }
        if shareSum > 1 + 1e-9 {
            throw InputError(
                "\(path): the branches' potential shares add up to \(shortNumber(shareSum)) (\(shortNumber(shareSum * 100))%), expected at most 1 (100%)",
                at: node.location)
        }
        return branches
    }

    // MARK: Levers

    private func readLevers(_ node: ScenarioNode, actualsUntil: Month) throws(InputError) -> Levers {
        let f = try F(
            node, path: "levers", keys: ScenarioKeys.levers)
        var levers = Levers()
        if let n = f.present("outreach") { levers.outreach = try readOutreach(n, path: f.sub("outreach")) }
        if let n = f.present("honorary") { levers.honorary = try readHonorary(n, path: f.sub("honorary")) }
        if let n = f.present("villages") { levers.villages = try readVillages(n, path: f.sub("villages")) }
        if let n = f.present("budget_cohorts") { levers.budgetCohorts = try readBudgetCohorts(n, path: f.sub("budget_cohorts"), actualsUntil: actualsUntil) }
        if let n = f.present("reactivation") {
            // One mapping, or a list of them (one per segment: members and companies).
            let items = n.entries != nil ? [(n, f.sub("reactivation"))] : try F.list(n, f.sub("reactivation"), "a mapping {segment, share_per_year, pool} or a list of them").enumerated().map { ($1, "\(f.sub("reactivation"))[\($0)]") }
            for (item, path) in items {
                let lever = try readReactivation(item, path: path)
                if levers.reactivation.contains(where: { $0.segment == lever.segment && $0.region == lever.region }) {
                    throw InputError(
                        Phrase(
                            "\(path): pengungkit reaktivasi kedua untuk segmen \(lever.segment)\(lever.region.map { " di \($0)" } ?? ""); beri satu per segmen",
                            "\(path): a second reactivation lever for segment \(lever.segment)\(lever.region.map { " in \($0)" } ?? ""); give one per segment"),
                        at: item.location)
                }
                levers.reactivation.append(lever)
            }
        }
        return levers
    }

    private func readOutreach(_ node: ScenarioNode, path: String) throws(InputError) -> OutreachLever {
        let f = try F(node, path: path, keys: ScenarioKeys.outreach)
        let intensity = try F.leverPath(
            try f.require("intensity", Phrase("angka ≥ 0 (1.0 = seperti riwayat) atau daftar langkah {from, value}", "a number ≥ 0 (1.0 = as in history) or a list of {from, value} steps")), f.sub("intensity"),
            .intensity, initial: 1.0)
        let elasticity = try f.present("elasticity").map { (n) throws(InputError) in try F.number(n, f.sub("elasticity"), .elasticity) } ?? 1.0
        var segments: [String]? = nil
        if let n = f.present("segments") {
            let items = try F.list(n, f.sub("segments"), "a list of segment names (like [PU, BPU])")
            var names: [String] = []
            for (i, item) in items.enumerated() {
                let p = "\(f.sub("segments"))[\(i)]"
                let name = try F.reference(item, p, kind: "segment", known: segmentNames)
                if names.contains(name) { throw InputError(Phrase("\(p): segmen '\(name)' tercantum dua kali", "\(p): segment '\(name)' is listed twice"), at: item.location) }
                names.append(name)
            }
            segments = names
        }
        return OutreachLever(intensity: intensity, elasticity: elasticity, segments: segments)
    }

    /// `segment` (a declared segment) for a programme lever.
    private func leverSegment(_ f: ScenarioFields, stock: Bool) throws(InputError) -> String {
        let node = try f.require("segment", Phrase("segmen tempat peserta program bergabung", "the segment the programme's members join"))
        let name = try F.reference(node, f.sub("segment"), kind: "segment", known: segmentNames)
        if stock && flowOnly.contains(name) {
            throw InputError(
                "\(f.sub("segment")): segment '\(name)' is flow_only (no stock), so it cannot hold this programme's members; choose a segment with a stock",
                at: node.location)
        }
        return name
    }

    /// `region`: required with several regions, and it must be one of them.
    private func leverRegion(_ f: ScenarioFields) throws(InputError) -> String? {
        if let node = f.present("region") {
            return try F.reference(node, f.sub("region"), kind: "region", known: regionNames)
        }
        if regionNames.count > 1 {
            throw f.error(Phrase("kunci wajib 'region' tidak ada (skenario ini punya beberapa wilayah: \(regionNames.joined(separator: ", ")))", "missing required key 'region' (the scenario has several regions: \(regionNames.joined(separator: ", ")))"))
        }
        return nil
    }

    private func readHonorary(_ node: ScenarioNode, path: String) throws(InputError) -> HonoraryLever {
        let f = try F(
            node, path: path, keys: ScenarioKeys.honorary)
        let pool = try F.number(try f.require("pool", Phrase("jumlah orang > 0", "a number of persons > 0")), f.sub("pool"), .persons)
        let segment = try leverSegment(f, stock: true)
        let region = try leverRegion(f)
        let rampNode = try f.require("ramp", Phrase("daftar {month: YYYY-MM, share: …}, porsi kelompok yang aktif pada tiap bulan", "a list of {month: YYYY-MM, share: …}, the share of the pool active at each month"))
        let items = try F.list(rampNode, f.sub("ramp"), "a list of {month: YYYY-MM, share: …}")
        var ramp: [(month: Month, share: Double)] = []
        for (i, item) in items.enumerated() {
            let r = try F(item, path: "\(f.sub("ramp"))[\(i)]", keys: ScenarioKeys.rampPoint)
            let monthNode = try r.require("month", Phrase("YYYY-MM", "YYYY-MM"))
            let month = try F.month(monthNode, r.sub("month"))
            if let last = ramp.last, month <= last.month {
                throw InputError(Phrase("\(r.sub("month")): bulan harus terus naik: diharapkan bulan setelah \(last.month), tertulis \(month)", "\(r.sub("month")): months must be strictly increasing: expected a month after \(last.month), got \(month)"), at: monthNode.location)
            }
            let share = try F.number(try r.require("share", NumberRule.share.expected), r.sub("share"), .share)
            ramp.append((month, share))
        }
        let renewal = try f.present("renewal_probability").map { (n) throws(InputError) in
            try F.number(n, f.sub("renewal_probability"), .probability)
        } ?? 1.0
        // The share of the pool the history already counts (e.g. "honorary staff already 100% covered").
        let covered = try f.present("already_covered").map { (n) throws(InputError) in
            try F.number(n, f.sub("already_covered"), .share)
        } ?? 0
        var lever = HonoraryLever(pool: pool, segment: segment, region: region, ramp: ramp, renewalProbability: renewal, alreadyCovered: covered)
        // The ramp's members already in the history's figures at actuals_until (default: its planned level then).
        if let n = f.present("already_enrolled") {
            let enrolled = try F.number(n, f.sub("already_enrolled"), .personsOrZero)
            guard enrolled <= lever.uncoveredPool else {
                throw InputError(
                    Phrase(
                        "\(f.sub("already_enrolled")): diharapkan paling banyak kelompok yang dicakup ramp (\(shortNumber(lever.uncoveredPool.rounded())) orang), tertulis \(n.got)",
                        "\(f.sub("already_enrolled")): expected at most the pool the ramp acts on (\(shortNumber(lever.uncoveredPool.rounded())) persons), got \(n.got)"),
                    at: n.location)
            }
            lever.alreadyEnrolled = enrolled
        }
        return lever
    }

    private func readVillages(_ node: ScenarioNode, path: String) throws(InputError) -> VillageLever {
        let f = try F(
            node, path: path, keys: ScenarioKeys.villages)
        let segment = try leverSegment(f, stock: false)
        let region = try leverRegion(f)
        let perYear = try F.leverPath(
            try f.require("villages_per_year", Phrase("angka ≥ 0 atau daftar langkah {from, value}", "a number ≥ 0 or a list of {from, value} steps")), f.sub("villages_per_year"),
            .villagesPerYear, initial: 0)
        let yield = try F.number(
            try f.require("acquisitions_per_village", Phrase("angka ≥ 0, seperti 660", "a number ≥ 0, like 660")), f.sub("acquisitions_per_village"), .acquisitionsPerVillage)
        return VillageLever(segment: segment, region: region, villagesPerYear: perYear, acquisitionsPerVillage: yield)
    }

    /// `reactivation`: a share of the non-active pool reactivated per year (a number or a distribution),
    /// on a stock segment; the pool is the history's `inactive` figure unless `pool` states it.
    private func readReactivation(_ node: ScenarioNode, path: String) throws(InputError) -> ReactivationLever {
        let f = try F(node, path: path, keys: ScenarioKeys.reactivation)
        let segment = try leverSegment(f, stock: true)
        let region = try leverRegion(f)
        let shareNode = try f.require("share_per_year", Phrase("porsi kelompok non-aktif yang diaktifkan kembali per tahun, seperti 0.2, atau sebuah distribusi", "a share of the non-active pool reactivated per year, like 0.2, or a distribution"))
        var lever: ReactivationLever
        if shareNode.entries != nil {
            lever = ReactivationLever(segment: segment, region: region, sharePerYear: 0, shareUncertainty: try ScenarioAssumptions.shareDistribution(shareNode, path: f.sub("share_per_year")))
        } else {
            lever = ReactivationLever(segment: segment, region: region, sharePerYear: try F.number(shareNode, f.sub("share_per_year"), .share))
        }
        if let n = f.present("pool") { lever.pool = try F.number(n, f.sub("pool"), .personsOrZero) }
        return lever
    }

    /// `budget_cohorts`: a cohort stated in persons (`persons`) or by budget (`budget_per_year_rp`),
    /// exactly one; a cohort already running at `actuals_until` must say how many are enrolled then
    /// (`enrolled_at_start`), since they are in the history's figures.
    private func readBudgetCohorts(_ node: ScenarioNode, path: String, actualsUntil: Month) throws(InputError) -> BudgetCohortLever {
        let f = try F(
            node, path: path, keys: ScenarioKeys.budgetCohorts)
        let segment = try leverSegment(f, stock: true)
        let region = try leverRegion(f)
        let size: BudgetCohortLever.Size
        switch (f.present("persons"), f.present("budget_per_year_rp")) {
        case (.some(let n), nil):
            size = .persons(try F.leverPath(n, f.sub("persons"), .personsOrZero, initial: 0))
        case (nil, .some(let n)):
            size = .budget(try F.leverPath(n, f.sub("budget_per_year_rp"), .budget, initial: 0))
        case (.some, .some(let n)):
            throw InputError(Phrase("\(f.sub("budget_per_year_rp")): beri kohort dalam jumlah orang atau lewat budget_per_year_rp, bukan keduanya", "\(f.sub("budget_per_year_rp")): give the cohort in persons or by budget_per_year_rp, not both"), at: n.location)
        case (nil, nil):
            throw InputError(Phrase("\(path): kunci wajib 'persons' atau 'budget_per_year_rp' tidak ada (ukuran kohort dalam orang, atau anggarannya dalam rupiah per tahun)", "\(path): missing required key 'persons' or 'budget_per_year_rp' (the cohort's size in persons, or its budget in rupiah a year)"), at: node.location)
        }
        let cost = try f.present("cost_per_person_month_rp").map { (n) throws(InputError) in
            try F.number(n, f.sub("cost_per_person_month_rp"), .cost)
        } ?? 16_800
        let renewal = try f.present("renewal_probability").map { (n) throws(InputError) in
            try F.number(n, f.sub("renewal_probability"), .probability)
        } ?? 1.0
        let months = try f.present("enrolment_months").map { (n) throws(InputError) in
            try F.integer(n, f.sub("enrolment_months"), .enrolmentMonths)
        } ?? 3
        var lever = BudgetCohortLever(segment: segment, region: region, size: size, costPerPersonMonth: cost, renewalProbability: renewal, enrolmentMonths: months)
        let running = lever.persons(at: actualsUntil)
        if let n = f.present("enrolled_at_start") {
            let enrolled = try F.number(n, f.sub("enrolled_at_start"), .personsOrZero)
            guard enrolled <= running else {
                throw InputError(
                    "\(f.sub("enrolled_at_start")): expected at most the cohort's size at actuals_until (\(shortNumber(running.rounded())) persons), got \(n.got)", at: n.location)
            }
            lever.enrolledAtStart = enrolled
        } else if running > 0 {
            throw InputError(
                "\(path): the cohort already runs at actuals_until (\(actualsUntil): \(shortNumber(running.rounded())) persons planned), so its members are in the history's figures; say how many are enrolled then with enrolled_at_start (0 if none yet)",
                at: node.location)
        }
        return lever
    }

    // MARK: Uncertainty and targets

    func readUncertainty(_ node: ScenarioNode) throws(InputError) -> UncertaintySettings {
        let f = try F(
            node, path: "uncertainty", keys: ScenarioKeys.uncertainty)
        var u = UncertaintySettings()
        if let n = f.present("draws") { u.draws = try F.integer(n, f.sub("draws"), .draws) }
        if let n = f.present("seed") { u.seed = try F.seed(n, f.sub("seed")) }
        if let n = f.present("quantiles") {
            u.quantiles = try increasing(n, path: f.sub("quantiles"), rule: .quantile, what: Phrase("tingkat kuantil", "quantile levels"))
        }
        if let n = f.present("parameters") { u.parameters = try F.bool(n, f.sub("parameters")) }
        if let n = f.present("process_noise") { u.processNoise = try F.bool(n, f.sub("process_noise")) }
        if let n = f.present("rescaling") { u.rescaling = try F.bool(n, f.sub("rescaling")) }
        if let n = f.present("assumptions") { u.assumptions = try ScenarioAssumptions.read(n, path: f.sub("assumptions")) }
        if let n = f.present("national_correlation") {
            // A share, or a range [lo, hi] drawn uniformly a draw; at most 0.95, so each cell keeps
            // some noise of its own.
            let path = f.sub("national_correlation"), rule = NumberRule.fraction(Phrase("sebuah porsi", "a share"), 0...0.95, example: "0.3")
            if case .sequence = n.kind {
                let range = try increasing(n, path: path, rule: rule, what: Phrase("batas porsi", "share bounds"))
                guard range.count == 2 else {
                    throw InputError(Phrase("\(path): diharapkan satu porsi atau rentang [bawah, atas], tertulis \(range.count) angka", "\(path): expected one share or a range [lower, upper], got \(range.count) number(s)"), at: n.location)
                }
                u.nationalCorrelation = range[0]...range[1]
            } else {
                let v = try F.number(n, path, rule)
                u.nationalCorrelation = v...v
            }
        }
        return u
    }

    func readTargets(_ node: ScenarioNode, actualsUntil: Month, horizon: Month) throws(InputError) -> TargetSettings {
        let f = try F(node, path: "targets", keys: ScenarioKeys.targets)
        var t = TargetSettings()
        if let n = f.present("plan_year") {
            let year = try F.integer(n, f.sub("plan_year"), .year)
            let december = Month(year: year, month: 12)
            if december <= actualsUntil {
                throw InputError(Phrase("targets.plan_year: diharapkan tahun yang belum selesai pada actuals_until (\(actualsUntil)), tertulis \(year)", "targets.plan_year: expected a year not yet over at actuals_until (\(actualsUntil)), got \(year)"), at: n.location)
            }
            if december > horizon {
                throw InputError(Phrase("targets.plan_year: diharapkan tahun yang berakhir paling lambat pada horizon (\(horizon)), tertulis \(year)", "targets.plan_year: expected a year that ends by the horizon (\(horizon)), got \(year)"), at: n.location)
            }
            t.planYear = year
        }
        if let n = f.present("confidence") { t.confidence = try F.number(n, f.sub("confidence"), .confidence) }
        if let n = f.present("rule_growth") {
            let items = try F.list(n, f.sub("rule_growth"), Phrase("daftar pecahan pertumbuhan (seperti [0.2, 0.3])", "a list of growth fractions (like [0.2, 0.3])"), nonEmpty: false)
            var g: [Double] = []
            for (i, item) in items.enumerated() { g.append(try F.number(item, "\(f.sub("rule_growth"))[\(i)]", .ruleGrowth)) }
            t.ruleGrowth = g
        }
        if let n = f.present("issued") {
            let issued = try F(n, path: f.sub("issued"), keys: ScenarioKeys.issued)
            for e in issued.entries {
                guard let metric = TargetRow.Metric(rawValue: e.key), let node = issued.present(e.key) else { continue }
                let rule: NumberRule = metric.isRupiah ? .budget : .persons
                t.issued.append((metric, Whole.clamped(try F.number(node, "\(f.sub("issued")).\(e.key)", rule))))
            }
        }
        if let n = f.present("allocation") {
            t.allocation = AllocationRule(rawValue: try F.choice(n, f.sub("allocation"), AllocationRule.allCases.map(\.rawValue)))!
        }
        return t
    }

    /// A non-empty list of numbers, strictly increasing.
    private func increasing(_ node: ScenarioNode, path: String, rule: NumberRule, what: Phrase) throws(InputError) -> [Double] {
        let items = try F.list(node, path, Phrase { l in l.t("daftar \(what.indonesian) (seperti [0.1, 0.5, 0.9])", "a list of \(what.english) (like [0.1, 0.5, 0.9])") })
        var values: [Double] = []
        for (i, item) in items.enumerated() {
            let v = try F.number(item, "\(path)[\(i)]", rule)
            if let last = values.last, v <= last {
                let got = item.got
                throw InputError(
                    Phrase(
                        "\(path)[\(i)]: \(what.indonesian) harus terus naik: diharapkan lebih dari \(shortNumber(last)), tertulis \(got)",
                        "\(path)[\(i)]: \(what.english) must be strictly increasing: expected more than \(shortNumber(last)), got \(got)"),
                    at: item.location)
            }
            values.append(v)
        }
        return values
    }
}
