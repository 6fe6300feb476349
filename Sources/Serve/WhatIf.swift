import Foundation
import PlanIO
import Planning

/// A request as the what-if core sees it (the HTTP layer fills it in).
public struct Incoming: Sendable {
    public var method: String
    /// The path without the query, e.g. `/api/run`.
    public var path: String
    var query: [String: String]
    /// The Host header (HTTP/1.1) or :authority.
    public var host: String?
    public var origin: String?
    /// `X-RKAT-Token`, or the `token` query parameter.
    public var token: String?
    var body: Data
    /// The order in which run requests arrived: a newer one supersedes an older one still waiting.
    var generation: Int?

    public init(method: String, path: String, query: [String: String] = [:], host: String?, origin: String? = nil, token: String? = nil, body: Data = Data(), generation: Int? = nil) {
        self.method = method
        self.path = path
        self.query = query
        self.host = host
        self.origin = origin
        // The address's token only loads the page; requests carry it in X-RKAT-Token.
        self.token = token ?? (method == "GET" && path == "/" ? query["token"] : nil)
        self.body = body
        self.generation = generation
    }
}

/// A response of the what-if core.
public struct Outgoing: Sendable {
    public var status: Int
    var contentType: String
    var body: Data
    var headers: [(String, String)] = []

    static func json(_ status: Int, _ text: String) -> Outgoing {
        Outgoing(status: status, contentType: "application/json; charset=utf-8", body: Data(text.utf8))
    }

    static func text(_ status: Int, _ text: String) -> Outgoing {
        Outgoing(status: status, contentType: "text/plain; charset=utf-8", body: Data((text + "\n").utf8))
    }

    /// `{"ok": false, "error": message}`: a message the page shows as it is.
    static func error(_ status: Int, _ message: String) -> Outgoing {
        json(status, "{\"ok\": false, \"error\": \(JSONText.string(message))}\n")
    }
}

/// The what-if server without HTTP: the gate, the routes and the run. Every figure comes from
/// `RunJob.compute`, the function `rkat run` writes its files from, with the page's values as
/// `--set` overrides, so a value is checked by the scenario reader and a bad one gets its one-line
/// located message.
public final class WhatIf: Sendable {
    /// The largest request body served (the page sends a few hundred bytes).
    static let bodyLimit = 64 * 1024
    /// The Monte Carlo draws of an interactive change (the scenario's own when it asks for fewer).
    static let interactiveDrawsCap = 200

    public let scenarioPath: String
    let gate: Gate
    public let threads: Int
    /// The scenario as read at launch: the controls and their starting values.
    let baseline: Scenario
    let generations = Generations()
    let filed = FiledRuns()

    /// Reads and checks the scenario (InputError as `rkat validate` gives it).
    public init(scenarioPath: String, gate: Gate, threads: Int = ProcessInfo.processInfo.activeProcessorCount) throws(InputError) {
        self.scenarioPath = scenarioPath
        self.gate = gate
        self.threads = max(1, threads)
        baseline = try RunJob.check(scenarioPath: scenarioPath, threads: 1).document.scenario
    }

    var fullDraws: Int { baseline.uncertainty.draws }
    var interactiveDraws: Int { min(fullDraws, Self.interactiveDrawsCap) }

    func controls(_ w: Words) -> [Control] { Controls.of(baseline, words: w) }

    /// A number for each run request as it arrives.
    func nextGeneration() -> Int { generations.next() }

    func handle(_ r: Incoming) -> Outgoing {
        if let why = gate.refusal(host: r.host, origin: r.origin, token: r.token) { return .text(403, why) }
        guard r.body.count <= Self.bodyLimit else { return .text(413, "refused: the request body is larger than \(Self.bodyLimit) bytes") }
        switch (r.method, r.path) {
        case ("GET", "/"):
            let w = Words(indonesian: r.query["lang"] != "en")
            return Outgoing(status: 200, contentType: "text/html; charset=utf-8", body: Data(Page.html(self, words: w).utf8))
        case ("POST", "/api/run"): return run(r)
        case ("POST", "/api/save"): return save(r)
        case ("POST", "/api/solve"): return solve(r)
        case ("POST", "/api/download/targets.xlsx"), ("POST", "/api/download/report.html"): return download(r)
        case (_, "/"), (_, "/api/run"), (_, "/api/save"), (_, "/api/solve"), (_, "/api/download/targets.xlsx"), (_, "/api/download/report.html"):
            return .text(405, "method not allowed")
        default: return .text(404, "not found")
        }
    }

