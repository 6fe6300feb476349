import Fitting
import Foundation

extension Backtest {
    /// One candidate model's backtest on one segment: its mean loss over the rows scored.
    public struct CandidateScore: Sendable, Equatable {
        public var model: GrowthModel
        /// Mean relative absolute error of the point forecast.
        public var loss: Double
        public var rows: Int
        public var origins: Int
    }

    /// At least this many origins before a backtest ranking replaces AICc.
    static let originsForSelection = 2

    /// The candidate models of one segment scored on the history's own origins (up to `actuals_until`),
    /// up to `count` of them 12, 24, 36 … months before its last stock figure: the scenario with the
    /// segment's model set to each candidate, calibrated and projected as `run` would at each origin,
    /// its point forecast scored on the segment's later actuals. Candidates that cannot be calibrated
    /// at an origin lose it.
    public static func scoreCandidates(
        _ s: Scenario, history: History, segment: String, origins count: Int = 3, horizon: Int = 24, threads: Int = 1
    ) -> [CandidateScore] {
        let known = History(observations: history.observations.filter { $0.month <= s.actualsUntil })
        var base = s
        base.segments = base.segments.map { var p = $0; p.selection = .aicc; return p }
        // Point forecasts only: the ranking is the same whatever --draws, --seed or threads say, and a
        // calibration per candidate and origin stays cheap (no Monte Carlo).
        base.uncertainty.draws = 0
        // Origins a year apart back from the last figure, so that each is scored on up to a year or
        // more ahead, not on the next month or two (where every S-curve looks alike).
        let usable = Backtest.origins(base, history: known, count: Int.max, horizon: horizon, until: s.actualsUntil)
        let last = known.observations.filter { $0.segment == segment && $0.metric == .active }.map(\.month).max()
        var origins: [Month] = []
        for k in 1...max(count, 1) {
            guard let last, let o = usable.last(where: { $0 <= last.adding(months: -12 * k) }), !origins.contains(o) else { continue }
            origins.insert(o, at: 0)
        }
        var out: [CandidateScore] = []
        for model in GrowthModel.allCases {
            var losses: [Double] = []
            var scored = Set<Month>()
            for o in origins {
                var t = base
                t.actualsUntil = o
                t.segments = t.segments.map { p in var p = p; if p.name == segment { p.model = .named(model) }; return p }
                guard let cals = try? Calibration.run(t, history: known, threads: threads) else { continue }
                let projection = Engine.project(t, calibrations: cals)
                let rows = Backtest.score(origin: o, scenario: t, known: known, projection: projection, monteCarlo: nil, horizon: horizon, levels: t.uncertainty.quantiles)
                    .filter { $0.segment == segment && $0.method == .rkat }
                for r in rows { if let l = r.loss(bands: false) { losses.append(l) } }
                if !rows.isEmpty { scored.insert(o) }
            }
            guard !losses.isEmpty else { continue }
            out.append(CandidateScore(model: model, loss: losses.reduce(0, +) / Double(losses.count), rows: losses.count, origins: scored.count))
        }
        // Candidates scored on every origin first (a model that cannot be calibrated at an origin is
        // not compared on fewer), then by loss.
        return out.sorted { ($1.origins, $0.loss) < ($0.origins, $1.loss) }
    }

    /// `selection: backtest`: each `model: auto` segment asking for it gets the candidate with the
    /// lowest backtest loss among those scored on every origin, when there are at
    /// least `originsForSelection` origins; otherwise it keeps AICc. Returns the scenario to calibrate and a
    /// note per segment saying which ranking was used, and the scores it ranked (for models.csv).
    public static func selectModels(
        _ s: Scenario, history: History, threads: Int = 1
    ) -> (scenario: Scenario, notes: [String: Phrase], scores: [String: [CandidateScore]]) {
        var out = s
        var notes: [String: Phrase] = [:]
        var all: [String: [CandidateScore]] = [:]
        for (i, seg) in s.segments.enumerated() where seg.selection == .backtest && seg.model == .auto && !seg.flowOnly {
            let scores = scoreCandidates(s, history: history, segment: seg.name, threads: threads)
            all[seg.name] = scores
            let full = scores.first?.origins ?? 0
            let ranked = scores.filter { $0.origins == full && full >= originsForSelection }
            guard let best = ranked.first else {
                notes[seg.name] = Phrase(
                    "selection: backtest diminta, tetapi riwayat memberi kurang dari \(originsForSelection) titik awal yang dapat dipakai untuk kandidat mana pun: model diperingkat dengan likelihood berpenalti AICc/BIC",
                    "selection: backtest asked, but the history gives fewer than \(originsForSelection) usable origins for any candidate: models ranked by their likelihood penalised by AICc/BIC")
                continue
            }
            out.segments[i].model = .named(best.model)
            let list = ranked.prefix(4).map { "\($0.model.rawValue) \(String(format: "%.4f", $0.loss))" }.joined(separator: ", ")
            let origins = best.origins
            notes[seg.name] = Phrase(
                "model dipilih dengan galat backtest pada \(origins) titik awal (rata-rata galat absolut relatif): \(list)",
                "model chosen by backtest loss over \(origins) origins (mean relative absolute error): \(list)")
        }
        return (out, notes, all)
    }
}
