import Fitting
import Foundation
import Testing

@testable import Planning

/// Does the prognosa earn its keep month by month (docs/tracking.md)? 200 truths, each a history and a
/// plan year drawn from a known process (a logistic coverage curve × (1 + D), D a relative AR(1),
/// CalibrationCoverageTests' generator); the plan is made at the year's start (its P50 target); then
/// the truth's months are fed as realisations one at a time and the prognosa recomputed as `track`
/// does (calibrate as of the month, Monte Carlo with 200 draws). The mean absolute error of the
/// prognosa must not grow from one month to the next, and P(reach the plan's target) must be reliable
/// at every month (binned hit rates within their binomial bands).
@Suite struct TrackingCalibrationTests {
    static let truths = 200
    static let cut = Month(year: 2019, month: 12)
    static let planYear = 2020

    /// For one truth: (|P50 − truth| , P(reach), reached) at months 0 (the plan) … 11.
    static func truth(_ r: Int) -> [(error: Double, p: Double, hit: Bool)]? {
        let rng = RandomStream(seed: RandomStream.seed(20_251_129, "track/\(r)"))
        let phi = 0.8, sd = 0.02, share = 0.4, potential = 6_900_000 * 0.4
        let first = Month(year: 2012, month: 1), last = Month(year: planYear, month: 12)
        let all = Planning.months(from: first, through: last)
        var d = [Double](repeating: 0, count: all.count)
        d[0] = rng.gaussian(sd: sd)
        for k in 1..<all.count { d[k] = phi * d[k - 1] + sd * (1 - phi * phi).squareRoot() * rng.gaussian(sd: 1) }
        let value = { (k: Int) in
            potential * GrowthCurveFunction(model: .logistic, times: [all[k].decimalYear], origin: 2012.0).values(at: [0.5, 0.6, 2016.5])[0] * (1 + d[k])
        }
        let region = EngineTests.region
        let truthDecember = value(all.count - 1)
        var target: Double? = nil
        var out: [(Double, Double, Bool)] = []
        for m in 0...11 {
            let until = cut.adding(months: m)
            let observed = all.indices.filter { all[$0] <= until }
            let history = History(observations: observed.map { .init(month: all[$0], region: region, segment: "PU", metric: .active, value: value($0)) })
            var s = EngineTests.scenario(
                segments: [SegmentPlan(name: "PU", model: .named(.logistic), lapseRatePerYear: 0.2)], shares: ["PU": share], actualsUntil: until, horizon: last)
            s.uncertainty = UncertaintySettings(draws: 200, seed: UInt64(7000 + r), parameters: true, processNoise: true, assumptions: [:])
            guard let cals = try? Calibration.run(s, history: history) else { return nil }
            let result = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: planYear, threads: 1))
            var draws = result.cells[0].planYear(.active)!
            let p50 = Quantiles.compute(&draws, 0..<draws.count, levels: [0.5])[0]
            // The plan: the P50 at the year's start, as targets.json would approve it.
            if target == nil { target = p50.rounded(.down) }
            out.append((abs(p50 - truthDecember), MonteCarlo.probability(result.cells[0].planYear(.active)!, atLeast: target!), truthDecember >= target!))
        }
        return out
    }

    @Test func prognosisErrorShrinksAndReachIsReliableMonthByMonth() {
        var scores: [[(error: Double, p: Double, hit: Bool)]] = []
        for r in 0..<Self.truths { if let s = Self.truth(r) { scores.append(s) } }
        #expect(scores.count * 50 >= Self.truths * 49, "\(Self.truths - scores.count) histories refused")
        let n = Double(scores.count)
        let mae = (0...11).map { m in scores.reduce(0.0) { $0 + $1[m].error } / n }
        // Not growing: each month at most 5% above the one before (sampling noise), and the last well
        // below the plan's.
        for m in 1...11 { #expect(mae[m] <= mae[m - 1] * 1.05, "MAE \(mae.map { Int($0) })") }
        #expect(mae[11] < mae[0] * 0.8, "MAE \(mae.map { Int($0) })")
        // P(reach): at every month, bins by predicted probability; each bin's hit rate within
        // z·√(p̄(1 − p̄)/k) + 0.05 of its mean prediction (z = 3.29, Bonferroni over 12 months × 5 bins).
        for m in 0...11 {
            for b in 0..<5 {
                let inBin = scores.map { $0[m] }.filter { min(Int($0.p * 5), 4) == b }
                guard inBin.count >= 10 else { continue }
                let k = Double(inBin.count)
                let predicted = inBin.reduce(0.0) { $0 + $1.p } / k
                let hit = Double(inBin.filter(\.hit).count) / k
                let band = 3.29 * (max(predicted * (1 - predicted), 0.01) / k).squareRoot() + 0.05
                #expect(abs(hit - predicted) <= band, "month \(m) bin \(b): predicted \(predicted), hit \(hit) (n \(inBin.count))")
            }
        }
        print("tracking calibration: MAE by month \(mae.map { Int($0) })")
    }
}