    // MARK: Requests

    /// The page's request: the values it changed (control key → text as typed), the language, and
    /// whether it is the full run.
    struct Asked {
        var values: [String: String] = [:]
        var words = Words(indonesian: true)
        var full = false
        var name = ""
        var description = ""
        var file = ""
    }

    func asked(_ body: Data) throws(InputError) -> Asked {
        guard let object = try? JSONSerialization.jsonObject(with: body), let dict = object as? [String: Any] else {
            throw InputError("the request is not a JSON object")
        }
        var a = Asked()
        if let v = dict["values"] {
            guard let values = v as? [String: Any] else { throw InputError("values: expected an object of control → value") }
            for (k, v) in values {
                switch v {
                case let s as String: a.values[k] = s
                case let n as NSNumber: a.values[k] = n.stringValue
                default: throw InputError("\(k): expected a number or text")
                }
            }
        }
        a.words = Words(indonesian: (dict["lang"] as? String) != "en")
        a.full = (dict["full"] as? Bool) ?? false
        a.name = (dict["name"] as? String) ?? ""
        a.description = (dict["description"] as? String) ?? ""
        a.file = (dict["file"] as? String) ?? ""
        return a
    }

    /// The `--set` overrides of the page's values, in the controls' order. Only the controls' keys
    /// are accepted; a value is one line of at most 64 characters, checked by the scenario reader.
    /// A number typed the page's way, in Indonesian a decimal comma and dots between thousands, is
    /// given to the reader in its own notation (1,3 → 1.3; 86.500 → 86500; 12,5% → 12.5%); anything
    /// else goes as typed, for the reader to check.
    public func overrides(_ values: [String: String], indonesian: Bool = true) throws(InputError) -> [String] {
        let keys = controls(Words(indonesian: false)).map(\.key)
        for k in values.keys where !keys.contains(k) { throw InputError("\(k): not a control of this page") }
        var out: [String] = []
        for k in keys {
            guard let raw = values[k] else { continue }
            let v = PageNumber.canonical(raw.trimmingCharacters(in: .whitespaces), indonesian: indonesian)
            guard v.count <= 64, !v.contains(where: \.isNewline) else { throw InputError("\(k): a value is one line of at most 64 characters") }
            out.append("\(k)=\(v)")
        }
        // Elasticity alone on a scenario without outreach: intensity as in history, which the reader requires.
        if baseline.levers.outreach == nil, out.contains(where: { $0.hasPrefix("levers.outreach.") }),
            !out.contains(where: { $0.hasPrefix("levers.outreach.intensity=") }) {
            out.insert("levers.outreach.intensity=1", at: 0)
        }
        return out
    }

    /// The scenario as filed (no values changed) with the same draws, once for each of the two draw
    /// counts: what the table's difference column measures against.
    func asFiled(full: Bool, language w: Words) throws(InputError) -> RunJob.Computed {
        if let c = filed.get(full) { return c }
        let c = try compute([], full: full, language: w)
        filed.set(full, c)
        return c
    }

    /// The figures for these overrides: full draws (the scenario's, as `rkat run`) or interactive ones.
    func compute(_ overrides: [String], full: Bool, fullOutputs: Bool = false, language w: Words = Words(indonesian: true)) throws(InputError) -> RunJob.Computed {
        let settings = RunJob.Settings(draws: full ? nil : interactiveDraws, seed: nil, threads: threads, indonesian: w.indonesian)
        return try RunJob.compute(scenarioPath: scenarioPath, overrides: overrides, settings: settings, fullOutputs: fullOutputs)
    }

