import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Monte Carlo through the command line: determinism across thread counts, seeds, sweeps, compare.
@Suite struct UncertaintyCommandTests {
    static func scenario(_ name: String) -> String { RunCommandTests.scenario(name) }

    @Test func sameSeedIsByteIdenticalWhateverTheThreadsAnotherSeedDiffers() throws {
        let base = RunCommandTests.temp()
        for (dir, args) in [("t1", ["--threads", "1"]), ("t2", ["--threads", "2"]), ("s2", ["--threads", "2", "--seed", "7"])] {
            let r = try RunCommandTests.rkat(["run", Self.scenario("sumbagut-2025"), "--out", base.appendingPathComponent(dir).path, "--draws", "500"] + args)
            #expect(r.status == 0, "\(r.stderr)")
        }
        for f in ["projection.csv", "calibration.csv", "uncertainty.csv"] {
            let a = try Data(contentsOf: base.appendingPathComponent("t1/\(f)")), b = try Data(contentsOf: base.appendingPathComponent("t2/\(f)"))
            #expect(a == b, "\(f)")
        }
        let u1 = try Data(contentsOf: base.appendingPathComponent("t1/uncertainty.csv")), u3 = try Data(contentsOf: base.appendingPathComponent("s2/uncertainty.csv"))
        #expect(u1 != u3)
    }

