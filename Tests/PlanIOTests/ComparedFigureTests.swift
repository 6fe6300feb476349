import Foundation
import Testing

@testable import PlanIO
@testable import Planning

/// Differences are taken on one basis only (docs/uncertainty.md, "One number per label"): a P50
/// beside a deterministic figure is not a difference, so compare.csv leaves `_vs_first` empty and the
/// table shows "—"; on the same basis, the shown figures' difference (hand: 1,100 − 1,000 = +100).
@Suite struct ComparedFigureTests {
    static func figure(active: Double, acquisitions: Double, median: Bool) -> PlanYearFigure {
        var f = PlanYearFigure(
            year: 2018, region: "R", segment: "PU", yearEndActive: active, acquisitions: acquisitions, potential: 10_000, coverage: active / 10_000,
            activeQuantiles: nil, acquisitionQuantiles: nil, activeMedian: nil, acquisitionsMedian: nil)
        if median {
            f.activeMedian = active + 10
            f.acquisitionsMedian = acquisitions + 10
        }
        return f
    }

    @Test func differencesOnlyOnOneBasis() {
        let first = Self.figure(active: 1_000, acquisitions: 200, median: false)
        let deterministic = Self.figure(active: 1_100, acquisitions: 250, median: false)
        let p50 = Self.figure(active: 1_100, acquisitions: 250, median: true)
        let rows = ComparedFigure.rows([("a", [first]), ("b", [deterministic]), ("c", [p50])])
        #expect(rows[1].activeVsFirst == 100 && rows[1].acquisitionsVsFirst == 50)
        #expect(rows[2].figure.basis == .p50 && rows[2].activeVsFirst == nil && rows[2].acquisitionsVsFirst == nil && rows[2].iuranVsFirst == nil)
        #expect(Words(indonesian: false).compareCells(rows[2], .juta)[9] == "—")
    }
}
