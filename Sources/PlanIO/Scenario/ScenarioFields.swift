import Planning

/// Typed access to a scenario mapping with located, one-line errors (`path: expected …, got …`).
struct ScenarioFields {
    let node: ScenarioNode
    /// Dotted path of this mapping in the scenario ("" at the top level).
    let path: String
    let entries: [ScenarioNode.Entry]

    /// Checks that `node` is a mapping whose keys are all in `allowed`.
    init(_ node: ScenarioNode, path: String, allowed: [String], expected: String) throws(InputError) {
        try self.init(node, path: path, allowed: allowed, expected: Phrase(english: expected))
    }

    init(_ node: ScenarioNode, path: String, allowed: [String], expected: Phrase) throws(InputError) {
        guard let entries = node.entries else { throw ScenarioFields.typeError(node, path, expected) }
        for e in entries where !allowed.contains(e.key) {
            let hint: Phrase
            let list = allowed.joined(separator: ", ")
            if !e.key.isEmpty, e.key.allSatisfy({ $0 >= "0" && $0 <= "9" }) {
                // `{package_rp: 16,800}` or `{collection: 0,9}`: the comma ended the value inside {…}.
                hint = Phrase(
                    " (koma di dalam {…} memulai kunci baru: pemisah ribuan atau koma desimal? tulis 16800 atau 16_800, dan 0.9)",
                    " (a comma inside {…} starts a new key: a thousands separator or a decimal comma? write 16800 or 16_800, and 0.9)")
            } else if let m = closestMatch(to: e.key, in: allowed) {
                hint = Phrase(" (maksud Anda '\(m)'?)", " (did you mean '\(m)'?)")
            } else {
                hint = Phrase("; kunci yang boleh: " + allowed.map { "'\($0)'" }.joined(separator: ", "), "; allowed keys: " + list)
            }
            let key = e.key
            throw InputError(
                Phrase { l in ScenarioFields.message(path, l.t("kunci '\(key)' tidak dikenal", "unknown key '\(key)'") + hint.text(indonesian: l.indonesian)) },
                at: e.keyLocation)
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
        typeError(node, path, Phrase(english: expected))
    }

    /// `path: expected …, got …` in the reader's language; English whole while `expected` is not yet
    /// in the catalogue (a message never mixes the two).
    static func typeError(_ node: ScenarioNode, _ path: String, _ expected: Phrase) -> InputError {
        let got = node.gotPhrase, translated = expected.isTranslated
        return InputError(
            Phrase { l in
                let l = translated ? l : Phrase.Language(indonesian: false)
                let e = expected.text(indonesian: l.indonesian), g = got.text(indonesian: l.indonesian)
                return message(path, l.t("diharapkan \(e), tertulis \(g)", "expected \(e), got \(g)"))
            }, at: node.location)
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
        try require(key, Phrase(english: expected))
    }

    /// The same, said in the reader's language when `expected` is in the catalogue.
    func require(_ key: String, _ expected: Phrase) throws(InputError) -> ScenarioNode {
        guard let v = entry(key)?.value else {
            let translated = expected.isTranslated, path = path
            throw InputError(
                Phrase { l in
                    let l = translated ? l : Phrase.Language(indonesian: false)
                    let e = expected.text(indonesian: l.indonesian)
                    return ScenarioFields.message(path, l.t("kunci wajib '\(key)' tidak ada (\(e))", "missing required key '\(key)' (\(e))"))
                }, at: node.location)
        }
        return v
    }

    /// Error at the mapping itself.
    func error(_ text: String) -> InputError { error(Phrase(english: text)) }

    func error(_ text: Phrase) -> InputError {
        InputError(text.prefixed(path.isEmpty ? "" : "\(path): "), at: node.location)
    }

    /// Error at a key (e.g. a key that is not allowed together with another).
    func keyError(_ key: String, _ text: String) -> InputError { keyError(key, Phrase(english: text)) }

    func keyError(_ key: String, _ text: Phrase) -> InputError {
        InputError(text.prefixed("\(sub(key)): "), at: entry(key)?.keyLocation ?? node.location)
    }
}

/// What a number must be: the text of "expected …", whether "90%" is accepted, the range.
struct NumberRule: Sendable {
    var expected: Phrase
    var percent: Bool
    var integral: Bool = false
    /// Persons and rupiah: whole numbers, and `86.500` is refused with the hint that it reads as 86.5.
    var whole: Bool = false
    var accepts: @Sendable (Double) -> Bool

    static func fraction(_ what: Phrase, _ range: ClosedRange<Double>, example: String) -> NumberRule {
        let interval = "[\(shortNumber(range.lowerBound)), \(shortNumber(range.upperBound))]", pct = percentText(example)
        return NumberRule(
            expected: Phrase { l in
                what.text(indonesian: l.indonesian)
                    + l.t(" dalam \(interval) (pecahan seperti \(example) atau \"\(pct)\")", " in \(interval) (a fraction like \(example) or \"\(pct)\")")
            },
            percent: true, accepts: { range.contains($0) })
    }

