import Fitting
import Foundation

/// Renders `rkat fit` and `rkat regress` results: a readable table, or JSON (the schema in docs/fitting.md, "JSON").
public enum FitReport {
    // MARK: JSON

    struct ParameterJSON: Encodable {
        var name: String
        /// null when the data do not identify the coefficient (R's NA).
        var estimate: Double?
        var std_error: Double?
        var ci_low: Double?
        var ci_high: Double?
        var fixed: Bool?
        var t: Double?
        var p: Double?
        /// Present (false) only for a coefficient the data do not identify.
        var estimable: Bool? = nil

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(estimate, forKey: .estimate)
            try c.encode(std_error, forKey: .std_error)  // null when not estimable
            try c.encode(ci_low, forKey: .ci_low)
            try c.encode(ci_high, forKey: .ci_high)
            try c.encodeIfPresent(fixed, forKey: .fixed)
            try c.encodeIfPresent(t, forKey: .t)
            try c.encodeIfPresent(p, forKey: .p)
            try c.encodeIfPresent(estimable, forKey: .estimable)
        }
        enum CodingKeys: String, CodingKey { case name, estimate, std_error, ci_low, ci_high, fixed, t, p, estimable }
    }

    struct FitJSON: Encodable {
        var model: String
        var formula: String
        var n: Int
        var dof: Int
        var converged: Bool
        var iterations: Int
        var rss: Double
        var residual_sd: Double?
        var aicc: Double?
        var bic: Double?
        var r2: Double?
        var parameters: [ParameterJSON]
        var warnings: [String]
        var candidates: [CandidateJSON]?

        init(_ r: FitResult, candidates: [CandidateJSON]? = nil) {
            model = r.model
            formula = r.formula
            n = r.n
            dof = r.dof
            converged = r.converged
            iterations = r.iterations
            rss = r.rss
            residual_sd = r.residualSD
            aicc = r.aicc
            bic = r.bic
            r2 = r.r2
            parameters = r.parameters.map {
                ParameterJSON(name: $0.name, estimate: $0.estimate, std_error: $0.standardError, ci_low: $0.ciLow, ci_high: $0.ciHigh, fixed: $0.fixed ? true : nil)
            }
            warnings = r.warnings.map(\.english)
            self.candidates = candidates
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(model, forKey: .model)
            try c.encode(formula, forKey: .formula)
            try c.encode(n, forKey: .n)
            try c.encode(dof, forKey: .dof)
            try c.encode(converged, forKey: .converged)
            try c.encode(iterations, forKey: .iterations)
            try c.encode(rss, forKey: .rss)
            try c.encode(residual_sd, forKey: .residual_sd)
            try c.encode(aicc, forKey: .aicc)
            try c.encode(bic, forKey: .bic)
            try c.encode(r2, forKey: .r2)
            try c.encode(parameters, forKey: .parameters)
            try c.encode(warnings, forKey: .warnings)
            try c.encodeIfPresent(candidates, forKey: .candidates)
        }
        enum CodingKeys: String, CodingKey {
            case model, formula, n, dof, converged, iterations, rss, residual_sd, aicc, bic, r2, parameters, warnings, candidates
        }
    }

    struct CandidateJSON: Encodable {
        var model: String
        var aicc: Double?
        var bic: Double?
        var rss: Double?
        var chosen: Bool
        var failure: String?

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(model, forKey: .model)
            try c.encode(aicc, forKey: .aicc)
            try c.encode(bic, forKey: .bic)
            try c.encode(rss, forKey: .rss)
            try c.encode(chosen, forKey: .chosen)
            try c.encode(failure, forKey: .failure)
        }
        enum CodingKeys: String, CodingKey { case model, aicc, bic, rss, chosen, failure }
    }

    struct RegressJSON: Encodable {
        var model = "linear"
        var n: Int
        var dof: Int
        var rss: Double
        var residual_sd: Double?
        var r2: Double?
        var adj_r2: Double?
        var f: Double?
        var f_p: Double?
        var aic: Double?
        var bic: Double?
        var rank: Int
        var parameters: [ParameterJSON]
        var warnings: [String]

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(model, forKey: .model)
            try c.encode(n, forKey: .n)
            try c.encode(dof, forKey: .dof)
            try c.encode(rss, forKey: .rss)
            try c.encode(residual_sd, forKey: .residual_sd)
            try c.encode(r2, forKey: .r2)
            try c.encode(adj_r2, forKey: .adj_r2)
            try c.encode(f, forKey: .f)
            try c.encode(f_p, forKey: .f_p)
            try c.encode(aic, forKey: .aic)
            try c.encode(bic, forKey: .bic)
            try c.encode(rank, forKey: .rank)
            try c.encode(parameters, forKey: .parameters)
            try c.encode(warnings, forKey: .warnings)
        }
        enum CodingKeys: String, CodingKey { case model, n, dof, rss, residual_sd, r2, adj_r2, f, f_p, aic, bic, rank, parameters, warnings }
    }

    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        // Sorted keys: Foundation's JSONEncoder writes keys in hash order otherwise, which changes from
        // run to run (Swift's hashing is seeded per process), and outputs must be byte-identical.
        encoder.outputFormatting = [.prettyPrinted, .withoutEscapingSlashes, .sortedKeys]
        // Every number is finite by construction (nil becomes null); a failure here is a bug.
        let data = try! encoder.encode(value)
        return String(decoding: data, as: UTF8.self)
    }

    public static func json(_ outcome: FitOutcome) -> String {
        switch outcome {
        case .single(let r): return encode(FitJSON(r))
        case .choice(let choice):
            let chosen = choice.chosen!
            let table = choice.candidates.map { c in
                CandidateJSON(model: c.model.rawValue, aicc: c.result?.aicc, bic: c.result?.bic, rss: c.result?.rss, chosen: c.model == chosen.model, failure: c.failure)
            }
            return encode(FitJSON(chosen.result!, candidates: table))
        }
    }

    public static func json(_ r: LinearRegressionResult) -> String {
        encode(RegressJSON(
            n: r.n, dof: r.dof, rss: r.rss, residual_sd: r.residualSD, r2: r.r2, adj_r2: r.adjustedR2, f: r.f, f_p: r.fP,
            aic: r.aic, bic: r.bic, rank: r.rank,
            parameters: r.coefficients.map {
                ParameterJSON(
                    name: $0.name, estimate: $0.estimable ? $0.estimate : nil, std_error: $0.standardError, ci_low: $0.ciLow,
                    ci_high: $0.ciHigh, t: $0.t, p: $0.p, estimable: $0.estimable ? nil : false)
            },
            warnings: r.warnings))
    }

    // MARK: Text

    static func num(_ v: Double?, _ digits: Int = 6) -> String {
        guard let v else { return "—" }
        return NumberText.significant(v, digits)
    }

    static func pad(_ rows: [[String]]) -> String { TextTable.render(rows, leftColumns: 1) }

    public static func text(_ outcome: FitOutcome) -> String {
        switch outcome {
        case .single(let r): return text(r)
        case .choice(let choice):
            var rows = [["model", "AICc", "BIC", "RSS", "note"]]
            for c in choice.candidates {
                let note = c.model == choice.chosen?.model ? "chosen" : (c.failure.map { "failed: \($0)" } ?? "")
                rows.append([c.model.rawValue, num(c.result?.aicc, 8), num(c.result?.bic, 8), num(c.result?.rss, 8), note])
            }
            var out = "Model choice by AICc (lower is better)\n" + pad(rows) + "\n\n"
            if let r = choice.chosen?.result { out += text(r) }
            return out
        }
    }

    public static func text(_ r: FitResult) -> String {
        var out = "Model: \(r.model)    \(r.formula)\n"
        var rows = [["parameter", "estimate", "std. error", "95% CI low", "95% CI high"]]
        for p in r.parameters {
            rows.append([p.name + (p.fixed ? " (fixed)" : ""), num(p.estimate, 10), num(p.standardError), num(p.ciLow, 8), num(p.ciHigh, 8)])
        }
        out += pad(rows) + "\n"
        out += "n = \(r.n), dof = \(r.dof), RSS = \(num(r.rss, 10)), residual SD = \(num(r.residualSD)), R² = \(num(r.r2))\n"
        out += "AICc = \(num(r.aicc, 8)), BIC = \(num(r.bic, 8)), iterations = \(r.iterations) (\(r.stopReason))\n"
        for w in r.warnings { out += "warning: \(w)\n" }
        return out
    }

    public static func text(_ r: LinearRegressionResult) -> String {
        var rows = [["term", "estimate", "std. error", "t", "p", "95% CI low", "95% CI high"]]
        for c in r.coefficients {
            guard c.estimable else {
                rows.append([c.name, "NA", "NA", "NA", "NA", "NA", "NA"])
                continue
            }
            rows.append([c.name, num(c.estimate, 12), num(c.standardError), num(c.t, 5), num(c.p, 4), num(c.ciLow, 8), num(c.ciHigh, 8)])
        }
        var out = "Linear regression (GSL SVD least squares)\n" + pad(rows) + "\n"
        out += "n = \(r.n), dof = \(r.dof), RSS = \(num(r.rss, 10)), residual SD = \(num(r.residualSD))\n"
        out += "R² = \(num(r.r2, 8)), adjusted R² = \(num(r.adjustedR2, 8)), F = \(num(r.f)) (p = \(num(r.fP, 4))), AIC = \(num(r.aic, 8))\n"
        for w in r.warnings { out += "warning: \(w)\n" }
        return out
    }
}
