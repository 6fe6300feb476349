import Fitting
import Foundation
import Testing

@testable import Planning

/// Simulation-based calibration (docs/uncertainty.md, "Is it calibrated?"): histories drawn from a
/// known truth (a curve in coverage space, or a mean flow, times 1 + D with D a relative AR(1)), each
/// replicate a new history and a new future from its own fixed seed; the same calibration and Monte
/// Carlo as `rkat run` (200 draws), scored against the realised figure of the same simulated path.
/// Pass bands: P10–P90 holds it 0.80 ± (z·√(0.16/R) + 0.03) of the time, z = 3.42 (Φ⁻¹(1 − 0.01/32): 1%
/// two-sided, Bonferroni across the 16 tests of the first 6 settings; kept as the settings grew to 14,
/// about 35 coverage tests, so about 2% family-wise); P50 above the truth in 40–60% (wider at fewer than 300 replicates); P(reach) of targets reliable by bins; and for long histories the band at most 1.3× as wide
/// as the oracle's (the true θ, φ and s, i.e. only the future deviation unknown).
/// This suite uses only the APIs of `rkat run` (Calibration.run, MonteCarlo.run), so it can be run
/// against older engines; it fails on the monthly process noise it replaced (docs/uncertainty.md).
@Suite struct CalibrationCoverageTests {
    static let replicates = 500
    static let cut = Month(year: 2019, month: 12)
    static let share = 0.4
    static var potential: Double { 6_900_000 * share }

    struct Setting: Sendable, CustomStringConvertible {
        var name: String
        var truth: GrowthModel
        var parameters: [Double]
        var model: SegmentPlan.ModelSpec
        /// Observed months: monthly from `first`, or `irregular` random months (3–8 points), or the
        /// last `decembers` Decembers up to the cut.
        var first: Month
        var irregular = false
        var decembers: Int? = nil
        var phi: ClosedRange<Double>
        var sd: ClosedRange<Double>
        /// s drawn per replicate from a log-normal (median, log-SD) within `sd` instead of uniformly.
        var sdLogNormal: (median: Double, logSD: Double)? = nil
        var flowOnly = false
        /// A month-of-year component of the truth (relative, by calendar month), or none.
        var seasonal: [Double]? = nil
        /// Flows growing by this much a year (log), drawn per replicate; nil: flat.
        var growth: ClosedRange<Double>? = nil
        /// The deviations' s from this month on (off the model: the noise grows), or none.
        var noiseFrom: Month? = nil
        var noiseAfter: Double = 0
        /// Off the model's class (issue 31): a break, a regime change or a wandering growth rate in the
        /// truth (`Departure`), or none.
        var departure: Departure? = nil
        /// Bands rescaled by the history's own rolling-origin errors (`uncertainty.rescaling`).
        var rescaling = false
        /// Replicates, when not `CalibrationCoverageTests.replicates` (CI's budget).
        var replicates: Int? = nil
        /// Long histories are held to the sharpness bound.
        var sharp = true
        /// Known to fail today (docs/uncertainty.md says why): the checks run and report, as known issues.
        var knownIssue: String? = nil
        /// Known to be wider than 1.3× the oracle (said in docs/uncertainty.md).
        var sharpnessIssue: String? = nil
        /// Known to have its P50 outside 40–60% above the truth (said in docs/uncertainty.md).
        var medianIssue: String? = nil
        /// Known to hold the truth more often than 80% by about the tolerance (said in docs/uncertainty.md).
        var coverageIssue: String? = nil
        /// Known to miss 80% at h = 24 only (said in docs/uncertainty.md); h = 12 is held to it.
        var longHorizonIssue: String? = nil
        /// The break tests' false-alarm rates are checked (a truth without a level shift or a passing
        /// disturbance, whose noise does not change either: a variance that grows makes the late
        /// residuals look shifted).
        var checksBreakAlarms = true
        var description: String { name }
    }

    /// Truths the model does not assume (issue 31; `scripts/offmodel_check.py` draws the same kinds for
    /// the comparison with a damped-trend ETS).
    enum Departure: Sendable {
        /// A dip of `depth` (relative) over 12 months from `from`: 3 months in, 6 flat, 3 out.
        case dip(from: Month, depth: Double)
        /// The curve's monthly increments × `factor` from `from` on (an outreach regime).
        case regime(from: Month, factor: Double)
        /// The logistic's growth rate wanders: r·e^u, u a monthly AR(1) (φᵤ, SD σᵤ), so the stock
        /// leaves any one curve for good (stochastic diffusion); D is then the reporting noise.
        case diffusion(phi: Double, sd: Double)
    }

