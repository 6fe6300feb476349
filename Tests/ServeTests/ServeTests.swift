import Foundation
@testable import PlanIO
import Planning
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@testable import Serve

/// `rkat serve` without sockets: the gate, the body limit, the figures, and "save as scenario".
@Suite(.serialized) struct ServeTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let token = String(repeating: "ab", count: 32)
    static let port = 8123

    /// A scratch copy of the Sumbagut example (scenarios/ and data/ side by side), so a save writes there.
    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rkat-serve-\(UUID().uuidString)")
        for sub in ["scenarios", "data"] { try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        for f in ["scenarios/sumbagut-2018.yaml", "scenarios/sumbagut-2018-honorary90.yaml", "data/sumbagut-2018-history.csv"] {
            try FileManager.default.copyItem(at: root.appendingPathComponent(f), to: dir.appendingPathComponent(f))
        }
        return dir
    }

    static func app(_ dir: URL, scenario: String = "sumbagut-2018.yaml") throws -> WhatIf {
        try WhatIf(scenarioPath: dir.appendingPathComponent("scenarios/\(scenario)").path, gate: Gate(token: token, boundHost: "127.0.0.1", port: port), threads: 2)
    }

    static func post(_ path: String, _ json: String, host: String? = "127.0.0.1:\(port)", origin: String? = nil, token: String? = ServeTests.token) -> Incoming {
        Incoming(method: "POST", path: path, host: host, origin: origin, token: token, body: Data(json.utf8))
    }

    static func object(_ o: Outgoing) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: o.body) as? [String: Any])
    }

    @Test func refusesWithoutTokenOrFromAnotherHostOrOrigin() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try Self.app(dir)
        let get = { (host: String?, origin: String?, token: String?) in
            app.handle(Incoming(method: "GET", path: "/", query: token.map { ["token": $0] } ?? [:], host: host, origin: origin))
        }
        #expect(get("127.0.0.1:8123", nil, Self.token).status == 200)
        #expect(get("localhost:8123", "http://localhost:8123", Self.token).status == 200)
        // No token, a wrong one, one character short.
        #expect(get("127.0.0.1:8123", nil, nil).status == 403)
        #expect(get("127.0.0.1:8123", nil, String(repeating: "ab", count: 31) + "ac").status == 403)
        // Wrong in the first character, or one in the middle: every byte is compared, not the last.
        #expect(get("127.0.0.1:8123", nil, "bb" + String(repeating: "ab", count: 31)).status == 403)
        #expect(get("127.0.0.1:8123", nil, String(repeating: "ab", count: 16) + "bb" + String(repeating: "ab", count: 15)).status == 403)
        #expect(get("127.0.0.1:8123", nil, String(Self.token.dropLast())).status == 403)
        // DNS rebinding: another name for 127.0.0.1, or another port; a missing Host.
        #expect(get("evil.example:8123", nil, Self.token).status == 403)
        #expect(get("127.0.0.1:9999", nil, Self.token).status == 403)
        #expect(get("127.0.0.1", nil, Self.token).status == 403)
        #expect(get(nil, nil, Self.token).status == 403)
        // A foreign origin, even with the token; "null" (a sandboxed frame or a file).
        #expect(get("127.0.0.1:8123", "http://evil.example", Self.token).status == 403)
        #expect(get("127.0.0.1:8123", "http://127.0.0.1:9999", Self.token).status == 403)
        #expect(get("127.0.0.1:8123", "null", Self.token).status == 403)
        #expect(get("127.0.0.1:8123", "https://127.0.0.1:8123", Self.token).status == 403)
        // The API the same way.
        #expect(app.handle(Self.post("/api/run", "{}", token: nil)).status == 403)
        #expect(app.handle(Self.post("/api/save", "{\"name\": \"x\"}", origin: "http://evil.example")).status == 403)
        #expect(app.handle(Self.post("/api/run", "{}", host: "attacker.test:8123")).status == 403)
        // A refused request reaches nothing: no file was written.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("scenarios").path).count == 2)
    }

    @Test func bodyLimitAndUnknownRoutes() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try Self.app(dir)
        let big = "{\"values\": {}, \"pad\": \"" + String(repeating: "x", count: WhatIf.bodyLimit) + "\"}"
        #expect(app.handle(Self.post("/api/run", big)).status == 413)
        #expect(app.handle(Self.post("/api/run", "not json")).status == 422)
        #expect(app.handle(Self.post("/etc/passwd", "{}")).status == 404)
        #expect(app.handle(Incoming(method: "GET", path: "/api/run", host: "127.0.0.1:8123", token: Self.token)).status == 405)
        // Only the page's controls can be set: not the history path, not extends.
        for key in ["history", "extends", "segments.PU.model", "levers.outreach.intensity.x"] {
            let r = app.handle(Self.post("/api/run", "{\"values\": {\"\(key)\": \"/etc/passwd\"}}"))
            #expect(r.status == 422)
            #expect(String(decoding: r.body, as: UTF8.self).contains("not a control of this page"))
        }
    }

    /// The limit is the largest body served: exactly `bodyLimit` bytes is read (here JSON naming a key
    /// that is not a control: 422 with the reader's reason, so the body was parsed), one byte more is 413.
    @Test func aBodyOfExactlyTheLimitIsRead() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try Self.app(dir)
        let head = "{\"values\": {\"history\": \"x\"}, \"pad\": \"", tail = "\"}"
        func body(_ bytes: Int) -> String { head + String(repeating: "x", count: bytes - head.utf8.count - tail.utf8.count) + tail }
        #expect(body(WhatIf.bodyLimit).utf8.count == 65_536)
        let atLimit = app.handle(Self.post("/api/run", body(WhatIf.bodyLimit)))
        #expect(atLimit.status == 422)
        #expect(String(decoding: atLimit.body, as: UTF8.self).contains("not a control of this page"))
        #expect(app.handle(Self.post("/api/run", body(WhatIf.bodyLimit + 1))).status == 413)
    }

    /// The page's figures are `rkat run`'s: the run's targets.json for the same `--set`, byte for byte.
    @Test func figuresEqualTheRunOfTheSameOverrides() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try Self.app(dir)
        let r = app.handle(Self.post("/api/run", "{\"values\": {\"levers.outreach.intensity\": \"1.3\", \"targets.confidence\": \"60%\"}, \"full\": true}"))
        #expect(r.status == 200)
        let j = try Self.object(r)
        #expect(j["draws"] as? Int == 2000)
        #expect(j["overrides"] as? [String] == ["levers.outreach.intensity=1.3", "targets.confidence=60%"])
        let out = dir.appendingPathComponent("out").path
        _ = try RunJob.run(
            scenarioPath: app.scenarioPath, outputDirectory: out, overrides: ["levers.outreach.intensity=1.3", "targets.confidence=60%"],
            settings: RunJob.Settings(threads: 1))
        let file = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/targets.json"))) as! NSDictionary
        #expect((j["targets"] as! NSDictionary) == file)
        // The interactive run uses fewer draws and says so.
        let quick = try Self.object(app.handle(Self.post("/api/run", "{\"values\": {\"levers.outreach.intensity\": \"1.3\"}}")))
        #expect(quick["draws"] as? Int == WhatIf.interactiveDrawsCap)
        #expect((quick["note"] as? String)?.contains("\(WhatIf.interactiveDrawsCap)") == true)
        #expect((quick["charts"] as? String)?.contains("<svg") == true)
        #expect((quick["table"] as? String)?.contains("P(tercapai)") == true)
    }

    /// A planner types numbers the Indonesian way on the Indonesian page: a decimal comma, dots
    /// between thousands (86.500 is eighty-six thousand five hundred, never 86.5); the English page
    /// takes commas between thousands. Anything else goes to the reader as typed.
    @Test func numbersAreReadAsThePagesLanguageWritesThem() {
        let id = [("1,3", "1.3"), ("12,5%", "12.5%"), ("86.500", "86500"), ("1.300,5", "1300.5"), ("-0,25", "-0.25"), ("1.3", "1.3"),
                  ("1.30", "1.30"), ("1.5000", "1.5000"), ("abc", "abc"), ("1,3,4", "1,3,4"), ("", "")]
        for (typed, read) in id { #expect(PageNumber.canonical(typed, indonesian: true) == read, "\(typed)") }
        let en = [("1,300.5", "1300.5"), ("86,500", "86500"), ("1.3", "1.3"), ("1,3", "1,3"), ("60%", "60%")]
        for (typed, read) in en { #expect(PageNumber.canonical(typed, indonesian: false) == read, "\(typed)") }
    }

    /// On the page: 1,3 is the run of levers.outreach.intensity=1.3, and the table's last column is
    /// each target's difference from the scenario as filed (same draws): +0 with nothing changed.
    @Test func aDecimalCommaRunsAndTheTableShowsTheDifferenceFromTheScenario() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try Self.app(dir)
        let j = try Self.object(app.handle(Self.post("/api/run", "{\"values\": {\"levers.outreach.intensity\": \"1,3\"}}")))
        #expect(j["overrides"] as? [String] == ["levers.outreach.intensity=1.3"])
        let table = try #require(j["table"] as? String)
        #expect(table.contains("<th>Selisih dari skenario</th>"))
        let unchanged = try #require(try Self.object(app.handle(Self.post("/api/run", "{\"values\": {}}")))["table"] as? String)
        let rows = unchanged.components(separatedBy: "<tr>").dropFirst(2)
        // (iuran in the table's Rp unit, one decimal: +0,0)
        #expect(!rows.isEmpty && rows.allSatisfy { $0.contains("<td class=\"n\">+0</td></tr>") || $0.contains("<td class=\"n\">+0,0</td></tr>") })
        // With more outreach the PU acquisitions target rises above the scenario's: a positive difference.
        let pu = try #require(table.components(separatedBy: "<tr>").first { $0.contains("<td>PU</td><td>Akuisisi</td><td>proyeksi</td>") })
        #expect(pu.hasSuffix("</td></tr>\n") && pu.contains("<td class=\"n\">+") && !pu.contains("<td class=\"n\">+0</td></tr>"))
    }

    @Test func aBadValueGetsTheReadersLocatedMessage() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try Self.app(dir)
        let r = app.handle(Self.post("/api/run", "{\"values\": {\"levers.outreach.intensity\": \"-1\"}}"))
        #expect(r.status == 422)
        let message = try #require(try Self.object(r)["error"] as? String)
        // The same message `rkat run --set levers.outreach.intensity=-1` gives, in the page's language
        // (Indonesian unless the request says "lang": "en").
        do {
            _ = try RunJob.check(scenarioPath: app.scenarioPath, overrides: ["levers.outreach.intensity=-1"])
            Issue.record("the reader accepted -1")
        } catch {
            #expect(message == error.line(indonesian: true))
        }
        #expect(message.hasPrefix("--set:1:27: levers.outreach.intensity: diharapkan intensitas"), "\(message)")
        let en = app.handle(Self.post("/api/run", "{\"values\": {\"levers.outreach.intensity\": \"-1\"}, \"lang\": \"en\"}"))
        #expect(try Self.object(en)["error"] as? String == "--set:1:27: levers.outreach.intensity: expected an intensity in [0, 10] (1.0 = as in history), got -1")
    }

    /// A saved name or description is a YAML double-quoted string that YAML (Yams, under the scenario
    /// reader) reads back as written: backslashes, quotes, line breaks, tabs, control and separator
    /// characters escaped, the rest as is.
    @Test func savedTextsReadBackAsWritten() throws {
        for s in ["C:\\data\\plan \\ 2018", "a \"b\" \\n c", "tab\there\nline", "\u{1}\u{7F}\u{85}\u{2028}x", "Rp 16.800 — é 中"] {
            let node = try ScenarioNode.parse("name: \(ScenarioSaver.quoted(s))\n", file: "s.yaml")
            guard case .mapping(let entries)? = node?.kind, case .scalar(let text, _) = entries.first?.value.kind else {
                Issue.record("not a mapping: \(ScenarioSaver.quoted(s))")
                continue
            }
            #expect(text == s, "\(ScenarioSaver.quoted(s))")
        }
    }

    @Test func saveRefusesPathsAndNeverOverwrites() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try Self.app(dir)
        for file in ["../escape", "../../tmp/x.yaml", "sub/x", "..", ".hidden", "a\\b", "/etc/cron.d/x"] {
            let r = app.handle(Self.post("/api/save", "{\"name\": \"x\", \"file\": \(JSONText.string(file))}"))
            #expect(r.status == 422, "\(file)")
        }
        // A name is only a name: its path characters are dropped, the file lands in the folder.
        #expect(try ScenarioSaver.fileName(name: "../../etc/passwd", file: "") == "etc-passwd.yaml")
        #expect(try ScenarioSaver.fileName(name: "Pemda +10.000 rentan", file: "") == "pemda-10-000-rentan.yaml")
        #expect(throws: InputError.self) { try ScenarioSaver.fileName(name: "…", file: "") }
        // At most 60 characters before .yaml (a hyphen left at the cut is dropped).
        #expect(try ScenarioSaver.fileName(name: String(repeating: "a", count: 70), file: "") == String(repeating: "a", count: 60) + ".yaml")
        #expect(try ScenarioSaver.fileName(name: String(repeating: "a", count: 59) + " bcdef", file: "") == String(repeating: "a", count: 59) + ".yaml")
        // Never over an existing file (the original included).
        let original = try String(contentsOfFile: app.scenarioPath, encoding: .utf8)
        #expect(app.handle(Self.post("/api/save", "{\"name\": \"sumbagut-2018\"}")).status == 409)
        #expect(try String(contentsOfFile: app.scenarioPath, encoding: .utf8) == original)
        #expect(app.handle(Self.post("/api/save", "{\"name\": \"x\", \"file\": \"sumbagut-2018-honorary90.yaml\"}")).status == 409)
        #expect(app.handle(Self.post("/api/save", "{\"name\": \"  \"}")).status == 422)
        // Nothing was written outside the folder, nor in it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["data", "scenarios"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("scenarios").path).count == 2)
    }

    /// The documented limits of a save, each inclusive: a name of 200 characters and a description of
    /// 4,000 are saved, one more is refused (422, nothing written); a value of 64 characters is read,
    /// 65 refused.
    @Test func saveLimitsAreInclusive() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try Self.app(dir)
        func save(name: String, description: String = "", values: String = "{}") -> Int {
            app.handle(Self.post("/api/save", "{\"values\": \(values), \"name\": \(JSONText.string(name)), \"description\": \(JSONText.string(description))}")).status
        }
        #expect(save(name: "b" + String(repeating: "a", count: 199)) == 200)
        #expect(save(name: "c" + String(repeating: "a", count: 200)) == 422)
        #expect(save(name: "d", description: String(repeating: "x", count: 4_000)) == 200)
        #expect(save(name: "e", description: String(repeating: "x", count: 4_001)) == 422)
        let at64 = "1.3" + String(repeating: "0", count: 61), at65 = at64 + "0"
        #expect(at64.count == 64)
        #expect(save(name: "f", values: "{\"levers.outreach.intensity\": \"\(at64)\"}") == 200)
        #expect(save(name: "g", values: "{\"levers.outreach.intensity\": \"\(at65)\"}") == 422)
        let saved = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("scenarios").path).sorted()
        #expect(saved.count == 5 && !saved.contains("g.yaml") && !saved.contains { $0.hasPrefix("ca") }, "\(saved)")
    }

    /// The child file: `extends` the original with the changed values; `rkat run` on it gives the
    /// figures of the original run with the same `--set`.
    @Test func savedScenarioExtendsTheOriginalAndRuns() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try Self.app(dir, scenario: "sumbagut-2018-honorary90.yaml")
        let values = "{\"levers.outreach.intensity\": \"1.25\", \"levers.honorary.ramp[1].share\": \"70%\", \"uncertainty.assumptions.lapse_rate_factor.median\": \"1.1\"}"
        let r = app.handle(Self.post("/api/save", "{\"values\": \(values), \"name\": \"Pemda: \\\"rentan\\\" + honorer\", \"description\": \"Rapat Kanwil\\nbaris dua\"}"))
        #expect(r.status == 200, "\(String(decoding: r.body, as: UTF8.self))")
        let saved = try #require(try Self.object(r)["path"] as? String)
        #expect(URL(fileURLWithPath: saved).lastPathComponent == "pemda-rentan-honorer.yaml")
        #expect(URL(fileURLWithPath: saved).deletingLastPathComponent().standardizedFileURL == dir.appendingPathComponent("scenarios").standardizedFileURL)
        let text = try String(contentsOfFile: saved, encoding: .utf8)
        #expect(text == """
            # Saved by rkat serve: sumbagut-2018-honorary90.yaml with the values changed on the what-if page.
            name: "Pemda: \\"rentan\\" + honorer"
            description: "Rapat Kanwil\\nbaris dua"
            extends: "sumbagut-2018-honorary90.yaml"
            levers:
              outreach:
                intensity: 1.25
              honorary:
                ramp: [{"month": "2018-03", "share": 0.3}, {"month": "2018-06", "share": "70%"}, {"month": "2018-12", "share": 0.9}]
            uncertainty:
              assumptions:
                lapse_rate_factor:
                  median: 1.1

            """)
        let doc = try ScenarioReader.read(path: saved)
        #expect(doc.scenario.name == "Pemda: \"rentan\" + honorer")
        #expect(doc.scenario.description == "Rapat Kanwil\nbaris dua")
        // rkat run on the child = rkat run on the original with the same --set.
        let a = try RunJob.run(scenarioPath: saved, outputDirectory: dir.appendingPathComponent("a").path, settings: RunJob.Settings(draws: 300, threads: 1))
        let overrides = try app.overrides(["levers.outreach.intensity": "1.25", "levers.honorary.ramp[1].share": "70%", "uncertainty.assumptions.lapse_rate_factor.median": "1.1"])
        let b = try RunJob.run(scenarioPath: app.scenarioPath, outputDirectory: dir.appendingPathComponent("b").path, overrides: overrides, settings: RunJob.Settings(draws: 300, threads: 1))
        #expect(a.view.targets.map(\.target) == b.view.targets.map(\.target))
        #expect(a.view.targets.map(\.probability) == b.view.targets.map(\.probability))
        // A second save of the same name is refused, the first file kept.
        #expect(app.handle(Self.post("/api/save", "{\"values\": {}, \"name\": \"Pemda: rentan + honorer\"}")).status == 409)
        #expect(try String(contentsOfFile: saved, encoding: .utf8) == text)
    }

    @Test func controlsCoverTheLeversAndStatedAssumptions() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keys = try Self.app(dir, scenario: "sumbagut-2018-honorary90.yaml").controls(Words(indonesian: true)).map(\.key)
        #expect(keys == [
            "levers.outreach.intensity", "levers.outreach.elasticity", "levers.honorary.pool", "levers.honorary.ramp[0].share",
            "levers.honorary.ramp[1].share", "levers.honorary.ramp[2].share", "levers.honorary.renewal_probability",
            "uncertainty.assumptions.lapse_rate_factor.median", "uncertainty.assumptions.acquisitions_factor.median", "targets.confidence",
        ])
        // Every control's starting value reads back through --set unchanged (the page sends it as shown).
        let app = try Self.app(dir, scenario: "sumbagut-2018-honorary90.yaml")
        for c in app.controls(Words(indonesian: true)) {
            let r = app.handle(Self.post("/api/run", "{\"values\": {\(JSONText.string(c.key)): \(JSONText.string(Page.text(c.value, scale: c.scale)))}}"))
            #expect(r.status == 200, "\(c.key)")
        }
        // The page is self-contained: nothing fetched from elsewhere.
        let page = String(decoding: app.handle(Incoming(method: "GET", path: "/", query: ["token": Self.token], host: "127.0.0.1:8123")).body, as: UTF8.self)
        for external in ["http://", "https://", "src=", "@import", "url("] { #expect(!page.contains(external), "\(external)") }
        #expect(page.contains("levers.honorary.ramp[1].share"))
    }
}

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The Hummingbird layer over a real loopback socket: the gate before the body, the body limit.
@Suite(.serialized) struct ServeSocketTests {
    final class Address: @unchecked Sendable {
        private let lock = NSLock()
        private var value: String?
        func set(_ v: String) { lock.lock(); value = v; lock.unlock() }
        func get() -> String? { lock.lock(); defer { lock.unlock() }; return value }
    }

    @Test func refusalsAndBodyLimitOverLoopback() async throws {
        let dir = try ServeTests.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("scenarios/sumbagut-2018.yaml").path
        let token = Gate.newToken()
        #expect(token.count == 64 && token != Gate.newToken())
        let probe = try WhatIf(scenarioPath: path, gate: Gate(token: token, boundHost: "127.0.0.1", port: 0))
        let address = Address()
        let server = Task {
            try await Server.serve(Server.Options(scenarioPath: path, host: "127.0.0.1", port: 0), token: token, probe: probe) { address.set($0) }
        }
        defer { server.cancel() }
        var url: String?
        for _ in 0..<300 where url == nil {
            url = address.get()
            if url == nil { try await Task.sleep(for: .milliseconds(100)) }
        }
        let page = try #require(url.flatMap(URL.init(string:)))
        #expect(page.host == "127.0.0.1" && page.query == "token=\(token)")
        let base = "http://127.0.0.1:\(page.port!)"
        func status(_ path: String, method: String = "GET", headers: [String: String] = [:], body: Data? = nil) async throws -> Int {
            var r = URLRequest(url: URL(string: base + path)!)
            r.httpMethod = method
            for (k, v) in headers { r.setValue(v, forHTTPHeaderField: k) }
            r.httpBody = body
            let (_, response) = try await URLSession.shared.data(for: r)
            return (response as! HTTPURLResponse).statusCode
        }
        #expect(try await status("/?token=\(token)") == 200)
        #expect(try await status("/") == 403)
        #expect(try await status("/?token=\(token)", headers: ["Origin": "http://evil.example"]) == 403)
        #expect(try await status("/api/run", method: "POST", body: Data("{}".utf8)) == 403)
        #expect(try await status("/api/run", method: "POST", headers: ["X-RKAT-Token": token], body: Data("{\"values\": {}}".utf8)) == 200)
        let big = Data(repeating: UInt8(ascii: "x"), count: WhatIf.bodyLimit + 1)
        #expect(try await status("/api/run", method: "POST", headers: ["X-RKAT-Token": token], body: big) == 413)
        // The address's token loads the page only; a request with it in its query is refused.
        #expect(try await status("/api/run?token=\(token)", method: "POST", body: Data("{\"values\": {}}".utf8)) == 403)
        // Raw requests (URLSession would not send these): two Host headers, an absolute-form target
        // naming another host: 400; the same target naming this server: served.
        let port = page.port!
        let host = "127.0.0.1:\(port)"
        #expect(ServeTests.rawStatus(port, "GET /?token=\(token) HTTP/1.1\r\nHost: \(host)\r\nHost: evil.example\r\n") == "400")
        #expect(ServeTests.rawStatus(port, "GET /?token=\(token) HTTP/1.1\r\nHost: evil.example\r\nHost: \(host)\r\n") == "400")
        #expect(ServeTests.rawStatus(port, "GET http://evil.example/?token=\(token) HTTP/1.1\r\nHost: \(host)\r\n") == "400")
        #expect(ServeTests.rawStatus(port, "GET http://\(host)/?token=\(token) HTTP/1.1\r\nHost: \(host)\r\n") == "200")
        #expect(ServeTests.rawStatus(port, "GET /?token=\(token) HTTP/1.1\r\nHost: \(host)\r\nX-RKAT-Malformed: forged\r\n") == "200")
        server.cancel()
        _ = await server.result
    }
}

extension ServeTests {
    /// The status code of one raw HTTP/1.1 request (`head` without the final blank line) over loopback.
    static func rawStatus(_ port: Int, _ head: String) -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard connected == 0 else { return "no connection" }
        let request = head + "Connection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var buffer = [UInt8](repeating: 0, count: 64)
        let n = recv(fd, &buffer, 64, 0)
        let line = String(decoding: buffer.prefix(max(n, 0)), as: UTF8.self)
        return line.hasPrefix("HTTP/1.1 ") ? String(line.dropFirst(9).prefix(3)) : "closed"
    }
}

/// Request lines and Host headers as they arrived (RFC 9112 §3.2): one Host header; an absolute-form
/// target must name the Host header's authority.
@Test func malformedRequestLines() {
    #expect(Gate.malformed(target: "/api/run", hostHeaders: ["127.0.0.1:80"]) == nil)
    #expect(Gate.malformed(target: "*", hostHeaders: ["127.0.0.1:80"]) == nil)
    #expect(Gate.malformed(target: "/", hostHeaders: ["127.0.0.1:80", "127.0.0.1:80"]) != nil)
    #expect(Gate.malformed(target: "http://127.0.0.1:80/x?y", hostHeaders: ["127.0.0.1:80"]) == nil)
    #expect(Gate.malformed(target: "HTTP://127.0.0.1:80", hostHeaders: ["127.0.0.1:80"]) == nil)
    #expect(Gate.malformed(target: "http://evil.example/", hostHeaders: ["127.0.0.1:80"]) != nil)
    #expect(Gate.malformed(target: "http://127.0.0.1:80@evil.example/", hostHeaders: ["127.0.0.1:80"]) != nil)
    #expect(Gate.malformed(target: "ftp://127.0.0.1:80/", hostHeaders: ["127.0.0.1:80"]) != nil)
    #expect(Gate.malformed(target: "http://127.0.0.1:80/", hostHeaders: []) != nil)
    // The address's token is for the page (GET /) only.
    #expect(Incoming(method: "GET", path: "/", query: ["token": "t"], host: nil).token == "t")
    #expect(Incoming(method: "POST", path: "/api/run", query: ["token": "t"], host: nil).token == nil)
    #expect(Incoming(method: "POST", path: "/api/run", query: ["token": "t"], host: nil, token: "h").token == "h")
}

@Test func onlyLoopbackIsLoopback() {
    for h in ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"] { #expect(Server.isLoopback(h), "\(h)") }
    for h in ["0.0.0.0", "::", "192.168.1.5", "10.0.0.1", "example.org"] { #expect(!Server.isLoopback(h), "\(h)") }
    // Bound to another address: that name is accepted as Host, the loopback names still are.
    let g = Gate(token: "t", boundHost: "192.168.1.5", port: 80)
    #expect(g.refusal(host: "192.168.1.5:80", origin: "http://192.168.1.5:80", token: "t") == nil)
    #expect(g.refusal(host: "evil.example:80", origin: nil, token: "t") != nil)
    // Bound to an IPv6 address: a browser names it in brackets (RFC 3986), as Host and as Origin.
    let v6 = Gate(token: "t", boundHost: "fd00::5", port: 8080)
    #expect(v6.refusal(host: "[fd00::5]:8080", origin: "http://[fd00::5]:8080", token: "t") == nil)
    #expect(v6.refusal(host: "[fd00::6]:8080", origin: nil, token: "t") != nil)
}

/// A scenario with fewer draws than the interactive cap runs them all: the cap lowers, never raises.
@Test func interactiveRunsNeverTakeMoreDrawsThanTheScenario() throws {
    let dir = try ServeTests.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    let few = dir.appendingPathComponent("scenarios/few.yaml")
    try "extends: sumbagut-2018.yaml\nuncertainty: {draws: 120}\n".write(to: few, atomically: true, encoding: .utf8)
    let app = try ServeTests.app(dir, scenario: "few.yaml")
    #expect(app.fullDraws == 120 && app.interactiveDraws == 120)
    #expect(try ServeTests.app(dir).interactiveDraws == WhatIf.interactiveDrawsCap)
}

/// A path lever starts at the value it plans and says it becomes constant; a stated elasticity
/// assumption has its own control instead of the lever's (the draws take it from there).
@Test func pathLeverAndStatedElasticity() throws {
    let dir = try ServeTests.scratch()
    defer { try? FileManager.default.removeItem(at: dir) }
    try FileManager.default.copyItem(
        at: ServeTests.root.appendingPathComponent("scenarios/sumbagut-2018-aggressive.yaml"), to: dir.appendingPathComponent("scenarios/sumbagut-2018-aggressive.yaml"))
    let app = try ServeTests.app(dir, scenario: "sumbagut-2018-aggressive.yaml")
    let controls = app.controls(Words(indonesian: false))
    let intensity = try #require(controls.first { $0.key == "levers.outreach.intensity" })
    #expect(intensity.value == 1.5)
    #expect(intensity.note == "A path in the scenario; moved here it becomes constant from Dec 2017, the first projected month.")
    #expect(!controls.contains { $0.key == "levers.outreach.elasticity" })
    #expect(controls.first { $0.key == "uncertainty.assumptions.elasticity.mean" }?.value == 0.6)
    // The note is on the page next to the slider.
    let page = String(decoding: app.handle(Incoming(method: "GET", path: "/", query: ["token": ServeTests.token, "lang": "en"], host: "127.0.0.1:8123")).body, as: UTF8.self)
    #expect(page.contains("becomes constant from Dec 2017"))
}

extension ServeTests {
    /// "Apa yang dibutuhkan?": the panel answers at the page's values, searching the chosen lever from
    /// its value on the page; its figures are rkat solve's with the same overrides and draws.
    @Test func theSolvePanelAnswersAtThePagesValues() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let app = try Self.app(dir)
        let page = String(decoding: app.handle(Incoming(method: "GET", path: "/", query: ["token": Self.token], host: "127.0.0.1:\(Self.port)")).body, as: UTF8.self)
        #expect(page.contains("<h2>Apa yang dibutuhkan?</h2>") && page.contains("<option value=\"levers.outreach.intensity\">"), "page")
        let out = app.handle(Self.post("/api/solve", #"{"values": {"targets.confidence": "60%", "levers.outreach.intensity": "1,1"}, "lever": "levers.outreach.intensity", "probability": "70%"}"#))
        let j = try Self.object(out)
        #expect(out.status == 200 && j["ok"] as? Bool == true, "\(j)")
        let table = try #require(j["table"] as? String)
        // The same search through rkat solve: the page's overrides, the interactive draws, from 1.1 to the slider's end (3).
        let same = try SolveJob.solve(
            scenarioPath: app.scenarioPath, overrides: ["levers.outreach.intensity=1.1", "targets.confidence=60%"], targets: [],
            levers: [SolveJob.LeverSpec(key: "levers.outreach.intensity", range: 1.1...3, text: "")], probability: 0.7,
            settings: RunJob.Settings(draws: WhatIf.interactiveDrawsCap, threads: 2), ajuan: true)
        #expect(table == SolveWriters.htmlSection(same, words: Words(indonesian: true), heading: false))
        #expect(table.contains("aturan +20%") && (j["runs"] as? Int) == same.runs)
        // Searched from the page's value: at 50% the table's own targets (60% sure at 1.1) are reached
        // there already, ✓, not at some intensity below the page's.
        let easy = try Self.object(app.handle(Self.post("/api/solve", #"{"values": {"targets.confidence": "60%", "levers.outreach.intensity": "1,1"}, "lever": "levers.outreach.intensity", "probability": "50%"}"#)))
        let easyTable = try #require(easy["table"] as? String)
        #expect(easyTable.contains("<td>proyeksi</td><td class=\"n\">60,0%</td><td class=\"n\">✓</td>"), "\(easyTable)")
        // Only lever controls; a bad probability is one line.
        let bad = app.handle(Self.post("/api/solve", #"{"values": {}, "lever": "history", "probability": "70%"}"#))
        #expect(bad.status == 422)
        let p = try Self.object(app.handle(Self.post("/api/solve", #"{"values": {}, "lever": "levers.outreach.intensity", "probability": "170%"}"#)))
        #expect((p["error"] as? String)?.contains("--probability") == true, "\(p)")
    }
}
