import Fitting

/// The scenario's keys, mapping by mapping: the one list the reader accepts (`allowed`), its
/// "expected …" text and the docs come from. docs/scenario-format.md (docs/iuran.md for iuran)
/// must name every key listed here (ScenarioKeysTests checks it), so a new key is added here once.
struct ScenarioKey {
    let name: String
    /// Shown after the name in the expected text (`month: YYYY-MM`), where an example helps.
    var example: String? = nil
    /// Keys of one group are alternatives (`package_rp | wages`): one of them is given.
    var oneOf: Int? = nil
    /// What the key is, in one line (the docs say more).
    let doc: String
}

struct ScenarioKeyTable {
    /// What the mapping is, as the expected text begins: "a mapping", "a ramp point".
    let what: Phrase
    let keys: [ScenarioKey]
    /// Said after the keys, e.g. where the mapping is documented.
    var note: String = ""

    var names: [String] { keys.map(\.name) }

    /// "a mapping {total, basis, shares | values | series}": the keys in order, alternatives joined.
    var expected: Phrase {
        var parts: [String] = []
        var group: Int? = nil
        for k in keys {
            let shown = k.example.map { "\(k.name): \($0)" } ?? k.name
            if let g = k.oneOf, g == group, !parts.isEmpty {
                parts[parts.count - 1] += " | " + shown
            } else {
                parts.append(shown)
            }
            group = k.oneOf
        }
        let keys = parts.joined(separator: ", "), note = note
        return Phrase { l in "\(what.text(indonesian: l.indonesian)) {\(keys)}" + note }
    }
}

enum ScenarioKeys {
    static let top = ScenarioKeyTable(what: Phrase("pemetaan kunci skenario", "a mapping of scenario keys"), keys: [
        .init(name: "name", doc: "the scenario's name"),
        .init(name: "description", doc: "what the scenario is for"),
        .init(name: "extends", doc: "a scenario file this one builds on"),
        .init(name: "includes", doc: "a national file: the Kanwil scenario files run together (rkat run only)"),
        .init(name: "region", doc: "the single region's name"),
        .init(name: "regions", doc: "several regions, each {name, potential, branches}"),
        .init(name: "region_level", example: "kanwil | province | branch", doc: "what each region is (targets' level)"),
        .init(name: "branches", doc: "the region's Kantor Cabang"),
        .init(name: "potential", doc: "the region's labour-force potential"),
        .init(name: "actuals_until", doc: "the last month of realised figures"),
        .init(name: "horizon", doc: "the last projected month"),
        .init(name: "history", doc: "the history: a CSV or .xlsx file, or {file, sheet, layout, columns}"),
        .init(name: "segments", doc: "segment settings"),
        .init(name: "levers", doc: "outreach, honorary, villages, budget cohorts, reactivation"),
        .init(name: "uncertainty", doc: "draws, seed, quantiles and stated uncertain assumptions"),
        .init(name: "targets", doc: "plan year, confidence, rule growths"),
        .init(name: "sweep", doc: "a grid of --set values"),
        .init(name: "interventions", doc: "known disturbances of the history, left out of the curve's fit"),
        .init(name: "find_disturbances", doc: "a disturbance the figures show: true leaves it out of the fit (default), warn only says it, false does not look"),
        .init(name: "costs", doc: "what rkat solve prices each lever at, and who pays"),
    ])

    /// A national file (`includes:`): the Kanwil files give everything else.
    static let national = ScenarioKeyTable(what: Phrase("pemetaan kunci rencana nasional", "a mapping of national plan keys"), keys: [
        .init(name: "name", doc: "the national plan's name"),
        .init(name: "description", doc: "what the plan is for"),
        .init(name: "extends", doc: "a national file this one builds on"),
        .init(name: "includes", doc: "the Kanwil scenario files, each planning one Kanwil"),
        .init(name: "uncertainty", doc: "draws, seed, quantiles and national_correlation for every Kanwil"),
        .init(name: "targets", doc: "plan year, confidence, issued national figures and their allocation"),
    ])

