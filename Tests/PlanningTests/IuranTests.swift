import Testing

@testable import Planning

/// Iuran arithmetic against hand-computed figures (issue 21: "hand-checked at the level of single draws").
@Suite struct IuranTests {
    /// 6,000 BPU members on the Rp 16,800 package for 12 months at full collection:
    /// 6,000 × 16,800 × 12 = Rp 1,209,600,000; at 90% collection Rp 1,088,640,000.
    @Test func bpuPackageForAYear() {
        let members = [Double](repeating: 6_000, count: 12)
        #expect(Contribution.bpuBasic.revenue(members: members, collection: 1) == 1_209_600_000)
        #expect(Contribution.bpuBasic.revenue(members: members, collection: 0.9) == 1_088_640_000)
        #expect(Contribution.bpuWithJHT.perMemberMonth == 36_800)
    }

    /// PU with wages below and above the JP cap (2024 rates, JKK 0.24%): 70% of members earn
    /// Rp 3,000,000 and 30% Rp 12,000,000.
    /// Below: 3,000,000 × (0.0024 + 0.003 + 0.057) + 0.03 × 3,000,000 = 187,200 + 90,000 = 277,200.
    /// Above: 12,000,000 × 0.0624 + 0.03 × 10,042,300 = 748,800 + 301,269 = 1,050,069.
    /// Mean: 0.7 × 277,200 + 0.3 × 1,050,069 = 194,040 + 315,020.7 = 509,060.7 a member-month.
    /// Capping the average wage instead (5,700,000, below the cap): 5,700,000 × 0.0624 + 0.03 ×
    /// 5,700,000 = 355,680 + 171,000 = 526,680, which overstates by 17,619.3 (3.5%).
    @Test func puWagesAboveAndBelowTheCap() {
        let rates = Contribution.ProgrammeRates.year2024(jkk: 0.0024)
        #expect(abs(rates.contribution(wage: 3_000_000) - 277_200) < 1e-6)
        #expect(abs(rates.contribution(wage: 12_000_000) - 1_050_069) < 1e-6)
        let pu = Contribution.wages(bands: [.init(wage: 3_000_000, share: 0.7), .init(wage: 12_000_000, share: 0.3)], rates: rates)
        #expect(abs(pu.perMemberMonth - 509_060.7) < 1e-6)
        let averaged = Contribution.wages(bands: [.init(wage: 5_700_000, share: 1)], rates: rates)
        #expect(abs(averaged.perMemberMonth - 526_680) < 1e-6)
        #expect(abs(averaged.perMemberMonth - pu.perMemberMonth - 17_619.3) < 1e-6)
        // One draw's year: 11,924 members every month at 95% collection.
        let year = pu.revenue(members: [Double](repeating: 11_924, count: 12), collection: 0.95)
        #expect(abs(year - 11_924 * 509_060.7 * 12 * 0.95) < 1e-3)
    }

    /// A stated amount is taken as it is.
    @Test func statedAmount() {
        #expect(Contribution.stated(rupiah: 25_000).revenue(members: 1_000, collection: 0.8) == 20_000_000)
    }
}

/// Iuran through the engine, Monte Carlo and the targets, against hand figures: a stock that cannot
/// move (no acquisitions, no lapses) makes every draw's year a hand computation.
@Suite struct IuranRevenueTests {
    typealias O = RuleOracleTests

    /// PU held at 6,000 members all year (lapse 0, 0 acquisitions a month stated) on the BPU package.
    static func flat(collection: Double = 1, uncertain: Distribution? = nil, draws: Int = 400) -> (Scenario, History) {
        var (s, h) = heldStock(draws: draws, seed: 7)
        s.segments[0].iuran = IuranPlan(contribution: .bpuBasic, collection: collection, collectionUncertainty: uncertain)
        return (s, h)
    }

    /// PU at 6,000 in Dec 2017 with no acquisitions (stated 0 a month) and `lapse` a year: without
    /// lapses the stock cannot move, so every draw's figures are hand computations. Plan year 2018.
    static func heldStock(lapse: Double = 0, draws: Int, seed: UInt64) -> (Scenario, History) {
        var s = O.scenario(lapse: lapse)
        s.segments[0].lapseRatePerYear = lapse
        s.segments[0].acquisitionsPerMonth = 0
        s.uncertainty = UncertaintySettings(draws: draws, seed: seed)
        s.targets = TargetSettings(planYear: 2018, confidence: 0.5)
        return (s, History(observations: [.init(month: O.dec2017, region: O.region, segment: "PU", metric: .active, value: 6_000)]))
    }

