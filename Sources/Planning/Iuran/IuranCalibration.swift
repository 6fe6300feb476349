import Foundation

/// The stated iuran against the history's realised iuran (docs/iuran.md, "Calibrated on the
/// history"): over the latest 12 months (to `actuals_until`) with both an iuran figure and the
/// members who paid it, the realised rupiah summed against what those members owe at the stated
/// contribution and collection. Summed, not averaged month by month, so a lumpy month (arrears paid
/// late) weighs by its rupiah and is smoothed over the months used. With `calibrate` (the default),
/// the projection's contribution is the stated one × `ratio`, so its first month continues from the
/// realised rupiah a member; otherwise the stated one is kept and a gap over 5% is said.
public struct IuranCalibration: Sendable, Equatable {
    /// The months used, oldest first (at most 12).
    public var months: [Month]
    /// Σ realised iuran and Σ members (acquisitions for a flow-only segment) over those months.
    public var realised: Double
    public var members: Double
    /// Σ what those members owe at the stated contribution and collection.
    public var expected: Double
    /// Whether the projection uses it (`iuran.calibrate`).
    public var applied: Bool

    /// Realised ÷ expected: the factor on the stated contribution.
    public var ratio: Double { realised / expected }
    /// Rupiah a member-month (an acquisition for a flow-only segment), collected: realised and stated.
    public var realisedPerMember: Double { realised / members }
    public var statedPerMember: Double { expected / members }
    /// The factor the projection applies to the stated contribution (1 when not applied).
    public var factor: Double { applied ? ratio : 1 }

    /// Months of history to sum.
    static let window = 12
    /// A ratio outside [1/3, 3] is a figure in the wrong unit or a year-to-date figure in a monthly row
    /// (`IuranPlan.implausibleFigures` says which), not a rate to follow: never applied.
    static let plausible = (1.0 / 3)...3.0
    /// Kept stated, a stated rate more than this off the realised (|stated ÷ realised − 1|) is said with both figures.
    public static let tolerance = 0.05

    /// The segment's iuran measured on a region's history; nil without an iuran figure that has its
    /// members in the same month.
    static func measure(_ plan: IuranPlan, segment: SegmentPlan, region: String, history: History, until: Month) -> IuranCalibration? {
        let paid = history.series(region: region, segment: segment.name, metric: .iuran).filter { $0.month <= until }
        let members = Dictionary(
            history.series(region: region, segment: segment.name, metric: segment.flowOnly ? .acquisitions : .active).map { ($0.month, $0.value) },
            uniquingKeysWith: { a, _ in a })
        let used = paid.filter { members[$0.month] != nil }.suffix(window)
        guard !used.isEmpty else { return nil }
        var c = IuranCalibration(months: used.map(\.month), realised: 0, members: 0, expected: 0, applied: false)
        for (m, v) in used {
            let n = members[m]!
            c.realised += v
            c.members += n
            c.expected += plan.due(members: n, acquired: n, flowOnly: segment.flowOnly) * plan.collection
        }
        guard c.expected > 0, c.members > 0, c.realised >= 0 else { return nil }
        c.applied = plan.calibrate && plausible.contains(c.ratio)
        return c
    }

    /// How calibration.csv and the report say it: what was measured, then what is used.
    public var note: Phrase { noteParts[0] + Phrase(": ", ": ") + noteParts[1] }

    /// The note in its two parts (the workbook prints them as two lines, each within the page).
    public var noteParts: [Phrase] {
        let first = months.first!, last = months.last!, n = months.count
        let (r, s) = (realisedPerMember.rounded(), statedPerMember.rounded())
        let factor = ratio, applied = applied
        let head = Phrase { l in
            let span = first == last ? "\(first)" : "\(first)–\(last)"
            return l.t(
                "iuran: realisasi Rp \(l.n(r)) per peserta-bulan (\(span), \(n) bulan dijumlah), dinyatakan Rp \(l.n(s)) (dengan kolektibilitas)",
                "iuran: realised Rp \(l.n(r)) a member-month (\(span), \(n) months summed), stated Rp \(l.n(s)) (collection included)")
        }
        let use = Phrase { l in
            let f = l.decimal(factor, 3)
            if applied { return l.t("dipakai Rp \(l.n(r)) (yang dinyatakan × \(f))", "used Rp \(l.n(r)) (the stated × \(f))") }
            if !IuranCalibration.plausible.contains(factor) {
                return l.t("dipakai yang dinyatakan (rasio \(f) tidak masuk akal untuk diikuti)", "the stated is used (a ratio of \(f) is not one to follow)")
            }
            return l.t("dipakai yang dinyatakan (calibrate: false)", "the stated is used (calibrate: false)")
        }
        return [head, use]
    }
}
