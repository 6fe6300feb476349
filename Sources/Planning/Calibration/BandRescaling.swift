import Fitting
import Foundation

/// Bands that know their own track record (issue 31, item 3; docs/uncertainty.md, "Rescaled by past
/// errors"). From rolling origins on the cell's own history (every `step` months back, each
/// calibrated as `rkat run --set actuals_until=o` would, refitting the curve chosen today, with the
/// plan year's undated levers left out), the later actuals are scored against the band rkat would
/// have printed then (`originDraws` draws): e = log(y / P50) / (log(P90 / P10) / 2z₀.₉), so e is a
/// standard normal where the model's bands are right. Their robust spread (median |e| / 0.6745,
/// smoothed over neighbouring horizons) is the factor the past says; the draws are rescaled by it in
/// log space about their median, with the weight N / (N + `prior`) of the errors' effective count N
/// (h-step errors from origins `step` months apart share min(1, step/h) of their information; the
/// best such count among the pooled horizons): few errors leave the model's band as it is, and the
/// factor can narrow as well as widen. Beyond the last horizon scored, the last one's factor.
///
/// The median of |e| rather than its square: a break in the history (a dip, a step) gives a few
/// origins errors many times the others, and a band for the next year is not one for the break's.
public struct BandRescaling: Sendable, Equatable {
    /// By horizon h = 1…`maximumHorizon` (index h − 1): the past errors' robust spread in units of
    /// the band printed then (1: the bands were right), its effective count, and the weight it gets
    /// against the model's own band (0: none). Beyond the last horizon, the last one's.
    public var spread: [Double]
    public var effective: [Double]
    public var weight: [Double]
    public var origins: Int
    public var errors: Int
    /// Wall time of the rolling-origin calibrations (seconds; `rkat bench national` prints it, the
    /// outputs do not, so that they stay byte-identical run to run).
    public var seconds: Double

    static let step = 3
    static let maximumOrigins = 12
    /// Monthly stock figures an origin needs up to it (so φ and s are its own, not the short-history prior).
    static let minimumTraining = 36
    static let maximumHorizon = 24
    /// Effective errors at which the past and the model weigh alike.
    static let prior = 3.0
    /// Some horizon must reach this effective count, or there is no rescaling.
    static let minimumEffective = 1.0
    /// Horizons pooled with h: within ×/÷ e^0.35 (about ±40%).
    static let window = 0.35
    /// The factor is kept within [1/3, 3].
    static let largest = 3.0
    static let z90 = StandardNormal.quantile(0.9)
    /// median |e| / Φ⁻¹(0.75) estimates the SD of a normal e.
    static let quartile = StandardNormal.quantile(0.75)
    /// Draws of each origin's band (its P10, P50 and P90 are all that is read).
    static let originDraws = 100

    /// The factor for the draws at horizon h (months after the last actual): spread^w, 1 without one.
    public func factor(horizon h: Int) -> Double {
        guard h >= 1, !spread.isEmpty else { return 1 }
        let i = min(h, spread.count) - 1
        guard weight[i] > 0, spread[i] > 0 else { return 1 }
        return min(max(exp(weight[i] * log(spread[i])), 1 / Self.largest), Self.largest)
    }

    /// What the calibration notes say: the past errors against the band printed then, at 12 months.
    public var note: Phrase {
        let i = min(12, spread.count) - 1
        let (spread, weight, origins) = (spread[i], weight[i], origins)
        return Phrase { l in
            l.t("pita P10–P90 dikoreksi oleh galat masa lalu riwayat ini: pada 12 bulan galatnya \(l.decimal(spread)) kali pita yang dicetak saat itu (\(origins) titik awal, bobot \(l.decimal(weight)))",
                "P10–P90 rescaled by this history's own past errors: at 12 months they were \(l.decimal(spread)) times the band printed then (\(origins) origins, weight \(l.decimal(weight)))")
        }
    }

    /// One past error: its horizon and its scaled value.
    struct PastError: Sendable, Equatable {
        var horizon: Int
        var scaled: Double
    }

    /// The rescaling from scaled past errors (`origins` of them scored); nil with no horizon reaching
    /// the minimum effective count.
    static func from(_ past: [PastError], origins: Int, seconds: Double = 0) -> BandRescaling? {
        let top = past.map(\.horizon).max() ?? 0
        guard top >= 1 else { return nil }
        var spread = [Double](repeating: .nan, count: top), counted = [Double](repeating: 0, count: top)
        for h in 1...top {
            var e = past.filter { $0.horizon == h }.map { abs($0.scaled) }
            guard !e.isEmpty else { continue }
            spread[h - 1] = MonteCarloQuantiles.compute(&e, levels: [0.5])[0] / quartile
            counted[h - 1] = Double(e.count) * min(1, Double(step) / Double(h))
        }
        // Smoothed over neighbouring horizons in log h, weighted by their effective counts; the effective
        // count is the best of the window's (the same origins' errors at nearby horizons are not new ones).
        var smooth = [Double](repeating: 1, count: maximumHorizon), effective = [Double](repeating: 0, count: maximumHorizon)
        for h in 1...maximumHorizon {
            var sum = 0.0, weights = 0.0, best = 0.0
            for k in 1...top where counted[k - 1] > 0 && spread[k - 1] > 0 && abs(log(Double(k) / Double(min(h, top)))) <= window {
                sum += counted[k - 1] * log(spread[k - 1])
                weights += counted[k - 1]
                best = max(best, counted[k - 1])
            }
            if weights > 0 {
                smooth[h - 1] = exp(sum / weights)
                effective[h - 1] = best
            } else if h > 1 {
                (smooth[h - 1], effective[h - 1]) = (smooth[h - 2], effective[h - 2])
            }
        }
        guard effective.contains(where: { $0 >= minimumEffective }) else { return nil }
        let weight = effective.map { $0 / ($0 + prior) }
        return BandRescaling(spread: smooth, effective: effective, weight: weight, origins: origins, errors: past.count, seconds: seconds)
    }