    func run(_ r: Incoming) -> Outgoing {
        if let g = r.generation, !generations.isLatest(g) { return .json(200, "{\"ok\": false, \"superseded\": true}\n") }
        let started = Date()
        var indonesian = true  // the page's language once the request says it
        do {
            let a = try asked(r.body)
            indonesian = a.words.indonesian
            let o = try overrides(a.values, indonesian: a.words.indonesian)
            let c = try compute(o, full: a.full, language: a.words)
            let w = a.words
            let draws = c.monteCarlo?.options.draws ?? 0
            let note = a.full || draws == fullDraws ? w.fullDraws(draws) : w.interactiveDraws(draws, full: fullDraws)
            let q = JSONText.string
            var s = "{\"ok\": true, \"full\": \(a.full || draws == fullDraws), \"draws\": \(draws), \"full_draws\": \(fullDraws),"
            s += " \"elapsed_ms\": \(Whole.clamped(Date().timeIntervalSince(started) * 1000)),"
            s += " \"overrides\": [\(o.map(q).joined(separator: ", "))], \"note\": \(q(note)),"
            s += " \"warnings\": [\(c.checked.warnings.map { q($0.text(indonesian: w.indonesian)) }.joined(separator: ", "))],"
            let filed = try? asFiled(full: a.full || draws == fullDraws, language: w)
            s += " \"charts\": \(q(ReportParts.charts(c, words: w))), \"table\": \(q(ReportParts.targetTable(c, words: w, asFiled: filed?.view))),"
            s += " \"targets\": \(try RunJob.targetsJSON(c).trimmingCharacters(in: .whitespacesAndNewlines))}\n"
            return .json(200, s)
        } catch {
            return .error(422, (error as? InputError)?.line(indonesian: indonesian) ?? error.description)
        }
    }

    /// "Apa yang dibutuhkan?": the ajuan table at the page's values for one lever control, searched
    /// from its value on the page to its slider's end, on the interactive draws.
    func solve(_ r: Incoming) -> Outgoing {
        var indonesian = true
        do {
            let a = try asked(r.body)
            indonesian = a.words.indonesian
            let dict = (try? JSONSerialization.jsonObject(with: r.body)) as? [String: Any] ?? [:]
            let key = dict["lever"] as? String ?? ""
            guard key.hasPrefix("levers."), let control = controls(Words(indonesian: false)).first(where: { $0.key == key }) else {
                throw InputError("lever: not a lever control of this page: '\(key)'")
            }
            let o = try overrides(a.values, indonesian: a.words.indonesian)
            let p = try (dict["probability"] as? String).map { (t: String) throws(InputError) in
                try SolveJob.parseProbability(PageNumber.canonical(t.trimmingCharacters(in: .whitespaces), indonesian: a.words.indonesian))
            }
            // From the page's value (the scenario's when unchanged) to the slider's end.
            let typed = a.values[key].map { PageNumber.canonical($0.trimmingCharacters(in: .whitespaces), indonesian: a.words.indonesian) }
            let start = typed.flatMap { $0.hasSuffix("%") ? Double($0.dropLast()).map { $0 / 100 } : Double($0) } ?? control.value
            let whole = control.scale == .whole
            let lower = min(max(whole ? start.rounded(.down) : start, control.min), control.max)
            guard control.max > lower else {
                throw InputError(Phrase("\(key): nilainya sudah di ujung geser (\(Page.text(control.max, scale: control.scale)))", "\(key): its value is at the slider's end already (\(Page.text(control.max, scale: control.scale)))"))
            }
            let settings = RunJob.Settings(draws: interactiveDraws, seed: nil, threads: threads, indonesian: a.words.indonesian)
            let started = Date()
            let result = try SolveJob.solve(
                scenarioPath: scenarioPath, overrides: o, targets: [], levers: [SolveJob.LeverSpec(key: key, range: lower...control.max, text: key)],
                probability: p, settings: settings, ajuan: true)
            let w = a.words
            let ms = Whole.clamped(Date().timeIntervalSince(started) * 1000)
            let draws = result.draws == fullDraws ? w.t("\(result.draws) simulasi", "\(result.draws) draws") : w.t("\(result.draws) simulasi (bukan \(fullDraws)): kasar", "\(result.draws) draws (not \(fullDraws)): rough")
            let note = w.t("\(result.runs) run, \(ms) ms, \(draws)", "\(result.runs) runs, \(ms) ms, \(draws)")
            let q = JSONText.string
            return .json(200, "{\"ok\": true, \"runs\": \(result.runs), \"note\": \(q(note)), \"table\": \(q(SolveWriters.htmlSection(result, words: w, heading: false)))}\n")
        } catch {
            return .error(422, (error as? InputError)?.line(indonesian: indonesian) ?? "\(error)")
        }
    }

