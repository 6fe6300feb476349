import Foundation
import Testing

@testable import PlanIO
@testable import Planning

/// targets.md's branch table: the gap against a branch's own projection (allocated − own) carries
/// its sign, and a gap of zero is "+0" (the allocation meets the branch's own history), never "−0".
@Suite struct BranchGapTextTests {
    static func view(_ branches: [BranchAllocation.BranchTarget]) -> PlanYearView {
        PlanYearView(
            scenario: "t", year: 2018, months: (1...12).map { Month(year: 2018, month: $0) }, levels: [0.1, 0.5, 0.9], draws: 0,
            confidence: 0.5, targets: [], branches: branches, phasing: [], figures: [])
    }

    static func branch(_ name: String, target: Int, own: Double) -> BranchAllocation.BranchTarget {
        BranchAllocation.BranchTarget(
            region: "Sumbagut", branch: name, segment: "PU", metric: .active, target: target, months: Array(repeating: nil, count: 12), ownTarget: own)
    }

    /// 500 allocated against its own 500: 500 − 500 = +0; against 480: +20; against 520: −20.
    @Test func aZeroGapIsPlusZero() {
        let md = TargetsText.markdown(
            Self.view([Self.branch("KC A", target: 500, own: 500), Self.branch("KC B", target: 500, own: 480), Self.branch("KC C", target: 500, own: 520)]),
            words: Words(indonesian: false))
        let lines = md.split(separator: "\n")
        func line(_ b: String) -> String { String(lines.first { $0.hasPrefix("| Sumbagut | \(b) |") } ?? "") }
        #expect(line("KC A").contains("| 500 | +0 |"), "\(line("KC A"))")
        #expect(line("KC B").contains("| 480 | +20 |"), "\(line("KC B"))")
        #expect(line("KC C").contains("| 520 | −20 |"), "\(line("KC C"))")
        #expect(!md.contains("−0"))
    }
}