    static func run(_ s: Scenario, _ h: History) throws -> (Projection, MonteCarlo.Result?, PlanYearView) {
        let cals = try Calibration.run(s, history: h)
        let projection = Engine.project(s, calibrations: cals)
        let mc = s.uncertainty.draws == 0 ? nil : MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: 2018, threads: 2))
        return (projection, mc, PlanYearView.build(s, history: h, projection: projection, monteCarlo: mc))
    }

    /// 6,000 × Rp 16,800 × 12 = Rp 1,209,600,000 in every draw, in the deterministic projection, as
    /// the target (P(reach) 1), and Rp 100,800,000 in each month of its phasing; at 90% collection
    /// Rp 1,088,640,000.
    @Test func sixThousandBPUForAYear() throws {
        for (collection, year) in [(1.0, 1_209_600_000.0), (0.9, 1_088_640_000.0)] {
            let (s, h) = Self.flat(collection: collection)
            let (projection, mc, view) = try Self.run(s, h)
            #expect(projection.rows.filter { $0.month.year == 2018 }.allSatisfy { abs($0.iuran! - 100_800_000 * collection) < 1e-3 })
            let draws = mc!.cells[0].planYear(.iuran)!
            #expect(draws.count == 400 && draws.allSatisfy { abs($0 - year) < 1e-3 }, "\(draws.prefix(3))")
            let row = view.targets.first { $0.segment == "PU" && $0.metric == .iuran }!
            #expect(row.target == year && row.probability == 1 && row.grossAcquisitionsNeeded == nil)
            let months = view.phased(row)!.months.map(\.value)
            #expect(months.allSatisfy { $0 == 100_800_000 * collection })
            let total = view.targets.first { $0.segment == History.totalSegment && $0.metric == .iuran }!
            #expect(total.target == year)
            #expect(view.figures.first { $0.segment == "PU" }!.iuran! == year)
        }
    }

    /// A budget cohort's members pay their cohort's cost, the rest the segment's contribution: 6,000
    /// members of whom 2,000 are a cohort already enrolled, renewed for sure, at Rp 16,800, the other
    /// 4,000 on Rp 36,800: 12 × (4,000 × 36,800 + 2,000 × 16,800) = 12 × 180,800,000 = Rp 2,169,600,000.
    @Test func budgetCohortMembersPayTheirOwnCost() throws {
        var (s, h) = Self.flat()
        s.segments[0].iuran = IuranPlan(contribution: .bpuWithJHT)
        s.levers.budgetCohorts = BudgetCohortLever(
            segment: "PU", size: .persons(LeverPath(constant: 2_000)), costPerPersonMonth: 16_800, renewalProbability: 1, enrolledAtStart: 2_000)
        let (projection, mc, view) = try Self.run(s, h)
        #expect(projection.rows.filter { $0.month.year == 2018 }.allSatisfy { abs($0.active! - 6_000) < 1e-6 })
        #expect(mc!.cells[0].planYear(.iuran)!.allSatisfy { abs($0 - 2_169_600_000) < 1e-3 })
        #expect(view.targets.first { $0.metric == .iuran && $0.segment == "PU" }!.target == 2_169_600_000)
    }

    /// A drawn collection rate: each draw's year is 1,209,600,000 × its rate, so the draws are a
    /// uniform[0.8, 1.0] scaled: inside the range, mean 0.9 within 4 standard errors (σ = 0.2/√12,
    /// 2,000 draws: 4 × 0.0577/√2000 = 0.0052), the median target reached by half the draws.
    @Test func collectionDrawnPerDraw() throws {
        let (s, h) = Self.flat(uncertain: .uniform(min: 0.8, max: 1.0), draws: 2_000)
        let (projection, mc, view) = try Self.run(s, h)
        let rates = mc!.cells[0].planYear(.iuran)!.map { $0 / 1_209_600_000 }
        #expect(rates.allSatisfy { $0 >= 0.8 - 1e-12 && $0 <= 1.0 + 1e-12 })
        let mean = rates.reduce(0, +) / Double(rates.count)
        #expect(abs(mean - 0.9) < 0.0052, "mean rate \(mean)")
        // The deterministic projection at the stated (central) rate.
        #expect(abs(projection.rows.first { $0.month.year == 2018 }!.iuran! - 100_800_000 * 0.9) < 1e-3)
        let row = view.targets.first { $0.metric == .iuran && $0.segment == "PU" }!
        #expect(abs(row.probability! - 0.5) < 0.01)
        #expect(row.quantiles![0] < row.target && row.target < row.quantiles![2])
    }

    /// Realised months: the history's iuran counts as it is; a month with members but no iuran is
    /// estimated (members × contribution × collection) and flagged. Actuals to Mar 2018 at 90%
    /// collection: Jan and Feb iuran given (90,000,000 and 95,000,000), Mar only members (6,000 ×
    /// 16,800 × 0.9 = 90,720,000). The projected months share what remains in proportion to the
    /// projection's iuran (to the rupiah).
    @Test func realisedMonthsComeFromTheHistoryOrAreFlaggedEstimates() throws {
        var (s, h) = Self.flat(collection: 0.9)
        // The stated rate as is (these months' iuran would calibrate it by 185,000,000 / 183,708,000:
        // IuranCalibrationTests and IuranCalibrationCommandTests take that case).
        s.segments[0].iuran?.calibrate = false
        s.actualsUntil = O.month(2018, 3)
        for m in 1...3 { h.observations.append(.init(month: O.month(2018, m), region: O.region, segment: "PU", metric: .active, value: 6_000 + Double(m) * 50)) }
        h.observations.append(.init(month: O.month(2018, 1), region: O.region, segment: "PU", metric: .iuran, value: 90_000_000))
        h.observations.append(.init(month: O.month(2018, 2), region: O.region, segment: "PU", metric: .iuran, value: 95_000_000))
        s.uncertainty.draws = 0
        let (projection, _, view) = try Self.run(s, h)
        let row = view.targets.first { $0.metric == .iuran && $0.segment == "PU" }!
        // 90 + 95 + 6,150 × 16,800 × 0.9 = 92,988,000 realised, then the projected April to December.
        let rows = projection.rows.filter { $0.month.year == 2018 }
        let projected = rows.reduce(0) { $0 + $1.iuran! }
        #expect(rows.first!.month == O.month(2018, 4))
        #expect(row.realisedToDate == 277_988_000 && row.realisedThrough == O.month(2018, 3))
        #expect(row.target == (277_988_000 + projected).rounded(.down))
        #expect(row.flags.contains(.iuranEstimated) && !row.flags.contains(.partYear))
        // The history has no acquisitions for January to March: that target is part of a year, and says so.
        #expect(view.targets.first { $0.metric == .acquisitions && $0.segment == "PU" }!.flags.contains(.partYear))
        // So is the region's TOTAL that sums it (issue 30: every figure says what part of the year it covers);
        // its iuran total, summing a full year, is not.
        #expect(view.targets.first { $0.metric == .acquisitions && $0.segment == History.totalSegment }!.flags.contains(.partYear))
        #expect(!view.targets.first { $0.metric == .iuran && $0.segment == History.totalSegment }!.flags.contains(.partYear))
        let months = view.phased(row)!.months
        #expect(months.prefix(3).map(\.value) == [90_000_000, 95_000_000, 92_988_000])
        #expect(months[0].status == .realised && months[2].status == .estimated)
        let remaining = row.target - 277_988_000
        for (m, r) in zip(months.dropFirst(3), rows) {
            #expect(abs(m.value! - r.iuran! / projected * remaining) <= 1, "\(r.month): \(m.value!) vs \(r.iuran! / projected * remaining)")
        }
        // With the March iuran given too, nothing is estimated.
        h.observations.append(.init(month: O.month(2018, 3), region: O.region, segment: "PU", metric: .iuran, value: 99_000_000))
        let (_, _, again) = try Self.run(s, h)
        let r2 = again.targets.first { $0.metric == .iuran && $0.segment == "PU" }!
        #expect(!r2.flags.contains(.iuranEstimated) && r2.realisedToDate == 284_000_000)
    }
}

