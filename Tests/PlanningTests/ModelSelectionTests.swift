import Fitting
import Foundation
import Testing

@testable import Planning

/// `selection: backtest` (docs/backtest.md): `model: auto` ranked by the candidates' loss on the
/// history's own rolling origins. The oracle is the truth the history was drawn from: on curves that
/// the candidates tell apart out of sample, the pick is the truth's family (or richards, which nests
/// logistic at ν = 1 and gompertz as ν → 0), never a family that cannot follow it.
@Suite struct ModelSelectionTests {
    static let cut = Month(year: 2019, month: 12)

    /// A monthly stock history from `first` through `cut` on a truth curve in coverage space, times
    /// 1 + D with D a relative AR(1) (φ 0.7, s 0.01), from its own seed.
    static func history(truth: GrowthModel, parameters: [Double], first: Month, seed: Int) -> History {
        let rng = RandomStream(seed: RandomStream.seed(20_261_129, "selection/\(truth)/\(seed)"))
        let (phi, sd) = (0.7, 0.01)
        var d = rng.gaussian(sd: sd)
        return History(observations: Planning.months(from: first, through: cut).map { m in
            defer { d = phi * d + sd * (1 - phi * phi).squareRoot() * rng.gaussian(sd: 1) }
            let value = 6_900_000 * 0.4 * GrowthCurveFunction(model: truth, times: [m.decimalYear], origin: 2012.0).values(at: parameters)[0]
            return .init(month: m, region: EngineTests.region, segment: "PU", metric: .active, value: value * (1 + d))
        })
    }

    static func scenario(_ selection: SegmentPlan.ModelSelection) -> Scenario {
        EngineTests.scenario(
            segments: [SegmentPlan(name: "PU", model: .auto, lapseRatePerYear: 0.2, selection: selection)],
            shares: ["PU": 0.4], actualsUntil: cut, horizon: Month(year: 2021, month: 12))
    }

    /// 16 histories (8 gompertz, 8 logistic truths): linear and exponential, which cannot bend to the
    /// ceiling, are picked at most once, and only in a near-tie (within 5% of the best S-curve's loss);
    /// the truth's family (or richards) in at least 12 of 16. A pick at random among the four S-curves
    /// would be right half the time: 12 or more of 16 then has probability 0.04.
    /// Seen: 13 of 16 (origins 12, 24, 36 months back; gompertz 7 of 8, logistic 6 of 8). Since the fit
    /// is the exact likelihood (issue 31), logistic seed 5 picks linear by a hair (0.0373 against
    /// gompertz's 0.0378 and logistic's 0.0407); before, never.
    @Test func backtestPicksTheTruthsFamily() throws {
        let cases: [(GrowthModel, [Double], Set<GrowthModel>)] = [
            (.gompertz, [0.5, 0.45, 2015.5], [.gompertz, .richards]),
            (.logistic, [0.5, 0.6, 2016.5], [.logistic, .richards]),
        ]
        var right = 0, straight = 0
        var report: [String] = []
        for (truth, parameters, accepted) in cases {
            for seed in 0..<8 {
                let h = Self.history(truth: truth, parameters: parameters, first: Month(year: 2015, month: 1), seed: seed)
                let (chosen, notes, ranked) = Backtest.selectModels(Self.scenario(.backtest), history: h)
                let scores = try #require(ranked["PU"])
                guard case .named(let m) = chosen.segments[0].model else { Issue.record("still auto"); continue }
                #expect(m == scores.first?.model)
                #expect(scores.count == GrowthModel.allCases.count || scores.count == GrowthModel.allCases.count - 1)
                #expect(notes["PU"]?.english.hasPrefix("model chosen by backtest loss over ") == true, "\(notes)")
                if m == .linear || m == .exponential {
                    straight += 1
                    let bent = scores.filter { $0.model != .linear && $0.model != .exponential }.map(\.loss).min() ?? .infinity
                    #expect(bent <= 1.05 * scores[0].loss, "\(truth) seed \(seed): \(m) picked, the best S-curve's loss \(bent)")
                }
                if accepted.contains(m) { right += 1 }
                report.append("\(truth) truth, seed \(seed): \(m) (" + scores.map { "\($0.model) \(String(format: "%.4f", $0.loss))" }.joined(separator: ", ") + ")")
            }
        }
        print(report.joined(separator: "\n"))
        #expect(right >= 12, "\(right) of 16\n\(report.joined(separator: "\n"))")
        #expect(straight <= 1, "\(straight) of 16 straight lines\n\(report.joined(separator: "\n"))")
    }

