import Planning

/// One `--set KEY=VALUE` override: a key path and the value as text, as `--set` would read it.
public struct Override: Sendable, Equatable, CustomStringConvertible {
    /// A `--set` key path, e.g. `levers.outreach.intensity` or `levers.honorary.ramp[2].share`.
    public var key: String
    /// The value as `--set` would read it, e.g. "1.2", "90%".
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }

    /// The `--set` argument, `KEY=VALUE`.
    public var description: String { "\(key)=\(value)" }
}

/// A grid of what-ifs: every combination of the axes' values is run, each value applied as
/// `--set KEY=VALUE` would be.
public struct Sweep: Sendable, Equatable {
    public struct Axis: Sendable, Equatable {
        public var key: String
        /// The values as `--set` would read them, e.g. "1.2", "90%".
        public var values: [String]

        public init(key: String, values: [String]) {
            self.key = key
            self.values = values
        }
    }

    var axes: [Axis]

    public init(axes: [Axis]) { self.axes = axes }

    /// Every combination, first axis slowest.
    var combinations: [[Override]] {
        axes.reduce([[]]) { partial, axis in
            partial.flatMap { prefix in axis.values.map { prefix + [Override(key: axis.key, value: $0)] } }
        }
    }
}

/// `sweep`: a grid of what-ifs, `--set` key path → the values to try (docs/scenario-format.md).
///
/// Every value is applied exactly as `--set KEY=VALUE` would apply it, to the merged tree (after `extends`
/// and `--set`, without the sweep), and the result is checked like any scenario; a problem is reported at
/// the sweep's key (a bad path) or value (a bad value), not as a `--set` location. With several axes every
/// combination is checked as well, since values that are fine alone may not be together (shares adding up
/// to more than 1).
enum ScenarioSweepReader {
    /// At most this many combinations (runs) in a sweep.
    static let maxCombinations = 64

    /// The `--set` line a sweep value is tried on: real overrides count from 1, so a location on line 0
    /// belongs to the value being tried.
    private static let line = 0

    static let expected = "a mapping of --set key paths to lists of values (like levers.outreach.intensity: [1.0, 1.2, 1.5])"

    private struct Axis {
        var key: String
        var keyLocation: SourceLocation
        /// The key path as tokens ("levers", "honorary", "ramp", "[1]", "share"), to find overlaps.
        var tokens: [String]
        var values: [(text: String, node: ScenarioNode)]
    }

    /// The sweep of the merged tree `root` (whose other keys are already checked), or nil without one.
    /// An empty mapping is no sweep.
    static func read(_ top: ScenarioFields, root: ScenarioNode) throws(InputError) -> Sweep? {
        guard let node = top.present("sweep") else { return nil }
        guard let entries = node.entries else { throw ScenarioFields.typeError(node, "sweep", expected) }
        if entries.isEmpty { return nil }

        var axes: [Axis] = []
        for e in entries {
            let tokens = try keyPath(e)
            if let other = axes.first(where: { overlaps($0.tokens, tokens) }) {
                throw InputError(
                    "sweep: '\(e.key)' overlaps '\(other.key)' (one would change the other); sweep each setting once",
                    at: e.keyLocation)
            }
            let path = "sweep.\(e.key)"
            let items = try ScenarioFields.list(e.value, path, Phrase("daftar nilai yang tidak kosong (seperti [1.0, 1.2, 1.5])", "a non-empty list of values (like [1.0, 1.2, 1.5])"))
            var values: [(text: String, node: ScenarioNode)] = []
            for (i, item) in items.enumerated() {
                let text = ScenarioOverrides.text(of: item)
                if let j = values.firstIndex(where: { $0.text == text }) {
                    throw InputError(Phrase("\(path)[\(i)]: nilai \(text) tercantum dua kali (juga [\(j)])", "\(path)[\(i)]: the value \(text) is listed twice (also [\(j)])"), at: item.location)
                }
                values.append((text, item))
            }
            axes.append(Axis(key: e.key, keyLocation: e.keyLocation, tokens: tokens, values: values))
        }

        let count = axes.reduce(1.0) { $0 * Double($1.values.count) }
        if count > Double(maxCombinations) {
            let product = axes.count == 1 ? "" : axes.map { String($0.values.count) }.joined(separator: " × ") + " = "
            throw top.keyError("sweep", "\(product)\(shortNumber(count)) combinations, expected at most \(maxCombinations)")
        }

        // The tree the values are tried on: the scenario without its sweep.
        let base = ScenarioNode(.mapping((root.entries ?? []).filter { $0.key != "sweep" }), at: root.location)
        for axis in axes {
            for value in axis.values {
                let override = "\(axis.key)=\(value.text)"
                do throws(InputError) {
                    _ = try ScenarioSchema.check(try ScenarioOverrides.apply(override, line: line, to: base))
                } catch {
                    throw relocate(error, override: override, keyLength: axis.key.unicodeScalars.count, key: axis.keyLocation, value: value.node)
                }
            }
        }

        let sweep = Sweep(axes: axes.map { Sweep.Axis(key: $0.key, values: $0.values.map(\.text)) })
        if axes.count > 1 {
            for combination in sweep.combinations {
                do throws(InputError) {
                    var tree = base
                    for (i, override) in combination.enumerated() { tree = try ScenarioOverrides.apply(override.description, line: i + 1, to: tree) }
                    _ = try ScenarioSchema.check(tree)
                } catch {
                    let with = combination.map(\.description).joined(separator: ", ")
                    throw top.keyError("sweep", Phrase { l in l.t("dengan \(with): ", "with \(with): ") } + error.phrase)
                }
            }
        }
        return sweep
    }