/// JAKON by contract value (domain-brief §8, marginal tiers), by hand.
@Suite struct JakonIuranTests {
    /// Rp 100 M: 100 M × 0.24% = 240,000. Rp 2 bn: 240,000 + 400 M × 0.19% (760,000) + 500 M × 0.15%
    /// (750,000) + 1 bn × 0.12% (1,200,000) = 2,950,000. Rp 10 bn: 240,000 + 760,000 + 750,000 + 4 bn ×
    /// 0.12% (4,800,000) + 5 bn × 0.10% (5,000,000) = 11,550,000.
    @Test func tiersAreMarginal() {
        #expect(abs(Contribution.JakonTiers.fee(contractValue: 100_000_000) - 240_000) < 1e-6)
        #expect(abs(Contribution.JakonTiers.fee(contractValue: 2_000_000_000) - 2_950_000) < 1e-6)
        #expect(abs(Contribution.JakonTiers.fee(contractValue: 10_000_000_000) - 11_550_000) < 1e-6)
    }

    /// Half the projects at Rp 2 bn and half at Rp 100 M, 50 workers a project: (0.5 × 2,950,000 +
    /// 0.5 × 240,000) / 50 = Rp 31,900 per registered worker; a flow-only segment's month of iuran is
    /// its acquisitions × 31,900 × collection (90%).
    @Test func perRegisteredWorkerOfAFlowOnlySegment() throws {
        let projects = Contribution.projects(bands: [.init(value: 2_000_000_000, share: 0.5), .init(value: 100_000_000, share: 0.5)], workersPerProject: 50)
        #expect(abs(projects.perMemberMonth - 31_900) < 1e-9)
        var s = RuleOracleTests.scenario()
        s.segments = [SegmentPlan(name: "JAKON", flowOnly: true)]
        s.segments[0].iuran = IuranPlan(contribution: projects, collection: 0.9)
        var obs: [History.Observation] = []
        for m in 1...12 {
            obs.append(.init(month: RuleOracleTests.month(2017, m), region: RuleOracleTests.region, segment: "JAKON", metric: .acquisitions, value: 1_000))
        }
        let rows = try RuleOracleTests.project(s, History(observations: obs))
        #expect(!rows.isEmpty && rows.allSatisfy { abs($0.iuran! - $0.acquisitions * 31_900 * 0.9) < 1e-6 && $0.acquisitions > 0 })
    }
}

