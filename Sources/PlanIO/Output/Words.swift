import Fitting
import Foundation
import Planning

/// The unit a table of rupiah is shown in: planners read Rp juta and Rp miliar, not 13-digit
/// rupiah. Chosen per table so its largest figure has at most six significant digits with one
/// decimal (under Rp 100.000 juta: juta; from there: miliar). Cells of a workbook keep whole rupiah.
public enum RupiahUnit: Sendable, Equatable {
    case juta, miliar

    public var divisor: Double { self == .juta ? 1e6 : 1e9 }

    public static func fitting(_ values: [Double?]) -> RupiahUnit {
        let largest = values.compactMap { $0 }.filter(\.isFinite).map(abs).max() ?? 0
        return (largest / 1e6 * 10).rounded() < 1e6 ? .juta : .miliar
    }
}

/// The words and number formats planners read, Indonesian by default and English with --lang en, in
/// one table: every human-facing output (terminal, targets.md, targets.xlsx, report.html) takes its
/// terms from here, so a term reads the same everywhere. csv and json keep stable English codes.
public struct Words: Sendable {
    public let indonesian: Bool
    /// The unit a table's rupiah figures are shown in (nil: whole rupiah, "Rp 1.209.600.000").
    public private(set) var rupiahUnit: RupiahUnit? = nil

    public init(indonesian: Bool) { self.indonesian = indonesian }

    /// These words for a plan year's target tables: their iuran in Rp juta or Rp miliar, one unit
    /// for the document, as its largest iuran figure needs.
    public func forTargets(_ view: PlanYearView) -> Words {
        var iuran: [Double?] = []
        for r in view.targets where r.metric.isRupiah {
            iuran += [r.target, r.lastRealisation, r.lastTarget, r.realisedToDate]
            iuran += (r.quantiles ?? []).map { Optional($0) }
        }
        for b in view.branches where b.metric.isRupiah { iuran.append(Double(b.target)) }
        return forTable(rupiah: iuran)
    }

    /// These words for one table whose rupiah figures are `values`: shown in Rp juta or Rp miliar
    /// (the unit in the indicator's label), as the table's largest figure needs.
    public func forTable(rupiah values: [Double?]) -> Words {
        var w = self
        w.rupiahUnit = RupiahUnit.fitting(values)
        return w
    }

    /// The term in the reader's language (for the prose of one output; shared terms are below).
    public func t(_ id: String, _ en: String) -> String { indonesian ? id : en }

    // MARK: Numbers

