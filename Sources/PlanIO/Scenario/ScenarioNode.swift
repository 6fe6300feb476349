import Fitting
import Foundation
import Yams

/// The scenario reader's own YAML tree: every node remembers the file, line and column it came from,
/// so that after `extends` a parent's nodes still point into the parent's file and `--set` nodes point
/// into the override (`--set:N:COL`). Scalars are kept as text; the schema converts them itself.
struct ScenarioNode: Sendable {
    enum Kind: Sendable {
        /// `plain` is false for quoted, block (`|`, `>`) and `!!str`-tagged scalars: always text, never null.
        case scalar(String, plain: Bool)
        case sequence([ScenarioNode])
        case mapping([Entry])
    }

    struct Entry: Sendable {
        var key: String
        var keyLocation: SourceLocation
        var value: ScenarioNode
    }

    var kind: Kind
    var location: SourceLocation

    init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// `key:` with nothing after it, `~` or `null` (plain only; `"null"` is text).
    var isNull: Bool {
        if case .scalar(let text, plain: true) = kind { return ScenarioNode.nullWords.contains(text) }
        return false
    }

    static let nullWords: Set<String> = ["", "~", "null", "Null", "NULL"]

    var entries: [Entry]? {
        if case .mapping(let e) = kind { return e }
        return nil
    }

    var items: [ScenarioNode]? {
        if case .sequence(let s) = kind { return s }
        return nil
    }

    /// The value under `key` in a mapping (nil when absent or not a mapping).
    subscript(key: String) -> ScenarioNode? {
        entries?.first { $0.key == key }?.value
    }

    /// How the node reads in "got …": the scalar's text (quoted when it was quoted), or its kind.
    var got: String { gotPhrase.english }

    /// What was found, in both languages: the value as written, or its kind.
    var gotPhrase: Phrase {
        switch kind {
        case .scalar(let text, let plain):
            // At most 60 characters of a value: a message never echoes a whole file.
            let shown = text.unicodeScalars.count > 60 ? String(String.UnicodeScalarView(text.unicodeScalars.prefix(57))) + "…" : text
            if plain { return isNull ? Phrase("kosong", "nothing") : Phrase(english: shown) }
            return Phrase(english: "\"" + shown + "\"")
        case .sequence: return Phrase("sebuah daftar", "a list")
        case .mapping: return Phrase("sebuah pemetaan", "a mapping")
        }
    }
}

// MARK: - From Yams

extension ScenarioNode {
    /// Parses one YAML document. Syntax errors become `FILE:LINE:COL: YAML syntax error: …`; an empty
    /// document gives nil. With `line` (a `--set` value) every node is placed on that line, at
    /// `columnOffset` + its offset in `text` + 1.
    static func parse(
        _ text: String, file: String, line: Int? = nil, columnOffset: Int = 0
    ) throws(InputError) -> ScenarioNode? {
        func place(_ mark: Mark?) -> SourceLocation {
            place((mark?.line ?? 1, mark?.column ?? 1))
        }
        let lineLengths = line == nil ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(\.unicodeScalars.count)
        func place(_ at: (line: Int, column: Int)) -> SourceLocation {
            guard let line else { return SourceLocation(file: file, line: at.line, column: at.column) }
            // A one-line text (a --set value): the mark as an offset into it, at most one past its end
            // (libyaml reports the end of the input on a virtual next line).
            let before = lineLengths.prefix(max(0, at.line - 1)).reduce(0) { $0 + $1 + 1 }
            let offset = min(before + at.column - 1, text.unicodeScalars.count)
            return SourceLocation(file: file, line: line, column: columnOffset + offset + 1)
        }
        if let (l, c) = tooDeep(text) {
            throw InputError(Phrase("bersarang lebih dari \(maxDepth) tingkat (skenario hanya perlu beberapa)", "nested more than \(maxDepth) levels deep (a scenario needs a few)"), at: place((l, c)))
        }
        // The parser stays alive while the tree is converted: Yams keeps a node's anchor weakly, and
        // an anchored node (the target of any alias) is refused before an alias can repeat it.
        let parser: Parser
        let root: Node?
        do {
            parser = try Parser(yaml: text)
            root = try parser.singleRoot()
        } catch let error as YamlError {
            throw syntaxError(error, text: text, place: { place($0) })
        } catch {
            throw InputError("YAML syntax error: \(error)", at: place(nil))
        }
        guard let root else { return nil }
        return try withExtendedLifetime(parser) { () throws(InputError) -> ScenarioNode in try convert(root, place: place, depth: 0) }
    }