    /// A past error in units of the band printed then: log(y / P50) over the P10–P90 half-width in log
    /// units, divided by z₀.₉ (a standard normal where the band was right).
    static func scaledError(actual y: Double, p10: Double, p50: Double, p90: Double) -> Double {
        log(y / p50) / (log(p90 / p10) / (2 * z90))
    }
}

extension BandRescaling {
    /// Why a cell's bands are the model's own, or nil when they are rescaled.
    public enum Absence: Error, Sendable, Equatable {
        case off
        /// `--draws 0`: no band to rescale (the rolling origins were computed before the draws were known).
        case noDraws
        case flows
        case noDeviations
        case programmes
        case tooShort(figures: Int)
        case tooFewErrors(origins: Int)

        public var note: String {
            switch self {
            case .off: return "off (uncertainty.rescaling: false)"
            case .noDraws: return "none (draws 0: no band to rescale)"
            case .flows: return "none (flows: the model's bands)"
            case .noDeviations: return "none (no monthly deviations to measure against)"
            case .programmes: return "none (programme levers on this cell: the past errors measure the stock without them)"
            case .tooShort(let n):
                return "none (\(n) stock figures; rolling origins need \(BandRescaling.minimumTraining) monthly ones up to an origin \(BandRescaling.step) months or more before the last)"
            case .tooFewErrors(let n): return "none (\(n) origin(s) scored: too few past errors)"
            }
        }
    }

    /// Rolling origins on one cell's history, each calibrated and simulated as `run --set actuals_until=o`
    /// would (the cell alone, `originDraws` draws, no rescaling of its own).
    static func estimate(
        region: RegionPlan, segment: SegmentPlan, scenario: Scenario, history: History, calibration: SegmentCalibration
    ) -> Result<BandRescaling, Absence> {
        let clock = ContinuousClock(), started = clock.now
        guard case .curve = calibration.dynamics else { return .failure(.flows) }
        guard calibration.deviation != nil, let last = calibration.lastActual else { return .failure(.noDeviations) }
        // Programme stocks (honorary, budget cohorts, reactivation) are in the simulated stock but not
        // in the past errors, which leave the plan year's undated levers out.
        let levers = ActiveLevers(scenario: scenario, region: region.name, segment: segment.name)
        if levers.honorary != nil || levers.budget != nil || levers.reactivation != nil { return .failure(.programmes) }
        let stock = history.series(region: region.name, segment: segment.name, metric: .active).filter { $0.month <= scenario.actualsUntil }
        let byMonth = Dictionary(stock.map { ($0.month, $0.value) }, uniquingKeysWith: { a, _ in a })
        // Each origin refits the curve today's calibration chose (with `model: auto`, its best
        // candidate): the choice among candidates is not re-run at every origin, for its cost (four
        // fits, the hardest of them the slowest to converge on a short history).
        var refitted = segment
        if let name = calibration.modelName, let model = GrowthModel(rawValue: name) {
            refitted.model = .named(model)
            refitted.selection = .aicc
        }
        var alone = region
        alone.branches = []
        var past0 = scenario
        past0.regions = [alone]
        past0.segments = [refitted]
        past0.levers = Backtest.datedLevers(scenario.levers).kept
        past0.uncertainty.draws = originDraws
        past0.uncertainty.quantiles = [0.1, 0.5, 0.9]
        past0.uncertainty.rescaling = false
        var past: [PastError] = []
        var origins = 0, trained = 0
        for j in 1...maximumOrigins {
            let o = last.month.adding(months: -step * j)
            guard stock.filter({ $0.month <= o }).count >= minimumTraining else { break }
            trained += 1
            // An origin inside a stated intervention is not one a plan starts from.
            if scenario.interventions.contains(where: { $0.contains(o) }) { continue }
            var s = past0
            s.actualsUntil = o
            s.horizon = min(scenario.horizon, o.adding(months: maximumHorizon))
            guard s.horizon > o, let cal = try? Calibration.calibrate(region: alone, segment: refitted, scenario: s, history: history),
                case .curve = cal.dynamics
            else { continue }
            let mc = MonteCarlo.run(s, calibrations: [cal], options: MonteCarlo.Options(s.uncertainty, planYear: o.year, threads: 1))
            guard let cell = mc.cells.first, let band = cell.active else { continue }
            var scored = false
            for (k, m) in cell.months.enumerated() {
                let h = o.distance(to: m)
                let (p10, p50, p90) = (band.values[0][k], band.values[1][k], band.values[2][k])
                guard h >= 1, h <= maximumHorizon, let y = byMonth[m], y > 0, p10 > 0, p90 > p10, p50 > 0,
                    !scenario.interventions.contains(where: { $0.contains(m) })
                else { continue }
                past.append(PastError(horizon: h, scaled: scaledError(actual: y, p10: p10, p50: p50, p90: p90)))
                scored = true
            }
            if scored { origins += 1 }
        }
        if trained == 0 { return .failure(.tooShort(figures: stock.count)) }
        let elapsed = clock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        guard let r = from(past, origins: origins, seconds: seconds) else { return .failure(.tooFewErrors(origins: origins)) }
        return .success(r)
    }
}