    /// Whole persons with thousands separators: 1.704.308 (id) or 1,704,308 (en); "—" when missing.
    public func persons(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "—" }
        return NumberText.grouped(v, separator: indonesian ? "." : ",")
    }

    /// Rupiah as planners write them: Rp 1.209.600.000 (id) or Rp 1,209,600,000 (en); "—" when missing.
    public func rupiah(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "—" }
        return "Rp " + persons(v)
    }

    /// What a segment's iuran rests on, a part a line: "BPU: paket Rp 16.800 per peserta-bulan",
    /// "BPU: kolektibilitas 90% …", "BPU: sumber: …".
    func iuranBasis(_ segment: String, _ plan: IuranPlan) -> [String] {
        var parts: [String] = []
        switch plan.contribution {
        case .package(let r): parts.append(t("paket \(rupiah(r)) per peserta-bulan", "package \(rupiah(r)) a member-month"))
        case .stated(let r): parts.append(t("\(rupiah(r)) per peserta-bulan (dinyatakan)", "\(rupiah(r)) a member-month (stated)"))
        case .projects(let bands, let workers):
            let list = bands.map { "\(percent($0.share)) × \(rupiah($0.value))" }.joined(separator: ", ")
            parts.append(t("nilai proyek \(list); \(decimal(workers)) tenaga kerja per proyek", "contract values \(list); \(decimal(workers)) workers a project"))
            parts.append(t("\(rupiah(plan.contribution.perMemberMonth.rounded())) per tenaga kerja terdaftar (tarif berjenjang JKK + JKM)", "\(rupiah(plan.contribution.perMemberMonth.rounded())) per registered worker (JKK + JKM tiers)"))
        case .wages(let bands, let rates):
            let list = bands.map { "\(percent($0.share)) × \(rupiah($0.wage))" }.joined(separator: ", ")
            parts.append(t("upah \(list); JKK \(percentExact(rates.jkk)), JKM \(percentExact(rates.jkm)), JHT \(percentExact(rates.jht)), JP \(percentExact(rates.jp)) s.d. \(rupiah(rates.jpWageCap))",
                           "wages \(list); JKK \(percentExact(rates.jkk)), JKM \(percentExact(rates.jkm)), JHT \(percentExact(rates.jht)), JP \(percentExact(rates.jp)) up to \(rupiah(rates.jpWageCap))"))
            parts.append(t("rata-rata \(rupiah(plan.contribution.perMemberMonth.rounded())) per peserta-bulan", "on average \(rupiah(plan.contribution.perMemberMonth.rounded())) a member-month"))
        }
        var collection = t("kolektibilitas \(percent(plan.collection))", "collection \(percent(plan.collection))")
        if let d = plan.collectionUncertainty { collection += " (\(distribution(d)))" }
        parts.append(collection)
        if let source = plan.source { parts.append(t("sumber: ", "source: ") + source) }
        return parts.map { "\(segment): \($0)" }
    }

    /// A rate with as many decimals as it has: 0,24% / 5,7%.
    public func percentExact(_ v: Double) -> String { decimal((v * 100 * 1e6).rounded() / 1e6) + "%" }

    /// A stated distribution in a few words: "uniform 0,85–0,98".
    func distribution(_ d: Distribution) -> String {
        switch d {
        case .normal(let m, let sd): return "normal \(decimal(m)) ± \(decimal(sd))"
        case .lognormal(let m, let s): return "lognormal \(t("median", "median")) \(decimal(m)), σ \(decimal(s))"
        case .uniform(let a, let b): return "\(t("seragam", "uniform")) \(decimal(a))–\(decimal(b))"
        case .triangular(let a, let c, let b): return "\(t("segitiga", "triangular")) \(decimal(a))–\(decimal(c))–\(decimal(b))"
        }
    }

    /// Rupiah in millions with one decimal, for month tables: 1.209,6 (id) or 1,209.6 (en).
    func millions(_ v: Double?) -> String { rupiah(v, in: .juta) }

    /// Rupiah in `unit` with one decimal: 1.209,6 (id) or 1,209.6 (en); "-" before a negative figure
    /// that does not round to zero; "—" when missing.
    public func rupiah(_ v: Double?, in unit: RupiahUnit) -> String {
        guard let v, v.isFinite else { return "—" }
        let tenths = (abs(v) / unit.divisor * 10).rounded()
        let whole = NumberText.grouped((tenths / 10).rounded(.down), separator: indonesian ? "." : ",")
        let text = whole + (indonesian ? "," : ".") + String(Whole.clamped(tenths.truncatingRemainder(dividingBy: 10)))
        return (v < 0 && tenths > 0 ? "-" : "") + text
    }

    /// A table's rupiah unit as its header says it: "Rp juta", "Rp miliar".
    public func unitName(_ unit: RupiahUnit) -> String {
        unit == .juta ? t("Rp juta", "Rp million") : t("Rp miliar", "Rp billion")
    }

    /// A company segment's workers per company, realised and targeted: "Tebing Tinggi BU: tenaga kerja
    /// per badan usaha 11,9 (realisasi Jul 2022) → 12,5 (target 2022)".
    func workersPerCompany(_ r: TargetRow, year: Int) -> String? {
        guard let target = r.workersPerCompany else { return nil }
        let one = { (v: Double) in self.decimal((v * 10).rounded() / 10) }
        let realised = r.realisedWorkersPerCompany.map { "\(one($0.value)) (\(t("realisasi", "realised")) \(monthYear($0.month))) → " } ?? ""
        return "\(r.region) \(r.segment): \(t("tenaga kerja per badan usaha", "workers per company")) \(realised)\(one(target)) (target \(year))"
    }

    /// Under a target table with reactivations: what the lever adds and what it does not.
    var reactivationNote: String {
        t("Reaktivasi: bagian dari peserta non-aktif yang aktif kembali per tahun, tambahan di atas kurva/arus yang dikalibrasi (yang sudah memuat reaktivasi masa lalu); dihitung terpisah dari akuisisi, dan yang diaktifkan kembali bisa non-aktif lagi pada tingkat non-aktif segmen.",
          "Reactivations: a share of the non-active pool made active again each year, an increment on top of the calibrated curve or flows (which already contain past reactivations); counted apart from acquisitions, and the reactivated lapse again at the segment's lapse rate.")
    }

    /// A target figure in its unit: rupiah for iuran, persons otherwise.
    public func figure(_ v: Double?, _ m: TargetRow.Metric) -> String {
        guard m.isRupiah else { return persons(v) }
        return rupiahUnit.map { rupiah(v, in: $0) } ?? rupiah(v)
    }

    /// A difference of a metric's figures with one sign: +1.234 / -1.234 (rupiah in the table's
    /// unit); "—" when missing.
    public func signedFigure(_ v: Double?, _ metric: TargetRow.Metric) -> String {
        guard let v, v.isFinite else { return "—" }
        return (v >= 0 ? "+" : "-") + figure(abs(v), metric)
    }

    /// A difference with its sign: +1.234 / −1.234; "—" when missing.
    public func signedPersons(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "—" }
        return (v >= 0 ? "+" : "") + persons(v)
    }

    /// A fraction as a percentage with one decimal: 12,5% (id) or 12.5% (en); "—" when missing.
    public func percent(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "—" }
        // A figure that rounds to 0.0% has no sign ("-0,0%" reads as a fall).
        let s = String(format: "%.1f%%", (v * 1000).rounded() == 0 ? 0 : v * 100)
        return indonesian ? s.replacingOccurrences(of: ".", with: ",") : s
    }

    /// Digits as calibration.csv writes them (0.7621850439, -653.4901999) with the reader's decimal
    /// mark: 0,7621850439 (id).
    public func digits(_ csv: String) -> String { indonesian ? csv.replacingOccurrences(of: ".", with: ",") : csv }

    /// A number with its decimals as written, in the reader's format: 1,3 (id) or 1.3 (en).
    public func decimal(_ v: Double) -> String {
        let s = shortNumber(v)
        return indonesian ? s.replacingOccurrences(of: ".", with: ",") : s
    }

    // MARK: Calibration (Planning describes it in English; here in the reader's language)

    /// A calibration's method or lapse-rate source as the terminal, the report and the workbook show it.
    public func calibration(_ text: String) -> String {
        func groups(_ pattern: String) -> [String]? {
            guard let re = try? NSRegularExpression(pattern: pattern),
                let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
            else { return nil }
            return (1..<m.numberOfRanges).map { Range(m.range(at: $0), in: text).map { String(text[$0]) } ?? "" }
        }
        // Planning's English groups whole figures with commas (71,932).
        func number(_ s: String) -> String { Double(s.replacingOccurrences(of: ",", with: "")).map { $0 >= 100 ? persons($0) : decimal($0) } ?? s }
        if let g = groups(#"^(.*), (\d{4}-\d{2})–(\d{4}-\d{2}): ([0-9][0-9.,e+-]*) a month$"#) {
            let source: String
            switch g[0] {
            case "monthly acquisitions": source = t("akuisisi bulanan", "monthly acquisitions")
            case "year-to-date acquisitions spread over their months":
                source = t("akuisisi kumulatif s.d. bulan dibagi rata ke bulannya", "year-to-date acquisitions spread over their months")
            default: source = g[0]
            }
            return "\(source), \(g[1])–\(g[2]): \(number(g[3])) \(t("per bulan", "a month"))"
        }
        if let g = groups(#"^(\w+) fitted to (coverage A/L|the stock) \((\d+) points(; (\d+) in (interventions|a disturbance the figures show|interventions and a disturbance the figures show) left out)?\)$"#) {
            let space = g[1] == "the stock" ? t("stok peserta aktif", "the stock") : t("cakupan A/L", "coverage A/L")
            let what: String = switch g[5] {
            case "a disturbance the figures show": t("gangguan yang ditunjukkan angka", g[5])
            case "interventions and a disturbance the figures show": t("gangguan yang dinyatakan dan gangguan yang ditunjukkan angka", g[5])
            default: t("gangguan", g[5])
            }
            let out = g[4].isEmpty ? "" : t("; \(g[4]) dalam \(what) tidak dipakai", "; \(g[4]) in \(what) left out")
            return t("\(g[0]) dicocokkan pada \(space) (\(g[2]) titik\(out))", "\(g[0]) fitted to \(space) (\(g[2]) points\(out))")
        }
        if let g = groups(#"^assumption \(scenario: ([0-9.e+-]+)% a year\)$"#) {
            return t("asumsi (skenario: \(number(g[0]))% per tahun)", "assumption (scenario: \(number(g[0]))% a year)")
        }
        if let g = groups(#"^assumption \(scenario: ([0-9,]+) acquisitions a month; the history has none\)$"#) {
            let n = g[0].replacingOccurrences(of: ",", with: "")
            return t("asumsi (skenario: \(number(n)) akuisisi per bulan; riwayat tidak memuatnya)", text)
        }
        if let g = groups(#"^history \(stock change vs acquisitions, (\d+) intervals?\)$"#) {
            return t("riwayat (perubahan stok vs akuisisi, \(g[0]) interval)", text)
        }
        return text
    }

    // MARK: Provenance and footers

    /// The provenance sheet's keys.
    var provenanceScenario: String { t("skenario", "scenario") }
    var provenanceScenarioFile: String { t("berkas skenario", "scenario file") }
    var provenanceHistory: String { t("riwayat", "history") }
    var provenanceHistoryReadAs: String { t("riwayat dibaca sebagai", "history read as") }
    var provenanceDraws: String { t("jumlah simulasi", "draws") }
    var provenanceIntervention: String { t("gangguan", "intervention") }
    var provenanceLapse: String { t("tingkat non-aktif", "lapse rate") }
    var provenanceWarning: String { t("peringatan", "warning") }

    /// The line under the target table: where P(reach) comes from, or that there are no draws.
    func reachFooter(confidence: Double, draws: Int) -> String {
        if draws == 0 {
            return t("Tanpa simulasi (draws 0): target = proyeksi deterministik; P(tercapai) dan kuantil tidak dihitung.",
                     "Without draws (draws 0): targets are the deterministic projection; P(reach) and quantiles are not computed.")
        }
        return t("Target proyeksi tercapai dengan peluang \(percent(confidence)); P(tercapai) dari \(persons(Double(draws))) kali simulasi Monte Carlo.",
                 "Projection targets are reached with probability \(percent(confidence)); P(reach) from \(persons(Double(draws))) Monte Carlo draws.")
    }

    // MARK: Sweep labels

    /// A `--set` path of a sweep axis as a planner names it ("Intensitas sosialisasi"); the path itself
    /// when it has no name here.
    func leverName(_ path: String) -> String {
        let parts = path.split(separator: ".").map(String.init)
        let tail = parts.suffix(2).joined(separator: ".")
        if path.hasPrefix("levers.honorary.ramp["), path.hasSuffix("].share"),
            let n = Int(path.dropFirst("levers.honorary.ramp[".count).prefix { $0.isNumber }) {
            return t("Cakupan honorer (langkah \(n + 1))", "Honorary coverage (step \(n + 1))")
        }
        if parts.count == 3, parts[0] == "segments", parts[2] == "lapse_rate_per_year" {
            return t("Tingkat non-aktif \(parts[1])", "Lapse rate \(parts[1])")
        }
        switch tail {
        case "outreach.intensity": return t("Intensitas sosialisasi", "Outreach intensity")
        case "outreach.elasticity": return t("Elastisitas sosialisasi", "Outreach elasticity")
        case "honorary.pool": return t("Jumlah pekerja honorer", "Honorary pool")
        case "honorary.renewal_probability": return t("Peluang perpanjangan honorer", "Honorary renewal probability")
        case "villages.villages_per_year": return t("Desa per tahun", "Villages per year")
        case "villages.acquisitions_per_village": return t("Akuisisi per desa", "Acquisitions per village")
        case "budget_cohorts.budget_per_year_rp": return t("Anggaran per tahun (Rp)", "Budget per year (Rp)")
        case "budget_cohorts.cost_per_person_month_rp": return t("Biaya per orang-bulan (Rp)", "Cost per person-month (Rp)")
        case "budget_cohorts.renewal_probability": return t("Peluang perpanjangan kohort anggaran", "Budget cohort renewal probability")
        case "potential.growth_per_year": return t("Pertumbuhan potensi per tahun", "Potential growth per year")
        case "targets.confidence": return t("Tingkat keyakinan target", "Target confidence")
        default: return path
        }
    }

    /// A swept value as the reader writes numbers: shares as percentages, counts and rupiah grouped.
    func leverValue(_ path: String, _ value: String) -> String {
        guard let v = ScalarText.fraction(value) else { return value }
        if path.hasSuffix("share") || path.hasSuffix("probability") || path.hasSuffix("rate_per_year") || path.hasSuffix("growth_per_year") || path.hasSuffix("confidence") {
            return percent(v)
        }
        return v.rounded() == v && abs(v) >= 1000 ? persons(v) : decimal(v)
    }

    // MARK: Months

    /// Month abbreviations for tables and chart ticks.
    var monthNames: [String] {
        indonesian
            ? ["Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"]
            : ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    }

    // MARK: Targets

    public var region: String { t("Wilayah", "Region") }
    public var segment: String { t("Segmen", "Segment") }
    public var metricHeader: String { t("Indikator", "Metric") }
    var basisHeader: String { t("Dasar", "Basis") }
    public var realisation: String { t("Realisasi", "Last realisation") }
    var lastTarget: String { t("Target lalu", "Last target") }
    public var target: String { "Target" }
    var growthVsRealisation: String { t("Tumbuh vs realisasi", "Growth vs realisation") }
    var growthVsTarget: String { t("Tumbuh vs target", "Growth vs target") }
    public var coverage: String { t("Cakupan", "Coverage") }
    var coverageOfPotential: String { t("Cakupan potensi", "Coverage of potential") }
    public var pReach: String { t("P(tercapai)", "P(reach)") }
    var flags: String { t("Catatan", "Flags") }
    public var total: String { "Total" }
    var cumulative: String { t("s.d.", "cumulative") }
    public var summary: String { t("Ringkasan", "Summary") }
    var provenance: String { t("Asal Data", "Provenance") }
    var yearEndActive: String { t("Aktif akhir tahun", "Year-end active") }
    public var acquisitions: String { t("Akuisisi", "Acquisitions") }
    public var scenario: String { t("Skenario", "Scenario") }

    public func metric(_ m: TargetRow.Metric, _ unit: SegmentPlan.Unit = .persons) -> String {
        switch (m, unit) {
        case (.active, .persons): return t("Peserta aktif akhir tahun", "Active at year end")
        case (.acquisitions, .persons): return acquisitions
        case (.active, .companies): return t("Badan usaha aktif akhir tahun", "Active companies at year end")
        case (.acquisitions, .companies): return t("Badan usaha baru", "New companies")
        case (.iuran, _): return t("Penerimaan iuran", "Iuran received") + " (\(rupiahUnit.map(unitName) ?? "Rp"))"
        case (.reactivations, .persons): return t("Reaktivasi peserta non-aktif", "Reactivated members")
        case (.reactivations, .companies): return t("Reaktivasi badan usaha non-aktif", "Reactivated companies")
        }
    }

    /// The metric in a row label of the monthly tables ("Sumbagut PU · aktif").
    /// The metric as a month's figure is (chart titles and rows over months): a stock at the month's
    /// end, a flow in the month.
    public func monthlyMetric(_ m: TargetRow.Metric, _ unit: SegmentPlan.Unit = .persons) -> String {
        switch (m, unit) {
        case (.active, .persons): return t("Peserta aktif akhir bulan", "Active at month end")
        case (.acquisitions, .persons): return t("Akuisisi per bulan", "Acquisitions a month")
        case (.active, .companies): return t("Badan usaha aktif akhir bulan", "Active companies at month end")
        case (.acquisitions, .companies): return t("Badan usaha baru per bulan", "New companies a month")
        case (.iuran, _): return t("Penerimaan iuran per bulan", "Iuran received a month") + " (\(rupiahUnit.map(unitName) ?? "Rp"))"
        case (.reactivations, .persons): return t("Reaktivasi per bulan", "Reactivations a month")
        case (.reactivations, .companies): return t("Reaktivasi badan usaha per bulan", "Reactivated companies a month")
        }
    }

    public func metricShort(_ m: TargetRow.Metric, _ unit: SegmentPlan.Unit = .persons) -> String {
        switch (m, unit) {
        case (.active, .persons): return t("aktif", "active")
        case (.acquisitions, .persons): return t("akuisisi", "acquisitions")
        case (.active, .companies): return t("BU aktif", "active companies")
        case (.acquisitions, .companies): return t("BU baru", "new companies")
        case (.iuran, _): return "iuran"
        case (.reactivations, _): return t("reaktivasi", "reactivations")
        }
    }

    /// "Nov 2017": a month as planners write it.
    public func monthYear(_ m: Month?) -> String { m.map { "\(monthNames[$0.month - 1]) \($0.year)" } ?? "—" }
    /// The plan-year ledger's columns: what the realisation covers and the plan year's realisation so far.
    var lastRealisationThrough: String { t("Realisasi lalu s.d.", "Last realisation through") }
    public func realisedToDate(_ year: Int) -> String { t("Realisasi \(year)", "Realised \(year)") }
    public var realisedThrough: String { t("s.d.", "through") }
    /// The legend of month tables: which figures are realised.
    var realisedLegend: String { t("Angka miring: realisasi (dari data historis); lainnya: proyeksi.", "Italic: realised (from the history); others: projected.") }
    /// Added to the legend where a realised month's iuran is an estimate (the history has members but
    /// no iuran for it).
    var estimatedLegend: String {
        t("Iuran bulan realisasi tanpa angka di data historis: taksiran (peserta × iuran × kolektibilitas), tidak miring.",
          "Iuran of a realised month the history gives no figure for: an estimate (members × contribution × collection), not italic.")
    }

    /// The month tables' legend for `phasing`: the realised one, and the estimated one when a month is.
    func legend(_ phasing: [PlanYearView.PhasedTarget]) -> String {
        phasing.contains { $0.months.contains { $0.status == .estimated } } ? realisedLegend + " " + estimatedLegend : realisedLegend
    }

    /// A quantile level as a column name: P10, P50, P2.5.
    public func level(_ q: Double) -> String { UncertaintyWriter.levelName(q).uppercased() }

    public func basis(_ b: TargetBasis) -> String {
        guard indonesian else { return b.code }
        switch b {
        case .projection: return "proyeksi"
        case .rule: return "aturan " + b.code.dropFirst("rule ".count)
        case .branchAllocation: return "alokasi cabang"
        case .issued: return "alokasi target terbit"
        }
    }

    public func flag(_ f: TargetFlag) -> String {
        guard indonesian else { return f.rawValue }
        switch f {
        case .reachBelow20: return "P(tercapai) di bawah 20%"
        case .abovePotential: return "melebihi potensi"
        case .aboveUncoveredPool: return "melebihi potensi yang belum tercakup"
        case .iuranEstimated: return "iuran realisasi ditaksir"
        case .partYear: return "sebagian tahun (bulan tanpa angka)"
        case .atOrBelowRealised: return "sudah tercapai oleh realisasi"
        case .lastYearsPace: return "laju tahun lalu, tanpa tren"
        case .historyTrend: return "tren riwayat dilanjutkan"
        case .lastYearsPaceTrendInSomeDraws: return "laju tahun lalu; tren riwayat pada sebagian simulasi"
        }
    }

    // MARK: The terminal

    public var scenarioValid: String { t("Skenario valid", "Scenario valid") }
    public var regionsCount: String { t("wilayah", "region(s)") }
    public var segmentsCount: String { t("segmen", "segment(s)") }
    public var lapseRate: String { t("tingkat non-aktif:", "lapse rate:") }
    public var writtenTo: String { t("Ditulis ke", "Written to") }
    public var simulating: String { t("Simulasi", "Simulating") }
    public var uncertainty: String { t("Ketidakpastian", "Uncertainty") }
    /// Above the terminal's table of each projected year.
    public var deterministicTitle: String {
        t("Proyeksi deterministik (jalur tengah, tanpa simulasi):", "Deterministic projection (the central path, without draws):")
    }
    /// "2.000 kali simulasi, seed 42".
    public func drawsAndSeed(_ draws: Int, _ seed: UInt64) -> String {
        t("\(persons(Double(draws))) kali simulasi, seed \(seed)", "\(persons(Double(draws))) draws, seed \(seed)")
    }
    /// The terminal's table of year-end figures per projected year.
    public var yearTableHeader: [String] {
        [region, segment, t("Bulan", "Month"), t("Peserta aktif", "Active"), t("Akuisisi (tahun)", "Acquisitions (year)"), t("Potensi", "Potential"), coverage, t("Catatan", "Note")]
    }
    /// On a terminal row of a company segment, under the members' headers.
    public var companiesNotMembers: String { t("angka badan usaha, bukan peserta", "companies, not members") }

    /// A year's acquisitions that are partly realised: "realisasi s.d. Nov 2017 + proyeksi".
    public func realisedThenProjected(_ through: Month) -> String {
        t("akuisisi: realisasi s.d. \(monthYear(through)) + proyeksi", "acquisitions: realised through \(monthYear(through)) + projected")
    }
    public func compareHeader(_ unit: RupiahUnit) -> [String] {
        [scenario, t("Tahun", "Year"), region, segment, figureBasisHeader, yearEndActive, "P10–P90", acquisitions, coverage, activeVsFirst,
         "\(t("Iuran", "Iuran")) (\(unitName(unit)))", t("Selisih iuran", "Iuran vs first")]
    }
    public var activeVsFirst: String { t("Selisih aktif", "Active vs first") }

    /// One row of the comparison, cell for cell as the terminal and the report show it (the first
    /// five are labels, the rest figures).
    public func compareCells(_ c: ComparedFigure, _ unit: RupiahUnit) -> [String] {
        let f = c.figure
        let band = f.activeQuantiles.map { q in "\(persons(q.first))–\(persons(q.last))" } ?? "—"
        let iuranDifference = c.iuranVsFirst.map { v in (v >= 0 ? "+" : "") + rupiah(v, in: unit) } ?? "—"
        return [c.name, "\(f.year)", f.region, f.segment, figureBasis(f.basis), persons(f.shownYearEndActive), band,
                persons(f.shownAcquisitions) + (f.acquisitionsPartYear ? Self.partYearMark : ""),
                percent(f.shownCoverage), signedPersons(c.activeVsFirst), rupiah(f.shownIuran, in: unit), iuranDifference]
    }

    /// Under the comparison: what its differences are taken from, and the iuran's unit; with a
    /// part-year figure, what its mark says.
    /// `projected`: the region · segment cells whose acquisitions a flow calibration projected, by how
    /// (last year's pace, or the history's trend).
    public func compareNote(first: String, unit: RupiahUnit, partYear: Bool = false, projected: [(how: TargetFlag, cells: [String])] = []) -> String {
        t("Selisih: terhadap skenario pertama, \(first), pada dasar angka yang sama; iuran dalam \(unitName(unit)).",
          "Differences: against the first scenario, \(first), on the same figure basis; iuran in \(unitName(unit)).")
            + (partYear ? " \(Self.partYearMark) " + t("Akuisisi sebagian tahun: bulan realisasi tanpa angka tidak termasuk.", "Acquisitions of part of the year: realised months without a figure are left out.") : "")
            + projected.map { g in " " + t("Akuisisi \(g.cells.joined(separator: ", ")): \(flag(g.how)).", "Acquisitions of \(g.cells.joined(separator: ", ")): \(flag(g.how)).") }.joined()
    }

    /// The cells of a comparison whose acquisitions a flow calibration projected, each once, grouped
    /// by how in the order the groups first appear.
    public static func projectedAcquisitions(_ rows: [ComparedFigure]) -> [(how: TargetFlag, cells: [String])] {
        var groups: [(how: TargetFlag, cells: [String])] = []
        for r in rows {
            guard let how = r.figure.acquisitionsProjection else { continue }
            let name = "\(r.figure.region) \(r.figure.segment)"
            if let k = groups.firstIndex(where: { $0.how == how }) {
                if !groups[k].cells.contains(name) { groups[k].cells.append(name) }
            } else {
                groups.append((how, [name]))
            }
        }
        return groups
    }
    /// Marks a figure that covers part of the year only (explained under its table).
    static let partYearMark = "*"

    /// The rupiah unit of a comparison: by its largest iuran or difference.
    public static func compareUnit(_ rows: [ComparedFigure]) -> RupiahUnit {
        RupiahUnit.fitting(rows.flatMap { [$0.figure.shownIuran, $0.iuranVsFirst] })
    }
    var figureBasisHeader: String { t("Dasar angka", "Figure basis") }

    /// What a shown plan-year figure is (`PlanYearFigure.basis`).
    public func figureBasis(_ b: PlanYearFigure.Basis) -> String {
        b == .p50 ? "P50" : t("deterministik", "deterministic")
    }

    /// Under every table of shown figures: what the bases mean.
    public var figureBasisNote: String {
        t("Dasar angka: P50 = median simulasi Monte Carlo; deterministik = proyeksi tanpa simulasi (jalur tengah). Selisih dihitung pada dasar yang sama.",
          "Figure basis: P50 = median of the Monte Carlo draws; deterministic = the projection without draws (the central path). Differences are on the same basis.")
    }

    var branchesSheet: String { t("Cabang", "Branches") }
    /// `rkat solve --ajuan`'s sheet and report section.
    var solveSheet: String { t("Apa yang dibutuhkan", "What it takes") }
    var branchHeader: String { t("Cabang", "Branch") }
    /// A branch with its own history: its own projection, the allocated target's gap from it.
    var ownProjection: String { t("Proyeksi sendiri", "Own projection") }
    /// A branch's stock start (its members at `actuals_until`) and the growth its target asks from it.
    func branchStart(_ m: Month?) -> String { t("Peserta awal \(monthYear(m))", "Members \(monthYear(m))") }
    var branchGrowth: String { t("Tumbuh dari awal", "Growth from start") }
    func branchStartNote(_ b: BranchAllocation.BranchTarget) -> String? {
        guard let start = b.start else { return nil }
        let growth = Double(b.target) - start.rounded()
        return "\(branchStart(b.startMonth)) \(figure(start, b.metric)) (\(signedFigure(growth, b.metric)), \(percent(start > 0 ? growth / start.rounded() : nil)))"
    }
    var gapVsOwn: String { t("Selisih vs proyeksi sendiri", "Gap vs own projection") }
    var branchOwnNote: String {
        t("Cabang dengan data historis sendiri dikalibrasi seperti wilayah: target alokasi mengikuti proyeksinya sendiri dan target Kanwil tetap berlaku (jumlah cabang = Kanwil); P(tercapai) dari simulasinya sendiri; selisih = target alokasi − proyeksi sendiri.",
          "Branches with a history of their own are calibrated like regions: the allocated target leans on their own projection while the Kanwil's target stays authoritative (branches sum to it); P(reach) from their own draws; gap = allocated target − own projection.")
    }

    func branchFlag(_ f: BranchAllocation.Flag) -> String {
        switch f {
        case .belowCurrentMembers: return t("di bawah peserta cabang saat ini", f.rawValue)
        case .partYear: return flag(.partYear)
        }
    }

    /// The header of the target table (targets.md, the xlsx summary, the report) for these levels.
    /// (The workbook says "of potential" where the coverage column is narrow enough to need it.)
    func targetHeader(planYear: Int?, levels: [Double], coverageOfPotential long: Bool = false) -> [String] {
        [region, segment, metricHeader, basisHeader, realisation, lastTarget, planYear.map { "Target \($0)" } ?? target,
         growthVsRealisation, growthVsTarget, long ? coverageOfPotential : coverage, pReach] + levels.map(level) + [flags]
    }

    // MARK: The what-if page (rkat serve)

    public var pageTitle: String { t("Simulasi what-if", "What-if") }
    public var controlsHeading: String { t("Tuas dan asumsi", "Levers and assumptions") }
    public var resultsHeading: String { t("Hasil", "Results") }
    /// The what-if page's solve panel.
    public var solvePanelHeading: String { t("Apa yang dibutuhkan?", "What would it take?") }
    public var solvePanelNote: String {
        t("Untuk tiap target tabel, nilai pengungkit yang dipilih (dari nilainya di halaman ini ke ujung geser) agar P(tercapai) mencapai yang diminta, dengan simulasi cepat halaman ini; rkat solve --ajuan menghitungnya dengan semua simulasi skenario.",
          "For each target of the table, the chosen lever's value (from its value on this page to the slider's end) at which P(reach) reaches the one asked, on this page's quick draws; rkat solve --ajuan computes it with the scenario's full draws.")
    }
    public var outreachIntensity: String { t("Intensitas sosialisasi", "Outreach intensity") }
    public var outreachElasticity: String { t("Elastisitas sosialisasi", "Outreach elasticity") }
    public var honoraryPool: String { t("Potensi pegawai honorer", "Honorary worker pool") }
    public func honoraryCoverage(_ m: Month) -> String { t("Cakupan honorer \(monthYear(m))", "Honorary coverage \(monthYear(m))") }
    public var honoraryRenewal: String { t("Peluang perpanjangan honorer", "Honorary renewal probability") }
    public var villagesPerYear: String { t("Desa per tahun", "Villages per year") }
    public var acquisitionsPerVillage: String { t("Akuisisi per desa", "Acquisitions per village") }
    public var budgetPerYear: String { t("Anggaran pekerja rentan per tahun", "Budget for vulnerable workers per year") }
    public var budgetRenewal: String { t("Peluang perpanjangan anggaran", "Budget renewal probability") }
    public var confidenceLevel: String { t("Tingkat keyakinan target", "Target confidence") }
    /// A stated uncertain assumption's name.
    public func assumptionName(_ a: Assumption) -> String {
        switch a {
        case .elasticity: return t("Elastisitas (asumsi)", "Elasticity (assumption)")
        case .lapseRateFactor: return t("Faktor tingkat non-aktif", "Lapse-rate factor")
        case .potentialFactor: return t("Faktor potensi", "Potential factor")
        case .acquisitionsPerVillage: return t("Akuisisi per desa (asumsi)", "Acquisitions per village (assumption)")
        case .acquisitionsFactor: return t("Faktor akuisisi", "Acquisitions factor")
        }
    }

    /// A stated uncertain assumption's centre (median or mean or mode) and its other bounds.
    public func assumptionLabel(_ a: Assumption, part: String) -> String {
        let name = assumptionName(a)
        let p: String
        switch part {
        case "median": p = t("median", "median")
        case "mean": p = t("rata-rata", "mean")
        case "mode": p = t("modus", "mode")
        case "min": p = t("minimum", "minimum")
        case "max": p = t("maksimum", "maximum")
        default: p = part
        }
        return "\(name), \(p)"
    }
    public var unitTimesHistory: String { t("× historis", "× history") }
    public var unitExponent: String { t("eksponen ε", "exponent ε") }
    public var unitPersons: String { t("orang", "persons") }
    public var unitPersonsPerVillage: String { t("orang/desa", "persons/village") }
    public var unitVillages: String { t("desa/tahun", "villages/year") }
    public var unitRupiahPerYear: String { t("Rp/tahun", "Rp/year") }
    public var unitFactor: String { t("× faktor", "× factor") }
    public var unitShare: String { t("% dari pool honorer", "% of the pool") }
    public var unitProbability: String { t("peluang", "probability") }
    /// Next to a slider on a lever that is a path in the scenario.
    public func pathBecomesConstant(_ m: Month) -> String {
        t("Dalam skenario tuas ini berupa jalur; dengan slider nilainya tetap mulai \(monthYear(m)) (bulan proyeksi pertama).",
          "A path in the scenario; moved here it becomes constant from \(monthYear(m)), the first projected month.")
    }
    public func interactiveDraws(_ n: Int, full: Int) -> String {
        t("Perubahan interaktif memakai \(n) simulasi Monte Carlo (bukan \(full)); P(tercapai) dan pita masih kasar. Tekan “Jalankan penuh” untuk \(full) simulasi.",
          "Interactive changes use \(n) Monte Carlo draws (not \(full)); P(reach) and the bands are rough. Press “Full run” for \(full) draws.")
    }
    public func fullDraws(_ n: Int) -> String { t("Hasil penuh: \(n) simulasi, seed skenario.", "Full run: \(n) draws, the scenario's seed.") }
    public var fullRun: String { t("Jalankan penuh", "Full run") }
    public var reset: String { t("Kembali ke skenario", "Back to the scenario") }
    public var computing: String { t("menghitung…", "computing…") }
    public var saveHeading: String { t("Simpan sebagai skenario", "Save as scenario") }
    public var saveName: String { t("Nama skenario", "Scenario name") }
    public var saveDescription: String { t("Keterangan", "Description") }
    public var saveButton: String { t("Simpan", "Save") }
    public func saved(_ file: String) -> String { t("Tersimpan: \(file)", "Saved: \(file)") }
    public var saveNote: String {
        t("Berkas baru di folder skenario dengan `extends:` ke skenario ini dan nilai yang diubah; berkas yang sudah ada tidak ditimpa.",
          "A new file in the scenario's folder that `extends:` this scenario with the changed values; an existing file is never overwritten.")
    }
    public var downloadHeading: String { t("Unduh (simulasi penuh)", "Download (full run)") }
    public var changedValues: String { t("Nilai yang diubah", "Changed values") }
    public var noChanges: String { t("Belum ada perubahan.", "No changes yet.") }
    /// Over the last good result while a value is refused.
    public var staleResult: String {
        t("Hasil di bawah adalah hasil terakhir yang sah, sebelum nilai yang ditolak.", "The result below is the last good one, from before the refused value.")
    }
    public var languageSwitch: String { t("English", "Bahasa Indonesia") }
    public var stoppedHint: String { t("Server lokal; hentikan dengan Ctrl-C di terminal.", "Local server; stop it with Ctrl-C in the terminal.") }
}

