import Fitting
import Foundation
import Testing

@testable import Planning

/// Programme cohorts: each owns its schedule, year-ends and renewal draws; two cohorts on one cell
/// renew independently, each with its own probability (docs/uncertainty.md).
@Suite struct ProgrammeCohortTests {
    /// PU on a logistic history with an honorary pool of 10,000 (ramp to 100% by 2018-06, renewed with
    /// p = 0.9) and a budget cohort of Rp 1,209,600,000 a year at Rp 16,800 a person-month (renewed
    /// with p = 0.2) on the same cell; actuals to 2017-12.
    static func simulator() throws -> CellSimulator {
        let levers = Levers(
            honorary: HonoraryLever(pool: 10_000, segment: "PU", ramp: [(Month(year: 2018, month: 6), 1.0)], renewalProbability: 0.9),
            budgetCohorts: BudgetCohortLever(
                segment: "PU", budgetPerYear: LeverPath(steps: [(Month(year: 2018, month: 1), 1_209_600_000)], initial: 0),
                costPerPersonMonth: 16_800, renewalProbability: 0.2))
        let s = EngineTests.scenario(segments: [SegmentPlan(name: "PU", model: .named(.logistic), lapseRatePerYear: 0.3)], shares: ["PU": 0.4], levers: levers)
        let cals = try Calibration.run(s, history: EngineTests.history(model: .logistic, parameters: [0.5, 0.6, 2016.5]))
        return CellSimulator(cals[0], scenario: s)
    }

    static let capacity = 1_209_600_000.0 / (16_800 * 12)  // = 6,000 persons

    /// H and B of each draw at the given months, for the given renewal outcomes (nil: expected).
    static func stocks(_ sim: CellSimulator, renewals: [[[Bool]]]?, draws: Int, at months: [Month]) -> [Month: [(h: Double, b: Double)]] {
        let batch = DrawBatch(central: sim, capacity: draws)
        batch.renewals = renewals
        let w = BatchWorkspace(capacity: draws)
        var out: [Month: [(h: Double, b: Double)]] = [:]
        sim.run(batch, in: w) { k, w in
            let m = sim.reportedMonths[sim.firstReported + k]
            if months.contains(m) { out[m] = (0..<draws).map { (w.h[$0], w.b[$0]) } }
        }
        return out
    }

    @Test func eachCohortHasItsOwnProbabilityAndEnoughYearEnds() throws {
        let sim = try Self.simulator()
        #expect(sim.cohorts.map(\.kind) == [.honorary, .budget])
        #expect(sim.cohorts.map(\.renewalProbability) == [0.9, 0.2])
        // Carved out: the honorary pool, 10,000, in every month; a budget cohort carves out its members
        // (per draw, in the month loop), not its planned size.
        let k = try #require(sim.months.firstIndex(of: Month(year: 2018, month: 6)))
        #expect(sim.carveOut[k] == 10_000)
        #expect(sim.cohorts.map(\.carvesMembers) == [false, true])
        #expect(sim.cohorts.allSatisfy { $0.renewalDraws >= 12 })
    }

    /// Hand arithmetic (docs/engine.md): ramp 0 at 2017-12 to 1 at 2018-06 gives 3/6 of the pool at
    /// 2018-03; the Dec 2018 year-end lapses at 2019-03 (expected share 0.9, 0.9² = 0.81 a year later);
    /// the budget cohort enrols C/3 a month in Q1, and in Feb 2019 holds kept 0.2·C + enrolled
    /// (C − 0.2·C)·2/3 + lapsing 0.8·C.
    @Test func expectedSharesByHand() throws {
        let sim = try Self.simulator()
        let m = { (y: Int, mo: Int) in Month(year: y, month: mo) }
        let s = Self.stocks(sim, renewals: nil, draws: 1, at: [m(2018, 1), m(2018, 3), m(2019, 2), m(2019, 3), m(2020, 3)])
        let c = Self.capacity
        #expect(abs(s[m(2018, 3)]![0].h - 10_000 * 3.0 / 6.0) < 1e-9)
        #expect(abs(s[m(2018, 1)]![0].b - c / 3) < 1e-9)
        #expect(abs(s[m(2018, 3)]![0].b - c) < 1e-9)
        #expect(abs(s[m(2019, 2)]![0].h - 10_000) < 1e-9)
        #expect(abs(s[m(2019, 3)]![0].h - 10_000 * 0.9) < 1e-9)
        #expect(abs(s[m(2020, 3)]![0].h - 10_000 * 0.9 * 0.9) < 1e-9)
        #expect(abs(s[m(2019, 2)]![0].b - (0.2 * c + (c - 0.2 * c) * 2 / 3 + 0.8 * c)) < 1e-9)  // 9,200
    }

