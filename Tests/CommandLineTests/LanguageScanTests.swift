import Foundation
import Testing

@testable import PlanIO

/// Under `--lang id` (the default) every line rkat prints to a planner's terminal, warnings
/// included, is Indonesian (issue 29). The check: each word of the examples' `run` and `validate`
/// output that an English dictionary knows (wamerican's list, installed by scripts/setup.sh) must be
/// an Indonesian word too or on the short allow-list of codes, units and names below. Codes are
/// recognised by their form and skipped: anything quoted ('PU', `run`), options (--out), paths and file names, keys
/// (actuals_until, levers.honorary), names with digits (sumbagut-2018), all-capital codes (TOTAL).
@Suite struct LanguageScanTests {
    /// Indonesian words that English spells the same (checked in KBBI): allowed as Indonesian.
    static let indonesian: Set<String> = [
        "data", "per", "non", "valid", "total", "target", "model", "segmen", "kali", "bulan", "linear",
        "interval", "program", "status", "lain", "folder", "mar", "vs", "miring", "median", "parameter", "horizon", "pita", "minimal", "ke", "di", "dan", "atau", "pada", "ini", "tidak", "ada", "akan",
    ]

    /// Codes, units and names a planner reads as they are (at most ~40, issue 29): the seed is the
    /// option `--seed`; ms the unit; the curve models are the scenario's `model:` codes; pinball the
    /// name of the quantile loss the backtest scores bands by.
    static let allowed: Set<String> = ["seed", "ms", "logistic", "exponential", "gompertz", "bass", "pinball"]

