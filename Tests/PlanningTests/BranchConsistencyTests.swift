import Foundation
import Testing

@testable import Planning

/// Branches (docs/targets.md, "Branches"): consistent on every margin at once.
@Suite struct BranchConsistencyTests {
    /// Controlled rounding by hand: rows 3 and 4, columns 2, 2, 3; the floors (0,1,1 / 1,0,1) leave
    /// row needs 1 and 2, column needs 1, 1, 1.
    @Test func controlledRoundingKeepsEveryMargin() {
        let x = [[0.6, 1.2, 1.2], [1.4, 0.8, 1.8]]
        let n = ControlledRounding.round(x, rows: [3, 4], columns: [2, 2, 3])
        #expect(n.map { $0.reduce(0, +) } == [3, 4])
        #expect((0..<3).map { j in n[0][j] + n[1][j] } == [2, 2, 3])
        for i in 0..<2 { for j in 0..<3 { #expect(abs(Double(n[i][j]) - x[i][j]) < 1) } }
        // Random tables: every margin exact, every cell within one of its figure.
        var seed: UInt64 = 42
        func next() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 11) / Double(1 << 53)
        }
        for _ in 0..<200 {
            let r = 2 + Int(next() * 6), c = 2 + Int(next() * 12)
            // Whole row totals, columns in proportion (x = R·C/T), as branch tables are built.
            let rows = (0..<r).map { _ in Int(next() * 5_000) }
            let total = rows.reduce(0, +)
            let columns = Phasing.flow(target: total, weights: (0..<c).map { _ in next() + 0.01 })
            let table = rows.map { rr in columns.map { total > 0 ? Double(rr) * Double($0) / Double(total) : 0 } }
            let n = ControlledRounding.round(table, rows: rows, columns: columns)
            #expect(n.map { $0.reduce(0, +) } == rows)
            #expect((0..<c).map { j in n.reduce(0) { $0 + $1[j] } } == columns)
            for i in 0..<r { for j in 0..<c { #expect(abs(Double(n[i][j]) - table[i][j]) < 1 + 1e-9) } }
        }
    }

    /// A one-segment (ALL) Kanwil of 150,000 members with three branches (potential shares 40/35/25%,
    /// 80,000 / 45,000 / 25,000 members): the branches' ALL and TOTAL targets are one and the same
    /// (before, the first branch got an ALL target of 64,994, below its 80,000 members, and a TOTAL of
    /// 84,453), every margin sums exactly, and each branch's months sum to its annual target.
    @Test func aOneSegmentKanwilSplitsConsistently() throws {
        let branches = [
            BranchPlan(name: "KC A", potentialShare: 0.40, active: 80_000), BranchPlan(name: "KC B", potentialShare: 0.35, active: 45_000),
            BranchPlan(name: "KC C", potentialShare: 0.25, active: 25_000),
        ]
        var s = RuleOracleTests.scenario(branches: branches)
        s.segments = [SegmentPlan(name: "ALL", model: .auto, lapseRatePerYear: 0.2)]
        s.regions[0].potential.split = .shares(["ALL": 1])
        var obs: [History.Observation] = [.init(month: RuleOracleTests.dec2017, region: RuleOracleTests.region, segment: "ALL", metric: .active, value: 150_000)]
        for m in 1...12 { obs.append(.init(month: RuleOracleTests.month(2017, m), region: RuleOracleTests.region, segment: "ALL", metric: .acquisitions, value: 6_000)) }
        let h = History(observations: obs)
        let projection = Engine.project(s, calibrations: try Calibration.run(s, history: h))
        let view = PlanYearView.build(s, history: h, projection: projection, monteCarlo: nil)
        for metric in [TargetRow.Metric.active, .acquisitions] {
            let kanwil = Int(view.targets.first { $0.segment == "ALL" && $0.metric == metric && $0.basis == .projection }!.target)
            let all = view.branches.filter { $0.segment == "ALL" && $0.metric == metric }
            let total = view.branches.filter { $0.segment == History.totalSegment && $0.metric == metric }
            #expect(all.map(\.target) == total.map(\.target), "\(metric)")
            #expect(all.map(\.target).reduce(0, +) == kanwil, "\(metric)")
            if metric == .active {
                // The Kanwil grows, so no branch falls below its members.
                for (b, branch) in zip(all, branches) { #expect(Double(b.target) >= branch.active!, "\(b.branch)") }
            }
            // Months: each branch's sum to its annual (flows) or end on it (stocks); each month's branches to the Kanwil's.
            let kanwilMonths = view.phasing.first { $0.row.segment == "ALL" && $0.row.metric == metric && $0.row.basis == .projection }!.months
            for b in all {
                if metric == .acquisitions { #expect(b.months.reduce(0) { $0 + $1! } == Double(b.target), "\(b.branch)") }
                else { #expect(b.months[11] == Double(b.target), "\(b.branch)") }
            }
            for k in 0..<12 { #expect(all.reduce(0) { $0 + $1.months[k]! } == kanwilMonths[k].value!, "\(metric) month \(k + 1)") }
        }
    }
}
