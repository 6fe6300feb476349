import Foundation
import Testing

@testable import Planning

/// Every planning rule against a figure computed by hand (the arithmetic is in each test, and where a
/// figure was evaluated outside Swift the tool is named), never against another path through the code.
///
/// The engine oracles use a flow-calibrated stock segment, whose month is plain arithmetic:
/// A(t+1) = A(t) − λ·A(t) + min(g₀, room) + levers, room = K(t+1) − (A − λA), then the ceiling
/// adjustment. One stock figure (no lapse from history), so λ comes from the scenario's yearly rate.
@Suite struct RuleOracleTests {
    static let region = "Sumbagut"
    static let dec2017 = Month(year: 2017, month: 12)

    static func month(_ y: Int, _ m: Int) -> Month { Month(year: y, month: m) }

    /// Region Sumbagut, segment PU with the whole potential `total` as of Dec 2017, growing at `growth`.
    static func scenario(
        total: Double = 1_000_000, growth: Double = 0, lapse: Double = 0.2, horizon: Month = Month(year: 2018, month: 12),
        levers: Levers = Levers(), branches: [BranchPlan] = []
    ) -> Scenario {
        Scenario(
            name: "oracle",
            regions: [RegionPlan(
                name: region,
                potential: PotentialSpec(total: total, basis: "test", asOf: dec2017, growthPerYear: growth, split: .shares(["PU": 1])),
                branches: branches)],
            actualsUntil: dec2017, horizon: horizon, historyPath: "",
            segments: [SegmentPlan(name: "PU", lapseRatePerYear: lapse)], levers: levers)
    }

    /// One stock figure at Dec 2017 and 10,000 acquisitions in every month of 2017: g₀ = 10,000.
    static func history(stock: Double = 400_000, monthly: Double = 10_000) -> History {
        var obs: [History.Observation] = [.init(month: dec2017, region: region, segment: "PU", metric: .active, value: stock)]
        for m in 1...12 {
            obs.append(.init(month: month(2017, m), region: region, segment: "PU", metric: .acquisitions, value: monthly))
        }
        return History(observations: obs)
    }

    static func project(_ s: Scenario, _ h: History) throws -> [ProjectionRow] {
        Engine.project(s, calibrations: try Calibration.run(s, history: h)).rows
    }

    static func close(_ a: Double, _ b: Double, _ rel: Double = 1e-9) -> Bool { abs(a - b) <= rel * max(abs(b), 1) }

    // MARK: lapse rates

    @Test func yearlyLapseRateBecomesMonthlyByCompounding() throws {
        // 65% a year (Sumbagut PU): λ = 1 − (1 − 0.65)^(1/12) = 1 − 0.35^(1/12)
        //   = 1 − exp(ln 0.35 / 12) = 1 − exp(−1.0498221 / 12) = 1 − 0.9162325 = 0.0837675
        // (python3: 1 - 0.35**(1/12) = 0.08376754717420642). Not 0.65 / 12 = 0.0541667.
        let cal = try Calibration.run(Self.scenario(lapse: 0.65), history: Self.history())[0]
        #expect(cal.lapseSource.hasPrefix("assumption"))
        #expect(Self.close(cal.monthlyLapseRate!, 0.08376754717420642, 1e-12))
        // And back: 1 − (1 − λ)^12 = 1 − 0.35 = 0.65.
        #expect(Self.close(cal.yearlyLapseRate!, 0.65, 1e-12))
    }

    @Test func monthlyLapseRateBecomesYearlyByCompounding() throws {
        var cal = try Calibration.run(Self.scenario(), history: Self.history())[0]
        cal.monthlyLapseRate = 0.02
        // 1 − 0.98^12: 0.98² = 0.9604, ^4 = 0.92236816, ^8 = 0.850763..., ^12 = 0.784716723734800
        // → 0.2152832762652 (python3: 1 - 0.98**12). Not 12 × 0.02 = 0.24.
        #expect(Self.close(cal.yearlyLapseRate!, 0.21528327626520016, 1e-12))
    }