// MARK: Backtest (docs/backtest.md)

extension Words {
    func backtestMethod(_ m: Backtest.Method) -> String {
        switch m {
        case .rkat: return "rkat"
        case .lastValue: return t("nilai terakhir", "last value")
        case .lastYearGrowth: return t("pertumbuhan tahun lalu", "last year's growth")
        }
    }

    /// "P10–P90 held 7 of 9 actuals (95% interval 0.40–0.97)".
    func backtestHeld(band: String, held: Int, of n: Int, low: Double, high: Double) -> String {
        let lo = fraction(low), hi = fraction(high)
        let (h, all) = (persons(Double(held)), persons(Double(n)))
        return t("\(band) memuat \(h) dari \(all) realisasi (interval 95% \(lo)–\(hi))", "\(band) held \(h) of \(all) actuals (95% interval \(lo)–\(hi))")
    }

    /// "Backtest, 5 origins, 15 actuals".
    public func backtestCounts(origins: Int, actuals: Int) -> String {
        t("Uji mundur, \(persons(Double(origins))) titik awal, \(persons(Double(actuals))) realisasi", "Backtest, \(persons(Double(origins))) origin\(origins == 1 ? "" : "s"), \(persons(Double(actuals))) actual\(actuals == 1 ? "" : "s")")
    }