    static let dictionary: Set<String>? = {
        guard let text = try? String(contentsOfFile: "/usr/share/dict/words", encoding: .utf8) else { return nil }
        return Set(text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && $0.allSatisfy { $0.isLowercase && $0.isLetter } })
    }()

    /// The English words of `text` (code-like tokens removed), each with the line it came from.
    static func englishWords(_ text: String, dictionary: Set<String>) -> [(word: String, line: String)] {
        var found: [(String, String)] = []
        for line in text.split(separator: "\n").map(String.init) {
            var t = line
            for pattern in [
                #"'[^']*'|`[^`]*`"#,  // quoted names and values
                #"(?<!\S)--[\w-]+"#,  // options: --out, --lang
                #"\S*[/\\]\S*"#,  // paths
                #"\S+\.(csv|json|md|xlsx|html|yaml)\b"#,  // file names
                #"\b\w+(?:[._]\w+|\[\d+\])+"#,  // keys: actuals_until, levers.honorary.ramp[0].share
                #"\S*\d\S*-\S*|\S*-\S*\d\S*"#,  // names with digits: sumbagut-2018-aggressive
                #"\b[0-9a-f]{16,}\b"#,  // hashes
            ] {
                t = t.replacingOccurrences(of: pattern, with: " ", options: .regularExpression)
            }
            for w in t.split(whereSeparator: { !$0.isLetter }).map(String.init) where w.count > 1 {
                guard w != w.uppercased() else { continue }  // codes: TOTAL, ALL, PU, BPU
                let lower = w.lowercased()
                if dictionary.contains(lower), !indonesian.contains(lower), !allowed.contains(lower) { found.append((lower, line)) }
            }
        }
        return found
    }

    /// The scanner itself: it finds English, and leaves codes, names and Indonesian alone.
    @Test func theScannerFindsEnglishAndSkipsCodes() throws {
        let dictionary = try #require(Self.dictionary, "no /usr/share/dict/words: run scripts/setup.sh (installs wamerican)")
        let english = "warning: data/x.csv:12: the segments sum to 1,699,046 but TOTAL states 1,699,086"
        #expect(Self.englishWords(english, dictionary: dictionary).map(\.word).contains("segments"))
        let indonesian = "peringatan: data/x.csv:12: 2017-12 Sumbagut metrik 'active': jumlah segmen 1.699.046 tetapi TOTAL menyatakan 1.699.086 (selisih −40)"
        #expect(Self.englishWords(indonesian, dictionary: dictionary).isEmpty)
        let codes = "Skenario valid: sumbagut-2018-aggressive — levers.honorary, actuals_until `run` (12 ms, seed 2018)"
        #expect(Self.englishWords(codes, dictionary: dictionary).isEmpty)
    }

    /// Every example's `run` (with draws, so the bands' lines print) and `validate`, in Indonesian.
    @Test func theExamplesTerminalOutputIsIndonesian() throws {
        let dictionary = try #require(Self.dictionary, "no /usr/share/dict/words: run scripts/setup.sh (installs wamerican)")
        let folder = RunCommandTests.root.appendingPathComponent("scenarios")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        #expect(names.count >= 7)
        var english: [String] = []
        for name in names {
            let path = folder.appendingPathComponent(name).path
            // The scenario's own name is the planner's text, printed as written.
            let yaml = try String(contentsOfFile: path, encoding: .utf8)
            let own = yaml.split(separator: "\n").first { $0.hasPrefix("name:") }.map { $0.dropFirst(5).trimmingCharacters(in: .whitespaces) } ?? ""
            let out = RunCommandTests.temp().appendingPathComponent("o")
            for args in [["run", path, "--draws", "40", "--out", out.path], ["validate", path]] {
                let r = try CommandLineTests.rkat(args)
                #expect(r.status == 0, "\(args): \(r.stderr)")
                let printed = (r.stdout + "\n" + r.stderr).replacingOccurrences(of: own.trimmingCharacters(in: CharacterSet(charactersIn: "\"'")), with: "'name'")
                english += Self.englishWords(printed, dictionary: dictionary).map { "\(name) \(args[0]): '\($0.word)' in: \($0.line)" }
            }
        }
        #expect(english.isEmpty, "\(english.prefix(20).joined(separator: "\n"))")
    }

    /// A planner's history errors, in Indonesian with the location first (and English with --lang en):
    /// each one line, scanned like the examples' output.
    @Test(arguments: [
        ("2017-09,Sumbagut,PU,active,-5\n", "nilai -5 negatif (jumlah orang dan hitungan tidak bisa negatif)", "value -5 is negative (persons and counts cannot be)"),
        ("2017-09,Sumbagut,PU,activ,5\n", "metrik 'activ' tidak dikenal (maksud Anda 'active'?); metrik: 'active', 'acquisitions', ", "unknown metric 'activ' (did you mean 'active'?); metrics: "),
        ("2017-13,Sumbagut,PU,active,5\n", "tanggal '2017-13' bukan bulan YYYY-MM", "date '2017-13' is not a YYYY-MM month"),
        ("2017-09,Sumbagut,PU,active,5\n2017-09,Sumbagut,PU,active,6\n", "baris ganda: 2017-09 Sumbagut PU 'active' sudah ada di baris 2", "duplicate row: 2017-09 Sumbagut PU active is already given on line 2"),
        // A ';' file (Excel in Indonesian settings): 86.500,5 is a fraction of a person.
        ("2017-09;Sumbagut;PU;active;86.500,5\n", "nilai '86.500,5' pecahan (dalam berkas berpemisah ';' ini ',' adalah tanda desimal); jumlah orang adalah bilangan bulat",
         "value '86.500,5' is a fraction (in this ';'-separated file ',' is the decimal mark); persons are whole numbers"),
    ])
    func historyErrorsSpeakTheReadersLanguage(rows: String, indonesian: String, english: String) throws {
        let dictionary = try #require(Self.dictionary, "no /usr/share/dict/words: run scripts/setup.sh (installs wamerican)")
        let h = Scratch.url("rkat-lang", ".csv")
        let header = rows.contains(";") ? "date;region;segment;metric;value\n" : "date,region,segment,metric,value\n"
        try (header + rows).write(to: h, atomically: true, encoding: .utf8)
        let scenario = RunCommandTests.scenario("sumbagut-2018")
        let id = try CommandLineTests.rkat(["validate", scenario, "--set", "history=\(h.path)"])
        #expect(id.status == 2 && id.stderr.hasPrefix(h.path + ":") && id.stderr.contains(indonesian), "\(id.stderr)")
        #expect(Self.englishWords(id.stderr, dictionary: dictionary).isEmpty, "\(id.stderr)")
        let en = try CommandLineTests.rkat(["validate", scenario, "--set", "history=\(h.path)", "--lang", "en"])
        #expect(en.status == 2 && en.stderr.contains(english), "\(en.stderr)")
    }

    /// A planner's scenario slips, typed as Excel in Indonesian settings would have them: a decimal
    /// comma, thousands with dots, a misspelt key. Indonesian by default, English with --lang en.
    @Test(arguments: [
        ("levers.outreach.intensity=1,3",
         "--set:1:27: levers.outreach.intensity: diharapkan intensitas dalam [0, 10] (1.0 = seperti riwayat), tertulis 1,3: koma desimal: tulis titik desimal, 1.3",
         "--set:1:27: levers.outreach.intensity: expected an intensity in [0, 10] (1.0 = as in history), got 1,3: a decimal comma: write the decimal point, 1.3"),
        ("segments.BPU.iuran={package_rp: 16.800}",
         "segments.BPU.iuran.package_rp: diharapkan iuran dalam rupiah bulat per peserta-bulan dalam [0, 1e9], tertulis 16.800: ini terbaca sebagai desimal 16.8; tulis ribuan sebagai 16800 atau 16_800",
         "segments.BPU.iuran.package_rp: expected a contribution in whole rupiah a member-month in [0, 1e9], got 16.800: this reads as the decimal 16.8; write thousands as 16800 or 16_800"),
        ("segments.PU.lapse_rat_per_year=0.2",
         "segments.PU: kunci 'lapse_rat_per_year' tidak dikenal (maksud Anda 'lapse_rate_per_year'?)",
         "segments.PU: unknown key 'lapse_rat_per_year' (did you mean 'lapse_rate_per_year'?)"),
        ("uncertainty.draws=1.5", "uncertainty.draws: diharapkan jumlah simulasi (bilangan bulat) dalam [0, 1e9], tertulis 1.5",
         "uncertainty.draws: expected a whole number of draws in [0, 1e9], got 1.5"),
    ])
    func scenarioSlipsSpeakTheReadersLanguage(set: String, indonesian: String, english: String) throws {
        let dictionary = try #require(Self.dictionary, "no /usr/share/dict/words: run scripts/setup.sh (installs wamerican)")
        let scenario = RunCommandTests.scenario("sumbagut-2018")
        let id = try CommandLineTests.rkat(["validate", scenario, "--set", set])
        #expect(id.status == 2 && id.stderr.hasPrefix("--set:1:") && id.stderr.contains(indonesian), "\(id.stderr)")
        #expect(Self.englishWords(id.stderr, dictionary: dictionary).isEmpty, "\(id.stderr)")
        let en = try CommandLineTests.rkat(["validate", scenario, "--set", set, "--lang", "en"])
        #expect(en.status == 2 && en.stderr.contains(english), "\(en.stderr)")
    }

    /// The scenario reader's own messages: each family once, every word Indonesian (or a code) once
    /// the location and the key path it names (codes) are set aside.
    @Test func theScenarioReadersMessagesAreIndonesian() throws {
        let dictionary = try #require(Self.dictionary, "no /usr/share/dict/words: run scripts/setup.sh (installs wamerican)")
        let sets = [
            "horizon=2017-06", "segments={}", "segments.TOTAL={model: auto}", "segments.JAKON.acquisitions_per_month=5",
            "segments.PU.iuran={package_rp: 16800, stated_rp: 1}", "segments.PU.iuran={collection: 0.9}", "segments.JAKON.iuran={package_rp: 16800}",
            "segments.PU.iuran={package_rp: 1, workers_per_project: 3}", "history=/tmp", "regions=[{name: A}]",
            "potential={total: 5, basis: x, as_of: 2018-01}", "potential={total: 5, basis: x, as_of: 2018-01, shares: {PU: 0.5}, values: {PU: 3}}",
            "potential={basis: x, as_of: 2018-01, shares: {PU: 0.5}}", "uncertainty.quantiles=[0.5, 0.1]", "targets.plan_year=2016",
            "branches=[{name: A}, {name: A}]", "branches=[{name: A, active_as_of: 2017-06}]", "segments.PU={model: logistic, selection: backtest}",
        ]
        var english: [String] = []
        for set in sets {
            let r = try CommandLineTests.rkat(["validate", RunCommandTests.scenario("sumbagut-2018"), "--set", set])
            #expect(r.status == 2, "\(set): \(r.stderr)")
            let errorLine = r.stderr.split(separator: "\n").first { $0.hasPrefix("--set:") }.map(String.init) ?? ""
            #expect(!errorLine.isEmpty, "\(set): \(r.stderr)")
            // "--set:1:9: horizon: …" → "…": the location and the key path are codes.
            let message = errorLine.replacingOccurrences(of: #"^\S+:\d+:\d+: [\w.\[\]]+: "#, with: "", options: .regularExpression)
            english += Self.englishWords(message, dictionary: dictionary).map { "\(set): '\($0.word)' in: \($0.line)" }
        }
        #expect(english.isEmpty, "\(english.joined(separator: "\n"))")
    }

    /// What --out may not replace, said in Indonesian (OutputFolderTests and OutputPathTests check the
    /// rules in English).
    @Test func outputRefusalsAreIndonesian() throws {
        let dictionary = try #require(Self.dictionary, "no /usr/share/dict/words: run scripts/setup.sh (installs wamerican)")
        let dir = RunCommandTests.temp()
        try "x\n".write(to: dir.appendingPathComponent("afile.txt"), atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("mine"), withIntermediateDirectories: true)
        try "notes\n".write(to: dir.appendingPathComponent("mine/notes.txt"), atomically: false, encoding: .utf8)
        let cases = [
            (dir.appendingPathComponent("afile.txt").path, "adalah berkas, bukan folder keluaran rkat; pilih folder lain"),
            (dir.appendingPathComponent("mine").path, "memuat 'notes.txt', yang tidak ditulis rkat; pilih folder lain atau pindahkan berkasnya"),
            ("/", "'/' menunjuk folder yang tidak dibuat rkat; beri folder keluaran nama sendiri, seperti outputs/run-1"),
        ]
        for (out, reason) in cases {
            let r = try CommandLineTests.rkat(["run", RunCommandTests.scenario("sumbagut-2018"), "--draws", "0", "--out", out])
            let line = r.stderr.split(separator: "\n").first { !$0.hasPrefix("peringatan:") }.map(String.init) ?? ""
            #expect(r.status == 2 && line == "rkat: --out \(out): \(reason)", "\(r.stderr)")
            #expect(Self.englishWords(line, dictionary: dictionary).isEmpty, "\(line)")
        }
    }

    // MARK: outputs

    /// The text a planner reads in an output: markdown as written, report.html without its markup,
    /// scripts and styles, a workbook's strings (read by python3's zipfile, as CI's checks do).
    static func readable(_ file: URL) throws -> String {
        switch file.pathExtension {
        case "xlsx":
            // The visible sheets' texts (the hidden plan anchor, rkat_plan, holds stable English codes).
            let book = try Workbook.open(path: file.path)
            var lines: [String] = []
            for info in book.sheets where !info.hidden {
                lines.append(info.name)
                for row in try book.read(info).rows {
                    for cell in row { if case .text(let t) = cell.value { lines.append(t) } }
                }
            }
            return lines.joined(separator: "\n")
        case "html":
            var t = try String(contentsOf: file, encoding: .utf8)
            t = t.replacingOccurrences(of: #"(?s)<style.*?</style>|<script.*?</script>"#, with: "", options: .regularExpression)
            t = t.replacingOccurrences(of: #"<[^>]+>"#, with: "\n", options: .regularExpression)
            for (entity, c) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&amp;", "&")] { t = t.replacingOccurrences(of: entity, with: c) }
            return t
        default:
            return try String(contentsOf: file, encoding: .utf8)
        }
    }

    /// The planner's own text in a run's outputs: every string of the resolved scenario (names,
    /// descriptions, sources) and the history's basis and source columns, longest first.
    static func plannersText(_ out: URL) throws -> [String] {
        let run = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as? [String: Any])
        var found: Set<String> = []
        func leaves(_ o: Any) {
            if let d = o as? [String: Any] { d.values.forEach(leaves) } else if let a = o as? [Any] { a.forEach(leaves) } else if let s = o as? String, s.count >= 3 { found.insert(s) }
        }
        leaves(run["resolved_scenario"] ?? [:])
        let history = try #require((run["history"] as? [String: Any])?["path"] as? String)
        let path = history.hasPrefix("/") ? history : RunCommandTests.root.appendingPathComponent(history).path
        let table = try CSVTable.parse(try String(contentsOfFile: path, encoding: .utf8), file: path)
        for column in ["basis", "source"] {
            guard let k = table.header.firstIndex(of: column) else { continue }
            for row in table.rows where row.count > k && row[k].text.count >= 3 { found.insert(row[k].text) }
        }
        return found.sorted { $0.count > $1.count }
    }

    /// Every example's targets.md, report.html and targets.xlsx under --lang id: no English word
    /// outside the planner's own text (the examples' descriptions and sources are written in English).
    @Test func theExamplesOutputsAreIndonesian() throws {
        let dictionary = try #require(Self.dictionary, "no /usr/share/dict/words: run scripts/setup.sh (installs wamerican)")
        let folder = RunCommandTests.root.appendingPathComponent("scenarios")
        var english: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).filter({ $0.hasSuffix(".yaml") }).sorted() {
            let out = RunCommandTests.temp().appendingPathComponent("o")
            let r = try CommandLineTests.rkat(["run", folder.appendingPathComponent(name).path, "--draws", "40", "--out", out.path])
            #expect(r.status == 0, "\(name): \(r.stderr)")
            let own = try Self.plannersText(out)
            for file in ["targets.md", "report.html", "targets.xlsx"] {
                var text = try Self.readable(out.appendingPathComponent(file))
                for s in own { text = text.replacingOccurrences(of: s, with: " ") }
                english += Self.englishWords(text, dictionary: dictionary).map { "\(name) \(file): '\($0.word)' in: \($0.line.prefix(160))" }
            }
        }
        #expect(english.isEmpty, "\(english.count) English words:\n\(english.prefix(30).joined(separator: "\n"))")
    }

    /// The plan year under way and the what-ifs: track (on the mid-year fixture, against a plan made at
    /// its start), compare and backtest, their terminal lines and their outputs, in Indonesian.
    @Test func trackCompareAndBacktestAreIndonesian() throws {
        let dictionary = try #require(Self.dictionary, "no /usr/share/dict/words: run scripts/setup.sh (installs wamerican)")
        let fixture = RunCommandTests.root.appendingPathComponent("Tests/Fixtures/midyear-2018/scenario.yaml").path
        let dir = RunCommandTests.temp()
        let plan = dir.appendingPathComponent("plan")
        #expect(try CommandLineTests.rkat(["run", fixture, "--set", "actuals_until=2017-12", "--draws", "40", "--out", plan.path]).status == 0)
        let runs: [(args: [String], out: URL, files: [String])] = [
            (["track", fixture, "--plan", plan.appendingPathComponent("targets.json").path, "--set", "actuals_until=2018-06", "--draws", "40"],
             dir.appendingPathComponent("track"), ["tracking.md", "report.html", "tracking.xlsx"]),
            (["compare", RunCommandTests.scenario("sumbagut-2018"), RunCommandTests.scenario("sumbagut-2018-honorary90"), "--draws", "40"],
             dir.appendingPathComponent("compare"), ["report.html"]),
            (["backtest", fixture, "--draws", "40"], dir.appendingPathComponent("backtest"), ["report.html"]),
        ]
        let own = try Self.plannersText(plan)
        var english: [String] = []
        for (args, out, files) in runs {
            let r = try CommandLineTests.rkat(args + ["--out", out.path])
            #expect(r.status == 0, "\(args[0]): \(r.stderr)")
            english += Self.englishWords(r.stdout + "\n" + r.stderr, dictionary: dictionary).map { "\(args[0]) terminal: '\($0.word)' in: \($0.line.prefix(160))" }
            for file in files {
                var text = try Self.readable(out.appendingPathComponent(file))
                for s in own { text = text.replacingOccurrences(of: s, with: " ") }
                english += Self.englishWords(text, dictionary: dictionary).map { "\(args[0]) \(file): '\($0.word)' in: \($0.line.prefix(160))" }
            }
        }
        #expect(english.isEmpty, "\(english.count) English words:\n\(english.prefix(30).joined(separator: "\n"))")
    }
}
