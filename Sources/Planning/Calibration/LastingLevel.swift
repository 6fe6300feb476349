import Foundation

/// A lasting intervention's own level (`interventions: [{…, lasting: true}]`): the figures after its
/// window stay at a level of their own (a pandemic's members who did not come back), so a curve fitted
/// across both levels would read the lower later figures as an earlier ceiling. The figures before the
/// window are rescaled by a factor e^x to the level after it, and the curve is fitted to them all.
///
/// x is estimated with the curve: it maximises the profile log-likelihood of the original figures,
/// ℓ(x) = ℓ_curve(rescaled figures) + n_before·x (the second term is the rescaling's Jacobian: the
/// figures before, multiplied by e^x, are the data of a model y = f·e^(−x)·(1 + e)). ℓ_curve is the
/// curve's exact likelihood, refitted at each x (with `model: auto`, one family at a time: Calibration
/// re-profiles until the family the rescaled figures choose settles). Refits can land on different
/// local optima, so ℓ need not be smooth: a grid over factors ½–2 first, then a golden-section search
/// between the best grid point's neighbours. Hand-written rather than GSL's `gsl_min`: each evaluation
/// is a curve fit in Swift, and the bracket is the grid's.
enum LastingLevel {
    /// Figures needed before the window and after it to set one level against the other.
    static let minimumBefore = 2, minimumAfter = 3
    /// The log-factors searched: |x| ≤ 0.7 (a factor of ½ to 2), on a grid of 0.1 first.
    static let widest = 0.7, gridStep = 0.1
    /// The golden-section search stops when the bracket is this narrow in x (0.1% in the factor).
    static let tolerance = 1e-3
    /// With `model: auto`, profiles with one family at a time, at most this many in turn.
    static let familyRounds = 3

    /// `figures` (outside the interventions' windows) with those before `lasting` rescaled to the level
    /// after it, the factor, and a note of it; unchanged, no factor and a note when there are too few
    /// figures on either side or no curve can be fitted. `logLikelihood` fits the curve to a set of
    /// figures.
    static func rescale(
        _ figures: [(month: Month, value: Double)], _ lasting: Intervention, notes: inout [Phrase],
        logLikelihood: ([(month: Month, value: Double)]) -> Double?
    ) -> (figures: [(month: Month, value: Double)], factor: Double?) {
        let before = figures.count { $0.month < lasting.from }, after = figures.count { $0.month > lasting.to }
        let window = "\(lasting.label) (\(lasting.from)–\(lasting.to))"
        guard before >= minimumBefore, after >= minimumAfter else {
            notes.append(Phrase(
                "gangguan \(window) bertahan (lasting: true), tetapi levelnya tidak dapat ditaksir: \(before) angka stok sebelum dan \(after) sesudahnya (perlu \(minimumBefore) dan \(minimumAfter)); hanya jendelanya yang tidak dipakai",
                "the intervention \(window) is lasting (lasting: true), but its level cannot be estimated: \(before) stock figure(s) before it and \(after) after it (it needs \(minimumBefore) and \(minimumAfter)); only its window is left out"))
            return (figures, nil)
        }
        func rescaled(_ x: Double) -> [(month: Month, value: Double)] {
            figures.map { $0.month < lasting.from ? ($0.month, $0.value * exp(x)) : $0 }
        }
        func profile(_ x: Double) -> Double {
            guard let l = logLikelihood(rescaled(x)), l.isFinite else { return -.infinity }
            return l + Double(before) * x
        }
        var best = (x: 0.0, value: profile(0))
        for x in stride(from: -widest, through: widest + 1e-9, by: gridStep) where abs(x) > 1e-9 {
            let v = profile(x)
            if v > best.value { best = (x, v) }
        }
        guard best.value.isFinite else {
            notes.append(Phrase(
                "gangguan \(window) bertahan (lasting: true), tetapi tidak ada kurva yang dapat dicocokkan untuk menaksir levelnya; hanya jendelanya yang tidak dipakai",
                "the intervention \(window) is lasting (lasting: true), but no curve could be fitted to estimate its level; only its window is left out"))
            return (figures, nil)
        }
        // Golden-section search for the maximum between the best grid point's neighbours.
        let g = (5.0.squareRoot() - 1) / 2
        var (a, b) = (max(best.x - gridStep, -widest), min(best.x + gridStep, widest))
        var c = b - g * (b - a), d = a + g * (b - a)
        var fc = profile(c), fd = profile(d)
        while b - a > tolerance {
            if fc >= fd {
                (b, d, fd) = (d, c, fc)
                c = b - g * (b - a)
                fc = profile(c)
            } else {
                (a, c, fc) = (c, d, fd)
                d = a + g * (b - a)
                fd = profile(d)
            }
        }
        for (x, v) in [(c, fc), (d, fd)] where v > best.value { best = (x, v) }
        let factor = exp(best.x)
        let edge = abs(best.x) >= widest - tolerance
        notes.append(Phrase { l in
            l.t("\(before) angka stok sebelum gangguan bertahan \(window) disetarakan ×\(l.decimal(factor, 3)) ke level sesudahnya (lasting: true; faktornya ditaksir bersama kurva dengan likelihood profil)" + (edge ? "; faktor itu di batas pencarian (½–2): periksa angkanya" : ""),
                "the \(before) stock figure(s) before the lasting intervention \(window) rescaled ×\(l.decimal(factor, 3)) to the level after it (lasting: true; the factor estimated with the curve by its profile likelihood)" + (edge ? "; the factor is at the search's limit (½–2): check the figures" : ""))
        })
        return (rescaled(best.x), factor)
    }
}