    enum BandVerdict { case near, tooNarrow, tooWide }

    /// "Verdict: rkat's P10–P90 bands held 68.4% of the actuals (95% interval 64.6%–72.0%): too narrow
    /// for 80.0%; rkat beat last year's growth (absolute-error skill +0.88)."
    func backtestVerdict(
        band: String, held: Double, low: Double, high: Double, nominal: Double, verdict: BandVerdict, skill: (value: Double?, pinball: Bool)?
    ) -> String {
        let (h, lo, hi, n) = (percent(held), percent(low), percent(high), percent(nominal))
        let judgement: String
        switch verdict {
        case .near: judgement = t("sesuai tingkatnya, \(n)", "near their \(n)")
        case .tooNarrow: judgement = t("terlalu sempit untuk \(n)", "too narrow for \(n)")
        case .tooWide: judgement = t("terlalu lebar untuk \(n)", "too wide for \(n)")
        }
        let bands = t("pita \(band) rkat memuat \(h) realisasi (interval 95% \(lo)–\(hi)): ", "rkat's \(band) bands held \(h) of the actuals (95% interval \(lo)–\(hi)): ") + judgement
        let verdict = t("Kesimpulan: ", "Verdict: ")
        guard let skill, let value = skill.value else { return verdict + bands + "." }
        let what = skill.pinball ? t("keunggulan pinball", "pinball skill") : t("keunggulan galat absolut", "absolute-error skill")
        let sign = value >= 0 ? "+" : "−"
        let shown = sign + decimal((abs(value) * 100).rounded() / 100)
        let beat = value > 0
            ? t("rkat mengalahkan pertumbuhan tahun lalu (\(what) \(shown))", "rkat beat last year's growth (\(what) \(shown))")
            : t("rkat tidak mengalahkan pertumbuhan tahun lalu (\(what) \(shown))", "rkat did not beat last year's growth (\(what) \(shown))")
        return verdict + bands + "; " + beat + "."
    }

