import Foundation
import PlanIO

/// "Save as scenario": a child file beside the scenario that `extends:` it with the page's changed
/// values and the name and description the planner typed. The only write of `rkat serve`: into the
/// scenario's own folder, under a sanitised file name, never over an existing file.
public enum ScenarioSaver {
    public struct Exists: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "\(path): a file of that name exists; choose another name (rkat serve never overwrites)" }
    }

    public struct Saved: Sendable {
        /// The file name (`sumbagut-2018-pemda.yaml`) and its path.
        public var file: String
        public var path: String
    }

    /// The file name for a typed name or file name: lowercase letters, digits and single hyphens,
    /// at most 60 characters, `.yaml`. A name that tries to be a path (`/`, `\`, `..`, a leading
    /// dot) is refused, not rewritten.
    static func fileName(name: String, file: String) throws(InputError) -> String {
        let typed = file.trimmingCharacters(in: .whitespaces)
        if !typed.isEmpty {
            guard !typed.contains("/"), !typed.contains("\\"), !typed.contains(".."), !typed.hasPrefix("."), !typed.contains("\0") else {
                throw InputError("file: '\(typed)' is a path; a saved scenario goes beside the original, give a plain name")
            }
        }
        var source = typed.isEmpty ? name : typed
        if source.lowercased().hasSuffix(".yaml") { source = String(source.dropLast(5)) } else if source.lowercased().hasSuffix(".yml") { source = String(source.dropLast(4)) }
        var slug = ""
        for u in source.lowercased().unicodeScalars {
            if ("a"..."z").contains(u) || ("0"..."9").contains(u) { slug.unicodeScalars.append(u) } else if !slug.hasSuffix("-") && !slug.isEmpty { slug += "-" }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        slug = String(slug.prefix(60))
        while slug.hasSuffix("-") { slug.removeLast() }
        guard !slug.isEmpty else { throw InputError("name: give a name with letters or digits (it names the file)") }
        return slug + ".yaml"
    }

    /// Writes the child and reads it back with the scenario reader (a file that does not read is
    /// removed and its error returned).
    static func save(scenarioPath: String, overrides: [String], name: String, description: String, file: String = "") throws -> Saved {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw InputError("name: the saved scenario needs a name") }
        guard name.count <= 200, description.count <= 4000 else { throw InputError("name or description too long (200 / 4000 characters)") }
        let fileName = try Self.fileName(name: name, file: file)
        // The values as the reader resolves them (so a list lever's other items come along).
        let doc = try ScenarioReader.read(path: scenarioPath, overrides: overrides)
        let text = try yaml(parent: URL(fileURLWithPath: scenarioPath).lastPathComponent, overrides: overrides, resolvedJSON: doc.resolvedJSON, name: name, description: description)
        let dir = URL(fileURLWithPath: scenarioPath).deletingLastPathComponent()
        let path = dir.appendingPathComponent(fileName).path
        // Belt and braces: the file lies directly in the scenario's folder.
        guard URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path == dir.standardizedFileURL.path else {
            throw InputError("file: refused, outside the scenario's folder")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == EEXIST { throw Exists(path: path) }
            throw InputError("cannot create the file: \(String(cString: strerror(errno)))", file: path)
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == bytes.count else {
            unlink(path)
            throw InputError("cannot write the file", file: path)
        }
        do {
            _ = try ScenarioReader.read(path: path)
        } catch {
            unlink(path)
            throw error
        }
        return Saved(file: fileName, path: path)
    }

    /// The child's YAML: name, description, `extends`, then each changed key as a nested mapping.
    /// A key into a list (`levers.honorary.ramp[1].share`) writes the whole list, as a child's list
    /// replaces its parent's. Values are written as the reader resolved them (JSON, which YAML reads).
    static func yaml(parent: String, overrides: [String], resolvedJSON: String, name: String, description: String) throws(InputError) -> String {
        guard let tree = try? JSONSerialization.jsonObject(with: Data(resolvedJSON.utf8)) else { throw InputError("cannot read the resolved scenario") }
        // Keys (dotted, up to any list index), first-come order, no repeats.
        var keys: [String] = []
        for o in overrides {
            let key = String(o.prefix { $0 != "=" })
            let head = String(key.prefix { $0 != "[" })
            if !keys.contains(head) { keys.append(head) }
        }
        var lines = [
            "# Saved by rkat serve: \(parent) with the values changed on the what-if page.",
            "name: \(quoted(name))",
        ]
        if !description.isEmpty { lines.append("description: \(quoted(description))") }
        lines.append("extends: \(quoted(parent))")
        // A tree of path components (in first-come order), leaves the resolved values.
        final class Node {
            var children: [(String, Node)] = []
            var value: String?
            func child(_ k: String) -> Node {
                if let c = children.first(where: { $0.0 == k }) { return c.1 }
                let n = Node()
                children.append((k, n))
                return n
            }
        }
        let root = Node()
        for key in keys {
            let parts = key.split(separator: ".").map(String.init)
            var node: Any? = tree
            for p in parts { node = (node as? [String: Any])?[p] }
            guard let value = node else { throw InputError("\(key): not in the resolved scenario") }
            var n = root
            for p in parts { n = n.child(p) }
            n.value = json(value)
        }
        func emit(_ n: Node, depth: Int) {
            for (k, c) in n.children {
                let pad = String(repeating: "  ", count: depth)
                if let v = c.value { lines.append(pad + "\(key(k)): \(v)") } else {
                    lines.append(pad + "\(key(k)):")
                    emit(c, depth: depth + 1)
                }
            }
        }
        emit(root, depth: 0)
        return lines.joined(separator: "\n") + "\n"

        func key(_ k: String) -> String { k.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" } && k.first?.isLetter == true ? k : quoted(k) }
    }

    /// A value as JSON flow text (strings quoted and escaped for YAML).
    static func json(_ v: Any) -> String {
        switch v {
        case let s as String: return quoted(s)
        case let n as NSNumber: return n.stringValue
        case let a as [Any]: return "[" + a.map(json).joined(separator: ", ") + "]"
        case let d as [String: Any]: return "{" + d.keys.sorted().map { "\(quoted($0)): \(json(d[$0]!))" }.joined(separator: ", ") + "}"
        default: return "null"
        }
    }

    /// A YAML double-quoted string: every character YAML does not print written as an escape.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case _ where u.value < 0x20 || (0x7F...0x9F).contains(u.value) || u.value == 0x2028 || u.value == 0x2029 || u.value == 0xFEFF:
                out += String(format: "\\u%04X", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