/// History iuran far from what the month's members pay is said, never corrected.
@Suite struct IuranPlausibilityTests {
    /// 6,000 members on Rp 16,800 at 90% collection in January and February 2018, with these iuran
    /// rows (history lines 7 and 8): what the plausibility check says of them.
    static func implausible(january: Double, february: Double) -> [(line: Int, message: String)] {
        var (s, h) = IuranRevenueTests.flat(collection: 0.9)
        s.actualsUntil = RuleOracleTests.month(2018, 2)
        for m in 1...2 { h.observations.append(.init(month: RuleOracleTests.month(2018, m), region: RuleOracleTests.region, segment: "PU", metric: .active, value: 6_000)) }
        h.observations.append(.init(month: RuleOracleTests.month(2018, 1), region: RuleOracleTests.region, segment: "PU", metric: .iuran, value: january, line: 7))
        h.observations.append(.init(month: RuleOracleTests.month(2018, 2), region: RuleOracleTests.region, segment: "PU", metric: .iuran, value: february, line: 8))
        return IuranPlan.implausibleFigures(s, history: h).map { ($0.line, $0.message.english) }
    }

    /// 6,000 members on Rp 16,800 at 90% pay Rp 90,720,000 a month: a row of Rp 1,088,640,000 (a
    /// year's worth) is 12.0× that and warned about, with its line; Rp 90,000,000 is not.
    @Test func aYearInAMonthlyRowIsWarnedAbout() {
        let found = Self.implausible(january: 90_000_000, february: 1_088_640_000)
        #expect(found.count == 1 && found[0].line == 8 && found[0].message.contains("12.0×") && found[0].message.contains("Rp 90,720,000"), "\(found)")
    }

    /// Under a third is warned about too (rupiah written in thousands): the same 6,000 members owe
    /// Rp 90,720,000; Rp 25,000,000 is 25 / 90.72 = 0.2756 → "0.28×" of it, under a third, warned;
    /// Rp 31,000,000 is 0.3417×, over a third, not.
    @Test func underAThirdOfTheDueIsWarnedAbout() {
        let found = Self.implausible(january: 25_000_000, february: 31_000_000)
        #expect(found.count == 1 && found.first?.line == 7 && found.first?.message.contains("0.28×") == true, "\(found)")
        #expect(found.first?.message.contains("Rp 90,720,000") == true)
    }
}