    static func openFraction(_ what: Phrase, example: String) -> NumberRule {
        let pct = percentText(example)
        return NumberRule(
            expected: Phrase { l in
                what.text(indonesian: l.indonesian) + l.t(" dalam (0, 1) (pecahan seperti \(example) atau \"\(pct)\")", " in (0, 1) (a fraction like \(example) or \"\(pct)\")")
            },
            percent: true, accepts: { $0 > 0 && $0 < 1 })
    }

    /// A number in [lo, hi] ((lo, hi] when `strict`): every value that reaches arithmetic has an upper
    /// bound too, so that whatever the reader accepts gives finite outputs (docs/scenario-format.md, Ranges).
    static func between(_ what: Phrase, _ lo: Double, _ hi: Double, strict: Bool = false) -> NumberRule {
        let interval = "\(strict ? "(" : "[")\(shortNumber(lo)), \(boundText(hi))]"
        return NumberRule(
            expected: Phrase { l in what.text(indonesian: l.indonesian) + l.t(" dalam ", " in ") + interval }, percent: false,
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

    static let share = fraction(Phrase("sebuah porsi", "a share"), 0...1, example: "0.9")
    static let probability = fraction(Phrase("sebuah peluang", "a probability"), 0...1, example: "0.9")
    static let lapseRate = fraction(Phrase("tingkat per tahun", "a rate per year"), 0...1, example: "0.3")
    static let potentialGrowth = fraction(Phrase("laju pertumbuhan per tahun", "a growth rate per year"), -0.5...0.5, example: "0.02")
    static let ruleGrowth = fraction(Phrase("pertumbuhan atas target sebelumnya", "a growth over the previous target"), -0.5...5, example: "0.2")
    static let confidence = openFraction(Phrase("sebuah peluang", "a probability"), example: "0.6")
    static let quantile = openFraction(Phrase("tingkat kuantil", "a quantile level"), example: "0.1")
    static let persons = between(Phrase("jumlah orang (bilangan bulat)", "a whole number of persons"), 0, maxPersons, strict: true).wholeNumber
    static let personsOrZero = between(Phrase("jumlah orang (bilangan bulat)", "a whole number of persons"), 0, maxPersons).wholeNumber
    static let maxIntensity = 10.0
    static let intensity = NumberRule(
        expected: Phrase(
            "intensitas dalam [0, \(shortNumber(maxIntensity))] (1.0 = seperti riwayat)", "an intensity in [0, \(shortNumber(maxIntensity))] (1.0 = as in history)"),
        percent: false, accepts: { $0 >= 0 && $0 <= maxIntensity })
    static let maxElasticity = 3.0
    static let elasticity = between(Phrase("elastisitas", "an elasticity"), 0, maxElasticity)
    static let maxVillagesPerYear = 100_000.0
    static let villagesPerYear = between(Phrase("jumlah desa per tahun", "a number of villages per year"), 0, maxVillagesPerYear)
    static let maxAcquisitionsPerVillage = 100_000.0
    static let acquisitionsPerVillage = between(Phrase("jumlah akuisisi per desa", "a number of acquisitions per village"), 0, maxAcquisitionsPerVillage)
    static let budget = between(Phrase("anggaran dalam rupiah bulat per tahun", "a budget in whole rupiah per year"), 0, 1e15).wholeNumber
    static let leverPrice = between(Phrase("harga dalam rupiah per satuan pengungkit", "a price in rupiah per unit of the lever"), 0, 1e15)
    static let cost = between(Phrase("biaya dalam rupiah bulat per orang-bulan", "a cost in whole rupiah per person-month"), 1, 1e9).wholeNumber
    static let enrolmentMonths = NumberRule(
        expected: Phrase("jumlah bulan (bilangan bulat) dalam [1, 12]", "a whole number of months in [1, 12]"), percent: false, integral: true,
        accepts: { $0 >= 1 && $0 <= 12 })

    /// The rule for whole persons or rupiah.
    var wholeNumber: NumberRule {
        var r = self
        r.integral = true
        r.whole = true
        return r
    }
    static let draws = NumberRule(
        expected: Phrase("jumlah simulasi (bilangan bulat) dalam [0, 1e9]", "a whole number of draws in [0, 1e9]"), percent: false, integral: true,
        accepts: { $0 >= 0 && $0 <= 1e9 })
    static let year = NumberRule(expected: Phrase("tahun seperti 2018", "a year like 2018"), percent: false, integral: true, accepts: { $0 >= 1000 && $0 <= 9999 })

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
    static func text(_ node: ScenarioNode, _ path: String, _ expected: String) throws(InputError) -> String {
        try text(node, path, Phrase(english: expected))
    }

    static func text(_ node: ScenarioNode, _ path: String, _ expected: Phrase = Phrase("teks", "a text")) throws(InputError) -> String {
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
                // The hint follows the message's language (English whole when the rule is not yet translated).
                let translated = error.phrase.isTranslated
                error.phrase = error.phrase + Phrase { l in ": " + hint.text(indonesian: translated && l.indonesian) }
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
            throw typeError(node, path, Phrase("bilangan bulat ≥ 0 (benih acak)", "a whole number ≥ 0 (the random seed)"))
        }
        return v
    }

    static func bool(_ node: ScenarioNode, _ path: String) throws(InputError) -> Bool {
        guard case .scalar(let t, _) = node.kind, let v = ScalarText.bool(t) else {
            throw typeError(node, path, Phrase("true atau false", "true or false"))
        }
        return v
    }

    static func month(_ node: ScenarioNode, _ path: String) throws(InputError) -> Month {
        guard case .scalar(let t, _) = node.kind, let m = Month(t.scenarioTrimmed) else {
            throw typeError(node, path, Phrase("bulan YYYY-MM (seperti 2018-01)", "a month YYYY-MM (like 2018-01)"))
        }
        return m
    }

    /// A word from a fixed list, with "did you mean".
    static func choice(_ node: ScenarioNode, _ path: String, _ choices: [String]) throws(InputError) -> String {
        let list = choices.joined(separator: ", ")
        let quoted = choices.map { "'\($0)'" }.joined(separator: ", ")
        guard case .scalar(let t, _) = node.kind, !node.isNull else { throw typeError(node, path, Phrase("salah satu dari \(quoted)", "one of \(list)")) }
        if choices.contains(t) { return t }
        let guess = closestMatch(to: t, in: choices), got = node.gotPhrase
        throw InputError(
            Phrase { l in
                message(path, l.t("diharapkan salah satu dari \(quoted), tertulis ", "expected one of \(list), got ") + got.text(indonesian: l.indonesian)
                    + (guess.map { l.t(" (maksud Anda '\($0)'?)", " (did you mean '\($0)'?)") } ?? ""))
            }, at: node.location)
    }

    /// A name that must be one of `known` (segments, regions).
    static func reference(_ node: ScenarioNode, _ path: String, kind: String, known: [String]) throws(InputError) -> String {
        let name = try text(node, path, Phrase("nama \(kind == "segment" ? "segmen" : kind == "region" ? "wilayah" : kind)", "the name of a \(kind)"))
        try checkReference(name, at: node.location, path, kind: kind, known: known)
        return name
    }

    static func checkReference(_ name: String, at location: SourceLocation, _ path: String, kind: String, known: [String]) throws(InputError) {
        guard !known.contains(name) else { return }
        let guess = closestMatch(to: name, in: known), list = known.joined(separator: ", ")
        let kindID = kind == "segment" ? "segmen" : kind == "region" ? "wilayah" : nil
        throw InputError(
            Phrase { l in
                let l = kindID == nil ? Phrase.Language(indonesian: false) : l  // a kind not in the catalogue: English whole
                return message(path, l.t("\(kindID ?? kind) '\(name)' tidak dikenal", "unknown \(kind) '\(name)'")
                    + (guess.map { l.t(" (maksud Anda '\($0)'?)", " (did you mean '\($0)'?)") } ?? "") + l.t("; \(kindID ?? kind): \(list)", "; \(kind)s: \(list)"))
            }, at: location)
    }

    /// A list node (mappings, scalars and null are errors); `nonEmpty` rejects `[]`.
    static func list(_ node: ScenarioNode, _ path: String, _ expected: String, nonEmpty: Bool = true) throws(InputError) -> [ScenarioNode] {
        try list(node, path, Phrase(english: expected), nonEmpty: nonEmpty)
    }

    static func list(_ node: ScenarioNode, _ path: String, _ expected: Phrase, nonEmpty: Bool = true) throws(InputError) -> [ScenarioNode] {
        guard let items = node.items else { throw typeError(node, path, expected) }
        if nonEmpty && items.isEmpty {
            let translated = expected.isTranslated
            throw InputError(
                Phrase { l in
                    let l = translated ? l : Phrase.Language(indonesian: false)
                    let e = expected.text(indonesian: l.indonesian)
                    return message(path, l.t("diharapkan \(e), tertulis daftar kosong", "expected \(e), got an empty list"))
                }, at: node.location)
        }
        return items
    }

    /// A lever value: a number (constant) or a list of `{from: YYYY-MM, value: …}` steps, months strictly
    /// increasing; `initial` is the value before the first step.
    static func leverPath(_ node: ScenarioNode, _ path: String, _ rule: NumberRule, initial: Double) throws(InputError) -> LeverPath {
        if case .scalar = node.kind {
            return LeverPath(constant: try number(node, path, rule))
        }
        let expected = rule.expected + Phrase(", atau daftar langkah {from: YYYY-MM, value: …}", ", or a list of {from: YYYY-MM, value: …} steps")
        let items = try list(node, path, expected)
        var steps: [(from: Month, value: Double)] = []
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            let f = try ScenarioFields(item, path: p, keys: ScenarioKeys.step)
            let fromNode = try f.require("from", Phrase("bulan nilai itu mulai berlaku, YYYY-MM", "the month the value starts, YYYY-MM"))
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
