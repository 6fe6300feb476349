import Planning

/// Typed access to a scenario mapping with located, one-line errors (`path: expected …, got …`).
struct ScenarioFields {
    let node: ScenarioNode
    /// Dotted path of this mapping in the scenario ("" at the top level).
    let path: String
    let entries: [ScenarioNode.Entry]

    /// Checks that `node` is a mapping whose keys are all in `allowed`.
    init(_ node: ScenarioNode, path: String, allowed: [String], expected: String) throws(InputError) {
        guard let entries = node.entries else { throw ScenarioFields.typeError(node, path, expected) }
        for e in entries where !allowed.contains(e.key) {
            let hint: String
            if !e.key.isEmpty, e.key.allSatisfy({ $0 >= "0" && $0 <= "9" }) {
                // `{package_rp: 16,800}` or `{collection: 0,9}`: the comma ended the value inside {…}.
                hint = " (a comma inside {…} starts a new key: a thousands separator or a decimal comma? write 16800 or 16_800, and 0.9)"
            } else if let m = closestMatch(to: e.key, in: allowed) {
                hint = " (did you mean '\(m)'?)"
            } else {
                hint = "; allowed keys: " + allowed.joined(separator: ", ")
            }
            throw InputError(ScenarioFields.message(path, "unknown key '\(e.key)'\(hint)"), at: e.keyLocation)
        }
        self.node = node
        self.path = path
        self.entries = entries
    }

    /// A mapping whose keys come from the key table (ScenarioKeys).
    init(_ node: ScenarioNode, path: String, keys table: ScenarioKeyTable) throws(InputError) {
        try self.init(node, path: path, allowed: table.names, expected: table.expected)
    }

    static func message(_ path: String, _ text: String) -> String {
        path.isEmpty ? text : "\(path): \(text)"
    }

    static func typeError(_ node: ScenarioNode, _ path: String, _ expected: String) -> InputError {
        InputError(message(path, "expected \(expected), got \(node.got)"), at: node.location)
    }

    func sub(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The entry for `key`, null values included.
    func entry(_ key: String) -> ScenarioNode.Entry? { entries.first { $0.key == key } }

    /// The value under `key`, or nil when it is absent or null (`key:` / `~` / `null`).
    func present(_ key: String) -> ScenarioNode? {
        guard let v = entry(key)?.value, !v.isNull else { return nil }
        return v
    }

    /// The value under `key` (possibly null, which the converters report as "got nothing").
    func require(_ key: String, _ expected: String) throws(InputError) -> ScenarioNode {
        guard let v = entry(key)?.value else {
            throw InputError(ScenarioFields.message(path, "missing required key '\(key)' (\(expected))"), at: node.location)
        }
        return v
    }

    /// Error at the mapping itself.
    func error(_ text: String) -> InputError {
        InputError(ScenarioFields.message(path, text), at: node.location)
    }

    /// Error at a key (e.g. a key that is not allowed together with another).
    func keyError(_ key: String, _ text: String) -> InputError {
        InputError(ScenarioFields.message(sub(key), text), at: entry(key)?.keyLocation ?? node.location)
    }
}

/// What a number must be: the text of "expected …", whether "90%" is accepted, the range.
struct NumberRule: Sendable {
    var expected: String
    var percent: Bool
    var integral: Bool = false
    /// Persons and rupiah: whole numbers, and `86.500` is refused with the hint that it reads as 86.5.
    var whole: Bool = false
    var accepts: @Sendable (Double) -> Bool

    static func fraction(_ what: String, _ range: ClosedRange<Double>, example: String) -> NumberRule {
        NumberRule(
            expected: "\(what) in [\(shortNumber(range.lowerBound)), \(shortNumber(range.upperBound))] (a fraction like \(example) or \"\(percentText(example))\")",
            percent: true, accepts: { range.contains($0) })
    }

    static func openFraction(_ what: String, example: String) -> NumberRule {
        NumberRule(
            expected: "\(what) in (0, 1) (a fraction like \(example) or \"\(percentText(example))\")",
            percent: true, accepts: { $0 > 0 && $0 < 1 })
    }

    static func atLeast(_ what: String, _ bound: Double, strict: Bool = false) -> NumberRule {
        NumberRule(
            expected: "\(what) \(strict ? ">" : "≥") \(shortNumber(bound))", percent: false,
            accepts: { strict ? $0 > bound : $0 >= bound })
    }