    static let cost = ScenarioKeyTable(what: Phrase("harga pengungkit", "a lever's price"), keys: [
        .init(name: "lever", example: "levers.outreach.intensity", doc: "the --set key of the lever"),
        .init(name: "rp_per_unit", example: "2_000_000_000", doc: "rupiah for each 1 of the lever beyond its value in the scenario"),
        .init(name: "per", example: "month", doc: "month (each projected month of the plan year) or year (once)"),
        .init(name: "payer", example: "BPJS", doc: "who pays"),
    ])

    static let intervention = ScenarioKeyTable(what: Phrase("gangguan", "an intervention"), keys: [
        .init(name: "from", example: "2020-03", doc: "its first month"), .init(name: "to", example: "2021-09", doc: "its last month"),
        .init(name: "label", example: "COVID", doc: "what it was"),
        .init(name: "lasting", example: "true", doc: "the level after it did not come back: the figures before it are rescaled to it"),
    ])

    static let segment = ScenarioKeyTable(what: Phrase("pemetaan pengaturan segmen", "a mapping of segment settings"), keys: [
        .init(name: "model", doc: "the growth curve, or auto"),
        .init(name: "lapse_rate_per_year", doc: "the lapse rate where the history cannot give one"),
        .init(name: "acquisitions_per_month", doc: "stated acquisitions for a stock segment without flows"),
        .init(name: "flow_only", doc: "only acquisitions are known (JAKON)"),
        .init(name: "ceiling", doc: "potential or free"),
        .init(name: "selection", doc: "how model: auto ranks: aicc or backtest"),
        .init(name: "iuran", doc: "what the members pay (docs/iuran.md)"),
        .init(name: "unit", doc: "persons or companies"),
        .init(name: "workers_segment", doc: "a company segment's workers"),
        .init(name: "potential", doc: "the segment's own potential"),
        .init(name: "ended", doc: "the month the segment's figures stop on purpose (exempt from history freshness)"),
    ])

    static let segmentPotential = ScenarioKeyTable(what: Phrase("pemetaan", "a mapping"), keys: [
        .init(name: "total", doc: "persons (or companies)"), .init(name: "basis", doc: "where the figure comes from"),
        .init(name: "as_of", doc: "the month it refers to"), .init(name: "growth_per_year", doc: "growth, fraction a year"),
    ])

    static let iuran = ScenarioKeyTable(what: Phrase("pemetaan", "a mapping"), keys: [
        .init(name: "package_rp", oneOf: 1, doc: "a BPU package, rupiah a month"),
        .init(name: "wages", oneOf: 1, doc: "PU wage bands {wage_rp, share}"),
        .init(name: "projects", oneOf: 1, doc: "JAKON contract-value bands {value_rp, share}"),
        .init(name: "stated_rp", oneOf: 1, doc: "rupiah a member-month (a flow-only segment: an acquisition)"),
        .init(name: "workers_per_project", doc: "workers a JAKON project registers"),
        .init(name: "jkk", doc: "the JKK rate of the risk tier"), .init(name: "jkm", doc: "the JKM rate"),
        .init(name: "jht", doc: "the JHT rate"), .init(name: "jp", doc: "the JP rate"),
        .init(name: "jp_wage_cap_rp", doc: "the wage cap of JP"),
        .init(name: "collection", doc: "the share collected, or a distribution"),
        .init(name: "source", doc: "where the figures come from"),
        .init(name: "calibrate", doc: "scale to the history's realised iuran"),
    ], note: " (docs/iuran.md)")

    static let projectBand = ScenarioKeyTable(what: Phrase("kelompok proyek", "a project band"), keys: [
        .init(name: "value_rp", example: "2000000000", doc: "a contract value"), .init(name: "share", example: "0.5", doc: "its share of the projects"),
    ])

    static let wageBand = ScenarioKeyTable(what: Phrase("kelompok upah", "a wage band"), keys: [
        .init(name: "wage_rp", example: "3500000", doc: "a monthly wage"), .init(name: "share", example: "0.8", doc: "its share of the members"),
    ])