    func backtestNoBands(actuals n: Int) -> String {
        t("\(n) realisasi dinilai tanpa pita (simulasi 0)", "\(n) actuals scored without bands (0 draws)")
    }

    /// "median abs error 4.1% vs 6.3% for last year's growth, 5.0% for the last value".
    func backtestMedianError(_ own: Double, rules: [(String, Double)]) -> String {
        let others = rules.map { t("\(percent($0.1)) untuk \($0.0)", "\(percent($0.1)) for \($0.0)") }.joined(separator: ", ")
        return t("median galat absolut \(percent(own))", "median abs error \(percent(own))") + (others.isEmpty ? "" : " vs " + others)
    }

    var backtestExplanation: String {
        t("Pada tiap titik awal, rkat dijalankan persis seperti `rkat run --set actuals_until=<titik awal>` (seed dan jumlah simulasi sama); realisasi sesudahnya dalam horizon dinilai terhadap proyeksi dan pitanya, dan terhadap dua aturan sederhana: nilai terakhir dibawa ke depan, dan pertumbuhan tahun lalu diulang. Pita aturan berasal dari kuantil galat relatif masa lalunya sendiri (minimal 5).",
          "At each origin rkat runs exactly as `rkat run --set actuals_until=<origin>` (same seed and draws); the later actuals within the horizon are scored against its projection and bands, and against two naive rules: the last value carried forward, and last year's growth again. A rule's bands come from the quantiles of its own past relative errors (at least 5).")
    }

    var backtestSkillNote: String {
        t("Skor keterampilan = 1 − galat rkat / galat aturan, dijumlah atas realisasi yang sama: pinball relatif bila keduanya punya pita, galat absolut relatif bila tidak. Positif: rkat lebih baik.",
          "Skill = 1 − rkat's loss / the rule's loss, summed over the same actuals: relative pinball where both have bands, relative absolute error otherwise. Positive: rkat does better.")
    }

    /// A proportion with two decimals in the reader's format: 0,40 (id) or 0.40 (en).
    func fraction(_ v: Double) -> String {
        let s = String(format: "%.2f", v)
        return indonesian ? s.replacingOccurrences(of: ".", with: ",") : s
    }
}