    /// A number in [lo, hi] ((lo, hi] when `strict`): every value that reaches arithmetic has an upper
    /// bound too, so that whatever the reader accepts gives finite outputs (docs/scenario-format.md, Ranges).
    static func between(_ what: String, _ lo: Double, _ hi: Double, strict: Bool = false) -> NumberRule {
        NumberRule(
            expected: "\(what) in \(strict ? "(" : "[")\(shortNumber(lo)), \(boundText(hi))]", percent: false,
            accepts: { (strict ? $0 > lo : $0 >= lo) && $0 <= hi })
    }

    /// 1e9 as "1e9", 100000 as "100000".
    static func boundText(_ v: Double) -> String {
        guard v >= 1e6 else { return shortNumber(v) }
        var e = 0, p = 1.0
        while p * 10 <= v { p *= 10; e += 1 }
        return p == v ? "1e\(e)" : shortNumber(v)
    }

    /// The most persons a figure may state: 10⁹ (Indonesia's whole population is under 3·10⁸).
    static let maxPersons = 1e9

    static let share = fraction("a share", 0...1, example: "0.9")
    static let probability = fraction("a probability", 0...1, example: "0.9")
    static let lapseRate = fraction("a rate per year", 0...1, example: "0.3")
    static let potentialGrowth = fraction("a growth rate per year", -0.5...0.5, example: "0.02")
    static let ruleGrowth = fraction("a growth over the previous target", -0.5...5, example: "0.2")
    static let confidence = openFraction("a probability", example: "0.6")
    static let quantile = openFraction("a quantile level", example: "0.1")
    static let persons = between("a whole number of persons", 0, maxPersons, strict: true).wholeNumber
    static let personsOrZero = between("a whole number of persons", 0, maxPersons).wholeNumber
    static let maxIntensity = 10.0
    static let intensity = NumberRule(
        expected: "an intensity in [0, \(shortNumber(maxIntensity))] (1.0 = as in history)", percent: false,
        accepts: { $0 >= 0 && $0 <= maxIntensity })
    static let maxElasticity = 3.0
    static let elasticity = between("an elasticity", 0, maxElasticity)
    static let maxVillagesPerYear = 100_000.0
    static let villagesPerYear = between("a number of villages per year", 0, maxVillagesPerYear)
    static let maxAcquisitionsPerVillage = 100_000.0
    static let acquisitionsPerVillage = between("a number of acquisitions per village", 0, maxAcquisitionsPerVillage)
    static let budget = between("a budget in whole rupiah per year", 0, 1e15).wholeNumber
    static let cost = between("a cost in whole rupiah per person-month", 1, 1e9).wholeNumber
    static let enrolmentMonths = NumberRule(expected: "a whole number of months in [1, 12]", percent: false, integral: true, accepts: { $0 >= 1 && $0 <= 12 })

    /// The rule for whole persons or rupiah.
    var wholeNumber: NumberRule {
        var r = self
        r.integral = true
        r.whole = true
        return r
    }
    static let draws = NumberRule(expected: "a whole number of draws in [0, 1e9]", percent: false, integral: true, accepts: { $0 >= 0 && $0 <= 1e9 })
    static let year = NumberRule(expected: "a year like 2018", percent: false, integral: true, accepts: { $0 >= 1000 && $0 <= 9999 })

    private static func percentText(_ example: String) -> String {
        guard let v = Double(example) else { return example }
        return shortNumber(v * 100) + "%"
    }
}

/// Short number text for messages: 1, 0.5, 1.05, 6900000.
func shortNumber(_ v: Double) -> String {
    if v.rounded() == v && abs(v) < 1e15 { return String(Whole.clamped(v)) }
    var s = String(v)
    if s.contains("e") { return s }
    // Round away binary noise (0.30000000000000004 → 0.3).
    for digits in 1...15 {
        let r = (v * pow10(digits)).rounded() / pow10(digits)
        if abs(r - v) <= abs(v) * 1e-12 {
            s = String(r)
            break
        }
    }
    return s
}

private func pow10(_ n: Int) -> Double {
    var p = 1.0
    for _ in 0..<n { p *= 10 }
    return p
}

// MARK: - Scalar converters

extension ScenarioFields {
    /// A scalar's text (`expected` names what it should be); mappings, lists and null are errors.
    static func text(_ node: ScenarioNode, _ path: String, _ expected: String = "a text") throws(InputError) -> String {
        guard case .scalar(let t, _) = node.kind, !node.isNull, !t.scenarioTrimmed.isEmpty else {
            throw typeError(node, path, expected)
        }
        return t
    }

    static func number(_ node: ScenarioNode, _ path: String, _ rule: NumberRule) throws(InputError) -> Double {
        guard case .scalar(let t, _) = node.kind, !node.isNull,
            let v = rule.percent ? ScalarText.fraction(t) : ScalarText.number(t),
            !rule.integral || v.rounded() == v,
            !rule.whole || ScalarText.numberHint(t, whole: true) == nil,
            rule.accepts(v)
        else {
            var error = typeError(node, path, rule.expected)
            if case .scalar(let t, _) = node.kind, !node.isNull, let hint = ScalarText.numberHint(t, whole: rule.whole) {
                error.phrase = error.phrase + Phrase(english: ": " + hint)
            }
            throw error
        }
        return v
    }

    static func integer(_ node: ScenarioNode, _ path: String, _ rule: NumberRule) throws(InputError) -> Int {
        let v = try number(node, path, rule)
        guard let whole = Whole.int(v) else {
            var error = typeError(node, path, rule.expected)
            error.phrase = error.phrase + Phrase { l in l.t(": terlalu besar untuk dihitung dalam bilangan bulat (paling banyak 2^53)", ": too large to count in whole numbers (at most 2^53)") }
            throw error
        }
        return whole
    }

    static func seed(_ node: ScenarioNode, _ path: String) throws(InputError) -> UInt64 {
        guard case .scalar(let t, _) = node.kind, !node.isNull, let v = ScalarText.unsigned(t) else {
            throw typeError(node, path, "a whole number ≥ 0 (the random seed)")
        }
        return v
    }

    static func bool(_ node: ScenarioNode, _ path: String) throws(InputError) -> Bool {
        guard case .scalar(let t, _) = node.kind, let v = ScalarText.bool(t) else {
            throw typeError(node, path, "true or false")
        }
        return v
    }

    static func month(_ node: ScenarioNode, _ path: String) throws(InputError) -> Month {
        guard case .scalar(let t, _) = node.kind, let m = Month(t.scenarioTrimmed) else {
            throw typeError(node, path, "a month YYYY-MM (like 2018-01)")
        }
        return m
    }

    /// A word from a fixed list, with "did you mean".
    static func choice(_ node: ScenarioNode, _ path: String, _ choices: [String]) throws(InputError) -> String {
        let list = choices.joined(separator: ", ")
        guard case .scalar(let t, _) = node.kind, !node.isNull else { throw typeError(node, path, "one of \(list)") }
        if choices.contains(t) { return t }
        let hint = closestMatch(to: t, in: choices).map { " (did you mean '\($0)'?)" } ?? ""
        throw InputError(message(path, "expected one of \(list), got \(node.got)\(hint)"), at: node.location)
    }

    /// A name that must be one of `known` (segments, regions).
    static func reference(_ node: ScenarioNode, _ path: String, kind: String, known: [String]) throws(InputError) -> String {
        let name = try text(node, path, "the name of a \(kind)")
        try checkReference(name, at: node.location, path, kind: kind, known: known)
        return name
    }

    static func checkReference(_ name: String, at location: SourceLocation, _ path: String, kind: String, known: [String]) throws(InputError) {
        guard !known.contains(name) else { return }
        let hint = closestMatch(to: name, in: known).map { " (did you mean '\($0)'?)" } ?? ""
        throw InputError(message(path, "unknown \(kind) '\(name)'\(hint); \(kind)s: \(known.joined(separator: ", "))"), at: location)
    }

    /// A list node (mappings, scalars and null are errors); `nonEmpty` rejects `[]`.
    static func list(_ node: ScenarioNode, _ path: String, _ expected: String, nonEmpty: Bool = true) throws(InputError) -> [ScenarioNode] {
        guard let items = node.items else { throw typeError(node, path, expected) }
        if nonEmpty && items.isEmpty { throw InputError(message(path, "expected \(expected), got an empty list"), at: node.location) }
        return items
    }

    /// A lever value: a number (constant) or a list of `{from: YYYY-MM, value: …}` steps, months strictly
    /// increasing; `initial` is the value before the first step.
    static func leverPath(_ node: ScenarioNode, _ path: String, _ rule: NumberRule, initial: Double) throws(InputError) -> LeverPath {
        if case .scalar = node.kind {
            return LeverPath(constant: try number(node, path, rule))
        }
        let expected = "\(rule.expected), or a list of {from: YYYY-MM, value: …} steps"
        let items = try list(node, path, expected)
        var steps: [(from: Month, value: Double)] = []
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            let f = try ScenarioFields(item, path: p, keys: ScenarioKeys.step)
            let fromNode = try f.require("from", "the month the value starts, YYYY-MM")
            let from = try month(fromNode, f.sub("from"))
            if let last = steps.last, from <= last.from {
                throw InputError(message(f.sub("from"), "months must be strictly increasing: expected a month after \(last.from), got \(from)"), at: fromNode.location)
            }
            let value = try number(try f.require("value", rule.expected), f.sub("value"), rule)
            steps.append((from, value))
        }
        return LeverPath(steps: steps, initial: initial)
    }
}
