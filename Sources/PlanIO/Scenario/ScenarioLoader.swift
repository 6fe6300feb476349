import Foundation

/// Reads a scenario file and the chain of files it `extends`, merged into one tree.
enum ScenarioLoader {
    struct Loaded {
        var tree: ScenarioNode
        /// The scenario file, then its parent, grandparent, … (paths as shown in messages).
        var files: [String]
    }

    static func load(path: String) throws(InputError) -> Loaded {
        try load(display: path, chain: [], via: nil)
    }

    /// `chain`: the files being loaded (child first), to catch loops; `via`: the `extends` value that
    /// names this file (nil for the scenario itself), where a missing or unreadable file is reported.
    private static func load(
        display: String, chain: [(canonical: String, display: String)], via: ScenarioNode?
    ) throws(InputError) -> Loaded {
        func fail(_ message: Phrase) -> InputError {
            if let via { return InputError(message.prefixed("extends: "), at: via.location) }
            return InputError(message, file: display)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: display, isDirectory: &isDirectory) else {
            throw fail(
                via == nil
                    ? Phrase("berkas tidak ada", "no such file")
                    : Phrase("berkas '\(display)' tidak ada (jalurnya relatif terhadap berkas yang menyebutnya)", "no such file '\(display)' (the path is relative to the file that names it)"))
        }
        guard !isDirectory.boolValue else {
            throw fail(via == nil ? Phrase("sebuah folder, bukan berkas skenario", "is a directory, not a scenario file") : Phrase("'\(display)' sebuah folder", "'\(display)' is a directory"))
        }
        guard let data = FileManager.default.contents(atPath: display) else {
            throw fail(via == nil ? Phrase("berkas tidak dapat dibaca", "cannot read the file") : Phrase("'\(display)' tidak dapat dibaca", "cannot read '\(display)'"))
        }
        guard var text = String(data: data, encoding: .utf8) else {
            throw fail(via == nil ? Phrase("bukan teks UTF-8", "not UTF-8 text") : Phrase("'\(display)' bukan teks UTF-8", "'\(display)' is not UTF-8 text"))
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard let root = try ScenarioNode.parse(text, file: display) else {
            throw InputError(
                Phrase(
                    "berkasnya kosong (diharapkan skenario: pemetaan dengan 'name', 'region', 'potential', 'segments', …)",
                    "the file is empty (expected a scenario: a mapping with name, region, potential, segments, …)"),
                at: SourceLocation(file: display, line: 1, column: 1))
        }
        guard var entries = root.entries else {
            // The kind only, never the text: a file that is not a scenario (extends: /etc/passwd) is not shown.
            let list = root.items != nil
            throw InputError(
                Phrase(
                    "diharapkan pemetaan kunci skenario ('name', 'region', 'segments', …) di tingkat atas, tertulis \(list ? "sebuah daftar" : "teks")",
                    "expected a mapping of scenario keys (name, region, segments, …) at the top level, got \(list ? "a list" : "text")"),
                at: root.location)
        }
        let chain = chain + [(canonical: canonicalPath(display), display: display)]
        guard let i = entries.firstIndex(where: { $0.key == "extends" }) else {
            return Loaded(tree: root, files: [display])
        }
        let extendsNode = entries.remove(at: i).value
        let child = ScenarioNode(.mapping(entries), at: root.location)
        if extendsNode.isNull { return Loaded(tree: child, files: [display]) }
        guard case .scalar(let target, _) = extendsNode.kind, !target.scenarioTrimmed.isEmpty else {
            throw InputError(
                Phrase(
                    "extends: diharapkan jalur berkas skenario yang menjadi dasar (relatif terhadap berkas ini), tertulis \(extendsNode.gotPhrase.indonesian)",
                    "extends: expected the path of a scenario file to build on (relative to this file), got \(extendsNode.got)"),
                at: extendsNode.location)
        }
        guard !target.unicodeScalars.contains("\u{0}") else {
            throw InputError(Phrase("extends: jalurnya memuat karakter NUL", "extends: the path contains a NUL character"), at: extendsNode.location)
        }
        if let hint = ScenarioPaths.tildeHint(target.scenarioTrimmed) { throw InputError(hint.prefixed("extends: "), at: extendsNode.location) }
        let parentDisplay = ScenarioPaths.join(ScenarioPaths.directory(of: display), target.scenarioTrimmed)
        let parentCanonical = canonicalPath(parentDisplay)
        if let start = chain.firstIndex(where: { $0.canonical == parentCanonical }) {
            let cycle = chain[start...].map(\.display) + [parentDisplay]
            let loop = cycle.joined(separator: " → ")
            throw InputError(Phrase("extends: berputar \(loop); skenario tidak bisa memperluas dirinya sendiri", "extends: loop \(loop); a scenario cannot extend itself"), at: extendsNode.location)
        }
        let parent = try load(display: parentDisplay, chain: chain, via: extendsNode)
        return Loaded(tree: ScenarioNode.merge(parent: parent.tree, child: child), files: [display] + parent.files)
    }

    private static func canonicalPath(_ display: String) -> String {
        let absolute = display.hasPrefix("/") ? display : FileManager.default.currentDirectoryPath + "/" + display
        return URL(fileURLWithPath: ScenarioPaths.normalize(absolute)).resolvingSymlinksInPath().path
    }
}

/// Lexical path arithmetic for paths written in scenario files (relative to the file that names them).
enum ScenarioPaths {
    /// A path starting with `~` is refused: rkat never expands it (the shell does, unquoted), and
    /// reading it as a folder named `~` beside the scenario would not be what the planner meant.
    static func tildeHint(_ path: String) -> Phrase? {
        guard path.hasPrefix("~") else { return nil }
        return Phrase(
            "'\(path)' diawali '~', yang tidak diuraikan rkat menjadi folder rumah; tulis jalurnya relatif terhadap berkas skenario atau lengkap (/home/…)",
            "'\(path)' starts with '~', which rkat does not expand to a home folder; write the path relative to the scenario file or in full (/home/…)")
    }