    /// Every file, run.json and the report included, with the run time fixed by SOURCE_DATE_EPOCH:
    /// JSON keys must not come out in hash order (Swift seeds its hashing per process).
    @Test func everyOutputFileIsByteIdenticalAcrossProcessesAndThreads() throws {
        let base = RunCommandTests.temp()
        for (dir, threads) in [("a", "1"), ("b", "2"), ("c", "2")] {
            let r = try CommandLineTests.rkat(
                ["run", Self.scenario("sumbagut-2018-honorary90"), "--out", base.appendingPathComponent(dir).path, "--draws", "300", "--threads", threads],
                environment: ["SOURCE_DATE_EPOCH": "1790000000"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent("a").path).sorted()
        #expect(files.contains("run.json") && files.contains("targets.json") && files.contains("report.html") && files.contains("targets.xlsx"))
        for dir in ["b", "c"] {
            #expect(try FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent(dir).path).sorted() == files)
            for f in files {
                let a = try Data(contentsOf: base.appendingPathComponent("a/\(f)")), b = try Data(contentsOf: base.appendingPathComponent("\(dir)/\(f)"))
                #expect(a == b, "\(dir)/\(f)")
            }
        }
        let run = try String(contentsOf: base.appendingPathComponent("a/run.json"), encoding: .utf8)
        #expect(run.contains("2026-09-21T"))
    }

    /// With the bands rescaled by rolling-origin errors (the mid-year fixture's 54 monthly PU figures:
    /// six origins), every output is still byte-identical across processes and threads, and
    /// calibration.csv says the factors applied.
    @Test func rescaledBandsAreByteIdenticalAcrossThreads() throws {
        let base = RunCommandTests.temp()
        let fixture = RunCommandTests.root.appendingPathComponent("Tests/Fixtures/midyear-2018/scenario.yaml").path
        for (dir, threads) in [("a", "1"), ("b", "2")] {
            let r = try CommandLineTests.rkat(
                ["run", fixture, "--out", base.appendingPathComponent(dir).path, "--draws", "300", "--threads", threads, "--set", "uncertainty.rescaling=true"],
                environment: ["SOURCE_DATE_EPOCH": "1790000000"])
            #expect(r.status == 0, "\(r.stderr)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: base.appendingPathComponent("a").path).sorted()
        for f in files {
            let a = try Data(contentsOf: base.appendingPathComponent("a/\(f)")), b = try Data(contentsOf: base.appendingPathComponent("b/\(f)"))
            #expect(a == b, "\(f)")
        }
        let csv = try String(contentsOf: base.appendingPathComponent("a/calibration.csv"), encoding: .utf8)
        let pu = try #require(csv.split(whereSeparator: \.isNewline).first { $0.hasPrefix("Synthetica,PU,") })
        // The outputs end in Dec 2018, 6 months after the last actual: the factor there.
        #expect(pu.contains("\"P10-P90 about the P50 (log scale) x") && pu.contains(" at 6 months (2018-12); 6 origins, "), "\(pu.suffix(200))")
    }

    @Test func uncertaintyCSVHasOrderedQuantilesForEveryCellAndTotal() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let r = try RunCommandTests.rkat(["run", Self.scenario("sumbagut-2018"), "--out", out.path])
        #expect(r.status == 0)
        let text = try String(contentsOf: out.appendingPathComponent("uncertainty.csv"), encoding: .utf8)
        let lines = text.split(separator: "\r\n")
        #expect(lines[0] == "month,region,segment,metric,p10,p50,p90")
        var seen = Set<String>()
        for line in lines.dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            seen.insert(f[2] + "/" + f[3])
            let q = f[4...6].map { Double($0)! }
            #expect(q[0] <= q[1] && q[1] <= q[2], "\(line)")
        }
        #expect(seen.isSuperset(of: ["PU/active", "PU/acquisitions", "PU/coverage", "JAKON/acquisitions", "TOTAL/active"]))
        #expect(!seen.contains("JAKON/active"))
    }

    @Test func sweepRunsEveryCombination() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let r = try RunCommandTests.rkat(["run", Self.scenario("sumbagut-2018-sweep"), "--out", out.path, "--draws", "200"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOf: out.appendingPathComponent("sweep.csv"), encoding: .utf8).split(separator: "\r\n")
        let header = lines[0].split(separator: ",").map(String.init), rows = lines.dropFirst()
        // 3 intensities × 3 honorary shares × (PU, BPU, JAKON, TOTAL).
        #expect(rows.count == 36)
        let pu = rows.filter { $0.contains(",Sumbagut,PU,") }.map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let column = try #require(header.firstIndex(of: "year_end_active"))
        func yearEnd(_ intensity: String, _ share: String) -> Double { Double(pu.first { $0[0] == intensity && $0[1] == share }![column])! }
        // Honorary 0 → 90% adds about 0.9 × 50,000 at any intensity; more outreach adds members.
        #expect(abs(yearEnd("1.0", "0.9") - yearEnd("1.0", "0") - 45_000) < 1)
        #expect(yearEnd("1.5", "0") > yearEnd("1.2", "0") && yearEnd("1.2", "0") > yearEnd("1.0", "0"))
    }

    @Test func compareShowsTheScenariosSideBySide() throws {
        let out = RunCommandTests.temp().appendingPathComponent("c")
        let r = try RunCommandTests.rkat(["compare", Self.scenario("sumbagut-2018"), Self.scenario("sumbagut-2018-aggressive"), Self.scenario("sumbagut-2018-honorary90"), "--out", out.path, "--draws", "300", "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("sumbagut-2018-aggressive") && r.stdout.contains("Active vs first"))
        let rows = try String(contentsOf: out.appendingPathComponent("compare.csv"), encoding: .utf8).split(separator: "\r\n")
        #expect(rows.count == 1 + 3 * 4)
        let header = rows[0].split(separator: ",").map(String.init)
        let honoraryPU = try #require(rows.first { $0.hasPrefix("sumbagut-2018-honorary90,2018,Sumbagut,PU,") }).split(separator: ",", omittingEmptySubsequences: false)
        // year_end_active_vs_first: the honorary lever adds 0.9 × 50,000 to PU by Dec 2018.
        let vs = try #require(header.firstIndex(of: "year_end_active_vs_first"))
        #expect(abs(Double(String(honoraryPU[vs]))! - 45_000) < 1)
        // Its page: one bar chart per region, the differences table, nothing fetched.
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<svg") && html.contains("+45,000") && html.range(of: #"(src|href)\s*="#, options: .regularExpression) == nil)
    }
}

/// One number per label: `rkat compare`'s terminal, compare.csv and report.html show the same figure
/// under the same label, on the basis they state (P50 with draws, deterministic without).
@Suite struct OneNumberPerLabelTests {
    @Test(arguments: [("300", "P50", "p50"), ("0", "deterministik", "deterministic")])
    func compareTerminalCSVAndReportAgree(draws: String, basis: String, code: String) throws {
        let out = RunCommandTests.temp().appendingPathComponent("c")
        let r = try RunCommandTests.rkat(["compare", RunCommandTests.scenario("sumbagut-2018"), RunCommandTests.scenario("sumbagut-2018-aggressive"), "--out", out.path, "--draws", draws])
        #expect(r.status == 0, "\(r.stderr)")
        let header = [
            "Skenario", "Tahun", "Wilayah", "Segmen", "Dasar angka", "Aktif akhir tahun", "P10–P90", "Akuisisi", "Cakupan", "Selisih aktif", "Iuran (Rp miliar)",
            "Selisih iuran",
        ]
        #expect(r.stdout.contains("Dasar angka: P50 = median simulasi Monte Carlo; deterministik = proyeksi tanpa simulasi"))
        // What the differences are against, and the iuran's unit (Rp 2.4 trillion a year: miliar).
        #expect(r.stdout.contains("Selisih: terhadap skenario pertama, sumbagut-2018, pada dasar angka yang sama; iuran dalam Rp miliar."), "\(r.stdout)")
        // Terminal rows: twelve cells without spaces inside.
        let terminal = r.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }.filter { $0.count == 12 && $0[0].hasPrefix("sumbagut") }
        #expect(terminal.count == 8)
        let csv = try String(contentsOf: out.appendingPathComponent("compare.csv"), encoding: .utf8).split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let columns = csv[0]
        func field(_ row: [String], _ name: String) -> String { row[columns.firstIndex(of: name)!] }
        func persons(_ text: String) -> String {
            guard let v = Double(text) else { return "—" }
            let grouped = NumberFormatter.localizedString(from: NSNumber(value: v.rounded()), number: .decimal)
            return grouped.replacingOccurrences(of: ",", with: ".")
        }
        /// Whole rupiah as Rp miliar with one decimal, Indonesian marks (2.405.834.200.000 → 2.405,8).
        func miliar(_ text: String) -> String {
            guard let v = Double(text) else { return "—" }
            let tenths = (abs(v) / 1e8).rounded()
            return (v < 0 && tenths > 0 ? "-" : "") + persons(String((tenths / 10).rounded(.down))) + "," + String(Int(tenths.truncatingRemainder(dividingBy: 10)))
        }
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("<tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr>"))
        var moved = 0.0  // the aggressive plan's acquisitions differ from the first's
        for t in terminal {
            #expect(t[1] == "2018" && t[4] == basis)
            let row = csv.first { $0[0] == t[0] && $0[2] == t[2] && $0[3] == t[3] }!
            #expect(field(row, "plan_year") == "2018" && field(row, "basis") == code)
            #expect(persons(field(row, "year_end_active")) == t[5], "\(t)")
            #expect(persons(field(row, "acquisitions")) == t[7], "\(t)")
            // The differences are this scenario's figure minus the first's (csv arithmetic, the oracle):
            // more acquisitions than the first is a positive difference.
            let first = csv.first { $0[0] == "sumbagut-2018" && $0[2] == t[2] && $0[3] == t[3] }!
            for (vs, of) in [("acquisitions_vs_first", "acquisitions"), ("year_end_active_vs_first", "year_end_active")] {
                guard let d = Double(field(row, vs)), let a = Double(field(row, of)), let b = Double(field(first, of)) else { continue }
                #expect(abs(d - (a - b)) <= 1, "\(t[0]) \(t[3]) \(vs) \(d) vs \(a) − \(b)")
            }
            let diff = persons(field(row, "year_end_active_vs_first"))
            #expect(diff == "—" ? t[9] == "—" : t[9].hasSuffix(diff.replacingOccurrences(of: "-", with: "")), "\(t)")
            #expect(miliar(field(row, "iuran")) == t[10], "\(t)")
            let iuranDiff = miliar(field(row, "iuran_vs_first"))
            #expect(iuranDiff == "—" ? t[11] == "—" : t[11] == (iuranDiff.hasPrefix("-") ? "" : "+") + iuranDiff, "\(t)")
            if code == "deterministic" {
                #expect(field(row, "year_end_active") == field(row, "year_end_active_deterministic"))
                #expect(field(row, "iuran") == field(row, "iuran_deterministic"))
            }
            if t[0] != "sumbagut-2018" { moved += abs(Double(field(row, "acquisitions_vs_first")) ?? 0) }
            // The report's row, cell for cell.
            let cells = "<tr>" + t[..<5].map { "<td>\($0)</td>" }.joined() + t[5...].map { "<td class=\"n\">\($0)</td>" }.joined() + "</tr>"
            #expect(html.contains(cells), "\(cells)")
        }
        #expect(moved > 0)
    }
}

/// `--lang id` (the default) throughout: validate, the footer without draws, the sweep's labels.
@Suite struct IndonesianOutputTests {
    @Test func validateSpeaksIndonesian() throws {
        let r = try RunCommandTests.rkat(["validate", RunCommandTests.scenario("sumbagut-2018")])
        #expect(r.status == 0)
        #expect(r.stdout.contains("71.932 per bulan; tingkat non-aktif: asumsi (skenario: 65% per tahun)"), "\(r.stdout)")
        #expect(!r.stdout.contains(" a month") && !r.stdout.contains("assumption"))
    }

