import Foundation
import Testing

@testable import PlanIO
import Planning

/// A June re-forecast of a plan whose honorary ramp started in March (issue 30, item 3): the ramp's
/// members are in the history's figures, so July adds one month of the ramp, not the backlog.
/// Ramp 0.3 at Mar 2018 → 0.9 at Dec 2018 on 50,000: +0.6/9 a month, 0.5 planned by June (25,000).
@Suite struct HonoraryUnderWayTests {
    static let fixture = RunCommandTests.root.appendingPathComponent("Tests/Fixtures/midyear-2018/scenario.yaml").path
    static let lever = "levers.honorary={pool: 50000, segment: PU, ramp: [{month: 2018-03, share: 0.3}, {month: 2018-12, share: 0.9}]}"

    static func july(_ c: RunJob.Computed) throws -> ProjectionRow {
        try #require(c.projection.rows.first { $0.segment == "PU" && $0.month == Month(year: 2018, month: 7) })
    }

    @Test func julyAddsOneMonthOfTheRampAndTheRunSaysWhatItTook() throws {
        let c = try RunJob.compute(scenarioPath: Self.fixture, overrides: [Self.lever], settings: RunJob.Settings(draws: 0))
        // 50,000 × 0.6/9 = 3,333.33 (before: the 25,000 planned by June plus July's 3,333.33 at once).
        let july = try Self.july(c).honoraryChange
        #expect(abs(july - 50_000 * 0.6 / 9) < 1e-6, "\(july)")
        // The joiners counted as acquisitions in July are those of July alone.
        let joiners = try Self.july(c).programmeJoiners
        #expect(abs(joiners - 50_000 * 0.6 / 9) < 1e-6, "\(joiners)")
        let said = c.checked.warnings.map(\.english)
        #expect(said.contains { $0.contains("the ramp is under way at actuals_until (2018-06): the 25,000 persons it plans by then are taken as already in the history's figures") }, "\(said)")
        // Stated: 10,000 in the history; the rest to 45,000 at December over 6 months, 5,833.33 a month.
        let stated = try RunJob.compute(
            scenarioPath: Self.fixture, overrides: [Self.lever, "levers.honorary.already_enrolled=10000"], settings: RunJob.Settings(draws: 0))
        let statedJuly = try Self.july(stated).honoraryChange
        #expect(abs(statedJuly - 35_000.0 / 6) < 1e-6, "\(statedJuly)")
        #expect(!stated.checked.warnings.contains { $0.english.contains("under way") })
        // A ramp that ended by June (0.5 at April) with 10,000 stated: 15,000 join in July, warned.
        let ended = try RunJob.compute(
            scenarioPath: Self.fixture,
            overrides: ["levers.honorary={pool: 50000, segment: PU, ramp: [{month: 2018-04, share: 0.5}], already_enrolled: 10000}"],
            settings: RunJob.Settings(draws: 0))
        let endedJuly = try Self.july(ended).honoraryChange
        #expect(abs(endedJuly - 15_000) < 1e-6, "\(endedJuly)")
        #expect(ended.checked.warnings.contains {
            $0.english.contains("the ramp has no point after actuals_until (2018-06): the 15,000 persons between the 10,000 members then and its last level (25,000) join in one month, 2018-07")
        })
    }

    @Test func alreadyEnrolledAboveThePoolIsRefused() throws {
        let r = try CommandLineTests.rkat(["validate", Self.fixture, "--set", Self.lever, "--set", "levers.honorary.already_enrolled=60000", "--lang", "en"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("levers.honorary.already_enrolled: expected at most the pool the ramp acts on (50000 persons), got 60000"), "\(r.stderr)")
        // The whole pool is the limit itself.
        #expect(try CommandLineTests.rkat(["validate", Self.fixture, "--set", Self.lever, "--set", "levers.honorary.already_enrolled=50000"]).status == 0)
    }
}