    @Test func lapseRateFromStockChangeAgainstAcquisitions() throws {
        // One interval: 400,000 at Jan → 404,000 at Apr 2017 with 10,000 acquisitions in each of Feb, Mar, Apr.
        // G − ΔA = 30,000 − 4,000 = 26,000 left; exposure = 3 months × (400,000 + 404,000) / 2 = 1,206,000;
        // λ = 26,000 / 1,206,000 = 0.0215588723 (python3: 26000 / 1206000).
        func history(_ stock: [(Int, Double)]) -> History {
            var obs = stock.map { History.Observation(month: Self.month(2017, $0.0), region: Self.region, segment: "PU", metric: .active, value: $0.1) }
            for m in 2...7 { obs.append(.init(month: Self.month(2017, m), region: Self.region, segment: "PU", metric: .acquisitions, value: 10_000)) }
            return History(observations: obs)
        }
        let one = try Calibration.run(Self.scenario(), history: history([(1, 400_000), (4, 404_000)]))[0]
        #expect(one.lapseSource.hasPrefix("history"))
        #expect(Self.close(one.monthlyLapseRate!, 0.02155887230514096, 1e-12))
        // Two intervals (… → 408,000 at Jul): least squares through the origin of (exposure, outflow) =
        // (1,206,000, 26,000), (1,218,000, 26,000): λ = Σxy / Σx² = 26,000 × 2,424,000 / (1,206,000² + 1,218,000²)
        // = 0.0214516195 (python3: sum(x*y)/sum(x*x)).
        let two = try Calibration.run(Self.scenario(), history: history([(1, 400_000), (4, 404_000), (7, 408_000)]))[0]
        #expect(Self.close(two.monthlyLapseRate!, 0.02145161949107544, 1e-10))
    }

    // MARK: flow projection, potential, ceiling

    @Test func threeMonthsOfAFlowProjectionWithAGrowingPotential() throws {
        // λ = 1 − 0.8^(1/12) = 0.018423470126248 (20% a year; python3: 1 - 0.8**(1/12)); g₀ = 10,000.
        let lambda = 0.018423470126248342
        let rows = try Self.project(Self.scenario(growth: 0.12), Self.history())
        // Jan: 400,000 − 0.0184235 × 400,000 + 10,000 = 400,000 − 7,369.388 + 10,000 = 402,630.612
        // Feb: 402,630.612 × (1 − λ) + 10,000 = 405,212.759;  Mar: 405,212.759 × (1 − λ) + 10,000 = 407,747.334
        // (python3 loop: a = a*(1-l) + 10000 → 402630.6119495007, 405212.758898336, 407747.3337399978)
        let active = [402_630.6119495007, 405_212.758898336, 407_747.3337399978]
        let previous = [400_000.0] + active
        // Potential 1,000,000 at Dec 2017 growing 12% a year, compounded monthly: L(Dec + k) = 1e6 × 1.12^(k/12)
        // = 1,009,488.793; 1,019,067.623; 1,028,737.345 (python3: 1e6 * 1.12**(k/12)).
        let potential = [1_009_488.792934583, 1_019_067.6230605213, 1_028_737.3447220803]
        #expect(rows.count == 12 && rows[0].month == Self.month(2018, 1))
        for k in 0..<3 {
            let r = rows[k]
            #expect(Self.close(r.active!, active[k]), "\(r.month) active \(r.active!)")
            #expect(Self.close(r.lapses!, lambda * previous[k]), "\(r.month) lapses \(r.lapses!)")
            #expect(Self.close(r.grossAcquisitions, 10_000), "\(r.month) gross \(r.grossAcquisitions)")
            #expect(Self.close(r.potential!, potential[k]), "\(r.month) potential \(r.potential!)")
            #expect(r.ceilingAdjustment! == 0)
            #expect(Self.close(r.coverage!, active[k] / potential[k]))
        }
    }