    @Test func withoutDrawsTheFooterSaysSoAndTheSweepIsNamed() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let r = try RunCommandTests.rkat(["run", RunCommandTests.scenario("sumbagut-2018-sweep"), "--out", out.path, "--draws", "0"])
        #expect(r.status == 0, "\(r.stderr)")
        let md = try String(contentsOf: out.appendingPathComponent("targets.md"), encoding: .utf8)
        #expect(md.contains("Tanpa simulasi (draws 0)") && !md.contains("(0 kali)"))
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(html.contains("Intensitas sosialisasi / Cakupan honorer (langkah "), "lever names")
        #expect(html.contains("Kunci skenario: levers.outreach.intensity"), "the paths in a note")
        #expect(!html.contains("fitted to") && !html.contains(" a month"))
        let sweep = try String(contentsOf: out.appendingPathComponent("sweep.csv"), encoding: .utf8)
        #expect(!sweep.split(separator: "\r\n").dropFirst().contains { $0.contains("_") }, "swept values as plain numbers")
    }
}

/// The report's charts: the year end reads "Des 2018" and the 2018 target sits on it; a potential far
/// above the data is said under the chart, not drawn.
@Suite struct ReportChartTests {
    @Test func theTargetMarkerSitsAtDecemberOfThePlanYear() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let r = try RunCommandTests.rkat(["run", RunCommandTests.scenario("sumbagut-2018"), "--out", out.path, "--draws", "100"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        #expect(!html.contains(">2019</text>"))
        // The PU chart: its "Des 2018" tick and the target's circle share an x.
        let pu = String(html[html.range(of: "Sumbagut · PU — peserta aktif")!.lowerBound...].prefix { $0 != "\u{1}" }.split(separator: "</svg>")[0])
        let tick = try #require(pu.firstMatch(of: /<text x="([0-9.]+)"[^>]*class="tick x">Des 2018<\/text>/))
        let target = try #require(pu.firstMatch(of: /<circle cx="([0-9.]+)" cy="[0-9.]+" r="3.5" fill="white" stroke="#E69F00"/))
        #expect(tick.1 == target.1, "tick at \(tick.1), target at \(target.1)")
        // BPU at 1.4% coverage: the potential is a note, not a line that flattens the chart.
        #expect(html.contains("<figcaption>Potensi 4.148.280 pada Des 2018 jauh di atas skala grafik (cakupan 1,4%): tidak digambar.</figcaption>"))
    }
}

/// report.html: self-contained, well-formed SVG, numbers as in the csv.
@Suite struct ReportCommandTests {
    @Test func calibrationNumbersInTheReportAreTheCSVs() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let r = try RunCommandTests.rkat(["run", RunCommandTests.scenario("sumbagut-2025"), "--out", out.path, "--draws", "200", "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        let lines = try String(contentsOf: out.appendingPathComponent("calibration.csv"), encoding: .utf8).split(separator: "\r\n")
        var checked = 0
        for line in lines.dropFirst() {
            // region,segment,calibration,model,space,parameters,... (parameters hold no commas)
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            for item in f[5].split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
                let parts = item.replacingOccurrences(of: " (fixed)", with: "").split(separator: "=")
                #expect(html.contains("\(parts[0]) = \(parts[1])"), "\(item)")
                checked += 1
            }
        }
        #expect(checked >= 4)
    }

