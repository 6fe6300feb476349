import Foundation
import PlanIO
import Planning

/// One control of the what-if page: a `--set` key the page may change, with the scenario's value,
/// a slider range and its unit. The keys are the only ones the server accepts: no other key (the
/// history path above all) can be set from the page.
public struct Control: Sendable, Equatable {
    public enum Scale: String, Sendable {
        /// A plain number (shown with decimals).
        case number
        /// A fraction shown as a percentage.
        case percent
        /// Whole persons or rupiah.
        case whole
    }

    /// The `--set` key, e.g. `levers.outreach.intensity`.
    public var key: String
    public var label: String
    public var unit: String
    /// The scenario's value (for a path: its value in the first projected month).
    public var value: Double
    var min: Double
    var max: Double
    var step: Double
    var scale: Scale
    /// Said next to the slider (e.g. a path lever becomes constant).
    public var note: String?
}

public enum Controls {
    /// The controls for the scenario's levers and the uncertain assumptions it states. Outreach
    /// intensity and elasticity are offered on every scenario (1.0 = as in history): they act on the
    /// fitted dynamics every scenario has.
    public static func of(_ s: Scenario, words w: Words) -> [Control] {
        let first = s.actualsUntil.adding(months: 1)
        var out: [Control] = []
        func pathNote(_ p: LeverPath) -> String? { p.steps.isEmpty ? nil : w.pathBecomesConstant(first) }
        func range(_ v: Double, floor: Double) -> Double { Swift.max(floor, (v * 2).rounded(.up)) }
        // A path starts its slider at its first step's value (from the first projected month on):
        // the value the scenario plans, which the slider then holds constant.
        func start(_ p: LeverPath) -> Double { p.steps.first.map { p.value(at: Swift.max(first, $0.from)) } ?? p.initial }
        let stated = s.uncertainty.assumptions

        let intensity = s.levers.outreach?.intensity ?? LeverPath(constant: 1)
        out.append(Control(
            key: "levers.outreach.intensity", label: w.outreachIntensity, unit: w.unitTimesHistory, value: start(intensity),
            min: 0, max: Swift.max(3, start(intensity)), step: 0.05, scale: .number, note: pathNote(intensity)))
        // A stated elasticity assumption replaces the lever's in every draw: its own control below.
        if stated[.elasticity] == nil {
            out.append(Control(
            key: "levers.outreach.elasticity", label: w.outreachElasticity, unit: w.unitExponent, value: s.levers.outreach?.elasticity ?? 1,
            min: 0, max: 2, step: 0.05, scale: .number, note: nil))
        }
        if let h = s.levers.honorary {
            out.append(Control(
                key: "levers.honorary.pool", label: w.honoraryPool, unit: w.unitPersons, value: h.pool,
                min: 1, max: range(h.pool, floor: 1000), step: Swift.max(1, (h.pool / 100).rounded()), scale: .whole, note: nil))
            for (i, r) in h.ramp.enumerated() {
                out.append(Control(
                    key: "levers.honorary.ramp[\(i)].share", label: w.honoraryCoverage(r.month), unit: w.unitShare, value: r.share,
                    min: 0, max: 1, step: 0.01, scale: .percent, note: nil))
            }
            out.append(Control(
                key: "levers.honorary.renewal_probability", label: w.honoraryRenewal, unit: w.unitProbability, value: h.renewalProbability,
                min: 0, max: 1, step: 0.01, scale: .percent, note: nil))
        }
        if let v = s.levers.villages {
            let perYear = start(v.villagesPerYear)
            out.append(Control(
                key: "levers.villages.villages_per_year", label: w.villagesPerYear, unit: w.unitVillages, value: perYear,
                min: 0, max: range(perYear, floor: 50), step: 1, scale: .whole, note: pathNote(v.villagesPerYear)))
            if stated[.acquisitionsPerVillage] == nil {
              out.append(Control(
                key: "levers.villages.acquisitions_per_village", label: w.acquisitionsPerVillage, unit: w.unitPersonsPerVillage,
                value: v.acquisitionsPerVillage, min: 0, max: range(v.acquisitionsPerVillage, floor: 1000), step: 10, scale: .whole, note: nil))
            }
        }
        if let b = s.levers.budgetCohorts {
            switch b.size {
            case .budget(let path):
                let budget = start(path)
                out.append(Control(
                    key: "levers.budget_cohorts.budget_per_year_rp", label: w.budgetPerYear, unit: w.unitRupiahPerYear, value: budget,
                    min: 0, max: range(budget, floor: 1_000_000_000), step: 10_000_000, scale: .whole, note: pathNote(path)))
            case .persons(let path):
                let persons = start(path)
                out.append(Control(
                    key: "levers.budget_cohorts.persons", label: w.t("Peserta program (orang)", "Cohort (persons)"), unit: w.t("orang", "persons"), value: persons,
                    min: 0, max: range(persons, floor: 10_000), step: 100, scale: .whole, note: pathNote(path)))
            }
            out.append(Control(
                key: "levers.budget_cohorts.renewal_probability", label: w.budgetRenewal, unit: w.unitProbability, value: b.renewalProbability,
                min: 0, max: 1, step: 0.01, scale: .percent, note: nil))
        }
        // Stated uncertain assumptions: their centre (a uniform's two ends), in the scenario's order.
        for a in Assumption.allCases {
            guard let d = s.uncertainty.assumptions[a] else { continue }
            let key = "uncertainty.assumptions.\(a.rawValue)"
            let unit = a == .acquisitionsPerVillage ? w.unitPersonsPerVillage : a == .elasticity ? w.unitExponent : w.unitFactor
            let hi = a.range.upperBound
            func c(_ part: String, _ v: Double) -> Control {
                let top = a == .acquisitionsPerVillage ? range(v, floor: 1000) : Swift.min(hi, Swift.max(2, v * 2))
                return Control(
                    key: "\(key).\(part)", label: w.assumptionLabel(a, part: part), unit: unit, value: v, min: 0, max: top,
                    step: a == .acquisitionsPerVillage ? 10 : 0.01, scale: a == .acquisitionsPerVillage ? .whole : .number, note: nil)
            }
            switch d {
            case .normal(let mean, _): out.append(c("mean", mean))
            case .lognormal(let median, _): out.append(c("median", median))
            case .triangular(_, let mode, _): out.append(c("mode", mode))
            case .uniform(let lo, let hi): out += [c("min", lo), c("max", hi)]
            }
        }
        out.append(Control(
            key: "targets.confidence", label: w.confidenceLevel, unit: w.unitProbability, value: s.targets.confidence,
            min: 0.05, max: 0.95, step: 0.05, scale: .percent, note: nil))
        return out
    }
}
