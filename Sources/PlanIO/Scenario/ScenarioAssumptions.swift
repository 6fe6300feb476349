import Planning

/// `uncertainty.assumptions`: stated distributions for the scenario assumptions Monte Carlo draws
/// (docs/scenario-format.md).
enum ScenarioAssumptions {
    private typealias F = ScenarioFields

    /// The distributions and the keys each takes besides `distribution`, in the documented order.
    static let distributions: [(name: String, keys: [String])] = [
        ("normal", ["mean", "sd"]), ("lognormal", ["median", "sigma"]), ("uniform", ["min", "max"]),
        ("triangular", ["min", "mode", "max"]),
    ]

    static let example = "a distribution like {distribution: normal, mean: 0.6, sd: 0.1}"

    /// `{ASSUMPTION: distribution}`, keys the raw values of `Planning.Assumption`; a null value counts as
    /// absent (so a child file can drop a parent's assumption).
    static func read(_ node: ScenarioNode, path: String) throws(InputError) -> [Assumption: Distribution] {
        let names = Assumption.allCases.map(\.rawValue)
        let f = try F(
            node, path: path, allowed: names,
            expected: "a mapping of assumptions to distributions (\(names.joined(separator: ", ")))")
        var result: [Assumption: Distribution] = [:]
        for e in f.entries where !e.value.isNull {
            let assumption = Assumption(rawValue: e.key)!  // checked by F above
            result[assumption] = try distribution(e.value, path: f.sub(e.key), for: assumption)
        }
        return result
    }

    /// The values an assumption may take (`Assumption.range`): elasticity [0, 3], acquisitions per
    /// village [0, 10⁵], factors (anything named `…_factor`) (0, 10]. Every parameter of its
    /// distribution lies inside; Monte Carlo clamps the draws to it.
    private struct Support {
        var what: String
        var strict: Bool
        var range: ClosedRange<Double>

        init(what: String, strict: Bool, range: ClosedRange<Double>) {
            self.what = what
            self.strict = strict
            self.range = range
        }

        init(_ assumption: Assumption) {
            range = assumption.range
            if assumption == .elasticity {
                self.what = "elasticity"
                self.strict = false
            } else if assumption == .acquisitionsPerVillage {
                self.what = "number of acquisitions per village"
                self.strict = false
            } else if assumption.rawValue.hasSuffix("_factor") {
                self.what = "factor"
                self.strict = true
            } else {
                self.what = "value"
                self.strict = false
            }
        }

        func rule(_ prefix: String) -> NumberRule {
            .between(Phrase(english: "\(prefix) \(what)"), range.lowerBound, range.upperBound, strict: strict)
        }

        /// The spread of a normal: at most the width of the range.
        var sd: NumberRule { .between(Phrase("simpangan baku", "a standard deviation"), 0, range.upperBound - range.lowerBound) }
    }

    static func distribution(_ node: ScenarioNode, path: String, for assumption: Assumption) throws(InputError) -> Distribution {
        try distribution(node, path: path, support: Support(assumption))
    }

    /// A share in [0, 1] stated as a distribution (an iuran collection rate).
    static func shareDistribution(_ node: ScenarioNode, path: String) throws(InputError) -> Distribution {
        try distribution(node, path: path, support: Support(what: "share", strict: false, range: 0...1))
    }

    private static func distribution(_ node: ScenarioNode, path: String, support: Support) throws(InputError) -> Distribution {
        let kinds = distributions.map(\.name)
        guard let entries = node.entries else { throw F.typeError(node, path, example) }
        guard let kindEntry = entries.first(where: { $0.key == "distribution" }) else {
            // A misspelt key first ('distrbution'), then the missing one.
            let every = ["distribution"] + ["mean", "sd", "median", "sigma", "min", "mode", "max"]
            _ = try F(node, path: path, allowed: every, expected: example)
            throw InputError(
                F.message(path, "missing required key 'distribution' (one of \(kinds.joined(separator: ", ")))"), at: node.location)
        }
        let kind = try F.choice(kindEntry.value, "\(path).distribution", kinds)
        let allowed = ["distribution"] + distributions.first { $0.name == kind }!.keys
        for e in entries where !allowed.contains(e.key) {
            let hint = closestMatch(to: e.key, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
            throw InputError(
                F.message(path, "unknown key '\(e.key)' for distribution \(kind)\(hint); allowed keys: \(allowed.joined(separator: ", "))"),
                at: e.keyLocation)
        }
        let f = try F(node, path: path, allowed: allowed, expected: example)
        func value(_ key: String, _ rule: NumberRule) throws(InputError) -> (Double, ScenarioNode) {
            let n = try f.require(key, rule.expected)
            return (try F.number(n, f.sub(key), rule), n)
        }
        switch kind {
        case "normal":
            let (mean, _) = try value("mean", support.rule("a mean"))
            let (sd, _) = try value("sd", support.sd)
            return .normal(mean: mean, sd: sd)
        case "lognormal":
            let (median, _) = try value("median", .between(Phrase("median", "a median"), 0, support.range.upperBound, strict: true))
            let (sigma, _) = try value("sigma", .between(Phrase("sigma (simpangan baku logaritmanya)", "a sigma (the standard deviation of the logarithm)"), 0, 3))
            return .lognormal(median: median, sigma: sigma)
        case "uniform":
            let (lo, _) = try value("min", support.rule("a minimum"))
            let (hi, hiNode) = try value("max", support.rule("a maximum"))
            try checkMax(hi, hiNode, min: lo, path: f.sub("max"))
            return .uniform(min: lo, max: hi)
        default:  // triangular
            let (lo, _) = try value("min", support.rule("a minimum"))
            let (mode, modeNode) = try value("mode", support.rule("a mode"))
            let (hi, hiNode) = try value("max", support.rule("a maximum"))
            try checkMax(hi, hiNode, min: lo, path: f.sub("max"))
            guard mode >= lo && mode <= hi else {
                throw InputError(
                    "\(f.sub("mode")): expected a mode in [min, max] = [\(shortNumber(lo)), \(shortNumber(hi))], got \(modeNode.got)",
                    at: modeNode.location)
            }
            return .triangular(min: lo, mode: mode, max: hi)
        }
    }

    private static func checkMax(_ hi: Double, _ node: ScenarioNode, min lo: Double, path: String) throws(InputError) {
        guard hi >= lo else {
            throw InputError(
                Phrase("\(path): diharapkan maksimum ≥ min (\(shortNumber(lo))), tertulis \(node.got)", "\(path): expected a maximum ≥ min (\(shortNumber(lo))), got \(node.got)"), at: node.location)
        }
    }
}