    static let region = ScenarioKeyTable(what: Phrase("wilayah", "a region"), keys: [
        .init(name: "name", doc: "the region's name"), .init(name: "potential", doc: "its potential"), .init(name: "branches", doc: "its branches"),
    ])

    static let potential = ScenarioKeyTable(what: Phrase("pemetaan", "a mapping"), keys: [
        .init(name: "total", doc: "persons, with shares"), .init(name: "basis", doc: "where the figure comes from"),
        .init(name: "as_of", doc: "the month it refers to"), .init(name: "growth_per_year", doc: "growth, fraction a year"),
        .init(name: "shares", oneOf: 1, doc: "fractions of total per segment"), .init(name: "values", oneOf: 1, doc: "persons per segment"),
        .init(name: "series", oneOf: 1, doc: "the history's potential metric"),
        .init(name: "allow_below_history", doc: "warn, not refuse, a potential below the history's stock"),
    ])

    static let branch = ScenarioKeyTable(what: Phrase("cabang", "a branch"), keys: [
        .init(name: "name", doc: "the Kantor Cabang's name"), .init(name: "potential_share", doc: "its share of the potential"),
        .init(name: "active", doc: "its active members"), .init(name: "active_as_of", doc: "the month of that figure"),
    ])

    static let levers = ScenarioKeyTable(what: Phrase("pemetaan pengungkit", "a mapping of levers"), keys: [
        .init(name: "outreach", doc: "outreach intensity"), .init(name: "honorary", doc: "honorary workers' coverage"),
        .init(name: "villages", doc: "villages a year"), .init(name: "budget_cohorts", doc: "a budget-funded cohort"),
        .init(name: "reactivation", doc: "a share of the non-active pool a year"),
    ])

    static let outreach = ScenarioKeyTable(what: Phrase("pemetaan", "a mapping"), keys: [
        .init(name: "intensity", doc: "1 = as in the history"), .init(name: "elasticity", doc: "acquisitions' response"),
        .init(name: "segments", doc: "the segments it acts on"),
    ])

    static let honorary = ScenarioKeyTable(what: Phrase("pemetaan", "a mapping"), keys: [
        .init(name: "pool", doc: "honorary workers"), .init(name: "segment", doc: "the segment they join"),
        .init(name: "region", doc: "the region, with several"), .init(name: "ramp", doc: "coverage over time"),
        .init(name: "renewal_probability", doc: "a year's renewal"), .init(name: "already_covered", doc: "the share covered already"),
        .init(name: "already_enrolled", doc: "ramp members in the history"),
    ])

    static let rampPoint = ScenarioKeyTable(what: Phrase("titik ramp", "a ramp point"), keys: [
        .init(name: "month", example: "YYYY-MM", doc: "the month"), .init(name: "share", example: "…", doc: "the share covered then"),
    ])

    static let villages = ScenarioKeyTable(what: Phrase("pemetaan", "a mapping"), keys: [
        .init(name: "segment", doc: "the segment"), .init(name: "region", doc: "the region, with several"),
        .init(name: "villages_per_year", doc: "villages a year"), .init(name: "acquisitions_per_village", doc: "acquisitions a village"),
    ])

    static let reactivation = ScenarioKeyTable(what: Phrase("pemetaan", "a mapping"), keys: [
        .init(name: "segment", doc: "the segment"), .init(name: "region", doc: "the region, with several"),
        .init(name: "share_per_year", doc: "a share or a distribution"), .init(name: "pool", doc: "a stated pool"),
    ])

    static let budgetCohorts = ScenarioKeyTable(what: Phrase("pemetaan", "a mapping"), keys: [
        .init(name: "segment", doc: "the segment"), .init(name: "region", doc: "the region, with several"),
        .init(name: "persons", oneOf: 1, doc: "persons funded"), .init(name: "budget_per_year_rp", oneOf: 1, doc: "or a budget"),
        .init(name: "cost_per_person_month_rp", doc: "the cost a person-month"), .init(name: "renewal_probability", doc: "a year's renewal"),
        .init(name: "enrolment_months", doc: "months to enrol"), .init(name: "enrolled_at_start", doc: "members enrolled already"),
    ])

