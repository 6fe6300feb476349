import Foundation
import Testing

@testable import Planning

/// The reactivation lever (issue 21) against hand computations: a share of the non-active pool a
/// year, month by month on what remains, on top of the fitted flows, counted apart from acquisitions.
@Suite struct ReactivationTests {
    typealias O = RuleOracleTests

    /// PU at 6,000 with no acquisitions and `lapse` a year; a pool of 1,200 non-active (stated, or the
    /// history's `inactive`), half of it reactivated a year.
    static func scenario(lapse: Double = 0, pool: Double? = 1_200, share: Double = 0.5, uncertain: Distribution? = nil, draws: Int = 200)
        -> (Scenario, History)
    {
        var (s, h) = IuranRevenueTests.heldStock(lapse: lapse, draws: draws, seed: 5)
        s.levers.reactivation = [ReactivationLever(segment: "PU", pool: pool, sharePerYear: share, shareUncertainty: uncertain)]
        h.observations.append(.init(month: O.dec2017, region: O.region, segment: "PU", metric: .inactive, value: 900))
        return (s, h)
    }

    /// No lapses: 1,200 × (1 − (1 − 0.5)) = 600 reactivated in 2018, month k 1,200 × 0.5^((k−1)/12) ×
    /// (1 − 0.5^(1/12)); December active 6,600; acquisitions 0 (reactivations are not acquisitions);
    /// every draw the same; the reactivations target 600 (±1 for the floor to whole persons).
    @Test func halfThePoolInAYear() throws {
        let (s, h) = Self.scenario()
        let (projection, mc, view) = try IuranRevenueTests.run(s, h)
        let rows = projection.rows.filter { $0.month.year == 2018 }
        let m = 1 - pow(0.5, 1.0 / 12)
        for (k, r) in rows.enumerated() {
            #expect(abs(r.reactivations - 1_200 * pow(0.5, Double(k) / 12) * m) < 1e-9, "\(r.month) \(r.reactivations)")
            #expect(r.grossAcquisitions == 0 && r.acquisitions == 0)
        }
        #expect(abs(rows.reduce(0) { $0 + $1.reactivations } - 600) < 1e-9)
        #expect(abs(rows.last!.active! - 6_600) < 1e-9)
        #expect(mc!.cells[0].planYear(.reactivations)!.allSatisfy { abs($0 - 600) < 1e-6 })
        #expect(mc!.cells[0].planYear(.acquisitions)!.allSatisfy { $0 == 0 })
        let row = view.targets.first { $0.segment == "PU" && $0.metric == .reactivations }!
        #expect(abs(row.target - 600) <= 1 && row.grossAcquisitionsNeeded == nil)
        #expect(view.targets.first { $0.segment == "PU" && $0.metric == .acquisitions }!.target == 0)
        let total = view.targets.first { $0.segment == History.totalSegment && $0.metric == .reactivations }!
        #expect(total.target == row.target)
        #expect(view.phased(row)!.values.reduce(0, +) == row.target)
    }

    /// With lapses of 50% a year (λ = 1 − 0.5^(1/12)) the reactivated lapse too: R_k = R_{k−1}(1 − λ) +
    /// reactivated_k, and the diffusion stock halves. python3 (the same recurrence, written out):
    /// A_Dec = 3,000, R_Dec = 428.1342793869259, reactivated in the year 599.9999999999999.
    @Test func reactivatedMembersLapseAtTheSegmentsRate() throws {
        let (s, h) = Self.scenario(lapse: 0.5)
        let (projection, _, _) = try IuranRevenueTests.run(s, h)
        let rows = projection.rows.filter { $0.month.year == 2018 }
        #expect(abs(rows.last!.active! - 3_428.1342793869267) < 1e-6, "\(rows.last!.active!)")
        #expect(abs(rows.reduce(0) { $0 + $1.reactivationChange } - 428.1342793869259) < 1e-6)
    }

    /// Without a stated pool the history's `inactive` (900) is the pool: 450 in the year; with
    /// neither, the run is refused and the error names the metric and the key.
    @Test func thePoolComesFromTheHistory() throws {
        let (s, h) = Self.scenario(pool: nil, draws: 0)
        let (projection, _, _) = try IuranRevenueTests.run(s, h)
        #expect(abs(projection.rows.filter { $0.month.year == 2018 }.reduce(0) { $0 + $1.reactivations } - 450) < 1e-9)
        let without = History(observations: h.observations.filter { $0.metric != .inactive })
        #expect(throws: PlanningError.self) { try Calibration.run(s, history: without) }
        do { _ = try Calibration.run(s, history: without) } catch { #expect("\(error)".contains("'inactive'") && "\(error)".contains("levers.reactivation.pool")) }
    }

    /// A drawn share: each draw reactivates 1,200 × its share (no lapses), so the draws divided by
    /// 1,200 are a uniform[0.2, 0.6]: inside the range, mean 0.4 within 4 standard errors
    /// (σ = 0.4/√12 = 0.1155, 2,000 draws: 0.0103); the median target reached by half the draws.
    @Test func theShareIsDrawnPerDraw() throws {
        let (s, h) = Self.scenario(uncertain: .uniform(min: 0.2, max: 0.6), draws: 2_000)
        let (_, mc, view) = try IuranRevenueTests.run(s, h)
        let shares = mc!.cells[0].planYear(.reactivations)!.map { $0 / 1_200 }
        #expect(shares.allSatisfy { $0 >= 0.2 - 1e-12 && $0 <= 0.6 + 1e-12 })
        #expect(abs(shares.reduce(0, +) / Double(shares.count) - 0.4) < 0.0103)
        let row = view.targets.first { $0.segment == "PU" && $0.metric == .reactivations }!
        #expect(abs(row.probability! - 0.5) < 0.01)
    }
}