    /// The directory part of a path ("" for a bare file name).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// `relative` joined to `directory` unless it is absolute, then normalized ("a/./b/../c" → "a/c").
    static func join(_ directory: String, _ relative: String) -> String {
        if relative.hasPrefix("/") || directory.isEmpty { return normalize(relative) }
        return normalize(directory + "/" + relative)
    }

    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for c in path.split(separator: "/", omittingEmptySubsequences: true) {
            if c == "." { continue }
            if c == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                    continue
                }
                if absolute { continue }
            }
            parts.append(c)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}

/// `--set key=value` overrides, applied to the merged tree before it is checked.
enum ScenarioOverrides {
    enum Component {
        case key(String, column: Int)
        case index(Int, column: Int)
    }

    static func apply(_ overrides: [String], to root: ScenarioNode) throws(InputError) -> ScenarioNode {
        var tree = root
        for (i, text) in overrides.enumerated() {
            tree = try apply(text, line: i + 1, to: tree)
        }
        return tree
    }

    /// Applies one `key=value` override, its problems located as `--set:LINE:COL`.
    static func apply(_ text: String, line: Int, to root: ScenarioNode) throws(InputError) -> ScenarioNode {
        let (path, value) = try parse(text, line: line)
        return try set(root, path[...], to: value, line: line, prefix: "")
    }

    /// The most components (`a`, `[0]`) a `--set` key may have: the tree is walked recursively.
    static let maxComponents = 64