    func download(_ r: Incoming) -> Outgoing {
        do {
            let a = try asked(r.body)
            let c = try compute(try overrides(a.values, indonesian: a.words.indonesian), full: true, fullOutputs: true, language: a.words)
            if r.path.hasSuffix(".xlsx") {
                let data = try RunJob.targetsWorkbook(c, words: a.words)
                return Outgoing(
                    status: 200, contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body: data,
                    headers: [("Content-Disposition", "attachment; filename=\"targets.xlsx\"")])
            }
            return Outgoing(
                status: 200, contentType: "text/html; charset=utf-8", body: Data(RunJob.reportHTML(c, words: a.words).utf8),
                headers: [("Content-Disposition", "attachment; filename=\"report.html\"")])
        } catch let e as InputError {
            return .error(422, e.description)
        } catch {
            return .error(500, "\(error)")
        }
    }

    func save(_ r: Incoming) -> Outgoing {
        do {
            let a = try asked(r.body)
            let o = try overrides(a.values, indonesian: a.words.indonesian)
            let saved = try ScenarioSaver.save(scenarioPath: scenarioPath, overrides: o, name: a.name, description: a.description, file: a.file)
            return .json(200, "{\"ok\": true, \"file\": \(JSONText.string(saved.file)), \"path\": \(JSONText.string(saved.path)), \"message\": \(JSONText.string(a.words.saved(saved.file)))}\n")
        } catch let e as ScenarioSaver.Exists {
            return .error(409, e.description)
        } catch {
            return .error(422, "\(error)")
        }
    }
}

/// The scenario as filed, computed once for each draw count.
final class FiledRuns: @unchecked Sendable {
    private let lock = NSLock()
    private var runs: [Bool: RunJob.Computed] = [:]

    func get(_ full: Bool) -> RunJob.Computed? {
        lock.lock()
        defer { lock.unlock() }
        return runs[full]
    }

    func set(_ full: Bool, _ c: RunJob.Computed) {
        lock.lock()
        defer { lock.unlock() }
        runs[full] = c
    }
}

/// A number as a planner types it on the page, in the reader's notation.
enum PageNumber {
    /// Indonesian: 1,3 and 1.300,5 and 86.500 (dots between thousands, a decimal comma); English:
    /// 1,300.5 (commas between thousands). A trailing % is kept. Other text is returned as typed.
    static func canonical(_ typed: String, indonesian: Bool) -> String {
        let percent = typed.hasSuffix("%")
        let body = percent ? String(typed.dropLast()) : typed
        let grouped = indonesian ? #/-?\d{1,3}(\.\d{3})+(,\d+)?/# : #/-?\d{1,3}(,\d{3})+(\.\d+)?/#
        let decimalComma = #/-?\d+,\d+/#
        var out: String
        if (try? grouped.wholeMatch(in: body)) != nil {
            out = indonesian ? body.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".") : body.replacingOccurrences(of: ",", with: "")
        } else if indonesian, (try? decimalComma.wholeMatch(in: body)) != nil {
            out = body.replacingOccurrences(of: ",", with: ".")
        } else {
            return typed
        }
        if percent { out += "%" }
        return out
    }
}

/// Numbers run requests in arrival order.
final class Generations: @unchecked Sendable {
    private let lock = NSLock()
    private var latest = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        latest += 1
        return latest
    }

    func isLatest(_ g: Int) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return g == latest
    }
}