    /// Four draws with every combination of outcomes at the first year-ends: each cohort follows its
    /// own outcome only. Honorary in Mar 2019: the pool if renewed, else 0. Budget in Feb 2019: C if
    /// renewed; if not, the old C still lapsing plus 2/3 of C enrolled anew (10,000).
    @Test func eachCohortReadsItsOwnOutcomes() throws {
        let sim = try Self.simulator()
        let combos: [(Bool, Bool)] = [(true, true), (true, false), (false, true), (false, false)]
        let hon = combos.map { Array(repeating: $0.0, count: sim.cohorts[0].renewalDraws) }
        let bud = combos.map { Array(repeating: $0.1, count: sim.cohorts[1].renewalDraws) }
        let m1 = Month(year: 2019, month: 2), m2 = Month(year: 2019, month: 3)
        let s = Self.stocks(sim, renewals: [hon, bud], draws: 4, at: [m1, m2])
        let c = Self.capacity
        for (i, (h, b)) in combos.enumerated() {
            #expect(s[m2]![i].h == (h ? 10_000 : 0), "draw \(i)")
            #expect(abs(s[m1]![i].b - (b ? c : c + c * 2 / 3)) < 1e-9, "draw \(i)")
        }
    }

    /// Monte Carlo's outcomes: each cohort's renewal frequency within its 99.9% binomial band around
    /// its own probability, and the two cohorts' outcomes uncorrelated (|r| within 3.29/√n).
    @Test func twoCohortsOnOneCellRenewIndependently() throws {
        let sim = try Self.simulator()
        let n = 4000
        let r = ProgrammeCohort.drawRenewals(sim.cohorts, draws: n, rng: RandomStream(seed: 20181231))
        for (c, p) in [(0, 0.9), (1, 0.2)] {
            for j in 0..<3 {
                let freq = Double(r[c].filter { $0[j] }.count) / Double(n)
                #expect(abs(freq - p) < 3.29 * (p * (1 - p) / Double(n)).squareRoot(), "cohort \(c) year-end \(j): \(freq)")
            }
        }
        let x = r[0].map { $0[0] ? 1.0 : 0 }, y = r[1].map { $0[0] ? 1.0 : 0 }
        let mx = x.reduce(0, +) / Double(n), my = y.reduce(0, +) / Double(n)
        let cov = zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
        let corr = cov / (x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +) * y.map { ($0 - my) * ($0 - my) }.reduce(0, +)).squareRoot()
        #expect(abs(corr) < 3.29 / Double(n).squareRoot(), "correlation \(corr)")
    }

    /// A horizon beyond 12 year-ends: every year-end has an outcome of its own (no clamp to the last).
    @Test func longHorizonsDrawAnOutcomePerYearEnd() throws {
        let levers = Levers(honorary: HonoraryLever(pool: 1_000, segment: "PU", ramp: [(Month(year: 2018, month: 1), 1.0)], renewalProbability: 0.5))
        let s = EngineTests.scenario(segments: [SegmentPlan(name: "PU", model: .named(.logistic), lapseRatePerYear: 0.3)], shares: ["PU": 0.4], horizon: Month(year: 2035, month: 12), levers: levers)
        let cals = try Calibration.run(s, history: EngineTests.history(model: .logistic, parameters: [0.5, 0.6, 2016.5]))
        let sim = CellSimulator(cals[0], scenario: s)
        // Year-ends Dec 2018 … Dec 2034 lapse by Mar 2035: 17 outcomes.
        #expect(sim.cohorts[0].renewalDraws == 17)
    }
}