    /// Too short for 2 origins: AICc, said in the note.
    @Test func shortHistoryKeepsAICc() throws {
        let h = Self.history(truth: .logistic, parameters: [0.5, 0.6, 2016.5], first: Month(year: 2019, month: 7), seed: 1)
        let (chosen, notes, _) = Backtest.selectModels(Self.scenario(.backtest), history: h)
        #expect(chosen.segments[0].model == .auto)
        #expect(notes["PU"]?.english.contains("models ranked by their likelihood penalised by AICc/BIC") == true, "\(notes)")
        let (untouched, none, _) = Backtest.selectModels(Self.scenario(.aicc), history: h)
        #expect(untouched.segments[0].model == .auto && none.isEmpty)
    }

    /// Two usable origins are enough to rank by backtest (docs/backtest.md): a history from Jan 2017 to
    /// Dec 2019 has origins 12 and 24 months back (Dec 2018, Dec 2017), none 36 back; the pick is the
    /// best of the candidates scored on both, and the note says so.
    @Test func twoOriginsRankByBacktest() throws {
        let h = Self.history(truth: .logistic, parameters: [0.5, 0.6, 2016.5], first: Month(year: 2017, month: 1), seed: 2)
        let (chosen, notes, ranked) = Backtest.selectModels(Self.scenario(.backtest), history: h)
        let scores = try #require(ranked["PU"])
        #expect(scores.first?.origins == 2, "\(scores)")
        guard case .named(let m) = chosen.segments[0].model else {
            Issue.record("still auto: \(notes)")
            return
        }
        #expect(m == scores.first?.model)
        #expect(notes["PU"]?.english.hasPrefix("model chosen by backtest loss over 2 origins") == true, "\(notes)")
    }

    /// A candidate that cannot be calibrated at an origin is not compared on fewer origins. Stock
    /// figures in Dec 2015, Jun 2016, Dec 2016, then monthly from 2017 to Dec 2019; in persons space
    /// (the ceiling free) richards and bass have 4 parameters, so at the origin Dec 2016 (3 figures,
    /// and no acquisitions to calibrate on flows instead) they cannot be calibrated and are scored on
    /// Dec 2017 and Dec 2018 only, while linear (2 parameters) is scored on all 3 origins. The pick is
    /// among the candidates with all 3, and the ranking lists them first.
    @Test func aCandidateScoredOnFewerOriginsIsNeverPicked() throws {
        let full = Self.history(truth: .logistic, parameters: [0.5, 0.6, 2016.5], first: Month(year: 2015, month: 12), seed: 1)
        let kept: Set<Month> = [Month(year: 2015, month: 12), Month(year: 2016, month: 6), Month(year: 2016, month: 12)]
        let h = History(observations: full.observations.filter { kept.contains($0.month) || $0.month.year >= 2017 })
        var s = Self.scenario(.backtest)
        s.segments[0].ceiling = .free
        let (chosen, notes, ranked) = Backtest.selectModels(s, history: h)
        let scores = try #require(ranked["PU"])
        let origins = Dictionary(uniqueKeysWithValues: scores.map { ($0.model, $0.origins) })
        #expect(origins[.linear] == 3 && (origins[.richards] ?? 0) < 3 && (origins[.bass] ?? 0) < 3, "\(scores)")
        #expect(scores.contains { $0.origins < 3 }, "\(scores)")
        // More origins first, then the loss.
        for (a, b) in zip(scores, scores.dropFirst()) { #expect(a.origins > b.origins || (a.origins == b.origins && a.loss <= b.loss), "\(scores)") }
        guard case .named(let m) = chosen.segments[0].model else {
            Issue.record("still auto: \(notes)")
            return
        }
        #expect(origins[m] == 3, "\(m): \(scores)")
        #expect(notes["PU"]?.english.hasPrefix("model chosen by backtest loss over 3 origins") == true, "\(notes)")
    }
}
