import Foundation
import Testing

@testable import PlanIO
import Fitting

/// Branches that state their members (issue 30, item 5) on the mid-year fixture: KC A 200,000 and
/// KC B 150,000 sum to 350,000 against the Kanwil's 365,077 at June 2018, so both starts are scaled
/// × 1.0431 (365,077 / 350,000), said; June shows the starts, and targets.md names the start and the
/// growth each target asks of it.
@Suite struct BranchStartCommandTests {
    static let fixture = RunCommandTests.root.appendingPathComponent("Tests/Fixtures/midyear-2018/scenario.yaml").path

    @Test func theStartIsScaledSaidAndShown() throws {
        let out = RunCommandTests.temp().appendingPathComponent("o")
        let branches = "branches=[{name: KC A, potential_share: 0.6, active: 200000, active_as_of: 2018-06}, {name: KC B, active: 150000, active_as_of: 2018-06}]"
        let r = try CommandLineTests.rkat(["run", Self.fixture, "--draws", "0", "--set", branches, "--out", out.path, "--lang", "en"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("Synthetica branches: the branches' stated members sum to 350,000, the Kanwil's members at 2018-06 are 365,077; each branch's start is scaled × 1.0431 to sum to it"), "\(r.stderr)")
        let rows = try TrackCommandTests.csv(out.appendingPathComponent("targets.csv")).filter { $0["branch"] != "" && $0["metric"] == "active" && $0["segment"] == "TOTAL" }
        #expect(rows.count == 2)
        // 200,000 × 365,077/350,000 = 208,615.4 and 150,000 × 365,077/350,000 = 156,461.6: whole to 365,077.
        #expect(rows.map { Double($0["branch_start"]!)! } == [208_615, 156_462] && rows.allSatisfy { $0["branch_start_month"] == "2018-06" && $0["2018-06"] == $0["branch_start"] })
        let md = try String(contentsOf: out.appendingPathComponent("targets.md"), encoding: .utf8)
        #expect(md.contains("| Members Jun 2018 | Growth from start |"))
        // Each branch TOTAL row ends with its start and the growth its target asks (target − start).
        for row in rows {
            let (target, start) = (Int(row["target"]!)!, Int(Double(row["branch_start"]!)!))
            let f = { (v: Int) in NumberText.grouped(Double(v), separator: ",", minus: "-") }
            let line = try #require(md.split(separator: "\n").first { $0.contains("| \(row["branch"]!) | TOTAL | Active at year end | ") })
            #expect(line.hasSuffix(" | \(f(start)) | +\(f(target - start)) |"), "\(line)")
        }
    }
}