    static let uncertainty = ScenarioKeyTable(what: Phrase("pemetaan", "a mapping"), keys: [
        .init(name: "draws", doc: "Monte Carlo draws"), .init(name: "seed", doc: "the random seed"),
        .init(name: "quantiles", doc: "the band levels"), .init(name: "parameters", doc: "draw the curves' parameters"),
        .init(name: "process_noise", doc: "month-to-month noise"), .init(name: "assumptions", doc: "stated uncertain assumptions"),
        .init(name: "rescaling", doc: "rescale the bands by the cell's own rolling-origin errors"),
        .init(name: "national_correlation", example: "0.3 | [0.1, 0.5]", doc: "the regions' common share of their monthly deviations"),
    ])

    static let targets = ScenarioKeyTable(what: Phrase("pemetaan", "a mapping"), keys: [
        .init(name: "plan_year", doc: "the plan year"), .init(name: "confidence", doc: "P(reach) of a projection target"),
        .init(name: "rule_growth", doc: "growth rules on last year's target"),
        .init(name: "issued", doc: "head office's figure per indicator for all the regions, split over them"),
        .init(name: "allocation", example: "equal_stretch | proportional | coverage_gap", doc: "how the issued figure is split"),
    ])

    static let issued = ScenarioKeyTable(what: Phrase("target yang diterbitkan per indikator", "issued targets by indicator"), keys: [
        .init(name: "active", doc: "year-end active members"), .init(name: "acquisitions", doc: "the year's acquisitions"),
        .init(name: "iuran", doc: "the year's iuran in rupiah"), .init(name: "reactivations", doc: "the year's reactivations"),
    ])

    static let history = ScenarioKeyTable(what: Phrase("berkas riwayat", "a history file"), keys: [
        .init(name: "file", example: "FILE.csv | FILE.xlsx", doc: "the CSV or .xlsx file, relative to the scenario file"),
        .init(name: "sheet", doc: "the workbook's sheet (the first visible one when absent)"),
        .init(name: "layout", example: "auto | long | wide", doc: "rows per figure (long) or months as columns (wide); auto detects"),
        .init(name: "columns", doc: "the wide layout's key columns by their headings: {region, branch, segment, metric}"),
    ])

    static let historyColumns = ScenarioKeyTable(what: Phrase("judul kolom kunci", "the key columns' headings"), keys: [
        .init(name: "region", doc: "the Kanwil's column"), .init(name: "branch", doc: "the Kantor Cabang's column"),
        .init(name: "segment", doc: "the segment's column"), .init(name: "metric", doc: "the indicator's column"),
    ])

    static let step = ScenarioKeyTable(what: Phrase("langkah", "a step"), keys: [
        .init(name: "from", example: "YYYY-MM", doc: "the first month"), .init(name: "value", example: "…", doc: "the value from then"),
    ])

    /// Every table with the docs file that documents it.
    static let all: [(table: ScenarioKeyTable, docs: String)] = [
        (top, "scenario-format.md"), (segment, "scenario-format.md"), (segmentPotential, "scenario-format.md"), (iuran, "iuran.md"),
        (projectBand, "iuran.md"), (wageBand, "iuran.md"), (region, "scenario-format.md"), (potential, "scenario-format.md"),
        (branch, "scenario-format.md"), (levers, "scenario-format.md"), (outreach, "scenario-format.md"), (honorary, "scenario-format.md"),
        (rampPoint, "scenario-format.md"), (villages, "scenario-format.md"), (reactivation, "scenario-format.md"),
        (budgetCohorts, "scenario-format.md"), (uncertainty, "scenario-format.md"), (targets, "scenario-format.md"), (step, "scenario-format.md"),
        (history, "scenario-format.md"), (historyColumns, "scenario-format.md"), (issued, "targets.md"),
    ]
}