    /// The entry's key as a `--set` path (its problems reported at the key), as tokens.
    private static func keyPath(_ e: ScenarioNode.Entry) throws(InputError) -> [String] {
        if e.key.contains("=") {
            throw InputError(Phrase("sweep: jalur kunci tidak boleh memuat '=', tertulis '\(e.key)'", "sweep: a key path cannot contain '=', got '\(e.key)'"), at: e.keyLocation)
        }
        let components: [ScenarioOverrides.Component]
        do throws(InputError) {
            components = try ScenarioOverrides.parse("\(e.key)=", line: line).0
        } catch {
            throw InputError(error.phrase, at: e.keyLocation)
        }
        let tokens = components.map { (c) -> String in
            switch c {
            case .key(let k, _): return k
            case .index(let i, _): return "[\(i)]"
            }
        }
        if tokens.first == "sweep" {
            throw InputError(Phrase("sweep: sweep tidak bisa mengubah 'sweep' sendiri", "sweep: a sweep cannot change 'sweep' itself"), at: e.keyLocation)
        }
        return tokens
    }

    /// Whether one path is the other or lies inside it.
    private static func overlaps(_ a: [String], _ b: [String]) -> Bool {
        a.count <= b.count ? Array(b.prefix(a.count)) == a : Array(a.prefix(b.count)) == b
    }

    /// A problem found while trying `override`: at the sweep's key or value when it lies in the override
    /// (the columns of `KEY=VALUE` on the sweep's `--set` line), otherwise at the value, saying which.
    private static func relocate(
        _ error: InputError, override: String, keyLength: Int, key: SourceLocation, value: ScenarioNode
    ) -> InputError {
        if let at = error.location, at.file == "--set", at.line == line {
            return InputError(error.phrase, at: at.column <= keyLength + 1 ? key : value.location)
        }
        return InputError(Phrase { l in l.t("sweep: dengan \(override): ", "sweep: with \(override): ") } + error.phrase, at: value.location)
    }
}

extension ScenarioOverrides {
    /// `node` as the VALUE of `--set KEY=VALUE`, such that `--set` reads it back the same: a scalar as
    /// written (numbers as in the file, "90%" as 90%), double-quoted where `--set` would read it otherwise
    /// (leading `[`, `{`, quotes, surrounding spaces, line breaks, a quoted "null"); a null as `null`; lists
    /// and mappings in flow style (`[{from: 2018-01, value: 1.2}]`).
    static func text(of node: ScenarioNode) -> String {
        switch node.kind {
        case .scalar(let t, let plain):
            if node.isNull { return "null" }
            let raw =
                !t.isEmpty && t == t.scenarioTrimmed && !t.contains("\n") && !t.contains("\r")
                && !"[{\"'".unicodeScalars.contains(t.unicodeScalars.first!) && (plain || !ScenarioNode.nullWords.contains(t))
            return raw ? t : JSONText.string(t)
        case .sequence, .mapping:
            return flowText(node)
        }
    }

    /// YAML flow text of a value inside `[…]` or `{…}`: plain scalars made only of letters, digits and
    /// `. _ % + - /` as written, other scalars double-quoted (JSON escapes are YAML escapes).
    private static func flowText(_ node: ScenarioNode) -> String {
        switch node.kind {
        case .scalar(let t, let plain):
            if node.isNull { return "null" }
            return flowScalar(t, quoteNullWords: !plain)
        case .sequence(let items):
            return "[" + items.map { flowText($0) }.joined(separator: ", ") + "]"
        case .mapping(let entries):
            return "{" + entries.map { flowScalar($0.key, quoteNullWords: true) + ": " + flowText($0.value) }.joined(separator: ", ") + "}"
        }
    }

    private static func flowScalar(_ t: String, quoteNullWords: Bool) -> String {
        let safe =
            !t.isEmpty && t.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._%+-/".unicodeScalars.contains($0)) }
            && !(quoteNullWords && ScenarioNode.nullWords.contains(t))
        return safe ? t : JSONText.string(t)
    }
}
