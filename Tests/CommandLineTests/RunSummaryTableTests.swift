import Foundation
import Testing

/// The year table `rkat run` prints: each column holds its own figure. The oracle is the scenario
/// file and the definition of coverage, not a run: scenarios/sumbagut-2018.yaml states a potential of
/// 6,900,000 with no growth (`growth_per_year: 0.0`), PU's share 0.3988 and BPU's 0.6012, so by hand
///     PU  potential = 6,900,000 × 0.3988 = 2,751,720
///     BPU potential = 6,900,000 × 0.6012 = 4,148,280
/// in every projected month; and coverage is active ÷ potential (docs/outputs.md), so the Active and
/// Coverage columns must agree to the table's rounding (a whole person, 0.1%).
@Suite struct RunSummaryTableTests {
    @Test func theYearTableShowsActivePotentialAndCoverageInTheirOwnColumns() throws {
        let out = Scratch.url("rkat-summary")
        let r = try CommandLineTests.rkat(["run", RunCommandTests.scenario("sumbagut-2018"), "--draws", "0", "--lang", "en", "--out", out.path])
        #expect(r.status == 0, "\(r.stderr)")
        let header = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("Region") })
        #expect(header.contains("Active") && header.contains("Potential") && header.contains("Coverage"), "\(header)")
        // Columns are separated by two or more spaces; a note's words by one.
        func cells(_ line: Substring) -> [String] {
            line.split(separator: "  ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let names = cells(header)
        let (activeAt, potentialAt, coverageAt) = (try #require(names.firstIndex(of: "Active")), try #require(names.firstIndex(of: "Potential")), try #require(names.firstIndex(of: "Coverage")))
        let expected = ["PU": 2_751_720.0, "BPU": 4_148_280.0]
        var checked = 0
        for line in r.stdout.split(separator: "\n") where line.hasPrefix("Sumbagut") {
            let c = cells(line)
            guard let potential = expected[c[1]] else { continue }  // JAKON: flow only, no stock
            func number(_ s: String) -> Double? { Double(s.replacingOccurrences(of: ",", with: "")) }
            #expect(number(c[potentialAt]) == potential, "\(line)")
            let active = try #require(number(c[activeAt]), "\(line)")
            let coverage = try #require(Double(c[coverageAt].replacingOccurrences(of: "%", with: "")), "\(line)")
            #expect(abs(active / potential * 100 - coverage) <= 0.051, "\(line)")
            checked += 1
        }
        #expect(checked == 4, "\(r.stdout)")  // PU and BPU, Dec 2017 and Dec 2018
    }
}
