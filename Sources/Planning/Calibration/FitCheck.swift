import Fitting
import Foundation

/// A curve fit that does not sit on its data (issue 31, item 1), or whose band rkat's own checks do
/// not vouch for, flagged in calibration.csv (`fit_check`, stable codes) and said as a run warning in
/// the planner's language.
public enum FitCheck: Sendable, Equatable {
    /// The last actual is further from the curve than 3 deviation SDs: the curve does not describe the
    /// recent figures (a break, a regime change, a data revision).
    case jumpOffFar(deviation: Double, sd: Double)
    /// The last actual is off where the figures before it led (the curve, and the deviation's
    /// persistence from the figure before) by more than `stepLimit` times the usual such surprise, a
    /// robust scale of the earlier figures' AR(1) innovations (1.4826 × their median absolute
    /// deviation). A figure 13% above a quiet history's path can pull the fit with it (a steeper curve,
    /// φ near 1, s eight times as large) until it no longer stands 3 SDs off: the jump-off check,
    /// which measures it with that s, misses it; the earlier figures' own surprises do not.
    case lastFigureJump(month: Month, innovation: Double, typical: Double)
    /// The residuals' mean is off zero by more than 3 of its standard errors under AR(1) errors (the
    /// curve sits above or below the data as a whole; "all of one sign" is normal near φ = 1, this is not).
    case residualsOffCentre(mean: Double, z: Double)
    /// A step in the recent residuals the scenario's `interventions` do not name (`LevelShift`), with the
    /// deviation model's φ (how fast the projection lets it fade).
    case levelShift(LevelShift, phi: Double)
    /// φ and s estimated from figures spanning fewer than `shortSpan` months. One curve drawn: the
    /// calibration suite's truths of the model's own class held the P10–P90 band 0.52 / 0.44 of the
    /// time at 12 / 24 months on 24 monthly figures and 0.70 / 0.67 on 36 (0.72 / 0.80 on 48;
    /// docs/uncertainty.md, "What is left"): the band is too narrow, and not corrected, so it is said.
    /// The draws mixing curves (`mixed`: `model: auto` with parameter draws, its weights tempered on a
    /// short span, `CurveCandidate.shortSpanTemperature`): 0.73 / 0.66 on the suite's 24 monthly
    /// figures, so the second year's band is said to be too narrow.
    case shortSpan(months: Int, mixed: Bool)
    /// A disturbance the figures show that came and went (`TransientShift`), not named under
    /// `interventions`: left out of the curve's fit as a named one's figures are, or kept in and only
    /// said (`kept`, why). The curve's value at the horizon (`horizon`) fitted with its figures and
    /// (once refitted) without them.
    case transientShift(TransientShift, horizon: Month, curveWith: Double, curveWithout: Double?, kept: Kept? = nil)
    /// The deviations' noise rose (`NoiseRise`): the band is drawn with the later figures' s, larger than
    /// the whole history's; said, so that a planner who compares it with last year's band knows why.
    case noiseRose(NoiseRise)

    /// Why a disturbance the figures show was kept in the curve's fit.
    public enum Kept: Sendable, Equatable {
        /// `find_disturbances: warn`.
        case asked
        /// No curve could be fitted without its figures.
        case noCurve
        /// Fitted without them, the curve described the figures it kept worse than the fit across the
        /// disturbance described them all: a larger deviation SD (a refit that failed, or a ceiling it
        /// could no longer estimate), not a curve to project from.
        case worseFit(sdWith: Double, sdWithout: Double)
    }

    public var code: String {
        switch self {
        case .jumpOffFar: return "jump_off_beyond_3sd"
        case .lastFigureJump: return "last_figure_jump"
        case .residualsOffCentre: return "residual_mean_off"
        case .levelShift: return "level_shift"
        case .shortSpan(_, let mixed): return mixed ? "short_span_second_year_too_narrow" : "short_span_band_too_narrow"
        case .transientShift(_, _, _, _, let kept): return kept == nil ? "transient_shift_left_out" : "transient_shift_kept"
        case .noiseRose: return "noise_rose"
        }
    }

    /// The months a disturbance the figures show left out of the curve's refit (none before the refit).
    public var leftOutWindow: ClosedRange<Month>? {
        if case .transientShift(let dip, _, _, .some, nil) = self { dip.leftOut } else { nil }
    }