    @Test func reportIsSelfContainedAndItsNumbersMatchTheTargets() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let r = try RunCommandTests.rkat(["run", RunCommandTests.scenario("sumbagut-2018-sweep"), "--out", out.path, "--draws", "300"])
        #expect(r.status == 0, "\(r.stderr)")
        let html = try String(contentsOf: out.appendingPathComponent("report.html"), encoding: .utf8)
        // Nothing fetched: no src or href pointing anywhere.
        #expect(html.range(of: #"(src|href)\s*="#, options: .regularExpression) == nil)
        // Every SVG parses as XML.
        var svgs = 0
        var rest = html[...]
        while let start = rest.range(of: "<svg"), let end = rest.range(of: "</svg>", range: start.upperBound..<rest.endIndex) {
            let svg = String(rest[start.lowerBound..<end.upperBound])
            #expect(XMLParser(data: Data(svg.utf8)).parse(), "SVG \(svgs) is not well-formed")
            svgs += 1
            rest = rest[end.upperBound...]
        }
        #expect(svgs >= 4)  // PU, BPU, JAKON fan charts, coverage, sweep bars
        // The targets shown are the csv's, in Indonesian number format; iuran in the table's unit.
        #expect(html.contains("Penerimaan iuran (Rp miliar)"))
        let rows = try String(contentsOf: out.appendingPathComponent("targets.csv"), encoding: .utf8).split(separator: "\r\n").dropFirst()
        for row in rows {
            let f = row.split(separator: ",", omittingEmptySubsequences: false)
            guard f[1].isEmpty, let t = Double(f[7]) else { continue }
            // Iuran in Rp miliar (Sumbagut's PU pays about Rp 2.4 trillion a year: at least Rp 100.000
            // juta, so miliar), one decimal: 2,395,624,593,603 → "2.395,6".
            let id: String
            if f[3] == "iuran" {
                let tenths = (t / 1e8).rounded()
                id = Int((tenths / 10).rounded(.down)).formatted(.number.grouping(.automatic).locale(Locale(identifier: "id_ID"))) + "," + String(Int(tenths.truncatingRemainder(dividingBy: 10)))
            } else {
                id = Int(t).formatted(.number.grouping(.automatic).locale(Locale(identifier: "id_ID")))
            }
            #expect(html.contains("<b>\(id)</b>"), "\(f[2]) \(f[3]) \(f[4]): \(id)")
        }
    }