    /// Replicates of the off-model settings: 300, in CI too (the figures in docs/uncertainty.md; with the
    /// numeric modules optimised in debug builds, Package.swift, the three take about 100 s of one core).
    static let offModelReplicates = 300

    static let settings: [Setting] = [
        Setting(name: "logistic, 96 monthly, independent", truth: .logistic, parameters: [0.5, 0.6, 2016.5], model: .named(.logistic),
                first: Month(year: 2012, month: 1), phi: 0...0, sd: 0.02...0.02),
        Setting(name: "logistic, 96 monthly, persistent φ 0.9", truth: .logistic, parameters: [0.5, 0.6, 2016.5], model: .named(.logistic),
                first: Month(year: 2012, month: 1), phi: 0.9...0.9, sd: 0.03...0.03,
                sharpnessIssue: "φ 0.9 at h = 24: 1.38× the oracle (φ's and s's uncertainty widen the band)"),
        Setting(name: "gompertz, 96 monthly, φ 0.8", truth: .gompertz, parameters: [0.5, 0.45, 2015.5], model: .named(.gompertz),
                first: Month(year: 2012, month: 1), phi: 0.8...0.8, sd: 0.02...0.02),
        // December (the year-end scored) 2% above the year's level, January 4% below.
        Setting(name: "logistic, 96 monthly, seasonal, φ 0.5", truth: .logistic, parameters: [0.5, 0.6, 2016.5], model: .named(.logistic),
                first: Month(year: 2012, month: 1), phi: 0.5...0.5, sd: 0.015...0.015,
                seasonal: [-0.04, -0.01, 0, 0.005, 0.01, 0.015, 0.01, 0, -0.005, -0.01, 0.005, 0.02]),
        Setting(name: "auto, 60 monthly, gompertz φ 0.7", truth: .gompertz, parameters: [0.5, 0.45, 2015.5], model: .auto,
                first: Month(year: 2015, month: 1), phi: 0.7...0.7, sd: 0.02...0.02,
                sharpnessIssue: "the oracle knows the curve; mixing the candidate curves widens the band to 1.55–1.85× the oracle's",
                medianIssue: "the other candidates (logistic, bass, richards) fitted to a gompertz truth saturate earlier: P50 above the truth 40% / 37% at h = 12 / 24"),
        // Short irregular histories: the ceiling is the potential (κ = 1, as calibration holds it), φ and
        // s drawn per replicate from the stated prior (the world it describes; s kept within
        // 0.5–30%, where 1 + D stays positive).
        Setting(name: "logistic, 3–8 irregular points, φ and s from the prior", truth: .logistic, parameters: [1.0, 0.35, 2019.0],
                model: .named(.logistic), first: Month(year: 2012, month: 1), irregular: true,
                phi: 0.85...0.99, sd: 0.005...0.3, sdLogNormal: (ScalePosterior.priorMedian, ScalePosterior.priorLogSD), sharp: false),
        // Off the prior's world (issue 31, item 4): five December stocks of a quiet series (s 2%), and of
        // a noisy one (s 8%). Before, both took s from the same default range: bands ~30% wide at either.
        Setting(name: "logistic, 5 December stocks, s 2%", truth: .logistic, parameters: [1.0, 0.35, 2019.0],
                model: .named(.logistic), first: Month(year: 2012, month: 1), decembers: 5,
                phi: 0.85...0.99, sd: 0.02...0.02, sharp: false,
                coverageIssue: "five December stocks of a quiet series hold the truth 0.88–0.91 (1.7× the oracle's width): with five points the weak prior on s and φ still widens the band; at the tolerance's edge (0.89), so the noise realisation decides"),
        Setting(name: "logistic, 5 December stocks, s 8%", truth: .logistic, parameters: [1.0, 0.35, 2019.0],
                model: .named(.logistic), first: Month(year: 2012, month: 1), decembers: 5,
                phi: 0.85...0.99, sd: 0.08...0.08, sharp: false),
        Setting(name: "flow-only, 24 monthly acquisitions, φ 0.6", truth: .linear, parameters: [60_000, 0], model: .auto,
                first: Month(year: 2018, month: 1), phi: 0.6...0.6, sd: 0.1...0.1, flowOnly: true, sharp: false,
                knownIssue: "flow-only P(reach) overconfident (calibration slope ~0.5): two years of figures weigh a trend, and a chance trend in a flat history shifts its draws (Brier 0.207; 0.182 with the same posterior and no trend draws)"),
        // Off the model's class (issue 31, item 5): seasonal acquisitions growing 5–15% a year, 24 months.
        Setting(name: "flow-only, 24 monthly acquisitions, growing 5–15% a year, seasonal, φ 0.6", truth: .linear, parameters: [60_000, 0],
                model: .auto, first: Month(year: 2018, month: 1), phi: 0.6...0.6, sd: 0.06...0.06, flowOnly: true,
                seasonal: [-0.12, -0.08, 0, 0.03, 0.05, 0.06, 0.04, 0, -0.03, -0.02, 0.02, 0.05], growth: 0.05...0.15, sharp: false,
                knownIssue: "P10–P90 (~0.73) and the P50 (above the truth ~46%) pass since flows weigh a trend, but P(reach) of targets the truth passes easily is too low (Brier ~0.10 against the base rate's 0.055: the draws that take the flat level), and the month-of-year pattern is kept in ~30% (24 months)"),
        // Off the model's class (issue 31): the deviations' s grows from 1% to 4% over the last three
        // years, so a whole-history s is too small for the future; the model's own bands, with the rise
        // read (`NoiseRise`: 0.63 / 0.56 at h = 12 / 24 before, through `rkat run`). Rescaled by the
        // rolling-origin errors as well (`uncertainty.rescaling`, off by default; BandRescalingTests),
        // the same 300 histories held 0.80 / 0.79 (57 s of one core here: run by hand, docs/uncertainty.md).
        Setting(name: "logistic, 96 monthly, φ 0.8, noise ×4 over the last three years", truth: .logistic, parameters: [0.5, 0.6, 2016.5],
                model: .named(.logistic), first: Month(year: 2012, month: 1), phi: 0.8...0.8, sd: 0.01...0.01,
                noiseFrom: Month(year: 2017, month: 1), noiseAfter: 0.04, replicates: 300, sharp: false,
                medianIssue: "the P50 sits above the truth in 58% / 62% (59% / 59% through `rkat run` with `auto` before the rise was read): not moved by the reading, which widens the band and leaves the curve",
                checksBreakAlarms: false),
        // Off the model's class (issue 31), with `model: auto` as a planner's file has it: a COVID-like
        // dip, an outreach regime, a stochastic diffusion. The judged bounds are those of the others.
        Setting(name: "off-model: auto, 96 monthly, φ 0.8, a 12-month −8% dip ending 18 months before the cut", truth: .logistic,
                parameters: [0.5, 0.6, 2016.5], model: .auto, first: Month(year: 2012, month: 1), phi: 0.8...0.8, sd: 0.02...0.02,
                // Found in about half the histories and left out (`TransientShift`): 0.83 / 0.83, the P50
                // above the truth 56% / 57%; before, the dip inflated φ̂ (~0.95) and s (~4%) and the bands
                // held 0.94 / 0.95 (a known issue, too wide).
                departure: .dip(from: Month(year: 2017, month: 7), depth: 0.08), replicates: offModelReplicates, sharp: false,
                checksBreakAlarms: false),
        Setting(name: "off-model: auto, 96 monthly, φ 0.8, growth ×1.2 over the last 24 months and after", truth: .logistic,
                parameters: [0.5, 0.6, 2016.5], model: .auto, first: Month(year: 2012, month: 1), phi: 0.8...0.8, sd: 0.02...0.02,
                departure: .regime(from: Month(year: 2018, month: 1), factor: 1.2), replicates: offModelReplicates, sharp: false,
                checksBreakAlarms: false),
        Setting(name: "off-model: auto, 96 monthly, a wandering growth rate (stochastic diffusion), 1% reporting noise", truth: .logistic,
                parameters: [0.5, 0.6, 2016.5], model: .auto, first: Month(year: 2012, month: 1), phi: 0...0, sd: 0.01...0.01,
                // Two years out the band held ~0.69 until the residuals were also read with reporting
                // noise (`NoisyReading`): the AR(1) read the 1% noise as a fast decay, and the curve's
                // parameters were drawn too narrowly; 0.85 / 0.77 since.
                departure: .diffusion(phi: 0.95, sd: 0.3), replicates: offModelReplicates, sharp: false,
                checksBreakAlarms: false),
        // Short monthly (issue 31's "short histories", found by the variants of scripts/offmodel_check.py):
        // the model's own class on 24 monthly figures, with `model: auto` as a planner's file has it. One
        // named curve's band held the truth 0.52 / 0.44 here (flagged, `short_span_band_too_narrow`);
        // `auto` at the ranking's own weights 0.53 / 0.38 (Brier 0.188, calibration slope 0.45); with
        // the weights tempered on a span under 48 months (`CurveCandidate.shortSpanTemperature`), the
        // draws mix the curves that follow the 24 months about equally well and part beyond them.
        Setting(name: "auto, 24 monthly, φ 0.8 (short, tempered weights)", truth: .logistic, parameters: [0.5, 0.6, 2016.5], model: .auto,
                first: Month(year: 2018, month: 1), phi: 0.8...0.8, sd: 0.02...0.02, replicates: offModelReplicates, sharp: false,
                medianIssue: "the P50 above the truth in 58% / 60% at h = 12 / 24 (57% / 60% untempered): this truth saturates within the two years after, and the mixture's linear and exponential curves do not",
                longHorizonIssue: "two years out the band holds the truth 0.66 of the time (0.38 untempered; 0.73 a year out); scripts/offmodel_check.py's 24 and 36 monthly truths, less saturated, 0.71 and 0.78 (docs/uncertainty.md, 'Weights tempered on a short span'); the band is flagged for its second year (short_span_second_year_too_narrow)",
                checksBreakAlarms: false),
    ]