    /// The disturbance found on a first fit, before the refit without it.
    var detectedDisturbance: (TransientShift, Double)? {
        if case .transientShift(let dip, _, let with, nil, nil) = self { (dip, with) } else { nil }
    }

    /// Months a history with estimated φ and s must span for its band to stand unflagged.
    public static let shortSpan = 48

    public var phrase: Phrase {
        switch self {
        case .jumpOffFar(let d, let s):
            return Phrase { l in
                l.t("realisasi terakhir \(l.decimal(d * 100, 1))% dari kurva, lebih dari 3 SD simpangan (s \(l.decimal(s * 100, 1))%): kurva tidak menggambarkan angka terakhir; periksa angkanya atau nyatakan gangguan (interventions)",
                    "the last actual is \(l.decimal(d * 100, 1))% from the curve, beyond 3 deviation SDs (s \(l.decimal(s * 100, 1))%): the curve does not describe the recent figures; check them or state an intervention")
            }
        case .lastFigureJump(let month, let u, let typical):
            return Phrase { l in
                let (pct, usual, times) = (l.decimal(abs(u) * 100, 1), l.decimal(typical * 100, 1), l.decimal(abs(u) / typical, 0))
                return l.t("realisasi terakhir (\(month)) \(pct)% \(u > 0 ? "di atas" : "di bawah") arah angka sebelumnya, \(times) kali kejutan biasa satu angka (\(usual)%): periksa angkanya; bila benar, itu patahan yang kurva dan pitanya hanya ikuti sebagian (nyatakan di interventions bila diketahui)",
                           "the last actual (\(month)) is \(pct)% \(u > 0 ? "above" : "below") where the figures before it led, \(times) times the usual surprise of one figure (\(usual)%): check it; if it is right, it is a break that the curve and the band follow only in part (name it under interventions if it is known)")
            }
        case .residualsOffCentre(let mean, let z):
            return Phrase { l in
                l.t("rata-rata simpangan relatif \(l.decimal(mean * 100, 1))% (z \(l.decimal(z, 1)) dengan galat AR(1)): kurva \(mean < 0 ? "di atas" : "di bawah") data secara keseluruhan",
                    "the relative residuals average \(l.decimal(mean * 100, 1))% (z \(l.decimal(z, 1)) under AR(1) errors): the curve sits \(mean < 0 ? "above" : "below") the data as a whole")
            }
        case .levelShift(let shift, let phi):
            // What the projection assumes: the step fades back to the curve as φ^h.
            let halfLife = phi > 0 && phi < 1 ? log(0.5) / log(phi) : 0
            return Phrase { l in
                let pct = l.decimal(abs(shift.shift) * 100, 1), p = l.decimal(shift.pValue, 3), h = l.decimal(halfLife, 0)
                return l.t("angka sejak \(shift.month) \(pct)% \(shift.shift < 0 ? "di bawah" : "di atas") kurva yang dicocokkan melintasinya (pergeseran level, uji sup-LR pada 24 bulan terakhir, p \(p)), tidak dinyatakan sebagai gangguan: proyeksi membuatnya memudar ke kurva (waktu paruh \(h) bulan); bila bertahan, angkanya tetap sekitar \(pct)% \(shift.shift < 0 ? "di bawah" : "di atas") kurva. Nyatakan di interventions bila itu gangguan yang diketahui (dengan lasting: true bila levelnya tidak kembali)",
                           "the figures from \(shift.month) sit \(pct)% \(shift.shift < 0 ? "below" : "above") the curve fitted across them (a level shift, sup-LR test on the last 24 months, p \(p)), not named as an intervention: the projection lets it fade back to the curve (half-life \(h) months); if it persists, the figures stay about \(pct)% \(shift.shift < 0 ? "below" : "above") it. Name it under interventions if it is a known disturbance (with lasting: true if the level did not come back)")
            }
        case .transientShift(let dip, let horizon, let with, let without, let kept):
            return Phrase { l in
                let pct = l.decimal(abs(dip.shift) * 100, 1), p = l.decimal(dip.pValue, 3)
                let found = l.t(
                    "angka \(dip.from)–\(dip.to) \(pct)% \(dip.shift < 0 ? "di bawah" : "di atas") kurva yang dicocokkan melintasinya lalu kembali ke kurva itu (gangguan sementara, uji sup-LR atas jendela 6–24 bulan, p \(p)), tidak dinyatakan di interventions: ",
                    "the figures \(dip.from)–\(dip.to) sat \(pct)% \(dip.shift < 0 ? "below" : "above") the curve fitted across them and came back to it (a passing disturbance, sup-LR test over 6–24-month windows, p \(p)), not named under interventions: ")
                guard let kept else {
                    let from = dip.leftOut.lowerBound, to = dip.leftOut.upperBound
                    let curve = without.map { w in
                        l.t("; kurva pada \(horizon) \(l.n(w)) tanpa angka itu (\(l.n(with)) bila dipakai)",
                            "; the curve at \(horizon) is \(l.n(w)) without them (\(l.n(with)) with them)")
                    } ?? ""
                    return found + l.t("angka \(from)–\(to) tidak dipakai untuk kurva, seperti gangguan yang dinyatakan\(curve). Bila itu bukan gangguan dan angkanya benar, find_disturbances: false memakainya; bila levelnya tidak pulih (kurva bisa menyerap penurunan yang bertahan), nyatakan di interventions dengan lasting: true",
                                       "the figures \(from)–\(to) are left out of the curve's fit, as a named one's would be\(curve). If it was not a disturbance and the figures are right, find_disturbances: false keeps them; if the level did not recover (a curve can take up a lasting drop), name it under interventions with lasting: true")
                }
                let why: String = switch kept {
                case .asked: " (find_disturbances: warn)"
                case .noCurve: l.t(" (tanpa angka itu kurva tidak dapat dicocokkan)", " (without them no curve could be fitted)")
                case .worseFit(let sdWith, let sdWithout):
                    l.t(" (tanpa angka itu kurva menggambarkan angka lainnya lebih buruk: SD simpangan \(l.decimal(sdWithout * 100, 1))% dibanding \(l.decimal(sdWith * 100, 1))%)",
                        " (fitted without them, the curve described the other figures worse: deviation SD \(l.decimal(sdWithout * 100, 1))% against \(l.decimal(sdWith * 100, 1))%)")
                }
                let curve = without.map { w in
                    l.t("; kurva pada \(horizon) \(l.n(with)) dengan angka itu (\(l.n(w)) bila tidak dipakai)",
                        "; the curve at \(horizon) is \(l.n(with)) with them (\(l.n(w)) without them)")
                } ?? ""
                return found + l.t("tetap dipakai untuk kurva\(why)\(curve). Nyatakan di interventions bila itu gangguan yang diketahui",
                                   "kept in the curve's fit\(why)\(curve). Name it under interventions if it is a known disturbance")
            }
        case .noiseRose(let rise):
            return Phrase { l in
                let (later, whole, p) = (l.decimal(rise.laterSD * 100, 1), l.decimal(rise.wholeSD * 100, 1), l.decimal(rise.found.pValue, 3))
                return l.t("simpangan angka dari kurva membesar sejak \(rise.month) (uji pergeseran varians, p \(p)): pita memakai s \(later)% dari \(rise.found.after) angka sejak itu, bukan \(whole)% atas seluruh riwayat",
                           "the figures' deviations from the curve grew from \(rise.month) (variance-shift test, p \(p)): the band uses s \(later)% from the \(rise.found.after) figures since, not \(whole)% over the whole history")
            }
        case .shortSpan(let m, let mixed):
            return Phrase { l in
                guard mixed else {
                    return l.t("kurva bertumpu pada angka \(m) bulan (kurang dari \(FitCheck.shortSpan)): pada riwayat sependek ini pita P10–P90 satu kurva memuat angka yang terwujud jauh lebih jarang dari 80% dalam uji rkat sendiri (24 bulan: hanya sekitar separuhnya); baca pita ini sebagai terlalu sempit (campuran kurva, model: auto dengan simulasi parameter, melebarkannya)",
                               "the curve rests on \(m) months of figures (fewer than \(FitCheck.shortSpan)): on histories this short rkat's own checks found one curve's P10–P90 band holding the realised figure far less often than 80% (24 months: about half the time); read this band as too narrow (a mixture of curves, model: auto with parameter draws, widens it)")
                }
                return l.t("kurva-kurva bertumpu pada angka \(m) bulan (kurang dari \(FitCheck.shortSpan)): pada 24 angka bulanan pita P10–P90 campuran kurva memuat angka yang terwujud 73% dari waktu 12 bulan ke depan dan 66% 24 bulan ke depan dalam uji rkat sendiri (tujuannya 80%); baca pita tahun kedua sebagai terlalu sempit",
                           "the curves rest on \(m) months of figures (fewer than \(FitCheck.shortSpan)): on 24 monthly figures rkat's own checks found the mixture of curves' P10–P90 band holding the realised figure 73% of the time 12 months on and 66% 24 months on (the aim is 80%); read the second year's band as too narrow")
            }
        }
    }

