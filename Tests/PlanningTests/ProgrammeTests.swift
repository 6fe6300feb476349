import Fitting
import Foundation
import Testing

@testable import Planning

/// Programmes as planners state them (docs/engine.md, "Programmes"): cohorts in persons or by budget,
/// enrolled over stated months from their own start, capped by the uncovered potential, counted as
/// new members, and never added again when already running. The setting is RuleOracleTests': PU with
/// a potential of 1,000,000, 400,000 members at Dec 2017 (actuals_until), 10,000 acquisitions a month,
/// lapses 20% a year.
@Suite struct ProgrammeTests {
    typealias O = RuleOracleTests

    static func lever(_ size: BudgetCohortLever.Size, enrolment: Int = 3, enrolledAtStart: Double = 0) -> BudgetCohortLever {
        BudgetCohortLever(segment: "PU", size: size, costPerPersonMonth: 16_800, renewalProbability: 1, enrolmentMonths: enrolment, enrolledAtStart: enrolledAtStart)
    }

    static func rows(_ lever: BudgetCohortLever?, horizon: Month = Month(year: 2018, month: 12)) throws -> (rows: [ProjectionRow], warnings: [String]) {
        let s = O.scenario(horizon: horizon, levers: Levers(budgetCohorts: lever))
        let p = Engine.project(s, calibrations: try Calibration.run(s, history: O.history()))
        return (p.rows, p.warnings.map(\.english))
    }

    static let august = Month(year: 2018, month: 8)

    /// KC Tebing Tinggi 2022 in this setting: 6,000 pekerja rentan from August, enrolled over three
    /// months: +2,000 in August, September and October (not 6,000 in August), counted as acquisitions;
    /// no member of the segment is pushed out (the total stays above the run without the programme).
    @Test func sixThousandFromAugustEnrolOverThreeMonthsAsNewMembers() throws {
        let with = try Self.rows(Self.lever(.persons(LeverPath(steps: [(Self.august, 6_000)], initial: 0)))).rows
        let without = try Self.rows(nil).rows
        for (k, r) in with.enumerated() {
            let expected = (8...10).contains(r.month.month) ? 2_000.0 : 0  // 6,000 / 3 a month, August to October
            #expect(O.close(r.budgetCohortChange, expected), "\(r.month): \(r.budgetCohortChange)")
            #expect(O.close(r.programmeJoiners, expected), "\(r.month)")
            // Joiners are acquisitions (peserta baru): gross + villages + joiners.
            #expect(O.close(r.acquisitions, r.grossAcquisitions + r.villageInflow + expected))
            #expect(r.active! >= without[k].active! - 1e-6, "\(r.month)")
            #expect(r.ceilingAdjustment! == 0)
        }
        #expect(O.close(with.last!.active! - without.last!.active!, 6_000, 1e-6) || with.last!.active! - without.last!.active! < 6_000)
    }

    /// The same cohort stated by budget: Rp 6,000 × 16,800 × 12 = Rp 1,209,600,000 a year gives the
    /// same projection, row for row.
    @Test func personsAndBudgetGiveTheSameProjection() throws {
        let persons = try Self.rows(Self.lever(.persons(LeverPath(steps: [(Self.august, 6_000)], initial: 0)))).rows
        let budget = try Self.rows(Self.lever(.budget(LeverPath(steps: [(Self.august, 1_209_600_000)], initial: 0)))).rows
        #expect(persons == budget)
        #expect(Self.lever(.persons(LeverPath(constant: 6_000))).budgetPerYear(forPersons: 6_000) == 1_209_600_000)
    }

    /// The enrolment spread is the same whatever the start month: a January step and an August step
    /// both enrol a third a month for three months; `enrolment_months: 1` enrols at once.
    @Test func enrolmentSpreadDoesNotDependOnTheStartMonth() throws {
        let jan = try Self.rows(Self.lever(.persons(LeverPath(steps: [(Month(year: 2018, month: 1), 3_000)], initial: 0)))).rows
        #expect(jan.prefix(4).map(\.budgetCohortChange).map { $0.rounded() } == [1_000, 1_000, 1_000, 0])
        let once = try Self.rows(Self.lever(.persons(LeverPath(steps: [(Self.august, 3_000)], initial: 0)), enrolment: 1)).rows
        #expect(once.map(\.budgetCohortChange).map { $0.rounded() } == [0, 0, 0, 0, 0, 0, 0, 3_000, 0, 0, 0, 0])
    }

    /// A mistyped cost makes a 6,000,000-person cohort in a potential of 1,000,000 with 400,000
    /// members: it grows only into the uncovered potential (never above it), the members already
    /// counted stay (no ceiling adjustment, the total never falls below the run without it), and the
    /// projection says how many planned members were cut, from which month.
    @Test func anOversizedCohortIsCappedByTheUncoveredPotential() throws {
        let (rows, warnings) = try Self.rows(Self.lever(.persons(LeverPath(steps: [(Month(year: 2018, month: 1), 6_000_000)], initial: 0))))
        let without = try Self.rows(nil).rows
        for (k, r) in rows.enumerated() {
            #expect(r.active! <= r.potential! + 1e-6, "\(r.month)")
            #expect(r.active! >= without[k].active! - 1e-6, "\(r.month)")
            #expect(r.ceilingAdjustment! == 0, "\(r.month)")
        }
        // January: the room is 1,000,000 − 400,000 = 600,000 before anyone joins; the planned 2,000,000
        // (6,000,000 / 3) are cut to it.
        #expect(O.close(rows[0].programmeJoiners, 600_000, 1e-9), "\(rows[0].programmeJoiners)")
        #expect(warnings.count == 1 && warnings[0].contains("PU") && warnings[0].contains("2018-01") && warnings[0].contains("do not fit"), "\(warnings)")
    }

    /// A cohort already running at actuals_until (6,000 enrolled, in the history's 400,000) is not
    /// added again: no joiners in its first year, and the segment's total at the first month is the
    /// run without the programme's, up to the lapses the cohort's members no longer take.
    @Test func aRunningCohortIsNotAddedAgain() throws {
        let lever = Self.lever(.persons(LeverPath(constant: 6_000)), enrolledAtStart: 6_000)
        let rows = try Self.rows(lever).rows
        let without = try Self.rows(nil).rows
        for r in rows { #expect(r.programmeJoiners == 0 && abs(r.budgetCohortChange) < 1e-9, "\(r.month)") }
        // The members moved from the diffusion stock into the cohort do not lapse at λ: λ·6,000 more
        // stay in January than without the programme (λ = 1 − 0.8^(1/12) = 0.018423470126248).
        let lambda = 1 - pow(0.8, 1.0 / 12)
        #expect(O.close(rows[0].active! - without[0].active!, lambda * 6_000, 1e-6), "\(rows[0].active! - without[0].active!)")
    }

    /// An honorary pool the history already covers in full adds nothing.
    @Test func aPoolAlreadyCoveredAddsNothing() throws {
        let honorary = HonoraryLever(pool: 50_000, segment: "PU", ramp: [(Month(year: 2018, month: 12), 0.9)], renewalProbability: 1, alreadyCovered: 1)
        let s = O.scenario(levers: Levers(honorary: honorary))
        let rows = Engine.project(s, calibrations: try Calibration.run(s, history: O.history())).rows
        let without = try Self.rows(nil).rows
        #expect(rows.map(\.active) == without.map(\.active))
        let notes = try Calibration.run(s, history: O.history())[0].notes
        #expect(notes.contains { $0.english.contains("100% already covered") })
    }
}