    /// One replicate's scores.
    struct Score {
        /// Realised figure inside [P10, P90], above P50, band width, oracle width: per score
        /// (year-end active at h = 12 and 24, the 2020 acquisitions).
        var inside: [Bool] = []
        var above: [Bool] = []
        var width: [Double] = []
        var oracle: [Double] = []
        /// (predicted P(reach), reached) for a target on 2020 (year-end active, or acquisitions).
        var reach: (Double, Bool)
        /// Calibration found a month-of-year component.
        var seasonal = false
        /// Calibration flagged a level shift (`LevelShift`): a false alarm in these truths without a break.
        var levelShift = false
        var noiseRose = false
        /// Calibration found a disturbance that came and went (`TransientShift`) and left it out.
        var transient = false
    }

    /// nil when calibration refuses the history (counted and bounded by the test).
    static func replicate(_ setting: Setting, _ r: Int) -> Score? {
        let rng = RandomStream(seed: RandomStream.seed(20_240_601, "sbc/\(setting.name)/\(r)"))
        let phi = setting.phi.lowerBound + (setting.phi.upperBound - setting.phi.lowerBound) * rng.uniform()
        var sd = setting.sd.lowerBound + (setting.sd.upperBound - setting.sd.lowerBound) * rng.uniform()
        if let (median, logSD) = setting.sdLogNormal {
            repeat { sd = median * exp(rng.gaussian(sd: logSD)) } while !setting.sd.contains(sd)
        }
        let growth = setting.growth.map { $0.lowerBound + ($0.upperBound - $0.lowerBound) * rng.uniform() } ?? 0
        // Monthly path of D from `first` through 2021-12, stationary from its start.
        let last = Month(year: 2021, month: 12)
        let all = Planning.months(from: setting.first, through: last)
        var d = [Double](repeating: 0, count: all.count)
        d[0] = rng.gaussian(sd: sd)
        for k in 1..<all.count {
            let s = setting.noiseFrom.map { all[k] >= $0 } == true ? setting.noiseAfter : sd
            d[k] = phi * d[k - 1] + s * (1 - phi * phi).squareRoot() * rng.gaussian(sd: 1)
        }
        let index = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1, $0) })
        let smooth = { (m: Month) in
            setting.truth == .linear ? setting.parameters[0] * exp(growth * (m.decimalYear - 2019.5))
                : Self.potential * GrowthCurveFunction(model: setting.truth, times: [m.decimalYear], origin: 2012.0).values(at: setting.parameters)[0]
        }
        // Off the model's class: the path the figures follow instead of the curve.
        var path = all.map(smooth)
        switch setting.departure {
        case .dip(let from, let depth):
            let k0 = index[from]!
            for k in 0..<12 { d[k0 + k] -= depth * min(1, Double(k + 1) / 3, Double(12 - k) / 3) }
        case .regime(let from, let factor):
            for k in 1..<all.count {
                path[k] = path[k - 1] + (smooth(all[k]) - smooth(all[k - 1])) * (all[k] >= from ? factor : 1)
            }
        case .diffusion(let phiU, let sdU):
            // The logistic's own equation, a monthly step at its wandering rate (K, r = parameters 0, 1).
            let (kappa, rate) = (setting.parameters[0] * Self.potential, setting.parameters[1])
            var u = rng.gaussian(sd: sdU)
            for k in 1..<all.count {
                u = phiU * u + sdU * (1 - phiU * phiU).squareRoot() * rng.gaussian(sd: 1)
                path[k] = path[k - 1] + rate * exp(u) / 12 * path[k - 1] * (1 - path[k - 1] / kappa)
            }
        case nil:
            break
        }
        let curve = { (m: Month) in path[index[m]!] }
        // The month-of-year component is added to D: the figure is curve × (1 + S + D).
        if let seasonal = setting.seasonal { for (k, m) in all.enumerated() { d[k] += seasonal[m.month - 1] } }
        let region = EngineTests.region
        var observed: [Month] = Planning.months(from: setting.first, through: cut)
        if setting.irregular {
            let n = 3 + Int(rng.uniform() * 6)
            var picked = Set<Month>()
            while picked.count < n { picked.insert(setting.first.adding(months: Int(rng.uniform() * Double(setting.first.distance(to: cut) + 1)))) }
            observed = picked.sorted()
        }
        if let n = setting.decembers { observed = (0..<n).map { Month(year: cut.year - n + 1 + $0, month: 12) } }
        let metric: History.Metric = setting.flowOnly ? .acquisitions : .active
        let history = History(observations: observed.map { m in
            .init(month: m, region: region, segment: "PU", metric: metric, value: curve(m) * (1 + d[index[m]!]))
        })
        var s = EngineTests.scenario(
            segments: [setting.flowOnly ? SegmentPlan(name: "PU", flowOnly: true) : SegmentPlan(name: "PU", model: setting.model, lapseRatePerYear: 0.2)],
            shares: ["PU": share], actualsUntil: cut, horizon: last)
        s.uncertainty = UncertaintySettings(draws: 200, seed: UInt64(1000 + r), parameters: true, processNoise: true, assumptions: [:])
        s.uncertainty.rescaling = setting.rescaling
        guard let cals = try? Calibration.run(s, history: history) else { return nil }
        var score = Score(reach: (0, false))
        score.seasonal = cals[0].deviation?.seasonality?.kept == true
        score.levelShift = cals[0].fitChecks.contains { $0.code == "level_shift" }
        score.noiseRose = cals[0].fitChecks.contains { $0.code == "noise_rose" }
        score.transient = cals[0].fitChecks.contains { $0.code == "transient_shift_left_out" }
        let result = MonteCarlo.run(s, calibrations: cals, options: MonteCarlo.Options(s.uncertainty, planYear: 2020, threads: 1))
        let cell = result.cells[0]
        let lastObserved = observed.last!
        if !setting.flowOnly {
            for year in [2020, 2021] {
                let m = Month(year: year, month: 12)
                let k = cell.months.firstIndex(of: m)!
                let truth = curve(m) * (1 + d[index[m]!])
                let (p10, p50, p90) = (cell.active!.values[0][k], cell.active!.values[1][k], cell.active!.values[2][k])
                let h = Double(lastObserved.distance(to: m))
                score.inside.append(p10 <= truth && truth <= p90)
                score.above.append(p50 > truth)
                score.width.append(p90 - p10)
                score.oracle.append(2 * 1.281_551_6 * curve(m) * (setting.noiseFrom == nil ? sd : setting.noiseAfter) * (1 - pow(phi, 2 * h)).squareRoot())
            }
            // A target between last actual −5% and +15%.
            let target = history.observations.last!.value * (0.95 + 0.2 * rng.uniform())
            let truth = curve(Month(year: 2020, month: 12)) * (1 + d[index[Month(year: 2020, month: 12)]!])
            score.reach = (MonteCarlo.probability(cell.planYear(.active)!, atLeast: target), truth >= target)
        } else {
            let months2020 = Planning.months(from: Month(year: 2020, month: 1), through: Month(year: 2020, month: 12))
            let truth = months2020.reduce(0.0) { $0 + curve($1) * (1 + d[index[$1]!]) }
            var draws = cell.planYear(.acquisitions)!
            let q = Quantiles.compute(&draws, 0..<draws.count, levels: [0.1, 0.5, 0.9])
            score.inside.append(q[0] <= truth && truth <= q[2])
            score.above.append(q[1] > truth)
            score.width.append(q[2] - q[0])
            // Oracle: the year's sum of g·(1 + D) given the last month's D (exact Gaussian).
            let dl = d[index[cut]!]
            var variance = 0.0
            for a in 1...12 { for b in 1...12 { variance += pow(phi, Double(abs(a - b))) * (1 - pow(phi, Double(2 * min(a, b)))) } }
            _ = dl
            score.oracle.append(2 * 1.281_551_6 * setting.parameters[0] * sd * variance.squareRoot())
            let target = 12 * setting.parameters[0] * (0.9 + 0.2 * rng.uniform())
            score.reach = (MonteCarlo.probability(cell.planYear(.acquisitions)!, atLeast: target), truth >= target)
        }
        return score
    }

    /// The settings with `model: auto` first: they take the longest (the diffusion's 300 histories about
    /// two minutes of one core), and started last they ran on alone after the others had finished.
    static let longestFirst = settings.filter { $0.model == .auto } + settings.filter { $0.model != .auto }

    @Test(arguments: longestFirst)
    func bandsHoldTheRealisedFigureEightyPercentOfTheTime(_ setting: Setting) {
        // RKAT_SBC_ONLY=text runs only the settings whose name contains it (a quicker look while developing).
        if let only = ProcessInfo.processInfo.environment["RKAT_SBC_ONLY"], !setting.name.contains(only) { return }
        let r = setting.replicates ?? Self.replicates
        var scores: [Score] = []
        var refused = 0
        for k in 0..<r {
            if let score = Self.replicate(setting, k) { scores.append(score) } else { refused += 1 }
        }
        // A history calibration refuses has no interval: at most 2% of them.
        if setting.knownIssue == nil { #expect(refused * 50 <= r, "\(setting.name): \(refused) histories refused") }
        if let why = setting.knownIssue {
            withKnownIssue(Comment(rawValue: why), isIntermittent: true) { check(setting, scores) }
        } else {
            check(setting, scores)
        }
    }

    func check(_ setting: Setting, _ scores: [Score]) {
        let r = scores.count
        let labels = setting.flowOnly ? ["acquisitions 2020"] : ["year-end active h=12", "year-end active h=24"]
        let tolerance = 3.42 * (0.16 / Double(r)).squareRoot() + 0.03
        var report: [String] = []
        for (j, label) in labels.enumerated() {
            let coverage = Double(scores.filter { $0.inside[j] }.count) / Double(r)
            let above = Double(scores.filter { $0.above[j] }.count) / Double(r)
            let sharpness = scores.reduce(0) { $0 + $1.width[j] } / scores.reduce(0) { $0 + $1.oracle[j] }
            report.append("\(setting.name) \(label): P10–P90 coverage \(coverage), P50 above truth \(above), width / oracle \(sharpness)")
            if let why = setting.longHorizonIssue, j == 1 {
                // Known to miss, not free to fall: a floor well under the figure the known issue states.
                #expect(coverage >= 0.55, "\(report.last!)")
                withKnownIssue(Comment(rawValue: why), isIntermittent: true) { #expect(abs(coverage - 0.8) <= tolerance, "\(report.last!)") }
            } else if let why = setting.coverageIssue {
                // Too wide, not too narrow: the bound below still holds.
                #expect(coverage >= 0.8 - tolerance, "\(report.last!)")
                withKnownIssue(Comment(rawValue: why), isIntermittent: true) { #expect(abs(coverage - 0.8) <= tolerance, "\(report.last!)") }
            } else {
                #expect(abs(coverage - 0.8) <= tolerance, "\(report.last!)")
            }
            // 40–60% (the judged bounds); a setting run at fewer than 300 replicates (none today; a
            // quicker look while developing) gets the binomial margin it lacks against 300: 3.42·(√(0.25/r) − √(0.25/300)).
            let margin = 0.1 + max(0, 3.42 * ((0.25 / Double(r)).squareRoot() - (0.25 / 300).squareRoot()))
            if let why = setting.medianIssue {
                withKnownIssue(Comment(rawValue: why), isIntermittent: true) { #expect(abs(above - 0.5) <= margin, "\(report.last!)") }
            } else {
                #expect(abs(above - 0.5) <= margin, "\(report.last!)")
            }
            if setting.sharp {
                if let why = setting.sharpnessIssue {
                    withKnownIssue(Comment(rawValue: why), isIntermittent: true) { #expect(sharpness <= 1.3, "\(report.last!)") }
                } else {
                    #expect(sharpness <= 1.3, "\(report.last!)")
                }
            }
        }
        // Seasonality found where the truth has it, and rarely (a 1% test) where it has none.
        let found = Double(scores.filter(\.seasonal).count) / Double(r)
        report.append("\(setting.name): month-of-year component found in \(found) of histories")
        if setting.seasonal != nil { #expect(found >= 0.9, "\(report.last!)") } else { #expect(found <= 0.05, "\(report.last!)") }
        // No break in these truths: the level-shift test fires in at most 5% of histories (its level;
        // plus 3.42 binomial SEs).
        let shifts = Double(scores.filter(\.levelShift).count) / Double(r)
        report.append("\(setting.name): level shift flagged in \(shifts) of histories")
        if setting.checksBreakAlarms { #expect(shifts <= 0.05 + 3.42 * (0.05 * 0.95 / Double(r)).squareRoot(), "\(report.last!)") }
        let passing = Double(scores.filter(\.transient).count) / Double(r)
        report.append("\(setting.name): a passing disturbance found and left out in \(passing) of histories")
        if setting.checksBreakAlarms { #expect(passing <= 0.05 + 3.42 * (0.05 * 0.95 / Double(r)).squareRoot(), "\(report.last!)") }
        // Nor a rise in the noise (`NoiseRise`, a 5% test): read in at most 5% of these histories.
        let rose = Double(scores.filter(\.noiseRose).count) / Double(r)
        report.append("\(setting.name): a rise in the noise read in \(rose) of histories")
        if setting.checksBreakAlarms { #expect(rose <= 0.05 + 3.42 * (0.05 * 0.95 / Double(r)).squareRoot(), "\(report.last!)") }
        // P(reach): bins of the predicted probability; each bin's hit rate within its binomial band.
        for bin in 0..<5 {
            let lo = Double(bin) / 5, hi = Double(bin + 1) / 5
            let members = scores.filter { $0.reach.0 >= lo && ($0.reach.0 < hi || (bin == 4 && $0.reach.0 <= 1)) }
            guard members.count >= 30 else { continue }
            let predicted = members.reduce(0) { $0 + $1.reach.0 } / Double(members.count)
            let hit = Double(members.filter { $0.reach.1 }.count) / Double(members.count)
            let band = 3.42 * (max(predicted * (1 - predicted), 0.01) / Double(members.count)).squareRoot() + 0.03
            report.append("\(setting.name) P(reach) bin \(lo)–\(hi): n \(members.count), predicted \(predicted), hit \(hit)")
            #expect(abs(hit - predicted) <= band, "\(report.last!)")
        }
        // The same forecasts scored whole (issue 31, item 6): the Brier score against always
        // predicting the base rate, and the calibration slope b of outcome ~ a + b·logit(p), within 3.42
        // of its standard errors + 0.1 of 1 (b < 1: overconfident).
        let pairs = scores.map(\.reach)
        let brier = Reliability.brier(pairs), base = Reliability.climatology(pairs)
        report.append("\(setting.name) P(reach): Brier \(brier) (base rate \(base))")
        #expect(brier < base, "\(report.last!)")
        if let fit = Reliability.calibrationSlope(pairs) {
            report.append("\(setting.name) P(reach): calibration slope \(fit.slope) ± \(fit.slopeSE), intercept \(fit.intercept)")
            #expect(abs(fit.slope - 1) <= 3.42 * fit.slopeSE + 0.1, "\(report.last!)")
        }
        print(report.joined(separator: "\n"))
    }
}