    static let limit = 3.0
    /// How many robust SDs of the earlier innovations the last one may reach (a robust scale, so the
    /// jump cannot inflate its own yardstick), and the fewest earlier innovations to measure it by.
    /// Under normal innovations, with the scale itself estimated (numpy, 400,000 series each): beyond 5
    /// in 0.11% of series with 23 earlier innovations, 0.0013% with 94; with 11 it was 0.9%.
    static let stepLimit = 5.0, stepMinimum = 23

    /// The checks of a fitted curve: relative residuals `e` at `months` (month-of-year effects taken
    /// out), the deviation model's φ and s (`estimated` from the history, not the short-history prior),
    /// the jump-off D(last), the break test's seed, and whether the draws mix curves (`mixed`).
    static func checks(
        residuals e: [Double], months: [Month], phi: Double, sd: Double, jumpOff: Double, estimated: Bool, seed: UInt64,
        mixed: Bool = false
    ) -> [FitCheck] {
        var out: [FitCheck] = []
        if sd > 0, abs(jumpOff) > limit * sd { out.append(.jumpOffFar(deviation: jumpOff, sd: sd)) }
        let n = Double(e.count)
        let t = months.map(\.index)
        if estimated, out.isEmpty, let jump = lastFigureJump(e, months: months, phi: phi) { out.append(jump) }
        // Months from the first figure to the last, both counted.
        let span = (t.max() ?? 0) - (t.min() ?? 0) + 1
        if e.count >= 3, sd > 0 {
            // Var(ē) = s²/n² · Σᵢ Σⱼ φ^|tᵢ − tⱼ|, the pairs counted by lag first: one pow per lag, not
            // per pair (n² of them was most of a calibration's pow calls).
            var pairs = [Int](repeating: 0, count: span)
            for a in t { for b in t { pairs[abs(a - b)] += 1 } }
            var sum = 0.0
            for (lag, count) in pairs.enumerated() where count > 0 { sum += Double(count) * (lag == 0 ? 1 : phi > 0 ? pow(phi, Double(lag)) : 0) }
            let se = sd * sum.squareRoot() / n
            let mean = e.reduce(0, +) / n
            if se > 0, abs(mean / se) > limit { out.append(.residualsOffCentre(mean: mean, z: mean / se)) }
        }
        if let shift = LevelShift.test(residuals: e, months: months, phi: phi, sd: sd, seed: seed) { out.append(.levelShift(shift, phi: phi)) }
        // Short histories under the prior (fewer than 12 points) are not flagged: in the prior's own
        // world their bands hold 0.75 / 0.79 (docs/uncertainty.md).
        if estimated, !t.isEmpty, span < shortSpan { out.append(.shortSpan(months: span, mixed: mixed)) }
        return out
    }

    /// The last figure's AR(1) innovation eₙ − ρ·eₙ₋₁ (ρ = φ^gap) against the earlier ones' median and
    /// robust SD; nil with fewer than `stepMinimum` earlier innovations, a scale of 0, or within `stepLimit`.
    static func lastFigureJump(_ e: [Double], months: [Month], phi: Double) -> FitCheck? {
        guard e.count >= stepMinimum + 2, let last = months.last else { return nil }
        let u = (1..<e.count).map { i in e[i] - pow(max(phi, 0), Double(months[i].index - months[i - 1].index)) * e[i - 1] }
        let median = { (x: [Double]) in PlanYearSummary.median(x) ?? 0 }
        let earlier = Array(u.dropLast())
        let centre = median(earlier)
        let typical = 1.4826 * median(earlier.map { abs($0 - centre) })
        let surprise = u.last! - centre
        guard typical > 0, abs(surprise) > stepLimit * typical else { return nil }
        return .lastFigureJump(month: last, innovation: surprise, typical: typical)
    }
}