    /// A stock segment whose history has one stock figure and no acquisitions takes the scenario's
    /// `acquisitions_per_month` (an assumption, said in its method): the same arithmetic as above with
    /// g₀ = 10,000 stated, no growth (python3 loop as above → 402630.6119495007, 405212.758898336).
    @Test func statedAcquisitionsStandInForMissingFlows() throws {
        var s = Self.scenario()
        s.segments[0].acquisitionsPerMonth = 10_000
        let history = History(observations: [.init(month: Self.dec2017, region: Self.region, segment: "PU", metric: .active, value: 400_000)])
        let cal = try Calibration.run(s, history: history)[0]
        guard case .flows(let g0) = cal.dynamics else { Issue.record("not calibrated on flows"); return }
        #expect(g0 == 10_000 && cal.method.hasPrefix("assumption (scenario: 10,000 acquisitions a month"))
        let rows = try Self.project(s, history)
        #expect(Self.close(rows[0].active!, 402_630.6119495007) && Self.close(rows[1].active!, 405_212.758898336))
        // Without the statement the history is refused, and the error names the key.
        s.segments[0].acquisitionsPerMonth = nil
        #expect(throws: PlanningError.self) { try Calibration.run(s, history: history) }
        do { _ = try Calibration.run(s, history: history) } catch { #expect("\(error)".contains("acquisitions_per_month")) }
        // History flows win over the statement.
        s.segments[0].acquisitionsPerMonth = 1
        guard case .flows(let fromHistory) = try Calibration.run(s, history: Self.history())[0].dynamics else { Issue.record("not flows"); return }
        #expect(fromHistory == 10_000)
    }

    @Test func potentialGrowthIsCompoundedInTheMonthItIsDue() {
        let path = PotentialPath(points: [(Self.dec2017, 1_000_000)], growthPerYear: 0.12, basis: "test")
        // As of Dec 2017 exactly 1,000,000; three months on 1e6 × 1.12^(3/12) = 1e6 × 1.0287373 = 1,028,737.345;
        // a year on 1,120,000; three months before 1e6 × 1.12^(−1/4) = 972,065.421 (python3: 1e6 * 1.12**-0.25 = 972065.420906982).
        #expect(path.value(at: Self.dec2017) == 1_000_000)
        #expect(Self.close(path.value(at: Self.month(2018, 3)), 1_028_737.3447220803))
        #expect(Self.close(path.value(at: Self.month(2018, 12)), 1_120_000))
        #expect(Self.close(path.value(at: Self.month(2017, 9)), 972_065.420906982))
        // Two points: linear between them (Jan 1,000,000 → May 1,400,000: Mar is half-way, 1,200,000).
        let two = PotentialPath(points: [(Self.month(2018, 1), 1_000_000), (Self.month(2018, 5), 1_400_000)], growthPerYear: 0, basis: "test")
        #expect(two.value(at: Self.month(2018, 3)) == 1_200_000)
    }

    @Test func aStartAboveThePotentialIsCutBackByTheCeilingAdjustment() throws {
        // potential.total = 1,500,000 (constant), last stock 1,600,000, g₀ = 40,000, λ = 0.018423470126248.
        let lambda = 0.018423470126248342
        let rows = try Self.project(Self.scenario(total: 1_500_000), Self.history(stock: 1_600_000, monthly: 40_000))
        // Jan: lapses 0.0184235 × 1,600,000 = 29,477.552; after lapses 1,570,522.448 > 1,500,000, so the room is 0,
        // gross 0, and the ceiling adjustment removes 1,570,522.448 − 1,500,000 = 70,522.448; A = 1,500,000.
        #expect(Self.close(rows[0].lapses!, 29_477.552201997347))
        #expect(rows[0].grossAcquisitions == 0)
        #expect(Self.close(rows[0].ceilingAdjustment!, -70_522.44779800274))
        #expect(Self.close(rows[0].active!, 1_500_000))
        // Feb: lapses λ × 1,500,000 = 27,635.205; room = 1,500,000 − (1,500,000 − 27,635.205) = 27,635.205 < g₀ = 40,000:
        // gross is clipped to the room, A stays at 1,500,000, no adjustment.
        #expect(Self.close(rows[1].lapses!, lambda * 1_500_000))
        #expect(Self.close(rows[1].grossAcquisitions, 27_635.205189372515))
        #expect(rows[1].ceilingAdjustment! == 0)
        #expect(Self.close(rows[1].active!, 1_500_000))
    }

    // MARK: outreach, villages, carve-outs

    @Test func outreachRaisesFlowAcquisitionsByIntensityToTheElasticity() throws {
        // G = x^ε · g₀ = 1.3^0.6 × 10,000 = exp(0.6 × ln 1.3) × 10,000 = exp(0.6 × 0.2623643) × 10,000
        // = exp(0.1574186) × 10,000 = 11,704.85 (python3: 1.3**0.6 * 10000 = 11704.854282221195).
        let outreach = OutreachLever(intensity: LeverPath(constant: 1.3), elasticity: 0.6)
        let rows = try Self.project(Self.scenario(levers: Levers(outreach: outreach)), Self.history())
        #expect(Self.close(rows[0].grossAcquisitions, 11_704.854282221195), "\(rows[0].grossAcquisitions)")
    }

    @Test func villagesAddTheirYearlyAcquisitionsSpreadOverTwelveMonths() throws {
        // 27 villages a year × 660 acquisitions a village / 12 months = 17,820 / 12 = 1,485 a month.
        let villages = VillageLever(segment: "PU", villagesPerYear: LeverPath(constant: 27), acquisitionsPerVillage: 660)
        let rows = try Self.project(Self.scenario(levers: Levers(villages: villages)), Self.history())
        #expect(Self.close(rows[0].villageInflow, 1_485) && Self.close(rows[11].villageInflow, 1_485))
        // Jan: 400,000 × (1 − λ) + 10,000 + 1,485 = 392,630.612 + 11,485 = 404,115.612.
        #expect(Self.close(rows[0].active!, 404_115.6119495007))
    }

    @Test func theHonoraryPoolIsCarvedOutOfTheRoomOfTheDiffusionStock() throws {
        // Potential 1,000,000, honorary pool 200,000 (carved out whatever the ramp): K = 800,000. Start 900,000:
        // after lapses 900,000 × 0.8^(1/12) = 883,418.877 > 800,000 (python3: 0.8**(1/12) * 900000), so there is no room: gross 0.
        // H in Jan = 200,000 × 0.5 / 12 = 8,333.333 (ramp 0 → 0.5 from Dec 2017 to Dec 2018); A + H = 891,752.210
        // is under the potential, so no adjustment.
        let lever = HonoraryLever(pool: 200_000, segment: "PU", ramp: [(Self.month(2018, 12), 0.5)], renewalProbability: 1)
        let rows = try Self.project(Self.scenario(levers: Levers(honorary: lever)), Self.history(stock: 900_000))
        #expect(rows[0].grossAcquisitions == 0)
        #expect(Self.close(rows[0].honoraryChange, 8_333.333333333334))
        #expect(rows[0].ceilingAdjustment! == 0)
        #expect(Self.close(rows[0].active!, 883_418.8768863765 + 8_333.333333333334))
    }

    // MARK: honorary workers

    static let honorary = HonoraryLever(
        pool: 50_000, segment: "PU", ramp: [(Month(year: 2018, month: 3), 0.3), (Month(year: 2018, month: 12), 0.9)],
        renewalProbability: 0.8)

    @Test func honoraryRampIsLinearFromZeroAtTheLastActualMonth() {
        let levers = ActiveLevers(scenario: Self.scenario(levers: Levers(honorary: Self.honorary)), region: Self.region, segment: "PU")
        // 0 at Dec 2017 (actuals_until) → 0.3 at Mar 2018: +0.1 a month; 0.3 → 0.9 from Mar to Dec: +0.6/9 a month.
        let expected: [(Month, Double)] = [
            (Self.month(2017, 12), 0), (Self.month(2018, 1), 0.1), (Self.month(2018, 2), 0.2), (Self.month(2018, 3), 0.3),
            (Self.month(2018, 4), 0.3 + 0.6 / 9),  // 0.36667
            (Self.month(2018, 6), 0.3 + 3 * 0.6 / 9),  // 0.5
            (Self.month(2018, 11), 0.3 + 8 * 0.6 / 9),  // 0.83333
            (Self.month(2018, 12), 0.9), (Self.month(2019, 7), 0.9),
        ]
        for (m, share) in expected {
            let got = Self.honorary.plannedLevel(at: m, actualsUntil: levers.rampStart) / 50_000
            #expect(abs(got - share) < 1e-12, "\(m): \(got) vs \(share)")
        }
    }

    @Test func honoraryStockFollowsTheRampAndLapsesAtTheEndOfMarchByPToTheK() throws {
        let s = Self.scenario(horizon: Self.month(2020, 12), levers: Levers(honorary: Self.honorary))
        let rows = try Self.project(s, Self.history())
        func flow(_ y: Int, _ m: Int) -> Double { rows.first { $0.month == Self.month(y, m) }!.honoraryChange }
        // Ramp: pool 50,000 × 0.1 a month Jan–Mar 2018 = 5,000 a month; Apr: 50,000 × 0.6/9 = 3,333.333.
        #expect(Self.close(flow(2018, 1), 5_000) && Self.close(flow(2018, 2), 5_000) && Self.close(flow(2018, 3), 5_000))
        #expect(Self.close(flow(2018, 4), 3_333.3333333333335))
        // Dec 2018: H = 0.9 × 50,000 = 45,000. Renewed with p = 0.8 at the year end; the 20% not renewed lapse
        // three months later, at the end of March 2019: −45,000 × (1 − 0.8) = −9,000 (p¹ after one year end),
        // nothing in Jan, Feb or Apr.
        #expect(flow(2019, 1) == 0 && flow(2019, 2) == 0 && flow(2019, 4) == 0)
        #expect(Self.close(flow(2019, 3), -9_000))
        // March 2020: H goes from 45,000 × 0.8 = 36,000 to 45,000 × 0.8² = 28,800: −7,200.
        #expect(Self.close(flow(2020, 3), -7_200))
        // Reported active = A + H: the honorary stock at Dec 2020 is 28,800 of it.
        let h = rows.reduce(0) { $0 + $1.honoraryChange }
        #expect(Self.close(h, 28_800))
    }

    /// A ramp under way at actuals_until (issue 30): its members are in the history's figures. Ramp 0.3
    /// at Sep 2017 → 0.9 at Dec 2018 (+0.04 a month) on 50,000; at Dec 2017 (actuals_until) the plan has
    /// 0.42 × 50,000 = 21,000. Without already_enrolled those 21,000 are taken as in the history: moved
    /// from the diffusion stock to the programme, and January adds one month of the ramp, 2,000 (not the
    /// backlog 23,000). Jan active = (400,000 − 21,000) × 0.8^(1/12) + 10,000 + 21,000 + 2,000
    /// (python3: 379000 * 0.8**(1/12) + 33000 = 405,017.5048…).
    @Test func aRampUnderWayContinuesFromTheMembersAlreadyInTheHistory() throws {
        let started = HonoraryLever(pool: 50_000, segment: "PU", ramp: [(Self.month(2017, 9), 0.3), (Self.month(2018, 12), 0.9)], renewalProbability: 1)
        #expect(abs(started.enrolledAtStart(actualsUntil: Self.dec2017) - 21_000) < 1e-9)
        #expect(started.backlog(actualsUntil: Self.dec2017) == 0)
        let rows = try Self.project(Self.scenario(levers: Levers(honorary: started)), Self.history())
        #expect(Self.close(rows[0].honoraryChange, 2_000) && Self.close(rows[1].honoraryChange, 2_000), "\(rows[0].honoraryChange)")
        // …and only they are acquisitions (programme joiners): the 21,000 joined before, in the history.
        #expect(Self.close(rows[0].programmeJoiners, 2_000) && rows[0].programmeLeavers == 0, "\(rows[0].programmeJoiners)")
        #expect(Self.close(rows[0].active!, 405_017.50482215185), "\(rows[0].active!)")
        // already_enrolled: 10,000 stated: the rest to the next point, 45,000 − 10,000 over 12 months, 2,916.667 a
        // month. Jan active = 390,000 × 0.8^(1/12) + 10,000 + 10,000 + 2,916.667 (python3: 405,731.5133…).
        var stated = started
        stated.alreadyEnrolled = 10_000
        let rows2 = try Self.project(Self.scenario(levers: Levers(honorary: stated)), Self.history())
        #expect(Self.close(rows2[0].honoraryChange, 35_000.0 / 12) && Self.close(rows2[11].honoraryChange, 35_000.0 / 12))
        #expect(Self.close(rows2[0].active!, 405_731.5133174298), "\(rows2[0].active!)")
        // A ramp that ended by actuals_until (0.5 at Jun 2017) with 20,000 stated: its last level 25,000 is
        // 5,000 away, and with no later point they join in January (backlog 5,000, warned by the run).
        var ended = HonoraryLever(pool: 50_000, segment: "PU", ramp: [(Self.month(2017, 6), 0.5)], renewalProbability: 1, alreadyEnrolled: 20_000)
        #expect(ended.backlog(actualsUntil: Self.dec2017) == 5_000)
        let rows3 = try Self.project(Self.scenario(levers: Levers(honorary: ended)), Self.history())
        #expect(Self.close(rows3[0].honoraryChange, 5_000) && rows3[1].honoraryChange == 0)
        ended.alreadyEnrolled = nil
        #expect(ended.backlog(actualsUntil: Self.dec2017) == 0 && ended.enrolledAtStart(actualsUntil: Self.dec2017) == 25_000)
    }

    // MARK: budget-funded cohorts

    @Test func budgetCohortsEnrolOverThreeMonthsAndTheUnrenewedPartLapsesAtTheEndOfMarch() throws {
        // Capacity = budget / (cost per person-month × 12) = 2,016,000,000 / (16,800 × 12) = 2,016,000,000 / 201,600 = 10,000.
        let lever = BudgetCohortLever(segment: "PU", budgetPerYear: LeverPath(constant: 2_016_000_000), costPerPersonMonth: 16_800, renewalProbability: 0.7)
        let s = Self.scenario(horizon: Self.month(2019, 12), levers: Levers(budgetCohorts: lever))
        let rows = try Self.project(s, Self.history())
        let flows = rows.map(\.budgetCohortChange)
        // 2018: a third of 10,000 in each of Jan, Feb, Mar (3,333.33 each), then nothing.
        for k in 0..<3 { #expect(Self.close(flows[k], 10_000.0 / 3), "month \(k + 1): \(flows[k])") }
        for k in 3..<12 { #expect(abs(flows[k]) < 1e-9, "month \(k + 1): \(flows[k])") }
        // 2019: 0.7 × 10,000 = 7,000 renewed; 3,000 not renewed stay until they lapse at the end of March (as the
        // honorary cohort); the free 3,000 places enrol a third a month: Jan 7,000 + 1,000 + 3,000 = 11,000 (+1,000),
        // Feb 12,000 (+1,000), Mar 7,000 + 3,000 = 10,000 (−2,000), Apr onwards 10,000 (0).
        let y2019 = Array(flows[12..<24])
        #expect(Self.close(y2019[0], 1_000) && Self.close(y2019[1], 1_000), "\(y2019)")
        #expect(Self.close(y2019[2], -2_000), "\(y2019)")
        for k in 3..<12 { #expect(abs(y2019[k]) < 1e-9, "\(y2019)") }
    }

    // MARK: year-to-date acquisitions

    @Test func yearToDateFiguresAreSpreadFromThePreviousFigure() throws {
        // JAKON: 400,000 to the end of Aug, 801,356 to the end of Nov 2017 (year to date).
        let h = History(observations: [
            .init(month: Self.month(2017, 8), region: Self.region, segment: "JAKON", metric: .acquisitionsYTD, value: 400_000),
            .init(month: Self.month(2017, 11), region: Self.region, segment: "JAKON", metric: .acquisitionsYTD, value: 801_356),
        ])
        let flows = MonthlyFlows(history: h, region: Self.region, segment: "JAKON", until: Self.dec2017)
        // Jan–Aug: 400,000 / 8 = 50,000 a month; Sep–Nov: (801,356 − 400,000) / 3 = 133,785.333 a month.
        for m in 1...8 { #expect(flows.byMonth[Self.month(2017, m)] == 50_000) }
        for m in 9...11 { #expect(Self.close(flows.byMonth[Self.month(2017, m)]!, 401_356.0 / 3)) }
        #expect(flows.byMonth.count == 11)
        // g₀ = mean of the 11 known months = 801,356 / 11 = 72,850.545 (not (400,000 + 801,356) / 11 = 109,214.2
        // as when Sep–Nov are spread from zero).
        var s = Self.scenario()
        s.segments = [SegmentPlan(name: "JAKON", flowOnly: true)]
        let cal = try Calibration.run(s, history: h)[0]
        guard case .flowOnly(let g0) = cal.dynamics else {
            Issue.record("expected a flow-only calibration")
            return
        }
        #expect(Self.close(g0, 72_850.54545454546))
    }

    /// Villages on a flow-only segment (JAKON: no stock) add their yearly acquisitions spread over the
    /// months too: 27 × 660 / 12 = 1,485 a month on top of g₀ = 10,000 (the flow of Jan–Dec 2017).
    @Test func villagesOnAFlowOnlySegmentAreSpreadOverTwelveMonths() throws {
        let h = History(observations: (1...12).map { .init(month: Self.month(2017, $0), region: Self.region, segment: "JAKON", metric: .acquisitions, value: 10_000) })
        var s = Self.scenario(levers: Levers(villages: VillageLever(segment: "JAKON", villagesPerYear: LeverPath(constant: 27), acquisitionsPerVillage: 660)))
        s.segments = [SegmentPlan(name: "JAKON", flowOnly: true)]
        let rows = try Self.project(s, h)
        #expect(Self.close(rows[0].villageInflow, 1_485) && Self.close(rows[11].villageInflow, 1_485), "\(rows[0].villageInflow)")
        #expect(Self.close(rows[0].acquisitions, 11_485), "\(rows[0].acquisitions)")
    }

    /// History freshness counts year-to-date acquisitions as fresh figures (docs/scenario-format.md):
    /// JAKON year to date through November 2017 reaches actuals_until 2017-11, not 2017-12.
    @Test func yearToDateFiguresKeepAHistoryFresh() {
        let h = History(observations: [
            .init(month: Self.month(2017, 8), region: Self.region, segment: "JAKON", metric: .acquisitionsYTD, value: 400_000),
            .init(month: Self.month(2017, 11), region: Self.region, segment: "JAKON", metric: .acquisitionsYTD, value: 801_356),
        ])
        var s = Self.scenario()
        s.segments = [SegmentPlan(name: "JAKON", flowOnly: true)]
        s.actualsUntil = Self.month(2017, 11)
        #expect(HistoryFreshness.stale(s, history: h).isEmpty)
        s.actualsUntil = Self.dec2017
        #expect(HistoryFreshness.stale(s, history: h) == [HistoryFreshness.Stale(region: Self.region, segment: "JAKON", last: Self.month(2017, 11))])
    }

    /// g₀ is the mean of the latest 12 known months, not the oldest: 2016 at 1,000 a month and 2017 at
    /// 2,000 give 2,000 (the oldest twelve would give 1,000), named "2017-01–2017-12".
    @Test func flowLevelIsTheLatestTwelveMonths() {
        let h = History(observations: (1...24).map { k in
            .init(month: Self.month(2015 + (k + 11) / 12, (k - 1) % 12 + 1), region: Self.region, segment: "JAKON", metric: .acquisitions,
                value: k <= 12 ? 1_000 : 2_000)
        })
        let flows = MonthlyFlows(history: h, region: Self.region, segment: "JAKON", until: Self.dec2017)
        let g0 = flows.recentMonthlyMean()
        #expect(g0?.value == 2_000)
        #expect(g0?.source.contains("2017-01–2017-12") == true, "\(g0?.source ?? "")")
    }

    // MARK: branches

    @Test func branchesWithoutAShareDivideTheRestAmongThemselves() {
        let branches = [
            BranchPlan(name: "KC Medan Utara", potentialShare: 0.5), BranchPlan(name: "KC Binjai"),
            BranchPlan(name: "KC Tebing Tinggi"), BranchPlan(name: "KC Lhokseumawe", potentialShare: 0.2),
        ]
        // Given 0.5 + 0.2 = 0.7; the rest 0.3 is divided by the two without a share: 0.15 each.
        let w = BranchAllocation.weights(branches)
        for (a, b) in zip(w, [0.5, 0.15, 0.15, 0.2]) { #expect(abs(a - b) < 1e-12, "\(w)") }
        // 1,000 persons by weight: 500, 150, 150, 200.
        let rows = BranchAllocation.allocate(target: 1_000, branches: branches, regionPotential: nil, stockTotal: false)
        #expect(rows.map(\.target) == [500, 150, 150, 200])
    }

    /// Branches A (potential share 0.6), B and C (0.2 each) with their members at December 2017.
    static func threeBranches(_ a: Double, _ b: Double, _ c: Double) -> [BranchPlan] {
        [
            BranchPlan(name: "A", potentialShare: 0.6, active: a, activeAsOf: dec2017), BranchPlan(name: "B", active: b, activeAsOf: dec2017),
            BranchPlan(name: "C", active: c, activeAsOf: dec2017),
        ]
    }

    /// The oracle scenario with these branches: calibrated, projected, its plan-year targets.
    static func branchRun(_ branches: [BranchPlan]) throws -> (Scenario, History, Projection, [TargetRow]) {
        let s = scenario(branches: branches), h = history()
        let projection = Engine.project(s, calibrations: try Calibration.run(s, history: h))
        return (s, h, projection, Targets.table(s, history: h, projection: projection, monteCarlo: nil, planYear: 2018))
    }

    @Test func anEndToEndRunSplitsTheRegionTargetsOverItsBranches() throws {
        let branches = Self.threeBranches(250_000, 100_000, 50_000)
        let (s, _, projection, rows) = try Self.branchRun(branches)
        // Active at Dec 2018: 400,000 × (1 − λ)^12 + 10,000 × (1 − (1 − λ)^12) / λ = 400,000 × 0.8 + 10,000 × 0.2 / λ
        // = 320,000 + 2,000 / 0.018423470126248 = 320,000 + 108,557.182 = 428,557.182 → 428,557 (rounded down).
        // Acquisitions: 12 × 10,000 = 120,000.
        let pu = rows.filter { $0.segment == "PU" && $0.basis == .projection }
        #expect(pu.first { $0.metric == .active }!.target == 428_557)
        #expect(pu.first { $0.metric == .acquisitions }!.target == 120_000)
        let split = BranchAllocation.table(rows, scenario: s, projection: projection, planYear: 2018)
        func targets(_ segment: String, _ metric: TargetRow.Metric) -> [Int] {
            split.filter { $0.segment == segment && $0.metric == metric }.map(\.target)
        }
        // Weights: A 0.6; B and C share the rest 0.4: 0.2 each. 120,000 → 72,000, 24,000, 24,000.
        #expect(targets("PU", .acquisitions) == [72_000, 24_000, 24_000])
        #expect(targets(History.totalSegment, .acquisitions) == [72_000, 24_000, 24_000])
        // Active by coverage gap (potential 1,000,000): gaps 600,000 − 250,000 = 350,000, 200,000 − 100,000
        // = 100,000, 200,000 − 50,000 = 150,000 (sum 600,000); the increase 428,557 − 400,000 = 28,557 splits
        // 16,658.25, 4,759.5, 7,139.25 → 16,658, 4,760 (largest remainder), 7,139:
        // 250,000 + 16,658 = 266,658; 100,000 + 4,760 = 104,760; 50,000 + 7,139 = 57,139.
        // PU is the only stock segment, so a branch's PU target is its TOTAL (segments sum to the total;
        // before, PU split by weight into 257,134 / 85,712 / 85,711 beside these TOTALs).
        #expect(targets(History.totalSegment, .active) == [266_658, 104_760, 57_139])
        #expect(targets("PU", .active) == [266_658, 104_760, 57_139])
        // No branch falls below its members while the Kanwil grows.
        #expect(split.allSatisfy { $0.flags.isEmpty })
    }

    /// A branch already at its potential (no coverage gap) keeps exactly its members: a target equal to
    /// the members is not below them, so it carries no flag. A 150,000 (share 0.6: gap 450,000), B 200,000
    /// (0.2 of 1,000,000: gap 0), C 50,000 (gap 150,000); the increase 28,557 splits 21,417.75, 0, 7,139.25
    /// → 21,418, 0, 7,139.
    @Test func aBranchTargetEqualToItsMembersIsNotBelowThem() throws {
        let branches = Self.threeBranches(150_000, 200_000, 50_000)
        let (s, _, projection, rows) = try Self.branchRun(branches)
        let split = BranchAllocation.table(rows, scenario: s, projection: projection, planYear: 2018)
        let totals = split.filter { $0.segment == History.totalSegment && $0.metric == .active }
        #expect(totals.map(\.target) == [171_418, 200_000, 57_139])
        #expect(totals.allSatisfy { $0.flags.isEmpty }, "\(totals.map(\.flags))")
    }

    /// A branch's months run from its own members at actuals_until to its December target (issue 30,
    /// item 5), along the Kanwil's progress: January's Kanwil level 402,631 (400,000 × 0.8^(1/12) +
    /// 10,000, rounded) is 2,631 / 28,557 of the way from 400,000 to December's 428,557, so A gets
    /// 250,000 + 16,658 × 2,631/28,557 = 251,534.73, B 100,438.54, C 50,657.73 (python3), whole by
    /// largest remainder to 402,631: 251,535 / 100,438 / 50,658. (By share of the level, A's January
    /// was 402,631 × 266,658/428,557 = 250,525.)
    @Test func aBranchsMonthsRunFromItsMembersToItsTarget() throws {
        let branches = Self.threeBranches(250_000, 100_000, 50_000)
        let s = Self.scenario(branches: branches)
        let h = Self.history()
        let projection = Engine.project(s, calibrations: try Calibration.run(s, history: h))
        let view = PlanYearView.build(s, history: h, projection: projection, monteCarlo: nil)
        let totals = view.branches.filter { $0.segment == History.totalSegment && $0.metric == .active }
        #expect(totals.map(\.target) == [266_658, 104_760, 57_139])
        #expect(totals.map { $0.months[0] } == [251_535, 100_438, 50_658], "\(totals.map { $0.months[0] })")
        #expect(totals.map { $0.months[11] } == [266_658, 104_760, 57_139])
        #expect(totals.map(\.start) == [250_000, 100_000, 50_000] && totals.allSatisfy { $0.startMonth == Self.dec2017 })
        // Every month the branches sum to the Kanwil's level.
        let kanwil = try #require(view.phasing.first { $0.row.segment == "PU" && $0.row.metric == .active && $0.row.basis == .projection })
        for k in 0..<12 { #expect(totals.reduce(0) { $0 + $1.months[k]! } == kanwil.months[k].value!, "month \(k + 1)") }
        // Stated members summing to 380,000 are scaled × 400,000/380,000 to the Kanwil's start.
        var scaled = s
        scaled.regions[0].branches = zip(branches, [237_500.0, 95_000, 47_500]).map { var b = $0; b.active = $1; return b }
        let st = try #require(BranchAllocation.starts(scaled.regions[0], scenario: scaled, projection: projection))
        #expect(st.stated == 380_000 && abs(st.kanwil - 400_000) < 1e-6)
        #expect(zip(st.branch, [250_000.0, 100_000, 50_000]).allSatisfy { abs($0 - $1) < 1e-6 }, "\(st.branch)")
    }

    // MARK: P(reach), phasing

    @Test func probabilityOfReachingATargetOnTinySamples() {
        // [1, 2, 3, 4]: two of four draws are ≥ 3 → 0.5; all four ≥ 1 → 1; none ≥ 5 → 0; three ≥ 2 → 0.75.
        #expect(MonteCarlo.probability([1, 2, 3, 4], atLeast: 3) == 0.5)
        #expect(MonteCarlo.probability([1, 2, 3, 4], atLeast: 1) == 1)
        #expect(MonteCarlo.probability([1, 2, 3, 4], atLeast: 5) == 0)
        #expect(MonteCarlo.probability([4, 3, 2, 1], atLeast: 2) == 0.75)
        #expect(MonteCarlo.probability([7], atLeast: 7) == 1)
    }

    @Test func flowPhasingHandsTheLeftoverPersonsToTheLargestRemainders() {
        // 7 × (0.15, 0.25, 0.6) = 1.05, 1.75, 4.2 → 1, 1, 4 (6); one left goes to the largest remainder 0.75.
        #expect(Phasing.flow(target: 7, weights: [0.15, 0.25, 0.6]) == [1, 2, 4])
        // 8 × (1, 2, 3, 4)/10 = 0.8, 1.6, 2.4, 3.2 → 0, 1, 2, 3 (6); two left: remainders 0.8 and 0.6.
        #expect(Phasing.flow(target: 8, weights: [1, 2, 3, 4]) == [1, 2, 2, 3])
        // 2 × (1, 1, 1, 1)/4 = 0.5 each: ties go to the earlier months.
        #expect(Phasing.flow(target: 2, weights: [1, 1, 1, 1]) == [1, 1, 0, 0])
        // Quarters and s.d. columns of (1, 2, 2, 3, 0, 0): 5, 3; running totals 1, 3, 5, 8, 8, 8.
        #expect(Phasing.quarters([1, 2, 2, 3, 0, 0]) == [5, 3])
        #expect(Phasing.cumulative([1, 2, 2, 3, 0, 0]) == [1, 3, 5, 8, 8, 8])
    }

    @Test func stockPhasingBendsTheMedianToTheTarget() {
        // A₀ = 100, median 110, 120, 140 (span 40), target 120: T_m = 100 + 20 × (M_m − 100)/40 = 105, 110, 120.
        #expect(Phasing.stock(start: 100, median: [110, 120, 140], target: 120) == [105, 110, 120])
    }
}