    static func location(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: "--set", line: line, column: column)
    }

    /// Splits `a.b[1].c=VALUE`. The value is YAML when it starts with `[`, `{`, `"` or `'`, otherwise the
    /// text as it stands (so `#` and `: ` need no quoting); an empty value is null.
    static func parse(_ text: String, line: Int) throws(InputError) -> ([Component], ScenarioNode) {
        let s = Array(text.unicodeScalars)
        guard let eq = s.firstIndex(of: "=") else {
            throw InputError(
                Phrase("diharapkan KUNCI=NILAI (seperti levers.outreach.intensity=1.3), tertulis '\(text)'", "expected KEY=VALUE (like levers.outreach.intensity=1.3), got '\(text)'"),
                at: location(line, 1))
        }
        guard eq > 0 else {
            throw InputError(Phrase("kunci sebelum '=' tidak ada (seperti levers.outreach.intensity=1.3)", "missing the key before '=' (like levers.outreach.intensity=1.3)"), at: location(line, 1))
        }
        var components: [Component] = []
        var i = 0
        while i < eq {
            let start = i
            var name = ""
            while i < eq && s[i] != "." && s[i] != "[" {
                name.unicodeScalars.append(s[i])
                i += 1
            }
            let trimmed = name.scenarioTrimmed
            guard !trimmed.isEmpty, trimmed == name else {
                throw InputError(trimmed.isEmpty ? "empty key name in '\(String(String.UnicodeScalarView(s[..<eq])))'" : "a key name cannot start or end with a space: '\(name)'",
                    at: location(line, start + 1))
            }
            components.append(.key(name, column: start + 1))
            guard components.count <= maxComponents else {
                throw InputError(Phrase("kuncinya lebih dari \(maxComponents) bagian (kunci skenario hanya beberapa bagian)", "the key has more than \(maxComponents) parts (a scenario's keys have a few)"), at: location(line, start + 1))
            }
            while i < eq && s[i] == "[" {
                let open = i
                i += 1
                var digits = ""
                while i < eq && s[i] != "]" {
                    digits.unicodeScalars.append(s[i])
                    i += 1
                }
                guard i < eq, let n = Int(digits), n >= 0 else {
                    throw InputError(Phrase("diharapkan indeks daftar seperti [0] (dihitung dari 0)", "expected a list index like [0] (counting from 0)"), at: location(line, open + 1))
                }
                i += 1
                components.append(.index(n, column: open + 1))
                guard components.count <= maxComponents else {
                    throw InputError(Phrase("kuncinya lebih dari \(maxComponents) bagian (kunci skenario hanya beberapa bagian)", "the key has more than \(maxComponents) parts (a scenario's keys have a few)"), at: location(line, open + 1))
                }
            }
            if i < eq {
                guard s[i] == "." else {
                    throw InputError(Phrase("diharapkan '.' atau '=' setelah ']'", "expected '.' or '=' after ']'"), at: location(line, i + 1))
                }
                i += 1
                if i == eq { throw InputError(Phrase("nama kunci kosong sebelum '='", "empty key name before '='"), at: location(line, i + 1)) }
            }
        }
        var v = eq + 1
        while v < s.count && (s[v] == " " || s[v] == "\t") { v += 1 }
        let rawValue = String(String.UnicodeScalarView(s[v...])).scenarioTrimmed
        let valueLocation = location(line, v + 1)
        let value: ScenarioNode
        if let first = rawValue.unicodeScalars.first, "[{\"'".unicodeScalars.contains(first) {
            value = try ScenarioNode.parse(rawValue, file: "--set", line: line, columnOffset: v)
                ?? ScenarioNode(.scalar("", plain: true), at: valueLocation)
        } else {
            value = ScenarioNode(.scalar(rawValue, plain: true), at: valueLocation)
        }
        return (components, value)
    }

    private static func set(
        _ node: ScenarioNode, _ path: ArraySlice<Component>, to value: ScenarioNode, line: Int, prefix: String
    ) throws(InputError) -> ScenarioNode {
        guard let first = path.first else { return value }
        let rest = path.dropFirst()
        switch first {
        case .key(let key, let column):
            if prefix.isEmpty && key == "extends" {
                throw InputError(
                    Phrase("'extends' tidak bisa diubah dengan --set (ia diterapkan sebelum penggantian)", "'extends' cannot be changed with --set (it is applied before the overrides)"),
                    at: location(line, column))
            }
            let here = prefix.isEmpty ? key : "\(prefix).\(key)"
            var entries: [ScenarioNode.Entry]
            var mapping = node
            if node.isNull {
                entries = []
                mapping = ScenarioNode(.mapping([]), at: node.location)
            } else if let e = node.entries {
                entries = e
            } else {
                throw InputError(
                    "cannot set '\(key)' in \(prefix.isEmpty ? "the scenario" : prefix): it is \(node.got), not a mapping",
                    at: location(line, column))
            }
            if let i = entries.firstIndex(where: { $0.key == key }) {
                entries[i].value = try set(entries[i].value, rest, to: value, line: line, prefix: here)
            } else {
                let placeholder = ScenarioNode(.scalar("", plain: true), at: location(line, column))
                entries.append(
                    ScenarioNode.Entry(
                        key: key, keyLocation: location(line, column),
                        value: try set(placeholder, rest, to: value, line: line, prefix: here)))
            }
            mapping.kind = .mapping(entries)
            return mapping
        case .index(let index, let column):
            guard var items = node.items else {
                let null = node.isNull, got = node.gotPhrase
                throw InputError(
                    Phrase { l in
                        let what = null ? l.t("tidak ada daftar di sana", "there is no list there") : l.t("isinya \(got.indonesian), bukan daftar", "it is \(got.english), not a list")
                        return l.t("tidak bisa mengisi [\(index)] di \(prefix): \(what)", "cannot set [\(index)] in \(prefix): \(what)")
                    }, at: location(line, column))
            }
            guard index < items.count else {
                throw InputError(
                    "cannot set [\(index)] in \(prefix): it has \(items.count) \(items.count == 1 ? "entry" : "entries")"
                        + (items.isEmpty ? "" : " (indices 0 to \(items.count - 1))"),
                    at: location(line, column))
            }
            items[index] = try set(items[index], rest, to: value, line: line, prefix: "\(prefix)[\(index)]")
            var list = node
            list.kind = .sequence(items)
            return list
        }
    }
}