    /// The deepest nesting a scenario may have (flow brackets, or mappings and lists in the tree).
    static let maxDepth = 64

    /// Where flow brackets (`[`, `{`) first nest deeper than `maxDepth`, outside quotes and comments:
    /// checked on the text, before the parser recurses into them.
    static func tooDeep(_ text: String) -> (line: Int, column: Int)? {
        var depth = 0, line = 1, column = 0
        var quote: Unicode.Scalar? = nil
        var comment = false
        var previous: Unicode.Scalar = "\n"
        for u in text.unicodeScalars {
            column += 1
            defer { previous = u }
            if u == "\n" {
                line += 1
                column = 0
                comment = false
                continue
            }
            if comment { continue }
            if let q = quote {
                if u == q { quote = nil }
                continue
            }
            switch u {
            case "\"", "'": if previous == " " || previous == "\n" || previous == "[" || previous == "{" || previous == "," || previous == ":" { quote = u }
            case "#": if previous == " " || previous == "\n" || previous == "\t" { comment = true }
            case "[", "{":
                depth += 1
                if depth > maxDepth { return (line, column) }
            case "]", "}": depth = max(0, depth - 1)
            default: break
            }
        }
        return nil
    }

    private static func convert(_ node: Node, place: (Mark?) -> SourceLocation, depth: Int) throws(InputError) -> ScenarioNode {
        if let anchor = node.anchor {
            throw InputError(
                Phrase("jangkar dan alias YAML tidak didukung di sini (&\(anchor.rawValue)); tuliskan nilainya", "YAML anchors and aliases are not supported here (&\(anchor.rawValue)); write the value out"),
                at: place(node.mark))
        }
        guard depth <= maxDepth else {
            throw InputError(Phrase("bersarang lebih dari \(maxDepth) tingkat (skenario hanya perlu beberapa)", "nested more than \(maxDepth) levels deep (a scenario needs a few)"), at: place(node.mark))
        }
        switch node {
        case .scalar(let s):
            let plain = s.style == .plain && s.tag.rawValue != Tag.Name.str.rawValue
            return ScenarioNode(.scalar(s.string, plain: plain), at: place(s.mark))
        case .sequence(let seq):
            var items: [ScenarioNode] = []
            for n in seq { items.append(try convert(n, place: place, depth: depth + 1)) }
            return ScenarioNode(.sequence(items), at: place(seq.mark))
        case .mapping(let map):
            var entries: [Entry] = []
            for (k, v) in map {
                guard case .scalar(let ks) = k else {
                    let list = k.sequence != nil
                    throw InputError(
                        Phrase("diharapkan kunci biasa (sebuah nama), tertulis \(list ? "sebuah daftar" : "sebuah pemetaan")", "expected a plain key (a name), got \(list ? "a list" : "a mapping")"),
                        at: place(k.mark))
                }
                entries.append(Entry(key: ks.string, keyLocation: place(ks.mark), value: try convert(v, place: place, depth: depth + 1)))
            }
            return ScenarioNode(.mapping(entries), at: place(map.mark))
        case .alias(let a):
            throw InputError(Phrase("alias YAML tidak didukung di sini", "YAML aliases are not supported here"), at: place(a.mark))
        }
    }

    private static func syntaxError(
        _ error: YamlError, text: String, place locate: ((line: Int, column: Int)) -> SourceLocation
    ) -> InputError {
        func place(_ mark: Mark?) -> SourceLocation { locate((mark?.line ?? 1, mark?.column ?? 1)) }
        func place(_ at: (line: Int, column: Int)) -> SourceLocation { locate(at) }
        func detail(_ problem: String, _ context: YamlError.Context?) -> String {
            guard let context else { return problem }
            return "\(problem) (\(context.text) at \(context.mark.line):\(context.mark.column))"
        }
        // A tab where YAML expects indentation: libyaml's own words ("found character that cannot start
        // any token") do not say what to do.
        if let tab = indentationTab(in: text) {
            return InputError(
                Phrase("tab di indentasi: YAML mengindentasi dengan spasi (ganti tab dengan spasi)", "a tab in the indentation: YAML indents with spaces (replace the tab with spaces)"),
                at: place(tab))
        }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return InputError("YAML syntax error: \(detail(problem, context))", at: place(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let first = (line: context.mark.line, column: context.mark.column)
            if let second = findRepeatedKey(key, after: first, in: text) {
                return InputError(
                    "duplicate key '\(key)' (first at line \(first.line), column \(first.column)); each key may appear once in a mapping",
                    at: place(second))
            }
            return InputError(Phrase("kunci ganda '\(key)'; tiap kunci hanya boleh muncul sekali dalam satu pemetaan", "duplicate key '\(key)'; each key may appear once in a mapping"), at: place(first))
        case .reader(let problem, _, _, _):
            return InputError("YAML syntax error: \(problem)", at: place(nil))
        default:
            return InputError("YAML syntax error: \(error)", at: place(nil))
        }
    }

    /// The first tab among a line's leading blanks (1-based line and column), if any.
    static func indentationTab(in text: String) -> (line: Int, column: Int)? {
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var column = 1
            for c in line.unicodeScalars {
                if c == "\t" { return (i + 1, column) }
                guard c == " " else { break }
                column += 1
            }
        }
        return nil
    }