    /// uncertainty.csv's coverage is a share to six decimals: with the potential fixed (no
    /// potential_factor), each coverage quantile is the active quantile over the potential
    /// (projection.csv), to the sixth decimal. The terminal's uncertainty table labels those
    /// quantiles as year-end active members.
    @Test func coverageQuantilesAreActiveOverThePotentialToSixDecimals() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let r = try CommandLineTests.rkat(["run", RunCommandTests.scenario("sumbagut-2018"), "--draws", "200", "--out", out.path, "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = try String(contentsOf: out.appendingPathComponent("uncertainty.csv"), encoding: .utf8).split(separator: "\r\n").map { $0.split(separator: ",").map(String.init) }
        let potential = try #require(try RunCommandTests.projection(out).first { $0["month"] == "2018-12" && $0["segment"] == "PU" }?["potential"]).flatMap(Double.init)
        let active = try #require(lines.first { $0[0] == "2018-12" && $0[2] == "PU" && $0[3] == "active" })
        let coverage = try #require(lines.first { $0[0] == "2018-12" && $0[2] == "PU" && $0[3] == "coverage" })
        for k in 4..<7 {
            #expect(coverage[k].split(separator: ".").last?.count == 6, "\(coverage[k])")
            #expect(abs(Double(coverage[k])! - Double(active[k])! / potential!) < 1e-6, "\(coverage[k]) vs \(active[k]) / \(potential!)")
        }
        let row = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("Sumbagut  PU") && $0.contains("Active") && !$0.contains("2017-12") })
        #expect(!row.contains("Acquisitions"), "\(row)")
    }

    /// A company segment (Tebing Tinggi's BU) in the terminal: its rows under the members' headers say
    /// they are companies, and its quantiles are labelled "BU aktif", not "Peserta aktif"; the TOTAL
    /// is the persons segments' (PU + BPU).
    @Test func companyRowsSayTheyAreCompanies() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let r = try CommandLineTests.rkat(["run", RunCommandTests.scenario("tebing-tinggi-2022"), "--draws", "50", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let bu = lines.filter { $0.hasPrefix("Tebing Tinggi  BU") }
        #expect(bu.count == 3)
        #expect(bu.filter { $0.contains(" 20") }.allSatisfy { $0.contains("angka badan usaha, bukan peserta") }, "\(bu)")
        #expect(bu.contains { $0.contains("BU aktif") })
        #expect(lines.filter { $0.hasPrefix("Tebing Tinggi  PU") }.allSatisfy { !$0.contains("badan usaha") })
    }
}