    /// libyaml reports a duplicated key at its first occurrence; find the repeat (same column in a block
    /// mapping, later on the same line in a flow mapping) so the error points at the line to fix.
    static func findRepeatedKey(
        _ key: String, after first: (line: Int, column: Int), in text: String
    ) -> (line: Int, column: Int)? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array(String($0).unicodeScalars) }
        let spellings = [key, "\"\(key)\"", "'\(key)'"].map { Array($0.unicodeScalars) }
        func keyAt(_ line: [Unicode.Scalar], _ col: Int) -> Bool {  // col 0-based
            for s in spellings where col + s.count <= line.count && Array(line[col..<col + s.count]) == s {
                var j = col + s.count
                while j < line.count && (line[j] == " " || line[j] == "\t") { j += 1 }
                if j < line.count && line[j] == ":" { return true }
            }
            return false
        }
        guard first.line >= 1, first.line <= lines.count else { return nil }
        // Flow mapping on the same line: `{a: 1, a: 2}`.
        let sameLine = lines[first.line - 1]
        var c = first.column  // 0-based index just after the first key's first character
        while c < sameLine.count {
            let prev = sameLine[c - 1]
            if (prev == "," || prev == "{" || prev == " ") && keyAt(sameLine, c) { return (first.line, c + 1) }
            c += 1
        }
        // Block mapping: the same column on a later line, with only indentation or "- " before it.
        let col = first.column - 1
        var l = first.line
        while l < lines.count {
            let line = lines[l]
            l += 1
            let indent = line.prefix { $0 == " " }.count
            if indent == line.count || line[indent] == "#" { continue }
            if indent < col && line[indent] != "-" { break }
            if col < line.count && line[..<col].allSatisfy({ $0 == " " || $0 == "-" }) && keyAt(line, col) {
                return (l, col + 1)
            }
        }
        return nil
    }
}

// MARK: - Merging (extends) and JSON

extension ScenarioNode {
    /// Deep merge for `extends`: mappings merge key by key (the parent's keys first, in the parent's order,
    /// then the child's new keys); the child's scalars and sequences replace the parent's.
    static func merge(parent: ScenarioNode, child: ScenarioNode) -> ScenarioNode {
        guard var merged = parent.entries, let childEntries = child.entries else { return child }
        for e in childEntries {
            if let i = merged.firstIndex(where: { $0.key == e.key }) {
                merged[i].value = merge(parent: merged[i].value, child: e.value)
                merged[i].keyLocation = e.keyLocation
            } else {
                merged.append(e)
            }
        }
        return ScenarioNode(.mapping(merged), at: child.location)
    }

    /// The tree as JSON, keys in file order, 2-space indent, no trailing newline. Plain scalars that read as
    /// numbers become JSON numbers (underscores dropped), true/false booleans, null/~/empty null; all else text.
    func json(indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent + 2)
        let close = String(repeating: " ", count: indent)
        switch kind {
        case .scalar(let text, let plain):
            guard plain else { return JSONText.string(text) }
            if isNull { return "null" }
            if text == "true" || text == "false" { return text }
            if let n = ScalarText.jsonNumber(text) { return n }
            return JSONText.string(text)
        case .sequence(let items):
            if items.isEmpty { return "[]" }
            return "[\n" + items.map { pad + $0.json(indent: indent + 2) }.joined(separator: ",\n") + "\n" + close + "]"
        case .mapping(let entries):
            if entries.isEmpty { return "{}" }
            return "{\n"
                + entries.map { pad + JSONText.string($0.key) + ": " + $0.value.json(indent: indent + 2) }
                .joined(separator: ",\n") + "\n" + close + "}"
        }
    }
}
